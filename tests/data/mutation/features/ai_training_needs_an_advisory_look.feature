@G-ADVISORY-BASIS @advisory
Feature: AI training has a legal basis

  Scenario: AI training has a stated legal basis
    Then AI training has a legal basis in every region where it is active
