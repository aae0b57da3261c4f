"""Steps for appointment attachments."""

from __future__ import annotations

from pytest_bdd import given, then, when

from ..harness.tools.scenario import Scenario, expect
from .common import step

ATTACHES = '"{user}" attaches "{filename}" of {size:Size} to the {kind:Kind} "{label}" in {side:Side}'


@given(step(ATTACHES))
@when(step(ATTACHES))
def attaches(sim: Scenario, user: str, filename: str, size: int, kind: str, label: str, side: str) -> None:
    """Attach a file of that size (seeded bytes) to a labelled appointment on one side."""
    sim.named(label, kind, user)
    sim.attach(label, side, filename, size)


@when(step('"{user}" removes the attachment "{filename}" from the {kind:Kind} "{label}" in {side:Side}'))
def removes(sim: Scenario, user: str, filename: str, kind: str, label: str, side: str) -> None:
    """Remove an attachment from a labelled appointment on one side."""
    sim.named(label, kind, user)
    sim.detach(label, side, filename)


def _files(sim: Scenario, label: str, side: str) -> dict[str, bytes]:
    return sim.crm_attachments(label) if side == "CRM" else sim.outlook_attachments(label)
    sim.named(label, "task")


@then(step('the {kind:Kind} "{label}" in {side:Side} has no attachments'))
def no_attachments(sim: Scenario, kind: str, label: str, side: str) -> None:
    """The labelled appointment has no attachments on that side."""
    sim.named(label, kind)
    found = sorted(_files(sim, label, side))
    expect(not found, f"no attachments on the {kind} {label!r} in {side}", found, sim)


@then(step('the {kind:Kind} "{label}" in {side:Side} has no attachment "{filename}"'))
def no_attachment(sim: Scenario, kind: str, label: str, side: str, filename: str) -> None:
    """The labelled appointment has no attachment of that name on that side."""
    sim.named(label, kind)
    found = sorted(_files(sim, label, side))
    expect(filename not in found, f"no {filename} on the {kind} {label!r} in {side}", found, sim)


@then(
    step(
        'the {kind:Kind} "{label}" in {side:Side} has the attachment "{filename}" '
        "with the bytes from {source:Side}"
    )
)
def has_attachment(sim: Scenario, kind: str, label: str, side: str, filename: str, source: str) -> None:
    """The attachment is on that side, byte for byte as on the other side."""
    sim.named(label, kind)
    found, original = _files(sim, label, side), _files(sim, label, source)
    expect(filename in found, f"{filename} on the {kind} {label!r} in {side}", sorted(found), sim)
    same = found[filename] == original.get(filename)
    expect(same, f"{filename} byte for byte as in {source}", f"{len(found[filename])} other bytes", sim)
