@G-SENSITIVE-DATA @blocking
Feature: Login credentials, payment data, salary data and job applications are never used for AI training
  Data that would expose a member's accounts, finances or job search is never used to train generative AI.

  Scenario: The policy excludes sensitive data from generative AI training
    Given the platform "LinkedIn"
    Then these are never used for generative AI training:
      | login credentials |
      | payment data      |
      | salary data       |
      | job applications  |
