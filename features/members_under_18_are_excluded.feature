@G-MINORS @blocking
Feature: Members under 18 are excluded from generative AI training
  Data of members the platform believes could be under 18, or knows to be, is never used to train
  generative AI, whatever their settings say, whatever data the platform trains on.

  Scenario: A member believed to be under 18 is excluded
    Given a member
    And the member is believed to be under 18
    When their data is considered for generative AI training 30 days after the policy takes effect
    Then it is not used because the member is under 18

  Scenario: A member known to be 17 is excluded
    Given a member
    And the member is 17 years old
    When their data is considered for generative AI training 30 days after the policy takes effect
    Then it is not used because the member is under 18
