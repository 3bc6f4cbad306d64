"""The relation model through the real encoder: content views, features, the classifier, seed examples, invariances."""

from __future__ import annotations

import numpy as np
import pytest

from narrativediff.align.content import content_view
from narrativediff.align.relation import (
    FEATURES,
    RELATIONS,
    PairIndex,
    RelationClassifier,
    default_relation_model,
    relate_pairs,
    relation_feature_block,
    relation_features,
    same_claim_matrix,
)
from narrativediff.exceptions import InvalidInputError, NotFittedError

BLINKEN_AFP = ("“When it comes to Russia’s defence industrial base, the primary contributor in this moment to that "
               "is China,” Blinken told reporters after the meeting in Capri.")
BLINKEN_POLITICO = ("Speaking following the G7 meeting, Blinken said that China is Russia’s “primary contributor” when "
                    "it comes to industrial support for arms.")
KEY_FACTOR_AFP = ("China has been the key factor in revitalising Russia’s defence industrial base “which had otherwise "
                  "suffered significant setbacks” since Russia’s invasion of Ukraine, a senior US official told "
                  "reporters on condition of anonymity.")
INSTRUMENTAL_NTB = ("China has been instrumental in reviving the foundation of Russia’s defense industry, “which has "
                    "otherwise suffered significant setbacks” since the invasion of Ukraine, an anonymous senior US "
                    "official said at a closed press briefing.")
PERCENT_NTB = ("According to the US, China produced 90 percent of the microelectronics, used to make missiles, tanks "
               "and aircraft, that Russia imported last year.")
PERCENT_VOA = "Seventy percent of the machine tools, 90 percent of the microelectronics are coming from China."


@pytest.fixture(scope="module")
def embed(encoder):
    from narrativediff.embed import embed_texts

    return lambda texts: embed_texts(list(texts), encoder)


@pytest.fixture(scope="module")
def model():
    return default_relation_model()


@pytest.fixture(scope="module")
def seed_text(seeds_dir):
    """``seed_text(outlet, start)``: the seed sentence of ``outlet`` that starts with ``start``."""
    import punkt

    sentences = {}
    for path in sorted(seeds_dir.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                sentences.setdefault(path.stem, []).extend(punkt.sent_tokenize(line.strip(), "english"))

    def find(outlet, start):
        found = [s for s in sentences[outlet] if s.startswith(start)]
        assert found, f"no {outlet} sentence starts with {start!r}"
        return found[0]

    return find


# --- content view -------------------------------------------------------------------------------

def test_content_view_maps_aliases_and_removes_frames():
    view = content_view("The US claims that Beijing is 'massively' helping Moscow.")
    assert view.text == "china is helping russia"
    assert view.actors == {"china", "russia"}
    assert {kind for kind, _ in view.masked} >= {"attribution frame", "actor alias", "booster"}


def test_content_view_canonicalises_reporting_verbs_but_keeps_denials():
    assert content_view("Blinken claimed that China helps Russia.").text == content_view(
        "Blinken said that China helps Russia.").text
    assert "denied" in content_view("China denied supplying weapons.").text
    assert content_view("China denied supplying weapons.").polarity == -1
    assert content_view("China supplied weapons.").polarity == 1


def test_content_view_reads_negation_but_not_not_just():
    assert content_view("China has not provided weapons to Russia.").polarity == -1
    assert content_view("It has an impact not just on the battlefield.").polarity == 1
    assert content_view("China hasn't provided weapons.").polarity == -1


def test_content_view_keeps_a_sentence_without_devices_and_the_pronoun_us():
    plain = "The ministers met in Capri on Friday."
    assert content_view(plain).text == plain
    assert "usa" not in content_view("He told us about the plan, adding more.").actors


def test_content_view_removes_a_trailing_speaker_frame():
    view = content_view(KEY_FACTOR_AFP)
    assert "official" not in view.text and "anonymity" not in view.text
    assert "factor" in view.text


def test_content_view_rejects_non_strings():
    with pytest.raises(InvalidInputError):
        content_view(None)


# --- features and the classifier ----------------------------------------------------------------

def test_pair_features_agree_with_the_block_form(encoder):
    texts = [BLINKEN_AFP, BLINKEN_POLITICO, KEY_FACTOR_AFP, INSTRUMENTAL_NTB, PERCENT_NTB, PERCENT_VOA, "No words"]
    index = PairIndex.from_texts(texts, encoder)
    n = len(texts)
    rows_a, rows_b = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    pairs = relation_features(index, rows_a.ravel(), rows_b.ravel())
    block = relation_feature_block(index, slice(0, n))
    assert pairs.shape == (n * n, len(FEATURES)) and len(block) == len(FEATURES)
    for k in range(len(FEATURES)):
        np.testing.assert_allclose(pairs[:, k], np.broadcast_to(block[k], (n, n)).ravel(), atol=1e-5)
    # symmetric in a and b
    np.testing.assert_allclose(pairs.reshape(n, n, -1), pairs.reshape(n, n, -1).transpose(1, 0, 2), atol=1e-5)


def test_same_claim_matrix_matches_relate_pairs(encoder, model):
    texts = [BLINKEN_AFP, BLINKEN_POLITICO, KEY_FACTOR_AFP, INSTRUMENTAL_NTB]
    matrix = same_claim_matrix(texts, encoder, model=model, block_size=3)
    assert matrix.shape == (4, 4) and np.allclose(np.diag(matrix), 1.0)
    table = relate_pairs([texts[0], texts[2], texts[1]], [texts[1], texts[3], texts[3]], encoder, model=model)
    np.testing.assert_allclose(table["p_same_claim"], [matrix[0, 1], matrix[2, 3], matrix[1, 3]], atol=1e-6)
    np.testing.assert_allclose(matrix, matrix.T, atol=1e-6)


def test_relate_pairs_table(encoder, model):
    table = relate_pairs([BLINKEN_AFP, PERCENT_NTB], [BLINKEN_POLITICO, BLINKEN_AFP], encoder, model=model)
    assert list(table.columns[:6]) == ["relation", "p_same_claim", "p_overlap", "p_contradiction", "p_related",
                                       "same_claim"]
    assert set(table["relation"]) <= set(RELATIONS)
    np.testing.assert_allclose(table[["p_same_claim", "p_overlap", "p_contradiction", "p_related"]].sum(axis=1), 1.0)
    assert table["same_claim"].tolist() == (table["p_same_claim"] >= model.threshold_).tolist()
    with pytest.raises(InvalidInputError):
        relate_pairs(["a"], ["b", "c"], encoder, model=model)


def test_classifier_is_a_scikit_learn_estimator(tmp_path):
    from sklearn.base import clone

    from narrativediff import fitted

    rng = np.random.default_rng(0)
    X = rng.random((80, len(FEATURES)))
    y = np.array(list(RELATIONS) + ["different"])[rng.integers(0, 5, 80)]
    X[y == "same_claim", 1] += 1.5
    model = RelationClassifier(C=0.5)
    with pytest.raises(NotFittedError):
        model.predict_proba(X)
    fitted_model = clone(model).fit(X, y)
    assert clone(model).get_params() == model.get_params()
    assert list(fitted_model.classes_) == list(RELATIONS)
    proba = fitted_model.predict_proba(X)
    assert proba.shape == (80, 4) and np.allclose(proba.sum(axis=1), 1)
    assert set(fitted_model.predict(X)) <= set(RELATIONS)
    assert fitted_model.weights().shape == (len(FEATURES), 4)
    path = fitted.save(fitted_model, tmp_path / "relation.json")
    again = fitted.load(RelationClassifier, path)
    np.testing.assert_allclose(again.predict_proba(X), proba)
    np.testing.assert_allclose(again.cosine_proba(X[:, 0]), fitted_model.cosine_proba(X[:, 0]))
    with pytest.raises(InvalidInputError):
        RelationClassifier().fit(X, np.array(["same_claim", "other"] * 40))


def test_the_cosine_regression_is_fitted_on_the_pairs_it_is_given():
    """cosine_proba learns P(same claim or overlap) from the cosine column of the masked pairs."""
    rng = np.random.default_rng(1)
    y = np.array(["same_claim", "overlap", "related", "contradiction", "different"] * 40)
    X = rng.random((len(y), len(FEATURES)))
    joined = np.isin(y, ("same_claim", "overlap"))
    X[:, 0] = np.where(joined, 0.8, 0.4) + rng.normal(0, 0.05, len(y))
    model = RelationClassifier().fit(X, y)
    low, high = model.cosine_proba([0.4, 0.8])
    assert low < 0.2 and high > 0.8
    assert model.cosine_proba(np.zeros((2, 3))).shape == (2, 3)
    # fitted on pairs where a high cosine means another relation, it learns the opposite
    X_flip = X.copy()
    X_flip[y == "overlap", 0] = 0.3
    flipped = RelationClassifier().fit(X_flip, y, cosine_mask=y != "same_claim")
    assert flipped.cosine_proba([0.3])[0] > flipped.cosine_proba([0.8])[0]
    with pytest.raises(InvalidInputError, match="cosine_proba"):
        RelationClassifier().fit(X, y, cosine_mask=y == "related")


def test_a_model_saved_without_the_cosine_regression_says_to_refit(tmp_path):
    import json

    from narrativediff import fitted

    rng = np.random.default_rng(2)
    y = np.array(["same_claim", "overlap", "related", "contradiction"] * 10)
    path = fitted.save(RelationClassifier().fit(rng.random((40, len(FEATURES))), y), tmp_path / "old.json")
    document = json.loads(path.read_text())
    del document["fitted"]["coef_cosine_"], document["fitted"]["intercept_cosine_"]
    path.write_text(json.dumps(document))
    old = fitted.load(RelationClassifier, path)
    assert old.predict_proba(rng.random((3, len(FEATURES)))).shape == (3, 4)
    with pytest.raises(NotFittedError, match="refit"):
        old.cosine_proba([0.5])


def test_shipped_model_has_provenance(model):
    assert model.provenance_["data"] and model.provenance_["split"] and model.provenance_["date"]
    assert "cv_team_train_events" in model.provenance_["metrics"]
    assert 0 < model.threshold_ < 1
    assert "cosine_claim_f1" in model.provenance_["metrics"]["cv_team_train_events"]
    # the cosine regression rises with the cosine and joins near-identical sentences
    assert np.all(np.diff(model.cosine_proba(np.linspace(0.3, 1.0, 8))) > 0)
    assert model.cosine_proba([0.35])[0] < model.threshold_ < model.cosine_proba([0.9])[0]


# --- the seed examples ------------------------------------------------------------------

RT_HEADLINE = ("rt", "The top US diplomat plans to threaten Beijing")


@pytest.mark.xfail(strict=True, reason="measured miss: P(same claim) 0.24 against the cut-off 0.27 "
                                       "(benchmarks/suites/same_claim.py seed_examples)")
def test_rt_and_voa_headlines_are_the_same_claim(encoder, model, seed_text):
    table = relate_pairs([seed_text(*RT_HEADLINE)], [seed_text("voa", "Urging China to Cease Support")], encoder,
                         model=model)
    assert table["relation"].iloc[0] == "same_claim"


def test_rt_headline_and_politico_lead_are_the_same_claim(encoder, model, seed_text):
    table = relate_pairs([seed_text(*RT_HEADLINE)],
                         [seed_text("politico", "U.S. Secretary of State Antony Blinken will head")], encoder, model=model)
    assert table["relation"].iloc[0] == "same_claim"


def test_embassy_denial_is_not_the_same_claim_as_blinkens_urging(encoder, model, seed_text):
    table = relate_pairs([seed_text("ntb", "The Chinese embassy in the US insists")],
                         [seed_text("voa", "Indeed, “We have engaged with China")], encoder, model=model)
    assert table["relation"].iloc[0] in {"contradiction", "related"}
    assert not table["same_claim"].iloc[0]


def test_key_factor_and_through_chinese_support_are_the_same_claim(encoder, model, seed_text):
    table = relate_pairs([seed_text("afp", "China has been the key factor")],
                         [seed_text("rt", "“The concern there is that through Chinese support")], encoder, model=model)
    assert table["relation"].iloc[0] == "same_claim"


def test_the_new_model_lifts_the_headline_pairs_above_the_old_calibrator(embed, encoder, model, seed_text):
    from narrativediff.align.features import TokenIndex, pair_features
    from narrativediff.align.model import default_calibrator

    a = [seed_text(*RT_HEADLINE)] * 2
    b = [seed_text("voa", "Urging China to Cease Support"),
         seed_text("politico", "U.S. Secretary of State Antony Blinken will head")]
    vectors = embed(a + b)
    X = pair_features(TokenIndex.from_texts(a + b), np.arange(2), np.arange(2, 4),
                      np.sum(vectors[:2] * vectors[2:], axis=1))
    old = np.asarray(default_calibrator().predict_proba(X))
    old = old[:, -1] if old.ndim == 2 else old
    new = relate_pairs(a, b, encoder, model=model)["p_same_claim"].values
    assert np.all(new > old)


# --- invariances ----------------------------------------------------------------------------------

SAME_CLAIM_PAIRS = [(BLINKEN_AFP, BLINKEN_POLITICO), (KEY_FACTOR_AFP, INSTRUMENTAL_NTB)]
FRAMINGS = {
    "said -> claimed": lambda s: s.replace(" said", " claimed").replace(" told", " claimed to"),
    "The US claims that": lambda s: "The US claims that " + s[0].lower() + s[1:],
    "China -> Beijing": lambda s: s.replace("China", "Beijing"),
    "Blinken -> the top US diplomat": lambda s: s.replace("Blinken", "the top US diplomat"),
}


@pytest.mark.parametrize("pair", SAME_CLAIM_PAIRS, ids=["blinken", "key-factor"])
@pytest.mark.parametrize("framing", list(FRAMINGS))
def test_a_change_of_telling_keeps_the_same_claim(encoder, model, pair, framing):
    a, b = pair
    changed = FRAMINGS[framing](b)
    table = relate_pairs([a, a], [b, changed], encoder, model=model)
    assert table["same_claim"].iloc[0], "the unchanged pair must be the same claim to begin with"
    assert table["p_same_claim"].iloc[1] >= model.threshold_, framing


CONTENT_CHANGES = [
    ("negation", BLINKEN_AFP, BLINKEN_POLITICO, lambda s: s.replace("China is", "China is not")),
    ("negation", KEY_FACTOR_AFP, INSTRUMENTAL_NTB, lambda s: s.replace("China has been", "China has not been")),
    ("actor", BLINKEN_AFP, BLINKEN_POLITICO, lambda s: s.replace("China", "Iran")),
    ("target", KEY_FACTOR_AFP, INSTRUMENTAL_NTB, lambda s: s.replace("Russia’s", "Ukraine’s")),
    ("number", PERCENT_NTB, PERCENT_VOA, lambda s: s.replace("90", "40")),
]


@pytest.mark.parametrize("kind,a,b,change", CONTENT_CHANGES, ids=[c[0] + str(i) for i, c in enumerate(CONTENT_CHANGES)])
def test_a_change_of_content_lowers_p_same_claim(encoder, model, kind, a, b, change):
    changed = change(b)
    assert changed != b
    table = relate_pairs([a, a], [b, changed], encoder, model=model)
    assert table["p_same_claim"].iloc[1] < table["p_same_claim"].iloc[0] - 0.02, kind
