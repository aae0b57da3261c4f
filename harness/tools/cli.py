"""syncsim: run the documented scenarios, read the rule catalogue, simulate an organization.

Every command has --help. Misuse (an unknown command, setting or value, a bad path, a count out of
range) prints one line naming what is allowed and exits with 2; a failing scenario exits with 1.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import secrets
import shlex
import shutil
import socket
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from importlib import metadata
from pathlib import Path
from typing import Any, NoReturn

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .. import filters, speed
from ..engine import registry
from ..engine.guards import GUARDS
from ..errors import NotFound, NotPermitted
from ..filters import SyncFilter
from ..report import CycleReport, Report
from ..rules import CHANNELS, PROFILES, RULES, SOURCES, not_holding
from ..settings import SETTINGS
from ..stores.crm import ATTRIBUTES
from ..world import World, gc_paused
from . import (
    baseline,
    cucumber,
    features,
    fieldtable,
    htmlreport,
    matrix,
    output,
    project,
    scaffold,
    stepcatalog,
    tags,
)
from . import inspect as inspect_module
from . import whatif as whatif_module
from .explore import command as explore_command
from .formats.errors import FormatError
from .formats.load import load
from .formats.outlookcsv import MAILING
from .lint import lint
from .runner import RunResult, failed_runs, run_features
from .samples import write_samples
from .servers.backend import CONTROL_SECRET_VARIABLE, MAX_BODY, MIN_SECRET, SECRET_HEADER
from .simulate import (
    BYTES_PER_RECORD,
    FieldChange,
    Plan,
    SettingChange,
    available_bytes,
    estimated_bytes,
    simulate,
    summary,
)

USAGE_ERROR = 2
#: syncsim explore: the engine under test raised (a reproducer of the crash is written)
ENGINE_CRASHED = 3
#: the shell's code for a run ended by Ctrl-C (128 + SIGINT)
INTERRUPTED = 130


class UsageError(Exception):
    """Bad input on the command line: one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message} (see {self.prog} --help)")


def _whole(lowest: int, highest: int | None = None) -> Callable[[str], int]:
    """An argparse type: a whole number from ``lowest`` (to ``highest``: every count has a limit
    that a run finishes within, or a memory guard)."""

    def convert(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < lowest:
            raise argparse.ArgumentTypeError(f"{text} must be {lowest} or more")
        if highest is not None and value > highest:
            raise argparse.ArgumentTypeError(f"{text} is more than {highest:,}, the most this takes")
        return value

    return convert


TLS_HELP = (
    "serve HTTPS with a certificate from a local certificate authority made at start; clients verify it "
    "with that CA's certificate (its path is printed, and given to programs as SYNCSIM_CA_BUNDLE)"
)
#: the most cycles one command runs, users one organization has, and records a served user gets
MAX_CYCLES, MAX_USERS, MAX_SERVED = 10_000, 100_000, 1_000_000
_positive, _count = _whole(1), _whole(0)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="syncsim",
        description="Simulate and test Dynamics CRM <-> Outlook/Exchange synchronization "
        "(System Settings > Synchronization).",
    )
    parser.add_argument("--version", action="version", version=_version())
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True
    _add_run(commands)
    _add_rules(commands)
    _add_simulate(commands)
    _add_steps(commands)
    _add_explore(commands)
    _add_whatif(commands)
    _add_samples(commands)
    _add_lint(commands)
    _add_fields(commands)
    _add_init(commands)
    _add_inspect(commands)
    _add_serve(commands)
    return parser


def _add_run(commands: Any) -> None:
    run = commands.add_parser(
        "run",
        help="run the feature scenarios and print the traceability matrix",
        description="Run .feature files with syncsim's steps (and your own, from [tool.syncsim] in "
        "pyproject.toml), then print one row per documented rule: its scenarios, passed, failed. "
        "With no PATH: the features [tool.syncsim] names, else ./features, else syncsim's built-in "
        "suite. pytest runs them with your configuration and plugins; arguments after -- go to it "
        "(for example: syncsim run -- -n 2 -k contacts, or -- --junitxml=junit.xml).",
    )
    run.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help=".feature files or folders; file.feature:LINE runs the scenario or Examples row at that line",
    )
    run.add_argument(
        "--report",
        metavar="FILE",
        help="also write the matrix as FILE.md, or the whole report (rules, scenarios, steps, failures, "
        "filters) as a self-contained FILE.html",
    )
    run.add_argument("--cucumber", metavar="FILE", help="write a Cucumber JSON report (works with -n)")
    run.add_argument(
        "--tags",
        metavar="EXPRESSION",
        help='only the scenarios a Cucumber tag expression selects: "@APPT-ATTACH-ON and not @server-side"',
    )
    run.add_argument("--dry-run", action="store_true", help="lint, then list the scenario runs; run nothing")
    run.add_argument(
        "--lf",
        "--last-failed",
        dest="last_failed",
        action="store_true",
        help="run only the scenarios that failed last time (all of them when none did)",
    )
    _engine_option(run)
    run.add_argument(
        "--profile",
        choices=PROFILES,
        help="every organization follows this profile: crm2015 (the default: CRM 2015 and the delete "
        "page) or d365 (Dynamics 365 server-side sync's pages); only the scenarios whose rules hold "
        "under it run",
    )
    run.add_argument(
        "--engine-cmd",
        metavar="COMMAND",
        help='judge a sync program outside the process, e.g. "python my_sync.py": each sync runs it once '
        "per user against the fake Dataverse Web API and Microsoft Graph over HTTP, with the URLs, the "
        "user's token and a state folder in SYNCSIM_* environment variables; checks of events and "
        "losses do not apply to it (N/A in the matrix)",
    )
    run.add_argument(
        "--save-baseline",
        metavar="FILE.json",
        help="keep how each scenario run went (passed, failed and at which step) in FILE.json "
        "(for --baseline)",
    )
    run.add_argument(
        "--baseline",
        metavar="FILE.json",
        help="compare with a run saved by --save-baseline: name every scenario run that fails now where it "
        "passed, or fails at another step; exit 1 only for those (failures as before do not fail the run)",
    )
    run.add_argument("--tls", action="store_true", help=TLS_HELP + " (with --engine-cmd)")
    run.add_argument(
        "--persistent",
        action="store_true",
        help="with --engine-cmd: start each user's program once a scenario, and send it a line 'sync' for "
        "each cycle (it answers 'ok' or 'error: why'; SYNCSIM_PROTOCOL=lines tells it so), not once a cycle",
    )
    run.add_argument(
        "--page-size",
        type=_whole(1, 5000),
        metavar="N",
        help="with --engine-cmd: no collection of either face serves a page larger than N (the services' "
        "own: Graph 10, Dataverse 5,000), so a program that ignores @odata.nextLink fails small scenarios",
    )


def _engine_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--engine", default="reference", help="sync engine: reference (default), naive, or module:Class"
    )


def _load_engine(command: str, name: str) -> None:
    """Fail early, with the allowed names, on an engine that cannot be loaded."""
    try:
        registry.load(name)
    except ValueError as bad:
        raise UsageError(f"syncsim {command}: {bad}") from None


def _add_rules(commands: Any) -> None:
    rules = commands.add_parser(
        "rules", help="list the rule catalogue", description="The documented rules, by ID."
    )
    rules.add_argument("--json", action="store_true", help="print JSON instead of a table")


def _add_simulate(commands: Any) -> None:
    sim = commands.add_parser(
        "simulate",
        help="sync a Faker-populated organization for some cycles",
        description="Build an organization from a seed, fill it with Faker data, run sync "
        "cycles and summarize each one. The same arguments give a byte-identical trace.",
    )
    sim.add_argument("--seed", type=int, required=True, help="the seed of all generated data")
    sim.add_argument("--users", type=_whole(1, MAX_USERS), default=1, help="users (default 1)")
    sim.add_argument("--contacts", type=_count, default=100, help="contacts per user and side")
    sim.add_argument("--appointments", type=_count, default=20, help="appointments per user and side")
    sim.add_argument("--tasks", type=_count, default=10, help="tasks per user and side")
    sim.add_argument(
        "--cycles",
        type=_whole(1, MAX_CYCLES),
        default=1,
        help=f"sync cycles (default 1, at most {MAX_CYCLES:,})",
    )
    sim.add_argument(
        "--set",
        dest="changes",
        action="append",
        default=[],
        metavar="[CYCLE:]NAME=VALUE",
        help="change a setting before a cycle, e.g. 2:contact_address_sync=all-three; "
        f"settings: {', '.join(SETTINGS)}",
    )
    _field_option(sim, "[CYCLE:]ENTITY.FIELD=DIRECTION", "before a cycle, e.g. 2:contact.jobtitle=none; ")
    sim.add_argument("--channel", choices=CHANNELS, default="outlook", help="the users' channel")
    sim.add_argument("--bandwidth-kbps", type=_positive, default=100_000, help="the users' link")
    sim.add_argument("--side", choices=("crm", "outlook", "both"), default="both", help="where data starts")
    sim.add_argument("--locale", default="en_US", help="Faker locale (default en_US)")
    sim.add_argument("--trace", metavar="FILE.jsonl", help="write every event and loss as JSON lines")
    sim.add_argument("--json", action="store_true", help="print the summary as JSON")
    sim.add_argument(
        "--force", action="store_true", help="run even when the estimated memory exceeds what is free"
    )


def _add_steps(commands: Any) -> None:
    steps = commands.add_parser(
        "steps",
        help="list every step phrase the features can use",
        description="The step catalogue: phrases by area, their parameters and allowed values, "
        "a one-line meaning and an example from a real feature. --markdown prints docs/steps.md.",
    )
    steps.add_argument("--area", help="only this area (a step module: common, items, ...)")
    mode = steps.add_mutually_exclusive_group()
    mode.add_argument("--json", action="store_true", help="print JSON")
    mode.add_argument("--markdown", action="store_true", help="print the Markdown of docs/steps.md")


def _add_explore(commands: Any) -> None:
    parser = commands.add_parser(
        "explore",
        help="search random operation sequences for a broken invariant",
        description="Run random sequences of operations on both sides (create, edit, edit both sides at "
        "once, delete, track and untrack, attach and remove files, the same file name on both sides, "
        "assign, settings, clock, network faults of every kind, sync) and check the invariants after "
        "every cycle: no silent loss, no duplicates, no write before a Retry-After, idempotency, "
        "convergence. A finding is shrunk and written as a .feature file that reproduces it (linted "
        "and run before it is written), with a report (.md, .html) of the anomaly, the minimal witness "
        "and each affected item's timeline. Exit 0 when none is found, 1 for a violation, 2 on misuse, "
        "3 when the engine under test crashed (the reproducer then replays the crash).",
    )
    explore_command.add_arguments(parser, _whole)
    _engine_option(parser)


def _add_serve(commands: Any) -> None:
    serve = commands.add_parser(
        "serve",
        help="serve the fake CRM as a Dataverse Web API and the mailboxes as Microsoft Graph",
        description="A real HTTP server over one simulated organization, on localhost: the Dataverse Web "
        "API v9.2 subset at /api/data/v9.2/, the Microsoft Graph v1.0 subset at /v1.0/, and the control "
        "API at /_syncsim/ (tokens, reset, snapshots, settings, faults, report), which wants the "
        "server's control secret in the X-Syncsim-Secret header (printed at start). Get a user's bearer "
        "token with: curl -X POST localhost:PORT/_syncsim/tokens -H 'X-Syncsim-Secret: SECRET' "
        '-d \'{"user": "alice"}\'. The simulated clock follows real time. Stop it with Ctrl-C.',
    )
    serve.add_argument("--seed", type=int, default=0, help="the organization's seed (default 0)")
    serve.add_argument("--host", default="127.0.0.1", help="the address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=8765, help="the port (default 8765; 0: a free one)")
    serve.add_argument(
        "--users", default="alice", metavar="NAMES", help="users to add, comma-separated (default alice)"
    )
    serve.add_argument(
        "--contacts",
        type=_whole(0, MAX_SERVED),
        default=0,
        help=f"Faker-made CRM contacts for each user (default 0, at most {MAX_SERVED:,})",
    )
    serve.add_argument(
        "--control-secret",
        metavar="SECRET",
        default=os.environ.get(CONTROL_SECRET_VARIABLE),
        help=f"the control API's secret, at least {MIN_SECRET} characters "
        f"(default: ${CONTROL_SECRET_VARIABLE}, or a random one printed at start)",
    )
    serve.add_argument(
        "--allow-remote",
        action="store_true",
        help="listen on an address other than loopback (other machines can reach the server; "
        "the control secret still guards the control API)",
    )
    serve.add_argument(
        "--max-body-mb",
        type=_positive,
        default=None,
        metavar="MB",
        help="the largest request body taken, in MB (default: Dataverse's largest attachment in base64, "
        "about 46 MB); a larger one is answered 413",
    )
    serve.add_argument("--tls", action="store_true", help=TLS_HELP)


def _port(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0 to 65535)")
    return int(text)


def _add_whatif(commands: Any) -> None:
    whatif_parser = commands.add_parser(
        "whatif",
        help="load exported CRM and Outlook files and see what a setting change would do",
        description="Load a CRM export and an Outlook export (syncsim inspect FILE shows what is read "
        "from each), link them, run the cycles under the current and the proposed settings, and report "
        "per record and field what would change, what would be lost, and which rule causes it. A field "
        "a file does not carry is unknown: what the other side holds there is listed as at risk, never "
        "taken to agree (unless --assume agree), and sync is simulated never blanking it. "
        "--fix FILE writes a CRM import that would prevent each loss. The input files are only read.",
    )
    whatif_parser.add_argument(
        "--crm",
        required=True,
        metavar="FILE",
        help="CRM export: CSV (logical or display names), Dynamics Excel .xlsx, or Web API .json",
    )
    whatif_parser.add_argument(
        "--outlook",
        required=True,
        metavar="FILE",
        help="Outlook export: .vcf, .ics, Outlook's CSV export, or Graph .json",
    )
    whatif_parser.add_argument(
        "--set",
        dest="changes",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="the proposed setting",
    )
    _field_option(
        whatif_parser, "ENTITY.FIELD=DIRECTION", "the proposed direction, e.g. contact.telephone1=none; "
    )
    whatif_parser.add_argument(
        "--filter",
        dest="filters",
        action="append",
        default=[],
        metavar="FILE.xml",
        help="a proposed sync filter (FetchXML) replacing the user's filters of its entity; shows which "
        "records would leave or enter Outlook",
    )
    whatif_parser.add_argument(
        "--cycles",
        type=_whole(1, MAX_CYCLES),
        default=1,
        help=f"cycles to run (default 1, at most {MAX_CYCLES:,})",
    )
    _reading_options(whatif_parser)
    whatif_parser.add_argument(
        "--link-by",
        default="emailaddress1=Email1Address",
        metavar="CRM=OUTLOOK",
        help="how records and items pair up (default emailaddress1=Email1Address; contactid=crmid for ids)",
    )
    whatif_parser.add_argument(
        "--assume",
        choices=("unknown", "agree"),
        default="unknown",
        help="what a field one export lacks holds: unknown (default: each value the other side holds "
        "there is listed as at risk, and the summary never says nothing would be lost) or agree (the "
        "same as the other side's: for exports you know to agree)",
    )
    whatif_parser.add_argument(
        "--report",
        metavar="FILE",
        help="also write every change as FILE.md, FILE.html, FILE.csv or FILE.json",
    )
    whatif_parser.add_argument(
        "--fix",
        metavar="FILE.csv",
        help="write a CRM import (CSV, logical names) that carries, before the change, what it would lose; "
        "whatif run again with it as --crm reports no loss",
    )


def _field_option(parser: Any, metavar: str, what: str) -> None:
    parser.add_argument(
        "--field",
        dest="fields",
        action="append",
        default=[],
        metavar=metavar,
        help=f"a field's sync direction {what}directions: two-way, crm-to-outlook, outlook-to-crm, none; "
        "fields: the CRM logical names of Microsoft's field table (docs/fields.md)",
    )


def _add_fields(commands: Any) -> None:
    fields = commands.add_parser(
        "fields",
        help="list Microsoft's field table: each field's default direction and whether it may change",
        description="Every row of Microsoft's table of synchronized fields, as syncsim models it: the "
        "name to give --field and the steps, the default direction, settable or fixed, and the "
        "attribute/property pairs it syncs (or why it syncs none). --markdown prints docs/fields.md.",
    )
    fields.add_argument("--entity", help="only this CRM entity (contact, appointment, task, ...)")
    fields.add_argument("--markdown", action="store_true", help="print the Markdown of docs/fields.md")


def _add_inspect(commands: Any) -> None:
    inspect = commands.add_parser(
        "inspect",
        help="show what syncsim reads from an export file, before a whatif trusts it",
        description="Read any export syncsim knows (Outlook: .vcf, .ics, Outlook CSV, Graph JSON; CRM: CSV "
        "with logical or display names, Dynamics Excel .xlsx, Web API JSON) and print each record or item "
        "with its fields under their real names, the fields the file does not carry, the notes "
        "(what was not imported or was assumed) and every problem with file:line. Exit 0 when it "
        "loaded, 2 when it was refused.",
    )
    inspect.add_argument("file", metavar="FILE", help="the export file")
    inspect.add_argument("--json", action="store_true", help="print JSON")
    _reading_options(inspect)


def _reading_options(parser: argparse.ArgumentParser) -> None:
    """How exports are read: shared by inspect and whatif."""
    parser.add_argument(
        "--skip-bad",
        action="store_true",
        help="load the good items of a file with bad ones, listing each skipped item and why "
        "(default: refuse the file with every problem)",
    )
    parser.add_argument(
        "--mailing-address",
        choices=MAILING,
        help="for files with no mailing address marker (Outlook CSV, Graph JSON): which address is the "
        "mailing one (default: the first filled of business, home, other; a note says so)",
    )
    parser.add_argument(
        "--entity",
        choices=tuple(ATTRIBUTES),
        help="entity of CRM records in a CSV that does not say (default contact); a file that says "
        "another is refused",
    )


def _add_init(commands: Any) -> None:
    init = commands.add_parser(
        "init",
        help="start a team repository of your own scenarios",
        description="Write a new repository into DIR: features/ with one scenario, a steps package "
        "with one step of your own, pyproject.toml ([tool.syncsim] and pytest settings) and a "
        "GitHub Actions job. Existing files are never overwritten: if any is there, nothing is written.",
    )
    init.add_argument("folder", metavar="DIR", help="the repository's folder (made if missing)")
    source = init.add_argument_group(
        "where the CI job gets syncsim (one of these; without any: syncsim==VERSION from the default index)"
    ).add_mutually_exclusive_group()
    source.add_argument(
        "--from-wheel",
        metavar="FILE",
        help="a syncsim wheel: copied into DIR/wheels/, and the job installs it from there",
    )
    source.add_argument(
        "--from-git", metavar="URL", help="a git URL pip clones (https://.../syncsim.git@TAG, git@host:...)"
    )
    source.add_argument("--from-index", metavar="URL", help="your team's package index that holds syncsim")


def _add_samples(commands: Any) -> None:
    samples = commands.add_parser(
        "samples",
        help="write the sample exports (made from seeded Faker data)",
        description="Write examples of both sides' exports, for syncsim whatif and the importers.",
    )
    samples.add_argument("--out", default="examples", metavar="DIR", help="folder (default examples)")


def _add_lint(commands: Any) -> None:
    lint = commands.add_parser(
        "lint",
        help="check feature files without running them",
        description="Report unknown or ambiguous steps, duplicate scenario names, unknown rule tags, "
        "scenarios misplaced after a Rule:, Outline placeholders missing from Examples and empty "
        "Examples, each with file and line. Exit 1 when it finds a problem, 0 when clean.",
    )
    lint.add_argument(
        "paths", nargs="*", metavar="PATH", help=".feature files or folders (default: features/)"
    )


# -- commands --------------------------------------------------------------------------------------


def _team(command: str) -> project.Project:
    """The team's [tool.syncsim] settings, with its own step modules imported."""
    try:
        team = project.find()
        project.import_steps(team)
    except ValueError as bad:
        raise UsageError(f"syncsim {command}: {bad}") from None
    return team


def _paths(given: Sequence[str], team: project.Project, console: Console | None = None) -> list[str]:
    """The paths given, else the team's features, ./features or the built-in ones (said which)."""
    if given:
        return list(given)
    paths, source = project.default_features(team)
    if console is not None:
        console.print(f"features: {', '.join(map(str, paths))} ({source})", markup=False, highlight=False)
    return [str(path) for path in paths]


REPORTS = (".md", ".html")


def cmd_run(args: argparse.Namespace, pytest_args: list[str], console: Console) -> int:
    team = _team("run")
    paths = _paths(args.paths, team, console)
    _load_engine("run", args.engine)
    if args.engine_cmd is not None:
        if args.engine != "reference":
            raise UsageError("syncsim run: --engine and --engine-cmd: choose one engine")
        _check_command(args.engine_cmd)
    else:
        for given, option in (
            (args.tls, "--tls"),
            (args.page_size, "--page-size"),
            (args.persistent, "--persistent"),
        ):
            if given:
                raise UsageError(
                    f"syncsim run: {option} is for --engine-cmd (the HTTP faces a program syncs with)"
                )
    if args.report and Path(args.report).suffix not in REPORTS:
        raise UsageError(f"--report {args.report}: use a .md or .html file")
    outputs = (
        ("--report", args.report),
        ("--cucumber", args.cucumber),
        ("--save-baseline", args.save_baseline),
    )
    output.all_checked(outputs, [*paths, *([args.baseline] if args.baseline else [])])
    saved = baseline.load(Path(args.baseline)) if args.baseline else None
    try:
        scenario_infos = features.scenarios(paths)
        asked = features.lines_asked(paths)
        chosen = tags.expression(args.tags) if args.tags else None
    except ValueError as bad:
        raise UsageError(f"syncsim run: {bad}") from None
    problems = lint(paths, team.steps)
    if problems:
        for problem in problems:
            console.print(str(problem), markup=False, highlight=False, soft_wrap=True)
        console.print(f"[bold red]{len(problems)} lint problem(s): fix them before running[/]")
        return 1
    if args.dry_run:
        return _dry_run(scenario_infos, chosen, asked, console)
    result = run_features(paths, _pytest_args(args, pytest_args), engine=args.engine)
    if result.arguments_refused:
        raise UsageError(
            f"syncsim run: pytest refused the arguments after --: {' '.join(pytest_args) or '(none)'} "
            "(its message is above); nothing ran"
        )
    rows = matrix.rows(scenario_infos, result)
    _print_matrix(rows, result, console)
    if args.profile:
        _say_not_run(args.profile, scenario_infos, chosen, console)
    _write_reports(args, rows, scenario_infos, result, console)
    found = baseline.outcomes(result, scenario_infos)
    if args.save_baseline:
        engine = f"{args.engine_cmd} (over HTTP)" if args.engine_cmd else args.engine
        output.write(Path(args.save_baseline), baseline.dumps(found, engine))
        console.print(f"baseline written to {args.save_baseline}")
    if saved is not None:
        return _baseline_verdict(baseline.compare(found, saved), result, console)
    return _run_verdict(rows, result, scenario_infos, console)


def _say_not_run(profile: str, infos: Sequence[features.ScenarioInfo], chosen: Any, console: Console) -> None:
    """The scenario runs --profile left out, named: a tag of theirs is a rule of the other profile."""
    others = not_holding(profile)
    left = [
        where
        for info in infos
        for where, run_tags in info.runs()
        if others & run_tags and (chosen is None or tags.selects(chosen, run_tags))
    ]
    if left:
        console.print(
            f"{len(left)} scenario run(s) not run under {profile} (a rule they are tagged with holds "
            f"only under another profile): {', '.join(left)}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )


def _baseline_verdict(comparison: baseline.Comparison, result: RunResult, console: Console) -> int:
    """Exit 1 when a run went worse than in the baseline (each named), else 0; a run whose pytest
    stopped for another reason (no scenario ran, a collection error) is 1 as well."""
    for line in comparison.lines():
        console.print(line, markup=False, highlight=False, soft_wrap=True)
    if comparison.worse:
        return 1
    if result.exit_code not in (0, 1):
        console.print(f"[bold red]pytest stopped: {', '.join(result.failed) or 'see above'}[/]")
        return 1
    return 0


def _check_command(command: str) -> None:
    """--engine-cmd: a command that can be started (its first word a program on PATH or a file)."""
    try:
        words = shlex.split(command)
    except ValueError as bad:
        raise UsageError(f"syncsim run: --engine-cmd {command!r}: {bad}") from None
    if not words:
        raise UsageError("syncsim run: --engine-cmd is empty; give the command that runs your sync program")
    if shutil.which(words[0]) is None:
        raise UsageError(
            f"syncsim run: --engine-cmd: {words[0]!r} is no program on PATH and no executable file"
        )


def _pytest_args(args: argparse.Namespace, given: list[str]) -> list[str]:
    """What syncsim run's own options ask of pytest, before the arguments given after --."""
    extra = [f"--tags={args.tags}"] if args.tags else []
    extra += [f"--cucumberjson={Path(args.cucumber).resolve()}"] if args.cucumber else []
    extra += ["--last-failed"] if args.last_failed else []
    extra += [f"--engine-cmd={args.engine_cmd}"] if args.engine_cmd else []
    extra += ["--engine-tls"] if args.tls else []
    extra += ["--engine-persistent"] if args.persistent else []
    extra += [f"--engine-page-size={args.page_size}"] if args.page_size else []
    extra += [f"--profile={args.profile}"] if args.profile else []
    return [*extra, *given]


def _print_matrix(rows: list[matrix.Row], result: RunResult, console: Console) -> None:
    """The matrix of the rules these files have scenarios for (every rule, for the built-in ones)."""
    covered = matrix.with_scenarios(rows)
    if covered:
        console.print(matrix.table(covered))
    if len(covered) < len(rows):
        console.print(
            f"{len(rows) - len(covered)} of {len(rows)} documented rules have no scenario in these files "
            "(syncsim rules lists them all)"
        )
    total = result.total
    skipped = f", {total['skipped']} not applicable" if total["skipped"] else ""
    console.print(
        f"all scenario runs, tagged or not: {total['passed']} passed, {total['failed']} failed{skipped}"
    )


def _write_reports(
    args: argparse.Namespace,
    rows: list[matrix.Row],
    infos: list[features.ScenarioInfo],
    result: RunResult,
    console: Console,
) -> None:
    if args.cucumber and Path(args.cucumber).is_file():  # pytest-bdd wrote it; complete it
        report = json.loads(Path(args.cucumber).read_text(encoding="utf-8"))
        defs = stepcatalog.definitions(project.find().steps)
        output.write(Path(args.cucumber), json.dumps(cucumber.complete(report, infos, defs), indent=2) + "\n")
    if args.report:
        if Path(args.report).suffix == ".html":
            engine = f"{args.engine_cmd} (over HTTP)" if args.engine_cmd else args.engine
            text = htmlreport.render(rows, infos, result.runs, htmlreport.meta(engine, args.argv))
        else:
            text = matrix.markdown(rows)
        output.write(Path(args.report), text)
        console.print(f"report written to {args.report}")


def _run_verdict(
    rows: list[matrix.Row], result: RunResult, infos: list[features.ScenarioInfo], console: Console
) -> int:
    """Exit code 0 or 1; on a failure the last line names every failed scenario run, tagged or
    not, as ``file.feature:LINE`` (rules broken on the line above it)."""
    if result.exit_code == 0:
        return 0
    failing = [row.rule for row in rows if row.failed]
    if failing:
        console.print(f"[bold red]failing rules:[/] {', '.join(failing)}")
    runs = failed_runs(result, infos)
    if runs:
        console.print(f"[bold red]failed:[/] {', '.join(runs)}", soft_wrap=True)
    elif result.exit_code == 5:
        console.print("[bold red]no scenario ran[/]")
    else:
        console.print(f"[bold red]failed:[/] {', '.join(result.failed) or 'see pytest above'}")
    return 1


def _dry_run(
    scenario_infos: Sequence[features.ScenarioInfo],
    chosen: Any,
    lines: dict[Path, set[int]],
    console: Console,
) -> int:
    """The scenario runs ``syncsim run`` would start (those the ``file.feature:LINE`` arguments and
    the tag expression select), each as file:line and name; nothing runs."""
    count = 0
    for info in scenario_infos:
        asked = lines.get(info.path.resolve())
        of_file = [other for other in scenario_infos if other.path == info.path]
        for index, (where, run_tags) in enumerate(info.runs()):
            if asked and not features.at_lines(of_file, asked, info, index):
                continue
            if chosen is None or tags.selects(chosen, run_tags):
                console.print(f"{where}: {info.title(index)}", markup=False, highlight=False, soft_wrap=True)
                count += 1
    console.print(f"{count} scenario run(s) would run (lint: clean)")
    return 0


def cmd_rules(args: argparse.Namespace, console: Console) -> int:
    if args.json:
        data = [
            {
                "id": r.id,
                "area": r.area,
                "channels": list(r.channels),
                "profiles": list(r.profiles),
                "statement": r.statement,
                "section": r.section,
                "source": {"key": r.source, **asdict(SOURCES[r.source])},
                "guard": {
                    "stage": GUARDS[r.id].stage,
                    "does": GUARDS[r.id].does,
                    "when_disabled": GUARDS[r.id].disabled,
                },
            }
            for r in RULES.values()
        ]
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    table = Table(title="Rule catalogue")
    table.add_column("Rule", no_wrap=True)  # an ID is copied whole, never broken over lines
    for column in ("Area", "Channels", "Profiles", "Statement", "Source"):
        table.add_column(column)
    for key in SOURCES:
        for r in (r for r in RULES.values() if r.source == key):
            source = SOURCES[key]
            table.add_row(
                r.id,
                r.area,
                ", ".join(r.channels),
                ", ".join(r.profiles),
                r.statement,
                f"{source.title} ({source.where})",
            )
    console.print(table)
    return 0


def cmd_fields(args: argparse.Namespace, console: Console) -> int:
    if args.markdown:
        print(fieldtable.markdown(), end="")
        return 0
    try:
        chosen = fieldtable.rows(args.entity)
    except ValueError as bad:
        raise UsageError(f"syncsim fields: {bad}") from None
    table = Table(title="Synchronized fields")
    for column in fieldtable.COLUMNS:
        table.add_column(column)
    for row in chosen:
        table.add_row(*fieldtable.cells(row))
    console.print(table)
    return 0


def cmd_steps(args: argparse.Namespace, console: Console) -> int:
    team = _team("steps")
    known = stepcatalog.areas(team.steps)
    if args.area and args.area not in known:
        raise UsageError(f"syncsim steps: unknown area {args.area!r}; areas: {', '.join(known)}")
    examples = features.scenarios(_paths([], team))
    defs = stepcatalog.with_examples(stepcatalog.definitions(team.steps), examples)
    if args.markdown:
        print(stepcatalog.markdown(defs), end="")
        return 0
    chosen = [d for d in defs if not args.area or d.area == args.area]
    if args.json:
        print(json.dumps([d.as_dict() for d in chosen], indent=2, ensure_ascii=False))
        return 0
    table = Table(title="Step catalogue", show_lines=True)
    for column in ("Area", "Type", "Phrase", "Parameters", "Meaning / example"):
        table.add_column(column)
    for d in chosen:
        params = "\n".join(f"{p.name}: {', '.join(p.allowed) or p.type}" for p in d.params)
        table.add_row(d.area, "/".join(d.types), d.phrase, params, f"{d.meaning}\n{d.example}")
    console.print(table)
    return 0


def cmd_serve(args: argparse.Namespace, console: Console) -> int:
    # imported here: the HTTP stack (Starlette, uvicorn) is for this command only
    from .servers.app import free_port, serve
    from .servers.tls import LocalTls

    world = World(seed=args.seed)
    names = [name.strip() for name in args.users.split(",") if name.strip()]
    if not names:
        raise UsageError("syncsim serve: --users names no user")
    for name in names:
        user = world.add_user(name)
        if args.contacts:
            world.populate(user, contacts=args.contacts)
    secret = _control_secret(args)
    port = args.port or free_port(args.host)
    with socket.socket() as probe:  # refuse at once, not after uvicorn's start-up lines
        try:
            probe.bind((args.host, port))
        except OSError as taken:
            raise UsageError(
                f"syncsim serve: cannot listen on {args.host}:{port} ({taken.strerror}); "
                "choose another --port, or --port 0 for a free one"
            ) from None
    tls = LocalTls(args.host) if args.tls else None
    base = f"{'https' if tls else 'http'}://{args.host}:{port}"
    console.print(f"Dataverse Web API: {base}/api/data/v9.2/   Microsoft Graph: {base}/v1.0/")
    if tls:
        console.print(f"HTTPS: trust this CA certificate to verify the server: {tls.bundle}", markup=False)
    console.print(f"control API: {base}/_syncsim/ (users: {', '.join(names)}, admin; seed {args.seed})")
    if not args.control_secret:  # (printed once; a secret the caller chose is theirs already)
        console.print(f"control secret (send it as {SECRET_HEADER}): {secret}", markup=False)
    max_body = args.max_body_mb * 2**20 if args.max_body_mb else MAX_BODY
    serve(world, args.host, port, secret=secret, max_body=max_body, tls=tls)
    return 0


def _control_secret(args: argparse.Namespace) -> str:
    """The control secret ``serve`` uses (given, or random), once the address is checked: a
    server on an address other than loopback only with --allow-remote."""
    if not args.allow_remote and not _loopback(args.host):
        raise UsageError(
            f"syncsim serve: --host {args.host} is reachable from other machines; "
            "give --allow-remote to serve there (the control API stays behind its secret)"
        )
    if args.control_secret is not None and len(args.control_secret) < MIN_SECRET:
        raise UsageError(f"syncsim serve: the control secret must be at least {MIN_SECRET} characters")
    return args.control_secret or secrets.token_urlsafe(24)


def _loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def cmd_explore(args: argparse.Namespace, console: Console) -> int:
    _load_engine("explore", args.engine)
    if args.against:
        _load_engine("explore", args.against)
    return explore_command.run(args, console, UsageError)


def cmd_whatif(args: argparse.Namespace, console: Console) -> int:
    with gc_paused():  # hundreds of thousands of changes to render, no reference cycle among them
        return _whatif_command(args, console)


def _whatif_command(args: argparse.Namespace, console: Console) -> int:
    try:
        result = _run_whatif(args, console)
    except ValueError as bad:
        raise UsageError(f"syncsim whatif: {bad}") from None
    _print_whatif(result, console)
    if args.report:
        output.write(Path(args.report), whatif_module.RENDERERS[Path(args.report).suffix](result))
        console.print(f"report written to {args.report}")
    if args.fix:
        mode = str(dict(_setting_changes(args)).get("contact_address_sync", "mailing-only"))
        _tell_fix(whatif_module.write_fix(Path(args.fix), result, mode), args.fix, console)
    return 0


def _tell_fix(made: whatif_module.Fix, path: str, console: Console) -> None:
    if made.needed:
        console.print(
            f"fix written to {path}: import it into CRM and make the change before the next sync; "
            "whatif with it as --crm shows the change losing nothing",
            markup=False,
        )
    else:
        console.print(
            f"nothing to fix: no Outlook value would be lost or is unseen in CRM; {path} not written"
        )
    for text in made.overwrites:
        console.print(f"the fix writes over CRM: {text}", markup=False, soft_wrap=True)
    for text in made.cannot:
        console.print(f"not fixable by a CRM import: {text}", markup=False, soft_wrap=True)


def _setting_changes(args: argparse.Namespace) -> list[tuple[str, Any]]:
    return [(change.name, change.value) for change in map(SettingChange.parse, args.changes)]


def _run_whatif(args: argparse.Namespace, console: Console) -> whatif_module.WhatIf:
    """The whatif the command line asks for; a ValueError for any bad input, before any work."""
    changes = dict(_setting_changes(args))
    field_changes = [FieldChange.parse(text) for text in args.fields]
    if not changes and not args.filters and not field_changes:
        raise ValueError(
            "say what would change: --set NAME=VALUE, --field ENTITY.FIELD=DIRECTION, --filter FILE"
        )
    sync_filters = [_filter_file(name) for name in args.filters]
    link_by = whatif_module.parse_link(args.link_by)
    if args.report and Path(args.report).suffix not in whatif_module.RENDERERS:
        raise ValueError(f"--report {args.report}: use a .md, .html, .csv or .json file")
    if args.fix and Path(args.fix).suffix != ".csv":
        raise ValueError(f"--fix {args.fix}: the fix is a CRM import: use a .csv file")
    output.all_checked(
        (("--report", args.report), ("--fix", args.fix)), [args.crm, args.outlook, *args.filters]
    )
    for name in (args.crm, args.outlook):
        output.readable(name, name)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, disable=not console.is_terminal) as bar:
        task = bar.add_task("whatif", total=len(whatif_module.STAGES))

        def told(stage: str) -> None:
            bar.update(task, description=stage, completed=whatif_module.STAGES.index(stage))

        return whatif_module.whatif(
            Path(args.crm),
            Path(args.outlook),
            changes,
            cycles=args.cycles,
            entity=args.entity,
            link_by=link_by,
            filters=sync_filters,
            fields=field_changes,
            mailing=args.mailing_address,
            skip_bad=args.skip_bad,
            assume_agree=args.assume == "agree",
            progress=told,
        )


def _print_whatif(result: whatif_module.WhatIf, console: Console) -> None:
    """The terminal's account: notes, the first changes (the report has them all), the records
    that would lose something, moves, unknown fields, the summary."""
    loaded = result.loaded
    for text in loaded.notes + loaded.unlinked + [f"skipped: {s}" for s in loaded.skipped]:
        console.print(f"note: {text}", markup=False, soft_wrap=True)
    for line in whatif_module.unknown_lines(result):
        console.print(line, markup=False, soft_wrap=True)
    table = Table(title=f"What if {result.proposal}")
    for column in whatif_module.COLUMNS:
        table.add_column(column)
    for row in result.changes[: whatif_module.SHOWN]:  # a long value clipped: rendering it is slow
        cells = (escape(whatif_module.clip(cell)) for cell in row.cells())
        table.add_row(*cells, style="bold red" if row.lost else None)
    console.print(table)
    if len(result.changes) > whatif_module.SHOWN:
        console.print(
            f"... and {len(result.changes) - whatif_module.SHOWN} more changes: --report FILE lists them all"
        )
    losing = sorted(result.lost_by_record().items(), key=lambda entry: (-len(entry[1]), entry[0]))
    lines = [f"would lose: {record}: {', '.join(fields)}" for record, fields in losing]
    lines += whatif_module.disagree_lines(result)
    lines += whatif_module.at_risk_lines(result)
    lines += [f"would leave Outlook: {record}" for record in result.leaving]
    lines += [f"would enter Outlook: {record}" for record in result.entering]
    for line in lines[: whatif_module.SHOWN]:  # the records that lose most first
        console.print(line, markup=False, soft_wrap=True, highlight=False)
    if len(lines) > whatif_module.SHOWN:
        console.print(
            f"... and {len(lines) - whatif_module.SHOWN} more records: --report FILE lists them all"
        )
    console.print(result.summary(), markup=False, soft_wrap=True)


def _filter_file(name: str) -> SyncFilter:
    """A sync filter from a FetchXML file; a ValueError names the file and the problem."""
    path = output.readable(name, f"--filter {name}")
    try:
        return filters.parse(path.read_text(encoding="utf-8"), path.name)
    except UnicodeDecodeError:
        raise ValueError(f"--filter {name}: not UTF-8 text") from None
    except filters.FilterError as bad:
        raise ValueError(f"--filter {name}: {bad}") from None


def cmd_inspect(args: argparse.Namespace, console: Console) -> int:
    try:
        export = load(
            Path(args.file),
            entity=args.entity or "contact",
            mailing=args.mailing_address,
            skip_bad=args.skip_bad,
        )
    except FormatError as refused:
        raise UsageError(f"syncsim inspect: {refused}") from None
    if args.json:
        print(inspect_module.as_json(export), end="")
        return 0
    lines = inspect_module.as_text(export)
    for first in range(0, len(lines), 2000):  # a print a line is a second for every 10,000 cards
        console.print("\n".join(lines[first : first + 2000]), markup=False, highlight=False, soft_wrap=True)
    return 0


def cmd_init(args: argparse.Namespace, console: Console) -> int:
    try:
        source = _install_source(args)
        written = scaffold.init(output.folder(args.folder, "FOLDER"), source)
    except ValueError as bad:
        raise UsageError(f"syncsim init: {bad}") from None
    for path in written:
        console.print(f"wrote {path}", markup=False, highlight=False)
    console.print(source.said, markup=False, highlight=False)
    console.print(f"next: cd {args.folder} && syncsim run", markup=False, highlight=False)
    return 0


def _install_source(args: argparse.Namespace) -> scaffold.Source:
    if args.from_wheel is not None:
        return scaffold.from_wheel(Path(args.from_wheel))
    if args.from_git is not None:
        return scaffold.from_git(args.from_git)
    return scaffold.from_index(args.from_index)


def cmd_samples(args: argparse.Namespace, console: Console) -> int:
    try:
        folder = output.folder(args.out, "--out")
    except ValueError as bad:
        raise UsageError(f"syncsim samples: {bad}") from None
    for path in write_samples(folder):
        console.print(f"wrote {path}")
    return 0


def cmd_lint(args: argparse.Namespace, console: Console) -> int:
    try:
        team = _team("lint")
        problems = lint(_paths(args.paths, team), team.steps)
    except ValueError as bad:
        raise UsageError(f"syncsim lint: {bad}") from None
    for problem in problems:
        console.print(str(problem), markup=False, highlight=False, soft_wrap=True)
    console.print(f"{len(problems)} problem(s)" if problems else "clean")
    return 1 if problems else 0


def _fits(plan: Plan, force: bool) -> None:
    """Refuse at once what will not fit in memory (estimated from the measured cost of a record)."""
    needed, free = estimated_bytes(plan), available_bytes()
    if free is None or needed <= free * 0.9 or force:
        return
    raise UsageError(
        f"syncsim simulate: {plan.users:,} user(s) x {plan.contacts + plan.appointments + plan.tasks:,} "
        f"records need about {needed / 2**30:,.1f} GB ({BYTES_PER_RECORD:,} bytes a record); "
        f"this machine has {free / 2**30:,.1f} GB free. Use fewer records, or --force to try anyway"
    )


def cmd_simulate(args: argparse.Namespace, console: Console) -> int:
    try:
        changes = [SettingChange.parse(text) for text in args.changes]
        field_changes = [FieldChange.parse(text) for text in args.fields]
        plan = Plan(
            seed=args.seed,
            users=args.users,
            contacts=args.contacts,
            appointments=args.appointments,
            tasks=args.tasks,
            cycles=args.cycles,
            channel=args.channel,
            bandwidth_kbps=args.bandwidth_kbps,
            side=args.side,
            locale=args.locale,
            changes=changes,
            fields=field_changes,
        )
    except ValueError as bad:
        raise UsageError(f"syncsim simulate: {bad}") from None
    _fits(plan, args.force)
    if args.trace is not None:
        output.checked(args.trace, "--trace")
    try:
        reports = _simulate_with_progress(plan, console, quiet=args.json)
    except AttributeError:
        raise UsageError(f"syncsim simulate: Faker has no locale {args.locale!r}") from None
    rows = [summary(report) for report in reports]
    if args.trace:
        output.write(Path(args.trace), "".join(line + "\n" for line in Report(reports).trace_lines()))
    if args.json:
        print(json.dumps({"seed": plan.seed, "cycles": rows}, indent=2, sort_keys=True))
        return 0
    users = f"{plan.users} user" + ("s" if plan.users != 1 else "")
    table = Table(title=f"syncsim simulate --seed {plan.seed}: {users}, {plan.cycles} cycles")
    for column in (
        "Cycle",
        "Synced",
        "Skipped (by rule)",
        "Conflicts",
        "Losses",
        "Warnings",
        "Writes",
        "Simulated s",
    ):
        table.add_column(column)
    for row in rows:
        skipped = ", ".join(f"{rule}: {n}" for rule, n in row["skipped"].items()) or "0"
        table.add_row(
            *map(
                str,
                (
                    row["cycle"],
                    row["synced"],
                    skipped,
                    row["conflicts"],
                    row["losses"],
                    row["warnings"],
                    row["writes"],
                    row["seconds"],
                ),
            )
        )
    console.print(table)
    if args.trace:
        console.print(f"trace written to {args.trace}")
    return 0


def _simulate_with_progress(plan: Plan, console: Console, *, quiet: bool) -> list[CycleReport]:
    columns = (TextColumn("syncing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, disable=quiet or not console.is_terminal) as bar:
        task = bar.add_task("sync", total=plan.cycles * (plan.users + 1))
        _, reports = simulate(
            plan, progress=lambda done, total: bar.update(task, completed=done, total=total)
        )
        return reports


def _version() -> str:
    try:
        return f"syncsim {metadata.version('syncsim')}"
    except metadata.PackageNotFoundError:
        return "syncsim (not installed: a source checkout)"
    except OSError:  # metadata that cannot be read (the importlib_metadata backport raises this)
        return "syncsim (its version could not be read)"


# -- entry point -----------------------------------------------------------------------------------


def _check_switch() -> None:
    """The fast-path switch as the environment gives it: a bad value is a usage error, at once."""
    try:
        speed.read(os.environ.get(speed.VARIABLE))
    except ValueError as bad:
        raise UsageError(f"syncsim: {bad}") from None


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    ours, pytest_args = (
        (argv[: argv.index("--")], argv[argv.index("--") + 1 :]) if "--" in argv else (argv, [])
    )
    console = Console()
    if not console.is_terminal:  # logs and pipes: wide enough for the matrix on one line a row
        console = Console(width=140)
    try:
        args = build_parser().parse_args(ours)
        args.argv = argv  # as given, for the reports' metadata
        _check_switch()
        if pytest_args and args.command != "run":
            raise UsageError(f"syncsim {args.command}: arguments after -- are for 'syncsim run' only")
        if args.command == "run":
            return cmd_run(args, pytest_args, console)
        if args.command == "rules":
            return cmd_rules(args, console)
        if args.command == "steps":
            return cmd_steps(args, console)
        if args.command == "lint":
            return cmd_lint(args, console)
        if args.command == "explore":
            return cmd_explore(args, console)
        if args.command == "whatif":
            return cmd_whatif(args, console)
        if args.command == "samples":
            return cmd_samples(args, console)
        if args.command == "fields":
            return cmd_fields(args, console)
        if args.command == "init":
            return cmd_init(args, console)
        if args.command == "inspect":
            return cmd_inspect(args, console)
        if args.command == "serve":
            return cmd_serve(args, console)
        return cmd_simulate(args, console)
    except UsageError as bad:
        print(bad, file=sys.stderr)
        return USAGE_ERROR
    except (ValueError, NotFound, NotPermitted) as bad:
        print(f"syncsim: {bad}", file=sys.stderr)
        return USAGE_ERROR
    except OSError as failed:  # a file that cannot be read or written: said in one line
        where = f": {failed.filename}" if failed.filename else ""
        print(f"syncsim: {failed.strerror or failed}{where}", file=sys.stderr)
        return USAGE_ERROR
    except RecursionError:
        print("syncsim: an input nests too deeply to be read", file=sys.stderr)
        return USAGE_ERROR
    except KeyboardInterrupt:
        print("syncsim: interrupted; nothing half-written was kept", file=sys.stderr)
        return INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
