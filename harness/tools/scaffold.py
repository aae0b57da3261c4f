"""``syncsim init DIR``: a team's repository, ready for ``syncsim run`` and plain pytest.

It writes a feature with one scenario (a team tag on it), a ``steps`` package with one step of
the team's own, the ``[tool.syncsim]`` and pytest settings that tie them together, and a CI job.
Nothing is overwritten: when any of these files exists, nothing is written at all.
"""

from __future__ import annotations

from pathlib import Path

from . import installed

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
      - run: pip install "syncsim=={version}"   # or the wheel or URL your team installs it from
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

    syncsim lint                   # every step known, every tag right
    syncsim run                    # the scenarios, then the traceability matrix
    syncsim run --tags @smoke      # a Cucumber tag expression
    syncsim run features/contacts.feature:7    # one scenario, by its line
    pytest                         # the same scenarios through plain pytest
    syncsim steps                  # every step phrase you may use (ours too)
"""


def files(version: str | None = None) -> dict[str, str]:
    """The files of a new team repository, by path."""
    return {
        "features/contacts.feature": FEATURE,
        "steps/__init__.py": "",
        "steps/team.py": STEPS,
        "pyproject.toml": PYPROJECT,
        ".github/workflows/syncsim.yml": WORKFLOW.format(version=version or installed.version()),
        "README.md": README,
    }


def init(folder: Path) -> list[Path]:
    """Write the repository into ``folder`` (made if missing); a ValueError names every file that
    is there already, and then nothing is written."""
    if folder.exists() and not folder.is_dir():
        raise ValueError(f"{folder}: not a folder")
    planned = {folder / name: text for name, text in files().items()}
    there = [str(path) for path in planned if path.exists()]
    if there:
        raise ValueError(f"{', '.join(there)}: already there; syncsim init writes only new files")
    for path, text in planned.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return list(planned)
