"""BASIL same-event triples: cross-outlet coverage, and how far it gets at finding informational bias.

BASIL (Fan et al. 2019) annotates, in Fox News, NYT and HuffPost articles on one event, the spans
that carry *informational bias*: facts or quotes an outlet chose to include to sway the reader
(``inf``). If outlets pick such content selectively, an ``inf`` sentence should more often have no
counterpart in the other two outlets. This suite groups each triple's sentences into claims with
:func:`narrativediff.align.claims.group_claims` and measures:

* coverage per outlet (share of sentences whose claim another outlet also reports);
* the rate of "no counterpart in the other two outlets" for ``inf`` sentences against the others;
* sentence-level ``inf`` detection from coverage features alone (logistic regression, 10-fold
  ``GroupKFold`` by ``triplet_uuid``: the split of the published EvCIM result, F1 44.10).

Run ``python -m benchmarks.suites.basil_coverage`` to print the JSON.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from training.datasets import basil_sentences

from .mrpc import embed, f1_accuracy

NAME = "basil_coverage"
COVERAGE_FEATURES = ("prob_best", "prob_second", "cos_best", "cos_second", "n_other_sources", "claim_size")
CONTEXT_FEATURES = ("position", "n_words")


def load(data_dir: Path) -> pd.DataFrame:
    table = basil_sentences(data_dir)
    table = table.sort_values(["triplet_uuid", "source", "sent"], kind="stable").reset_index(drop=True)
    return table.rename(columns={"sent": "sent_id"})


def coverage_features(table: pd.DataFrame, embeddings: np.ndarray) -> pd.DataFrame:
    """Per sentence: best match in each other outlet, and its claim, computed triple by triple."""
    from narrativediff.align import claims as C

    parts = []
    for _, rows in table.groupby("triplet_uuid", sort=False).indices.items():
        sentences = table.iloc[rows].reset_index(drop=True)
        vectors = embeddings[rows]
        scores = C.claim_scores(sentences, vectors)  # P(same claim), every pair
        cosine = vectors @ vectors.T
        claims = C.group_claims(sentences, vectors, scores=scores)
        codes = pd.factorize(sentences["source"])[0]
        best_prob = np.zeros((len(rows), codes.max() + 1))
        best_cos = np.full((len(rows), codes.max() + 1), -1.0)
        for code in range(codes.max() + 1):  # one step per outlet
            mask = codes == code
            best_prob[:, code] = scores[:, mask].max(axis=1)
            best_cos[:, code] = cosine[:, mask].max(axis=1)
        own = codes[:, None] == np.arange(codes.max() + 1)[None, :]
        best_prob[own], best_cos[own] = -np.inf, -np.inf  # only other outlets count
        best_prob.sort(axis=1)
        best_cos.sort(axis=1)
        n_sent = sentences.groupby("source")["sent_id"].transform("size")
        parts.append(pd.DataFrame({
            "prob_best": best_prob[:, -1], "prob_second": best_prob[:, -2],
            "cos_best": best_cos[:, -1], "cos_second": best_cos[:, -2],
            "n_other_sources": claims["n_sources"].to_numpy() - 1,
            "claim_size": claims["claim_size"].to_numpy(),
            "position": sentences["sent_id"].to_numpy() / np.maximum(n_sent.to_numpy() - 1, 1),
            "n_words": sentences["text"].str.split().str.len().to_numpy(),
        }, index=table.index[rows]))
    return pd.concat(parts).loc[table.index]


def _cross_validated(X, y, groups, *, n_splits=10):
    """Out-of-fold predictions of a logistic regression, cut-off chosen on each training fold for F1."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from narrativediff.align.model import best_cutoff

    predicted = np.zeros(len(y), dtype=bool)
    fold_f1 = []
    for train, test in GroupKFold(n_splits=n_splits).split(X, y, groups):
        model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(X[train], y[train])
        cut = best_cutoff(model.predict_proba(X[train])[:, 1], y[train])
        predicted[test] = model.predict_proba(X[test])[:, 1] >= cut
        fold_f1.append(f1_accuracy(predicted[test], y[test])[0])
    return predicted, float(np.mean(fold_f1))


def run(*, data_dir: Path, quick: bool = False, seed: int = 0) -> dict:
    """Coverage per outlet, no-counterpart rates for inf vs other sentences, inf detection F1."""
    from sklearn.metrics import roc_auc_score

    from ..stats import estimate

    table = load(data_dir)
    embeddings = embed(table["text"].tolist())
    features = coverage_features(table, embeddings)
    y = table["inf"].to_numpy().astype(bool)
    groups = table["triplet_uuid"].to_numpy()
    alone = (features["n_other_sources"] == 0).to_numpy()
    n_boot = 200 if quick else 1000

    def rate_gap(alone_, y_):
        return float(alone_[y_].mean() - alone_[~y_].mean())

    per_outlet = {}
    for source, rows in table.groupby("source").indices.items():
        f = features.iloc[rows]
        per_outlet[source] = {
            "sentences": int(len(rows)),
            "share_with_counterpart": round(float((f["n_other_sources"] >= 1).mean()), 4),
            "share_in_all_three": round(float((f["n_other_sources"] >= 2).mean()), 4),
            "no_counterpart_rate_inf": round(float(alone[rows][y[rows]].mean()), 4),
            "no_counterpart_rate_other": round(float(alone[rows][~y[rows]].mean()), 4),
        }

    def f1(truth, predicted):
        return f1_accuracy(predicted, truth)[0]

    results = {}
    for label, columns in (("coverage", COVERAGE_FEATURES), ("coverage_context", COVERAGE_FEATURES + CONTEXT_FEATURES),
                           ("context_only", CONTEXT_FEATURES)):
        predicted, fold_mean = _cross_validated(features[list(columns)].to_numpy(float), y, groups)
        results[label] = (predicted, fold_mean)

    predicted, fold_mean = results["coverage"]
    metrics = {
        "no_counterpart_rate_inf": estimate(lambda a, t: float(a[t].mean()), alone, y, n=n_boot, seed=seed,
                                            groups=groups),
        "no_counterpart_rate_other": estimate(lambda a, t: float(a[~t].mean()), alone, y, n=n_boot, seed=seed,
                                              groups=groups),
        "no_counterpart_rate_gap": estimate(rate_gap, alone, y, n=n_boot, seed=seed, groups=groups),
        "inf_f1_coverage": estimate(f1, y, predicted, n=n_boot, seed=seed, groups=groups),
        "inf_f1_coverage_fold_mean": round(fold_mean, 4),
        "inf_f1_coverage_context": estimate(f1, y, results["coverage_context"][0], n=n_boot, seed=seed,
                                            groups=groups),
        "auc_by_feature": {name: round(float(roc_auc_score(y, features[name])), 4)
                           for name in COVERAGE_FEATURES + CONTEXT_FEATURES},
        "per_outlet": per_outlet,
        "n_sentences": int(len(y)),
        "n_inf": int(y.sum()),
        "n_triples": int(len(set(groups))),
    }
    return {
        "name": NAME,
        "metrics": metrics,
        "baselines": {
            "inf_f1_all_positive": round(f1_accuracy(np.ones_like(y), y)[0], 4),
            "inf_f1_context_only": estimate(f1, y, results["context_only"][0], n=n_boot, seed=seed, groups=groups),
        },
        "published": {
            "evcim_f1": 44.10, "roberta_f1": 42.48,
            "source": "van den Berg & Markert, COLING 2020, informational bias, sentence level, story split "
                      "(10-fold CV, triples never split), BASIL v1, 100 triples",
        },
        "notes": [
            "data: basil_dev_sentences.jsonl, 72 of the 100 triples (v2 annotations): the published figures are on "
            "all 100 (v1), so they are a reference point, not a like-for-like comparison",
            "a sentence has no counterpart when its claim (group_claims, default floor) holds no sentence of the "
            "other two outlets",
            "inf_f1_*: F1 (x1, not x100) of the inf class, logistic regression, GroupKFold(10) by triplet_uuid, "
            "pooled out-of-fold predictions; cut-off chosen on each training fold; "
            f"coverage features {list(COVERAGE_FEATURES)}; context adds {list(CONTEXT_FEATURES)}",
            "CIs: cluster bootstrap over event triples",
        ],
    }


if __name__ == "__main__":
    from benchmarks.standalone import run_standalone

    run_standalone(run)
