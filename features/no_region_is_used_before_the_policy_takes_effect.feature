@G-NO-EARLY-USE @blocking
Feature: No new region's data is used before the policy takes effect there
  LinkedIn extended generative AI training to the EEA, Switzerland, the UK, Canada and Hong Kong from
  3 November 2025; before that day, members there are not used. Nor did Claude's chats train Anthropic's models
  by default, nor X's third-party collaborators train on members' posts, before the terms that started them.

  Scenario Outline: Members in a newly added region are not used the day before
    Given the platform "LinkedIn"
    And a member in <place>
    When their profile data is considered for generative AI training the day before the policy takes effect
    Then it is not used because the purpose is not active in the region

    Examples:
      | place              |
      | Norway             |
      | Switzerland        |
      | the United Kingdom |
      | Canada             |
      | Hong Kong          |

  Scenario Outline: Members in <place> are not used for <purpose> the day before the policy takes effect
    Given the platform "LinkedIn"
    And a member in <place>
    When their <data> is considered for <purpose> the day before the policy takes effect
    Then it is not used because the purpose is not active in the region

    Examples:
      | place              | data                  | purpose                    |
      | the United States  | off-platform activity | off-platform ad targeting  |

  Scenario Outline: Members in <place> were not used before the 2024 policy took effect
    Given the policy snapshot "linkedin@2024-09-18"
    And a member in <place>
    When their profile data is considered for generative AI training the day before the policy takes effect
    Then it is not used because the purpose is not active in the region

    Examples:
      | place              |
      | the United States  |
      | India              |
      | the United Kingdom |

  Scenario Outline: Members in <place> were not used for Meta's AI training before its policy took effect
    Given the platform "Meta"
    And a member in <place>
    When their public posts are considered for generative AI training the day before the policy takes effect
    Then it is not used because the purpose is not active in the region

    Examples:
      | place       |
      | Germany     |
      | Switzerland |

  Scenario: Claude users' chats were not used by default before the 2025 terms took effect
    Given the policy snapshot "anthropic@2025-10-08"
    And a member
    When their data is considered for model training the day before the policy takes effect
    Then it is not used because the purpose is not active in the region

  Scenario: X's third-party collaborators did not train on members' data before the policy took effect
    Given the policy snapshot "x@2024-11-15"
    And a member
    When their data is considered for AI training by third parties the day before the policy takes effect
    Then it is not used because the purpose is not active in the region
