"""The alignment stage as :func:`narrativediff.compare` runs it, on arguments already checked.

Content pairs from every two outlets' similarity matrix, then the headline pairs the body
threshold missed (``match`` tells the two kinds apart); every pair, headline or not, gets its
relation from one model (:mod:`narrativediff.align.relation`): ``same_claim``, ``overlap``,
``contradiction`` or ``related``, with ``p_same_claim``. Claims across all outlets are grouped on
the same model, and the outlets that republish one text are found.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from narrativediff.align import claims
from narrativediff.align.headlines import align_headlines
from narrativediff.align.pairs import _align
from narrativediff.text.language import english_rows

__all__ = ["RELATION_COLUMNS", "relation_index", "align_pairs", "claim_tables"]

_KEY = ["source_a", "sent_a", "source_b", "sent_b"]

#: What the relation model adds to every aligned pair (see :func:`narrativediff.align.relation.relate_pairs`).
RELATION_COLUMNS = ["relation", "p_same_claim", "p_overlap", "p_contradiction", "p_related", "same_claim"]


def relation_index(sentences: pd.DataFrame, encoder, *, cache=None):
    """The relation model's view of every sentence: content views and content words, embedded.

    Only English sentences are analysed (the content views use the English lexicons); a sentence
    in another language is its own view and names no content word.

    Parameters
    ----------
    sentences : DataFrame
        The sentence table.
    encoder : Encoder
        The comparison's encoder.
    cache : EmbeddingCache, optional
        The comparison's cache: the embedding stage has already put each sentence's vector there,
        so only the content views and content words not yet cached are embedded.

    Returns
    -------
    narrativediff.align.relation.PairIndex
        Row ``k`` belongs to ``sentences.iloc[k]``.
    """
    from narrativediff.align.relation import PairIndex

    return PairIndex.from_texts(sentences["text"].tolist(), encoder, cache=cache, read=english_rows(sentences))


def _relations(index, rows_a: np.ndarray, rows_b: np.ndarray) -> dict:
    from narrativediff.align.relation import RELATIONS, default_relation_model, relation_features

    model = default_relation_model()
    if not len(rows_a):
        return {"relation": np.array([], dtype=object), **{c: np.zeros(0) for c in RELATION_COLUMNS[1:5]},
                "same_claim": np.zeros(0, dtype=bool)}
    proba = model.predict_proba(relation_features(index, rows_a, rows_b))
    same = proba[:, 0] >= model.threshold_
    other = np.array(RELATIONS[1:], dtype=object)[np.argmax(proba[:, 1:], axis=1)]
    return {"relation": np.where(same, "same_claim", other), "p_same_claim": proba[:, 0],
            "p_overlap": proba[:, 1], "p_contradiction": proba[:, 2], "p_related": proba[:, 3],
            "same_claim": same}


def align_pairs(sentences: pd.DataFrame, embeddings: np.ndarray, *, method: str, threshold: float,
                match_headlines: bool, index) -> pd.DataFrame:
    """Every aligned pair of sentences of two outlets, content pairs and headline pairs, with its relation.

    Parameters
    ----------
    sentences : DataFrame
    embeddings : ndarray
        Row ``k`` embeds ``sentences.iloc[k]``.
    method, threshold, match_headlines
        As in :func:`narrativediff.compare`, checked.
    index : PairIndex
        From :func:`relation_index` on the same sentences.

    Returns
    -------
    DataFrame
        ``source_a, sent_a, source_b, sent_b, similarity, match`` (``"content"`` or ``"headline"``)
        and :data:`RELATION_COLUMNS`; outlet pairs in the order the outlets first appear, within
        one sorted by ``sent_a`` then ``sent_b``.
    """
    pairs = _align(sentences, embeddings, method=method, threshold=threshold, calibrator=False)
    pairs = pairs.assign(match="content")
    if match_headlines:
        headline_pairs = align_headlines(sentences, embeddings, calibrator=False)
        known = (pd.MultiIndex.from_frame(pairs[_KEY]) if len(pairs)
                 else pd.MultiIndex.from_tuples([], names=_KEY))
        new = headline_pairs[~pd.MultiIndex.from_frame(headline_pairs[_KEY]).isin(known)].assign(match="headline")
        if not new.empty:
            pairs = pd.concat([pairs, new], ignore_index=True)
            order = {source: i for i, source in enumerate(dict.fromkeys(sentences["source"]))}
            pairs["_a"], pairs["_b"] = pairs["source_a"].map(order), pairs["source_b"].map(order)
            pairs = pairs.sort_values(["_a", "_b", "sent_a", "sent_b"], kind="stable")
            pairs = pairs.drop(columns=["_a", "_b"]).reset_index(drop=True)
    row_of = pd.Series(np.arange(len(sentences)),
                       index=pd.MultiIndex.from_frame(sentences[["source", "sent_id"]]))
    rows_a = row_of.reindex(pd.MultiIndex.from_arrays([pairs["source_a"], pairs["sent_a"]])).to_numpy(np.intp)
    rows_b = row_of.reindex(pd.MultiIndex.from_arrays([pairs["source_b"], pairs["sent_b"]])).to_numpy(np.intp)
    # The relation model reads English (its content views use the English lexicons): a pair with
    # a sentence in another language keeps its alignment and gets no relation (framing_note says
    # why), never an English reading of German text.
    english = english_rows(sentences)
    read = english[rows_a] & english[rows_b]
    if read.all():
        return pairs.assign(**_relations(index, rows_a, rows_b))
    columns = {"relation": np.full(len(pairs), None, dtype=object),
               **{c: np.full(len(pairs), np.nan) for c in RELATION_COLUMNS[1:5]},
               "same_claim": np.zeros(len(pairs), dtype=bool)}
    for name, values in _relations(index, rows_a[read], rows_b[read]).items():
        columns[name][read] = values
    return pairs.assign(**columns)


def claim_tables(sentences: pd.DataFrame, embeddings: np.ndarray, *, floor: float | None,
                 index) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """The claims table (grouped on P(same claim or overlap)), the near-duplicate outlet pairs and the republishing groups."""
    claim_table = claims.group_claims(sentences, embeddings, score="relation", floor=floor, relation_index=index)
    duplicates = claims.near_duplicates(sentences, embeddings)
    return claim_table, duplicates, claims.republishing_groups(duplicates)
