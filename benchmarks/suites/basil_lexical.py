"""BASIL lexical bias: does the word-choice evidence find the sentences annotators marked as loaded?

Data: ``<data_dir>/basil/basil_dev_sentences.jsonl`` (Fan et al. 2019): 72 same-event triples from
Fox News, NYT and HuffPost, each sentence marked ``lex`` when it holds a lexical-bias span.
The word-loadedness model is fitted on BASIL dev, so every BASIL number here is out of fold: five
folds grouped by event triple (``GroupKFold`` on ``triplet_uuid``), each fold scored by a model fitted
on the other four, its flag threshold chosen on the other folds' out-of-fold scores.

1. Sentence level: a sentence's loadedness is the weight of its most loaded word as the
   word-choice signal weighs it (team lexicon: loaded words and reporting verbs, quoted words
   halved). Flagged when loadedness >= 0.5, the lexicon's own "clearly loaded" mark (not tuned).
   Precision, recall, F1 and ROC-AUC against ``lex``.
2. Pairwise: cross-outlet pairs of one event that the aligner would pair (mutual best cosine
   >= 0.6, all-MiniLM-L6-v2) where exactly one sentence holds a lexical-bias span: how often the
   library names that sentence as the more loaded one (higher loadedness among the words the
   diff changed; a tie names neither and counts one half).

Run ``python -m benchmarks.suites.basil_lexical`` to print the JSON.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np

from training.datasets import basil_sentences

NAME = "basil_lexical"
THRESHOLD = 0.5
ALIGN_THRESHOLD = 0.6


def _prf(y, pred) -> tuple[float, float, float]:
    y, pred = np.asarray(y, dtype=bool), np.asarray(pred, dtype=bool)
    tp = np.sum(y & pred)
    p = tp / pred.sum() if pred.sum() else 0.0
    r = tp / y.sum() if y.sum() else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return float(p), float(r), float(f)


def _auc(y, s) -> float:
    from sklearn.metrics import roc_auc_score

    y = np.asarray(y, dtype=bool)
    return float(roc_auc_score(y, s)) if 0 < y.sum() < len(y) else float("nan")


def sentence_loadedness(text: str, lexicon=None) -> float:
    """Weight of the most loaded word (word-choice weighting: no intensifiers, quotes halved)."""
    from narrativediff.framing.wordchoice import loaded_words

    found = loaded_words(text, lexicon=lexicon, boosters=False)
    return max((w for _, w, _ in found), default=0.0)


def changed_loadedness(text_a: str, text_b: str, lexicon=None) -> tuple[float, float]:
    """Most loaded changed word on each side of the word diff."""
    from narrativediff.framing.lexicon import default_lexicon
    from narrativediff.framing.records import PairContext
    from narrativediff.framing.wordchoice import _loaded_in

    lexicon = lexicon or default_lexicon()
    ctx = PairContext.build(text_a, text_b)
    best = {"a": 0.0, "b": 0.0}
    for op in ctx.changed:
        for side, (k1, k2) in (("a", (op.i1, op.i2)), ("b", (op.j1, op.j2))):
            for weight, _, _ in _loaded_in(ctx, side, k1, k2, lexicon):
                best[side] = max(best[side], weight)
    return best["a"], best["b"]


def aligned_pairs(sentences, embeddings: np.ndarray) -> list[tuple[int, int, float]]:
    """Mutual-best cross-outlet pairs with cosine >= 0.6 inside each event triple."""
    out = []
    for _, group in sentences.groupby("triplet_uuid"):
        sources = sorted(group["source"].unique())
        for sa, sb in itertools.combinations(sources, 2):
            ia = group.index[group["source"] == sa].to_numpy()
            ib = group.index[group["source"] == sb].to_numpy()
            sim = embeddings[ia] @ embeddings[ib].T
            best_b, best_a = sim.argmax(axis=1), sim.argmax(axis=0)
            for x, y in enumerate(best_b):
                if sim[x, y] >= ALIGN_THRESHOLD and best_a[y] == x:
                    out.append((int(ia[x]), int(ib[y]), float(sim[x, y])))
    return out


def _out_of_fold(sentences):
    """Out-of-fold sentence loadedness (word model, own words only) and per-fold thresholds."""
    from sklearn.model_selection import GroupKFold

    from training.fit_word_loadedness import basil_word_rows, cross_validate, N_FOLDS

    rows = basil_word_rows(sentences)
    cv = cross_validate(sentences, rows)
    score = cv["oof_sentence"]
    y = sentences["lex"].to_numpy()
    groups = sentences["triplet_uuid"].to_numpy()
    flagged = np.zeros(len(score), dtype=bool)
    for train, test in GroupKFold(n_splits=N_FOLDS).split(score, y, groups):
        candidates = np.unique(np.quantile(score[train], np.linspace(0.5, 0.995, 200)))
        f1s = [_prf(y[train], score[train] >= t)[2] for t in candidates]
        flagged[test] = score[test] >= candidates[int(np.argmax(f1s))]
    return score, flagged


def run(*, data_dir: Path, quick: bool = False, seed: int = 0) -> dict:
    from benchmarks.stats import estimate
    from benchmarks.suites.mrpc import embed
    from narrativediff.framing.tone import sentiment

    sentences = basil_sentences(data_dir)
    if quick:
        keep = sorted(sentences["triplet_uuid"].unique())[:8]
        sentences = sentences[sentences["triplet_uuid"].isin(keep)]
    sentences = sentences.reset_index(drop=True)
    n_boot = 200 if quick else 1000
    y = sentences["lex"].to_numpy()
    groups = sentences["triplet_uuid"].to_numpy()
    lexicon_score = np.array([sentence_loadedness(t) for t in sentences["text"]])
    vader = np.array([abs(sentiment(t)) for t in sentences["text"]])
    length = sentences["text"].str.len().to_numpy(dtype=float)
    score, flagged = _out_of_fold(sentences)

    def metric(i):
        return lambda yy, ff: _prf(yy, ff)[i]

    sentence_level = {
        "precision": estimate(metric(0), y, flagged, n=n_boot, seed=seed, groups=groups),
        "recall": estimate(metric(1), y, flagged, n=n_boot, seed=seed, groups=groups),
        "f1": estimate(metric(2), y, flagged, n=n_boot, seed=seed, groups=groups),
        "roc_auc": estimate(_auc, y, score, n=n_boot, seed=seed, groups=groups),
        "threshold": "per fold, best F1 on the other folds' out-of-fold scores",
        "flagged_share": round(float(flagged.mean()), 4),
        "n_sentences": int(len(y)),
        "n_lex": int(y.sum()),
    }
    best_f1 = max(_prf(y, lexicon_score >= t)[2] for t in np.unique(lexicon_score))
    # Per outlet: across event triples, does the predicted rate of loaded sentences follow the annotated one?
    from scipy.stats import spearmanr

    per_outlet = {}
    frame = sentences.assign(flagged=flagged, score=score)
    for source, part in frame.groupby("source"):
        rates = part.groupby("triplet_uuid").agg(lex=("lex", "mean"), flagged=("flagged", "mean"), score=("score", "mean"))
        rho = spearmanr(rates["score"], rates["lex"]).statistic
        rho_len = spearmanr(part.groupby("triplet_uuid")["text"].apply(lambda t: t.str.len().mean()), rates["lex"]).statistic
        per_outlet[source] = {"spearman_mean_loadedness_vs_lex_rate": round(float(rho), 4),
                              "baseline_mean_length_spearman": round(float(rho_len), 4), "n_triples": int(len(rates))}

    embeddings = embed(sentences["text"].tolist())
    pairs = aligned_pairs(sentences, embeddings)
    decided_correct, outcome, base_vader, base_len, base_old = [], [], [], [], []
    for i, j, _ in pairs:
        if sentences["lex"][i] == sentences["lex"][j]:
            continue
        lex_side = "a" if sentences["lex"][i] else "b"
        la, lb = score[i], score[j]
        ola, olb = changed_loadedness(sentences["text"][i], sentences["text"][j])
        base_old.append(0.5 if ola == olb else float(("a" if ola > olb else "b") == lex_side))
        if la == lb:
            outcome.append(0.5)
        else:
            hit = ("a" if la > lb else "b") == lex_side
            outcome.append(float(hit))
            decided_correct.append(hit)
        va, vb = vader[i], vader[j]
        base_vader.append(0.5 if va == vb else float(("a" if va > vb else "b") == lex_side))
        na, nb = len(sentences["text"][i]), len(sentences["text"][j])
        base_len.append(0.5 if na == nb else float(("a" if na > nb else "b") == lex_side))
    outcome_arr = np.array(outcome)
    mean = lambda v: float(np.mean(v)) if len(v) else float("nan")  # noqa: E731
    pairwise = {
        "accuracy_ties_half": estimate(mean, outcome_arr, n=n_boot, seed=seed),
        "decided_share": round(float(np.mean(outcome_arr != 0.5)), 4) if len(outcome) else None,
        "accuracy_when_decided": round(mean(decided_correct), 4),
        "n_pairs_one_lex": int(len(outcome)),
        "n_aligned_pairs": int(len(pairs)),
    }
    return {
        "name": NAME,
        "metrics": {"sentence_level": sentence_level, "pairwise": pairwise, "per_outlet": per_outlet},
        "baselines": {
            "sentence_level": {
                "vader_abs_compound_auc": round(_auc(y, vader), 4),
                "sentence_length_auc": round(_auc(y, length), 4),
                "lexicon_only_loadedness_auc": round(_auc(y, lexicon_score), 4),
                "lexicon_only_f1_at_0.5": round(_prf(y, lexicon_score >= THRESHOLD)[2], 4),
                "flag_everything_f1": round(_prf(y, np.ones(len(y), dtype=bool))[2], 4),
                "lexicon_oracle_threshold_f1": round(best_f1, 4),
            },
            "pairwise": {
                "random": 0.5,
                "more_negative_or_positive_vader": round(mean(base_vader), 4),
                "longer_sentence": round(mean(base_len), 4),
                "lexicon_changed_words": round(mean(base_old), 4),
            },
        },
        "published": {
            "note": "No published lexicon-only figure on BASIL lexical bias; published BASIL numbers are for "
            "informational bias (EvCIM F1 44.10, van den Berg and Markert 2020), a different task.",
        },
        "notes": [
            "Threshold 0.5 is fixed a priori (the lexicon's 'clearly loaded' mark); the oracle-threshold F1 is "
            "shown only as a ceiling for this lexicon, not as a result.",
            "Intervals: bootstrap over event triples (sentence level) and over pairs (pairwise), 95%.",
            "BASIL marks lexical bias in context (target, polarity); a word list sees only the word.",
        ],
    }


if __name__ == "__main__":
    from benchmarks.standalone import run_standalone

    run_standalone(run)
