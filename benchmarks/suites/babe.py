"""BABE: do the words the library flags as loaded match the words experts marked as biased?

Data: ``<data_dir>/babe/final_labels_SG2.csv`` (Spinde et al. 2021; ``;``-separated): 3,674 news
sentences labelled Biased / Non-biased by experts, with the ``biased_words`` that make them so.
Nothing is fitted on BABE; the shipped lexicon was written without it.

- Word level: a word is flagged when its loadedness (team lexicon: loaded words, reporting verbs,
  intensifiers; quoted words halved) is at least 0.5, fixed a priori. Precision, recall and F1 of
  the flagged word types per sentence against ``biased_words`` (lower case, micro-averaged over
  sentences; multi-word entries count each word).
- Sentence level, for context only: "Biased" when any word is flagged, macro-F1 against
  ``label_bias``, quoted beside the published 0.804 of a fine-tuned transformer (a different
  kind of model that learns from BABE itself).
- Baseline: VADER's lexicon (MIT), flagging words with |valence| >= 2.

Run ``python -m benchmarks.suites.babe`` to print the JSON.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from training.datasets import babe_rows

NAME = "babe"
THRESHOLD = 0.5
VADER_MIN = 2.0


def flagged_words(text: str, *, lexicon=None) -> set[str]:
    from narrativediff.framing.wordchoice import loaded_words

    return {tok.norm for tok, _, _ in loaded_words(text, lexicon=lexicon, min_weight=THRESHOLD)}


def model_flagged_words(texts: list[str]) -> list[set[str]]:
    """Own words (outside quotes) at or above the shipped word model's ``threshold_`` (fitted on BASIL)."""
    from narrativediff.framing.loadedness import default_word_model, word_loadedness
    from narrativediff.framing.records import sentence_tokens

    model = default_word_model()
    out = []
    for text, p in zip(texts, word_loadedness(texts, model=model)):
        toks = sentence_tokens(text)
        out.append({toks[k].norm for k in np.flatnonzero(p >= model.threshold_)})
    return out


def vader_words(text: str) -> set[str]:
    from narrativediff.text.tokens import tokenize
    from narrativediff.framing.tone import _analyzer

    lex = _analyzer().lexicon
    return {t.norm for t in tokenize(text) if abs(lex.get(t.norm, 0.0)) >= VADER_MIN}


def _counts(pred: list[set], gold: list[set]) -> np.ndarray:
    """Per sentence: true positives, predicted, gold."""
    return np.array([[len(p & g), len(p), len(g)] for p, g in zip(pred, gold)], dtype=float)


def _prf(counts: np.ndarray, which: int) -> float:
    tp, npred, ngold = counts.sum(axis=0)
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    return float([p, r, 2 * p * r / (p + r) if p + r else 0.0][which])


def _macro_f1(y, pred) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(np.asarray(y, dtype=bool), np.asarray(pred, dtype=bool), average="macro"))


def run(*, data_dir: Path, quick: bool = False, seed: int = 0) -> dict:
    from benchmarks.stats import estimate

    rows = babe_rows(data_dir)
    if quick:
        rows = rows[:300]
    n_boot = 200 if quick else 1000
    gold = [r["gold"] for r in rows]
    lexicon_only = [flagged_words(r["text"]) for r in rows]
    ours = model_flagged_words([r["text"] for r in rows])
    vader = [vader_words(r["text"]) for r in rows]
    counts, vcounts, lcounts = _counts(ours, gold), _counts(vader, gold), _counts(lexicon_only, gold)
    word_level = {
        name: estimate(lambda c, k=k: _prf(c, k), counts, n=n_boot, seed=seed)
        for k, name in enumerate(("precision", "recall", "f1"))
    }
    from narrativediff.framing.loadedness import default_word_model

    word_level.update({"threshold": round(default_word_model().threshold_, 6), "n_sentences": len(rows), "n_gold_words": int(counts[:, 2].sum()),
                       "n_flagged_words": int(counts[:, 1].sum())})
    labelled = [(r["label"] == "Biased", bool(p)) for r, p in zip(rows, ours) if r["label"] in ("Biased", "Non-biased")]
    y_sent, p_sent = np.array([a for a, _ in labelled]), np.array([b for _, b in labelled])
    v_sent = np.array([bool(v) for r, v in zip(rows, vader) if r["label"] in ("Biased", "Non-biased")])
    l_sent = np.array([bool(v) for r, v in zip(rows, lexicon_only) if r["label"] in ("Biased", "Non-biased")])
    return {
        "name": NAME,
        "metrics": {
            "word_level": word_level,
            "sentence_level_any_flag": {
                "macro_f1": estimate(_macro_f1, y_sent, p_sent, n=n_boot, seed=seed),
                "flagged_share": round(float(p_sent.mean()), 4),
            },
        },
        "baselines": {
            "vader_words_abs_valence_ge_2": {
                "precision": round(_prf(vcounts, 0), 4),
                "recall": round(_prf(vcounts, 1), 4),
                "f1": round(_prf(vcounts, 2), 4),
                "sentence_macro_f1": round(_macro_f1(y_sent, v_sent), 4),
            },
            "lexicon_only_at_0.5": {
                "precision": round(_prf(lcounts, 0), 4),
                "recall": round(_prf(lcounts, 1), 4),
                "f1": round(_prf(lcounts, 2), 4),
                "sentence_macro_f1": round(_macro_f1(y_sent, l_sent), 4),
            },
        },
        "published": {
            "sentence_macro_f1": {"value": 0.804, "source": "Spinde et al. 2021, fine-tuned transformer, "
                                  "sentence-level classification (context only: a different task and model)"},
        },
        "notes": [
            "Word level compares word types per sentence; BABE's biased_words are lower-cased, multi-word entries split.",
            "Flagged: own words (outside quotes) whose in-context loadedness from the word model fitted on BASIL dev "
            "reaches its threshold_ (chosen on BASIL folds); nothing is fitted or tuned on BABE.",
            "Intervals: bootstrap over sentences, 95%.",
        ],
    }


if __name__ == "__main__":
    from benchmarks.standalone import run_standalone

    run_standalone(run)
