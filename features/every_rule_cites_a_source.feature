@G-SOURCED @blocking
Feature: Every rule of the policy cites a public source
  Each statement of a snapshot can be traced to a public source that a reader can check.

  Scenario: Every rule cites a source
    Then every rule cites a source
