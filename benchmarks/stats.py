"""Bootstrap confidence intervals shared by the benchmark suites.

A headline metric is reported as ``{"value": v, "ci": [low, high], "n": n}`` (see :func:`estimate`);
``benchmarks/report.py`` renders that shape as ``0.812 [0.790, 0.830]``.

>>> import numpy as np
>>> truth = np.array([1, 0, 1, 1, 0, 1, 0, 0])
>>> guess = np.array([1, 0, 1, 0, 0, 1, 1, 0])
>>> accuracy = lambda t, g: float(np.mean(t == g))
>>> result = estimate(accuracy, truth, guess, n=200, seed=0)
>>> result["value"], result["n"]
(0.75, 8)
>>> result["ci"][0] <= 0.75 <= result["ci"][1]
True
"""

from __future__ import annotations

from typing import Callable

import numpy as np

__all__ = ["bootstrap_ci", "estimate"]


def _resample_indices(n_items: int, rng: np.random.Generator, members: list[np.ndarray] | None) -> np.ndarray:
    if members is None:
        return rng.integers(0, n_items, n_items)
    picked = rng.integers(0, len(members), len(members))
    return np.concatenate([members[g] for g in picked])


def bootstrap_ci(metric_fn: Callable[..., float], *arrays, n: int = 1000, seed: int = 0,
                 level: float = 0.95, groups=None) -> tuple[float, float]:
    """Percentile bootstrap interval of ``metric_fn(*arrays)``.

    Parameters
    ----------
    metric_fn : callable
        ``metric_fn(*resampled_arrays) -> float``; called once per resample with every array
        indexed by the same rows.
    *arrays : array-like
        Parallel arrays (same first dimension), e.g. ``y_true, y_pred``.
    n : int, default 1000
        Number of resamples.
    seed : int, default 0
        Seed of the resampling, so a run is reproducible.
    level : float, default 0.95
        Coverage of the interval.
    groups : array-like, optional
        One label per row; whole groups are resampled together (cluster bootstrap), e.g. the
        BASIL event triple, so that sentences of one event never count as independent evidence.

    Returns
    -------
    (low, high) : tuple of float
        NaN resamples (a metric undefined on that resample) are ignored.
    """
    if not arrays:
        raise ValueError("bootstrap_ci needs at least one array to resample.")
    arrays = [np.asarray(a) for a in arrays]
    n_items = len(arrays[0])
    if any(len(a) != n_items for a in arrays):
        raise ValueError(f"arrays must have the same length; got {[len(a) for a in arrays]}.")
    if n_items == 0:
        return (float("nan"), float("nan"))
    members = None
    if groups is not None:
        groups = np.asarray(groups)
        if len(groups) != n_items:
            raise ValueError(f"groups has {len(groups)} labels for {n_items} rows; they must match.")
        _, inverse = np.unique(groups, return_inverse=True)
        members = [np.flatnonzero(inverse == g) for g in range(inverse.max() + 1)]
    rng = np.random.default_rng(seed)
    values = np.empty(n, dtype=float)
    for k in range(n):
        rows = _resample_indices(n_items, rng, members)
        values[k] = metric_fn(*(a[rows] for a in arrays))
    tail = (1.0 - level) / 2.0 * 100.0
    if np.all(np.isnan(values)):
        return (float("nan"), float("nan"))
    low, high = np.nanpercentile(values, [tail, 100.0 - tail])
    return (float(low), float(high))


def estimate(metric_fn: Callable[..., float], *arrays, n: int = 1000, seed: int = 0,
             level: float = 0.95, groups=None, digits: int = 4) -> dict:
    """The metric on all rows with its bootstrap interval, in the shape the report renders.

    Returns
    -------
    dict
        ``{"value": float, "ci": [low, high], "n": rows}`` (values rounded to ``digits``).
    """
    value = float(metric_fn(*(np.asarray(a) for a in arrays)))
    low, high = bootstrap_ci(metric_fn, *arrays, n=n, seed=seed, level=level, groups=groups)
    return {"value": round(value, digits), "ci": [round(low, digits), round(high, digits)],
            "n": int(len(np.asarray(arrays[0])))}
