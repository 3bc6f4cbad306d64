"""The text stage as :func:`narrativediff.compare` runs it: articles to the sentence and removed-line tables."""

from __future__ import annotations

import pandas as pd

from narrativediff.exceptions import InvalidInputError
from narrativediff.text.articles import Article
from narrativediff.text.clean import REASONS, clean_lines
from narrativediff.text.segment import Splitter, segment_lines

__all__ = ["SENTENCE_COLUMNS", "REMOVED_COLUMNS", "sentence_tables"]

SENTENCE_COLUMNS = [
    "source", "sent_id", "text", "paragraph", "position", "is_title", "is_quote", "quote_share",
    "speaker", "line_no", "char_start", "char_end",
]
REMOVED_COLUMNS = ["source", "line_no", "text", "reason", "explanation"]


def sentence_tables(articles: list[Article], splitter: Splitter | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Clean and split every article.

    Parameters
    ----------
    articles : list of Article
        Checked articles (see :func:`narrativediff.text.articles.normalise_articles`).
    splitter : callable, optional
        ``paragraph -> sentences``; defaults to Punkt.

    Returns
    -------
    sentences : DataFrame
        One row per sentence, columns :data:`SENTENCE_COLUMNS`, in article order.
    removed : DataFrame
        One row per line removed by cleaning, columns :data:`REMOVED_COLUMNS`.

    Raises
    ------
    InvalidInputError
        An article has no sentence left after cleaning.
    """
    sentence_rows = []
    removed_rows = []
    for article in articles:
        lines = clean_lines(article.text)
        sentences = segment_lines(lines, title=article.title, splitter=splitter)
        if not sentences:
            reasons = sorted({line.reason for line in lines if line.reason})
            raise InvalidInputError(
                f"no sentence of article {article.source!r} survived cleaning (every line was removed as "
                f"{', '.join(reasons) or 'junk'}); check that its text is the article itself, "
                "one paragraph per line."
            )
        last = max(len(sentences) - 1, 1)
        for sent_id, sentence in enumerate(sentences):
            sentence_rows.append({
                "source": article.source,
                "sent_id": sent_id,
                "text": sentence.text,
                "paragraph": sentence.paragraph,
                "position": sent_id / last,
                "is_title": sentence.is_title,
                "is_quote": sentence.is_quote,
                "quote_share": sentence.quote_share,
                "speaker": sentence.speaker,
                "line_no": sentence.line_no,
                "char_start": sentence.char_start,
                "char_end": sentence.char_end,
            })
        for line in lines:
            if line.kind == "removed":
                removed_rows.append({
                    "source": article.source, "line_no": line.line_no, "text": line.text,
                    "reason": line.reason, "explanation": REASONS[line.reason],
                })
    return (pd.DataFrame(sentence_rows, columns=SENTENCE_COLUMNS),
            pd.DataFrame(removed_rows, columns=REMOVED_COLUMNS))
