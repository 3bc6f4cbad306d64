"""Web pages: Article.from_html, load_articles on .html/.htm, HTML passed as text, and no junk as sentences."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import narrativediff as nd
from narrativediff.text.articles import normalise_articles
from narrativediff.text.html import extract_page, looks_like_html
from narrativediff.text.tables import sentence_tables

PAGES = Path(__file__).parent / "fixtures" / "pages"
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.suites.web_inputs import visible_lines  # noqa: E402


#: Junk the extractor and the line rules keep, measured (benchmarks/suites/web_inputs.py): an
#: advertisement's one full sentence inside the article's own container.
KNOWN_MISSES = {"Find trusted local tradespeople near you with our directory."}


def _labelled(path: Path) -> list[tuple[str, str]]:
    labels = dict(row.split("\t") for row in path.with_name(path.name.rsplit(".", 1)[0] + ".labels.tsv")
                  .read_text(encoding="utf-8").splitlines() if row and not row.startswith("#"))
    return [(labels[str(number)], text) for number, text in visible_lines(path)]


def _pages():
    return sorted(p for p in PAGES.iterdir() if p.suffix in (".html", ".htm"))


def test_from_html_reads_body_title_byline_date_and_site():
    article = nd.Article.from_html((PAGES / "esterholm_post.html").read_text(encoding="utf-8"),
                                   url="https://esterholm.example/news/barrier")
    assert article.source == "The Esterholm Post" == article.site_name
    assert article.title == "Flood barrier fails as storm surge hits Esterholm"
    assert article.byline == "Mara Lindqvist"
    assert article.published == "2025-03-11T08:30:00+01:00"  # JSON-LD datePublished, not dateModified
    assert article.url == "https://esterholm.example/news/barrier"
    assert article.text.startswith("A section of the flood barrier")


def test_source_falls_back_to_the_host_and_is_required_otherwise():
    page = "<html><body><article><p>The port reopened on Monday after a week of strikes.</p></article></body></html>"
    assert nd.Article.from_html(page, url="https://www.harbour.example/a").source == "harbour.example"
    with pytest.raises(nd.InvalidInputError, match="source="):
        nd.Article.from_html(page)


def test_a_page_without_an_article_is_refused():
    with pytest.raises(nd.InvalidInputError, match="no article text"):
        extract_page("<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></body></html>")


@pytest.mark.parametrize("path", _pages(), ids=lambda p: p.name)
def test_junk_never_becomes_a_sentence_and_the_body_does(path):
    article = nd.Article.from_html(path.read_bytes(), source=path.stem)
    sentences, _ = sentence_tables(normalise_articles([article, nd.Article("other", "Another text here.")]))
    text = " ".join(sentences.loc[sentences["source"] == path.stem, "text"])
    page = path.read_text(encoding="utf-8")
    for label, line in _labelled(path):
        if label == "junk" and len(line) > 3 and line not in KNOWN_MISSES:
            assert line not in text, line
    for marker in ("dataLayer", "gtag", "@context", "font-family", "addEventListener", "loadAds"):
        assert marker not in text
    body = [line for label, line in _labelled(path) if label == "body"]
    found = sum(line in text for line in body)
    assert found >= len(body) - 1 and "<" not in text and page  # at most one body line lost


def test_load_articles_reads_web_pages_beside_text_files(tmp_path):
    (tmp_path / "wire.txt").write_text("The barrier broke on Tuesday, officials said.", encoding="utf-8")
    (tmp_path / "post.html").write_bytes((PAGES / "esterholm_post.html").read_bytes())
    (tmp_path / "gazette.htm").write_bytes((PAGES / "riverside_gazette.htm").read_bytes())
    (tmp_path / "notes.md").write_text("x", encoding="utf-8")
    with pytest.warns(nd.NarrativeDiffWarning, match="notes.md"):
        articles = nd.load_articles(tmp_path)
    assert [a.source for a in articles] == ["gazette", "post", "wire"]
    assert articles[0].published == "2025-03-14T00:00:00" or articles[0].published.startswith("2025-03-14")
    with pytest.warns(nd.NarrativeDiffWarning, match="left out 3 other file"):  # said, never silent
        assert nd.load_articles(tmp_path, pattern="*.txt")[0].source == "wire"


def test_two_files_for_one_outlet_are_refused(tmp_path):
    (tmp_path / "post.txt").write_text("The barrier broke on Tuesday.", encoding="utf-8")
    (tmp_path / "post.html").write_bytes((PAGES / "esterholm_post.html").read_bytes())
    with pytest.raises(nd.InvalidInputError, match="both be the outlet 'post'"):
        nd.load_articles(tmp_path)


@pytest.mark.parametrize("text, expected", [
    ("<!DOCTYPE html><html><body><p>x.</p></body></html>", True),
    ("  <html lang='en'><body>x</body></html>", True),
    ("<p>One.</p>\n<p>Two.</p>", True),
    ("<div><p>One paragraph.</p></div>", True),
    ("Shares fell <5% on Monday.", False),
    ("<b>Breaking</b> the minister resigned.", False),
    ("The tag <p> opens a paragraph.", False),
])
def test_looks_like_html(text, expected):
    assert looks_like_html(text) is expected


def test_html_passed_as_text_is_extracted_with_a_warning():
    page = (PAGES / "northsea_daily.html").read_text(encoding="utf-8")
    with pytest.warns(nd.NarrativeDiffWarning, match="text is HTML"):
        articles = normalise_articles({"daily": page, "wire": "The barrier broke on Tuesday."})
    assert articles[0].source == "daily" and articles[0].title.startswith("Esterholm flooding")
    assert "<" not in articles[0].text and "subscribers only" not in articles[0].text
    assert articles[0].published == "2025-03-12T17:45:00+00:00"


def test_without_trafilatura_the_error_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "trafilatura", None)
    with pytest.raises(nd.MissingDependencyError, match=r"narrativediff\[html\]"):
        nd.Article.from_html("<html><body><p>The port reopened.</p></body></html>", source="x")
    with pytest.raises(nd.MissingDependencyError, match=r"text is HTML.*narrativediff\[html\]"):
        normalise_articles({"a": "<p>One.</p><p>Two.</p>", "b": "Plain text."})
    with pytest.raises(ImportError):
        nd.fetch_articles(["http://127.0.0.1:9/x"])


def test_web_pages_compare_through_the_real_model(encoder):
    articles = [nd.Article.from_html(p.read_bytes(), source=p.stem) for p in _pages() if p.stem != "die_kuestenzeitung"]
    comparison = nd.compare(articles, model=encoder)
    assert set(comparison.sentences["source"]) == {"esterholm_post", "northsea_daily", "riverside_gazette"}
    assert comparison.sentences["published"].notna().all()
    assert (comparison.sentences["language"] == "en").all()
    scored = comparison.alignment["relation"].ne("contradiction")  # a contradiction is not scored as framing
    assert comparison.alignment.loc[scored, "framing_score"].notna().all()
    assert comparison.alignment.loc[scored, "framing_note"].isna().all()
    assert comparison.alignment.loc[~scored, "framing_note"].str.contains("contradict").all()
    days = comparison.alignment.set_index(["source_a", "source_b"])["days_apart"]
    first = days.loc[("esterholm_post", "northsea_daily")].iloc[0]
    assert first == pytest.approx((24 + 10 + 15 / 60) / 24)  # 07:30 UTC to 17:45 UTC the next day
