Feature: Deleting and untracking tracked items
  Microsoft's page "Deleting records that have been tracked" (MicrosoftDocs/dynamics-365-customer-
  engagement, ce/outlook-addin/user-guide/delete-records-that-have-been-tracked.md) states what a
  delete on one side does to the other, per kind of item, owner and date, the same for CRM for
  Outlook and server-side synchronization. Where CRM for Outlook asks the user (untracking), the
  user's answer is their own option. A copy that stays after its record is gone is untracked.

  Background:
    Given a new organization

  Rule: An appointment deleted in Outlook is deleted in CRM

    @DELETE-APPT-IN-OUTLOOK
    Scenario Outline: Deleting a tracked appointment in Outlook deletes it in CRM (<channel>)
      Given a user "alice" syncing through <channel>
      And "alice" has an appointment "Review" in CRM
      And the sync has run
      When "alice" deletes the appointment "Review" in Outlook
      And the sync runs
      Then the appointment "Review" is not in CRM
      And the cycle records "synced" for rule DELETE-APPT-IN-OUTLOOK
      And the sync kept its invariants

      @outlook-client
      Examples: CRM for Outlook
        | channel |
        | outlook |

      @server-side
      Examples: server-side synchronization
        | channel     |
        | server-side |

    @DELETE-APPT-IN-OUTLOOK
    Scenario: A CRM edit the delete takes with it is reported lost
      Given a user "alice" syncing through outlook
      And "alice" has an appointment "Review" in CRM
      And the sync has run
      When "alice" edits the appointment "Review" in CRM:
        | location | Room 4 |
      And "alice" deletes the appointment "Review" in Outlook
      And the sync runs
      Then the cycle lost:
        | item   | side | field    | old    | new     |
        | Review | crm  | location | Room 4 | (empty) |
      And the sync kept its invariants

  Rule: An appointment deleted in CRM leaves Outlook only if present or future and the user's own

    @DELETE-APPT-IN-CRM
    Scenario Outline: A future appointment the user owns leaves Outlook when deleted in CRM (<channel>)
      Given a user "alice" syncing through <channel>
      And "alice" has an appointment "Review" in CRM
      And the sync has run
      When "alice" deletes the appointment "Review" in CRM
      And the sync runs
      Then the appointment "Review" is not in Outlook
      And the sync kept its invariants

      @outlook-client
      Examples: CRM for Outlook
        | channel |
        | outlook |

      @server-side
      Examples: server-side synchronization
        | channel     |
        | server-side |

    @DELETE-APPT-IN-CRM
    Scenario: A past appointment deleted in CRM stays in Outlook, untracked
      Given a user "alice" syncing through outlook
      And "alice" has an appointment "Kickoff" in CRM with:
        | scheduledstart | 2025-12-01T09:00:00+00:00 |
        | scheduledend   | 2025-12-01T10:00:00+00:00 |
      And the sync has run
      When "alice" deletes the appointment "Kickoff" in CRM
      And the sync runs
      Then the appointment "Kickoff" in Outlook is not tracked
      And the cycle records "synced" for rule DELETE-APPT-IN-CRM
      And the sync kept its invariants

  Rule: Untracking an appointment deletes it in CRM only on yes, if present or future and owned

    @UNTRACK-APPT @outlook-client
    Scenario: A user who answers yes loses the CRM appointment with the untrack
      Given a user "alice" syncing through outlook
      And "alice" answers "yes" when asked whether to delete untracked items in CRM
      And "alice" has an appointment "Review" in CRM
      And the sync has run
      When "alice" stops tracking the appointment "Review" in Outlook
      And the sync runs
      Then the appointment "Review" is not in CRM
      And the appointment "Review" is in Outlook
      And the sync kept its invariants

    @UNTRACK-APPT @outlook-client
    Scenario: A user who answers no keeps the CRM appointment
      Given a user "alice" syncing through outlook
      And "alice" answers "no" when asked whether to delete untracked items in CRM
      And "alice" has an appointment "Review" in CRM
      And the sync has run
      When "alice" stops tracking the appointment "Review" in Outlook
      And the sync runs
      Then the appointment "Review" is in CRM
      And the cycle records "synced" for rule UNTRACK-APPT

  Rule: A contact deleted in Outlook stays in CRM

    @DELETE-CONTACT-IN-OUTLOOK
    Scenario Outline: Deleting a tracked contact in Outlook leaves the CRM record (<channel>)
      Given a user "alice" syncing through <channel>
      And "alice" has a contact "Ann" in Outlook
      And the sync has run
      When "alice" deletes the contact "Ann" in Outlook
      And the sync runs
      Then the contact "Ann" is in CRM owned by "alice"
      And the cycle records "synced" for rule DELETE-CONTACT-IN-OUTLOOK

      @outlook-client
      Examples: CRM for Outlook
        | channel |
        | outlook |

      @server-side
      Examples: server-side synchronization
        | channel     |
        | server-side |

    @DELETE-CONTACT-IN-OUTLOOK
    Scenario: A task deleted in Outlook, unlike a contact, goes from CRM too
      Given a user "alice" syncing through outlook
      And "alice" has a task "Call" in Outlook
      And the sync has run
      When "alice" deletes the task "Call" in Outlook
      And the sync runs
      Then the task "Call" is not in CRM

  Rule: A contact deleted in CRM stays in its owner's Outlook and leaves everyone else's

    @DELETE-CONTACT-IN-CRM
    Scenario Outline: The owner's copy stays, untracked (<channel>)
      Given a user "alice" syncing through <channel>
      And "alice" has a contact "Ann" in CRM
      And the sync has run
      When "alice" deletes the contact "Ann" in CRM
      And the sync runs
      Then the contact "Ann" in Outlook is not tracked
      And the cycle records "synced" for rule DELETE-CONTACT-IN-CRM
      And the sync kept its invariants

      @outlook-client
      Examples: CRM for Outlook
        | channel |
        | outlook |

      @server-side
      Examples: server-side synchronization
        | channel     |
        | server-side |

    @DELETE-CONTACT-IN-CRM
    Scenario: A copy whose record another user owns leaves Outlook
      Given a user "alice" syncing through outlook
      And a user "bob" syncing through outlook
      And "alice" has a contact "Ann" in Outlook
      And the sync has run
      And the contact "Ann" in CRM is given to "bob"
      And the sync has run
      When "alice" deletes the contact "Ann" in CRM
      And the sync runs
      Then the contact "Ann" is not in the Outlook of "alice"
      And the contact "Ann" in the Outlook of "bob" is not tracked
      And the sync kept its invariants

  Rule: Untracking a contact asks its owner; for anyone else CRM deletes it

    @UNTRACK-CONTACT @outlook-client
    Scenario: The owner who answers no keeps the CRM contact
      Given a user "alice" syncing through outlook
      And "alice" has a contact "Ann" in CRM
      And the sync has run
      When "alice" stops tracking the contact "Ann" in Outlook
      And the sync runs
      Then the contact "Ann" is in CRM
      And the cycle records "synced" for rule UNTRACK-CONTACT

    @UNTRACK-CONTACT @outlook-client
    Scenario: A user who does not own the contact untracks it, and CRM deletes it
      Given a user "alice" syncing through outlook
      And a user "bob" syncing through outlook
      And "alice" has a contact "Ann" in Outlook
      And the sync has run
      And the contact "Ann" in CRM is given to "bob"
      And the sync has run
      When "alice" stops tracking the contact "Ann" in Outlook
      And the sync runs
      Then the contact "Ann" is not in CRM
      And the sync kept its invariants

    @UNTRACK-CONTACT @outlook-client
    Scenario: A colleague untracks their copy of someone else's contact, and CRM deletes it
      Given a user "alice" syncing through outlook
      And a user "bob" syncing through outlook
      And the administrator adds the system filter:
        """
        <fetch><entity name="contact"><filter><condition attribute="address1_city" operator="eq" value="Oslo"/></filter></entity></fetch>
        """
      And "alice" has a contact "Ann" in CRM with:
        | address1_city | Oslo |
      And the sync has run
      And the contact "Ann" is in the Outlook of "bob"
      When "bob" stops tracking their copy of the contact "Ann"
      And the sync runs for "bob"
      Then the contact "Ann" is not in CRM
      And the cycle records "synced" for rule UNTRACK-CONTACT for "bob"

  Rule: A task deleted in Outlook is deleted in CRM

    @DELETE-TASK-IN-OUTLOOK
    Scenario Outline: Deleting a tracked task in Outlook deletes the CRM task (<channel>)
      Given a user "alice" syncing through <channel>
      And "alice" has a task "Call" in CRM
      And the sync has run
      When "alice" deletes the task "Call" in Outlook
      And the sync runs
      Then the task "Call" is not in CRM
      And the sync kept its invariants

      @outlook-client
      Examples: CRM for Outlook
        | channel |
        | outlook |

      @server-side
      Examples: server-side synchronization
        | channel     |
        | server-side |

    @DELETE-TASK-IN-OUTLOOK
    Scenario: A task only untracked in Outlook stays in CRM
      Given a user "alice" syncing through server-side
      And "alice" has a task "Call" in CRM
      And the sync has run
      When "alice" stops tracking the task "Call" in Outlook
      And the sync runs
      Then the task "Call" is in CRM

  Rule: A task deleted in CRM leaves Outlook only while it is current

    @DELETE-TASK-IN-CRM
    Scenario Outline: A current task deleted in CRM leaves Outlook (<channel>)
      Given a user "alice" syncing through <channel>
      And "alice" has a task "Call" in CRM
      And the sync has run
      When "alice" deletes the task "Call" in CRM
      And the sync runs
      Then the task "Call" is not in Outlook

      @outlook-client
      Examples: CRM for Outlook
        | channel |
        | outlook |

      @server-side
      Examples: server-side synchronization
        | channel     |
        | server-side |

    @DELETE-TASK-IN-CRM
    Scenario: A completed task deleted in CRM stays in Outlook, untracked
      Given a user "alice" syncing through outlook
      And "alice" has a task "Call" in CRM with:
        | percentcomplete | 100 |
      And the sync has run
      When "alice" deletes the task "Call" in CRM
      And the sync runs
      Then the task "Call" in Outlook is not tracked
      And the cycle records "synced" for rule DELETE-TASK-IN-CRM

    @DELETE-TASK-IN-CRM
    Scenario Outline: A task marked complete in <side>, then deleted in CRM, stays in Outlook, untracked
      Given a user "alice" syncing through outlook
      And "alice" has a task "Call" in CRM
      And the sync has run
      And "alice" marks the task "Call" complete in <side>
      And the sync has run
      When "alice" deletes the task "Call" in CRM
      And the sync runs
      Then the task "Call" in the Outlook of "alice" is not tracked
      And the task "Call" in Outlook has:
        | PercentComplete | 100 |

      Examples:
        | side    |
        | Outlook |
        | CRM     |

  Rule: Untracking a task deletes it in CRM only on yes

    @UNTRACK-TASK @outlook-client
    Scenario: A user who answers yes loses the CRM task with the untrack
      Given a user "alice" syncing through outlook
      And "alice" answers "yes" when asked whether to delete untracked items in CRM
      And "alice" has a task "Call" in CRM
      And the sync has run
      When "alice" stops tracking the task "Call" in Outlook
      And the sync runs
      Then the task "Call" is not in CRM

    @UNTRACK-TASK @outlook-client
    Scenario: A user who answers no keeps the CRM task
      Given a user "alice" syncing through outlook
      And "alice" has a task "Call" in CRM
      And the sync has run
      When "alice" stops tracking the task "Call" in Outlook
      And the sync runs
      Then the task "Call" is in CRM
      And the cycle records "synced" for rule UNTRACK-TASK
