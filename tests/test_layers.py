"""The house's layering, checked from the source: tools import the core, never the reverse; the
engine never sees the World; no core function grows past 40 lines."""

import ast
from pathlib import Path

import pytest

HARNESS = Path(__file__).resolve().parents[1] / "harness"
CORE = sorted(p for p in HARNESS.rglob("*.py") if "tools" not in p.relative_to(HARNESS).parts)
ENGINE = sorted((HARNESS / "engine").rglob("*.py"))


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


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


ROOT = HARNESS.parent
EVERY_MODULE = sorted(
    p for folder in ("harness", "steps", "tests", "bench") for p in (ROOT / folder).rglob("*.py")
)


@pytest.mark.parametrize("path", EVERY_MODULE, ids=lambda p: str(p.relative_to(ROOT)))
def test_everything_imports_syncsim_under_its_installed_name(path):
    """``harness`` and ``steps`` are folders of the repository; imported by those names they would
    be second copies of syncsim's modules (and clash with a team's own ``steps``)."""
    assert not [name for name in imports(path) if name.split(".")[0] in {"harness", "steps"}]
