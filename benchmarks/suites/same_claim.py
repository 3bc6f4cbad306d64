"""Same claim, told differently: does the relation model keep the same claim when only the telling changes?

Data: the labelled relation pairs (``training/data/relation_pairs.csv``; guide in
``docs/relation_labelling_guide.md``), resolved into ``<data_dir>/seeds`` and ``<data_dir>/basil``.
Everything is fitted or chosen on the train split (BASIL events) and the other training data
(MRPC train, STS-B train, lexicon rewrites); every number here is on the test split, which holds
other BASIL events and all the seed pairs. Baselines in the same run, on the same pairs:

- ``cosine``: all-MiniLM-L6-v2 cosine >= a cut-off with the best F1 on the train split;
- ``mrpc_calibrator``: the shipped MRPC calibrator (:func:`narrativediff.align.model.default_calibrator`)
  on :mod:`narrativediff.align.features`, at its own cut-off;
- ``paraphrase_mining``: sentence-transformers ``util.paraphrase_mining_embeddings`` over all test
  sentences (library defaults), a pair's mined score (0 if not mined) >= a cut-off chosen the same
  way on the train split's sentences;
- ``every_pair``: every labelled pair called the same claim. The labelled pairs are pairs of one
  story that read alike (the team's framing pairs, and pairs picked for denials, headlines and
  other actors), so this is what "alike means same claim" scores: a model has to beat it to tell
  the pairs apart at all.

Threshold-free: ``same_claim_auc`` (ROC-AUC of ``p_same_claim`` against the same-claim truth) beside
the cosine's (``cosine_auc``), on the same pairs with the same bootstrap.

Subsets (``<name>_same_claim``, each with its own baselines): ``chosen``, the pairs picked for the
labelled set (the team's framing pairs, denials, headlines, other actors: more than half are the
same claim), split into ``seeds`` and ``basil``; and ``aligned_sample``, pairs drawn at random from
the aligned pairs (cosine >= 0.59, both at least six words) of the test events, the mix a user's
comparison holds (about one in four the same claim).

The same-claim truth is ``relation == "same_claim"``; ``shares_claim`` also counts ``overlap``
(the team's earlier ``same_claim = yes`` is close to that). The framed-differently subset is the
test pairs labelled same claim whose framing the team labelled ``different``. Also reported:
contradiction precision and recall, MRPC test (cross-outlet) F1 and average precision of
``p_same_claim``, and the seed examples of the issue.

Run ``python -m benchmarks.suites.same_claim`` to print the JSON.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

NAME = "same_claim"

#: The issue's seed examples: (outlet a, start of a, outlet b, start of b, expected same claim).
SEED_EXAMPLES = (
    ("rt", "The top US diplomat plans to threaten Beijing", "voa", "Urging China to Cease Support", True),
    ("rt", "The top US diplomat plans to threaten Beijing", "politico", "U.S. Secretary of State Antony Blinken will head",
     True),
    ("ntb", "The Chinese embassy in the US insists", "voa", "Indeed, “We have engaged with China", False),
    ("afp", "China has been the key factor", "rt", "“The concern there is that through Chinese support", True),
)


def _embedder():
    """``(embed, encoder, cache)``: the default model through the on-disk cache the training script fills.

    ``embed(texts)`` gives the sentence vectors the baselines read; the relation model takes the
    encoder and cache themselves (it reads word vectors from the same pass).
    """
    from narrativediff.embed import embed_texts
    from training.fit_relation import cached_encoder

    encoder, cache = cached_encoder()
    return (lambda texts: embed_texts(list(texts), encoder, cache=cache, words=True)), encoder, cache


def _prf(truth, guess) -> tuple[float, float, float]:
    truth, guess = np.asarray(truth, bool), np.asarray(guess, bool)
    tp = float(np.sum(truth & guess))
    precision = tp / guess.sum() if guess.sum() else float("nan")
    recall = tp / truth.sum() if truth.sum() else float("nan")
    f1 = 2 * tp / (truth.sum() + guess.sum()) if (truth.sum() + guess.sum()) else float("nan")
    return precision, recall, f1


def _metric(k):
    return lambda truth, guess: _prf(truth, guess)[k]


def _auc(truth, score) -> float:
    from sklearn.metrics import roc_auc_score

    truth = np.asarray(truth, bool)
    return float(roc_auc_score(truth, score)) if 0 < truth.sum() < len(truth) else float("nan")


def _mining_scores(texts_a, texts_b, embed) -> np.ndarray:
    """Each pair's score in paraphrase mining over all the sentences of the pairs (0 if not mined)."""
    import torch
    from sentence_transformers import util

    unique = list(dict.fromkeys(list(texts_a) + list(texts_b)))
    position = {t: i for i, t in enumerate(unique)}
    mined = util.paraphrase_mining_embeddings(torch.from_numpy(np.asarray(embed(unique), dtype=np.float32)))
    found = {(min(i, j), max(i, j)): s for s, i, j in mined}
    return np.array([found.get((min(position[a], position[b]), max(position[a], position[b])), 0.0)
                     for a, b in zip(texts_a, texts_b)])


def _old_calibrator_scores(texts_a, texts_b, embed):
    from narrativediff.align.features import TokenIndex, pair_features
    from narrativediff.align.model import default_calibrator

    calibrator = default_calibrator()
    n = len(texts_a)
    ea, eb = embed(list(texts_a)), embed(list(texts_b))
    X = pair_features(TokenIndex.from_texts(list(texts_a) + list(texts_b)), np.arange(n), np.arange(n, 2 * n),
                      np.sum(ea * eb, axis=1))
    proba = np.asarray(calibrator.predict_proba(X))
    proba = proba[:, -1] if proba.ndim == 2 else proba
    return proba, float(calibrator.threshold_)


def _seed_examples(data_dir, model, embed, encoder, cache) -> list[dict]:
    from narrativediff.align.relation import relate_pairs
    from training.datasets import seed_sentences

    sentences = seed_sentences(data_dir)

    def find(outlet, start):
        rows = sentences[sentences["doc"].str.startswith(outlet) & sentences["text"].str.startswith(start)]
        return rows["text"].iloc[0]

    pairs = [(find(oa, sa), find(ob, sb), expected) for oa, sa, ob, sb, expected in SEED_EXAMPLES]
    table = relate_pairs([a for a, _, _ in pairs], [b for _, b, _ in pairs], encoder, cache=cache, model=model)
    old, cut = _old_calibrator_scores([a for a, _, _ in pairs], [b for _, b, _ in pairs], embed)
    return [{"a": f"{oa}: {sa}...", "b": f"{ob}: {sb}...", "expected_same_claim": expected,
             "relation": row.relation, "p_same_claim": round(float(row.p_same_claim), 3),
             "p_contradiction": round(float(row.p_contradiction), 3),
             "mrpc_calibrator_p": round(float(p), 3), "ok": bool(row.same_claim == expected)}
            for (oa, sa, ob, sb, expected), row, p in zip(SEED_EXAMPLES, table.itertuples(), old)]


def run(data_dir=None, *, quick: bool = False, seed: int = 0) -> dict:
    """Same-claim and contradiction metrics of the relation model on the test split, with baselines."""
    from sklearn.metrics import average_precision_score

    from benchmarks.stats import estimate
    from narrativediff.align.relation import default_relation_model, f1_cutoff, relate_pairs
    from training.datasets import DEFAULT_DATA_DIR, mrpc_pairs, subset
    from training.relation_pairs import load_relation_pairs

    data_dir = Path(data_dir) if data_dir is not None else DEFAULT_DATA_DIR
    embed, encoder, cache = _embedder()
    model = default_relation_model()
    pairs = load_relation_pairs(data_dir)
    train, test = pairs[pairs["split"] == "train"], pairs[pairs["split"] == "test"]
    groups = np.where(test["dataset"] == "seeds", "seeds:" + test["pair_id"], test["event"])
    n_boot = 200 if quick else 1000

    ours = relate_pairs(test["text_a"], test["text_b"], encoder, cache=cache, model=model)
    truth = (test["relation"] == "same_claim").values
    shares = test["relation"].isin(["same_claim", "overlap"]).values
    framed = truth & (test["framing"] == "different").values
    contradiction = (test["relation"] == "contradiction").values

    def cosine(frame):
        ea, eb = embed(list(frame["text_a"])), embed(list(frame["text_b"]))
        return np.sum(ea * eb, axis=1)

    train_truth = (train["relation"] == "same_claim").values
    cos_cut = f1_cutoff(cosine(train), train_truth)
    mine_cut = f1_cutoff(_mining_scores(train["text_a"], train["text_b"], embed), train_truth)
    old_p, old_cut = _old_calibrator_scores(test["text_a"], test["text_b"], embed)
    # A second operating point of the same model: the lowest cut-off at which its precision on the
    # train split reaches the MRPC calibrator's precision there (the model was fitted on those
    # pairs, so its train precision is a little optimistic).
    train_p = relate_pairs(train["text_a"], train["text_b"], encoder, cache=cache, model=model)["p_same_claim"].values
    old_train_p, _ = _old_calibrator_scores(train["text_a"], train["text_b"], embed)
    old_train_precision = _prf(train_truth, old_train_p >= old_cut)[0]
    candidates = np.unique(train_p)
    matched = [c for c in candidates if _prf(train_truth, train_p >= c)[0] >= old_train_precision]
    matched_cut = float(min(matched)) if matched else float(candidates.max())
    test_cosine = cosine(test)
    predictions = {
        "relation_model": ours["same_claim"].values,
        "relation_model_precision_matched": ours["p_same_claim"].values >= matched_cut,
        "cosine": test_cosine >= cos_cut,
        "mrpc_calibrator": old_p >= old_cut,
        "paraphrase_mining": _mining_scores(test["text_a"], test["text_b"], embed) >= mine_cut,
        "every_pair": np.ones(len(test), dtype=bool),
    }

    def block(guess) -> dict:
        out = {}
        for k, name in enumerate(("precision", "recall", "f1")):
            out[f"same_claim_{name}"] = estimate(_metric(k), truth, guess, n=n_boot, seed=seed, groups=groups)
        out["framed_differently_recall"] = estimate(
            lambda t, g: float(np.mean(g[t])) if t.any() else float("nan"), framed, guess, n=n_boot, seed=seed,
            groups=groups)
        p, r, f = _prf(shares, guess)
        out["shares_claim"] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}
        return out

    metrics = block(predictions["relation_model"])
    for name, score in (("same_claim_auc", ours["p_same_claim"].values), ("cosine_auc", test_cosine)):
        metrics[name] = estimate(_auc, truth, score, n=n_boot, seed=seed, groups=groups)
    guess_contradiction = (ours["relation"] == "contradiction").values
    metrics["contradiction_precision"] = estimate(_metric(0), contradiction, guess_contradiction, n=n_boot,
                                                  seed=seed, groups=groups)
    metrics["contradiction_recall"] = estimate(_metric(1), contradiction, guess_contradiction, n=n_boot,
                                               seed=seed, groups=groups)
    metrics["relation_accuracy"] = round(float(np.mean(ours["relation"].values == test["relation"].values)), 4)
    metrics["confusion"] = {t: {g: int(np.sum((test["relation"].values == t) & (ours["relation"].values == g)))
                                for g in ("same_claim", "overlap", "contradiction", "related")}
                            for t in ("same_claim", "overlap", "contradiction", "related")}
    sampled = test["pair_id"].str.startswith("rel-aligned-").values
    for subset_name, mask in (("seeds", (test["dataset"] == "seeds").values),
                              ("basil", ((test["dataset"] == "basil").values & ~sampled)),
                              ("chosen", ~sampled), ("aligned_sample", sampled)):
        if not mask.any():
            continue
        p, r, f = _prf(truth[mask], predictions["relation_model"][mask])
        metrics[f"{subset_name}_same_claim"] = {
            "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "n": int(mask.sum()),
            "auc": round(_auc(truth[mask], ours["p_same_claim"].values[mask]), 4),
            "cosine_auc": round(_auc(truth[mask], test_cosine[mask]), 4),
            "every_pair_f1": round(_prf(truth[mask], np.ones(int(mask.sum()), bool))[2], 4),
            "cosine_f1": round(_prf(truth[mask], predictions["cosine"][mask])[2], 4),
            "mrpc_calibrator_f1": round(_prf(truth[mask], predictions["mrpc_calibrator"][mask])[2], 4),
        }

    mrpc = mrpc_pairs(data_dir, "test")
    mrpc = subset(mrpc, mrpc["cross"])
    mrpc_table = relate_pairs(mrpc["a"], mrpc["b"], encoder, cache=cache, model=model)
    mrpc_y = mrpc["y"].astype(bool)
    metrics["mrpc_test_f1"] = estimate(_metric(2), mrpc_y, mrpc_table["same_claim"].values, n=n_boot, seed=seed)
    metrics["mrpc_test_average_precision"] = round(float(average_precision_score(mrpc_y, mrpc_table["p_same_claim"])),
                                                   4)
    old_mrpc, _ = _old_calibrator_scores(mrpc["a"], mrpc["b"], embed)
    metrics["seed_examples"] = _seed_examples(data_dir, model, embed, encoder, cache)
    metrics.update({"n_test": int(len(test)), "n_test_same_claim": int(truth.sum()),
                    "n_test_framed_differently": int(framed.sum()), "n_test_contradiction": int(contradiction.sum()),
                    "n_train": int(len(train)), "threshold": round(float(model.threshold_), 4)})

    baselines = {name: block(guess) for name, guess in predictions.items() if name != "relation_model"}
    baselines["relation_model_precision_matched"]["threshold_from_train"] = round(matched_cut, 4)
    baselines["relation_model_precision_matched"]["note"] = (
        "not a baseline: the relation model at the cut-off matching the MRPC calibrator's train precision")
    baselines["cosine"]["threshold_from_train"] = round(float(cos_cut), 4)
    baselines["paraphrase_mining"]["threshold_from_train"] = round(float(mine_cut), 4)
    baselines["mrpc_calibrator"]["mrpc_test_f1"] = round(_prf(mrpc_y, old_mrpc >= old_cut)[2], 4)
    baselines["mrpc_calibrator"]["mrpc_test_average_precision"] = round(
        float(average_precision_score(mrpc_y, old_mrpc)), 4)
    return {
        "name": NAME,
        "metrics": metrics,
        "baselines": baselines,
        "published": {},
        "notes": [
            "Labels: docs/relation_labelling_guide.md, one labeller; test split by event (BASIL triplet; all seed "
            "pairs are test), nothing tuned on it.",
            "Intervals: bootstrap over BASIL events, seed pairs one by one, 95% percentile.",
            "Cut-offs of the baselines: best F1 on the train split; the relation model's threshold: best F1 on "
            "its in-domain training pairs (the train split).",
            f"relation model: {model.provenance_.get('data')}",
        ],
    }


if __name__ == "__main__":
    from benchmarks.standalone import run_standalone

    run_standalone(run)
