@G-PRIVATE-MESSAGES @blocking
Feature: Private messages are never used for AI training
  Members' private messages (inbox, InMail) are never used to train AI models, generative or not, in any
  region.

  Scenario Outline: The policy excludes private messages from <purpose>
    Then these are never used for <purpose>:
      | private messages |

    Examples:
      | purpose                    |
      | generative AI training     |
      | non-generative AI training |

  Scenario Outline: A member's private messages are not used for <purpose>
    Given a member
    When their private messages are considered for <purpose> 30 days after the policy takes effect
    Then it is not used because the category is excluded

    Examples:
      | purpose                    |
      | generative AI training     |
      | non-generative AI training |
