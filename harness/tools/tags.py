"""Cucumber tag expressions (``@APPT-ATTACH-ON and not @server-side``), read by the maintained
parser Cucumber publishes, applied to scenario runs: for ``--tags`` on ``syncsim run`` and pytest."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cucumber_tag_expressions import TagExpressionError, parse


def expression(text: str) -> Any:
    """The parsed expression; a ValueError says what is wrong with it."""
    try:
        return parse(text)
    except TagExpressionError as bad:
        raise ValueError(f"--tags {text!r}: {bad}") from None


def selects(parsed: Any, tags: Iterable[str]) -> bool:
    """Whether a run with these tags (with or without their @) matches the expression."""
    return bool(parsed.evaluate({f"@{tag.lstrip('@')}" for tag in tags}))
