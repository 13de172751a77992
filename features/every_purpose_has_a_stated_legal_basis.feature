@G-LEGAL-BASIS-ALL @advisory
Feature: Every purpose has a stated legal basis wherever it is active
  Advisory: the sources state a legal basis only for some purposes and regions; this shows where a
  reader cannot find one. Generative AI training is asked of every platform; the purposes only LinkedIn's
  policy describes, of LinkedIn only.

  Scenario: Generative AI training has a stated legal basis
    Then generative AI training has a legal basis in every region where it is active

  Scenario Outline: LinkedIn's <purpose> has a stated legal basis
    Given the platform "LinkedIn"
    Then <purpose> has a legal basis in every region where it is active

    Examples:
      | purpose                    |
      | non-generative AI training |
      | ad sharing with Microsoft  |
      | off-platform ad targeting  |
