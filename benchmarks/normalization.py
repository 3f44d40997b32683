"""Benchmark: narrate.speech.normalize against written -> spoken pairs from Google / NeMo.

Run on demand (not part of the test suite):

    python benchmarks/normalization.py

Corpora are read from ``../shared/corpora/normalization`` at run time (see its README):
``google-tn-dev.jsonl`` (3,500 sentences) and ``test-cases/test_cases_<class>.txt``.

It prints sentence accuracy on the Google set, accuracy per class on every NeMo test-case file,
and the time to normalize a 5,000-word news article (real article bodies from
``../shared/corpora/article-extraction``) against a baseline pass measured in the same run
(``str.split`` and one regex over the same text), plus a long unpunctuated line at two sizes:
the second ratio shows that time grows linearly.

Lenient scoring, as the corpus README describes: lowercase, drop punctuation tokens and the
word "and", hyphens to spaces, collapse whitespace, then exact match. The corpus writes
punctuation as separate tokens ("Kyiv ."); narrate attaches it ("Kyiv."), so punctuation is
also stripped from the ends of every token, on both sides alike. The baseline, measured in the
same run, is the identity (no normalization at all).
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

from narrate.speech.lexicon import spoken_lexicon
from narrate.speech.normalize import normalize
from narrate.voices import load_profile

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "normalization"
ARTICLES = CORPUS.parent / "article-extraction" / "ground-truth.json"
# Every test-case file but normalize_with_audio (several acceptable outputs a case).
CLASSES = tuple(
    sorted(
        p.stem.removeprefix("test_cases_")
        for p in (CORPUS / "test-cases").glob("test_cases_*.txt")
        if p.stem != "test_cases_normalize_with_audio"
    )
)
_EDGE_PUNCT = "\"'`.,;:!?()[]{}«»“”‘’—–-…/"


def lenient(text: str) -> str:
    tokens = []
    for token in text.lower().replace("-", " ").split():
        token = token.strip(_EDGE_PUNCT)
        if token and token != "and" and re.search(r"\w", token):
            tokens.append(token)
    return " ".join(tokens)


def load_google() -> list[tuple[str, str]]:
    path = CORPUS / "google-tn-dev.jsonl"
    with path.open(encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines if line.strip()]
    return [(row["text"], row["gt_normalized"]) for row in rows]


def load_class(name: str) -> list[tuple[str, str]]:
    path = CORPUS / "test-cases" / f"test_cases_{name}.txt"
    if not path.exists():
        return []
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        written, sep, spoken = line.partition("~")
        if sep and written.strip():
            pairs.append((written, spoken))
    return pairs


def score(pairs: list[tuple[str, str]], system: Callable[[str], str]) -> tuple[int, float]:
    """(cases passed, seconds per case)."""
    start = time.perf_counter()
    passed = sum(lenient(system(written)) == lenient(spoken) for written, spoken in pairs)
    elapsed = time.perf_counter() - start
    return passed, elapsed / max(len(pairs), 1)


def identity(text: str) -> str:
    return text


def article_paragraphs(words: int = 5000) -> list[str]:
    """Paragraphs of real news article bodies, about ``words`` words in all."""
    bodies = json.loads(ARTICLES.read_text(encoding="utf-8"))
    paragraphs: list[str] = []
    count = 0
    for key in sorted(bodies):
        for paragraph in bodies[key]["articleBody"].split("\n"):
            if paragraph.strip() and count < words:
                paragraphs.append(paragraph.strip())
                count += len(paragraph.split())
    return paragraphs


def _best_of(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def timing() -> None:
    if not ARTICLES.exists():
        print(f"\n(no {ARTICLES}: article timing skipped)")
        return
    paragraphs = article_paragraphs()
    words = sum(len(p.split()) for p in paragraphs)
    token = re.compile(r"\w+|[^\w\s]")
    base = _best_of(5, lambda: [(p.split(), token.findall(p)) for p in paragraphs])
    ours = _best_of(5, lambda: [normalize(p) for p in paragraphs])
    lexicon = spoken_lexicon(load_profile("default"))
    with_lexicon = _best_of(5, lambda: [normalize(p, lexicon=lexicon) for p in paragraphs])
    print(f"\nnormalize a {words:,}-word article ({len(paragraphs)} paragraphs), best of 5:")
    print(f"  baseline (str.split + one regex)  {base:8.4f} s")
    print(f"  narrate.speech.normalize          {ours:8.4f} s   {ours / base:6.0f}x the baseline")
    print(
        f"  ... with the default voice's lexicon ({len(lexicon)} entries)"
        f"  {with_lexicon:8.4f} s   {with_lexicon / base:6.0f}x the baseline"
    )
    print("long unpunctuated line (words and numbers, no stop):")
    previous = 0.0
    for size in (500_000, 1_000_000):
        line = ("word 12 Dr x.y " * (size // 15))[:size]
        seconds = _best_of(1, lambda line=line: normalize(line))
        growth = f"   x{seconds / previous:.2f} for twice the text" if previous else ""
        print(f"  {size:>9,} characters            {seconds:8.3f} s{growth}")
        previous = seconds


def main() -> int:
    if not CORPUS.exists():
        print(f"corpus not found: {CORPUS}", file=sys.stderr)
        return 1
    google = load_google()
    needs_change = [(w, s) for w, s in google if lenient(w) != lenient(s)]
    sets = [("google-tn-dev: all", google), ("google-tn-dev: needs a change", needs_change)]
    sets += [(f"class: {name}", pairs) for name in CLASSES if (pairs := load_class(name))]

    header = f"{'set':34} {'cases':>6} {'identity':>9} {'narrate':>9} {'ratio':>7} {'µs/case':>8}"
    print(header)
    print("-" * len(header))
    for label, pairs in sets:
        base, _ = score(pairs, identity)
        ours, per_case = score(pairs, normalize)
        ratio = f"{ours / base:.2f}x" if base else "n/a"
        n = len(pairs)
        print(f"{label:34} {n:6d} {base / n:9.1%} {ours / n:9.1%} {ratio:>7} {per_case * 1e6:8.0f}")
    timing()
    if "-v" in sys.argv:
        print("\nfailures (needs a change):")
        for written, spoken in needs_change:
            got = normalize(written)
            if lenient(got) != lenient(spoken):
                print(f"  {written}\n    want {lenient(spoken)}\n    got  {lenient(got)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
