"""The same-claim model: calibrated probability that two sentences report the same claim.

A logistic regression over the pair features of :mod:`narrativediff.align.features` (the embedding
cosine, word overlap, length ratio, number agreement) turns a similarity into ``P(same claim)``. The
parameters shipped in ``narrativediff/data/same_claim_calibration.json`` were fitted on MRPC train
(news sentence pairs from two different outlets, labelled by people outside the team) by
``python -m training.fit_same_claim``; the file records how. :meth:`SameClaimCalibrator.fit`
refits them on a user's own labels.

This module imports scikit-learn; the alignment functions import it only when they first need a
probability.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from numbers import Real

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions

from narrativediff import fitted
from narrativediff._logistic import BinaryLogisticClassifier, sigmoid
from narrativediff.align.features import FEATURES, TokenIndex, pair_features
from narrativediff.exceptions import InvalidInputError, check_choice

__all__ = ["SameClaimCalibrator", "best_cutoff", "fit_from_pairs", "default_calibrator", "DEFAULT_CALIBRATION"]

#: Where the shipped calibration lives inside the package.
DEFAULT_CALIBRATION = "data/same_claim_calibration.json"


class SameClaimCalibrator(BinaryLogisticClassifier):
    """Logistic model of P(two sentences report the same claim) from pair features.

    A scikit-learn classifier: ``clone``, ``get_params``/``set_params`` and ``Pipeline`` work, and
    ``predict_proba`` returns one column per class. Inside, ``fit`` runs a
    :class:`~sklearn.preprocessing.StandardScaler` and a
    :class:`~sklearn.linear_model.LogisticRegression`, then folds the scaling into the weights so
    that ``coef_`` applies to the raw features.

    Parameters
    ----------
    features : sequence of str, default FEATURES
        Which of :data:`~narrativediff.align.features.FEATURES` the model uses. ``X`` always has one
        column per feature of ``FEATURES`` (as :func:`pair_features` returns it); the others are
        ignored.
    C : float, default 1.0
        Inverse L2 regularisation strength of the logistic regression (on standardised features).
    decision : {"f1", "accuracy"}, default "f1"
        What the probability cut-off ``threshold_`` maximises on the fitting labels.

    Attributes
    ----------
    classes_ : ndarray of shape (2,)
        The labels; the second (``1`` / ``True``) is "same claim".
    coef_ : ndarray of shape (len(features),)
        Weights on the raw (unstandardised) features.
    intercept_ : float
    threshold_ : float
        Probability at or above which a pair is called the same claim (:meth:`predict`).
    n_features_in_ : int
        ``len(FEATURES)``, the columns ``X`` must have.
    n_samples_, n_positive_ : int
        Size of the data it was fitted on, and how many pairs were the same claim.
    provenance_ : dict
        How it was fitted (data, split, date, metrics, library versions); saved with it.

    Examples
    --------
    >>> import numpy as np
    >>> from narrativediff.align.model import SameClaimCalibrator, TokenIndex, pair_features
    >>> texts = ["China ships machine tools to Russia.", "Beijing sends machine tools to Moscow.",
    ...          "The G7 met in Capri.", "Yellen ended a visit to Beijing."]
    >>> index = TokenIndex.from_texts(texts)
    >>> X = pair_features(index, [0, 0, 1, 2], [1, 3, 2, 3], [0.8, 0.3, 0.25, 0.2])
    >>> model = SameClaimCalibrator().fit(X, [1, 0, 0, 0])
    >>> model.predict_proba(X).shape
    (4, 2)
    >>> bool(model.predict_proba(X)[0, 1] > model.predict_proba(X)[1, 1])
    True
    """

    _parameter_constraints = {
        "features": [list, tuple],
        "C": [Interval(Real, 0, None, closed="neither")],
        "decision": [StrOptions({"f1", "accuracy"})],
    }
    _extra_fitted = ("threshold_",)

    def __init__(self, *, features=FEATURES, C: float = 1.0, decision: str = "f1"):
        self.features = features
        self.C = C
        self.decision = decision

    def _check_params(self) -> None:
        self._check_names("features", self.features, FEATURES)

    def _columns(self) -> tuple[str, ...]:
        return tuple(self.features)

    def _design(self, X) -> np.ndarray:
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != len(FEATURES):
            raise InvalidInputError(
                f"X must have one column per feature in FEATURES ({len(FEATURES)}); got shape {X.shape}."
            )
        return X[:, [FEATURES.index(name) for name in self.features]]

    def _cutoff(self) -> float:
        return self.threshold_

    def fit(self, X, y, *, provenance: dict | None = None) -> "SameClaimCalibrator":
        """Fit on pair features and same-claim labels.

        Parameters
        ----------
        X : array-like of shape (n_pairs, len(FEATURES))
            Pair features, as :func:`pair_features` returns them.
        y : array-like of shape (n_pairs,)
            Two labels; the greater one (``1`` / ``True``) means the same claim.
        provenance : dict, optional
            How the labels were made (``data``, ``split``, ``metrics``, notes); kept in
            ``provenance_`` with the date and library versions, and written by :meth:`save`.

        Returns
        -------
        self
        """
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        self._validate_params()
        X = self._design(X)
        target = self._encode_labels(y, len(X))
        pipeline = make_pipeline(StandardScaler(), LogisticRegression(C=self.C, max_iter=1000)).fit(X, target)
        scaler, logistic = pipeline[0], pipeline[-1]
        weights = logistic.coef_.ravel()
        self._set_linear(weights / scaler.scale_,
                         logistic.intercept_[0] - np.sum(weights * scaler.mean_ / scaler.scale_),
                         provenance=provenance)
        self.n_features_in_ = len(FEATURES)
        self.threshold_ = best_cutoff(sigmoid(X @ self.coef_ + self.intercept_), target, criterion=self.decision)
        return self

    def predict_proba_matrices(self, matrices) -> np.ndarray:
        """P(same claim) for whole feature matrices at once: the fast path of alignment and claims.

        Parameters
        ----------
        matrices : sequence of ndarray
            One array per feature of ``FEATURES``, all of one shape, as
            :func:`~narrativediff.align.features.pair_feature_matrices` or ``pair_feature_block``
            return them.

        Returns
        -------
        ndarray
            ``P(same claim)`` (the positive class), of the matrices' shape.
        """
        self._check_fitted()
        z = np.full(np.shape(matrices[0]), self.intercept_, dtype=np.float64)
        for name, weight in zip(self.features, self.coef_):
            z += weight * matrices[FEATURES.index(name)]
        return sigmoid(z)


def best_cutoff(score, y, *, criterion: str = "f1") -> float:
    """The cut-off on ``score`` that maximises F1 (or accuracy) of ``score >= cutoff`` against ``y``.

    Ties go to the higher cut-off. Vectorised: one sort, cumulative counts.
    """
    check_choice("criterion", criterion, ("f1", "accuracy"))
    score = np.asarray(score, dtype=np.float64).ravel()
    y = np.asarray(y).astype(bool).ravel()
    order = np.argsort(-score, kind="stable")
    s, labels = score[order], y[order]
    # candidate k: predict the first k (highest scores) positive; only cut between distinct scores
    tp = np.cumsum(labels)
    fp = np.cumsum(~labels)
    positives = labels.sum()
    distinct = np.r_[s[1:] != s[:-1], True]
    tp, fp, cut = tp[distinct], fp[distinct], s[distinct]
    if criterion == "f1":
        value = 2 * tp / (tp + fp + positives)
    else:
        value = (tp + (len(y) - positives - fp)) / len(y)
    best = int(np.argmax(value))
    return float(cut[best])


def fit_from_pairs(texts_a, texts_b, labels, *, model=None, provenance: dict | None = None,
                   **options) -> SameClaimCalibrator:
    """Fit a calibrator on a user's own labelled sentence pairs.

    Parameters
    ----------
    texts_a, texts_b : sequence of str
        The two sentences of each pair.
    labels : sequence of int or bool
        1 (True) where the two report the same claim.
    model : None, str, SentenceTransformer or Encoder
        The encoder to embed with (see :func:`narrativediff.embed.get_encoder`); use the one you
        compare articles with, since the cosine's scale depends on the model.
    provenance : dict, optional
        Stored with the fitted model (say where the labels came from: ``data``, ``split``, notes).
    **options
        Passed to :class:`SameClaimCalibrator` (``features``, ``C``, ``decision``).

    Returns
    -------
    SameClaimCalibrator
        Pass it as ``calibrator=`` to :func:`narrativediff.align.pairs.align_sentences` and
        :func:`narrativediff.align.claims.group_claims`, or save it with :meth:`~SameClaimCalibrator.save`.
    """
    from narrativediff.embed import embed_texts, get_encoder

    texts_a, texts_b = list(texts_a), list(texts_b)
    if len(texts_a) != len(texts_b):
        raise InvalidInputError(f"texts_a has {len(texts_a)} sentences but texts_b has {len(texts_b)}.")
    encoder = get_encoder(model)
    vectors = embed_texts(texts_a + texts_b, encoder)
    n = len(texts_a)
    cosine = np.sum(vectors[:n] * vectors[n:], axis=1)
    features = pair_features(TokenIndex.from_texts(texts_a + texts_b), np.arange(n), np.arange(n, 2 * n), cosine)
    record = {"model": getattr(encoder, "name", str(encoder)), "n_pairs": n, **(provenance or {})}
    return SameClaimCalibrator(**options).fit(features, labels, provenance=record)


@lru_cache(maxsize=1)
def default_calibrator() -> SameClaimCalibrator:
    """The calibration shipped with narrativediff (fitted on MRPC train, cross-outlet pairs), read once.

    Raises
    ------
    NotFittedError
        If the parameter file is missing from the installation.
    """
    return fitted.load(SameClaimCalibrator, resources.files("narrativediff").joinpath(DEFAULT_CALIBRATION))
