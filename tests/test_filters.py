"""Sync filters in FetchXML: what parses, what is refused (one clear line), and what matches."""

from datetime import UTC, datetime

import pytest
from paths import DATA, EXAMPLES

from syncsim.harness import World
from syncsim.harness.filters import DEFAULTS, FilterError, parse
from syncsim.harness.tools.cli import main

FILTERS = DATA / "filters"
WHATIF = [
    "whatif",
    "--crm",
    str(EXAMPLES / "crm-contacts.csv"),
    "--outlook",
    str(EXAMPLES / "outlook-contacts.vcf"),
]


def test_a_real_shaped_filter_parses_and_matches():
    sync_filter = parse((FILTERS / "active-oslo-contacts.xml").read_text(), "Oslo")
    me = "user-1"
    assert sync_filter.entity == "contact"
    assert sync_filter.matches({"ownerid": me, "statecode": 0, "address1_city": "Oslo"}, me)
    assert sync_filter.matches({"ownerid": me, "statecode": 0, "address1_city": "Trondheim"}, me)
    assert not sync_filter.matches({"ownerid": me, "statecode": 1, "address1_city": "Oslo"}, me)
    assert not sync_filter.matches({"ownerid": "other", "statecode": 0, "address1_city": "Oslo"}, me)
    assert not sync_filter.matches({"ownerid": me, "statecode": 0, "address1_city": "Stavanger"}, me)


@pytest.mark.parametrize(
    ("operator", "value", "record", "expected"),
    [
        ("ne", "Pilot", {"jobtitle": "Captain"}, True),
        ("not-in", "<value>Pilot</value>", {"jobtitle": "Pilot"}, False),
        ("null", None, {"jobtitle": ""}, True),
        ("not-null", None, {"jobtitle": "Pilot"}, True),
        ("ne-userid", None, {"ownerid": "me"}, False),
        ("like", "%lot", {"jobtitle": "Pilot"}, True),
        ("on-or-after", "2026-01-05", {"createdon": datetime(2026, 1, 5, 23, tzinfo=UTC)}, True),
        ("on-or-before", "2026-01-04", {"createdon": datetime(2026, 1, 5, tzinfo=UTC)}, False),
    ],
)
def test_each_operator(operator, value, record, expected):
    attribute = next(iter(record))
    inner = value if value and value.startswith("<") else ""
    value_attr = f' value="{value}"' if value and not inner else ""
    xml = (
        f'<fetch><entity name="contact"><filter><condition attribute="{attribute}" operator="{operator}"'
        f"{value_attr}>{inner}</condition></filter></entity></fetch>"
    )
    assert parse(xml).matches(record, "me") is expected


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("unknown-operator.xml", "operator 'begins-with' is not supported; supported: eq, ne, in"),
        ("bad-xml.xml", "not well-formed XML at line 1, column"),
        ("unknown-attribute.xml", "contact has no attribute 'shoesize'; syncsim fields --entity contact"),
        ("billion-laughs.xml", "refused: the FetchXML declares a DTD or entities"),
    ],
)
def test_a_bad_filter_is_one_clear_error_from_the_api_and_exit_2_from_the_cli(name, message, capsys):
    with pytest.raises(FilterError, match=message):
        parse((FILTERS / name).read_text())
    assert main([*WHATIF, "--filter", str(FILTERS / name)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and message.split(";")[0] in err and name in err


def test_the_default_filters_take_active_records_the_user_owns():
    assert DEFAULTS["contact"].matches({"ownerid": "me", "statecode": 0}, "me")
    assert not DEFAULTS["contact"].matches({"ownerid": "me", "statecode": 1}, "me")
    assert DEFAULTS["task"].matches({"ownerid": "me", "statecode": 1}, "me")


def test_whatif_with_a_filter_lists_the_records_that_would_leave_outlook(capsys):
    assert main([*WHATIF, "--filter", str(FILTERS / "active-oslo-contacts.xml")]) == 0
    out = capsys.readouterr().out
    assert out.count("would leave Outlook:") == 8 and "8 would leave Outlook, 0 would enter it" in out


def test_system_filters_are_for_administrators_and_reach_every_user():
    world = World()
    alice = world.add_user("alice")
    xml = (
        (FILTERS / "active-oslo-contacts.xml")
        .read_text()
        .replace('operator="eq-userid"', 'operator="not-null"')
    )
    with pytest.raises(PermissionError, match="only an administrator adds system filters"):
        world.add_system_filter(by=alice, fetchxml=xml)
    world.add_system_filter(by=world.admin, fetchxml=xml)
    assert len(world.filters(alice, "contact")) == 2


@pytest.mark.parametrize("first_mine", [True, False], ids=["owner-first", "owner-last"])
@pytest.mark.parametrize("extra", ["", '<condition attribute="jobtitle" operator="eq" value="Pilot"/>'])
def test_equalities_joined_by_and_match_as_each_condition_says(first_mine, extra):
    """The default filters' shape (the user's own, one attribute equal) is one test; any other
    and, such as a third condition, still asks every part. Either way each part must hold."""
    mine = '<condition attribute="ownerid" operator="eq-userid"/>'
    active = '<condition attribute="statecode" operator="eq" value="0"/>'
    conditions = mine + active if first_mine else active + mine
    xml = f'<fetch><entity name="contact"><filter type="and">{conditions}{extra}</filter></entity></fetch>'
    sync_filter = parse(xml)
    for owner in ("me", "other", None):
        for state in (0, 1, None):
            for job in ("Pilot", "Cook"):
                record = {"ownerid": owner, "statecode": state, "jobtitle": job}
                expected = owner == "me" and state == 0 and (not extra or job == "Pilot")
                assert sync_filter.matches(record, "me") is expected, record


def test_a_misspelt_attribute_is_answered_with_the_closest_names():
    condition = '<condition attribute="jobtitel" operator="eq" value="x"/>'
    misspelt = f'<fetch><entity name="contact"><filter>{condition}</filter></entity></fetch>'
    with pytest.raises(FilterError, match=r"has no attribute 'jobtitel'; closest: jobtitle$"):
        parse(misspelt)
