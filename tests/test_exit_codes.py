"""README's exit-code table, walked: each row's code, from a command that meets that situation.

A row added to the table without a case here fails the test, and so does a case whose command
exits with another code than its row says.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from conftest import EXAMPLE, README
from narrate.cli import app
from narrate.engines.tone import ToneEngine
from narrate.errors import ExitStatus

runner = CliRunner()
STORY = "Harbour lights\n\nThe lights came on at six. Crowds cheered on the quay.\n"
Case = Callable[[Path, pytest.MonkeyPatch], Result]


def _table() -> dict[int, str]:
    section = README[README.index("### Exit codes") :]
    rows = re.findall(r"^\| (\d+) \| (.+?) \|$", section, re.M)
    return {int(code): meaning for code, meaning in rows}


def _story(tmp_path: Path) -> str:
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    return str(path)


def _build(tmp_path: Path, *extra: str) -> Result:
    out = str(tmp_path / "output")
    return runner.invoke(
        app, ["build", _story(tmp_path), "-o", out, "--voice", "test-tone", *extra]
    )


def _ok(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Result:
    return _build(tmp_path)


def _bug(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Result:
    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr("narrate.pipeline.describe", broken)
    return _build(tmp_path)


def _usage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Result:
    return runner.invoke(app, ["build", "--no-such-flag"])


def _bad_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Result:
    return runner.invoke(app, ["remove", "no-such-episode", "-o", str(tmp_path / "nowhere")])


def _config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Result:
    bad = tmp_path / "narrate.toml"
    bad.write_text("[audio]\nbitrate_kbps = 65\n", encoding="utf-8")
    return _build(tmp_path, "--config", str(bad))


def _engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Result:
    voice = tmp_path / "nobody.toml"  # pyttsx3, with a voice espeak-ng does not have
    voice.write_text('voice_id = "zz/no-such-voice"\n', encoding="utf-8")
    out = str(tmp_path / "output")
    return runner.invoke(app, ["build", _story(tmp_path), "-o", out, "--voice", str(voice)])


def _audio(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Result:
    silent = tmp_path / "silent.toml"
    silent.write_text('engine = "tone"\nvolume = 0.0\n', encoding="utf-8")
    out = str(tmp_path / "output")
    return runner.invoke(app, ["build", _story(tmp_path), "-o", out, "--voice", str(silent)])


def _publish(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Result:
    (tmp_path / "output").mkdir()  # a file where the show's state folder must go: no catalog
    (tmp_path / "output" / ".narrate").write_text("not a folder")
    return _build(tmp_path)


def _check_failed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Result:
    assert _build(tmp_path).exit_code == 0
    next((tmp_path / "output" / "episodes").rglob("*.mp3")).write_bytes(b"not an mp3")
    return runner.invoke(app, ["check", str(tmp_path / "output")])


def _queue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Result:
    with socket.socket() as probe:  # a port nothing listens on: no Redis there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return runner.invoke(app, ["status", "--redis", f"redis://127.0.0.1:{port}/0"])


def _interrupted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Result:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(ToneEngine, "render", interrupted)
    return _build(tmp_path)


CASES: dict[ExitStatus, Case] = {
    ExitStatus.OK: _ok,
    ExitStatus.ERROR: _bug,
    ExitStatus.USAGE: _usage,
    ExitStatus.BAD_INPUT: _bad_input,
    ExitStatus.CONFIG: _config,
    ExitStatus.ENGINE: _engine,
    ExitStatus.AUDIO: _audio,
    ExitStatus.PUBLISH: _publish,
    ExitStatus.CHECK_FAILED: _check_failed,
    ExitStatus.QUEUE: _queue,
    ExitStatus.INTERRUPTED: _interrupted,
}


def test_every_row_of_the_table_has_a_case() -> None:
    assert set(_table()) == {int(status) for status in CASES} == {int(s) for s in ExitStatus}


@pytest.mark.parametrize(
    "status",
    [
        pytest.param(s, marks=[pytest.mark.slow, pytest.mark.engine])
        if s is ExitStatus.ENGINE
        else s
        for s in CASES
    ],
    ids=lambda s: f"{int(s)}-{s.name.lower()}",
)
def test_each_code_means_what_the_table_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, status: ExitStatus
) -> None:
    result = CASES[status](tmp_path, monkeypatch)
    assert result.exit_code == status, (result.exit_code, result.stdout, result.stderr)
    if status not in (ExitStatus.OK, ExitStatus.USAGE, ExitStatus.CHECK_FAILED):
        error = result.stderr.strip().splitlines()[-1]  # warnings may come before it
        assert error.startswith("error: ") and "(hint: " in error, result.stderr
        assert "Traceback" not in result.stdout + result.stderr
    assert EXAMPLE.is_file()  # (the suite's own example, untouched by any case)
