"""A team's own syncsim settings: the ``[tool.syncsim]`` table of their repository's pyproject.toml.

One table, read the same way by ``syncsim run``/``lint``/``steps`` and by the pytest plugin, so a
team says once where its features are and which step modules are its own::

    [tool.syncsim]
    features = ["features"]        # what syncsim run, lint and steps read when given no path
    steps = ["team_steps.shop"]    # the team's own step definitions, loaded beside syncsim's
    collect-features = true        # plain pytest collects the .feature files it is pointed at

Paths are relative to the folder of the pyproject.toml; step modules are imported from there.
"""

from __future__ import annotations

import importlib
import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import installed

KEYS = ("features", "steps", "collect-features")


@dataclass(frozen=True)
class Project:
    #: the folder whose pyproject.toml was read (None: no pyproject.toml was found)
    root: Path | None = None
    features: tuple[Path, ...] = ()
    steps: tuple[str, ...] = ()
    collect_features: bool = False

    @property
    def where(self) -> str:
        return f"{self.root / 'pyproject.toml'} [tool.syncsim]" if self.root else "no pyproject.toml"


def find(start: Path | None = None) -> Project:
    """The settings of the first pyproject.toml at ``start`` (default: the current folder) or
    above it; defaults where there is none or it has no ``[tool.syncsim]``. A ValueError names
    the file and the problem."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").is_file():
            return load(folder)
    return Project()


def load(root: Path) -> Project:
    path = root / "pyproject.toml"
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {}).get("syncsim", {})
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as bad:
        raise ValueError(f"{path}: {bad}") from None
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        raise ValueError(f"{path} [tool.syncsim]: unknown key {unknown[0]!r}; keys: {', '.join(KEYS)}")
    collect = table.get("collect-features", False)
    if not isinstance(collect, bool):
        raise ValueError(f"{path} [tool.syncsim] collect-features: {collect!r} is not true or false")
    return Project(
        root=root,
        features=tuple(root / name for name in _names(path, table, "features")),
        steps=tuple(_names(path, table, "steps")),
        collect_features=collect,
    )


def _names(path: Path, table: dict[str, object], key: str) -> list[str]:
    value = table.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        raise ValueError(f"{path} [tool.syncsim] {key}: {value!r} is not a list of strings")
    return value


def builtin_features() -> Path:
    """The features that ship with syncsim (the repository's features/ in a checkout)."""
    return installed.resource("features").resolve()


def default_features(project: Project) -> tuple[list[Path], str]:
    """What to run or read when no path is given, and a few words saying where it comes from:
    the team's configured features, else ./features, else the built-in suite."""
    if project.features:
        return list(project.features), f"from {project.where}"
    local = Path("features")
    if local.is_dir() and local.resolve() != builtin_features():
        return [local], "./features"
    return [builtin_features()], "syncsim's built-in features"


def import_steps(project: Project, importer: Callable[[str], object] = importlib.import_module) -> None:
    """Import the team's step modules from the project's folder (pytest passes its own importer,
    which registers each as a plugin); a ValueError names the one that fails."""
    if project.root and project.steps and str(project.root) not in sys.path:
        sys.path.insert(0, str(project.root))
    for name in project.steps:
        try:
            importer(name)
        except ImportError as bad:
            raise ValueError(f"{project.where} steps: cannot import {name!r} ({bad})") from None
