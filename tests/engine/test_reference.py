"""The reference engine (harness/engine/reference.py): convergence, idempotency, losses, time, determinism,
and the changes a cycle reads."""

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from worlds import one_user, synced

from syncsim.harness import World
from syncsim.harness.rules import CHANNELS
from syncsim.harness.tools.scenario import Scenario


@pytest.mark.parametrize("channel", CHANNELS)
def test_items_made_and_edited_on_either_side_converge_in_one_cycle(channel):
    world, alice = one_user(channel)
    sim = Scenario(world)
    for kind in ("contact", "appointment", "task"):
        sim.create(alice, kind, f"{kind} from CRM", "CRM")
        sim.create(alice, kind, f"{kind} from Outlook", "Outlook")
    world.sync()
    sim.edit("contact from CRM", "Outlook", {"JobTitle": "Pilot"})
    sim.edit("appointment from Outlook", "CRM", {"location": "Room 4"})
    sim.edit("task from CRM", "Outlook", {"PercentComplete": 50})
    world.sync()
    for label in sim.items:
        assert sim.mismatches(label) == {}, label
    assert sim.view("contact from CRM", "CRM")["jobtitle"] == "Pilot"
    assert sim.view("appointment from Outlook", "Outlook")["Location"] == "Room 4"


def test_a_cycle_without_edits_writes_nothing_and_syncs_nothing():
    world, alice = one_user()
    world.populate(alice, contacts=20, appointments=5, tasks=5, side="both")
    first = world.sync()
    assert first.writes > 0
    second = world.sync()
    assert second.writes == 0
    assert [e for e in second.events if e.outcome == "synced"] == []


def test_remapping_reports_every_lost_value():
    world, alice = one_user()
    box = world.outlook(alice)
    box.create(
        "contact",
        {
            "FirstName": "Ann",
            "HomeAddressCity": "Oslo",
            "OtherAddressCity": "Bodø",
            "SelectedMailingAddress": "home",
        },
        track=True,
    )
    world.sync()
    world.configure(by=world.admin, contact_address_sync="all-three")
    report = world.sync()
    lost = {(loss.field, loss.old, loss.new) for loss in report.losses}
    assert lost == {("HomeAddressCity", "Oslo", None), ("OtherAddressCity", "Bodø", None)}
    assert {loss.rule for loss in report.losses} == {"CONTACT-ADDRESS-REMAP-LOSS"}


def test_a_cycle_takes_the_time_its_bytes_need_on_the_link():
    world = World(seed=1)
    slow = world.add_user("slow", bandwidth_kbps=64, latency_ms=200)
    fast = world.add_user("fast")
    for user in (slow, fast):
        world.populate(user, contacts=10)
    start = world.clock.now()
    report = world.sync()
    assert report.duration(slow) > 10 * report.duration(fast) > 0
    assert world.clock.now() - start >= timedelta(minutes=15)


def test_the_same_seed_gives_the_same_data_and_events():
    def trace(seed):
        world = World(seed=seed)
        alice = world.add_user("alice")
        world.populate(alice, contacts=30, appointments=10, tasks=10, side="both")
        lines = world.sync(cycles=2).trace_lines()
        return alice.email, world.crm.query("contact"), lines

    assert trace(5) == trace(5)
    assert trace(5) != trace(6)


def test_the_locale_shapes_the_data():
    world = World(seed=1, locale="de_DE")
    alice = world.add_user("alice")
    world.populate(alice, contacts=5)
    assert World(seed=1).factory.crm_contact() != world.factory.crm_contact()


def test_a_cycle_reads_only_what_changed():
    """The work of a cycle follows the changes, not the size of the store."""
    world, alice = one_user()
    world.populate(alice, contacts=500, side="crm")
    world.sync()
    [first, second] = world.crm.query("contact")[:2]
    world.crm.update("contact", first["contactid"], {"jobtitle": "Pilot"})
    world.crm.update("contact", second["contactid"], {"jobtitle": "Captain"})
    state = world.engine.state(alice.systemuserid)
    assert len(list(world.crm.changed_since(state.crm_watermark))) == 2
    report = world.sync()
    assert report.writes == 2


@settings(max_examples=25, deadline=None)
@given(
    edits=st.lists(
        st.tuples(st.integers(0, 4), st.sampled_from(["CRM", "Outlook"]), st.text(max_size=8)),
        max_size=12,
    )
)
def test_edits_on_one_side_at_a_time_always_converge(edits):
    world, alice = one_user()
    sim = Scenario(world)
    for n in range(5):
        sim.create(alice, "contact", f"c{n}", "CRM")
    world.sync()
    for n, side, title in edits:
        sim.edit(f"c{n}", side, {"jobtitle" if side == "CRM" else "JobTitle": title})
        world.sync()
    for n in range(5):
        assert sim.mismatches(f"c{n}") == {}


def test_events_and_losses_carry_the_pair_ids_and_what_happened():
    sim = synced("contact", "Ann")
    crm_id, entry_id = sim.crm_id("Ann"), sim.entry_id("Ann")
    sim.edit("Ann", "Outlook", {"JobTitle": "Captain"})
    sim.world.clock.advance(60)
    sim.edit("Ann", "CRM", {"jobtitle": "Pilot", "telephone3": "555"})
    report = sim.sync()
    assert [(e.outcome, e.ids, e.detail) for e in report.events] == [
        ("conflict", (crm_id, entry_id), "jobtitle/JobTitle: CRM 'Pilot' vs Outlook 'Captain'; crm won"),
        ("lost", (crm_id, entry_id), "outlook JobTitle: 'Captain' -> 'Pilot'"),
        ("synced", (crm_id, entry_id), "updated to Outlook: JobTitle, OtherTelephoneNumber"),
    ]
    [loss] = report.losses
    assert (loss.user, loss.entity, loss.ids, loss.rule) == ("alice", "contact", (crm_id, entry_id), None)


def test_a_cycle_lasts_its_round_trips_and_bytes_on_the_link():
    from syncsim.harness import interpretations

    world = World(seed=2)
    alice = world.add_user("alice", bandwidth_kbps=8, latency_ms=100)
    sim = Scenario(world)
    sim.create(alice, "task", "Call", "CRM", {"subject": "Call", "description": "x"})
    sim.sync()
    sim.edit("Call", "CRM", {"subject": "Ring"})
    report = sim.sync()
    changes = '{"Subject": "Ring"}'
    round_trips = interpretations.READ_ROUND_TRIPS + 1
    assert report.writes == 1
    assert report.duration(alice) == pytest.approx(round_trips * 0.1 + len(changes) * 8 / 8000)


def test_a_deleted_appointment_takes_its_outlook_copy_and_reports_what_was_never_synced():
    sim = synced("appointment", "Review")
    sim.attach("Review", "Outlook", "notes.txt", 10)
    sim.sync()
    sim.delete("Review", "CRM")
    report = sim.sync()
    assert [(e.outcome, e.rule, e.detail) for e in report.events] == [
        ("lost", "DELETE-APPT-IN-CRM", "outlook Attachments[notes.txt]: 'notes.txt' -> None"),
        ("synced", "DELETE-APPT-IN-CRM", "deleted in CRM; removed from Outlook"),
    ]
    assert sim.in_outlook("Review") is None and sim.violations == []


def test_a_users_cycle_reads_only_the_changes_that_concern_them():
    """1,000 users: a change to one user's record reaches that user's cycle only; a record the
    user tracks that someone else owns is still looked at."""
    world = World(seed=4)
    alice, bob = world.add_user("alice"), world.add_user("bob")
    world.populate(alice, contacts=3, side="crm")
    world.populate(bob, contacts=3, side="crm")
    world.sync()
    engine = world.engine
    bobs = world.crm.query("contact", ownerid=bob.systemuserid)[0]["contactid"]
    world.crm.update("contact", bobs, {"jobtitle": "Changed"})
    read = {u.name: engine.crm_changes(world.context(u), engine.state(u.systemuserid)) for u in (alice, bob)}
    assert read == {"alice": [], "bob": [("contact", bobs)]}
    # alice takes over one of bob's contacts by tracking its copy: a record she does not own
    entry = world.outlook(alice).create("contact", {"LastName": "Shared"}, track=True)
    world.sync()
    shared = next(
        link for link in engine.state(alice.systemuserid).by_entry.values() if link.entry_id == entry
    )
    world.crm.update("contact", shared.crm_id, {"ownerid": bob.systemuserid})
    world.sync()
    world.crm.update("contact", shared.crm_id, {"jobtitle": "Seen"})
    state = engine.state(alice.systemuserid)
    assert shared.crm_id in state.foreign
    assert ("contact", shared.crm_id) in engine.crm_changes(world.context(alice), state)
    world.sync()
    assert world.outlook(alice).get(entry)["JobTitle"] == "Seen"
