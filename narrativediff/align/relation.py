"""How two sentences relate: the same claim, one containing the other, a contradiction, or only the topic.

The MRPC-fitted same-claim calibrator (:mod:`narrativediff.align.model`) reads surface overlap, so
the same claim told with other words ("the top US diplomat plans to threaten Beijing" against
"urging China to cease support") falls below its cut-off. This module scores a pair on what it
claims: beside the embedding cosine of the full sentences it embeds their content views
(:mod:`narrativediff.align.content`: framing devices masked, aliases mapped to one name) and
compares what the views name (actors, numbers, negation, content stems). A
:class:`RelationClassifier` turns these features into four probabilities:

``same_claim``     both sentences make the same claim, however told
``overlap``        they share a claim and one (or each) also makes another (headline against lead)
``contradiction``  the same subject with an opposite or incompatible claim ("has not supplied
                   weapons" against "is supplying weapons", another figure for the same quantity)
``related``        the same topic, another claim

Use :func:`relate_pairs` for a list of pairs and :func:`same_claim_matrix` for every pair of a set
of sentences (claim grouping), both vectorised over pairs. The fitted parameters ship in
``narrativediff/data/relation_model.json`` (written by ``python -m training.fit_relation``, which
records the data, split, date and metrics) and are read on first use.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from numbers import Real

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils._param_validation import Interval, StrOptions

from narrativediff._logistic import sigmoid
from narrativediff.align.features import _row_dot
from narrativediff.exceptions import InvalidInputError, NotFittedError

__all__ = [
    "RELATIONS", "FEATURES", "RelationClassifier", "PairIndex", "relation_features",
    "relation_feature_block", "relate_pairs", "same_claim_matrix", "default_relation_model",
    "fit_relation_model", "f1_cutoff", "DEFAULT_MODEL_FILE",
]

#: The relations, in the order of :attr:`RelationClassifier.classes_` and ``predict_proba``'s columns.
RELATIONS = ("same_claim", "overlap", "contradiction", "related")
#: The label of a training pair known not to be the same claim, relation unknown (MRPC, STS-B
#: negatives): it trains the same-claim decision only.
DIFFERENT = "different"
#: Pair features, in the order of the columns :func:`relation_features` returns.
FEATURES = (
    "cosine",               # embedding cosine of the full sentences
    "content_cosine",       # embedding cosine of the content views
    "stem_jaccard",         # shared content stems / all content stems
    "containment",          # shared content stems / stems of the shorter view
    "length_ratio",         # content stems of the shorter / of the longer
    "actor_agreement",      # shared actor groups / all actor groups (1 when neither names one)
    "actor_conflict",       # both name actors, none in common
    "number_agreement",     # shared numbers / all numbers (1 when neither has one)
    "number_conflict",      # both have numbers, none in common
    "polarity_mismatch",    # one is negated or denied, the other not
    "mismatch_similarity",  # polarity_mismatch * content_cosine: a close pair with opposite polarity
    "conflict_similarity",  # number_conflict * content_cosine
    "soft_coverage_min",    # word-level soft match, the less covered direction (see _soft_coverage)
    "soft_coverage_max",    # the better covered direction: high max and low min is one containing the other
    "soft_worst",           # the worst-matched content word of either side (a swapped name or verb)
    "actor_difference",     # actor groups named on one side only / all actor groups (0 when none)
    "number_mismatch",      # both have numbers and one has a number the other lacks
)
DEFAULT_MODEL_FILE = "data/relation_model.json"


# --- features -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class PairIndex:
    """What the relation features need of a list of sentences, built once.

    Attributes
    ----------
    texts, views : tuple of str
        The sentences and their content views.
    vectors, view_vectors : ndarray of shape (n, dim)
        Unit embeddings of the sentences and of their content views.
    stems, actors, numbers : scipy.sparse.csr_matrix
        Incidence of content stems, actor groups and numbers (one row per sentence).
    n_stems, n_actors, n_numbers : ndarray
        Row sums of the three.
    polarity : ndarray of int
        ``1`` affirmed, ``-1`` negated or denied.
    word_vectors : ndarray of shape (n_words, dim)
        Unit embeddings of the distinct content words of all views (each word embedded alone).
    word_ids : tuple of ndarray of int
        Each sentence's content words, as rows of ``word_vectors``.
    """

    texts: tuple
    views: tuple
    vectors: np.ndarray
    view_vectors: np.ndarray
    stems: object
    actors: object
    numbers: object
    n_stems: np.ndarray
    n_actors: np.ndarray
    n_numbers: np.ndarray
    polarity: np.ndarray
    word_vectors: np.ndarray
    word_ids: tuple

    @classmethod
    def from_texts(cls, texts, encoder=None, *, cache=None, lexicon=None, read=None) -> "PairIndex":
        """Analyse and embed ``texts``: each distinct sentence, content view and content word once.

        A content view is embedded as a text of its own, so that the model reads the claim without
        the telling; each distinct content word is embedded alone (a short text, kept by the cache
        for every later comparison). Pooling the view's words from the sentence's own pass instead
        saves that second pass but lost held-out quality (see ``docs/alignment.md``).

        Parameters
        ----------
        texts : sequence of str
        encoder : Encoder, SentenceTransformer, str or None
            As ``model=`` of :func:`narrativediff.compare`; ``None`` is the bundled model.
        cache : EmbeddingCache, optional
            Where sentence and word vectors are looked up and kept; ``None`` is the process-wide one.
        lexicon : Lexicon, optional
            For the content views; ``None`` is the default lexicon.
        read : array-like of bool, optional
            Which texts the content analysis reads (the English ones: its lexicons are English).
            A text not read is its own view, with no content words, actors or numbers, so nothing
            more is embedded for it; its pairs' features are not meant to be used
            (:meth:`RelationClassifier.cosine_proba` scores them). ``None`` reads every text.
        """
        from scipy import sparse

        from narrativediff.align.content import content_view
        from narrativediff.embed import embed_texts, get_encoder

        texts = tuple(texts)
        for k, text in enumerate(texts):
            if not isinstance(text, str):
                raise InvalidInputError(f"every text must be a string; item {k} is {type(text).__name__}.")
        encoder = get_encoder(encoder)
        read = np.ones(len(texts), dtype=bool) if read is None else np.asarray(read, dtype=bool)
        if read.shape != (len(texts),):
            raise InvalidInputError(f"read must hold one flag per text ({len(texts)}); got shape {read.shape}.")
        analysed = [content_view(t, lexicon=lexicon) if keep else _unread(t) for t, keep in zip(texts, read)]
        views = tuple(v.text for v in analysed)
        unique = list(dict.fromkeys(texts + views))
        position = {t: i for i, t in enumerate(unique)}
        vectors = embed_texts(unique, encoder, cache=cache) if unique else np.zeros((0, 1), np.float32)
        dim = vectors.shape[1]
        vocabulary = list(dict.fromkeys(w for v in analysed for w in v.words))
        word_position = {w: i for i, w in enumerate(vocabulary)}
        word_vectors = (embed_texts(vocabulary, encoder, cache=cache) if vocabulary
                        else np.zeros((0, dim), np.float32))
        word_ids = tuple(np.array([word_position[w] for w in v.words], dtype=np.intp) for v in analysed)

        def incidence(sets):
            vocab: dict = {}
            rows, cols = [], []
            for r, items in enumerate(sets):
                for item in items:
                    rows.append(r)
                    cols.append(vocab.setdefault(item, len(vocab)))
            data = np.ones(len(rows), dtype=np.float32)
            return sparse.csr_matrix((data, (rows, cols)), shape=(len(sets), max(len(vocab), 1)))

        stems = incidence([v.stems for v in analysed])
        actors = incidence([v.actors for v in analysed])
        numbers = incidence([v.numbers for v in analysed])
        return cls(
            texts=texts, views=views,
            vectors=vectors[[position[t] for t in texts]] if texts else vectors,
            view_vectors=vectors[[position[v] for v in views]] if texts else vectors,
            stems=stems, actors=actors, numbers=numbers,
            n_stems=np.asarray(stems.sum(axis=1)).ravel(), n_actors=np.asarray(actors.sum(axis=1)).ravel(),
            n_numbers=np.asarray(numbers.sum(axis=1)).ravel(),
            polarity=np.array([v.polarity for v in analysed], dtype=np.int8),
            word_vectors=np.asarray(word_vectors, dtype=np.float32), word_ids=word_ids,
        )

    def __len__(self) -> int:
        return len(self.texts)


def _unread(text: str):
    """The view of a text the content analysis does not read: the text itself, naming nothing."""
    from narrativediff.align.content import ContentView

    empty = frozenset()
    return ContentView(text=text, actors=empty, numbers=empty, negations=0, denials=0, stems=empty, masked=())


def _ratio(num, den, empty: float):
    num, den = np.broadcast_arrays(np.asarray(num, dtype=np.float64), np.asarray(den, dtype=np.float64))
    return np.divide(num, den, out=np.full(num.shape, empty), where=den > 0)


def _combine(cos, ccos, s_shared, s_a, s_b, a_shared, a_a, a_b, n_shared, n_a, n_b, pol_a, pol_b,
             cover_ab, cover_ba, worst_ab, worst_ba) -> list:
    s_union = s_a + s_b - s_shared
    shorter, longer = np.minimum(s_a, s_b), np.maximum(s_a, s_b)
    a_union = a_a + a_b - a_shared
    n_union = n_a + n_b - n_shared
    actor_conflict = ((a_a > 0) & (a_b > 0) & (a_shared == 0)).astype(np.float64)
    number_conflict = ((n_a > 0) & (n_b > 0) & (n_shared == 0)).astype(np.float64)
    mismatch = (pol_a != pol_b).astype(np.float64)
    ccos = np.asarray(ccos, dtype=np.float64)
    return [
        np.asarray(cos, dtype=np.float64), ccos,
        _ratio(s_shared, s_union, 0.0), _ratio(s_shared, shorter, 0.0), _ratio(shorter, longer, 1.0),
        _ratio(a_shared, a_union, 1.0), actor_conflict * np.ones_like(ccos),
        _ratio(n_shared, n_union, 1.0), number_conflict * np.ones_like(ccos),
        mismatch * np.ones_like(ccos), mismatch * ccos, number_conflict * ccos,
        np.minimum(cover_ab, cover_ba), np.maximum(cover_ab, cover_ba), np.minimum(worst_ab, worst_ba),
        _ratio(a_union - a_shared, a_union, 0.0),
        ((n_a > 0) & (n_b > 0) & ((n_a > n_shared) | (n_b > n_shared))).astype(np.float64) * np.ones_like(ccos),
    ]


def _soft_coverage(index: PairIndex, rows_a, rows_b) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Word-level soft overlap of each pair, both ways: ``(mean_ab, mean_ba, worst_ab, worst_ba)``.

    ``mean_ab`` is the mean over a's content words of each one's best cosine to one of b's words,
    ``worst_ab`` the lowest of those: a soft, one-directional word overlap ("reviving" meets
    "revitalising", "arms" meets "weapons"); 0 when either side has no content word. The pairs
    are taken a sentence ``a`` at a time: one product of its words against the distinct words of
    all its partners gives both directions (the best match of each of a's words per partner, and
    of each partner word among a's words). The block form (:func:`_segment_best`) gives the same
    values.
    """
    rows_a, rows_b = np.asarray(rows_a, dtype=np.intp), np.asarray(rows_b, dtype=np.intp)
    mean_ab, mean_ba = np.zeros(len(rows_a)), np.zeros(len(rows_a))
    worst_ab, worst_ba = np.zeros(len(rows_a)), np.zeros(len(rows_a))
    if not len(rows_a):
        return mean_ab, mean_ba, worst_ab, worst_ba
    vectors = index.word_vectors
    lengths = np.array([len(ids) for ids in index.word_ids], dtype=np.intp)
    order = np.argsort(rows_a, kind="stable")
    ordered_a, ordered_b = rows_a[order], rows_b[order]
    bounds = np.flatnonzero(np.r_[True, ordered_a[1:] != ordered_a[:-1], True])
    with _one_blas_thread():
        for start, end in zip(bounds[:-1], bounds[1:]):
            words_a = index.word_ids[ordered_a[start]]
            partners = ordered_b[start:end]
            has = lengths[partners] > 0
            if not len(words_a) or not has.any():
                continue
            partners = partners[has]
            columns = np.concatenate([index.word_ids[j] for j in partners])
            distinct, inverse = np.unique(columns, return_inverse=True)
            starts = np.r_[0, np.cumsum(lengths[partners])[:-1]]
            # (a's words, partners' words): each distinct word's cosine once
            similarity = (vectors[words_a] @ vectors[distinct].T)[:, inverse]
            best_a = np.maximum.reduceat(similarity, starts, axis=1)  # a's words, best per partner
            best_b = similarity.max(axis=0)  # each partner word's best among a's words
            positions = order[start:end][has]
            mean_ab[positions] = best_a.mean(axis=0)
            worst_ab[positions] = best_a.min(axis=0)
            mean_ba[positions] = np.add.reduceat(best_b, starts) / lengths[partners]
            worst_ba[positions] = np.minimum.reduceat(best_b, starts)
    return mean_ab, mean_ba, worst_ab, worst_ba


def _one_blas_thread():
    """A context in which BLAS uses one thread: for many small products, where a second thread
    only waits (and on a busy machine makes them many times slower)."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")


def _segment_best(index: PairIndex, rows, columns, chunk: int = 64) -> tuple[np.ndarray, np.ndarray]:
    """``(len(rows), len(columns))`` twice: mean and minimum over each row sentence's words of the best match in each column sentence."""
    vectors = index.word_vectors
    out = np.zeros((len(rows), len(columns)))
    low = np.zeros((len(rows), len(columns)))
    cols = [c for c in columns if len(index.word_ids[c])]
    col_pos = np.array([k for k, c in enumerate(columns) if len(index.word_ids[c])], dtype=np.intp)
    if not cols:
        return out, low
    col_ids = np.concatenate([index.word_ids[c] for c in cols])
    col_starts = np.cumsum([0] + [len(index.word_ids[c]) for c in cols[:-1]])
    col_matrix = vectors[col_ids].T
    for start in range(0, len(rows), chunk):
        part = [r for r in rows[start:start + chunk]]
        has = [k for k, r in enumerate(part) if len(index.word_ids[r])]
        if not has:
            continue
        row_ids = np.concatenate([index.word_ids[part[k]] for k in has])
        row_starts = np.cumsum([0] + [len(index.word_ids[part[k]]) for k in has[:-1]])
        best = np.maximum.reduceat(vectors[row_ids] @ col_matrix, col_starts, axis=1)  # (row words, cols)
        sums = np.add.reduceat(best, row_starts, axis=0)
        counts = np.array([len(index.word_ids[part[k]]) for k in has], dtype=np.float64)[:, None]
        out[np.ix_(start + np.array(has), col_pos)] = sums / counts
        low[np.ix_(start + np.array(has), col_pos)] = np.minimum.reduceat(best, row_starts, axis=0)
    return out, low


def _swap(ab, ba):
    """``(mean_ab, mean_ba, worst_ab, worst_ba)`` from the two directions' ``(mean, worst)``."""
    return ab[0], ba[0], ab[1], ba[1]


def relation_features(index: PairIndex, rows_a, rows_b) -> np.ndarray:
    """Features of the pairs ``(rows_a[k], rows_b[k])`` of ``index``: shape ``(n_pairs, len(FEATURES))``.

    Every feature is symmetric in a and b.
    """
    rows_a = np.asarray(rows_a, dtype=np.intp)
    rows_b = np.asarray(rows_b, dtype=np.intp)
    if rows_a.shape != rows_b.shape or rows_a.ndim != 1:
        raise InvalidInputError(f"rows_a and rows_b must be 1-d of one length; got {rows_a.shape}, {rows_b.shape}.")
    if rows_a.size == 0:
        return np.zeros((0, len(FEATURES)))
    cos = np.einsum("ij,ij->i", index.vectors[rows_a], index.vectors[rows_b])
    ccos = np.einsum("ij,ij->i", index.view_vectors[rows_a], index.view_vectors[rows_b])
    columns = _combine(
        cos, ccos,
        _row_dot(index.stems, rows_a, rows_b), index.n_stems[rows_a], index.n_stems[rows_b],
        _row_dot(index.actors, rows_a, rows_b), index.n_actors[rows_a], index.n_actors[rows_b],
        _row_dot(index.numbers, rows_a, rows_b), index.n_numbers[rows_a], index.n_numbers[rows_b],
        index.polarity[rows_a], index.polarity[rows_b],
        *_soft_coverage(index, rows_a, rows_b),
    )
    return np.column_stack(columns)


def relation_feature_block(index: PairIndex, rows) -> list[np.ndarray]:
    """Features of every pair ``(rows[i], j)`` for all sentences ``j``: one ``(n_rows, n)`` matrix per feature."""
    rows = np.arange(len(index))[rows]

    def shared(m):
        return (m[rows] @ m.T).toarray()

    return _combine(
        index.vectors[rows] @ index.vectors.T, index.view_vectors[rows] @ index.view_vectors.T,
        shared(index.stems), index.n_stems[rows][:, None], index.n_stems[None, :],
        shared(index.actors), index.n_actors[rows][:, None], index.n_actors[None, :],
        shared(index.numbers), index.n_numbers[rows][:, None], index.n_numbers[None, :],
        index.polarity[rows][:, None], index.polarity[None, :],
        *_swap(_segment_best(index, rows, np.arange(len(index))),
               tuple(m.T for m in _segment_best(index, np.arange(len(index)), rows))),
    )


# --- the classifier -----------------------------------------------------------------------------

def f1_cutoff(score, truth) -> float:
    """The cut-off on ``score`` with the best F1 of ``score >= cutoff`` against ``truth`` (ties: the higher).

    Examples
    --------
    >>> f1_cutoff([0.9, 0.8, 0.3, 0.1], [1, 1, 0, 0])
    0.8
    """
    score = np.asarray(score, dtype=np.float64).ravel()
    truth = np.asarray(truth).astype(bool).ravel()
    order = np.argsort(-score, kind="stable")
    ranked, labels = score[order], truth[order]
    tp, fp = np.cumsum(labels), np.cumsum(~labels)
    last = np.r_[ranked[1:] != ranked[:-1], True]  # only cut between distinct scores
    f1 = 2 * tp[last] / (tp[last] + fp[last] + labels.sum())
    return float(ranked[last][int(np.argmax(f1))])


def _softmax(z):
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


class RelationClassifier(ClassifierMixin, BaseEstimator):
    """P(same claim, overlap, contradiction, related) of a sentence pair from :data:`FEATURES`.

    Two logistic regressions on standardised features, both inspectable: a binary one for
    "same claim or not" (trained on every pair, including those only known to be *different*),
    and a multinomial one that splits the rest into overlap, contradiction and related (trained
    on pairs with one of those labels). ``predict_proba`` multiplies them out, so the columns sum
    to one and ``p_same_claim`` is the first.

    Parameters
    ----------
    C : float, default 1.0
        Inverse L2 strength of the same-claim regression.
    C_relation : float, default 1.0
        Inverse L2 strength of the overlap / contradiction / related regression.
    class_weight : None or "balanced", default "balanced"
        Class weights of the second regression (contradictions are rare).
    same_exclude : tuple of str, default ()
        Features the same-claim regression leaves out. Leaving out the full-sentence cosine (which
        moves with every framing device, where the content cosine does not) was measured and not
        kept: grouped CV same-claim F1 0.630 against 0.645, held-out framing rewrites kept 0.899
        against 0.878 (``python -m training.fit_relation --compare``).

    Attributes
    ----------
    classes_ : ndarray of str
        :data:`RELATIONS`.
    mean_, scale_ : ndarray of shape (n_features,)
        Standardisation of the features.
    coef_same_ : ndarray of shape (n_features,)
        Weights of the same-claim regression on standardised features; ``intercept_same_``.
    coef_relation_ : ndarray of shape (3, n_features)
        Weights of overlap, contradiction, related; ``intercept_relation_``.
    threshold_ : float
        ``p_same_claim`` at or above which :meth:`predict` says ``same_claim``: the cut-off with
        the best F1 on the in-domain (team-labelled) training pairs, or on all when none are marked.
    coef_cosine_, intercept_cosine_ : float
        A logistic regression of "same claim or overlap" on the sentence cosine alone (standardised
        as the ``cosine`` feature): :meth:`cosine_proba`, for pairs whose words the features cannot
        read (a sentence in another language).
    n_features_in_ : int
    provenance_ : dict
        Data, split, date, metrics; written with the parameters.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = rng.random((60, len(FEATURES)))
    >>> y = np.array(["same_claim", "overlap", "contradiction", "related", "different"] * 12)
    >>> X[y == "same_claim", 1] += 2
    >>> model = RelationClassifier().fit(X, y)
    >>> model.predict_proba(X).shape, list(model.classes_)[0]
    ((60, 4), 'same_claim')
    >>> bool(model.predict_proba(X)[0, 0] > model.predict_proba(X)[1, 0])
    True
    """

    _parameter_constraints = {
        "C": [Interval(Real, 0, None, closed="neither")],
        "C_relation": [Interval(Real, 0, None, closed="neither")],
        "class_weight": [None, StrOptions({"balanced"})],
        "same_exclude": [tuple, list],
    }

    def __init__(self, *, C: float = 1.0, C_relation: float = 1.0, class_weight="balanced",
                 same_exclude=()):
        self.C = C
        self.C_relation = C_relation
        self.class_weight = class_weight
        self.same_exclude = same_exclude

    def _check_X(self, X) -> np.ndarray:
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != len(FEATURES):
            raise InvalidInputError(f"X must have one column per feature in FEATURES ({len(FEATURES)}); got shape {X.shape}.")
        return X

    def fit(self, X, y, *, sample_weight=None, threshold_mask=None, cosine_mask=None,
            provenance: dict | None = None):
        """Fit on pair features and relation labels.

        Parameters
        ----------
        X : array-like of shape (n_pairs, len(FEATURES))
        y : array-like of str
            One of :data:`RELATIONS`, or ``"different"`` (not the same claim, relation unknown).
        sample_weight : array-like, optional
        threshold_mask : array-like of bool, optional
            The pairs whose F1 picks ``threshold_`` (the in-domain ones); ``None`` uses all.
        cosine_mask : array-like of bool, optional
            The pairs :meth:`cosine_proba` is fitted on; ``None`` uses every pair labelled with one
            of :data:`RELATIONS` (not ``"different"``) within ``threshold_mask``.
        provenance : dict, optional
            Kept in ``provenance_`` and saved with the model.

        Returns
        -------
        self
        """
        from sklearn.linear_model import LogisticRegression

        from narrativediff.fitted import make_provenance

        self._validate_params()
        X = self._check_X(X)
        y = np.asarray(y, dtype=object)
        unknown = sorted(set(y) - set(RELATIONS) - {DIFFERENT})
        if unknown:
            raise InvalidInputError(f"y must hold {RELATIONS + (DIFFERENT,)}; got {unknown}.")
        weight = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
        self.mean_ = X.mean(axis=0)
        self.scale_ = np.where(X.std(axis=0) > 1e-12, X.std(axis=0), 1.0)
        Z = (X - self.mean_) / self.scale_
        same = y == "same_claim"
        unknown_features = sorted(set(self.same_exclude) - set(FEATURES))
        if unknown_features:
            from narrativediff.exceptions import InvalidParameterError

            raise InvalidParameterError(f"same_exclude must name features of FEATURES; got {unknown_features}.")
        used = np.array([name not in self.same_exclude for name in FEATURES])
        first = LogisticRegression(C=self.C, max_iter=2000).fit(Z[:, used], same, sample_weight=weight)
        self.coef_same_ = np.zeros(len(FEATURES))
        self.coef_same_[used] = first.coef_.ravel()
        self.intercept_same_ = float(first.intercept_[0])
        rest = np.isin(y, RELATIONS[1:])
        if len(set(y[rest])) < 3:
            raise InvalidInputError("y must hold at least one overlap, contradiction and related pair.")
        second = LogisticRegression(C=self.C_relation, max_iter=2000, class_weight=self.class_weight)
        second.fit(Z[rest], y[rest], sample_weight=weight[rest])
        order = [list(second.classes_).index(name) for name in RELATIONS[1:]]
        self.coef_relation_ = second.coef_[order]
        self.intercept_relation_ = second.intercept_[order]
        self.classes_ = np.array(RELATIONS, dtype=object)
        self.n_features_in_ = len(FEATURES)
        mask = np.ones(len(y), bool) if threshold_mask is None else np.asarray(threshold_mask, bool)
        self.threshold_ = f1_cutoff(self.predict_proba(X)[mask, 0], same[mask])
        cosine_rows = (mask & np.isin(y, RELATIONS)) if cosine_mask is None else np.asarray(cosine_mask, bool)
        joined = np.isin(y[cosine_rows], RELATIONS[:2])
        if joined.all() or not joined.any():
            raise InvalidInputError("the pairs cosine_proba is fitted on must hold same_claim or overlap pairs "
                                    "and pairs of another relation.")
        third = LogisticRegression(C=self.C, max_iter=2000).fit(Z[cosine_rows, :1], joined,
                                                                 sample_weight=weight[cosine_rows])
        self.coef_cosine_ = float(third.coef_[0, 0])
        self.intercept_cosine_ = float(third.intercept_[0])
        self.provenance_ = make_provenance(provenance)
        return self

    def _check_fitted(self):
        if not hasattr(self, "coef_same_"):
            raise NotFittedError("This RelationClassifier is not fitted yet; call fit() or use default_relation_model().")

    def _proba_columns(self, columns) -> list[np.ndarray]:
        """The four probabilities for feature arrays of any one shape (pairs or a block)."""
        self._check_fitted()
        z_same = np.full(np.shape(columns[0]), self.intercept_same_)
        z_rest = [np.full(np.shape(columns[0]), b) for b in self.intercept_relation_]
        for k, column in enumerate(columns):
            standard = (column - self.mean_[k]) / self.scale_[k]
            z_same = z_same + self.coef_same_[k] * standard
            for r in range(3):
                z_rest[r] = z_rest[r] + self.coef_relation_[r, k] * standard
        p_same = sigmoid(z_same)
        rest = _softmax(np.stack(z_rest, axis=-1))
        return [p_same] + [(1 - p_same) * rest[..., r] for r in range(3)]

    def predict_proba(self, X) -> np.ndarray:
        """``(n_pairs, 4)`` probabilities, columns in the order of ``classes_``."""
        X = self._check_X(X)
        return np.column_stack(self._proba_columns(list(X.T)))

    def predict(self, X) -> np.ndarray:
        """``same_claim`` where its probability reaches ``threshold_``, else the likeliest other relation."""
        proba = self.predict_proba(X)
        other = np.array(RELATIONS[1:], dtype=object)[np.argmax(proba[:, 1:], axis=1)]
        return np.where(proba[:, 0] >= self.threshold_, "same_claim", other)

    def cosine_proba(self, cosine) -> np.ndarray:
        """P(same claim or overlap) from the sentence cosine alone, for pairs the features cannot read.

        The relation features read English words (content views, actors, negation); for a pair
        with a sentence in another language only the embedding cosine means anything, and this is
        the model's estimate from it. It is the ``score="relation"`` claim score of such pairs.

        Parameters
        ----------
        cosine : array-like of float
            Embedding cosines of sentence pairs.

        Returns
        -------
        ndarray of float, the shape of ``cosine``
        """
        self._check_fitted()
        if not hasattr(self, "coef_cosine_"):
            raise NotFittedError("This RelationClassifier was saved without its cosine regression; refit it.")
        standard = (np.asarray(cosine, dtype=np.float64) - self.mean_[0]) / self.scale_[0]
        return sigmoid(self.intercept_cosine_ + self.coef_cosine_ * standard)

    def same_claim_proba_block(self, columns) -> np.ndarray:
        """``p_same_claim`` for feature matrices (:func:`relation_feature_block`), without the other three."""
        self._check_fitted()
        z = np.full(np.shape(columns[0]), self.intercept_same_)
        for k, column in enumerate(columns):
            z = z + self.coef_same_[k] * ((column - self.mean_[k]) / self.scale_[k])
        return sigmoid(z)

    # fitted.save / fitted.load hooks
    def _fitted_state(self) -> dict:
        self._check_fitted()
        return {"features": list(FEATURES), "classes_": list(self.classes_), "mean_": self.mean_,
                "scale_": self.scale_, "coef_same_": self.coef_same_, "intercept_same_": self.intercept_same_,
                "coef_relation_": self.coef_relation_, "intercept_relation_": self.intercept_relation_,
                "threshold_": self.threshold_,
                **({"coef_cosine_": self.coef_cosine_, "intercept_cosine_": self.intercept_cosine_}
                   if hasattr(self, "coef_cosine_") else {})}

    def _restore_fitted(self, state: dict) -> None:
        if list(state["features"]) != list(FEATURES) or list(state["classes_"]) != list(RELATIONS):
            raise InvalidInputError("the fitted relation model was made for other features or relations; refit it.")
        self.classes_ = np.array(RELATIONS, dtype=object)
        self.mean_ = np.asarray(state["mean_"], dtype=np.float64)
        self.scale_ = np.asarray(state["scale_"], dtype=np.float64)
        self.coef_same_ = np.asarray(state["coef_same_"], dtype=np.float64)
        self.intercept_same_ = float(state["intercept_same_"])
        self.coef_relation_ = np.asarray(state["coef_relation_"], dtype=np.float64).reshape(3, len(FEATURES))
        self.intercept_relation_ = np.asarray(state["intercept_relation_"], dtype=np.float64)
        self.threshold_ = float(state["threshold_"])
        if "coef_cosine_" in state:  # absent from files written before it existed
            self.coef_cosine_ = float(state["coef_cosine_"])
            self.intercept_cosine_ = float(state["intercept_cosine_"])
        self.n_features_in_ = len(FEATURES)

    def weights(self):
        """The fitted weights as a DataFrame (features by regression), for inspection."""
        import pandas as pd

        self._check_fitted()
        table = {"same_claim": self.coef_same_}
        table.update({name: self.coef_relation_[r] for r, name in enumerate(RELATIONS[1:])})
        return pd.DataFrame(table, index=list(FEATURES))


@lru_cache(maxsize=1)
def default_relation_model() -> RelationClassifier:
    """The relation model shipped with narrativediff, read once.

    Raises
    ------
    NotFittedError
        If the parameter file is missing from the installation.
    """
    from narrativediff import fitted

    return fitted.load(RelationClassifier, resources.files("narrativediff").joinpath(DEFAULT_MODEL_FILE))


# --- the public functions -----------------------------------------------------------------------

def _pair_index(texts_a, texts_b, encoder, cache, lexicon):
    texts = list(dict.fromkeys(list(texts_a) + list(texts_b)))
    position = {t: i for i, t in enumerate(texts)}
    index = PairIndex.from_texts(texts, encoder, cache=cache, lexicon=lexicon)
    return index, np.array([position[t] for t in texts_a], dtype=np.intp), \
        np.array([position[t] for t in texts_b], dtype=np.intp)


def relate_pairs(texts_a, texts_b, encoder=None, *, cache=None, model=None, lexicon=None):
    """The relation of each sentence pair ``(texts_a[k], texts_b[k])``.

    Parameters
    ----------
    texts_a, texts_b : sequence of str
        The two sentences of each pair; same length.
    encoder : Encoder, SentenceTransformer, str or None
        As ``model=`` of :func:`narrativediff.compare`; ``None`` is the bundled model. Each
        distinct sentence goes through it once.
    cache : EmbeddingCache, optional
        Where vectors are looked up and kept; ``None`` is the process-wide in-memory cache.
    model : RelationClassifier, optional
        ``None`` uses :func:`default_relation_model`.
    lexicon : Lexicon, optional
        For the content views; ``None`` is the default lexicon.

    Returns
    -------
    DataFrame
        One row per pair: ``relation`` (``same_claim`` when ``p_same_claim >= model.threshold_``,
        else the likeliest other), ``p_same_claim``, ``p_overlap``, ``p_contradiction``,
        ``p_related``, ``same_claim`` (bool), and the features ``cosine``, ``content_cosine``,
        ``containment``, ``actor_agreement``, ``actor_conflict``, ``number_conflict``,
        ``polarity_mismatch``.

    Raises
    ------
    InvalidInputError
        If the two lists differ in length or hold a non-string.

    Examples
    --------
    >>> table = relate_pairs(["The top US diplomat plans to threaten Beijing over weapons-related exports"],
    ...                      ["Urging China to Cease Support of Russian Defense Industry"])
    >>> list(table.columns[:5])
    ['relation', 'p_same_claim', 'p_overlap', 'p_contradiction', 'p_related']
    """
    import pandas as pd

    texts_a, texts_b = list(texts_a), list(texts_b)
    if len(texts_a) != len(texts_b):
        raise InvalidInputError(f"texts_a has {len(texts_a)} sentences but texts_b has {len(texts_b)}.")
    model = default_relation_model() if model is None else model
    index, rows_a, rows_b = _pair_index(texts_a, texts_b, encoder, cache, lexicon)
    X = relation_features(index, rows_a, rows_b)
    proba = model.predict_proba(X) if len(X) else np.zeros((0, 4))
    other = np.array(RELATIONS[1:], dtype=object)[np.argmax(proba[:, 1:], axis=1)] if len(X) else []
    same = proba[:, 0] >= model.threshold_
    table = pd.DataFrame({
        "relation": np.where(same, "same_claim", other) if len(X) else np.array([], dtype=object),
        "p_same_claim": proba[:, 0], "p_overlap": proba[:, 1], "p_contradiction": proba[:, 2],
        "p_related": proba[:, 3], "same_claim": same,
    })
    for name in ("cosine", "content_cosine", "containment", "actor_agreement", "actor_conflict",
                 "number_conflict", "polarity_mismatch"):
        table[name] = X[:, FEATURES.index(name)] if len(X) else np.zeros(0)
    return table


def same_claim_matrix(texts, encoder=None, *, cache=None, model=None, lexicon=None,
                      block_size: int = 1024) -> np.ndarray:
    """P(same claim) of every pair of ``texts``, an ``(n, n)`` symmetric matrix, computed in row blocks.

    Parameters
    ----------
    texts : sequence of str
    encoder, cache
        As in :func:`relate_pairs`.
    model : RelationClassifier, optional
    lexicon : Lexicon, optional
    block_size : int, default 1024
        Rows scored at once; memory grows with ``block_size * n``.

    Returns
    -------
    ndarray of shape (n, n), float64
        The diagonal is 1.
    """
    from narrativediff.exceptions import InvalidParameterError

    if not isinstance(block_size, (int, np.integer)) or block_size < 1:
        raise InvalidParameterError(f"block_size must be a positive integer; got {block_size!r}.")
    model = default_relation_model() if model is None else model
    index = PairIndex.from_texts(list(texts), encoder, cache=cache, lexicon=lexicon)
    n = len(index)
    out = np.empty((n, n))
    for start in range(0, n, block_size):
        rows = slice(start, min(start + block_size, n))
        out[rows] = model.same_claim_proba_block(relation_feature_block(index, rows))
    np.fill_diagonal(out, 1.0)
    return out


def fit_relation_model(texts_a, texts_b, relations, encoder=None, *, cache=None, sample_weight=None,
                       in_domain=None, cosine_mask=None, provenance: dict | None = None, lexicon=None,
                       **params) -> RelationClassifier:
    """Fit a :class:`RelationClassifier` on labelled sentence pairs.

    Parameters
    ----------
    texts_a, texts_b : sequence of str
    relations : sequence of str
        One of :data:`RELATIONS` or ``"different"`` per pair.
    encoder, cache
        As in :func:`relate_pairs`; use the encoder you will compare with.
    sample_weight : array-like, optional
    in_domain : array-like of bool, optional
        The pairs whose F1 picks the decision threshold.
    cosine_mask : array-like of bool, optional
        The pairs the cosine-only regression (:meth:`RelationClassifier.cosine_proba`) is fitted on.
    provenance : dict, optional
    lexicon : Lexicon, optional
    **params
        Passed to :class:`RelationClassifier`.
    """
    index, rows_a, rows_b = _pair_index(list(texts_a), list(texts_b), encoder, cache, lexicon)
    X = relation_features(index, rows_a, rows_b)
    return RelationClassifier(**params).fit(X, list(relations), sample_weight=sample_weight,
                                            threshold_mask=in_domain, cosine_mask=cosine_mask,
                                            provenance=provenance)
