"""Files the commands write: output paths checked before any work starts, and every file written
all or nothing, with the mode any new file gets (never a report over a feature file or an input)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path


def checked(text: str, option: str, inputs: Sequence[str] = ()) -> Path:
    """An output path, checked before any work is done: its folder exists and may be written,
    and it is neither a .feature file nor one of the command's inputs."""
    path = Path(text)
    if path.suffix == ".feature":
        raise ValueError(f"{option} {text}: a .feature file; a report never overwrites a feature")
    if not path.parent.is_dir():
        raise ValueError(f"{option} {text}: the folder {path.parent} does not exist")
    if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise ValueError(f"{option} {text}: not writable")
    if any(Path(name).resolve() == path.resolve() for name in inputs):
        raise ValueError(f"{option} {text}: that is an input of this command; choose another file")
    return path


def write(path: Path, text: str | Iterable[str]) -> None:
    """Write all or nothing: a temporary file beside the target, renamed over it at the end; the
    file gets the mode any new file gets here (0644 under the usual umask), not mkstemp's 0600.
    ``text`` may come in pieces (a big report need not be one string in memory)."""
    if not path.parent.exists():
        raise ValueError(f"cannot write {path}: the folder {path.parent} does not exist")
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
