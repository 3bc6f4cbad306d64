"""The binary logistic classifier that both learned parts of narrativediff are.

:class:`~narrativediff.align.model.SameClaimCalibrator` and
:class:`~narrativediff.framing.combine.FramingCombiner` are scikit-learn estimators over a few
numeric columns. Each fits a :class:`sklearn.linear_model.LogisticRegression` and keeps its weights
as ``coef_`` (one per column of the model, on the columns as given) and ``intercept_``, so that
prediction is one dot product and needs no scikit-learn object. This base class holds what they
share: parameter validation in narrativediff's error shape, the label encoding, the fitted check,
``decision_function`` / ``predict_proba`` / ``predict`` and persistence through
:mod:`narrativediff.fitted`.

This module imports scikit-learn, so the modules that subclass it are imported only when a
learned part is first needed (``import narrativediff`` stays fast).
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

from narrativediff import fitted
from narrativediff.exceptions import InvalidInputError, InvalidParameterError, NotFittedError

__all__ = ["BinaryLogisticClassifier", "sigmoid"]


def sigmoid(z):
    """The logistic function, computed as ``(1 + tanh(z / 2)) / 2`` (no overflow warnings)."""
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=np.float64)))


class BinaryLogisticClassifier(ClassifierMixin, BaseEstimator):
    """Base of the two learned parts: a logistic model ``P(y = classes_[1]) = sigmoid(X @ coef_ + b)``.

    Subclasses define ``_parameter_constraints`` (scikit-learn style), ``_check_params()`` for
    what those constraints cannot say, ``_design(X)`` (the model's columns of ``X`` as a float
    array), ``fit`` and, where the decision is not made at 0.5, ``_cutoff()``.

    Attributes
    ----------
    classes_ : ndarray of shape (2,)
        The two labels seen in ``fit``; the second is the positive one.
    coef_ : ndarray of shape (n_columns,)
        One weight per column of the model.
    intercept_ : float
    n_features_in_ : int
        Number of columns ``X`` must have.
    n_samples_, n_positive_ : int
        Size of the data fitted on, and how many were positive.
    provenance_ : dict
        How it was fitted (data, split, date, metrics, library versions); saved with it.
    """

    #: Learned attributes written by :meth:`save` besides ``coef_`` and ``intercept_``.
    _extra_fitted: tuple[str, ...] = ()

    # --- parameters ---------------------------------------------------------------------------

    def _validate_params(self) -> None:
        """Check the constructor's arguments; raise :class:`InvalidParameterError` naming the one at fault."""
        from sklearn.utils._param_validation import InvalidParameterError as SklearnParameterError

        try:
            super()._validate_params()
        except SklearnParameterError as error:
            raise InvalidParameterError(str(error)) from None
        self._check_params()

    def _check_params(self) -> None:
        """What ``_parameter_constraints`` cannot express; subclasses override."""

    def _check_names(self, name: str, value, allowed: tuple[str, ...]) -> tuple[str, ...]:
        names = tuple(value)
        unknown = [item for item in names if item not in allowed]
        if not names or unknown or len(set(names)) != len(names):
            raise InvalidParameterError(
                f"The {name!r} parameter of {type(self).__name__} must be a non-empty subset of {allowed} "
                f"without repeats. Got {value!r} instead."
            )
        return names

    # --- fitting ------------------------------------------------------------------------------

    def _encode_labels(self, y, n_rows: int) -> np.ndarray:
        """Set ``classes_`` from ``y`` and return ``y`` as 0/1 (1 for ``classes_[1]``)."""
        y = np.asarray(y).ravel()
        if len(y) != n_rows:
            raise InvalidInputError(f"X has {n_rows} rows but y has {len(y)} labels.")
        if y.dtype.kind == "f" and not np.all(np.isfinite(y)):
            raise InvalidInputError("y must not hold NaN or infinite labels.")
        if y.dtype.kind == "f" and not np.all(y == np.round(y)):
            raise InvalidInputError("y must hold class labels (such as 0 and 1), not continuous values.")
        classes, encoded = np.unique(y, return_inverse=True)
        if len(classes) != 2:
            raise InvalidInputError(
                f"y must hold both labels of a binary target (such as 0 and 1); got {classes.tolist()!r}."
            )
        self.classes_ = classes
        self.n_samples_ = int(len(y))
        self.n_positive_ = int(encoded.sum())
        return encoded

    def _set_linear(self, coef, intercept, *, provenance: dict | None) -> None:
        self.coef_ = np.asarray(coef, dtype=np.float64).ravel()
        self.intercept_ = float(intercept)
        self.provenance_ = fitted.make_provenance(provenance)

    # --- prediction ---------------------------------------------------------------------------

    def __sklearn_is_fitted__(self) -> bool:
        return hasattr(self, "coef_")

    def _check_fitted(self) -> None:
        if not hasattr(self, "coef_"):
            raise NotFittedError(
                f"This {type(self).__name__} is not fitted; call fit() or load() first."
            )

    def _cutoff(self) -> float:
        """Probability at or above which :meth:`predict` says ``classes_[1]``."""
        return 0.5

    def decision_function(self, X) -> np.ndarray:
        """The linear score ``X @ coef_ + intercept_`` per row (log-odds of ``classes_[1]``).

        Returns
        -------
        ndarray of shape (n_samples,)
        """
        self._check_fitted()
        return self._design(X) @ self.coef_ + self.intercept_

    def predict_proba(self, X) -> np.ndarray:
        """Probability of each class per row.

        Returns
        -------
        ndarray of shape (n_samples, 2)
            Columns in the order of ``classes_``; column 1 is the positive class.
        """
        positive = sigmoid(self.decision_function(X))
        return np.column_stack([1.0 - positive, positive])

    def predict(self, X) -> np.ndarray:
        """The predicted label per row: ``classes_[1]`` where its probability is at least the cut-off."""
        positive = sigmoid(self.decision_function(X))
        return self.classes_[(positive >= self._cutoff()).astype(int)]

    # --- persistence --------------------------------------------------------------------------

    def _fitted_state(self) -> dict:
        self._check_fitted()
        names = ("classes_", "coef_", "intercept_", "n_features_in_", "n_samples_", "n_positive_",
                 *self._extra_fitted)
        return {name: getattr(self, name) for name in names}

    def _restore_fitted(self, state: dict) -> None:
        n_columns = len(self._columns())
        coef = np.asarray(state["coef_"], dtype=np.float64)
        if coef.shape != (n_columns,):
            raise InvalidInputError(f"coef_ must hold one weight per column ({n_columns}); got shape {coef.shape}.")
        classes = np.asarray(state["classes_"])
        if classes.shape != (2,):
            raise InvalidInputError(f"classes_ must hold two labels; got {state['classes_']!r}.")
        self.classes_ = classes
        self.coef_ = coef
        self.intercept_ = float(state["intercept_"])
        self.n_features_in_ = int(state["n_features_in_"])
        self.n_samples_ = int(state["n_samples_"])
        self.n_positive_ = int(state["n_positive_"])
        for name in self._extra_fitted:
            setattr(self, name, float(state[name]))

    def save(self, path):
        """Write the fitted model and its provenance to a JSON file (see :mod:`narrativediff.fitted`).

        Returns
        -------
        Path
        """
        return fitted.save(self, path)

    @classmethod
    def load(cls, path):
        """Read a model written by :meth:`save`.

        Raises
        ------
        NotFittedError
            If there is no file at ``path``.
        InvalidInputError
            If the file does not hold a fitted model of this class.
        """
        return fitted.load(cls, path)
