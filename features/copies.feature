Feature: Copied items
  A user copies an item linked to a CRM record in Exchange: the copy carries the record's id
  and its tracking. Server-side sync ignores it while the organization setting
  IgnoreCopiedItemsInSSSForMailbox is on (the default), so no duplicate reaches CRM and the
  original keeps its link; with the setting off the copy comes in as a record of its own.

  Background:
    Given a new organization
    And a user "alice" syncing through server-side
    And "alice" has a contact "Ann Lee" in Outlook
    And the sync has run

  @COPY-IGNORED
  Scenario: A copy of a linked contact is ignored and the original still receives CRM's edits
    When "alice" copies the contact "Ann Lee" in Outlook as "Ann Lee (copy)"
    And the sync runs
    Then the cycle records "skipped" for rule COPY-IGNORED
    And the number of contact records in CRM is 1
    When "alice" edits the contact "Ann Lee" in CRM:
      | jobtitle | Buyer |
    And the sync runs
    Then the contact "Ann Lee" in Outlook has:
      | JobTitle | Buyer |
    And nothing was lost

  @COPY-IGNORED
  Scenario: With IgnoreCopiedItemsInSSSForMailbox off the copy comes into CRM as a record of its own
    Given the administrator sets "ignore_copied_items_in_sss_for_mailbox" to "false"
    When "alice" copies the contact "Ann Lee" in Outlook as "Ann Lee (copy)"
    And the sync runs
    Then the cycle records no "skipped" for rule COPY-IGNORED
    And the number of contact records in CRM is 2
    When "alice" edits the contact "Ann Lee" in CRM:
      | jobtitle | Buyer |
    And the sync runs
    Then the contact "Ann Lee" in Outlook has:
      | JobTitle | Buyer |

  @COPY-IGNORED @DELETE-CONTACT-IN-OUTLOOK
  Scenario: A copy whose original was deleted stays the user's when the record changes in CRM
    When "alice" copies the contact "Ann Lee" in Outlook as "Ann Lee (copy)"
    And "alice" deletes the contact "Ann Lee" in Outlook
    And the sync runs
    And "alice" edits the contact "Ann Lee" in CRM:
      | emailaddress1 | ann.lee@contoso.com |
    And the sync runs
    Then the contact "Ann Lee" in CRM has:
      | emailaddress1 | ann.lee@contoso.com |
    And the number of contact records in CRM is 1
    And nothing was lost

  @COPY-IGNORED @DELETE-CONTACT-IN-OUTLOOK
  Scenario: A copy of an ignored copy is ignored too, once the original is gone
    When "alice" copies the contact "Ann Lee" in Outlook as "Ann Lee (copy)"
    And "alice" deletes the contact "Ann Lee" in Outlook
    And the sync runs
    And "alice" copies the contact "Ann Lee (copy)" in Outlook as "Ann Lee (copy 2)"
    And "alice" edits the contact "Ann Lee (copy 2)" in Outlook:
      | JobTitle | Buyer |
    And the sync runs
    Then the cycle records "skipped" for rule COPY-IGNORED
    And the number of contact records in CRM is 1
    And nothing was lost
