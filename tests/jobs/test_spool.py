"""The spool: a built episode is there whole or not at all, and survives a publish."""

from __future__ import annotations

from pathlib import Path

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
