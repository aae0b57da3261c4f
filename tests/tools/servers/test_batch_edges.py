"""What Microsoft's SDKs never send, answered as Dataverse answers it: a $batch that is not one, too
large, or nested; a bulk action on the wrong table or set; metadata of a table or cast not here;
a lost response to a batch (everything done, no answer); the control API's page limit."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from syncsim.harness.tools.servers.app import Server
from syncsim.harness.tools.servers.backend import Backend
from syncsim.harness.world import World

API = "/api/data/v9.2"


@pytest.fixture(scope="module")
def serving() -> Iterator[Server]:
    with Server(Backend(World(seed=0))) as running:
        yield running


@pytest.fixture
def http(serving: Server) -> Iterator[httpx.Client]:
    world = World(seed=21)
    world.populate(world.add_user("alice"), contacts=3)
    serving.backend.use(world)
    serving.backend.page_limit = None
    token = serving.backend.token_for("alice")
    headers = {"Authorization": f"Bearer {token}", **serving.control_headers}
    with httpx.Client(base_url=serving.url, headers=headers, timeout=10) as client:
        yield client


def _names(serving: Server) -> list[str]:
    crm = serving.backend.world.crm_of(serving.backend.world.user("alice"))
    return sorted(str((crm.peek("contact", i) or {}).get("firstname")) for i in crm.ids("contact"))


def _batch(parts: list[str], boundary: str = "b1") -> tuple[dict[str, str], str]:
    body = "".join(f"--{boundary}\r\n{part}" for part in parts) + f"--{boundary}--\r\n"
    return {"Content-Type": f"multipart/mixed; boundary={boundary}"}, body


def _request(method: str, url: str, body: str = "") -> str:
    head = "Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n"
    json_head = "Content-Type: application/json\r\n" if body else ""
    return f"{head}{method} {url} HTTP/1.1\r\n{json_head}\r\n{body}\r\n"


def test_a_batch_needs_a_multipart_body_of_requests(http):
    refused = http.post(f"{API}/$batch", json={"requests": []})
    assert refused.status_code == 400 and "multipart/mixed" in refused.json()["error"]["message"]
    headers, body = _batch(["Content-Type: text/plain\r\n\r\nhello\r\n"])
    refused = http.post(f"{API}/$batch", headers=headers, content=body)
    assert refused.status_code == 400 and "not application/http" in refused.json()["error"]["message"]
    headers, body = _batch([_request("FETCH", "contacts")])
    assert http.post(f"{API}/$batch", headers=headers, content=body).status_code == 400
    inner = "--c2\r\nContent-Type: multipart/mixed; boundary=c3\r\n\r\n--c3--\r\n--c2--\r\n"
    nested = f"Content-Type: multipart/mixed; boundary=c2\r\n\r\n{inner}"
    headers, body = _batch([nested])
    refused = http.post(f"{API}/$batch", headers=headers, content=body)
    assert refused.status_code == 400 and "cannot hold another" in refused.json()["error"]["message"]


def test_a_batch_holds_at_most_a_thousand_requests_and_no_batch(http, serving):
    headers, body = _batch([_request("GET", "contacts?$top=1")] * 1001)
    refused = http.post(f"{API}/$batch", headers=headers, content=body)
    assert refused.status_code == 400 and "at most 1,000" in refused.json()["error"]["message"]
    headers, body = _batch([_request("POST", f"{API}/$batch")])
    answered = http.post(f"{API}/$batch", headers=headers, content=body)
    assert answered.status_code == 200 and "HTTP/1.1 400" in answered.text
    assert answered.headers["content-type"].startswith("multipart/mixed; boundary=batchresponse_")


def test_a_lost_response_to_a_batch_loses_the_answer_after_every_request_is_done(http, serving):
    http.post("/_syncsim/faults", json={"kind": "lost-response", "write": 1})
    headers, body = _batch(
        [
            _request("POST", "contacts", '{"firstname": "Lost"}'),
            _request("POST", "contacts", '{"firstname": "Also"}'),
        ]
    )
    with pytest.raises(httpx.HTTPError):
        http.post(f"{API}/$batch", headers=headers, content=body)
    assert {"Lost", "Also"} <= set(_names(serving))


def test_bulk_actions_keep_to_one_table_of_their_set(http, serving):
    before = _names(serving)
    mixed = {"Targets": [{"firstname": "A"}, {"@odata.type": "Microsoft.Dynamics.CRM.task", "subject": "x"}]}
    refused = http.post(f"{API}/contacts/Microsoft.Dynamics.CRM.CreateMultiple", json=mixed)
    assert (
        refused.status_code == 400 and "must be a contact, not a task" in refused.json()["error"]["message"]
    )
    assert (
        http.post(f"{API}/systemusers/Microsoft.Dynamics.CRM.CreateMultiple", json=mixed).status_code == 404
    )
    assert (
        http.post(f"{API}/contacts/Microsoft.Dynamics.CRM.CreateMultiple", json={"Targets": []}).status_code
        == 400
    )
    assert _names(serving) == before


def test_a_failed_write_inside_a_bulk_action_undoes_the_ones_before(http, serving):
    before = _names(serving)
    http.post("/_syncsim/faults", json={"kind": "fail", "write": 2})
    targets = {"Targets": [{"firstname": "One"}, {"firstname": "Two"}, {"firstname": "Three"}]}
    failed = http.post(f"{API}/contacts/Microsoft.Dynamics.CRM.CreateMultiple", json=targets)
    assert failed.status_code == 500
    assert _names(serving) == before


def test_entity_definitions_answer_what_is_not_here(http):
    tables = http.get(f"{API}/EntityDefinitions", params={"$select": "LogicalName"}).json()["value"]
    assert {t["LogicalName"] for t in tables} >= {"contact", "appointment", "task"}
    assert http.get(f"{API}/EntityDefinitions(LogicalName='account')").status_code == 404
    cast = f"{API}/EntityDefinitions(LogicalName='task')/Attributes/Microsoft.Dynamics.CRM.NoSuchMetadata"
    assert http.get(cast).status_code == 404
    state = http.get(
        f"{API}/EntityDefinitions(LogicalName='task')/Attributes(LogicalName='statecode')"
    ).json()
    assert state["AttributeType"] == "State"
    assert http.patch(f"{API}/EntityDefinitions(LogicalName='task')", json={}).status_code == 400


def test_the_control_api_lowers_every_page_and_lifts_the_limit(http):
    assert http.post("/_syncsim/paging", json={"most": 2}).status_code == 201
    page = http.get(f"{API}/contacts").json()
    assert len(page["value"]) == 2 and "@odata.nextLink" in page
    assert http.post("/_syncsim/paging", json={"most": 0}).status_code == 400
    assert http.delete("/_syncsim/paging").status_code == 204
    assert len(http.get(f"{API}/contacts").json()["value"]) == 3


def test_metadata_is_a_csdl_document_of_the_tables_entity_definitions_describe(http):
    from defusedxml import ElementTree

    answer = http.get(f"{API}/$metadata")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/xml")
    edm = "{http://docs.oasis-open.org/odata/ns/edm}"
    document = ElementTree.fromstring(answer.content)
    sets = {s.get("Name"): s.get("EntityType") for s in document.iter(f"{edm}EntitySet")}
    assert sets["contacts"] == "Microsoft.Dynamics.CRM.contact" and "tasks" in sets
    (task,) = [t for t in document.iter(f"{edm}EntityType") if t.get("Name") == "task"]
    types = {p.get("Name"): p.get("Type") for p in task.iter(f"{edm}Property")}
    assert task.find(f"{edm}Key/{edm}PropertyRef").get("Name") == "activityid"
    described = http.get(
        f"{API}/EntityDefinitions(LogicalName='task')/Attributes", params={"$select": "LogicalName"}
    )
    names = {a["LogicalName"] for a in described.json()["value"]}
    assert {n.removeprefix("_").removesuffix("_value") for n in types} == names
    assert (types["activityid"], types["scheduledend"], types["_ownerid_value"]) == (
        "Edm.Guid",
        "Edm.DateTimeOffset",
        "Edm.Guid",
    )


def test_a_bulk_delete_takes_only_a_query_of_primary_ids(http, serving):
    before = _names(serving)
    by_name = {
        "QuerySet": [
            {
                "EntityName": "contact",
                "Criteria": {
                    "Conditions": [{"AttributeName": "firstname", "Operator": "Equal", "Values": ["x"]}]
                },
            }
        ]
    }
    refused = http.post(f"{API}/BulkDelete", json=by_name)
    assert refused.status_code == 400 and "primary id In (ids)" in refused.json()["error"]["message"]
    by_name["QuerySet"][0]["EntityName"] = "account"
    assert http.post(f"{API}/BulkDelete", json=by_name).status_code == 400
    assert http.post(f"{API}/BulkDelete", json={"QuerySet": []}).status_code == 400
    assert _names(serving) == before
