Feature: one name twice

  Scenario: twice
    Given a new organization

  Scenario: twice
    Given a new organization
