"""The fake CRM and Outlook stores: records, items, attachments, validation, change tracking."""

import pytest

from syncsim.harness import NotFound, World
from syncsim.harness.stores.changes import ChangeLog


@pytest.fixture
def world():
    return World(seed=1)


@pytest.fixture
def alice(world):
    return world.add_user("alice")


def test_crm_record_round_trip(world, alice):
    cid = world.crm.create("contact", {"firstname": "Ann", "lastname": "Berg"}, owner=alice)
    record = world.crm.get("contact", cid)
    assert record["contactid"] == cid
    assert record["fullname"] == "Ann Berg"
    assert record["ownerid"] == alice.systemuserid
    assert record["modifiedon"] == world.clock.now()
    world.crm.update("contact", cid, {"address1_city": "Bergen"})
    assert world.crm.get("contact", cid)["versionnumber"] > record["versionnumber"]
    assert [r["contactid"] for r in world.crm.query("contact", lastname="Berg")] == [cid]


def test_crm_get_returns_a_copy(world, alice):
    cid = world.crm.create("contact", {"firstname": "Ann"}, owner=alice)
    world.crm.get("contact", cid)["firstname"] = "Changed"
    assert world.crm.get("contact", cid)["firstname"] == "Ann"


def test_crm_rejects_unknown_entities_and_attributes_by_name(world, alice):
    with pytest.raises(ValueError, match="'lead'.*known: contact"):
        world.crm.create("lead", {}, owner=alice)
    with pytest.raises(ValueError, match="'address1_town'.*address1_city"):
        world.crm.create("contact", {"address1_town": "Oslo"}, owner=alice)


def test_missing_records_and_items_are_not_found(world, alice):
    with pytest.raises(NotFound, match="no contact with id 'nope'"):
        world.crm.get("contact", "nope")
    with pytest.raises(NotFound, match="EntryID 'nope'"):
        world.outlook(alice).get("nope")


def test_crm_attachments_on_appointments_only(world, alice):
    aid = world.crm.create("appointment", {"subject": "Demo"}, owner=alice)
    world.crm.attach(aid, "agenda.pdf", b"abc")
    [row] = world.crm.attachments(aid)
    assert (row["filename"], row["filesize"], row["body"]) == ("agenda.pdf", 3, b"abc")
    tid = world.crm.create("task", {"subject": "Call"}, owner=alice)
    with pytest.raises(ValueError, match="attachments go on appointments"):
        world.crm.attach(tid, "x.txt", b"")


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


def test_change_log_reads_each_changed_key_once_after_the_watermark():
    log = ChangeLog()
    for key in ("a", "b", "a", "c"):
        log.record(key)
    assert list(log.since(0)) == ["a", "b", "c"]
    assert list(log.since(2)) == ["a", "c"]
    assert list(log.since(log.seq)) == []


def test_a_users_change_log_holds_their_records_and_those_that_left_them(world, alice):
    bob = world.add_user("bob")
    crm = world.crm
    mine = crm.create("contact", {"lastname": "Mine"}, owner=alice)
    theirs = crm.create("contact", {"lastname": "Theirs"}, owner=bob)
    given = crm.create("contact", {"lastname": "Given"}, owner=alice)
    mark = crm.changes.seq
    crm.update("contact", theirs, {"jobtitle": "x"})
    crm.update("contact", given, {"ownerid": bob.systemuserid})  # leaves alice: both see it
    crm.delete("contact", mine)
    assert list(crm.changed_since(mark, owner=alice.systemuserid)) == [("contact", given), ("contact", mine)]
    assert list(crm.changed_since(mark, owner=bob.systemuserid)) == [("contact", theirs), ("contact", given)]
    assert list(crm.changed_since(mark)) == [("contact", theirs), ("contact", given), ("contact", mine)]
    assert list(crm.changed_since(0, owner="nobody")) == []


def test_a_mailbox_remembers_the_kind_of_what_was_deleted(world, alice):
    box = world.outlook(alice)
    entry = box.create("task", {"Subject": "Call"}, track=True)
    box.delete(entry)
    assert box.kind_of_deleted(entry) == "task" and box.kind_of_deleted("nope") is None
