"""The house's layering, checked from the source: tools import the core, never the reverse; the
engine never sees the World; no core function grows past 40 lines; inside the package every
import of syncsim's own modules is relative, so the tree itself says what each file imports."""

import ast
import re
from pathlib import Path

import pytest
from paths import ROOT

HARNESS = ROOT / "harness"
CORE = sorted(p for p in HARNESS.rglob("*.py") if "tools" not in p.relative_to(HARNESS).parts)
ENGINE = sorted((HARNESS / "engine").rglob("*.py"))
PACKAGE = sorted(p for folder in ("harness", "steps") for p in (ROOT / folder).rglob("*.py"))


def package_of(path: Path) -> list[str]:
    """The package a module of the repository belongs to, by its installed name."""
    parts = ["syncsim", *path.relative_to(ROOT).with_suffix("").parts]
    return parts[:-1]


def imports(path: Path) -> set[str]:
    """Every module (and imported name) a file imports, relative imports resolved."""
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package_of(path)[: len(package_of(path)) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            if node.module:
                found.add(module)
            found |= {f"{module}.{alias.name}" for alias in node.names}
    return found


def test_relative_imports_resolve_to_the_installed_names():
    assert "syncsim.harness.schema" in imports(HARNESS / "engine" / "plan.py")
    assert "syncsim.harness.tools.scenario" in imports(ROOT / "steps" / "common.py")


@pytest.mark.parametrize("path", CORE, ids=lambda p: str(p.relative_to(HARNESS)))
def test_the_core_never_imports_a_tool(path):
    assert not [name for name in imports(path) if name.startswith("syncsim.harness.tools")]


@pytest.mark.parametrize("path", ENGINE, ids=lambda p: str(p.relative_to(HARNESS)))
def test_the_engine_never_imports_the_world(path):
    assert not [name for name in imports(path) if name.startswith("syncsim.harness.world")]


def test_the_checker_reads_no_engine_state():
    assert not [
        name for name in imports(HARNESS / "invariants.py") if name.startswith("syncsim.harness.engine")
    ]


@pytest.mark.parametrize("path", CORE, ids=lambda p: str(p.relative_to(HARNESS)))
def test_no_core_function_is_longer_than_40_lines(path):
    tree = ast.parse(path.read_text())
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno - node.lineno + 1 > 40
    ]
    assert not long


@pytest.mark.parametrize("path", PACKAGE, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_package_imports_its_own_modules_relatively(path):
    """``from ..schema import X``, never ``from syncsim.harness.schema import X``: the build
    configuration maps the folders into the package, and a relative import is the one form that
    the tree and the installed package read alike (for static tools too)."""
    tree = ast.parse(path.read_text())
    absolute = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom | ast.Import)
        and not getattr(node, "level", 0)
        and any(name.split(".")[0] in {"syncsim", "harness", "steps"} for name in _names(node))
    ]
    assert not absolute


def _names(node: ast.Import | ast.ImportFrom) -> list[str]:
    return [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]


OUTSIDE = sorted(p for folder in ("tests", "bench", "examples") for p in (ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("path", OUTSIDE, ids=lambda p: str(p.relative_to(ROOT)))
def test_everything_outside_imports_syncsim_under_its_installed_name(path):
    """``harness`` and ``steps`` are folders of the repository; imported by those names they would
    be second copies of syncsim's modules (and clash with a team's own ``steps``)."""
    assert not [name for name in imports(path) if name.split(".")[0] in {"harness", "steps"}]


def test_no_test_has_a_time_limit():
    """Hypothesis tests check results, not speed (tests/conftest.py sets no deadline); the speed
    claims are bench/'s, measured in one run."""
    from hypothesis import settings

    assert settings.default.deadline is None
    timed = re.compile(r"deadline\s*=\s*(?!None)")
    this = Path(__file__).resolve()
    assert not [
        f"{path.relative_to(ROOT)}:{n}"
        for path in sorted((ROOT / "tests").rglob("*.py"))
        if path.resolve() != this
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if timed.search(line)
    ]
