@G-CAN-TURN-OFF @blocking
Feature: Every purpose can be turned off wherever it is active
  In every region where a purpose applies, a setting, form or signal lets the member turn it off.

  Scenario Outline: <purpose> can be turned off
    Then <purpose> can be turned off in every region where it is active

    Examples:
      | purpose                    |
      | generative AI training     |
      | non-generative AI training |
      | ad sharing with Microsoft  |
      | off-platform ad targeting  |
