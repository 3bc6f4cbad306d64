"""Corpus input: a DataFrame, a folder, or a Parquet or JSONL file, read into one checked article table."""

from __future__ import annotations

import hashlib
import json
import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from narrativediff.exceptions import InvalidInputError, MissingDependencyError, NarrativeDiffWarning
from narrativediff.text.language import check_language

__all__ = ["ARTICLE_INPUT_COLUMNS", "read_corpus", "content_id"]

#: Columns the corpus reads from its input; any others are kept as metadata in ``Corpus.articles``.
ARTICLE_INPUT_COLUMNS = ("article_id", "source", "text", "html", "title", "published", "url", "language")

_TABLE_SUFFIXES = {".parquet": "parquet", ".pq": "parquet", ".jsonl": "jsonl", ".ndjson": "jsonl"}


def content_id(source: str, title, text: str) -> str:
    """A stable id for an article without one: 16 hex digits of SHA-256 over outlet, title and text.

    Examples
    --------
    >>> content_id("Wire", None, "The port reopened.") == content_id("Wire", None, "The port reopened.")
    True
    """
    title = "" if _missing(title) else str(title)
    digest = hashlib.sha256(f"{source}\x00{title}\x00{text}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:16]


def _missing(value) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _read_jsonl(path: Path) -> pd.DataFrame:
    rows = []
    with path.open(encoding="utf-8") as stream:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                raise InvalidInputError(f"{str(path)!r} line {number} is not JSON ({error.msg}); "
                                        "a JSONL corpus holds one JSON object per line.") from None
            if not isinstance(row, dict):
                raise InvalidInputError(f"{str(path)!r} line {number} is a JSON {type(row).__name__}, "
                                        "not an object with 'source' and 'text'.")
            rows.append(row)
    return pd.DataFrame(rows)


def _read_parquet(path: Path) -> pd.DataFrame:
    try:
        import pyarrow  # noqa: F401  (pandas needs it to read Parquet)
    except ImportError:
        raise MissingDependencyError(
            f"reading the Parquet file {str(path)!r} needs pyarrow; install it with "
            "`pip install narrativediff[corpus]`."
        ) from None
    return pd.read_parquet(path)


def _read_table(path: Path) -> pd.DataFrame:
    kind = _TABLE_SUFFIXES[path.suffix.lower()]
    return _read_parquet(path) if kind == "parquet" else _read_jsonl(path)


def _read_folder(folder: Path) -> pd.DataFrame:
    """Tables in the folder (concatenated), else one ``.txt`` per article in one subfolder per outlet."""
    tables = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in _TABLE_SUFFIXES)
    if tables:
        return pd.concat([_read_table(p) for p in tables], ignore_index=True)
    rows = []
    for outlet in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for file in sorted(outlet.glob("*.txt")):
            try:
                text = file.read_text(encoding="utf-8")
            except UnicodeDecodeError as error:
                raise InvalidInputError(f"{str(file)!r} is not valid UTF-8 text ({error.reason} at byte "
                                        f"{error.start}); convert it to UTF-8.") from None
            rows.append({"article_id": f"{outlet.name}/{file.stem}", "source": outlet.name, "text": text})
    if not rows:
        raise InvalidInputError(
            f"the folder {str(folder)!r} holds no .parquet or .jsonl file and no outlet subfolders of .txt "
            "files; a corpus folder is either, e.g. <folder>/<outlet>/<article>.txt."
        )
    return pd.DataFrame(rows)


def _from_html(frame: pd.DataFrame) -> pd.DataFrame:
    from narrativediff.text.articles import Article

    from_html = getattr(Article, "from_html", None)
    if from_html is None:
        raise InvalidInputError("this version of narrativediff cannot read HTML; pass a 'text' column.")
    texts, titles, dates = [], [], []
    for row in frame.to_dict("records"):
        html = row.get("html")
        if _missing(row.get("text")) and not _missing(html):
            article = from_html(html, url=None if _missing(row.get("url")) else row["url"],
                                source=row.get("source"))
            texts.append(article.text)
            titles.append(row.get("title") if not _missing(row.get("title")) else article.title)
            dates.append(row.get("published") if not _missing(row.get("published")) else article.published)
        else:
            texts.append(row.get("text"))
            titles.append(row.get("title"))
            dates.append(row.get("published"))
    return frame.assign(text=texts, title=titles, published=dates).drop(columns=["html"])


def _dates(values: pd.Series) -> pd.Series:
    """Publication times as UTC timestamps; unreadable ones become NaT, with one warning."""
    given = values.notna()
    parsed = pd.to_datetime(values.astype("object").where(given, None), errors="coerce", utc=True,
                            format="mixed")
    lost = int((given & parsed.isna()).sum())
    if lost:
        warnings.warn(f"{lost} article date(s) could not be read and are treated as unknown, e.g. "
                      f"{values[given & parsed.isna()].iloc[0]!r}; give dates as ISO 8601 ('2024-04-26').",
                      NarrativeDiffWarning, stacklevel=4)
    return parsed


def read_corpus(articles) -> pd.DataFrame:
    """Read a corpus into a checked table, one row per article.

    Parameters
    ----------
    articles : DataFrame, str or path-like
        A DataFrame with ``source`` and ``text`` (or ``html``) columns and optional ``article_id``,
        ``title``, ``published``, ``url``, ``language`` (ISO 639-1; detected where missing) and any
        metadata; a ``.parquet`` or ``.jsonl`` file of such rows; or a folder holding such files,
        or one subfolder per outlet of ``.txt`` files (one article each, ``article_id``
        ``"<outlet>/<file stem>"``).

    Returns
    -------
    DataFrame
        ``article_id, source, text, title, published, url, language`` then the other input columns,
        in input order (``language`` the given code, lower-cased, or ``None``). ``published`` is a
        UTC timestamp (NaT when unknown). An article without an id gets :func:`content_id`; exact
        repeats (same outlet, title and text) are kept once, with a warning.

    Raises
    ------
    InvalidInputError
        No such file or folder, a missing column, an empty or non-string text or source, a
        language that is not an ISO 639-1 code, or two different articles with one ``article_id``.
    """
    if isinstance(articles, pd.DataFrame):
        frame = articles.copy()
    elif isinstance(articles, (str, Path)) or hasattr(articles, "__fspath__"):
        path = Path(articles)
        if path.is_dir():
            frame = _read_folder(path)
        elif path.is_file() and path.suffix.lower() in _TABLE_SUFFIXES:
            frame = _read_table(path)
        elif path.is_file():
            raise InvalidInputError(f"{str(path)!r} is not a .parquet or .jsonl file; pass one of those, "
                                    "a folder, or a DataFrame.")
        else:
            raise InvalidInputError(f"there is no file or folder at {str(path)!r}.")
    else:
        raise InvalidInputError(
            "articles must be a DataFrame with 'source' and 'text' columns, a .parquet or .jsonl file, or a "
            f"folder; got {type(articles).__name__}. For one event's articles use nd.compare()."
        )
    if "text" not in frame.columns and "html" in frame.columns:
        frame["text"] = None
    missing = [c for c in ("source", "text") if c not in frame.columns]
    if missing:
        raise InvalidInputError(
            f"the corpus lacks the column(s) {missing}; it needs 'source' and 'text' (or 'html'), optional "
            f"'article_id', 'title', 'published', 'url'; it has {list(frame.columns)}."
        )
    if not len(frame):
        raise InvalidInputError("the corpus holds no article.")
    if "html" in frame.columns:
        frame = _from_html(frame)
    for column in ("title", "published", "url", "article_id", "language"):
        if column not in frame.columns:
            frame[column] = None
    frame = frame.reset_index(drop=True)
    sources, texts, ids, titles = [], [], [], []
    for position, row in enumerate(frame[["source", "text", "title", "article_id"]].itertuples(index=False)):
        source, text, title, given = row
        if not isinstance(source, str) or not source.strip():
            raise InvalidInputError(f"row {position} has no usable source (got {source!r}); give every article "
                                    "its outlet's name as a non-empty string.")
        if not isinstance(text, str) or not text.strip():
            raise InvalidInputError(f"row {position} ({source!r}) has no text (got "
                                    f"{type(text).__name__} {str(text)[:40]!r}); pass the article's text.")
        title = None if _missing(title) or not str(title).strip() else str(title)
        sources.append(source.strip())
        texts.append(text)
        titles.append(title)
        ids.append(content_id(source.strip(), title, text) if _missing(given) else str(given))
    frame["source"], frame["text"], frame["article_id"] = sources, texts, ids
    # object columns, so a missing title or url stays None rather than becoming NaN
    frame["title"] = pd.Series(titles, index=frame.index, dtype=object)
    frame["url"] = pd.Series([None if _missing(u) else str(u) for u in frame["url"]], index=frame.index, dtype=object)
    frame["published"] = _dates(frame["published"])
    frame["language"] = pd.Series(
        [None if _missing(code) else check_language(code, f"row {k} ({frame['source'].iat[k]!r})")
         for k, code in enumerate(frame["language"])], index=frame.index, dtype=object)
    frame = _drop_repeats(frame)
    order = ["article_id", "source", "text", "title", "published", "url", "language"]
    return frame[order + [c for c in frame.columns if c not in order]].reset_index(drop=True)


def _drop_repeats(frame: pd.DataFrame) -> pd.DataFrame:
    repeated = frame["article_id"].duplicated(keep=False)
    if not repeated.any():
        return frame
    keys = frame["source"] + "\x00" + frame["title"].fillna("") + "\x00" + frame["text"]
    clash = frame[repeated].groupby("article_id").apply(lambda g: keys[g.index].nunique() > 1)
    if clash.any():
        first = clash[clash].index[0]
        raise InvalidInputError(f"two different articles share the article_id {first!r}; give each article its "
                                "own id, or leave article_id out to use content hashes.")
    dropped = int(frame["article_id"].duplicated().sum())
    warnings.warn(f"{dropped} article(s) repeat another word for word (same outlet, title and text) and are "
                  "kept once.", NarrativeDiffWarning, stacklevel=4)
    return frame[~frame["article_id"].duplicated()]


def days_of(published: pd.Series) -> np.ndarray:
    """Publication times as float days since the epoch, NaN when unknown."""
    values = np.full(len(published), math.nan)
    known = published.notna().to_numpy()
    if known.any():
        stamps = published[known]
        values[known] = (stamps - pd.Timestamp(0, tz="UTC")).dt.total_seconds().to_numpy() / 86400.0
    return values
