"""Steps for time passing with background sync: intervals, server-side rhythm, failing mailboxes."""

from __future__ import annotations

from datetime import timedelta

from pytest_bdd import given, then, when

from ..harness.sim.network import Faults
from ..harness.tools.scenario import Scenario, expect
from .common import step


@when(step("{minutes:d} minutes pass with sync running"))
@when(step("{minutes:d} minute passes with sync running"))
def minutes_with_sync(sim: Scenario, minutes: int) -> None:
    """Time passes and every mailbox syncs whenever its channel makes it due."""
    sim.run(minutes)


@given(step('"{user}" sets the sync interval to {minutes:d} minutes'))
def sets_interval(sim: Scenario, user: str, minutes: int) -> None:
    """A CRM for Outlook user's own option: synchronize every N minutes."""
    sim.world.set_user_options(sim.world.user(user), sync_interval_minutes=minutes)


@when(step('"{user}" tries to set the sync interval to {minutes:d} minutes'))
def tries_interval(sim: Scenario, user: str, minutes: int) -> None:
    """The same, kept for the Then steps if it is refused."""
    sim.attempt(lambda: sets_interval(sim, user, minutes))


@then(step('the sync interval of "{user}" is {minutes:d} minutes'))
def interval_is(sim: Scenario, user: str, minutes: int) -> None:
    """The user's sync interval now."""
    found = sim.world.user_options(sim.world.user(user)).sync_interval_minutes
    expect(found == minutes, f"{minutes} minutes", f"{found} minutes ({sim.error})", sim)


@then(step('the mailbox of "{user}" synced {count:d} times'))
def synced_times(sim: Scenario, user: str, count: int) -> None:
    """The user's mailbox ran exactly this many cycles in the last stretch of time."""
    found = sim.cycles_of(user)
    expect(found == count, f"{count} cycles", found, sim)


@then(step('the mailbox of "{user}" synced between {low:d} and {high:d} times'))
def synced_between(sim: Scenario, user: str, low: int, high: int) -> None:
    """The user's mailbox ran from low to high cycles in the last stretch of time."""
    found = sim.cycles_of(user)
    expect(low <= found <= high, f"{low} to {high} cycles", found, sim)


@then(step('each cycle of "{user}" started at least {minutes:d} minutes after the one before ended'))
def paused_after_each(sim: Scenario, user: str, minutes: int) -> None:
    """In the last stretch of time, the mailbox never started a cycle sooner than this after the
    end of the one before."""
    pauses = sim.pauses_of(user)
    found = ", ".join(f"{p / 60:.1f}" for p in pauses) or "fewer than two cycles"
    expect(bool(pauses) and min(pauses) >= minutes * 60, f"pauses of {minutes} minutes or more", found, sim)


@then(step('a cycle of "{user}" started as soon as the one before ended'))
def started_at_once(sim: Scenario, user: str) -> None:
    """In the last stretch of time, one of the mailbox's cycles started the moment the one before
    it ended (it was due before that)."""
    pauses = sim.pauses_of(user)
    found = ", ".join(f"{p / 60:.1f}" for p in pauses) or "fewer than two cycles"
    expect(0.0 in pauses, "a pause of 0 minutes", found, sim)


@given(step("the network is down for {minutes:d} minutes"))
def network_down(sim: Scenario, minutes: int) -> None:
    """From now on, for that long, every write fails."""
    now = sim.world.clock.now()
    sim.world.network.inject(Faults(down=(now, now + timedelta(minutes=minutes))))


@then(step('the mailbox of "{user}" is disabled'))
def is_disabled(sim: Scenario, user: str) -> None:
    """Server-side sync gave up on the mailbox: it no longer syncs."""
    expect(not sim.world.mailbox_enabled(sim.world.user(user)), f"{user}'s mailbox disabled", "enabled", sim)


@then(step('the mailbox of "{user}" is enabled'))
def is_enabled(sim: Scenario, user: str) -> None:
    """The mailbox syncs."""
    expect(sim.world.mailbox_enabled(sim.world.user(user)), f"{user}'s mailbox enabled", "disabled", sim)


@when(step('the administrator enables the mailbox of "{user}"'))
def admin_enables(sim: Scenario, user: str) -> None:
    """The administrator tests and enables a disabled mailbox."""
    sim.world.enable_mailbox(sim.world.user(user), by=sim.world.admin)
