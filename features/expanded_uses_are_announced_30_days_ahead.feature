@G-NOTICE-30 @blocking
Feature: Expanded uses are announced at least 30 days before they take effect
  Members get at least 30 days' notice, to change their settings or leave, before their data is used in a
  new way or in a new region. Generative AI training is asked of every platform; the purposes only
  LinkedIn's or X's policy describes, of that platform only.

  Scenario: Generative AI training was announced 30 days ahead
    Then generative AI training was announced at least 30 days before it took effect

  Scenario Outline: LinkedIn's <purpose> was announced 30 days ahead
    Given the platform "LinkedIn"
    Then <purpose> was announced at least 30 days before it took effect

    Examples:
      | purpose                    |
      | non-generative AI training |
      | ad sharing with Microsoft  |
      | off-platform ad targeting  |

  Scenario: X's AI training by third parties was announced 30 days ahead
    Given the policy snapshot "x@2024-11-15"
    Then AI training by third parties was announced at least 30 days before it took effect
