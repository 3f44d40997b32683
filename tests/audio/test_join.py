"""Joining: exact cue times from the tone engine, jingles at the voice's level, chapters."""

from __future__ import annotations

import wave
from array import array
from dataclasses import replace
from pathlib import Path

from pydub import AudioSegment
from pydub.generators import Sine

from conftest import AUDIO
from narrate.audio.join import JINGLE_GAP_MS, SAMPLE_TARGET_MS, Timeline, build_timeline
from narrate.config import load_settings
from narrate.engines.protocol import render_all
from narrate.engines.tone import ToneEngine, word_ms
from narrate.models import AudioSettings, RenderedSegment, Segment
from narrate.voices import load_profile

PROFILE = load_profile("test-tone")
WORD_MS = word_ms(PROFILE)


def _join(rendered: list[RenderedSegment], settings: AudioSettings, where: Path) -> Timeline:
    return build_timeline(rendered, settings, where / "timeline.wav")


def _script() -> list[Segment]:
    return [
        Segment("Show name.", "Show name.", 500, part="intro"),
        Segment("The headline here.", "The headline here.", 1400, part="intro"),
        Segment("First sentence of the story.", "First sentence of the story.", 400),
        Segment("A heading", "A heading", 1000, is_heading=True, paragraph=1),
        Segment("Second one.", "Second one.", 900, paragraph=2),
        Segment("Goodbye from the show.", "Goodbye from the show.", 0, part="outro"),
    ]


def test_cues_sit_at_the_sum_of_the_lengths_and_pauses_before_them(tmp_path: Path) -> None:
    segments = _script()
    rendered = render_all(ToneEngine(), segments, tmp_path, PROFILE)
    timeline = _join(rendered, AUDIO, tmp_path)
    cues, chapters = timeline.cues, timeline.chapters
    position = 0
    for segment, cue in zip(segments, cues, strict=True):
        length = len(segment.spoken.split()) * WORD_MS
        assert (cue.start_ms, cue.end_ms, cue.text) == (position, position + length, segment.text)
        position += length + segment.pause_after_ms
    assert timeline.duration_ms == position
    assert len(AudioSegment.from_wav(str(timeline.wav_path))) == position
    assert [c.title for c in chapters] == [
        "Introduction",
        "Article",
        "A heading",
        "About this episode",
    ]
    assert chapters[1].start_ms == cues[2].start_ms
    assert chapters[2].start_ms == cues[3].start_ms
    assert chapters[-1].start_ms == cues[-1].start_ms
    assert chapters[-1].end_ms == timeline.duration_ms


def test_intro_and_outro_files_frame_the_speech(tmp_path: Path) -> None:
    jingle_rendered = render_all(
        ToneEngine(),
        [Segment("jingle", "one two three four five", 0)],
        tmp_path / "jingle",
        PROFILE,
    )
    jingle = jingle_rendered[0].wav_path
    settings = replace(AUDIO, intro_file=jingle, outro_file=jingle)
    rendered = render_all(ToneEngine(), _script(), tmp_path / "speech", PROFILE)
    framed = _join(rendered, settings, tmp_path)
    jingle_ms = 5 * WORD_MS + JINGLE_GAP_MS
    assert framed.cues[0].start_ms == jingle_ms
    plain = build_timeline(rendered, AUDIO, tmp_path / "plain.wav")
    assert framed.duration_ms == plain.duration_ms + 2 * jingle_ms


def test_a_loud_jingle_is_brought_to_the_speech_level_and_faded(tmp_path: Path) -> None:
    loud = tmp_path / "loud.wav"
    Sine(440).to_audio_segment(duration=3000, volume=-1.0).export(str(loud), format="wav")
    rendered = render_all(ToneEngine(), _script(), tmp_path / "speech", PROFILE)
    joined = _join(rendered, replace(AUDIO, intro_file=loud), tmp_path)
    timeline, cues = AudioSegment.from_wav(str(joined.wav_path)), joined.cues
    speech_level = timeline[cues[0].start_ms : cues[0].end_ms].dBFS
    steady = timeline[1000:1800]  # after the fade-in, before the fade-out
    assert abs(steady.dBFS - speech_level) < 1.5, (steady.dBFS, speech_level)
    assert timeline[2990:3000].dBFS < steady.dBFS - 20  # faded out at the end
    assert timeline[3000 : 3000 + JINGLE_GAP_MS].rms == 0  # then a gap before the voice


def test_the_packaged_chime_is_a_short_sound(tmp_path: Path) -> None:
    (tmp_path / "narrate.toml").write_text('[audio]\nintro_file = "chime"\n')
    settings = load_settings(cwd=tmp_path)
    assert settings.audio.intro_file is not None
    chime = AudioSegment.from_wav(str(settings.audio.intro_file))
    assert 500 <= len(chime) <= 3000 and chime.rms > 0
    rendered = render_all(ToneEngine(), _script(), tmp_path / "speech", PROFILE)
    cues = _join(rendered, settings.audio, tmp_path).cues
    assert cues[0].start_ms == len(chime) + JINGLE_GAP_MS


def test_a_long_episode_gets_its_opening_as_a_sample(tmp_path: Path) -> None:
    segments = [Segment(f"Sentence {i}.", "w " * 10, 300) for i in range(70)]  # 161 s
    rendered = render_all(ToneEngine(), segments, tmp_path / "speech", PROFILE)
    joined = _join(rendered, AUDIO, tmp_path)
    assert joined.sample_path != joined.wav_path
    sample = AudioSegment.from_wav(str(joined.sample_path))
    # The opening, in whole segments (the sample ends where a segment's sound or pause does).
    assert SAMPLE_TARGET_MS <= len(sample) < SAMPLE_TARGET_MS + 10 * WORD_MS + 300
    assert len(sample) % (10 * WORD_MS + 300) in (0, 10 * WORD_MS)
    whole = AudioSegment.from_wav(str(joined.wav_path))
    assert sample.raw_data == whole[: len(sample)].raw_data
    (tmp_path / "short").mkdir()
    short = _join(rendered[:5], AUDIO, tmp_path / "short")
    assert short.sample_path == short.wav_path  # a short episode is its own sample


FINISH = replace(load_profile("default").finish, room_tone=False)  # silence to measure against


def _samples(path: Path) -> tuple[int, array[int]]:
    with wave.open(str(path), "rb") as wav:
        return wav.getframerate(), array("h", wav.readframes(wav.getnframes()))


def test_the_finish_adds_a_lead_in_and_a_tail_and_keeps_cues_exact(tmp_path: Path) -> None:
    segments = _script()
    rendered = render_all(ToneEngine(), segments, tmp_path, PROFILE)
    timeline = build_timeline(rendered, AUDIO, tmp_path / "t.wav", FINISH)
    position = FINISH.lead_in_ms
    for segment, cue in zip(segments, timeline.cues, strict=True):
        length = len(segment.spoken.split()) * WORD_MS
        assert (cue.start_ms, cue.end_ms) == (position, position + length)
        position += length + segment.pause_after_ms
    assert timeline.duration_ms == position + FINISH.tail_ms
    rate, samples = _samples(timeline.wav_path)
    lead = FINISH.lead_in_ms * rate // 1000
    assert not any(samples[:lead]) and not any(samples[-(FINISH.tail_ms * rate // 1000) :])
    assert timeline.chapters[0].start_ms == 0  # the first chapter holds the lead-in


def test_segments_fade_in_and_out_instead_of_stopping_at_a_cliff(tmp_path: Path) -> None:
    rendered = render_all(ToneEngine(), _script()[:1], tmp_path, PROFILE)
    plain = build_timeline(rendered, AUDIO, tmp_path / "plain.wav")
    finished = build_timeline(rendered, AUDIO, tmp_path / "finished.wav", FINISH)
    rate, whole = _samples(plain.wav_path)
    _, smooth = _samples(finished.wav_path)
    raw = whole[: rendered[0].duration_ms * rate // 1000]  # the tone, without its pause
    start = FINISH.lead_in_ms * rate // 1000
    speech = smooth[start : start + len(raw)]
    fade_out = FINISH.fade_out_ms * rate // 1000
    assert max(abs(s) for s in raw[-20:]) > 5_000  # the tone ends at full level: a click
    assert max(abs(s) for s in speech[-20:]) < 50  # finished: it has faded to nothing
    envelope = [max(abs(s) for s in speech[-fade_out + n : -fade_out + n + 40]) for n in (0, 600)]
    assert envelope[0] > envelope[1]  # falling through the fade, not stepping
    middle = slice(len(raw) // 3, 2 * len(raw) // 3)
    assert speech[middle] == raw[middle]  # between the fades, nothing changes


def test_room_tone_fills_the_silences_quietly_and_the_same_every_build(tmp_path: Path) -> None:
    toned = replace(FINISH, room_tone=True)
    rendered = render_all(ToneEngine(), _script(), tmp_path, PROFILE)
    one = build_timeline(rendered, AUDIO, tmp_path / "one.wav", toned)
    two = build_timeline(rendered, AUDIO, tmp_path / "two.wav", toned)
    assert one.wav_path.read_bytes() == two.wav_path.read_bytes()
    timeline = AudioSegment.from_wav(str(one.wav_path))
    pause = timeline[one.cues[0].end_ms + 50 : one.cues[1].start_ms - 50]
    assert pause.rms > 0  # no digital silence
    assert abs(pause.dBFS - toned.room_tone_dbfs) < 1.5, pause.dBFS
    assert abs(len(timeline) - one.duration_ms) <= 1


def test_segments_are_resampled_from_the_rate_their_files_really_have(tmp_path: Path) -> None:
    rendered = render_all(ToneEngine(), _script()[:2], tmp_path, PROFILE)
    slow = tmp_path / "16k.wav"
    AudioSegment.from_wav(str(rendered[0].wav_path)).set_frame_rate(16000).export(
        str(slow), format="wav"
    )
    mixed = [replace(rendered[0], wav_path=slow), rendered[1]]
    timeline = build_timeline(mixed, AUDIO, tmp_path / "t.wav")
    first = timeline.cues[0]
    assert abs((first.end_ms - first.start_ms) - rendered[0].duration_ms) <= 2  # not sped up
    assert _samples(timeline.wav_path)[0] == 22050
