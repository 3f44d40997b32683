"""Join rendered segments (and intro/outro files) into the episode's unmastered WAV.

1. Each segment's WAV is trimmed of the silence the engine leaves around it, so that the pauses
   are exactly the script's; the optional intro/outro files (jingles) go first and last, their
   level matched to the voice's and their edges faded.
2. The audio is written to one WAV as it goes, a segment at a time: memory stays that of one
   segment and time stays linear in the episode's length (a 60-minute episode is ~160 MB of
   samples, and joining pydub segments with ``+`` copies the whole timeline at every step).
   Positions are counted in samples, so every cue and chapter is exact to the sample.
3. It is finished as the voice profile's ``[finish]`` says (``Finish``; None joins as is):
   a lead-in before the first sound and a tail after the last; each segment fades in and out
   over a few milliseconds (espeak-ng drops from speech to digital zero within a millisecond:
   a click at every sentence's end); optionally a room tone, a quiet noise floor under
   everything, instead of digital silence. The noise is drawn from a seeded generator, so a
   rebuild is byte for byte the same.
4. Every segment is read at the rate its file really has (engines write the real rate into the
   header: :mod:`narrate.engines.pool`) and resampled to the episode's speech rate, the highest
   of them; mastering resamples that to the MP3's.
5. The audio comes out a piece at a time (``Joining.pieces``), so that mastering can encode it
   as the segments arrive from the engine, in order. A long episode also gets a sample: its
   opening, the first ``SAMPLE_TARGET_MS`` (whole segments with their pauses). One voice speaks
   at one level, so its loudness and its response to the limiter are the episode's (openings of
   20, 30, 45 and 90 s of a 13-minute espeak-ng episode were all within 0.2 LU of the whole);
   mastering fits its gain on the sample, then measures the whole encoded episode
   (:mod:`narrate.audio.master`).
"""

from __future__ import annotations

import itertools
import math
import random
import warnings
import wave
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from narrate.audio.decode import decode
from narrate.audio.ffmpeg import pydub_segment
from narrate.errors import AudioError
from narrate.models import AudioSettings, Chapter, Cue, Finish, RenderedSegment

AudioSegment = Any  # pydub's class (untyped); pydub_segment() gives it, set to our ffmpeg

SILENCE_DBFS = -50.0
JINGLE_GAP_MS = 300  # silence between a jingle and the speech
KEEP_EDGE_MS = 20  # of the engine's own silence, so that no consonant is clipped
SAMPLE_WIDTH = 2  # 16-bit
SAMPLE_TARGET_MS = 30_000  # a longer episode's opening of this length is its sample
ROOM_TONE_S = 7  # the room tone's loop (noise, low-passed: a soft hiss, never a tone)
ROOM_TONE_SEED = 20260303
USUAL_RATE_HZ = 22_050  # espeak-ng's and Piper's: the room tone made before the first segment


@dataclass(frozen=True)
class Timeline:
    wav_path: Path
    sample_path: Path  # what mastering fits its gain on: the episode itself when it is short
    duration_ms: int
    cues: tuple[Cue, ...]
    chapters: tuple[Chapter, ...]


def _load(path: Path, rate: int) -> AudioSegment:
    pcm = decode(path, rate)  # ffmpeg alone: pydub's from_file needs ffprobe
    return pydub_segment()(data=pcm.data, sample_width=SAMPLE_WIDTH, frame_rate=rate, channels=1)


def _trim(sound: AudioSegment) -> AudioSegment:
    from pydub.silence import detect_leading_silence  # pydub is loaded: pydub_segment()

    start = max(0, detect_leading_silence(sound, SILENCE_DBFS) - KEEP_EDGE_MS)
    end = max(0, detect_leading_silence(sound.reverse(), SILENCE_DBFS) - KEEP_EDGE_MS)
    trimmed = sound[start : len(sound) - end]
    return trimmed if len(trimmed) > 0 else sound


def _speech(item: RenderedSegment, rate: int) -> AudioSegment:
    try:
        sound = pydub_segment().from_wav(str(item.wav_path))
    except Exception as exc:  # a WAV the engine wrote and checked: this is a bug
        raise AudioError(
            f"cannot read the audio of segment {item.segment.text[:60]!r}", "please report this"
        ) from exc
    return _trim(sound.set_channels(1).set_frame_rate(rate).set_sample_width(SAMPLE_WIDTH))


def _rate(rendered: Sequence[RenderedSegment]) -> int:
    rates = set()
    for item in rendered:
        with wave.open(str(item.wav_path), "rb") as wav:
            rates.add(wav.getframerate())
    return max(rates)


class _Clock:
    """The episode's PCM (mono 16-bit) a piece at a time, its length counted in samples, over
    a room tone (``floor``, looped) or digital silence."""

    def __init__(self, rate: int, floor: bytes = b"") -> None:
        self.rate = rate
        self.frames = 0
        self.floor = floor
        self.looped = floor * 2  # a piece up to the loop's length, from anywhere in it

    @property
    def ms(self) -> int:
        return round(self.frames * 1000 / self.rate)

    def sound(self, sound: AudioSegment) -> bytes:
        return self.raw(sound.raw_data)

    def raw(self, data: bytes) -> bytes:
        if self.floor:
            data = _audioop().add(data, self._floor(len(data)), SAMPLE_WIDTH)
        self.frames += len(data) // SAMPLE_WIDTH
        return data

    def silence(self, ms: int) -> bytes:
        frames = ms * self.rate // 1000
        size = frames * SAMPLE_WIDTH
        data = self._floor(size) if self.floor else b"\x00" * size
        self.frames += frames
        return data

    def _floor(self, size: int) -> bytes:
        """The room tone's next ``size`` bytes, from where the episode is in its loop."""
        start = (self.frames * SAMPLE_WIDTH) % len(self.floor)
        if start + size <= len(self.looped):
            return self.looped[start : start + size]
        loops = self.floor * (2 + size // len(self.floor))
        return loops[start : start + size]


def wav_writer(path: Path, rate: int) -> wave.Wave_write:
    """A mono 16-bit WAV at ``rate``, to be written with ``writeframesraw`` and closed (which
    writes the final lengths into its header)."""
    out = wave.open(str(path), "wb")  # noqa: SIM115 - the caller closes it
    out.setnchannels(1)
    out.setsampwidth(SAMPLE_WIDTH)
    out.setframerate(rate)
    return out


class Joining:
    """The episode's unmastered audio as it is joined: ``pieces`` yields its PCM in order (a
    segment, a pause...), one segment in memory at a time; then ``timeline`` gives its cues and
    chapters. ``rendered`` may be an iterator whose segments arrive as they are spoken.

    The speech's rate is the first segment's (an engine speaks at one rate; a segment at
    another is resampled to it), or with a list, the highest of them. Intro/outro files are
    matched to the level of the whole speech, so with them every segment is read first."""

    def __init__(
        self,
        rendered: Iterable[RenderedSegment],
        settings: AudioSettings,
        finish: Finish | None = None,
    ) -> None:
        self.settings = settings
        self.finish = finish
        self.level = 0.0
        if settings.intro_file or settings.outro_file:
            rendered = list(rendered)
        if isinstance(rendered, Sequence):
            if not rendered:
                raise AudioError(
                    "there is nothing to put in the episode", "the script had no segments"
                )
            self.rate = _rate(rendered)
            if settings.intro_file or settings.outro_file:
                self.level = _speech_level(rendered, self.rate)
            self._rendered: Iterator[RenderedSegment] = iter(rendered)
        else:
            if finish is not None and finish.room_tone:  # made while the engine starts
                room_tone(USUAL_RATE_HZ, finish.room_tone_dbfs)
            stream = iter(rendered)
            first = next(stream, None)
            if first is None:
                raise AudioError(
                    "there is nothing to put in the episode", "the script had no segments"
                )
            self.rate = _rate([first])
            self._rendered = itertools.chain([first], stream)
        floor = room_tone(self.rate, finish.room_tone_dbfs) if finish and finish.room_tone else b""
        self.clock = _Clock(self.rate, floor)
        self.cues: list[Cue] = []
        self.starts: dict[str, int] = {}
        self.headings: list[tuple[int, str]] = []

    def pieces(self) -> Iterator[bytes]:
        out, finish, settings = self.clock, self.finish, self.settings
        if finish is not None:
            yield out.silence(finish.lead_in_ms)
        if settings.intro_file is not None:
            yield from _jingle(out, settings.intro_file, self.level, 20, 1000)
        for item in self._rendered:
            start = out.ms
            self.starts.setdefault(item.segment.part, start)
            sound = _speech(item, self.rate)
            if finish is not None:
                sound = faded(sound, finish.fade_in_ms, finish.fade_out_ms)
            yield out.sound(sound)
            self.cues.append(Cue(start, out.ms, item.segment.text))
            if item.segment.is_heading:
                self.headings.append((start, item.segment.text))
            if item.segment.pause_after_ms:
                yield out.silence(item.segment.pause_after_ms)
        if settings.outro_file is not None:
            yield from _jingle(out, settings.outro_file, self.level, 300, 1500)
        if finish is not None:
            yield out.silence(finish.tail_ms)

    def timeline(self, wav_path: Path, sample_path: Path) -> Timeline:
        """The joined episode (once ``pieces`` is spent): where it was written, its sample."""
        chapters = _chapters(self.starts, self.headings, self.clock.ms)
        return Timeline(wav_path, sample_path, self.clock.ms, tuple(self.cues), chapters)


def opening(pieces: Iterator[bytes], rate: int, wav: wave.Wave_write) -> list[bytes]:
    """The pieces of the episode's first ``SAMPLE_TARGET_MS`` (or all of it, when shorter),
    each written to ``wav`` too."""
    taken: list[bytes] = []
    size, enough = 0, SAMPLE_TARGET_MS * rate // 1000 * SAMPLE_WIDTH
    for piece in pieces:
        wav.writeframesraw(piece)
        taken.append(piece)
        size += len(piece)
        if size >= enough:
            break
    return taken


def build_timeline(
    rendered: Iterable[RenderedSegment],
    settings: AudioSettings,
    out_wav: Path,
    finish: Finish | None = None,
) -> Timeline:
    """Write the unmastered episode to ``out_wav``; its cues (sentences) and chapters, and
    beside it, for a long episode, its opening as the sample mastering fits its gain on.

    ``finish`` (the voice profile's ``[finish]``) adds the lead-in, the tail, the fades and the
    room tone; None joins the segments as they are."""
    joining = Joining(rendered, settings, finish)
    pieces = joining.pieces()
    wav = wav_writer(out_wav, joining.rate)
    try:
        first = opening(pieces, joining.rate, wav)
        for piece in pieces:
            wav.writeframesraw(piece)
    finally:
        wav.close()
    sample_path = out_wav
    if joining.clock.frames * SAMPLE_WIDTH > sum(map(len, first)):
        sample_path = out_wav.with_name(out_wav.stem + "-sample.wav")
        write_wav(sample_path, joining.rate, first)
    return joining.timeline(out_wav, sample_path)


def write_wav(path: Path, rate: int, pieces: Iterable[bytes]) -> None:
    wav = wav_writer(path, rate)
    try:
        for piece in pieces:
            wav.writeframesraw(piece)
    finally:
        wav.close()


def _audioop() -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # 3.11-3.12 warn at import
        import audioop
    return audioop


def faded(sound: AudioSegment, fade_in_ms: int, fade_out_ms: int) -> AudioSegment:
    """``sound`` with raised-cosine fades at its edges (a fade at most a third of it long).

    Raised cosine, sample by sample: pydub's fades step in decibels a millisecond at a time and
    stay near silence for most of their length, which is no fade at a sentence's end."""
    samples = array("h", sound.raw_data)
    for ms, inward in ((fade_in_ms, True), (fade_out_ms, False)):
        count = min(len(samples) // 3, ms * sound.frame_rate // 1000)
        for n in range(count):
            gain = 0.5 - 0.5 * math.cos(math.pi * (n + 0.5) / count)
            at = n if inward else len(samples) - 1 - n
            samples[at] = int(samples[at] * gain)
    return sound._spawn(samples.tobytes())


@lru_cache(maxsize=4)
def room_tone(rate: int, level_dbfs: float) -> bytes:
    """``ROOM_TONE_S`` of soft noise at ``level_dbfs`` RMS: white noise from a seeded generator,
    low-passed twice (one-pole, about 1.5 kHz) so that it is a hush, not a hiss. Made once a
    process for each rate and level (a second of work in pure Python; builds at once share it)."""
    draw = random.Random(ROOM_TONE_SEED)
    pole = math.exp(-2 * math.pi * 1500 / rate)
    gauss, keep = draw.gauss, 1 - pole
    one = two = power = 0.0
    noise = array("d", bytes(8 * ROOM_TONE_S * rate))
    for n in range(len(noise)):
        one = pole * one + keep * gauss(0.0, 1.0)
        two = pole * two + keep * one
        noise[n] = two
        power += two * two
    rms = math.sqrt(power / len(noise)) or 1.0
    scale = 32767 * 10 ** (level_dbfs / 20) / rms
    return array("h", [max(-32767, min(32767, round(x * scale))) for x in noise]).tobytes()


def _speech_level(rendered: Sequence[RenderedSegment], rate: int) -> float:
    """The speech's RMS level in dBFS over all segments (a pass over them, one at a time)."""
    power, total, full_scale = 0.0, 0, 1.0
    for item in rendered:
        sound = _speech(item, rate)
        power += sound.rms**2 * len(sound)
        total += len(sound)
        full_scale = sound.max_possible_amplitude
    if not total or not power:
        return -20.0
    return 10 * math.log10(power / total / full_scale**2)


def _jingle(
    out: _Clock, path: Path, level_dbfs: float, fade_in_ms: int, fade_out_ms: int
) -> Iterator[bytes]:
    """An intro/outro file, its level matched to the speech's (mastering sets the episode's
    loudness, so music louder than the voice would push the voice down), edges faded."""
    jingle = _load(path, out.rate)
    if jingle.rms:
        jingle = jingle.apply_gain(level_dbfs - jingle.dBFS)
    fade_in, fade_out = (min(ms, len(jingle) // 3) for ms in (fade_in_ms, fade_out_ms))
    yield out.sound(jingle.fade_in(fade_in).fade_out(fade_out))
    yield out.silence(JINGLE_GAP_MS)


def _chapters(
    starts: dict[str, int], headings: list[tuple[int, str]], total_ms: int
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
