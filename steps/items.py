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


@then(step('the {kind:Kind} "{label}" in {side:Side} has:'))
def has_fields(sim: Scenario, kind: str, label: str, side: str, datatable: list[list[str]]) -> None:
    """On that side the labelled item has these values: | field | value | rows."""
    sim.named(label, kind)
    wrong = differences(fields_of(datatable), sim.view(label, side))
    expect(not wrong, f"the {kind} {label!r} in {side} with {fields_of(datatable)}", described(wrong), sim)


@then(step('the {kind:Kind} "{label}" is the same on both sides'))
def same_on_both_sides(sim: Scenario, kind: str, label: str) -> None:
    """Every mapped field of the labelled item is equal in CRM and in Outlook."""
    sim.named(label, kind)
    wrong = sim.mismatches(label)
    expect(not wrong, "every mapped field equal on both sides", described(wrong, "CRM", "Outlook"), sim)
