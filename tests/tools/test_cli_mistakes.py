"""Ordinary mistakes on the command line, kept as a table: each ends in one clear line on stderr
and exit code 2 (never a traceback), or in the right success. Outputs aimed at a folder, a pipe or
a device node made here are refused, and the node is still a device afterwards."""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from paths import FEATURES

from syncsim.harness.tools.cli import main
from syncsim.harness.tools.samples import write_samples


@pytest.fixture(scope="module")
def place(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A folder of things to get wrong: a feature, an empty one, a folder without features, a
    pipe, a device node (a copy of /dev/null's, where this process may make one), samples."""
    root = tmp_path_factory.mktemp("mistakes")
    shutil.copy(FEATURES / "tasks.feature", root / "ok.feature")
    (root / "empty.feature").write_text("")
    (root / "comment.feature").write_text("# a comment and nothing else\n")
    (root / "latin1.feature").write_bytes("Feature: Caf\xe9\n".encode("latin-1"))
    (root / "broken.feature").write_text("Feature: x\n  Scenario: a\n    Given x\n  Scenario Outline b\n")
    (root / "nofeatures").mkdir()
    (root / "folder.csv").mkdir()
    os.mkfifo(root / "pipe.md")
    write_samples(root / "s")
    deep = (
        "<filter>" * 5000 + '<condition attribute="statecode" operator="eq" value="0"/>' + "</filter>" * 5000
    )
    (root / "deep.xml").write_text(f'<fetch><entity name="contact">{deep}</entity></fetch>')
    device = root / "null.md"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except OSError:  # (no right to make device nodes here: a pipe stands in)
        os.mkfifo(device)
    old = Path.cwd()
    os.chdir(root)
    yield {
        "ok": "ok.feature",
        "dev": str(device),
        "crm": "s/crm-contacts.csv",
        "vcf": "s/outlook-contacts.vcf",
        "ics": "s/calendar.ics",
    }
    os.chdir(old)
    assert not stat.S_ISREG(device.stat().st_mode)  # never replaced by a file


CHANGE = ["--set", "contact_address_sync=all-three"]
WHATIF = ["whatif", "--crm", "{crm}", "--outlook", "{vcf}", *CHANGE]

#: (argv, a piece of the one line on stderr)
REFUSED = [
    # run
    (["run", "empty.feature"], "no 'Feature:' line"),
    (["run", "comment.feature"], "no 'Feature:' line"),
    (["run", "latin1.feature"], "not UTF-8"),
    (["run", "nofeatures"], "no .feature files under nofeatures"),
    (["run", "nosuch.feature"], "not a .feature file"),
    (["run", "--tls"], "--tls is for --engine-cmd"),
    (["run", "{ok}", "--baseline", "nosuch.json"], "cannot be read as a baseline"),
    (["run", "{ok}", "--baseline", "{ok}"], "cannot be read as a baseline (Expecting value"),
    (["run", "{ok}", "--save-baseline", "{ok}"], "--save-baseline"),
    (["run", "--page-size", "2"], "--page-size is for --engine-cmd"),
    (["run", "--page-size", "0", "--engine-cmd", "true"], "must be 1 or more"),
    (["run", "{ok}:9999"], "has lines 1 to"),
    (["run", "{ok}:0"], "has lines 1 to"),
    (["run", "{ok}", "--cucumber", "nofeatures"], "a folder"),
    (["run", "{ok}", "--cucumber", "{dev}"], "not a regular file"),
    (["run", "{ok}", "--cucumber", ""], "an empty name"),
    (["run", "{ok}", "--report", "pipe.md"], "not a regular file"),
    (["run", "{ok}", "--report", "r.txt"], "use a .md or .html file"),
    (["run", "{ok}", "--report", "{ok}/r.md"], "ok.feature is not a folder"),
    (["run", "{ok}", "--report", "r.md", "--cucumber", "./r.md"], "name one file"),
    (["run", "{ok}", "--engine", "os:system"], "is not an engine"),
    (["run", "{ok}", "--engine", "collections:OrderedDict"], "is not an engine"),
    (["run", "{ok}", "--engine", "nope"], "unknown engine 'nope'"),
    (["run", "{ok}", "--engine-cmd", ""], "--engine-cmd is empty"),
    (["run", "{ok}", "--engine-cmd", "no-such-sync-program"], "no program on PATH"),
    (["run", "{ok}", "--engine-cmd", "python", "--engine", "naive"], "choose one"),
    (["run", "{ok}", "--tags", "((("], "syncsim run"),
    (["run", "{ok}", "--tags", "@FIELD-NONE and"], "--tags '@FIELD-NONE and'"),
    (["run", "{ok}", "--tags", "smoke"], "a tag begins with @ ('smoke': did you mean '@smoke'?)"),
    (["run", "broken.feature"], "Misplaced or incorrect 'Scenario' keyword"),
    (["run", "{ok}", "--cucumber", "{ok}"], "never overwrites a feature"),
    # lint
    (["lint", "empty.feature"], "no 'Feature:' line"),
    (["lint", "nofeatures"], "no .feature files under nofeatures"),
    (["lint", "nosuch"], "not a .feature file"),
    # simulate
    (["simulate", "--seed", "1", "--cycles", "10000000000"], "the most this takes"),
    (["simulate", "--seed", "1", "--cycles", "0"], "must be 1 or more"),
    (["simulate", "--seed", "1", "--users", "1000000"], "the most this takes"),
    (["simulate", "--seed", "1", "--users", "0"], "must be 1 or more"),
    (["simulate", "--seed", "1", "--contacts", "-1"], "must be 0 or more"),
    (["simulate", "--seed", "x"], "invalid int value"),
    (["simulate"], "--seed"),
    (["simulate", "--seed", "1", "--set", "nosuch=1"], "unknown setting 'nosuch'"),
    (["simulate", "--seed", "1", "--locale", "xx_XX"], "no locale"),
    (["simulate", "--seed", "1", "--trace", "nofeatures"], "a folder"),
    (["simulate", "--seed", "1", "--trace", "pipe.md"], "not a regular file"),
    (["simulate", "--seed", "1", "--trace", "{dev}"], "not a regular file"),
    (["simulate", "--seed", "1", "--trace", "{ok}"], "a .feature file"),
    (["simulate", "--seed", "1", "--trace", "{ok}/t.jsonl"], "ok.feature is not a folder"),
    (["simulate", "--seed", "1", "--trace", ""], "an empty name"),
    (["simulate", "--seed", "1", "--users", "x"], "'x' is not a whole number"),
    (["simulate", "--seed", "1", "--set", "sync_assigned_tasks=maybe"], "allowed: true, false"),
    (["simulate", "--seed", "1", "--set", "5:sync_assigned_tasks=true"], "only 1 cycles run"),
    (["simulate", "--seed", "1", "--channel", "imap"], "choose from 'outlook', 'server-side'"),
    (["simulate", "--seed", "1", "--field", "contact.jobtitel=none"], "contact has no synchronized field"),
    (["simulate", "--seed", "1", "--field", "contakt.jobtitle=none"], "unknown CRM entity 'contakt'"),
    (["simulate", "--seed", "1", "--field", "contact.jobtitle=sideways"], "allowed: two-way, crm-to-outlook"),
    (
        ["simulate", "--seed", "1", "--field", "contact.fullname=none"],
        "contact.fullname (Full Name) is fixed",
    ),
    (["simulate", "--seed", "1", "--field", "jobtitle=none"], "expected [CYCLE:]ENTITY.FIELD=DIRECTION"),
    (["simulate", "--seed", "1", "--field", "3:contact.jobtitle=none"], "only 1 cycles run"),
    # whatif
    (["whatif", "--crm", "{crm}", "--outlook", "{vcf}"], "say what would change"),
    ([*WHATIF, "--link-by", "nosuch=X"], "contact has no attribute 'nosuch'"),
    ([*WHATIF, "--link-by", "emailaddress1=Nope"], "has no property 'Nope'"),
    ([*WHATIF, "--link-by", "emailaddress1"], "expected CRM_ATTRIBUTE=OUTLOOK_PROPERTY"),
    ([*WHATIF, "--entity", "task"], "pass --entity contact"),
    (["whatif", "--crm", "{crm}", "--outlook", "{ics}", *CHANGE], "holds no contact"),
    ([*WHATIF, "--report", "r.csv", "--fix", "./r.csv"], "name one file"),
    ([*WHATIF, "--report", "{crm}"], "an input of this command"),
    ([*WHATIF, "--report", "{dev}"], "not a regular file"),
    ([*WHATIF, "--fix", "fix.txt"], "use a .csv file"),
    (
        ["whatif", "--crm", "{crm}", "--outlook", "{vcf}", "--field", "task.prioritycode=crm-to-outlook"],
        "task.prioritycode (Importance) is fixed",
    ),
    ([*WHATIF, "--filter", "deep.xml"], "nested 5000 deep"),
    ([*WHATIF, "--filter", "nosuch.xml"], "no such file"),
    ([*WHATIF, "--cycles", "10000000000"], "the most this takes"),
    (["whatif", "--crm", "folder.csv", "--outlook", "{vcf}", *CHANGE], "a folder"),
    (["whatif", "--crm", "pipe.md", "--outlook", "{vcf}", *CHANGE], "not a regular file"),
    (["whatif", "--crm", "nosuch.csv", "--outlook", "{vcf}", *CHANGE], "no such file"),
    (["whatif", "--crm", "{vcf}", "--outlook", "{crm}", *CHANGE], "--outlook"),
    # samples, init, inspect
    (["samples", "--out", "{ok}"], "not a folder"),
    (["samples", "--out", ""], "an empty name"),
    (["samples", "--out", "{ok}/x"], "ok.feature is not a folder"),
    (["init", ""], "an empty name"),
    (["init", "{ok}"], "not a folder"),
    (["init", "{ok}/x"], "ok.feature is not a folder"),
    (["inspect", "folder.csv"], "a folder"),
    (["inspect", "nosuch.csv"], "no such file"),
    (["inspect", "empty.feature"], "not a format syncsim reads"),
    # explore
    (["explore", "--out", "{ok}"], "not a folder"),
    (["explore", "--workers", "1000"], "the most this takes"),
    (["explore", "--workers", "100000", "--force"], "the most this takes"),
    (
        ["explore", "--workers", str((os.cpu_count() or 1) + 1), "--max-examples", "1"],
        "more workers than cores",
    ),
    (["explore", "--steps", "0"], "must be 1 or more"),
    (["explore", "--engine", "os:system"], "is not an engine"),
    # serve
    (["serve", "--host", "0.0.0.0"], "--allow-remote"),
    (["serve", "--control-secret", "short"], "at least 16 characters"),
    (["serve", "--port", "70000"], "not a port number"),
    (["serve", "--users", "../x"], "holds '/'"),
    (["serve", "--users", ","], "names no user"),
    (["serve", "--max-body-mb", "0"], "must be 1 or more"),
    (["serve", "--contacts", "99999999999"], "the most this takes"),
    # the command itself
    ([], "COMMAND"),
    (["nosuchcommand"], "invalid choice: 'nosuchcommand' (choose from 'run', 'rules', 'simulate'"),
    (["rules", "extra"], "unrecognized arguments"),
    (["simulate", "--seed", "1", "--", "-x"], "for 'syncsim run' only"),
    (["rules", "--", "-x"], "arguments after -- are for 'syncsim run' only"),
]


def _filled(argv: list[str], place: dict[str, str]) -> list[str]:
    return [word.format(**place) for word in argv]


@pytest.mark.parametrize(("argv", "said"), REFUSED, ids=[" ".join(a)[:70] or "(nothing)" for a, _ in REFUSED])
def test_a_mistake_is_one_line_and_exit_2(place, capsys, argv, said):
    code = main(_filled(argv, place))
    out, err = capsys.readouterr()
    assert code == 2, (out[-500:], err)
    assert said in err
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in out + err


def test_the_table_is_long_enough():
    assert len(REFUSED) >= 60


def test_the_right_successes(place, capsys, tmp_path):
    trace = tmp_path / "t.jsonl"
    simulate = ["simulate", "--seed", "1", "--contacts", "2", "--appointments", "0", "--tasks", "0"]
    assert main([*simulate, "--trace", str(trace)]) == 0 and trace.read_text().count("\n") > 0
    assert main(["init", str(tmp_path / "team")]) == 0 and (tmp_path / "team" / "README.md").is_file()
    # output folders are made when missing, with the folders above them
    assert (
        main(["init", str(tmp_path / "a" / "team")]) == 0
        and (tmp_path / "a" / "team" / "README.md").is_file()
    )
    assert (
        main(["samples", "--out", str(tmp_path / "new" / "deeper")]) == 0
        and (tmp_path / "new" / "deeper" / "calendar.ics").is_file()
    )
    report = tmp_path / "reports" / "today" / "r.md"
    assert main(["run", f"{place['ok']}:12", "--report", str(report)]) == 0 and report.is_file()
    assert main(["lint", place["ok"]]) == 0
    assert main(["run", f"{place['ok']}:12", "--dry-run"]) == 0
    capsys.readouterr()


def test_a_device_stays_a_device(place):
    device = Path(place["dev"])
    for argv in (["simulate", "--seed", "1", "--trace", str(device)], [*WHATIF, "--report", str(device)]):
        assert main(_filled(argv, place)) == 2
        assert not stat.S_ISREG(device.stat().st_mode)


def test_an_input_that_cannot_be_read_is_one_line(place, capsys, monkeypatch):
    """As a file without read permission is to any user but root (who reads it anyway)."""

    def refused(self: Path, *args: object, **kwargs: object) -> str:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_text", refused)
    assert (
        main(["whatif", "--crm", place["crm"], "--outlook", place["vcf"], "--filter", "deep.xml", *CHANGE])
        == 2
    )
    err = capsys.readouterr().err
    assert err.strip() == "syncsim: Permission denied: deep.xml"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes into read-only folders")
@pytest.mark.parametrize(
    "argv",
    [
        ["explore", "--out", "{folder}"],
        ["samples", "--out", "{folder}"],
        ["init", "{folder}/team"],
        ["simulate", "--seed", "1", "--trace", "{folder}/t.jsonl"],
    ],
)
def test_a_read_only_folder_is_refused_before_any_work(tmp_path, capsys, argv):
    folder = tmp_path / "read-only"
    folder.mkdir(mode=0o500)
    assert main([word.format(folder=folder) for word in argv]) == 2
    assert "not writable" in capsys.readouterr().err
