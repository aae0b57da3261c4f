"""Microsoft's documented examples replayed against the faces (the parity suite), and
docs/coverage.md made from what they answered.

Each example (tests/data/parity/*.json, made by tests/data/parity/extract.py from Microsoft's own
pages) is sent to a server whose world is seeded for it: alice plays the page's user, and every
item the request names by id (``{id}`` or the page's own id) is made first and its id put in the
URL. The answer is compared with the documented one on what a client relies on: the status code,
the ``@odata.*`` annotations, the property names and their JSON types (``null`` fits any type; a
response the page marks truncated may carry more properties), and an error's code. Each example
is then a full match, differs (each difference named), or is not served.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
from paths import ROOT

from syncsim.harness import schema
from syncsim.harness.tools.formats.crmfiles import ENTITY_SETS
from syncsim.harness.tools.servers.app import Server
from syncsim.harness.world import World

DATA = ROOT / "tests" / "data" / "parity"
COVERAGE = ROOT / "docs" / "coverage.md"
#: the range a calendar view of the seeded events is asked for, when the page's is a placeholder
WINDOW = {"startDateTime": "2026-01-01T00:00:00Z", "endDateTime": "2027-01-01T00:00:00Z"}
_GUID_KEY = re.compile(r"\([0-9a-f-]{36}\)")
ANNOTATIONS = ("@odata.context", "@odata.etag", "@odata.nextLink", "@odata.deltaLink")
#: the collections whose next path segment is an item's id, and how to make one to name there
_ID_AFTER = ("contacts", "events", "attachments", "tasks", "lists")
_SEEDS: dict[str, tuple[str, dict[str, Any]]] = {
    "contacts": ("/v1.0/me/contacts", {"givenName": "Seeded", "surname": "Contact"}),
    "events": ("/v1.0/me/events", {}),  # (made by _event_seed)
    "tasks": ("/v1.0/me/todo/lists/Tasks/tasks", {"title": "Seeded task"}),
}


@dataclass(frozen=True)
class Example:
    repository: str
    commit: str
    page: str
    number: int
    request: dict[str, Any]
    response: dict[str, Any]

    @property
    def name(self) -> str:
        return f"{Path(self.page).stem}#{self.number}"

    @property
    def origin(self) -> str:
        return f"{self.repository} @ {self.commit[:7]} : {self.page}"

    @property
    def operation(self) -> str:
        """The request as an operation: its method and path, ids as ``{id}``."""
        path = urlsplit(self.request["url"].replace("[Organization Uri]", "https://org")).path
        path = _GUID_KEY.sub("({id})", re.sub(r"^.*?/(v1\.0|beta)/", "/", path))
        parts = path.split("/")
        named = (*_ID_AFTER, "users", "messages", "contactFolders", "contactfolders", "calendars")
        for at in range(1, len(parts)):
            if parts[at - 1] in named and parts[at] not in ("delta", "instances", "attachments", ""):
                parts[at] = "{id}"
        return f"{self.request['method']} {'/'.join(parts)}"


def examples() -> list[Example]:
    found = []
    for path in sorted(DATA.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for entry in data["examples"]:
            found.append(
                Example(
                    data["repository"],
                    data["commit"],
                    entry["page"],
                    entry["example"],
                    entry["request"],
                    entry["response"],
                )
            )
    return found


@dataclass
class Outcome:
    example: Example
    status: int
    differences: list[str] = field(default_factory=list)
    served: bool = True

    @property
    def verdict(self) -> str:
        if not self.served:
            return "not served"
        return "matches" if not self.differences else "differs"


class Replay:
    """Examples replayed, each against the server's world made new for it."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.starts = datetime(2026, 3, 2, tzinfo=UTC)  # where the example's range starts
        self.series = False  # whether the example asks for a series' instances

    def run(self, example: Example) -> Outcome:
        world = World(seed=1)
        alice = world.add_user("alice")
        self.server.backend.use(world)
        token = self.server.backend.token_for("alice")
        with httpx.Client(
            base_url=self.server.url, headers={"Authorization": f"Bearer {token}"}, timeout=10
        ) as http:
            url = self._url(example, http, alice.systemuserid)
            kept = ("prefer", "content-type", "if-match")
            headers = {k: v for k, v in example.request["headers"].items() if k.lower() in kept}
            body = _json(example.request.get("body"))
            sent = http.request(
                example.request["method"], url, headers=headers, json=body if body is not None else None
            )
        return compare(example, sent)

    def _url(self, example: Example, http: httpx.Client, user_id: str) -> str:
        """The page's URL for this server: the page's user is alice, the ids named are of items
        made for it, placeholders filled, and no state token of the page's (a first round)."""
        address = urlsplit(example.request["url"].replace("[Organization Uri]", "https://org"))
        if address.path.startswith("/api/data/"):
            return self._dataverse_url(address.path, address.query, http)
        path = re.sub(r"^.*?/(v1\.0|beta)/", "/v1.0/", address.path)
        parts = path.split("/")
        self.starts = _range_start(address.query)  # (events are seeded inside the range asked for)
        self.series = "instances" in parts
        made: dict[str, str] = {}
        for at in range(1, len(parts)):
            before, here = parts[at - 1], parts[at]
            if before == "users":
                parts[at] = user_id
            elif before in _ID_AFTER and here not in ("delta", "instances", "attachments", ""):
                key = f"{before}/{here}"  # (a page may write {id} for two items)
                if key not in made:
                    made[key] = self._seed(before, parts[:at], http)
                parts[at] = made[key]
        query = []
        for key, value in parse_qsl(address.query, keep_blank_values=True):
            if key.lower() in ("$skiptoken", "$deltatoken"):
                continue
            if key.lower() in ("startdatetime", "enddatetime") and "{" in value:
                value = WINDOW["startDateTime" if key.lower() == "startdatetime" else "endDateTime"]
            query.append((key, value))
        collection = parts[-2] if parts[-1] == "delta" else parts[-1]
        collection = "events" if collection == "calendarView" else collection
        listed = collection if collection in (*_SEEDS, "attachments") else None
        if listed and example.request["method"] == "GET":  # a listing: something to list
            self._seed(listed, parts[:-1], http)
        text = "/".join(parts)
        return f"{text}?{urlencode(query, safe='$,()/:')}" if query else text

    def _dataverse_url(self, path: str, query: str, http: httpx.Client) -> str:
        """A Web API URL: each record it names by id is made first, with that id (Dataverse lets
        a client choose a record's id, so the page's own ids stand)."""
        for entity_set, record_id in re.findall(r"(\w+)\(([0-9a-f-]{36})\)", path):
            if entity_set in ENTITY_SETS:
                key = schema.entity(ENTITY_SETS[entity_set]).primary_key
                seed = {key: record_id, "firstname" if entity_set == "contacts" else "subject": "Seeded"}
                http.post(f"/api/data/v9.2/{entity_set}", json=seed)
        return f"{path}?{query}" if query else path

    def _seed(self, collection: str, above: list[str], http: httpx.Client) -> str:
        """An item of ``collection`` made for the example; its id ("Tasks" for a To Do list)."""
        if collection == "lists":
            return "Tasks"
        if collection == "attachments":
            event = (
                self._seed("events", [], http) if "events" not in above else above[above.index("events") + 1]
            )
            body = {
                "@odata.type": "#microsoft.graph.fileAttachment",
                "name": "seed.txt",
                "contentBytes": "c2VlZA==",
            }
            made = http.post(f"/v1.0/me/events/{event}/attachments", json=body)
            return str(made.json().get("id", "none"))
        where, body = _SEEDS.get(collection, ("", {}))
        if not where:
            return "none"
        if collection == "events":
            body = _event_seed(self.starts, weekly=self.series)
        return str(http.post(where, json=body).json().get("id", "none"))


def _range_start(query: str) -> datetime:
    """Where the range a request asks for starts (a calendar view's), else a day in 2026."""
    for key, value in parse_qsl(query):
        if key.lower() == "startdatetime" and "{" not in value:
            try:
                return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
            except ValueError:
                break
    return datetime(2026, 3, 2, tzinfo=UTC)


def _event_seed(day: datetime, *, weekly: bool) -> dict[str, Any]:
    """An event an hour after the range starts (a weekly series of four, for instances)."""
    start = day + timedelta(hours=1)
    body: dict[str, Any] = {
        "subject": "Seeded event",
        "start": {"dateTime": start.strftime("%Y-%m-%dT%H:%M:%S"), "timeZone": "UTC"},
        "end": {"dateTime": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S"), "timeZone": "UTC"},
    }
    if weekly:
        body["recurrence"] = {
            "pattern": {"type": "daily", "interval": 1},
            "range": {"type": "numbered", "startDate": start.date().isoformat(), "numberOfOccurrences": 4},
        }
    return body


def compare(example: Example, sent: httpx.Response) -> Outcome:
    documented = example.response
    outcome = Outcome(example, sent.status_code)
    expected = documented["status"]
    if expected < 400 <= sent.status_code:
        outcome.served = sent.status_code not in (404, 405)  # (no such resource or method here)
        outcome.differences.append(f"answered {sent.status_code}: {_message(sent)}")
        return outcome
    if sent.status_code != expected:
        outcome.differences.append(f"status {sent.status_code}, documented {expected}")
    ours = _json(sent.text) if sent.text else None
    theirs = _json(documented.get("body"))
    if isinstance(theirs, dict) and isinstance(ours, dict):
        outcome.differences += _compared(theirs, ours, truncated=documented.get("truncated", False))
    elif theirs is not None and ours is None:
        outcome.differences.append("no body, documented one")
    return outcome


def _compared(theirs: dict[str, Any], ours: dict[str, Any], *, truncated: bool) -> list[str]:
    found = []
    if "error" in theirs:
        code, documented = (x.get("error", {}).get("code") for x in (ours, theirs))
        return [] if code == documented else [f"error code {code}, documented {documented}"]
    missing = [a for a in ANNOTATIONS if a in theirs and a not in ours]
    if missing:
        found.append(f"no {', '.join(missing)}")
    doc_item, our_item = _first(theirs), _first(ours)
    if doc_item is None or our_item is None:
        return found if doc_item is None else [*found, "no item in the answer, documented one"]
    names = [n for n in doc_item if not n.startswith("@")]
    absent = sorted(n for n in names if n not in our_item)
    if absent:
        found.append(f"lacks {', '.join(absent)}")
    mistyped = sorted(
        f"{n} ({_kind(our_item[n])}, documented {_kind(doc_item[n])})"
        for n in names
        if n in our_item
        and None not in (doc_item[n], our_item[n])
        and _kind(doc_item[n]) != _kind(our_item[n])
    )
    if mistyped:
        found.append(f"types differ: {', '.join(mistyped)}")
    if not truncated:
        extra = sorted(n for n in our_item if not n.startswith("@") and n not in doc_item)
        if extra:
            found.append(f"also has {', '.join(extra)}")
    return found


def _first(body: dict[str, Any]) -> dict[str, Any] | None:
    if "value" in body and isinstance(body["value"], list):
        return body["value"][0] if body["value"] and isinstance(body["value"][0], dict) else None
    return body


def _kind(value: Any) -> str:
    for kind, name in (
        (bool, "boolean"),
        ((int, float), "number"),
        (str, "string"),
        (list, "array"),
        (dict, "object"),
    ):
        if isinstance(value, kind):
            return name
    return "null"


def _json(text: str | None) -> Any:
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def _message(sent: httpx.Response) -> str:
    body = _json(sent.text)
    error = body.get("error", {}) if isinstance(body, dict) else {}
    return str(error.get("message", sent.text[:120]))[:160]


def coverage(outcomes: list[Outcome]) -> str:
    """docs/coverage.md: every documented operation replayed, served, partly or not served."""
    by_operation: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        by_operation.setdefault(outcome.example.operation, []).append(outcome)
    rows, counts = [], {"matches": 0, "differs": 0, "not served": 0}
    for operation in sorted(by_operation):
        found = by_operation[operation]
        for outcome in found:
            counts[outcome.verdict] += 1
        verdicts = {o.verdict for o in found}
        served = (
            "served" if verdicts == {"matches"} else "not served" if verdicts == {"not served"} else "partly"
        )
        pages = ", ".join(sorted({f"{o.example.name}" for o in found}))
        what = "; ".join(sorted({d for o in found for d in o.differences}))
        rows.append(f"| `{operation}` | {pages} | {served} | {_cell(what)} |")
    total = sum(counts.values())
    sources = sorted({o.example.origin.rpartition(" : ")[0] for o in outcomes})
    head = [
        "# Coverage of Microsoft's documented examples",
        "",
        "Made by `SYNCSIM_UPDATE_GOLDEN=1 pytest tests/tools/servers/test_parity.py` (and checked by it):",
        "each request/response example of Microsoft's own API pages, replayed against the faces with",
        "a world seeded for it, and compared on the status code, the `@odata` annotations, property",
        "names and their JSON types, and error codes (tests/parity.py says how). Examples from",
        f"{', '.join(sources)} (tests/data/parity/, with each example's page).",
        "",
        f"{total} examples: {counts['matches']} match in full, {counts['differs']} differ, "
        f"{counts['not served']} are not served.",
        "",
        "| operation | examples | here | what differs |",
        "|---|---|---|---|",
    ]
    return "\n".join([*head, *rows]) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def replay_all(server: Server) -> list[Outcome]:
    replay = Replay(server)
    return [replay.run(example) for example in examples()]
