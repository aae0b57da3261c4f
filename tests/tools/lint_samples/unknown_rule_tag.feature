Feature: a tag that names no rule

  @APPT-ATTACH-NEVER
  Scenario: tagged with a rule that does not exist
    Given a new organization

  @JIRA-42 @smoke
  Scenario: tagged with the team's own tags, which pass
    Given a new organization
