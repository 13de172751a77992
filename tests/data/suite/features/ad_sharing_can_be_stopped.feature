@G-ADS-OFF @blocking
Feature: Ad sharing can be stopped

  Scenario: A member who turned sharing off is not shared
    Given a member
    And the member turned off "Share with partners" on 2025-02-01
    When their public posts are considered for ad sharing on 2025-03-01
    Then it is not used because the member opted out
