"""Word tokens with character offsets, the unit of the word-level framing diff."""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["Token", "tokenize"]

# A word is a dotted abbreviation ("U.S.") or a run of letters/digits, optionally joined by
# inner hyphens or apostrophes ("weapons-related", "China's", "can’t"). Punctuation is not a token: a framing diff that
# reports a changed comma is noise.
_WORD = re.compile(r"(?:[A-Za-z]\.){2,}|\w+(?:[-'’]\w+)*", re.UNICODE)


class Token(NamedTuple):
    """One word of a sentence.

    Attributes
    ----------
    text : str
        The word as written.
    start, end : int
        Character offsets into the sentence, so that ``sentence[start:end] == text``.
    """

    text: str
    start: int
    end: int

    @property
    def norm(self) -> str:
        """Lower-cased form with curly apostrophes made straight, used for matching."""
        return self.text.lower().replace("’", "'")


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into word tokens that keep their character offsets.

    Parameters
    ----------
    text : str
        A sentence.

    Returns
    -------
    list of Token

    Examples
    --------
    >>> [t.text for t in tokenize("The US claims that China's aid is 'massive'.")]
    ['The', 'US', 'claims', 'that', "China's", 'aid', 'is', 'massive']
    >>> tokenize("Blinken said")[1]
    Token(text='said', start=8, end=12)
    """
    return [Token(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]
