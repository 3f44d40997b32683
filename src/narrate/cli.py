"""The ``narrate`` command: parse, call one library function, print.

Library errors (:class:`NarrateError`) become one line on stderr, ``error: ... hint: ...``, and
the exit status of their kind (see :class:`ExitStatus`, documented in README.md). Progress goes
to stderr, and only on a terminal; stdout carries results only.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn
from urllib.parse import urlsplit

import typer

from narrate import layout
from narrate.config import load_settings
from narrate.errors import ExitStatus, NarrateError
from narrate.machine import usable_cpus
from narrate.models import Settings
from narrate.version import __version__

if TYPE_CHECKING:
    from narrate.models import (
        Article,
        BuiltEpisode,
        EpisodeRecord,
        Progress,
        Release,
        Script,
        Segment,
    )

# Each command imports the stages it runs when it runs: `narrate --help` and `narrate voices`
# must not pay for the audio stack, trafilatura and the rest (about 1.5 s on these machines).

app = typer.Typer(
    help="Turn news articles into podcast episodes, offline.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

OutputOpt = Annotated[
    Path, typer.Option("--output", "-o", help="The show's output folder.", file_okay=False)
]
ConfigOpt = Annotated[
    Path | None,
    typer.Option("--config", "-c", help="Settings file (default: ./narrate.toml if present)."),
]
BaseUrlOpt = Annotated[
    str | None, typer.Option("--base-url", help="Public URL of the output folder.")
]
VoiceOpt = Annotated[
    str | None, typer.Option("--voice", help="Voice profile: a name in voices/ or a .toml path.")
]
SourceUrlOpt = Annotated[
    str | None,
    typer.Option("--source-url", help="The article's own URL (when the source doesn't say it)."),
]


def _fail(message: str, hint: str, status: ExitStatus) -> NoReturn:
    line = f"error: {message}" + (f" (hint: {hint})" if hint else "")
    typer.echo(" ".join(line.split()), err=True)
    raise typer.Exit(int(status))


@contextmanager
def _errors() -> Iterator[None]:
    """Turn what the library raises into one line and an exit status; never a traceback."""
    try:
        yield
    except NarrateError as exc:
        _fail(exc.message, exc.hint, exc.exit_status)
    except KeyboardInterrupt:
        _fail("interrupted", "nothing half-written was published", ExitStatus.INTERRUPTED)
    except (typer.Exit, typer.Abort):
        raise
    except Exception as exc:
        logging.getLogger("narrate").debug("unexpected failure", exc_info=True)
        _fail(
            f"unexpected failure: {type(exc).__name__}: {exc}",
            "this is a bug in narrate: run again with --verbose and report it",
            ExitStatus.ERROR,
        )


def _version(value: bool) -> None:
    if value:
        typer.echo(f"narrate {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Log details to stderr.")
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """Turn news articles into podcast episodes, offline."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
        force=True,
    )


def _settings(
    config: Path | None, output: Path, voice: str | None = None, base_url: str | None = None
) -> Settings:
    """The settings for a show in ``output``: its segment cache is the show's own; the base URL
    an earlier --base-url gave it (kept in its catalog) unless narrate.toml sets one."""
    from narrate.publishing.catalog import remembered_base_url

    return load_settings(
        config=config,
        output_dir=output,
        voice=voice,
        base_url=base_url,
        cache_dir=layout.cache_dir(output),
        remembered_base_url=remembered_base_url(output),
        base_url_sticks=True,
    )


def _remember(settings: Settings, base_url: str | None) -> None:
    """Keep a --base-url for the show's next commands (after the command succeeded)."""
    if base_url is not None:
        from narrate.publishing.catalog import remember_base_url

        with _errors():
            remember_base_url(settings.output_dir, settings.show.base_url)


def _label(source: str) -> str:
    """How a source is named in progress and summary lines: its file name, stdin, a URL's page."""
    if source == "-":
        return "stdin"
    return Path(urlsplit(source).path).name or source


def _clock(ms: int) -> str:
    seconds = round(ms / 1000)
    return f"{seconds // 60}:{seconds % 60:02d}"


@contextmanager
def _progress_bar(label: str) -> Iterator[Progress]:
    """A progress bar on stderr when it is a terminal; otherwise nothing."""
    if not sys.stderr.isatty():
        yield lambda stage, done, total: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=None)

        def update(stage: str, done: int, total: int) -> None:
            bar.update(task, description=f"{label}: {stage}", completed=done, total=total or 1)

        yield update


JobsOpt = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        min=1,
        help="Articles built at once (default: 2, or the cores if fewer); published in order.",
    ),
]


class _Cancelled(Exception):
    """Raised in a batch's builds, at their next progress report, once the batch is stopped."""


@app.command()
def build(
    sources: Annotated[
        list[str], typer.Argument(help="Articles: .html/.htm, .txt or .md files, or - for stdin.")
    ],
    output: OutputOpt = Path("output"),
    config: ConfigOpt = None,
    voice: VoiceOpt = None,
    base_url: BaseUrlOpt = None,
    source_url: SourceUrlOpt = None,
    publish_at: Annotated[
        str | None,
        typer.Option(
            "--publish-at",
            help="Hold the episode out of the feed until then (ISO 8601, e.g. "
            "2026-03-05T06:00+01:00; no zone: this machine's); it appears at the next build "
            "or `narrate feed` after it. A rebuild keeps the schedule; `now` releases it.",
        ),
    ] = None,
    season: Annotated[
        int | None, typer.Option("--season", min=1, help="The episode's season (itunes:season).")
    ] = None,
    episode_type: Annotated[
        str | None,
        typer.Option("--episode-type", help="full (the default), trailer or bonus."),
    ] = None,
    image: Annotated[
        str | None,
        typer.Option(
            "--image",
            help="The episode's art: an image file or URL, instead of the page's lead image.",
        ),
    ] = None,
    jobs: JobsOpt = None,
) -> None:
    """Build one episode per SOURCE and publish it in the output's feed.

    Several sources are built at once (``--jobs``): one article is spoken while another is
    mastered. They are published one at a time in the order given, so the output and the feed
    are the same whatever finishes first; a source that fails is reported and skipped, the
    others are published, and the exit status is the failure's."""
    if source_url and len(sources) > 1:
        _fail(
            "--source-url applies to one source",
            "build the sources one at a time",
            ExitStatus.USAGE,
        )
    if sources.count("-") > 1:
        _fail("stdin (-) can be read once", "give - once", ExitStatus.USAGE)
    release = _release(publish_at, season, episode_type, image)
    from narrate.publishing.catalog import check_output_folder

    with _errors():
        settings = _settings(config, output, voice, base_url)
        check_output_folder(output)  # before any speaking: publish would refuse it
    width = min(len(sources), jobs or min(2, usable_cpus()))
    failures, last_status = 0, int(ExitStatus.OK)
    with _errors():  # Ctrl-C while waiting for a build: one line, exit 130
        for source, outcome in _built_in_order(sources, settings, source_url, width, release):
            try:
                with _errors():
                    built, record = _publish_outcome(outcome, settings)
            except typer.Exit as stop:
                if stop.exit_code == ExitStatus.INTERRUPTED or len(sources) == 1:
                    raise
                failures += 1
                last_status = stop.exit_code
                continue
            where = output / record.audio_path
            typer.echo(f"{record.title}\t{_clock(record.duration_ms)}\t{where}")
            spoken = len(built.script.segments)
            typer.echo(
                f"{_label(source)}: {spoken - built.cached_segments} of {spoken} "
                f"segments spoken, {built.cached_segments} from the cache, "
                f"in {built.build_seconds:.1f} s",
                err=True,
            )
    if failures < len(sources):
        _remember(settings, base_url)
    if urlsplit(settings.show.base_url).hostname in {"127.0.0.1", "localhost", "::1"}:
        typer.echo(
            f"note: the feed's URLs start with {settings.show.base_url}, for `narrate serve` on "
            "this machine; set [show] base_url in narrate.toml (or --base-url) before publishing",
            err=True,
        )
    if failures:
        raise typer.Exit(last_status)


def _release(
    publish_at: str | None, season: int | None, kind: str | None, image: str | None
) -> Release | None:
    """The build's release flags as one object (None: none given)."""
    if publish_at is None and season is None and kind is None and image is None:
        return None
    from narrate.intake.rules import parse_moment
    from narrate.models import EPISODE_TYPES, Release

    if publish_at and publish_at.strip().lower() == "now":
        moment: datetime | None = datetime.now().astimezone().replace(microsecond=0)
    else:
        moment = parse_moment(publish_at, date_alone=True) if publish_at else None
    if publish_at and moment is None:
        _fail(
            f"--publish-at {publish_at!r} is not a date and time",
            "write it as ISO 8601: 2026-03-05T06:00+01:00",
            ExitStatus.USAGE,
        )
    episode_type = kind.lower() if kind else None
    if episode_type is not None and episode_type not in EPISODE_TYPES:
        _fail(
            f"--episode-type {kind!r} is not known",
            "use " + ", ".join(EPISODE_TYPES),
            ExitStatus.USAGE,
        )
    return Release(moment, season, episode_type, image)


def _publish_outcome(
    outcome: Future[BuiltEpisode], settings: Settings
) -> tuple[BuiltEpisode, EpisodeRecord]:
    """Publish a build that succeeded (its failure, re-raised, goes to ``_errors``)."""
    from narrate.publishing.writer import publish

    built = outcome.result()
    return built, publish(built, settings)


def _built_in_order(
    sources: list[str],
    settings: Settings,
    source_url: str | None,
    width: int,
    release: Release | None = None,
) -> Iterator[tuple[str, Future[BuiltEpisode]]]:
    """Each source with its build, in the order given, ``width`` of them building at once
    (threads: the work is in the engines' and ffmpeg's processes). A build's progress bar is
    shown when one builds at a time. Stopping (Ctrl-C, or the caller leaving) cancels the
    builds not started and stops the others at their next progress report."""
    from narrate.pipeline import build_episode

    stop = threading.Event()

    def run(source: str, progress: Progress) -> BuiltEpisode:
        def report(stage: str, done: int, total: int) -> None:
            if stop.is_set():
                raise _Cancelled
            progress(stage, done, total)

        stdin = sys.stdin.buffer if source == "-" else None
        return build_episode(
            source,
            settings,
            stdin=stdin,
            source_url=source_url,
            progress=report,
            release=release,
        )

    if width == 1:
        for source in sources:
            done: Future[BuiltEpisode] = Future()
            with _progress_bar(_label(source)) as progress:
                try:
                    done.set_result(run(source, progress))
                except Exception as exc:  # given to the caller, as a pool's future does
                    done.set_exception(exc)
            yield source, done
        return
    pool = ThreadPoolExecutor(max_workers=width, thread_name_prefix="narrate-build")
    futures: list[Future[BuiltEpisode]] = []
    yielded: list[str] = []
    try:
        quiet: Progress = lambda stage, done, total: None  # noqa: E731
        futures = [pool.submit(run, source, quiet) for source in sources]
        for source, future in zip(sources, futures, strict=True):
            with suppress(CancelledError):
                future.exception()  # waits: Ctrl-C lands here, in the main thread
            yielded.append(source)
            yield source, future
    finally:
        stop.set()
        pool.shutdown(wait=True, cancel_futures=True)
        from narrate.publishing.writer import discard_built

        for future in futures[len(yielded) :]:  # built, never published: the batch stopped
            if not future.cancelled() and future.exception() is None:
                discard_built(future.result())


@app.command()
def script(
    source: Annotated[str, typer.Argument(help="An article file or URL, or - for stdin.")],
    config: ConfigOpt = None,
    voice: VoiceOpt = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per segment per line.")
    ] = False,
    source_url: SourceUrlOpt = None,
) -> None:
    """Print exactly what would be spoken, segment by segment, with the pauses marked."""
    from narrate.pipeline import prepare_script

    with _errors():
        settings = _settings(config, Path("output"), voice)
        stdin = sys.stdin.buffer if source == "-" else None
        prepared = prepare_script(source, settings, stdin=stdin, source_url=source_url)
    if as_json:
        for record in script_records(prepared):
            typer.echo(json.dumps(record, ensure_ascii=False))
    else:
        typer.echo(format_script(prepared))


@app.command("normalize")
def normalize_text(
    text: Annotated[str, typer.Argument(help="Text to say, or - for stdin (the default).")] = "-",
    config: ConfigOpt = None,
    voice: VoiceOpt = None,
    language: Annotated[
        str | None,
        typer.Option("--language", help="Its language (default: the show's), e.g. de or fr-CA."),
    ] = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="Show which rule or lexicon entry made each word.")
    ] = False,
) -> None:
    """Print the spoken form of each line of TEXT (numbers, dates, abbreviations, lexicon)."""
    from narrate.speech.explain import explain as explain_line
    from narrate.speech.explain import format_explained
    from narrate.speech.lexicon import lexicon_origins, spoken_lexicon
    from narrate.speech.normalize import normalize_lines

    with _errors():
        settings = _settings(config, Path("output"), voice)
        written = sys.stdin.buffer.read().decode("utf-8", "replace") if text == "-" else text
        said_in = language or settings.show.language
        profile = settings.voice if voice else settings.voice_for(said_in)
        lexicon = spoken_lexicon(profile)
        spoken = normalize_lines(written, language=said_in, lexicon=lexicon, engine=profile.engine)
        origins = lexicon_origins(profile) if explain else {}
    for line, spoken_line in zip(written.splitlines(), spoken, strict=True):
        typer.echo(spoken_line)
        if explain:
            said = explain_line(
                line, language=said_in, lexicon=lexicon, engine=profile.engine, origins=origins
            )
            for explained in format_explained(said):
                typer.echo(explained)


@app.command()
def extract(
    sources: Annotated[
        list[str],
        typer.Argument(help="Articles: .html, .txt or .md files, http(s) URLs, or - for stdin."),
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per source per line.")
    ] = False,
) -> None:
    """Print what extraction keeps of each SOURCE, as written: title, byline, date and body."""
    from narrate.intake.source import load_article

    failures, last_status = 0, int(ExitStatus.OK)
    for number, source in enumerate(sources):
        try:
            with _errors():
                article = load_article(source, stdin=sys.stdin.buffer if source == "-" else None)
        except typer.Exit as stop:
            if stop.exit_code == ExitStatus.INTERRUPTED or len(sources) == 1:
                raise
            failures, last_status = failures + 1, stop.exit_code
            continue
        if as_json:
            typer.echo(json.dumps(extracted_record(source, article), ensure_ascii=False))
        else:
            header = f"==> {source} <==\n" if len(sources) > 1 else ""
            typer.echo(("\n" if number else "") + header + extracted_text(article))
    if failures:
        raise typer.Exit(last_status)


@app.command()
def voices(config: ConfigOpt = None, voice: VoiceOpt = None) -> None:
    """List the voices the profile's engine has offline (id, name, language, gender)."""
    from narrate.engines.registry import get_engine

    with _errors():
        settings = _settings(config, Path("output"), voice)
        found = get_engine(settings.voice.engine).voices()
    typer.echo("id\tname\tlanguage\tgender")
    for item in found:
        typer.echo(f"{item.id}\t{item.name}\t{','.join(item.languages)}\t{item.gender or '-'}")


@app.command()
def feed(
    output: OutputOpt = Path("output"), config: ConfigOpt = None, base_url: BaseUrlOpt = None
) -> None:
    """Rewrite the feed and every page from the show's catalog."""
    from narrate.publishing.writer import rebuild

    with _errors():
        settings = _settings(config, output, base_url=base_url)
        episodes = rebuild(settings)
    _remember(settings, base_url)
    typer.echo(f"{output / layout.FEED_NAME}\t{len(episodes)} episode(s)")


@app.command()
def remove(
    episode: Annotated[str, typer.Argument(help="The episode's slug, guid or article URL.")],
    output: OutputOpt = Path("output"),
    config: ConfigOpt = None,
    base_url: BaseUrlOpt = None,
) -> None:
    """Take an episode out of the feed and pages, and delete its files."""
    from narrate.publishing.writer import remove as remove_episode

    with _errors():
        settings = _settings(config, output, base_url=base_url)
        record = remove_episode(settings, episode)
    _remember(settings, base_url)
    typer.echo(f"removed\t{record.title}\t{record.slug}")


@app.command()
def check(
    target: Annotated[
        str, typer.Argument(help="The show's public URL (its folder or feed.xml), or a folder.")
    ],
    timeout: Annotated[float, typer.Option(help="Seconds to wait for each request.")] = 15.0,
) -> None:
    """Check a published show as podcast apps see it: feed, audio, ranges, types, transcripts."""
    from narrate.check import check as check_show

    with _errors():
        findings = check_show(target, timeout=timeout)
    for finding in findings:
        typer.echo(f"{'ok' if finding.ok else 'FAIL'}\t{finding.what}\t{finding.detail}")
    failed = sum(not f.ok for f in findings)
    typer.echo(f"{len(findings) - failed} passed, {failed} failed", err=True)
    if failed:
        raise typer.Exit(ExitStatus.CHECK_FAILED)


@app.command()
def serve(
    output: OutputOpt = Path("output"),
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
) -> None:
    """Preview the output folder over HTTP (the catalog is never served)."""
    from narrate.serve import serve as run_server

    if not output.is_dir():
        _fail(
            f"no output folder {output}",
            "build an episode first: narrate build ARTICLE",
            ExitStatus.BAD_INPUT,
        )
    with _errors():
        try:
            run_server(output, host, port, ready=lambda url: typer.echo(f"serving {url}"))
        except KeyboardInterrupt:
            typer.echo("stopped", err=True)  # Ctrl-C is how a preview ends: not an error


# --- jobs: many machines, one publisher (narrate.jobs; README: Running jobs) ---------------

RedisOpt = Annotated[
    str | None,
    typer.Option("--redis", help="The queue's Redis (default: [queue] redis_url)."),
]


def _enqueue(
    sources: list[str],
    output: Path,
    config: Path | None,
    voice: str | None,
    base_url: str | None,
    redis: str | None,
) -> None:
    from narrate.config import load_queue_settings
    from narrate.jobs.queue import enqueue as enqueue_sources

    with _errors():
        settings = _settings(config, output.resolve(), voice, base_url)
        queue = load_queue_settings(config=config, redis_url=redis)
        report = enqueue_sources(sources, settings, queue)
    for item in report:
        typer.echo(f"{item.key}\t{item.state}\t{item.source}")
    fresh = sum(item.state == "enqueued" for item in report)
    typer.echo(f"{fresh} enqueued, {len(report) - fresh} already known", err=True)


@app.command("enqueue")
def enqueue_command(
    sources: Annotated[list[str], typer.Argument(help="Article files or http(s) URLs.")],
    output: OutputOpt = Path("output"),
    config: ConfigOpt = None,
    voice: VoiceOpt = None,
    base_url: BaseUrlOpt = None,
    redis: RedisOpt = None,
) -> None:
    """Queue one job per source for `narrate worker`; print each job's id and state."""
    _enqueue(sources, output, config, voice, base_url, redis)


@app.command()
def backfill(
    sources: Annotated[
        Path, typer.Argument(help="A file of sources (one a line) or a folder of articles.")
    ],
    output: OutputOpt = Path("output"),
    config: ConfigOpt = None,
    voice: VoiceOpt = None,
    base_url: BaseUrlOpt = None,
    redis: RedisOpt = None,
) -> None:
    """Queue an archive: every source not yet published or queued (run again after a crash)."""
    from narrate.jobs.queue import read_list

    with _errors():
        listed = read_list(sources)
    _enqueue(listed, output, config, voice, base_url, redis)


@app.command()
def worker(
    config: ConfigOpt = None,
    redis: RedisOpt = None,
    burst: Annotated[
        bool, typer.Option("--burst", help="Exit when nothing is left to run or publish.")
    ] = False,
    name: Annotated[str | None, typer.Option(help="The worker's name in Redis.")] = None,
) -> None:
    """Run queued jobs: build each article, and publish what is built (one publisher at a time)."""
    from narrate.config import load_queue_settings
    from narrate.jobs.worker import run_worker

    with _errors():
        run_worker(load_queue_settings(config=config, redis_url=redis), burst=burst, name=name)


@app.command()
def status(config: ConfigOpt = None, redis: RedisOpt = None) -> None:
    """Count the jobs by state, and list the failed ones with their errors."""
    from narrate.config import load_queue_settings
    from narrate.jobs.queue import status as queue_status

    with _errors():
        found = queue_status(load_queue_settings(config=config, redis_url=redis))
    for label in ("queued", "retrying", "running", "built", "failed", "rejected", "published"):
        typer.echo(f"{label}\t{getattr(found, label)}")
    for source, error in found.failures:
        typer.echo(f"FAILED\t{source}\t{error}")


@app.command()
def retry(config: ConfigOpt = None, redis: RedisOpt = None) -> None:
    """Queue the failed jobs again (and hand rejected episodes back to the publisher)."""
    from narrate.config import load_queue_settings
    from narrate.jobs.queue import retry as retry_jobs

    with _errors():
        again = retry_jobs(load_queue_settings(config=config, redis_url=redis))
    for source in again:
        typer.echo(f"queued\t{source}")
    typer.echo(f"{len(again)} job(s) queued again", err=True)


# --- presenters: how results are shown -----------------------------------------------------


def extracted_record(source: str, article: Article) -> dict[str, object]:
    """What extraction kept, for ``narrate extract --json``: one JSON object. ``byline`` is
    what the intro says after "By"; ``authors`` are the people, each with the role and outlet
    the byline gave beside the name (or null)."""
    moment = article.published_at
    return {
        "source": source,
        "title": article.title,
        "byline": article.byline,
        "authors": [
            {"name": person.name, "role": person.role, "outlet": person.outlet}
            for person in article.authors
        ],
        "deck": article.deck,
        "date": article.published.isoformat() if article.published else None,
        "published_at": moment.isoformat() if moment else None,
        "language": article.language,
        "body": article.body_text,
    }


def extracted_text(article: Article) -> str:
    """What extraction kept, as written: title, deck, "By" byline and date lines (the time too
    when the page gives it), a blank line, then the body's paragraphs (headings on their own
    lines) separated by blank lines."""
    head = [article.title]
    if article.deck:
        head.append(article.deck)
    if article.byline:
        head.append(f"By {article.byline}")
    if article.published_at:
        head.append(article.published_at.isoformat())
    elif article.published:
        head.append(article.published.isoformat())
    return "\n".join(head) + "\n\n" + article.body_text


def script_records(script: Script) -> list[dict[str, object]]:
    """``narrate script --json``: one record a segment, in order."""
    return [
        {
            "index": index,
            "kind": segment.kind,
            "text": segment.text,
            "spoken": segment.spoken,
            "pause_after_ms": segment.pause_after_ms,
            "section": segment.section,
        }
        for index, segment in enumerate(script.segments)
    ]


def format_script(script: Script) -> str:
    """The proofreading view: one line per segment (part, spoken text, pause), a blank line
    between paragraphs."""
    lines: list[str] = []
    previous: Segment | None = None
    for segment in script.segments:
        if previous and (previous.part, previous.paragraph) != (segment.part, segment.paragraph):
            lines.append("")
        lines.append(f"[{segment.part}] {segment.spoken}  ⟨pause {segment.pause_after_ms} ms⟩")
        previous = segment
    return "\n".join(lines) + ("\n" if lines else "")
