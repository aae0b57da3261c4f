"""The one error every reader raises: which file, which line (or record), what is wrong."""

from __future__ import annotations

from pathlib import Path


class FormatError(ValueError):
    def __init__(self, path: Path | None, line: int, problem: str) -> None:
        self.path, self.line, self.problem = path, line, problem
        super().__init__(f"{path or '<input>'}:{line}: {problem}")

    def at(self, path: Path) -> FormatError:
        """The same error, naming the file (for helpers that only knew the line)."""
        return FormatError(path, self.line, self.problem)


def safe_filename(name: str) -> str:
    """An attachment name that cannot act as a path: no folders, no '..', no control characters."""
    cleaned = "".join("_" if ch in '/\\:*?"<>|' or ord(ch) < 32 else ch for ch in name)
    cleaned = cleaned.strip(" .")
    return cleaned or "attachment"
