@G-OFFSITE-ADS @blocking
Feature: Off-platform ad targeting needs consent in the EEA and Switzerland, and stops when the member turns it off
  LinkedIn targets ads with data from others only as the member's ad settings allow: in the EEA and
  Switzerland only once the member consents, elsewhere until the member turns it off.

  Background:
    Given the platform "LinkedIn"

  Scenario Outline: A member in <place> who did nothing is not targeted with their off-platform activity
    Given a member in <place>
    When their off-platform activity is considered for off-platform ad targeting 30 days after the policy takes effect
    Then it is not used because the member did not consent

    Examples:
      | place       |
      | Norway      |
      | Switzerland |

  Scenario: A member in the EEA who consented and then turned "Data from others for ads" off is not targeted
    Given a member in Norway
    And the member turned on "Data from others for ads" on 2025-11-10
    And the member turned off "Data from others for ads" on 2025-11-20
    When their off-platform activity is considered for off-platform ad targeting on 2025-12-01
    Then it is not used because the member opted out

  Scenario Outline: A member in <place> who turned off "Data from others for ads" is not targeted
    Given a member in <place>
    And the member turned off "Data from others for ads" on the effective date
    When their off-platform activity is considered for off-platform ad targeting 30 days after the policy takes effect
    Then it is not used because the member opted out

    Examples:
      | place              |
      | the United Kingdom |
      | Canada             |
      | Hong Kong          |
      | India              |
