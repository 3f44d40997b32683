"""Master and encode the episode: from the joined WAV (:mod:`narrate.audio.join`) to an MP3.

1. ``join.Joining`` joins the segments, as the engine says them, with cues and chapters.
2. (here) the gain that brings it to the target loudness under the limiter is fitted on the
   episode's sample (its first 30 seconds: cheap passes that write nothing).
3. ONE encode, fed the rest of the episode as it is joined (the engine still speaking): gain,
   resampling to the MP3's rate, a limiter at that rate, a low-pass, then a constant-bitrate
   MP3; ffmpeg's ``ebur128`` measures the MP3 as it is written, so the figures reported are the
   real ones. Linear in the episode's length, streamed by ffmpeg (memory is that of its
   buffers, whatever the length).

True peak holds by construction, so the encode never has to be repeated:

- the limiter runs after resampling, at 44.1 kHz, on speech that engines make at 22.05 kHz (or
  less): it is oversampled at least twice, so the peaks between its samples are a tenth of a dB;
- the low-pass at the speech's own band edge removes what the limiter's fast gain changes add
  above it, which LAME's own low-pass would otherwise cut, raising the peaks (Gibbs);
- what is left, LAME's quantization noise, is a margin measured for libmp3lame at each bitrate
  (``MP3_MARGIN_DB``) that the limiter stays below the ceiling.

Should the MP3 still measure over the ceiling (or far off the target loudness), it is encoded
once more with the miss corrected, and a warning says why.
"""

from __future__ import annotations

import contextlib
import logging
import math
import re
import subprocess
import tempfile
import wave
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from narrate.audio.ffmpeg import HINT, ffmpeg_exe, run_ffmpeg
from narrate.audio.join import Joining, opening, wav_writer, write_wav
from narrate.errors import AudioError
from narrate.models import AudioSettings, EpisodeAudio, Finish, RenderedSegment

log = logging.getLogger(__name__)

SILENT_LUFS = -45.0  # quieter than this before mastering is no speech
MAX_GAIN_DB = 30.0
GAIN_STEPS = 5  # limiter passes on the sample to find the gain (each measured, none written)
FIT_TOLERANCE_LU = 0.3  # a limiter pass this close to the aim is close enough
ENCODES = 2  # the one encode, and one more only if it missed (a warning says why)
# Podcast practice allows 1 LU off the target; the sample stands for the whole within a few
# tenths, so a miss larger than this is a sample that did not stand for the episode.
ENCODE_TOLERANCE_LU = 1.0
# LAME's MP3 of espeak speech measures about 0.4 LU below its input (at 64 and at 128 kbps):
# aiming that much higher makes the encode land on the target.
ENCODER_LOSS_LU = 0.4
# ebur128 logs its figures ten times a second of audio (8,000 lines for 13 minutes, which ffmpeg
# writes and narrate reads) unless told to log them at the verbose level; the summary stays.
QUIET = "framelog=verbose"
LOWPASS_HZ = 11_000  # the band of speech made at 22.05 kHz; lower for engines with less
# How far LAME's MP3 rises above the limiter's output (true peak over sample peak), by bitrate:
# measured on whole 12-minute episodes of espeak-ng and Piper speech mastered to -16 LUFS with
# this module's chain, the limiter at -3 and at -4 dBFS (the worst of the voices and limits,
# plus 0.3 dB; Piper's is the larger: 2.5 dB at 64 kbps, 0.5 at 96). The rarest peaks grow with
# the length: a 74-minute espeak-ng episode rose 2.9 dB at 64 kbps (benchmarks/build.py, its
# edited rebuild), so 64 kbps (and 48, to stay above it) keep 0.5 dB over that. A row is for
# its bitrate and those between it and the row before; under the lowest, 0.5 dB more per
# halving.
MP3_MARGIN_DB = ((48, 4.1), (64, 3.4), (96, 0.8), (128, 0.5))


def mp3_margin_db(bitrate_kbps: int) -> float:
    """How far below the true-peak ceiling the limiter is set for an MP3 at this bitrate."""
    lowest, first = MP3_MARGIN_DB[0]
    if bitrate_kbps < lowest:
        return first + 0.5 * math.log2(lowest / max(1, bitrate_kbps))
    return next((m for kbps, m in MP3_MARGIN_DB if bitrate_kbps <= kbps), MP3_MARGIN_DB[-1][1])


@dataclass(frozen=True)
class PcmStream:
    """The episode's audio as it is being joined: mono 16-bit pieces at ``rate``, to be encoded
    as they come (the iterator also finishes writing the timeline's WAV)."""

    rate: int
    pieces: Iterator[bytes]


def master(
    timeline_wav: Path,
    out_mp3: Path,
    settings: AudioSettings,
    out_aac: Path | None = None,
    sample_wav: Path | None = None,
    live: PcmStream | None = None,
) -> tuple[float | None, float | None]:
    """Normalize and encode; returns the MP3's integrated loudness and true peak.

    The gain is fitted on ``sample_wav`` (a part of the episode that stands for it; default the
    whole), with the very chain the encode uses, so the fitting passes cost a fraction of the
    encode. The MP3 is encoded once and measured whole as it is written: from ``live`` when
    given (the episode still being joined, and spoken), else from ``timeline_wav``, which a
    second encode, if any, reads.

    With ``out_aac``, an AAC copy is encoded from the same mastered signal (not from the MP3).

    Synthetic speech is peaky: raising it to -16 LUFS pushes its peaks far past the ceiling, and
    ffmpeg's loudnorm then falls back to its dynamic mode and misses the target by a dB or more.
    So narrate applies the gain under a limiter set below the ceiling by the encoder's margin
    and searches for the gain that lands on the target.
    """
    fit_wav = sample_wav or timeline_wav
    band_hz = min(LOWPASS_HZ, (live.rate if live else _rate(timeline_wav)) // 2)
    loudness, _ = measure_loudness(fit_wav, true_peak=False)
    if loudness is None or loudness < SILENT_LUFS:
        # ebur128 gives -70 LUFS for digital silence: raising that to -16 would publish noise.
        raise AudioError(
            f"the episode is (nearly) silent: {loudness} LUFS before mastering",
            "check the voice profile's volume and the engine with `narrate voices`",
        )
    target = settings.target_lufs
    aim = target + ENCODER_LOSS_LU
    ceiling = settings.true_peak_dbtp
    limit_db = ceiling - mp3_margin_db(settings.bitrate_kbps)
    gain_db, slope = target - loudness, 1.0
    encoded: tuple[float | None, float | None] = (None, None)
    chain = ""
    for attempt in range(ENCODES):
        gain_db, slope = _fit_gain(fit_wav, settings, aim, gain_db, loudness, limit_db, band_hz)
        chain = _chain(settings, gain_db, limit_db, band_hz)
        source = live if live is not None and attempt == 0 else timeline_wav
        encoded = _encode_measured(source, out_mp3, settings, chain)
        got, peak = encoded
        if got is None or peak is None:
            break
        loud_ok, peak_ok = abs(target - got) <= ENCODE_TOLERANCE_LU, peak <= ceiling
        if loud_ok and peak_ok:
            break
        if attempt + 1 < ENCODES:
            log.warning(
                "the MP3 came out at %s LUFS, true peak %s dBTP (aimed at %s LUFS, at most %s "
                "dBTP): %s; encoding it once more",
                got,
                peak,
                target,
                ceiling,
                "its peaks rose above the limiter by more than the margin measured for "
                f"{settings.bitrate_kbps} kbps"
                if not peak_ok
                else "the sample the gain was fitted on is not as loud as the whole",
            )
        if not peak_ok:
            limit_db -= peak - ceiling + 0.3
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
        run_ffmpeg(
            ["-y", "-i", str(timeline_wav), "-af", chain, "-ac", "1",
             "-ar", str(settings.sample_rate_hz), "-c:a", "aac",
             "-b:a", f"{settings.bitrate_kbps}k", "-movflags", "+faststart",
             "-f", "mp4", str(out_aac)]
        )  # fmt: skip
    return encoded


def _rate(wav_path: Path) -> int:
    try:
        with wave.open(str(wav_path), "rb") as wav:
            return wav.getframerate()
    except (OSError, wave.Error, EOFError) as exc:
        raise AudioError(f"cannot read the joined audio {wav_path}", "please report this") from exc


def _encode_measured(
    source: Path | PcmStream, out_mp3: Path, settings: AudioSettings, filters: str
) -> tuple[float | None, float | None]:
    """Encode the MP3 and measure it in the same time: ffmpeg's tee muxer writes the file
    (seekable, so it gets its Info header) and a copy of the same MP3 stream into a pipe, where
    a second ffmpeg decodes it and measures its loudness and true peak. The two run on two
    cores, so the measurement costs about nothing; what it measures is the encoded audio.
    ``source`` is a WAV file, or PCM fed to the encoder's stdin as it comes."""
    ffmpeg = ffmpeg_exe()
    outputs = f"[f=mp3:write_xing=1:id3v2_version=0]{_tee_escape(out_mp3)}|[f=mp3]pipe:1"
    if isinstance(source, PcmStream):  # fed through stdin
        given = ["-f", "s16le", "-ar", str(source.rate), "-ac", "1", "-i", "pipe:0"]
    else:
        given = ["-nostdin", "-i", str(source)]
    encode = [ffmpeg, "-hide_banner", "-loglevel", "error", "-y", *given,
              "-af", filters, "-ac", "1", "-ar", str(settings.sample_rate_hz),
              "-c:a", "libmp3lame", "-b:a", f"{settings.bitrate_kbps}k", "-map", "0:a",
              "-f", "tee", outputs]  # fmt: skip
    meter = [ffmpeg, "-hide_banner", "-nostdin", "-f", "mp3", "-i", "pipe:0",
             "-af", f"ebur128=peak=true:{QUIET}", "-f", "null", "-"]  # fmt: skip
    log.debug("running %s | %s", " ".join(encode), " ".join(meter))
    with tempfile.TemporaryFile() as encoder_errors, tempfile.TemporaryFile() as report:
        try:
            encoder = subprocess.Popen(
                encode,
                stdin=subprocess.PIPE if isinstance(source, PcmStream) else subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=encoder_errors,
                start_new_session=True,
            )
            meter_process = subprocess.Popen(
                meter,
                stdin=encoder.stdout,
                stdout=subprocess.DEVNULL,
                stderr=report,
                start_new_session=True,
            )
        except OSError as exc:
            raise AudioError(f"cannot run ffmpeg: {exc}", HINT) from exc
        assert encoder.stdout is not None
        encoder.stdout.close()  # the meter's now: the encoder sees it go if the meter dies
        try:
            if isinstance(source, PcmStream):
                _feed(encoder, source.pieces)
            encoder.wait()
            meter_process.wait()
        except BaseException:
            for process in (encoder, meter_process):
                process.kill()
                process.wait()
            raise
        if encoder.returncode != 0:
            encoder_errors.seek(0)
            tail = encoder_errors.read().decode(errors="replace").strip().splitlines()[-1:]
            raise AudioError(f"ffmpeg failed to encode: {(tail or ['(no output)'])[0]}", HINT)
        if meter_process.returncode != 0:
            raise AudioError("ffmpeg could not decode the MP3 it had just encoded", HINT)
        report.seek(0)
        return _summary(report.read().decode(errors="replace"))


def _feed(encoder: subprocess.Popen[bytes], pieces: Iterator[bytes]) -> None:
    """Write the pieces to the encoder's stdin as they come; an encoder that stopped reading
    (it failed: its exit status says so) is not fed further."""
    assert encoder.stdin is not None
    try:
        for piece in pieces:
            encoder.stdin.write(piece)
        encoder.stdin.close()
    except BrokenPipeError:
        with contextlib.suppress(BrokenPipeError):
            encoder.stdin.close()


def _tee_escape(path: Path) -> str:
    """A file name as the tee muxer's output list needs it (its separators escaped)."""
    text = str(path)
    for special in ("\\", "'", "|", "[", "]", ":"):
        text = text.replace(special, "\\" + special)
    return text


def _chain(settings: AudioSettings, gain_db: float, limit_db: float, band_hz: int) -> str:
    """Gain, resampling to the output rate (soxr), the limiter at that rate (oversampled for
    the speech's band), then a low-pass at the band's edge: what the encoder is given."""
    limit = min(1.0, max(0.0625, 10 ** (limit_db / 20)))  # alimiter: -24 to 0 dBFS
    return (
        f"volume={gain_db:.2f}dB,aresample={settings.sample_rate_hz}:resampler=soxr,"
        f"alimiter=limit={limit:.4f}:attack=5:release=50:level=0,lowpass=f={band_hz}"
    )


def _fit_gain(
    wav: Path,
    settings: AudioSettings,
    aim: float,
    gain_db: float,
    loudness: float,
    limit_db: float,
    band_hz: int,
) -> tuple[float, float]:
    """The gain that, under the limiter, gives ``aim`` LUFS (secant steps from a first guess),
    and how many LUFS a dB of gain adds there."""
    tried = [(0.0, loudness)]  # (gain, loudness that came out)
    slope = 1.0
    for _ in range(GAIN_STEPS):
        chain = _chain(settings, gain_db, limit_db, band_hz) + f",ebur128={QUIET}"
        got = _integrated(run_ffmpeg(["-i", str(wav), "-af", chain, "-f", "null", "-"]))
        if got is None or abs(aim - got) <= FIT_TOLERANCE_LU:
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
    meter = f"ebur128=peak=true:{QUIET}" if true_peak else f"ebur128={QUIET}"
    return _summary(run_ffmpeg(["-i", str(path), "-af", meter, "-f", "null", "-"]))


def _summary(report: str) -> tuple[float | None, float | None]:
    """Integrated loudness and true peak from ebur128's summary (peak None when unmeasured)."""
    peak = re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", report[report.rfind("Summary:") :])
    return (
        _integrated(report),
        float(peak.group(1)) if peak and peak.group(1) != "-inf" else None,
    )


def assemble(
    rendered: Iterable[RenderedSegment],
    settings: AudioSettings,
    work_dir: Path,
    out_mp3: Path,
    out_aac: Path | None = None,
    finish: Finish | None = None,
) -> EpisodeAudio:
    """The mastered episode from its segments, which may still be arriving (in order) from
    the engine: the opening is joined first and the gain fitted on it, then the rest is joined
    and encoded as it comes, so the encoder works while the engine speaks."""
    joining = Joining(rendered, settings, finish)
    wav_path, sample_path = work_dir / "timeline.wav", work_dir / "timeline-sample.wav"
    pieces = joining.pieces()
    wav = wav_writer(wav_path, joining.rate)
    try:
        first = opening(pieces, joining.rate, wav)
        write_wav(sample_path, joining.rate, first)

        def everything() -> Iterator[bytes]:
            yield from first
            for piece in pieces:
                wav.writeframesraw(piece)
                yield piece
            wav.close()

        live = PcmStream(joining.rate, everything())
        lufs, peak = master(wav_path, out_mp3, settings, out_aac, sample_path, live)
    finally:
        wav.close()  # closing twice does nothing
    timeline = joining.timeline(wav_path, sample_path)
    return EpisodeAudio(
        mp3_path=out_mp3,
        duration_ms=timeline.duration_ms,
        cues=timeline.cues,
        chapters=timeline.chapters,
        integrated_lufs=lufs,
        true_peak_dbtp=peak,
    )
