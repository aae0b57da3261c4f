"""What every reader shares (harness/tools/formats/errors.py): attachment names that are never paths."""

from datetime import timedelta

import pytest

from syncsim.harness import World
from syncsim.harness.tools.formats.errors import safe_filename
from syncsim.harness.tools.formats.ical import CalendarItem, read_ics, write_ics


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd", "_.._etc_passwd"),
        ("C:\\x\\y.pdf", "C__x_y.pdf"),
        ("..", "attachment"),
        ("a\nb", "a_b"),
    ],
)
def test_attachment_names_are_never_paths(name, safe):
    assert safe_filename(name) == safe


def test_exported_attachment_names_are_sanitized(tmp_path):
    now = World().clock.now()
    item = CalendarItem("appointment", {"Subject": "x", "Start": now, "End": now + timedelta(hours=1)})
    item.attachments = {"../../evil.sh": b"#!"}
    write_ics(tmp_path / "c.ics", [item])
    assert list(read_ics(tmp_path / "c.ics").items[0].attachments) == ["_.._evil.sh"]
