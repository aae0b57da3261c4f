"""What the engine does with one guard switched off, as the guard table declares it.

The mutation check (tests/features/test_mutation.py) proves a scenario notices each guard switched off;
these tests pin down the replacement behaviour itself, one guard at a time, in a few lines each.
"""

from syncsim.harness import World
from syncsim.harness.engine.naive import NaiveEngine
from syncsim.harness.tools.scenario import Scenario


def _sim(*disabled: str, **users: dict) -> tuple[Scenario, dict]:
    world = World(seed=4, disabled_rules=disabled)
    made = {name: world.add_user(name, **options) for name, options in (users or {"alice": {}}).items()}
    return Scenario(world), made


def test_mailing_only_switched_off_maps_all_three_addresses():
    sim, users = _sim("CONTACT-ADDRESS-MAILING-ONLY")
    sim.create(users["alice"], "contact", "Ann", "CRM", {"address2_city": "Oslo"})
    sim.sync()
    assert sim.view("Ann", "Outlook")["HomeAddressCity"] == "Oslo"
    intact, users = _sim()
    intact.create(users["alice"], "contact", "Ann", "CRM", {"address2_city": "Oslo"})
    intact.sync()
    assert intact.view("Ann", "Outlook").get("HomeAddressCity") is None


def test_all_three_switched_off_maps_the_mailing_address_only():
    sim, users = _sim("CONTACT-ADDRESS-ALL-THREE")
    sim.world.configure(by=sim.world.admin, contact_address_sync="all-three")
    sim.create(users["alice"], "contact", "Ann", "CRM", {"address2_city": "Oslo", "address1_city": "Bergen"})
    sim.sync()
    outlook = sim.view("Ann", "Outlook")
    assert (outlook["BusinessAddressCity"], outlook.get("HomeAddressCity")) == ("Bergen", None)


def test_an_outdated_client_with_client_latest_off_gets_the_options_and_no_warning():
    sim, users = _sim("CLIENT-LATEST", olga={"client_version": "7.0.0"})
    sim.world.configure(by=sim.world.admin, sync_appointment_attachments=True)
    sim.create(users["olga"], "appointment", "Demo", "CRM")
    sim.attach("Demo", "CRM", "a.pdf", 10)
    report = sim.sync()
    assert "a.pdf" in sim.outlook_attachments("Demo")
    assert not report.with_rule("CLIENT-LATEST")


def _remap(*disabled: str) -> tuple[Scenario, object]:
    sim, users = _sim(*disabled)
    sim.create(users["alice"], "contact", "Ann", "CRM", {"address2_city": "Oslo"})
    sim.sync()
    sim.edit("Ann", "Outlook", {"HomeAddressCity": "Bergen"})
    sim.world.configure(by=sim.world.admin, contact_address_sync="all-three")
    return sim, sim.sync()


def test_one_sided_off_takes_a_new_pair_as_agreed_and_moves_nothing():
    sim, report = _remap("CONTACT-ADDRESS-ONE-SIDED")
    assert report.writes == 0 and report.losses == []
    assert sim.view("Ann", "Outlook")["HomeAddressCity"] == "Bergen"
    assert sim.view("Ann", "CRM")["address2_city"] == "Oslo"


def test_remap_loss_off_overwrites_without_reporting():
    sim, report = _remap("CONTACT-ADDRESS-REMAP-LOSS")
    assert sim.view("Ann", "Outlook")["HomeAddressCity"] == "Oslo"
    assert report.losses == []
    assert [v.invariant for v in sim.violations] == ["no-silent-loss"]


def test_attach_on_off_moves_nothing_without_a_word():
    sim, users = _sim("APPT-ATTACH-ON")
    sim.world.configure(by=sim.world.admin, sync_appointment_attachments=True)
    sim.create(users["alice"], "appointment", "Demo", "CRM")
    sim.attach("Demo", "CRM", "a.pdf", 10)
    report = sim.sync()
    assert sim.outlook_attachments("Demo") == {}
    assert [e.detail for e in report.events] == ["created in Outlook"]


def test_slow_link_off_makes_attachment_bytes_free():
    def took(*disabled: str) -> tuple[float, int]:
        sim, users = _sim(*disabled, bob={"bandwidth_kbps": 64, "latency_ms": 0})
        sim.world.configure(by=sim.world.admin, sync_appointment_attachments=True)
        sim.create(users["bob"], "appointment", "Demo", "CRM")
        sim.attach("Demo", "CRM", "big.m4a", 64_000)
        report = sim.sync()
        return report.duration("bob"), len(report.with_rule("APPT-ATTACH-SLOW-LINK", "warning"))

    with_bytes, warnings = took()
    without_bytes, none = took("APPT-ATTACH-SLOW-LINK")
    assert with_bytes - without_bytes == 64_000 * 8 / 64_000
    assert (warnings, none) == (1, 0)


def _assigned(*disabled: str, to: tuple[str, ...] = ("bob",)) -> tuple[Scenario, object]:
    sim, users = _sim(*disabled, alice={}, bob={})
    sim.world.add_user("eve", organization="Fabrikam")
    sim.world.configure(by=sim.world.admin, sync_assigned_tasks=True)
    sim.create(users["alice"], "task", "Call", "Outlook")
    sim.assign("Call", list(to))
    return sim, sim.sync()


def test_assigned_on_off_keeps_an_assigned_task_out_with_the_option_on():
    sim, report = _assigned("TASK-ASSIGNED-ON")
    assert sim.in_crm("Call") is None and report.events == []


def test_same_org_off_lets_the_assigner_own_a_task_assigned_outside():
    sim, _ = _assigned("TASK-SAME-ORG", to=("eve",))
    assert sim.owner_name(sim.in_crm("Call")) == "alice"


def test_one_address_off_gives_the_task_to_the_first_assignee():
    sim, _ = _assigned("TASK-ONE-ADDRESS", to=("bob", "alice"))
    assert sim.owner_name(sim.in_crm("Call")) == "bob"


def test_two_options_changed_at_once_revisit_contacts_and_appointments():
    sim, users = _sim()
    sim.create(users["alice"], "contact", "Ann", "CRM", {"address2_city": "Oslo"})
    sim.create(users["alice"], "appointment", "Demo", "CRM")
    sim.attach("Demo", "CRM", "a.pdf", 10)
    sim.sync()
    sim.world.configure(
        by=sim.world.admin, contact_address_sync="all-three", sync_appointment_attachments=True
    )
    sim.sync()
    assert sim.view("Ann", "Outlook")["HomeAddressCity"] == "Oslo"
    assert "a.pdf" in sim.outlook_attachments("Demo")


def test_the_naive_engine_switches_every_guard_off_and_reports_no_loss():
    world = World(seed=4, engine=NaiveEngine())
    alice = world.add_user("alice")
    sim = Scenario(world)
    sim.create(alice, "task", "Weekly", "Outlook", {"IsRecurring": True})
    sim.create(alice, "contact", "Ann", "CRM")
    sim.sync()
    sim.edit("Ann", "CRM", {"jobtitle": "Pilot"})
    sim.edit("Ann", "Outlook", {"JobTitle": "Captain"})
    report = sim.sync()
    assert sim.in_crm("Weekly") is not None
    assert report.losses == [] and [e.outcome for e in report.events] == ["conflict", "synced"]


def test_every_rule_of_the_catalogue_is_a_guard_and_every_stop_guard_says_why():
    from syncsim.harness.engine.guards import GUARDS, Guards, TaskFacts
    from syncsim.harness.rules import RULES
    from syncsim.harness.settings import Options

    assert list(GUARDS) == list(RULES)
    world = World()
    alice = world.add_user("alice")
    eve = world.add_user("eve", organization="Fabrikam")
    bob = world.add_user("bob")
    facts = TaskFacts(alice, Options(), True, (bob.email, eve.email), (bob, eve))
    assert [rule for rule, _ in Guards().stops("task", facts)] == [
        "TASK-ASSIGNED-OFF",
        "TASK-RECURRING",
        "TASK-SAME-ORG",
        "TASK-ONE-ADDRESS",
    ]
    assert Guards(["TASK-ONE-ADDRESS"]).stops("task", facts)[-1][0] == "TASK-SAME-ORG"
    sam = world.add_user("sam", channel="server-side")
    facts = TaskFacts(sam, Options(), True, (bob.email,), (bob,))
    assert Guards().stops("task", facts) == [
        (
            "TASK-OUTLOOK-ONLY",
            "assigned tasks are synced by CRM for Outlook only; server-side sync leaves them in "
            "Exchange whatever the option says",
        )
    ]


def test_with_the_delete_rule_off_a_copy_with_unsynced_edits_is_kept_untracked():
    world = World(seed=3, disabled_rules=["DELETE-APPT-IN-CRM"])
    sim = Scenario(world)
    sim.create(world.add_user("alice"), "appointment", "Review", "CRM")
    sim.sync()
    sim.attach("Review", "Outlook", "notes.txt", 10)
    sim.sync()
    sim.delete("Review", "CRM")
    [event] = sim.sync().events
    assert event.detail == (
        "deleted in CRM; kept in Outlook, untracked, with edits not yet synced: Attachments[notes.txt]"
    )
    assert sim.in_outlook("Review") is not None and sim.violations == []
