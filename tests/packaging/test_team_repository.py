"""A QA team's repository, as the README tells it: the built wheel installed into a fresh virtual
environment in another folder, ``syncsim init``, then syncsim and plain pytest there.

The README's "Use it in your own repository" commands run word for word, but for the install line,
which takes the wheel built from this checkout (the README's line names the package). The
scaffolded repository has a ``steps`` package of its own and a team tag (``@smoke``): neither may
meet syncsim's own names.
"""

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import checkout
import pytest
from paths import ROOT

README = (ROOT / "README.md").read_text()


def readme_commands() -> list[str]:
    section = README.split("## Use it in your own repository", 1)[1].split("\n## ", 1)[0]
    [block] = re.findall(r"```sh\n(.*?)```", section, re.DOTALL)
    return [line.split("  #", 1)[0].strip() for line in block.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """The wheel, built from a clone of the working tree (the checkout's own build/ untouched)."""
    out = tmp_path_factory.mktemp("wheel")
    source = checkout.clone(tmp_path_factory.mktemp("source"))
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(source)],
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr
    [found] = out.glob("syncsim-*.whl")
    return found


def run(script: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    script = f"set -euo pipefail\n{script}"
    return subprocess.run(["bash", "-c", script], cwd=cwd, capture_output=True, text=True)


@pytest.fixture(scope="module")
def team(wheel, tmp_path_factory):
    """The README's commands, run once in a new folder: (that folder, what they printed)."""
    folder = tmp_path_factory.mktemp("team")
    commands = readme_commands()
    assert commands[1].startswith("pip install syncsim")
    commands[1] = f"pip install -q {wheel}"
    commands[-1] = commands[-1].replace("pip install ", "pip install -q ")
    done = run("\n".join(commands), folder)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return folder, done


def test_the_readme_commands_work_from_the_wheel_in_a_team_repository(team):
    """The README's commands, then a scenario of the team's that fails: pytest's account of it
    opens with the feature file and line, then the failing step, then what was expected and found
    (one test: the virtual environment is made once)."""
    folder, done = team
    repo = folder / "shop-sync"
    assert (repo / "steps" / "team.py").is_file()  # the team's own steps package
    assert "the last cycle reported no loss" in done.stdout.lower()  # syncsim steps lists it
    assert "1 passed, 0 failed" in done.stdout  # syncsim run --tags @smoke
    assert done.stdout.count("= 1 passed in") == 3  # syncsim run, plain pytest, pytest with Allure
    results = list((repo / "allure-results").glob("*-result.json"))
    assert results and '"status": "passed"' in results[0].read_text()
    [case] = ET.parse(repo / "junit.xml").getroot().iter("testcase")
    assert case.get("classname") == "features.contacts.feature"
    assert case.get("name") == "test_a_new_contact_s_business_address_reaches_outlook"
    assert not list(case.iter("property"))
    assert 'data-status="passed"' in (repo / "report.html").read_text()

    assert run(". .venv/bin/activate && syncsim init failing", folder).returncode == 0
    feature = folder / "failing" / "features" / "contacts.feature"
    text = feature.read_text().replace("| BusinessAddressCity | Oslo |", "| BusinessAddressCity | Bergen |")
    feature.write_text(text)
    done = run(". .venv/bin/activate && cd failing && pytest -p no:cacheprovider", folder)
    assert done.returncode == 1
    failure = done.stdout.split("= FAILURES =", 1)[1].split("\n", 2)[2]
    first = "features/contacts.feature:7: Scenario: A new contact's business address reaches Outlook\n"
    assert failure.startswith(first)
    assert "failed at features/contacts.feature:13: Then the contact" in failure
    assert "BusinessAddressCity: expected 'Bergen', found 'Oslo'" in failure
    assert "Traceback" not in failure
