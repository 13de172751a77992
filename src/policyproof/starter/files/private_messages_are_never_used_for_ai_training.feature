@G-PRIVATE-MESSAGES @blocking
Feature: Private messages are never used for AI training
  Members' private messages are never used to train AI models, in any region. `policyproof steps` prints
  every phrasing a guarantee may use.

  Scenario: The policy excludes private messages from AI training
    Then these are never used for AI training:
      | private messages |

  Scenario: A member's private messages are not used for AI training
    Given a member
    When their private messages are considered for AI training 30 days after the policy takes effect
    Then it is not used because the category is excluded
