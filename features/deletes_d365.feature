Feature: Deletes under Dynamics 365 server-side synchronization
  Microsoft's pages disagree on three deletes. The delete page ("Deleting records that have been
  tracked"), which an organization of the "crm2015" profile follows, takes no account of the
  meeting's organizer or state; Dynamics 365's sync-logic page, which a "d365" organization's
  server-side users follow, does: a meeting deleted in Dynamics leaves Exchange only for its
  organizer and while it is in the future; an Exchange delete reaches Dynamics only for a meeting
  the user organizes that is neither past nor closed; an owner's contact deleted in Exchange is
  deleted in Dynamics.

  Background:
    Given a new organization
    And a user "alice" syncing through server-side
    And a user "bob" syncing through server-side

  @DELETE-APPT-IN-CRM-ORGANIZER
  Scenario: Under d365 a meeting deleted in Dynamics stays in the Exchange of an owner who does not organize it
    Given the organization follows the "d365" profile
    And "alice" has an appointment "Review" in Outlook
    And the appointment "Review" in Outlook is organized by "bob"
    And the sync has run for "alice"
    When "alice" deletes the appointment "Review" in CRM
    And the sync runs for "alice"
    Then the appointment "Review" in Outlook is not tracked

  @DELETE-APPT-IN-CRM-ORGANIZER
  Scenario: Under crm2015 the same meeting leaves its owner's Outlook, as the delete page says
    Given the organization follows the "crm2015" profile
    And "alice" has an appointment "Review" in Outlook
    And the appointment "Review" in Outlook is organized by "bob"
    And the sync has run for "alice"
    When "alice" deletes the appointment "Review" in CRM
    And the sync runs for "alice"
    Then the appointment "Review" is not in Outlook

  @DELETE-APPT-IN-CRM-ORGANIZER
  Scenario: Under d365 a future meeting the user organizes leaves Exchange when deleted in Dynamics
    Given the organization follows the "d365" profile
    And "alice" has an appointment "Planning" in Outlook
    And the sync has run for "alice"
    When "alice" deletes the appointment "Planning" in CRM
    And the sync runs for "alice"
    Then the appointment "Planning" is not in Outlook

  @DELETE-APPT-IN-EXCHANGE-OPEN
  Scenario: Under d365 an Exchange delete of a meeting someone else organizes leaves the Dynamics record
    Given the organization follows the "d365" profile
    And "alice" has an appointment "Review" in CRM
    And the appointment "Review" in CRM is organized by "bob"
    And the sync has run for "alice"
    When "alice" deletes the appointment "Review" in Outlook
    And the sync runs for "alice"
    Then the appointment "Review" is in CRM

  @DELETE-APPT-IN-EXCHANGE-OPEN
  Scenario: Under crm2015 the same Exchange delete deletes the record, as the delete page says
    Given the organization follows the "crm2015" profile
    And "alice" has an appointment "Review" in CRM
    And the appointment "Review" in CRM is organized by "bob"
    And the sync has run for "alice"
    When "alice" deletes the appointment "Review" in Outlook
    And the sync runs for "alice"
    Then the appointment "Review" is not in CRM

  @DELETE-CONTACT-IN-EXCHANGE-OWNER
  Scenario: Under d365 an owner's contact deleted in Exchange is deleted in Dynamics
    Given the organization follows the "d365" profile
    And "alice" has a contact "Ann Lee" in CRM
    And the sync has run for "alice"
    When "alice" deletes the contact "Ann Lee" in Outlook
    And the sync runs for "alice"
    Then the contact "Ann Lee" is not in CRM

  @DELETE-CONTACT-IN-EXCHANGE-OWNER
  Scenario: Under crm2015 the contact stays in CRM, as the delete page says
    Given the organization follows the "crm2015" profile
    And "alice" has a contact "Ann Lee" in CRM
    And the sync has run for "alice"
    When "alice" deletes the contact "Ann Lee" in Outlook
    And the sync runs for "alice"
    Then the contact "Ann Lee" is in CRM
