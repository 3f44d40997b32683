"""Shared fixtures: settings that use the deterministic tone engine, and paths to examples."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from narrate.config import load_settings, packaged_defaults_path
from narrate.layout import cache_dir
from narrate.models import Article, Paragraph, Script, Settings, Show
from narrate.speech.segment import make_script

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
EXAMPLE = REPO / "examples" / "riverton-ferry-page-dump.txt"
README = (REPO / "README.md").read_text(encoding="utf-8")

# narrate's packaged defaults (defaults/narrate.toml, voices/default.toml): the one place they
# are written down. Tests that need a Pacing, AudioSettings or Show start from these.
PACKAGED = load_settings(config=packaged_defaults_path(), cwd=REPO)
# The packaged pauses by boundary alone: the pauses that follow the text (a long sentence, a
# question, the jitter) are off here, so boundary tests stay exact; test_segment tests them.
PACING = replace(
    PACKAGED.voice.pacing, long_sentence_ms_per_word=0, question_pause_ms=0, pause_jitter_ms=0
)
AUDIO = PACKAGED.audio


# A short article with a heading, for scripts and what shows them.
SAMPLE_ARTICLE = Article(
    title="North Korean troops join assaults in Kursk Oblast, Zelensky says",
    paragraphs=(
        Paragraph("Zelensky said on Dec. 14 that troops had begun fighting. Over 10,000 came."),
        Paragraph("What happens next", is_heading=True),
        Paragraph("Russia took back 40% of the territory."),
    ),
)
SAMPLE_INTRO = ("Newsroom Audio.", "North Korean troops join assaults, Zelensky says.")
SAMPLE_OUTRO = ("Thanks for listening.",)


def sample_script() -> Script:
    """A short article's script, with intro and outro, paced by the packaged defaults."""
    return make_script(SAMPLE_ARTICLE, intro=SAMPLE_INTRO, outro=SAMPLE_OUTRO, pacing=PACING)


def make_show(**changes: Any) -> Show:
    """The packaged default show, with ``changes``."""
    return replace(PACKAGED.show, **changes)


# What the Kyiv page dump has around its article: none of it may be spoken (issue 2).
KYIV_PAGE_FURNITURE = [
    "Skip to content",
    "Edit post",
    "Subscribe",
    "indicates required",
    "News Feed",
    "MORE NEWS",
    "Editors' Picks",
    "Slovak",
    "no-confidence",
    "no confidence",
    "How will Russia",
    "good, the bad",
    "Editor’s note",
    "(Volodymyr Zelensky / Telegram)",
    "This audio is created with AI assistance",
]


@pytest.fixture
def kyiv() -> Path:
    """The real page dump in ../shared (read-only, beside the repository in CI).

    Outside CI a clone may stand without ../shared: the test is then skipped, with the reason.
    In CI (CI=true) its absence is a failure.
    """
    path = SHARED / "examples" / "kyiv-independent-page-dump.txt"
    if not path.is_file():
        message = f"{path} is not here: ../shared must sit beside the repository"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(autouse=True)
def build_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temporary folder of this test's builds (a build's work folder is made there), so
    that a test can see that a build left nothing behind."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def modules_loaded_by(code: str) -> set[str]:
    """The modules a fresh Python process has loaded after running ``code``."""
    probe = f"{code}\nimport sys\nprint(' '.join(sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(done.stdout.split())


def leftover_builds(folder: Path) -> list[Path]:
    """The work folders of builds that ``folder`` (a ``build_tmp``) still holds."""
    return sorted(folder.glob("narrate-build-*"))


@pytest.fixture
def tone_settings(tmp_path: Path) -> Settings:
    """Settings for a show in tmp_path/output, spoken by the exact-timing tone engine."""
    out = tmp_path / "output"
    return load_settings(output_dir=out, voice="test-tone", cwd=tmp_path, cache_dir=cache_dir(out))


@pytest.fixture
def article_file(tmp_path: Path) -> Path:
    path = tmp_path / "story.txt"
    path.write_text(
        "Harbour lights switched on for winter\n\n"
        "By Ada Quill\n\n"
        "The city switched on the harbour lights on Friday evening, a week earlier than usual. "
        "Crowds gathered along the quay to watch.\n\n"
        "Officials said the new lamps use far less power than the old ones. "
        "They will stay on until the end of February.\n",
        encoding="utf-8",
    )
    return path


# Engines that misbehave on purpose (tests/engines): a wrapper script around a worker module.


def wrapped_engine(engine: Any, wrapper: str, tmp_path: Path, mode: str, timeout_s: float) -> Any:
    """``engine`` (a WorkerEngine class) whose one worker runs ``wrapper`` in ``mode``; the
    wrapper leaves a marker at ``tmp_path / "crashed-once"`` (and the pids of hung engines in
    ``crashed-once.pids``)."""
    script = tmp_path / "wrapper.py"
    script.write_text(wrapper, encoding="utf-8")
    command = [sys.executable, str(script), mode, str(tmp_path / "crashed-once")]
    return engine(workers=1, command=command, job_timeout_s=timeout_s)


def assert_hung_engines_killed(tmp_path: Path, count: int) -> None:
    """Each hung engine that ``wrapped_engine`` recorded was killed, not left asleep."""
    pids = (tmp_path / "crashed-once.pids").read_text().split()
    assert len(pids) == count
    deadline = time.monotonic() + 10
    while [p for p in pids if _alive(p)] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [p for p in pids if _alive(p)] == []


def _alive(pid: str) -> bool:
    """Whether a process runs (a zombie, dead but not yet reaped, does not)."""
    try:
        return "\nState:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
