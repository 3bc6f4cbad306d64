"""The one quote and speaker detector: paragraphs, lone sentences, speakers, and who calls it."""

from __future__ import annotations

import random
import re
import shutil

import pytest

from narrativediff.text.quotes import (
    Quote, find_speaker, is_dash_quote, quote_spans, quoted_mask, quoted_tokens, resolve_speakers, sentence_quote,
    speech_verbs,
)
from narrativediff.text.tokens import tokenize

# The speech verbs of the attribution patterns before they were read from the lexicon.
OLD_SPEECH = set(
    "said says say told tells added adds stated states noted notes explained insisted insists claimed claims "
    "warned warns wrote writes argued argues declared continued asked replied stressed emphasised emphasized".split()
)


def _show(text, mask):
    return "".join(c if inside else "_" for c, inside in zip(text, mask))


# --- a paragraph ----------------------------------------------------------------------------------

@pytest.mark.parametrize("paragraph, expected", [
    ("“We stay,” he said.", "_We stay,__________"),
    ('He said "we stay" and left.', '_________we stay___________'),
    ("«Nous restons», a-t-il dit.", "_Nous restons______________"),
    ("„Wir bleiben“, sagte er.", "_Wir bleiben_, sagte er."),  # “ opens again: German quotes run on
    ("“We will not back down. The plan stays.", "_We will not back down. The plan stays."),
    ("Nobody asked us,” he said.", "__________________________"),  # a close with nothing open
    ("No quotes here.", "_______________"),
])
def test_paragraph_mask(paragraph, expected):
    assert _show(paragraph, quoted_mask(paragraph)) == expected


def test_paragraph_mask_never_marks_the_marks():
    for paragraph in ("“a” «b» „c“ \"d\"", "”“\"»«„"):
        mask = quoted_mask(paragraph)
        assert len(mask) == len(paragraph)
        assert not any(mask[i] for i, c in enumerate(paragraph) if c in "“”«»„\"")


# --- a lone sentence --------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, spans", [
    ('He called it “massive support” for Moscow.', [(13, 30)]),
    ('“One,” he said, “two three.”', [(0, 6), (16, 28)]),
    # Two letters are no quote; the lone-mark rule reads the first mark, in the first half, as an opening.
    ('It was "ok" then.', [(7, 17)]),
    ("“We will not back down.", [(0, 23)]),  # first sentence of a longer quote: opens, runs to the end
    ("The plan stays, he said “and", [(0, 25)]),  # an opening mark in the second half quotes from the start
    ("Nobody asked us,” he said.", [(0, 17)]),  # last sentence of a longer quote
    ("„Wir bleiben, sagte er.", []),  # „ is no mark for a lone sentence
    ("No quotes here.", []),
])
def test_lone_sentence_spans(sentence, spans):
    assert quote_spans(sentence) == spans


def _old_quote_spans(text):
    """framing/records.quote_spans before it called text.quotes: the reference."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"[\"“«]([^\"”»]{3,})[\"”»]", text)]
    if not spans:
        mark = re.search(r"[\"“”«»]", text)
        if mark is not None:
            opening = mark.group() in "\"“«" and mark.start() < len(text) / 2
            spans = [(mark.start(), len(text))] if opening else [(0, mark.end())]
    return spans


def test_lone_sentence_spans_agree_with_the_old_framing_rule():
    rng = random.Random(1)
    alphabet = list("ab ,.") + ["“", "”", "«", "»", "„", '"', "said "]
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 25)))
        assert quote_spans(text) == _old_quote_spans(text), text


def test_quoted_tokens_are_the_tokens_starting_in_a_span():
    text = "Blinken said “China’s support” was real."
    assert [t.text for t, q in zip(tokenize(text), quoted_tokens(text)) if q] == ["China’s", "support"]
    assert quoted_tokens(text, tokenize(text)) == quoted_tokens(text)


def test_segmentation_and_the_framing_signals_use_the_one_detector():
    from narrativediff.framing import attribution, records
    from narrativediff.text import quotes, segment

    assert segment.quoted_mask is quotes.quoted_mask and segment.sentence_quote is quotes.sentence_quote
    assert records.quote_spans is quotes.quote_spans and attribution.quote_spans is quotes.quote_spans
    ctx = records.PairContext.build("He called it “massive support”.", "He called it massive support.")
    assert ctx.quoted_mask("a") == tuple(quoted_tokens(ctx.text_a)) == (False, False, False, True, True)
    assert not any(ctx.quoted_mask("b"))


# --- speakers ----------------------------------------------------------------------------------------

def test_speech_verbs_are_the_lexicon_column_and_the_old_list():
    from narrativediff.framing.lexicon import default_lexicon

    assert speech_verbs() == OLD_SPEECH
    lexicon = default_lexicon()
    # "continued" introduces a speaker but is no framing reporting verb; "states" is one here only.
    assert "continued" not in lexicon.reporting_verbs and "states" not in lexicon.reporting_verbs
    assert {"slammed", "accused"} & speech_verbs() == set()


def test_a_three_column_lexicon_still_loads(tmp_path):
    from narrativediff.framing.lexicon import DEFAULT_DIR, load_lexicon

    for path in DEFAULT_DIR.glob("*.tsv"):
        shutil.copy(path, tmp_path / path.name)
    verbs = tmp_path / "reporting_verbs.tsv"
    rows = [line.split("\t")[:3] for line in verbs.read_text(encoding="utf-8").splitlines()]
    verbs.write_text("\n".join("\t".join(r) for r in rows if r[1:2] != ["-"]) + "\n", encoding="utf-8")
    old, new = load_lexicon(tmp_path), load_lexicon()
    assert old.speech_verbs == frozenset() and dict(old.reporting_verbs) == dict(new.reporting_verbs)


@pytest.mark.parametrize("unquoted, speaker", [
    ("·····,” said Secretary Blinken.", "Secretary Blinken"),
    ("·····,” a spokesman told reporters.", "a spokesman"),
    ("·····,” said union leader Mara Ostrin.", "Mara Ostrin"),
    ("– Russia is carrying out an expansion, he said.", "he"),
    ("– Prices will rise, says Liu.", "Liu"),
    ("Blinken said that the talks failed.", "Blinken"),
    ("The Chinese foreign ministry spokeswoman stated: ·····", "The Chinese foreign ministry spokeswoman"),
    ("Blinken slammed the talks.", None),  # a loaded verb, but not a speech verb of the patterns
    ("The port reopened on Monday.", None),
])
def test_find_speaker(unquoted, speaker):
    assert find_speaker(unquoted) == speaker


def test_sentence_quote_counts_quoted_words_and_reads_a_dash_led_paragraph():
    text = "“We will not back down,” said union leader Mara Ostrin."
    assert sentence_quote(text, quoted_mask(text), 0, len(text)) == Quote(True, 0.405, "Mara Ostrin")
    short = "He called it “vast” aid."
    assert not sentence_quote(short, quoted_mask(short), 0, len(short)).is_quote
    dash = "– Russia is carrying out the most ambitious expansion since the Soviet era, he said."
    assert is_dash_quote(dash) and not is_dash_quote("Russia – again.")
    quote = sentence_quote(dash, quoted_mask(dash), 0, len(dash), dash_led=True)
    assert quote.is_quote and quote.speaker == "he" and quote.share > 0.8
    assert sentence_quote(dash, quoted_mask(dash), 0, len(dash)) == Quote(False, 0.0, "he")


def test_resolve_speakers_carries_names_through_a_quote():
    # A pronoun is the last named speaker; a quote without attribution takes the one that closes it.
    quotes = [Quote(True, 1.0, None), Quote(True, 1.0, None), Quote(True, 0.6, "he"), Quote(False, 0.0, None)]
    assert resolve_speakers(quotes, "Mao Ning") == (["Mao Ning", "Mao Ning", "Mao Ning", None], "Mao Ning")
    assert resolve_speakers([Quote(False, 0.0, "Blinken"), Quote(True, 1.0, None)]) == ([None, "Blinken"], "Blinken")
    # A pronoun with nobody named before stays as written and names nobody later.
    assert resolve_speakers([Quote(True, 1.0, "she")]) == (["she"], None)
    # A run of quotes ends at the first sentence that does not quote.
    assert resolve_speakers([Quote(True, 1.0, None), Quote(False, 0.0, None), Quote(True, 0.9, "Liu")], "Ann") == (
        ["Ann", None, "Liu"], "Liu")
