@G-RETROACTIVE-OPT-OUT @advisory
Feature: Opting out also removes data from models already trained
  Advisory: privacy advocates ask that opting out reach data already used. The policies say opting out
  works from then on only, so this is expected to fail.

  Scenario: The policy makes opting out retroactive
    Then opting out of generative AI training also removes data already used

  Scenario: Data used before the member opted out is removed
    Given a member
    And the member opted out of generative AI training on 2026-01-15
    When their public posts are considered for generative AI training on 2025-12-01
    Then it is not used because the member opted out
