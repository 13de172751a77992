@G-MS-ADS @blocking
Feature: Ad sharing with Microsoft honours the member's setting and never happens in the EEA, CH or GB
  LinkedIn shares profile, feed activity and ad engagement data with Microsoft for ads only where the
  policy allows it, and never for a member who turned off "Share data with affiliates and partners".

  Background:
    Given the platform "LinkedIn"

  Scenario: A member who turned the setting off is not shared
    Given a member
    And the member turned off "Share data with affiliates and partners" on the effective date
    When their feed activity is considered for ad sharing with Microsoft 30 days after the policy takes effect
    Then it is not used because the member opted out

  Scenario: A Global Privacy Control signal stops sharing in the United States
    Given a member in the United States
    And the member sends the "Global Privacy Control" signal from 2025-11-10
    When their ad engagement is considered for ad sharing with Microsoft 30 days after the policy takes effect
    Then it is not used because the member opted out

  Scenario Outline: No data of members in Europe is shared
    Given a member in <place>
    When their profile data is considered for ad sharing with Microsoft 30 days after the policy takes effect
    Then it is not used because the purpose is not active in the region

    Examples:
      | place              |
      | Germany            |
      | Switzerland        |
      | the United Kingdom |
