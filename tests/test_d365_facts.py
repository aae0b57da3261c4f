"""docs/d365-facts.md: each of the part 2 facts (N1 to N52) honoured by a rule with scenarios,
matching with no rule of its own, or declared with why not."""

import re

from paths import ROOT

from syncsim.harness.rules import RULES
from syncsim.harness.tools import features

TABLE = ROOT / "docs" / "d365-facts.md"
SCENARIOS = features.scenarios([ROOT / "features"])


def _rows() -> list[tuple[str, str, str]]:
    rows = []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if line.startswith("| N") and len(cells) == 3:
            rows.append((cells[0], cells[1], cells[2]))
    return rows


def test_every_part_2_fact_is_there_once():
    assert [fact for fact, _, _ in _rows()] == [f"N{n}" for n in range(1, 53)]


def test_each_fact_is_honoured_by_a_rule_with_scenarios_or_matches_or_is_declared():
    for fact, status, said in _rows():
        assert said and said.endswith("."), fact
        if status in ("declared", "matches"):
            continue
        for rule_id in status.split(", "):
            assert rule_id in RULES, f"{fact}: {rule_id!r} is no rule of the catalogue"
            tagged = [s for s in SCENARIOS if rule_id in s.tags]
            assert len(tagged) >= 2, f"{fact}: {rule_id} needs a scenario and a contrast"


def test_the_rules_of_sync_logic_name_their_fact():
    """Each rule from the sync-logic page is in the table (no rule without its fact)."""
    named = {rule_id for _, status, _ in _rows() for rule_id in status.split(", ")}
    from_sync_logic = {rule.id for rule in RULES.values() if rule.source == "SL"}
    assert from_sync_logic <= named
    assert all(re.fullmatch(r"N\d+", fact) for fact, _, _ in _rows())
