@G-X-THIRD-PARTIES @blocking
Feature: Turning off X's third-party collaborators setting keeps members' data from third parties' AI training
  From 15 November 2024, X's privacy policy lets third-party collaborators train AI models on members'
  information unless they opt out; "Allow additional information sharing with business partners" turns it off.

  Scenario: A member who turned the setting off is not used by third parties
    Given the policy snapshot "x@2024-11-15"
    And a member
    And the member turned off "Allow additional information sharing with business partners" on the effective date
    When their data is considered for AI training by third parties 30 days after the policy takes effect
    Then it is not used because the member opted out
