Feature: Robustness: deletes, tracking, network faults and the sync invariants
  Not a section of the source page, but what every statement on it takes for granted: whatever
  happens between two cycles, sync never loses a value without saying so, never makes a second
  copy of an item, and once nothing changes any more it writes nothing and both sides agree.
  These scenarios are also the vocabulary `syncsim explore` writes its reproducers in.

  Background:
    Given a new organization
    And a user "alice" syncing through outlook

  Rule: Deleting and untracking

    Scenario: A record deleted in CRM disappears from Outlook
      Given "alice" has a contact "Ann" in CRM
      And the sync has run
      When "alice" deletes the contact "Ann" in CRM
      And the sync runs
      Then the contact "Ann" is not in Outlook
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
