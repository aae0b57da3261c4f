"""``syncsim init DIR``: a team's repository, ready for ``syncsim run`` and plain pytest.

It writes a feature with one scenario (a team tag on it), a ``steps`` package with one step of
the team's own, the ``[tool.syncsim]`` and pytest settings that tie them together, and a CI job.
Nothing is overwritten: when any of these files exists, nothing is written at all.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

from . import installed, output

FEATURE = """\
Feature: Our contacts reach Outlook as CRM holds them

  # Every step comes from syncsim's catalogue (syncsim steps), but the last: that one is ours,
  # in steps/team.py. A scenario starts with a new organization unless it says otherwise.

  @smoke @CONTACT-ADDRESS-MAILING-ONLY
  Scenario: A new contact's business address reaches Outlook
    Given a user "alice" syncing through outlook
    And "alice" has a contact "Kim" in CRM with:
      | firstname     | Kim  |
      | address1_city | Oslo |
    When the sync runs
    Then the contact "Kim" in Outlook has:
      | BusinessAddressCity | Oslo |
    And nothing was lost in the last sync
"""

STEPS = '''\
"""The team's own steps, beside syncsim's (listed under [tool.syncsim] steps in pyproject.toml)."""

from pytest_bdd import then

from syncsim.harness.tools.scenario import Scenario, expect


@then("nothing was lost in the last sync")
def nothing_lost(sim: Scenario) -> None:
    """The last cycle reported no loss."""
    losses = sim.report.losses if sim.report else []
    expect(not losses, "no loss", losses, sim)
'''

PYPROJECT = """\
# syncsim reads [tool.syncsim]; pytest reads [tool.pytest.ini_options].
[tool.syncsim]
features = ["features"]   # what syncsim run, lint and steps read when given no path
steps = ["steps.team"]    # our own step definitions, loaded beside syncsim's
collect-features = true   # plain pytest runs the .feature files too

[tool.pytest.ini_options]
testpaths = ["features"]
addopts = "--strict-markers"   # tags used in the features are declared by syncsim
"""

WORKFLOW = """\
# A GitHub Actions job: the scenarios on every push, with JUnit and Cucumber reports kept.
name: syncsim
on: [push, pull_request]
jobs:
  scenarios:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - run: {install}
      - run: syncsim lint
      - run: syncsim run --report report.html --cucumber cucumber.json -- --junitxml=junit.xml
      - uses: actions/upload-artifact@v4
        if: always()
        with:
          name: syncsim-reports
          path: |
            report.html
            cucumber.json
            junit.xml
"""

README = """\
# Our sync scenarios

syncsim, as our CI job installs it:

    {install}

Then:

    syncsim lint                   # every step known, every tag right
    syncsim run                    # the scenarios, then the traceability matrix
    syncsim run --tags @smoke      # a Cucumber tag expression
    syncsim run features/contacts.feature:7    # one scenario, by its line
    pytest                         # the same scenarios through plain pytest
    syncsim steps                  # every step phrase you may use (ours too)
"""


@dataclass(frozen=True)
class Source:
    """Where a team's CI job gets syncsim from: the command that installs it, and a wheel to keep
    in the team's repository (under ``wheels/``) when it comes from one."""

    install: str
    wheel: Path | None = None
    said: str = ""


#: a git URL pip can install from: a scheme it knows (or ssh's user@host:path), no spaces or quotes
_GIT_URL = re.compile(r"^(?:(?:git\+)?(?:https|http|ssh|file)://|[\w.-]+@[\w.-]+:)[^\s'\"`$\\]+$")
#: a wheel's file name as pip reads it: syncsim-VERSION(-BUILD)-PYTHON-ABI-PLATFORM.whl
_WHEEL_NAME = re.compile(r"^syncsim-[\w.+!]+(?:-\d\w*)?-[\w.]+-[\w.]+-[\w.]+\.whl$")


def from_index(url: str | None = None, version: str | None = None) -> Source:
    """syncsim from a package index (the default one, or the team's own at ``url``)."""
    pinned = f'"syncsim=={version or installed.version()}"'
    if url is None:
        said = f"the CI job installs syncsim {pinned} from the default index (PyPI does not have it: "
        said += "--from-wheel or --from-git names where your team keeps syncsim)"
        return Source(f"pip install {pinned}", said=said)
    if not re.fullmatch(r"https?://[^\s'\"`$\\]+", url):
        raise ValueError(f"--from-index {url!r}: give the index's http(s) URL, as pip's --index-url takes it")
    return Source(
        f"pip install --extra-index-url {url} {pinned}", said=f"the CI job installs syncsim from {url}"
    )


def from_git(url: str) -> Source:
    """syncsim from a git repository pip can clone (``@ref`` pins a tag or commit)."""
    if not _GIT_URL.match(url):
        raise ValueError(
            f"--from-git {url!r}: not a git URL pip installs from; give https://host/owner/syncsim.git "
            "(add @TAG for a release), ssh://... or git@host:owner/syncsim.git"
        )
    scp_like = re.fullmatch(r"([\w.-]+@[\w.-]+):(.+)", url)  # (pip reads ssh only as a URL)
    address = f"ssh://{scp_like[1]}/{scp_like[2]}" if scp_like else url
    address = address if address.startswith("git+") else f"git+{address}"
    return Source(f'pip install "syncsim @ {address}"', said=f"the CI job installs syncsim from {url}")


def from_wheel(path: Path) -> Source:
    """syncsim from a wheel file, copied into the team's repository so the CI job finds it there."""
    refused = output.not_readable(path)
    if refused:
        raise ValueError(f"--from-wheel {path}: {refused}")
    if not _WHEEL_NAME.match(path.name) or not zipfile.is_zipfile(path):
        raise ValueError(f"--from-wheel {path}: not a syncsim wheel (syncsim-VERSION-py3-none-any.whl)")
    kept = f"wheels/{path.name}"
    return Source(f"pip install {kept}", wheel=path, said=f"the CI job installs syncsim from {kept}")


def files(source: Source | None = None) -> dict[str, str]:
    """The files of a new team repository, by path (text files; a wheel is copied beside them)."""
    install = (source or from_index()).install
    return {
        "features/contacts.feature": FEATURE,
        "steps/__init__.py": "",
        "steps/team.py": STEPS,
        "pyproject.toml": PYPROJECT,
        ".github/workflows/syncsim.yml": WORKFLOW.format(install=install),
        "README.md": README.format(install=install),
    }


def init(folder: Path, source: Source | None = None) -> list[Path]:
    """Write the repository into ``folder`` (made if missing); a ValueError names every file that
    is there already, and then nothing is written."""
    if folder.exists() and not folder.is_dir():
        raise ValueError(f"{folder}: not a folder")
    planned = {folder / name: text for name, text in files(source).items()}
    wheel = folder / "wheels" / source.wheel.name if source and source.wheel else None
    there = [str(path) for path in [*planned, *([wheel] if wheel else [])] if path.exists()]
    if there:
        raise ValueError(f"{', '.join(there)}: already there; syncsim init writes only new files")
    for path, text in planned.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if wheel and source and source.wheel:
        wheel.parent.mkdir(exist_ok=True)
        shutil.copyfile(source.wheel, wheel)
        return [*planned, wheel]
    return list(planned)
