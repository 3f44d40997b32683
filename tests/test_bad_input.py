"""Bad input through the command line (issue 7): each is a one-line error with a hint and the
exit code of its kind, or a sensible result; never a traceback.

What tests/test_cli.py and tests/test_extract.py already cover is not repeated here (empty and
binary .txt, Latin-1 text, a .png, a 64 MB file, a folder, --voice nobody, a bad base_url).
Also here: a full disk while publishing (exit 7, the live show untouched).
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from conftest import PACING, leftover_builds
from narrate.check import check
from narrate.cli import app
from narrate.errors import ExitStatus
from narrate.models import Article, Paragraph
from narrate.publishing.catalog import Catalog
from narrate.speech import segment
from narrate.speech.segment import make_script

runner = CliRunner()

ARTICLE = (
    "The council met on Tuesday to discuss the harbour, and voted to repair the sea wall.\n\n"
    "Work will start in May and last about six weeks, officials said on Tuesday evening.\n"
)
PAGE = (
    "<html><head><title>Harbour wall to be repaired</title></head><body><article>"
    "<p>The council met on Tuesday to discuss the harbour, and voted to repair the sea wall.</p>"
    "<p>Work will start in May and last about six weeks, officials said on Tuesday evening.</p>"
    "</article></body></html>"
)


def _one_line_error(result: object, status: ExitStatus) -> str:
    assert result.exit_code == status, (result.exit_code, result.stdout, result.stderr)  # type: ignore[attr-defined]
    err = result.stderr.strip()  # type: ignore[attr-defined]
    assert err.startswith("error: ") and "\n" not in err, err
    assert "(hint: " in err
    assert "Traceback" not in err + result.stdout  # type: ignore[attr-defined]
    return err


def _build(source: Path | str, out: Path, *extra: str, stdin: bytes | None = None) -> object:
    args = ["build", str(source), "-o", str(out), "--voice", "test-tone", *extra]
    return runner.invoke(app, args, input=stdin)


def _nested(depth: int) -> str:
    body = "".join(f"<p>{p}</p>" for p in ARTICLE.split("\n\n"))
    return f"<html><body>{'<div>' * depth}{body}{'</div>' * depth}</body></html>"


# name, content, what the one-line error says
REFUSED = [
    ("blank.md", b" \n\t\n", "is empty"),
    ("blank.html", b"\xef\xbb\xbf  \r\n", "is empty"),
    ("nul.html", b"<html><body>\x00\x00<p>x</p></body></html>", "binary"),
    ("escapes.txt", b"Title\n\n" + b"\x1b[0m\x07" * 40, "binary"),
    ("story.docx", b"PK\x03\x04" + b"\x00" * 40, "unsupported extension (.docx)"),
    ("story", ARTICLE.encode(), "unsupported extension (none)"),
    ("story.txt.exe", ARTICLE.encode(), "unsupported extension (.exe)"),
    ("mixed.txt", f"Caf\u00e9 news\n\n{ARTICLE}".encode() + "caf\u00e9".encode("cp1252"), "UTF-8"),
    ("mixed.md", f"# Caf\u00e9\n\n{ARTICLE}".encode("cp1252"), "UTF-8"),
    ("odd.txt", b"\xff\xfeT\x00i\x00t", "not valid UTF-16"),
    ("oneline.txt", b"word " * 210_000, "more than a page of text"),
    ("oneline.md", b"word " * 210_000, "more than a page of text"),
    ("oneline.html", b"<html><body><p>" + b"word " * 210_000 + b"</p></body></html>", "article"),
    (
        "furniture.html",
        b"<html><head><style>p{}</style><script>var a = 1;</script></head><body>"
        b"<iframe src='https://ads.example'></iframe><script>alert(1)</script><style>b{}</style>"
        b"<noscript>Turn on JavaScript.</noscript></body></html>",
        "no article body",
    ),
    # Found here: past 255 levels the parser drops the rest; the error now says so.
    ("nested.html", _nested(5000).encode(), "nests elements more than 255 deep"),
]


@pytest.mark.parametrize(("name", "content", "fragment"), REFUSED, ids=[r[0] for r in REFUSED])
def test_bad_sources_are_one_line_errors(
    tmp_path: Path, name: str, content: bytes, fragment: str
) -> None:
    # Found here: for pages with no article, trafilatura's "WARNING trafilatura.core: discarding
    # data: None" was printed above the error line.
    source = tmp_path / name
    source.write_bytes(content)
    out = tmp_path / "output"
    assert fragment in _one_line_error(_build(source, out), ExitStatus.BAD_INPUT)
    if len(content) < 100_000:  # the others take a second or two to refuse: once is enough
        for command in (["script", str(source)], ["extract", str(source)]):
            assert fragment in _one_line_error(runner.invoke(app, command), ExitStatus.BAD_INPUT)
    assert not out.exists()


def test_fifty_megabytes_are_refused_by_size_before_they_are_read(tmp_path: Path) -> None:
    huge = tmp_path / "huge.html"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: no disk used, and never read
    err = _one_line_error(runner.invoke(app, ["script", str(huge)]), ExitStatus.BAD_INPUT)
    assert "huge.html is bigger than 5,000,000 bytes" in err
    piped = runner.invoke(app, ["script", "-"], input=b"word " * 10_000_000)
    assert "stdin is bigger than" in _one_line_error(piped, ExitStatus.BAD_INPUT)


def test_a_long_line_without_punctuation_is_cut_in_linear_work(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Found here: each word added to a piece re-normalized the whole piece, so a 200,000-character
    # sentence (it passes the size checks, as Markdown or HTML) took minutes to segment.
    normalized: list[int] = []
    spoken = segment._Splitter.spoken

    def counting(self: segment._Splitter, text: str) -> str:
        normalized.append(len(text))
        return spoken(self, text)

    monkeypatch.setattr(segment._Splitter, "spoken", counting)
    text = "word " * 4_000
    segments = make_script(
        Article(title="t", paragraphs=(Paragraph(text),)), pacing=PACING
    ).segments
    assert " ".join(s.text for s in segments).split() == text.split()
    assert all(len(s.spoken) <= 500 for s in segments)
    assert sum(normalized) < 10 * len(text)  # was 100 times the text, and grew with it


def test_utf16_text_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    # Found here: Windows Notepad's "Unicode" (UTF-16 with a BOM) was refused as binary data.
    source = tmp_path / "notepad.txt"
    source.write_bytes(("Harbour wall to be repaired\n\n" + ARTICLE).encode("utf-16"))
    result = runner.invoke(app, ["extract", "--json", str(source)])
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["title"] == "Harbour wall to be repaired"
    assert record["body"] == ARTICLE.strip()


def test_deep_but_plausible_nesting_is_read(tmp_path: Path) -> None:
    source = tmp_path / "nested.html"
    source.write_text(_nested(200), encoding="utf-8")
    result = runner.invoke(app, ["extract", str(source)])
    assert result.exit_code == 0, result.stderr
    assert ARTICLE.strip() in result.stdout


def test_emoji_and_right_to_left_text_make_an_episode(tmp_path: Path) -> None:
    source = tmp_path / "rtl.md"
    title = "\u0627\u0644\u0645\u064a\u0646\u0627\u0621 \U0001f30a \u05e0\u05de\u05dc"
    source.write_text(
        f"# {title}\n\n"
        "The council \U0001f3db\ufe0f met on Tuesday \U0001f389 to discuss the harbour, and voted "
        "to repair the sea wall \U0001f1fa\U0001f1e6.\n\n"
        "\u0627\u062c\u062a\u0645\u0639 \u0627\u0644\u0645\u062c\u0644\u0633 "
        "\u064a\u0648\u0645 \u0627\u0644\u062b\u0644\u0627\u062b\u0627\u0621 "
        "\u0644\u0645\u0646\u0627\u0642\u0634\u0629 \u0627\u0644\u0645\u064a\u0646\u0627\u0621.\n\n"
        "Work will start in May \u200f and last about six weeks, officials said.\n",
        encoding="utf-8",
    )
    out = tmp_path / "output"
    result = _build(source, out)
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    assert result.stdout.startswith(title + "\t")  # type: ignore[attr-defined]
    feed = etree.fromstring((out / "feed.xml").read_bytes())
    assert feed.findtext("channel/item/title") == title
    (folder,) = (out / "episodes").iterdir()
    assert folder.name == "lmyn-nml"  # transliterated; the emoji left out
    cues = json.loads(next(folder.glob("transcript-*.json")).read_text(encoding="utf-8"))
    assert any("\U0001f389" in s["body"] for s in cues["segments"])


BIDI_CONTROLS = {"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}


def test_control_characters_are_dropped_from_what_is_said_and_published(tmp_path: Path) -> None:
    # Found here: a bell (\x07) or an escape (\x1b) in pasted text reached the title, the speech
    # engine and the pages ("coun\x1bcil").
    source = tmp_path / "pasted.txt"
    # Bidirectional overrides too: "\u202e" makes what follows show right to left, so a title
    # could show one thing and say another.
    source.write_text(
        "Harbour\x07 wall \u202eto be\u202c repaired\n\n"
        + ARTICLE.replace("council", "coun\x1bcil").replace("Work", "\x0bWork\x7f")
        + "\nThe \u2067harbour\u2069 master agreed.\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["script", str(source)])
    assert result.exit_code == 0, result.stderr
    assert "Harbour wall to be repaired." in result.stdout
    assert "The council met" in result.stdout
    assert "The harbour master agreed." in result.stdout
    out = tmp_path / "output"
    assert _build(source, out).exit_code == 0  # type: ignore[attr-defined]
    for path in out.rglob("*"):
        if path.suffix in {".xml", ".html", ".json", ".vtt", ".srt"}:
            text = path.read_text(encoding="utf-8")
            controls = [c for c in text if unicodedata.category(c) == "Cc" and c not in "\t\n\r"]
            assert controls == [], path
            assert [c for c in text if unicodedata.bidirectional(c) in BIDI_CONTROLS] == [], path


def test_a_title_of_ten_thousand_characters_is_capped(tmp_path: Path) -> None:
    source = tmp_path / "long.txt"
    source.write_text("Harbour " * 1250 + "\n\n" + ARTICLE, encoding="utf-8")
    out = tmp_path / "output"
    result = _build(source, out)
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    title = result.stdout.split("\t")[0]  # type: ignore[attr-defined]
    assert title.endswith("…") and len(title) <= 201
    names = [p.relative_to(out).as_posix() for p in out.rglob("*")]
    assert max(len(n.split("/")[-1]) for n in names) <= 80
    assert etree.fromstring((out / "feed.xml").read_bytes()).findtext("channel/item/title") == title


# Configuration: a one-line error, exit 4, before any source is read.
BAD_CONFIGS = [
    ("binary", b"\x00\x01\x02\xff", "cannot read config"),
    ("latin1", "[show]\ntitle = 'Caf\u00e9'\n".encode("latin-1"), "cannot read config"),
    ("toml", b"[show\ntitle = \n", "cannot read config"),
    ("title type", b"[show]\ntitle = 5\n", "title must be a non-empty string"),
    ("blank title", b"[show]\ntitle = '  '\n", "title must be a non-empty string"),
    ("explicit", b"[show]\nexplicit = 'yes'\n", "explicit must be true or false"),
    ("max", b"[show]\nmax_episodes = -1\n", "max_episodes"),
    ("table", b"show = 'x'\n", "must be a table"),
    ("intro", b"[audio]\nintro = 'Hello'\n", "intro must be a list of strings"),
    ("lufs", b"[audio]\ntarget_lufs = 'loud'\n", "target_lufs"),
    ("voice", b"[voice]\nprofile = '../../etc/passwd'\n", "voice"),
    ("no voice", b"[voice]\nprofile = 'nobody'\n", "nobody"),
]


@pytest.mark.parametrize(
    ("label", "content", "fragment"), BAD_CONFIGS, ids=[c[0] for c in BAD_CONFIGS]
)
def test_broken_config_files_are_config_errors(
    tmp_path: Path, label: str, content: bytes, fragment: str
) -> None:
    config = tmp_path / "narrate.toml"
    config.write_bytes(content)
    source = tmp_path / "story.txt"
    source.write_text("Harbour wall to be repaired\n\n" + ARTICLE, encoding="utf-8")
    out = tmp_path / "output"
    result = runner.invoke(app, ["build", str(source), "-o", str(out), "-c", str(config)])
    assert fragment in _one_line_error(result, ExitStatus.CONFIG)
    assert not out.exists()


def test_a_config_that_is_a_folder_is_a_config_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["script", "-", "-c", str(tmp_path)], input=ARTICLE)
    _one_line_error(result, ExitStatus.CONFIG)


BAD_VOICES = [
    ("../voices/default", "voice"),
    ("missing.toml", "missing.toml"),
    ("broken.toml", "cannot read voice profile"),
    ("binary.toml", "cannot read voice profile"),
    # Regression: an unknown engine exited 5 (engine failed), and only once speaking began.
    ("engine.toml", "engine"),
    ("types.toml", "rate_wpm"),
]


def _build_with_voice(voice: str) -> object:
    return runner.invoke(app, ["build", "story.txt", "-o", "output", "--voice", voice])


@pytest.mark.parametrize(
    ("voice", "fragment"),
    BAD_VOICES,
    ids=["dot-dot", "missing", "broken", "binary", "engine", "types"],
)
def test_unknown_and_broken_voices_are_config_errors(
    tmp_path: Path, voice: str, fragment: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("broken.toml").write_text("engine = \n", encoding="utf-8")
    Path("binary.toml").write_bytes(b"\xff\xfe\x00\x00")
    Path("engine.toml").write_text('engine = "nope"\n', encoding="utf-8")
    Path("types.toml").write_text('engine = "tone"\nrate_wpm = "fast"\n', encoding="utf-8")
    Path("story.txt").write_text("Harbour wall to be repaired\n\n" + ARTICLE, encoding="utf-8")
    result = _build_with_voice(voice)
    assert fragment in _one_line_error(result, ExitStatus.CONFIG)
    assert not Path("output").exists()


# A full disk (or a read-only folder) while publishing: exit 7, one line with a hint, and the
# show as it was. Root ignores file modes, so the failures are made by patching.


def _live(out: Path) -> dict[str, bytes]:
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in out.rglob("*")
        if p.is_file() and ".narrate" not in p.parts
    }


def _fail_on(
    monkeypatch: pytest.MonkeyPatch, target: object, name: str, when: Callable[..., bool]
) -> None:
    """Make ``target.name`` raise ENOSPC when ``when(*args, **kwargs)``; else do its work."""
    real = getattr(target, name)

    def failing(*args: object, **kwargs: object) -> object:
        if when(*args, **kwargs):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(*args, **kwargs)

    monkeypatch.setattr(target, name, failing)


Inject = Callable[[pytest.MonkeyPatch], None]


def _moving_into_episodes(suffix: str) -> Inject:
    """Fail to move a built file (``suffix``) into its episode folder."""
    return lambda mp: _fail_on(
        mp, os, "replace", lambda src, dst: "/episodes/" in str(dst) and str(dst).endswith(suffix)
    )


def _writing(name: str) -> Inject:
    """Fail to make the new copy of the published file ``name`` (it is written beside the live
    one, then renamed over it)."""
    return lambda mp: _fail_on(
        mp, tempfile, "mkstemp", lambda *a, **kw: kw.get("prefix") == f".{name}."
    )


def _catalog_full(monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite's "database or disk is full" (SQLITE_FULL) as the catalog records the episode."""

    def full(self: Catalog, record: object) -> None:
        error = sqlite3.OperationalError("database or disk is full")
        error.sqlite_errorcode, error.sqlite_errorname = sqlite3.SQLITE_FULL, "SQLITE_FULL"
        raise error

    monkeypatch.setattr(Catalog, "put", full)


def _staging_full(monkeypatch: pytest.MonkeyPatch) -> None:
    _fail_on(
        monkeypatch,
        Path,
        "write_text",
        lambda path, *a, **kw: path.parent.name.startswith("narrate-build-"),
    )


DISK_FULL_AT: dict[str, Inject] = {
    "writing the staged transcripts while building": _staging_full,
    "moving the MP3 into place": _moving_into_episodes(".mp3"),
    "moving the transcript, the MP3 in place": _moving_into_episodes(".vtt"),
    "recording the episode in the catalog": _catalog_full,
    # (a publish writes the cover only with every page: when the show changed)
    "writing the index, the first page of the site": _writing("index.html"),
}
SITE_WRITES: dict[str, Inject] = {
    "writing the embed page, after the index and episode pages": _writing("embed.html"),
    "writing the feed, after every page": _writing("feed.xml"),
}


def _two_builds(tmp_path: Path) -> tuple[Path, Path]:
    out = tmp_path / "output"
    first = tmp_path / "first.txt"
    first.write_text("Harbour wall to be repaired\n\n" + ARTICLE, encoding="utf-8")
    assert _build(first, out).exit_code == 0  # type: ignore[attr-defined]
    edited = tmp_path / "edited.txt"  # the same article (same title): it replaces the episode
    edited.write_text(
        "Harbour wall to be repaired\n\n" + ARTICLE + "\nCosts rose again this week.\n",
        encoding="utf-8",
    )
    return out, edited


@pytest.mark.parametrize("point", list(DISK_FULL_AT))
@pytest.mark.slow
def test_a_full_disk_while_publishing_keeps_the_show(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, point: str, build_tmp: Path
) -> None:
    out, edited = _two_builds(tmp_path)
    before = _live(out)
    DISK_FULL_AT[point](monkeypatch)
    err = _one_line_error(_build(edited, out), ExitStatus.PUBLISH)
    assert "disk" in err.partition("(hint: ")[2]  # the hint says where to look
    assert {k: _live(out).get(k) for k in before} == before  # every live file as it was
    assert leftover_builds(build_tmp) == []
    monkeypatch.undo()  # room again: the same build now goes through
    assert _build(edited, out).exit_code == 0  # type: ignore[attr-defined]
    transcripts = b"".join(p.read_bytes() for p in (out / "episodes").rglob("transcript-*.vtt"))
    assert b"Costs rose again" in transcripts


# Regression: the site was replaced file by file after the catalog committed, so a full disk
# part-way left new pages beside the old feed; and the files of the build that failed then
# stayed in the episode's folder for good.
@pytest.mark.parametrize("point", list(SITE_WRITES))
@pytest.mark.slow
def test_a_full_disk_while_writing_the_site_keeps_every_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, point: str
) -> None:
    out, edited = _two_builds(tmp_path)
    before = _live(out)
    SITE_WRITES[point](monkeypatch)
    _one_line_error(_build(edited, out), ExitStatus.PUBLISH)
    assert {k: _live(out).get(k) for k in before} == before
    monkeypatch.undo()  # room again: the next build cleans up what the failed one left
    assert _build(edited, out).exit_code == 0  # type: ignore[attr-defined]
    for folder in (out / "episodes").iterdir():
        assert len(list(folder.glob("*.mp3"))) == 1, sorted(p.name for p in folder.iterdir())
        assert not list(folder.glob(".*.tmp"))
    assert check(str(out)) and not [f for f in check(str(out)) if not f.ok]


# Regressions found in review.


@pytest.mark.parametrize("charset", ["base64", "hex", "rot13", "zlib"])
def test_a_codec_that_is_not_a_text_encoding_is_not_used_to_read_a_page(
    tmp_path: Path, charset: str
) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(
        f'<html><head><meta charset="{charset}"><title>Harbour wall repaired</title></head>'
        "<body><article><p>The council met on Tuesday to discuss the harbour wall, and members "
        "voted to repair it before the winter storms arrive in the bay.</p></article></body>"
        "</html>".encode()
    )
    result = runner.invoke(app, ["extract", str(page)])
    assert result.exit_code == 0, result.stderr
    assert "voted to repair it" in result.stdout


def test_an_output_folder_with_an_apostrophe_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("story.txt").write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "Jo's show [draft]"
    result = runner.invoke(app, ["build", "story.txt", "-o", str(out), "--voice", "test-tone"])
    assert result.exit_code == 0, result.stderr
    assert list(out.glob("episodes/*/*.mp3"))
