"""Bring your own data: load exported files into a simulated organization and ask
"what would change if this setting changed?".

Both files are read once, in full, before anything is created (strict: a file with a bad item
imports nothing; ``skip_bad`` leaves the bad items out and lists them). CRM records are owned by
one user; Outlook items land in that user's mailbox, tracked. Records are linked to items by a
pair of fields (email address by default, or an id column), as an earlier sync would have linked
them; what cannot be linked is reported, and sync creates it on the other side.

Absent is not empty, and unknown is never "agree": a field a file does not carry (a column the
export left out) is unknown. For a linked pair whose other side holds a value there, the value
could not be compared: it is listed per record as at risk (``NotCompared``), counted in the
summary, and the summary never says that nothing would be lost while any is listed. To run the
cycles at all, the unknown field takes the other side's value (sync neither overwrites nor blanks
anything from it); ``assume_agree`` keeps that reading and lists nothing at risk.

Then two copies of the organization run the same cycles, one under the current settings and one
under the proposed ones, and every value (and attachment) that ends up different, or is lost, is
reported with the rule behind it. ``fix`` writes what would prevent each loss: a CRM import file
that carries the Outlook values the switch would overwrite.
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any, NamedTuple

from .. import mapping, schema
from ..filters import SyncFilter
from ..model import User
from ..report import Report
from ..schema import ADDRESS_PARTS, CRM_ID
from ..stores.crm import ATTRIBUTES, primary_key
from ..world import World, gc_paused
from .formats.crmfiles import write_csv
from .formats.errors import Export, Item
from .formats.load import load as load_file
from .simulate import FieldChange

DEFAULT_LINK = ("emailaddress1", "Email1Address")
OWNER = "owner"
COLUMNS = ("record", "side", "field", "current", "proposed", "lost", "rule")
#: the terminal shows this many changes; the report has them all
SHOWN = 50


@dataclass
class Loaded:
    """What a load did: counts, what could not be linked, unknown fields, notes."""

    crm: int = 0
    outlook: int = 0
    linked: int = 0
    unlinked: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: file -> fields it does not carry that took the other side's value in linked pairs
    unknown: dict[str, list[str]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    #: the values of linked pairs one file holds and the other does not carry
    not_compared: list[NotCompared] = field(default_factory=list)
    #: the values both files carry and disagree on (who keeps which: filled in after the cycles)
    disagree: list[Disagreement] = field(default_factory=list)


class NotCompared(NamedTuple):
    """A value of one side that whatif could not compare: the other side's export lacks the field."""

    record: str
    #: the side whose export lacks the field: "crm" or "outlook"
    missing: str
    field: str
    #: the other side's field and value
    other_field: str
    other_value: Any

    def as_json(self) -> dict[str, str]:
        return self._asdict() | {"other_value": _show(self.other_value)}

    def cells(self) -> tuple[str, ...]:
        """As a row of the changes' ``COLUMNS``: lost says "unknown", rule what the other side holds."""
        other = "Outlook" if self.missing == "crm" else "CRM"
        return (
            self.record,
            self.missing,
            self.field,
            f"(not in the {_SIDE_NAME[self.missing]} export)",
            "(unknown)",
            "unknown",
            f"not compared: {other} {self.other_field} holds {_show(self.other_value)}",
        )


_SIDE_NAME = {"crm": "CRM", "outlook": "Outlook"}


class Disagreement(NamedTuple):
    """A value both exports carry and disagree on, and which file's value each setting keeps
    ("crm", "outlook", or "neither"): sync overwrites the other, whatever the setting."""

    record: str
    crm_field: str
    outlook_field: str
    crm_value: Any
    outlook_value: Any
    current: str = "neither"
    proposed: str = "neither"

    @property
    def overwritten(self) -> str | None:
        """The side whose file value (not an empty one) the proposed settings overwrite."""
        return self._replaced(self.proposed)

    @property
    def at_stake(self) -> bool:
        """Whether either setting replaces a file's value (not an empty one being filled)."""
        return self._replaced(self.current) is not None or self.overwritten is not None

    def _replaced(self, kept: str) -> str | None:
        side = {"crm": "outlook", "outlook": "crm"}.get(kept)
        held = self.outlook_value if side == "outlook" else self.crm_value
        return side if side and held not in (None, "") else None

    def cells(self) -> tuple[str, ...]:
        """As a row of the changes' ``COLUMNS``: the side overwritten under the proposed settings."""
        side = self.overwritten or "both"
        field_name = self.crm_field if side == "crm" else self.outlook_field
        kept = {"crm": self.crm_value, "outlook": self.outlook_value}
        return (
            self.record,
            side,
            field_name,
            _show(kept.get(self.current)) if self.current in kept else "(neither file's)",
            _show(kept.get(self.proposed)) if self.proposed in kept else "(neither file's)",
            "overwritten" if self.overwritten else "",
            f"files disagree: CRM {self.crm_field} {_show(self.crm_value)}, "
            f"Outlook {self.outlook_field} {_show(self.outlook_value)}",
        )

    def as_json(self) -> dict[str, str]:
        return self._asdict() | {
            "crm_value": _show(self.crm_value),
            "outlook_value": _show(self.outlook_value),
        }


class Change(NamedTuple):
    """One value that would change (a named tuple: a big export's report makes half a million)."""

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


#: a row of a report: a change, a value the files disagree on, or one that could not be compared
Row = Change | Disagreement | NotCompared


@dataclass
class WhatIf:
    changes: list[Change]
    loaded: Loaded
    records: int
    #: records that would leave, or enter, the user's Outlook (sync filters)
    leaving: list[str] = field(default_factory=list)
    entering: list[str] = field(default_factory=list)
    #: what sync would create on each side under the proposed settings
    created: dict[str, int] = field(default_factory=dict)
    #: what was proposed, in words
    proposal: str = ""
    #: values the cycles lose under the current settings already (files that disagree)
    current_lost: int = 0
    #: the pairs, for a fix: record label -> (CRM record as loaded, Outlook item)
    pairs: dict[str, tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=dict, repr=False)
    entity: str = "contact"
    #: unknown fields taken to agree (--assume agree), not listed as at risk
    assume_agree: bool = False

    @property
    def at_risk(self) -> list[NotCompared]:
        """The values that could not be compared (none when they are assumed to agree)."""
        return [] if self.assume_agree else self.loaded.not_compared

    def rows(self) -> Sequence[Row]:
        """What every report lists: the changes, then each value that could not be compared."""
        at_stake = [d for d in self.loaded.disagree if d.at_stake]
        if not self.at_risk and not at_stake:
            return self.changes
        return [*self.changes, *at_stake, *self.at_risk]

    def lost_by_record(self) -> dict[str, list[str]]:
        """Record -> the fields it would lose, in order."""
        lost: dict[str, list[str]] = {}
        for change in self.changes:
            if change.lost:
                lost.setdefault(change.record, []).append(change.field)
        return lost

    def totals(self) -> dict[str, Any]:
        lost = [c for c in self.changes if c.lost]
        return {
            "crm_records": self.loaded.crm,
            "outlook_items": self.loaded.outlook,
            "linked": self.loaded.linked,
            "created_in_outlook": self.created.get("outlook", 0),
            "created_in_crm": self.created.get("crm", 0),
            "records_changed": len({c.record for c in self.changes}),
            "values_changed": len(self.changes),
            "values_lost": len(lost),
            "values_lost_under_current_settings": self.current_lost,
            "lost_by_rule": dict(sorted(Counter(c.rule for c in lost).items())),
            "leaving_outlook": len(self.leaving),
            "entering_outlook": len(self.entering),
            "values_files_disagree_on": len(self.loaded.disagree),
            "file_values_overwritten": len(self.overwritten()),
            "values_not_compared": len(self.at_risk),
            "not_compared_fields": self.not_compared_fields(),
        }

    def overwritten(self) -> list[Disagreement]:
        """The disagreeing values whose file value the proposed settings overwrite."""
        return [d for d in self.loaded.disagree if d.overwritten]

    def not_compared_fields(self) -> dict[str, list[str]]:
        """By side ("crm", "outlook"), the fields its export lacks that the other side holds values of."""
        fields: dict[str, set[str]] = {}
        for unknown in self.at_risk:
            fields.setdefault(unknown.missing, set()).add(unknown.field)
        return {side: sorted(names) for side, names in sorted(fields.items())}

    def summary(self) -> str:
        t = self.totals()
        rules = ", ".join(f"{rule}: {n}" for rule, n in t["lost_by_rule"].items())
        return (
            f"{t['crm_records']} CRM records and {t['outlook_items']} Outlook items read; "
            f"{t['linked']} linked, "
            f"sync would create {t['created_in_outlook']} in Outlook and {t['created_in_crm']} in CRM. "
            f"Of the linked: {t['records_changed']} records, {t['values_changed']} values would change, "
            + self._lost_words(t["values_lost"])
            + (f" ({rules})" if rules else "")
            + self._overwritten_words()
            + self._not_compared_words()
            + f"; {t['leaving_outlook']} would leave Outlook, {t['entering_outlook']} would enter it"
            + (
                f". Under the current settings {self.current_lost} values are lost already"
                if self.current_lost
                else ""
            )
        )

    def _lost_words(self, lost: int) -> str:
        """Never "0 would be lost" while a value could not be compared (nobody knows that), or
        while sync overwrites a file's value whatever the setting."""
        if lost or not (self.at_risk or self.overwritten()):
            return f"{lost} would be lost"
        return "none would be lost by the change itself"

    def _overwritten_words(self) -> str:
        overwritten = self.overwritten()
        if not overwritten:
            return ""
        sides = Counter(_SIDE_NAME[d.overwritten or ""] for d in overwritten)
        which = " and ".join(f"{n} {side}" for side, n in sorted(sides.items()))
        both = sum(d.current == d.proposed for d in overwritten)
        return (
            f"; the files disagree on {len(self.loaded.disagree)} values, and sync overwrites {which} "
            f"file value(s) ({both} of them under the current settings too)"
        )

    def _not_compared_words(self) -> str:
        if not self.at_risk:
            return ""
        lacking = "; ".join(
            f"not in the {_SIDE_NAME[side]} export: {', '.join(fields)}"
            for side, fields in self.not_compared_fields().items()
        )
        return (
            f", but {len(self.at_risk)} values could not be compared, so they are at risk "
            f"({lacking}): export these columns to know"
        )


def check_link(link_by: tuple[str, str], entity: str) -> None:
    """A ValueError unless ``--link-by`` names an attribute of ``entity`` and a property of its
    Outlook kind (or the crmid stamp)."""
    crm_field, outlook_field = link_by
    kind = mapping.OUTLOOK_KIND[entity]
    if crm_field not in ATTRIBUTES[entity]:
        raise ValueError(
            f"--link-by {crm_field}={outlook_field}: {entity} has no attribute {crm_field!r}; "
            f"its attributes: {', '.join(sorted(ATTRIBUTES[entity]))}"
        )
    properties = schema.item_kind(kind).properties
    if outlook_field not in properties and outlook_field != CRM_ID:
        raise ValueError(
            f"--link-by {crm_field}={outlook_field}: an Outlook {kind} has no property {outlook_field!r}; "
            f"its properties: {', '.join(sorted({*properties, CRM_ID}))}"
        )


def parse_link(text: str) -> tuple[str, str]:
    """``CRM_ATTRIBUTE=OUTLOOK_PROPERTY``, e.g. emailaddress1=Email1Address or contactid=crmid."""
    crm, equals, outlook = text.partition("=")
    if not equals or not crm or not outlook:
        raise ValueError(f"--link-by {text!r}: expected CRM_ATTRIBUTE=OUTLOOK_PROPERTY")
    return crm.strip(), outlook.strip()


# -- loading ---------------------------------------------------------------------------------------


@dataclass
class Inputs:
    """Both files as read, paired, with unknown fields filled: what every world is built from."""

    crm: Export
    outlook: Export
    entity: str
    #: (CRM item, Outlook item) of each linked pair, and the items nothing links
    pairs: list[tuple[Item, Item]]
    crm_alone: list[Item]
    outlook_alone: list[Item]
    loaded: Loaded
    #: (pair number, field pair) of each value the files disagree on (``loaded.disagree``'s order)
    disagreeing: list[tuple[int, mapping.FieldPair]] = field(default_factory=list)


def read_inputs(
    crm_file: Path,
    outlook_file: Path,
    *,
    entity: str | None = None,
    link_by: tuple[str, str] = DEFAULT_LINK,
    mailing: str | None = None,
    skip_bad: bool = False,
) -> Inputs:
    """Read both files (each once), pair them, fill what a file does not carry. ``entity``: the
    CRM records' entity when the file does not say (contact when not given); a file that says
    another one, or an Outlook file with no item of the entity's kind, is a ValueError."""
    crm = load_file(crm_file, "crm", entity=entity or "contact", skip_bad=skip_bad)
    outlook = load_file(outlook_file, "outlook", mailing=mailing, skip_bad=skip_bad)
    held = Counter(item.kind for item in crm.items).most_common(1)[0][0] if crm.items else entity or "contact"
    if entity is not None and held != entity:
        raise ValueError(f"--entity {entity}: {crm_file} holds {held} records; pass --entity {held}, or none")
    entity, kind = held, mapping.OUTLOOK_KIND[held]
    check_link(link_by, entity)
    mine = [item for item in outlook.items if item.kind == kind]
    if outlook.items and not mine:
        kinds = ", ".join(sorted({item.kind for item in outlook.items}))
        raise ValueError(f"{outlook_file} holds no {kind} (only: {kinds}); {crm_file} holds {entity} records")
    loaded = Loaded(crm=len(crm.items), outlook=len(mine), notes=crm.notes + outlook.notes)
    loaded.skipped = [str(p) for p in crm.skipped + outlook.skipped]
    others = len(outlook.items) - len(mine)
    if others:
        loaded.notes.append(
            f"{outlook_file}: {others} item(s) that are no {kind} left out "
            f"(the CRM file holds {entity} records)"
        )
    pairs, crm_alone, outlook_alone = _pair(crm.items, mine, link_by, loaded)
    inputs = Inputs(crm, outlook, entity, pairs, crm_alone, outlook_alone, loaded)
    inputs.disagreeing = _disagreements(inputs)
    _fill_unknown(inputs)
    loaded.disagree = [  # labelled once every pair is filled, as the other rows are
        Disagreement(
            _label(inputs.pairs[n][0].fields),
            pair.crm,
            pair.outlook,
            pair.crm_value(inputs.pairs[n][0].fields),
            mapping.read(inputs.pairs[n][1].fields, pair.outlook),
        )
        for n, pair in inputs.disagreeing
    ]
    return inputs


def _disagreements(inputs: Inputs) -> list[tuple[int, mapping.FieldPair]]:
    """(pair number, field pair) of each value both files carry and disagree on, under the
    current settings' pairs (an empty value against a full one too: CRM's blank reads as an
    edit, which blanks Outlook's)."""
    crm_carries = inputs.crm.carried.get(inputs.entity, set())
    outlook_carries = inputs.outlook.carried.get(mapping.OUTLOOK_KIND[inputs.entity], set())
    found = []
    both: dict[mapping.PairSet, list[mapping.FieldPair]] = {}  # a few distinct sets: each told once
    for n, (record, item) in enumerate(inputs.pairs):
        pairs = mapping.pairs_for(inputs.entity, "mailing-only", item.fields)
        if pairs.values(schema.CRM, record.fields) == pairs.values(schema.OUTLOOK, item.fields):
            continue  # the common pair: every value the same (one C loop a side)
        carried = both.get(pairs)
        if carried is None:
            carried = both[pairs] = [
                pair
                for pair in pairs
                if pair.crm in crm_carries and pair.outlook.split(".", 1)[0] in outlook_carries
            ]
        found += [
            (n, pair)
            for pair in carried
            if not _same(pair.crm_value(record.fields), pair.outlook_value(item.fields))
        ]
    return found


def _who_kept(inputs: Inputs, world: World, ids: list[tuple[str, str]]) -> list[str]:
    """For each disagreement, whose file value ``world`` ends with: "crm", "outlook" or "neither"."""
    owner = world.user(OWNER)
    crm, box = world.crm_of(owner), world.outlook(owner)
    kept = []
    for (n, pair), told in zip(inputs.disagreeing, inputs.loaded.disagree, strict=True):
        crm_id, entry_id = ids[n]
        now = (
            pair.crm_value(crm.peek(inputs.entity, crm_id) or {}),
            pair.outlook_value(box.peek(entry_id) or {}),
        )
        file_crm = told.crm_value
        file_outlook = pair.outlook_value(inputs.pairs[n][1].fields)
        if _same(now[0], file_crm) and _same(now[1], file_crm):
            kept.append("crm")
        elif _same(now[0], file_outlook) and _same(now[1], file_outlook):
            kept.append("outlook")
        else:
            kept.append("neither")
    return kept


def _pair(
    records: list[Item], items: list[Item], link_by: tuple[str, str], loaded: Loaded
) -> tuple[list[tuple[Item, Item]], list[Item], list[Item]]:
    crm_field, outlook_field = link_by
    by_value: dict[str, Item] = {}
    for item in items:
        value = item.fields.get(outlook_field)
        if value:
            by_value.setdefault(str(value).lower(), item)
    pairs, alone = [], []
    for record in records:
        value = str(record.fields.get(crm_field) or "").lower()
        paired = by_value.pop(value, None) if value else None
        if paired is None:
            alone.append(record)
            loaded.unlinked.append(
                f"CRM {record.kind} {_label(record.fields)}: no Outlook item with {outlook_field} = {value!r}"
            )
        else:
            pairs.append((record, paired))
    loaded.linked = len(pairs)
    loaded.unlinked += [f"Outlook item {item.label}: no CRM record" for item in by_value.values()]
    linked_ids = {id(item) for _, item in pairs}
    return pairs, alone, [item for item in items if id(item) not in linked_ids]


def _fill_unknown(inputs: Inputs) -> None:
    """In each linked pair, a field one file does not carry takes the other side's value (under
    either address option's pairs), so nothing is overwritten or blanked from an unknown; each
    such value is listed as not compared."""
    crm_carries = inputs.crm.carried.get(inputs.entity, set())
    outlook_carries = inputs.outlook.carried.get(mapping.OUTLOOK_KIND[inputs.entity], set())
    filled: dict[str, set[str]] = {str(inputs.crm.path): set(), str(inputs.outlook.path): set()}
    unknown: dict[mapping.PairSet, list[tuple[mapping.FieldPair, str, bool]]] = {}
    unseen: list[tuple[Item, str, str, str, Any]] = []
    for record, item in inputs.pairs:
        pairs = _all_pairs(inputs.entity, item.fields)
        known = unknown.get(pairs)  # a few distinct sets: each pair's side told once a set
        if known is None:
            known = unknown[pairs] = _unknown_sides(pairs, crm_carries, outlook_carries)
        for pair, outlook_name, crm_unknown in known:
            if crm_unknown:
                value = pair.outlook_value(item.fields)
                if value is not None and pair.crm not in record.fields:  # the current option's pair first
                    record.fields[pair.crm] = value
                    unseen.append(
                        (record, "crm", pair.crm, pair.outlook, mapping.read(item.fields, pair.outlook))
                    )
                filled[str(inputs.crm.path)].add(pair.crm)
            else:
                value = pair.crm_value(record.fields)
                if value is not None and mapping.read(item.fields, pair.outlook) is None:
                    changes: dict[str, Any] = {}
                    pair.put(schema.OUTLOOK, changes, item.fields, value)
                    item.fields.update(changes)
                    unseen.append((record, "outlook", pair.outlook, pair.crm, record.fields[pair.crm]))
                filled[str(inputs.outlook.path)].add(outlook_name)
    inputs.loaded.unknown = {name: sorted(fields) for name, fields in filled.items() if fields}
    inputs.loaded.not_compared = [  # labelled once every pair is filled (a label may read a filled name)
        NotCompared(_label(record.fields), missing, name, other, value)
        for record, missing, name, other, value in unseen
    ]


def _unknown_sides(
    pairs: mapping.PairSet, crm_carries: set[str], outlook_carries: set[str]
) -> list[tuple[mapping.FieldPair, str, bool]]:
    """The pairs one file does not carry and the other does: (pair, its Outlook property, True
    when CRM's file lacks it)."""
    found = []
    for pair in pairs:
        outlook_name = pair.outlook.split(".", 1)[0]
        if pair.crm not in crm_carries and outlook_name in outlook_carries:
            found.append((pair, outlook_name, True))
        elif outlook_name not in outlook_carries and pair.crm in crm_carries:
            found.append((pair, outlook_name, False))
    return found


def _all_pairs(entity: str, item: dict[str, Any]) -> mapping.PairSet:
    """The pairs of the current (default) address option first, then those of the other one
    (their union made once per combination: ``PairSet.union``)."""
    if entity != "contact":
        return mapping.pairs_for(entity, "mailing-only", item)
    return mapping.pairs_for(entity, "mailing-only", item).union(mapping.pairs_for(entity, "all-three", item))


def build(world: World, owner: User, inputs: Inputs) -> list[tuple[str, str]]:
    """The records and items of ``inputs`` in ``world`` for ``owner``, the pairs linked; returns
    each pair's (CRM id, EntryID) in ``inputs.pairs``' order."""
    crm, box = world.crm_of(owner), world.outlook(owner)
    key = primary_key(inputs.entity)
    writable = ATTRIBUTES[inputs.entity] - set(schema.CRM_SYSTEM)
    records = [record for record, _ in inputs.pairs] + inputs.crm_alone
    ids = crm.create_run(
        inputs.entity,
        [{k: v for k, v in record.fields.items() if k in writable} for record in records],
        owner=owner,
        record_ids=[record.fields.get(key) for record in records],
    )
    for record, record_id in zip(records, ids, strict=True):
        for name, content in record.attachments.items():
            crm.attach(record_id, name, content)
    # each linked item made already stamped with its record's id (world.link_run stamps no more)
    stamps = {id(item): {CRM_ID: ids[n]} for n, (_, item) in enumerate(inputs.pairs)}
    items = [item for _, item in inputs.pairs] + inputs.outlook_alone
    entry_of: dict[int, str] = {}
    for kind, run in groupby(items, key=lambda item: item.kind):  # in the items' order
        of_kind = list(run)
        handed = [item.fields | stamps.get(id(item), {}) for item in of_kind]
        entry_ids, _ = box.create_taking(kind, handed, track=True)
        entry_of.update((id(item), entry_id) for item, entry_id in zip(of_kind, entry_ids, strict=True))
    for item in items:
        for name, content in item.attachments.items():
            box.attach(entry_of[id(item)], name, content)
    linked = [(ids[n], entry_of[id(item)]) for n, (_, item) in enumerate(inputs.pairs)]
    world.link_run(owner, inputs.entity, linked)
    return linked


def load(
    world: World,
    owner: User,
    crm_file: Path,
    outlook_file: Path,
    *,
    entity: str | None = None,
    link_by: tuple[str, str] = DEFAULT_LINK,
) -> Loaded:
    """Import both files into ``world`` for ``owner`` and link what belongs together."""
    inputs = read_inputs(crm_file, outlook_file, entity=entity, link_by=link_by)
    build(world, owner, inputs)
    return inputs.loaded


# -- the comparison --------------------------------------------------------------------------------


#: what whatif tells its ``progress`` as it goes, in order
STAGES = (
    "reading the exports",
    "building the current world",
    "syncing under the current settings",
    "building the proposed world",
    "syncing under the proposed settings",
    "comparing",
)


def whatif(
    crm_file: Path,
    outlook_file: Path,
    changes: dict[str, Any],
    *,
    cycles: int = 1,
    entity: str | None = None,
    link_by: tuple[str, str] = DEFAULT_LINK,
    seed: int = 0,
    filters: Sequence[SyncFilter] = (),
    fields: Sequence[FieldChange] = (),
    mailing: str | None = None,
    skip_bad: bool = False,
    assume_agree: bool = False,
    progress: Callable[[str], None] | None = None,
) -> WhatIf:
    """Run the same cycles under the current and the proposed settings (field directions, and
    sync filters, each replacing the user's filters of its entity); report the differences, and
    the values one export lacks (``assume_agree``: take them to agree, list none).
    ``progress`` hears each of ``STAGES`` as it starts.

    Two worlds of a hundred thousand records are millions of objects and no reference cycle
    worth collecting: the cyclic collector is paused (a quarter of the time at 20,000)."""
    stages = iter(STAGES)

    def step() -> None:
        stage = next(stages)
        if progress:
            progress(stage)

    with gc_paused():
        step()
        inputs = read_inputs(
            crm_file,
            outlook_file,
            entity=entity,
            link_by=link_by,
            mailing=mailing,
            skip_bad=skip_bad,
        )
        worlds, reports, kept = [], [], []
        for proposed in (False, True):
            step()
            world = World(seed=seed)
            owner = world.add_user(OWNER)
            linked = build(world, owner, inputs)  # each world's stores hold dicts of their own
            if proposed:
                world.configure(by=world.admin, **changes)
                for field_change in fields:
                    field_change.apply(world)
                _use_filters(world, owner, filters)
            step()
            reports.append(world.sync(cycles=cycles))
            worlds.append(world)
            kept.append(_who_kept(inputs, world, linked))
        inputs.loaded.disagree = [
            told._replace(current=now, proposed=then)
            for told, now, then in zip(inputs.loaded.disagree, *kept, strict=True)
        ]
        step()
        what = [f"{k}={v}" for k, v in changes.items()]
        what += [f"{f.entity}.{f.field}={f.direction}" for f in fields]
        what += [f"filter {f.name}" for f in filters]
        return _result(inputs, worlds, reports, ", ".join(what), assume_agree)


def _result(
    inputs: Inputs, worlds: list[World], reports: list[Report], proposal: str, assume_agree: bool
) -> WhatIf:
    """What the two worlds tell, once synced; the worlds are let go."""
    linked = [_pairs(world, world.user(OWNER)) for world in worlds]
    found = _compare(worlds, reports, linked[0], rule_of_setting=proposal)
    leaving, entering = _moves(worlds, linked)
    created = _created(worlds[1], inputs)
    for world in worlds:
        world.close()  # freed now, not when the paused collector would find them
    pairs = {_label(record.fields): (record.fields, item.fields) for record, item in inputs.pairs}
    return WhatIf(
        found,
        inputs.loaded,
        inputs.loaded.linked,
        leaving=leaving,
        entering=entering,
        created=created,
        proposal=proposal,
        current_lost=len(reports[0].losses),
        pairs=pairs,
        entity=inputs.entity,
        assume_agree=assume_agree,
    )


def _created(world: World, inputs: Inputs) -> dict[str, int]:
    owner = world.user(OWNER)
    kind = mapping.OUTLOOK_KIND[inputs.entity]
    in_crm = world.crm_of(owner).count(inputs.entity)
    in_outlook = world.outlook(owner).count(kind)
    return {
        "crm": in_crm - len(inputs.pairs) - len(inputs.crm_alone),
        "outlook": in_outlook - len(inputs.pairs) - len(inputs.outlook_alone),
    }


def _use_filters(world: World, owner: User, filters: Sequence[SyncFilter]) -> None:
    for entity in dict.fromkeys(f.entity for f in filters):
        world.remove_filters(owner, entity)
    for sync_filter in filters:
        world.add_filter(owner, sync_filter.fetchxml, sync_filter.name)


def _moves(worlds: list[World], linked: list[list[tuple[str, str, str]]]) -> tuple[list[str], list[str]]:
    """Records in the owner's Outlook under one world and not under the other (``linked``: each
    world's pairs), labelled as the current world's CRM has them."""
    now, then = ({crm_id: entity for crm_id, entity, _ in pairs} for pairs in linked)
    crm = [world.crm_of(world.user(OWNER)) for world in worlds]
    leaving = [_label(crm[0].get(now[k], k)) for k in sorted(now.keys() - then.keys())]
    return leaving, [_label(crm[1].get(then[k], k)) for k in sorted(then.keys() - now.keys())]


def _compare(
    worlds: list[World], reports: list[Report], linked: list[tuple[str, str, str]], rule_of_setting: str
) -> list[Change]:
    current, proposed = worlds
    owner_now, owner_then = current.user(OWNER), proposed.user(OWNER)
    crm_now, crm_then = current.crm_of(owner_now), proposed.crm_of(owner_then)
    box_now, box_then = current.outlook(owner_now), proposed.outlook(owner_then)
    losses = {(loss.ids[0], loss.field): loss for loss in reports[1].losses}
    changes = []
    for crm_id, entity, entry_id in linked:
        if box_then.peek(entry_id) is None:
            continue  # it would leave Outlook: listed apart
        record = crm_now.peek(entity, crm_id) or {}
        label = _label(record)
        sides = (  # the live data, read only (an item's mirrored MailingAddress* is not compared)
            ("crm", record, crm_then.peek(entity, crm_id) or {}),
            ("outlook", box_now.peek(entry_id) or {}, box_then.peek(entry_id) or {}),
        )
        for side, now, then in sides:
            if now == then:
                continue  # the common case of one side: nothing differs, no look per field
            was, would = now.get, then.get
            differ = [name for name in now.keys() | then.keys() if was(name) != would(name)]  # (few)
            for name in sorted(differ):
                if name in _VOLATILE or _same(was(name), would(name)):
                    continue
                loss = losses.get((crm_id, name))
                rule = (loss.rule or "conflict") if loss else rule_of_setting
                changes.append(Change(label, side, name, was(name), would(name), loss is not None, rule))
        changes += _attachment_changes(worlds, crm_id, entity, entry_id, label, losses, rule_of_setting)
    return changes


def _attachment_changes(
    worlds: list[World],
    crm_id: str,
    entity: str,
    entry_id: str,
    label: str,
    losses: dict[tuple[str | None, str], Any],
    rule_of_setting: str,
) -> list[Change]:
    """Attachments that one side would gain or lose under the proposed settings."""
    if entity not in schema.APPOINTMENT_ENTITIES:
        return []
    found = []
    for side in ("crm", "outlook"):
        now, then = (_attached(world, side, crm_id, entry_id) for world in worlds)
        for name in sorted(now ^ then):
            loss = losses.get((crm_id, f"Attachments[{name}]"))
            rule = (loss.rule or "conflict") if loss else rule_of_setting
            had = name in now
            found.append(
                Change(
                    label,
                    side,
                    f"Attachments[{name}]",
                    "attached" if had else None,
                    None if had else "attached",
                    loss is not None,
                    rule,
                )
            )
    return found


def _attached(world: World, side: str, crm_id: str, entry_id: str) -> set[str]:
    owner = world.user(OWNER)
    if side == "crm":
        return {row["filename"] for row in world.crm_of(owner).attachments(crm_id)}
    return set(world.outlook(owner).files(entry_id))


def _pairs(world: World, owner: User) -> list[tuple[str, str, str]]:
    """(CRM id, entity, EntryID) of every linked pair, found by the crmid stamp, by CRM id."""
    box, crm = world.outlook(owner), world.crm_of(owner)
    found = []
    for entry_id in box.entry_ids():
        crm_id = (box.peek(entry_id) or {}).get(CRM_ID)
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
    name = (
        record.get("fullname")
        or " ".join(str(part) for part in (record.get("firstname"), record.get("lastname")) if part)
        or record.get("subject")
        or "?"
    )
    email = record.get("emailaddress1")
    return f"{name} <{email}>" if email else str(name)


def _show(value: Any) -> str:
    return "(empty)" if value in (None, "") else str(value)


# -- the fix ---------------------------------------------------------------------------------------


@dataclass
class Fix:
    """A CRM import that prevents each loss on the Outlook side, and what it costs."""

    #: every linked record, as loaded, fixed where needed
    records: list[dict[str, Any]]
    #: each CRM value the import would overwrite, or write over unseen, and whether that is safe
    overwrites: list[str]
    #: what no CRM import can fix
    cannot: list[str]
    #: whether the import changes anything at all (else it is not written)
    needed: bool


def fix(result: WhatIf, address_mode: str) -> Fix:
    """CRM records that prevent each reported loss on the Outlook side: each carries, in the
    attribute the proposed settings pair with the lost property, the Outlook value it would lose;
    and, in each attribute the CRM export lacked, the Outlook value taken for it, so that a whatif
    over the fix compares every value. Each CRM value it writes over is named."""
    records = {label: dict(record) for label, (record, _) in result.pairs.items()}
    unseen = {(u.record, u.field) for u in result.loaded.not_compared if u.missing == "crm"}
    overwrites, cannot = [], []
    replaced: list[tuple[str, str, Any, Any]] = []
    for change in result.changes:
        if not change.lost:
            continue
        record, item = result.pairs.get(change.record, ({}, {}))
        pair = _pair_of(result.entity, change.field, address_mode, item) if change.side == "outlook" else None
        if pair is None or change.record not in records:
            cannot.append(f"{change.record}: {change.side} {change.field} (no CRM import keeps it)")
            continue
        value, was = pair.to_crm(change.current), record.get(pair.crm)
        if (change.record, pair.crm) not in unseen and not _same(was, value) and was not in (None, ""):
            replaced.append((change.record, pair.crm, was, value))
        records[change.record][pair.crm] = value
    overwrites += [
        _overwrite(records[label], label, name, was, value) for label, name, was, value in replaced
    ]
    lacking = Counter(u.field for u in result.loaded.not_compared if u.missing == "crm")
    if lacking:
        columns = ", ".join(f"{name} ({n})" for name, n in sorted(lacking.items()))
        overwrites.append(
            f"Outlook's values in {len(lacking)} column(s) the CRM export lacks, over whatever CRM holds "
            f"there (safe only where CRM holds nothing else: export these columns to know): {columns}"
        )
    cannot += [
        f"{u.record}: {u.field} is not in the Outlook export (export it from Outlook to compare it)"
        for u in result.loaded.not_compared
        if u.missing == "outlook"
    ]
    cannot += [
        f"{d.record}: the files disagree on {d.crm_field} ({_show(d.crm_value)!r} in CRM, "
        f"{_show(d.outlook_value)!r} in Outlook) and sync overwrites the {_SIDE_NAME[d.overwritten]} one: "
        "which is right is yours to decide, the fix leaves it"
        for d in result.overwritten()
        if d.overwritten
    ]
    needed = bool(lacking) or any(change.lost and change.side == "outlook" for change in result.changes)
    return Fix(list(records.values()), overwrites, cannot, needed)


def _overwrite(fixed: dict[str, Any], label: str, name: str, was: Any, value: Any) -> str:
    """What writing ``value`` over CRM's ``was`` in ``name`` costs: nothing when the fixed record
    keeps ``was`` in another attribute (an address moving from Address 1 to Address 2), else
    CRM's value."""
    kept = sorted(other for other, held in fixed.items() if other != name and _same(held, was))
    head = f"{label}: overwrites CRM's {name} {_show(was)!r} with Outlook's {_show(value)!r}"
    if kept:
        return f"{head}: safe, CRM's value stays in {kept[0]}"
    return f"{head}: not safe, CRM's value is lost instead (decide which is right before importing)"


def _pair_of(
    entity: str, outlook_field: str, address_mode: str, item: dict[str, Any]
) -> mapping.FieldPair | None:
    for pair in mapping.pairs_for(entity, address_mode, item):  # type: ignore[arg-type]
        if pair.outlook == outlook_field:
            return pair
    return None


def write_fix(path: Path, result: WhatIf, address_mode: str) -> Fix:
    """Write the fix as a CRM CSV with logical names, when there is anything to fix."""
    made = fix(result, address_mode)
    if not made.needed:
        return made
    columns = sorted(
        {key for record in made.records for key in record if key in ATTRIBUTES[result.entity]}
        - set(schema.CRM_SYSTEM)
    )
    rows = [{k: v for k, v in r.items() if k in columns} for r in made.records]
    write_csv(path, result.entity, rows, columns)
    return made


# -- reports ---------------------------------------------------------------------------------------


def as_markdown(result: WhatIf) -> str:
    return "".join(markdown_chunks(result))


def markdown_chunks(result: WhatIf) -> Iterator[str]:
    """The report as Markdown, in pieces (see :func:`json_chunks`)."""
    yield "\n".join(["# What if", "", result.summary(), "", _md_row(COLUMNS), "|" + "---|" * len(COLUMNS)])
    yield "\n"
    for rows in _pieces(result.rows()):
        yield "".join(_md_row(row.cells()) + "\n" for row in rows)
    yield "\n".join(["", *_notes_lines(result)]) + "\n"


def _pieces(changes: Sequence[Row]) -> Iterator[Sequence[Row]]:
    """The rows a few thousand at a time: what a report renders and writes at once."""
    for first in range(0, len(changes), _ROWS_A_PIECE):
        yield changes[first : first + _ROWS_A_PIECE]


def _md_row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def _notes_lines(result: WhatIf) -> list[str]:
    lines = [f"- {line}" for line in unknown_lines(result)]
    lines += [f"- note: {note}" for note in result.loaded.notes]
    lines += [f"- not linked: {text}" for text in result.loaded.unlinked]
    lines += [f"- skipped: {text}" for text in result.loaded.skipped]
    return lines


def unknown_lines(result: WhatIf) -> list[str]:
    """Per export, the fields it does not carry, and how whatif read them."""
    how = (
        "not compared: the values the other side holds there are listed as at risk"
        if not result.assume_agree
        else "taken to agree with the other side (--assume agree)"
    )
    return [f"not in {name} ({how}): {', '.join(fields)}" for name, fields in result.loaded.unknown.items()]


def disagree_lines(result: WhatIf) -> list[str]:
    """A line per value the files disagree on: both values, and which one each setting keeps."""
    kept = {"crm": "CRM's", "outlook": "Outlook's", "neither": "neither file's"}
    return [
        f"files disagree: {d.record}: CRM {d.crm_field} {_inline(d.crm_value)!r}, Outlook "
        f"{d.outlook_field} {_inline(d.outlook_value)!r}: sync keeps {kept[d.proposed]} under the "
        f"proposed settings, {kept[d.current]} under the current ones"
        for d in result.loaded.disagree
        if d.at_stake
    ]


def at_risk_lines(result: WhatIf) -> list[str]:
    """A line per record with values that could not be compared, each with the other side's value."""
    lines = []
    for record, unknowns in groupby(result.at_risk, key=lambda unknown: unknown.record):
        listed = list(unknowns)
        for missing, of_side in groupby(listed, key=lambda unknown: unknown.missing):
            other = "Outlook" if missing == "crm" else "CRM"
            values = ", ".join(f"{u.field} ({other}: {_inline(u.other_value)})" for u in of_side)
            lines.append(f"at risk: {record}: not in the {_SIDE_NAME[missing]} export: {values}")
    return lines


#: the longest value the terminal and the per-record lines show whole (the report has every value)
CLIP = 200


def _inline(value: Any) -> str:
    """A value on one line of the terminal's account: clipped, its line breaks shown as \\n."""
    return clip(_show(value)).replace("\r", "\\r").replace("\n", "\\n")


def clip(text: str) -> str:
    if len(text) <= CLIP:
        return text
    return f"{text[:CLIP]}... ({len(text) - CLIP:,} more characters; --report FILE has it whole)"


def as_html(result: WhatIf) -> str:
    return "".join(html_chunks(result))


def html_chunks(result: WhatIf) -> Iterator[str]:
    """The report as one HTML page, in pieces (see :func:`json_chunks`)."""
    head = "".join(f"<th>{html.escape(c)}</th>" for c in COLUMNS)
    yield (
        "<!doctype html>\n<html><head><meta charset='utf-8'><title>What if</title><style>"
        "body{font-family:system-ui,sans-serif}td,th{border:1px solid #999;padding:3px}.lost{background:#fdd}"
        ".unknown{background:#ffd}"
        "</style></head><body>\n"
        f"<h1>What if {html.escape(result.proposal)}</h1><p>{html.escape(result.summary())}</p>\n"
        f"<table><tr>{head}</tr>\n"
    )
    for n, rows in enumerate(_pieces(result.rows())):
        yield ("\n" if n else "") + "\n".join(
            f'<tr class="{_html_class(row)}">'
            + "".join(f"<td>{html.escape(c)}</td>" for c in row.cells())
            + "</tr>"
            for row in rows
        )
    notes = "".join(f"<li>{html.escape(line[2:])}</li>" for line in _notes_lines(result))
    yield f"\n</table><ul>{notes}</ul></body></html>\n"


def _html_class(row: Row) -> str:
    if isinstance(row, NotCompared):
        return "unknown"
    if isinstance(row, Disagreement):
        return "lost" if row.overwritten else ""
    return "lost" if row.lost else ""


def as_csv(result: WhatIf) -> str:
    return "".join(csv_chunks(result))


def csv_chunks(result: WhatIf) -> Iterator[str]:
    """The changes as CSV (cells a spreadsheet would run made inert), in pieces."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for rows in _pieces(result.rows()):
        writer.writerows(tuple(map(_inert, row.cells())) for row in rows)
        yield out.getvalue()
        out.seek(0)
        out.truncate()
    yield out.getvalue()


def as_json(result: WhatIf) -> str:
    return "".join(json_chunks(result))


def json_chunks(result: WhatIf) -> Iterator[str]:
    """The report as JSON with a line per entry of each list (as readable as ``indent``), in
    pieces: half a million changes are written without their dicts, or the whole text, held in
    memory at once. Rows are encoded by json's C encoder (``indent`` falls back to its Python
    one: seconds for 100,000 changes)."""
    sections: dict[str, Any] = {
        "proposal": result.proposal,
        "summary": result.totals(),
        "changes": result.changes,
        "files_disagree": [told.as_json() for told in result.loaded.disagree],
        "not_compared": [unknown.as_json() for unknown in result.at_risk],
        "unknown": result.loaded.unknown,
        "notes": result.loaded.notes,
        "not_linked": result.loaded.unlinked,
        "skipped": result.loaded.skipped,
        "leaving_outlook": result.leaving,
        "entering_outlook": result.entering,
    }
    encode = json.JSONEncoder(ensure_ascii=False).encode  # one encoder: json.dumps makes one a call
    yield "{\n"
    for n, (key, value) in enumerate(sections.items()):
        yield (",\n  " if n else "  ") + json.dumps(key) + ": "
        if not (isinstance(value, list) and value):
            yield encode(value)
            continue
        yield "[\n    "
        for first in range(0, len(value), _ROWS_A_PIECE):
            rows = value[first : first + _ROWS_A_PIECE]
            lines = map(_change_json, rows) if key == "changes" else map(encode, rows)
            yield ("" if first == 0 else ",\n    ") + ",\n    ".join(lines)
        yield "\n  ]"
    yield "\n}\n"


#: rows of a report list encoded and written at a time
_ROWS_A_PIECE = 2000
#: a change as the JSON object json writes for ``dict(zip(COLUMNS, change.cells()))``, a place
#: for each cell: a report of half a million changes encodes only their texts (json's own string
#: encoder), not a dict each through a new encoder
_CHANGE_JSON = "{" + ", ".join(f"{json.dumps(column)}: %s" for column in COLUMNS) + "}"


def _change_json(change: Change) -> str:
    return _CHANGE_JSON % tuple(map(encode_basestring, change.cells()))


def _inert(cell: str) -> str:
    """A cell a spreadsheet will not run: a value from an export that starts like a formula
    (=, +, -, @; OWASP's CSV injection advice) gets a leading apostrophe."""
    return f"'{cell}" if cell[:1] in ("=", "+", "-", "@") else cell


#: by report suffix, the text (or its pieces, written one after another)
RENDERERS: dict[str, Callable[[WhatIf], str | Iterable[str]]] = {
    ".md": markdown_chunks,
    ".html": html_chunks,
    ".csv": csv_chunks,
    ".json": json_chunks,
}
