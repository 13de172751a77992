@G-PRIVATE-MESSAGES @blocking
Feature: Private messages are never used for generative AI training
  Members' private messages (inbox, InMail) are never used to train generative AI, in any region.

  Scenario: The policy excludes private messages from generative AI training
    Then these are never used for generative AI training:
      | private messages |

  Scenario: A member's private messages are not used for training
    Given a member
    When their private messages are considered for generative AI training 30 days after the policy takes effect
    Then it is not used because the category is excluded
