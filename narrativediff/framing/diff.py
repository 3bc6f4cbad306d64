"""Word-level diff of two sentences as difflib-style opcodes."""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import NamedTuple, Sequence

from narrativediff.text.tokens import Token

__all__ = ["Opcode", "word_opcodes", "word_opcodes_reference"]


class Opcode(NamedTuple):
    """One step of the diff, read as ``a[i1:i2]`` becomes ``b[j1:j2]``.

    ``tag`` is one of ``'equal'``, ``'replace'``, ``'insert'`` (words only in b) and
    ``'delete'`` (words only in a); indices count word tokens, not characters.
    """

    tag: str
    i1: int
    i2: int
    j1: int
    j2: int


def _keys(tokens: Sequence[Token | str]) -> list[str]:
    return [(t.norm if isinstance(t, Token) else t.lower().replace("’", "'")) for t in tokens]


def word_opcodes(tokens_a: Sequence[Token | str], tokens_b: Sequence[Token | str]) -> list[Opcode]:
    """Diff two token sequences, compared lower-cased.

    Built on :class:`difflib.SequenceMatcher` with ``autojunk=False`` (autojunk would treat
    frequent words such as "the" as junk in long sentences and give unstable diffs).

    Parameters
    ----------
    tokens_a, tokens_b : sequence of Token or str

    Returns
    -------
    list of Opcode

    Examples
    --------
    >>> word_opcodes("Blinken said it".split(), "Blinken claimed it".split())
    [Opcode(tag='equal', i1=0, i2=1, j1=0, j2=1), Opcode(tag='replace', i1=1, i2=2, j1=1, j2=2), Opcode(tag='equal', i1=2, i2=3, j1=2, j2=3)]
    """
    a, b = _keys(tokens_a), _keys(tokens_b)
    if a == b:
        return [Opcode("equal", 0, len(a), 0, len(b))] if a else []
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return [Opcode(*op) for op in matcher.get_opcodes()]


def word_opcodes_reference(tokens_a: Sequence[Token | str], tokens_b: Sequence[Token | str]) -> list[Opcode]:
    """Plain longest-common-subsequence diff, kept to check :func:`word_opcodes` against.

    Both diffs keep every word exactly once and in order; they may split changes differently
    (difflib prefers long contiguous matches, LCS the most matched words), so tests compare
    what they guarantee: equal blocks hold equal words and every word is covered.
    """
    a, b = _keys(tokens_a), _keys(tokens_b)
    n, m = len(a), len(b)
    lcs = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            lcs[i][j] = lcs[i + 1][j + 1] + 1 if a[i] == b[j] else max(lcs[i + 1][j], lcs[i][j + 1])
    steps: list[tuple[str, int, int]] = []
    i = j = 0
    while i < n or j < m:
        if i < n and j < m and a[i] == b[j]:
            steps.append(("equal", i, j))
            i, j = i + 1, j + 1
        elif j < m and (i == n or lcs[i][j + 1] >= lcs[i + 1][j]):
            steps.append(("insert", i, j))
            j += 1
        else:
            steps.append(("delete", i, j))
            i += 1
    ops: list[Opcode] = []
    k = 0
    while k < len(steps):
        tag, i1, j1 = steps[k]
        if tag == "equal":
            i2, j2 = i1, j1
            while k < len(steps) and steps[k][0] == "equal":
                i2, j2 = i2 + 1, j2 + 1
                k += 1
            ops.append(Opcode("equal", i1, i2, j1, j2))
            continue
        i2, j2 = i1, j1
        while k < len(steps) and steps[k][0] != "equal":
            if steps[k][0] == "delete":
                i2 += 1
            else:
                j2 += 1
            k += 1
        tag = "replace" if i2 > i1 and j2 > j1 else ("delete" if i2 > i1 else "insert")
        ops.append(Opcode(tag, i1, i2, j1, j2))
    return ops
