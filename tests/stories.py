"""The stories the golden traces tell: rich sequences of edits on both sides, faults and settings,
and their account rendered line by line (tests/features/test_golden_traces.py compares it with
the reviewed copies in tests/data; tests/test_speed.py tells them with the fast paths off)."""

from datetime import timedelta

from syncsim.harness import World
from syncsim.harness.report import Report
from syncsim.harness.sim.network import Faults
from syncsim.harness.tools.scenario import Scenario


def story() -> tuple[Scenario, list[Report]]:
    world = World(seed=21)
    sim = Scenario(world)
    alice = world.add_user("alice", bandwidth_kbps=512, latency_ms=50)
    bob = world.add_user("bob", channel="server-side")
    olga = world.add_user("olga", client_version="7.0.0")
    world.add_user("eve", organization="Fabrikam")
    world.configure(by=world.admin, sync_appointment_attachments=True)
    sim.create(alice, "contact", "Ann", "CRM", {"address2_city": "Oslo", "jobtitle": "Pilot"})
    sim.create(alice, "appointment", "Review", "CRM")
    sim.attach("Review", "CRM", "agenda.pdf", 4096)
    sim.create(alice, "task", "Call", "Outlook")
    sim.create(alice, "recurring appointment", "Weekly", "Outlook")
    sim.attach("Weekly", "Outlook", "minutes.docx", 512)
    sim.create(alice, "service activity", "Boiler", "CRM")
    sim.attach("Boiler", "CRM", "order.pdf", 256)
    sim.create(alice, "task", "Two", "Outlook")
    sim.assign("Two", ["bob", "eve"])
    sim.create(bob, "contact", "Bo", "Outlook", {"JobTitle": "Clerk"})
    sim.create(bob, "task", "Pay", "Outlook")
    sim.assign("Pay", ["alice"])
    sim.create(olga, "contact", "Ola", "CRM")
    reports = [sim.sync()]

    sim.edit("Ann", "CRM", {"jobtitle": "Captain"})
    sim.edit("Ann", "Outlook", {"JobTitle": "Chief", "HomeAddressCity": "Bergen"})
    sim.attach("Review", "CRM", "photo.jpg", 100)
    world.clock.advance(60)
    sim.attach("Review", "Outlook", "photo.jpg", 200)
    sim.detach("Review", "Outlook", "agenda.pdf")
    sim.delete("Call", "CRM")
    sim.track("Bo", False)
    world.configure(by=world.admin, contact_address_sync="all-three")
    world.network.fail_write(3, lose_response=True)
    reports.append(sim.sync())
    reports.append(sim.sync())

    sim.edit("Bo", "CRM", {"jobtitle": "Manager"})
    world.clock.advance(60)
    sim.edit("Bo", "Outlook", {"JobTitle": "Director"})
    sim.track("Bo", True)
    sim.edit("Boiler", "Outlook", {"Location": "Basement"})
    reports.append(sim.sync())

    world.configure(by=world.admin, sync_appointment_attachments=False)
    sim.attach("Review", "Outlook", "late.txt", 64)
    sim.delete("Ola", "CRM")
    reports.append(sim.sync())
    return sim, reports


def microsoft_story() -> tuple[Scenario, list[Report]]:
    """The rules beyond the seed page: deletes, untracking, one-way service activities, assigned
    tasks, filters, inactive contacts, attachment limits, and time passing per channel."""
    world = World(seed=22)
    sim = Scenario(world)
    alice = world.add_user("alice")
    world.add_user("bob")
    sam = world.add_user("sam", channel="server-side")
    world.set_user_options(alice, delete_in_crm_on_untrack=True)
    world.configure(by=world.admin, sync_appointment_attachments=True, sync_assigned_tasks=True)
    everything_i_own = '<condition attribute="ownerid" operator="eq-userid"/>'
    world.add_filter(
        sam, f'<fetch><entity name="contact"><filter>{everything_i_own}</filter></entity></fetch>'
    )
    sim.create(alice, "appointment", "Review", "Outlook")
    sim.create(alice, "appointment", "Old", "CRM", {"scheduledend": world.clock.now() - timedelta(days=3)})
    sim.create(alice, "appointment", "Untracked", "CRM")
    sim.create(alice, "service activity", "Boiler", "CRM")
    sim.create(alice, "contact", "Ann", "Outlook")
    sim.create(alice, "contact", "Cat", "CRM")
    sim.create(alice, "task", "Call", "Outlook")
    sim.create(alice, "task", "Done", "CRM", {"percentcomplete": 100})
    sim.create(sam, "contact", "Sol", "CRM")
    sim.attach("Review", "Outlook", "setup.exe", 100)
    sim.attach("Review", "Outlook", "huge.m4a", 6 * 1024 * 1024)
    reports = [sim.sync()]

    sim.edit("Review", "CRM", {"location": "Room 4"})
    sim.delete("Review", "Outlook")
    sim.delete("Old", "CRM")
    sim.track("Untracked", False)
    sim.edit("Boiler", "Outlook", {"Location": "Basement"})
    sim.give("Ann", "bob")
    sim.edit("Cat", "CRM", {"statecode": 1})
    sim.edit("Sol", "CRM", {"statecode": 1})
    sim.assign("Call", ["bob"])
    sim.delete("Done", "CRM")
    reports.append(sim.sync())

    sim.pass_on("Call", "bob", ["alice"])
    sim.edit("Boiler", "CRM", {"location": "Garage"})
    reports.append(sim.sync())
    world.network.inject(Faults(down=(world.clock.now(), world.clock.now() + timedelta(hours=2))))
    sim.edit("Sol", "CRM", {"statecode": 0})
    reports.append(sim.run(90))
    return sim, reports


def d365_story() -> tuple[Scenario, list[Report]]:
    """Dynamics 365 server-side sync (the "d365" profile): the deletes the sync-logic page decides
    by organizer, date and state, a copy made in Exchange, a new mailbox approved, tested and
    enabled, and a queue's mailbox."""
    world = World(seed=365, profile="d365")
    sim = Scenario(world)
    alice = world.add_user("alice", channel="server-side")
    bob = world.add_user("bob", channel="server-side")
    carol = world.add_user("carol", channel="server-side", mailbox_ready=False)
    support = world.add_queue("support")
    past = {
        "scheduledstart": world.clock.now() - timedelta(days=3),
        "scheduledend": world.clock.now() - timedelta(days=3),
    }
    sim.create(alice, "appointment", "Review", "Outlook")
    sim.organize("Review", "Outlook", "bob")
    sim.create(alice, "appointment", "Planning", "CRM")
    sim.create(alice, "appointment", "Past", "CRM", past)
    sim.create(alice, "contact", "Ann", "Outlook")
    sim.create(alice, "contact", "Kim", "Outlook")
    sim.create(carol, "contact", "Cy", "CRM")
    sim.create(support, "appointment", "Escalation", "Outlook")
    sim.create(bob, "contact", "Bo", "CRM")
    sim.create(bob, "task", "Call", "Outlook")
    reports = [sim.sync()]

    sim.delete("Review", "CRM")
    sim.delete("Planning", "Outlook")
    sim.delete("Past", "Outlook")
    sim.delete("Ann", "Outlook")
    sim.copy("Kim", "Kim (copy)")
    world.test_and_enable_mailbox(carol)
    reports.append(sim.sync())

    sim.edit("Kim", "CRM", {"jobtitle": "Buyer"})
    world.approve_mailbox(carol)
    world.test_and_enable_mailbox(carol)
    reports.append(sim.sync())

    sim.edit("Cy", "Outlook", {"JobTitle": "Chef"})
    sim.delete("Call", "Outlook")
    sim.delete("Bo", "Outlook")
    world.change_mailbox(bob, actdeliverymethod=0)
    reports.append(sim.sync())

    world.change_mailbox(bob, actdeliverymethod=1, testemailconfigurationscheduled=True)
    reports.append(sim.sync())
    return sim, reports


def render(sim: Scenario, reports: list[Report]) -> list[str]:
    def label(item_id: str | None) -> str:
        return "-" if item_id is None else sim.label_of((item_id, item_id))

    lines = []
    for report in reports:
        for cycle in report.cycles:
            lines.append(f"cycle {cycle.number} at {cycle.started.isoformat()}: {cycle.writes} writes")
            lines += [f"  {name}: {seconds:.6f} s" for name, seconds in sorted(cycle.durations.items())]
            for e in cycle.events:
                ids = f"{label(e.crm_id)}/{label(e.entry_id)}"
                lines.append(f"  {e.outcome} {e.rule or '-'} {e.user} {e.entity} {ids} {e.detail}")
            for loss in cycle.losses:
                ids = f"{label(loss.ids[0])}/{label(loss.ids[1])}"
                lines.append(
                    f"  LOSS {loss.user} {loss.entity} {ids} {loss.side} {loss.field} "
                    f"{loss.old!r} -> {loss.new!r} {loss.rule or '-'}"
                )
    return lines
