"""The HTTP faces against a real server (127.0.0.1, a free port, stopped at the end): the Dataverse
Web API called as Microsoft's Web API samples do, with a plain HTTP client (httpx); Microsoft
Graph through Microsoft's own Graph SDK for Python (msgraph-sdk) and httpx; the control API."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest
from sdks import graph_client

from syncsim.harness.tools.servers.app import Server
from syncsim.harness.tools.servers.backend import Backend
from syncsim.harness.world import World

API = "/api/data/v9.2"


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    world = World(seed=5)
    alice = world.add_user("alice")
    world.add_user("bob")
    world.populate(alice, contacts=5, appointments=2)
    with Server(Backend(world)) as running:
        yield running


@pytest.fixture(scope="module")
def http(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=10, headers=server.control_headers) as client:
        yield client


def _token(http: httpx.Client, user: str) -> dict[str, str]:
    token = http.post("/_syncsim/tokens", json={"user": user}).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def alice(http: httpx.Client) -> dict[str, str]:
    return _token(http, "alice")


@pytest.fixture(autouse=True)
def _no_faults_left(http: httpx.Client) -> Iterator[None]:
    yield
    http.delete("/_syncsim/faults")


# -- Dataverse -----------------------------------------------------------------------------------


def test_who_am_i_and_tokens(http, alice, server):
    me = http.get(f"{API}/WhoAmI", headers=alice).json()
    assert me["UserId"] == server.backend.world.user("alice").systemuserid
    refused = http.get(f"{API}/contacts")
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "0x80040220"
    forged = http.get(f"{API}/contacts", headers={"Authorization": "Bearer nope"})
    assert forged.status_code == 401


def test_create_read_update_delete_with_etags(http, alice):
    created = http.post(
        f"{API}/contacts",
        json={
            "firstname": "Ann",
            "lastname": "Lee",
            "jobtitle": "Buyer",
            "birthdate": "1990-04-01T00:00:00Z",
        },
        headers={**alice, "Prefer": "return=representation"},
    )
    assert created.status_code == 201, created.text
    record = created.json()
    assert record["fullname"] == "Ann Lee" and record["birthdate"] == "1990-04-01T00:00:00Z"
    url = f"{API}/contacts({record['contactid']})"
    stale = http.patch(url, json={"jobtitle": "Head"}, headers={**alice, "If-Match": 'W/"0"'})
    assert stale.status_code == 412 and stale.json()["error"]["code"] == "0x80060882"
    fresh = http.patch(url, json={"jobtitle": "Head"}, headers={**alice, "If-Match": record["@odata.etag"]})
    assert fresh.status_code == 204 and fresh.headers["OData-EntityId"].endswith(url)
    read = http.get(f"{url}?$select=jobtitle", headers=alice).json()
    assert (
        read["jobtitle"] == "Head" and "lastname" not in read and read["@odata.etag"] != record["@odata.etag"]
    )
    assert http.delete(url, headers=alice).status_code == 204
    gone = http.get(url, headers=alice)
    assert gone.status_code == 404
    assert gone.json()["error"] == {
        "code": "0x80040217",
        "message": f"contact With Id = {record['contactid']} Does Not Exist",
    }


def test_upsert_creates_with_the_chosen_id_unless_if_match_says_update_only(http, alice):
    chosen = str(uuid.uuid4())
    made = http.patch(f"{API}/tasks({chosen})", json={"subject": "Call"}, headers=alice)
    assert made.status_code == 204
    assert http.get(f"{API}/tasks({chosen})?$select=subject", headers=alice).json()["subject"] == "Call"
    other = str(uuid.uuid4())
    refused = http.patch(f"{API}/tasks({other})", json={"subject": "x"}, headers={**alice, "If-Match": "*"})
    assert refused.status_code == 404


def test_unknown_attributes_are_refused_with_their_names(http, alice):
    bad = http.post(f"{API}/contacts", json={"firstname": "A", "nickname2": "x"}, headers=alice)
    assert bad.status_code == 400 and "'nickname2'" in bad.json()["error"]["message"]
    wrong = http.post(f"{API}/contacts", json={"birthdate": "soon"}, headers=alice)
    assert wrong.status_code == 400 and "birthdate" in wrong.json()["error"]["message"]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("lastname eq 'Lee' and firstname eq 'Bo'", {"Bo Lee"}),
        ("lastname eq 'lee' and (firstname eq 'Bo' or firstname eq 'Cy')", {"Bo Lee", "Cy Lee"}),
        ("lastname eq 'Lee' and not startswith(firstname,'B')", {"Cy Lee", "Di Lee"}),
        ("contains(jobtitle,'ngin') and lastname eq 'Lee'", {"Cy Lee"}),
        ("lastname eq 'Lee' and birthdate gt 1990-01-01T00:00:00Z", {"Di Lee"}),
        ("lastname eq 'Lee' and jobtitle eq null", {"Bo Lee"}),
        ("lastname eq 'Lee' and jobtitle ne null", {"Cy Lee", "Di Lee"}),
    ],
)
def test_filter(http, alice, expression, expected):
    for first, job, born in (
        ("Bo", None, None),
        ("Cy", "Engineer", "1980-05-05T00:00:00Z"),
        ("Di", "Buyer", "1995-01-01T00:00:00Z"),
    ):
        key = str(uuid.uuid5(uuid.NAMESPACE_URL, f"filter-{first}"))
        body = {"firstname": first, "lastname": "Lee", "jobtitle": job, "birthdate": born}
        assert http.patch(f"{API}/contacts({key})", json=body, headers=alice).status_code in (200, 204)
    found = http.get(f"{API}/contacts", params={"$filter": expression, "$select": "fullname"}, headers=alice)
    assert found.status_code == 200, found.text
    assert {r["fullname"] for r in found.json()["value"]} == expected


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"$filter": "nope eq 1"}, "could not find a property named 'nope'"),
        ({"$filter": "lastname eq"}, "$filter"),
        ({"$filter": "substringof('a', lastname)"}, "substringof"),
        ({"$select": "fullname,nope"}, "'nope'"),
        ({"$orderby": "lastname sideways"}, "asc or desc"),
        ({"$top": "many"}, "$top"),
    ],
)
def test_bad_queries_are_400_with_the_reason(http, alice, params, message):
    answer = http.get(f"{API}/contacts", params=params, headers=alice)
    assert answer.status_code == 400 and message in answer.json()["error"]["message"]


def test_order_top_count_and_paging_read_everything_once(http, alice):
    everyone = http.get(
        f"{API}/contacts", params={"$select": "fullname", "$count": "true"}, headers=alice
    ).json()
    count = everyone["@odata.count"]
    assert count == len(everyone["value"]) >= 5
    ordered = http.get(
        f"{API}/contacts", params={"$orderby": "fullname desc", "$top": "3"}, headers=alice
    ).json()
    names = [r["fullname"] for r in ordered["value"]]
    assert len(names) == 3 and names == sorted(names, key=str.lower, reverse=True)
    seen, url = [], f"{API}/contacts?$select=fullname"
    while url:
        page = http.get(url, headers={**alice, "Prefer": "odata.maxpagesize=2"}).json()
        assert len(page["value"]) <= 2
        seen += [r["contactid"] for r in page["value"]]
        url = page.get("@odata.nextLink")
    assert len(seen) == len(set(seen)) == count


def test_change_tracking_gives_changes_and_deletions(http, alice):
    first = http.get(
        f"{API}/appointments?$select=subject", headers={**alice, "Prefer": "odata.track-changes"}
    )
    assert first.headers["Preference-Applied"] == "odata.track-changes"
    delta = first.json()["@odata.deltaLink"]
    doomed = first.json()["value"][0]["activityid"]
    made = http.post(
        f"{API}/appointments", json={"subject": "New"}, headers={**alice, "Prefer": "return=representation"}
    )
    assert http.delete(f"{API}/appointments({doomed})", headers=alice).status_code == 204
    changes = http.get(delta, headers=alice).json()
    assert changes["@odata.context"].endswith("#appointments/$delta")
    assert {"subject": "New", "activityid": made.json()["activityid"]}.items() <= changes["value"][0].items()
    assert changes["value"][1] == {
        "@odata.context": f"{http.base_url}{API}/$metadata#appointments/$deletedEntity".replace(
            "//api", "/api"
        ),
        "id": doomed,
        "reason": "deleted",
    }
    again = http.get(changes["@odata.deltaLink"], headers=alice).json()
    assert again["value"] == []
    refused = http.get(f"{API}/appointments?$top=1", headers={**alice, "Prefer": "odata.track-changes"})
    assert refused.status_code == 400
    assert (
        refused.json()["error"]["message"]
        == 'The "$top" query parameter isn\'t supported when Change Tracking is enabled.'
    )


def test_the_organization_settings_only_an_administrator_changes(http, alice, server):
    row = http.get(f"{API}/organizations", headers=alice).json()["value"][0]
    assert (
        row["isappointmentattachmentsyncenabled"] is False
        and row["iscontactmailingaddresssyncenabled"] is True
    )
    url = f"{API}/organizations({row['organizationid']})"
    body = {"isappointmentattachmentsyncenabled": True}
    refused = http.patch(url, json=body, headers=alice)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "0x80040220"
    assert http.patch(url, json=body, headers=_token(http, "admin")).status_code == 204
    assert server.backend.world.settings.options().sync_appointment_attachments is True
    http.patch(url, json={"isappointmentattachmentsyncenabled": False}, headers=_token(http, "admin"))


def test_appointment_attachments(http, alice):
    appointment = http.post(
        f"{API}/appointments", json={"subject": "Files"}, headers={**alice, "Prefer": "return=representation"}
    ).json()
    row = {
        "objectid_appointment@odata.bind": f"/appointments({appointment['activityid']})",
        "filename": "agenda.pdf",
        "body": "aGVsbG8=",
        "mimetype": "application/pdf",
    }
    assert http.post(f"{API}/activitymimeattachments", json=row, headers=alice).status_code == 204
    query = {"$filter": f"_objectid_value eq {appointment['activityid']}"}
    [found] = http.get(f"{API}/activitymimeattachments", params=query, headers=alice).json()["value"]
    assert (found["filename"], found["filesize"], found["body"]) == ("agenda.pdf", 5, "aGVsbG8=")
    key = found["activitymimeattachmentid"]
    assert http.delete(f"{API}/activitymimeattachments({key})", headers=alice).status_code == 204
    assert http.get(f"{API}/activitymimeattachments", params=query, headers=alice).json()["value"] == []


# -- faults, from the control API ----------------------------------------------------------------


def test_a_429_carries_retry_after_and_an_early_retry_is_refused_and_counted(http, alice, server):
    record = http.post(
        f"{API}/contacts", json={"lastname": "Throttle"}, headers={**alice, "Prefer": "return=representation"}
    ).json()
    url = f"{API}/contacts({record['contactid']})"
    assert (
        http.post("/_syncsim/faults", json={"kind": "throttled", "write": 1, "retry_after": 1}).status_code
        == 201
    )
    early_before = server.backend.world.network.early_writes
    refused = http.patch(url, json={"jobtitle": "A"}, headers=alice)
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "1"
    assert refused.json()["error"]["code"] == "0x80072322"
    assert http.patch(url, json={"jobtitle": "A"}, headers=alice).status_code == 429
    assert server.backend.world.network.early_writes == early_before + 1
    time.sleep(1.05)
    assert http.patch(url, json={"jobtitle": "A"}, headers=alice).status_code == 204
    assert http.get("/_syncsim/report").json()["early_writes"] == early_before + 1


@pytest.mark.parametrize(
    ("kind", "status", "code"),
    [("busy", 503, "0x80040216"), ("stale", 412, "0x80060882"), ("fail", 500, "0x80040216")],
)
def test_other_faults_answer_as_dataverse_does(http, alice, kind, status, code):
    http.post("/_syncsim/faults", json={"kind": kind, "write": 1, "retry_after": 1})
    answer = http.post(f"{API}/contacts", json={"lastname": f"Fault {kind}"}, headers=alice)
    assert answer.status_code == status and answer.json()["error"]["code"] == code
    query = {"$filter": f"lastname eq 'Fault {kind}'"}
    assert http.get(f"{API}/contacts", params=query, headers=alice).json()["value"] == []  # nothing written


def test_a_dropped_response_still_applies_the_write(http, alice):
    http.post("/_syncsim/faults", json={"kind": "lost-response", "write": 1})
    with pytest.raises(httpx.RemoteProtocolError):
        http.post(f"{API}/contacts", json={"lastname": "Dropped"}, headers=alice)
    found = http.get(f"{API}/contacts", params={"$filter": "lastname eq 'Dropped'"}, headers=alice).json()
    assert len(found["value"]) == 1


def test_a_slow_response_arrives_late(http, alice):
    http.post("/_syncsim/faults", json={"kind": "slow", "seconds": 0.3, "requests": 1})
    started = time.monotonic()
    assert http.get(f"{API}/WhoAmI", headers=alice).status_code == 200
    assert time.monotonic() - started >= 0.3


def test_control_api_snapshots_and_bad_input(http, alice):
    key = http.post("/_syncsim/snapshots").json()["id"]
    made = http.post(
        f"{API}/contacts", json={"lastname": "Snap"}, headers={**alice, "Prefer": "return=representation"}
    ).json()
    assert http.post(f"/_syncsim/snapshots/{key}/restore").status_code == 200
    assert http.get(f"{API}/contacts({made['contactid']})", headers=alice).status_code == 404
    unknown = http.post("/_syncsim/faults", json={"kind": "meteor"})
    assert (
        unknown.status_code == 400
        and "fail, lost-response, throttled, busy, stale, batch, slow" in unknown.text
    )
    nobody = http.post("/_syncsim/tokens", json={"user": "zed"})
    assert nobody.status_code == 404 and "alice" in nobody.text
    refused = http.patch("/_syncsim/settings", json={"sync_assigned_tasks": "true"}, headers=alice)
    assert refused.status_code == 403
    admin = _token(http, "admin")
    changed = http.patch("/_syncsim/settings", json={"sync_assigned_tasks": "true"}, headers=admin)
    assert changed.status_code == 200 and changed.json()["sync_assigned_tasks"] is True
    bad = http.patch("/_syncsim/settings", json={"sync_assigned_tasks": "maybe"}, headers=admin)
    assert bad.status_code == 400 and "true, false" in bad.text


# -- Graph ---------------------------------------------------------------------------------------


def test_a_token_reads_only_its_own_mailbox(http, alice, server):
    bob = server.backend.world.user("bob")
    refused = http.get(f"/v1.0/users/{bob.systemuserid}/contacts", headers=alice)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "ErrorAccessDenied"
    assert http.get(f"/v1.0/users/{bob.email}/events", headers=_token(http, "bob")).status_code == 200


def test_graph_events_with_attachments_recurrence_and_the_crm_stamp(http, alice, server):
    event = {
        "subject": "Standup",
        "start": {"dateTime": "2026-02-02T09:00:00", "timeZone": "W. Europe Standard Time"},
        "end": {"dateTime": "2026-02-02T09:15:00", "timeZone": "W. Europe Standard Time"},
        "recurrence": {
            "pattern": {"type": "weekly", "interval": 1, "daysOfWeek": ["monday", "friday"]},
            "range": {"type": "numbered", "startDate": "2026-02-02", "numberOfOccurrences": 10},
        },
        "singleValueExtendedProperties": [
            {"id": "String {00020329-0000-0000-C000-000000000046} Name crmid", "value": "abc"},
            {"id": "Integer {00020329-0000-0000-C000-000000000046} Name crmLinkState", "value": "2"},
        ],
    }
    made = http.post("/v1.0/me/events", json=event, headers=alice)
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["start"] == {"dateTime": "2026-02-02T08:00:00.0000000", "timeZone": "UTC"}
    assert body["recurrence"]["pattern"]["daysOfWeek"] == ["monday", "friday"]
    item = server.backend.world.outlook("alice").get(body["id"])
    assert (
        item["crmid"] == "abc"
        and item["crmLinkState"] == 2
        and item["RecurrencePattern"]["Occurrences"] == 10
    )
    file = {"@odata.type": "#microsoft.graph.fileAttachment", "name": "a.txt", "contentBytes": "aGk="}
    url = f"/v1.0/me/events/{body['id']}/attachments"
    assert http.post(url, json=file, headers=alice).status_code == 201
    [listed] = http.get(url, headers=alice).json()["value"]
    assert (listed["name"], listed["size"]) == ("a.txt", 2)
    assert http.delete(f"{url}/{listed['id']}", headers=alice).status_code == 204
    stale = http.patch(
        f"/v1.0/me/events/{body['id']}", json={"subject": "x"}, headers={**alice, "If-Match": 'W/"1"'}
    )
    assert stale.status_code == 412 and stale.json()["error"]["code"] == "ErrorIrresolvableConflict"


def test_graph_tasks_as_to_do_with_the_dynamics_link(http, alice, server):
    [tasks] = http.get("/v1.0/me/todo/lists", headers=alice).json()["value"]
    assert tasks["wellknownListName"] == "defaultList"
    made = http.post(
        f"/v1.0/me/todo/lists/{tasks['id']}/tasks",
        json={"title": "Call", "linkedResources": [{"applicationName": "Dynamics 365", "externalId": "r1"}]},
        headers=alice,
    ).json()
    item = server.backend.world.outlook("alice").get(made["id"])
    assert item["Subject"] == "Call" and item["crmid"] == "r1" and item["crmLinkState"] == 2


def test_microsofts_graph_sdk_creates_reads_and_follows_a_delta_link(server, http):
    from msgraph.generated.models.contact import Contact
    from msgraph.generated.models.date_time_time_zone import DateTimeTimeZone
    from msgraph.generated.models.email_address import EmailAddress
    from msgraph.generated.models.event import Event

    async def scenario() -> None:
        async with graph_client(server) as client:
            first = await client.me.contacts.delta.get()
            assert first is not None and first.odata_delta_link
            contact = Contact(
                given_name="Eva", surname="Berg", email_addresses=[EmailAddress(address="eva@example.com")]
            )
            made = await client.me.contacts.post(contact)
            assert made is not None and made.id
            read = await client.me.contacts.by_contact_id(made.id).get()
            assert read is not None and (read.given_name, read.email_addresses[0].address) == (
                "Eva",
                "eva@example.com",
            )
            changes = await client.me.contacts.delta.with_url(first.odata_delta_link).get()
            assert changes is not None and [c.id for c in changes.value] == [made.id]
            start = DateTimeTimeZone(date_time="2026-03-01T10:00:00", time_zone="UTC")
            end = DateTimeTimeZone(date_time="2026-03-01T11:00:00", time_zone="UTC")
            event = await client.me.events.post(Event(subject="Review", start=start, end=end))
            assert event is not None and event.subject == "Review"
            events = await client.me.events.get()
            assert events is not None and "Review" in [e.subject for e in events.value]

    asyncio.run(scenario())


@pytest.mark.parametrize(
    ("kind", "status", "code"), [("throttled", 429, "TooManyRequests"), ("busy", 503, "serviceNotAvailable")]
)
def test_graph_answers_faults_with_its_own_codes(http, alice, kind, status, code):
    http.post("/_syncsim/faults", json={"kind": kind, "write": 1, "retry_after": 1})
    answer = http.post("/v1.0/me/contacts", json={"givenName": "Faulty"}, headers=alice)
    assert answer.status_code == status and answer.headers["Retry-After"] == "1"
    assert answer.json()["error"]["code"] == code and "request-id" in answer.json()["error"]["innerError"]


def test_a_calendar_view_delta_keeps_to_its_range_as_graph_v1_does(http, alice):
    def event(subject: str, day: int) -> str:
        when = {"dateTime": f"2026-04-{day:02d}T10:00:00", "timeZone": "UTC"}
        until = {"dateTime": f"2026-04-{day:02d}T11:00:00", "timeZone": "UTC"}
        body = {"subject": subject, "start": when, "end": until}
        return str(http.post("/v1.0/me/events", json=body, headers=alice).json()["id"])

    inside, outside = event("April 10", 10), event("April 25", 25)
    window = {"startDateTime": "2026-04-01T00:00:00Z", "endDateTime": "2026-04-15T00:00:00Z"}
    first = http.get("/v1.0/me/calendarView/delta", params=window, headers=alice).json()
    assert inside in {e["id"] for e in first["value"]} and outside not in {e["id"] for e in first["value"]}
    assert "startDateTime=" in first["@odata.deltaLink"]
    http.patch(f"/v1.0/me/events/{outside}", json={"subject": "Still outside"}, headers=alice)
    http.patch(f"/v1.0/me/events/{inside}", json={"subject": "Moved"}, headers=alice)
    changes = http.get(first["@odata.deltaLink"], headers=alice).json()["value"]
    assert {
        "@odata.type": "#microsoft.graph.event",
        "id": outside,
        "@removed": {"reason": "deleted"},
    } in changes
    assert [e["subject"] for e in changes if e["id"] == inside] == ["Moved"]
    missing = http.get("/v1.0/me/calendarView/delta", headers=alice)
    assert missing.status_code == 400 and "startDateTime" in missing.text


def test_conditional_operations_as_dataverse_documents_them(http, alice):
    """Microsoft's "Perform conditional operations using the Web API": 304 for an unchanged
    record, 412 for an upsert told not to update one that exists."""
    made = http.post(
        f"{API}/contacts", json={"lastname": "Cond"}, headers={**alice, "Prefer": "return=representation"}
    )
    url, tag = f"{API}/contacts({made.json()['contactid']})", made.json()["@odata.etag"]
    assert http.get(url, headers={**alice, "If-None-Match": tag}).status_code == 304
    assert http.get(url, headers={**alice, "If-None-Match": 'W/"1"'}).status_code == 200
    refused = http.patch(url, json={"jobtitle": "x"}, headers={**alice, "If-None-Match": "*"})
    assert refused.status_code == 412
    assert refused.json()["error"]["message"] == "A record with matching key values already exists."


def test_mailboxes_as_the_mailbox_table_has_them(http, alice, server):
    """Each user reads their own mailbox row; an administrator reads all and approves, tests and
    enables through PATCH, with Dataverse's error shape for a column or value it cannot take."""
    world = server.backend.world
    mine = http.get(f"{API}/mailboxes", headers=alice).json()["value"]
    assert [row["regardingobjectid"] for row in mine] == [world.user("alice").systemuserid]
    assert mine[0]["emailrouteraccessapproval"] == 1 and mine[0]["actdeliverymethod"] == 0
    admin = _token(http, "admin")
    every = http.get(f"{API}/mailboxes?$select=name,actstatus", headers=admin).json()["value"]
    assert len(every) == len(world.users)
    url = f"{API}/mailboxes({mine[0]['mailboxid']})"
    refused = http.patch(url, json={"emailrouteraccessapproval": 2}, headers=alice)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "0x80040220"
    bad = http.patch(url, json={"actstatus": 1}, headers=admin)
    assert bad.status_code == 400 and "actstatus" in bad.json()["error"]["message"]
    wrong = http.patch(url, json={"emailrouteraccessapproval": 9}, headers=admin)
    assert wrong.status_code == 400 and "Pending Approval" in wrong.json()["error"]["message"]
    assert http.patch(url, json={"emailrouteraccessapproval": 2}, headers=admin).status_code == 204
    body = {"testemailconfigurationscheduled": True}
    assert http.patch(url, json=body, headers=admin).status_code == 204
    row = http.get(url, headers=alice).json()
    assert (row["incomingemailstatus"], row["outgoingemailstatus"]) == (2, 2)
    assert row["testmailboxaccesscompletedon"].endswith("Z")
    http.patch(url, json={"emailrouteraccessapproval": 1, **body}, headers=admin)
    assert http.get(url, headers=alice).json()["incomingemailstatus"] == 1
