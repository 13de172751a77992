@G-NO-EARLY-USE @blocking
Feature: No new region's data is used before the policy takes effect there
  LinkedIn extended generative AI training to the EEA, Switzerland, the UK, Canada and Hong Kong from
  3 November 2025; before that day, members there are not used.

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
