"""The framing stage as :func:`narrativediff.compare` runs it: every aligned pair scored, as table columns."""

from __future__ import annotations

import pandas as pd

from narrativediff.framing.records import COMPONENTS
from narrativediff.framing.score import score_pair

__all__ = ["ALIGNMENT_COLUMNS", "frame_pairs"]

#: The leading columns of ``Comparison.alignment``; the pair columns and framing columns follow.
ALIGNMENT_COLUMNS = [
    "source_a", "sent_a", "text_a", "source_b", "sent_b", "text_b", "similarity", "framing_score",
    "changed_a", "changed_b",
]


def frame_pairs(pairs: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """The alignment table: each aligned pair with both texts and its framing scores.

    Parameters
    ----------
    pairs : DataFrame
        Aligned pairs (``source_a, sent_a, source_b, sent_b`` and whatever the alignment stage added).
    sentences : DataFrame
        The sentence table the pairs point into.

    Returns
    -------
    DataFrame
        :data:`ALIGNMENT_COLUMNS` first, then the other columns of ``pairs`` and of
        :meth:`narrativediff.framing.FramingResult.to_dict`.
    """
    text_of = sentences.set_index(["source", "sent_id"])["text"]
    text_a = text_of.reindex(pd.MultiIndex.from_arrays([pairs["source_a"], pairs["sent_a"]])).to_numpy()
    text_b = text_of.reindex(pd.MultiIndex.from_arrays([pairs["source_b"], pairs["sent_b"]])).to_numpy()
    scored = [
        score_pair(a, b, source_a=sa, source_b=sb).to_dict()
        for a, b, sa, sb in zip(text_a, text_b, pairs["source_a"], pairs["source_b"])
    ]
    # Columns of FramingResult.to_dict(), present even when no pair was aligned.
    columns = ["framing_score", "changed_a", "changed_b", *COMPONENTS, "explanation"]
    framing_columns = pd.DataFrame(scored, index=pairs.index, columns=columns)
    table = pairs.assign(text_a=text_a, text_b=text_b)
    table = pd.concat([table, framing_columns], axis=1)
    leading = [c for c in ALIGNMENT_COLUMNS if c in table.columns]
    return table[leading + [c for c in table.columns if c not in leading]]
