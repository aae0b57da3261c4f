Feature: a scenario meant to stand outside the Rule

  Rule: attachments

    @APPT-ATTACH-OFF
    Scenario: inside the rule
      Given a new organization

  Scenario: meant to stand alone
    Given a new organization
