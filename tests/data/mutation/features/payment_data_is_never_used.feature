@G-PAYMENT @blocking
Feature: Payment data is never used for AI training

  Scenario: The policy excludes payment data
    Then these are never used for AI training:
      | payment data |
