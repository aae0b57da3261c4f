Feature: Closed meetings under Dynamics 365 server-side synchronization
  Dynamics 365's sync-logic page: once a meeting is Completed or Canceled in Dynamics, changes made
  to it in Exchange no longer reach Dynamics; Dynamics' own changes still reach Exchange. The
  pages an organization of the "crm2015" profile follows say nothing of it: there a closed
  meeting syncs both ways like an open one.

  Background:
    Given a new organization
    And a user "alice" syncing through server-side
    And "alice" has an appointment "Review" in CRM with:
      | location | Room 1 |
    And the sync has run
    And "alice" edits the appointment "Review" in CRM:
      | statecode | 1 |
    And the sync has run

  @APPT-CLOSED-KEEPS-CRM
  Scenario: Under d365 an Exchange edit of a completed meeting does not reach Dynamics
    Given the organization follows the "d365" profile
    When "alice" edits the appointment "Review" in Outlook:
      | Location | Room 4 |
    And the sync runs
    Then the cycle records "skipped" for rule APPT-CLOSED-KEEPS-CRM
    And the appointment "Review" in CRM has:
      | location | Room 1 |

  @APPT-CLOSED-KEEPS-CRM
  Scenario: Under d365 Dynamics' change to a completed meeting still reaches Exchange
    Given the organization follows the "d365" profile
    When "alice" edits the appointment "Review" in CRM:
      | location | Room 5 |
    And the sync runs
    Then the appointment "Review" in Outlook has:
      | Location | Room 5 |

  @APPT-CLOSED-KEEPS-CRM
  Scenario: Under crm2015 an Exchange edit of a completed meeting reaches Dynamics
    Given the organization follows the "crm2015" profile
    When "alice" edits the appointment "Review" in Outlook:
      | Location | Room 4 |
    And the sync runs
    Then the appointment "Review" in CRM has:
      | location | Room 4 |
