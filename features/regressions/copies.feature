@regression
Feature: Regression: a copy of an item whose record is gone is told from its original
  Found by `syncsim explore --seed 2026 --max-examples 2000 --steps 50` once explore could change
  a mailbox (which moved the draw): a contact deleted in CRM stays in its owner's Outlook,
  untracked, with the deleted record's id. Tracked again and copied, both items carried that id
  and neither had a link: the engine made the record again from the original and then linked the
  copy to it, so the original's next edit never reached CRM; a copy of an untracked item, tracked
  later, was taken for the record's item and wrote its stale values over CRM's. Now the later of
  two items stamped with one id, neither linked, is the copy: a record of its own for a CRM for
  Outlook user.

  Background:
    Given a new organization
    And a user "alice" syncing through outlook
    And "alice" has a contact "Ann Lee" in CRM
    And the sync has run

  @COPY-IGNORED
  Scenario: The original tracked again keeps the record made again, and its copy gets its own
    Given "alice" deletes the contact "Ann Lee" in CRM
    And the sync has run
    When "alice" tracks the contact "Ann Lee" in Outlook
    And "alice" copies the contact "Ann Lee" in Outlook as "Ann Lee (copy)"
    And "alice" edits the contact "Ann Lee" in Outlook:
      | JobTitle | Buyer |
    And the sync runs
    Then the number of contact records in CRM is 2
    And sync settles with both sides in agreement

  @COPY-IGNORED
  Scenario: A copy of an untracked item, tracked later, is a record of its own
    Given "alice" stops tracking the contact "Ann Lee" in Outlook
    And "alice" copies the contact "Ann Lee" in Outlook as "Ann Lee (copy)"
    And "alice" edits the contact "Ann Lee" in CRM:
      | jobtitle | Buyer |
    And the sync has run
    When "alice" tracks the contact "Ann Lee (copy)" in Outlook
    And the sync runs
    Then the contact "Ann Lee" in CRM has:
      | jobtitle | Buyer |
    And the number of contact records in CRM is 2

  @COPY-IGNORED
  Scenario: A copy untracked before any cycle saw it, tracked after its original went, conflicts with CRM's edit
    Given "alice" edits the contact "Ann Lee" in CRM:
      | jobtitle | Buyer |
    And "alice" copies the contact "Ann Lee" in Outlook as "Ann Lee (copy)"
    And "alice" deletes the contact "Ann Lee" in Outlook
    And "alice" stops tracking the contact "Ann Lee (copy)" in Outlook
    And the sync has run
    When "alice" tracks the contact "Ann Lee (copy)" in Outlook
    And the sync runs
    Then the number of contact records in CRM is 1
    And the cycle records "conflict"
    And sync settles with both sides in agreement
