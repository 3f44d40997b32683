"""Benchmark: narrate.normalize against written -> spoken pairs from Google / NeMo.

Run on demand (not part of the test suite):

    python benchmarks/normalization.py

Corpora are read from ``../shared/corpora/normalization`` at run time (see its README):
``google-tn-dev.jsonl`` (3,500 sentences) and ``test-cases/test_cases_<class>.txt``.

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

from narrate.normalize import normalize

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "normalization"
CLASSES = ("date", "money", "time", "cardinal", "ordinal", "decimal", "measure")
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
    if "-v" in sys.argv:
        print("\nfailures (needs a change):")
        for written, spoken in needs_change:
            got = normalize(written)
            if lenient(got) != lenient(spoken):
                print(f"  {written}\n    want {lenient(spoken)}\n    got  {lenient(got)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
