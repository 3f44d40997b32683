"""Join rendered segments into one mastered, encoded episode.

1. Each segment's WAV is trimmed of the silence the engine leaves around it, so the pauses are
   exactly the script's; the optional intro/outro files (jingles) go first and last.
2. The timeline (pydub) is written as one WAV; its cues and chapters are known to the sample.
3. ffmpeg's ``loudnorm`` measures it (pass one) and normalizes it linearly to the target loudness
   with a true-peak ceiling (pass two), resamples it (soxr) and encodes a constant-bitrate MP3.
4. ffmpeg's ``ebur128`` measures the MP3 that came out, so the figures reported are the real ones.

ffmpeg is the system's when there is one, else the copy ``imageio-ffmpeg`` ships.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import subprocess
import warnings
from collections.abc import Sequence
from functools import cache
from pathlib import Path

with warnings.catch_warnings():
    # pydub warns at import when ffmpeg is not on PATH; narrate tells it where ffmpeg is.
    warnings.simplefilter("ignore", RuntimeWarning)
    from pydub import AudioSegment  # type: ignore[import-untyped]
    from pydub.silence import detect_leading_silence  # type: ignore[import-untyped]

from narrate.config import AudioSettings
from narrate.errors import AudioError
from narrate.models import Chapter, Cue, EpisodeAudio, RenderedSegment

log = logging.getLogger(__name__)

SILENCE_DBFS = -50.0
KEEP_EDGE_MS = 20  # of the engine's own silence, so that no consonant is clipped
HINT = "install ffmpeg, or `pip install imageio-ffmpeg`; run with -v for ffmpeg's output"


@cache
def ffmpeg_exe() -> str:
    found = shutil.which("ffmpeg")
    if found:
        return found
    try:
        import imageio_ffmpeg

        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except (ImportError, RuntimeError) as exc:
        raise AudioError("ffmpeg was not found", HINT) from exc


def _trim(sound: AudioSegment) -> AudioSegment:
    start = max(0, detect_leading_silence(sound, SILENCE_DBFS) - KEEP_EDGE_MS)
    end = max(0, detect_leading_silence(sound.reverse(), SILENCE_DBFS) - KEEP_EDGE_MS)
    trimmed = sound[start : len(sound) - end]
    return trimmed if len(trimmed) > 0 else sound


def build_timeline(
    rendered: Sequence[RenderedSegment], settings: AudioSettings
) -> tuple[AudioSegment, tuple[Cue, ...], tuple[Chapter, ...]]:
    """The unmastered episode with its cues (sentences) and chapters (intro, body, outro)."""
    if not rendered:
        raise AudioError("there is nothing to put in the episode", "the script had no segments")
    AudioSegment.converter = ffmpeg_exe()
    speech = [AudioSegment.from_wav(str(r.wav_path)) for r in rendered]
    rate = max(s.frame_rate for s in speech)
    timeline = AudioSegment.silent(duration=0, frame_rate=rate)

    def add_file(path: Path | None) -> None:
        nonlocal timeline
        if path is not None:
            try:
                jingle = AudioSegment.from_file(str(path))
            except Exception as exc:  # pydub raises bare exceptions for ffmpeg failures
                raise AudioError(
                    f"cannot read audio file {path}", "use a WAV or MP3 file ffmpeg can read"
                ) from exc
            timeline += jingle.set_channels(1).set_frame_rate(rate).set_sample_width(2)

    add_file(settings.intro_file)
    cues: list[Cue] = []
    starts: dict[str, int] = {}
    ends: dict[str, int] = {}
    headings: list[tuple[int, str]] = []
    for item, sound in zip(rendered, speech, strict=True):
        sound = _trim(sound.set_channels(1).set_frame_rate(rate).set_sample_width(2))
        part = item.segment.part
        start = len(timeline)
        starts.setdefault(part, start)
        timeline += sound
        cues.append(Cue(start, len(timeline), item.segment.text))
        ends[part] = len(timeline)
        if item.segment.is_heading:
            headings.append((start, item.segment.text))
        if item.segment.pause_after_ms:
            timeline += AudioSegment.silent(duration=item.segment.pause_after_ms, frame_rate=rate)
    add_file(settings.outro_file)
    return timeline, tuple(cues), _chapters(starts, ends, headings, len(timeline))


def _chapters(
    starts: dict[str, int], ends: dict[str, int], headings: list[tuple[int, str]], total_ms: int
) -> tuple[Chapter, ...]:
    marks: list[tuple[int, str]] = []
    if "intro" in starts:
        marks.append((0, "Introduction"))
    if "body" in starts:
        marks.append((0 if not marks else starts["body"], "Article"))
    marks.extend(headings)
    if "outro" in starts:
        marks.append((starts["outro"], "About this episode"))
    marks.sort()
    chapters = []
    for i, (start, title) in enumerate(marks):
        end = marks[i + 1][0] if i + 1 < len(marks) else total_ms
        if end > start:
            chapters.append(Chapter(start, end, title))
    return tuple(chapters)


def _run_ffmpeg(args: list[str]) -> str:
    command = [ffmpeg_exe(), "-hide_banner", "-nostdin", *args]
    log.debug("running %s", " ".join(command))
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise AudioError(f"cannot run ffmpeg: {exc}", HINT) from exc
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-1:] or ["(no output)"]
        raise AudioError(f"ffmpeg failed: {tail[0]}", HINT)
    return done.stderr


def _loudnorm_filter(settings: AudioSettings) -> str:
    return f"loudnorm=I={settings.target_lufs}:TP={settings.true_peak_dbtp}:LRA=11"


def master(
    timeline_wav: Path, out_mp3: Path, settings: AudioSettings
) -> tuple[float | None, float | None]:
    """Normalize and encode; returns the MP3's integrated loudness and true peak."""
    stats = _run_ffmpeg(
        [
            "-i",
            str(timeline_wav),
            "-af",
            _loudnorm_filter(settings) + ":print_format=json",
            "-f",
            "null",
            "-",
        ]
    )
    found = re.search(r"\{[^{}]*\"input_i\"[^{}]*\}", stats, re.S)
    if not found:
        raise AudioError("ffmpeg's loudness measurement gave no figures", HINT)
    measured = json.loads(found.group(0))
    filters = (
        _loudnorm_filter(settings)
        + f":measured_I={measured['input_i']}:measured_TP={measured['input_tp']}"
        + f":measured_LRA={measured['input_lra']}:measured_thresh={measured['input_thresh']}"
        + f":offset={measured['target_offset']}:linear=true"
        + f",aresample={settings.sample_rate_hz}:resampler=soxr"
    )
    _run_ffmpeg(
        [
            "-y",
            "-i",
            str(timeline_wav),
            "-af",
            filters,
            "-ac",
            "1",
            "-ar",
            str(settings.sample_rate_hz),
            "-c:a",
            "libmp3lame",
            "-b:a",
            f"{settings.bitrate_kbps}k",
            "-write_xing",
            "1",
            "-id3v2_version",
            "0",
            "-f",
            "mp3",
            str(out_mp3),
        ]
    )
    return measure_loudness(out_mp3)


def measure_loudness(path: Path) -> tuple[float | None, float | None]:
    """Integrated loudness (LUFS) and true peak (dBTP) of an audio file, by ffmpeg's ebur128."""
    report = _run_ffmpeg(["-i", str(path), "-af", "ebur128=peak=true", "-f", "null", "-"])
    summary = report[report.rfind("Summary:") :]
    lufs = re.search(r"I:\s+(-?[\d.]+) LUFS", summary)
    peak = re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    return (
        float(lufs.group(1)) if lufs else None,
        float(peak.group(1)) if peak and peak.group(1) != "-inf" else None,
    )


def assemble(
    rendered: Sequence[RenderedSegment], settings: AudioSettings, work_dir: Path, out_mp3: Path
) -> EpisodeAudio:
    timeline, cues, chapters = build_timeline(rendered, settings)
    wav = work_dir / "timeline.wav"
    timeline.export(str(wav), format="wav")
    lufs, peak = master(wav, out_mp3, settings)
    return EpisodeAudio(
        mp3_path=out_mp3,
        duration_ms=len(timeline),
        cues=cues,
        chapters=chapters,
        integrated_lufs=lufs,
        true_peak_dbtp=peak,
    )
