"""Behaviour of narrativediff.framing.score_pair and its parts on real sentences."""

from __future__ import annotations

import random

import pytest

from narrativediff.exceptions import InvalidInputError, NotFittedError
from narrativediff.framing import (
    COMPONENTS,
    FramingCombiner,
    FramingResult,
    load_lexicon,
    score_pair,
    tokenize,
    word_opcodes,
    word_opcodes_reference,
)
import narrativediff.framing as framing

RT_TITLE = "The top US diplomat plans to threaten Beijing over weapons-related exports"
VOA_TITLE = "Urging China to Cease Support of Russian Defense Industry"
NTB_TITLE = "The US claims that China is helping Russia with military rearmament"
BARE = "China is helping Russia with military rearmament"


def spans(result: FramingResult, component: str, side: str) -> list[str]:
    return [e.text for e in result.evidence if e.component == component and e.side == side]


def test_word_choice_points_at_threaten():
    r = score_pair(RT_TITLE, VOA_TITLE, source_a="RT", source_b="VOA")
    assert r.components["word_choice"] > 0.5
    assert "threaten" in spans(r, "word_choice", "a")
    assert "Urging" in spans(r, "word_choice", "b")
    assert r.explanation.startswith('RT says "plans to threaten" where VOA says "Urging"')
    assert "loaded word" in r.explanation  # "plans to threaten" reports no one: a loaded word, not a reporting verb


def test_quoted_phrase_does_not_begin_with_a_conjunction():
    """The seeds' NTB/RT pair: RT's verb is quoted as "have insisted", not "and have insisted"."""
    r = score_pair(
        "Russia has repeatedly warned China against supplying Russia with weapons, and both US and Chinese "
        "officials say the Chinese have not directly supplied Moscow with weapons.",
        "Chinese officials have maintained a policy of neutrality on the Ukraine conflict and have insisted "
        "that Beijing is not selling weapons to Russia.", source_a="NTB", source_b="RT")
    assert '"have insisted"' in r.explanation and '"and have insisted"' not in r.explanation
    assert '"has repeatedly warned"' in r.explanation  # two words of context are still kept


def test_attribution_asymmetry_claims_against_fact():
    r = score_pair(NTB_TITLE, BARE, source_a="NTB", source_b="AFP")
    assert r.components["attribution"] >= 0.8
    assert spans(r, "attribution", "a") == ["claims"]
    assert spans(r, "attribution", "b") == [BARE]
    assert "NTB attributes it" in r.explanation and "states it as fact" in r.explanation
    # Swapping the sides swaps the evidence, not the score.
    s = score_pair(BARE, NTB_TITLE)
    assert s.components["attribution"] == pytest.approx(r.components["attribution"])
    assert spans(s, "attribution", "b") == ["claims"]


def test_neutral_attribution_scores_below_doubting_attribution():
    said = score_pair("The US said that China is helping Russia", BARE)
    claims = score_pair("The US claims that China is helping Russia", BARE)
    assert 0 < said.components["attribution"] < claims.components["attribution"]


def test_reporting_verb_stance_said_vs_slammed():
    r = score_pair("Blinken said China is helping Russia.", "Blinken slammed China for helping Russia.")
    assert r.components["attribution"] > 0.5
    assert spans(r, "word_choice", "b") == ["slammed"]
    assert "neutral to condemning" in r.explanation


def test_actor_labelling_beijing_china():
    r = score_pair(
        "Blinken to warn Beijing against helping Russia in Ukraine conflict",
        "Blinken to warn China against helping Russia in Ukraine conflict",
    )
    assert r.components["actors"] > 0.2
    assert spans(r, "actors", "a") == ["Beijing"] and spans(r, "actors", "b") == ["China"]
    assert r.components["word_choice"] == 0.0
    assert "capital" in r.explanation


def test_actor_labels_same_name_no_score():
    r = score_pair("China exports tools to Russia.", "China ships tools to Russia.")
    assert r.components["actors"] == 0.0


def test_pronoun_us_is_not_the_united_states():
    r = score_pair("They told us about Washington.", "They told us about the plan.")
    assert r.components["actors"] == 0.0


def test_intensifiers():
    r = score_pair("Russia is getting massive inputs of machine tools.", "Russia is getting inputs of machine tools.")
    assert r.components["intensity"] > 0.3
    assert spans(r, "intensity", "a") == ["massive"]


def test_hedge_only_on_one_side():
    r = score_pair("China is reportedly helping Russia.", "China is helping Russia.")
    assert r.components["attribution"] > 0.5
    assert spans(r, "attribution", "a") == ["reportedly"]


def test_identical_sentences_score_zero():
    r = score_pair(BARE, BARE)
    assert r.score == 0.0 and all(v == 0.0 for v in r.components.values())
    assert r.explanation == "Same wording."
    # Case alone is not a framing difference.
    assert score_pair(BARE, BARE.upper()).score == 0.0


def test_neutral_rewording_scores_below_loaded_rewording():
    neutral = score_pair("The meeting took place on Friday in Capri.", "The meeting was held on Friday in Capri.")
    loaded = score_pair("The meeting took place on Friday in Capri.", "The sham meeting was held on Friday in Capri.")
    assert all(v == 0.0 for v in neutral.components.values())
    assert "No framing difference" in neutral.explanation
    # With no signal the score is the combiner's base rate, and any signal raises it.
    assert neutral.score == pytest.approx(framing.default_combiner().probability(neutral.components))
    assert loaded.score > neutral.score + 0.1
    assert "sham" in spans(loaded, "word_choice", "b")


@pytest.mark.parametrize("bad", [None, 3, b"bytes", "", "   "])
def test_bad_input_raises(bad):
    with pytest.raises(InvalidInputError):
        score_pair(bad, BARE)
    with pytest.raises(ValueError):  # InvalidInputError is a ValueError too
        score_pair(BARE, bad)


def test_result_is_frozen_and_flat():
    r = score_pair(RT_TITLE, VOA_TITLE)
    with pytest.raises(Exception):
        r.score = 1.0
    row = r.to_dict()
    from narrativediff.framing.score import LEANS

    assert list(row) == ["framing_score", "changed_a", "changed_b", *COMPONENTS, "explanation",
                         *(f"{name}_lean" for name in LEANS)]
    assert 0.0 <= row["framing_score"] <= 1.0
    assert "threaten" in row["changed_a"] and "Urging" in row["changed_b"]
    for value in r.components.values():
        assert 0.0 <= value <= 1.0


def test_evidence_offsets_match_text():
    r = score_pair(RT_TITLE, VOA_TITLE)
    assert r.evidence
    for e in r.evidence:
        text = r.text_a if e.side == "a" else r.text_b
        assert text[e.start : e.end] == e.text


def test_tokenize_keeps_offsets():
    text = "The U.S. says China’s “support” is weapons-related."
    toks = tokenize(text)
    assert [t.text for t in toks] == ["The", "U.S.", "says", "China’s", "support", "is", "weapons-related"]
    assert all(text[t.start : t.end] == t.text for t in toks)


def _check_cover(ops, a, b):
    ia = ib = 0
    for tag, i1, i2, j1, j2 in ops:
        assert (i1, j1) == (ia, ib)
        if tag == "equal":
            assert [x.lower() for x in a[i1:i2]] == [x.lower() for x in b[j1:j2]]
        ia, ib = i2, j2
    assert (ia, ib) == (len(a), len(b))


def test_diff_agrees_with_reference():
    rng = random.Random(0)
    vocab = "china russia the us said claimed helping is with support beijing".split()
    for _ in range(200):
        a = [rng.choice(vocab) for _ in range(rng.randint(0, 12))]
        b = [rng.choice(vocab) for _ in range(rng.randint(0, 12))]
        fast, ref = word_opcodes(a, b), word_opcodes_reference(a, b)
        _check_cover(fast, a, b)
        _check_cover(ref, a, b)
        # Both keep the same words unchanged when the sequences are equal.
        if [x.lower() for x in a] == [x.lower() for x in b]:
            assert all(op.tag == "equal" for op in fast + ref)
    ops = word_opcodes("Blinken said it".split(), "Blinken claimed it".split())
    assert [op.tag for op in ops] == ["equal", "replace", "equal"]
    assert ops == word_opcodes_reference("Blinken said it".split(), "Blinken claimed it".split())


def test_user_lexicon(tmp_path):
    default = load_lexicon()
    import shutil

    folder = tmp_path / "lex"
    shutil.copytree(framing.lexicon.DEFAULT_DIR, folder)
    with open(folder / "loaded_words.tsv", "a", encoding="utf-8") as fh:
        fh.write("rearmament\t0.9\tneg\n")
    mine = load_lexicon(folder)
    a, b = "Russia plans rearmament.", "Russia plans production."
    assert score_pair(a, b, lexicon=default).components["word_choice"] == 0.0
    assert score_pair(a, b, lexicon=mine).components["word_choice"] >= 0.9


def test_combiner_refits_on_user_labels():
    import pandas as pd

    rows = pd.DataFrame(
        {"word_choice": [0, 0, 0, 0, 0, 0], "attribution": [0, 0, 0, 0, 0, 0],
         "intensity": [0.1, 0.2, 0.15, 0.8, 0.9, 0.7], "actors": [0.9, 0.8, 0.7, 0.1, 0.0, 0.2],
         "selection": [0, 0, 0, 0, 0, 0]}
    )
    labels = [0, 0, 0, 1, 1, 1]  # this user cares about tone, not about names
    comb = FramingCombiner(C=100.0).fit(rows, labels)
    assert comb.weights_["intensity"] > 0 > comb.weights_["actors"]
    probs = comb.predict_proba(rows)[:, 1]
    assert min(probs[3:]) > max(probs[:3])
    r = score_pair("A massive, brutal attack.", "An attack.", combiner=comb)
    assert r.score == pytest.approx(comb.probability(r.components))
    with pytest.raises(NotFittedError):
        FramingCombiner().predict_proba(rows)
    with pytest.raises(InvalidInputError):
        FramingCombiner().fit(rows, [1] * 6)


def test_default_combiner_is_inspectable():
    comb = framing.default_combiner()
    assert set(comb.weights_) == set(COMPONENTS) and comb.coef_.shape == (len(COMPONENTS),)
    assert isinstance(comb.intercept_, float)
    assert "made" in comb.provenance_ and comb.provenance_["split"].startswith("train")


def test_public_names_exported():
    for name in framing.__all__:
        assert hasattr(framing, name)
    assert "score_pair" in framing.__all__ and "FramingResult" in framing.__all__


def test_quoted_context_stops_at_a_clause_or_quote_boundary():
    r = score_pair("Blinken to warn China against helping Russia",
                   'China is "helping Russia dodge sanctions and other measures," said Blinken.')
    assert '"Blinken to warn"' in r.explanation
    assert 'measures," said' not in r.explanation and '"said"' in r.explanation
    s = score_pair("The union, furious, slammed the plan.", "The union criticised the plan.")
    assert '"slammed"' in s.explanation and "furious, slammed" not in s.explanation
