"""Steps for tasks assigned in Outlook."""

from __future__ import annotations

from pytest_bdd import given, when

from ..harness.tools.scenario import Scenario
from .common import step

ASSIGNS = '"{user}" assigns the task "{label}" to {recipients:Names}'


@given(step(ASSIGNS))
@when(step(ASSIGNS))
def assigns(sim: Scenario, user: str, label: str, recipients: list[str]) -> None:
    """Assign a labelled Outlook task to users or addresses: "bob", or "bob" and "carol"."""
    sim.named(label, "task", user)
    sim.assign(label, recipients)


@when(step('"{user}" passes the task "{label}" on to {recipients:Names}'))
def passes_on(sim: Scenario, user: str, label: str, recipients: list[str]) -> None:
    """The assignee reassigns their copy of a task someone assigned to them."""
    sim.named(label, "task")
    sim.pass_on(label, user, recipients)


@when(step('"{user}" declines the task "{label}"'))
def declines(sim: Scenario, user: str, label: str) -> None:
    """The assignee declines their copy of a task someone assigned to them."""
    sim.named(label, "task")
    sim.decline(label, user)


@given(step('"{user}" marks the task "{label}" complete in {side:Side}'))
@when(step('"{user}" marks the task "{label}" complete in {side:Side}'))
def marks_complete(sim: Scenario, user: str, label: str, side: str) -> None:
    """Mark Complete: in Outlook 100 % and completed now; in CRM 100 % and the state Completed."""
    sim.named(label, "task", user)
    sim.complete(label, side)
