"""How long a real build takes, against a naive one-call synthesis measured in the same run.

    python benchmarks/build.py [--repeat N] [ARTICLE ...]

For each article (default: the bundled example, and ../shared's Kyiv page dump when present):

- baseline: the whole spoken text in ONE pyttsx3 ``save_to_file`` call in a fresh process
  (after the one warm-up call without which pyttsx3 2.99 may write no file), the way a naive
  script would do it: no pauses, no mastering, no checks; pyttsx3's buffer grows quadratically
  with the text;
- narrate: ``build_episode`` with the default voice: segments spoken in checked worker
  processes, joined, mastered to -16 LUFS, encoded and tagged.

Prints wall-clock seconds (best of N), the audio's length, narrate's time per stage, and the
ratio narrate / baseline. Machines here are noisy: compare ratios, not seconds.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

from narrate.config import load_settings
from narrate.pipeline import build_episode, prepare_script

REPO = Path(__file__).resolve().parents[1]
DEFAULTS = [
    REPO / "examples" / "riverton-ferry-page-dump.txt",
    REPO.parent / "shared" / "examples" / "kyiv-independent-page-dump.txt",
]

NAIVE = """
import sys
from narrate.engines.pyttsx3_worker import load_espeak, start_engine
load_espeak()
engine = start_engine({"voice_id": "gmw/en-us", "rate_wpm": 165})
# pyttsx3 2.99's first save_to_file in a process may write nothing: say something first.
engine.save_to_file("Ready.", sys.argv[2] + ".warmup.wav")
engine.runAndWait()
engine.save_to_file(open(sys.argv[1], encoding="utf-8").read(), sys.argv[2])
engine.runAndWait()
"""


def naive(text: str, work: Path) -> tuple[float, float]:
    source, out = work / "text.txt", work / "naive.wav"
    source.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", NAIVE, str(source), str(out)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    seconds = time.perf_counter() - started
    with wave.open(str(out)) as wav:
        return seconds, wav.getnframes() / wav.getframerate()


def narrate(article: Path, work: Path) -> tuple[float, float, dict[str, float]]:
    settings = load_settings(output_dir=work / "output", cwd=work)
    marks: dict[str, float] = {}
    started = time.perf_counter()

    def progress(stage: str, done: int, total: int) -> None:
        marks.setdefault(stage, time.perf_counter() - started)

    built = build_episode(str(article), settings, progress=progress)
    seconds = time.perf_counter() - started
    stages, names = {}, list(marks)
    for i, name in enumerate(names):
        end = marks[names[i + 1]] if i + 1 < len(names) else seconds
        stages[name] = end - marks[name]
    shutil.rmtree(work / "output")
    return seconds, built.duration_ms / 1000, stages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("articles", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    articles = args.articles or [p for p in DEFAULTS if p.is_file()]
    print(f"{'article':34} {'what':9} {'best s':>7} {'audio s':>8} {'x realtime':>10}  stages")
    for article in articles:
        settings = load_settings(cwd=Path.cwd())
        text = " ".join(s.spoken for s in prepare_script(str(article), settings).segments)
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            base = min((naive(text, work) for _ in range(args.repeat)), key=lambda r: r[0])
            runs = [narrate(article, work) for _ in range(args.repeat)]
            ours = min(runs, key=lambda r: r[0])
            lengths = sorted({round(r[1], 1) for r in runs})
            if lengths[-1] - lengths[0] > 0.5:
                print(f"warning: {article.name}: episode lengths differ between runs: {lengths}")
        name = article.name[:34]
        print(f"{name:34} {'baseline':9} {base[0]:7.2f} {base[1]:8.1f} {base[1] / base[0]:10.1f}")
        stages = "  ".join(f"{k} {v:.2f}" for k, v in ours[2].items())
        print(
            f"{'':34} {'narrate':9} {ours[0]:7.2f} {ours[1]:8.1f} {ours[1] / ours[0]:10.1f}  "
            f"{stages}"
        )
        print(
            f"{'':34} {'ratio':9} {ours[0] / base[0]:7.2f}  (narrate time / baseline time; "
            f"{len(text)} characters spoken)"
        )


if __name__ == "__main__":
    main()
