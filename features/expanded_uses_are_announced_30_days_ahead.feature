@G-NOTICE-30 @blocking
Feature: Expanded uses are announced at least 30 days before they take effect
  Members get at least 30 days' notice, to change their settings or leave, before their data is used in a
  new way or in a new region.

  Scenario Outline: <purpose> was announced 30 days ahead
    Then <purpose> was announced at least 30 days before it took effect

    Examples:
      | purpose                    |
      | generative AI training     |
      | non-generative AI training |
      | ad sharing with Microsoft  |
      | off-platform ad targeting  |
