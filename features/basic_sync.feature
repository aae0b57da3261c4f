Feature: Basic sync between CRM and Outlook
  A contact, an appointment and a task made or changed on either side reach the other side in one
  cycle, whichever channel the user's mailbox syncs through. This is the pattern every rule
  scenario follows: build an organization, make items, run a cycle, check both stores.
  CRM records reach the Outlook of the user who owns them; Outlook items reach CRM when the user
  tracks them.

  Background:
    Given a new organization

  Rule: Items made on one side appear on the other

    Scenario Outline: A <kind> made in CRM appears in Outlook through <channel>
      Given a user "alice" syncing through <channel>
      And "alice" has a <kind> "<label>" in CRM
      When the sync runs
      Then the <kind> "<label>" is in Outlook
      And the <kind> "<label>" is the same on both sides

      @outlook-client
      Examples: CRM for Outlook
        | channel | kind        | label      |
        | outlook | contact     | Ann        |
        | outlook | appointment | Demo       |
        | outlook | task        | Call back  |

      @server-side
      Examples: server-side synchronization
        | channel     | kind        | label      |
        | server-side | contact     | Ann        |
        | server-side | appointment | Demo       |
        | server-side | task        | Call back  |

    Scenario Outline: A tracked <kind> made in Outlook appears in CRM through <channel>
      Given a user "alice" syncing through <channel>
      And "alice" has a <kind> "<label>" in Outlook
      When the sync runs
      Then the <kind> "<label>" is in CRM owned by "alice"
      And the <kind> "<label>" is the same on both sides

      @outlook-client
      Examples: CRM for Outlook
        | channel     | kind        | label     |
        | outlook     | contact     | Ann       |
        | outlook     | appointment | Demo      |
        | outlook     | task        | Call back |

      @server-side
      Examples: server-side synchronization
        | channel     | kind        | label     |
        | server-side | contact     | Ann       |
        | server-side | appointment | Demo      |
        | server-side | task        | Call back |

    Scenario: An Outlook item that is not tracked stays in Outlook
      Given a user "alice" syncing through outlook
      And "alice" has an untracked contact "Ann" in Outlook
      When the sync runs
      Then the contact "Ann" is not in CRM

    Scenario: Items made between cycles, and one user's own sync
      Given a user "alice" syncing through outlook
      And a user "bob" syncing through outlook
      And the sync has run
      When "alice" creates a contact "Ann" in CRM
      And "bob" creates an appointment "Demo" in Outlook with:
        | Location | Room 4 |
      And the sync runs for "bob"
      Then the appointment "Demo" is in CRM owned by "bob"
      And the contact "Ann" is not in Outlook
      When the sync runs for "alice"
      Then the contact "Ann" is in the Outlook of "alice"

  Rule: Edits on either side reach the other side

    Scenario Outline: Edits of a <kind> on both sides converge through <channel>
      Given a user "alice" syncing through <channel>
      And "alice" has a <kind> "<label>" in CRM
      And the sync has run
      When "alice" edits the <kind> "<label>" in CRM:
        | <crm field> | <crm value> |
      And "alice" edits the <kind> "<label>" in Outlook:
        | <outlook field> | <outlook value> |
      And the sync runs
      Then the <kind> "<label>" in CRM has:
        | <crm field>             | <crm value>     |
        | <outlook field in crm>  | <outlook value> |
      And the <kind> "<label>" in Outlook has:
        | <outlook field>         | <outlook value> |
        | <crm field in outlook>  | <crm value>     |
      And nothing was lost

      @outlook-client
      Examples: CRM for Outlook
        | channel     | kind        | label     | crm field | crm value   | outlook field | outlook value  | outlook field in crm | crm field in outlook |
        | outlook     | contact     | Ann       | jobtitle  | Pilot       | Email1Address | ann@example.com | emailaddress1       | JobTitle             |
        | outlook     | appointment | Demo      | location  | Room 4      | Body          | Bring slides   | description          | Location             |
        | outlook     | task        | Call back | subject   | Call Ann    | Body          | About the deal | description          | Subject              |

      @server-side
      Examples: server-side synchronization
        | channel     | kind        | label     | crm field | crm value   | outlook field | outlook value  | outlook field in crm | crm field in outlook |
        | server-side | contact     | Ann       | jobtitle  | Pilot       | Email1Address | ann@example.com | emailaddress1       | JobTitle             |
        | server-side | appointment | Demo      | location  | Room 4      | Body          | Bring slides   | description          | Location             |
        | server-side | task        | Call back | subject   | Call Ann    | Body          | About the deal | description          | Subject              |

    Scenario: A cycle with no edits since the last one writes nothing
      Given a user "alice" syncing through outlook
      And "alice" has a contact "Ann" in CRM
      And "alice" has an appointment "Demo" in Outlook
      And the sync has run
      When the sync runs
      Then the cycle wrote nothing
      And the cycle records no "synced"

    Scenario: When both sides change one field, the side changed last wins and the other value is reported
      Given a user "alice" syncing through outlook
      And "alice" has a contact "Ann" in CRM
      And the sync has run
      When "alice" edits the contact "Ann" in Outlook:
        | JobTitle | Captain |
      And 5 minutes pass
      And "alice" edits the contact "Ann" in CRM:
        | jobtitle | Pilot |
      And the sync runs
      Then the contact "Ann" in Outlook has:
        | JobTitle | Pilot |
      And the cycle records "conflict"
      And the cycle lost:
        | item | side    | field    | old     | new   |
        | Ann  | outlook | JobTitle | Captain | Pilot |
