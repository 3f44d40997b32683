"""A page's headlines, publication time and lists of links."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from trafilatura.utils import load_html

from narrate.intake.metadata import choose_headline, headlines, link_list_items, published_at


def _tree(head: str, body: str = "") -> object:
    return load_html(f"<html><head>{head}</head><body>{body}<p>Text.</p></body></html>")


def test_the_h1_is_spoken_when_it_is_this_articles_headline() -> None:
    tree = _tree(
        "<title>Sweden drops Assange rape investigation - BBC News</title>"
        '<meta property="og:title" content="Sweden drops Assange rape investigation">',
        "<h1>Julian Assange: Sweden drops rape investigation</h1>",
    )
    found = headlines(tree)
    assert found == {
        "og": "Sweden drops Assange rape investigation",
        "title": "Sweden drops Assange rape investigation",
        "h1": "Julian Assange: Sweden drops rape investigation",
    }
    assert choose_headline(found, "") == "Julian Assange: Sweden drops rape investigation"


def test_an_h1_that_names_something_else_gives_way_to_og_title() -> None:
    found = {"h1": "The Riverton Ledger", "og": "Night ferry returns after fourteen months"}
    assert choose_headline(found, "fallback") == "Night ferry returns after fourteen months"
    assert choose_headline({}, "fallback") == "fallback"


@pytest.mark.parametrize(
    ("head", "body", "expected"),
    [
        (
            '<meta property="article:published_time" content="2019-11-19T10:45:00+01:00">',
            "",
            datetime(2019, 11, 19, 10, 45, tzinfo=timezone(timedelta(hours=1))),
        ),
        (
            '<script type="application/ld+json">{"@graph": [{"@type": "NewsArticle",'
            ' "datePublished": "2019-11-19T09:30:00Z"}]}</script>',
            "",
            datetime(2019, 11, 19, 9, 30, tzinfo=UTC),
        ),
        (
            "",
            '<time datetime="2019-11-19T08:00:00-0500">Nov 19</time>',
            datetime(2019, 11, 19, 8, 0, tzinfo=timezone(timedelta(hours=-5))),
        ),
        ("", '<time datetime="2019-11-19T08:00">Nov 19</time>', datetime(2019, 11, 19, 8, 0)),
        # a date without a time of day is no moment (Article.published holds the day)
        ('<meta property="article:published_time" content="2019-11-19">', "", None),
        ('<script type="application/ld+json">{not json</script>', "", None),
    ],
)
def test_the_publication_time_keeps_its_zone(
    head: str, body: str, expected: datetime | None
) -> None:
    assert published_at(_tree(head, body)) == expected


def test_a_list_whose_items_are_each_one_link_is_a_list_of_links() -> None:
    tree = _tree(
        "",
        '<ul><li><a href="/a">Photos: Europa, icy moon</a></li><li><a href="/b">Keck</a></li></ul>'
        '<ul><li>Step one: <a href="/c">read</a> the rules</li><li><a href="/d">Two</a></li></ul>'
        '<ul><li><a href="/e">Alone in its list</a></li></ul>',
    )
    assert link_list_items(tree) == {"Photos: Europa, icy moon", "Keck"}
