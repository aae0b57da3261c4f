"""Steps for appointment attachments."""

from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from harness.scenario import Scenario, expect
from steps.common import TYPES, step

UNITS = {"bytes": 1, "KB": 1024, "MB": 1024 * 1024}
_SIZE = r"(?P<size>\d+) (?P<unit>bytes|KB|MB)"
ATTACHES = (
    r'"(?P<user>[^"]+)" attaches "(?P<filename>[^"]+)" of '
    + _SIZE
    + r' to the (?P<kind>{kind}) "(?P<label>[^"]+)" in (?P<side>CRM|Outlook)'
).format(kind=TYPES["Kind"].pattern)


@given(parsers.re(ATTACHES))
@when(parsers.re(ATTACHES))
def attaches(
    sim: Scenario, user: str, filename: str, size: str, unit: str, kind: str, label: str, side: str
) -> None:
    sim.attach(label, side, filename, int(size) * UNITS[unit])


@when(step('"{user}" removes the attachment "{filename}" from the {kind:Kind} "{label}" in {side:Side}'))
def removes(sim: Scenario, user: str, filename: str, kind: str, label: str, side: str) -> None:
    sim.detach(label, side, filename)


def _files(sim: Scenario, label: str, side: str) -> dict[str, bytes]:
    return sim.crm_attachments(label) if side == "CRM" else sim.outlook_attachments(label)


@then(step('the {kind:Kind} "{label}" in {side:Side} has no attachments'))
def no_attachments(sim: Scenario, kind: str, label: str, side: str) -> None:
    found = sorted(_files(sim, label, side))
    expect(not found, f"no attachments on the {kind} {label!r} in {side}", found, sim)


@then(step('the {kind:Kind} "{label}" in {side:Side} has no attachment "{filename}"'))
def no_attachment(sim: Scenario, kind: str, label: str, side: str, filename: str) -> None:
    found = sorted(_files(sim, label, side))
    expect(filename not in found, f"no {filename} on the {kind} {label!r} in {side}", found, sim)


@then(
    step(
        'the {kind:Kind} "{label}" in {side:Side} has the attachment "{filename}" '
        "with the bytes from {source:Side}"
    )
)
def has_attachment(sim: Scenario, kind: str, label: str, side: str, filename: str, source: str) -> None:
    found, original = _files(sim, label, side), _files(sim, label, source)
    expect(filename in found, f"{filename} on the {kind} {label!r} in {side}", sorted(found), sim)
    same = found[filename] == original.get(filename)
    expect(same, f"{filename} byte for byte as in {source}", f"{len(found[filename])} other bytes", sim)
