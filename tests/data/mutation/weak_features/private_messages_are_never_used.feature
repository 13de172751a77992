@G-PRIVATE @blocking
Feature: Private messages are never used for AI training

  Scenario: A member's private messages are not used
    Given a member
    When their private messages are considered for AI training on 2025-02-01
    Then it is not used because the category is excluded
