@regression
Feature: Regressions: a delete on one side meets an edit on the other
  The plain cases behind an explore finding (a delete after an unconfirmed write, in
  unconfirmed_write.feature): one side deletes an item the other side has just edited. A delete
  that reaches the other side wins and the edit it throws away is reported lost; a contact deleted
  in Outlook stays in CRM with its edit.

  Background:
    Given a new organization
    And a user "alice" syncing through outlook

  @DELETE-TASK-IN-OUTLOOK
  Scenario: A task deleted in Outlook takes the CRM edit made meanwhile, reported lost
    Given "alice" has a task "Call" in CRM with:
      | description | Ask for the invoice |
    And the sync has run
    When "alice" edits the task "Call" in CRM:
      | description | Ask for the signed invoice |
    And "alice" deletes the task "Call" in Outlook
    And the sync runs
    Then the task "Call" is not in CRM
    And the cycle lost:
      | item | side | field       | old                        | new     |
      | Call | crm  | description | Ask for the signed invoice | (empty) |
    And the sync kept its invariants

  @DELETE-CONTACT-IN-OUTLOOK
  Scenario: A contact deleted in Outlook keeps the CRM edit made meanwhile, and nothing is lost
    Given "alice" has a contact "Ann" in CRM with:
      | jobtitle | Buyer |
    And the sync has run
    When "alice" edits the contact "Ann" in CRM:
      | jobtitle | Head buyer |
    And "alice" deletes the contact "Ann" in Outlook
    And the sync runs
    Then the contact "Ann" in CRM has:
      | jobtitle | Head buyer |
    And nothing was lost
    And the sync kept its invariants

  @DELETE-APPT-IN-CRM
  Scenario: An appointment deleted in CRM takes the Outlook edit made meanwhile, reported lost
    Given "alice" has an appointment "Review" in CRM with:
      | location | Room 4 |
    And the sync has run
    When "alice" edits the appointment "Review" in Outlook:
      | Location | Oslo |
    And "alice" deletes the appointment "Review" in CRM
    And the sync runs
    Then the appointment "Review" is not in Outlook
    And the cycle lost:
      | item   | side    | field    | old  | new     |
      | Review | outlook | Location | Oslo | (empty) |
    And the sync kept its invariants
