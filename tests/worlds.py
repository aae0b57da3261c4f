"""Small worlds the engine's tests share."""

from syncsim.harness import User, World
from syncsim.harness.tools.scenario import Scenario


def one_user(channel: str = "outlook", seed: int = 3) -> tuple[World, User]:
    """A world with one user, alice, syncing through ``channel``."""
    world = World(seed=seed)
    return world, world.add_user("alice", channel=channel)


def synced(kind: str, label: str) -> Scenario:
    """A world with one item made in CRM and synced once."""
    world, alice = one_user()
    sim = Scenario(world)
    sim.create(alice, kind, label, "CRM")
    sim.sync()
    return sim
