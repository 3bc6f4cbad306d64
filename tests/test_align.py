"""Alignment: matching rules, symmetry, calibrated probabilities (synthetic embeddings; the model is beside the point)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from narrativediff.align import pairs as align
from narrativediff.align.features import FEATURES, TokenIndex, pair_feature_matrices, pair_features
from narrativediff.align.model import SameClaimCalibrator, best_cutoff, default_calibrator
from narrativediff.exceptions import InvalidInputError, InvalidParameterError, NotFittedError
from synthetic import WORDS, random_story, unit

ROOT = Path(__file__).resolve().parents[1]


def pair_set(table):
    return {
        (frozenset({(r.source_a, r.sent_a), (r.source_b, r.sent_b)}), round(r.similarity, 5),
         round(getattr(r, "probability", 0.0), 5))
        for r in table.itertuples()
    }


# --- match_pairs ------------------------------------------------------------------------------

def test_threshold_is_many_to_many_and_hungarian_one_to_one():
    # row 0 restates both columns (one sentence restating two); row 1 matches column 0 only
    s = np.array([[0.90, 0.85], [0.80, 0.10]])
    rows, cols = align.match_pairs(s, method="threshold", threshold=0.5)
    assert list(zip(rows, cols)) == [(0, 0), (0, 1), (1, 0)]
    rows, cols = align.match_pairs(s, method="hungarian", threshold=0.5)
    assert list(zip(rows, cols)) == [(0, 1), (1, 0)]  # total 1.65 beats 0.90 + 0.10
    rows, cols = align.match_pairs(s, method="mutual", threshold=0.5)
    assert list(zip(rows, cols)) == [(0, 0)]


def test_match_pairs_never_keeps_pairs_at_or_below_threshold():
    s = np.random.default_rng(0).uniform(-1, 1, size=(7, 9))
    for method in align.METHODS:
        rows, cols = align.match_pairs(s, method=method, threshold=0.3)
        assert np.all(s[rows, cols] > 0.3)


def test_mutual_and_hungarian_are_one_to_one():
    s = np.random.default_rng(1).uniform(0, 1, size=(12, 10))
    for method in ("mutual", "hungarian"):
        rows, cols = align.match_pairs(s, method=method, threshold=0.0)
        assert len(set(rows)) == len(rows) and len(set(cols)) == len(cols)


def test_bad_options_raise_parameter_errors():
    with pytest.raises(InvalidParameterError, match="method"):
        align.match_pairs(np.zeros((2, 2)), method="greedy")
    with pytest.raises(InvalidParameterError, match="threshold"):
        align.match_pairs(np.zeros((2, 2)), threshold=3)
    table, vectors = random_story(0)
    with pytest.raises(InvalidInputError):
        align.align_sentences(table, vectors[:-1])
    with pytest.raises(InvalidParameterError, match="min_probability"):
        align.align_sentences(table, vectors, min_probability=2)


# --- align_sentences ----------------------------------------------------------------------------

@pytest.mark.parametrize("method", align.METHODS)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_alignment_is_symmetric_in_the_order_of_outlets(method, seed):
    table, vectors = random_story(seed)
    forward = align.align_sentences(table, vectors, method=method, threshold=0.3)
    order = np.argsort(-table["source"].str[1:].astype(int).to_numpy(), kind="stable")
    backward = align.align_sentences(table.iloc[order].reset_index(drop=True), vectors[order],
                                     method=method, threshold=0.3)
    assert len(forward) > 0
    assert pair_set(forward) == pair_set(backward)


def test_alignment_table_contract():
    table, vectors = random_story(3)
    result = align.align_sentences(table, vectors, threshold=0.3)
    assert list(result.columns[:5]) == ["source_a", "sent_a", "source_b", "sent_b", "similarity"]
    assert {"probability", "same_claim"} <= set(result.columns)
    assert result["probability"].between(0, 1).all()
    assert (result["source_a"] != result["source_b"]).all()
    order = {s: i for i, s in enumerate(dict.fromkeys(table["source"]))}
    assert (result["source_a"].map(order) < result["source_b"].map(order)).all()
    assert (result["similarity"] > 0.3).all()
    # the similarity column is the cosine of the two sentences
    key = {(r.source, r.sent_id): i for i, r in enumerate(table.itertuples())}
    first = result.iloc[0]
    i, j = key[(first.source_a, first.sent_a)], key[(first.source_b, first.sent_b)]
    assert first.similarity == pytest.approx(float(vectors[i] @ vectors[j]), abs=1e-5)


def test_min_probability_filters_and_calibrator_false_drops_probability():
    table, vectors = random_story(4)
    everything = align.align_sentences(table, vectors, threshold=0.2)
    sure = align.align_sentences(table, vectors, threshold=0.2, min_probability=0.5)
    assert len(sure) < len(everything)
    assert (sure["probability"] >= 0.5).all()
    bare = align.align_sentences(table, vectors, threshold=0.2, calibrator=False)
    assert list(bare.columns) == ["source_a", "sent_a", "source_b", "sent_b", "similarity"]
    assert len(bare) == len(everything)


def test_no_outlet_pairs_gives_empty_table_with_columns():
    table = pd.DataFrame({"source": ["A", "A"], "sent_id": [0, 1], "text": ["x y", "z w"]})
    result = align.align_sentences(table, unit([[1, 0], [0, 1]]))
    assert len(result) == 0 and "similarity" in result.columns


def test_default_threshold_is_the_one_fitted_on_mrpc():
    cutoff = default_calibrator().provenance_["cosine_threshold_f1"]
    assert align.DEFAULT_THRESHOLD == pytest.approx(cutoff, abs=0.005)


# --- features and calibration -----------------------------------------------------------------

def plain_features(text_a, text_b, cosine):
    """Obviously correct reference for the vectorised features."""
    from narrativediff.align.features import _NUMBER, _STOP, _WORD

    def parts(text):
        tokens = _WORD.findall(text.lower())
        numbers = {t.replace(",", "").replace(".", "") for t in tokens if _NUMBER.search(t)}
        words = {t for t in tokens if not _NUMBER.search(t) and t not in _STOP}
        grams = set()
        for t in tokens:
            padded = " " + t + " "
            grams |= {padded[i:i + 4] for i in range(len(padded) - 3)} if len(padded) >= 4 else {padded}
        return tokens, words, numbers, grams

    ta, wa, na, ga = parts(text_a)
    tb, wb, nb, gb = parts(text_b)
    overlap = len(wa & wb) / len(wa | wb) if wa | wb else 0.0
    char_overlap = len(ga & gb) / len(ga | gb) if ga | gb else 0.0
    ratio = min(len(ta), len(tb)) / max(len(ta), len(tb)) if max(len(ta), len(tb)) else 1.0
    numbers = len(na & nb) / len(na | nb) if na | nb else 1.0
    return [cosine, overlap, char_overlap, ratio, numbers]


TEXTS = [
    "China produced 90 percent of the microelectronics Russia imported last year.",
    "Ninety percent of the microelectronics, 70 percent of machine tools come from China.",
    "Seventy percent of the machine tools, 90 percent of the microelectronics are coming from China.",
    "Yucaipa sold the chain to Safeway in 1998 for $2.5 billion.",
    "Yucaipa sold it to Safeway for $1.8 billion in 1998.",
    "",
    "The the the.",
]


def test_vectorised_features_agree_with_plain_reference():
    index = TokenIndex.from_texts(TEXTS)
    rows_a, rows_b = np.triu_indices(len(TEXTS), k=1)
    cosine = np.linspace(-0.5, 0.9, len(rows_a))
    fast = pair_features(index, rows_a, rows_b, cosine)
    slow = np.array([plain_features(TEXTS[a], TEXTS[b], c) for a, b, c in zip(rows_a, rows_b, cosine)])
    np.testing.assert_allclose(fast, slow, atol=1e-9)
    square = np.zeros((len(TEXTS), len(TEXTS)))
    square[rows_a, rows_b] = cosine
    square = square + square.T
    matrices = pair_feature_matrices(index, square)
    for k in range(len(FEATURES)):
        np.testing.assert_allclose(matrices[k][rows_a, rows_b], fast[:, k], atol=1e-9)
        np.testing.assert_allclose(matrices[k], matrices[k].T, atol=1e-12)  # symmetric in a and b


def test_spelling_variants_still_overlap():
    index = TokenIndex.from_texts(["Russia's defence industrial base", "Russia's defense industrial base",
                                   "Russia's navy industrial base"])
    features = pair_features(index, [0, 0], [1, 2], [0.9, 0.9])
    char = FEATURES.index("char_overlap")
    assert features[0, char] > features[1, char]


def test_number_disagreement_lowers_probability():
    texts = ["Yucaipa sold the chain to Safeway in 1998 for $2.5 billion.",
             "Yucaipa sold the chain to Safeway in 1998 for $2.5 billion.",
             "Yucaipa sold the chain to Safeway in 1995 for $1.8 billion."]
    index = TokenIndex.from_texts(texts)
    model = default_calibrator()
    same_numbers, other_numbers = model.predict_proba(pair_features(index, [0, 0], [1, 2], [0.9, 0.9]))[:, 1]
    assert same_numbers > other_numbers


def test_shipped_calibration_is_documented_and_monotone_in_cosine():
    model = default_calibrator()
    assert "MRPC" in model.provenance_["data"] and "train" in model.provenance_["split"]
    assert model.n_samples_ > 3000
    assert 0 < model.threshold_ < 1
    X = np.column_stack([np.linspace(0, 1, 11), np.full(11, 0.3), np.full(11, 0.4), np.full(11, 0.8), np.ones(11)])
    assert np.all(np.diff(model.predict_proba(X)[:, 1]) > 0)


def test_refit_on_own_labels_and_round_trip(tmp_path):
    rng = np.random.default_rng(0)
    X = np.column_stack([rng.uniform(0, 1, 400), rng.uniform(0, 1, 400), rng.uniform(0, 1, 400),
                         rng.uniform(0.2, 1, 400), np.ones(400)])
    y = (X[:, 0] + 0.3 * rng.normal(size=400) > 0.6).astype(int)
    model = SameClaimCalibrator(features=("cosine", "word_overlap"), decision="accuracy").fit(
        X, y, provenance={"data": "mine"})
    assert model.coef_[0] > 0 and model.n_samples_ == 400
    assert np.mean(model.predict(X) == y) > 0.7
    file = tmp_path / "calibration.json"
    model.save(file)
    again = SameClaimCalibrator.load(file)
    np.testing.assert_array_equal(again.predict_proba(X), model.predict_proba(X))
    assert again.provenance_["data"] == "mine" and again.get_params() == model.get_params()
    table, vectors = random_story(5)
    with_own = align.align_sentences(table, vectors, threshold=0.2, calibrator=again)
    index = TokenIndex.from_texts(table["text"].tolist())
    key = {(r.source, r.sent_id): i for i, r in enumerate(table.itertuples())}
    rows_a = [key[(r.source_a, r.sent_a)] for r in with_own.itertuples()]
    rows_b = [key[(r.source_b, r.sent_b)] for r in with_own.itertuples()]
    expected = again.predict_proba(pair_features(index, rows_a, rows_b, with_own["similarity"]))[:, 1]
    np.testing.assert_allclose(with_own["probability"], expected)


def test_calibrator_errors(tmp_path):
    with pytest.raises(NotFittedError):
        SameClaimCalibrator().predict_proba(np.zeros((1, len(FEATURES))))
    with pytest.raises(NotFittedError):
        SameClaimCalibrator().predict_proba_matrices([np.zeros((2, 2))] * len(FEATURES))
    with pytest.raises(InvalidParameterError, match="features"):
        SameClaimCalibrator(features=("cosine", "vibes")).fit(np.zeros((2, len(FEATURES))), [0, 1])
    with pytest.raises(InvalidInputError, match="both labels"):
        SameClaimCalibrator().fit(np.zeros((3, len(FEATURES))), [1, 1, 1])
    with pytest.raises(InvalidInputError, match="one column per feature"):
        SameClaimCalibrator().fit(np.zeros((3, 2)), [0, 1, 1])
    bad = tmp_path / "bad.json"
    bad.write_text('{"features": ["cosine"]}')  # not a fitted-parameters file
    with pytest.raises(InvalidInputError, match="not a narrativediff fitted-parameters file"):
        SameClaimCalibrator.load(bad)


def test_best_cutoff_matches_brute_force():
    rng = np.random.default_rng(2)
    score = np.round(rng.uniform(size=200), 2)  # ties on purpose
    y = rng.uniform(size=200) < score
    for criterion in ("f1", "accuracy"):
        def value(cut):
            p = score >= cut
            if criterion == "accuracy":
                return np.mean(p == y)
            return 2 * np.sum(p & y) / (p.sum() + y.sum())

        best = max(value(c) for c in np.unique(score))
        assert value(best_cutoff(score, y, criterion=criterion)) == pytest.approx(best)


def test_probability_matrix_matches_pairwise_probabilities():
    table, vectors = random_story(6, n_sources=3, n_sentences=4)
    matrix = align.probability_matrix(table["text"], vectors)
    aligned = align.align_sentences(table, vectors, threshold=-1.0)
    key = {(r.source, r.sent_id): i for i, r in enumerate(table.itertuples())}
    rows_a = [key[(r.source_a, r.sent_a)] for r in aligned.itertuples()]
    rows_b = [key[(r.source_b, r.sent_b)] for r in aligned.itertuples()]
    np.testing.assert_allclose(matrix[rows_a, rows_b], aligned["probability"], atol=1e-6)


class WordEncoder:
    """A test double for the Encoder protocol: bag of words over a tiny vocabulary."""

    name = "word-encoder"

    def encode(self, texts):
        rows = np.array([[text.lower().count(w) for w in WORDS] + [1.0] for text in texts], dtype=np.float32)
        return unit(rows)


def test_fit_from_pairs_with_any_encoder():
    from narrativediff.align.model import fit_from_pairs

    same = [("china ships machine tools", "china sends machine tools"), ("blinken visits beijing", "blinken in beijing")]
    other = [("china ships machine tools", "sanctions on moscow"), ("blinken visits beijing", "drones and missiles")]
    pairs = (same + other) * 5
    labels = [1, 1, 0, 0] * 5
    model = fit_from_pairs([a for a, _ in pairs], [b for _, b in pairs], labels, model=WordEncoder(),
                           provenance={"data": "test pairs"})
    assert model.provenance_["model"] == "word-encoder" and model.provenance_["n_pairs"] == 20
    assert model.provenance_["data"] == "test pairs" and model.provenance_["versions"]["scikit-learn"]
    table = pd.DataFrame({"source": ["A", "A", "B", "B"], "sent_id": [0, 1, 0, 1],
                          "text": ["china ships machine tools", "blinken visits beijing",
                                   "sanctions on moscow", "china sends machine tools"]})
    result = align.align_sentences(table, WordEncoder().encode(table["text"].tolist()), threshold=-1,
                                   calibrator=model)
    best = result.sort_values("probability").iloc[-1]
    assert (best.sent_a, best.sent_b) == (0, 1) and best.same_claim


def test_alignment_modules_import_no_heavy_dependencies():
    import subprocess
    import sys

    # align.model is the scikit-learn estimator, imported when a probability is first needed
    code = ("import sys, narrativediff, narrativediff.align, narrativediff.align.pairs, narrativediff.align.claims; "
            "print(sorted(m for m in ('sklearn', 'scipy', 'torch', 'sentence_transformers') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"
