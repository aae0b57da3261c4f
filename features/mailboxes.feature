Feature: Mailboxes: what server-side sync needs before it syncs appointments, contacts and tasks
  Under Dynamics 365, server-side sync syncs a user's appointments, contacts and tasks only once an
  administrator has approved the mailbox's email address and Test & Enable has succeeded, with
  server-side sync chosen for appointments, contacts and tasks. Until then each cycle syncs nothing
  and says why. Test & Enable writes its incoming, outgoing and appointments-contacts-tasks results
  apart and tells the mailbox's owner on its alert wall. A queue's mailbox never syncs them.

  Background:
    Given a new organization

  Rule: Under d365 a mailbox syncs only once it is approved, tested and enabled

    @MAILBOX-ACT-READY
    Scenario: Under d365 a new mailbox syncs nothing until it is approved, tested and enabled
      Given the organization follows the "d365" profile
      And a user "bob" syncing through server-side whose mailbox is new
      And "bob" has a contact "Bo" in CRM
      And "bob" has an appointment "Kickoff" in Outlook
      When the sync runs
      Then the contact "Bo" is not in Outlook
      And the appointment "Kickoff" is not in CRM
      And the cycle records "warning" for rule MAILBOX-ACT-READY for "bob"
      And the mailbox of "bob" shows "Email Address Status" as "Pending Approval"

    @MAILBOX-ACT-READY
    Scenario: Under d365 Test & Enable before approval fails and alerts the owner
      Given the organization follows the "d365" profile
      And a user "bob" syncing through server-side whose mailbox is new
      And "bob" has a contact "Bo" in CRM
      When the administrator tests and enables the mailbox of "bob"
      And the sync runs
      Then the mailbox of "bob" shows "Appointments, Contacts, and Tasks Status" as "Failure"
      And the mailbox of "bob" shows "Incoming Email Status" as "Failure"
      And the mailbox of "bob" shows "Outgoing Email Status" as "Failure"
      And the mailbox of "bob" has an alert "is Pending Approval, not Approved"
      And the contact "Bo" is not in Outlook

    @MAILBOX-ACT-READY
    Scenario: Under d365 an approved, tested and enabled mailbox syncs what waited
      Given the organization follows the "d365" profile
      And a user "bob" syncing through server-side whose mailbox is new
      And "bob" has a contact "Bo" in CRM
      And "bob" has an appointment "Kickoff" in Outlook
      And the sync has run
      When the administrator approves the mailbox of "bob"
      And the administrator tests and enables the mailbox of "bob"
      And the sync runs
      Then the contact "Bo" is in Outlook
      And the appointment "Kickoff" is in CRM
      And the cycle records no "warning" for rule MAILBOX-ACT-READY
      And the mailbox of "bob" shows "Appointments, Contacts, and Tasks Status" as "Success"
      And the mailbox of "bob" has an alert "Test & Enable succeeded"

    @MAILBOX-ACT-READY
    Scenario: Under d365 a mailbox whose appointments, contacts and tasks go by None syncs nothing
      Given the organization follows the "d365" profile
      And a user "bob" syncing through server-side
      And "bob" has a contact "Bo" in CRM
      When the administrator sets "Appointments, Contacts, and Tasks" of the mailbox of "bob" to "None"
      And the sync runs
      Then the contact "Bo" is not in Outlook
      And the cycle records "warning" for rule MAILBOX-ACT-READY for "bob"
      And the mailbox of "bob" shows "Appointments, Contacts, and Tasks Status" as "Not Run"

    @MAILBOX-ACT-READY
    Scenario: Under crm2015 a new mailbox syncs from its first cycle, as syncsim's CRM 2015 pages say nothing of approval
      Given the organization follows the "crm2015" profile
      And a user "bob" syncing through server-side whose mailbox is new
      And "bob" has a contact "Bo" in CRM
      When the sync runs
      Then the contact "Bo" is in Outlook
      And the cycle records no "warning" for rule MAILBOX-ACT-READY

    @MAILBOX-ACT-READY
    Scenario: Only an administrator approves a mailbox
      Given a user "bob" syncing through server-side whose mailbox is new
      When "bob" tries to approve the mailbox of "bob"
      Then the change is refused because "only an administrator manages mailboxes"
      And the mailbox of "bob" shows "Email Address Status" as "Pending Approval"

  Rule: A queue's mailbox never syncs appointments, contacts or tasks

    @MAILBOX-QUEUE-NO-ACT
    Scenario: An appointment tracked in a queue's mailbox does not reach CRM
      Given a queue "support" with a mailbox
      And "support" has an appointment "Escalation" in Outlook
      When the sync runs
      Then the appointment "Escalation" is not in CRM
      And the cycle records "warning" for rule MAILBOX-QUEUE-NO-ACT for "support"

    @MAILBOX-QUEUE-NO-ACT
    Scenario: A user's mailbox beside the queue's syncs as usual
      Given a queue "support" with a mailbox
      And a user "bob" syncing through server-side
      And "bob" has an appointment "Escalation" in Outlook
      When the sync runs
      Then the appointment "Escalation" is in CRM
      And 0 "warning" events for rule MAILBOX-QUEUE-NO-ACT were recorded for "bob"

    @MAILBOX-QUEUE-NO-ACT
    Scenario: A queue's mailbox cannot be set to sync appointments, contacts and tasks
      Given a queue "support" with a mailbox
      When the administrator tries to set "Appointments, Contacts, and Tasks" of the mailbox of "support" to "Server-Side Synchronization"
      Then the change is refused because "a queue's mailbox cannot sync appointments, contacts and tasks"
      And the mailbox of "support" shows "Appointments, Contacts, and Tasks" as "None"
