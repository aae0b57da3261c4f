Feature: an Outline whose Examples have no rows

  Scenario Outline: nothing to run
    Given a new organization
    And a user "<name>" syncing through outlook

    Examples:
      | name |
