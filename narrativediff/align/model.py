"""The same-claim model: calibrated probability that two sentences report the same claim.

A logistic regression over the pair features of :mod:`narrativediff.align.features` (the embedding
cosine, word overlap, length ratio, number agreement) turns a similarity into ``P(same claim)``. The
parameters shipped in ``narrativediff/data/same_claim_calibration.json`` were fitted on MRPC train
(news sentence pairs from two different outlets, labelled by people outside the team); the file
records how. :meth:`SameClaimCalibrator.fit` refits them on a user's own labels.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import numpy as np

from narrativediff.align.features import FEATURES, TokenIndex, pair_features
from narrativediff.exceptions import InvalidInputError, InvalidParameterError, NotFittedError, check_choice

__all__ = ["SameClaimCalibrator", "best_cutoff", "fit_from_pairs", "default_calibrator"]

def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


class SameClaimCalibrator:
    """Logistic model of P(two sentences report the same claim) from pair features.

    Parameters
    ----------
    features : sequence of str, default FEATURES
        Which of :data:`FEATURES` to use.
    C : float, default 1.0
        Inverse L2 regularisation strength of the logistic regression (features are standardised).
    decision : {"f1", "accuracy"}, default "f1"
        What the probability cut-off ``threshold_`` maximises on the fitting labels.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
        Weights on the raw (unstandardised) features.
    intercept_ : float
    threshold_ : float
        Probability at or above which a pair is called the same claim.
    n_samples_, n_positive_ : int
        Size of the data it was fitted on.
    metadata_ : dict
        Free-form description of how it was fitted (data, date, scores); saved with it.

    Examples
    --------
    >>> import numpy as np
    >>> from narrativediff.align.model import SameClaimCalibrator, TokenIndex, pair_features
    >>> texts = ["China ships machine tools to Russia.", "Beijing sends machine tools to Moscow.",
    ...          "The G7 met in Capri.", "Yellen ended a visit to Beijing."]
    >>> index = TokenIndex.from_texts(texts)
    >>> X = pair_features(index, [0, 0, 1, 2], [1, 3, 2, 3], [0.8, 0.3, 0.25, 0.2])
    >>> model = SameClaimCalibrator().fit(X, [1, 0, 0, 0])
    >>> bool(model.predict_proba(X)[0] > model.predict_proba(X)[1])
    True
    """

    def __init__(self, *, features=FEATURES, C: float = 1.0, decision: str = "f1"):
        self.features = tuple(features)
        self.C = C
        self.decision = decision

    def _validate(self):
        unknown = [name for name in self.features if name not in FEATURES]
        if unknown or not self.features:
            raise InvalidParameterError(
                f"features must be a non-empty subset of {FEATURES}; got {self.features!r}."
            )
        check_choice("decision", self.decision, ("f1", "accuracy"))
        if not (isinstance(self.C, (int, float)) and self.C > 0):
            raise InvalidParameterError(f"C must be a positive number; got {self.C!r}.")

    def _select(self, X) -> np.ndarray:
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != len(FEATURES):
            raise InvalidInputError(
                f"X must have one column per feature in FEATURES ({len(FEATURES)}); got shape {X.shape}."
            )
        return X[:, [FEATURES.index(name) for name in self.features]]

    def fit(self, X, y, *, metadata: dict | None = None) -> "SameClaimCalibrator":
        """Fit on pair features ``X`` (from :func:`pair_features`) and labels ``y`` (1 = same claim)."""
        self._validate()
        from sklearn.linear_model import LogisticRegression

        X = self._select(X)
        y = np.asarray(y).astype(int).ravel()
        if len(y) != len(X):
            raise InvalidInputError(f"X has {len(X)} rows but y has {len(y)} labels.")
        if set(np.unique(y)) != {0, 1}:
            raise InvalidInputError("y must hold both labels 0 and 1.")
        mean, scale = X.mean(axis=0), X.std(axis=0)
        scale[scale == 0] = 1.0
        model = LogisticRegression(C=self.C, max_iter=1000).fit((X - mean) / scale, y)
        self.coef_ = model.coef_.ravel() / scale
        self.intercept_ = float(model.intercept_[0] - np.sum(model.coef_.ravel() * mean / scale))
        probability = _sigmoid(X @ self.coef_ + self.intercept_)
        self.threshold_ = best_cutoff(probability, y, criterion=self.decision)
        self.n_samples_ = int(len(y))
        self.n_positive_ = int(y.sum())
        self.metadata_ = dict(metadata or {})
        return self

    def _check_fitted(self):
        if not hasattr(self, "coef_"):
            raise NotFittedError("this SameClaimCalibrator is not fitted; call fit() or load() first.")

    def predict_proba(self, X) -> np.ndarray:
        """P(same claim) for each row of ``X`` (1-D array)."""
        self._check_fitted()
        return _sigmoid(self._select(X) @ self.coef_ + self.intercept_)

    def predict_proba_matrices(self, matrices) -> np.ndarray:
        """P(same claim) for feature matrices from :func:`pair_feature_matrices` or :func:`pair_feature_block` (same shape)."""
        self._check_fitted()
        z = np.full(np.shape(matrices[0]), self.intercept_, dtype=np.float64)
        for name, weight in zip(self.features, self.coef_):
            z += weight * matrices[FEATURES.index(name)]
        return _sigmoid(z)

    def predict(self, X) -> np.ndarray:
        """The same-claim decision (bool) at ``threshold_``."""
        return self.predict_proba(X) >= self.threshold_

    def to_dict(self) -> dict:
        """Everything needed to rebuild the fitted model, as JSON-ready values."""
        self._check_fitted()
        return {
            "features": list(self.features),
            "coef": [float(c) for c in self.coef_],
            "intercept": self.intercept_,
            "threshold": float(self.threshold_),
            "C": self.C,
            "decision": self.decision,
            "n_samples": self.n_samples_,
            "n_positive": self.n_positive_,
            "metadata": self.metadata_,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "SameClaimCalibrator":
        """Rebuild a fitted model from :meth:`to_dict` output."""
        try:
            model = cls(features=data["features"], C=data.get("C", 1.0), decision=data.get("decision", "f1"))
            model._validate()
            model.coef_ = np.asarray(data["coef"], dtype=np.float64)
            model.intercept_ = float(data["intercept"])
            model.threshold_ = float(data["threshold"])
        except (KeyError, TypeError) as error:
            raise InvalidInputError(f"not a same-claim calibration: missing or bad field {error}.") from None
        if model.coef_.shape != (len(model.features),):
            raise InvalidInputError("calibration coef must have one weight per feature.")
        model.n_samples_ = int(data.get("n_samples", 0))
        model.n_positive_ = int(data.get("n_positive", 0))
        model.metadata_ = dict(data.get("metadata", {}))
        return model

    def save(self, path) -> None:
        """Write the fitted model to a JSON file."""
        Path(path).write_text(json.dumps(self.to_dict(), indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path) -> "SameClaimCalibrator":
        """Read a model written by :meth:`save`."""
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))

    def __repr__(self) -> str:
        fitted = f", threshold_={self.threshold_:.3f}" if hasattr(self, "threshold_") else ""
        return f"SameClaimCalibrator(features={self.features!r}, C={self.C}{fitted})"


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


def fit_from_pairs(texts_a, texts_b, labels, *, model=None, metadata: dict | None = None,
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
    metadata : dict, optional
        Stored with the fitted model (say where the labels came from).
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
    info = {"model": getattr(encoder, "name", str(encoder)), "n_pairs": n, **(metadata or {})}
    return SameClaimCalibrator(**options).fit(features, labels, metadata=info)


_DEFAULT: SameClaimCalibrator | None = None


def default_calibrator() -> SameClaimCalibrator:
    """The calibration shipped with narrativediff (fitted on MRPC train, cross-outlet pairs)."""
    global _DEFAULT
    if _DEFAULT is None:
        text = resources.files("narrativediff").joinpath("data/same_claim_calibration.json").read_text(
            encoding="utf-8"
        )
        _DEFAULT = SameClaimCalibrator.from_dict(json.loads(text))
    return _DEFAULT
