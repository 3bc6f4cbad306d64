"""STS Benchmark, news genres: does the alignment similarity rank sentence pairs the way people do?

Spearman correlation between the human similarity score (0 to 5) and (a) the all-MiniLM-L6-v2
cosine that ``align_sentences`` reports as ``similarity``, (b) the calibrated ``probability``, and
(c) a TF-IDF cosine baseline, on the ``headlines`` and ``MSRpar`` genres of the STS-B test split
(``<data_dir>/stsb/sts-test.csv``). Nothing is fitted on STS-B.

Run ``python -m benchmarks.suites.stsb`` to print the JSON.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from training.datasets import stsb_genre

from .mrpc import embed

NAME = "stsb"
GENRES = ("headlines", "MSRpar")


def _spearman(x, y) -> float:
    from scipy.stats import spearmanr

    return float(spearmanr(x, y).statistic)


def run(*, data_dir: Path, quick: bool = False, seed: int = 0) -> dict:
    """Spearman correlation with human scores per news genre of STS-B test."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from narrativediff.align.features import TokenIndex, pair_features
    from narrativediff.align.model import default_calibrator

    from ..stats import estimate

    n_boot = 200 if quick else 1000
    metrics, baselines = {}, {}
    calibrator = default_calibrator()
    for genre in GENRES:
        pairs = stsb_genre(data_dir, "test", genre)
        train = stsb_genre(data_dir, "train", genre)
        emb_a, emb_b = embed(pairs["a"]), embed(pairs["b"])
        cosine = np.sum(emb_a * emb_b, axis=1)
        n = len(cosine)
        index = TokenIndex.from_texts(pairs["a"] + pairs["b"])
        probability = calibrator.predict_proba(pair_features(index, np.arange(n), np.arange(n, 2 * n), cosine))[:, 1]
        tfidf = TfidfVectorizer(sublinear_tf=True).fit(train["a"] + train["b"])
        tf_cos = np.asarray(tfidf.transform(pairs["a"]).multiply(tfidf.transform(pairs["b"])).sum(axis=1)).ravel()
        metrics[f"{genre}_spearman_similarity"] = estimate(_spearman, cosine, pairs["score"], n=n_boot, seed=seed)
        metrics[f"{genre}_spearman_probability"] = estimate(_spearman, probability, pairs["score"], n=n_boot,
                                                            seed=seed)
        baselines[f"{genre}_spearman_tfidf_cosine"] = estimate(_spearman, tf_cos, pairs["score"], n=n_boot,
                                                               seed=seed)
    return {
        "name": NAME,
        "metrics": metrics,
        "baselines": baselines,
        "published": {
            "note": "sentence-transformers reports all-MiniLM-L6-v2 on the whole STS-B test set (all genres, "
                    "Spearman x100 about 82); not the same subset, so not comparable to the per-genre figures here"
        },
        "notes": [
            "STS-B test split, genres headlines and MSRpar (250 pairs each); nothing fitted on STS-B "
            "(the TF-IDF vocabulary and IDF come from the same genre's train split)",
            "similarity = all-MiniLM-L6-v2 cosine (align_sentences' similarity); probability = the shipped "
            "MRPC-fitted P(same claim), which is built for a decision, not for a graded ranking",
            "CIs: percentile bootstrap over pairs",
        ],
    }


if __name__ == "__main__":
    from benchmarks.standalone import run_standalone

    run_standalone(run)
