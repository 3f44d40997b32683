"""Shared fixtures: settings that use the deterministic tone engine, and paths to examples."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from narrate.config import Settings, load_settings

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
EXAMPLE = REPO / "examples" / "riverton-ferry-page-dump.txt"

# What the Kyiv page dump has around its article: none of it may be spoken (issue 2).
KYIV_PAGE_FURNITURE = [
    "Skip to content",
    "Edit post",
    "Subscribe",
    "indicates required",
    "News Feed",
    "MORE NEWS",
    "Editors' Picks",
    "Slovak",
    "no-confidence",
    "no confidence",
    "How will Russia",
    "good, the bad",
    "Editor’s note",
    "(Volodymyr Zelensky / Telegram)",
    "This audio is created with AI assistance",
]


@pytest.fixture
def kyiv() -> Path:
    """The real page dump in ../shared (read-only, beside the repository in CI).

    Outside CI a clone may stand without ../shared: the test is then skipped, with the reason.
    In CI (CI=true) its absence is a failure.
    """
    path = SHARED / "examples" / "kyiv-independent-page-dump.txt"
    if not path.is_file():
        message = f"{path} is not here: ../shared must sit beside the repository"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture
def tone_settings(tmp_path: Path) -> Settings:
    """Settings for a show in tmp_path/output, spoken by the exact-timing tone engine."""
    return load_settings(output_dir=tmp_path / "output", voice="test-tone", cwd=tmp_path)


@pytest.fixture
def article_file(tmp_path: Path) -> Path:
    path = tmp_path / "story.txt"
    path.write_text(
        "Harbour lights switched on for winter\n\n"
        "By Ada Quill\n\n"
        "The city switched on the harbour lights on Friday evening, a week earlier than usual. "
        "Crowds gathered along the quay to watch.\n\n"
        "Officials said the new lamps use far less power than the old ones. "
        "They will stay on until the end of February.\n",
        encoding="utf-8",
    )
    return path
