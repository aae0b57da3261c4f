"""Steps that make, edit and check contacts, appointments and tasks on either side."""

from __future__ import annotations

from pytest_bdd import given, then, when

from ..harness.tools.scenario import Scenario, described, differences, expect, fields_of
from .common import step

HAS = '"{user}" has a {kind:Kind} "{label}" in {side:Side}'
HAS_AN = '"{user}" has an {kind:Kind} "{label}" in {side:Side}'


@given(step(HAS))
@given(step(HAS_AN))
def has_item(sim: Scenario, user: str, kind: str, label: str, side: str) -> None:
    """A Faker-made item owned by the user in CRM, or tracked in the user's Outlook, known by its label."""
    sim.create(sim.world.user(user), kind, label, side)


@given(step(HAS + " with:"))
@given(step(HAS_AN + " with:"))
def has_item_with(
    sim: Scenario, user: str, kind: str, label: str, side: str, datatable: list[list[str]]
) -> None:
    """The same, with these fields (CRM logical names or Outlook property names): | field | value | rows."""
    sim.create(sim.world.user(user), kind, label, side, fields_of(datatable))


CREATES = '"{user}" creates a {kind:Kind} "{label}" in {side:Side}'
CREATES_AN = '"{user}" creates an {kind:Kind} "{label}" in {side:Side}'


@given(step(CREATES))
@when(step(CREATES))
@given(step(CREATES_AN))
@when(step(CREATES_AN))
def creates(sim: Scenario, user: str, kind: str, label: str, side: str) -> None:
    """The user makes a new item on one side, between cycles too (as "has a" does before them)."""
    has_item(sim, user, kind, label, side)


@given(step(CREATES + " with:"))
@when(step(CREATES + " with:"))
@given(step(CREATES_AN + " with:"))
@when(step(CREATES_AN + " with:"))
def creates_with(
    sim: Scenario, user: str, kind: str, label: str, side: str, datatable: list[list[str]]
) -> None:
    """The same, with these fields: | field | value | rows."""
    has_item_with(sim, user, kind, label, side, datatable)


@given(step('"{user}" has an untracked {kind:Kind} "{label}" in Outlook'))
def has_untracked(sim: Scenario, user: str, kind: str, label: str) -> None:
    """An Outlook item the user does not track in CRM."""
    sim.create(sim.world.user(user), kind, label, "Outlook", track=False)


@given(step('"{user}" edits the {kind:Kind} "{label}" in {side:Side}:'))
@when(step('"{user}" edits the {kind:Kind} "{label}" in {side:Side}:'))
def edits(sim: Scenario, user: str, kind: str, label: str, side: str, datatable: list[list[str]]) -> None:
    """Change fields of a labelled item on one side: | field | value | rows; (empty) clears a field."""
    sim.named(label, kind, user)
    sim.edit(label, side, fields_of(datatable))


@then(step('the {kind:Kind} "{label}" is in {side:Side}'))
def is_in(sim: Scenario, kind: str, label: str, side: str) -> None:
    """The labelled item exists on that side."""
    sim.named(label, kind)
    found = sim.in_crm(label) if side == "CRM" else sim.in_outlook(label)
    expect(found is not None, f"the {kind} {label!r} in {side}", "not there", sim)


@then(step('the {kind:Kind} "{label}" is not in {side:Side}'))
def is_not_in(sim: Scenario, kind: str, label: str, side: str) -> None:
    """The labelled item does not exist on that side."""
    sim.named(label, kind)
    found = sim.in_crm(label) if side == "CRM" else sim.in_outlook(label)
    expect(found is None, f"no {kind} {label!r} in {side}", found, sim)


@then(step('the {kind:Kind} "{label}" is in CRM owned by "{owner}"'))
def is_in_crm_owned_by(sim: Scenario, kind: str, label: str, owner: str) -> None:
    """The labelled item reached CRM and is owned by that user."""
    sim.named(label, kind)
    record = sim.in_crm(label)
    expect(record is not None, f"the {kind} {label!r} in CRM", "not there", sim)
    found = sim.owner_name(record)
    expect(found == owner, f"owned by {owner}", f"owned by {found}", sim)


@then(step('the {kind:Kind} "{label}" is in the CRM of "{org}"'))
def is_in_crm_of(sim: Scenario, kind: str, label: str, org: str) -> None:
    """The labelled record is in that organization's CRM."""
    sim.named(label, kind)
    found = sim.in_crm(label, org)
    expect(found is not None, f"the {kind} {label!r} in the CRM of {org}", "not there", sim)


@then(step('the {kind:Kind} "{label}" is not in the CRM of "{org}"'))
def is_not_in_crm_of(sim: Scenario, kind: str, label: str, org: str) -> None:
    """The labelled record is not in that organization's CRM (one of another never is)."""
    sim.named(label, kind)
    found = sim.in_crm(label, org)
    expect(found is None, f"no {kind} {label!r} in the CRM of {org}", found, sim)


@then(step('the {kind:Kind} "{label}" in {side:Side} has:'))
def has_fields(sim: Scenario, kind: str, label: str, side: str, datatable: list[list[str]]) -> None:
    """On that side the labelled item has these values: | field | value | rows (Outlook: its
    holder's copy; when another mailbox holds one too, say whose: "in the Outlook of")."""
    sim.named(label, kind)
    _has(sim, kind, label, side, datatable)


@then(step('the {kind:Kind} "{label}" in the Outlook of "{user}" has:'))
def has_fields_of(sim: Scenario, kind: str, label: str, user: str, datatable: list[list[str]]) -> None:
    """The copy in that user's Outlook has these values: | field | value | rows."""
    sim.named(label, kind)
    _has(sim, kind, label, "Outlook", datatable, user)


def _has(
    sim: Scenario, kind: str, label: str, side: str, datatable: list[list[str]], user: str | None = None
) -> None:
    expected = fields_of(datatable)
    where = f"the Outlook of {user}" if user else side
    wrong = differences(expected, sim.view(label, side, sim.world.user(user) if user else None))
    expect(not wrong, f"the {kind} {label!r} in {where} with {expected}", described(wrong), sim)


@then(step('the {kind:Kind} "{label}" in Outlook has the category "{category}"'))
@then(step('the {kind:Kind} "{label}" in the Outlook of "{user}" has the category "{category}"'))
def has_category(sim: Scenario, kind: str, label: str, category: str, user: str | None = None) -> None:
    """The Outlook copy carries this category among its Categories."""
    sim.named(label, kind)
    found = sim.categories(label, user)
    expect(category in found, f"the category {category!r}", found or "no category", sim)


@then(step('the {kind:Kind} "{label}" in Outlook has no category "{category}"'))
@then(step('the {kind:Kind} "{label}" in the Outlook of "{user}" has no category "{category}"'))
def has_no_category(sim: Scenario, kind: str, label: str, category: str, user: str | None = None) -> None:
    """The Outlook copy does not carry this category."""
    sim.named(label, kind)
    found = sim.categories(label, user)
    expect(category not in found, f"no category {category!r}", found, sim)


@given(step('"{user}" deactivates the contact "{label}" in CRM'))
@when(step('"{user}" deactivates the contact "{label}" in CRM'))
def deactivates(sim: Scenario, user: str, label: str) -> None:
    """The contact's state becomes Inactive in CRM (Deactivate)."""
    sim.named(label, "contact", user)
    sim.deactivate(label)


@given(step('"{user}" activates the contact "{label}" in CRM'))
@when(step('"{user}" activates the contact "{label}" in CRM'))
def activates(sim: Scenario, user: str, label: str) -> None:
    """The contact's state becomes Active again in CRM (Activate)."""
    sim.named(label, "contact", user)
    sim.deactivate(label, active=True)


@then(step('the {kind:Kind} "{label}" is the same on both sides'))
@then(step('the {kind:Kind} "{label}" is the same in CRM and in the Outlook of "{user}"'))
def same_on_both_sides(sim: Scenario, kind: str, label: str, user: str | None = None) -> None:
    """Every mapped field of the labelled item is equal in CRM and in Outlook (its holder's, or
    the named user's copy)."""
    sim.named(label, kind)
    wrong = sim.mismatches(label, user)
    expect(not wrong, "every mapped field equal on both sides", described(wrong, "CRM", "Outlook"), sim)


@given(step('"{user}" copies the {kind:Kind} "{label}" in Outlook as "{copy_label}"'))
@when(step('"{user}" copies the {kind:Kind} "{label}" in Outlook as "{copy_label}"'))
def copies(sim: Scenario, user: str, kind: str, label: str, copy_label: str) -> None:
    """The user copies a labelled Outlook item there (its CRM id and tracking come along)."""
    sim.named(label, kind, user)
    sim.copy(label, copy_label)


@then(step("the number of {kind:Kind} records in CRM is {count:d}"))
def counted_in_crm(sim: Scenario, kind: str, count: int) -> None:
    """How many records of the kind the organization's CRM holds (no duplicate, or one more)."""
    found = sim.count_in_crm(kind)
    expect(found == count, f"{count} {kind} record(s) in CRM", found, sim)


@given(step('the appointment "{label}" in {side:Side} is organized by "{user}"'))
def organized_by(sim: Scenario, label: str, side: str, user: str) -> None:
    """The meeting's organizer on one side: Outlook's Organizer, or CRM's organizer (an address)."""
    sim.named(label, "appointment")
    sim.organize(label, side, user)
