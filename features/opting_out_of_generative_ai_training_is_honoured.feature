@G-GENAI-OPT-OUT @blocking
Feature: Opting out of generative AI training is honoured
  A member who turns off "Data for Generative AI Improvement" is left out of generative AI training from
  then on, wherever the policy applies, and a choice made under an earlier policy version still counts.

  Background:
    Given the platform "LinkedIn"

  Scenario: A member who turned the setting off is not used for training
    Given a member
    And the member turned off "Data for Generative AI Improvement" the day before the policy takes effect
    When their public posts are considered for generative AI training 30 days after the policy takes effect
    Then it is not used because the member opted out

  Scenario: A member who turned the setting off is not used on the day the policy takes effect
    Given a member
    And the member turned off "Data for Generative AI Improvement" the day before the policy takes effect
    When their public posts are considered for generative AI training on the effective date
    Then it is not used because the member opted out

  Scenario: An opt-out made under the 2024 policy carries over to the 2025 policy
    Given the policy snapshot "linkedin@2025-11-03"
    And a member in the United States
    And the member turned off "Data for Generative AI Improvement" on 2024-10-01
    When their profile data is considered for generative AI training on 2025-12-01
    Then it is not used because the member opted out
