"""Steps for tasks assigned in Outlook."""

from __future__ import annotations

from pytest_bdd import given, when

from harness.tools.scenario import Scenario
from steps.common import step

ASSIGNS = '"{user}" assigns the task "{label}" to {recipients:Names}'


@given(step(ASSIGNS))
@when(step(ASSIGNS))
def assigns(sim: Scenario, user: str, label: str, recipients: list[str]) -> None:
    """Assign a labelled Outlook task to users or addresses: "bob", or "bob" and "carol"."""
    sim.named(label, "task", user)
    sim.assign(label, recipients)
