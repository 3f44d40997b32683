"""A job's key: the article's bytes (or URL) and the settings, never where the file lies."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from narrate.errors import InputError
from narrate.jobs.keys import job_key, job_source, settings_fingerprint
from narrate.models import Settings


def test_the_same_bytes_under_the_same_settings_are_one_job(
    tmp_path: Path, tone_settings: Settings
) -> None:
    settings = tone_settings
    first, second = tmp_path / "a.txt", tmp_path / "copy" / "b.txt"
    second.parent.mkdir()
    for path in (first, second):
        path.write_text("Title\n\nOne sentence here.\n", encoding="utf-8")
    elsewhere = replace(settings, output_dir=tmp_path / "other", cache_dir=None)
    assert job_key(str(first), settings_fingerprint(settings)) == job_key(
        str(second), settings_fingerprint(elsewhere)
    )


def test_an_edit_or_another_voice_is_another_job(tmp_path: Path, tone_settings: Settings) -> None:
    settings = tone_settings
    path = tmp_path / "a.txt"
    path.write_text("Title\n\nOne sentence here.\n", encoding="utf-8")
    before = job_key(str(path), settings_fingerprint(settings))
    faster = replace(settings, voice=replace(settings.voice, rate_wpm=settings.voice.rate_wpm + 20))
    assert job_key(str(path), settings_fingerprint(faster)) != before
    path.write_text("Title\n\nOne sentence changed.\n", encoding="utf-8")
    assert job_key(str(path), settings_fingerprint(settings)) != before


def test_a_url_is_keyed_by_its_address(tone_settings: Settings) -> None:
    fingerprint = settings_fingerprint(tone_settings)
    url = "https://news.example.org/2026/ferry"
    assert job_key(url, fingerprint) == job_key(url, fingerprint)
    assert job_key(url, fingerprint) != job_key(url + "-2", fingerprint)


def test_sources_a_worker_elsewhere_cannot_read_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="stdin"):
        job_source("-", tmp_path)
    with pytest.raises(InputError, match="cannot read"):
        job_key(str(tmp_path / "missing.txt"), b"")
    assert job_source("story.txt", tmp_path) == str(tmp_path / "story.txt")
    assert job_source("https://example.org/a", tmp_path) == "https://example.org/a"
