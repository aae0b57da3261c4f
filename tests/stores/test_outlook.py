"""The fake Outlook mailbox (harness/stores/outlook.py): items, validation, attachments, assignment,
tombstones."""

import pytest


def test_outlook_item_round_trip_and_mailing_address_mirror(world, alice):
    box = world.outlook(alice)
    eid = box.create(
        "contact",
        {"FirstName": "Ann", "HomeAddressCity": "Oslo", "SelectedMailingAddress": "home"},
        track=True,
    )
    item = box.get(eid)
    assert item["EntryID"] == eid and item["MessageClass"] == "IPM.Contact"
    assert item["MailingAddressCity"] == "Oslo"
    assert box.is_tracked(eid)
    box.untrack(eid)
    assert not box.is_tracked(eid)
    assert [i["EntryID"] for i in box.find("contact", FirstName="Ann")] == [eid]
    box.delete(eid)
    assert box.find("contact") == []


def test_outlook_rejects_unknown_properties_and_mailing_choices(world, alice):
    box = world.outlook(alice)
    with pytest.raises(ValueError, match="'BusinessCity'"):
        box.create("contact", {"BusinessCity": "Oslo"})
    with pytest.raises(ValueError, match="'work'.*allowed: none, business, home, other"):
        box.create("contact", {"SelectedMailingAddress": "work"})


def test_outlook_attachments_and_assignment(world, alice):
    box = world.outlook(alice)
    rid = box.create("appointment", {"Subject": "Weekly", "IsRecurring": True})
    box.attach(rid, "photo.jpg", b"12345")
    assert box.get(rid)["Attachments"] == [{"FileName": "photo.jpg", "Size": 5}]
    tid = box.create("task", {"Subject": "Call back"}, track=True)
    box.assign(tid, to=["bob@example.com"])
    task = box.get(tid)
    assert task["Recipients"] == ["bob@example.com"] and task["Delegator"] == alice.email
    with pytest.raises(ValueError, match="at least one"):
        box.assign(tid, to=[])


def test_a_mailbox_remembers_the_kind_of_what_was_deleted(world, alice):
    box = world.outlook(alice)
    entry = box.create("task", {"Subject": "Call"}, track=True)
    box.delete(entry)
    assert box.kind_of_deleted(entry) == "task" and box.kind_of_deleted("nope") is None
