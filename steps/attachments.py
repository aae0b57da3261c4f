"""Steps for appointment attachments."""

from __future__ import annotations

from pytest_bdd import given, then, when

from ..harness.tools.scenario import Scenario, expect
from .common import step

ATTACHES = '"{user}" attaches "{filename}" of {size:Size} to the {kind:Appointment} "{label}" in {side:Side}'


@given(step(ATTACHES))
@when(step(ATTACHES))
def attaches(sim: Scenario, user: str, filename: str, size: int, kind: str, label: str, side: str) -> None:
    """Attach a file of that size (seeded bytes) to a labelled appointment on one side."""
    sim.named(label, kind, user)
    sim.attach(label, side, filename, size)


@when(
    step('"{user}" removes the attachment "{filename}" from the {kind:Appointment} "{label}" in {side:Side}')
)
def removes(sim: Scenario, user: str, filename: str, kind: str, label: str, side: str) -> None:
    """Remove an attachment from a labelled appointment on one side."""
    sim.named(label, kind, user)
    sim.detach(label, side, filename)


def _files(sim: Scenario, label: str, side: str, user: str | None = None) -> dict[str, bytes]:
    if side == "CRM":
        return sim.crm_attachments(label)
    return sim.outlook_attachments(label, sim.reader(label, user))


OF = 'the {kind:Appointment} "{label}" in the Outlook of "{user}"'
IN = 'the {kind:Appointment} "{label}" in {side:Side}'


@then(step(IN + " has no attachments"))
@then(step(OF + " has no attachments"))
def no_attachments(
    sim: Scenario, kind: str, label: str, side: str = "Outlook", user: str | None = None
) -> None:
    """The labelled appointment has no attachments on that side (or in that user's Outlook)."""
    sim.named(label, kind)
    found = sorted(_files(sim, label, side, user))
    expect(not found, f"no attachments on the {kind} {label!r} in {_where(side, user)}", found, sim)


@then(step(IN + ' has no attachment "{filename}"'))
@then(step(OF + ' has no attachment "{filename}"'))
def no_attachment(
    sim: Scenario, kind: str, label: str, filename: str, side: str = "Outlook", user: str | None = None
) -> None:
    """The labelled appointment has no attachment of that name on that side."""
    sim.named(label, kind)
    found = sorted(_files(sim, label, side, user))
    expect(
        filename not in found, f"no {filename} on the {kind} {label!r} in {_where(side, user)}", found, sim
    )


@then(step(IN + ' has the attachment "{filename}"'))
@then(step(OF + ' has the attachment "{filename}"'))
def has_the_attachment(
    sim: Scenario, kind: str, label: str, filename: str, side: str = "Outlook", user: str | None = None
) -> None:
    """The attachment is on that side (its bytes not compared)."""
    sim.named(label, kind)
    _attachment(sim, kind, label, filename, side, user)


@then(step(IN + ' has the attachment "{filename}" of {size:Size}'))
def has_attachment_of(sim: Scenario, kind: str, label: str, side: str, filename: str, size: int) -> None:
    """The attachment is on that side and has that size."""
    sim.named(label, kind)
    content = _attachment(sim, kind, label, filename, side)
    expect(len(content) == size, f"{filename} of {size:,} bytes", f"{len(content):,} bytes", sim)


@then(step(IN + ' has the attachment "{filename}" with the bytes from {source:Side}'))
@then(step(OF + ' has the attachment "{filename}" with the bytes from {source:Side}'))
def has_attachment(
    sim: Scenario,
    kind: str,
    label: str,
    filename: str,
    source: str,
    side: str = "Outlook",
    user: str | None = None,
) -> None:
    """The attachment is on that side, byte for byte as on the other side."""
    sim.named(label, kind)
    content = _attachment(sim, kind, label, filename, side, user)
    original = _files(sim, label, source, user if source == "Outlook" else None).get(filename)
    expect(
        content == original, f"{filename} byte for byte as in {source}", f"{len(content)} other bytes", sim
    )


def _attachment(
    sim: Scenario, kind: str, label: str, filename: str, side: str, user: str | None = None
) -> bytes:
    found = _files(sim, label, side, user)
    expect(
        filename in found, f"{filename} on the {kind} {label!r} in {_where(side, user)}", sorted(found), sim
    )
    return found[filename]


def _where(side: str, user: str | None) -> str:
    return f"the Outlook of {user}" if user else side
