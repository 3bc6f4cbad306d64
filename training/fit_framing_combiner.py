"""Fit the framing combiner shipped in ``narrativediff/framing/combiner.json``.

Data and split: the team's labelled pairs (``training/data/framing_pairs.csv``, resolved into
``<data_dir>/seeds`` and ``<data_dir>/basil``), train split only (176 pairs); the test split is held
out (BASIL events never cross splits) and scored for the provenance only. The five components are those of
``score_pair`` (word choice, attribution, intensity, actors, selection). The target is
``framing == "different"``. ``C=3`` and no class weighting were chosen by 5-fold cross-validated
log-loss on the train split (:func:`choose_C` repeats that search).

Run from the repository root::

    python -m training.fit_framing_combiner [DATA_DIR]           # fit and compare with the shipped file
    python -m training.fit_framing_combiner [DATA_DIR] --write   # ... and rewrite the shipped file
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import numpy as np

from training.datasets import DEFAULT_DATA_DIR
from training.framing_pairs import PAIRS_PATH, components_table, load_framing_pairs

__all__ = ["SHIPPED_C", "fit", "choose_C", "compare_with_shipped", "main"]

SHIPPED_C = 3.0
#: How close a refit must come to the shipped weights to count as reproducing them.
TOLERANCE = {"coef": 1e-3, "probability": 1e-4}


def _split(data_dir, path=None):
    pairs = load_framing_pairs(data_dir, path=path)
    table = pairs.join(components_table(pairs))
    return table[table["split"] == "train"], table[table["split"] == "test"]


def _scores(model, part) -> dict:
    from sklearn.metrics import log_loss, roc_auc_score

    y = part["framing_different"].to_numpy()
    probability = model.predict_proba(part)[:, 1]
    return {"auc": round(float(roc_auc_score(y, probability)), 4),
            "log_loss": round(float(log_loss(y, probability, labels=[False, True])), 4), "n_pairs": int(len(y))}


def fit(data_dir=None, *, C: float = SHIPPED_C, path=None):
    """Fit a :class:`~narrativediff.framing.combine.FramingCombiner` on the train split, with its provenance.

    Parameters
    ----------
    data_dir : str or Path, optional
        The folder holding ``seeds/`` and ``basil/`` (default ``../shared/data``).
    C : float, default SHIPPED_C
    path : str or Path, optional
        Another pairs file in the format of ``training/data/framing_pairs.csv``.
    """
    from narrativediff.framing.combine import FramingCombiner

    train, test = _split(data_dir, path)
    model = FramingCombiner(C=C).fit(train, train["framing_different"])
    model.provenance_.update({
        "data": f"the team's labelled framing pairs ({Path(path).name if path else 'training/data/framing_pairs.csv'}),"
                " resolved into the shared seeds/ and basil/ data",
        "split": "train (the test split is held out; BASIL events never cross splits)",
        "metrics": {"train": _scores(model, train), "test": _scores(model, test)},
        "target": "framing == 'different'",
        "made": f"LogisticRegression(C={C}) on the five components of score_pair",
        "chosen_by": "C and class_weight by 5-fold cross-validated log-loss on the train split",
        "script": "python -m training.fit_framing_combiner --write",
    })
    return model


def choose_C(data_dir=None, *, grid=(0.1, 0.3, 1.0, 3.0, 10.0, 30.0), class_weights=(None, "balanced")) -> dict:
    """Cross-validated (5-fold, stratified) log-loss on the train split for each ``C`` and class weight."""
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    from narrativediff.framing.combine import FramingCombiner
    from narrativediff.framing.records import COMPONENTS

    train, _ = _split(data_dir)
    X, y = train[list(COMPONENTS)].to_numpy(), train["framing_different"].to_numpy()
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    return {f"C={C}, class_weight={weight}": round(float(-cross_val_score(
        FramingCombiner(C=C, class_weight=weight), X, y, cv=folds, scoring="neg_log_loss").mean()), 4)
        for C in grid for weight in class_weights}


def compare_with_shipped(model, data_dir=None) -> dict:
    """How far a refit is from the shipped weights, and whether it is within :data:`TOLERANCE`."""
    from narrativediff.framing.combine import DEFAULT_WEIGHTS_PATH, FramingCombiner

    shipped = FramingCombiner.load(DEFAULT_WEIGHTS_PATH)
    train, test = _split(data_dir)
    import pandas as pd

    both = pd.concat([train, test])
    if shipped.coef_.shape != model.coef_.shape:
        return {"reproduced": False, "note": f"the shipped file combines {list(shipped._columns())}, the refit "
                f"{list(model._columns())}", "tolerance": TOLERANCE}
    coef = float(np.max(np.abs(np.r_[model.coef_ - shipped.coef_, model.intercept_ - shipped.intercept_])))
    probability = float(np.max(np.abs(model.predict_proba(both)[:, 1] - shipped.predict_proba(both)[:, 1])))
    return {"max_abs_coef_difference": coef, "max_abs_probability_difference": probability,
            "reproduced": coef <= TOLERANCE["coef"] and probability <= TOLERANCE["probability"],
            "tolerance": TOLERANCE}


def main(argv=None) -> int:
    """Fit, print the comparison with the shipped file, and with ``--write`` rewrite it."""
    from narrativediff.framing.combine import DEFAULT_WEIGHTS_PATH

    argv = sys.argv[1:] if argv is None else argv
    folders = [arg for arg in argv if not arg.startswith("--")]
    data_dir = Path(folders[0]) if folders else Path(os.environ.get("NARRATIVEDIFF_DATA", DEFAULT_DATA_DIR))
    model = fit(data_dir)
    report = {"weights_": model.weights_, "intercept_": model.intercept_, "metrics": model.provenance_["metrics"],
              "pairs_file": str(PAIRS_PATH)}
    if DEFAULT_WEIGHTS_PATH.is_file():
        report["against_shipped"] = compare_with_shipped(model, data_dir)
    if "--choose-C" in argv:
        report["cross_validated_log_loss"] = choose_C(data_dir)
    if "--write" in argv:
        model.save(DEFAULT_WEIGHTS_PATH)
        report["written"] = str(DEFAULT_WEIGHTS_PATH)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
