"""Steps for mailboxes as Dynamics keeps them: new ones, queues, Approve Email, Test & Enable,
the mailbox form's columns and its alert wall."""

from __future__ import annotations

from pytest_bdd import given, then, when

from ..harness import mailboxes
from ..harness.tools.scenario import Scenario, expect
from .common import step


@given(step('a user "{name}" syncing through {channel:Channel} whose mailbox is new'))
def user_with_new_mailbox(sim: Scenario, name: str, channel: str) -> None:
    """Add a user whose mailbox is as Dynamics makes it: address pending approval, never tested."""
    sim.world.add_user(name, channel=channel, mailbox_ready=False)


@given(step('a queue "{name}" with a mailbox'))
def queue(sim: Scenario, name: str) -> None:
    """Add a queue; its mailbox holds items like a user's, known by the queue's name in the steps."""
    sim.world.add_queue(name)


@given(step('the administrator approves the mailbox of "{user}"'))
@when(step('the administrator approves the mailbox of "{user}"'))
def approves(sim: Scenario, user: str) -> None:
    """Approve Email: the mailbox's address is approved."""
    sim.world.approve_mailbox(sim.world.user(user))


@given(step('the administrator tests and enables the mailbox of "{user}"'))
@when(step('the administrator tests and enables the mailbox of "{user}"'))
def tests_and_enables(sim: Scenario, user: str) -> None:
    """Test & Enable Mailbox: writes the incoming, outgoing and ACT statuses, alerts the owner."""
    sim.world.test_and_enable_mailbox(sim.world.user(user))


@given(step('the administrator sets "{column}" of the mailbox of "{user}" to "{value}"'))
@when(step('the administrator sets "{column}" of the mailbox of "{user}" to "{value}"'))
def sets_column(sim: Scenario, column: str, user: str, value: str) -> None:
    """The administrator changes one column of the mailbox form (its display or logical name)."""
    logical = mailboxes.column(column)
    sim.world.change_mailbox(sim.world.user(user), **{logical: mailboxes.value_of(logical, value)})


@when(step('the administrator tries to set "{column}" of the mailbox of "{user}" to "{value}"'))
def tries_column(sim: Scenario, column: str, user: str, value: str) -> None:
    """The same, kept for the Then steps if it is refused."""
    sim.attempt(lambda: sets_column(sim, column, user, value))


@when(step('"{actor}" tries to approve the mailbox of "{user}"'))
def tries_approve(sim: Scenario, actor: str, user: str) -> None:
    """Someone tries Approve Email; the refusal (or None) is kept for the Then steps."""
    sim.attempt(lambda: sim.world.approve_mailbox(sim.world.user(user), by=sim.world.user(actor)))


@then(step('the mailbox of "{user}" shows "{column}" as "{value}"'))
def shows(sim: Scenario, user: str, column: str, value: str) -> None:
    """A column of the user's mailbox row, by its label ("Pending Approval", "Success")."""
    logical = mailboxes.column(column)
    found = sim.world.mailbox_row(sim.world.user(user))[logical]
    wanted = mailboxes.value_of(logical, value)
    expect(found == wanted, f"{column} {value}", mailboxes.label(logical, found), sim)


@then(step('the mailbox of "{user}" has an alert "{text}"'))
def has_alert(sim: Scenario, user: str, text: str) -> None:
    """The mailbox's alert wall holds an alert saying this (a part of its text)."""
    alerts = sim.world.mailbox_alerts(sim.world.user(user))
    found = [str(alert) for alert in alerts]
    expect(any(text in line for line in found), f'an alert "{text}"', "; ".join(found) or "no alert", sim)
