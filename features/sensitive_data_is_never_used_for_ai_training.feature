@G-SENSITIVE-DATA @blocking
Feature: Login credentials, payment data, salary data and job applications are never used for AI training
  Data that would expose a member's accounts, finances or job search is never used to train AI models,
  generative or not. Each category is checked on its own, so that one the policy does not state leaves
  the others' answers standing.

  Scenario Outline: The policy excludes <category> from <purpose>
    Given the platform "LinkedIn"
    Then these are never used for <purpose>:
      | <category> |

    Examples:
      | category                                  | purpose                    |
      | login credentials                         | generative AI training     |
      | payment data                              | generative AI training     |
      | salary data                               | generative AI training     |
      | salary data attributable to a member      | generative AI training     |
      | job applications                          | generative AI training     |
      | job applications attributable to a member | generative AI training     |
      | login credentials                         | non-generative AI training |
      | payment data                              | non-generative AI training |
      | salary data                               | non-generative AI training |
      | job applications                          | non-generative AI training |
