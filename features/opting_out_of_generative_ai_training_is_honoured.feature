@G-GENAI-OPT-OUT @blocking
Feature: Opting out of generative AI training is honoured
  A member who opts out of generative AI training, by whichever setting or form the platform offers, is left
  out of it from then on, wherever the policy applies, and a choice made under an earlier policy version
  still counts. Where a platform offers no way to opt out, there is nothing to honour (G-CAN-TURN-OFF).

  Scenario: A member who opted out is not used for training
    Given a member
    And the member opted out of generative AI training the day before the policy takes effect
    When their data is considered for generative AI training 30 days after the policy takes effect
    Then it is not used because the member opted out

  Scenario: A member who turned LinkedIn's setting off is not used for training
    Given the platform "LinkedIn"
    And a member
    And the member turned off "Data for Generative AI Improvement" the day before the policy takes effect
    When their public posts are considered for generative AI training 30 days after the policy takes effect
    Then it is not used because the member opted out

  Scenario: A member who turned LinkedIn's setting off is not used on the day the policy takes effect
    Given the platform "LinkedIn"
    And a member
    And the member turned off "Data for Generative AI Improvement" the day before the policy takes effect
    When their public posts are considered for generative AI training on the effective date
    Then it is not used because the member opted out

  Scenario: An opt-out made under the 2024 policy carries over to the 2025 policy
    Given the policy snapshot "linkedin@2025-11-03"
    And a member in the United States
    And the member turned off "Data for Generative AI Improvement" on 2024-10-01
    When their profile data is considered for generative AI training on 2025-12-01
    Then it is not used because the member opted out

  Scenario: A member who turned X's Grok setting off is not used for training
    Given the platform "X"
    And a member
    And the member turned off "Grok" the day before the policy takes effect
    When their data is considered for generative AI training on the effective date
    Then it is not used because the member opted out

  Scenario: A user who turned "Help improve Claude" off is not used for training
    Given the policy snapshot "anthropic@2025-10-08"
    And a member
    And the member turned off "Help improve Claude" the day before the policy takes effect
    When their data is considered for generative AI training 30 days after the policy takes effect
    Then it is not used because the member opted out
