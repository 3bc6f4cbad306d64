"""The alignment stage: which sentences of different outlets report the same claim.

``pairs`` picks aligned pairs from the cosine similarity of every two outlets' sentences,
``headlines`` pairs each outlet's headline with the others' openings, ``model`` is the learned
P(same claim) (pair features and the calibrated classifier), and ``claims`` groups sentences of all
outlets into claims, with coverage, omissions and near-duplicates.
"""

from narrativediff.align.claims import (
    coverage, group_claims, near_duplicates, omissions, republishing_groups, unique_claims,
)
from narrativediff.align.headlines import HEADLINE_FLOOR, align_headlines
from narrativediff.align.pairs import DEFAULT_THRESHOLD, METHODS, align_sentences, match_pairs, similarity_matrix

__all__ = [
    "DEFAULT_THRESHOLD", "METHODS", "align_sentences", "match_pairs", "similarity_matrix",
    "HEADLINE_FLOOR", "align_headlines",
    "SameClaimCalibrator", "default_calibrator", "fit_from_pairs",
    "coverage", "group_claims", "near_duplicates", "omissions", "republishing_groups", "unique_claims",
]

# The model module imports scikit-learn (about a second), so its names load on first use.
_LAZY = {name: "narrativediff.align.model" for name in ("SameClaimCalibrator", "default_calibrator", "fit_from_pairs")}


def __getattr__(name):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
