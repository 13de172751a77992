@G-LEGAL-BASIS-ALL @advisory
Feature: Every purpose has a stated legal basis wherever it is active
  Advisory: the sources state a legal basis only for some purposes and regions; this shows where a
  reader cannot find one.

  Scenario Outline: <purpose> has a stated legal basis
    Then <purpose> has a legal basis in every region where it is active

    Examples:
      | purpose                    |
      | generative AI training     |
      | non-generative AI training |
      | ad sharing with Microsoft  |
      | off-platform ad targeting  |
