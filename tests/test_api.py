"""The public Python API: what ``import narrate`` offers, README's example run as it stands, and
a build that writes only where it was told to."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import narrate
from conftest import README, leftover_builds, modules_loaded_by
from narrate.layout import AUDIO_NAME, CHAPTERS_NAME, SRT_NAME, TRANSCRIPT_NAME

REQUIRED = {
    "load_settings",
    "Settings",
    "prepare_script",
    "build_episode",
    "publish",
    "rebuild",
    "remove",
    "NarrateError",
    "Article",
    "ArticleText",
    "Script",
    "Segment",
    "BuiltEpisode",
    "EpisodeRecord",
}


def _tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def test_the_api_is_declared_and_every_name_loads() -> None:
    assert set(narrate.__all__) >= REQUIRED
    for name in narrate.__all__:
        assert getattr(narrate, name) is not None, name
    with pytest.raises(AttributeError):
        _ = narrate.no_such_thing  # type: ignore[attr-defined]


def test_importing_narrate_loads_none_of_the_stages() -> None:
    loaded = modules_loaded_by("import narrate")
    assert {m for m in loaded if m.startswith("narrate.")} == {"narrate.version"}
    assert not loaded & {"pydub", "mutagen", "pyttsx3", "trafilatura", "PIL", "jinja2"}


@pytest.mark.slow
@pytest.mark.engine
def test_the_readme_example_runs_and_writes_only_where_it_says(tmp_path: Path) -> None:
    block = re.search(r"<!-- api-example -->\s*```python\n(.+?)\n```", README, re.S)
    assert block is not None
    work, scratch = tmp_path / "program", tmp_path / "scratch"
    work.mkdir()
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch)}
    done = subprocess.run(
        [sys.executable, "-c", block.group(1)],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ferry/episode.mp3 ['episode.mp3', 'transcript.vtt'")
    assert "Night ferry returns episodes/night-ferry-returns/" in done.stdout
    ferry = _tree(work / "ferry")
    assert {AUDIO_NAME, TRANSCRIPT_NAME, SRT_NAME, CHAPTERS_NAME} <= ferry
    assert {p.split("/")[0] for p in _tree(work)} == {"ferry", "show"}
    assert (work / "show" / "feed.xml").is_file()
    assert _tree(scratch) == set()  # the published build's own folder went with it


def test_a_build_without_a_show_writes_only_into_the_folder_it_names(
    tmp_path: Path, build_tmp: Path
) -> None:
    settings = narrate.load_settings(voice="test-tone", cwd=tmp_path)
    text = narrate.ArticleText("Harbour lights\n\nThe lights came on at six. Crowds cheered.")
    before = _tree(tmp_path)
    built = narrate.build_episode(text, settings, work_dir=tmp_path / "episode")
    assert built.mp3_path == tmp_path / "episode" / AUDIO_NAME
    assert built.article.title == "Harbour lights"
    made = _tree(tmp_path) - before
    assert made == {"episode", *(f"episode/{p.name}" for p in built.files())}
    assert leftover_builds(build_tmp) == []


@pytest.mark.parametrize("named", [True, False])
def test_a_build_that_fails_half_way_leaves_nothing_behind(
    tmp_path: Path, build_tmp: Path, named: bool
) -> None:
    silent = tmp_path / "silent.toml"  # spoken, then refused when mastering: it is silence
    silent.write_text('engine = "tone"\nvolume = 0.0\n', encoding="utf-8")
    settings = narrate.load_settings(voice=str(silent), cwd=tmp_path)
    text = narrate.ArticleText("Harbour lights\n\nThe lights came on at six. Crowds cheered.")
    work_dir = tmp_path / "episode" if named else None
    with pytest.raises(narrate.AudioError):
        narrate.build_episode(text, settings, work_dir=work_dir)
    assert not (tmp_path / "episode").exists()
    assert leftover_builds(build_tmp) == []


def test_the_folders_of_killed_builds_are_swept_by_the_next(
    build_tmp: Path, tmp_path: Path
) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()  # a process that ended
    left = build_tmp / f"narrate-build-{dead}-abc123"
    (left / ".segments").mkdir(parents=True)
    (left / ".segments" / "segment-00000.wav").write_bytes(b"RIFF")
    mine = build_tmp / f"narrate-build-{os.getpid()}-def456"  # a build still running: kept
    mine.mkdir()
    settings = narrate.load_settings(voice="test-tone", cwd=tmp_path)
    built = narrate.build_episode(narrate.ArticleText("T\n\nThe lights came on."), settings)
    assert not left.exists() and mine.exists()
    assert built.work_dir.name.startswith(f"narrate-build-{os.getpid()}-")
