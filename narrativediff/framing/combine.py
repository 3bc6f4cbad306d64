"""FramingCombiner: one calibrated framing score from the component scores (logistic regression).

The weights shipped in ``framing/combiner.json`` were fitted on the train split of the team's
labelled pairs by ``python -m training.fit_framing_combiner``; the file records how.

This module imports scikit-learn; :func:`~narrativediff.framing.score.score_pair` imports it only
when it first needs the default combiner.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import lru_cache
from numbers import Real
from pathlib import Path

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions

from narrativediff import fitted
from narrativediff._logistic import BinaryLogisticClassifier
from narrativediff.exceptions import InvalidInputError
from narrativediff.framing.records import COMPONENTS

__all__ = ["FramingCombiner", "default_combiner", "DEFAULT_WEIGHTS_PATH"]

DEFAULT_WEIGHTS_PATH = Path(__file__).parent / "combiner.json"


class FramingCombiner(BinaryLogisticClassifier):
    """Logistic regression from component scores to P(the pair is framed differently).

    A scikit-learn classifier: ``clone``, ``get_params``/``set_params`` and ``Pipeline`` work, and
    ``predict_proba`` returns one column per class, and ``score(X, y)`` is the accuracy, as for
    any classifier. :meth:`probability` is the fast path for one pair's components (a dict).

    Parameters
    ----------
    C : float, default 1.0
        Inverse regularisation strength of the :class:`~sklearn.linear_model.LogisticRegression`.
    class_weight : {None, "balanced"}, default None
        Passed to the logistic regression. ``None`` keeps the probabilities calibrated to the
        label rate of the training pairs (it gave the lowest cross-validated log-loss on the
        team's train split); ``"balanced"`` suits very skewed labels.
    components : sequence of str, optional
        Component columns to combine, a subset of
        :data:`~narrativediff.framing.records.COMPONENTS`; ``None`` means all four
        (``word_choice``, ``attribution``, ``intensity``, ``actors``).

    Attributes
    ----------
    classes_ : ndarray of shape (2,)
        The labels; the second (``1`` / ``True``) is "framed differently".
    coef_ : ndarray of shape (n_components,)
        One weight per component, in the order of ``components``.
    intercept_ : float
    weights_ : dict of str to float
        ``coef_`` by component name (read-only view).
    n_features_in_ : int
        Number of components.
    n_samples_, n_positive_ : int
        Pairs fitted on, and how many were framed differently.
    provenance_ : dict
        How the weights were made (data, split, date, metrics, library versions).

    Examples
    --------
    >>> import pandas as pd
    >>> X = pd.DataFrame({"word_choice": [0, .1, .8, .9], "attribution": [0, 0, .6, .7],
    ...                   "intensity": [0, .2, .3, .1], "actors": [0, 0, .3, 0], "selection": [0, 0, .3, 0]})
    >>> comb = FramingCombiner().fit(X, [0, 0, 1, 1])
    >>> comb.weights_["word_choice"] > 0
    True
    >>> comb.predict_proba(X).shape
    (4, 2)
    >>> comb.probability({"word_choice": .8, "attribution": .6, "intensity": .3, "actors": .3,
    ...                   "selection": .3}) > 0.5
    True
    """

    _parameter_constraints = {
        "C": [Interval(Real, 0, None, closed="neither")],
        "class_weight": [StrOptions({"balanced"}), None],
        "components": [list, tuple, None],
    }

    def __init__(self, *, C: float = 1.0, class_weight: str | None = None, components=None):
        self.C = C
        self.class_weight = class_weight
        self.components = components

    def _check_params(self) -> None:
        if self.components is not None:
            self._check_names("components", self.components, COMPONENTS)

    def _columns(self) -> tuple[str, ...]:
        return tuple(self.components) if self.components is not None else COMPONENTS

    def _design(self, X) -> np.ndarray:
        """The component columns of ``X``: a DataFrame, a mapping (one pair), mappings, or an array."""
        cols = self._columns()
        if isinstance(X, Mapping):
            X = [X]
        if hasattr(X, "columns"):
            missing = [c for c in cols if c not in X.columns]
            if missing:
                raise InvalidInputError(f"X lacks the columns {missing}; it needs {list(cols)}.")
            return X[list(cols)].to_numpy(dtype=np.float64)
        rows = list(X)
        if rows and isinstance(rows[0], Mapping):
            try:
                return np.array([[float(row[c]) for c in cols] for row in rows], dtype=np.float64)
            except (KeyError, TypeError, ValueError) as err:
                raise InvalidInputError(
                    f"each row must map every component {list(cols)} to a number ({err})."
                ) from None
        matrix = np.asarray(rows, dtype=np.float64).reshape(len(rows), -1)
        if matrix.shape[1] != len(cols):
            raise InvalidInputError(
                f"X must have one column per component {list(cols)}; got shape {matrix.shape}."
            )
        return matrix

    def fit(self, X, y, *, provenance: dict | None = None) -> "FramingCombiner":
        """Fit the weights on labelled pairs.

        Parameters
        ----------
        X : DataFrame, sequence of mappings or array-like of shape (n_pairs, n_components)
            One row per pair with a value per component (columns by name, or in the order of
            ``components``).
        y : array-like of shape (n_pairs,)
            Two labels; the greater one (``1`` / ``True``) means framed differently.
        provenance : dict, optional
            How the labels were made (``data``, ``split``, ``metrics``, notes); kept in
            ``provenance_`` with the date and library versions, and written by :meth:`save`.

        Returns
        -------
        self
        """
        from sklearn.linear_model import LogisticRegression

        self._validate_params()
        X = self._design(X)
        target = self._encode_labels(y, len(X))
        model = LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=1000).fit(X, target)
        self._set_linear(model.coef_, model.intercept_[0], provenance=provenance)
        self.n_features_in_ = len(self._columns())
        return self

    @property
    def weights_(self) -> dict[str, float]:
        """``coef_`` by component name."""
        self._check_fitted()
        return dict(zip(self._columns(), self.coef_.tolist()))

    def probability(self, components: Mapping[str, float]) -> float:
        """P(framed differently) of one pair's components (a dict); the fast path of ``score_pair``.

        Parameters
        ----------
        components : mapping of str to float
            At least every component the combiner uses.

        Returns
        -------
        float
            The same number as ``predict_proba([components])[0, 1]``, without building an array.
        """
        self._check_fitted()
        z = self.intercept_ + sum(w * float(components[c]) for c, w in zip(self._columns(), self.coef_.tolist()))
        return 1.0 / (1.0 + math.exp(-z))


@lru_cache(maxsize=1)
def default_combiner() -> FramingCombiner:
    """The combiner shipped with narrativediff (``framing/combiner.json``), read once.

    Raises
    ------
    NotFittedError
        If the weights file is missing from the installation.
    """
    return fitted.load(FramingCombiner, DEFAULT_WEIGHTS_PATH)
