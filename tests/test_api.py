"""The public API as the issue shows it, run as written."""

from datetime import timedelta

import pytest

from syncsim.harness import NotFound, NotPermitted, World


def test_the_documented_example_runs():
    world = World(seed=7)
    alice = world.add_user("alice")
    assert alice.email == World(seed=7).add_user("alice").email
    bob = world.add_user("bob", channel="server-side", bandwidth_kbps=256, latency_ms=80)
    world.add_user("eve", organization="Fabrikam")
    world.add_user("olga", client_version="7.0.0")
    world.configure(by=world.admin, sync_appointment_attachments=True, contact_address_sync="all-three")
    assert world.settings.contact_address_sync == "all-three"
    world.populate(alice, contacts=50, appointments=10, tasks=5, side="crm")

    cid = world.crm.create("contact", {"firstname": "Ann", "address1_city": "Oslo"}, owner=alice)
    assert world.crm.get("contact", cid)["contactid"] == cid
    world.crm.update("contact", cid, {"address1_city": "Bergen", "lastname": "Berg"})
    assert world.crm.query("contact", lastname="Berg")[0]["address1_city"] == "Bergen"
    now = world.clock.now()
    aid = world.crm.create(
        "appointment",
        {"subject": "Demo", "scheduledstart": now, "scheduledend": now + timedelta(hours=1)},
        owner=alice,
    )
    world.crm.attach(aid, "agenda.pdf", b"...")
    assert world.crm.attachments(aid)[0]["filesize"] == 3

    box = world.outlook(alice)
    eid = box.create(
        "contact",
        {"FirstName": "Ann", "HomeAddressCity": "Oslo", "SelectedMailingAddress": "home"},
        track=True,
    )
    assert box.get(eid)["EntryID"] == eid
    rid = box.create(
        "appointment",
        {
            "Subject": "Weekly",
            "Start": now,
            "End": now + timedelta(hours=1),
            "IsRecurring": True,
            "RecurrencePattern": {"RecurrenceType": "weekly", "Interval": 1, "Occurrences": 5},
        },
        track=True,
    )
    box.attach(rid, "photo.jpg", b"...")
    assert box.get(rid)["Attachments"] == [{"FileName": "photo.jpg", "Size": 3}]
    tid = box.create("task", {"Subject": "Call back"}, track=True)
    box.assign(tid, to=[bob.email])

    report = world.sync()
    assert {e.outcome for e in report.events} <= {
        "synced",
        "skipped",
        "conflict",
        "lost",
        "warning",
    }
    assert report.duration(bob) > 0
    assert world.crm.query("recurringappointmentmaster", subject="Weekly")
    assert len(world.sync(cycles=3).cycles) == 3

    with pytest.raises(NotPermitted):
        world.configure(by=alice, sync_assigned_tasks=True)
    with pytest.raises(NotFound):
        world.crm.get("contact", "missing")
