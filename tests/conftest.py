"""What every test shares: pytest's own tester, hypothesis without a time limit, and an order of
work that keeps both workers of ``pytest -n auto`` busy to the end: the slowest first, handed out
one by one (an expensive fixture is used by one test only: two tests of a module may run on two
workers, each making it again).

A hypothesis test checks results, not speed: a deadline would make a loaded machine fail it (the
speed claims are bench/'s, measured in one run). tests/ is on the path, so the tests import
``paths``, ``stories`` and ``zoo`` from here.
"""

import pytest
from hypothesis import settings

pytest_plugins = ["pytester"]

settings.register_profile("syncsim", deadline=None)
settings.load_profile("syncsim")

#: the slowest modules (a fresh virtual environment, a search at the CI budget, whole runs of the
#: features), started first: a long test started last would leave the other worker idle
SLOW_FIRST = (
    "packaging/test_team_repository.py",
    "packaging/test_clone_without_links.py",
    "tools/explore/test_search.py",
    "test_speed.py",
    "tools/servers/test_command.py",
    "features/test_mutation.py",
    "tools/test_cli.py",
    "tools/test_htmlreport.py",
)


def pytest_configure(config: pytest.Config) -> None:
    """Under ``-n``, tests go to the workers one or two at a time, in order (xdist sends long
    stretches of consecutive tests by default, which would give one worker every slow module)."""
    if getattr(config.option, "dist", "no") == "load" and config.option.maxschedchunk is None:
        config.option.maxschedchunk = 1


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slowest modules first; within each part, the order as it was (pytest-randomly's)."""
    here = str(__file__).rsplit("/", 1)[0] + "/"

    def rank(item: pytest.Item) -> int:
        where = str(item.path).removeprefix(here)
        return SLOW_FIRST.index(where) if where in SLOW_FIRST else len(SLOW_FIRST)

    items.sort(key=rank)
