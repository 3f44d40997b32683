"""Score narrate's extraction against the article-extraction corpus, beside a baseline.

    python benchmarks/extraction.py [--limit N] [--worst K] [--folds K] [-v]

Reads ``../shared/corpora/article-extraction`` (next to the repository). Two inputs per page:
the page flattened to text (narrate's text-dump reader; baseline: the raw dump itself) and the
saved HTML (narrate's HTML reader; baseline: ``trafilatura.extract()`` with its defaults).
Metric (the corpus README's): ``\\w+`` tokens, 4-token shingle multisets, per-page precision and
recall averaged over pages, F1 of the two means. "boiler" counts the pages whose extracted
text says "Subscribe", "Newsletter", "Cookie" or "Advertisement" where the ground truth does
not (target 0). Last, the time to read (intake) a 5,000-word article, as HTML and as a dump.

Cross-validation ("cv" rows; decide rule changes on them). narrate's rules are *knobs*
(:mod:`narrate.intake.knobs`): each rule that drops or keeps a line, and each phrase of the
lists of furniture, captions and box headings. The pages are cut into K folds (by a hash of the
page id). For each fold, the knobs that fire on its pages but on no page of the other folds
(those the rules could have been tuned on) are switched off, and the fold's pages are read
again and scored: a rule or phrase shaped on one page never raises the cv figure, only the
whole-set one. ``--support 2`` is stricter: a knob must fire on two tuning pages to count as
learned (a rule that fits one other page is shaped on a page too). ``-v`` lists the knobs
switched off and the pages they were off for.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from html import escape as html_escape
from pathlib import Path

import trafilatura

from narrate.errors import InputError
from narrate.intake import knobs
from narrate.intake.source import load_article

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "article-extraction"
_TOKEN = re.compile(r"\w+")
_BOILERPLATE = re.compile(r"\b(subscribe|newsletter|cookie|advertisement)s?\b", re.I)


def shingles(text: str, size: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text)
    return Counter(tuple(tokens[i : i + size]) for i in range(max(0, len(tokens) - size + 1)))


def page_scores(truth: str, prediction: str) -> tuple[float | None, float | None]:
    """(precision, recall) of one page; None where the README says the page does not count."""
    expected, got = shingles(truth), shingles(prediction)
    tp = sum((expected & got).values())
    fp = sum((got - expected).values())
    fn = sum((expected - got).values())
    precision = tp / (tp + fp) if tp + fp else (0.0 if expected else None)
    recall = tp / (tp + fn) if tp + fn else None
    return precision, recall


def boilerplate_words(truth: str, prediction: str) -> set[str]:
    """Furniture words in the prediction that the truth lacks (case-insensitive)."""
    found = {m.lower() for m in _BOILERPLATE.findall(prediction)}
    return found - {m.lower() for m in _BOILERPLATE.findall(truth)}


def _narrate(path: Path) -> Prediction:
    """(body, what will be spoken of the article: title and body)."""
    try:
        article = load_article(str(path))
    except InputError:
        return "", ""
    return article.body_text, f"{article.title}\n\n{article.body_text}"


def _same(text: str) -> Prediction:
    return text, text


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    ms_per_page: float
    worst: list[tuple[float, str]]  # (F1, page id) of the weakest pages
    boilerplate: dict[str, set[str]]  # page id -> furniture words its truth lacks

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


Prediction = tuple[str, str]  # (body, what will be spoken of the article: title and body)


def predict_all(
    ids: list[str], predict: Callable[[str], Prediction]
) -> tuple[dict[str, Prediction], dict[str, set[str]], float]:
    """Each page's prediction with every knob on, the knobs that fired on it, ms per page."""
    predictions: dict[str, Prediction] = {}
    fired: dict[str, set[str]] = {}
    elapsed = 0.0
    for page_id in ids:
        started = time.perf_counter()
        with knobs.tracing() as usage:
            predictions[page_id] = predict(page_id)
        elapsed += time.perf_counter() - started
        fired[page_id] = usage.fired
    return predictions, fired, 1000 * elapsed / max(1, len(ids))


def fold_of(page_id: str, folds: int) -> int:
    return int(hashlib.sha256(page_id.encode()).hexdigest(), 16) % folds


def cross_validated(
    ids: list[str],
    predict: Callable[[str], Prediction],
    whole: dict[str, Prediction],
    fired: dict[str, set[str]],
    folds: int,
    support: int = 1,
) -> tuple[dict[str, Prediction], dict[str, set[str]]]:
    """Each page read with the knobs off that only its own fold's pages use (see the module)."""
    held_out = dict(whole)
    switched_off: dict[str, set[str]] = {}
    for fold in range(folds):
        tuning = [i for i in ids if fold_of(i, folds) != fold]
        uses = Counter(knob for i in tuning for knob in fired[i])
        learned = {knob for knob, count in uses.items() if count >= support}
        for page_id in (i for i in ids if fold_of(i, folds) == fold):
            off = fired[page_id] - learned
            if off:
                switched_off[page_id] = off
                with knobs.tracing(off):
                    held_out[page_id] = predict(page_id)
    return held_out, switched_off


def run(
    ids: list[str], truth: dict[str, str], predictions: dict[str, Prediction], ms: float
) -> Score:
    """Score the predictions ``page_id -> (body, spoken text)`` on the pages."""
    precisions: list[float] = []
    recalls: list[float] = []
    per_page: list[tuple[float, str]] = []
    boilerplate: dict[str, set[str]] = {}
    for page_id in ids:
        prediction, spoken = predictions[page_id]
        if words := boilerplate_words(truth[page_id], spoken):
            boilerplate[page_id] = words
        precision, recall = page_scores(truth[page_id], prediction)
        if precision is not None:
            precisions.append(precision)
        if recall is not None:
            recalls.append(recall)
        p, r = precision or 0.0, recall or 0.0
        per_page.append((2 * p * r / (p + r) if p + r else 0.0, page_id))
    return Score(
        precision=sum(precisions) / len(precisions) if precisions else 0.0,
        recall=sum(recalls) / len(recalls) if recalls else 0.0,
        ms_per_page=ms,
        worst=sorted(per_page)[:10],
        boilerplate=boilerplate,
    )


def _long_article(truth: dict[str, str], words: int = 5000) -> tuple[str, str]:
    """A 5,000-word article made of ground-truth paragraphs: (HTML page, page dump)."""
    paragraphs: list[str] = []
    count = 0
    for text in truth.values():
        for paragraph in text.split("\n"):
            if count >= words:
                break
            if len(_TOKEN.findall(paragraph)) >= 20:
                paragraphs.append(paragraph.strip())
                count += len(paragraph.split())
    title = "A very long article for the timing of intake"
    nav = ["Home", "News", "Sport", "Subscribe", "Sign in"]
    page = (
        f"<!DOCTYPE html><html lang='en'><head><title>{title}</title></head><body><nav>"
        + "".join(f"<a href='/{n}'>{n}</a>" for n in nav)
        + f"</nav><article><h1>{title}</h1><p>By Ann Example</p>"
        + "".join(f"<p>{html_escape(p)}</p>" for p in paragraphs)
        + "</article><footer>Subscribe to our newsletter</footer></body></html>"
    )
    dump = "\n".join([*nav, title, "By Ann Example", *paragraphs, "Subscribe", "About us"])
    return page, dump


def _intake_ms(path: Path, repeat: int = 5) -> float:
    load_article(str(path))  # warm: imports and caches, as in a running build
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        load_article(str(path))
        times.append(time.perf_counter() - started)
    return 1000 * statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="score only the first N pages")
    parser.add_argument("--worst", type=int, default=0, help="list the K worst pages of narrate")
    parser.add_argument("--folds", type=int, default=5, help="folds of the cross-validation")
    parser.add_argument(
        "--support",
        type=int,
        default=1,
        help="tuning pages a knob must fire on to count as learned (default 1; 2 is stricter)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="list the knobs switched off")
    args = parser.parse_args(argv)
    if not CORPUS.is_dir():
        print(f"corpus not found: {CORPUS}", file=sys.stderr)
        return 1
    truth = {
        k: v["articleBody"]
        for k, v in json.loads((CORPUS / "ground-truth.json").read_text()).items()
    }
    dumps = {
        k: v["text"] for k, v in json.loads((CORPUS / "page-text-dumps.json").read_text()).items()
    }
    ids = sorted(truth)[: args.limit]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        html: dict[str, bytes] = {}
        for i in ids:
            html[i] = gzip.decompress((CORPUS / "html" / f"{i}.html.gz").read_bytes())
            (folder / f"{i}.html").write_bytes(html[i])
            (folder / f"{i}.txt").write_text(dumps[i], encoding="utf-8")
        readers: list[tuple[str, str, Callable[[str], Prediction], Callable[[str], Prediction]]] = [
            (
                "text dump",
                "raw dump (baseline)",
                lambda i: _same(dumps[i]),
                lambda i: _narrate(folder / f"{i}.txt"),
            ),
            (
                "html",
                "trafilatura.extract()",
                lambda i: _same(trafilatura.extract(html[i].decode("utf-8", "replace")) or ""),
                lambda i: _narrate(folder / f"{i}.html"),
            ),
        ]
        rows = []
        for label, base_name, baseline, ours in readers:
            base_predictions, _, base_ms = predict_all(ids, baseline)
            whole, fired, ms = predict_all(ids, ours)
            held_out, off = cross_validated(ids, ours, whole, fired, args.folds, args.support)
            rows.append(
                (
                    label,
                    base_name,
                    run(ids, truth, base_predictions, base_ms),
                    run(ids, truth, whole, ms),
                    run(ids, truth, held_out, ms),
                    off,
                )
            )
        page, dump = _long_article(truth)
        (folder / "long.html").write_text(page, encoding="utf-8")
        (folder / "long.txt").write_text(dump, encoding="utf-8")
        intake = [(kind, _intake_ms(folder / f"long.{kind}")) for kind in ("html", "txt")]
    print(f"{len(ids)} pages from {CORPUS}")
    print(
        f"{'input':10} {'extractor':22} {'P':>6} {'R':>6} {'F1':>6} {'F1/base':>8} "
        f"{'boiler':>6} {'ms/page':>8}"
    )
    for label, base_name, base, ours, cv, off in rows:
        named = ((base_name, base), ("narrate", ours), (f"narrate cv ({args.folds} folds)", cv))
        for name, score in named:
            ratio = score.f1 / base.f1 if base.f1 else float("nan")
            print(
                f"{label:10} {name:22} {score.precision:6.3f} {score.recall:6.3f} "
                f"{score.f1:6.3f} {ratio:8.3f} {len(score.boilerplate):6d} "
                f"{score.ms_per_page:8.1f}"
            )
        for f1, page_id in cv.worst[: args.worst]:
            print(f"    narrate's worst (cv): {page_id} F1 {f1:.3f}")
        for page_id, words in sorted(cv.boilerplate.items())[: args.worst or None]:
            print(f"    narrate says {', '.join(sorted(words))} in {page_id} (cv)")
        if args.verbose:
            pages_off: dict[str, list[str]] = {}
            for page_id, names in off.items():
                for name in names:
                    pages_off.setdefault(name, []).append(page_id[:8])
            for name, pages in sorted(pages_off.items()):
                print(f"    off (used by its fold only): {name!r} for {', '.join(sorted(pages))}")
    for kind, ms in intake:
        print(f"intake of a 5,000-word article ({kind}): {ms:.0f} ms (median of 5, warm)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
