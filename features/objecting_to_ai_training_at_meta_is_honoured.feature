@G-META-OBJECTION @blocking
Feature: Objecting to AI training at Meta is honoured
  A member in the EU/EEA, Switzerland, the UK or Brazil who files Meta's objection form is left out of AI
  training from then on.

  Scenario Outline: A member in <place> who filed the objection form is not used
    Given the platform "Meta"
    And a member in <place>
    And the member filed the "Object to your information being used for AI at Meta" on the effective date
    When their public posts are considered for generative AI training 30 days after the policy takes effect
    Then it is not used because the member opted out

    Examples:
      | place              |
      | the European Union |
      | Switzerland        |
      | the United Kingdom |
      | Brazil             |
