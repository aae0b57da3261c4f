"""Where exploration keeps what it found, read without loading the explorer (the command line
names the folder in its help)."""

from __future__ import annotations

import os
from pathlib import Path


def cache_folder() -> Path:
    """syncsim's cache: ``$SYNCSIM_CACHE``, or ``syncsim`` in the user's cache folder; never the
    working folder."""
    if os.environ.get("SYNCSIM_CACHE"):
        return Path(os.environ["SYNCSIM_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "syncsim"


def database_path() -> Path:
    """Where found failures are kept by default (see ``search.Findings``)."""
    return cache_folder() / "explore"
