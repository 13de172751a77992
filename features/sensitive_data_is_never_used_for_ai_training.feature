@G-SENSITIVE-DATA @blocking
Feature: Login credentials, payment data, salary data and job applications are never used for AI training
  Data that would expose a member's accounts, finances or job search is never used to train AI models,
  generative or not.

  Scenario Outline: The policy excludes sensitive data from <purpose>
    Given the platform "LinkedIn"
    Then these are never used for <purpose>:
      | login credentials |
      | payment data      |
      | salary data       |
      | job applications  |

    Examples:
      | purpose                    |
      | generative AI training     |
      | non-generative AI training |
