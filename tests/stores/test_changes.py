"""The change log both stores append to (harness/stores/changes.py)."""

from syncsim.harness.stores.changes import ChangeLog


def test_change_log_reads_each_changed_key_once_after_the_watermark():
    log = ChangeLog()
    for key in ("a", "b", "a", "c"):
        log.record(key)
    assert list(log.since(0)) == ["a", "b", "c"]
    assert list(log.since(2)) == ["a", "c"]
    assert list(log.since(log.seq)) == []
