"""FramingCombiner: one calibrated framing score from the component scores (logistic regression)."""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Mapping, Sequence

from narrativediff.exceptions import InvalidInputError, InvalidParameterError, NotFittedError
from narrativediff.framing.records import COMPONENTS

__all__ = ["FramingCombiner", "default_combiner", "DEFAULT_WEIGHTS_PATH"]

DEFAULT_WEIGHTS_PATH = Path(__file__).parent / "combiner.json"


class FramingCombiner:
    """Logistic regression from component scores to P(the pair is framed differently).

    Parameters
    ----------
    C : float, default 1.0
        Inverse regularisation strength, as in :class:`sklearn.linear_model.LogisticRegression`.
    class_weight : {None, "balanced"}, default None
        Passed to the logistic regression. ``None`` keeps the probabilities calibrated to the
        label rate of the training pairs (it gave the lowest cross-validated log-loss on the
        team's train split); ``"balanced"`` suits very skewed labels.
    components : sequence of str, optional
        Component columns to combine; ``None`` means all four
        (``word_choice``, ``attribution``, ``intensity``, ``actors``).

    Attributes
    ----------
    coef_ : dict of str to float
        One weight per component (learned).
    intercept_ : float
        The learned intercept.
    info_ : dict
        How the weights were made (data, size, date, metrics).

    Examples
    --------
    >>> import pandas as pd
    >>> X = pd.DataFrame({"word_choice": [0, .1, .8, .9], "attribution": [0, 0, .6, .7],
    ...                   "intensity": [0, .2, .3, .1], "actors": [0, 0, .3, 0]})
    >>> comb = FramingCombiner().fit(X, [0, 0, 1, 1])
    >>> comb.coef_["word_choice"] > 0
    True
    >>> float(comb.predict_proba(X)[2]) > 0.5
    True
    """

    def __init__(self, *, C: float = 1.0, class_weight: str | None = None, components: Sequence[str] | None = None):
        self.C = C
        self.class_weight = class_weight
        self.components = components

    def _columns(self) -> tuple[str, ...]:
        return tuple(self.components) if self.components is not None else COMPONENTS

    def _matrix(self, components_df) -> list[list[float]]:
        cols = self._columns()
        if isinstance(components_df, Mapping) and not hasattr(components_df, "columns"):
            components_df = [components_df]
        if hasattr(components_df, "columns"):
            missing = [c for c in cols if c not in components_df.columns]
            if missing:
                raise InvalidInputError(f"components_df lacks the columns {missing}; it needs {list(cols)}.")
            return components_df[list(cols)].astype(float).values.tolist()
        rows = list(components_df)
        try:
            return [[float(r[c]) for c in cols] for r in rows]
        except (KeyError, TypeError) as err:
            raise InvalidInputError(f"each row must map every component {list(cols)} to a number ({err}).") from None

    def fit(self, components_df, labels, *, info: dict | None = None) -> "FramingCombiner":
        """Fit the weights on labelled pairs.

        Parameters
        ----------
        components_df : DataFrame or sequence of mappings
            One row per pair with a column per component.
        labels : sequence of int or bool
            1 (True) where the pair is framed differently.
        info : dict, optional
            Notes kept in ``info_`` and written by :meth:`save` (where the labels came from).

        Returns
        -------
        self
        """
        from sklearn.linear_model import LogisticRegression

        if self.class_weight not in ("balanced", None):
            raise InvalidParameterError(f"class_weight must be one of 'balanced', None; got {self.class_weight!r}.")
        X = self._matrix(components_df)
        y = [int(bool(v)) for v in labels]
        if len(X) != len(y):
            raise InvalidInputError(f"components_df has {len(X)} rows but labels has {len(y)}.")
        if len(set(y)) < 2:
            raise InvalidInputError("labels must hold both classes (framed differently and not) to fit.")
        model = LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=1000).fit(X, y)
        self.coef_ = dict(zip(self._columns(), (float(c) for c in model.coef_[0])))
        self.intercept_ = float(model.intercept_[0])
        self.info_ = {"n_pairs": len(y), "n_positive": sum(y), **(info or {})}
        return self

    def _check(self) -> None:
        if not hasattr(self, "coef_"):
            raise NotFittedError("This FramingCombiner is not fitted; call fit() or load() first.")

    def decision_function(self, components_df) -> list[float]:
        """The linear score ``intercept_ + sum(coef_ * component)`` per row."""
        self._check()
        cols = self._columns()
        return [self.intercept_ + sum(self.coef_[c] * x for c, x in zip(cols, row)) for row in self._matrix(components_df)]

    def predict_proba(self, components_df) -> list[float]:
        """P(framed differently) per row, in [0, 1]."""
        return [1.0 / (1.0 + math.exp(-z)) for z in self.decision_function(components_df)]

    def score(self, components: Mapping[str, float]) -> float:
        """P(framed differently) of one pair's components (a dict); the fast path of score_pair."""
        self._check()
        z = self.intercept_ + sum(w * float(components[c]) for c, w in self.coef_.items())
        return 1.0 / (1.0 + math.exp(-z))

    def to_dict(self) -> dict:
        self._check()
        return {"components": list(self._columns()), "coef": self.coef_, "intercept": self.intercept_,
                "C": self.C, "class_weight": self.class_weight, "info": self.info_}

    def save(self, path: str | Path) -> None:
        """Write the weights and how they were made as JSON."""
        Path(path).write_text(json.dumps(self.to_dict(), indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> "FramingCombiner":
        """Read weights written by :meth:`save`."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        comb = cls(C=data.get("C", 1.0), class_weight=data.get("class_weight"), components=data["components"])
        comb.coef_ = {c: float(data["coef"][c]) for c in data["components"]}
        comb.intercept_ = float(data["intercept"])
        comb.info_ = data.get("info", {})
        return comb

    def __repr__(self) -> str:
        if not hasattr(self, "coef_"):
            return f"FramingCombiner(C={self.C!r}, class_weight={self.class_weight!r})"
        weights = ", ".join(f"{c}={w:+.2f}" for c, w in self.coef_.items())
        return f"FramingCombiner({weights}, intercept={self.intercept_:+.2f})"


@lru_cache(maxsize=1)
def default_combiner() -> FramingCombiner:
    """The combiner shipped with narrativediff (``framing/combiner.json``), read once."""
    return FramingCombiner.load(DEFAULT_WEIGHTS_PATH)
