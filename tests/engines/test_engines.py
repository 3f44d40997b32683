"""Engines: the exact tone engine, and the real pyttsx3 engine with its defects worked around."""

from __future__ import annotations

import sys
import wave
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import assert_hung_engines_killed, wrapped_engine
from narrate.engines import pool
from narrate.engines.protocol import render_all, wav_duration_ms
from narrate.engines.pyttsx3 import ATTEMPTS, Pyttsx3Engine, plausible_ms
from narrate.engines.registry import get_engine
from narrate.engines.tone import ToneEngine, word_ms
from narrate.errors import EngineError
from narrate.models import Segment
from narrate.voices import load_profile

SENTENCES = [
    "The ferry left the pier at dusk.",
    "Two passengers waved.",
    "Officials said the new boats are quieter, cleaner and faster than the old diesel ferry "
    "that served the island for thirty years before it was retired last winter.",
]


def _segments(texts: list[str]) -> list[Segment]:
    return [Segment(text=t, spoken=t, pause_after_ms=300) for t in texts]


def test_tone_engine_lengths_are_exact(tmp_path: Path) -> None:
    profile = load_profile("test-tone")
    rendered = render_all(ToneEngine(), _segments(SENTENCES), tmp_path, profile)
    for item, text in zip(rendered, SENTENCES, strict=True):
        expected = len(text.split()) * word_ms(profile)
        assert item.duration_ms == expected
        assert wav_duration_ms(item.wav_path) == expected


def test_unknown_engine_is_a_clear_error() -> None:
    with pytest.raises(EngineError) as caught:
        get_engine("festival")
    assert "pyttsx3" in caught.value.hint


@pytest.mark.slow
@pytest.mark.engine
def test_real_pyttsx3_speaks_each_segment_into_its_own_file(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    profile = load_profile("default")
    finished = list(Pyttsx3Engine().render(_segments(SENTENCES), tmp_path, profile))
    assert sorted(index for index, _ in finished) == [0, 1, 2]  # each yielded once
    rendered = [item for _, item in sorted(finished, key=lambda pair: pair[0])]
    assert [r.segment.text for r in rendered] == SENTENCES
    assert all(r.wav_path.is_file() for r in rendered)  # whole when yielded
    durations = [r.duration_ms for r in rendered]
    for item in rendered:
        low, high = plausible_ms(item.segment.spoken, profile.rate_wpm)
        assert low <= item.duration_ms <= high
        with wave.open(str(item.wav_path)) as wav:
            assert wav.getnchannels() == 1
            assert wav.getnframes() > 0
    # Order check: the long sentence is the longest audio, the two-word one the shortest.
    assert durations[2] > durations[0] > durations[1]
    # pyttsx3 prints "Audio saved to ..."; none of it may reach our stdout.
    assert "Audio saved" not in capfd.readouterr().out


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="a fresh engine per segment is Linux only"
)
@pytest.mark.slow
@pytest.mark.engine
def test_parallel_synthesis_matches_serial_byte_for_byte(tmp_path: Path) -> None:
    """Three workers give each segment the very bytes one worker gives it, in any order.

    espeak-ng keeps state between utterances in a process (one engine saying a sentence twice
    gave 199,924 then 199,674 frames), so each segment is said by an engine of its own.
    """
    profile = load_profile("default")
    segments = _segments(SENTENCES * 2)
    serial = render_all(Pyttsx3Engine(workers=1), segments, tmp_path / "serial", profile)
    parallel = render_all(Pyttsx3Engine(workers=3), segments, tmp_path / "parallel", profile)
    engine = Pyttsx3Engine(workers=2)
    reordered = render_all(engine, segments[::-1], tmp_path / "reversed", profile)
    assert [r.segment for r in parallel] == segments
    for one, other, backwards in zip(serial, parallel, reversed(reordered), strict=True):
        assert one.wav_path.read_bytes() == other.wav_path.read_bytes(), one.segment
        assert one.wav_path.read_bytes() == backwards.wav_path.read_bytes(), one.segment
    # the same text said again, by the same worker, is the same audio too
    assert serial[0].wav_path.read_bytes() == serial[3].wav_path.read_bytes()


@pytest.mark.slow
@pytest.mark.engine
def test_real_pyttsx3_lists_voices() -> None:
    voices = Pyttsx3Engine().voices()
    assert any(v.id.endswith("en-us") for v in voices), [v.id for v in voices][:10]
    assert all(v.name for v in voices)


WRAPPER = """
import os, sys
from narrate.engines import pyttsx3_worker as worker

mode, marker = sys.argv[1], sys.argv[2]
sys.argv = [sys.argv[0], sys.argv[-1]]
real = worker.say_to_file

def misbehave(engine, text, path):
    if text == "Ready.":  # the warm-up: misbehave on real segments only
        return real(engine, text, path)
    if mode == "crash-once" and not os.path.exists(marker):
        open(marker, "w").close()
        os.abort()  # dies as a segmentation fault would: no answer, a signal exit
    if mode == "crash-always":
        os.abort()
    if mode == "no-file":
        return False
    if mode == "hang":
        import time
        with open(marker + ".pids", "a") as pids:  # so the test can see it is gone
            pids.write(f"{os.getpid()}\\n")
        time.sleep(3600)
    if mode == "truncated":  # a tenth of the audio, in a valid file (an engine cut short)
        said = real(engine, text, path)
        import wave
        with wave.open(path, "rb") as wav:
            params, frames = wav.getparams(), wav.readframes(wav.getnframes() // 10)
        with wave.open(path, "wb") as wav:
            wav.setparams(params)
            wav.writeframes(frames)
        return said
    if mode == "lost-settings":  # from now on espeak-ng reports pyttsx3's default rate
        worker.espeak_settings = lambda: {"rate": 200, "volume": 100, "pitch": 45}
    if mode == "silent":  # a file of the right length, and nothing in it
        said = real(engine, text, path)
        import wave
        with wave.open(path, "rb") as wav:
            params, frames = wav.getparams(), wav.getnframes()
        with wave.open(path, "wb") as wav:
            wav.setparams(params)
            wav.writeframes(bytes(2 * frames))
        return said
    if mode == "lying-header":  # an mbrola voice: 16 kHz audio under pyttsx3's 22,050 Hz header
        said = real(engine, text, path)
        import audioop, wave
        with wave.open(path, "rb") as wav:
            params, frames = wav.getparams(), wav.readframes(wav.getnframes())
        slower, _ = audioop.ratecv(frames, 2, 1, params.framerate, 16000, None)
        with wave.open(path, "wb") as wav:
            wav.setparams(params)  # the header still says 22,050 Hz
            wav.writeframes(slower)
        worker.espeak_rate = lambda: 16000  # what espeak-ng says it made
        return said
    if mode == "no-rate":  # espeak-ng can't say at which rate it spoke
        worker.espeak_rate = lambda: None
    if mode == "misplaced":  # another, much longer text's audio lands in this file
        return real(engine, " ".join([text] * 8), path)
    return real(engine, text, path)

worker.say_to_file = misbehave

answer = worker._answer

def answer_then_exit(channel, **message):  # the worker answers a segment, then dies
    answer(channel, **message)
    if "said" in message and not os.path.exists(marker):
        open(marker, "w").close()
        import threading
        threading.Timer(0.05, os._exit, (0,)).start()

if mode == "exit-after-answer":
    worker._answer = answer_then_exit
worker.main()
"""


def _engine(tmp_path: Path, mode: str) -> Pyttsx3Engine:
    engine: Pyttsx3Engine = wrapped_engine(Pyttsx3Engine, WRAPPER, tmp_path, mode, timeout_s=1.0)
    return engine


@pytest.mark.slow
@pytest.mark.engine
def test_a_crashed_engine_is_replaced_and_the_segment_retried(tmp_path: Path) -> None:
    profile = load_profile("default")
    engine = _engine(tmp_path, "crash-once")
    rendered = render_all(engine, _segments(SENTENCES[:2]), tmp_path / "out", profile)
    assert (tmp_path / "crashed-once").exists()  # the crash really happened
    assert [r.segment.text for r in rendered] == SENTENCES[:2]
    assert all(r.wav_path.exists() for r in rendered)


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("crash-always", "died"),
        ("no-file", "no audio file"),
        ("misplaced", "expected"),
        ("lost-settings", "lost the voice settings"),
        ("silent", "silent"),
        ("hang", "took too long"),
        ("truncated", "expected"),
        ("no-rate", "sample rate"),
    ],
)
@pytest.mark.slow
@pytest.mark.engine
def test_an_engine_that_keeps_failing_fails_the_build_loudly(
    tmp_path: Path, mode: str, reason: str
) -> None:
    profile = load_profile("default")
    with pytest.raises(EngineError) as caught:
        render_all(_engine(tmp_path, mode), _segments(SENTENCES[:1]), tmp_path / "out", profile)
    assert f"failed {ATTEMPTS} times on segment 1" in caught.value.message
    assert reason in caught.value.message
    if mode == "hang":  # each hung engine was killed, not left asleep
        assert_hung_engines_killed(tmp_path, ATTEMPTS)


def test_plausible_lengths_grow_with_words() -> None:
    short = plausible_ms("Hello there.", 165)
    long = plausible_ms("word " * 40, 165)
    assert short[0] < short[1] < long[1]
    assert long[0] > short[0]


@pytest.mark.slow
@pytest.mark.engine
def test_a_worker_that_dies_between_jobs_is_replaced(tmp_path: Path) -> None:
    # Found in review: sending the next job to a worker that had exited raised BrokenPipeError,
    # which ended the build as "a bug". Whether the next job finds it gone (broken pipe) or dies
    # with it depends on timing; either way the build must go on.
    profile = load_profile("default")
    engine = _engine(tmp_path, "exit-after-answer")
    rendered = render_all(engine, _segments(SENTENCES), tmp_path / "out", profile)
    assert (tmp_path / "crashed-once").exists()
    assert [r.segment.text for r in rendered] == SENTENCES


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="espeak-ng's rate: Linux only")
@pytest.mark.slow
@pytest.mark.engine
def test_a_header_that_lies_about_the_rate_is_corrected(tmp_path: Path) -> None:
    """Issue 12: pyttsx3 2.99 writes 22,050 Hz headers whatever espeak-ng made; an mbrola voice's
    16 kHz audio was published 1.38 times too fast and too high, with exit 0."""
    profile = load_profile("default")
    honest = render_all(Pyttsx3Engine(workers=1), _segments(SENTENCES), tmp_path / "a", profile)
    engine = _engine(tmp_path, "lying-header")
    fixed = render_all(engine, _segments(SENTENCES), tmp_path / "b", profile)
    for right, corrected in zip(honest, fixed, strict=True):
        with wave.open(str(corrected.wav_path)) as wav:
            assert wav.getframerate() == 16000
        assert abs(corrected.duration_ms - right.duration_ms) <= 5, corrected.segment


@pytest.mark.slow
@pytest.mark.engine
def test_the_next_build_takes_the_workers_the_last_one_left(tmp_path: Path) -> None:
    profile = load_profile("default")
    engine = _engine(tmp_path, "as-it-should")
    kind = engine._kind(profile)
    first = render_all(engine, _segments(SENTENCES[:1]), tmp_path / "a", profile)
    kept = list(pool._idle[kind])
    assert len(kept) == 1 and kept[0].process.poll() is None
    again = render_all(engine, _segments(SENTENCES[:1]), tmp_path / "b", profile)
    assert pool._idle[kind] == kept  # the same worker spoke, and is kept again
    assert again[0].wav_path.read_bytes() == first[0].wav_path.read_bytes()
    kept[0].process.kill()  # a kept worker that died is not given out
    third = render_all(engine, _segments(SENTENCES[:1]), tmp_path / "c", profile)
    assert third[0].wav_path.read_bytes() == first[0].wav_path.read_bytes()
    assert pool._idle[kind] != kept
    for worker in pool._idle.pop(kind):
        worker.close()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="espeak-ng's variants: Linux")
@pytest.mark.slow
@pytest.mark.engine
def test_an_espeak_variant_is_spoken_and_an_unknown_one_is_an_error(tmp_path: Path) -> None:
    """espeak-ng ignores a variant it lacks without a word ("gmw/en-us+m99" spoke as plain
    en-us): a profile must get the variant it names, or a clear error."""
    base = load_profile("default")
    segments = _segments(SENTENCES[:1])
    plain = render_all(
        Pyttsx3Engine(), segments, tmp_path / "plain", replace(base, voice_id="gmw/en-us")
    )
    varied = replace(base, voice_id="gmw/en-us+m3")
    spoken = render_all(Pyttsx3Engine(), segments, tmp_path / "m3", varied)
    assert spoken[0].wav_path.read_bytes() != plain[0].wav_path.read_bytes()
    with pytest.raises(EngineError) as caught:
        render_all(
            Pyttsx3Engine(), segments, tmp_path / "bad", replace(base, voice_id="gmw/en-us+m99")
        )
    assert "variant 'm99'" in caught.value.message


def test_the_word_gap_is_part_of_a_segments_sound() -> None:
    """Two profiles that differ only in their word gap must not share cached audio."""
    base = load_profile("default")
    engine = Pyttsx3Engine()
    identities = {engine.voice_identity(replace(base, word_gap=gap)) for gap in (0, 2, 3)}
    assert len(identities) == 3


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="espeak-ng's word gap: Linux")
@pytest.mark.slow
@pytest.mark.engine
def test_the_word_gap_reaches_espeak_ng(tmp_path: Path) -> None:
    """pyttsx3 has no word gap: it is given to espeak-ng directly, and a sentence said with a
    longer gap takes longer (measured: about 25 ms more a word for a gap of 1, 75 ms for 5)."""
    base = load_profile("default")
    text = SENTENCES[2]
    lengths = {}
    for gap in (0, 1, 5):
        profile = replace(base, word_gap=gap)
        (item,) = render_all(Pyttsx3Engine(), _segments([text]), tmp_path / str(gap), profile)
        lengths[gap] = item.duration_ms
    gaps = len(text.split()) - 1
    assert lengths[0] + 10 * gaps < lengths[1] < lengths[5] - 20 * gaps, lengths
