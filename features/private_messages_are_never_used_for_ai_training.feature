@G-PRIVATE-MESSAGES @blocking
Feature: Private messages are never used for AI training
  Members' private messages (inbox, direct messages, InMail) are never used to train AI models, in any
  region. Generative AI training is asked of every platform; non-generative AI training, which only
  LinkedIn's policy describes, of LinkedIn only.

  Scenario: The policy excludes private messages from generative AI training
    Then these are never used for generative AI training:
      | private messages |

  Scenario: A member's private messages are not used for generative AI training
    Given a member
    When their private messages are considered for generative AI training 30 days after the policy takes effect
    Then it is not used because the category is excluded

  Scenario: LinkedIn's policy excludes private messages from non-generative AI training
    Given the platform "LinkedIn"
    Then these are never used for non-generative AI training:
      | private messages |

  Scenario: A LinkedIn member's private messages are not used for non-generative AI training
    Given the platform "LinkedIn"
    And a member
    When their private messages are considered for non-generative AI training 30 days after the policy takes effect
    Then it is not used because the category is excluded
