"""Bring your own data: load exported files into a simulated organization and ask
"what would change if this setting changed?".

Both files are read in full before anything is created (a malformed file imports nothing). CRM
records are owned by one user; Outlook items land in that user's mailbox, tracked. Records are
linked to items by a pair of fields (email address by default, or an id column), as an earlier
sync would have linked them; what cannot be linked is reported. Then two copies of the
organization run the same cycles, one under the current settings and one under the proposed ones,
and every value that ends up different, or is lost, is reported with the rule behind it.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from syncsim.harness.filters import SyncFilter
from syncsim.harness.model import User
from syncsim.harness.report import Report
from syncsim.harness.schema import ADDRESS_PARTS, CRM_ID
from syncsim.harness.stores.crm import primary_key
from syncsim.harness.tools.formats.crmfiles import read_crm
from syncsim.harness.tools.formats.errors import FormatError
from syncsim.harness.tools.formats.ical import read_ics
from syncsim.harness.tools.formats.vcard import read_vcf
from syncsim.harness.tools.simulate import FieldChange
from syncsim.harness.world import World

DEFAULT_LINK = ("emailaddress1", "Email1Address")
OWNER = "owner"
COLUMNS = ("record", "side", "field", "current", "proposed", "lost", "rule")


@dataclass
class Loaded:
    """What a load did: counts, what could not be linked, and notes (columns, attachments)."""

    crm: int = 0
    outlook: int = 0
    linked: int = 0
    unlinked: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Change:
    record: str
    side: str
    field: str
    current: Any
    proposed: Any
    lost: bool
    rule: str

    def cells(self) -> tuple[str, ...]:
        return (
            self.record,
            self.side,
            self.field,
            _show(self.current),
            _show(self.proposed),
            "yes" if self.lost else "",
            self.rule,
        )


@dataclass
class WhatIf:
    changes: list[Change]
    loaded: Loaded
    records: int
    #: records that would leave, or enter, the user's Outlook (sync filters)
    leaving: list[str] = field(default_factory=list)
    entering: list[str] = field(default_factory=list)

    def lost_by_record(self) -> dict[str, list[str]]:
        """Record -> the fields it would lose, in order."""
        lost: dict[str, list[str]] = {}
        for change in self.changes:
            if change.lost:
                lost.setdefault(change.record, []).append(change.field)
        return lost

    def summary(self) -> str:
        lost = [c for c in self.changes if c.lost]
        by_rule: dict[str, int] = {}
        for change in lost:
            by_rule[change.rule] = by_rule.get(change.rule, 0) + 1
        rules = ", ".join(f"{rule}: {n}" for rule, n in sorted(by_rule.items()))
        moves = f", {len(self.leaving)} would leave Outlook, {len(self.entering)} would enter it"
        return (
            f"{self.records} linked records compared: {len(self.changes)} values would change, "
            f"{len(lost)} would be lost" + (f" ({rules})" if rules else "") + moves
        )


def parse_link(text: str) -> tuple[str, str]:
    """``CRM_ATTRIBUTE=OUTLOOK_PROPERTY``, e.g. emailaddress1=Email1Address or contactid=crmid."""
    crm, equals, outlook = text.partition("=")
    if not equals or not crm or not outlook:
        raise ValueError(f"--link-by {text!r}: expected CRM_ATTRIBUTE=OUTLOOK_PROPERTY")
    return crm.strip(), outlook.strip()


def load(
    world: World,
    owner: User,
    crm_file: Path,
    outlook_file: Path,
    *,
    entity: str = "contact",
    link_by: tuple[str, str] = DEFAULT_LINK,
) -> Loaded:
    """Import both files into ``world`` for ``owner`` and link what belongs together."""
    records = read_crm(crm_file, entity)
    outlook = _read_outlook(outlook_file)
    loaded = Loaded(notes=[f"{crm_file}: unknown column {c!r} not imported" for c in records.unknown_columns])
    crm = world.crm_of(owner)
    key = primary_key(records.entity)
    crm_ids = [crm.create(records.entity, row, owner=owner, record_id=row.get(key)) for row in records.rows]
    box = world.outlook(owner)
    entry_ids = []
    for kind, properties, attachments in outlook[0]:
        entry_id = box.create(kind, properties, track=True)
        for name, content in attachments.items():
            box.attach(entry_id, name, content)
        entry_ids.append(entry_id)
    loaded.notes += outlook[1]
    loaded.crm, loaded.outlook = len(crm_ids), len(entry_ids)
    _link(world, owner, records.entity, crm_ids, entry_ids, link_by, loaded)
    return loaded


def whatif(
    crm_file: Path,
    outlook_file: Path,
    changes: dict[str, Any],
    *,
    cycles: int = 1,
    entity: str = "contact",
    link_by: tuple[str, str] = DEFAULT_LINK,
    seed: int = 0,
    filters: Sequence[SyncFilter] = (),
    fields: Sequence[FieldChange] = (),
) -> WhatIf:
    """Run the same cycles under the current and the proposed settings (field directions, and
    sync filters, each replacing the user's filters of its entity); report the differences."""
    worlds, reports = [], []
    for proposed in (False, True):
        world = World(seed=seed)
        owner = world.add_user(OWNER)
        loaded = load(world, owner, crm_file, outlook_file, entity=entity, link_by=link_by)
        if proposed:
            world.configure(by=world.admin, **changes)
            for field_change in fields:
                field_change.apply(world)
            _use_filters(world, owner, filters)
        reports.append(world.sync(cycles=cycles))
        worlds.append(world)
    what = [f"{k}={v}" for k, v in changes.items()] + [f"{f.entity}.{f.field}={f.direction}" for f in fields]
    what += [f"filter {f.name}" for f in filters]
    found = _compare(worlds, reports, rule_of_setting=", ".join(what))
    leaving, entering = _moves(*worlds)
    return WhatIf(found, loaded, loaded.linked, leaving, entering)


def _use_filters(world: World, owner: User, filters: Sequence[SyncFilter]) -> None:
    for entity in dict.fromkeys(f.entity for f in filters):
        world.remove_filters(owner, entity)
    for sync_filter in filters:
        world.add_filter(owner, sync_filter.fetchxml, sync_filter.name)


def _moves(current: World, proposed: World) -> tuple[list[str], list[str]]:
    """Records in the owner's Outlook under one world and not under the other."""
    now, then = dict(_in_outlook(current)), dict(_in_outlook(proposed))
    return [now[k] for k in sorted(now.keys() - then.keys())], [
        then[k] for k in sorted(then.keys() - now.keys())
    ]


def _in_outlook(world: World) -> list[tuple[str, str]]:
    owner, crm = world.user(OWNER), world.crm_of(world.user(OWNER))
    return [(crm_id, _label(crm.get(entity, crm_id))) for crm_id, entity, _ in _pairs(world, owner)]


# -- loading -------------------------------------------------------------------------------------


def _read_outlook(path: Path) -> tuple[list[tuple[str, dict[str, Any], dict[str, bytes]]], list[str]]:
    suffix = path.suffix.lower()
    if suffix == ".vcf":
        notes: list[str] = []
        return [("contact", contact, {}) for contact in read_vcf(path, notes)], notes
    if suffix == ".ics":
        calendar = read_ics(path)
        return [(item.kind, item.properties, item.attachments) for item in calendar.items], calendar.notes
    raise FormatError(path, 1, "Outlook data must be a .vcf (contacts) or .ics (calendar and tasks) file")


def _link(
    world: World,
    owner: Any,
    entity: str,
    crm_ids: list[str],
    entry_ids: list[str],
    link_by: tuple[str, str],
    loaded: Loaded,
) -> None:
    crm_field, outlook_field = link_by
    crm, box = world.crm_of(owner), world.outlook(owner)
    by_value: dict[str, str] = {}
    for entry_id in entry_ids:
        value = box.get(entry_id).get(outlook_field)
        if value:
            by_value.setdefault(str(value).lower(), entry_id)
    for crm_id in crm_ids:
        record = crm.get(entity, crm_id)
        value = str(record.get(crm_field) or "").lower()
        paired = by_value.pop(value, None) if value else None
        if paired is None:
            loaded.unlinked.append(
                f"CRM {entity} {_label(record)}: no Outlook item with {outlook_field} = {value!r}"
            )
            continue
        world.link(owner, entity, crm_id, paired)
        loaded.linked += 1
    loaded.unlinked += [
        f"Outlook item {box.get(e).get('FirstName', e)}: no CRM record" for e in by_value.values()
    ]


# -- comparing -----------------------------------------------------------------------------------


def _compare(worlds: list[World], reports: list[Report], rule_of_setting: str) -> list[Change]:
    current, proposed = worlds
    owner_now, owner_then = current.user(OWNER), proposed.user(OWNER)
    losses = {(loss.ids[0], loss.field): loss for loss in reports[1].losses}
    changes = []
    for crm_id, entity, entry_id in _pairs(current, owner_now):
        if proposed.outlook(owner_then).peek(entry_id) is None:
            continue  # it would leave Outlook: listed apart
        record = current.crm_of(owner_now).get(entity, crm_id)
        label = _label(record)
        sides = (
            ("crm", record, proposed.crm_of(owner_then).get(entity, crm_id)),
            ("outlook", current.outlook(owner_now).get(entry_id), proposed.outlook(owner_then).get(entry_id)),
        )
        for side, now, then in sides:
            for name in sorted(set(now) | set(then)):
                if name in _VOLATILE or _same(now.get(name), then.get(name)):
                    continue
                loss = losses.get((crm_id, name))
                rule = (loss.rule or "conflict") if loss else rule_of_setting
                changes.append(
                    Change(label, side, name, now.get(name), then.get(name), loss is not None, rule)
                )
    return changes


def _pairs(world: World, owner: User) -> list[tuple[str, str, str]]:
    """(CRM id, entity, EntryID) of every linked pair, found by the crmid stamp, by CRM id."""
    box, crm = world.outlook(owner), world.crm_of(owner)
    found = []
    for entry_id in box.entry_ids():
        crm_id = box.get(entry_id).get(CRM_ID)
        record = crm.find(crm_id) if crm_id else None
        if crm_id and record is not None:
            found.append((crm_id, record[0], entry_id))
    return sorted(found)


#: Bookkeeping, and Outlook's MailingAddress* mirror of the selected address (its own row says it).
_VOLATILE = {"versionnumber", "modifiedon", "createdon", "LastModificationTime"} | {
    f"MailingAddress{part}" for _, part in ADDRESS_PARTS
}


def _same(a: Any, b: Any) -> bool:
    return (a in (None, "")) and (b in (None, "")) or a == b


def _label(record: dict[str, Any]) -> str:
    name = record.get("fullname") or record.get("subject") or "?"
    email = record.get("emailaddress1")
    return f"{name} <{email}>" if email else str(name)


def _show(value: Any) -> str:
    return "(empty)" if value in (None, "") else str(value)


# -- reports -------------------------------------------------------------------------------------


def as_markdown(result: WhatIf) -> str:
    lines = [
        "# What if",
        "",
        result.summary(),
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "---|" * len(COLUMNS),
    ]
    lines += [
        "| " + " | ".join(c.replace("|", "\\|") for c in change.cells()) + " |" for change in result.changes
    ]
    return "\n".join(lines) + "\n"


def as_html(result: WhatIf) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in COLUMNS)
    rows = "\n".join(
        f'<tr class="{"lost" if ch.lost else ""}">'
        + "".join(f"<td>{html.escape(c)}</td>" for c in ch.cells())
        + "</tr>"
        for ch in result.changes
    )
    return (
        "<!doctype html>\n<html><head><meta charset='utf-8'><title>What if</title><style>"
        "td,th{border:1px solid #999;padding:3px}.lost{background:#fdd}</style></head><body>\n"
        f"<h1>What if</h1><p>{html.escape(result.summary())}</p>\n<table><tr>{head}</tr>\n{rows}\n</table>"
        "</body></html>\n"
    )


def as_csv(result: WhatIf) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(tuple(map(_inert, change.cells())) for change in result.changes)
    return out.getvalue()


def _inert(cell: str) -> str:
    """A cell a spreadsheet will not run: a value from an export that starts like a formula
    (=, +, -, @; OWASP's CSV injection advice) gets a leading apostrophe."""
    return f"'{cell}" if cell[:1] in ("=", "+", "-", "@") else cell


RENDERERS = {".md": as_markdown, ".html": as_html, ".csv": as_csv}
