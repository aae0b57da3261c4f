"""The step catalogue: every step used in features/ is in it, and docs/steps.md matches the code."""

import json

from paths import ROOT

from syncsim.harness.tools import features, stepcatalog
from syncsim.harness.tools.cli import main


def test_every_step_used_in_the_features_is_listed(capsys):
    assert main(["steps", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    defs = [d for d in stepcatalog.definitions() if d.phrase in {entry["phrase"] for entry in listed}]
    for info in features.scenarios([ROOT / "features"]):
        for row in info.rows():
            for step_type, _, text in stepcatalog.typed_steps(info, row):
                assert stepcatalog.find(defs, step_type, text), f"{info.where}: {text}"


def test_every_listed_step_has_a_meaning_and_an_example(capsys):
    assert main(["steps", "--json"]) == 0
    for entry in json.loads(capsys.readouterr().out):
        assert entry["meaning"] and entry["example"], entry["phrase"]


def test_every_example_is_a_step_its_own_definition_runs():
    """The examples docs/steps.md shows are sentences a QA engineer can paste: each one matches the
    very step it illustrates (no placeholder left unfilled, no value its parameter refuses)."""
    defs = stepcatalog.with_examples(stepcatalog.definitions(), features.scenarios([ROOT / "features"]))
    for d in defs:
        step_type, _, text = d.example.partition(" ")
        assert "{" not in text, d.example
        assert d in stepcatalog.find(defs, step_type.lower(), text), d.example
        assert stepcatalog.refusal([d], step_type.lower(), text) is None, d.example


def test_every_meaning_is_whole_sentences():
    for d in stepcatalog.definitions():
        assert d.meaning[:1].isupper() and d.meaning.rstrip(")").endswith((".", ":")), d.phrase


def test_docs_steps_md_matches_the_code(capsys):
    """Regenerate with: syncsim steps --markdown > docs/steps.md"""
    assert main(["steps", "--markdown"]) == 0
    assert capsys.readouterr().out == (ROOT / "docs" / "steps.md").read_text()


def test_steps_by_area_and_unknown_area(capsys):
    assert main(["steps", "--area", "tasks"]) == 0
    assert "assigns the task" in capsys.readouterr().out
    assert main(["steps", "--area", "nope"]) == 2
    assert "areas: common, settings, items, attachments, tasks" in capsys.readouterr().err
