"""Where the tests find the repository's files (importable from any test: tests/ is on the path)."""

from pathlib import Path

#: the repository's top level
ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"
#: the sample files of every format and the reviewed traces
DATA = TESTS / "data"
FEATURES = ROOT / "features"
EXAMPLES = ROOT / "examples"
