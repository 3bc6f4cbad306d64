"""Framing v2: narration against quotation, direction, words read in context, profiles, explanations."""

from __future__ import annotations

import pandas as pd
import pytest

from narrativediff.framing import score_pair
from narrativediff.framing.records import QuoteInfo

RT = "The top US diplomat plans to threaten Beijing over weapons-related exports"
VOA = "Urging China to Cease Support of Russian Defense Industry"


def test_words_inside_a_quote_are_the_speakers_not_the_outlets():
    quoted = score_pair('"They slammed the disastrous deal," Blinken said.', '"They criticised the deal," Blinken said.')
    own = score_pair("They slammed the disastrous deal, Blinken said.", "They criticised the deal, Blinken said.")
    assert quoted.components["word_choice"] == 0.0 < own.components["word_choice"]
    assert quoted.components["selection"] > 0
    assert quoted.explanation.startswith("both quote Blinken")


def test_both_quote_then_own_words_are_read_as_the_outlets():
    r = score_pair('"We will not back down," said Blinken, who plans to threaten Beijing.',
                   '"We will not back down," said Blinken, who urged Beijing.', source_a="RT", source_b="VOA")
    assert r.explanation.startswith('both quote Blinken; in its own words RT says "plans to threaten"')


def test_sentence_table_quote_share_makes_a_markless_sentence_quoted():
    text = "They slammed the disastrous deal, he said."
    plain = score_pair(text, "They discussed the deal, he said.")
    inside = score_pair(text, "They discussed the deal, he said.",
                        quote_a=QuoteInfo(True, 0.95, "Blinken"), quote_b=QuoteInfo(True, 0.95, "Blinken"))
    assert plain.components["word_choice"] > 0 and inside.components["word_choice"] == 0.0


def test_components_are_signed_by_direction():
    r = score_pair("Lawmakers slammed the disastrous bill.", "Lawmakers discussed the bill.")
    assert r.leans["word_choice"] > 0
    mirrored = score_pair("Lawmakers discussed the bill.", "Lawmakers slammed the disastrous bill.")
    assert mirrored.leans["word_choice"] == pytest.approx(-r.leans["word_choice"])
    assert r.to_dict()["word_choice_lean"] == r.leans["word_choice"]
    assert r.leans["negativity"] > 0  # a's changed words are the more negative


def test_no_reporting_verb_x_to_x_and_only_verbs_report():
    r = score_pair("Russia threatens to respond, Moscow said.", "Russia threatened to respond, Moscow said.")
    assert "threatening to threatening" not in r.explanation
    smear = score_pair("Critics should not smear the plan.", "Critics discussed the plan.")
    assert "reporting verb" not in smear.explanation
    assert all("reporting verb" not in e.why for e in smear.evidence if e.text == "smear")


def test_a_noun_of_saying_after_a_determiner_and_an_adjective_attributes_nothing():
    """Seeds (NTB against RT): "issued a similar warning" is a noun phrase, not a reporting verb."""
    fact = "Treasury Secretary Janet Yellen ended a visit to Beijing this week."
    noun = score_pair(fact, "US Treasury Secretary Janet Yellen issued a similar warning when she visited China.")
    assert noun.components["attribution"] == 0.0
    assert not [e for e in noun.evidence if e.text == "warning" and "attribut" in e.why]
    verb = score_pair(fact, "The government warns that Janet Yellen ended a visit to Beijing this week.")
    assert verb.components["attribution"] > 0


def test_aliasing_is_named_and_spelling_is_not_framing():
    spelling = score_pair("Troops left Kiev on Monday.", "Troops left Kyiv on Monday.")
    assert spelling.components["actors"] == 0.0
    metonymy = score_pair("Beijing denied the report.", "China denied the report.")
    assert metonymy.components["actors"] > 0 and "metonymy" in metonymy.explanation


def test_tone_reads_negation_and_relation_words_in_context():
    from narrativediff.framing.tone import context_valences

    assert context_valences(["not", "good"])[1] < 0 < context_valences(["good"])[0]
    r = score_pair("China is helping Russia.", "China is sending parts to Russia.")
    assert r.components["intensity"] == 0.0


def test_sentence_loadedness_reads_own_words_in_context(encoder):
    from narrativediff.framing.loadedness import sentence_loadedness

    table = pd.DataFrame({"text": ["Lawmakers slammed the disastrous, reckless bill.",
                                   "The bill passed on Tuesday.",
                                   '"It is a disastrous, reckless bill," he said.'],
                          "is_quote": [False, False, True], "quote_share": [0.0, 0.0, 0.8],
                          "speaker": [None, None, "he"]})
    out = sentence_loadedness(table, encoder=encoder)
    assert out["loadedness"][0] > out["loadedness"][1]
    assert out["loadedness"][0] > out["loadedness"][2]  # the loaded words of the third are quoted
    start, end = out["loaded_start"][0], out["loaded_end"][0]
    assert table["text"][0][start:end] == out["loaded_word"][0]
    assert 0.0 <= out["loadedness"].min() and out["loadedness"].max() <= 1.0


def test_frame_pairs_adds_quote_columns_and_more_loaded(encoder):
    from narrativediff.framing.table import frame_pairs

    sentences = pd.DataFrame({"source": ["A", "B"], "sent_id": [0, 0],
                              "text": ["Lawmakers slammed the disastrous, reckless bill.", "Lawmakers passed the bill."],
                              "is_quote": [False, False], "quote_share": [0.0, 0.0], "speaker": [None, None]})
    pairs = pd.DataFrame({"source_a": ["A"], "sent_a": [0], "source_b": ["B"], "sent_b": [0], "similarity": [0.8]})
    table = frame_pairs(pairs, sentences).alignment
    for column in ("is_quote_a", "quote_share_b", "speaker_a", "loadedness_a", "loadedness_b", "word_choice_lean"):
        assert column in table.columns
    assert table["more_loaded"][0] == "a"


def test_framing_profile_counts_devices_and_sign_tests():
    from narrativediff.framing.profile import framing_profile

    n = 12
    alignment = pd.DataFrame({
        "source_a": ["X"] * n, "source_b": ["Y"] * n, "text_a": ["They slammed the bill today"] * n,
        "text_b": ["They passed the bill today"] * n, "same_claim": [True] * n, "framing_score": [0.6] * n,
        "negativity_lean": [0.4] * n})
    evidence = pd.DataFrame({"pair": list(range(n)), "component": ["word_choice"] * n, "side": ["a"] * n,
                             "start": [5] * n, "end": [12] * n, "text": ["slammed"] * n, "why": ["loaded word"] * n})
    sentences = pd.DataFrame({"source": ["X", "Y"]})
    profile = framing_profile(alignment, sentences, evidence, n_boot=200)
    loaded = profile[(profile["outlet"] == "X") & (profile["measure"] == "loaded_words")].iloc[0]
    assert loaded["value"] == pytest.approx(20.0) and loaded["value_versus"] == 0.0
    assert len(loaded["evidence"]) == n
    negative = profile[profile["measure"] == "more_negative"].iloc[0]
    assert negative["value"] == 1.0 and negative["p_value"] < 0.01


def test_seed_comparison_profile_and_alignment(seeds_comparison):
    alignment = seeds_comparison.alignment
    assert {"is_quote_a", "is_quote_b", "speaker_a", "more_loaded", "selection"} <= set(alignment.columns)
    profile = seeds_comparison.framing_profile(n_boot=100)
    assert set(profile["outlet"]) <= set(seeds_comparison.sources)
    assert (profile["measure"] == "more_negative").any()


def test_frame_english_leaves_contradictions_and_other_languages_unscored():
    """The framing stage compare() calls: English pairs scored, a contradiction and a German pair noted, not scored."""
    import warnings

    from narrativediff.exceptions import NarrativeDiffWarning
    from narrativediff.framing.table import CONTRADICTION_NOTE, frame_english

    sentences = pd.DataFrame({
        "source": ["a", "a", "b", "b", "c"], "sent_id": [0, 1, 0, 1, 0],
        "text": ["Lawmakers slammed the disastrous bill.", "The bill passed on Tuesday.",
                 "Lawmakers criticised the bill.", "The bill did not pass on Tuesday.",
                 "Die Abgeordneten kritisierten das Gesetz."],
        "language": ["en", "en", "en", "en", "de"], "is_quote": False, "quote_share": 0.0, "speaker": None,
    })
    pairs = pd.DataFrame({"source_a": ["a", "a", "a"], "sent_a": [0, 1, 0], "source_b": ["b", "b", "c"],
                          "sent_b": [0, 1, 0], "similarity": [0.8, 0.7, 0.6],
                          "relation": ["same_claim", "contradiction", "same_claim"]})
    with pytest.warns(NarrativeDiffWarning, match="not in English"):
        alignment, evidence, word_diff = frame_english(pairs, sentences)
    assert list(alignment.index) == [0, 1, 2]
    assert alignment.loc[0, "framing_score"] > 0 and alignment.loc[0, "framing_note"] is None
    assert alignment.loc[1, "framing_note"] == CONTRADICTION_NOTE
    assert alignment.loc[[1, 2], ["framing_score", "word_choice"]].isna().all().all()
    assert "English-only" in alignment.loc[2, "framing_note"]
    assert set(evidence["pair"]) <= {0} and set(word_diff["pair"]) == {0}
    with warnings.catch_warnings():  # only English pairs and a contradiction: nothing to warn about
        warnings.simplefilter("error", NarrativeDiffWarning)
        alignment, _, _ = frame_english(pairs.iloc[:2], sentences)
    assert alignment["framing_note"].tolist() == [None, CONTRADICTION_NOTE]


def test_according_to_reads_as_said_beside_a_verb_of_saying():
    """The port-strike example: "X said" against "..., according to X" attributes both ways alike."""
    said = "The port authority said 14 ships were waiting at anchor by the afternoon."
    according = "Fourteen ships were waiting at anchor by the afternoon, according to the port authority."
    r = score_pair(said, according)
    assert r.components["attribution"] == 0.0
    assert "none to neutral" not in r.explanation
    # A doubting verb against the phrase is still a difference of stance, shown with the phrase.
    claimed = score_pair(said.replace("said", "claimed"), according)
    assert claimed.components["attribution"] > 0.5
    assert "neutral to doubting" in claimed.explanation and '"according to"' in claimed.explanation
    assert claimed.leans["attribution"] > 0


def test_maintaining_a_policy_reports_no_one():
    """A verb that reports only with a clause keeps its other sense before a noun phrase."""
    r = score_pair("The ministry insists that the port will stay open.",
                   "Officials have maintained a policy of calm and have insisted that the port will stay open.")
    assert r.components["attribution"] == 0.0
    assert "maintained" not in r.explanation
    assert not [e for e in r.evidence if e.component == "attribution"]
    clause = score_pair("The ministry insists that the port will stay open.",
                        "Officials maintained that the port will stay open.")
    assert [(e.side, e.text) for e in clause.evidence if e.component == "attribution"] == \
        [("a", "insists"), ("b", "maintained")]


def test_speakers_are_named_mid_sentence_without_their_sentence_initial_capital():
    chosen = score_pair('The diplomat added: "China cannot have it both ways."',
                        'A senior US official said: "China cannot keep helping Moscow."')
    assert "quotes the diplomat where B quotes a senior US official" in chosen.explanation
    same = score_pair('The diplomat added: "China cannot have it both ways."',
                      'The diplomat said: "China cannot keep helping Moscow."')
    assert same.explanation.startswith("both quote the diplomat;")
