"""What a finding hands over: the reproducer (a .feature file in our own steps) and a report that
explains it, as Elle does for Jepsen: the class of anomaly, the minimal witness (the shrunk steps)
and, per affected item, a timeline of each side's values around every cycle and the events that
touched it. Text for the terminal, Markdown and HTML to keep beside the reproducer."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

from .runner import Moment
from .search import CRASH, DIVERGED, Outcome

#: what each class of anomaly means, for the reader of a report
MEANINGS = {
    "no-silent-loss": "sync overwrote or blanked a value the other side's user never changed, "
    "and reported no loss",
    "no-duplicates": "one CRM record has two items in a mailbox, or a record sync made is carried by no item",
    "retry-after": "the engine sent a write before a 429's or 503's Retry-After had passed",
    "idempotency": "with nothing changed, a cycle still wrote",
    "convergence": "with nothing changed, the two sides of a tracked pair still differ",
    "admin-only": "someone other than the administrator changed a Synchronization setting",
    "field-direction": "sync wrote a field on a side its direction or the user's field security "
    "keeps it from",
    "recurring-files": "sync put a file on a recurring series or a service activity",
    "filter-leave": "a copy sync made stayed in Outlook after its record left the user's filters",
    "outlook-delete": "an appointment or task deleted in Outlook while tracked stayed in CRM",
    "task-assignee": "a task sent to a user of the organization did not pass to that user in CRM",
    CRASH: "the engine under test raised an exception instead of finishing its cycle",
    DIVERGED: "after the same operations, the engine's stores differ from the reference engine's",
}


#: what should have held instead, with the rules that say so
SHOULD = {
    "no-silent-loss": "a value sync replaces or removes is one the other side's user changed since the sides "
    "last agreed, or the cycle reports it lost with the rule that decided (a conflict: the side modified "
    "last wins, CRM on a tie, and the other value is reported lost; FIELD-ONE-WAY for a one-way field; "
    "CONTACT-ADDRESS-REMAP-LOSS for an address switch; the DEL rules and FILTER-LEAVE for a copy removed)",
    "no-duplicates": "a record has one item in each mailbox, and a tracked item one record in CRM: a create "
    "whose response was lost is found and linked, never made again",
    "retry-after": "after a 429 or 503 the user's next write waits out the Retry-After (service protection "
    "and throttling are per user)",
    "idempotency": "a cycle with nothing to do writes nothing",
    "convergence": "after a quiet cycle every two-way field holds one value on both sides, and every file "
    "the settings let sync (APPT-ATTACH-ON, within ATTACH-MAX-SIZE, not ATTACH-BLOCKED) is on both, "
    "byte for byte",
    "admin-only": "only the administrator changes a Synchronization setting (SETTINGS-ADMIN-ONLY)",
    "field-direction": "a field is written only on the side its pair flows to: the administrator's "
    "direction (FIELD-ONE-WAY, FIELD-NONE), then the user's field security (FIELD-SECURITY-READ, "
    "FIELD-SECURITY-UPDATE)",
    "recurring-files": "the attachments of a recurring series never sync (APPT-ATTACH-RECURRING), nor "
    "those of a service activity (APPT-ATTACH-SERVICE-ACTIVITY)",
    "filter-leave": "a record that passes none of the user's filters leaves the user's Outlook, as a delete "
    "does (FILTER-LEAVE); a copy the user tracked by hand, and the assigner's copy of a task sent on, stay",
    "outlook-delete": "deleting a tracked appointment or task in Outlook deletes it in CRM "
    "(DELETE-APPT-IN-OUTLOOK, DELETE-TASK-IN-OUTLOOK)",
    "task-assignee": "a task sent to one user of the organization reaches CRM owned by that user "
    "(TASK-ASSIGNED-ON), or passes to them if it was tracked already (TASK-OWNER-ON-SEND); addresses match "
    "whatever their case",
    CRASH: "a cycle finishes, or ends on a network fault, but never raises",
    DIVERGED: "the stores end as the reference engine leaves them after the same operations",
}


#: a silent loss as the checker words it: whose, which side, field, old value, new value
_SILENT = re.compile(
    r"(?P<side>crm|outlook) (?P<field>\S+) (?P<old>.+?) -> (?P<new>.+?) without a reported loss"
)


def diagnosis(outcome: Outcome) -> str:
    """What went wrong, in words: the decision the engine got wrong, read from the finding's
    detail and the items' timelines (what users changed, and when)."""
    explain = _EXPLAIN.get(outcome.invariant or "")
    return explain(outcome) if explain is not None else ""


def _silent_loss(outcome: Outcome) -> str:
    found = _SILENT.search(outcome.message)
    if found is None:
        return ""
    side, field, old, new = found["side"], found["field"], found["old"], found["new"]
    other = "Outlook" if side == "crm" else "CRM"
    here = "CRM" if side == "crm" else "Outlook"
    edited = _edited_since_last_cycle(outcome)
    if new == "None":
        return (
            f"sync removed {field} {old} from {here} and reported no loss: a value {other} never held "
            "goes with a delete only as a reported loss"
        )
    if {here, other} <= edited:
        return (
            f"a conflict: both sides changed the item since the last cycle, and {field} on {here} went "
            f"from {old} to {other}'s {new} with no loss reported; the rule: the side modified last wins "
            "(CRM on a tie), and the losing value is reported lost"
        )
    if here in edited:
        return (
            f"{here}'s own edit of {field} ({old}) was overwritten by {other}'s {new}, which no user "
            f"changed since the last cycle: the engine took the older value for the newer"
        )
    return f"nobody changed {field} since the last cycle, yet sync replaced {old} with {new} on {here}"


#: a field convergence found apart, and a file
_APART = re.compile(
    r": (?P<crm>[a-z0-9_]+)=(?P<crm_value>.+?) but (?P<outlook>\w+)=(?P<outlook_value>.+?)(?:; |$)"
)
_FILE_APART = re.compile(
    r"attachment (?P<name>.+?) (?:only in (?P<side>crm|outlook)|differs on the two sides)"
)


def _apart(outcome: Outcome) -> str:
    last = _last_edit(outcome)
    since = f"; the last change to it was line {last}" if last else ""
    field = _APART.search(outcome.message)
    if field is not None:
        return (
            f"sync settled with {field['crm']} = {field['crm_value']} in CRM and {field['outlook']} = "
            f"{field['outlook_value']} in Outlook: the engine saw nothing left to do on a two-way field "
            f"whose sides differ{since}. The rule: a change to a two-way field reaches the other side"
        )
    file = _FILE_APART.search(outcome.message)
    if file is None:
        return ""
    if file["side"]:
        where = "CRM" if file["side"] == "crm" else "Outlook"
        return (
            f"sync settled with the file {file['name']} in {where} only, though its size and extension "
            f"let it sync: the engine never copied it, or removed its copy{since}"
        )
    return f"sync settled with two different files named {file['name']}, one on each side{since}"


def _duplicated(outcome: Outcome) -> str:
    if "was made by sync, but no Outlook item has carried it" in outcome.message:
        return (
            "sync made a CRM record no Outlook item carries: it made a second record for an item that "
            "had one (a create sent twice, or an item not found by the id it was stamped with)"
        )
    return (
        "one mailbox holds two items for one CRM record: the engine copied the record again instead "
        "of finding the copy stamped with its id (after a lost response, the copy is found and linked)"
    )


def _idle_writes(outcome: Outcome) -> str:
    return (
        "a cycle with nothing to do still wrote: the engine rewrote values both sides already agreed "
        "on (the timeline shows what moved)"
    )


def _too_soon(outcome: Outcome) -> str:
    return "the engine wrote again before a 429's or 503's Retry-After had passed, instead of waiting it out"


#: each rule invariant: what the engine did against its rule
_AGAINST_RULE = {
    "field-direction": "the engine carried a field across to a side its direction or the user's field "
    "security keeps it from",
    "recurring-files": "the engine copied a file of a recurring series or a service activity",
    "filter-leave": "the engine kept a copy it had made after its record left every one of the user's "
    "filters",
    "outlook-delete": "the engine kept the CRM record of an appointment or task the user deleted in Outlook",
    "task-assignee": "the engine did not give a task sent to a user of the organization to that user "
    "(an address matches whatever its case)",
}
_RULE_ID = re.compile(r"\b([A-Z]+(?:-[A-Z]+)+)\b")


def _against_rule(outcome: Outcome) -> str:
    rules = ", ".join(dict.fromkeys(_RULE_ID.findall(outcome.message))) or "its rule"
    return f"{_AGAINST_RULE[outcome.invariant or '']}: the decision breaks {rules}"


def _differs(outcome: Outcome) -> str:
    label = outcome.message.partition(":")[0]
    here = _events_of_last_cycle(outcome.timeline.get(label, []))
    return (
        f"{label} ended otherwise than under {outcome.against}. In that cycle {outcome.against} decided: "
        f"{'; '.join(outcome.expected_decisions) or 'nothing to report'}; this engine decided: "
        f"{'; '.join(here) or 'nothing it reported'}"
    )


def _events_of_last_cycle(moments: list[Moment]) -> tuple[str, ...]:
    cycles = [m for m in moments if m.crm is not None]
    return cycles[-1].events if cycles else ()


def _last_edit(outcome: Outcome) -> int:
    """The line of the last user operation on the finding's items (0: none)."""
    return max((m.step for ms in outcome.timeline.values() for m in ms if m.crm is None), default=0)


def _not_admin(outcome: Outcome) -> str:
    return (
        "a user who is not the administrator changed a Synchronization setting, and the change stood "
        "(SETTINGS-ADMIN-ONLY)"
    )


def _crashed(outcome: Outcome) -> str:
    return (
        f"the engine's cycle raised {outcome.message.partition(':')[0]} instead of ending (or stopping on "
        "a network fault): the timeline shows the operations before it"
    )


_EXPLAIN: dict[str, Callable[[Outcome], str]] = {
    "no-silent-loss": _silent_loss,
    "convergence": _apart,
    "no-duplicates": _duplicated,
    "idempotency": _idle_writes,
    "retry-after": _too_soon,
    **dict.fromkeys(_AGAINST_RULE, _against_rule),
    DIVERGED: _differs,
    "admin-only": _not_admin,
    CRASH: _crashed,
}


def _edited_since_last_cycle(outcome: Outcome) -> set[str]:
    """The sides users edited between the last two cycles of the items' timelines."""
    moments = sorted((m for ms in outcome.timeline.values() for m in ms), key=lambda m: m.step)
    cycles = [m.step for m in moments if m.crm is not None]
    if not cycles:
        return set()
    last, before = cycles[-1], max((step for step in cycles[:-1]), default=0)
    edits = [m.what for m in moments if before < m.step < last and m.crm is None]
    return {side for side in ("CRM", "Outlook") for what in edits if what.endswith(f" in {side}:")}


def decisions(outcome: Outcome) -> list[str]:
    """The engine's own account of the cycle the finding came out of: the events of the last
    cycle in the timelines of the items it concerns."""
    cycles = [m for moments in outcome.timeline.values() for m in moments if m.crm is not None]
    if not cycles:
        return []
    last = max(m.step for m in cycles)
    return [event for m in cycles if m.step == last for event in m.events]


def reproducer(outcome: Outcome) -> str:
    """The shrunk sequence as a feature file in our own steps."""
    body = []
    for line in outcome.lines:
        indent = "      " if line.startswith("  ") else "    "  # (a table's rows, a doc string's lines)
        body.append(indent + line.strip())
    verb = "of" if outcome.invariant == CRASH else "broken by"
    return (
        f"Feature: Reproducer: {outcome.invariant} {verb} the {outcome.engine} engine\n"
        f"  Found by `{command(outcome)}`{' and shrunk by hypothesis' if outcome.shrunk else ''}.\n"
        f"  Run it with: syncsim run THIS_FILE --engine {outcome.engine}\n\n"
        f"  Scenario: {_title(outcome)}\n" + "\n".join(body) + "\n"
    )


def command(outcome: Outcome) -> str:
    """The explore command whose first round finds it again."""
    against = f" --against {outcome.against}" if outcome.against else ""
    return f"syncsim explore --engine {outcome.engine} --seed {outcome.round_seed}{against}"


def _title(outcome: Outcome) -> str:
    if outcome.invariant == CRASH:
        return "the engine does not crash"
    if outcome.invariant == DIVERGED:
        return f"the stores end as under {outcome.against}"
    return f"{outcome.invariant} is kept"


def reproducer_path(outcome: Outcome, folder: Path) -> Path:
    name = re.sub(
        r"[^a-z0-9]+", "-", f"{outcome.invariant}-{outcome.engine}-seed{outcome.round_seed}".lower()
    )
    return folder / f"reproducer-{name}.feature"


def text(outcome: Outcome) -> list[str]:
    """The finding for a terminal: anomaly, witness, timelines."""
    lines = [
        f"anomaly: {outcome.invariant}: {MEANINGS.get(outcome.invariant or '', '')}",
        f"detail: {outcome.message}",
        f"should have: {SHOULD.get(outcome.invariant or '', '')}",
        *([f"what went wrong: {diagnosis(outcome)}"] if diagnosis(outcome) else []),
        "the engine's decisions in that cycle: " + ("; ".join(decisions(outcome)) or "none it reported"),
        f"minimal witness ({len(outcome.sequence)} operations, {len(outcome.lines)} lines):",
    ]
    lines += [f"  {number:>3}  {line}" for number, line in enumerate(outcome.lines, start=1)]
    for label, moments in outcome.timeline.items():
        lines.append(f"timeline of {label}:")
        lines += [f"  {_moment(m)}" for m in moments]
    return lines


def _moment(moment: Moment) -> str:
    if moment.crm is None:
        return f"line {moment.step}: {moment.what}"
    said = f"line {moment.step}: {moment.what}: CRM {_change(moment.crm)}; Outlook {_change(moment.outlook)}"
    return said + "".join(f"\n      event: {event}" for event in moment.events)


def _change(pair: tuple[str, str] | None) -> str:
    if pair is None:
        return "-"
    before, after = pair
    return f"{before}" if before == after else f"{before} -> {after}"


def markdown(outcome: Outcome) -> str:
    lines = [
        f"# {outcome.invariant} broken by the {outcome.engine} engine",
        "",
        f"**Anomaly**: {MEANINGS.get(outcome.invariant or '', outcome.invariant)}.",
        "",
        f"**Detail**: {outcome.message}",
        "",
        f"**Should have**: {SHOULD.get(outcome.invariant or '', '')}.",
        "",
        *([f"**What went wrong**: {diagnosis(outcome)}.", ""] if diagnosis(outcome) else []),
        "**The engine's decisions in that cycle**: " + ("; ".join(decisions(outcome)) or "none it reported"),
        "",
        f"Found by `{command(outcome)}`.",
        "",
        "## Minimal witness",
        "",
        "```gherkin",
        *outcome.lines,
        "```",
    ]
    for label, moments in outcome.timeline.items():
        lines += [
            "",
            f"## Timeline of {label}",
            "",
            "| line | what | CRM | Outlook | events |",
            "|---|---|---|---|---|",
        ]
        for m in moments:
            cells = (str(m.step), m.what, _change(m.crm), _change(m.outlook), "<br>".join(m.events))
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"


def as_html(outcome: Outcome) -> str:
    e = html.escape
    parts = [
        "<!doctype html>\n<html lang='en'><head><meta charset='utf-8'>",
        f"<title>{e(str(outcome.invariant))}: {e(outcome.engine)}</title><style>",
        "body{font:14px/1.4 system-ui,sans-serif;max-width:1100px;margin:20px auto}",
        "td,th{border:1px solid #ccc;padding:3px 6px;vertical-align:top}table{border-collapse:collapse}",
        "pre{background:#f6f8fa;padding:8px}</style></head><body>",
        f"<h1>{e(str(outcome.invariant))} broken by the {e(outcome.engine)} engine</h1>",
        f"<p><b>Anomaly</b>: {e(MEANINGS.get(outcome.invariant or '', ''))}</p>",
        f"<p><b>Detail</b>: {e(outcome.message)}</p>",
        f"<p><b>Should have</b>: {e(SHOULD.get(outcome.invariant or '', ''))}</p>",
        f"<p><b>What went wrong</b>: {e(diagnosis(outcome))}</p>" if diagnosis(outcome) else "",
        "<p><b>The engine's decisions in that cycle</b>: "
        + e("; ".join(decisions(outcome)) or "none it reported")
        + "</p>",
        "<h2>Minimal witness</h2><pre>" + e("\n".join(outcome.lines)) + "</pre>",
    ]
    for label, moments in outcome.timeline.items():
        rows = "".join(
            "<tr>"
            + "".join(f"<td>{e(c)}</td>" for c in (str(m.step), m.what, _change(m.crm), _change(m.outlook)))
            + f"<td>{'<br>'.join(e(x) for x in m.events)}</td></tr>"
            for m in moments
        )
        parts.append(
            f"<h2>Timeline of {e(label)}</h2><table><tr><th>line</th><th>what</th><th>CRM</th>"
            f"<th>Outlook</th><th>events</th></tr>{rows}</table>"
        )
    return "".join(parts) + "</body></html>\n"
