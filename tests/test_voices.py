"""Voice profiles: the shipped default, validation, and lookup by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from narrate.errors import ConfigError
from narrate.voices import find_profile, load_profile


def test_the_default_profile_ships_and_loads() -> None:
    profile = load_profile("default")
    assert profile.engine == "pyttsx3"
    assert 120 <= profile.rate_wpm <= 200
    assert profile.pacing.paragraph_pause_ms > profile.pacing.sentence_pause_ms
    assert "Zelensky" in profile.lexicon


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("rate_wpm = 1000\n", "rate_wpm"),
        ("volume = 2.0\n", "volume"),
        ("speed = 3\n", "speed"),
        ("[pacing]\nsentence_pause_ms = -5\n", "sentence_pause_ms"),
        ('[lexicon]\n"" = "x"\n', "lexicon"),
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
