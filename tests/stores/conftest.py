"""A world with one user, alice, for the stores' tests."""

import pytest

from syncsim.harness import User, World


@pytest.fixture
def world() -> World:
    return World(seed=1)


@pytest.fixture
def alice(world: World) -> User:
    return world.add_user("alice")
