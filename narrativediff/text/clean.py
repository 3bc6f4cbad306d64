"""Web junk out: decide for every line of an article whether it is text, a headline, or junk, and why.

Raw web text carries navigation menus, media-player controls, photo captions (often twice),
repeated headlines, time stamps and "About the author" footers. The rules here look at the shape
of a line (its punctuation, length, what is left once dates and numbers are taken out), at
repetition within the article, and at its neighbours; no rule names a particular site's strings.
Nothing is dropped silently: every removed line comes back with the reason.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from narrativediff.text.tokens import FUNCTION_WORDS, has_digit
from narrativediff.text.tokens import words as scheme_words  # "words" names a line's words below

__all__ = ["Line", "clean_lines", "REASONS"]

#: Why a line was removed, by the short code used in ``Comparison.removed["reason"]``.
REASONS = {
    "duplicate": "repeats an earlier line of the same article (headline or caption printed twice)",
    "footer": "follows a footer heading (about the author, newsletter, related stories ...)",
    "date": "only a date, time, byline stamp or media-player clock",
    "copyright": "a copyright or credit line",
    "caption": "a photo, video or file caption",
    "menu": "a long run of words with no sentence punctuation, or a row of short items between separators "
            "such as '|' or '•' (menu, icon list, tag cloud, breadcrumb)",
    "fragment": "a short fragment with no sentence punctuation (button, label, section name)",
}

# Chinese and Japanese end a sentence with a full-width 。！？ and quote with 「」『』.
_SENTENCE_END = re.compile(r"[.!?…。！？](?:\s*[\"'“”’)\]」』）])*\s*$")
_SENTENCE_PUNCT = re.compile(r"[.!?…。！？]|[\"“”「」『』]")
_MONTHS = (
    "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|"
    "august|september|october|november|december"
)
_WEEKDAYS = "mon|tue|wed|thu|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_DATE_WORDS = re.compile(rf"\b(?:{_MONTHS}|{_WEEKDAYS}|am|pm|gmt|utc|cet|est|edt|updated|published|of|by)\b\.?"
                         r"|[年月日时時分秒号]", re.IGNORECASE)
_CAPTION_START = re.compile(
    r"^\s*(?:\((?:file|photo|video|ap|afp|reuters)[^)]*\)|(?:photo|image|picture|video|source|credit|caption)s?\s*:)",
    re.IGNORECASE,
)
_CAPTION_CREDIT = re.compile(r"\b(?:photo|image|picture)\s*:\s*\S", re.IGNORECASE)
_COPYRIGHT = re.compile(r"^\s*(?:©|\(c\)\s|copyright\b|all rights reserved)", re.IGNORECASE)
_FOOTER_MARKERS = (
    r"(?:about the authors?|newsletters?|subscribe|sign up|related (?:stories|articles|content|news)|"
    r"read more|more from|more on this|recommended|you may also like|follow us|share this|comments?|"
    r"tags?|topics)"
)
# A footer heading starts with its marker ("About the author", "Comments (12)", "Read more: ...") or
# is one word and the marker ("Daily Newsletter", "3 comments"). A subheading that merely holds the
# word ("No comment from the palace") is the article going on.
_FOOTER_HEADING = re.compile(
    rf"^\W*(?:\d+\s+)?{_FOOTER_MARKERS}\b|^\W*[\w’'-]+\s+{_FOOTER_MARKERS}\W*$",
    re.IGNORECASE,
)
# Characters that end a line without being punctuation: zero-width and other format characters,
# controls, emoji and other symbols. A sentence end is looked for before them.
_TRAILING_MARKS = frozenset(("Cf", "Cc", "Co", "Cn", "So", "Sk", "Zs"))
# An inner sentence boundary: a line of several sentences is body text even without a final period.
_INNER_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s+[\"“‘(]?[A-Z]|[。！？][」』”）]*\S")

_FRAGMENT_MAX_WORDS = 4
_JUNK_NEIGHBOUR_MAX_WORDS = 6
_MENU_MIN_WORDS = 12
# A row of short items between separators is a menu or a breadcrumb, however short. The slash is
# not a separator: it joins credits ("AFP/Getty") and alternatives in running text.
_MENU_SEPARATOR = re.compile(r"\s*[|•]\s*|\s+[·»›▸>]\s+")
_MENU_MIN_ITEMS = 3
_MENU_ITEM_MAX_WORDS = 3
_FOOTER_FROM = 0.5  # a footer heading only counts in the second half of the article
#: A line of more words than this is a paragraph whose final period is missing, not a headline.
_TITLE_MAX_WORDS = 30


@dataclass(frozen=True)
class Line:
    """One line of an article and the verdict on it.

    ``kind`` is ``"text"`` (body text), ``"title"`` (headline or standfirst: a line of words without
    sentence punctuation) or ``"removed"``; for removed lines ``reason`` is a key of :data:`REASONS`.
    ``start`` and ``end`` are character offsets of the stripped line in the original text.
    """

    line_no: int
    text: str
    start: int
    end: int
    kind: str
    reason: str | None = None


def _normalised(text: str) -> str:
    return " ".join(scheme_words(unicodedata.normalize("NFKC", text).casefold(), scheme="run"))


def _words(text: str) -> list[str]:
    return scheme_words(text, scheme="line")


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return 0x3040 <= code <= 0x30FF or 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or code >= 0x20000


def _word_count(words: list[str]) -> int:
    """How many words a line has; Chinese and Japanese, written without spaces, count two characters a word.

    A run of ideographs or kana is one "word" to the tokenizer, so a whole paragraph of Chinese
    would otherwise look like a one-word fragment.
    """
    count = 0
    for word in words:
        cjk = sum(map(_is_cjk, word))
        count += (cjk + 1) // 2 if cjk else 1
    return count


def _has_sentence_end(text: str) -> bool:
    end = len(text)
    while end and (text[end - 1].isspace() or unicodedata.category(text[end - 1]) in _TRAILING_MARKS):
        end -= 1
    return bool(_SENTENCE_END.search(text, 0, end))


def _is_date_like(text: str) -> bool:
    skeleton = re.sub(r"\d[\d.:/,\-]*", " ", text)
    remaining = _words(_DATE_WORDS.sub(" ", skeleton))
    has_number = has_digit(text)
    return has_number and len(remaining) <= 2 and not _has_sentence_end(skeleton.strip())


def _verdict(text: str, position: float) -> tuple[str, str | None]:
    """Judge one non-empty line on its own shape; repetition and neighbours are judged later."""
    words = _words(text)
    count = _word_count(words)
    if _COPYRIGHT.search(text):
        return "removed", "copyright"
    if _CAPTION_START.search(text) or _CAPTION_CREDIT.search(text):
        return "removed", "caption"
    if _is_date_like(text):
        return "removed", "date"
    if _has_sentence_end(text):
        return "text", None
    if position >= _FOOTER_FROM and count <= 5 and _FOOTER_HEADING.search(text):
        return "removed", "footer"
    if not _SENTENCE_PUNCT.search(text) and (
        _is_separated_row(text) or count >= _MENU_MIN_WORDS and _looks_like_menu(words)
    ):
        return "removed", "menu"
    if count <= _FRAGMENT_MAX_WORDS:
        return "removed", "fragment"
    if count > _TITLE_MAX_WORDS or _INNER_SENTENCE_END.search(text):
        return "text", None  # a paragraph without its final period
    return "title", None


def _is_separated_row(text: str) -> bool:
    """A row of at least three short items between menu separators ("Home | World | Sport")."""
    items = [item.strip() for item in _MENU_SEPARATOR.split(text)]
    return len(items) >= _MENU_MIN_ITEMS and all(0 < len(_words(item)) <= _MENU_ITEM_MAX_WORDS for item in items)


def _looks_like_menu(words: list[str]) -> bool:
    """Menus repeat a few tokens and lack the small words that hold a sentence together."""
    lowered = [w.lower() for w in words]
    share_function = sum(w in FUNCTION_WORDS for w in lowered) / len(lowered)
    share_repeated = 1 - len(set(lowered)) / len(lowered)
    return share_function < 0.08 or share_repeated > 0.3


def clean_lines(text: str) -> list[Line]:
    """Split ``text`` into non-empty lines and judge each one.

    Parameters
    ----------
    text : str
        An article's raw text, one paragraph or page element per line.

    Returns
    -------
    list of Line
        Every non-empty line, in order, with its verdict. Blank lines only separate paragraphs.

    Examples
    --------
    >>> lines = clean_lines("Menu\\nThe minister resigned on Monday.\\n© 2024 Example News")
    >>> [(line.kind, line.reason) for line in lines]
    [('removed', 'fragment'), ('text', None), ('removed', 'copyright')]
    """
    raw = []
    offset = 0
    for line_no, line in enumerate(text.splitlines(keepends=True)):
        stripped = line.strip()
        if stripped:
            start = offset + line.index(stripped[0])
            raw.append((line_no, stripped, start, start + len(stripped)))
        offset += len(line)
    total = max(len(raw) - 1, 1)
    verdicts = [list(_verdict(stripped, index / total)) for index, (_, stripped, _, _) in enumerate(raw)]

    # Everything after a footer heading belongs to the footer.
    footer_at = next((i for i, (kind, reason) in enumerate(verdicts) if reason == "footer"), None)
    if footer_at is not None:
        for verdict in verdicts[footer_at + 1:]:
            verdict[0], verdict[1] = "removed", "footer"

    # A line seen before in the same article is a repeated headline or caption.
    seen: set[str] = set()
    for (_, stripped, _, _), verdict in zip(raw, verdicts):
        key = _normalised(stripped)
        if key in seen and verdict[0] != "removed":
            verdict[0], verdict[1] = "removed", "duplicate"
        seen.add(key)

    # A second headline-shaped line right above a caption is the title of that photo or video
    # (a teaser for another story), not a headline of this article.
    titles_seen = 0
    for index, verdict in enumerate(verdicts):
        if verdict[0] != "title":
            continue
        titles_seen += 1
        following = verdicts[index + 1][1] if index + 1 < len(verdicts) else None
        if titles_seen > 1 and following == "caption":
            verdict[0], verdict[1] = "removed", "caption"

    # A short unpunctuated line between two removed lines is part of the same junk block
    # (player controls, "No media source currently available"); the article's first headline
    # often sits between junk too, and is kept.
    headline = next((i for i, verdict in enumerate(verdicts) if verdict[0] == "title"), None)
    for index, ((_, stripped, _, _), verdict) in enumerate(zip(raw, verdicts)):
        if verdict[0] != "title" or index == headline or _word_count(_words(stripped)) > _JUNK_NEIGHBOUR_MAX_WORDS:
            continue
        before = verdicts[index - 1][0] if index > 0 else "removed"
        after = verdicts[index + 1][0] if index + 1 < len(verdicts) else "removed"
        if before == "removed" and after == "removed":
            verdict[0], verdict[1] = "removed", "fragment"

    return [
        Line(line_no=line_no, text=stripped, start=start, end=end, kind=kind, reason=reason)
        for (line_no, stripped, start, end), (kind, reason) in zip(raw, verdicts)
    ]
