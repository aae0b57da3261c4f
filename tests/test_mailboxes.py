"""Dataverse's mailbox table as World keeps it: new rows, Approve Email, Test & Enable, the
columns an administrator changes, and what server-side sync needs of a row (harness/mailboxes.py)."""

import pytest

from syncsim.harness import NotPermitted, World, mailboxes
from syncsim.harness import rules as R


def test_a_user_joins_with_a_mailbox_set_up_and_a_new_one_waits_for_approval():
    world = World(seed=1)
    ready = world.mailbox_row(world.add_user("ann", channel=R.SERVER_SIDE))
    assert (ready["emailrouteraccessapproval"], ready["actdeliverymethod"], ready["actstatus"]) == (1, 1, 1)
    assert mailboxes.not_ready(ready) is None
    new = world.mailbox_row(world.add_user("bob", channel=R.SERVER_SIDE, mailbox_ready=False))
    assert (new["emailrouteraccessapproval"], new["actstatus"]) == (
        mailboxes.PENDING_APPROVAL,
        mailboxes.NOT_RUN,
    )
    assert mailboxes.not_ready(new) == "its email address is Pending Approval, not Approved"
    outlook = world.mailbox_row(world.add_user("cy"))
    assert outlook["actdeliverymethod"] == mailboxes.BY_OUTLOOK and outlook["actstatus"] == mailboxes.NOT_RUN


def test_each_unmet_prerequisite_is_named():
    world = World(seed=1)
    bob = world.add_user("bob", channel=R.SERVER_SIDE)
    world.change_mailbox(bob, actdeliverymethod=mailboxes.BY_NONE)
    assert "method is None, not Server-Side Synchronization" in str(
        mailboxes.not_ready(world.mailbox_row(bob))
    )
    world.change_mailbox(bob, actdeliverymethod=mailboxes.BY_SERVER_SIDE)
    reason = mailboxes.not_ready(world.mailbox_row(bob))
    assert reason == "Test & Enable has not succeeded for appointments, contacts and tasks (status Not Run)"
    world.test_and_enable_mailbox(bob)
    assert mailboxes.not_ready(world.mailbox_row(bob)) is None


def test_test_and_enable_writes_three_results_and_alerts_the_owner():
    world = World(seed=1)
    bob = world.add_user("bob", channel=R.SERVER_SIDE, mailbox_ready=False)
    world.test_and_enable_mailbox(bob)
    row = world.mailbox_row(bob)
    assert [row[c] for c in mailboxes.TEST_RESULTS] == [mailboxes.FAILURE] * 3
    assert row["testmailboxaccesscompletedon"] == world.clock.now() and row["enabledforact"] is False
    [alert] = world.mailbox_alerts(bob)
    assert alert.level == "error" and "Pending Approval, not Approved" in alert.text
    world.approve_mailbox(bob)
    world.test_and_enable_mailbox(bob)
    row = world.mailbox_row(bob)
    assert [row[c] for c in mailboxes.TEST_RESULTS] == [mailboxes.SUCCESS] * 3 and row["enabledforact"]
    assert [a.level for a in world.mailbox_alerts(bob)] == ["error", "information"]


def test_only_the_organizations_administrator_manages_a_mailbox_and_a_refusal_changes_nothing():
    world = World(seed=1)
    bob = world.add_user("bob", channel=R.SERVER_SIDE, mailbox_ready=False)
    other = world.organization("Fabrikam").admin
    before = world.mailbox_row(bob)
    with pytest.raises(NotPermitted, match="only an administrator manages mailboxes"):
        world.approve_mailbox(bob, by=bob)
    with pytest.raises(NotPermitted, match="administers Fabrikam, not Contoso"):
        world.approve_mailbox(bob, by=other)
    with pytest.raises(
        ValueError, match="'actstatus' cannot be changed; these can: emailrouteraccessapproval"
    ):
        world.change_mailbox(bob, emailrouteraccessapproval=1, actstatus=1)
    with pytest.raises(ValueError, match=r"7 is not one of 0 \(Empty\), 1 \(Approved\)"):
        world.change_mailbox(bob, emailrouteraccessapproval=7)
    assert world.mailbox_row(bob) == before and world.mailbox_alerts(bob) == []


def test_a_queue_is_nobody_crm_finds_and_cannot_be_set_to_sync_act():
    world = World(seed=1)
    queue = world.add_queue("support")
    row = world.mailbox_row(queue)
    assert row["regardingobjecttypecode"] == "queue" and row["actdeliverymethod"] == mailboxes.BY_NONE
    assert world.user_by_email(queue.email) is None and world.user_by_id(queue.systemuserid) is None
    with pytest.raises(ValueError, match="a queue's mailbox cannot sync appointments, contacts and tasks"):
        world.change_mailbox(queue, actdeliverymethod=mailboxes.BY_SERVER_SIDE)
    world.test_and_enable_mailbox(queue)
    assert world.mailbox_row(queue)["actstatus"] == mailboxes.NOT_RUN


def test_mailbox_ids_come_from_their_users_and_draw_nothing_from_the_seeded_stream():
    plain, more = World(seed=3), World(seed=3)
    plain.add_user("ann")
    more.add_user("ann", mailbox_ready=False)
    assert (
        plain.mailbox_row(plain.user("ann"))["mailboxid"] == more.mailbox_row(more.user("ann"))["mailboxid"]
    )
    assert plain._new_id() == more._new_id()


@pytest.mark.parametrize(
    ("text", "column", "value"),
    [
        ("Email Address Status", "emailrouteraccessapproval", "Pending Approval"),
        ("appointments, contacts, and tasks status", "actstatus", "failure"),
        ("actdeliverymethod", "actdeliverymethod", "1"),
    ],
)
def test_columns_and_values_by_the_names_the_form_shows(text, column, value):
    assert mailboxes.column(text) == column
    assert mailboxes.label(column, mailboxes.value_of(column, value)).lower() in (
        value.lower(),
        "server-side synchronization",
    )


def test_unknown_columns_and_values_name_the_allowed_ones():
    with pytest.raises(ValueError, match="no mailbox column 'Status'; these are: Email Address Status"):
        mailboxes.column("Status")
    with pytest.raises(ValueError, match="not one of Not Run, Success, Failure"):
        mailboxes.value_of("actstatus", "Done")
