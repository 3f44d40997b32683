"""Plain-text sources: clean articles and pages copied out of a browser.

A page dump holds the article between menus, sign-up boxes, captions and teasers. Each line is
scored (prose is positive, short or unfinished lines negative), the best contiguous run of lines
is the body (maximum-sum subarray). Headings of what follows an article ("News Feed", "Most
popular", "Comments") are walls the run cannot cross; headings of boxes that also sit inside
articles ("Related", "Read more") only cost a lot to cross, and the teaser lines under them
cost little. Then:

- prose after a "Comments" heading that follows an article scores a quarter (readers' words);
- when the best run lies far from the headline (the page's <title> repeated), a run starting
  just below the headline wins if it is not much smaller (a footer of legal text can be long);
- a big run of prose close above or below, with no wall between, joins the body (an article
  cut in two by a box of teasers);
- a last paragraph cut short by a paywall keeps its whole sentences.

Captions and credits cost little (the article goes on after them) and are dropped, as are
pointers elsewhere, prompts to follow, lines about the author and teasers in capitals; short
labels the page repeats are no headings. The title, byline, date and deck come from the lines
above the body (:mod:`narrate.intake.pagehead`).

The rules it shares with the HTML reader (furniture phrases, captions, bylines, dates) live in
:mod:`narrate.intake.rules`.
"""

from __future__ import annotations

import logging
import re
from collections import Counter

from narrate.errors import InputError
from narrate.intake.bylines import people
from narrate.intake.knobs import fires
from narrate.intake.pagehead import HEADLINE_REACH, normal, read_head
from narrate.intake.rules import (
    BOX_COST,
    BYLINE,
    CAPTION_CREDIT,
    POINTER,
    TITLE_SEPARATORS,
    TRUNCATED,
    WORD,
    about_author,
    clean_byline,
    clean_inline,
    clean_title,
    is_boilerplate,
    is_comments_heading,
    is_dateline,
    is_marker,
    is_prose,
    names_only,
    section_cost,
    word_count,
)
from narrate.models import Article, Paragraph

logger = logging.getLogger(__name__)

TEASER_WEIGHT = 0.5
STREAK_GROWTH = 0.25
BOX_LINE_SCORE = -2.0
ARTICLE_WORDS = 100  # prose words before a comments heading that make an article
COMMENT_WEIGHT = 0.25  # prose after a "Comments" heading is readers', not the article
# The end of a sentence inside a line: not after "Mr." or an initial ("J. Smith").
_SENTENCE_END = re.compile(
    r"(?<!\bMr)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bJr)(?<!\bMrs)(?<!\b[A-Z])[.!?][\"'”’)]*(?=\s)"
)
JOIN_GAP = 16  # lines of teasers between two parts of one article
JOIN_MIN = 60.0  # the score (about the words of prose) of a part worth joining
SHOUTED_WORDS = 8  # a line of this many words in capitals is a teaser, not a heading
CAPTION_SCORE = -2.0
LABEL_WORDS = 3  # a line this short that the page repeats is a label ("Report", "Advert")
ANCHOR_SHARE = 0.3  # a run under the headline this big (against the best run) is the article


def score_line(line: str) -> float:
    """Positive for prose, negative for furniture; -inf for a wall ("News Feed")."""
    if cost := section_cost(line):
        return -cost
    words = word_count(line)
    if CAPTION_CREDIT.search(line) and fires("caption-in-run"):
        return CAPTION_SCORE  # a photo's caption or credit: inside the article, not its end
    if is_boilerplate(line, words) or is_dateline(line):
        return -5.0 - min(words, 30)
    if is_prose(line):
        return float(words) if words >= 6 else 1.0
    if line.endswith(":") and words >= 6:
        return words / 2  # introduces a quote or a list
    if TRUNCATED.search(line) or words >= 20:
        return -float(words) * TEASER_WEIGHT  # a teaser cut mid-sentence
    return -5.0 - words / 2


def line_scores(lines: list[str]) -> list[float]:
    """Each line's score; a streak of non-prose lines (a menu, a tag list) costs ever more.

    A photo's caption or credit costs little and starts no streak: the article goes on after
    it, and so does the subheading that often follows it.
    """
    scores: list[float] = []
    streak = 0
    in_box = in_comments = False
    prose_words = 0.0  # since the last wall: a "Comments" link near the top is no end
    for line in lines:
        score = score_line(line)
        if score == CAPTION_SCORE:
            scores.append(score)  # a caption is no streak of furniture: the article goes on
            continue
        if in_comments and score > 0 and fires("comments-weight"):
            score *= COMMENT_WEIGHT
        if is_comments_heading(line) and prose_words >= ARTICLE_WORDS:
            in_comments = True
        prose_words = 0.0 if score == float("-inf") else prose_words + max(score, 0.0)
        if (
            in_box
            and score < 0
            and score != float("-inf")
            and not is_prose(line)
            and fires("box-line")
        ):
            scores.append(BOX_LINE_SCORE)  # a teaser in a box: _keep drops it, crossing is cheap
            continue
        in_box = section_cost(line) == BOX_COST
        streak = streak + 1 if score <= 1.0 else 0
        scores.append(score * (1 + STREAK_GROWTH * streak) if score < 0 else score)
    scores[0] = min(scores[0], -1.0)  # the first line of a text file is its title or the page's
    return scores


def _lines(text: str) -> list[str]:
    """Non-empty lines; hard-wrapped paragraphs (a clean .txt at ~72 columns) are rejoined."""
    raw = text.split("\n")
    longest = max((len(line) for line in raw), default=0)
    wrapped = longest <= 100 and sum(len(line) >= 60 for line in raw) >= 3
    lines: list[str] = []
    previous_blank = True
    for line in raw:
        line = clean_inline(line)
        if not line:
            previous_blank = True
            continue
        joins = wrapped and not previous_blank and lines and len(lines[-1]) >= 50
        if joins and not re.match(r"([-*•]|\d+[.)])\s", line):
            lines[-1] = f"{lines[-1]} {line}"
        else:
            lines.append(line)
        previous_blank = False
    return lines


def best_run(scores: list[float]) -> tuple[int, int]:
    """The [start, end) slice with the largest sum (Kadane); walls reset the run."""
    best, best_slice = float("-inf"), (0, 0)
    total, start = 0.0, 0
    for i, score in enumerate(scores):
        if total <= 0:
            total, start = 0.0, i
        total += score
        if total > best:
            best, best_slice = total, (start, i + 1)
        if total == float("-inf"):
            total = 0.0
    return best_slice


def _page_title(lines: list[str]) -> str:
    """The headline part of the page's title (the first line of a dump): "Headline | Site"."""
    return max(TITLE_SEPARATORS.split(lines[0]), key=len)


def _run_below_headline(lines: list[str], scores: list[float]) -> tuple[int, int] | None:
    """The best run that starts just below the page's headline (its <title> repeated), if any.

    A dump's best run can be a wall of legal text in the footer; the headline anchors the
    article, so a run that starts under it wins when it is not much smaller.
    """
    key = normal(_page_title(lines))
    if word_count(key) < 3:
        return None
    found = [i for i in range(1, len(lines)) if normal(lines[i]) == key]
    if not found:
        return None
    best, best_run_ = 0.0, None
    for start in range(found[-1] + 1, min(len(lines), found[-1] + 1 + HEADLINE_REACH)):
        if scores[start] <= 0:
            continue
        total = 0.0
        for end in range(start, len(scores)):
            total += scores[end]
            if total == float("-inf"):
                break
            if total > best:
                best, best_run_ = total, (start, end + 1)
    return best_run_


def _join_neighbours(scores: list[float], start: int, end: int) -> tuple[int, int]:
    """The run, joined with a big run of prose close below or above it: an article that a box
    of teasers ("Most read in world news") cuts in two. Walls are never crossed."""
    changed = True
    while changed:
        changed = False
        after = _best_within(scores, end, range(end, min(len(scores), end + JOIN_GAP)))
        if after is not None and fires("join-below"):
            end, changed = after, True
        before = _best_within(scores, start, range(start - 1, max(-1, start - JOIN_GAP), -1))
        if before is not None and fires("join-above"):
            start, changed = before, True
    return start, end


def _best_within(scores: list[float], edge: int, starts: range) -> int | None:
    """The far edge of the best run of at least JOIN_MIN that starts at one of ``starts`` and
    runs away from ``edge`` (forwards or backwards), with no wall between; None if there is none.
    """
    step = starts.step
    best, far = JOIN_MIN, None
    for first in starts:
        if any(s == float("-inf") for s in scores[min(edge, first) : max(edge, first) + 1]):
            break
        if scores[first] <= 0:
            continue
        total, i = 0.0, first
        while 0 <= i < len(scores) and scores[i] != float("-inf"):
            total += scores[i]
            if total >= best:
                best, far = total, (i + 1 if step > 0 else i)
            i += step
    return far


def _whole_sentences(line: str) -> str | None:
    """The whole sentences of a long paragraph cut short ("... has been…"), if it has any."""
    if not TRUNCATED.search(line) or word_count(line) < 20:
        return None
    ends = [m.end() for m in _SENTENCE_END.finditer(line)]
    return line[: ends[-1]] if ends else None


def _keep(lines: list[str], names: frozenset[str], labels: frozenset[str]) -> list[Paragraph]:
    """The run's lines minus furniture; short lines that lead into prose become headings.

    After a box heading ("Related", "Read more") its teaser lines are dropped up to the next
    paragraph of prose. ``names``: the authors' (their names alone, or a line about them, go);
    ``labels``: short lines the page repeats (a button's "Report"), which head nothing.
    """
    kept: list[Paragraph] = []
    in_box = False
    for i, line in enumerate(lines):
        words = word_count(line)
        if is_marker(line):
            in_box = True
            continue
        if words == 0 or is_boilerplate(line, words) or is_dateline(line):
            continue
        if POINTER.match(line) or about_author(line, names):
            continue  # "Related: ...", "Meg James is a reporter for the Times."
        if words <= 12 and names_only(line, names) and fires("byline-repeat"):
            continue
        shouted = words >= SHOUTED_WORDS and line.isupper() and not is_prose(line)
        if shouted and fires("shouted-teaser"):  # "GET FOX BUSINESS ON THE GO BY CLICKING HERE"
            continue
        by_line = BYLINE.match(line) and not is_prose(line) and clean_byline(line)
        if by_line and fires("byline-line"):
            continue  # "By Priya Lund": the byline is said in the intro
        if is_prose(line) or line.endswith(":") or words >= 20:
            in_box = in_box and words < 10
            if not in_box:
                kept.append(Paragraph(line))
            continue
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if line in labels and fires("repeated-label"):
            continue
        if (
            not in_box
            and words <= 15
            and is_prose(following)
            and word_count(following) >= 6
            and fires("short-line-heading")
        ):
            kept.append(Paragraph(line, is_heading=True))
    return kept


def _unless_in(deck: str | None, body: list[Paragraph]) -> str | None:
    """The deck, unless the body says it too (then it is the article's opening, read there)."""
    if deck is None or normal(deck) in normal(" ".join(p.text for p in body)):
        return None
    return deck


def _repeated_labels(lines: list[str]) -> frozenset[str]:
    """Short lines that the page holds more than once: the labels of buttons and boxes."""
    short = Counter(
        line for line in lines if word_count(line) <= LABEL_WORDS and not is_prose(line)
    )
    return frozenset(line for line, count in short.items() if count > 1)


def parse_text(text: str, source_name: str) -> Article:
    """An article from a plain-text file or a page copied out of a browser."""
    lines = _lines(text)
    if not lines:
        raise InputError(f"{source_name} is empty", "give a file that holds an article's text")
    labels = _repeated_labels(lines)
    scores = line_scores(lines)
    start, end = best_run(scores)
    anchored = _run_below_headline(lines, scores)
    if (
        anchored
        and not anchored[0] <= start <= anchored[1] + HEADLINE_REACH
        and sum(scores[slice(*anchored)]) >= ANCHOR_SHARE * sum(scores[start:end])
        and fires("run-below-headline")
    ):
        start, end = anchored  # the best run lies elsewhere: before the headline, or far below
    start, end = _join_neighbours(scores, start, end)
    head = read_head(lines, start)
    authors = people(head.byline, head.publisher)
    names = frozenset(" ".join(WORD.findall(p.name.lower())) for p in authors)
    found = end > start and sum(scores[start:end]) > 0
    body = _keep(lines[start:end], names, labels) if found else []
    whole = _whole_sentences(lines[end]) if body and end < len(lines) else None
    if whole and fires("paywall-sentences"):
        body.append(Paragraph(whole))  # a paywall cuts the last paragraph: its whole sentences
    if not body:
        raise InputError(
            f"no article body found in {source_name}",
            "the text needs paragraphs of full sentences; copy the article's text, not only "
            "its headline or the page's menus",
        )
    url = next(
        (m.group(0) for line in lines[:start] if (m := re.fullmatch(r"https?://\S+", line))), None
    )
    logger.debug("%s: body is lines %d-%d of %d", source_name, start, end, len(lines))
    title = clean_title(head.title or "") or source_name
    return Article(
        title=title,
        paragraphs=tuple(p for p in body if p.text != title),
        authors=authors,
        published=head.published,
        published_at=head.published_at,
        source_url=url,
        publisher=head.publisher,
        source_name=source_name,
        deck=_unless_in(head.deck, body),
    )
