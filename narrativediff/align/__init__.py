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
from narrativediff.align.model import SameClaimCalibrator, default_calibrator, fit_from_pairs
from narrativediff.align.pairs import DEFAULT_THRESHOLD, METHODS, align_sentences, match_pairs, similarity_matrix

__all__ = [
    "DEFAULT_THRESHOLD", "METHODS", "align_sentences", "match_pairs", "similarity_matrix",
    "HEADLINE_FLOOR", "align_headlines",
    "SameClaimCalibrator", "default_calibrator", "fit_from_pairs",
    "coverage", "group_claims", "near_duplicates", "omissions", "republishing_groups", "unique_claims",
]
