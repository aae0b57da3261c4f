"""What the server tests share: a server over HTTPS for a module, whose world each test sets."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from syncsim.harness.tools.servers.app import Server
from syncsim.harness.tools.servers.backend import Backend
from syncsim.harness.world import World


@pytest.fixture(scope="module")
def https_server() -> Iterator[Server]:
    """One HTTPS server (its own local CA) for the module; a test gives it its world with
    ``backend.use`` (tokens are the new world's, faults and page limits too)."""
    with Server(Backend(World(seed=0)), tls=True) as running:
        yield running
