"""The Piper engine (the natural voice): real speech, byte-identical in parallel, checked,
retried, keyed by its model's content; and one clear line when the extra or the voice is missing.

The real engine needs the natural extra (README's test command installs it).
"""

from __future__ import annotations

import io
import re
import subprocess
import wave
from dataclasses import replace
from pathlib import Path

import podcastparser
import pytest
from pydub import AudioSegment
from typer.testing import CliRunner

from conftest import assert_hung_engines_killed, wrapped_engine
from narrate.audio.ffmpeg import ffmpeg_exe
from narrate.audio.master import measure_loudness
from narrate.cli import app
from narrate.engines import piper as piper_engine
from narrate.engines.cache import SegmentCache
from narrate.engines.piper import PiperEngine, find_model
from narrate.engines.pool import ATTEMPTS, plausible_ms
from narrate.engines.protocol import render_all
from narrate.errors import EngineError, ExitStatus
from narrate.models import Segment, VoiceProfile
from narrate.publishing.tagging import mp3_duration_ms
from narrate.voices import load_profile
from webvtt import parse_webvtt

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "riverton-ferry-page-dump.txt"
SENTENCES = [
    "The ferry left the pier at dusk.",
    "Two passengers waved.",
    "Officials said the new boats are quieter, cleaner and faster than the old diesel ferry "
    "that served the island for thirty years.",
]
runner = CliRunner()


def _segments(texts: list[str]) -> list[Segment]:
    return [Segment(text=t, spoken=t, pause_after_ms=300) for t in texts]


@pytest.mark.slow
@pytest.mark.engine
def test_real_piper_speaks_each_segment_into_its_own_file(tmp_path: Path) -> None:
    profile = load_profile("natural")
    finished = list(PiperEngine().render(_segments(SENTENCES), tmp_path, profile))
    assert sorted(index for index, _ in finished) == [0, 1, 2]  # each yielded once
    rendered = [item for _, item in sorted(finished, key=lambda pair: pair[0])]
    for item in rendered:
        low, high = plausible_ms(item.segment.spoken, profile.rate_wpm)
        assert low <= item.duration_ms <= high
        with wave.open(str(item.wav_path)) as wav:
            assert (wav.getnchannels(), wav.getframerate()) == (1, 22050)  # the voice's rate
    durations = [r.duration_ms for r in rendered]
    assert durations[2] > durations[0] > durations[1]


@pytest.mark.slow
@pytest.mark.engine
def test_parallel_piper_matches_serial_byte_for_byte(tmp_path: Path) -> None:
    """Piper's noise follows onnxruntime's random state: one session saying a sentence twice
    gave two different sounds; each segment is said by a child whose session never spoke."""
    profile = load_profile("natural")
    segments = _segments(SENTENCES[:2] * 2)
    serial = render_all(PiperEngine(workers=1), segments, tmp_path / "serial", profile)
    parallel = render_all(PiperEngine(workers=2), segments, tmp_path / "parallel", profile)
    backwards = render_all(PiperEngine(workers=2), segments[::-1], tmp_path / "back", profile)
    for one, other, reverse in zip(serial, parallel, reversed(backwards), strict=True):
        assert one.wav_path.read_bytes() == other.wav_path.read_bytes(), one.segment
        assert one.wav_path.read_bytes() == reverse.wav_path.read_bytes(), one.segment
    assert serial[0].wav_path.read_bytes() == serial[2].wav_path.read_bytes()  # said again


@pytest.mark.slow
@pytest.mark.engine
def test_piper_lists_the_packaged_voice() -> None:
    voices = PiperEngine().voices()
    assert [v.id for v in voices][:1] == ["en_US-joe-medium"]
    assert voices[0].languages == ("en-US",)


WRAPPER = """
import os, sys, time, wave
from narrate.engines import piper_worker as worker

mode, marker = sys.argv[1], sys.argv[2]
sys.argv = [sys.argv[0], sys.argv[-1]]
real = worker.speak

def misbehave(config, voice, text, path):
    if mode == "crash-once" and not os.path.exists(marker):
        open(marker, "w").close()
        os.abort()  # dies as a segmentation fault would: no answer, a signal exit
    if mode == "crash-always":
        os.abort()
    if mode == "hang":
        with open(marker + ".pids", "a") as pids:
            pids.write(f"{os.getpid()}\\n")
        time.sleep(3600)
    answer = real(config, voice, text, path)
    if mode == "no-rate":  # an engine that can't say at which rate it spoke
        answer.pop("rate_hz")
    if mode in ("silent", "truncated"):
        with wave.open(path, "rb") as wav:
            params, frames = wav.getparams(), wav.readframes(wav.getnframes())
        with wave.open(path, "wb") as wav:
            wav.setparams(params)
            wav.writeframes(bytes(len(frames)) if mode == "silent" else frames[: len(frames) // 10])
    return answer

worker.speak = misbehave
worker.main()
"""


def _engine(tmp_path: Path, mode: str) -> PiperEngine:
    engine: PiperEngine = wrapped_engine(PiperEngine, WRAPPER, tmp_path, mode, timeout_s=3.0)
    return engine


@pytest.mark.slow
@pytest.mark.engine
def test_a_crashed_piper_worker_is_replaced_and_the_segment_retried(tmp_path: Path) -> None:
    profile = load_profile("natural")
    engine = _engine(tmp_path, "crash-once")
    rendered = render_all(engine, _segments(SENTENCES[:2]), tmp_path / "out", profile)
    assert (tmp_path / "crashed-once").exists()  # the crash really happened
    assert [r.segment.text for r in rendered] == SENTENCES[:2]


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("crash-always", "died"),
        ("hang", "took too long"),
        ("no-rate", "sample rate"),
        ("silent", "silent"),
        ("truncated", "expected"),
    ],
)
@pytest.mark.slow
@pytest.mark.engine
def test_a_piper_that_keeps_failing_fails_the_build_loudly(
    tmp_path: Path, mode: str, reason: str
) -> None:
    profile = load_profile("natural")
    with pytest.raises(EngineError) as caught:
        render_all(_engine(tmp_path, mode), _segments(SENTENCES[:1]), tmp_path / "out", profile)
    assert f"failed {ATTEMPTS} times on segment 1" in caught.value.message
    assert reason in caught.value.message
    if mode == "hang":  # each hung engine was killed, not left asleep
        assert_hung_engines_killed(tmp_path, ATTEMPTS)


def _voice_files(folder: Path, model: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    onnx = folder / "voice.onnx"
    onnx.write_bytes(model)
    (folder / "voice.onnx.json").write_text('{"audio": {"sample_rate": 22050}}')
    return onnx


def test_the_cache_key_holds_the_model_files_content(tmp_path: Path) -> None:
    profile = load_profile("natural")
    one = replace(profile, model=str(_voice_files(tmp_path / "a", b"model one")))
    same = replace(profile, model=str(_voice_files(tmp_path / "b", b"model one")))
    other = replace(profile, model=str(_voice_files(tmp_path / "c", b"model two")))
    engine = PiperEngine()
    segment = _segments(["Hello."])[0]

    def key(voice: VoiceProfile) -> Path:
        return SegmentCache(tmp_path, "piper", voice, engine.voice_identity(voice)).path(segment)

    assert key(one) == key(same)  # the same voice under another path: the same audio
    assert key(one) != key(other)  # another model under the same name would not be


def test_a_profile_names_a_voice_file_relative_to_itself(tmp_path: Path) -> None:
    _voice_files(tmp_path / "voices" / "mine", b"model")
    (tmp_path / "voices" / "mine.toml").write_text(
        'engine = "piper"\nmodel = "mine/voice.onnx"\n', encoding="utf-8"
    )
    profile = load_profile("mine", [tmp_path / "voices"])
    assert find_model(profile.model)[0] == tmp_path / "voices" / "mine" / "voice.onnx"


@pytest.mark.parametrize(
    ("model", "message"),
    [
        ("missing.onnx", "voices/missing.onnx is missing"),
        ("en_GB-nobody-low", "no Piper voice named 'en_GB-nobody-low'"),
    ],
)
def test_a_missing_voice_is_one_line_with_a_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, model: str, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "voices").mkdir()
    (tmp_path / "voices" / "gone.toml").write_text(f'engine = "piper"\nmodel = "{model}"\n')
    result = runner.invoke(app, ["build", str(EXAMPLE), "--voice", "gone", "-o", "out"])
    assert result.exit_code == ExitStatus.ENGINE
    assert message in result.stderr and "hint:" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_without_the_natural_extra_the_natural_voice_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = piper_engine.importlib.util.find_spec
    monkeypatch.setattr(
        piper_engine.importlib.util,
        "find_spec",
        lambda name, *a: None if name == "piper" else real(name, *a),
    )
    for command in (["build", str(EXAMPLE), "--voice", "natural", "-o", str(tmp_path / "o")],
                    ["voices", "--voice", "natural"]):  # fmt: skip
        result = runner.invoke(app, command)
        assert result.exit_code == ExitStatus.ENGINE, result.stderr
        assert result.stderr.strip() == (
            "error: the piper engine is not installed (hint: pip install 'narrate[natural]' "
            "(Piper, GPL-3.0-or-later, and the joe voice))"
        )


@pytest.mark.slow
@pytest.mark.engine
def test_a_natural_build_is_finished_mastered_and_the_same_when_rebuilt(tmp_path: Path) -> None:
    """The bundled example with the natural voice, end to end: podcast loudness, cues in order
    after the lead-in and before the tail, no level jumps between sentences, and a rebuild from
    nothing byte for byte the same."""
    out = tmp_path / "output"
    result = runner.invoke(app, ["build", str(EXAMPLE), "--voice", "natural", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    mp3 = Path(result.stdout.strip().split("\t")[2])
    xml = io.BytesIO((out / "feed.xml").read_bytes())
    feed = podcastparser.parse("http://127.0.0.1:8000/feed.xml", xml)
    assert feed["episodes"][0]["enclosures"][0]["file_size"] == mp3.stat().st_size
    lufs, peak = measure_loudness(mp3)
    assert lufs is not None and abs(lufs + 16) <= 1.0, lufs
    assert peak is not None and peak <= -1.0, peak

    finish = load_profile("natural").finish
    (vtt,) = mp3.parent.glob("transcript-*.vtt")
    cues = parse_webvtt(vtt.read_text(encoding="utf-8"))
    assert cues[0].start_ms >= finish.lead_in_ms
    assert all(a.end_ms <= b.start_ms for a, b in zip(cues, cues[1:], strict=False))
    assert mp3_duration_ms(mp3) - cues[-1].end_ms >= finish.tail_ms
    assert any("electric boats" in c.text for c in cues)
    decoded = tmp_path / "decoded.wav"
    subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(mp3), str(decoded)], check=True)
    audio = AudioSegment.from_wav(str(decoded))
    levels = [audio[c.start_ms : c.end_ms].dBFS for c in cues if c.end_ms - c.start_ms > 800]
    assert max(levels) - min(levels) < 4.0, sorted(levels)

    again = runner.invoke(
        app, ["build", str(EXAMPLE), "--voice", "natural", "-o", str(tmp_path / "again")]
    )
    assert again.exit_code == 0, again.stderr
    assert re.search(r"(\d+) of \1 segments spoken, 0 from the cache", again.stderr)
    assert Path(again.stdout.strip().split("\t")[2]).read_bytes() == mp3.read_bytes()
