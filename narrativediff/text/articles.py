"""Articles: the input record, normalisation of the accepted input shapes, and loading from a folder."""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from narrativediff.exceptions import InvalidInputError, NarrativeDiffWarning

__all__ = ["Article", "normalise_articles", "load_articles", "read_article"]


@dataclass(frozen=True)
class Article:
    """One outlet's article about the event.

    Parameters
    ----------
    source : str
        The outlet's name, unique within a comparison (``"AFP"``, ``"rt"``).
    text : str
        The article's text, raw web text included: cleaning removes menus, captions and footers.
    title : str, optional
        The headline, if known separately from ``text``; it is compared as a title sentence.
    url : str, optional
        Where the article was published.
    published : str, optional
        When it was published, in any form.

    Examples
    --------
    >>> Article(source="Wire", text="The minister resigned on Monday.").source
    'Wire'
    """

    source: str
    text: str
    title: str | None = None
    url: str | None = None
    published: str | None = None


def _is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _checked(article: Article, position: int) -> Article:
    label = f"article {position}"
    if not isinstance(article.source, str) or not article.source.strip():
        raise InvalidInputError(
            f"{label} has no usable source name (got {article.source!r}); "
            "give every article a non-empty outlet name as a string."
        )
    label = f"article {position} ({article.source!r})"
    if _is_missing(article.text):
        raise InvalidInputError(f"{label} has no text (got {article.text!r}); pass the article's text as a string.")
    if not isinstance(article.text, str):
        raise InvalidInputError(
            f"{label} has text of type {type(article.text).__name__}; pass the article's text as a string."
        )
    if not article.text.strip():
        raise InvalidInputError(f"{label} has empty text; remove it or pass its text.")
    for field in ("source", "text", "title"):
        _check_encodable(label, field, getattr(article, field))
    if not _is_missing(article.title) and not isinstance(article.title, str):
        raise InvalidInputError(f"{label} has a title of type {type(article.title).__name__}; pass a string or None.")
    return Article(
        source=article.source.strip(),
        text=article.text,
        title=None if _is_missing(article.title) or not article.title.strip() else article.title,
        url=None if _is_missing(article.url) else str(article.url),
        published=None if _is_missing(article.published) else str(article.published),
    )


def _check_encodable(label: str, field: str, value) -> None:
    """Refuse a lone surrogate: it is not a character, and no file, hash or model can take it."""
    if not isinstance(value, str):
        return
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise InvalidInputError(
            f"{label}'s {field} holds the lone surrogate {value[error.start]!r} at offset {error.start}, "
            "which is not text (bytes decoded with errors='surrogateescape', or broken JSON escapes); "
            "decode the bytes with their real encoding, or replace it, e.g. "
            "text.encode('utf-8', 'replace').decode('utf-8')."
        ) from None


def _from_frame(frame) -> list[Article]:
    missing = [c for c in ("source", "text") if c not in frame.columns]
    if missing:
        raise InvalidInputError(
            f"the DataFrame lacks the column(s) {missing}; it needs 'source' and 'text' "
            f"(optional: 'title', 'url', 'published'); it has {list(frame.columns)}."
        )
    optional = [c for c in ("title", "url", "published") if c in frame.columns]
    return [
        Article(source=row["source"], text=row["text"], **{c: row[c] for c in optional})
        for row in frame.to_dict("records")
    ]


def normalise_articles(articles) -> list[Article]:
    """Turn any accepted input shape into a checked list of :class:`Article`.

    Parameters
    ----------
    articles : mapping, pandas.Series, iterable of Article, or pandas.DataFrame
        ``{outlet: text}`` (or a Series of texts indexed by outlet); a list of :class:`Article`
        (or of ``(source, text)`` tuples); or a DataFrame with ``source`` and ``text`` columns
        (``title``, ``url``, ``published`` optional).

    Returns
    -------
    list of Article
        In the order given, source names stripped of surrounding white space.

    Raises
    ------
    InvalidInputError
        Fewer than two articles, a duplicate outlet name, empty or non-string text, or a missing cell.
    """
    import pandas as pd

    if isinstance(articles, pd.DataFrame):
        records = _from_frame(articles)
    elif isinstance(articles, (Mapping, pd.Series)):  # a Series of texts indexed by outlet reads as a mapping
        records = [Article(source=source, text=text) for source, text in articles.items()]
    elif isinstance(articles, (str, bytes)) or not isinstance(articles, Iterable):
        raise InvalidInputError(
            f"articles must be a mapping {{outlet: text}}, a list of nd.Article, or a DataFrame with "
            f"'source' and 'text' columns; got {type(articles).__name__}."
        )
    else:
        records = []
        for position, item in enumerate(articles):
            if isinstance(item, Article):
                records.append(item)
            elif isinstance(item, tuple) and len(item) == 2:
                records.append(Article(source=item[0], text=item[1]))
            else:
                raise InvalidInputError(
                    f"item {position} of articles is a {type(item).__name__}; "
                    "each item must be an nd.Article or a (source, text) tuple."
                )
    checked = [_checked(article, position) for position, article in enumerate(records)]
    if len(checked) < 2:
        raise InvalidInputError(
            f"a comparison needs at least two articles from different outlets; got {len(checked)}."
        )
    seen: dict[str, int] = {}
    for position, article in enumerate(checked):
        if article.source in seen:
            raise InvalidInputError(
                f"the outlet name {article.source!r} is used by articles {seen[article.source]} and {position}; "
                "give each outlet a distinct name (one article per outlet)."
            )
        seen[article.source] = position
    return checked


def load_articles(folder, *, pattern: str = "*.txt", encoding: str = "utf-8") -> list[Article]:
    """Read one article per text file from ``folder``; each file's stem names the outlet.

    Parameters
    ----------
    folder : str or path-like
        The folder holding the files.
    pattern : str, default "*.txt"
        Which files to read (a glob pattern), in sorted order.
    encoding : str, default "utf-8"
        The files' encoding.

    Returns
    -------
    list of Article

    Raises
    ------
    InvalidInputError
        The folder does not exist, holds no matching file, or a file is not valid text in ``encoding``.

    Examples
    --------
    >>> import narrativediff as nd
    >>> articles = nd.load_articles(nd.example_path())
    >>> sorted(a.source for a in articles)[:2]
    ['capital_tribune', 'harbour_herald']
    """
    path = Path(folder)
    if not path.is_dir():
        raise InvalidInputError(f"{str(path)!r} is not a folder; pass the folder that holds one text file per outlet.")
    files = sorted(p for p in path.glob(pattern) if p.is_file())
    if not files:
        raise InvalidInputError(f"no file matching {pattern!r} in {str(path)!r}; put one text file per outlet there.")
    others = sorted(p.name for p in path.iterdir()
                    if p.is_file() and not p.name.startswith(".") and p not in set(files))
    if others:
        warnings.warn(
            f"load_articles read the {len(files)} files matching {pattern!r} in {str(path)!r} and left out "
            f"{len(others)} other file(s): {', '.join(others[:10])}{' ...' if len(others) > 10 else ''}; "
            "pass pattern= to read them too.",
            NarrativeDiffWarning, stacklevel=2,
        )
    return [read_article(file, encoding=encoding) for file in files]


def read_article(path, *, encoding: str = "utf-8") -> Article:
    """Read one article from a text file; the file's stem names the outlet.

    Raises
    ------
    InvalidInputError
        The file is not valid text in ``encoding``.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding=encoding)
    except UnicodeDecodeError as error:
        raise InvalidInputError(
            f"{str(path)!r} is not valid {encoding.upper()} text ({error.reason} at byte {error.start}); "
            "convert it to UTF-8, or pass its encoding (encoding= in Python, --encoding on the command line)."
        ) from None
    return Article(source=path.stem, text=text)
