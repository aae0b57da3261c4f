"""A checkout as Git for Windows makes it by default (``core.symlinks=false``): the README's first
command installs syncsim from it, and syncsim runs.

The working tree is cloned as it is now (tests/checkout.py), then the first Quick start line's
install runs word for word in the clone, in a fresh virtual environment.
"""

import re
import subprocess
from pathlib import Path

import checkout
import pytest
from paths import ROOT

QUICK_START = (ROOT / "README.md").read_text().split("## Quick start", 1)[1].split("\n## ", 1)[0]


def install_command() -> str:
    """The Quick start's first command, up to the install (its ``syncsim run`` runs below, on one file)."""
    first = next(line for line in QUICK_START.splitlines() if line.startswith("python3 -m venv"))
    install, run = first.rsplit(" && ", 1)
    assert run == "syncsim run" and "pip install" in install
    return install


@pytest.fixture
def clone(tmp_path):
    return checkout.clone(tmp_path)


def test_the_repository_holds_no_link(clone):
    entries = checkout.git("ls-files", "-s", cwd=clone).splitlines()
    assert entries and not [entry for entry in entries if entry.startswith("120000")]
    assert not [path for path in clone.rglob("*") if path.is_symlink()]


def test_the_readme_install_works_from_a_clone_without_links(clone):
    script = (
        f"set -euo pipefail\n{install_command()}\nsyncsim --version\n"
        'python -c "import syncsim.harness, syncsim.steps; print(syncsim.harness.__file__)"\n'
        "syncsim run features/settings.feature\n"
    )
    done = subprocess.run(["bash", "-c", script], cwd=clone, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    version, where, *run = done.stdout.splitlines()
    assert re.fullmatch(r"syncsim \d+\.\d+\.\d+", version)
    assert Path(where).resolve() == (clone / "harness" / "__init__.py").resolve()  # the clone's own files
    [passed] = re.findall(r"all scenario runs, tagged or not: (\d+) passed, 0 failed", "\n".join(run))
    assert int(passed) > 0
