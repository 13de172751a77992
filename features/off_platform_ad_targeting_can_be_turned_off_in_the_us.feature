@G-US-OFFSITE-ADS @blocking
Feature: Off-platform ad targeting in the US can be turned off
  A US member can stop LinkedIn using their activity on other services to target ads.

  Scenario: A US member who turned off "Data from others for ads" is not targeted with it
    Given the platform "LinkedIn"
    And a member in the United States
    And the member turned off "Data from others for ads" on the effective date
    When their off-platform activity is considered for off-platform ad targeting 30 days after the policy takes effect
    Then it is not used because the member opted out
