"""The executor (harness/engine/execute.py): the bytes a write carries, counted fast and by json."""

import json

from hypothesis import example, given, settings
from hypothesis import strategies as st

from syncsim.harness.engine.execute import json_size, json_size_run

_WRITE_VALUES = st.one_of(
    st.text(),
    st.none(),
    st.booleans(),
    st.integers(),
    st.datetimes(),
    st.floats(allow_nan=False),
    st.lists(st.integers(), max_size=3),
)


@given(st.dictionaries(st.text(), _WRITE_VALUES, max_size=6))
@example({"\x7f": "DEL \x7f is escaped too"})  # found once in CI: json writes it as \u007f
@settings(max_examples=300)
def test_json_size_counts_what_json_would_write(fields: dict[str, object]) -> None:
    """The byte count of a write is the length of its JSON, fast path or not."""
    assert json_size(fields) == len(json.dumps(fields, default=str))


@given(st.lists(st.dictionaries(st.text(), _WRITE_VALUES, max_size=6), max_size=5))
@example([{"\x7f": ""}])
@example([{"FirstName": 'say "hi"', "Job\x01": "x"}, {"LastName": "Lovelace\\"}])  # escaped values and names
@example([{"Job\x01": "x", "A": "b"}, {"Job\x01": "y", "A": "c"}, {}])  # one key order twice, with an escape
@settings(max_examples=300)
def test_a_run_of_writes_counts_what_each_write_would(writes: list[dict[str, object]]) -> None:
    """A run of creates sent at once counts the bytes of each write's JSON, no more, no less."""
    assert json_size_run(writes) == sum(len(json.dumps(fields, default=str)) for fields in writes)
