"""Voice profiles: the shipped default, validation, and lookup by name."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from narrate.errors import ConfigError
from narrate.speech.lexicon import load_lexicon, spoken_lexicon, starter_lexicon
from narrate.voices import find_profile, load_profile, with_show_lexicon


def test_the_default_profile_ships_and_loads() -> None:
    profile = load_profile("default")
    assert profile.engine == "pyttsx3"
    assert 120 <= profile.rate_wpm <= 200
    assert profile.pacing.paragraph_pause_ms > profile.pacing.sentence_pause_ms
    assert profile.word_gap > 0  # espeak-ng was heard better with words kept apart


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("rate_wpm = 1000\n", "rate_wpm"),
        ("volume = 2.0\n", "volume"),
        ("speed = 3\n", "speed"),
        ("[pacing]\nsentence_pause_ms = -5\n", "sentence_pause_ms"),
        ('[lexicon]\n"" = "x"\n', "lexicon"),
        ("[finish]\nlead_in_ms = -1\n", "lead_in_ms"),
        ('[finish]\nroom_tone = "yes"\n', "room_tone"),
        ("[finish]\nroom_tone_dbfs = 0\n", "room_tone_dbfs"),
        ("[finish]\nreverb = 1\n", "reverb"),
        ("[pacing]\npause_jitter_ms = 1.5\n", "pause_jitter_ms"),
        ("model = 3\n", "model"),
        ("word_gap = 51\n", "word_gap"),
        ("word_gap = -1\n", "word_gap"),
        ("word_gap = true\n", "word_gap"),
    ],
)
def test_bad_profiles_are_config_errors(tmp_path: Path, text: str, fragment: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_profile(str(path))
    assert fragment in str(caught.value)


@pytest.mark.parametrize("name", ["../etc/passwd", "..", "a b"])
def test_hostile_names_are_refused(name: str) -> None:
    with pytest.raises(ConfigError):
        find_profile(name)


def test_an_unknown_name_lists_the_known_ones() -> None:
    with pytest.raises(ConfigError) as caught:
        find_profile("no-such-voice")
    assert "default" in caught.value.hint and "test-tone" in caught.value.hint


def test_a_profile_speaks_with_the_starter_lexicon_under_its_own_entries() -> None:
    profile = replace(load_profile("default"), lexicon={"Qatar": "Qatar", "Kyiv": "Keev"})
    assert starter_lexicon("en")["Qatar"] != "Qatar"
    assert spoken_lexicon(profile)["Qatar"] == "Qatar"  # the profile's own entry wins
    assert spoken_lexicon(profile)["Kyiv"] == "Keev"
    assert spoken_lexicon(profile)["Netanyahu"] == starter_lexicon("en")["Netanyahu"]


def test_a_show_lexicon_overrides_the_packaged_profile_and_the_starter() -> None:
    # issue 13: the packaged default profile's "Kyiv" won over the show's
    own = {"Kyiv": "Keev", "Pyongyang": "Pyong-yang"}
    packaged = replace(load_profile("default"), lexicon=own)
    profile = with_show_lexicon(packaged, {"kyiv": "kee iv", "Lviv": "l veev"})
    assert spoken_lexicon(profile)["kyiv"] == "kee iv" and "Kyiv" not in spoken_lexicon(profile)
    assert spoken_lexicon(profile)["Lviv"] == "l veev"
    assert spoken_lexicon(profile)["Pyongyang"] == "Pyong-yang"  # the profile's, over the starter's


def test_a_profile_may_keep_its_lexicon_in_a_file(tmp_path: Path) -> None:
    (tmp_path / "names.toml").write_text('[lexicon]\n"Nguyen" = "win"\n', encoding="utf-8")
    path = tmp_path / "mine.toml"
    path.write_text('lexicon = "names.toml"\n', encoding="utf-8")
    assert load_profile(str(path)).lexicon["Nguyen"] == "win"


def test_a_missing_or_bad_lexicon_file_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text('lexicon = "nope.toml"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="lexicon not found"):
        load_profile(str(path))
    (tmp_path / "bad.toml").write_text('"x" = 3\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="invalid lexicon"):
        load_lexicon(tmp_path / "bad.toml")


def test_a_profile_is_read_over_the_packaged_default_key_by_key(tmp_path: Path) -> None:
    # Regression (issue 11): a profile without pitch got 50 where voices/default.toml says 45.
    (tmp_path / "slow.toml").write_text("rate_wpm = 140\n[pacing]\nsentence_pause_ms = 600\n")
    default, slow = load_profile("default"), load_profile(str(tmp_path / "slow.toml"))
    assert (slow.rate_wpm, slow.pacing.sentence_pause_ms) == (140, 600)
    assert (slow.pitch, slow.voice_id, slow.engine) == (default.pitch, default.voice_id, "pyttsx3")
    assert slow.pacing.paragraph_pause_ms == default.pacing.paragraph_pause_ms
    assert slow.name == "slow" and slow.lexicon == {}  # respellings are a voice's own


def test_a_profile_of_another_engine_does_not_inherit_the_default_voice(tmp_path: Path) -> None:
    (tmp_path / "beep.toml").write_text('engine = "tone"\n')
    assert load_profile(str(tmp_path / "beep.toml")).voice_id == ""


def test_an_unknown_engine_names_the_ones_the_registry_has(tmp_path: Path) -> None:
    (tmp_path / "odd.toml").write_text('engine = "festival"\n')
    with pytest.raises(ConfigError) as caught:
        load_profile(str(tmp_path / "odd.toml"))
    assert "not one of pyttsx3, piper, tone" in caught.value.message


def test_the_natural_profile_is_piper_with_the_defaults_finish(tmp_path: Path) -> None:
    natural, default = load_profile("natural"), load_profile("default")
    assert (natural.engine, natural.model) == ("piper", "en_US-joe-medium")
    # Piper brings its own floor: no room tone (measured, see voices/natural.toml)
    assert natural.finish == replace(default.finish, room_tone=False)
    assert natural.pacing == default.pacing


def test_a_profile_overrides_the_finish_key_by_key(tmp_path: Path) -> None:
    (tmp_path / "toned.toml").write_text("[finish]\nroom_tone = true\nlead_in_ms = 0\n")
    toned, default = load_profile(str(tmp_path / "toned.toml")), load_profile("default")
    assert (toned.finish.room_tone, toned.finish.lead_in_ms) == (True, 0)
    assert toned.finish.tail_ms == default.finish.tail_ms
