"""Steps for sync filters: a user's own filters (FetchXML in a doc string) and system filters."""

from __future__ import annotations

from pytest_bdd import given, then, when

from ..harness.tools.scenario import KINDS, Scenario, expect
from .common import step


@given(step('"{user}" has no {kind:Kind} filter'))
def no_filter(sim: Scenario, user: str, kind: str) -> None:
    """The user deactivates every sync filter of their own for that kind of record."""
    sim.world.remove_filters(sim.world.user(user), KINDS[kind])


@given(step('"{user}" adds the sync filter:'))
def adds_filter(sim: Scenario, user: str, docstring: str) -> None:
    """The user adds a filter of their own, written as FetchXML in a doc string (\"\"\" ... \"\"\")."""
    sim.world.add_filter(sim.world.user(user), docstring)


@given("the administrator adds the system filter:")
def admin_adds_system_filter(sim: Scenario, docstring: str) -> None:
    """The administrator adds an organization-wide filter (FetchXML in a doc string)."""
    sim.world.add_system_filter(by=sim.world.admin, fetchxml=docstring)


@when(step('"{user}" tries to add the system filter:'))
def tries_system_filter(sim: Scenario, user: str, docstring: str) -> None:
    """A user tries to add an organization-wide filter; a refusal is kept for the Then steps."""
    sim.attempt(lambda: sim.world.add_system_filter(by=sim.world.user(user), fetchxml=docstring))


@given(step('the {kind:Kind} "{label}" is in the Outlook of "{user}"'))
@then(step('the {kind:Kind} "{label}" is in the Outlook of "{user}"'))
def in_outlook_of(sim: Scenario, kind: str, label: str, user: str) -> None:
    """The labelled record reached that user's Outlook (whoever made it)."""
    sim.named(label, kind)
    found = sim.in_outlook(label, sim.world.user(user))
    expect(found is not None, f"the {kind} {label!r} in {user}'s Outlook", "not there", sim)


@given(step('the {kind:Kind} "{label}" is not in the Outlook of "{user}"'))
@then(step('the {kind:Kind} "{label}" is not in the Outlook of "{user}"'))
def not_in_outlook_of(sim: Scenario, kind: str, label: str, user: str) -> None:
    """The labelled record did not reach that user's Outlook."""
    sim.named(label, kind)
    found = sim.in_outlook(label, sim.world.user(user))
    expect(found is None, f"no {kind} {label!r} in {user}'s Outlook", found, sim)
