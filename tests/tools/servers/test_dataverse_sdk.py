"""The Dataverse face as Microsoft's own Python SDK (PowerPlatform-Dataverse-Client) uses it, over
HTTPS with the server's local CA: records one by one and in bulk (CreateMultiple, UpdateMultiple,
UpsertMultiple), queries and paging, $batch with change sets, EntityDefinitions; and what the
store holds afterwards, read from the world, not from the SDK's answers."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sdks import StaticCredential, dataverse_client

from syncsim.harness.tools.servers.app import Server
from syncsim.harness.world import World

MISSING = "00000000-0000-0000-0000-000000000001"


@pytest.fixture
def server(https_server: Server) -> Server:
    """The module's server over a new world: alice with 3 contacts, no faults."""
    world = World(seed=11)
    world.populate(world.add_user("alice"), contacts=3)
    https_server.backend.use(world)
    return https_server


@pytest.fixture
def client(server: Server, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    with dataverse_client(server, monkeypatch) as sdk:
        yield sdk


def _contacts(server: Server) -> dict[str, dict[str, Any]]:
    crm = server.backend.world.crm_of(server.backend.world.user("alice"))
    return {record_id: crm.peek("contact", record_id) or {} for record_id in crm.ids("contact")}


def _first_names(server: Server) -> list[str]:
    return sorted(str(c.get("firstname")) for c in _contacts(server).values())


def test_the_sdk_refuses_plain_http_and_so_the_server_speaks_https(server):
    from PowerPlatform.Dataverse.client import DataverseClient

    with pytest.raises(ValueError, match="HTTPS"):
        DataverseClient(server.url.replace("https", "http"), StaticCredential("token"))


def test_create_get_update_delete_one_record(server, client):
    made = client.records.create("contact", {"firstname": "Eva", "lastname": "Berg"})
    assert _contacts(server)[made]["lastname"] == "Berg"
    client.records.update("contact", made, {"jobtitle": "Buyer"})
    read = client.records.retrieve("contact", made, select=["firstname", "jobtitle"])
    assert (read.id, read["firstname"], read["jobtitle"]) == (made, "Eva", "Buyer")
    client.records.delete("contact", made)
    assert made not in _contacts(server) and client.records.retrieve("contact", made) is None


def test_queries_select_filter_order_top_and_pages(server, client):
    client.records.create("contact", [{"firstname": f"P{i}", "jobtitle": "Staff"} for i in range(5)])
    pages = list(
        client.records.list_pages(
            "contact",
            select=["firstname"],
            filter="jobtitle eq 'Staff'",
            orderby=["firstname desc"],
            page_size=2,
        )
    )
    assert [len(page) for page in pages] == [2, 2, 1]  # (paged by @odata.nextLink)
    assert [r["firstname"] for page in pages for r in page] == ["P4", "P3", "P2", "P1", "P0"]
    top = list(client.records.list("contact", select=["firstname"], orderby=["firstname"], top=2))
    assert [r["firstname"] for r in top] == sorted(_first_names(server))[:2]


def test_create_multiple_creates_every_target_or_none(server, client):
    before = _first_names(server)
    ids = client.records.create("contact", [{"firstname": "Ann"}, {"firstname": "Bo"}])
    assert [_contacts(server)[i]["firstname"] for i in ids] == ["Ann", "Bo"]
    with pytest.raises(Exception, match="nosuchcolumn"):
        client.records.create("contact", [{"firstname": "Cy"}, {"nosuchcolumn": "x"}])
    assert _first_names(server) == sorted([*before, "Ann", "Bo"])  # Cy undone with the bad one


def test_update_multiple_updates_every_target_or_none(server, client):
    ids = client.records.create("contact", [{"firstname": "Ann"}, {"firstname": "Bo"}])
    client.records.update("contact", ids, {"jobtitle": "Lead"})
    assert {_contacts(server)[i]["jobtitle"] for i in ids} == {"Lead"}
    with pytest.raises(Exception, match="Does Not Exist"):
        client.records.update("contact", [ids[0], MISSING], {"jobtitle": "Gone"})
    assert _contacts(server)[ids[0]]["jobtitle"] == "Lead"  # (UpdateMultiple never creates)


def test_deleting_many_records_at_once_is_a_bulk_delete(server, client):
    ids = client.records.create("contact", [{"firstname": "Ann"}, {"firstname": "Bo"}, {"firstname": "Cy"}])
    job = client.records.delete("contact", [*ids[:2], MISSING])  # (the SDK's default: BulkDelete)
    assert job and set(_contacts(server)) & set(ids) == {ids[2]}


def test_upsert_by_primary_key_one_and_many(server, client):
    (made,) = client.records.create("contact", [{"firstname": "Ann"}])
    new = "2b1f1d9e-0000-4000-8000-000000000042"
    client.records.upsert("contact", [{"alternate_key": {"contactid": made}, "record": {"lastname": "One"}}])
    client.records.upsert(
        "contact",
        [
            {"alternate_key": {"contactid": made}, "record": {"lastname": "Two"}},
            {"alternate_key": {"contactid": new}, "record": {"firstname": "New"}},
        ],
    )
    contacts = _contacts(server)
    assert (contacts[made]["lastname"], contacts[new]["firstname"]) == ("Two", "New")
    with pytest.raises(Exception, match="not an alternate key"):
        client.records.upsert("contact", [{"alternate_key": {"emailaddress1": "a@b.c"}, "record": {}}])


def test_a_batch_runs_in_order_and_a_change_set_is_one_transaction(server, client):
    (kept,) = client.records.create("contact", [{"firstname": "Kept"}])
    batch = client.batch.new()
    batch.records.create("contact", {"firstname": "Solo"})
    with batch.changeset() as changes:
        made = changes.records.create("contact", {"firstname": "Pair"})
        changes.records.update("contact", made, {"jobtitle": "Referenced by $1"})
    batch.records.retrieve("contact", kept, select=["firstname"])
    result = batch.execute()
    assert [r.status_code for r in result.responses] == [204, 204, 204, 200]
    assert not result.has_errors and result.responses[-1].data["firstname"] == "Kept"
    paired = [c for c in _contacts(server).values() if c.get("firstname") == "Pair"]
    assert [c["jobtitle"] for c in paired] == ["Referenced by $1"]

    before = _first_names(server)
    failing = client.batch.new()
    with failing.changeset() as changes:
        changes.records.create("contact", {"firstname": "Undone"})
        changes.records.update("contact", MISSING, {"jobtitle": "x"})
    failing.records.create("contact", {"firstname": "Never"})
    result = failing.execute()
    assert [r.status_code for r in result.responses] == [404]  # the change set's one answer, then stop
    assert _first_names(server) == before

    going_on = client.batch.new()
    going_on.records.update("contact", MISSING, {"jobtitle": "x"})
    going_on.records.create("contact", {"firstname": "Still"})
    result = going_on.execute(continue_on_error=True)
    assert [r.status_code for r in result.responses] == [404, 204]
    assert "Still" in _first_names(server)


def test_a_throttled_request_in_a_batch_refuses_the_whole_batch_with_retry_after(server, client):
    from PowerPlatform.Dataverse.core.errors import HttpError

    before = _first_names(server)
    trusted = ssl.create_default_context(cafile=str(server.tls.bundle))
    with httpx.Client(base_url=server.url, verify=trusted, headers=server.control_headers) as http:
        assert (
            http.post(
                "/_syncsim/faults", json={"kind": "throttled", "write": 2, "retry_after": 3}
            ).status_code
            == 201
        )
    batch = client.batch.new()
    batch.records.create("contact", {"firstname": "First"})
    batch.records.create("contact", {"firstname": "Second"})
    with pytest.raises(HttpError) as refused:
        batch.execute()
    assert refused.value.status_code == 429
    assert _first_names(server) == before  # nothing of the batch kept


def test_entity_definitions_name_the_tables_and_their_choices(server, client):
    info = client.tables.get("contact")
    assert (info["entity_set_name"], info["primary_id_attribute"]) == ("contacts", "contactid")
    assert client.tables.get("task")["primary_name_attribute"] == "subject"
    made = client.records.create("task", {"subject": "Call back", "prioritycode": "High"})  # a label
    crm = server.backend.world.crm_of(server.backend.world.user("alice"))
    assert (crm.peek("task", made) or {})["prioritycode"] == 2  # the SDK read the label's value here
    assert client.tables.get("nosuchtable") is None
