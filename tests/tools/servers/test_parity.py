"""The parity suite: Microsoft's own documented request/response examples replayed against the
faces (tests/parity.py), and docs/coverage.md, which lists each documented operation as served,
partly (what differs) or not served, kept equal to what the replay finds. When the faces change,
regenerate it with ``SYNCSIM_UPDATE_GOLDEN=1 pytest tests/tools/servers/test_parity.py`` and
review the diff: a match that became a difference is a regression of the face."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from parity import COVERAGE, Replay, compare, coverage, examples, replay_all

from syncsim.harness.tools.servers.app import Server
from syncsim.harness.tools.servers.backend import Backend
from syncsim.harness.world import World


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with Server(Backend(World(seed=0))) as running:
        yield running


def test_at_least_sixty_documented_examples_each_with_its_page():
    found = examples()
    assert len(found) >= 60
    assert all(e.repository and len(e.commit) == 40 and e.page.endswith(".md") for e in found)
    assert all(
        e.request["method"] in ("GET", "POST", "PATCH", "PUT", "DELETE") and e.response["status"]
        for e in found
    )


def test_docs_coverage_is_what_the_replay_finds(server):
    text = coverage(replay_all(server))
    if os.environ.get("SYNCSIM_UPDATE_GOLDEN"):
        COVERAGE.write_text(text)
    assert text == COVERAGE.read_text()


def test_a_documented_example_that_matches_in_full_stops_matching_when_the_face_changes(server):
    """The comparison can fail: the delete of a contact matches, and an answer with another
    status, or without a documented property, is named as a difference."""
    (delete,) = [e for e in examples() if e.name == "contact-delete#1"]
    assert Replay(server).run(delete).verdict == "matches"
    (get,) = [e for e in examples() if e.name == "contact-get#1"]
    import httpx

    wrong = httpx.Response(200, json={"@odata.context": "x", "id": 5})
    outcome = compare(get, wrong)
    assert outcome.verdict == "differs"
    assert any(d.startswith("lacks ") and "givenName" in d for d in outcome.differences)
    assert "types differ: id (number, documented string)" in outcome.differences
    assert compare(delete, httpx.Response(200)).differences == ["status 200, documented 204"]
