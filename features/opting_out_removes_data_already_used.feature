@G-RETROACTIVE-OPT-OUT @advisory
Feature: Opting out also removes data from models already trained
  Advisory: privacy advocates ask that opting out reach data already used. The policies say opting out
  works from then on only, so this is expected to fail.

  Scenario: The policy makes opting out retroactive
    Then opting out of generative AI training also removes data already used

  Scenario: Data used before the member opted out is removed
    Given a member
    And the member opted out of generative AI training 60 days after the policy takes effect
    When their public posts are considered for generative AI training 30 days after the policy takes effect
    Then it is not used because the member opted out
