"""The spool: a built episode is there whole or not at all, and survives a publish."""

from __future__ import annotations

import tempfile
from pathlib import Path

from harness import s3  # noqa: F401 (a fixture)

from narrate.jobs import spool
from narrate.models import Settings
from narrate.pipeline import build_episode
from narrate.publishing.writer import publish


def test_the_first_of_two_attempts_wins_and_checkout_leaves_it_whole(
    tmp_path: Path, tone_settings: Settings, article_file: Path
) -> None:
    settings, source = tone_settings, article_file
    folder = tmp_path / "spool"
    attempts = [
        build_episode(source, settings, work_dir=spool.work_dir(folder, "k1")) for _ in range(2)
    ]
    spool.commit(attempts[0], settings, folder, "k1")
    spool.commit(attempts[1], settings, folder, "k1")  # a second attempt that also finished
    assert spool.is_built(folder, "k1")
    assert not attempts[1].work_dir.exists()  # the loser's folder is gone
    kept = sorted(p.name for p in spool.built_dir(folder, "k1").iterdir())
    built, again = spool.checkout(folder, "k1")
    assert again == settings
    record = publish(built, settings)  # moves the checked-out files away ...
    assert (settings.output_dir / record.audio_path).is_file()
    assert sorted(p.name for p in spool.built_dir(folder, "k1").iterdir()) == kept  # ... not these
    spool.discard(folder, "k1")
    assert not spool.is_built(folder, "k1")


def test_a_spool_in_object_storage_round_trips(
    tmp_path: Path,
    tone_settings: Settings,
    article_file: Path,
    s3: str,  # noqa: F811
) -> None:
    import fsspec

    settings = tone_settings
    attempts = [build_episode(article_file, settings, work_dir=spool.work_dir(s3, "k1"))]
    assert not spool.is_built(s3, "k1")
    spool.commit(attempts[0], settings, s3, "k1")
    assert spool.is_built(s3, "k1") and not attempts[0].work_dir.exists()
    built, again = spool.checkout(s3, "k1")
    assert again == settings and built.work_dir.is_relative_to(tempfile.gettempdir())
    record = publish(built, settings)
    assert (settings.output_dir / record.audio_path).stat().st_size == built.size_bytes
    assert spool.is_built(s3, "k1")  # still there until the publisher records it
    spool.discard(s3, "k1")
    fs, root = fsspec.core.url_to_fs(s3)
    fs.invalidate_cache()
    assert not spool.is_built(s3, "k1") and not fs.exists(f"{root}/built/k1")
