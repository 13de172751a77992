@G-EEA-CONSENT @advisory
Feature: Generative AI training in the EEA needs the member's consent, not an opt-out
  Advisory: privacy advocates ask that members in the EEA be asked first. The policies use an opt-out,
  so this is expected to fail.

  Scenario: A member in the EEA who did nothing is not used
    Given a member in the EEA
    When their public posts are considered for generative AI training 30 days after the policy takes effect
    Then it is not used because the member did not consent
