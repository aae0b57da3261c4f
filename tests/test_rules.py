"""The catalogue, the spec and the feature files agree: every rule has scenarios, every tag a rule."""

import re
from collections import Counter

import pytest
from paths import ROOT

from syncsim.harness.rules import AREAS, CHANNELS, RULES, SEED, SOURCES
from syncsim.harness.tools import features

SPEC = ROOT.parent / "shared" / "SYNC-RULES.md"
SCENARIOS = features.scenarios([ROOT / "features"])


def test_every_rule_of_the_spec_is_in_the_catalogue_from_the_seed_page():
    if not SPEC.exists():
        pytest.skip(f"{SPEC} is not beside this checkout")
    ids = set(re.findall(r"^\| `([A-Z][A-Z-]+)` \|", SPEC.read_text(), re.MULTILINE))
    seed = {rule.id for rule in RULES.values() if rule.source == SEED}
    assert ids == seed, f"spec only: {ids - seed}; catalogue only: {seed - ids}"


def test_every_rule_beyond_the_seed_names_a_microsoft_page():
    for rule in RULES.values():
        source = SOURCES[rule.source]
        assert rule.source == SEED or (
            source.repository.startswith("MicrosoftDocs/") and source.path.endswith(".md")
        )


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_every_rule_has_a_scenario_and_a_contrast(rule_id):
    tagged = [s for s in SCENARIOS if rule_id in s.tags]
    runs = sum(max(s.examples, 1) for s in tagged)
    assert len(tagged) >= 2, f"{rule_id} needs a scenario for the behaviour and one for the contrast"
    assert runs >= 2


def test_every_rule_style_tag_names_a_rule():
    unknown = {(s.where, tag) for s in SCENARIOS for tag in s.rule_tags if tag not in RULES}
    assert not unknown


def test_scenario_names_are_unique_within_a_feature():
    names = Counter((s.path, s.name) for s in SCENARIOS)
    assert [key for key, n in names.items() if n > 1] == []


def test_catalogue_entries_are_complete():
    for rule in RULES.values():
        assert rule.area in AREAS and rule.statement and rule.section
        assert set(rule.channels) <= set(CHANNELS)


def test_the_checks_notice_a_broken_feature(tmp_path):
    """The checks above would fail: a duplicate name and an unknown rule tag are both seen."""
    (tmp_path / "broken.feature").write_text(
        "Feature: broken\n"
        "  Scenario: twice\n    Given a new organization\n"
        "  @APPT-ATTACH-NEVER\n  Scenario: twice\n    Given a new organization\n"
    )
    found = features.scenarios([tmp_path])
    assert Counter(s.name for s in found)["twice"] == 2
    assert {tag for s in found for tag in s.rule_tags} == {"APPT-ATTACH-NEVER"}
