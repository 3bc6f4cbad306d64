"""The alignment stage as :func:`narrativediff.compare` runs it, on arguments already checked.

Content pairs from every two outlets' similarity matrix, then the headline pairs the body
threshold missed (``match`` tells the two kinds apart); claims across all outlets and the
outlets that republish one text.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from narrativediff.align import claims
from narrativediff.align.headlines import align_headlines
from narrativediff.align.pairs import _align

__all__ = ["align_pairs", "claim_tables"]

_KEY = ["source_a", "sent_a", "source_b", "sent_b"]


def align_pairs(sentences: pd.DataFrame, embeddings: np.ndarray, *, method: str, threshold: float,
                match_headlines: bool) -> pd.DataFrame:
    """Every aligned pair of sentences of two outlets, content pairs and headline pairs.

    Returns
    -------
    DataFrame
        The columns of :func:`narrativediff.align.pairs.align_sentences` and ``match``
        (``"content"`` or ``"headline"``); outlet pairs in the order the outlets first appear,
        within one sorted by ``sent_a`` then ``sent_b``.
    """
    pairs = _align(sentences, embeddings, method=method, threshold=threshold).assign(match="content")
    if not match_headlines:
        return pairs
    headline_pairs = align_headlines(sentences, embeddings)
    known = pd.MultiIndex.from_frame(pairs[_KEY]) if len(pairs) else pd.MultiIndex.from_tuples([], names=_KEY)
    new = headline_pairs[~pd.MultiIndex.from_frame(headline_pairs[_KEY]).isin(known)].assign(match="headline")
    if new.empty:
        return pairs
    combined = pd.concat([pairs, new], ignore_index=True)
    order = {source: i for i, source in enumerate(dict.fromkeys(sentences["source"]))}
    combined["_a"], combined["_b"] = combined["source_a"].map(order), combined["source_b"].map(order)
    combined = combined.sort_values(["_a", "_b", "sent_a", "sent_b"], kind="stable")
    return combined.drop(columns=["_a", "_b"]).reset_index(drop=True)


def claim_tables(sentences: pd.DataFrame, embeddings: np.ndarray, *,
                 floor: float | None) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """The claims table, the near-duplicate outlet pairs and the republishing groups."""
    claim_table = claims.group_claims(sentences, embeddings, floor=floor)
    duplicates = claims.near_duplicates(sentences, embeddings)
    return claim_table, duplicates, claims.republishing_groups(duplicates)
