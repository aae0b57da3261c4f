"""Steps every feature uses: the organization, its users, running sync, and what a cycle recorded."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from pytest_bdd import given, parsers, then, when

from ..harness import World
from ..harness.report import OUTCOMES, Event
from ..harness.rules import CHANNELS, CRM2015, RULES, rule
from ..harness.schema import APPOINTMENT_ENTITIES, DIRECTIONS
from ..harness.settings import SETTINGS
from ..harness.tools import collect
from ..harness.tools.scenario import KINDS, SIDES, Scenario, cell, expect, seed_for
from ..harness.tools.servers.command import command_engine


def _checked(name: str, allowed: tuple[str, ...], pattern: str = r"\S+") -> Callable[[str], str]:
    """A parse type that accepts any word and names the allowed ones when it is not one."""

    def convert(text: str) -> str:
        if text not in allowed:
            raise ValueError(f"{name} {text!r} is not allowed; allowed: {', '.join(allowed)}")
        return text

    convert.pattern = pattern  # type: ignore[attr-defined]
    convert.allowed = allowed  # type: ignore[attr-defined]
    return convert


def _rule_id(text: str) -> str:
    return rule(text).id


_rule_id.pattern = r"[A-Z][A-Z0-9-]+"  # type: ignore[attr-defined]
_rule_id.allowed = tuple(RULES)  # type: ignore[attr-defined]

UNITS = {"bytes": 1, "KB": 1024, "MB": 1024 * 1024}


def _size(text: str) -> int:
    """ "20 KB" -> 20480 bytes."""
    number, unit = text.split()
    return int(number) * UNITS[unit]


_size.pattern = r"\d+ (?:bytes|KB|MB)"  # type: ignore[attr-defined]
_size.allowed = ("<number> bytes", "<number> KB", "<number> MB")  # type: ignore[attr-defined]


def _names(text: str) -> list[str]:
    """'"bob" and "carol"' -> ["bob", "carol"]."""
    names = text.split('"')[1::2]
    if not names:
        raise ValueError(f'name the recipients in double quotes, as in "bob" and "carol"; got {text}')
    return names


_names.pattern = r'".+"'  # type: ignore[attr-defined]


def _quoted(text: str) -> str:
    return text


_quoted.pattern = r'[^"]*'  # type: ignore[attr-defined]

_KIND_WORDS = "|".join(map(re.escape, sorted(KINDS, key=len, reverse=True)))
TYPES = {
    "Quoted": _quoted,
    "Answer": _checked("answer", ("yes", "no")),
    "Channel": _checked("channel", CHANNELS),
    "Outcome": _checked("outcome", OUTCOMES),
    "Rule": _rule_id,
    "Setting": _checked("setting", tuple(SETTINGS)),
    "Size": _size,
    "Names": _names,
    "Side": _checked("side", SIDES),
    "Direction": _checked("direction", ("two-way", *DIRECTIONS[1:])),
    # longest first, so "recurring appointment" is not read as "appointment"
    "Kind": _checked("kind", tuple(KINDS), _KIND_WORDS),
    # the kinds attachments belong to (any kind's words, so another kind is named as refused)
    "Appointment": _checked(
        "kind", tuple(k for k, entity in KINDS.items() if entity in APPOINTMENT_ENTITIES), _KIND_WORDS
    ),
}


def step(text: str) -> parsers.parse:
    """A step text with our parameter types: {channel:Channel}, {rule:Rule}, {kind:Kind}..."""
    return parsers.parse(text, extra_types=TYPES)


def scenario_name(request: pytest.FixtureRequest) -> str:
    """Feature and scenario name plus the example row: the same in any process and order."""
    node = request.node
    return f"{node.function.__doc__}[{node.name.partition('[')[2]}"


def _organization(request: pytest.FixtureRequest, seed: int) -> Scenario:
    options = request.config.getoption
    request.node.stash[collect.SEED] = seed  # for the reports
    profile = options("profile") or CRM2015  # (--profile: every organization follows it)
    command = options("engine_cmd")
    if command:
        engine = command_engine(
            request.config,
            command,
            tls=options("engine_tls"),
            page_limit=options("engine_page_size"),
            persistent=options("engine_persistent"),
        )
        request.addfinalizer(engine.close)
        world = World(seed=seed, engine=engine, disabled_rules=options("disable_rule"), profile=profile)
        engine.attach(world)
        return Scenario(world)
    return Scenario(
        World(seed=seed, engine=options("engine"), disabled_rules=options("disable_rule"), profile=profile)
    )


@given("a new organization", target_fixture="sim")
def new_organization(request: pytest.FixtureRequest) -> Scenario:
    """A fresh organization (Contoso) with its administrator, defaults, and a seed from the scenario."""
    return _organization(request, seed_for(scenario_name(request)))


@given(step("a new organization with seed {seed:d}"), target_fixture="sim")
def new_organization_with_seed(request: pytest.FixtureRequest, seed: int) -> Scenario:
    """The same, with a given seed: reproducers written by syncsim explore start this way."""
    return _organization(request, seed)


@pytest.fixture
def sim(request: pytest.FixtureRequest) -> Scenario:
    """A scenario that does not start with "Given a new organization" gets one all the same (the
    same organization, with the seed from the scenario's name), so the first step may be any."""
    return _organization(request, seed_for(scenario_name(request)))


# -- users ---------------------------------------------------------------------------------------


@given(step('a user "{name}" syncing through {channel:Channel}'))
def user(sim: Scenario, name: str, channel: str) -> None:
    """Add a user whose mailbox syncs through outlook (CRM for Outlook) or server-side."""
    sim.world.add_user(name, channel=channel)


@given(step('a user "{name}" syncing through {channel:Channel} with client version {version}'))
def user_with_client(sim: Scenario, name: str, channel: str, version: str) -> None:
    """Add a user running the given CRM for Outlook version (7.1.0 is the latest)."""
    sim.world.add_user(name, channel=channel, client_version=version)


@given(step('a user "{name}" syncing through {channel:Channel} over a {kbps:d} kbps link'))
def user_on_link(sim: Scenario, name: str, channel: str, kbps: int) -> None:
    """Add a user on a network link of that bandwidth."""
    sim.world.add_user(name, channel=channel, bandwidth_kbps=kbps)


@given(step('a user "{name}" syncing through {channel:Channel} in the organization "{org}"'))
def user_in_org(sim: Scenario, name: str, channel: str, org: str) -> None:
    """Add a user of another organization (created on first use, with its own administrator)."""
    sim.world.add_user(name, channel=channel, organization=org)


# -- time and sync -------------------------------------------------------------------------------


@given(step("{minutes:d} minutes pass"))
@when(step("{minutes:d} minutes pass"))
@given(step("{minutes:d} minute passes"))
@when(step("{minutes:d} minute passes"))
def minutes_pass(sim: Scenario, minutes: int) -> None:
    """Move the simulated clock forward."""
    sim.world.clock.advance(timedelta(minutes=minutes).total_seconds())


@given(step("{seconds:d} seconds pass"))
@when(step("{seconds:d} seconds pass"))
@given(step("{seconds:d} second passes"))
@when(step("{seconds:d} second passes"))
def seconds_pass(sim: Scenario, seconds: int) -> None:
    """Move the simulated clock forward by seconds: an edit one second after a cycle, or in the
    same minute as the next one."""
    sim.world.clock.advance(seconds)


@given("the sync has run")
@when("the sync runs")
def sync_runs(sim: Scenario) -> None:
    """Run one sync cycle for every user."""
    sim.sync()


@given(step('the sync has run for "{name}"'))
@when(step('the sync runs for "{name}"'))
def sync_runs_for(sim: Scenario, name: str) -> None:
    """Run one sync cycle for that user only (their Synchronize now); the others wait."""
    sim.sync(users=[name])


@when(step("the sync runs {cycles:d} times"))
def sync_runs_times(sim: Scenario, cycles: int) -> None:
    """Run several sync cycles, the clock moving between them."""
    sim.sync(cycles)


# -- what the cycle recorded ---------------------------------------------------------------------


def _events(sim: Scenario, outcome: str, rule_id: str | None = None, user: str | None = None) -> list[Event]:
    return [
        e
        for e in sim.last.events
        if e.outcome == outcome
        and (rule_id is None or e.rule == rule_id)
        and (user is None or e.user == user)
    ]


#: the checks that read the engine's events, losses or durations, which a sync program outside the
#: process cannot report (syncsim run --engine-cmd): for such an engine they do not apply
_CHECKS = {
    "records": "an event of an outcome and rule",
    "records_none": "no event of an outcome and rule",
    "records_any": "an event of an outcome",
    "records_no": "no event of an outcome",
    "records_count": "a count of events",
    "nothing_lost": "no losses",
    "lost": "the losses",
    "took_more": "a cycle's duration",
    "took_less": "a cycle's duration",
}


@then(step('the cycle records "{outcome:Outcome}" for rule {rule_id:Rule}'))
def records(sim: Scenario, outcome: str, rule_id: str) -> None:
    """The last sync recorded at least one event with this outcome and rule."""
    if not sim.applicable(_CHECKS["records"]):
        return
    found = _events(sim, outcome, rule_id)
    expect(bool(found), f"a {outcome!r} event for {rule_id}", "none", sim)


@then(step('the cycle records "{outcome:Outcome}" for rule {rule_id:Rule} for "{name}"'))
def records_for(sim: Scenario, outcome: str, rule_id: str, name: str) -> None:
    """The last sync recorded an event with this outcome and rule for that user."""
    if not sim.applicable(_CHECKS["records"]):
        return
    found = _events(sim, outcome, rule_id, sim.world.user(name).name)
    expect(bool(found), f"a {outcome!r} event for {rule_id} for {name}", "none", sim)


@then(step('the cycle records no "{outcome:Outcome}" for rule {rule_id:Rule}'))
def records_none(sim: Scenario, outcome: str, rule_id: str) -> None:
    """The last sync recorded no event with this outcome and rule."""
    if not sim.applicable(_CHECKS["records_none"]):
        return
    found = _events(sim, outcome, rule_id)
    expect(not found, f"no {outcome!r} event for {rule_id}", f"{len(found)} of them", sim)


@then(step('the cycle records "{outcome:Outcome}"'))
def records_any(sim: Scenario, outcome: str) -> None:
    """The last sync recorded at least one event with this outcome."""
    if not sim.applicable(_CHECKS["records_any"]):
        return
    expect(bool(_events(sim, outcome)), f"a {outcome!r} event", "none", sim)


@then(step('the cycle records no "{outcome:Outcome}"'))
def records_no(sim: Scenario, outcome: str) -> None:
    """The last sync recorded no event with this outcome."""
    if not sim.applicable(_CHECKS["records_no"]):
        return
    found = _events(sim, outcome)
    expect(not found, f"no {outcome!r} event", f"{len(found)} of them", sim)


@then(step('{count:d} "{outcome:Outcome}" events for rule {rule_id:Rule} were recorded for "{name}"'))
def records_count(sim: Scenario, count: int, outcome: str, rule_id: str, name: str) -> None:
    """The last sync recorded exactly this many events of this outcome and rule for the user."""
    if not sim.applicable(_CHECKS["records_count"]):
        return
    found = len(_events(sim, outcome, rule_id, name))
    expect(found == count, f"{count} {outcome!r} events for {rule_id} for {name}", found, sim)


@then("the cycle wrote nothing")
def wrote_nothing(sim: Scenario) -> None:
    """The last sync wrote nothing to either side."""
    expect(sim.last.writes == 0, "no writes", f"{sim.last.writes} writes", sim)


@then("nothing was lost")
def nothing_lost(sim: Scenario) -> None:
    """The last sync lost no value."""
    if not sim.applicable(_CHECKS["nothing_lost"]):
        return
    expect(not sim.last.losses, "no losses", sim.last.losses, sim)


@then("the cycle lost:")
def lost(sim: Scenario, datatable: list[list[str]]) -> None:
    """Exactly these values were lost (| item | side | field | old | new |, and a | rule | column
    if you like: the rule that allowed the loss), in any order."""
    if not sim.applicable(_CHECKS["lost"]):
        return
    header, *rows = datatable
    with_rule = "rule" in header
    expected = sorted(
        (
            sim.item(r["item"]).label,
            r["side"],
            r["field"],
            cell(r["field"], r["old"]),
            cell(r["field"], r["new"]),
            *((r["rule"] or None,) if with_rule else ()),
        )
        for r in (dict(zip(header, row, strict=True)) for row in rows)
    )
    found = sorted(
        (
            sim.label_of(loss.ids),
            loss.side,
            loss.field,
            loss.old,
            loss.new,
            *((loss.rule,) if with_rule else ()),
        )
        for loss in sim.last.losses
    )
    expect(found == expected, expected, found, sim)


@then(step('the cycle took more than {seconds:d} seconds for "{name}"'))
def took_more(sim: Scenario, seconds: int, name: str) -> None:
    """The user's cycle took more simulated seconds than this."""
    if not sim.applicable(_CHECKS["took_more"]):
        return
    took = sim.last.duration(name)
    expect(took > seconds, f"more than {seconds} s", f"{took:.2f} s", sim)


@then(step('the cycle took less than {seconds:d} seconds for "{name}"'))
def took_less(sim: Scenario, seconds: int, name: str) -> None:
    """The user's cycle took fewer simulated seconds than this."""
    if not sim.applicable(_CHECKS["took_less"]):
        return
    took = sim.last.duration(name)
    expect(took < seconds, f"less than {seconds} s", f"{took:.2f} s", sim)
