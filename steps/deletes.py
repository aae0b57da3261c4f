"""Steps for deleting and untracking: the user's answer when asked, and who owns a record."""

from __future__ import annotations

from pytest_bdd import given, when

from ..harness.tools.scenario import Scenario
from .common import step


@given(step('"{user}" answers "{answer:Answer}" when asked whether to delete untracked items in CRM'))
def answers(sim: Scenario, user: str, answer: str) -> None:
    """The user's own option: when CRM for Outlook asks on untracking, delete the CRM record (yes) or not."""
    sim.world.set_user_options(sim.world.user(user), delete_in_crm_on_untrack=answer == "yes")


@given(step('the {kind:Kind} "{label}" in CRM is given to "{owner}"'))
@when(step('the {kind:Kind} "{label}" in CRM is given to "{owner}"'))
def given_to(sim: Scenario, kind: str, label: str, owner: str) -> None:
    """The CRM record changes owner (Assign in CRM)."""
    sim.named(label, kind)
    sim.give(label, owner)
