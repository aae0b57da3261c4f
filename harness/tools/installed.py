"""syncsim as installed: its version, and the files that ship with it.

The folder that holds ``harness/`` also holds ``steps/``, ``features/`` and ``docs/``, in a checkout
(the repository's top level, installed in editable mode) and in a wheel (``syncsim/``): the build
configuration maps each top-level folder to its place in the package, so both read alike.
"""

from importlib import metadata
from pathlib import Path

#: the folder holding harness/, steps/, features/ and docs/: the checkout or the installed package
ROOT = Path(__file__).resolve().parents[2]
#: syncsim's own code, shown as ``syncsim/...`` wherever it is installed
CODE = (ROOT / "harness", ROOT / "steps")


def version() -> str:
    """The installed version, or a word saying this is a checkout nobody installed."""
    try:
        return metadata.version("syncsim")
    except metadata.PackageNotFoundError:
        return "0+checkout"


def resource(*parts: str) -> Path:
    """A file or folder that ships with syncsim: the built-in features, docs/steps.md."""
    return ROOT.joinpath(*parts)


def shown(path: Path) -> str | None:
    """A file of syncsim's own code as ``syncsim/...``, the same on every machine; None for any
    other file."""
    resolved = path.resolve()
    for folder in CODE:
        if resolved.is_relative_to(folder):
            return f"syncsim/{resolved.relative_to(ROOT).as_posix()}"
    return None
