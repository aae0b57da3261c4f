"""The fake Dynamics CRM store (harness/stores/crm.py): records, validation, attachments, change tracking."""

import pytest

from syncsim.harness import NotFound


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
