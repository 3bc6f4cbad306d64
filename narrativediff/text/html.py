"""Web pages: the article's body, title, byline, date and site name out of its HTML.

Extraction is done by ``trafilatura`` (``pip install narrativediff[html]``), measured best among
the extractors tried here (``benchmarks/suites/web_inputs.py``): scripts, styles, menus, cookie
banners, related-story lists, share buttons and comments are left out of the body, and the date
comes from the page's JSON-LD ``datePublished``, its meta tags or its ``<time>`` element (the
original publication date, not the last update). The body then goes through the same line rules
as plain text (:mod:`narrativediff.text.clean`), which take out what the extractor kept of a
dateline, a byline or an "Advertisement" label.

Text that looks like a whole page or an HTML fragment (:func:`looks_like_html`) but is passed as
an article's plain text is extracted the same way, with a warning, so that markup never becomes
sentences.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from narrativediff.exceptions import InvalidInputError, MissingDependencyError

__all__ = ["Page", "extract_page", "looks_like_html"]

_DOCUMENT = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>])",
                       re.IGNORECASE | re.DOTALL)
_LEADING_TAG = re.compile(r"^\s*<([a-z][a-z0-9]*)\b[^>]*>", re.IGNORECASE)
_BLOCK_TAGS = {"p", "div", "article", "section", "main", "body", "head", "header", "nav", "span", "h1", "h2",
               "h3", "ul", "ol", "li", "table", "figure", "script", "style", "meta", "link", "a", "br"}
_CLOSING_TAG = re.compile(r"</([a-z][a-z0-9]*)\s*>", re.IGNORECASE)


class Page(NamedTuple):
    """What :func:`extract_page` finds in a page; a field is None when the page does not say."""

    text: str
    title: str | None
    byline: str | None
    published: str | None
    site_name: str | None


def looks_like_html(text: str) -> bool:
    """True when ``text`` is an HTML page, or a fragment that starts with a tag and closes tags.

    A story that merely mentions "<" or quotes a tag is not HTML: it must start with a tag
    such as ``<p>`` or ``<div>`` and hold at least two closing tags.

    Examples
    --------
    >>> looks_like_html("<!DOCTYPE html><html><body><p>Hi.</p></body></html>")
    True
    >>> looks_like_html("<p>One.</p>\\n<p>Two.</p>")
    True
    >>> looks_like_html("Shares fell <5% on Monday.")
    False
    """
    if not isinstance(text, str):
        return False
    if _DOCUMENT.match(text):
        return True
    leading = _LEADING_TAG.match(text)
    if leading is None or leading.group(1).lower() not in _BLOCK_TAGS:
        return False
    return sum(1 for tag in _CLOSING_TAG.findall(text[:200_000]) if tag.lower() in _BLOCK_TAGS) >= 2


def _trafilatura():
    try:
        import trafilatura
    except ImportError:
        raise MissingDependencyError(
            "reading web pages needs trafilatura; install it with `pip install narrativediff[html]`, "
            "or pass the article's plain text instead of its HTML."
        ) from None
    return trafilatura


def extract_page(html: str | bytes, *, url: str | None = None) -> Page:
    """Extract the article from one web page.

    Parameters
    ----------
    html : str or bytes
        The page's HTML (bytes are decoded with the charset the page declares).
    url : str, optional
        Where the page came from; helps the extractor and names the site when the page does not.

    Returns
    -------
    Page
        ``text``: the body, one paragraph per line, without the headline when it repeats the
        title; ``published``: ISO 8601 as the page gives it.

    Raises
    ------
    MissingDependencyError
        trafilatura is not installed.
    InvalidInputError
        No article text could be found in the page.
    """
    trafilatura = _trafilatura()
    head = html[:4096].decode("utf-8", "replace") if isinstance(html, bytes) else html
    if not _DOCUMENT.match(head):  # a fragment: the extractor finds no tree in it unless it has a body
        html = b"<html><body>" + html + b"</body></html>" if isinstance(html, bytes) \
            else f"<html><body>{html}</body></html>"
    document = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False,
        include_images=False, deduplicate=False,
        date_extraction_params={"original_date": True, "extensive_search": True,
                                "outputformat": "%Y-%m-%dT%H:%M:%S%z"},
    )
    fields = {} if document is None else (document.as_dict() if hasattr(document, "as_dict") else dict(document))
    text = (fields.get("text") or "").strip()
    where = f" at {url}" if url else ""
    if not text:
        raise InvalidInputError(
            f"no article text was found in the page{where} (a front page, a login or consent wall, or a "
            "page drawn by JavaScript); pass the article's text instead."
        )
    from narrativediff.text.clean import clean_lines

    if all(line.kind == "removed" for line in clean_lines(text)):
        raise InvalidInputError(
            f"the page{where} holds no article text, only {text[:60]!r}{'...' if len(text) > 60 else ''} "
            "(menus or labels: a front page, or a page drawn by JavaScript); pass the article's text instead."
        )
    title = (fields.get("title") or "").strip() or None
    lines = text.splitlines()
    if title and lines and lines[0].strip() == title:
        text = "\n".join(lines[1:]).strip() or text
    site = (fields.get("sitename") or "").strip() or None
    if site is not None and site == fields.get("hostname") and url is None:
        site = None
    return Page(
        text=text,
        title=title,
        byline=(fields.get("author") or "").strip() or None,
        published=_offset_with_colon(fields.get("date")),
        site_name=site,
    )


def _offset_with_colon(date: str | None) -> str | None:
    """``2025-03-11T08:30:00+0100`` as ISO 8601 with ``+01:00`` (what every ISO reader takes)."""
    if not date:
        return None
    return re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", date.strip())
