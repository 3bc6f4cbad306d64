"""Fit the word-loadedness model shipped in ``narrativediff/framing/word_loadedness.json``.

Data: BASIL dev (``<data_dir>/basil/basil_dev_sentences.jsonl``, Fan et al. 2019). One row per word
token of the outlets' own wording (words inside a direct quote are left out); a word is positive
when it lies in a lexical-bias span that BASIL does not mark as quoted. Features: the four lexicon
features and the word's in-context vector from all-MiniLM-L6-v2
(:func:`narrativediff.framing.loadedness.word_feature_matrix`). BABE is never used here.

``C`` and the flag threshold were chosen by 5-fold cross-validation grouped by event triple
(``GroupKFold`` on ``triplet_uuid``): the threshold is the one with the best out-of-fold
sentence-level F1 against BASIL's ``lex``. The shipped weights are then fitted on every triple.

Run from the repository root::

    python -m training.fit_word_loadedness [DATA_DIR]           # cross-validate and fit, print the report
    python -m training.fit_word_loadedness [DATA_DIR] --write   # ... and rewrite the shipped file
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

import numpy as np

from training.datasets import DEFAULT_DATA_DIR, basil_sentences

__all__ = ["SHIPPED_C", "basil_word_rows", "cross_validate", "fit", "main"]

SHIPPED_C = 1.0
N_FOLDS = 5


def _vector_cache() -> None:
    os.environ.setdefault("NARRATIVEDIFF_WORDVEC_CACHE", os.path.join(tempfile.gettempdir(), "nd_wordvec_cache"))


def basil_word_rows(sentences):
    """Word rows of BASIL sentences: features ``X``, label ``y``, sentence index ``s``, own-words mask ``own``."""
    from narrativediff.framing.context import word_vectors
    from narrativediff.framing.loadedness import word_feature_matrix
    from narrativediff.framing.records import lone_quote_info, quoted_mask_of, sentence_tokens

    _vector_cache()
    texts = [str(t) for t in sentences["text"]]
    vectors = word_vectors(texts)
    X, y, s, own = [], [], [], []
    for i, (text, spans) in enumerate(zip(texts, sentences["spans"])):
        toks = sentence_tokens(text)
        label = np.zeros(len(toks))
        for span in spans:
            if span.get("bias") != "lex" or span.get("quote", "no") == "yes":
                continue
            for k, tok in enumerate(toks):
                if tok.start < span["end"] and tok.end > span["start"]:
                    label[k] = 1
        X.append(word_feature_matrix(text, vectors[i]))
        y.append(label)
        s.append(np.full(len(toks), i))
        own.append(~np.array(quoted_mask_of(text, lone_quote_info(text)), dtype=bool))
    return np.vstack(X), np.concatenate(y), np.concatenate(s), np.concatenate(own)


def _sentence_max(p, s, n):
    out = np.zeros(n)
    np.maximum.at(out, s, p)
    return out


def cross_validate(sentences, rows=None, *, C: float = SHIPPED_C) -> dict:
    """Out-of-fold word and sentence scores, folds grouped by event triple; the best-F1 threshold."""
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import GroupKFold

    from narrativediff.framing.loadedness import WordLoadedness

    X, y, s, own = rows if rows is not None else basil_word_rows(sentences)
    groups = sentences["triplet_uuid"].to_numpy()[s]
    oof = np.zeros(len(y))
    for train, test in GroupKFold(n_splits=N_FOLDS).split(X, y, groups):
        train = train[own[train]]
        model = WordLoadedness(C=C).fit(X[train], y[train])
        oof[test] = model.word_probability(X[test])
    oof[~own] = 0.0
    sentence = _sentence_max(oof, s, len(sentences))
    lex = sentences["lex"].to_numpy()
    candidates = np.unique(np.quantile(sentence, np.linspace(0.5, 0.995, 200)))
    f1s = [2 * np.sum((sentence >= t) & lex) / max(1, (sentence >= t).sum() + lex.sum()) for t in candidates]
    best = int(np.argmax(f1s))
    return {"oof_word": oof, "oof_sentence": sentence, "threshold": float(candidates[best]),
            "metrics": {"word_auc": round(float(roc_auc_score(y[own], oof[own])), 4),
                        "sentence_auc": round(float(roc_auc_score(lex, sentence)), 4),
                        "sentence_f1_at_threshold": round(float(f1s[best]), 4), "folds": N_FOLDS}}


def fit(data_dir=None, *, C: float = SHIPPED_C):
    """Cross-validate, then fit on every BASIL dev triple; the model with its provenance."""
    from narrativediff.framing.loadedness import WordLoadedness

    sentences = basil_sentences(data_dir).reset_index(drop=True)
    rows = basil_word_rows(sentences)
    cv = cross_validate(sentences, rows, C=C)
    X, y, s, own = rows
    model = WordLoadedness(C=C).fit(X[own], y[own], provenance={
        "data": "BASIL dev (basil/basil_dev_sentences.jsonl, Fan et al. 2019): word tokens of the outlets' own "
                "wording; positive inside a lexical-bias span not marked as quoted",
        "split": f"all {sentences['triplet_uuid'].nunique()} event triples; metrics are {N_FOLDS}-fold "
                 "cross-validated with folds grouped by triplet_uuid (GroupKFold)",
        "metrics": {"cross_validated": cv["metrics"]},
        "target": "word in a BASIL lexical-bias span outside quotes",
        "made": f"LogisticRegression(C={C}) on the lexicon features and the all-MiniLM-L6-v2 in-context word vector",
        "chosen_by": "C from {0.1, 1} by grouped cross-validated sentence AUC; threshold by grouped out-of-fold "
                     "sentence F1 against BASIL lex",
        "script": "python -m training.fit_word_loadedness --write",
        "never_fitted_on": "BABE (evaluation only)",
    })
    model.threshold_ = round(cv["threshold"], 6)
    model.n_samples_ = int(own.sum())
    return model, cv


def main(argv=None) -> int:
    from narrativediff.framing.loadedness import DEFAULT_WORD_MODEL_PATH

    argv = sys.argv[1:] if argv is None else argv
    folders = [arg for arg in argv if not arg.startswith("--")]
    data_dir = Path(folders[0]) if folders else Path(os.environ.get("NARRATIVEDIFF_DATA", DEFAULT_DATA_DIR))
    model, cv = fit(data_dir)
    report = {"metrics": cv["metrics"], "threshold_": model.threshold_, "lexicon_coef": model.coef_[:4].tolist()}
    if "--write" in argv:
        model.save(DEFAULT_WORD_MODEL_PATH)
        report["written"] = str(DEFAULT_WORD_MODEL_PATH)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
