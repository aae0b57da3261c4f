Feature: Robustness: deletes, tracking, network faults and the sync invariants
  Not a section of the source page, but what every statement on it takes for granted: whatever
  happens between two cycles, sync never loses a value without saying so, never makes a second
  copy of an item, and once nothing changes any more it writes nothing and both sides agree.
  These scenarios are also the vocabulary `syncsim explore` writes its reproducers in.

  Background:
    Given a new organization
    And a user "alice" syncing through outlook

  Rule: Deleting and untracking

    Scenario: A task deleted in CRM disappears from Outlook
      Given "alice" has a task "Call back" in CRM
      And the sync has run
      When "alice" deletes the task "Call back" in CRM
      And the sync runs
      Then the task "Call back" is not in Outlook
      And the sync kept its invariants

    Scenario: An item deleted or untracked in Outlook stays in CRM
      Given "alice" has a contact "Ann" in Outlook
      And "alice" has a task "Call back" in Outlook
      And the sync has run
      When "alice" deletes the contact "Ann" in Outlook
      And "alice" stops tracking the task "Call back" in Outlook
      And the sync runs
      Then the contact "Ann" is in CRM owned by "alice"
      And the task "Call back" is in CRM owned by "alice"
      And the sync kept its invariants

    Scenario: An item tracked again finds its CRM record instead of making a second one
      Given "alice" has a task "Call back" in Outlook
      And the sync has run
      When "alice" stops tracking the task "Call back" in Outlook
      And the sync runs
      And "alice" tracks the task "Call back" in Outlook
      And the sync runs
      Then the sync kept its invariants
      And sync settles with both sides in agreement

  Rule: A delete takes the other side's unsynced edits with it only as reported losses

    Scenario: A contact deleted in CRM whose owner's Outlook copy holds edits stays there, untracked
      Given "alice" has a contact "Ann" in CRM
      And the sync has run
      When "alice" edits the contact "Ann" in Outlook:
        | JobTitle | Pilot |
      And "alice" deletes the contact "Ann" in CRM
      And the sync runs
      Then the contact "Ann" in Outlook has:
        | JobTitle | Pilot |
      And the contact "Ann" in Outlook is not tracked
      And nothing was lost
      And the sync kept its invariants
      And sync settles with both sides in agreement

    Scenario: An appointment deleted in CRM takes its Outlook copy's edit with it, reported
      Given "alice" has an appointment "Review" in CRM
      And the sync has run
      When "alice" edits the appointment "Review" in Outlook:
        | Location | Room 4 |
      And "alice" deletes the appointment "Review" in CRM
      And the sync runs
      Then the appointment "Review" is not in Outlook
      And the cycle lost:
        | item   | side    | field    | old    | new     |
        | Review | outlook | Location | Room 4 | (empty) |
      And the sync kept its invariants

    Scenario: An item deleted in Outlook whose CRM record holds edits leaves the record as edited
      Given "alice" has a contact "Ann" in Outlook
      And the sync has run
      When "alice" edits the contact "Ann" in CRM:
        | jobtitle | Pilot |
      And "alice" deletes the contact "Ann" in Outlook
      And the sync runs
      Then the contact "Ann" in CRM has:
        | jobtitle | Pilot |
      And nothing was lost
      And the sync kept its invariants

  Rule: An item tracked again resumes from what both sides last agreed on

    Scenario: Edits made on both sides while an item was untracked meet as a conflict
      Given "alice" has a contact "Ann" in CRM
      And the sync has run
      When "alice" stops tracking the contact "Ann" in Outlook
      And the sync runs
      And "alice" edits the contact "Ann" in CRM:
        | jobtitle | Pilot |
      And 5 minutes pass
      And "alice" edits the contact "Ann" in Outlook:
        | JobTitle | Captain |
      And "alice" tracks the contact "Ann" in Outlook
      And the sync runs
      Then the cycle records "conflict"
      And the cycle lost:
        | item | side | field    | old   | new     |
        | Ann  | crm  | jobtitle | Pilot | Captain |
      And the sync kept its invariants
      And sync settles with both sides in agreement

    Scenario: Same-named files on both sides of a re-tracked appointment stay apart with attachment sync off
      Given "alice" has an appointment "Review" in CRM
      And the sync has run
      When "alice" stops tracking the appointment "Review" in Outlook
      And the sync runs
      And "alice" attaches "agenda.pdf" of 1 KB to the appointment "Review" in CRM
      And "alice" attaches "agenda.pdf" of 2 KB to the appointment "Review" in Outlook
      And "alice" tracks the appointment "Review" in Outlook
      And the sync runs
      Then the sync kept its invariants
      And sync settles with both sides in agreement

  Rule: An attachment clash goes to the side changed last, and the losing bytes are always reported

    Scenario: The losing bytes are reported even when the response to the winning write is lost
      Given the administrator sets "sync_appointment_attachments" to "true"
      And "alice" has an appointment "Review" in CRM
      And the sync has run
      When "alice" attaches "agenda.pdf" of 1 KB to the appointment "Review" in CRM
      And 5 minutes pass
      And "alice" attaches "agenda.pdf" of 2 KB to the appointment "Review" in Outlook
      And the network loses the response to write 1 from now
      And the sync runs
      Then the cycle records "conflict"
      And the cycle lost:
        | item   | side | field                   | old        | new        |
        | Review | crm  | Attachments[agenda.pdf] | 1024 bytes | 2048 bytes |
      And the sync kept its invariants
      When the sync runs
      Then the sync kept its invariants
      And sync settles with both sides in agreement
      And the appointment "Review" in CRM has the attachment "agenda.pdf" with the bytes from Outlook

  Rule: A network fault mid-cycle loses nothing and duplicates nothing

    Scenario Outline: The next cycle after a fault at write <n> (<what>) converges
      Given "alice" has a contact "Ann" in CRM
      And "alice" has an appointment "Review" in Outlook
      And "alice" has a task "Call back" in CRM
      And the network <fault> write <n> from now
      When the sync runs
      Then the cycle records "warning"
      And the sync kept its invariants
      When the sync runs
      Then the sync kept its invariants
      And sync settles with both sides in agreement
      And the contact "Ann" is the same on both sides
      And the appointment "Review" is the same on both sides

      Examples:
        | n | fault                        | what              |
        | 1 | fails                        | request lost      |
        | 2 | fails                        | request lost      |
        | 1 | loses the response to        | response lost     |
        | 3 | loses the response to        | response lost     |

    Scenario: One user's writes fail; everyone else's go through
      Given a user "bob" syncing through outlook
      And "alice" has a contact "Ann" in CRM
      And "bob" has a contact "Ben" in CRM
      And the next 2 writes of "bob" fail
      When the sync runs
      Then the contact "Ann" is in Outlook
      And the contact "Ben" is not in Outlook
      And the cycle records "warning"
      And the sync kept its invariants
      When the sync runs 2 times
      Then the contact "Ben" is in Outlook
      And the sync kept its invariants

    Scenario: A batch that fails part way inside one cycle is retried whole by the next
      Given "alice" has a contact "Ann" in CRM
      And "alice" has a contact "Ben" in CRM
      And "alice" has a contact "Cy" in CRM
      And the network fails writes 2 to 3 of the next cycle
      When the sync runs
      Then the cycle records "warning"
      And the sync kept its invariants
      When the sync runs
      Then the cycle records no "warning"
      And the contact "Cy" is in Outlook
      And sync settles with both sides in agreement

  Rule: A throttled write waits out its Retry-After, and the cycle takes that much longer

    Scenario: A write refused with 429 and Retry-After goes through once the time has passed
      Given "alice" has a contact "Ann" in CRM
      And "alice" has a contact "Ben" in CRM
      And the network throttles write 1 from now, retry after 40 seconds
      When the sync runs
      Then the contact "Ann" is in Outlook
      And the contact "Ben" is in Outlook
      And the cycle took more than 40 seconds for "alice"
      And the cycle records no "warning"
      And the sync kept its invariants

    Scenario: A write refused with 429 is not sent again before its Retry-After has passed
      # short enough for a sync program judged over HTTP, which waits in real seconds
      Given "alice" has a contact "Ann" in CRM
      And the network throttles write 1 from now, retry after 1 seconds
      When the sync runs
      Then the contact "Ann" is in Outlook
      And the sync kept its invariants

    Scenario: Without throttling the same cycle takes a second or two
      Given "alice" has a contact "Ann" in CRM
      And "alice" has a contact "Ben" in CRM
      When the sync runs
      Then the cycle took less than 40 seconds for "alice"
