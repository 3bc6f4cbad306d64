"""The text stage as :func:`narrativediff.compare` runs it: articles to the sentence and removed-line tables."""

from __future__ import annotations

import pandas as pd

from narrativediff.exceptions import InvalidInputError
from narrativediff.text.articles import Article
from narrativediff.text.clean import REASONS, clean_lines
from narrativediff.text.dates import published_timestamp
from narrativediff.text.language import detect_language, splitter_for
from narrativediff.text.segment import Splitter, segment_lines

__all__ = ["SENTENCE_COLUMNS", "REMOVED_COLUMNS", "sentence_tables", "pair_time_columns"]

SENTENCE_COLUMNS = [
    "source", "sent_id", "text", "paragraph", "position", "is_title", "is_quote", "quote_share",
    "speaker", "line_no", "char_start", "char_end", "published", "language",
]
REMOVED_COLUMNS = ["source", "line_no", "text", "reason", "explanation"]


def sentence_tables(articles: list[Article], splitter: Splitter | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Clean and split every article.

    Parameters
    ----------
    articles : list of Article
        Checked articles (see :func:`narrativediff.text.articles.normalise_articles`).
    splitter : callable, optional
        ``paragraph -> sentences`` for every article; ``None`` picks one per article's language
        (Punkt's model for it, or :func:`~narrativediff.text.language.cjk_splitter` for Chinese and
        Japanese; see :func:`~narrativediff.text.language.splitter_for`).

    Returns
    -------
    sentences : DataFrame
        One row per sentence, columns :data:`SENTENCE_COLUMNS`, in article order. ``published``
        is the article's date as a UTC timestamp (NaT when unknown; a date alone is midnight UTC),
        ``language`` its ISO 639-1 code.
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
        language = article.language
        if language is None:
            language = detect_language("\n".join(line.text for line in lines if line.kind != "removed"))
        published = published_timestamp(article.published)
        sentences = segment_lines(lines, title=article.title, splitter=splitter or splitter_for(language))
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
                "published": published,
                "language": language,
            })
        for line in lines:
            if line.kind == "removed":
                removed_rows.append({
                    "source": article.source, "line_no": line.line_no, "text": line.text,
                    "reason": line.reason, "explanation": REASONS[line.reason],
                })
    table = pd.DataFrame(sentence_rows, columns=SENTENCE_COLUMNS)
    table["published"] = pd.to_datetime(table["published"], utc=True)
    return table, pd.DataFrame(removed_rows, columns=REMOVED_COLUMNS)


def pair_time_columns(pairs: pd.DataFrame, sentences: pd.DataFrame, text_a, text_b) -> dict:
    """The alignment columns that say when the two sides were written.

    Returns
    -------
    dict
        ``days_apart``: absolute days between the two articles' ``published`` (fractional, NaN
        when either is unknown); ``tense_only``: the two sentences differ only in the tense of their
        verbs (:func:`narrativediff.text.tense.tense_only`; False for a pair not in English), which
        articles written days apart do without framing anything differently.
    """
    from narrativediff.text.dates import days_apart
    from narrativediff.text.tense import tense_only

    by_source = sentences.drop_duplicates("source").set_index("source")
    published = by_source["published"] if "published" in by_source else pd.Series(dtype="datetime64[ns, UTC]")
    language = by_source["language"] if "language" in by_source else pd.Series(dtype=object)
    published, language = dict(published.items()), dict(language.items())  # plain lookups, one per outlet pair
    outlet_pairs = list(zip(pairs["source_a"], pairs["source_b"]))
    apart = {(a, b): days_apart(published.get(a, pd.NaT), published.get(b, pd.NaT)) for a, b in set(outlet_pairs)}
    english = {(a, b): language.get(a, "en") == "en" and language.get(b, "en") == "en" for a, b in apart}
    days = [apart[key] for key in outlet_pairs]
    tense = [english[key] and tense_only(x, y) for key, x, y in zip(outlet_pairs, text_a, text_b)]
    return {"days_apart": pd.Series(days, index=pairs.index, dtype="float64"),
            "tense_only": pd.Series(tense, index=pairs.index, dtype="bool")}
