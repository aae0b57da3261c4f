Feature: When sync runs
  CRM for Outlook synchronizes in the background every 15 minutes, and a user may choose a longer
  interval but not a shorter one (Personal Options). Server-side synchronization comes back to a
  mailbox 5 to 12 minutes after its last cycle, syncs a newly tracked item at once, and retries a
  failing mailbox up to 10 times before it disables it (MicrosoftDocs/power-platform,
  server-side-synchronization.md and troubleshooting-monitoring-server-side-synchronization.md).
  Here time passes with sync running, each mailbox syncing when its channel makes it due.

  Background:
    Given a new organization

  Rule: CRM for Outlook syncs every 15 minutes, or a longer interval the user chooses

    @TIMING-OUTLOOK-INTERVAL @outlook-client
    Scenario: Four cycles in an hour by default, two with a 30-minute interval
      Given a user "alice" syncing through outlook
      And a user "olav" syncing through outlook
      And "olav" sets the sync interval to 30 minutes
      When 59 minutes pass with sync running
      Then the mailbox of "alice" synced 4 times
      And the mailbox of "olav" synced 2 times

    @TIMING-OUTLOOK-INTERVAL @outlook-client
    Scenario: An interval under 15 minutes is refused
      Given a user "alice" syncing through outlook
      When "alice" tries to set the sync interval to 5 minutes
      Then the change is refused because "15-minute minimum"
      And the sync interval of "alice" is 15 minutes

  Rule: Server-side sync comes back to a mailbox 5 to 12 minutes after its last cycle

    @TIMING-SERVER-SIDE @server-side
    Scenario: A server-side mailbox syncs 5 to 12 times an hour
      Given a user "bob" syncing through server-side
      When 59 minutes pass with sync running
      Then the mailbox of "bob" synced between 5 and 12 times

    @TIMING-SERVER-SIDE @outlook-client
    Scenario: A CRM for Outlook mailbox keeps its 15 minutes meanwhile
      Given a user "alice" syncing through outlook
      And a user "bob" syncing through server-side
      When 59 minutes pass with sync running
      Then the mailbox of "alice" synced 4 times
      And the mailbox of "bob" synced between 5 and 12 times

  Rule: Under server-side sync, tracking an item syncs it at once

    @TIMING-TRACK-NOW @server-side
    Scenario: A contact tracked between cycles reaches CRM within the minute
      Given a user "bob" syncing through server-side
      And "bob" has an untracked contact "Bo" in Outlook
      When 1 minute passes with sync running
      And "bob" tracks the contact "Bo" in Outlook
      And 1 minute passes with sync running
      Then the contact "Bo" is in CRM owned by "bob"

    @TIMING-TRACK-NOW @outlook-client
    Scenario: Under CRM for Outlook the tracked contact waits for the next cycle
      Given a user "alice" syncing through outlook
      And "alice" has an untracked contact "Ann" in Outlook
      When 1 minutes pass with sync running
      And "alice" tracks the contact "Ann" in Outlook
      And 1 minutes pass with sync running
      Then the contact "Ann" is not in CRM

  Rule: A failing server-side mailbox is retried 10 times, then disabled

    @SSS-RETRY-DISABLE @server-side
    Scenario: Two hours without a network disable the mailbox until the administrator enables it
      Given a user "bob" syncing through server-side
      And "bob" has a contact "Bo" in CRM
      And the network is down for 120 minutes
      When 120 minutes pass with sync running
      Then the mailbox of "bob" is disabled
      And the cycle records "warning" for rule SSS-RETRY-DISABLE
      When the administrator enables the mailbox of "bob"
      And 10 minutes pass with sync running
      Then the mailbox of "bob" is enabled
      And the contact "Bo" is in Outlook

    @SSS-RETRY-DISABLE @server-side
    Scenario: A short outage is ridden out by the retries
      Given a user "bob" syncing through server-side
      And "bob" has a contact "Bo" in CRM
      And the network is down for 20 minutes
      When 60 minutes pass with sync running
      Then the mailbox of "bob" is enabled
      And the contact "Bo" is in Outlook

  Rule: Under d365 a server-side mailbox's next cycle is counted from the end of its last one

    @TIMING-SSS-AFTER-CYCLE @server-side
    Scenario: Under d365 a long cycle delays the next one by its own length
      Given the organization follows the "d365" profile
      And the administrator sets "sync_appointment_attachments" to "true"
      And a user "bob" syncing through server-side over a 16 kbps link
      And "bob" has an appointment "Plans" in CRM
      And "bob" attaches "plans.pdf" of 4096 KB to the appointment "Plans" in CRM
      When 59 minutes pass with sync running
      Then each cycle of "bob" started at least 5 minutes after the one before ended

    @TIMING-SSS-AFTER-CYCLE @server-side
    Scenario: Under crm2015 the same long cycle is counted from its start
      Given the organization follows the "crm2015" profile
      And the administrator sets "sync_appointment_attachments" to "true"
      And a user "bob" syncing through server-side over a 16 kbps link
      And "bob" has an appointment "Plans" in CRM
      And "bob" attaches "plans.pdf" of 4096 KB to the appointment "Plans" in CRM
      When 59 minutes pass with sync running
      Then a cycle of "bob" started as soon as the one before ended
