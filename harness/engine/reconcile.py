"""Field reconciliation of a linked pair, written once over the two sides.

For each field pair: unchanged since the sides last agreed (the common case), changed on one side
(the value goes across), changed on both (a conflict: the side modified last wins, CRM on a tie,
and the losing value is reported), new to the pair (the address mapping changed: the source side
of ``interpretations.REMAP_SOURCE`` gives its value), or edited on the side a one-way field does
not flow from (skipped with its rule, overwritten by the next change of the other side). A write
whose confirmation never came is settled from the values and versions (:meth:`Reconciler._lasts`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import interpretations, schema, speed
from .. import rules as R
from ..mapping import FieldPair, KeyIndex, PairSet
from .actions import Fields
from .execute import LossSpec
from .guards import Guards
from .sides import Sides
from .state import Link

Data = Mapping[str, Any]
_ABSENT = object()
_UNSETTLED = object()  # no value equals it: the side counts as changed


def conflict_winner(sides: Sides, data: dict[schema.Side, Data]) -> schema.Side:
    """The side modified last; CRM on a tie (``interpretations.CONFLICT_TIE_WINNER``)."""
    times = {side.name: side.modified(data[side.name]) for side in sides}
    if times[schema.CRM] == times[schema.OUTLOOK]:
        return interpretations.CONFLICT_TIE_WINNER  # type: ignore[return-value]
    return max(times, key=lambda name: times[name])


def _moved(link: Link, record: Data, item: Data, pairs: PairSet) -> tuple[FieldPair, ...]:
    """The pairs that may have moved since the sides last agreed: all but the plain ones whose
    two values equal the remembered one (the common case, read by C loops: this is every cycle's
    hot path, a contact's 36 pairs a linked item; an empty text is left to the full reading, which
    counts it as None). A fast path (speed.py): the reconciler's own loop passes the others by too."""
    parts = link.synced.parts()
    if parts is None:
        last_of = link.synced.get
        return tuple(
            p
            for p in pairs
            if not (p.plain and record.get(p.crm) == last_of(p.key, _ABSENT) == item.get(p.outlook))
        )
    index, values = parts
    if not values:
        return pairs.pairs  # nothing remembered: every pair may have moved
    reading = pairs.readings.get(index)
    if reading is None:
        reading = pairs.readings[index] = _read(pairs, index)
    crm_names, outlook_names, positions, always = reading
    now = zip(
        pairs.pairs,
        always,
        map(record.get, crm_names),
        map(item.get, outlook_names),
        map(values.__getitem__, positions),
        strict=True,
    )
    return tuple(
        pair for pair, moves, crm, outlook, last in now if moves or not (crm == last and outlook == last)
    )


_Reading = tuple[tuple[str, ...], tuple[str, ...], tuple[int, ...], tuple[bool, ...]]


def _read(pairs: PairSet, index: KeyIndex) -> _Reading:
    """How :func:`_moved` reads pairs against a memory of this key index: each pair's CRM and
    Outlook names, its place in the memory, and whether it moves whatever the values (not plain,
    or not remembered)."""
    read = [pair.plain and pair.key in index for pair in pairs]
    return (
        pairs.crm_names,
        tuple(pair.outlook for pair in pairs),
        tuple(index[pair.key] if ok else 0 for pair, ok in zip(pairs, read, strict=True)),
        tuple(not ok for ok in read),
    )


class Reconciler:
    """Plans the field part of a pair's update."""

    def __init__(self, guards: Guards, sides: Sides) -> None:
        self.guards, self.sides = guards, sides
        #: the re-mapping rules, asked once (a what-if of a big export maps ten new pairs a contact)
        self.one_sided = guards.on(R.CONTACT_ADDRESS_ONE_SIDED)
        self.remap_loss = guards.on(R.CONTACT_ADDRESS_REMAP_LOSS)
        #: whether the pairs plainly unchanged are passed by at once (:func:`_moved`; speed.py)
        self.fast = speed.on()

    def reconcile(
        self, link: Link, data: dict[schema.Side, Data], pairs: PairSet, *, stale: bool = False
    ) -> Fields:
        """Every field pair of a linked pair: what to write where, what it loses, what both then agree on.

        ``stale``: the memory cannot be trusted (both sides were edited while the pair was not
        synced): every field whose two sides differ counts as changed on both, a conflict."""
        plan = Fields(stale=stale)
        record, item = data[schema.CRM], data[schema.OUTLOOK]
        last_of, settled = link.synced.get, not link.inflight
        visited: tuple[FieldPair, ...] = pairs.pairs
        if settled and not stale and self.fast:  # (the plain path visits every pair, to the same end)
            visited = _moved(link, record, item, pairs)
        for pair in visited:
            crm_value, outlook_value = pair.crm_value(record), pair.outlook_value(item)
            last = _UNSETTLED if stale and pair.key in link.synced else last_of(pair.key, _ABSENT)
            if crm_value == last and outlook_value == last and settled:
                continue  # unchanged, and the link's memory holds it already
            if last is _ABSENT:
                plan.agreed[pair.key] = self._new_pair(plan, pair, crm_value, outlook_value, data)
            else:
                values: dict[schema.Side, Any] = {schema.CRM: crm_value, schema.OUTLOOK: outlook_value}
                lasts = self._lasts(link, pair, last, values)
                plan.agreed[pair.key] = self._known_pair(plan, pair, lasts, values, data)
        return plan

    def _lasts(
        self, link: Link, pair: FieldPair, last: Any, values: dict[schema.Side, Any]
    ) -> dict[str, Any]:
        """Per side, the value a change is measured against, with unconfirmed writes settled.

        A side still at the version it had before an unconfirmed write was not written, nor
        touched since. A side whose version moved may hold the write, a user's later edit, or
        both (even an edit back to the old value, or to the very value written). Neither side's
        value can then be measured: the side written may hold a later edit, and the side the
        write came from may have been edited since it was read (even back to the old agreed
        value). Both count as changed, so differing values meet as a conflict, never as a
        silent overwrite; equal values simply agree.
        """
        lasts: dict[str, Any] = dict.fromkeys(schema.SIDES, last)
        for name, (version, written) in link.inflight.items():
            if pair.key in written and self.sides[name].version(link) != version:
                return dict.fromkeys(schema.SIDES, _UNSETTLED)
        return lasts

    def _new_pair(self, plan: Fields, pair: FieldPair, crm_value: Any, outlook_value: Any, data: Any) -> Any:
        """A pair that starts to sync for a linked item (the address mapping changed).

        The source side (interpretations.REMAP_SOURCE) gives its value, empty or not, to the other
        side. What the other side held there is lost and reported (CONTACT-ADDRESS-REMAP-LOSS); an
        empty side simply receives the data (CONTACT-ADDRESS-ONE-SIDED).
        """
        source: schema.Side = interpretations.REMAP_SOURCE  # type: ignore[assignment]
        target = schema.other(source)
        given, held = (crm_value, outlook_value) if source == schema.CRM else (outlook_value, crm_value)
        if given == held or not self.one_sided:
            return crm_value  # unchanged, or (rule off) taken as agreed with nothing moved
        plan.put(pair, target, data[target], given)
        if held is not None and self.remap_loss:
            loss = LossSpec(target, pair.name(target), held, given, R.CONTACT_ADDRESS_REMAP_LOSS)
            plan.losses[target].append(loss)
        return given

    def _known_pair(
        self, plan: Fields, pair: FieldPair, lasts: dict[str, Any], values: dict[schema.Side, Any], data: Any
    ) -> Any:
        edited = {side: values[side] != lasts[side] for side in schema.SIDES}
        changed = {side: edited[side] and pair.flows_from(side) for side in schema.SIDES}
        if all(changed.values()) and values[schema.CRM] != values[schema.OUTLOOK]:
            winner = conflict_winner(self.sides, data)
            loser = schema.other(winner)
            detail = (
                f"{pair.crm}/{pair.outlook}: CRM {values[schema.CRM]!r} vs Outlook "
                f"{values[schema.OUTLOOK]!r}; {winner} won"
            )
            plan.put(pair, loser, data[loser], values[winner])
            loss = LossSpec(loser, pair.name(loser), values[loser], values[winner], None, detail)
            plan.losses[loser].append(loss)
            return values[winner]
        for side in schema.SIDES:
            target = schema.other(side)
            if changed[side] and not changed[target]:
                plan.put(pair, target, data[target], values[side])
                if edited[target] and values[target] != values[side]:  # an edit the direction held back
                    loss = LossSpec(target, pair.name(target), values[target], values[side], pair.rule)
                    plan.losses[target].append(loss)
                return values[side]
        agreed = values[schema.CRM]
        for side in schema.SIDES:
            if edited[side] and not pair.flows_from(side):
                if (
                    pair.rule == R.FIELD_SECURITY_UPDATE
                    and values[side] != values[schema.CRM]
                    and pair.flows_from(schema.CRM)
                ):
                    self._take_back(plan, pair, values, data)  # side is Outlook: CRM's value replaces it
                    continue
                detail = f"{side} edit of {pair.name(side)} not synced: the field syncs {pair.direction}"
                plan.skipped.append((pair.rule, detail))
                # the sides do not agree on the edit held back: the memory keeps what they last
                # agreed on, so the other side's unchanged value is never taken for an edit
                agreed = lasts[side]
        return agreed

    @staticmethod
    def _take_back(plan: Fields, pair: FieldPair, values: dict[schema.Side, Any], data: Any) -> None:
        """An Outlook value the user may not write to CRM: CRM's replaces it (FIELD-SECURITY-UPDATE)."""
        outlook, crm = values[schema.OUTLOOK], values[schema.CRM]
        plan.put(pair, schema.OUTLOOK, data[schema.OUTLOOK], crm)
        loss = LossSpec(schema.OUTLOOK, pair.outlook, outlook, crm, R.FIELD_SECURITY_UPDATE)
        plan.losses[schema.OUTLOOK].append(loss)
