"""Steps for the field table: the administrator's per-field directions, and field-level security."""

from __future__ import annotations

from pytest_bdd import given, then, when

from ..harness import mapping
from ..harness.tools.scenario import KINDS, Scenario, expect
from .common import step

SETS = 'the {kind:Kind} field "{field}" to sync "{direction:Direction}"'


@given(step("the administrator sets " + SETS))
@when(step("the administrator sets " + SETS))
def admin_sets_direction(sim: Scenario, kind: str, field: str, direction: str) -> None:
    """The system administrator changes a field's sync direction (two-way, crm-to-outlook,
    outlook-to-crm, none); the field is a CRM logical name of Microsoft's table (docs/fields.md)."""
    sim.world.configure_field(by=sim.world.admin, entity=KINDS[kind], field=field, direction=direction)


@when(step('"{user}" tries to set ' + SETS))
def user_tries_direction(sim: Scenario, user: str, kind: str, field: str, direction: str) -> None:
    """Someone (perhaps "admin") tries to change a field's direction; the outcome is kept for Then steps."""
    sim.attempt(
        lambda: sim.world.configure_field(
            by=sim.world.user(user), entity=KINDS[kind], field=field, direction=direction
        )
    )


@then(step('the {kind:Kind} field "{field}" syncs "{direction:Direction}"'))
def field_syncs(sim: Scenario, kind: str, field: str, direction: str) -> None:
    """The organization's direction for the field now (Microsoft's default unless changed)."""
    row = mapping.field_row(KINDS[kind], field)
    found = sim.world.settings.field_directions.get((row.entity, row.field), row.default)
    expect(found == mapping.parse_direction(direction), direction, found, sim)


@given(step('"{user}" may read but not update the {kind:Kind} field "{field}"'))
def may_read_only(sim: Scenario, user: str, kind: str, field: str) -> None:
    """Field-level security: the field is secured, and the user's profile grants read only."""
    _secure(sim, user, kind, field, read=True, update=False)


@given(step('"{user}" may not read the {kind:Kind} field "{field}"'))
def may_not_read(sim: Scenario, user: str, kind: str, field: str) -> None:
    """Field-level security: the field is secured, and the user's profile grants nothing on it."""
    _secure(sim, user, kind, field, read=False, update=False)


def _secure(sim: Scenario, user: str, kind: str, field: str, *, read: bool, update: bool) -> None:
    world = sim.world
    world.secure_field(
        by=world.admin, user=world.user(user), entity=KINDS[kind], field=field, read=read, update=update
    )
