"""Field reconciliation (harness/engine/reconcile.py): conflicts, the re-mapping source, empty values,
and the fast reading of the pairs that may have moved."""

from hypothesis import given
from hypothesis import strategies as st
from worlds import one_user, synced

from syncsim.harness import mapping
from syncsim.harness.engine.reconcile import _ABSENT, _moved
from syncsim.harness.engine.state import Agreed, Link
from syncsim.harness.mapping import KeyIndex
from syncsim.harness.settings import ALL_THREE
from syncsim.harness.tools.scenario import Scenario


def test_a_conflict_goes_to_the_side_changed_last_and_reports_both_values():
    sim = synced("contact", "Ann")
    sim.edit("Ann", "CRM", {"jobtitle": "Pilot"})
    sim.world.clock.advance(60)
    sim.edit("Ann", "Outlook", {"JobTitle": "Captain"})
    report = sim.sync()
    [conflict] = [e for e in report.events if e.outcome == "conflict"]
    assert "'Pilot'" in conflict.detail and "'Captain'" in conflict.detail
    assert conflict.detail.endswith("outlook won")
    assert sim.view("Ann", "CRM")["jobtitle"] == "Captain"
    [loss] = report.losses
    assert (loss.side, loss.field, loss.old, loss.new) == ("crm", "jobtitle", "Pilot", "Captain")


def test_a_conflict_at_the_same_moment_goes_to_crm():
    sim = synced("task", "Call")
    sim.edit("Call", "CRM", {"subject": "Call Ann"})
    sim.edit("Call", "Outlook", {"Subject": "Call Ben"})
    sim.sync()
    assert sim.view("Call", "Outlook")["Subject"] == "Call Ann"


def test_the_remap_source_is_read_by_the_engine(monkeypatch):
    """interpretations.REMAP_SOURCE decides which side a newly mapped field pair takes."""
    from syncsim.harness import interpretations

    def remap(source: str):
        monkeypatch.setattr(interpretations, "REMAP_SOURCE", source)
        world, alice = one_user()
        sim = Scenario(world)
        sim.create(alice, "contact", "Ann", "CRM", {"address2_city": "Oslo"})
        sim.sync()
        sim.edit("Ann", "Outlook", {"HomeAddressCity": "Bergen"})
        world.configure(by=world.admin, contact_address_sync="all-three")
        report = sim.sync()
        assert sim.violations == []
        lost = [(loss.side, loss.field, loss.old, loss.new) for loss in report.losses]
        return sim.view("Ann", "CRM")["address2_city"], sim.view("Ann", "Outlook")["HomeAddressCity"], lost

    assert remap("crm") == ("Oslo", "Oslo", [("outlook", "HomeAddressCity", "Bergen", "Oslo")])
    assert remap("outlook") == ("Bergen", "Bergen", [("crm", "address2_city", "Oslo", "Bergen")])


def test_empty_text_and_a_missing_value_are_the_same_value():
    sim = synced("contact", "Ann")
    sim.edit("Ann", "CRM", {"telephone3": ""})
    assert sim.view("Ann", "Outlook").get("OtherTelephoneNumber") is None
    report = sim.sync()
    assert report.writes == 0 and report.events == []


_CONTACT_PAIRS = mapping.pairs_for("contact", ALL_THREE, None)


_SOME_VALUES = st.sampled_from([None, "", "Oslo", "Bergen", 0, 1])


@given(
    st.lists(
        st.tuples(st.sampled_from(_CONTACT_PAIRS.pairs), _SOME_VALUES, _SOME_VALUES, _SOME_VALUES),
        max_size=20,
    ),
    st.booleans(),
)
def test_the_pairs_that_may_have_moved_are_every_pair_not_plainly_unchanged(rows, remember_all) -> None:
    """The fast reading of which pairs moved (names and places worked out once) keeps exactly
    the pairs whose values are not both the remembered one, and every pair not plain."""
    index = KeyIndex.of(tuple(p.key for p in _CONTACT_PAIRS))
    memory = Agreed(index, [None] * len(index)) if remember_all else Agreed(index, [])
    record: dict[str, object] = {}
    item: dict[str, object] = {}
    for pair, last, crm, outlook in rows:
        memory.update({pair.key: last})
        record[pair.crm], item[pair.outlook] = crm, outlook
    link = Link("contact", "c-1", "e-1", memory)
    expected = tuple(
        p
        for p in _CONTACT_PAIRS
        if not (p.plain and record.get(p.crm) == memory.get(p.key, _ABSENT) == item.get(p.outlook))
    )
    assert _moved(link, record, item, _CONTACT_PAIRS) == expected
