"""``syncsim inspect``: what syncsim read from a file, before anyone trusts a whatif built on it.

Each record or item with its fields under their real names (Dynamics logical names, Outlook
property names), recurrence with its days, end and exceptions, attendees and attachments; the
fields the file does not carry (unknown, never taken as empty); the notes (what was not imported,
what was assumed) and every problem or skipped item with its file and line.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from .formats.errors import Export


def as_data(export: Export) -> dict[str, Any]:
    """The export as plain JSON-able data (dates as ISO text, attachments by size)."""
    return {
        "file": str(export.path),
        "format": export.format,
        "side": export.side,
        "items": [
            {
                "kind": item.kind,
                "line": item.line,
                "label": item.label,
                "fields": _plain(item.fields),
                "attachments": {name: len(content) for name, content in sorted(item.attachments.items())},
            }
            for item in export.items
        ],
        "carried": {kind: sorted(names) for kind, names in sorted(export.carried.items())},
        "not_imported": export.unknown,
        "notes": export.notes,
        "skipped": [str(problem) for problem in export.skipped],
    }


def as_json(export: Export) -> str:
    return json.dumps(as_data(export), indent=2, ensure_ascii=False) + "\n"


def as_text(export: Export) -> list[str]:
    """Lines for a terminal: the file, then each item and its fields, then notes and skips."""
    side = "CRM" if export.side == "crm" else "Outlook"
    counted = f"{len(export.items)} item(s) read"
    if export.skipped:
        counted += f", {len(export.skipped)} skipped (--skip-bad)"
    lines = [f"{export.path}: {export.format}, {side} side", counted]
    for item in export.items:
        lines.append(f"line {item.line}: {item.kind} {item.label!r}")
        lines += [f"    {name}: {_shown(value)}" for name, value in item.fields.items()]
        lines += [
            f"    attachment {name} ({len(content)} bytes)"
            for name, content in sorted(item.attachments.items())
        ]
    for kind, names in sorted(export.carried.items()):
        lines.append(f"{kind}: this file carries {len(names)} field(s); the others are unknown, not empty")
    lines += [f"note: {note}" for note in export.notes]
    lines += [f"skipped: {problem}" for problem in export.skipped]
    return lines


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_shown(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + "; ".join(_shown(v) for v in value) + "]"
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return repr(value) if isinstance(value, str) and ("\n" in value or not value.strip()) else str(value)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value
