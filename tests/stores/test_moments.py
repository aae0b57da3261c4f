"""Moments without a time zone: every store refuses them by the field's name, at create, at
update and in a run; with a zone, the issue's case (an appointment made through the Python API)
syncs and its delete syncs too."""

from datetime import UTC, datetime

import pytest

from syncsim.harness import World, schema, speed

NAIVE = datetime(2025, 11, 3, 9)
AWARE = NAIVE.replace(tzinfo=UTC)

CRM_MOMENTS = [
    (entity, name)
    for entity, declared in schema.ENTITIES.items()
    for name, kind in declared.attributes.items()
    if schema.is_moment(kind)
]
OUTLOOK_MOMENTS = [
    (kind, name)
    for kind, declared in schema.ITEM_KINDS.items()
    for name, value_type in declared.properties.items()
    if schema.is_moment(value_type) and name not in schema.OUTLOOK_SYSTEM
]


def test_every_date_attribute_and_property_is_covered():
    assert {name for _, name in CRM_MOMENTS + OUTLOOK_MOMENTS} == set(schema.MOMENT_NAMES) - set(
        schema.OUTLOOK_SYSTEM
    )
    assert len(CRM_MOMENTS) >= 10 and len(OUTLOOK_MOMENTS) >= 6


@pytest.mark.parametrize("fast", ["0", "1"])
@pytest.mark.parametrize(("entity", "name"), CRM_MOMENTS)
def test_crm_refuses_a_moment_without_a_zone(world, alice, monkeypatch, fast, entity, name):
    monkeypatch.setenv(speed.VARIABLE, fast)
    crm = world.crm_of(alice)
    message = rf"{entity}\.{name}: 2025-11-03T09:00:00 has no time zone; give one"
    with pytest.raises(ValueError, match=message):
        crm.create(entity, {name: NAIVE}, owner=alice)
    with pytest.raises(ValueError, match=message):
        crm.create_run(entity, [{}, {name: NAIVE}], owner=alice)
    assert crm.count(entity) == 0  # nothing of a refused run kept
    record_id = crm.create(entity, {"subject": "kept"} if entity != "contact" else {}, owner=alice)
    with pytest.raises(ValueError, match=message):
        crm.update(entity, record_id, {name: NAIVE})
    if name not in schema.CRM_SYSTEM:  # (the store sets those itself)
        crm.update(entity, record_id, {name: AWARE})
        assert crm.get(entity, record_id)[name] == AWARE


@pytest.mark.parametrize("fast", ["0", "1"])
@pytest.mark.parametrize(("kind", "name"), OUTLOOK_MOMENTS)
def test_outlook_refuses_a_moment_without_a_zone(world, alice, monkeypatch, fast, kind, name):
    monkeypatch.setenv(speed.VARIABLE, fast)
    box = world.outlook(alice)
    message = rf"{kind}\.{name}: 2025-11-03T09:00:00 has no time zone"
    with pytest.raises(ValueError, match=message):
        box.create(kind, {name: NAIVE})
    with pytest.raises(ValueError, match=message):
        box.create_taking(kind, [{}, {name: NAIVE}])
    assert box.find(kind) == []
    entry_id = box.create(kind, {})
    with pytest.raises(ValueError, match=message):
        box.update(entry_id, {name: NAIVE})
    box.update(entry_id, {name: AWARE})
    assert box.get(entry_id)[name] == AWARE


def test_a_recurrence_ending_without_a_zone_is_refused(world, alice):
    pattern = {"RecurrenceType": "daily", "Interval": 1, "PatternEndDate": NAIVE}
    with pytest.raises(ValueError, match=r"RecurrencePattern\.PatternEndDate: .* has no time zone"):
        world.outlook(alice).create("appointment", {"IsRecurring": True, "RecurrencePattern": pattern})


def test_the_issues_case_refused_at_create_and_with_a_zone_synced_and_deleted():
    world = World(seed=3)
    alice = world.add_user("alice")
    crm = world.crm_of(alice)
    with pytest.raises(ValueError, match=r"appointment\.scheduledstart: .* has no time zone"):
        crm.create("appointment", {"subject": "Review", "scheduledstart": NAIVE}, owner=alice)
    start = world.clock.now().replace(hour=9, minute=0, second=0, microsecond=0)
    appointment = crm.create(
        "appointment",
        {"subject": "Review", "scheduledstart": start, "scheduledend": start.replace(hour=10)},
        owner=alice,
    )
    world.sync(1)
    assert [item["Subject"] for item in world.outlook(alice).find("appointment")] == ["Review"]
    crm.delete("appointment", appointment)
    world.sync(1)
    assert world.outlook(alice).find("appointment") == []
