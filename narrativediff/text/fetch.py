"""Articles from URLs: fetch each page, extract its article, and keep every failure apart.

Pages are fetched with the standard library (``urllib``) in a few threads; each is extracted as
:meth:`narrativediff.Article.from_html` does (``pip install narrativediff[html]``). One URL that
fails (an HTTP error, a time-out, a page that is not HTML or holds no article) loses none of the
others: it becomes a row of the failures table, with the reason.
"""

from __future__ import annotations

import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

from narrativediff.exceptions import InvalidInputError, InvalidParameterError, MissingDependencyError

__all__ = ["fetch_articles", "Fetched", "FAILURE_COLUMNS", "DEFAULT_USER_AGENT"]

#: Sent with every request unless ``user_agent=`` says otherwise.
DEFAULT_USER_AGENT = "narrativediff/0.1 (+https://pypi.org/project/narrativediff/)"

#: ``Fetched.failures``: one row per URL that gave no article.
FAILURE_COLUMNS = ["source", "url", "status", "error", "attempts"]

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_RETRY_STATUS = {408, 425, 429, 500, 502, 503, 504}
_MAX_BYTES = 20_000_000


class Fetched(NamedTuple):
    """What :func:`fetch_articles` returns: the articles it got, and what failed.

    ``articles`` is a list of :class:`~narrativediff.Article` in the order of the URLs given;
    ``failures`` a DataFrame with columns :data:`FAILURE_COLUMNS` (``status`` is the HTTP status,
    or missing when none came back; ``attempts`` counts the tries).
    """

    articles: list
    failures: object


class _Failure(Exception):
    def __init__(self, error: str, status: int | None = None, retry: bool = False):
        super().__init__(error)
        self.status, self.retry = status, retry


def _get(url: str, *, timeout: float, user_agent: str) -> tuple[bytes, str]:
    request = urllib.request.Request(url, headers={"User-Agent": user_agent, "Accept": "text/html,*/*;q=0.5"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            content_type = response.headers.get_content_type()
            if content_type not in _HTML_TYPES:
                raise _Failure(f"the response is {content_type}, not a web page (text/html)", response.status)
            body = response.read(_MAX_BYTES + 1)
            if len(body) > _MAX_BYTES:
                raise _Failure(f"the page is larger than {_MAX_BYTES // 1_000_000} MB", response.status)
            return body, response.geturl()
    except urllib.error.HTTPError as error:
        raise _Failure(f"HTTP {error.code} {error.reason}", error.code, retry=error.code in _RETRY_STATUS) from None
    except (TimeoutError, socket.timeout):
        raise _Failure(f"no answer within {timeout:g} s (timed out)", retry=True) from None
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise _Failure(f"no answer within {timeout:g} s (timed out)", retry=True) from None
        raise _Failure(f"could not connect: {reason}", retry=True) from None
    except (ConnectionError, OSError) as error:  # reset or closed connection mid-read
        raise _Failure(f"connection failed: {error}", retry=True) from None


def _fetch_one(source: str | None, url: str, *, timeout: float, retries: int, user_agent: str, backoff: float):
    from narrativediff.text.articles import Article

    attempts = 0
    while True:
        attempts += 1
        try:
            body, final_url = _get(url, timeout=timeout, user_agent=user_agent)
            break
        except _Failure as failure:
            if not failure.retry or attempts > retries:
                return None, {"source": source, "url": url, "status": failure.status, "error": str(failure),
                              "attempts": attempts}
            time.sleep(backoff * 2 ** (attempts - 1))
    try:
        article = Article.from_html(body, url=final_url, source=source)
    except MissingDependencyError:
        raise
    except InvalidInputError as error:
        return None, {"source": source, "url": url, "status": 200, "error": str(error), "attempts": attempts}
    return article, None


def _named(urls) -> list[tuple[str | None, str]]:
    if isinstance(urls, str):
        urls = [urls]
    if isinstance(urls, Mapping):
        items = [(str(source), url) for source, url in urls.items()]
    elif isinstance(urls, Iterable):
        items = [(None, url) for url in urls]
    else:
        raise InvalidInputError(f"urls must be a list of URLs or a mapping {{outlet: url}}; got {type(urls).__name__}.")
    for source, url in items:
        if not isinstance(url, str) or not url.lower().startswith(("http://", "https://")):
            raise InvalidInputError(f"{url!r} is not an http:// or https:// URL; pass web addresses.")
    return items


def _unique_sources(articles: list) -> list:
    """Two pages of one site get the site's name; the second and later get ``name (2)``, ``name (3)``."""
    import dataclasses

    seen: dict[str, int] = {}
    out = []
    for article in articles:
        count = seen.get(article.source, 0) + 1
        seen[article.source] = count
        out.append(article if count == 1 else dataclasses.replace(article, source=f"{article.source} ({count})"))
    return out


def fetch_articles(urls, *, timeout: float = 10, retries: int = 2, user_agent: str | None = None,
                   max_workers: int = 4, backoff: float = 0.5) -> Fetched:
    """Fetch web pages and extract one article from each.

    Parameters
    ----------
    urls : list of str, or mapping of str to str
        The pages; a mapping ``{outlet: url}`` names the outlets, otherwise each is named by the
        site name its page gives, else its host (a second page of the same site gets " (2)").
    timeout : float, default 10
        Seconds to wait for each answer.
    retries : int, default 2
        Further tries after a time-out, a failed connection or a 408, 429 or 5xx status (not after
        a 404 or a page that is not HTML).
    user_agent : str, optional
        The ``User-Agent`` header; ``None`` sends :data:`DEFAULT_USER_AGENT`.
    max_workers : int, default 4
        Pages fetched at once.
    backoff : float, default 0.5
        Seconds before the first retry, doubled before each next one.

    Returns
    -------
    Fetched
        ``(articles, failures)``: the articles in the order given, and a DataFrame with one row
        per URL that gave none (:data:`FAILURE_COLUMNS`).

    Raises
    ------
    InvalidParameterError
        An option outside its allowed values.
    InvalidInputError
        A URL that is not http(s).
    MissingDependencyError
        trafilatura is not installed (``pip install narrativediff[html]``).

    Examples
    --------
    >>> import narrativediff as nd
    >>> articles, failures = nd.fetch_articles(["https://example.org/a"])  # doctest: +SKIP
    >>> failures[["url", "error"]]  # doctest: +SKIP
    """
    import pandas as pd

    from narrativediff.text.html import _trafilatura

    if not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or not timeout > 0:
        raise InvalidParameterError(f"timeout must be a number of seconds > 0; got {timeout!r}.")
    if not isinstance(retries, int) or isinstance(retries, bool) or retries < 0:
        raise InvalidParameterError(f"retries must be an integer >= 0; got {retries!r}.")
    if not isinstance(max_workers, int) or isinstance(max_workers, bool) or max_workers < 1:
        raise InvalidParameterError(f"max_workers must be an integer >= 1; got {max_workers!r}.")
    if not isinstance(backoff, (int, float)) or isinstance(backoff, bool) or backoff < 0:
        raise InvalidParameterError(f"backoff must be a number of seconds >= 0; got {backoff!r}.")
    items = _named(urls)
    _trafilatura()  # a missing extra is said once, before any request
    agent = DEFAULT_USER_AGENT if user_agent is None else str(user_agent)
    with ThreadPoolExecutor(max_workers=min(max_workers, max(len(items), 1))) as pool:
        results = list(pool.map(
            lambda item: _fetch_one(*item, timeout=float(timeout), retries=retries, user_agent=agent,
                                    backoff=float(backoff)),
            items,
        ))
    articles = _unique_sources([article for article, _ in results if article is not None])
    failures = pd.DataFrame([failure for _, failure in results if failure is not None], columns=FAILURE_COLUMNS)
    failures["status"] = failures["status"].astype("Int64")
    failures["attempts"] = failures["attempts"].astype("int64")
    return Fetched(articles, failures)
