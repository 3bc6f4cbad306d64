"""Articles: the input record, normalisation of the accepted input shapes, and loading from a folder."""

from __future__ import annotations

import dataclasses
import math
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from narrativediff.exceptions import InvalidInputError, MissingDependencyError, NarrativeDiffWarning
from narrativediff.text.clean import clean_lines
from narrativediff.text.dates import normalise_published
from narrativediff.text.html import looks_like_html
from narrativediff.text.language import check_language, detect_language

__all__ = ["Article", "normalise_articles", "load_articles", "read_article", "DEFAULT_PATTERNS"]


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
    published : str, date or datetime, optional
        When it was published, in any common form; checked articles hold it as ISO 8601
        (``"2024-04-26"``, ``"2024-04-26T14:05:00+02:00"``, see :mod:`narrativediff.text.dates`).
    byline : str, optional
        The author(s), as the page gives them.
    site_name : str, optional
        The outlet's name as its site gives it.
    language : str, optional
        ISO 639-1 code (``"en"``, ``"de"``); ``None`` detects it from the text when the articles
        are checked (see :mod:`narrativediff.text.language`).

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
    byline: str | None = None
    site_name: str | None = None
    language: str | None = None

    @classmethod
    def from_html(cls, html: str | bytes, *, url: str | None = None, source: str | None = None,
                  published=None, language: str | None = None) -> "Article":
        """An article from its web page: body, title, byline, date and site name extracted.

        Parameters
        ----------
        html : str or bytes
            The page's HTML.
        url : str, optional
            Where it was published.
        source : str, optional
            The outlet's name; ``None`` takes the site name the page gives, else the URL's host.
        published : optional
            Overrides the date found in the page.
        language : str, optional
            Overrides detection.

        Returns
        -------
        Article

        Raises
        ------
        MissingDependencyError
            trafilatura is not installed (``pip install narrativediff[html]``).
        InvalidInputError
            No article text in the page, or no source name can be found.

        Examples
        --------
        >>> page = ('<html><head><title>Port reopens</title></head><body><nav><a href="/">Home</a></nav>'
        ...         '<article><h1>Port reopens</h1><p>The port reopened on Monday after a week of '
        ...         'strikes, the harbour authority said.</p></article></body></html>')
        >>> article = Article.from_html(page, source="Herald")
        >>> article.title, article.text.splitlines()[-1]
        ('Port reopens', 'The port reopened on Monday after a week of strikes, the harbour authority said.')
        """
        from narrativediff.text.html import extract_page

        page = extract_page(html, url=url)
        if source is None:
            source = page.site_name or _host(url)
        if not source:
            raise InvalidInputError(
                "the page names no site and no url= was given; pass source= (the outlet's name)."
            )
        return cls(source=source, text=page.text, title=page.title, url=url,
                   published=page.published if published is None else published,
                   byline=page.byline, site_name=page.site_name, language=language)


def _host(url: str | None) -> str | None:
    if not url:
        return None
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


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
    if looks_like_html(article.text):
        article = _extracted(article, label)
    optional = {field: None if _is_missing(getattr(article, field)) else str(getattr(article, field))
                for field in ("url", "byline", "site_name")}
    language = check_language(None if _is_missing(article.language) else article.language, label)
    if language is None:
        kept = "\n".join(line.text for line in clean_lines(article.text) if line.kind != "removed")
        language = detect_language(kept or article.text)
    return Article(
        source=article.source.strip(),
        text=article.text,
        title=None if _is_missing(article.title) or not article.title.strip() else article.title,
        published=normalise_published(None if _is_missing(article.published) else article.published, label),
        language=language,
        **optional,
    )


def _extracted(article: Article, label: str) -> Article:
    """An article whose text is a web page, with the page's body as its text (and a warning)."""
    try:
        page = Article.from_html(article.text, url=None if _is_missing(article.url) else article.url,
                                 source=article.source)
    except MissingDependencyError:
        raise MissingDependencyError(
            f"{label}'s text is HTML; reading web pages needs trafilatura: install it with "
            "`pip install narrativediff[html]`, or pass the article's plain text (one paragraph per line)."
        ) from None
    except InvalidInputError as error:
        raise InvalidInputError(f"{label}'s text is HTML, and {error}") from None
    warnings.warn(
        f"{label}'s text is HTML: its article was extracted from the page (scripts, menus, comments "
        "and related stories left out). Pass nd.Article.from_html(html) to say so, or plain text.",
        NarrativeDiffWarning, stacklevel=5,
    )
    keep = {field: getattr(article, field) for field in ("title", "published", "byline", "site_name", "language")
            if not _is_missing(getattr(article, field))}
    return dataclasses.replace(page, **keep)


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


_OPTIONAL = ("title", "url", "published", "byline", "site_name", "language")


def _from_frame(frame) -> list[Article]:
    missing = [c for c in ("source", "text") if c not in frame.columns]
    if missing:
        raise InvalidInputError(
            f"the DataFrame lacks the column(s) {missing}; it needs 'source' and 'text' "
            f"(optional: {', '.join(repr(c) for c in _OPTIONAL)}); it has {list(frame.columns)}."
        )
    optional = [c for c in _OPTIONAL if c in frame.columns]
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
        (``title``, ``url``, ``published``, ``byline``, ``site_name``, ``language`` optional).
        A text that is an HTML page is extracted as :meth:`Article.from_html` does, with a
        :class:`~narrativediff.NarrativeDiffWarning`.

    Returns
    -------
    list of Article
        In the order given, source names stripped of surrounding white space, ``published`` as
        ISO 8601 (an unreadable date becomes None, with a warning), ``language`` detected where
        not given.

    Raises
    ------
    InvalidInputError
        Fewer than two articles, a duplicate outlet name, empty or non-string text, a missing cell,
        or a language that is not an ISO 639-1 code.
    MissingDependencyError
        A text is HTML and trafilatura is not installed.
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


#: The files :func:`load_articles` reads when no pattern is given: text files and web pages.
DEFAULT_PATTERNS = ("*.txt", "*.html", "*.htm")
_HTML_SUFFIXES = {".html", ".htm"}


def load_articles(folder, *, pattern: str | None = None, encoding: str = "utf-8") -> list[Article]:
    """Read one article per file from ``folder``; each file's stem names the outlet.

    Text files (``.txt``) are read as the article's text; web pages (``.html``, ``.htm``) are
    extracted as :meth:`Article.from_html` does (``pip install narrativediff[html]``), with the
    title, byline, date and site name the page gives.

    Parameters
    ----------
    folder : str or path-like
        The folder holding the files.
    pattern : str, optional
        Which files to read (a glob pattern), in sorted order; ``None`` reads
        :data:`DEFAULT_PATTERNS` (``*.txt``, ``*.html``, ``*.htm``).
    encoding : str, default "utf-8"
        The text files' encoding (a web page's own charset declaration wins for HTML files).

    Returns
    -------
    list of Article

    Raises
    ------
    InvalidInputError
        The folder does not exist, holds no matching file, a text file is not valid text in
        ``encoding``, or two files have the same stem.
    MissingDependencyError
        A web page is to be read and trafilatura is not installed.

    Warns
    -----
    NarrativeDiffWarning
        Other files in the folder were left out (their names are given).

    Examples
    --------
    >>> import narrativediff as nd
    >>> articles = nd.load_articles(nd.example_path())
    >>> sorted(a.source for a in articles)[:2]
    ['capital_tribune', 'coastal_wire']
    """
    path = Path(folder)
    if not path.is_dir():
        raise InvalidInputError(f"{str(path)!r} is not a folder; pass the folder that holds one text file per outlet.")
    patterns = DEFAULT_PATTERNS if pattern is None else (pattern,)
    described = " or ".join(repr(p) for p in patterns)
    files = sorted({p for glob in patterns for p in path.glob(glob) if p.is_file()})
    if not files:
        raise InvalidInputError(
            f"no file matching {described} in {str(path)!r}; put one text file or web page per outlet there."
        )
    stems: dict[str, str] = {}
    for file in files:
        if file.stem in stems:
            raise InvalidInputError(
                f"{stems[file.stem]!r} and {file.name!r} in {str(path)!r} would both be the outlet "
                f"{file.stem!r}; keep one file per outlet."
            )
        stems[file.stem] = file.name
    chosen = set(files)
    others = sorted(p.name for p in path.iterdir()
                    if p.is_file() and not p.name.startswith(".") and p not in chosen)
    if others:
        warnings.warn(
            f"load_articles read the {len(files)} files matching {described} in {str(path)!r} and left out "
            f"{len(others)} other file(s): {', '.join(others[:10])}{' ...' if len(others) > 10 else ''}; "
            "pass pattern= to read them too.",
            NarrativeDiffWarning, stacklevel=2,
        )
    return [read_article(file, encoding=encoding) for file in files]


def read_article(path, *, encoding: str = "utf-8") -> Article:
    """Read one article from a text file or a web page; the file's stem names the outlet.

    A ``.html`` or ``.htm`` file is extracted as :meth:`Article.from_html` does; any other file
    is read as plain text.

    Raises
    ------
    InvalidInputError
        The file is not valid text in ``encoding``, or a page holds no article text.
    MissingDependencyError
        The file is a web page and trafilatura is not installed.
    """
    path = Path(path)
    if path.suffix.lower() in _HTML_SUFFIXES:
        try:
            return Article.from_html(path.read_bytes(), source=path.stem)
        except InvalidInputError as error:
            raise InvalidInputError(f"{str(path)!r}: {error}") from None
    try:
        text = path.read_text(encoding=encoding)
    except UnicodeDecodeError as error:
        raise InvalidInputError(
            f"{str(path)!r} is not valid {encoding.upper()} text ({error.reason} at byte {error.start}); "
            "convert it to UTF-8, or pass its encoding (encoding= in Python, --encoding on the command line)."
        ) from None
    return Article(source=path.stem, text=text)
