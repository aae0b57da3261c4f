"""A small Dynamics <-> Exchange sync program that speaks only HTTP: the Dataverse Web API on one
side, Microsoft Graph on the other. It is an example of a program syncsim judges from outside:

    syncsim run --engine-cmd "python examples/http_engine/sync.py"

Each run is one cycle for one user (with SYNCSIM_PROTOCOL=lines, as ``syncsim run --persistent``
starts it, it keeps running and syncs once for each line "sync" on its standard input, answering
"ok"). What it needs comes from the environment (SYNCSIM_DATAVERSE_URL, SYNCSIM_GRAPH_URL,
SYNCSIM_TOKEN, SYNCSIM_USER_ID, SYNCSIM_STATE_DIR); what it remembers between cycles (the pairs and
the values both sides last agreed on) is a JSON file in the state folder.

What it does, deliberately small: CRM records the user owns go to Outlook, stamped with the record's
id; items the user tracks in Outlook go to CRM; a field changed on one side since the last cycle is
copied to the other (changed on both: the side modified last wins); a delete on one side deletes the
other copy (a contact deleted in Outlook stays in CRM); appointment attachments are copied both ways
when the organization syncs them. A 429 or 503 is waited out as its Retry-After says (``--impatient``
retries at once instead: a deliberate bug, for the scenario that catches it). Standard library only.
"""

from __future__ import annotations

import json
import os
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

CRMID = "String {00020329-0000-0000-C000-000000000046} Name crmid"
LINK_STATE = "Integer {00020329-0000-0000-C000-000000000046} Name crmLinkState"
EXPAND = f"$expand=singleValueExtendedProperties($filter=id eq '{CRMID}' or id eq '{LINK_STATE}')"
IMPATIENT = "--impatient" in sys.argv


class Gone(Exception):
    """404: the thing is not there (any more)."""


def call(method: str, url: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
    """One request with the user's token; waits out a 429 or 503 and tries again (three times)."""
    data = json.dumps(body).encode() if body is not None else None
    for _attempt in range(4):
        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("Authorization", f"Bearer {os.environ['SYNCSIM_TOKEN']}")
        request.add_header("Content-Type", "application/json")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                raw = response.read()
                return json.loads(raw) if raw else None
        except urllib.error.HTTPError as error:
            if error.code == 404:
                raise Gone(url) from None
            if error.code in (429, 503):
                if not IMPATIENT:
                    time.sleep(float(error.headers.get("Retry-After", "1")))
                continue
            raise RuntimeError(
                f"{method} {url}: {error.code} {error.read().decode(errors='replace')}"
            ) from None
    raise RuntimeError(f"{method} {url}: still throttled after three tries")


def pages(url: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    next_url: str | None = url
    while next_url:
        page = call("GET", next_url, headers={"Prefer": "odata.maxpagesize=500"})
        found += page["value"]
        next_url = page.get("@odata.nextLink")
    return found


def quoted(url: str) -> str:
    return url.replace(" ", "%20").replace("'", "%27")


# -- what maps to what --------------------------------------------------------------------------

KINDS = {
    # kind: (entity set, id column, Graph collection)
    "contact": ("contacts", "contactid", "contacts"),
    "appointment": ("appointments", "activityid", "events"),
    "task": ("tasks", "activityid", "todo/lists/Tasks/tasks"),
}


#: contact columns and the Graph properties they sync with (text), and those kept in lists
CONTACT_TEXT = {
    "firstname": "givenName",
    "lastname": "surname",
    "jobtitle": "jobTitle",
    "department": "department",
    "nickname": "nickName",
    "managername": "manager",
    "assistantname": "assistantName",
    "spousesname": "spouseName",
    "websiteurl": "businessHomePage",
    "description": "personalNotes",
    "yomifirstname": "yomiGivenName",
    "yomilastname": "yomiSurname",
    "mobilephone": "mobilePhone",
}
CONTACT_LISTS = {
    "businessPhones": ("telephone1", "business2"),
    "homePhones": ("telephone2", "home2"),
    "emailAddresses": ("emailaddress1", "emailaddress2", "emailaddress3"),
}
ADDRESSES = {1: "businessAddress", 2: "homeAddress", 3: "otherAddress"}
PARTS = {"line1": "street", "city": "city", "stateorprovince": "state", "postalcode": "postalCode"}
PARTS["country"] = "countryOrRegion"
IMPORTANCE = {0: "low", 1: "normal", 2: "high"}
EVENT_COLUMNS = (
    "subject",
    "location",
    "description",
    "scheduledstart",
    "scheduledend",
    "isalldayevent",
    "prioritycode",
)
TASK_COLUMNS = ("subject", "description", "scheduledstart", "scheduledend", "actualend", "prioritycode")


def crm_values(kind: str, record: dict[str, Any], mailing_only: bool) -> dict[str, Any]:
    """The values that sync, in CRM's terms, from a CRM record."""
    if kind == "contact":
        columns = [*CONTACT_TEXT, *(c for names in CONTACT_LISTS.values() for c in names)]
        columns += [f"address{n}_{part}" for n in ((1,) if mailing_only else (1, 2, 3)) for part in PARTS]
        return {c: record.get(c) for c in columns}
    return {c: record.get(c) for c in (EVENT_COLUMNS if kind == "appointment" else TASK_COLUMNS)}


def outlook_values(kind: str, item: dict[str, Any], mailing_only: bool) -> dict[str, Any]:
    """The values that sync, in CRM's terms, from a Graph resource."""
    if kind == "contact":
        values = {column: item.get(prop) or None for column, prop in CONTACT_TEXT.items()}
        for prop, columns in CONTACT_LISTS.items():
            entries = item.get(prop) or []
            entries = [e["address"] if isinstance(e, dict) else e for e in entries]
            values.update({c: entries[i] if i < len(entries) else None for i, c in enumerate(columns)})
        for n in (1,) if mailing_only else (1, 2, 3):
            address = item.get(ADDRESSES[n]) or {}
            for crm_part, graph_part in PARTS.items():
                values[f"address{n}_{crm_part}"] = address.get(graph_part) or None
        return values
    importance = {name: number for number, name in IMPORTANCE.items()}.get(item.get("importance") or "normal")
    if kind == "appointment":
        return {
            "subject": item.get("subject"),
            "location": (item.get("location") or {}).get("displayName") or None,
            "description": (item.get("body") or {}).get("content") or None,
            "scheduledstart": _utc(item.get("start")),
            "scheduledend": _utc(item.get("end")),
            "isalldayevent": bool(item.get("isAllDay")),
            "prioritycode": importance,
        }
    return {
        "subject": item.get("title"),
        "description": (item.get("body") or {}).get("content") or None,
        "scheduledstart": _utc(item.get("startDateTime")),
        "scheduledend": _utc(item.get("dueDateTime")),
        "actualend": _utc(item.get("completedDateTime")),
        "prioritycode": importance,
    }


def _utc(value: Any) -> str | None:
    if not value or not value.get("dateTime"):
        return None
    return value["dateTime"][:19] + "Z"


def to_graph(kind: str, values: dict[str, Any], mailing_only: bool) -> dict[str, Any]:
    """A Graph body setting these values (CRM's terms)."""
    if kind == "contact":
        body: dict[str, Any] = {prop: values.get(column) for column, prop in CONTACT_TEXT.items()}
        for prop, columns in CONTACT_LISTS.items():
            entries = [values[c] for c in columns if values.get(c)]
            body[prop] = [{"address": e} for e in entries] if prop == "emailAddresses" else entries
        for n in (1,) if mailing_only else (1, 2, 3):
            body[ADDRESSES[n]] = {g: values.get(f"address{n}_{c}") for c, g in PARTS.items()}
        return body
    importance = IMPORTANCE.get(
        values.get("prioritycode") if values.get("prioritycode") is not None else 1, "normal"
    )
    if kind == "appointment":
        return {
            "subject": values.get("subject"),
            "location": {"displayName": values.get("location") or ""},
            "body": {"contentType": "text", "content": values.get("description") or ""},
            "start": _zoned(values.get("scheduledstart")),
            "end": _zoned(values.get("scheduledend")),
            "isAllDay": bool(values.get("isalldayevent")),
            "importance": importance,
        }
    return {
        "title": values.get("subject"),
        "body": {"contentType": "text", "content": values.get("description") or ""},
        "startDateTime": _zoned(values.get("scheduledstart")),
        "dueDateTime": _zoned(values.get("scheduledend")),
        "completedDateTime": _zoned(values.get("actualend")),
        "importance": importance,
    }


def _zoned(text: str | None) -> dict[str, str] | None:
    return {"dateTime": text.rstrip("Z"), "timeZone": "UTC"} if text else None


def crm_id_of(kind: str, item: dict[str, Any]) -> str | None:
    if kind == "task":
        linked = [r for r in item.get("linkedResources") or [] if r.get("applicationName") == "Dynamics 365"]
        return (linked[0].get("externalId") or None) if linked else None
    props = {p["id"]: p["value"] for p in item.get("singleValueExtendedProperties") or []}
    return props.get(CRMID) or None


def tracked(kind: str, item: dict[str, Any]) -> bool:
    if kind == "task":
        return any(r.get("applicationName") == "Dynamics 365" for r in item.get("linkedResources") or [])
    props = {p["id"]: p["value"] for p in item.get("singleValueExtendedProperties") or []}
    return props.get(LINK_STATE) == "2"


def stamp(kind: str, crm_id: str) -> dict[str, Any]:
    """What marks an item as tracked and paired with a CRM record."""
    if kind == "task":
        return {"linkedResources": [{"applicationName": "Dynamics 365", "externalId": crm_id}]}
    return {
        "singleValueExtendedProperties": [{"id": CRMID, "value": crm_id}, {"id": LINK_STATE, "value": "2"}]
    }


# -- one cycle ----------------------------------------------------------------------------------


class Cycle:
    def __init__(self) -> None:
        self.crm = os.environ["SYNCSIM_DATAVERSE_URL"]
        self.graph = os.environ["SYNCSIM_GRAPH_URL"] + "me/"
        self.me = os.environ["SYNCSIM_USER_ID"]
        self.state_file = Path(os.environ["SYNCSIM_STATE_DIR"]) / "pairs.json"
        self.state: dict[str, Any] = (
            json.loads(self.state_file.read_text()) if self.state_file.exists() else {}
        )
        organization = call("GET", self.crm + "organizations")["value"][0]
        self.mailing_only = bool(organization["iscontactmailingaddresssyncenabled"])
        self.attachments = bool(organization["isappointmentattachmentsyncenabled"])

    def run(self) -> None:
        for kind in KINDS:
            self.sync(kind)
        self.state_file.write_text(json.dumps(self.state, indent=1, sort_keys=True))

    def sync(self, kind: str) -> None:
        entity_set, key, collection = KINDS[kind]
        records = {
            r[key]: r
            for r in pages(
                quoted(f"{self.crm}{entity_set}?$filter=_ownerid_value eq {self.me} and statecode eq 0")
            )
        }
        expand = "" if kind == "task" else "?" + EXPAND
        items = {item["id"]: item for item in pages(quoted(f"{self.graph}{collection}{expand}"))}
        pairs: dict[str, dict[str, Any]] = self.state.setdefault(kind, {})
        by_crm = {crm_id_of(kind, item): item for item in items.values() if crm_id_of(kind, item)}
        for crm_id, pair in list(pairs.items()):
            self.pair(kind, crm_id, pair, records.get(crm_id), items.get(pair["entry"]))
        for crm_id, record in records.items():
            if crm_id in pairs:
                continue
            item = by_crm.get(crm_id)
            if item is None:
                item = call(
                    "POST",
                    f"{self.graph}{collection}",
                    {**to_graph(kind, self.values(kind, record), self.mailing_only), **stamp(kind, crm_id)},
                )
            pairs[crm_id] = {"entry": item["id"], "agreed": self.values(kind, record)}
            self.files(kind, crm_id, item["id"])
        for item in items.values():
            if tracked(kind, item) and not crm_id_of(kind, item):
                self.track(kind, item, pairs)

    def values(self, kind: str, record: dict[str, Any]) -> dict[str, Any]:
        return crm_values(kind, record, self.mailing_only)

    def track(self, kind: str, item: dict[str, Any], pairs: dict[str, Any]) -> None:
        """An item the user tracked in Outlook: to CRM, with an id chosen from the item's, so a
        create whose answer was lost is not made twice."""
        entity_set, _, collection = KINDS[kind]
        crm_id = str(uuid.uuid5(uuid.NAMESPACE_URL, item["id"]))
        values = {k: v for k, v in outlook_values(kind, item, self.mailing_only).items() if v is not None}
        call(
            "PATCH",
            f"{self.crm}{entity_set}({crm_id})",
            {**values, "ownerid@odata.bind": f"/systemusers({self.me})"},
        )
        call("PATCH", f"{self.graph}{collection}/{item['id']}", stamp(kind, crm_id))
        pairs[crm_id] = {"entry": item["id"], "agreed": outlook_values(kind, item, self.mailing_only)}

    def pair(
        self,
        kind: str,
        crm_id: str,
        pair: dict[str, Any],
        record: dict[str, Any] | None,
        item: dict[str, Any] | None,
    ) -> None:
        entity_set, _, collection = KINDS[kind]
        if record is None and item is None:
            del self.state[kind][crm_id]
            return
        if record is None:  # gone from CRM: gone from Outlook too
            call("DELETE", f"{self.graph}{collection}/{pair['entry']}")
            del self.state[kind][crm_id]
            return
        if item is None:  # gone from Outlook: a contact stays in CRM, the rest goes
            if kind != "contact":
                call("DELETE", f"{self.crm}{entity_set}({crm_id})")
            del self.state[kind][crm_id]
            return
        crm, outlook, agreed = (
            self.values(kind, record),
            outlook_values(kind, item, self.mailing_only),
            pair["agreed"],
        )
        to_outlook, to_crm = {}, {}
        crm_later = record.get("modifiedon", "") >= item.get("lastModifiedDateTime", "")
        for name in crm:
            if crm[name] == outlook.get(name):
                continue
            crm_changed, outlook_changed = (
                crm[name] != agreed.get(name),
                outlook.get(name) != agreed.get(name),
            )
            if crm_changed and (not outlook_changed or crm_later):
                to_outlook[name] = crm[name]
            elif outlook_changed:
                to_crm[name] = outlook.get(name)
        if to_outlook:
            merged = {**outlook, **to_outlook}
            call(
                "PATCH",
                f"{self.graph}{collection}/{pair['entry']}",
                to_graph(kind, merged, self.mailing_only),
            )
        if to_crm:
            call("PATCH", f"{self.crm}{entity_set}({crm_id})", to_crm, {"If-Match": "*"})
        pair["agreed"] = {**outlook, **crm, **to_outlook, **to_crm}
        self.files(kind, crm_id, pair["entry"])

    def files(self, kind: str, crm_id: str, entry_id: str) -> None:
        """Appointment attachments both ways, by name, when the organization syncs them."""
        if kind != "appointment" or not self.attachments:
            return
        crm_files = {
            row["filename"]: row
            for row in call(
                "GET", quoted(f"{self.crm}activitymimeattachments?$filter=_objectid_value eq {crm_id}")
            )["value"]
        }
        outlook_files = {
            a["name"]: a for a in call("GET", f"{self.graph}events/{entry_id}/attachments")["value"]
        }
        for name in crm_files.keys() - outlook_files.keys():
            body = {
                "@odata.type": "#microsoft.graph.fileAttachment",
                "name": name,
                "contentBytes": crm_files[name]["body"],
            }
            call("POST", f"{self.graph}events/{entry_id}/attachments", body)
        for name in outlook_files.keys() - crm_files.keys():
            row = {
                "objectid_appointment@odata.bind": f"/appointments({crm_id})",
                "filename": name,
                "body": outlook_files[name]["contentBytes"],
            }
            call("POST", f"{self.crm}activitymimeattachments", row)


def once() -> str:
    """One cycle: "" when it went well, else why not (whatever went wrong: a response cut off
    half-way is an error of http.client, not of urllib; the next cycle starts afresh)."""
    try:
        Cycle().run()
        return ""
    except Exception as failed:
        return f"sync failed: {type(failed).__name__}: {failed}"


if __name__ == "__main__":
    if os.environ.get("SYNCSIM_PROTOCOL") == "lines":  # kept running: a cycle for each "sync" line
        for line in sys.stdin:
            if line.strip() == "sync":
                problem = once()
                print(f"error: {problem}" if problem else "ok", flush=True)
    else:
        problem = once()
        if problem:
            print(problem, file=sys.stderr)
            sys.exit(1)
