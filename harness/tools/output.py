"""Files the commands read and write: input and output paths checked before any work starts, and
every file written all or nothing, with the mode any new file gets. An output never replaces a
.feature file, an input of the command, another output of it, a folder or a device (a temporary
file renamed over ``/dev/null`` would replace the device itself)."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path


def checked(text: str, option: str, inputs: Sequence[str] = ()) -> Path:
    """An output path, checked before any work is done: it names a regular file or a new one, its
    folder exists and may be written, and it is neither a .feature file nor one of the command's
    inputs."""
    if not text.strip():
        raise ValueError(f"{option}: an empty name; give a file")
    path = Path(text)
    if path.suffix == ".feature":
        raise ValueError(f"{option} {text}: a .feature file; a report never overwrites a feature")
    refused = not_a_file(path)
    if refused:
        raise ValueError(f"{option} {text}: {refused}; name a file")
    _check_place(path.parent, option, text)
    if path.exists() and not os.access(path, os.W_OK):
        raise ValueError(f"{option} {text}: not writable")
    if any(Path(name).resolve() == path.resolve() for name in inputs):
        raise ValueError(f"{option} {text}: that is an input of this command; choose another file")
    return path


def all_checked(outputs: Iterable[tuple[str, str | None]], inputs: Sequence[str] = ()) -> list[Path]:
    """Each ``(option, path)`` given :func:`checked`, and no two options naming one file (the
    second would replace the first)."""
    seen: dict[Path, str] = {}
    for option, text in outputs:
        if text is None:
            continue
        path = checked(text, option, inputs).resolve()
        if path in seen:
            raise ValueError(f"{seen[path]} and {option} name one file, {text}; give each its own")
        seen[path] = option
    return list(seen)


def folder(text: str, option: str) -> Path:
    """An output folder, checked before any work: a folder, or a new one (made, with any folders
    missing above it, when the command writes); writable either way."""
    if not text.strip():
        raise ValueError(f"{option}: an empty name; give a folder")
    path = Path(text)
    if path.exists() and not path.is_dir():
        raise ValueError(f"{option} {text}: not a folder; name a folder (it is made when new)")
    _check_place(path, option, text)
    return path


def _check_place(where: Path, option: str, text: str) -> None:
    """A folder an output goes in: the nearest part of it that exists is a folder this process may
    write in (the parts missing below it are made when the command writes)."""
    existing = next(part for part in (where, *where.parents) if part.exists() or part == Path(part.anchor))
    if not existing.is_dir():
        raise ValueError(f"{option} {text}: {existing} is not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise ValueError(f"{option} {text}: {existing} is not writable")


def not_a_file(path: Path) -> str | None:
    """Why an existing ``path`` is no file to write (a folder, a device, a pipe), or None."""
    try:
        mode = path.stat().st_mode  # (a link is judged by what it points to)
    except OSError:
        return None  # a new file
    if stat.S_ISDIR(mode):
        return "a folder"
    if not stat.S_ISREG(mode):
        return "a device, a pipe or a socket, not a regular file"
    return None


def not_readable(path: Path) -> str | None:
    """Why ``path`` cannot be read as an input file (missing, a folder, a device, no permission),
    or None."""
    if not path.exists():
        return "no such file"
    return not_a_file(path) or (None if os.access(path, os.R_OK) else "not readable (permissions)")


def readable(text: str, what: str) -> Path:
    """An input file's path; a ValueError starting with ``what`` says why it cannot be read."""
    path = Path(text)
    refused = not_readable(path)
    if refused:
        raise ValueError(f"{what}: {refused}")
    return path


def write(path: Path, text: str | Iterable[str]) -> None:
    """Write all or nothing (the folders missing above it made first): a temporary file beside the
    target, renamed over it at the end; the file gets the mode any new file gets here (0644 under
    the usual umask), not mkstemp's 0600.
    ``text`` may come in pieces (a big report need not be one string in memory)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    refused = not_a_file(path)
    if refused:
        raise ValueError(f"cannot write {path}: {refused}")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.writelines([text] if isinstance(text, str) else text)
        os.chmod(tmp, 0o666 & ~umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
