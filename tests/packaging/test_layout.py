"""The build configuration maps every folder of the repository that the package needs: each
package of harness/ and steps/, and the folders of features and docs that ship as data."""

import tomllib
from pathlib import Path

from paths import ROOT

SETUPTOOLS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]


def folder_of(package: str) -> Path:
    """Where the build configuration finds a package: its nearest mapped parent's folder."""
    mapped = SETUPTOOLS["package-dir"]
    parts = package.split(".")
    for n in range(len(parts), 0, -1):
        head = ".".join(parts[:n])
        if head in mapped:
            return ROOT / mapped[head] / Path(*parts[n:])
    raise AssertionError(f"{package} is under no mapped folder")


def test_every_package_of_the_code_is_listed():
    code = {
        ".".join(["syncsim", *init.parent.relative_to(ROOT).parts])
        for folder in ("harness", "steps")
        for init in (ROOT / folder).rglob("__init__.py")
    }
    assert code <= set(SETUPTOOLS["packages"])


def test_every_listed_package_is_a_folder_and_every_feature_folder_ships():
    for package in SETUPTOOLS["packages"]:
        assert folder_of(package).is_dir(), package
    shipped = {folder_of(p) for p in SETUPTOOLS["packages"]}
    assert {path.parent for path in (ROOT / "features").rglob("*.feature")} <= shipped
    assert ROOT / "docs" in shipped
