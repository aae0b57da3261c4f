"""Engines by name: ``reference``, ``naive``, or ``module:Class`` for a team's own implementation."""

from __future__ import annotations

import importlib
from collections.abc import Iterable

from .protocol import SyncEngine

ENGINES = ("reference", "naive")


def load(name: str, disabled_rules: Iterable[str] = ()) -> SyncEngine:
    """The engine called ``name``; ``disabled_rules`` applies to the reference engine only."""
    if name == "reference":
        from .reference import ReferenceEngine

        return ReferenceEngine(disabled_rules)
    if name == "naive":
        from .naive import NaiveEngine

        return NaiveEngine()
    module_name, colon, class_name = name.partition(":")
    if not colon or not module_name or not class_name:
        raise ValueError(f"unknown engine {name!r}; engines: {', '.join(ENGINES)}, or module:Class")
    try:
        engine_class = getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError) as missing:
        raise ValueError(f"engine {name!r} cannot be loaded: {missing}") from None
    if not isinstance(engine_class, type) or not callable(getattr(engine_class, "cycle", None)):
        raise ValueError(
            f"engine {name!r} is not an engine: give a class with a cycle(context, report) method"
        )
    try:  # (made only once it is known to be an engine class: os:system is never called)
        return engine_class()  # type: ignore[no-any-return]
    except Exception as failed:
        raise ValueError(f"engine {name!r} could not be made: {type(failed).__name__}: {failed}") from None
