"""Score narrate's extraction against the article-extraction corpus, beside a baseline.

    python benchmarks/extraction.py [--limit N] [--worst K]

Reads ``../shared/corpora/article-extraction`` (next to the repository). Two inputs per page:
the page flattened to text (narrate's text-dump reader; baseline: the raw dump itself) and the
saved HTML (narrate's HTML reader; baseline: ``trafilatura.extract()`` with its defaults).
Metric (the corpus README's): ``\\w+`` tokens, 4-token shingle multisets, per-page precision and
recall averaged over pages, F1 of the two means. "boiler" counts the pages whose extracted
text says "Subscribe", "Newsletter", "Cookie" or "Advertisement" where the ground truth does
not (target 0). Last, the time to read (intake) a 5,000-word article, as HTML and as a dump.
"""

from __future__ import annotations

import argparse
import gzip
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


def _narrate(path: Path) -> tuple[str, str]:
    """(body, what will be spoken of the article: title and body)."""
    try:
        article = load_article(str(path))
    except InputError:
        return "", ""
    return article.body_text, f"{article.title}\n\n{article.body_text}"


def _same(text: str) -> tuple[str, str]:
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


def run(ids: list[str], truth: dict[str, str], predict: Callable[[str], tuple[str, str]]) -> Score:
    """Score ``predict(page_id) -> (body, spoken text)`` on the pages."""
    precisions: list[float] = []
    recalls: list[float] = []
    per_page: list[tuple[float, str]] = []
    boilerplate: dict[str, set[str]] = {}
    elapsed = 0.0
    for page_id in ids:
        started = time.perf_counter()
        prediction, spoken = predict(page_id)
        elapsed += time.perf_counter() - started
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
        ms_per_page=1000 * elapsed / max(1, len(ids)),
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
        rows = [
            (
                "text dump",
                "raw dump (baseline)",
                run(ids, truth, lambda i: _same(dumps[i])),
                run(ids, truth, lambda i: _narrate(folder / f"{i}.txt")),
            ),
            (
                "html",
                "trafilatura.extract()",
                run(
                    ids,
                    truth,
                    lambda i: _same(trafilatura.extract(html[i].decode("utf-8", "replace")) or ""),
                ),
                run(ids, truth, lambda i: _narrate(folder / f"{i}.html")),
            ),
        ]
        page, dump = _long_article(truth)
        (folder / "long.html").write_text(page, encoding="utf-8")
        (folder / "long.txt").write_text(dump, encoding="utf-8")
        intake = [(kind, _intake_ms(folder / f"long.{kind}")) for kind in ("html", "txt")]
    print(f"{len(ids)} pages from {CORPUS}")
    print(
        f"{'input':10} {'extractor':22} {'P':>6} {'R':>6} {'F1':>6} {'F1/base':>8} "
        f"{'boiler':>6} {'ms/page':>8}"
    )
    for label, base_name, base, ours in rows:
        for name, score in ((base_name, base), ("narrate", ours)):
            ratio = score.f1 / base.f1 if base.f1 else float("nan")
            print(
                f"{label:10} {name:22} {score.precision:6.3f} {score.recall:6.3f} "
                f"{score.f1:6.3f} {ratio:8.3f} {len(score.boilerplate):6d} "
                f"{score.ms_per_page:8.1f}"
            )
        for f1, page_id in ours.worst[: args.worst]:
            print(f"    narrate's worst: {page_id} F1 {f1:.3f}")
        for page_id, words in sorted(ours.boilerplate.items())[: args.worst or None]:
            print(f"    narrate says {', '.join(sorted(words))} in {page_id}")
    for kind, ms in intake:
        print(f"intake of a 5,000-word article ({kind}): {ms:.0f} ms (median of 5, warm)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
