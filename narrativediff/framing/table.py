"""The framing stage as :func:`narrativediff.compare` runs it: every aligned pair scored once, as tables.

Each pair's :class:`~narrativediff.framing.FramingResult` is kept whole, spread over three tables:
its numbers and explanation as columns of the alignment, its evidence spans and its word diff as
tables of their own with a ``pair`` column pointing back at the alignment row. The faces (notebook
view, report) draw from these tables and never score or tokenize again.
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from narrativediff.framing.records import COMPONENTS, Evidence
from narrativediff.framing.score import score_pair

__all__ = ["ALIGNMENT_COLUMNS", "EVIDENCE_COLUMNS", "WORD_DIFF_COLUMNS", "FramedPairs", "frame_pairs",
           "empty_evidence", "empty_word_diff"]

#: The leading columns of ``Comparison.alignment``; the pair columns and framing columns follow.
ALIGNMENT_COLUMNS = [
    "source_a", "sent_a", "text_a", "source_b", "sent_b", "text_b", "similarity", "framing_score",
    "changed_a", "changed_b",
]

#: ``Comparison.evidence``: one row per evidence span. ``pair`` is the alignment row's index label;
#: the other columns are the fields of :class:`~narrativediff.framing.Evidence` (``start``/``end``:
#: character offsets into that side's sentence, ``text``: the span, ``why``: the reason).
EVIDENCE_COLUMNS = ["pair", *Evidence._fields]

#: ``Comparison.word_diff``: one row per opcode of each pair's word diff, in order. ``tag`` is
#: ``equal``, ``replace``, ``delete`` (words only in a) or ``insert`` (words only in b); ``i1, i2,
#: j1, j2`` count word tokens as in :class:`~narrativediff.framing.Opcode`; ``start_a, end_a`` and
#: ``start_b, end_b`` are the character offsets they cover in ``text_a`` and ``text_b``.
WORD_DIFF_COLUMNS = ["pair", "tag", "i1", "i2", "j1", "j2", "start_a", "end_a", "start_b", "end_b"]

_INTS = {"evidence": ["start", "end"], "word_diff": [c for c in WORD_DIFF_COLUMNS if c not in ("pair", "tag")]}


class FramedPairs(NamedTuple):
    """What the framing stage returns: the alignment table and the two tables behind its scores."""

    alignment: pd.DataFrame
    evidence: pd.DataFrame
    word_diff: pd.DataFrame


def _typed(rows: list, columns: list[str], name: str, pair_dtype="int64") -> pd.DataFrame:
    table = pd.DataFrame(rows, columns=columns)
    return table.astype({"pair": pair_dtype, **{column: "int64" for column in _INTS[name]}})


def empty_evidence() -> pd.DataFrame:
    """An evidence table with no rows (:data:`EVIDENCE_COLUMNS`, typed)."""
    return _typed([], EVIDENCE_COLUMNS, "evidence")


def empty_word_diff() -> pd.DataFrame:
    """A word-diff table with no rows (:data:`WORD_DIFF_COLUMNS`, typed)."""
    return _typed([], WORD_DIFF_COLUMNS, "word_diff")


def frame_pairs(pairs: pd.DataFrame, sentences: pd.DataFrame) -> FramedPairs:
    """Score every aligned pair once; the alignment table and the evidence and word-diff tables.

    Parameters
    ----------
    pairs : DataFrame
        Aligned pairs (``source_a, sent_a, source_b, sent_b`` and whatever the alignment stage added).
    sentences : DataFrame
        The sentence table the pairs point into.

    Returns
    -------
    FramedPairs
        ``alignment``: :data:`ALIGNMENT_COLUMNS` first, then the other columns of ``pairs`` and of
        :meth:`narrativediff.framing.FramingResult.to_dict`, with the index of ``pairs``.
        ``evidence`` (:data:`EVIDENCE_COLUMNS`) and ``word_diff`` (:data:`WORD_DIFF_COLUMNS`): one
        row per evidence span and per diff opcode, ``pair`` being the alignment row's index label.
        :meth:`narrativediff.framing.FramingResult.from_rows` rebuilds each pair's result from them.
    """
    text_of = sentences.set_index(["source", "sent_id"])["text"]
    text_a = text_of.reindex(pd.MultiIndex.from_arrays([pairs["source_a"], pairs["sent_a"]])).to_numpy()
    text_b = text_of.reindex(pd.MultiIndex.from_arrays([pairs["source_b"], pairs["sent_b"]])).to_numpy()
    scored, evidence, word_diff = [], [], []
    for label, a, b, sa, sb in zip(pairs.index, text_a, text_b, pairs["source_a"], pairs["source_b"]):
        result = score_pair(a, b, source_a=sa, source_b=sb)
        scored.append(result.to_dict())
        evidence.extend((label, *ev) for ev in result.evidence)
        word_diff.extend({"pair": label, **row} for row in result.diff_rows())
    # Columns of FramingResult.to_dict(), present even when no pair was aligned.
    columns = ["framing_score", "changed_a", "changed_b", *COMPONENTS, "explanation"]
    framing_columns = pd.DataFrame(scored, index=pairs.index, columns=columns)
    table = pairs.assign(text_a=text_a, text_b=text_b)
    table = pd.concat([table, framing_columns], axis=1)
    leading = [c for c in ALIGNMENT_COLUMNS if c in table.columns]
    alignment = table[leading + [c for c in table.columns if c not in leading]]
    # ``pair`` holds the alignment's index labels, so it keeps their type (int for compare()'s 0..n-1).
    pair_dtype = pairs.index.dtype if len(pairs) else "int64"
    return FramedPairs(alignment, _typed(evidence, EVIDENCE_COLUMNS, "evidence", pair_dtype),
                       _typed(word_diff, WORD_DIFF_COLUMNS, "word_diff", pair_dtype))
