"""The HTML report of a run: one self-contained page (no network) a QA team opens and shares.

What it holds: the run's metadata (date, syncsim version, engine, command, each run's seed),
totals, and per documented rule its statement, its source page (linked), its status (passed,
failed, or not run: none of its scenarios ran), and its scenarios with their steps and runs;
a failed run's text (the feature line, the failing step, expected and found, the cycle's events)
is folded under it. Filters by area, channel and status work in the page and from the address
(``report.html#area=contacts&status=failed``). The same run gives the same bytes: the date is
``SOURCE_DATE_EPOCH`` where that is set, and no duration is shown.
"""

from __future__ import annotations

import html
import os
import re
import shlex
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from ..rules import CHANNELS, PROFILES, RULES, SOURCES
from . import installed
from .features import ScenarioInfo, StepLine, shown
from .matrix import Row, with_scenarios
from .runner import RunRecord

STATUSES = ("passed", "failed", "not run")


@dataclass(frozen=True)
class RunMeta:
    version: str
    engine: str
    command: str
    date: str


def meta(engine: str, argv: Sequence[str]) -> RunMeta:
    """This run's metadata; the date from ``SOURCE_DATE_EPOCH`` when set (reproducible reports)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = datetime.fromtimestamp(int(epoch), UTC) if epoch and epoch.isdigit() else datetime.now(UTC)
    command = shlex.join(["syncsim", *argv])
    return RunMeta(installed.version(), engine, command, when.strftime("%Y-%m-%d %H:%M UTC"))


def render(rows: list[Row], infos: list[ScenarioInfo], runs: list[RunRecord], run: RunMeta) -> str:
    """The page for the rules that have scenarios in the files run (all of them, for the built-in
    features), in catalogue order, then the scenarios that carry no rule tag; whatever failed
    first."""
    by_scenario: dict[tuple[str, int], list[RunRecord]] = defaultdict(list)
    for record in sorted(runs, key=lambda r: (r.path, r.line, r.index)):
        by_scenario[(record.path, record.line)].append(record)
    covered = with_scenarios(rows)
    parts = [(row.status, _rule(row, infos, by_scenario)) for row in covered]
    untagged = [info for info in infos if not info.tags & RULES.keys()]
    if untagged:
        parts.append((_status(_records_of(untagged, by_scenario)), _others(untagged, by_scenario)))
    articles = [part for status, part in parts if status == "failed"]
    articles += [part for status, part in parts if status != "failed"]
    return _PAGE.format(
        css=_CSS,
        script=_SCRIPT,
        meta=_meta(run),
        totals=_totals(covered, runs, len(rows) - len(covered)),
        overview=_overview(covered),
        filters=_filters(covered),
        rules="\n".join(articles),
        count=len(articles),
    )


# -- parts of the page -----------------------------------------------------------------------------


def _meta(run: RunMeta) -> str:
    items = (
        ("Date", run.date),
        ("syncsim", run.version),
        ("Engine", run.engine),
        ("Seeds", "each run's own, from its scenario's name (shown per run)"),
        ("Command", f"<code>{_e(run.command)}</code>"),
    )
    return "".join(
        f"<dt>{name}</dt><dd>{value if name == 'Command' else _e(value)}</dd>" for name, value in items
    )


def _totals(rows: list[Row], runs: list[RunRecord], uncovered: int) -> str:
    rules = Counter(row.status for row in rows)
    outcomes = Counter(record.outcome for record in runs)
    rule_part = ", ".join(f'<span class="n {_cls(s)}">{rules[s]}</span> {s}' for s in STATUSES)
    run_part = ", ".join(
        f'<span class="n {_cls(o)}">{outcomes[o]}</span> {o}' for o in ("passed", "failed", "skipped")
    )
    others = f" {uncovered} more documented rules have no scenario in these files." if uncovered else ""
    return f"<p>Rules: {rule_part}.{others}</p><p>Scenario runs: {run_part}.</p>"


def _overview(rows: list[Row]) -> str:
    """The matrix in brief: one line per rule, linked to its part of the page."""
    head = "".join(f"<th>{c}</th>" for c in ("Rule", "Area", "Scenarios", "Passed", "Failed", "Status"))
    body = "".join(
        f'<tr class="{_cls(row.status)}"><td><a href="#rule-{_e(row.rule)}">{_e(row.rule)}</a></td>'
        f"<td>{_e(row.area)}</td><td>{row.scenarios}</td><td>{row.passed}</td><td>{row.failed}</td>"
        f"<td>{_badge(row.status)}</td></tr>"
        for row in rows
    )
    return f'<details id="overview"><summary>Matrix</summary><table>{head}{body}</table></details>'


def _filters(rows: list[Row]) -> str:
    areas = sorted({row.area for row in rows})
    return (
        _select("area", "Area", areas)
        + _select("channel", "Channel", list(CHANNELS))
        + _select("status", "Status", list(STATUSES))
    )


def _select(key: str, label: str, values: Iterable[str]) -> str:
    options = "".join(f'<option value="{_e(v)}">{_e(v)}</option>' for v in values)
    return (
        f'<label>{label} <select id="f-{key}" data-key="{key}"><option value="">all</option>'
        f"{options}</select></label>"
    )


def _rule(row: Row, infos: list[ScenarioInfo], runs: dict[tuple[str, int], list[RunRecord]]) -> str:
    rule = RULES[row.rule]
    source = SOURCES[rule.source]
    link = (
        f'<a href="https://github.com/{_e(source.repository)}/blob/main/{_e(source.path)}">{_e(source.title)}</a>'
        if source.repository
        else _e(source.title)
    )
    scenarios = [info for info in infos if rule.id in info.tags]
    where = f"{rule.area} · {', '.join(rule.channels)}"
    if rule.profiles != PROFILES:  # a rule of one profile says which (the pages disagree there)
        where += f" · {', '.join(rule.profiles)} profile only"
    body = "".join(_scenario(info, runs) for info in scenarios) or "<li class='none'>no scenario</li>"
    return (
        f'<article class="rule" id="rule-{_e(rule.id)}" data-area="{_e(rule.area)}" '
        f'data-channels="{_e(" ".join(rule.channels))}" data-status="{row.status}">'
        f"<h2>{_badge(row.status)} {_e(rule.id)} <small>{_e(where)}</small></h2>"
        f'<p class="statement">{_e(rule.statement)}</p>'
        f'<p class="source">Source: {link} ({_e(source.key)}), section {_e(rule.section)}</p>'
        f'<ul class="scenarios">{body}</ul></article>'
    )


def _others(infos: list[ScenarioInfo], runs: dict[tuple[str, int], list[RunRecord]]) -> str:
    status = _status(_records_of(infos, runs))
    return (
        f'<article class="rule" id="rule-none" data-area="" data-channels="" data-status="{status}">'
        f"<h2>{_badge(status)} Scenarios without a rule tag</h2>"
        f'<ul class="scenarios">{"".join(_scenario(info, runs) for info in infos)}</ul></article>'
    )


def _scenario(info: ScenarioInfo, runs: dict[tuple[str, int], list[RunRecord]]) -> str:
    records = runs.get(_key(info), [])
    status = _status(records)
    failing = {line for record in records for line in _failed_lines(record)}
    steps = "".join(_step(step, step.line in failing) for step in (*info.background, *info.steps))
    outcome = ", ".join(f"{n} {o}" for o, n in sorted(Counter(r.outcome for r in records).items()))
    rows = info.rows()
    detail = "".join(
        _run(record, rows[record.index] if record.index < len(rows) else None, info.title(record.index))
        for record in records
    )
    return (
        f'<li class="scenario" data-status="{status}"><details{" open" if status == "failed" else ""}>'
        f"<summary>{_badge(status)} <code>{_e(shown(info.path))}:{info.line}</code> {_e(info.name)} "
        f'<span class="runs">({outcome or "not run"})</span></summary>'
        f'<ol class="steps">{steps}</ol>{detail}</details></li>'
    )


def _step(step: StepLine, failing: bool) -> str:
    cells = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in step.table)
    table_html = f"<table>{cells}</table>" if cells else ""
    mark = ' class="failing" title="this step failed"' if failing else ""
    return f'<li{mark}><span class="kw">{_e(step.keyword)}</span> {_e(step.text)}{table_html}</li>'


_FAILED_AT = re.compile(r"failed at .*?:(\d+): ")


def _failed_lines(record: RunRecord) -> list[int]:
    """The line of the step a failed run stopped at (from its text: "failed at FILE:LINE: ...")."""
    return [int(line) for line in _FAILED_AT.findall(record.text)]


def _run(record: RunRecord, row: dict[str, str] | None, title: str) -> str:
    example = f" · {_e(title)} · Examples: {_e(', '.join(f'{k}={v}' for k, v in row.items()))}" if row else ""
    seed = f" · seed {record.seed}" if record.seed is not None else ""
    seed += f" · profile {_e(record.profile)}" if record.profile else ""
    text = (
        f'<details class="failure" open><summary>what failed</summary><pre>{_e(record.text)}</pre></details>'
        if record.text
        else ""
    )
    return (
        f'<div class="run {_cls(record.outcome)}">{_badge(record.outcome)} '
        f"run {record.index + 1}{example}{seed}{text}</div>"
    )


# -- helpers ---------------------------------------------------------------------------------------


def _records_of(infos: list[ScenarioInfo], runs: dict[tuple[str, int], list[RunRecord]]) -> list[RunRecord]:
    return [record for info in infos for record in runs.get(_key(info), [])]


def _key(info: ScenarioInfo) -> tuple[str, int]:
    return (str(info.path.resolve()), info.line)


def _status(records: list[RunRecord]) -> str:
    outcomes = {r.outcome for r in records}
    return "failed" if "failed" in outcomes else "passed" if "passed" in outcomes else "not run"


def _badge(status: str) -> str:
    return f'<span class="badge {_cls(status)}">{_e(status)}</span>'


def _cls(status: str) -> str:
    return status.replace(" ", "-")


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>syncsim report</title>
<style>{css}</style></head>
<body>
<header><h1>syncsim: documented rules, their scenarios, and how they ran</h1>
<dl class="meta">{meta}</dl></header>
<section id="totals">{totals}{overview}</section>
<form id="filters" onsubmit="return false">{filters}<span id="shown">{count} rules</span></form>
<p id="link-help">A view can be linked: add <code>#status=failed</code>, <code>#area=contacts</code>,
<code>#channel=server-side</code> or several (<code>#status=failed&amp;area=contacts</code>) to this page's
address. Failed rules come first.</p>
<main id="rules">
{rules}
</main>
<script>{script}</script>
</body></html>
"""

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
header,#totals,#filters,#link-help,main{max-width:1100px;margin:0 auto;padding:0 20px}
#link-help{color:#57606a;font-size:12px}
header{padding-top:16px}h1{font-size:22px;margin:8px 0}
.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:8px 0 12px}
.meta dt{font-weight:600;color:#57606a}.meta dd{margin:0}
#totals p{margin:4px 0}.n{font-weight:700}
#filters{display:flex;gap:16px;align-items:center;padding-top:8px;padding-bottom:8px;position:sticky;top:0;
background:#f6f8fa;border-bottom:1px solid #d0d7de;z-index:1}
#shown{margin-left:auto;color:#57606a}
.rule{background:#fff;border:1px solid #d0d7de;border-radius:6px;margin:12px 0;padding:8px 16px}
.rule[data-status=failed]{border-left:6px solid #cf222e}
.rule[data-status=passed]{border-left:6px solid #1a7f37}
.rule[data-status="not run"]{border-left:6px solid #8c959f}
.rule h2{font-size:16px;margin:6px 0}.rule h2 small{font-weight:400;color:#57606a;margin-left:8px}
.statement{margin:4px 0}.source{margin:4px 0;color:#57606a}
.scenarios{list-style:none;padding:0}.scenario{margin:6px 0}
summary{cursor:pointer}.runs{color:#57606a}
.steps{margin:6px 0 6px 24px;padding:0}.kw{font-weight:600;color:#8250df}
.steps li.failing{background:#ffebe9;outline:1px solid #cf222e}
.steps li.failing::after{content:" \2190 failed here";color:#cf222e;font-weight:600}
.steps table{border-collapse:collapse;margin:2px 0 4px}.steps td{border:1px solid #d0d7de;padding:1px 6px}
.run{margin:6px 0 6px 24px}
.failure pre{background:#fff8f8;border:1px solid #ffcecb;padding:8px;overflow:auto;white-space:pre-wrap}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600;color:#fff}
.badge.passed,.n.passed{background:#1a7f37}.badge.failed,.n.failed{background:#cf222e}
.badge.not-run,.badge.skipped,.n.not-run,.n.skipped{background:#8c959f}
.n{color:#fff;border-radius:8px;padding:0 6px}
#overview table{border-collapse:collapse;background:#fff;margin:6px 0}
#overview td,#overview th{border:1px solid #d0d7de;padding:2px 8px;text-align:left}
"""

_SCRIPT = """
(function () {
  const selects = Array.from(document.querySelectorAll('#filters select'));
  const rules = Array.from(document.querySelectorAll('article.rule'));
  function apply() {
    const want = {};
    for (const s of selects) { want[s.dataset.key] = s.value; }
    let shown = 0;
    for (const rule of rules) {
      const ok = (!want.area || rule.dataset.area === want.area)
        && (!want.channel || rule.dataset.channels.split(' ').includes(want.channel))
        && (!want.status || rule.dataset.status === want.status);
      rule.hidden = !ok;
      if (ok) { shown += 1; }
    }
    document.getElementById('shown').textContent = 'showing ' + shown + ' of ' + rules.length;
  }
  function fromAddress() {
    const asked = new URLSearchParams(location.hash.slice(1));
    for (const s of selects) { s.value = asked.get(s.dataset.key) || ''; }
    apply();
  }
  for (const s of selects) { s.addEventListener('change', apply); }
  window.addEventListener('hashchange', fromAddress);
  fromAddress();
})();
"""
