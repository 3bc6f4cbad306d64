"""Greedy longest-match lookup of multi-word phrases in a token sequence."""

from __future__ import annotations

from typing import Mapping, Sequence, TypeVar

from narrativediff.framing.lexicon import _match_key
from narrativediff.text.tokens import Token

__all__ = ["match_keys", "find_phrases"]

V = TypeVar("V")


def match_keys(tokens: Sequence[Token]) -> list[str]:
    """Matching keys: lower case, no possessive, and lower-case "us" kept apart from "US"."""
    keys = []
    for t in tokens:
        key = _match_key(t.text)
        if key == "us" and t.text not in ("US", "U.S.", "U.S"):
            key = "us(pronoun)"
        keys.append(key)
    return keys


def find_phrases(tokens: Sequence[Token], phrases: Mapping[tuple[str, ...], V]) -> list[tuple[int, int, V]]:
    """Non-overlapping matches ``(k1, k2, value)`` of ``phrases`` in ``tokens``, longest first.

    Examples
    --------
    >>> from narrativediff.text.tokens import tokenize
    >>> find_phrases(tokenize("According to the US, it may"), {("according", "to"): 1, ("may",): 2})
    [(0, 2, 1), (5, 6, 2)]
    """
    if not phrases:
        return []
    longest = max(len(p) for p in phrases)
    keys = match_keys(tokens)
    out, k = [], 0
    while k < len(keys):
        for n in range(min(longest, len(keys) - k), 0, -1):
            value = phrases.get(tuple(keys[k : k + n]))
            if value is not None:
                out.append((k, k + n, value))
                k += n
                break
        else:
            k += 1
    return out
