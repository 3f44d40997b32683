"""Joining and mastering: exact cue times from the tone engine, podcast loudness, MP3 format."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from mutagen.mp3 import MP3, BitrateMode
from pydub import AudioSegment
from pydub.generators import Sine

from narrate.audio import JINGLE_GAP_MS, assemble, build_timeline, measure_loudness
from narrate.config import AudioSettings, load_settings
from narrate.engines.tone import ToneEngine, word_ms
from narrate.models import Segment
from narrate.voices import load_profile

PROFILE = load_profile("test-tone")
WORD_MS = word_ms(PROFILE)


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
    rendered = ToneEngine().render(segments, tmp_path, PROFILE)
    timeline, cues, chapters = build_timeline(rendered, AudioSettings())
    position = 0
    for segment, cue in zip(segments, cues, strict=True):
        length = len(segment.spoken.split()) * WORD_MS
        assert (cue.start_ms, cue.end_ms, cue.text) == (position, position + length, segment.text)
        position += length + segment.pause_after_ms
    assert len(timeline) == position
    assert [c.title for c in chapters] == [
        "Introduction",
        "Article",
        "A heading",
        "About this episode",
    ]
    assert chapters[1].start_ms == cues[2].start_ms
    assert chapters[2].start_ms == cues[3].start_ms
    assert chapters[-1].start_ms == cues[-1].start_ms
    assert chapters[-1].end_ms == len(timeline)


def test_master_gives_podcast_loudness_and_a_cbr_mono_mp3(tmp_path: Path) -> None:
    # Segments at different volumes, as real speech is, to give the normalizer work to do.
    quiet = replace(PROFILE, volume=0.05)
    segments = [Segment(f"Sentence number {i} of this test.", "x " * 12, 300) for i in range(12)]
    rendered = ToneEngine().render(segments, tmp_path / "segments", quiet)
    settings = AudioSettings()
    episode = assemble(rendered, settings, tmp_path, tmp_path / "episode.mp3")
    lufs, peak = measure_loudness(episode.mp3_path)
    assert lufs is not None and peak is not None
    assert abs(lufs - settings.target_lufs) <= 1.0, lufs
    assert peak <= -1.0, peak
    assert (episode.integrated_lufs, episode.true_peak_dbtp) == (lufs, peak)
    info = MP3(str(episode.mp3_path)).info
    assert info.sample_rate == 44100
    assert info.channels == 1
    assert info.bitrate == 64000
    assert info.bitrate_mode in {BitrateMode.CBR, BitrateMode.UNKNOWN}
    assert abs(info.length * 1000 - episode.duration_ms) < 100


def test_intro_and_outro_files_frame_the_speech(tmp_path: Path) -> None:
    jingle_rendered = ToneEngine().render(
        [Segment("jingle", "one two three four five", 0)], tmp_path / "jingle", PROFILE
    )
    jingle = jingle_rendered[0].wav_path
    settings = AudioSettings(intro_file=jingle, outro_file=jingle)
    rendered = ToneEngine().render(_script(), tmp_path / "speech", PROFILE)
    timeline, cues, chapters = build_timeline(rendered, settings)
    jingle_ms = 5 * WORD_MS + JINGLE_GAP_MS
    assert cues[0].start_ms == jingle_ms
    plain, _, _ = build_timeline(rendered, AudioSettings())
    assert len(timeline) == len(plain) + 2 * jingle_ms


def test_a_loud_jingle_is_brought_to_the_speech_level_and_faded(tmp_path: Path) -> None:
    loud = tmp_path / "loud.wav"
    Sine(440).to_audio_segment(duration=3000, volume=-1.0).export(str(loud), format="wav")
    rendered = ToneEngine().render(_script(), tmp_path / "speech", PROFILE)
    timeline, cues, _ = build_timeline(rendered, AudioSettings(intro_file=loud))
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
    rendered = ToneEngine().render(_script(), tmp_path / "speech", PROFILE)
    _, cues, _ = build_timeline(rendered, settings.audio)
    assert cues[0].start_ms == len(chime) + JINGLE_GAP_MS
