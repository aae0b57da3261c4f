"""Cucumber tag expressions (``@APPT-ATTACH-ON and not @server-side``), read by the maintained
parser Cucumber publishes, applied to scenario runs: for ``--tags`` on ``syncsim run`` and pytest."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from cucumber_tag_expressions import TagExpressionError, parse


def expression(text: str) -> Any:
    """The parsed expression; a ValueError says what is wrong with it. A word without its @ is
    refused: the parser would take it as a tag no scenario has, and run nothing without a word."""
    bare = [word for word in re.split(r"[\s()]+", text) if word and word not in _OPERATORS and word[0] != "@"]
    if bare:
        raise ValueError(f"--tags {text!r}: a tag begins with @ ({bare[0]!r}: did you mean '@{bare[0]}'?)")
    try:
        return parse(text)
    except TagExpressionError as bad:
        raise ValueError(f"--tags {text!r}: {bad}") from None


_OPERATORS = frozenset({"and", "or", "not"})


def selects(parsed: Any, tags: Iterable[str]) -> bool:
    """Whether a run with these tags (with or without their @) matches the expression."""
    return bool(parsed.evaluate({f"@{tag.lstrip('@')}" for tag in tags}))
