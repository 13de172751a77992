@G-CONSENT @advisory
Feature: AI training needs consent first

  Scenario: A member who did nothing is not used
    Given a member
    When their public posts are considered for AI training on 2025-03-01
    Then it is not used because the member did not consent
