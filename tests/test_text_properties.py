"""Property tests for the text stages: any Unicode text is either compared or refused by the library.

For every text hypothesis makes up, cleaning and splitting raise nothing but the library's own
errors, every non-empty input line is accounted for (a sentence's line or a removed line, with a
reason), and every sentence's offsets point at its text in the original article.
"""

from __future__ import annotations

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from narrativediff.exceptions import NarrativeDiffError  # noqa: E402
from narrativediff.text.articles import normalise_articles  # noqa: E402
from narrativediff.text.tables import sentence_tables  # noqa: E402

# Words, punctuation, quotes and dashes of several scripts, invisible and control characters:
# what web text carries.
_PIECES = st.sampled_from([
    "Blinken", "said", "China", "«", "»", "“", "”", '"', "'", "–", "—", "-", ".", "!", "?", "…", ",", ":",
    "U.S.", "Dr.", "2024", "$1.5bn", "北京", "。", "Москва", "¿Qué?", "\u200b", "\u00a0", "\t", "\x00",
    "\ufeff", "😀", "=HYPERLINK(", "@", "Photo:", "©", "About the author", "Updated 12:30 GMT",
    "\ud800", "\r", "\x0b", "\x1c", "\u2028", "\u0301", "Ǆ",
])
_LINE = st.lists(st.one_of(_PIECES, st.text(max_size=12)), max_size=25).map(" ".join)
_ARTICLE = st.lists(_LINE, min_size=1, max_size=12).map("\n".join)


def _tables(text):
    articles = normalise_articles({"a": text, "b": "Dock workers walked out on Monday, the union said."})
    return articles, sentence_tables(articles)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_ARTICLE)
def test_any_text_is_compared_or_refused_by_the_library(text):
    try:
        articles, (sentences, removed) = _tables(text)
    except NarrativeDiffError:
        return
    article = articles[0]
    mine = sentences[sentences["source"] == "a"]
    gone = removed[removed["source"] == "a"]
    lines = article.text.splitlines()
    non_empty = [n for n, line in enumerate(lines) if line.strip()]
    assert sorted(set(mine["line_no"]) | set(gone["line_no"])) == non_empty
    assert gone["reason"].notna().all()
    for row in mine.itertuples():
        if row.line_no >= 0:  # a title given apart from the text has no offsets
            assert article.text[row.char_start:row.char_end] == row.text
    assert mine["sent_id"].tolist() == list(range(len(mine)))
