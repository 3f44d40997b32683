"""Join rendered segments into one mastered, encoded episode.

1. Each segment's WAV is trimmed of the silence the engine leaves around it, so the pauses are
   exactly the script's; the optional intro/outro files (jingles) go first and last.
2. The timeline (pydub) is written as one WAV; its cues and chapters are known to the sample.
3. ffmpeg measures its loudness (EBU R128) and raises it to the target under a peak limiter
   (``master`` says how), resamples it (soxr) and encodes a constant-bitrate MP3.
4. ffmpeg's ``ebur128`` measures the MP3 that came out, so the figures reported are the real ones.

ffmpeg is the system's when there is one, else the copy ``imageio-ffmpeg`` ships.
"""

from __future__ import annotations

import logging
import math
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
    from pydub import AudioSegment
    from pydub.silence import detect_leading_silence

from narrate.config import AudioSettings
from narrate.errors import AudioError
from narrate.models import Chapter, Cue, EpisodeAudio, RenderedSegment

log = logging.getLogger(__name__)

SILENCE_DBFS = -50.0
JINGLE_GAP_MS = 300  # silence between a jingle and the speech
KEEP_EDGE_MS = 20  # of the engine's own silence, so that no consonant is clipped
SILENT_LUFS = -45.0  # quieter than this before mastering is no speech
MAX_GAIN_DB = 30.0
GAIN_STEPS = 6  # limiter passes to find the gain (each measured, none written)
ENCODES = 4  # MP3 encodes: another only when encoding moved loudness or true peak off target
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


def _speech_level(speech: Sequence[AudioSegment]) -> float:
    """The speech's RMS level in dBFS, over all segments (length-weighted)."""
    power = sum(s.rms**2 * len(s) for s in speech)
    total = sum(len(s) for s in speech)
    if not total or not power:
        return -20.0
    return 10 * math.log10(power / total / speech[0].max_possible_amplitude ** 2)


def _jingle(path: Path, rate: int, level_dbfs: float) -> AudioSegment:
    """An intro/outro file, mono at ``rate``, its level matched to the speech's: mastering
    sets the episode's loudness, so music louder than the voice would push the voice down."""
    try:
        jingle = AudioSegment.from_file(str(path))
    except Exception as exc:  # pydub raises bare exceptions for ffmpeg failures
        raise AudioError(
            f"cannot read audio file {path}", "use a WAV or MP3 file ffmpeg can read"
        ) from exc
    jingle = jingle.set_channels(1).set_frame_rate(rate).set_sample_width(2)
    if jingle.rms == 0:
        return jingle
    return jingle.apply_gain(level_dbfs - jingle.dBFS)


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
    raw = [AudioSegment.from_wav(str(r.wav_path)) for r in rendered]
    rate = max(s.frame_rate for s in raw)
    speech = [_trim(s.set_channels(1).set_frame_rate(rate).set_sample_width(2)) for s in raw]
    level = _speech_level(speech)
    timeline = AudioSegment.silent(duration=0, frame_rate=rate)

    def add_file(path: Path | None, *, fade_in_ms: int, fade_out_ms: int) -> None:
        nonlocal timeline
        if path is not None:
            jingle = _jingle(path, rate, level)
            fade_in, fade_out = (min(ms, len(jingle) // 3) for ms in (fade_in_ms, fade_out_ms))
            timeline += jingle.fade_in(fade_in).fade_out(fade_out)
            timeline += AudioSegment.silent(duration=JINGLE_GAP_MS, frame_rate=rate)

    add_file(settings.intro_file, fade_in_ms=20, fade_out_ms=1000)
    cues: list[Cue] = []
    starts: dict[str, int] = {}
    ends: dict[str, int] = {}
    headings: list[tuple[int, str]] = []
    for item, sound in zip(rendered, speech, strict=True):
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
    add_file(settings.outro_file, fade_in_ms=300, fade_out_ms=1500)
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
        # Its own session: a Ctrl-C meant for narrate must not look like an ffmpeg failure.
        done = subprocess.run(
            command, capture_output=True, text=True, check=False, start_new_session=True
        )
    except OSError as exc:
        raise AudioError(f"cannot run ffmpeg: {exc}", HINT) from exc
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-1:] or ["(no output)"]
        raise AudioError(f"ffmpeg failed: {tail[0]}", HINT)
    return done.stderr


def master(
    timeline_wav: Path, out_mp3: Path, settings: AudioSettings, out_aac: Path | None = None
) -> tuple[float | None, float | None]:
    """Normalize and encode; returns the MP3's integrated loudness and true peak.

    With ``out_aac``, an AAC copy is encoded from the same mastered signal (not from the MP3).

    Synthetic speech is peaky: raising it to -16 LUFS pushes its peaks far past the ceiling, and
    ffmpeg's loudnorm then falls back to its dynamic mode and misses the target by a dB or more.
    So narrate applies the gain under a limiter set below the ceiling and searches for the gain
    that lands on the target (EBU R128, measured on the limiter's output without writing it).
    MP3 encoding moves both the loudness (a few tenths of a dB) and the true peak (up to a dB or
    two above the limiter's sample peaks), so each encoded file is measured; while it misses,
    the aim moves by the loudness shift, the limiter goes down by the peak's excess, and it is
    encoded again (at most ``ENCODES`` times).
    """
    loudness, _ = measure_loudness(timeline_wav, true_peak=False)
    if loudness is None or loudness < SILENT_LUFS:
        # ebur128 gives -70 LUFS for digital silence: raising that to -16 would publish noise.
        raise AudioError(
            f"the episode is (nearly) silent: {loudness} LUFS before mastering",
            "check the voice profile's volume and the engine with `narrate voices`",
        )
    target = aim = settings.target_lufs
    ceiling = settings.true_peak_dbtp
    limit_db = ceiling - 1.5  # sample peaks; the encoder's true peaks land above them
    gain_db, slope = target - loudness, 1.0
    encoded: tuple[float | None, float | None] = (None, None)
    chain = ""
    for _ in range(ENCODES):
        gain_db, slope = _fit_gain(timeline_wav, settings, aim, gain_db, loudness, limit_db)
        chain = _chain(settings, gain_db, limit_db)
        _encode(timeline_wav, out_mp3, settings, chain)
        encoded = measure_loudness(out_mp3)
        got, peak = encoded
        if got is None or peak is None:
            break
        loud_ok, peak_ok = abs(target - got) <= 0.2, peak <= ceiling
        if loud_ok and peak_ok:
            break
        if not peak_ok:
            limit_db -= peak - ceiling + 0.2
        if not loud_ok:
            aim += target - got
            gain_db += (target - got) / slope
    else:
        log.warning(
            "mastering ended at %s LUFS, true peak %s dBTP (aimed at %s LUFS, at most %s dBTP)",
            *encoded,
            target,
            ceiling,
        )
    if out_aac is not None:
        _run_ffmpeg(
            ["-y", "-i", str(timeline_wav), "-af", chain, "-ac", "1",
             "-ar", str(settings.sample_rate_hz), "-c:a", "aac",
             "-b:a", f"{settings.bitrate_kbps}k", "-movflags", "+faststart",
             "-f", "mp4", str(out_aac)]
        )  # fmt: skip
    return encoded


def _encode(wav: Path, out_mp3: Path, settings: AudioSettings, filters: str) -> None:
    _run_ffmpeg(
        ["-y", "-i", str(wav), "-af", filters, "-ac", "1", "-ar", str(settings.sample_rate_hz),
         "-c:a", "libmp3lame", "-b:a", f"{settings.bitrate_kbps}k", "-write_xing", "1",
         "-id3v2_version", "0", "-f", "mp3", str(out_mp3)]
    )  # fmt: skip


def _chain(settings: AudioSettings, gain_db: float, limit_db: float) -> str:
    limit = max(0.0625, 10 ** (limit_db / 20))  # alimiter's floor is -24 dBFS
    return (
        f"aresample={settings.sample_rate_hz}:resampler=soxr,volume={gain_db:.2f}dB,"
        f"alimiter=limit={limit:.4f}:attack=5:release=50:level=0"
    )


def _fit_gain(
    wav: Path,
    settings: AudioSettings,
    aim: float,
    gain_db: float,
    loudness: float,
    limit_db: float,
) -> tuple[float, float]:
    """The gain that, under the limiter, gives ``aim`` LUFS (secant steps from a first guess),
    and how many LUFS a dB of gain adds there."""
    tried = [(0.0, loudness)]  # (gain, loudness that came out)
    slope = 1.0
    for _ in range(GAIN_STEPS):
        report = _run_ffmpeg(
            [
                "-i",
                str(wav),
                "-af",
                _chain(settings, gain_db, limit_db) + ",ebur128",
                "-f",
                "null",
                "-",
            ]
        )
        got = _integrated(report)
        if got is None or abs(aim - got) <= 0.1:  # ebur128 reports tenths
            break
        tried.append((gain_db, got))
        (g0, l0), (g1, l1) = tried[-2], tried[-1]
        # How much louder one more dB of gain makes it, once the limiter has had its share.
        slope = min(1.0, max(0.2, (l1 - l0) / (g1 - g0))) if g1 != g0 else 1.0
        gain_db = min(MAX_GAIN_DB, gain_db + (aim - got) / slope)
    return gain_db, slope


def _integrated(report: str) -> float | None:
    summary = report[report.rfind("Summary:") :]
    found = re.search(r"I:\s+(-?[\d.]+) LUFS", summary)
    return float(found.group(1)) if found else None


def measure_loudness(path: Path, *, true_peak: bool = True) -> tuple[float | None, float | None]:
    """Integrated loudness (LUFS) and true peak (dBTP) of an audio file, by ffmpeg's ebur128."""
    meter = "ebur128=peak=true" if true_peak else "ebur128"
    report = _run_ffmpeg(["-i", str(path), "-af", meter, "-f", "null", "-"])
    peak = re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", report[report.rfind("Summary:") :])
    return (
        _integrated(report),
        float(peak.group(1)) if peak and peak.group(1) != "-inf" else None,
    )


def assemble(
    rendered: Sequence[RenderedSegment],
    settings: AudioSettings,
    work_dir: Path,
    out_mp3: Path,
    out_aac: Path | None = None,
) -> EpisodeAudio:
    timeline, cues, chapters = build_timeline(rendered, settings)
    wav = work_dir / "timeline.wav"
    timeline.export(str(wav), format="wav")
    lufs, peak = master(wav, out_mp3, settings, out_aac)
    return EpisodeAudio(
        mp3_path=out_mp3,
        duration_ms=len(timeline),
        cues=cues,
        chapters=chapters,
        integrated_lufs=lufs,
        true_peak_dbtp=peak,
    )
