@G-CAN-TURN-OFF @blocking
Feature: Every purpose can be turned off wherever it is active
  In every region where a purpose applies, a setting, form or signal lets the member turn it off. Generative
  AI training is asked of every platform; the purposes only LinkedIn's or X's policy describes, of that
  platform only.

  Scenario: Generative AI training can be turned off
    Then generative AI training can be turned off in every region where it is active

  Scenario Outline: LinkedIn's <purpose> can be turned off
    Given the platform "LinkedIn"
    Then <purpose> can be turned off in every region where it is active

    Examples:
      | purpose                    |
      | non-generative AI training |
      | ad sharing with Microsoft  |
      | off-platform ad targeting  |

  Scenario: X's AI training by third parties can be turned off
    Given the policy snapshot "x@2024-11-15"
    Then AI training by third parties can be turned off in every region where it is active
