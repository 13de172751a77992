@G-LEGAL-BASIS-EUROPE @blocking
Feature: Generative AI training has a legal basis in the EEA, Switzerland and the UK
  Where data protection law requires a legal basis for processing, the policy states one.

  Scenario Outline: Generative AI training has a stated legal basis in <place>
    Given a member in <place>
    Then generative AI training has a legal basis in every region where it is active

    Examples:
      | place              |
      | EEA                |
      | Switzerland        |
      | the United Kingdom |
