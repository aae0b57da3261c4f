"""Steps for what exploration finds: deletes, tracking, network faults, and the invariants."""

from __future__ import annotations

from pytest_bdd import given, then, when

from ..harness.tools.scenario import Scenario, expect
from .common import step


@given(step('"{user}" deletes the {kind:Kind} "{label}" in {side:Side}'))
@when(step('"{user}" deletes the {kind:Kind} "{label}" in {side:Side}'))
def deletes(sim: Scenario, user: str, kind: str, label: str, side: str) -> None:
    """Delete a labelled item on one side."""
    sim.named(label, kind, user)
    sim.delete(label, side)


@given(step('"{user}" stops tracking the {kind:Kind} "{label}" in Outlook'))
@when(step('"{user}" stops tracking the {kind:Kind} "{label}" in Outlook'))
def untracks(sim: Scenario, user: str, kind: str, label: str) -> None:
    """Untrack a labelled Outlook item (it stays in Outlook; sync lets go of it)."""
    sim.named(label, kind, user)
    sim.track(label, tracked=False)


@given(step('"{user}" tracks the {kind:Kind} "{label}" in Outlook'))
@when(step('"{user}" tracks the {kind:Kind} "{label}" in Outlook'))
def tracks(sim: Scenario, user: str, kind: str, label: str) -> None:
    """Track a labelled Outlook item in CRM again."""
    sim.named(label, kind, user)
    sim.track(label, tracked=True)


@given(step('"{user}" stops tracking their copy of the {kind:Kind} "{label}"'))
@when(step('"{user}" stops tracking their copy of the {kind:Kind} "{label}"'))
def untracks_copy(sim: Scenario, user: str, kind: str, label: str) -> None:
    """Untrack the user's own copy of a record someone else holds (a colleague's, an assigner's)."""
    sim.named(label, kind)
    sim.track(label, tracked=False, user=user)


@then(step('the {kind:Kind} "{label}" in Outlook is tracked'))
@then(step('the {kind:Kind} "{label}" in the Outlook of "{user}" is tracked'))
def is_tracked(sim: Scenario, kind: str, label: str, user: str | None = None) -> None:
    """The labelled item is in the Outlook read (its holder's, or the user's) and tracked in CRM."""
    sim.named(label, kind)
    found = sim.in_outlook(label, sim.reader(label, user))
    expect(found is not None and found["crmLinkState"] == 2, f"the {kind} {label!r} tracked", found, sim)


@then(step('the {kind:Kind} "{label}" in Outlook is not tracked'))
@then(step('the {kind:Kind} "{label}" in the Outlook of "{user}" is not tracked'))
def is_not_tracked(sim: Scenario, kind: str, label: str, user: str | None = None) -> None:
    """The labelled item is in the Outlook read, not tracked in CRM (sync has let go of it)."""
    sim.named(label, kind)
    found = sim.in_outlook(label, sim.reader(label, user))
    expect(found is not None and found["crmLinkState"] != 2, f"the {kind} {label!r} untracked", found, sim)


@given(step("the network fails write {ahead:d} from now"))
@when(step("the network fails write {ahead:d} from now"))
def fails_write(sim: Scenario, ahead: int) -> None:
    """That write fails before anything is written (1 is the next write)."""
    sim.world.network.fail_write(ahead)


@given(step("the network loses the response to write {ahead:d} from now"))
@when(step("the network loses the response to write {ahead:d} from now"))
def loses_response(sim: Scenario, ahead: int) -> None:
    """That write is applied, but the engine never hears so (a timeout)."""
    sim.world.network.fail_write(ahead, lose_response=True)


@given(step("the network throttles write {ahead:d} from now, retry after {seconds:d} seconds"))
@when(step("the network throttles write {ahead:d} from now, retry after {seconds:d} seconds"))
def throttles(sim: Scenario, ahead: int, seconds: int) -> None:
    """That write is refused with 429 Too Many Requests and Retry-After; until that time has
    passed every write is refused again (Dataverse service protection, Graph throttling)."""
    sim.world.network.throttle_write(ahead, retry_after=seconds)


@given(step("the network answers 503 to write {ahead:d} from now, retry after {seconds:d} seconds"))
@when(step("the network answers 503 to write {ahead:d} from now, retry after {seconds:d} seconds"))
def server_busy(sim: Scenario, ahead: int, seconds: int) -> None:
    """That write is refused with 503 Service Unavailable (server busy) and Retry-After; until that
    time has passed every write is refused again."""
    sim.world.network.throttle_write(ahead, retry_after=seconds, busy=True)


@given(step("the network answers 412 to write {ahead:d} from now"))
@when(step("the network answers 412 to write {ahead:d} from now"))
def precondition_failed(sim: Scenario, ahead: int) -> None:
    """That write is refused with 412 Precondition Failed (a stale version): nothing is written."""
    sim.world.network.stale_write(ahead)


@given(step('the next {count:d} writes of "{user}" fail'))
@when(step('the next {count:d} writes of "{user}" fail'))
def fails_writes_of(sim: Scenario, count: int, user: str) -> None:
    """That user's next writes fail before anything is written; everyone else's go through."""
    sim.world.network.fail_writes_of(sim.world.user(user).name, count)


@given(step("the network fails writes {ahead:d} to {last:d} of the next cycle"))
@when(step("the network fails writes {ahead:d} to {last:d} of the next cycle"))
def fails_in_next_cycle(sim: Scenario, ahead: int, last: int) -> None:
    """A batch failing part way inside one cycle: those writes of the next cycle fail, and what
    the cycle did not reach of them does not fail in the cycle after."""
    sim.world.network.fail_in_next_cycle(ahead, last)


@given(step("the network fails writes {ahead:d} to {last:d} from now"))
@when(step("the network fails writes {ahead:d} to {last:d} from now"))
def fails_batch(sim: Scenario, ahead: int, last: int) -> None:
    """A batch that fails part way: those writes fail, the ones before them went through."""
    sim.world.network.fail_batch(ahead, last - ahead + 1)


@then("the sync kept its invariants")
def kept_invariants(sim: Scenario) -> None:
    """No silent loss, duplicate or early write (before a Retry-After) in the last sync."""
    expect(not sim.violations, "no invariant broken", [str(v) for v in sim.violations], sim)


@then("sync settles with both sides in agreement")
def settles(sim: Scenario) -> None:
    """With no more edits, a cycle soon writes nothing, and every mapped field is equal on both sides."""
    found = sim.settle()
    expect(not found, "sync settles, both sides equal", [str(v) for v in found], sim)
