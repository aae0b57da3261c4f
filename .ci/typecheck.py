"""mypy over syncsim as it is installed: ``python .ci/typecheck.py`` (extra arguments go to mypy).

pyproject.toml maps the top-level folders into one package (``syncsim.harness`` is ``harness/``);
mypy reads no build configuration, so this script lays the package out as that mapping says, in
``build/typecheck/`` (each module copied with its times, so mypy's cache holds between runs), runs
mypy there with the project's settings, and names every file in mypy's report by its place in the
repository. Plain ``mypy`` in the checkout has no target on purpose: it could see only
``syncsim/__init__.py``, and a check of one file must not pass for a check of the package.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VIEW = ROOT / "build" / "typecheck"


def mapped_folders() -> dict[str, Path]:
    """The build configuration's own table: package -> folder, for the packages with modules."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-dir"]
    return {package: ROOT / folder for package, folder in config.items() if any((ROOT / folder).glob("*.py"))}


def lay_out(folders: dict[str, Path]) -> None:
    """Copy every module where its package puts it under ``VIEW``; nothing else is left there."""
    wanted: dict[Path, Path] = {}
    for package, folder in folders.items():
        for source in folder.rglob("*.py"):
            wanted[VIEW / Path(*package.split(".")) / source.relative_to(folder)] = source
    for stale in [p for p in VIEW.rglob("*.py") if p not in wanted]:
        stale.unlink()
    for target, source in wanted.items():
        if not target.exists() or target.stat().st_mtime_ns != source.stat().st_mtime_ns:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def in_repository(line: str, folders: dict[str, Path]) -> str:
    """A line of mypy's report with the view's paths named as the repository's files."""
    for package, folder in sorted(folders.items(), key=lambda item: -len(item[0])):
        prefix = "/".join(package.split(".")) + "/"
        line = re.sub(rf"(^|\s){re.escape(prefix)}", rf"\g<1>{folder.relative_to(ROOT).as_posix()}/", line)
    return line


def main(argv: list[str]) -> int:
    folders = mapped_folders()
    lay_out(folders)
    command = [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml")]
    command += ["--cache-dir", str(ROOT / ".mypy_cache"), "-p", "syncsim", *argv]
    done = subprocess.run(command, cwd=VIEW, capture_output=True, text=True)
    for line in done.stdout.splitlines():
        print(in_repository(line, folders))
    sys.stderr.write(done.stderr)
    return done.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
