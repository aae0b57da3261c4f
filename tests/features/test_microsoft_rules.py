"""The rules beyond the seed page, case by case: each event's rule and detail, each loss, each
copy's tracking state, as the engine reports them (deletes and untracking, assigned tasks, linking
pairs an earlier sync left). The features show the behaviour; these pin the account of it."""

from datetime import timedelta

import pytest

from syncsim.harness import World
from syncsim.harness.tools.scenario import Scenario

PAST = {"scheduledstart": None, "scheduledend": None}


def _sim(*disabled: str, **users: dict) -> Scenario:
    world = World(seed=8, disabled_rules=disabled)
    for name, options in (users or {"alice": {}}).items():
        world.add_user(name, **options)
    return Scenario(world)


def _told(report) -> list[tuple]:
    return [(e.outcome, e.rule, e.detail) for e in report.events if e.user != "admin"]


def _tracked(sim: Scenario, label: str, user: str | None = None) -> bool:
    holder = sim.world.user(user) if user else None
    return sim.in_outlook(label, holder)["crmLinkState"] == 2


def _appointment(sim: Scenario, label: str = "Review", days: float = 3, **fields) -> None:
    now = sim.world.clock.now()
    start = now + timedelta(days=days)
    values = {"scheduledstart": start, "scheduledend": start + timedelta(hours=1), **fields}
    sim.create(sim.world.user("alice"), "appointment", label, "CRM", values)
    sim.sync()


def test_a_past_appointment_deleted_in_crm_stays_in_outlook_untracked():
    sim = _sim()
    _appointment(sim, days=-3)
    sim.delete("Review", "CRM")
    assert _told(sim.sync()) == [
        (
            "synced",
            "DELETE-APPT-IN-CRM",
            "deleted in CRM; stays in Outlook, untracked (the appointment is in the past)",
        )
    ]
    assert not _tracked(sim, "Review")


def test_an_appointment_ending_this_very_moment_is_present_and_leaves():
    sim = _sim()
    _appointment(sim, days=0)
    sim.world.clock.set(sim.view("Review", "CRM")["scheduledend"])
    sim.delete("Review", "CRM")
    assert _told(sim.sync()) == [("synced", "DELETE-APPT-IN-CRM", "deleted in CRM; removed from Outlook")]


@pytest.mark.parametrize(
    ("organizer", "detail"),
    [
        ("alice", "deleted in CRM; removed from Outlook"),
        ("eve", "deleted in CRM; stays in Outlook, untracked (the user neither owns nor organizes it)"),
    ],
)
def test_an_appointment_another_user_owns_leaves_only_its_organizer(organizer, detail):
    sim = _sim(alice={}, bob={})
    sim.create(sim.world.user("alice"), "appointment", "Review", "Outlook")  # tracked by hand: no filter
    sim.sync()
    address = sim.world.user("alice").email if organizer == "alice" else "eve@example.com"
    sim.edit("Review", "Outlook", {"Organizer": address})
    sim.sync()
    sim.give("Review", "bob")
    sim.sync()
    sim.delete("Review", "CRM")
    report = sim.sync()
    assert ("synced", "DELETE-APPT-IN-CRM", detail) in _told(report)


@pytest.mark.parametrize(
    ("answer", "days", "owner", "stays", "why"),
    [
        (False, 3, "alice", True, "the user answered no"),
        (True, -3, "alice", True, "the appointment is in the past"),
        (True, 3, "bob", True, "the user does not own it"),
        (True, 3, "alice", False, "the user answered yes"),
    ],
)
def test_untracking_an_appointment_deletes_it_only_on_yes_if_present_and_owned(
    answer, days, owner, stays, why
):
    sim = _sim(alice={}, bob={})
    sim.world.set_user_options(sim.world.user("alice"), delete_in_crm_on_untrack=answer)
    sim.create(sim.world.user("alice"), "appointment", "Review", "Outlook")
    sim.sync()
    start = sim.world.clock.now() + timedelta(days=days)
    sim.edit("Review", "CRM", {"scheduledstart": start, "scheduledend": start + timedelta(hours=1)})
    sim.give("Review", owner)
    sim.sync()
    sim.track("Review", False)
    report = sim.sync()
    outcome = "the CRM record stays" if stays else "deleted in CRM"
    assert ("synced", "UNTRACK-APPT", f"untracked in Outlook; {outcome} ({why})") in _told(report)
    assert (sim.in_crm("Review") is not None) is stays


def test_a_contact_someone_else_owns_is_deleted_in_crm_when_untracked():
    sim = _sim(alice={}, bob={})
    sim.create(sim.world.user("alice"), "contact", "Ann", "Outlook")
    sim.sync()
    sim.give("Ann", "bob")
    sim.sync()
    sim.track("Ann", False)
    told = _told(sim.sync())
    assert (
        "synced",
        "UNTRACK-CONTACT",
        "untracked in Outlook; deleted in CRM (the user does not own the contact)",
    ) in told


@pytest.mark.parametrize(
    ("disabled", "rule"), [((), "DELETE-CONTACT-IN-OUTLOOK"), (("DELETE-CONTACT-IN-OUTLOOK",), None)]
)
def test_a_contact_deleted_in_outlook_leaves_the_record(disabled, rule):
    sim = _sim(*disabled)
    sim.create(sim.world.user("alice"), "contact", "Ann", "CRM")
    sim.sync()
    sim.delete("Ann", "Outlook")
    assert _told(sim.sync()) == [("synced", rule, "deleted in Outlook; the CRM record stays")]


def test_an_appointment_deleted_in_outlook_takes_its_crm_attachments_with_it_reported():
    sim = _sim()
    _appointment(sim)
    sim.attach("Review", "CRM", "notes.txt", 10)
    sim.sync()
    sim.delete("Review", "Outlook")
    report = sim.sync()
    assert [(x.side, x.field, x.old, x.new, x.rule) for x in report.losses] == [
        ("crm", "Attachments[notes.txt]", "notes.txt", None, "DELETE-APPT-IN-OUTLOOK")
    ]
    assert sim.violations == []


def test_a_record_deleted_in_crm_whose_item_was_untracked_just_lets_go():
    sim = _sim()
    sim.create(sim.world.user("alice"), "task", "Call", "CRM")
    sim.sync()
    sim.track("Call", False)
    sim.delete("Call", "CRM")
    assert _told(sim.sync()) == [("synced", None, "deleted in CRM; the Outlook item was gone or untracked")]


@pytest.mark.parametrize("edited", [False, True])
def test_with_the_delete_rule_off_a_copy_goes_unless_it_holds_unsynced_edits(edited):
    sim = _sim("DELETE-TASK-IN-CRM")
    sim.create(sim.world.user("alice"), "task", "Call", "CRM", {"percentcomplete": 100})
    sim.sync()
    if edited:
        sim.edit("Call", "Outlook", {"Body": "more"})
    sim.delete("Call", "CRM")
    [event] = sim.sync().events
    if edited:
        assert event.detail == "deleted in CRM; kept in Outlook, untracked, with edits not yet synced: Body"
        assert not _tracked(sim, "Call")
    else:
        assert (event.rule, event.detail) == (None, "deleted in CRM; removed from Outlook")
        assert sim.in_outlook("Call") is None


@pytest.mark.parametrize(("fields", "current"), [({"Complete": True}, False), ({"PercentComplete": 0}, True)])
def test_a_task_is_current_until_completed(fields, current):
    sim = _sim()
    sim.create(sim.world.user("alice"), "task", "Call", "CRM")
    sim.sync()
    sim.edit("Call", "Outlook", fields)
    sim.sync()
    sim.delete("Call", "CRM")
    sim.sync()
    assert (sim.in_outlook("Call") is None) is current


def _assigned(**users: dict) -> Scenario:
    sim = _sim(alice={}, bob={}, carol={}, **users)
    sim.world.configure(by=sim.world.admin, sync_assigned_tasks=True)
    sim.create(sim.world.user("alice"), "task", "Call", "Outlook")
    sim.assign("Call", ["bob"])
    sim.sync()
    return sim


def test_a_declined_task_returns_and_the_copy_is_untracked():
    sim = _assigned()
    sim.decline("Call", "bob")
    report = sim.sync()
    assert [e for e in _told(report) if e[1] == "TASK-DECLINE-RETURNS"] == [
        ("synced", "TASK-DECLINE-RETURNS", "declined: the CRM task returns to alice"),
        ("synced", "TASK-DECLINE-RETURNS", "declined: the copy is untracked"),
    ]
    assert sim.owner_name(sim.in_crm("Call")) == "alice" and not _tracked(sim, "Call", "bob")


def test_a_task_sent_to_two_people_keeps_its_owner_and_says_why():
    sim = _sim(alice={}, bob={}, carol={})
    sim.world.configure(by=sim.world.admin, sync_assigned_tasks=True)
    sim.create(sim.world.user("alice"), "task", "Call", "Outlook", {"IsRecurring": False})
    sim.sync()
    sim.assign("Call", ["bob", "carol"])
    report = sim.sync()
    [skip] = [e for e in report.events if e.outcome == "skipped"]
    assert (skip.rule, skip.detail, skip.entity) == (
        "TASK-ONE-ADDRESS",
        "assigned to 2 addresses, not one",
        "task",
    )
    assert skip.ids == (sim.crm_id("Call"), sim.entry_id("Call"))
    assert sim.owner_name(sim.in_crm("Call")) == "alice"


def test_a_recurring_task_sent_on_keeps_its_owner():
    sim = _sim(alice={}, bob={})
    sim.world.configure(by=sim.world.admin, sync_assigned_tasks=True)
    sim.create(sim.world.user("alice"), "task", "Call", "Outlook")
    sim.sync()
    sim.edit("Call", "Outlook", {"IsRecurring": True})
    sim.assign("Call", ["bob"])
    report = sim.sync()
    assert "TASK-RECURRING" in [e.rule for e in report.events]
    assert sim.owner_name(sim.in_crm("Call")) == "alice"


def test_a_task_passed_on_reports_its_unsynced_crm_edits_lost():
    sim = _assigned()
    sim.edit("Call", "CRM", {"description": "call before noon"})
    sim.pass_on("Call", "bob", ["carol"])
    report = sim.sync()
    assert ("crm", "description", "TASK-REASSIGN-UNTRACKS") in [
        (x.side, x.field, x.rule) for x in report.losses
    ]
    assert sim.in_crm("Call") is None and sim.violations == []


def test_a_server_side_user_sending_a_tracked_task_changes_no_owner():
    sim = _sim(sam={"channel": "server-side"}, bob={})
    sim.world.configure(by=sim.world.admin, sync_assigned_tasks=True)
    sim.create(sim.world.user("sam"), "task", "Call", "Outlook")
    sim.sync()
    sim.assign("Call", ["bob"])
    sim.sync()
    assert sim.owner_name(sim.in_crm("Call")) == "sam"


def test_linking_pairs_an_earlier_sync_left_revisits_those_that_differ():
    world = World(seed=8)
    alice = world.add_user("alice")
    box = world.outlook(alice)
    same = world.crm.create("contact", {"firstname": "Ann", "jobtitle": "Pilot"}, owner=alice)
    other = world.crm.create("contact", {"firstname": "Ben", "jobtitle": "Chief"}, owner=alice)
    ann = box.create("contact", {"FirstName": "Ann", "JobTitle": "Pilot"}, track=True)
    ben = box.create("contact", {"FirstName": "Ben", "JobTitle": "Clerk"}, track=True)
    world.link(alice, "contact", same, ann)
    world.link(alice, "contact", other, ben)
    state = world.engine.state(alice.systemuserid)
    assert state.revisit == {other} and state.by_crm[same].origin == "crm"
    report = world.sync()
    assert box.get(ben)["JobTitle"] == "Chief" and report.writes == 1
    with pytest.raises(ValueError, match="cannot link contact .* one side is missing"):
        world.engine.link(world.context(alice), "contact", same, "no-such-entry")


def test_the_assigner_keeps_an_updated_copy_of_a_task_made_in_crm_and_sent_on():
    sim = _sim(alice={}, bob={})
    sim.world.configure(by=sim.world.admin, sync_assigned_tasks=True)
    sim.create(sim.world.user("alice"), "task", "Call", "CRM")
    sim.sync()
    sim.assign("Call", ["bob"])
    sim.sync()
    sim.edit("Call", "CRM", {"subject": "Call before noon"})
    sim.sync()
    assert sim.owner_name(sim.in_crm("Call")) == "bob"
    assigner = sim.world.user("alice")
    assert sim.view("Call", "Outlook", assigner)["Subject"] == "Call before noon" and sim.violations == []
