"""Every step phrase the project offers, read from the step definitions themselves.

The catalogue is what ``syncsim steps`` prints and ``docs/steps.md`` holds: per area (step module),
each phrase with its parameters (and their allowed values where a step takes a setting, channel,
side, kind, outcome or rule), a one-line meaning (the step function's docstring) and an example
line from a real feature file. The linter uses the same definitions to match steps.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pytest_bdd.steps import StepFunctionContext, step_function_context_registry

from . import installed
from .features import ScenarioInfo, StepLine

STEP_PACKAGE = "syncsim.steps"
_PARSE_FIELD = re.compile(r"\{(\w+)(?::(\w+))?\}")
STEP_TYPES = ("given", "when", "then")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    allowed: tuple[str, ...] = ()


@dataclass
class StepDef:
    area: str
    types: list[str]
    phrase: str
    params: tuple[Param, ...]
    meaning: str
    contexts: list[StepFunctionContext] = field(repr=False, default_factory=list)
    example: str = ""

    def matches(self, text: str) -> bool:
        return any(context.parser.is_matching(text) for context in self.contexts)

    def as_dict(self) -> dict[str, object]:
        return {
            "area": self.area,
            "types": self.types,
            "phrase": self.phrase,
            "params": [{"name": p.name, "type": p.type, "allowed": list(p.allowed)} for p in self.params],
            "meaning": self.meaning,
            "example": self.example,
        }


def step_modules(extra: Sequence[str] = ()) -> list[str]:
    """syncsim's step modules, then ``extra`` (a team's own, already importable), all imported."""
    plugin = importlib.import_module(f"{STEP_PACKAGE}.plugin")
    modules = [*plugin.pytest_plugins, *extra]
    for name in modules:
        importlib.import_module(name)
    return modules


def area_of(module: str) -> str:
    """syncsim's areas by their short names (common, items, ...); a team's module by its own name."""
    return module.removeprefix(f"{STEP_PACKAGE}.")


def definitions(extra: Sequence[str] = ()) -> list[StepDef]:
    """Every step definition of syncsim (and of the ``extra`` modules), one entry per phrase, in
    module order."""
    modules = step_modules(extra)
    allowed = _allowed_by_type()
    by_key: dict[tuple[str, str], StepDef] = {}
    for context in step_function_context_registry.values():
        module = context.step_func.__module__
        if module not in modules:
            continue
        phrase = _phrase(context)
        key = (module, phrase)
        if key not in by_key:
            by_key[key] = StepDef(
                area=area_of(module),
                types=[],
                phrase=phrase,
                params=_params(context, allowed),
                meaning=_meaning(context.step_func.__doc__),
            )
        entry = by_key[key]
        entry.contexts.append(context)
        for kind in [context.type] if context.type else STEP_TYPES:
            if kind not in entry.types:
                entry.types.append(kind)
    order = {area_of(module): n for n, module in enumerate(modules)}
    for entry in by_key.values():
        entry.types.sort(key=STEP_TYPES.index)
    return sorted(by_key.values(), key=lambda d: order[d.area])


def areas(extra: Sequence[str] = ()) -> list[str]:
    return [area_of(module) for module in step_modules(extra)]


def typed_steps(info: ScenarioInfo, row: dict[str, str] | None = None) -> list[tuple[str, StepLine, str]]:
    """(given/when/then, step, text with Outline placeholders filled from ``row``) of a scenario,
    background first. And/But take the type of the step before them."""
    out, current = [], "given"
    for steps in (info.background, info.steps):
        current = "given"
        for step in steps:
            keyword = step.keyword.lower()
            if keyword in STEP_TYPES:
                current = keyword
            text = step.text
            for name, value in (row or {}).items():
                text = text.replace(f"<{name}>", value)
            out.append((current, step, text))
    return out


def find(defs: Iterable[StepDef], step_type: str, text: str) -> list[StepDef]:
    return [d for d in defs if step_type in d.types and d.matches(text)]


def refusal(defs: Iterable[StepDef], step_type: str, text: str) -> str | None:
    """Why a step of this type whose words fit a phrase does not match it: the value one of
    its parameters refuses (``kind 'contact' is not allowed; allowed: appointment, ...``)."""
    for d in defs:
        if step_type not in d.types:
            continue
        for context in d.contexts:
            words = getattr(context.parser, "parser", None)  # (a parse-style phrase; not a fixed one)
            found = words.parse(text, evaluate_result=False) if words is not None else None
            if found is None:
                continue
            try:
                found.evaluate_result()
            except ValueError as refused:
                return str(refused)
    return None


def with_examples(defs: list[StepDef], scenarios: list[ScenarioInfo]) -> list[StepDef]:
    """Give each definition the first line of a real scenario that uses it, or a generated one."""
    for info in scenarios:
        for step_type, _, text in typed_steps(info, info.rows()[0]):
            for match in find(defs, step_type, text):
                if not match.example:
                    match.example = f"{step_type.capitalize()} {text}"
    for d in defs:
        if not d.example:
            d.example = f"{d.types[0].capitalize()} {_generated(d)}"
    return defs


def markdown(defs: list[StepDef]) -> str:
    """The catalogue as docs/steps.md."""
    lines = [
        "# Step catalogue",
        "",
        "Every step phrase syncsim's features can use, by area. Generated by",
        "`syncsim steps --markdown > docs/steps.md`; a test fails when this file and the code differ.",
        "Parameters in `{braces}` are filled in by you; where a parameter takes a fixed set of",
        'values they are listed. Put quoted parameters in double quotes, as in `"alice"`.',
        "A step that ends with `:` takes a datatable on the lines below it.",
    ]
    for area in dict.fromkeys(d.area for d in defs):
        entries = [d for d in defs if d.area == area]
        if not entries:
            continue
        lines += ["", f"## {area}", ""]
        for d in entries:
            lines += [f"### {'/'.join(t.capitalize() for t in d.types)} `{d.phrase}`", ""]
            if d.meaning:
                lines += [d.meaning, ""]
            for p in d.params:
                allowed = f": {', '.join(f'`{a}`' for a in p.allowed)}" if p.allowed else ""
                lines.append(f"- `{p.name}` ({p.type}){allowed}")
            if d.params:
                lines.append("")
            lines += [f"Example: `{d.example}`", ""]
    return "\n".join(lines).rstrip() + "\n"


# -- internals -------------------------------------------------------------------------------------


def _allowed_by_type() -> dict[str, tuple[str, ...]]:
    common = importlib.import_module(f"{STEP_PACKAGE}.common")
    return {name: tuple(getattr(convert, "allowed", ())) for name, convert in common.TYPES.items()}


def _phrase(context: StepFunctionContext) -> str:
    """The phrase as a QA engineer reads it: {kind}, not {kind:Kind}."""
    return _PARSE_FIELD.sub(lambda m: "{" + m.group(1) + "}", str(context.parser.name))


def _params(context: StepFunctionContext, allowed: dict[str, tuple[str, ...]]) -> tuple[Param, ...]:
    return tuple(
        Param(name, "number", ())
        if kind == "d"
        else Param(name, (kind or "text").lower(), allowed.get(kind, ()))
        for name, kind in _PARSE_FIELD.findall(str(context.parser.name))
    )


def _meaning(doc: str | None) -> str:
    """A step's meaning: the first paragraph of its docstring, whole (its lines joined)."""
    paragraph = (doc or "").strip().split("\n\n")[0]
    return " ".join(line.strip() for line in paragraph.splitlines())


#: example values of parameters, by name (then by type), for a step no feature uses
EXAMPLE_VALUES = {
    "seed": "7",
    "minutes": "30",
    "cycles": "2",
    "count": "2",
    "seconds": "30",
    "kbps": "256",
    "ahead": "1",
    "last": "2",
    "low": "1",
    "high": "3",
    "name": "alice",
    "user": "alice",
    "owner": "bob",
    "org": "Fabrikam",
    "label": "Ann",
    "field": "jobtitle",
    "filename": "agenda.pdf",
    "version": "7.0.0",
    "category": "Inactive",
    "reason": "not allowed",
    "value": "true",
    "recipients": '"bob"',
    "size": "20 KB",
}


def _generated(d: StepDef) -> str:
    text = d.phrase
    for p in d.params:
        placeholder = "{" + p.name + "}"
        text = text.replace(placeholder, _example_value(p, after_an=f" an {placeholder}" in text))
    return text


def _example_value(p: Param, after_an: bool) -> str:
    """A value to show for one parameter: its first allowed value (one that reads after "an" when
    the phrase puts it there: "an appointment", never "an contact"), else a typical one."""
    if not p.allowed or p.type == "size":
        return EXAMPLE_VALUES.get(p.name, "1")
    vowel_first = [value for value in p.allowed if value[:1].lower() in "aeiou"]
    return (vowel_first or p.allowed)[0] if after_an else p.allowed[0]


def project_features() -> Path:
    return installed.resource("features")
