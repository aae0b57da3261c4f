"""A QA team's repository, as the README tells it: the wheel built from this checkout, put in a new
folder, installed into a fresh virtual environment there, ``syncsim init --from-wheel``, then
syncsim (on two workers too) and plain pytest there; then the CI job init wrote, its steps run as
written in another fresh environment that reaches no package index.

The README's "Use it in your own repository" commands run word for word (pip told to be quiet).
The scaffolded repository has a ``steps`` package of its own and a team tag (``@smoke``): neither
may meet syncsim's own names.
"""

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import checkout
import pytest
from paths import ROOT

from syncsim.harness.tools.cli import main

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


def run(script: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    script = f"set -euo pipefail\n{script}"
    return subprocess.run(["bash", "-c", script], cwd=cwd, capture_output=True, text=True, env=env)


@pytest.fixture(scope="module")
def team(wheel, tmp_path_factory):
    """The README's commands, run once in a new folder holding the wheel: (that folder, what they
    printed)."""
    folder = tmp_path_factory.mktemp("team")
    commands = readme_commands()
    assert commands[1].startswith(f"pip install {wheel.name}")  # the README names the wheel built here
    shutil.copyfile(wheel, folder / wheel.name)
    done = run("\n".join(command.replace("pip install ", "pip install -q ") for command in commands), folder)
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
    assert "created: 2/2 workers" in done.stdout  # syncsim run -- -n 2
    assert done.stdout.count("= 1 passed in") == 4  # syncsim run (twice), plain pytest, with Allure
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


def workflow_steps(repo: Path) -> list[str]:
    """The commands of the CI job syncsim init wrote (its ``- run:`` steps, in order)."""
    workflow = (repo / ".github" / "workflows" / "syncsim.yml").read_text()
    return re.findall(r"^\s*- run: (.+)$", workflow, re.MULTILINE)


def no_index(wheelhouse: Path) -> dict[str, str]:
    """An environment in which pip reaches no index: no configuration file, no PIP_ setting but
    these, only ``wheelhouse`` to find packages in (syncsim's dependencies, standing in for what a
    CI runner gets from PyPI; syncsim itself is not there)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PIP_")}
    return {**env, "PIP_CONFIG_FILE": os.devnull, "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(wheelhouse)}


def test_the_ci_job_init_wrote_installs_and_runs_with_no_index(wheel, tmp_path):
    """The job's steps, word for word, in a fresh environment: syncsim comes from the wheel the
    team's repository keeps (init --from-wheel copied it there), and the reports are written."""
    repo = tmp_path / "shop-sync"
    assert main(["init", str(repo), "--from-wheel", str(wheel)]) == 0
    steps = workflow_steps(repo)
    assert steps[0] == f"pip install wheels/{wheel.name}"
    house = tmp_path / "wheelhouse"
    fetched = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "-w", str(house), str(wheel)],
        capture_output=True,
        text=True,
    )
    assert fetched.returncode == 0, fetched.stderr[-3000:]
    (house / wheel.name).unlink()
    venv = [f"{sys.executable} -m venv {tmp_path / 'ci'}", f". {tmp_path / 'ci'}/bin/activate"]
    done = run("\n".join([*venv, *steps, "syncsim run -- -n 2"]), repo, env=no_index(house))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert done.stdout.count("1 passed, 0 failed") == 2 and "created: 2/2 workers" in done.stdout
    assert all((repo / made).is_file() for made in ("report.html", "cucumber.json", "junit.xml"))
