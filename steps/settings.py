"""Steps for the Synchronization tab: who changes it, and what it holds."""

from __future__ import annotations

from typing import Any

from pytest_bdd import given, then, when

from ..harness.settings import TAB, setting
from ..harness.tools.scenario import Scenario, expect
from .common import step


def _table(datatable: list[list[str]]) -> dict[str, Any]:
    """| setting | value | rows as typed values (a header row is optional)."""
    rows = datatable[1:] if datatable[0] == ["setting", "value"] else datatable
    return {name: setting(name).parse(value) for name, value in rows}


@given(step('the administrator sets "{name:Setting}" to "{value}"'))
@when(step('the administrator sets "{name:Setting}" to "{value}"'))
def admin_sets(sim: Scenario, name: str, value: str) -> None:
    """The system administrator changes one setting (true/false, mailing-only/all-three)."""
    sim.world.configure(by=sim.world.admin, **{name: setting(name).parse(value)})


@given(step('the organization follows the "{profile}" profile'))
def follows_profile(sim: Scenario, profile: str) -> None:
    """The product and era whose documented behaviour the organization follows: "crm2015" (the
    default: CRM 2015 and the delete page) or "d365" (Dynamics 365 server-side sync's pages)."""
    sim.world.configure(by=sim.world.admin, profile=setting("profile").parse(profile))


@given("the administrator sets:")
@when("the administrator sets:")
def admin_sets_table(sim: Scenario, datatable: list[list[str]]) -> None:
    """The system administrator changes several settings: | setting | value | rows."""
    sim.world.configure(by=sim.world.admin, **_table(datatable))


@when(step('"{user}" tries to set "{name:Setting}" to "{value:Quoted}"'))
def user_tries(sim: Scenario, user: str, name: str, value: str) -> None:
    """A user tries to change a setting of their organization; the outcome is kept for the Then steps."""
    _attempt(sim, user, None, name, value)


@when(step('"{user}" tries to set "{name:Setting}" to "{value:Quoted}" in the organization "{org}"'))
def user_tries_in(sim: Scenario, user: str, name: str, value: str, org: str) -> None:
    """A user tries to change a setting of a named organization (perhaps not their own)."""
    _attempt(sim, user, org, name, value)


def _attempt(sim: Scenario, user: str, org: str | None, name: str, value: str) -> None:
    """Only the last attempt counts: its refusal, or None when it went through."""
    by = sim.world.user(user)
    sim.attempt(lambda: sim.world.configure(by=by, organization=org, **{name: setting(name).parse(value)}))


@then("the change is refused")
def refused(sim: Scenario) -> None:
    """The last attempt (a "tries to" step) was refused: no permission (only an organization's
    administrators change its settings), a value out of range, a fixed field, a limit."""
    expect(sim.error is not None, "the change refused", "it went through", sim)


@then(step('the change is refused because "{reason:Quoted}"'))
def refused_because(sim: Scenario, reason: str) -> None:
    """The last attempt was refused, and the refusal says this (a part of its message)."""
    expect(reason in str(sim.error or ""), f'the change refused because "{reason}"', sim.error, sim)


@then("the change goes through")
def went_through(sim: Scenario) -> None:
    """The last attempt to change a setting was not refused."""
    expect(sim.error is None, "the change made", sim.error, sim)


@then(step('the setting "{name:Setting}" is "{value}"'))
def setting_is(sim: Scenario, name: str, value: str) -> None:
    """The setting has this value now (in the scenario's own organization, Contoso)."""
    found = getattr(sim.world.settings, name)
    expect(found == setting(name).parse(value), f"{name} = {value}", found, sim)


@then("the Synchronization settings are:")
def settings_are(sim: Scenario, datatable: list[list[str]]) -> None:
    """The whole Synchronization tab holds exactly these values: | setting | value | rows, each listed."""
    expected = _table(datatable)
    found = {name: value for name, value in sim.world.settings.as_dict().items() if name in TAB}
    expect(found == expected, expected, found, sim)
    assert set(expected) == set(TAB), "list every setting of the tab"
