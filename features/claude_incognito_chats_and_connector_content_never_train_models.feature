@G-CLAUDE-NEVER-USED @blocking
Feature: Incognito chats and the raw content of connectors never train Claude
  Anthropic's consumer terms of 2025 leave incognito chats and the raw content that connectors bring in out
  of model training, whatever the user's setting. Each category is checked on its own.

  Scenario Outline: The policy excludes <category> from model training
    Given the policy snapshot "anthropic@2025-10-08"
    Then these are never used for model training:
      | <category> |

    Examples:
      | category                    |
      | incognito chats             |
      | raw content from connectors |
