"""syncsim, as installed: one import name that no team's own packages can clash with.

The repository keeps its layers at the top (``harness/``, ``steps/``, ``features/``, ``docs/``);
this package holds them under one name through links, so ``syncsim.harness`` is ``harness/`` and
``syncsim.steps`` is ``steps/``. A wheel carries the files themselves.
"""

from importlib import metadata
from importlib.resources import files
from importlib.resources.abc import Traversable


def version() -> str:
    """The installed version, or a word saying this is a checkout nobody installed."""
    try:
        return metadata.version("syncsim")
    except metadata.PackageNotFoundError:
        return "0+checkout"


def resource(*parts: str) -> Traversable:
    """A file that ships with syncsim: the built-in features, docs/steps.md."""
    return files(__name__).joinpath(*parts)
