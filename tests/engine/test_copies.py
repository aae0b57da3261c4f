"""Copies to Outlook (harness/engine/copies.py): the function written per key order gives what reading
pair by pair gives."""

from hypothesis import given
from hypothesis import strategies as st

from syncsim.harness import mapping, schema
from syncsim.harness.engine.copies import OutlookCopier
from syncsim.harness.engine.state import Agreed
from syncsim.harness.settings import ALL_THREE, MAILING_ONLY

_PAIRS = {
    (entity, mode): mapping.pairs_for(entity, mode, None)
    for entity in ("contact", "appointment", "task")
    for mode in (MAILING_ONLY, ALL_THREE)
}


_RECORDS = st.sampled_from(sorted(_PAIRS)).flatmap(
    lambda key: st.tuples(
        st.just(key),
        st.lists(
            st.tuples(
                st.sampled_from(sorted({p.crm for p in _PAIRS[key]} | {"ownerid", "versionnumber"})),
                st.one_of(st.none(), st.sampled_from(["", "x", "Room 4"]), st.integers(0, 2), st.booleans()),
            ),
            max_size=8,
        ).map(dict),
    )
)


@given(st.lists(_RECORDS, min_size=1, max_size=6))
def test_a_copy_read_by_key_order_equals_the_copy_read_pair_by_pair(
    records: list[tuple[tuple[str, str], dict[str, object]]],
) -> None:
    """The copier's fast path (one read per known key order) gives the same properties, in the
    same order, and the same memory as reading every pair; records of one order share a shape."""
    copiers = {
        key: OutlookCopier(pairs, {"IsRecurring": False, "Mileage": "1 km"}) for key, pairs in _PAIRS.items()
    }
    for n, (key, record) in enumerate(records * 2):  # the second time, each key order is known
        properties, agreed = copiers[key].copy(record, f"id-{n}")
        slow_properties, slow_agreed = copiers[key]._one_by_one(record, f"id-{n}")
        assert properties[schema.CRM_ID] == f"id-{n}" and properties["Mileage"] == "1 km"
        assert list(properties.items()) == list(slow_properties.items())
        assert list(agreed.items()) == list(slow_agreed.items())
        assert _read_by_parts(agreed) == _read_by_parts(slow_agreed) == dict(slow_agreed)
        kept, edited = agreed.copy(), next(iter(slow_agreed))
        for memory in (agreed, slow_agreed):
            memory.update({edited: "edited"})
        assert list(agreed.items()) == list(slow_agreed.items())
        assert list(kept.items()) != list(agreed.items())  # a copy does not share the values it had


def _read_by_parts(memory: Agreed) -> dict[object, object]:
    parts = memory.parts()
    assert parts is not None
    index, values = parts
    return {key: values[n] for key, n in index.items()}
