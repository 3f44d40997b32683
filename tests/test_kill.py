"""Builds killed with SIGKILL at many points leave the published show as before or as after.

A show with one episode gets a second article; ``narrate build`` runs in its own process group
and is killed (with its speech workers and ffmpeg) at points spread over a whole build. After
each kill the published files must be one of the two whole states: the feed parses, lists the
first episode alone or both, and every file it or a page points to is there, at its full size.
Then the same build is run again: it must finish, and reuse the audio the killed one cached.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import podcastparser
import pytest

pytestmark = [pytest.mark.slow]

KILL_POINTS = 8
STORY = (
    "{title}\n\nBy Ada Quill\n\n"
    "The council met on Tuesday to discuss the harbour. Members voted to repair the old sea "
    "wall before winter, and to light the quay.\n\n"
    "Work will start in May and last about six weeks, officials said on Tuesday evening. "
    "The ferry will keep running while the wall is repaired.\n\n"
    "Residents asked for a new crossing. The council said it would study one next year.\n"
)


def _build(source: Path, out: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "narrate", "build", str(source), "-o", str(out)]
    scratch = out.parent / "scratch"  # the builds' temporary folders, to see what is left
    scratch.mkdir(exist_ok=True)
    return subprocess.Popen(
        [*command, "--voice", "test-tone"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: the kill takes its children too
        env={**os.environ, "TMPDIR": str(scratch)},
    )


def _published(out: Path) -> list[str]:
    """The feed's episode titles, after checking every published file the feed needs."""
    feed = podcastparser.parse(
        "http://127.0.0.1:8000/feed.xml", io.BytesIO((out / "feed.xml").read_bytes())
    )
    for episode in feed["episodes"]:
        enclosure = episode["enclosures"][0]
        path = out / enclosure["url"].removeprefix("http://127.0.0.1:8000/")
        assert path.stat().st_size == enclosure["file_size"], path
        page = out / episode["link"].removeprefix("http://127.0.0.1:8000/")
        assert page.is_file() and page.read_text(encoding="utf-8").rstrip().endswith("</html>")
    for transcript in (out / "episodes").rglob("index.html"):
        assert "</html>" in transcript.read_text(encoding="utf-8")
    return sorted(e["title"] for e in feed["episodes"])


@pytest.fixture
def show(tmp_path: Path) -> tuple[Path, Path]:
    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    first.write_text(STORY.format(title="Harbour wall to be repaired"), encoding="utf-8")
    other = STORY.replace("council", "ferry board").replace("harbour", "timetable")
    second.write_text(other.format(title="Ferry fares to rise in spring"), encoding="utf-8")
    out = tmp_path / "base"
    assert _build(first, out).wait() == 0
    return out, second


def test_a_build_killed_at_any_point_leaves_a_whole_show(
    show: tuple[Path, Path], tmp_path: Path
) -> None:
    base, second = show
    before = _published(base)
    timing = tmp_path / "timing"
    shutil.copytree(base, timing)
    started = time.perf_counter()
    assert _build(second, timing).wait() == 0
    whole_s = time.perf_counter() - started
    after = _published(timing)
    assert len(after) == 2

    outcomes: list[bool] = []
    reused: list[int] = []
    for point in range(KILL_POINTS):
        out = tmp_path / f"killed-{point}"
        shutil.copytree(base, out)
        process = _build(second, out)
        time.sleep(whole_s * (point + 0.5) / KILL_POINTS)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        state = _published(out)
        assert state in (before, after), (point, state)
        outcomes.append(state == after)
        rerun = _build(second, out)
        _, errors = rerun.communicate()
        assert rerun.returncode == 0, errors.decode()
        assert _published(out) == after
        reused.append(int(re.search(r"(\d+) from the cache", errors.decode()).group(1)))
        hidden = [p.name for p in out.rglob(".*.tmp")]
        assert hidden == [] or all(p.startswith(".") for p in hidden)
        # the killed build's temporary folder was swept by the rerun, which removed its own
        assert list((tmp_path / "scratch").iterdir()) == [], point
    # Some kills fell before the publishing step; reruns after synthesis reused its audio.
    assert False in outcomes, outcomes
    assert max(reused) > 0, reused
    print(f"{KILL_POINTS} kill points over {whole_s:.2f} s: "
          f"{outcomes.count(False)} left the show as before, {outcomes.count(True)} as after; "
          f"segments reused by the reruns: {reused}")  # fmt: skip
