Feature: a step with a typo

  Scenario: the sync is misspelt
    Given a new organization
    When the sync run
