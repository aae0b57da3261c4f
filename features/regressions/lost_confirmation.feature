@regression
Feature: Regression: a create whose confirmation was lost, then an edit, is adopted without loss
  Found by `syncsim explore --seed 1` and `--seed 2` (3000 sequences of 100 operations) after the
  engine was rebuilt: the copy a create made before its response was lost was adopted with CRM's
  current values as the agreed ones, so a CRM edit made in between read as "Outlook changed" and
  was overwritten without a word. The engine now notes what a create writes before sending it.

  Background:
    Given a new organization
    And a user "alice" syncing through outlook

  Scenario: A contact made in Outlook by a create whose response was lost keeps a later CRM edit
    Given the network loses the response to write 1 from now
    And "alice" has a contact "Ann" in CRM
    When the sync runs
    Then the sync kept its invariants
    When "alice" edits the contact "Ann" in CRM:
      | jobtitle | Oslo |
    And the sync runs
    Then the contact "Ann" in Outlook has:
      | JobTitle | Oslo |
    And the sync kept its invariants
    And sync settles with both sides in agreement

  Scenario: A record made in CRM by a create whose response was lost keeps a later CRM edit
    Given "alice" has a recurring appointment "Weekly" in Outlook
    And the network loses the response to write 2 from now
    When the sync runs
    Then the sync kept its invariants
    When "alice" edits the recurring appointment "Weekly" in CRM:
      | location | Oslo |
    And the sync runs
    Then the recurring appointment "Weekly" in Outlook has:
      | Location | Oslo |
    And the sync kept its invariants
    And sync settles with both sides in agreement
