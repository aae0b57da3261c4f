Feature: Tasks assigned in Outlook
  Section "Enable synchronization for tasks that are assigned in Outlook", which applies to CRM for
  Outlook only. Out of the box a task that a user assigns to someone in Outlook does not reach CRM;
  an administrator can switch that on. Even then, recurring tasks do not sync, assigner and
  assignee must belong to the same organization, and a task cannot go to several email addresses.
  Under Dynamics 365 (the "d365" profile), the sync-logic page adds that a task whose actual end
  has passed is completed in Exchange.

  Background:
    Given a new organization
    And a user "alice" syncing through outlook
    And a user "bob" syncing through outlook

  Rule: By default a task assigned in Outlook stays out of CRM

    @TASK-ASSIGNED-OFF @outlook-client
    Scenario: A task alice assigns to bob does not reach CRM
      Given "alice" has a task "Call back" in Outlook
      And "alice" assigns the task "Call back" to "bob"
      When the sync runs
      Then the task "Call back" is not in CRM
      And the cycle records "skipped" for rule TASK-ASSIGNED-OFF

    @TASK-ASSIGNED-OFF @outlook-client
    Scenario: A task alice tracks for herself syncs as usual
      Given "alice" has a task "Pay invoice" in Outlook
      When the sync runs
      Then the task "Pay invoice" is in CRM owned by "alice"
      And the cycle records no "skipped" for rule TASK-ASSIGNED-OFF

  Rule: With the option on, an assigned task reaches CRM owned by the assignee

    @TASK-ASSIGNED-ON @outlook-client
    Scenario: A task alice assigns to bob reaches CRM as bob's task
      Given the administrator sets "sync_assigned_tasks" to "true"
      And "alice" has a task "Call back" in Outlook
      And "alice" assigns the task "Call back" to "bob"
      When the sync runs
      Then the task "Call back" is in CRM owned by "bob"
      And the cycle records "synced" for rule TASK-ASSIGNED-ON

    @TASK-ASSIGNED-ON @outlook-client
    Scenario: With the option off the same task stays out of CRM
      Given the administrator sets "sync_assigned_tasks" to "false"
      And "alice" has a task "Call back" in Outlook
      And "alice" assigns the task "Call back" to "bob"
      When the sync runs
      Then the task "Call back" is not in CRM

  Rule: Recurring tasks do not sync

    @TASK-RECURRING @outlook-client
    Scenario Outline: A recurring task stays out of CRM (assignment option <option>)
      Given the administrator sets "sync_assigned_tasks" to "<option>"
      And "alice" has a task "Weekly report" in Outlook with:
        | IsRecurring | true |
      When the sync runs
      Then the task "Weekly report" is not in CRM
      And the cycle records "skipped" for rule TASK-RECURRING

      Examples:
        | option |
        | true   |
        | false  |

    @TASK-RECURRING @outlook-client
    Scenario: The same task without recurrence syncs
      Given "alice" has a task "Quarterly report" in Outlook with:
        | IsRecurring | false |
      When the sync runs
      Then the task "Quarterly report" is in CRM owned by "alice"

  Rule: Assigner and assignee must be in the same organization

    @TASK-SAME-ORG @outlook-client
    Scenario: A task assigned to a user of another organization stays out of CRM
      Given a user "eve" syncing through outlook in the organization "Fabrikam"
      And the administrator sets "sync_assigned_tasks" to "true"
      And "alice" has a task "Call back" in Outlook
      And "alice" assigns the task "Call back" to "eve"
      When the sync runs
      Then the task "Call back" is not in CRM
      And the task "Call back" is not in the CRM of "Fabrikam"
      And the cycle records "skipped" for rule TASK-SAME-ORG for "alice"

    @TASK-SAME-ORG @outlook-client
    Scenario: A task assigned to a colleague of the same organization syncs
      Given the administrator sets "sync_assigned_tasks" to "true"
      And "alice" has a task "Call back" in Outlook
      And "alice" assigns the task "Call back" to "bob"
      When the sync runs
      Then the task "Call back" is in CRM owned by "bob"
      And the cycle records no "skipped" for rule TASK-SAME-ORG

  Rule: A task cannot be synchronized to several email addresses

    @TASK-ONE-ADDRESS @TASK-SAME-ORG @outlook-client
    Scenario: Every rule that keeps a task out says so
      Given a user "eve" syncing through outlook in the organization "Fabrikam"
      And the administrator sets "sync_assigned_tasks" to "true"
      And "alice" has a task "Call back" in Outlook
      And "alice" assigns the task "Call back" to "bob" and "eve"
      When the sync runs
      Then the task "Call back" is not in CRM
      And 1 "skipped" events for rule TASK-ONE-ADDRESS were recorded for "alice"
      And 1 "skipped" events for rule TASK-SAME-ORG were recorded for "alice"

    @TASK-ONE-ADDRESS @outlook-client
    Scenario: A task assigned to two addresses stays out of CRM
      Given a user "carol" syncing through outlook
      And the administrator sets "sync_assigned_tasks" to "true"
      And "alice" has a task "Call back" in Outlook
      And "alice" assigns the task "Call back" to "bob" and "carol"
      When the sync runs
      Then the task "Call back" is not in CRM
      And the cycle records "skipped" for rule TASK-ONE-ADDRESS

    @TASK-ONE-ADDRESS @outlook-client
    Scenario: A task assigned to one address syncs
      Given the administrator sets "sync_assigned_tasks" to "true"
      And "alice" has a task "Call back" in Outlook
      And "alice" assigns the task "Call back" to "bob"
      When the sync runs
      Then the task "Call back" is in CRM owned by "bob"
      And the cycle records no "skipped" for rule TASK-ONE-ADDRESS

  Rule: The assigned-task option is for CRM for Outlook only

    @TASK-OUTLOOK-ONLY @server-side
    Scenario Outline: For a server-side user the option changes nothing (option <option>)
      Given a user "sam" syncing through server-side
      And the administrator sets "sync_assigned_tasks" to "<option>"
      And "sam" has a task "Call back" in Outlook
      And "sam" assigns the task "Call back" to "bob"
      When the sync runs
      Then the task "Call back" is not in CRM
      And the cycle records "skipped" for rule TASK-OUTLOOK-ONLY

      Examples:
        | option |
        | true   |
        | false  |

    @TASK-OUTLOOK-ONLY @server-side
    Scenario: A task a server-side user keeps for themself syncs as usual
      Given a user "sam" syncing through server-side
      And "sam" has a task "Pay invoice" in Outlook
      When the sync runs
      Then the task "Pay invoice" is in CRM owned by "sam"

  Rule: Sending an assigned task passes the CRM task to the assignee

    @TASK-OWNER-ON-SEND @outlook-client
    Scenario: A task tracked before it was assigned passes to the assignee when sent
      Given the administrator sets "sync_assigned_tasks" to "true"
      And "alice" has a task "Call back" in Outlook
      And the sync has run
      When "alice" assigns the task "Call back" to "bob"
      And the sync runs
      Then the task "Call back" is in CRM owned by "bob"
      And the cycle records "synced" for rule TASK-OWNER-ON-SEND
      And the task "Call back" in the Outlook of "bob" is tracked
      And the task "Call back" in the Outlook of "alice" has:
        | Subject | Call back |
      And the sync kept its invariants

    # found by syncsim explore (seed 99, 5000 sequences of 100): a task tracked again resumed its
    # link as a plain update, so the send was never seen and no later cycle looked again
    @TASK-OWNER-ON-SEND @outlook-client
    Scenario: A task untracked, tracked again and sent passes to the assignee
      Given the administrator sets "sync_assigned_tasks" to "true"
      And "alice" has a task "Call back" in CRM
      And the sync has run
      When "alice" stops tracking the task "Call back" in Outlook
      And the sync runs
      And "alice" tracks the task "Call back" in Outlook
      And "alice" assigns the task "Call back" to "bob"
      And the sync runs
      Then the task "Call back" is in CRM owned by "bob"
      And the cycle records "synced" for rule TASK-OWNER-ON-SEND
      And the sync kept its invariants

    @TASK-OWNER-ON-SEND @outlook-client
    Scenario: With assigned-task sync off, a tracked task sent to someone keeps its owner
      Given "alice" has a task "Call back" in Outlook
      And the sync has run
      When "alice" assigns the task "Call back" to "bob"
      And the sync runs
      Then the task "Call back" is in CRM owned by "alice"
      And the cycle records "skipped" for rule TASK-ASSIGNED-OFF

  Rule: A received task its assignee passes on is untracked and deleted from CRM

    @TASK-REASSIGN-UNTRACKS @outlook-client
    Scenario: Bob passes the task Alice assigned him on to Carol
      Given a user "carol" syncing through outlook
      And the administrator sets "sync_assigned_tasks" to "true"
      And "alice" has a task "Call back" in Outlook
      And "alice" assigns the task "Call back" to "bob"
      And the sync has run
      When "bob" passes the task "Call back" on to "carol"
      And the sync runs
      Then the task "Call back" is not in CRM
      And the cycle records "synced" for rule TASK-REASSIGN-UNTRACKS
      And the sync kept its invariants

    @TASK-REASSIGN-UNTRACKS @outlook-client
    Scenario: A received task its assignee keeps stays in CRM, owned by the assignee
      Given the administrator sets "sync_assigned_tasks" to "true"
      And "alice" has a task "Call back" in Outlook
      And "alice" assigns the task "Call back" to "bob"
      And the sync has run
      When the sync runs
      Then the task "Call back" is in CRM owned by "bob"
      And the cycle records no "synced" for rule TASK-REASSIGN-UNTRACKS

  Rule: A declined task returns to the person who assigned it

    @TASK-DECLINE-RETURNS @outlook-client
    Scenario: Bob declines the task and it returns to Alice
      Given the administrator sets "sync_assigned_tasks" to "true"
      And "alice" has a task "Call back" in Outlook
      And "alice" assigns the task "Call back" to "bob"
      And the sync has run
      When "bob" declines the task "Call back"
      And the sync runs
      Then the task "Call back" is in CRM owned by "alice"
      And the cycle records "synced" for rule TASK-DECLINE-RETURNS
      And the sync kept its invariants

    @TASK-DECLINE-RETURNS @outlook-client
    Scenario: A task its assignee does not decline stays with the assignee
      Given the administrator sets "sync_assigned_tasks" to "true"
      And "alice" has a task "Call back" in Outlook
      And "alice" assigns the task "Call back" to "bob"
      And the sync has run
      When the sync runs
      Then the task "Call back" is in CRM owned by "bob"
      And the cycle records no "synced" for rule TASK-DECLINE-RETURNS

  Rule: Under d365 a task whose actual end has passed is completed in Exchange

    @TASK-ACTUALEND-COMPLETES @server-side
    Scenario: Under d365 a task whose actual end has passed reaches Exchange completed
      Given the organization follows the "d365" profile
      And a user "sam" syncing through server-side
      And "sam" has a task "Report" in CRM with:
        | actualend | 2026-01-03T09:00:00+00:00 |
      When the sync runs
      Then the task "Report" in Outlook has:
        | Complete | true |

    @TASK-ACTUALEND-COMPLETES @server-side
    Scenario: Under d365 a synced task is completed in Exchange once its actual end is set in the past
      Given the organization follows the "d365" profile
      And a user "sam" syncing through server-side
      And "sam" has a task "Report" in CRM
      And the sync has run
      When "sam" edits the task "Report" in CRM:
        | actualend | 2026-01-04T09:00:00+00:00 |
      And the sync runs
      Then the cycle records "synced" for rule TASK-ACTUALEND-COMPLETES
      And the task "Report" in Outlook has:
        | Complete | true |

    @TASK-ACTUALEND-COMPLETES @server-side
    Scenario: Under crm2015 the same task reaches Outlook with its complete date only
      Given the organization follows the "crm2015" profile
      And a user "sam" syncing through server-side
      And "sam" has a task "Report" in CRM with:
        | actualend | 2026-01-03T09:00:00+00:00 |
      When the sync runs
      Then the task "Report" in Outlook has:
        | Complete | (empty) |
