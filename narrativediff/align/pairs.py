"""Sentence alignment across outlets: similarity matrices, pair matching, calibrated P(same claim).

Every pair of outlets is compared once (``source_a`` before ``source_b`` in the order the outlets
were given). Within a pair of outlets, :func:`match_pairs` picks the aligned sentence pairs with one
of three rules (all pairs above a cut-off, mutual best matches, or the optimal one-to-one
assignment), and :func:`align_sentences` adds each pair's calibrated probability of reporting the
same claim (:mod:`narrativediff.align.model`). All work is matrix work: the only Python loop runs
over pairs of outlets, never over pairs of sentences.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from narrativediff.exceptions import InvalidInputError, InvalidParameterError, check_choice, check_range

__all__ = [
    "DEFAULT_THRESHOLD",
    "METHODS",
    "similarity_matrix",
    "probability_matrix",
    "pair_probabilities",
    "match_pairs",
    "align_sentences",
]

#: Cosine similarity above which two sentences from different outlets are candidate matches.
#: Chosen on MRPC train, the 3,141 pairs whose two sentences come from different outlet domains
#: (msr_paraphrase_data.txt), as the cut-off on the all-MiniLM-L6-v2 cosine that maximises F1 of the
#: paraphrase decision (0.589, rounded to 0.59; on MRPC test cross-outlet pairs it gives F1 0.819).
#: MRPC pairs were pre-selected to look alike, so in a real comparison, where most pairs are
#: unrelated, a cut-off this low still admits some same-topic pairs: read ``probability`` too.
#: Reproduce with ``python -m training.fit_same_claim`` (``cosine_threshold_f1`` in
#: narrativediff/data/same_claim_calibration.json).
DEFAULT_THRESHOLD = 0.59

METHODS = ("threshold", "mutual", "hungarian")

_COLUMNS = ["source_a", "sent_a", "source_b", "sent_b", "similarity"]


def similarity_matrix(embeddings_a: np.ndarray, embeddings_b: np.ndarray) -> np.ndarray:
    """Cosine similarity of every row of ``embeddings_a`` with every row of ``embeddings_b``.

    Rows are expected to be L2-normalised (as every :class:`~narrativediff.embed.Encoder` returns),
    so the cosine is the dot product.
    """
    return np.asarray(embeddings_a, dtype=np.float32) @ np.asarray(embeddings_b, dtype=np.float32).T


def probability_matrix(texts, embeddings: np.ndarray, *, calibrator=None) -> np.ndarray:
    """P(same claim) for every pair of the given sentences, as an ``(n, n)`` matrix.

    Parameters
    ----------
    texts : sequence of str
        The sentences.
    embeddings : ndarray of shape (n, dim)
        Their L2-normalised embeddings.
    calibrator : SameClaimCalibrator, optional
        Defaults to the calibration shipped with narrativediff (MRPC train).

    Returns
    -------
    ndarray of shape (n, n)
        Symmetric; the diagonal is the probability of a sentence against itself.
    """
    from narrativediff.align.features import TokenIndex, pair_feature_matrices
    from narrativediff.align.model import default_calibrator

    texts = list(texts)
    if len(texts) != len(embeddings):
        raise InvalidInputError(f"{len(texts)} texts but {len(embeddings)} embeddings; they must match.")
    calibrator = default_calibrator() if calibrator is None else calibrator
    cosine = similarity_matrix(embeddings, embeddings)
    return calibrator.predict_proba_matrices(pair_feature_matrices(TokenIndex.of(texts), cosine))


def pair_probabilities(sentences: pd.DataFrame, rows_a, rows_b, similarity, *, calibrator=None) -> dict:
    """P(same claim) and the same-claim decision for given pairs of rows of the sentence table.

    Parameters
    ----------
    sentences : DataFrame
        The sentence table, with a ``text`` column.
    rows_a, rows_b : array of int
        Row positions of the two sentences of each pair.
    similarity : array of float
        Their cosine similarity.
    calibrator : SameClaimCalibrator, optional
        Defaults to the calibration shipped with narrativediff (MRPC train).

    Returns
    -------
    dict
        ``probability`` (array of float) and ``same_claim`` (``probability >= calibrator.threshold_``).
    """
    from narrativediff.align.features import TokenIndex, pair_features
    from narrativediff.align.model import default_calibrator

    calibrator = default_calibrator() if calibrator is None else calibrator
    index = TokenIndex.of(sentences["text"].tolist())
    probability = calibrator.predict_proba(pair_features(index, np.asarray(rows_a), np.asarray(rows_b),
                                                         np.asarray(similarity, dtype=float)))[:, 1]
    return {"probability": probability, "same_claim": probability >= calibrator.threshold_}


def match_pairs(similarity: np.ndarray, *, method: str = "threshold", threshold: float = DEFAULT_THRESHOLD):
    """Pick aligned pairs from a similarity matrix.

    Parameters
    ----------
    similarity : ndarray of shape (n_a, n_b)
    method : {"threshold", "mutual", "hungarian"}, default "threshold"
        ``"threshold"`` keeps every pair above ``threshold`` (many-to-many: one sentence may restate
        two); ``"mutual"`` keeps pairs that are each other's best match; ``"hungarian"`` keeps the
        one-to-one assignment of highest total similarity (scipy's ``linear_sum_assignment``).
    threshold : float, default DEFAULT_THRESHOLD
        Pairs at or below it are never kept.

    Returns
    -------
    rows, cols : ndarray of int
        Indices of the kept pairs, sorted by row then column.

    Examples
    --------
    >>> import numpy as np
    >>> s = np.array([[0.9, 0.7], [0.8, 0.2]])
    >>> [list(map(int, x)) for x in match_pairs(s, method="threshold", threshold=0.5)]
    [[0, 0, 1], [0, 1, 0]]
    >>> [list(map(int, x)) for x in match_pairs(s, method="hungarian", threshold=0.5)]
    [[0, 1], [1, 0]]
    """
    check_choice("method", method, METHODS)
    threshold = check_range("threshold", threshold, -1.0, 1.0)
    similarity = np.asarray(similarity)
    if similarity.ndim != 2:
        raise InvalidParameterError(f"similarity must be a 2-D matrix; got shape {similarity.shape}.")
    return _match(similarity, method, threshold)


def _match(similarity: np.ndarray, method: str, threshold: float):
    """:func:`match_pairs` on checked arguments."""
    above = similarity > threshold
    if similarity.size == 0 or method == "threshold":
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


def _check_table(sentences: pd.DataFrame, embeddings) -> np.ndarray:
    if not isinstance(sentences, pd.DataFrame):
        raise InvalidInputError(f"sentences must be a pandas DataFrame; got {type(sentences).__name__}.")
    missing = [c for c in ("source", "sent_id") if c not in sentences.columns]
    if missing:
        raise InvalidInputError(f"the sentence table lacks column(s) {missing}; it needs source and sent_id.")
    embeddings = np.asarray(embeddings, dtype=np.float32)
    if embeddings.ndim != 2 or len(sentences) != len(embeddings):
        raise InvalidInputError(
            f"sentences has {len(sentences)} rows but embeddings has shape {embeddings.shape}; "
            "they must have one row per sentence."
        )
    return embeddings


def align_sentences(sentences: pd.DataFrame, embeddings: np.ndarray, *, method: str = "threshold",
                    threshold: float | None = None, min_probability: float | None = None,
                    calibrator=None) -> pd.DataFrame:
    """Align the sentences of every pair of outlets.

    Parameters
    ----------
    sentences : DataFrame
        The sentence table (columns ``source`` and ``sent_id`` at least, ``text`` for probabilities);
        row ``k`` belongs to ``embeddings[k]``.
    embeddings : ndarray of shape (n_sentences, dim)
    method : {"threshold", "mutual", "hungarian"}, default "threshold"
        See :func:`match_pairs`. ``"threshold"`` is many-to-many (a sentence that restates two is
        matched to both).
    threshold : float, optional
        Cosine cut-off; ``None`` means :data:`DEFAULT_THRESHOLD`.
    min_probability : float, optional
        Also drop pairs whose ``probability`` is below this. ``None`` keeps them all.
    calibrator : SameClaimCalibrator or False, optional
        Model of P(same claim); ``None`` uses the one shipped with narrativediff; ``False`` skips
        the probability columns.

    Returns
    -------
    DataFrame
        One row per aligned pair: ``source_a, sent_a, source_b, sent_b, similarity``, then, when the
        table has ``text`` and ``calibrator`` is not False, ``probability`` (P(same claim)) and
        ``same_claim`` (``probability >= calibrator.threshold_``, the decision measured on MRPC).
        Outlet pairs in the order the outlets first appear, ``source_a`` before ``source_b``;
        within one, sorted by ``sent_a`` then ``sent_b``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> table = pd.DataFrame({"source": ["A", "A", "B"], "sent_id": [0, 1, 0],
    ...                       "text": ["China helps Russia.", "Rain fell.", "China aids Russia."]})
    >>> vectors = np.array([[1, 0], [0, 1], [0.96, 0.28]], dtype=np.float32)
    >>> align_sentences(table, vectors)[["source_a", "sent_a", "source_b", "sent_b"]].values.tolist()
    [['A', 0, 'B', 0]]
    """
    embeddings = _check_table(sentences, embeddings)
    check_choice("method", method, METHODS)
    threshold = DEFAULT_THRESHOLD if threshold is None else check_range("threshold", threshold, -1.0, 1.0)
    if min_probability is not None:
        min_probability = check_range("min_probability", min_probability, 0.0, 1.0)
    with_probability = calibrator is not False and "text" in sentences.columns
    if min_probability is not None and not with_probability:
        raise InvalidParameterError(
            "min_probability needs probabilities: the sentence table must have a text column and "
            "calibrator must not be False."
        )
    return _align(sentences, embeddings, method=method, threshold=threshold, min_probability=min_probability,
                  calibrator=calibrator if with_probability else False)


def _align(sentences: pd.DataFrame, embeddings: np.ndarray, *, method: str, threshold: float,
           min_probability: float | None = None, calibrator=None) -> pd.DataFrame:
    """:func:`align_sentences` on checked arguments (``calibrator=False``: no probability columns)."""
    with_probability = calibrator is not False

    source_values = sentences["source"].to_numpy()
    sources = list(dict.fromkeys(source_values))
    rows_of = [np.flatnonzero(source_values == source) for source in sources]
    picked_a, picked_b, outlet_a, outlet_b, scores = [], [], [], [], []
    for i in range(len(sources)):
        rows_a = rows_of[i]
        if i + 1 == len(sources) or not len(rows_a):
            continue
        later = np.concatenate(rows_of[i + 1:])
        block = similarity_matrix(embeddings[rows_a], embeddings[later])  # one product per outlet
        start = 0
        for j in range(i + 1, len(sources)):
            width = len(rows_of[j])
            part = block[:, start:start + width]
            start += width
            local_a, local_b = _match(part, method, threshold)
            picked_a.append(rows_a[local_a])
            picked_b.append(rows_of[j][local_b])
            scores.append(part[local_a, local_b])
            outlet_a.append(np.full(len(local_a), i))
            outlet_b.append(np.full(len(local_a), j))
    if not picked_a:
        columns = _COLUMNS + (["probability", "same_claim"] if with_probability else [])
        return pd.DataFrame(columns=columns)
    rows_a, rows_b = np.concatenate(picked_a), np.concatenate(picked_b)
    similarity = np.concatenate(scores).astype(float)
    names = np.asarray(sources, dtype=object)
    sent_ids = sentences["sent_id"].to_numpy()
    table = pd.DataFrame({
        "source_a": names[np.concatenate(outlet_a)],
        "sent_a": sent_ids[rows_a],
        "source_b": names[np.concatenate(outlet_b)],
        "sent_b": sent_ids[rows_b],
        "similarity": similarity,
    })
    if with_probability:
        table = table.assign(**pair_probabilities(sentences, rows_a, rows_b, similarity, calibrator=calibrator))
        if min_probability is not None:
            table = table[table["probability"] >= min_probability].reset_index(drop=True)
    return table
