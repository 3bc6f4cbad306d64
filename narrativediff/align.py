"""Sentence alignment across outlets: similarity matrices and pair matching."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .exceptions import InvalidParameterError, check_choice, check_range

__all__ = ["DEFAULT_THRESHOLD", "METHODS", "similarity_matrix", "match_pairs", "align_sentences"]

#: Cosine similarity above which two sentences from different outlets are taken to report the same
#: thing. Chosen on MRPC train (news sentence pairs from different outlets, labelled paraphrase or
#: not) as the cut-off that maximises F1 of the paraphrase decision with all-MiniLM-L6-v2;
#: see docs/benchmarks.md for the measurement.
DEFAULT_THRESHOLD = 0.60

METHODS = ("threshold", "mutual", "hungarian")


def similarity_matrix(embeddings_a: np.ndarray, embeddings_b: np.ndarray) -> np.ndarray:
    """Cosine similarity of every row of ``embeddings_a`` with every row of ``embeddings_b``.

    Rows are expected to be L2-normalised (as every :class:`~narrativediff.embed.Encoder` returns),
    so the cosine is the dot product.
    """
    return np.asarray(embeddings_a, dtype=np.float32) @ np.asarray(embeddings_b, dtype=np.float32).T


def match_pairs(similarity: np.ndarray, *, method: str = "threshold", threshold: float = DEFAULT_THRESHOLD):
    """Pick aligned pairs from a similarity matrix.

    Parameters
    ----------
    similarity : ndarray of shape (n_a, n_b)
    method : {"threshold", "mutual", "hungarian"}, default "threshold"
        ``"threshold"`` keeps every pair above ``threshold`` (many-to-many: one sentence may restate
        two); ``"mutual"`` keeps pairs that are each other's best match; ``"hungarian"`` keeps the
        one-to-one assignment of highest total similarity.
    threshold : float, default DEFAULT_THRESHOLD
        Pairs at or below it are never kept.

    Returns
    -------
    rows, cols : ndarray of int
        Indices of the kept pairs, sorted by row then column.
    """
    check_choice("method", method, METHODS)
    threshold = check_range("threshold", threshold, -1.0, 1.0)
    similarity = np.asarray(similarity)
    if similarity.ndim != 2:
        raise InvalidParameterError(f"similarity must be a 2-D matrix; got shape {similarity.shape}.")
    above = similarity > threshold
    if similarity.size == 0:
        keep = above
    elif method == "threshold":
        keep = above
    elif method == "mutual":
        best_in_row = similarity == similarity.max(axis=1, keepdims=True)
        best_in_col = similarity == similarity.max(axis=0, keepdims=True)
        keep = above & best_in_row & best_in_col
    else:
        from scipy.optimize import linear_sum_assignment

        rows, cols = linear_sum_assignment(similarity, maximize=True)
        keep = np.zeros_like(above)
        keep[rows, cols] = True
        keep &= above
    rows, cols = np.nonzero(keep)
    return rows, cols


def align_sentences(sentences: pd.DataFrame, embeddings: np.ndarray, *, method: str = "threshold",
                    threshold: float = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Align the sentences of every pair of outlets.

    Parameters
    ----------
    sentences : DataFrame
        The sentence table (columns ``source`` and ``sent_id`` at least); row ``k`` belongs to
        ``embeddings[k]``.
    embeddings : ndarray of shape (n_sentences, dim)
    method, threshold
        See :func:`match_pairs`.

    Returns
    -------
    DataFrame
        One row per aligned pair: ``source_a, sent_a, source_b, sent_b, similarity``; outlet pairs in
        the order the outlets first appear, ``source_a`` before ``source_b``.
    """
    if len(sentences) != len(embeddings):
        raise InvalidParameterError(
            f"sentences has {len(sentences)} rows but embeddings has {len(embeddings)}; they must match."
        )
    sources = list(dict.fromkeys(sentences["source"]))
    source_values = sentences["source"].to_numpy()
    sent_ids = sentences["sent_id"].to_numpy()
    rows_of = {source: np.flatnonzero(source_values == source) for source in sources}
    frames = []
    for i, source_a in enumerate(sources):
        for source_b in sources[i + 1:]:
            rows_a, rows_b = rows_of[source_a], rows_of[source_b]
            similarity = similarity_matrix(embeddings[rows_a], embeddings[rows_b])
            picked_a, picked_b = match_pairs(similarity, method=method, threshold=threshold)
            frames.append(pd.DataFrame({
                "source_a": source_a,
                "sent_a": sent_ids[rows_a[picked_a]],
                "source_b": source_b,
                "sent_b": sent_ids[rows_b[picked_b]],
                "similarity": similarity[picked_a, picked_b].astype(float),
            }))
    columns = ["source_a", "sent_a", "source_b", "sent_b", "similarity"]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]
