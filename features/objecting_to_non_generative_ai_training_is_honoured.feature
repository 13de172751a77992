@G-OBJECTION-FORM @blocking
Feature: Objecting to non-generative AI training is honoured where the policy offers the form
  Members in the EEA, Switzerland and the UK can object to their data training AI models that do not
  generate content (personalisation, security) through the Data Processing Objection Form.

  Scenario: A member who filed the objection form is not used
    Given the platform "LinkedIn"
    And a member
    And the member filed the "Data Processing Objection Form" on the effective date
    When their profile data is considered for non-generative AI training 30 days after the policy takes effect
    Then it is not used because the member opted out
