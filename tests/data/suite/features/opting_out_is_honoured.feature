@G-OPT-OUT @blocking
Feature: Opting out of AI training is honoured

  Scenario: A member who turned the setting off is not used
    Given a member
    And the member turned off "Use my data for AI" on 2025-02-01
    When their public posts are considered for AI training on 2025-03-01
    Then it is not used because the member opted out
