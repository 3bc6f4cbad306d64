"""Claims across N outlets: grouping, coverage, omissions, unique claims, near-duplicate outlets.

A *claim* is a set of sentences, from any number of outlets, that report the same thing. Claims
are built by complete-linkage clustering (scipy) on ``1 - score``, cut at ``1 - floor``: every pair
of sentences inside a claim scores at least ``floor``, so a claim can never join two unrelated
sentences through a third (no chaining). Two sentences of one outlet never share a claim unless the
outlet repeated itself (their cosine reaches ``repeat_threshold``). Every sentence belongs to
exactly one claim; a sentence nobody else reports is a claim of its own.

Outlets that republish one wire text would count the wire's claims several times; :func:`near_duplicates`
finds such outlet pairs and :func:`republishing_groups` turns them into groups, which
:func:`coverage`, :func:`omissions` and :func:`unique_claims` can count once.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from narrativediff.align.pairs import DEFAULT_THRESHOLD, _check_table, similarity_matrix
from narrativediff.exceptions import InvalidInputError, InvalidParameterError, check_choice, check_range

__all__ = [
    "SCORES",
    "REPEAT_THRESHOLD",
    "CANDIDATE_COSINE",
    "NEAR_DUPLICATE_THRESHOLD",
    "BLOCK_SIZE",
    "claim_scores",
    "group_claims",
    "coverage",
    "omissions",
    "unique_claims",
    "near_duplicates",
    "republishing_groups",
]

SCORES = ("relation", "probability", "cosine")

#: For ``score="relation"``, the cosine below which a cross-outlet pair is not scored (it cannot
#: share a claim). The lowest cosine of the 246 labelled same-claim and overlap pairs of
#: ``training/data/relation_pairs.csv`` is 0.456; this floor is below every one of them.
CANDIDATE_COSINE = 0.35

#: Cosine at or above which two sentences of one outlet are the outlet repeating itself (a
#: headline restated in the lead, a quote given twice); only then may they share a claim.
REPEAT_THRESHOLD = 0.9

#: Cosine at or above which two sentences of different outlets are near-identical text (a wire
#: sentence republished, perhaps lightly edited), for :func:`near_duplicates`.
NEAR_DUPLICATE_THRESHOLD = 0.95

#: Rows of the pair-score matrix :func:`group_claims` computes at once.
BLOCK_SIZE = 512

# Scores live in [-1, 1]; a pair that may never share a claim gets a distance no cut can reach.
_FORBIDDEN = 4.0
#: Candidate pairs whose relation features are computed at once (bounds the claims stage's memory).
_FEATURE_CHUNK = 100_000

_CLAIM_COLUMNS = ["claim_id", "source", "sent_id", "text", "n_sources", "claim_size", "cohesion"]


def claim_scores(sentences: pd.DataFrame, embeddings: np.ndarray, *, score: str = "probability",
                 calibrator=None, relation_index=None) -> np.ndarray:
    """The ``(n, n)`` matrix of pair scores that claims are grouped on.

    ``score="relation"`` is P(same claim) + P(overlap) from the relation model, over the pairs
    :func:`group_claims` scores (0 elsewhere), with the content views of ``relation_index`` (``None``
    builds them with the default encoder); ``score="probability"`` is P(same claim) from
    :func:`narrativediff.align.pairs.probability_matrix` (both need a ``text`` column); ``"cosine"``
    is the plain embedding cosine.
    """
    embeddings = _check_table(sentences, embeddings)
    check_choice("score", score, SCORES)
    if score == "cosine":
        return similarity_matrix(embeddings, embeddings).astype(np.float64)
    if score == "relation":
        # The very scores group_claims computes block by block (pairs it never scores are 0).
        _check_text(sentences)
        scorer = _PairScorer(sentences, embeddings, score=score, calibrator=None,
                             source_codes=pd.factorize(sentences["source"])[0], repeat_threshold=REPEAT_THRESHOLD,
                             relation_index=relation_index)
        return scorer.block(np.arange(len(sentences)))[0]
    _check_text(sentences)
    from narrativediff.align.pairs import probability_matrix

    return probability_matrix(sentences["text"].tolist(), embeddings, calibrator=calibrator)


def _check_text(sentences):
    if "text" not in sentences.columns:
        raise InvalidInputError("score='probability' needs a text column in the sentence table; "
                                "pass score='cosine' to group on embeddings alone.")


def group_claims(sentences: pd.DataFrame, embeddings: np.ndarray, *, score: str = "probability",
                 floor: float | None = None, repeat_threshold: float = REPEAT_THRESHOLD,
                 calibrator=None, scores: np.ndarray | None = None,
                 block_size: int = BLOCK_SIZE, relation_index=None) -> pd.DataFrame:
    """Group the sentences of all outlets into claims.

    Without ``scores``, no ``(n, n)`` matrix is built: the pair scores are computed ``block_size``
    rows at a time and only the pairs within the cut are kept. Complete linkage never joins two
    sentences that are not linked through such pairs, so it runs on each connected group of them
    separately, with that group's own score matrix. The claims are those of the full computation
    (barring exact ties between pair distances, where complete linkage's choice is order dependent).

    Parameters
    ----------
    sentences : DataFrame
        The sentence table (``source``, ``sent_id``, and ``text`` for ``score="probability"``);
        row ``k`` belongs to ``embeddings[k]``.
    embeddings : ndarray of shape (n_sentences, dim)
        L2-normalised.
    score : {"relation", "probability", "cosine"}, default "probability"
        What "report the same thing" is measured with: ``"relation"`` is P(same claim) + P(overlap)
        from the relation model (:mod:`narrativediff.align.relation`; what compare() uses), with only
        pairs of cosine at least :data:`CANDIDATE_COSINE` scored (a pair with a sentence whose
        ``language`` is not English gets the model's estimate from the cosine alone,
        :meth:`~narrativediff.align.relation.RelationClassifier.cosine_proba`); ``"probability"`` the MRPC
        calibrator's P(same claim); ``"cosine"`` the plain embedding cosine.
    floor : float, optional
        Every pair of sentences in one claim scores at least this. ``None``: the calibrator's
        decision threshold for ``"probability"`` (the same-claim decision measured on MRPC),
        :data:`~narrativediff.align.pairs.DEFAULT_THRESHOLD` for ``"cosine"``.
    repeat_threshold : float, default REPEAT_THRESHOLD
        Cosine at or above which two sentences of one outlet may share a claim.
    calibrator : SameClaimCalibrator, optional
        For ``score="probability"``; defaults to the shipped calibration.
    scores : ndarray of shape (n, n), optional
        A precomputed score matrix (from :func:`claim_scores`), to skip computing it again; complete
        linkage then runs on all sentences at once.
    block_size : int, default BLOCK_SIZE
        Rows of the score matrix computed at once when ``scores`` is not given; memory grows with
        ``block_size * n_sentences``.
    relation_index : PairIndex, optional
        For ``score="relation"``: the sentences' content views and content words, embedded
        (:func:`narrativediff.align.stage.relation_index`); ``None`` builds it with the default encoder.

    Returns
    -------
    DataFrame
        One row per sentence, in the order of the sentence table: ``claim_id`` (0, 1, ... in order of
        each claim's first sentence), ``source``, ``sent_id``, ``text``, ``n_sources`` (outlets in
        the claim), ``claim_size`` (sentences in it), ``cohesion`` (lowest cross-sentence score in the
        claim; 1.0 for a single sentence).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> table = pd.DataFrame({"source": ["A", "B", "C"], "sent_id": [0, 0, 0], "text": ["x", "y", "z"]})
    >>> vectors = np.array([[1, 0], [0.9, 0.436], [0, 1]], dtype=np.float32)
    >>> group_claims(table, vectors, score="cosine")["claim_id"].tolist()
    [0, 0, 1]
    """
    embeddings = _check_table(sentences, embeddings)
    check_choice("score", score, SCORES)
    repeat_threshold = check_range("repeat_threshold", repeat_threshold, -1.0, 1.0)
    if not isinstance(block_size, (int, np.integer)) or block_size < 2:
        raise InvalidParameterError(f"block_size must be an integer of at least 2; got {block_size!r}.")
    if floor is None:
        if score == "cosine":
            floor = DEFAULT_THRESHOLD
        elif score == "relation":
            from narrativediff.align.relation import default_relation_model

            floor = default_relation_model().threshold_
        else:
            from narrativediff.align.model import default_calibrator

            floor = (default_calibrator() if calibrator is None else calibrator).threshold_
    floor = check_range("floor", floor, -1.0, 1.0)
    n = len(sentences)
    source_codes = pd.factorize(sentences["source"])[0]
    if scores is None:
        if score in ("probability", "relation"):
            _check_text(sentences)
        if n == 0:
            return pd.DataFrame(columns=_CLAIM_COLUMNS)
        scorer = _PairScorer(sentences, embeddings, score=score, calibrator=calibrator,
                             source_codes=source_codes, repeat_threshold=repeat_threshold,
                             relation_index=relation_index)
        labels, cohesion = _blockwise_claims(scorer, source_codes, floor=floor,
                                             repeat_threshold=repeat_threshold, block_size=block_size)
        return _claim_table(sentences, labels, cohesion)

    scores = np.asarray(scores, dtype=np.float64)
    if scores.shape != (n, n):
        raise InvalidInputError(f"scores must be ({n}, {n}); got {scores.shape}.")
    if n == 0:
        return pd.DataFrame(columns=_CLAIM_COLUMNS)
    labels = _complete_linkage(scores, similarity_matrix(embeddings, embeddings), source_codes,
                               floor=floor, repeat_threshold=repeat_threshold)
    return _claim_table(sentences, labels, _cohesion(scores, labels))


def _claim_table(sentences, labels, cohesion) -> pd.DataFrame:
    """The table :func:`group_claims` returns, from claim labels and each claim's cohesion."""
    texts = sentences["text"].tolist() if "text" in sentences.columns else [None] * len(sentences)
    claims = pd.DataFrame({
        "claim_id": labels,
        "source": sentences["source"].to_numpy(),
        "sent_id": sentences["sent_id"].to_numpy(),
        "text": texts,
    })
    grouped = claims.groupby("claim_id")
    claims["n_sources"] = grouped["source"].transform("nunique").astype(int)
    claims["claim_size"] = grouped["source"].transform("size").astype(int)
    claims["cohesion"] = cohesion[labels]
    return claims[_CLAIM_COLUMNS]


def _cohesion(scores, labels) -> np.ndarray:
    """Lowest score between two different sentences of each claim (1.0 for one sentence), per label."""
    # one vectorised minimum over all same-claim pairs, without a loop over pairs
    pair_i, pair_j = _same_label_pairs(labels)
    cohesion = np.ones(labels.max() + 1)
    np.minimum.at(cohesion, labels[pair_i], scores[pair_i, pair_j])
    return cohesion


class _PairScorer:
    """Scores and cosines of blocks of rows against every sentence, as :func:`claim_scores` has them.

    Only the pairs that can share a claim are scored: pairs of two outlets, and pairs of one outlet
    whose cosine reaches ``repeat_threshold`` (the outlet repeating itself). Every other score is
    left at 0, which :func:`_distance` overrides with the forbidden distance anyway. So one long
    article beside short ones costs pair features for its sentences against the short ones only,
    not for all its own pairs.
    """

    def __init__(self, sentences, embeddings, *, score, calibrator, source_codes, repeat_threshold,
                 relation_index=None):
        self.embeddings = embeddings
        self.score = score
        self.source_codes = source_codes
        self.repeat_threshold = repeat_threshold
        if score == "relation":
            from narrativediff.align.relation import PairIndex, default_relation_model
            from narrativediff.text.language import english_rows

            # Pairs with a sentence in another language are scored on the cosine alone: the
            # relation features read English words.
            self.english = english_rows(sentences)
            if relation_index is None:
                relation_index = PairIndex.from_texts(sentences["text"].tolist(), read=self.english)
            if len(relation_index) != len(sentences):
                raise InvalidInputError(f"relation_index holds {len(relation_index)} sentences; "
                                        f"the table has {len(sentences)}.")
            self.index = relation_index
            self.model = default_relation_model()
        if score == "probability":
            from narrativediff.align.features import TokenIndex
            from narrativediff.align.model import default_calibrator

            self.index = TokenIndex.of(sentences["text"].tolist())
            self.calibrator = default_calibrator() if calibrator is None else calibrator

    def block(self, rows):
        """``(scores, cosine)`` of the pairs ``(rows[a], b)``, of shape ``(len(rows), n)``."""
        if len(rows) == len(self.embeddings):  # one block: the very product claim_scores makes
            cosine = similarity_matrix(self.embeddings, self.embeddings)
        else:
            cosine = similarity_matrix(self.embeddings[rows], self.embeddings)
        if self.score == "cosine":
            return cosine.astype(np.float64), cosine
        from narrativediff.align.features import pair_feature_block, pair_features

        same_outlet = self.source_codes[rows][:, None] == self.source_codes[None, :]
        needed = ~same_outlet | (cosine >= self.repeat_threshold)
        if self.score == "relation":
            from narrativediff.align.relation import relation_features

            # P(same claim) + P(overlap): a claim told inside a longer sentence is the same claim.
            needed &= cosine >= min(CANDIDATE_COSINE, self.repeat_threshold)
            local, cols = np.nonzero(needed)
            scores = np.zeros(cosine.shape, dtype=np.float64)
            read = self.english[rows[local]] & self.english[cols]
            if not read.all():
                unread_local, unread_cols = local[~read], cols[~read]
                scores[unread_local, unread_cols] = self.model.cosine_proba(cosine[unread_local, unread_cols])
                local, cols = local[read], cols[read]
            for start in range(0, len(local), _FEATURE_CHUNK):  # bounded memory: features of a chunk at a time
                part = slice(start, start + _FEATURE_CHUNK)
                proba = self.model.predict_proba(relation_features(self.index, rows[local[part]], cols[part]))
                scores[local[part], cols[part]] = proba[:, 0] + proba[:, 1]
            return scores, cosine
        if needed.mean() > 0.5:
            features = pair_feature_block(self.index, rows, cosine)
            return self.calibrator.predict_proba_matrices(features), cosine
        # Few pairs can share a claim (mostly one outlet's own sentences): features of those only.
        # The counts are exact integers and every feature is elementwise, so each score equals
        # the one the full block gives.
        local, cols = np.nonzero(needed)
        columns = list(pair_features(self.index, rows[local], cols, cosine[local, cols]).T)
        scores = np.zeros(cosine.shape, dtype=np.float64)
        scores[local, cols] = self.calibrator.predict_proba_matrices(columns)
        return scores, cosine


def _row_blocks(n, block_size):
    """``0..n-1`` in consecutive pieces of nearly equal size, at most ``block_size``."""
    return np.array_split(np.arange(n), max(1, -(-n // block_size)))


def _distance(scores, cosine, same_outlet, repeat_threshold):
    """Complete-linkage distance of score pairs; pairs that may never share a claim get _FORBIDDEN."""
    distance = 1.0 - np.clip(scores, -1.0, 1.0)
    distance[same_outlet & (cosine < repeat_threshold)] = _FORBIDDEN
    return distance


def _blockwise_claims(scorer, source_codes, *, floor, repeat_threshold, block_size):
    """Claim labels (renumbered 0.. by first sentence) and each claim's cohesion, block by block.

    One pass over the row blocks keeps the pairs within the complete-linkage cut, with their
    scores; complete linkage then runs on those pairs alone (:func:`_sparse_complete_linkage`). A
    pair beyond the cut (or forbidden) stays beyond it whatever its score, so complete linkage cut
    at ``1 - floor`` gives the claims it gives on the full matrix, and every pair inside a claim is
    a kept pair, so the cohesion is one of their scores. Each score is computed once, in a block of
    the one shape every block has, and no square matrix is built.
    """
    n = len(source_codes)
    blocks = _row_blocks(n, block_size)
    rows, cols, values = _pairs_within_cut(scorer, blocks, source_codes, floor=floor,
                                           repeat_threshold=repeat_threshold)
    labels = _first_order(_sparse_complete_linkage(n, rows, cols, values, cut=1.0 - floor))
    # cohesion: the lowest score of a pair (i < j) inside each claim, as _cohesion reads the matrix
    cohesion = np.ones(labels.max() + 1 if n else 0)
    inside = (rows < cols) & (labels[rows] == labels[cols])
    np.minimum.at(cohesion, labels[rows[inside]], values[inside])
    return labels, cohesion


def _sparse_complete_linkage(n, rows, cols, scores, *, cut) -> np.ndarray:
    """Complete linkage of ``n`` items cut at distance ``cut``, given only the pairs within the cut.

    ``(rows[k], cols[k])`` is a pair with score ``scores[k]`` (distance ``1 - score``); a pair given
    in one direction only, or not at all, is beyond the cut. Two clusters merge when every pair
    across them is given and the largest distance among those pairs is the smallest of all such
    cluster pairs, as complete linkage on the full matrix merges them; merging stops at the cut.
    Memory and time grow with the number of pairs, not with ``n ** 2``: one story of thousands of
    sentences links most of them through chains of close pairs, and a square matrix of that
    component is what used to bound the claims stage's memory.

    Returns
    -------
    ndarray of int
        A cluster label per item (not renumbered).
    """
    import heapq

    distance = 1.0 - np.clip(np.asarray(scores, dtype=np.float64), -1.0, 1.0)
    off = rows != cols
    rows, cols, distance = rows[off], cols[off], distance[off]
    # a pair counts when both directions are given; its distance is the larger of the two
    low, high = np.minimum(rows, cols), np.maximum(rows, cols)
    order = np.lexsort((high, low))
    low, high, distance = low[order], high[order], distance[order]
    starts = (np.flatnonzero(np.r_[True, (low[1:] != low[:-1]) | (high[1:] != high[:-1])]) if len(low)
              else np.zeros(0, dtype=np.intp))
    both = np.diff(np.r_[starts, len(low)]) == 2
    pair_a, pair_b = low[starts][both], high[starts][both]
    pair_d = np.maximum.reduceat(distance, starts)[both] if len(starts) else np.zeros(0)
    keep = pair_d <= cut
    pair_a, pair_b, pair_d = pair_a[keep].tolist(), pair_b[keep].tolist(), pair_d[keep].tolist()

    size = {}
    links: dict[int, dict[int, list]] = {}  # cluster -> neighbour -> [pairs given across, largest distance]
    for a, b, d in zip(pair_a, pair_b, pair_d):
        links.setdefault(a, {})[b] = [1, d]
        links.setdefault(b, {})[a] = [1, d]
        size[a] = size[b] = 1
    heap = [(d, a, b) for a, b, d in zip(pair_a, pair_b, pair_d)]
    heapq.heapify(heap)
    parent = list(range(n))
    next_id = n
    while heap:
        d, a, b = heapq.heappop(heap)
        link = links.get(a, {}).get(b)
        if link is None or link[1] != d or link[0] != size[a] * size[b]:
            continue  # stale: a or b merged since, or the pair is no longer complete at d
        merged = next_id
        next_id += 1
        parent.append(merged)
        parent[a] = parent[b] = merged
        size[merged] = size.pop(a) + size.pop(b)
        links_a, links_b = links.pop(a), links.pop(b)
        del links_a[b], links_b[a]
        joined = {}
        for other in links_a.keys() | links_b.keys():
            first, second = links_a.get(other), links_b.get(other)
            count = (first[0] if first else 0) + (second[0] if second else 0)
            largest = max(first[1] if first else -np.inf, second[1] if second else -np.inf)
            neighbour = links[other]
            neighbour.pop(a, None)
            neighbour.pop(b, None)
            neighbour[merged] = joined[other] = [count, largest]
            if count == size[merged] * size[other]:
                heapq.heappush(heap, (largest, merged, other) if merged < other else (largest, other, merged))
        links[merged] = joined
    # each item's label: the root of its merges
    parent = np.asarray(parent)
    labels = parent[:n].copy()
    while True:
        up = parent[labels]
        if np.array_equal(up, labels):
            return labels
        labels = up


def _pairs_within_cut(scorer, blocks, source_codes, *, floor, repeat_threshold):
    """The pairs within the complete-linkage cut, ``(rows, cols, scores)``, a block of rows at a time."""
    cut = 1.0 - floor
    edge_rows, edge_cols, edge_scores = [], [], []
    for rows in blocks:
        scores, cosine = scorer.block(rows)
        same_outlet = source_codes[rows][:, None] == source_codes[None, :]
        local, cols = np.nonzero(_distance(scores, cosine, same_outlet, repeat_threshold) <= cut)
        edge_rows.append(rows[local])
        edge_cols.append(cols)
        edge_scores.append(scores[local, cols])
    return np.concatenate(edge_rows), np.concatenate(edge_cols), np.concatenate(edge_scores)


def _same_label_pairs(labels):
    order = np.argsort(labels, kind="stable")
    starts = np.flatnonzero(np.r_[True, labels[order][1:] != labels[order][:-1]])
    sizes = np.diff(np.r_[starts, len(labels)])
    pieces_i, pieces_j = [], []
    for start, size in zip(starts[sizes > 1], sizes[sizes > 1]):  # one step per claim, not per pair
        members = order[start:start + size]
        i, j = np.triu_indices(size, k=1)
        pieces_i.append(members[i])
        pieces_j.append(members[j])
    if not pieces_i:
        return np.zeros(0, dtype=int), np.zeros(0, dtype=int)
    return np.concatenate(pieces_i), np.concatenate(pieces_j)


def _first_order(raw) -> np.ndarray:
    """Labels renumbered 0.. in order of each label's first member."""
    _, first = np.unique(raw, return_index=True)
    rank = np.empty(raw.max() + 1, dtype=int)
    rank[raw[np.sort(first)]] = np.arange(len(first))
    return rank[raw]


def _complete_linkage(scores, cosine, source_codes, *, floor, repeat_threshold) -> np.ndarray:
    """Claim labels, renumbered 0.. in order of each claim's first member."""
    same_outlet = source_codes[:, None] == source_codes[None, :]
    return _cut_linkage(scores, ~(same_outlet & (cosine < repeat_threshold)), floor=floor)


def _cut_linkage(scores, allowed, *, floor) -> np.ndarray:
    """Complete linkage on ``1 - scores`` cut at ``1 - floor``, pairs not ``allowed`` never joined;
    labels renumbered 0.. in order of each claim's first member."""
    n = len(scores)
    if n == 1:
        return np.zeros(1, dtype=int)
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    distance = np.where(allowed, 1.0 - np.clip(scores, -1.0, 1.0), _FORBIDDEN)
    distance = np.maximum(distance, distance.T)  # exact symmetry for squareform
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform(distance, checks=False), method="complete")
    return _first_order(fcluster(tree, t=1.0 - floor, criterion="distance"))


def _check_claims(claims: pd.DataFrame) -> None:
    if not isinstance(claims, pd.DataFrame) or not {"claim_id", "source"} <= set(claims.columns):
        raise InvalidInputError("claims must be the DataFrame group_claims returns (claim_id, source, ...).")


def _group_of(sources, groups) -> dict:
    if groups is None:
        return {source: source for source in sources}
    mapping = dict(groups.items()) if hasattr(groups, "items") else dict(groups)
    return {source: mapping.get(source, source) for source in sources}


def coverage(claims: pd.DataFrame, *, groups=None) -> pd.DataFrame:
    """Who reports which claim.

    Parameters
    ----------
    claims : DataFrame
        From :func:`group_claims`.
    groups : mapping or Series, optional
        Outlet to republishing group (from :func:`republishing_groups`); outlets of one group count
        once in ``n_independent``.

    Returns
    -------
    DataFrame
        Index ``claim_id``; one bool column per outlet (in order of appearance), then ``n_outlets``
        (outlets reporting the claim), ``n_independent`` (distinct groups among them) and ``text``
        (the claim's first sentence).
    """
    _check_claims(claims)
    sources = list(dict.fromkeys(claims["source"]))
    table = pd.crosstab(claims["claim_id"], claims["source"]).reindex(columns=sources, fill_value=0) > 0
    table.columns.name = None
    table["n_outlets"] = table[sources].sum(axis=1).astype(int)
    group_of = _group_of(sources, groups)
    group_codes = pd.Series(claims["source"].map(group_of).to_numpy(), index=claims.index)
    table["n_independent"] = group_codes.groupby(claims["claim_id"]).nunique().reindex(table.index).astype(int)
    if "text" in claims.columns:
        table["text"] = claims.groupby("claim_id")["text"].first().reindex(table.index)
    return table


def _check_source(claims, source):
    if source not in set(claims["source"]):
        known = ", ".join(repr(s) for s in dict.fromkeys(claims["source"]))
        raise InvalidParameterError(f"source must be one of {known}; got {source!r}.")


def omissions(claims: pd.DataFrame, source: str, *, min_outlets: int = 2, groups=None) -> pd.DataFrame:
    """Claims that at least ``min_outlets`` other outlets report and ``source`` leaves out.

    Parameters
    ----------
    claims : DataFrame
        From :func:`group_claims`.
    source : str
        The outlet whose omissions to list.
    min_outlets : int, default 2
        How many other outlets (republishing groups, if ``groups`` is given) must report the claim.
    groups : mapping or Series, optional
        Outlet to republishing group; a wire and its republications count as one outlet.

    Returns
    -------
    DataFrame
        One row per omitted claim, most widely reported first: ``claim_id``, ``n_outlets`` (others
        reporting it, counted by group when ``groups`` is given), ``sources`` (comma-separated) and
        ``text`` (the claim's first sentence).
    """
    _check_claims(claims)
    _check_source(claims, source)
    if not isinstance(min_outlets, (int, np.integer)) or min_outlets < 1:
        raise InvalidParameterError(f"min_outlets must be a positive integer; got {min_outlets!r}.")
    table = coverage(claims, groups=groups)
    reported_by = claims.groupby("claim_id")["source"].unique()
    count = table["n_independent"] if groups is not None else table["n_outlets"]
    keep = ~table[source] & (count >= min_outlets)
    result = pd.DataFrame({
        "claim_id": table.index[keep],
        "n_outlets": count[keep].to_numpy(),
        "sources": [", ".join(reported_by[c]) for c in table.index[keep]],
        "text": table.loc[keep, "text"].to_numpy() if "text" in table.columns else None,
    })
    return result.sort_values(["n_outlets", "claim_id"], ascending=[False, True], kind="stable").reset_index(drop=True)


def unique_claims(claims: pd.DataFrame, source: str, *, groups=None) -> pd.DataFrame:
    """Claims only ``source`` reports (or only its republishing group, when ``groups`` is given).

    Returns
    -------
    DataFrame
        One row per sentence of ``source`` in such a claim: ``claim_id``, ``sent_id``, ``text``.
    """
    _check_claims(claims)
    _check_source(claims, source)
    group_of = _group_of(list(dict.fromkeys(claims["source"])), groups)
    own = claims["source"].map(group_of) == group_of[source]
    only_own = own.groupby(claims["claim_id"]).transform("all")
    rows = claims[only_own & (claims["source"] == source)]
    columns = ["claim_id", "sent_id"] + (["text"] if "text" in claims.columns else [])
    return rows[columns].reset_index(drop=True)


def near_duplicates(sentences: pd.DataFrame, embeddings: np.ndarray, *,
                    similarity: float = NEAR_DUPLICATE_THRESHOLD, min_share: float = 0.5,
                    min_sentences: int = 3) -> pd.DataFrame:
    """Outlet pairs where one article is largely the other's text (wire republication).

    A sentence is near-identical to the other outlet when some sentence there has a cosine of at
    least ``similarity`` with it.

    Parameters
    ----------
    sentences : DataFrame
        The sentence table (``source`` at least); row ``k`` belongs to ``embeddings[k]``.
    embeddings : ndarray of shape (n_sentences, dim)
    similarity : float, default NEAR_DUPLICATE_THRESHOLD
    min_share : float, default 0.5
        Flag the pair when this share of either outlet's sentences is near-identical to the other.
    min_sentences : int, default 3
        ... and at least this many sentences are, so that one shared quote does not flag two outlets.

    Returns
    -------
    DataFrame
        One row per pair of outlets (order of appearance): ``source_a, source_b, n_a, n_b``,
        ``shared_a`` / ``shared_b`` (sentences of a / b with a near-identical sentence in the other),
        ``share_a`` / ``share_b`` (the same as shares), ``share`` (the larger) and ``republished``.
    """
    embeddings = _check_table(sentences, embeddings)
    similarity = check_range("similarity", similarity, -1.0, 1.0)
    min_share = check_range("min_share", min_share, 0.0, 1.0)
    codes, sources = pd.factorize(sentences["source"])
    sources = list(sources)
    k = len(sources)
    order = np.argsort(codes, kind="stable")
    counts = np.bincount(codes, minlength=k)
    starts = np.r_[0, np.cumsum(counts)[:-1]]
    if len(order) and k > 1:
        ordered = embeddings[order]
        # near[i, g]: sentence i has a near-identical sentence in outlet g, worked out BLOCK_SIZE rows
        # at a time so that no (n, n) matrix is held; then counted per outlet pair
        near = np.concatenate([
            np.logical_or.reduceat(similarity_matrix(ordered[row:row + BLOCK_SIZE], ordered) >= similarity,
                                   starts, axis=1)
            for row in range(0, len(ordered), BLOCK_SIZE)
        ])
        shared = np.add.reduceat(near.astype(np.int64), starts, axis=0)  # shared[g, h]: sentences of g found in h
    else:
        shared = np.zeros((k, k), dtype=np.int64)
    first, second = np.triu_indices(k, k=1)
    records = [
        (sources[g], sources[h], int(counts[g]), int(counts[h]), int(shared[g, h]), int(shared[h, g]),
         shared[g, h] / counts[g], shared[h, g] / counts[h])
        for g, h in zip(first, second)
    ]
    table = pd.DataFrame(records, columns=["source_a", "source_b", "n_a", "n_b", "shared_a", "shared_b",
                                           "share_a", "share_b"])
    table["share"] = table[["share_a", "share_b"]].max(axis=1) if len(table) else pd.Series(dtype=float)
    table["republished"] = (table["share"] >= min_share) & (
        table[["shared_a", "shared_b"]].max(axis=1) >= min_sentences)
    return table


def republishing_groups(duplicates: pd.DataFrame) -> pd.Series:
    """Outlet to group, joining outlets linked by ``republished`` pairs (connected components).

    Each group is named by its first outlet (order of appearance in ``duplicates``); an outlet that
    republishes nobody is its own group.
    """
    if not {"source_a", "source_b", "republished"} <= set(duplicates.columns):
        raise InvalidInputError("duplicates must be the DataFrame near_duplicates returns.")
    sources = list(dict.fromkeys(list(duplicates["source_a"]) + list(duplicates["source_b"])))
    parent = {s: s for s in sources}

    def find(s):
        while parent[s] != s:
            parent[s] = parent[parent[s]]
            s = parent[s]
        return s

    for a, b in duplicates.loc[duplicates["republished"], ["source_a", "source_b"]].itertuples(index=False):
        root_a, root_b = find(a), find(b)
        if root_a != root_b:
            first, second = sorted((root_a, root_b), key=sources.index)
            parent[second] = first
    return pd.Series({s: find(s) for s in sources}, name="group", dtype=object)
