"""Story detection: which articles of a corpus report the same event.

Each article is one unit vector (the mean of its sentence embeddings, so detection embeds nothing
the comparisons would not embed anyway) and, when known, a publication time. Two articles'
*similarity* is their cosine if they were published at most ``window`` days apart (or either date
is unknown), and 0 otherwise: articles a week apart are taken to be different stories however alike
their words.

Stories are the clusters of average-link agglomerative clustering on that similarity, cut at
``threshold``: two groups join while the mean similarity over all their pairs is at least
``threshold``. It is computed without any article-by-article matrix:

1. *Candidate edges.* For every article its ``neighbors`` most similar articles at or above
   ``threshold``: exactly, in row blocks of at most ``max_pairs`` similarities, or (``index="hnsw"``,
   large corpora) from an approximate nearest-neighbour index (hnswlib), filtered by the window.
2. *Components.* Two groups can only join if some pair across them reaches ``threshold`` (a mean
   cannot exceed its largest term), so no story crosses a connected component of those edges.
3. *Average link per component.* A component of at most ``max_block`` articles (default
   ``sqrt(max_pairs)``) is clustered exactly on its full similarity matrix (scipy); a larger one
   by scikit-learn with ``connectivity`` set to each member's ``neighbors`` nearest members in the
   component (whatever their similarity), where the mean runs over those pairs only.

With the exact candidate search and no component above the bound, the stories equal those of
average-link clustering of the whole corpus at once.

``threshold="auto"`` picks the cut from the corpus itself, with no labels: pairs published more than
:data:`NULL_GAP_DAYS` apart are almost surely different stories, so their similarities show how alike
*unrelated* articles of this corpus are; the threshold is the quantile of that null distribution
that leaves :data:`FALSE_LINKS` expected false links per article among the articles within its
window. An undated or small corpus (fewer than :data:`MIN_NULL_PAIRS` such pairs) uses
:data:`FALLBACK_THRESHOLD`.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from narrativediff.exceptions import (
    InvalidParameterError,
    MissingDependencyError,
    check_count,
)

__all__ = [
    "DEFAULT_WINDOW_DAYS",
    "FALLBACK_THRESHOLD",
    "FALSE_LINKS",
    "INDEXES",
    "MIN_NULL_PAIRS",
    "NULL_GAP_DAYS",
    "StoryLabels",
    "auto_threshold",
    "candidate_edges",
    "detect_stories",
]

#: Cut used when the corpus cannot show its own null distribution (undated, or too few dated pairs).
FALLBACK_THRESHOLD = 0.7
#: Articles further apart than this are taken as different stories when estimating the null.
NULL_GAP_DAYS = 30.0
#: Expected false links per article that ``threshold="auto"`` allows.
FALSE_LINKS = 0.05
#: Fewest null pairs from which ``threshold="auto"`` estimates a quantile.
MIN_NULL_PAIRS = 500
_NULL_SAMPLE = 20_000
_AUTO_RANGE = (0.5, 0.9)
#: Articles published further apart than this many days are never one story (``window=``).
DEFAULT_WINDOW_DAYS = 7.0
INDEXES = ("auto", "exact", "hnsw")
#: ``index="auto"`` uses the approximate index from this many articles on.
HNSW_FROM = 20_000


class StoryLabels(NamedTuple):
    """What :func:`detect_stories` found: a label per article and how it chose them."""

    labels: np.ndarray          # int, one per article, 0..S-1 numbered by first appearance
    threshold: float            # the cut used
    threshold_rule: str         # "given", "auto: null quantile" or "auto: fallback"
    index: str                  # "exact" or "hnsw"
    largest_block: int          # the most articles clustered on one exact matrix


def _in_window(days_a: np.ndarray, days_b: np.ndarray, window: float | None) -> np.ndarray:
    """Broadcast: may articles with these dates be one story? Unknown dates never rule it out."""
    if window is None:
        return np.ones(np.broadcast_shapes(days_a.shape, days_b.shape), dtype=bool)
    gap = np.abs(days_a - days_b)
    return ~(gap > window)  # NaN gaps compare False, so unknown dates stay in


def _windowed(similarity: np.ndarray, days_a, days_b, window) -> np.ndarray:
    return np.where(_in_window(days_a, days_b, window), similarity, 0.0)


def _exact_edges(vectors, days, *, window, neighbors, threshold, max_pairs):
    n = len(vectors)
    step = max(1, max_pairs // max(n, 1))
    rows, cols, sims = [], [], []
    for start in range(0, n, step):
        stop = min(n, start + step)
        block = vectors[start:stop] @ vectors.T
        block = _windowed(block, days[start:stop, None], days[None, :], window)
        block[np.arange(stop - start), np.arange(start, stop)] = -np.inf
        keep = min(neighbors, n - 1)
        if keep <= 0:
            continue
        top = np.argpartition(-block, keep - 1, axis=1)[:, :keep] if keep < n else np.argsort(-block, axis=1)
        values = np.take_along_axis(block, top, axis=1)
        good = values >= threshold
        local, which = np.nonzero(good)
        rows.append(local + start)
        cols.append(top[local, which])
        sims.append(values[local, which])
    if not rows:
        return np.zeros(0, int), np.zeros(0, int), np.zeros(0, np.float32)
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(sims)


def _hnsw_edges(vectors, days, *, window, neighbors, threshold, seed):
    try:
        import hnswlib
    except ImportError:
        raise MissingDependencyError(
            "index='hnsw' needs hnswlib; install it with `pip install narrativediff[corpus]`."
        ) from None
    n, dim = vectors.shape
    index = hnswlib.Index(space="ip", dim=dim)
    index.init_index(max_elements=n, ef_construction=200, M=16, random_seed=seed)
    index.set_num_threads(1)  # deterministic build order, so reruns give the same stories
    index.add_items(vectors, np.arange(n))
    # Neighbours outside the window are dropped after the query, so ask for more when dates narrow it.
    asked = min(n, neighbors * (4 if window is not None and np.isfinite(days).any() else 1) + 1)
    index.set_ef(max(2 * asked, 64))
    rows, cols, sims = [], [], []
    for start in range(0, n, 4096):
        labels, distances = index.knn_query(vectors[start:start + 4096], k=asked)
        labels = labels.astype(np.int64)
        local = np.arange(len(labels))[:, None] + start
        values = 1.0 - distances  # hnswlib's "ip" distance is 1 - inner product
        values = _windowed(values, days[local], days[labels], window)
        values[labels == local] = -np.inf
        order = np.argsort(-values, axis=1)[:, :neighbors]
        labels = np.take_along_axis(labels, order, axis=1)
        values = np.take_along_axis(values, order, axis=1)
        r, c = np.nonzero(values >= threshold)
        rows.append(local[r, 0])
        cols.append(labels[r, c])
        sims.append(values[r, c])
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(sims)


def candidate_edges(vectors, days, *, threshold, window=DEFAULT_WINDOW_DAYS, neighbors=20, index="exact",
                    max_pairs=4_000_000, seed=0):
    """Each article's up to ``neighbors`` most similar articles at or above ``threshold``.

    Returns
    -------
    rows, cols : ndarray of int
        Article positions of each edge (both directions may appear).
    similarity : ndarray of float
    """
    if index == "hnsw":
        return _hnsw_edges(vectors, days, window=window, neighbors=neighbors, threshold=threshold, seed=seed)
    return _exact_edges(vectors, days, window=window, neighbors=neighbors, threshold=threshold,
                        max_pairs=max_pairs)


def auto_threshold(vectors, days, *, window=DEFAULT_WINDOW_DAYS, seed=0) -> tuple[float, str]:
    """The cut ``threshold="auto"`` uses, and which rule gave it (see the module docstring)."""
    n = len(vectors)
    known = np.flatnonzero(np.isfinite(days))
    if len(known) < 2:
        return FALLBACK_THRESHOLD, "auto: fallback"
    rng = np.random.default_rng(seed)
    first = known[rng.integers(0, len(known), _NULL_SAMPLE * 4)]
    second = known[rng.integers(0, len(known), _NULL_SAMPLE * 4)]
    far = np.abs(days[first] - days[second]) > NULL_GAP_DAYS
    pairs = np.unique(np.sort(np.stack([first[far], second[far]], axis=1), axis=1), axis=0)[:_NULL_SAMPLE]
    if len(pairs) < MIN_NULL_PAIRS:
        return FALLBACK_THRESHOLD, "auto: fallback"
    null = np.einsum("ij,ij->i", vectors[pairs[:, 0]], vectors[pairs[:, 1]])
    # Articles an article could be linked to: those within its window (every other one when undated).
    if window is None:
        reachable = n - 1.0
    else:
        ordered = np.sort(days[known])
        inside = np.searchsorted(ordered, ordered + window, "right") - np.searchsorted(ordered, ordered - window)
        reachable = float(np.mean(inside - 1)) + (n - len(known))
    reachable = max(reachable, 1.0)
    quantile = max(0.0, 1.0 - FALSE_LINKS / reachable)
    low, high = _AUTO_RANGE
    return float(np.clip(np.quantile(null, quantile), low, high)), "auto: null quantile"


def _average_link(vectors, days, members, *, window, threshold) -> np.ndarray:
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    if len(members) == 1:
        return np.zeros(1, dtype=int)
    block = vectors[members] @ vectors[members].T
    block = _windowed(block, days[members, None], days[None, members], window)
    distance = np.clip(1.0 - block, 0.0, 2.0)
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform(distance, checks=False), method="average")
    # fcluster keeps merges at height <= t; a similarity of exactly threshold joins.
    return fcluster(tree, t=1.0 - threshold + 1e-9, criterion="distance") - 1


def _sparse_average_link(vectors, days, members, *, window, neighbors, threshold, max_pairs) -> np.ndarray:
    from scipy.sparse import coo_matrix
    from sklearn.cluster import AgglomerativeClustering

    # Every member's nearest neighbours in the component whatever their similarity: linking on the
    # edges at or above the threshold alone would make every mean pass it.
    local_rows, local_cols, _ = _exact_edges(vectors[members], days[members], window=window, neighbors=neighbors,
                                             threshold=-np.inf, max_pairs=max_pairs)
    m = len(members)
    graph = coo_matrix((np.ones(len(local_rows)), (local_rows, local_cols)), shape=(m, m)).tocsr()
    graph = graph + graph.T
    model = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average", connectivity=graph,
                                    distance_threshold=1.0 - threshold, compute_full_tree=True)
    return model.fit_predict(vectors[members])


def detect_stories(vectors, days=None, *, threshold="auto", window=DEFAULT_WINDOW_DAYS, neighbors=20,
                   index="auto", max_pairs=4_000_000, max_block=None, seed=0) -> StoryLabels:
    """Group articles into stories (see the module docstring for the method).

    Parameters
    ----------
    vectors : ndarray, shape (n, dim)
        One unit vector per article.
    days : ndarray, shape (n,), optional
        Publication time in days (any origin), NaN when unknown.
    threshold : float or "auto", default "auto"
        The average-link cut on cosine similarity.
    window : float or None, default 7.0
        Days beyond which two articles are never one story; ``None`` ignores dates.
    neighbors : int, default 20
        Candidate neighbours kept per article.
    index : {"auto", "exact", "hnsw"}, default "auto"
        Exact blockwise search, or hnswlib's approximate index (``"auto"``: from
        :data:`HNSW_FROM` articles on).
    max_pairs : int, default 4,000,000
        The most similarities held at once in the neighbour search (16 MB of float32).
    max_block : int, optional
        The largest component clustered exactly on its full matrix (default ``sqrt(max_pairs)``);
        larger ones are linked over each member's ``neighbors`` nearest members only.
    seed : int, default 0

    Returns
    -------
    StoryLabels

    Examples
    --------
    >>> import numpy as np
    >>> v = np.array([[1, 0], [0.99, 0.141], [0, 1]], dtype=np.float32)
    >>> v /= np.linalg.norm(v, axis=1, keepdims=True)
    >>> detect_stories(v, threshold=0.9).labels.tolist()
    [0, 0, 1]
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    if index not in INDEXES:
        raise InvalidParameterError(f"index must be one of {', '.join(map(repr, INDEXES))}; got {index!r}.")
    check_count("neighbors", neighbors)
    check_count("max_pairs", max_pairs)
    if window is not None and (isinstance(window, bool) or not isinstance(window, (int, float))
                               or not window >= 0):
        raise InvalidParameterError(f"window must be None or a number of days >= 0; got {window!r}.")
    vectors = np.asarray(vectors, dtype=np.float32)
    n = len(vectors)
    days = np.full(n, math.nan) if days is None else np.asarray(days, dtype=float)
    if threshold == "auto":
        threshold, rule = auto_threshold(vectors, days, window=window, seed=seed)
    else:
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not -1 <= threshold <= 1:
            raise InvalidParameterError(f"threshold must be 'auto' or a cosine in [-1, 1]; got {threshold!r}.")
        threshold, rule = float(threshold), "given"
    chosen = ("hnsw" if n >= HNSW_FROM else "exact") if index == "auto" else index
    if n == 0:
        return StoryLabels(np.zeros(0, int), threshold, rule, chosen, 0)
    rows, cols, _ = candidate_edges(vectors, days, threshold=threshold, window=window, neighbors=neighbors,
                                    index=chosen, max_pairs=max_pairs, seed=seed)
    graph = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    count, component = connected_components(graph, directed=False)
    labels = np.full(n, -1, dtype=np.int64)
    bound = max(2, math.isqrt(max_pairs) if max_block is None else int(max_block))
    largest, next_label = 1, 0
    order = np.argsort(component, kind="stable")
    starts = np.searchsorted(component[order], np.arange(count + 1))
    for c in range(count):
        members = order[starts[c]:starts[c + 1]]
        if len(members) <= bound:
            local = _average_link(vectors, days, members, window=window, threshold=threshold)
            largest = max(largest, len(members))
        else:
            local = _sparse_average_link(vectors, days, members, window=window, neighbors=neighbors,
                                         threshold=threshold, max_pairs=max_pairs)
        labels[members] = local + next_label
        next_label += int(local.max()) + 1
    # Number stories by their first article, so labels do not depend on component order.
    _, first = np.unique(labels, return_index=True)
    renumber = np.empty(next_label, dtype=np.int64)
    renumber[labels[np.sort(first)]] = np.arange(len(first))
    return StoryLabels(renumber[labels], threshold, rule, chosen, largest)
