Feature: an Outline placeholder without its column

  Scenario Outline: channels
    Given a new organization
    And a user "<name>" syncing through <channel>

    Examples:
      | name  |
      | alice |
