"""What every test shares: pytest's own tester, and hypothesis without a time limit.

A hypothesis test checks results, not speed: a deadline would make a loaded machine fail it (the
speed claims are bench/'s, measured in one run). tests/ is on the path, so the tests import
``paths``, ``stories`` and ``zoo`` from here.
"""

from hypothesis import settings

pytest_plugins = ["pytester"]

settings.register_profile("syncsim", deadline=None)
settings.load_profile("syncsim")
