"""A clone of the checkout as it stands, for the tests that install syncsim as a user would.

The clone holds the working tree as it is now (a commit made with a temporary index, so nothing of
the checkout's own index or HEAD moves), checked out as Git for Windows does by default
(``core.symlinks=false``). A wheel built there leaves nothing in the checkout's own build/.
"""

import os
import subprocess
from pathlib import Path

import pytest
from paths import ROOT


def git(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def working_tree_commit(scratch: Path) -> str:
    """A commit of the working tree as it stands (tracked and new files; ignored ones left out)."""
    env = {
        **os.environ,
        "GIT_INDEX_FILE": str(scratch / "index"),
        "GIT_AUTHOR_NAME": "test",
        "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "test",
        "GIT_COMMITTER_EMAIL": "test@example.com",
    }
    git("add", "-A", env=env)
    tree = git("write-tree", env=env)
    return git("commit-tree", tree, "-m", "the working tree, for a clone", env=env)


def clone(scratch: Path) -> Path:
    """``scratch/syncsim``: the working tree as a clone without links; skips outside a git checkout."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: there is nothing to clone")
    commit = working_tree_commit(scratch)
    target = scratch / "syncsim"
    git("clone", "-q", "-c", "core.symlinks=false", "--no-checkout", str(ROOT), str(target), cwd=scratch)
    git("-c", "core.symlinks=false", "checkout", "-q", commit, cwd=target)
    return target
