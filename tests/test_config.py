"""Layered settings: packaged defaults < narrate.toml < flags."""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path

import pytest

from narrate.config import load_queue_settings, load_settings, packaged_defaults_path
from narrate.errors import ConfigError
from narrate.models import AudioSettings, Pacing, PlayerLook, Show, VoiceProfile
from narrate.publishing.cover import show_cover
from narrate.speech.lexicon import spoken_lexicon


def test_packaged_defaults_work_with_no_file(tmp_path: Path) -> None:
    settings = load_settings(cwd=tmp_path)
    assert settings.config_path is None
    assert settings.show.base_url == "http://127.0.0.1:8000/"
    assert settings.audio.bitrate_kbps == 64 and settings.audio.target_lufs == -16.0
    assert settings.voice.name == "default" and settings.voice.engine == "pyttsx3"
    assert settings.cover_image is None  # drawn from the show's title
    assert settings.show.image == "cover.png" and show_cover(settings).mime == "image/png"


def test_a_show_file_overrides_key_by_key_and_flags_override_it(tmp_path: Path) -> None:
    (tmp_path / "narrate.toml").write_text(
        '[show]\ntitle = "Ledger Audio"\nbase_url = "https://audio.example.org/ledger"\n'
        "[audio]\nbitrate_kbps = 96\n",
        encoding="utf-8",
    )
    settings = load_settings(cwd=tmp_path)
    assert settings.show.title == "Ledger Audio"
    assert settings.show.base_url == "https://audio.example.org/ledger/"
    assert settings.show.category == "News"  # untouched keys keep the packaged default
    assert settings.audio.bitrate_kbps == 96 and settings.audio.target_lufs == -16.0
    flagged = load_settings(cwd=tmp_path, base_url="https://cdn.example.org/", voice="test-tone")
    assert flagged.show.base_url == "https://cdn.example.org/"
    assert flagged.voice.engine == "tone"


def test_a_show_voice_profile_is_found_beside_its_file(tmp_path: Path) -> None:
    (tmp_path / "voices").mkdir()
    (tmp_path / "voices" / "anchor.toml").write_text(
        'engine = "tone"\nrate_wpm = 150\n[lexicon]\n"Okafor" = "oh KAH for"\n', encoding="utf-8"
    )
    (tmp_path / "narrate.toml").write_text('[voice]\nprofile = "anchor"\n', encoding="utf-8")
    settings = load_settings(cwd=tmp_path)
    assert settings.voice.name == "anchor"
    assert settings.voice.lexicon == {"Okafor": "oh KAH for"}


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('[show]\nbase_url = "ftp://x"\n', "base_url"),
        ('[show]\ntitel = "typo"\n', "titel"),
        ("[podcast]\nx = 1\n", "[podcast]"),
        ("[audio]\nbitrate_kbps = 65\n", "bitrate"),
        ('[show]\nimage = "missing.png"\n', "cover image"),
        ("[show\n", "TOML"),
    ],
)
def test_bad_settings_are_config_errors_with_hints(
    tmp_path: Path, text: str, fragment: str
) -> None:
    (tmp_path / "narrate.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(cwd=tmp_path)
    assert fragment in str(caught.value)
    assert caught.value.hint


def test_a_missing_config_flag_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_settings(config=tmp_path / "nope.toml", cwd=tmp_path)


def test_a_show_lexicon_layers_over_the_starter_and_the_voice(tmp_path: Path) -> None:
    (tmp_path / "names.toml").write_text('"Okafor" = "oh-KAH-for"\n"Kyiv" = "keev-show"\n')
    (tmp_path / "narrate.toml").write_text('[show]\nlexicon = "names.toml"\n', encoding="utf-8")
    lexicon = spoken_lexicon(load_settings(cwd=tmp_path).voice)
    assert lexicon["Okafor"] == "oh-KAH-for"  # the show's own entry
    assert lexicon["Kyiv"] == "keev-show"  # the show's overrides the packaged voice's [lexicon]
    (tmp_path / "narrate.toml").write_text('[show]\nlexicon = "missing.toml"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="lexicon not found"):
        load_settings(cwd=tmp_path)


@pytest.mark.parametrize("kind", [Show, PlayerLook, AudioSettings, Pacing, VoiceProfile])
def test_settings_types_repeat_no_default(kind: type) -> None:
    """Every default lives once, in the packaged TOML files (issue 11: the dataclasses repeated
    them, and disagreed)."""
    missing = dataclasses.MISSING
    defaulted = [
        f.name
        for f in dataclasses.fields(kind)
        if (f.default is not missing or f.default_factory is not missing)
        and f.name not in {"lexicon", "show_lexicon"}
    ]
    assert defaulted == []


def test_every_packaged_audio_and_show_key_reaches_the_settings() -> None:
    packaged = tomllib.loads(packaged_defaults_path().read_text(encoding="utf-8"))
    fields = {f.name for f in dataclasses.fields(AudioSettings)}
    assert set(packaged["audio"]) == fields
    show_fields = {f.name for f in dataclasses.fields(Show)}
    assert set(packaged["show"]) - show_fields == {"lexicon"}  # read into the voice profiles
    assert set(packaged["player"]) == {f.name for f in dataclasses.fields(PlayerLook)}


def test_packaged_defaults_give_german_french_and_spanish_their_voices(tmp_path: Path) -> None:
    settings = load_settings(cwd=tmp_path)
    assert {code: settings.voice_for(code).voice_id for code in ("de", "fr", "es", "en")} == {
        "de": "gmw/de",
        "fr": "roa/fr",
        "es": "roa/es",
        "en": "gmw/en-us",
    }


def test_readmes_by_language_example_works_and_adds_to_the_defaults(tmp_path: Path) -> None:
    # issue 13: README's own example failed with "no voice profile named 'german'"
    (tmp_path / "narrate.toml").write_text(
        '[voice]\nby_language = { de = "german", it = "test-tone" }\n', encoding="utf-8"
    )
    settings = load_settings(cwd=tmp_path)
    assert settings.voice_for("de").name == "german"
    assert settings.voice_for("it").name == "test-tone"
    assert settings.voice_for("fr").name == "french"  # the show's table adds to narrate's


def test_intro_and_outro_templates_follow_the_article_language(tmp_path: Path) -> None:
    audio = load_settings(cwd=tmp_path).audio
    assert audio.intro_for("de")[-1] == "Veröffentlicht am {date}."
    assert audio.outro_for("fr-CA")[-1] == "Vous écoutiez {show}."
    assert audio.intro_for("en") == audio.intro_for("pl") == audio.intro


@pytest.mark.parametrize(
    ("toml", "language", "expected"),
    [
        # the show's own intro is its language's; other languages keep narrate's
        ('[audio]\nintro = ["{title}."]', "en", ("{title}.",)),
        ('[audio]\nintro = ["{title}."]', "de", ("{show}.", "{title}.", "Von {byline}.")),
        ('[audio]\nintro = ["{title}."]', "pl", ("{title}.",)),
        ('[show]\nlanguage = "de"\n[audio]\nintro = ["Hallo."]', "de", ("Hallo.",)),
        # an empty intro turns the spoken intro off in every language
        ("[audio]\nintro = []", "fr", ()),
        ('[audio]\nintro = []\nintro_by_language = { fr = ["Bonjour."] }', "fr", ("Bonjour.",)),
        # a show's table replaces a language's templates, language by language
        ('[audio.intro_by_language]\nde = ["Guten Tag."]', "de", ("Guten Tag.",)),
        ('[audio.intro_by_language]\nde = ["Guten Tag."]', "es", ("{show}.", "{title}.")),
    ],
)
def test_a_show_overrides_the_templates_it_names(
    tmp_path: Path, toml: str, language: str, expected: tuple[str, ...]
) -> None:
    (tmp_path / "narrate.toml").write_text(toml + "\n", encoding="utf-8")
    intro = load_settings(cwd=tmp_path).audio.intro_for(language)
    assert intro[: len(expected)] == expected and (expected or not intro)


def test_templates_by_language_must_be_lists_of_lines(tmp_path: Path) -> None:
    (tmp_path / "narrate.toml").write_text('[audio]\nintro_by_language = { de = "Hallo" }\n')
    with pytest.raises(ConfigError, match="intro_by_language.de"):
        load_settings(cwd=tmp_path)


def test_player_colours_are_checked_strictly_they_go_into_css(tmp_path: Path) -> None:
    (tmp_path / "narrate.toml").write_text(
        '[player]\naccent = "#C8102E"\ndisclosure = "  Read by   an AI voice. "\n'
    )
    look = load_settings(cwd=tmp_path).show.player
    assert (look.accent, look.background, look.disclosure) == (
        "#c8102e",
        None,
        "Read by an AI voice.",
    )
    for bad in ('accent = "red;}body{display:none"', 'background = "#000"', "next_episode = 1"):
        (tmp_path / "narrate.toml").write_text(f"[player]\n{bad}\n")
        with pytest.raises(ConfigError, match=r"invalid \[player\]"):
            load_settings(cwd=tmp_path)


def test_queue_settings_layer_like_the_rest(tmp_path: Path) -> None:
    (tmp_path / "narrate.toml").write_text(
        '[queue]\nname = "ledger"\nspool = "shared/spool"\nretry_backoff_s = 5\n',
        encoding="utf-8",
    )
    queue = load_queue_settings(cwd=tmp_path)
    defaults = tomllib.loads(packaged_defaults_path().read_text(encoding="utf-8"))["queue"]
    assert (queue.name, queue.spool) == ("ledger", str(tmp_path / "shared" / "spool"))
    assert queue.retry_backoff_s == (5,)  # one number: the wait before every retry
    assert queue.redis_url == defaults["redis_url"] and queue.retries == defaults["retries"]
    flagged = load_queue_settings(cwd=tmp_path, redis_url="redis://10.0.0.5:6379/1")
    assert flagged.redis_url == "redis://10.0.0.5:6379/1"
    assert load_queue_settings(cwd=tmp_path / "elsewhere").spool is None  # the show's own


@pytest.mark.parametrize(
    ("table", "flag", "message"),
    [
        ("", "http://127.0.0.1:6379", "redis://"),
        ('name = "my queue"', None, "letters, digits"),
        ("retries = -1", None, "whole number"),
        ("heartbeat_s = 0", None, "at least 1"),
        ("retry_backoff_s = [1, true]", None, "whole number"),
    ],
)
def test_bad_queue_settings_are_config_errors(
    tmp_path: Path, table: str, flag: str | None, message: str
) -> None:
    (tmp_path / "narrate.toml").write_text(f"[queue]\n{table}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_queue_settings(cwd=tmp_path, redis_url=flag)
