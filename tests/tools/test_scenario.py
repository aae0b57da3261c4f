"""Whose Outlook a step reads (harness/tools/scenario.py ``Scenario.reader``): a check of one
user's copy never passes for another's. The suite's scenarios about a copy someone else holds
(field security on a colleague's record, a system filter, an assigned task) fail when the step
is pointed at the wrong mailbox, or left unqualified while two mailboxes hold the record."""

from __future__ import annotations

from pathlib import Path

import pytest
from paths import FEATURES

from syncsim.harness.tools import features
from syncsim.harness.tools.cli import main

#: (feature, scenario name, the line as the suite has it, the line as a careless step would read)
POINTED_ELSEWHERE = [
    (
        "fields.feature",
        "A colleague's contact a system filter brings reaches her Outlook without the field",
        'Then the contact "Ben" in the Outlook of "alice" has:',
        'Then the contact "Ben" in the Outlook of "bob" has:',
        "JobTitle",
    ),
    (
        "fields.feature",
        "A colleague's contact a system filter brings reaches her Outlook without the field",
        'Then the contact "Ben" in the Outlook of "alice" has:',
        'Then the contact "Ben" in Outlook has:',
        "is in the Outlook of bob, admin and alice: say which",
    ),
    (
        "deletes.feature",
        "A colleague untracks their copy of someone else's contact, and CRM deletes it",
        'When "bob" stops tracking their copy of the contact "Ann"',
        'When "bob" stops tracking the contact "Ann" in Outlook',
        "is alice's, not bob's",
    ),
    (
        "tasks.feature",
        "A task tracked before it was assigned passes to the assignee when sent",
        'And the task "Call back" in the Outlook of "bob" is tracked',
        'And the task "Call back" in Outlook is tracked',
        "is in the Outlook of alice and bob: say which",
    ),
]


def _line_of(feature: Path, name: str) -> int:
    return next(info.line for info in features.read(feature) if info.name == name)


@pytest.mark.parametrize(("feature", "name", "kept", "careless", "said"), POINTED_ELSEWHERE)
def test_a_step_reading_the_wrong_copy_fails(tmp_path, capsys, feature, name, kept, careless, said):
    text = (FEATURES / feature).read_text(encoding="utf-8")
    line = _line_of(FEATURES / feature, name)
    for folder, content, code in (
        ("kept", text, 0),
        ("careless", _replaced_in(text, line, kept, careless), 1),
    ):
        copy = tmp_path / folder / feature  # (a path of its own: pytest-bdd keeps what it parsed)
        copy.parent.mkdir()
        copy.write_text(content, encoding="utf-8")
        capsys.readouterr()
        assert main(["run", f"{copy}:{line}", "--", "-p", "no:xdist"]) == code
    assert said in capsys.readouterr().out


def _replaced_in(text: str, line: int, kept: str, careless: str) -> str:
    """The first ``kept`` at or after ``line`` replaced (the scenario's own step)."""
    lines = text.splitlines(keepends=True)
    for index in range(line - 1, len(lines)):
        if kept in lines[index]:
            lines[index] = lines[index].replace(kept, careless)
            return "".join(lines)
    raise AssertionError(f"{kept!r} not in the scenario at line {line}")
