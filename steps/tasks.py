"""Steps for tasks assigned in Outlook."""

from __future__ import annotations

from pytest_bdd import given, parsers, when

from harness.scenario import Scenario

ASSIGNS = r'"(?P<user>[^"]+)" assigns the task "(?P<label>[^"]+)" to (?P<recipients>.+)'


@given(parsers.re(ASSIGNS))
@when(parsers.re(ASSIGNS))
def assigns(sim: Scenario, user: str, label: str, recipients: str) -> None:
    """Recipients: "bob", or "bob" and "carol", or "someone@example.com": users or addresses."""
    sim.assign(label, [name for name in recipients.split('"')[1::2]])
