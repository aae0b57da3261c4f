Feature: a tag that names no rule

  @APPT-ATTACH-NEVER
  Scenario: tagged with a rule that does not exist
    Given a new organization
