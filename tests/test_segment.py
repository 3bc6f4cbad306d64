from narrativediff.text.clean import clean_lines
from narrativediff.text.segment import segment_lines, split_paragraph


def sentences_of(text, **kwargs):
    return segment_lines(clean_lines(text), **kwargs)


def test_abbreviations_do_not_split_sentences():
    text = "The U.S. envoy met officials on Sept. 20 in Geneva. Talks ended late."
    assert [s.text for s in sentences_of(text)] == [
        "The U.S. envoy met officials on Sept. 20 in Geneva.", "Talks ended late."]


def test_lone_closing_quote_joins_the_sentence_before():
    spans = split_paragraph("He left. ”", splitter=lambda p: ["He left.", "”"])
    assert spans == [(0, 10)]


def test_quote_spanning_several_sentences_marks_each_and_finds_the_speaker():
    text = ("“We will not back down. The plan stays. Nobody asked us,” said union leader Mara Ostrin.\n"
            "The minister disagreed.")
    result = sentences_of(text)
    assert [s.is_quote for s in result] == [True, True, True, False]
    assert {s.speaker for s in result[:3]} == {"Mara Ostrin"}
    assert result[3].speaker is None


def test_dash_led_quote_resolves_he_to_the_last_named_speaker():
    text = ("A senior official said at a briefing that the talks had failed.\n"
            "– Russia is carrying out the most ambitious expansion since the Soviet era, he said.")
    result = sentences_of(text)
    assert result[1].is_quote and result[1].speaker == "A senior official"
    assert result[1].quote_share > 0.8


def test_quoted_words_inside_a_quote_do_not_name_the_speaker():
    text = "“It is a war that China says it would like to end,” said Secretary Blinken."
    assert sentences_of(text)[0].speaker == "Secretary Blinken"


def test_title_given_apart_is_the_first_sentence():
    result = sentences_of("The port reopened on Monday.", title="Port reopens")
    assert (result[0].text, result[0].is_title, result[0].paragraph) == ("Port reopens", True, 0)
    assert result[1].paragraph == 1


def test_offsets_point_into_the_original_text():
    text = "Intro line here.\n\n  Second paragraph. It has two sentences.\n"
    for sentence in sentences_of(text):
        assert text[sentence.char_start:sentence.char_end] == sentence.text


def test_seed_quotes_and_speakers(seeds_dir):
    ntb = sentences_of((seeds_dir / "ntb.txt").read_text(encoding="utf-8"))
    dash = [s for s in ntb if s.text.startswith("– Russia is carrying out")]
    assert len(dash) == 1 and dash[0].is_quote
    assert dash[0].speaker == "an anonymous senior US official"
    voa = sentences_of((seeds_dir / "voa.txt").read_text(encoding="utf-8"))
    multi = [s for s in voa if s.paragraph == voa[-1].paragraph - 3]  # "How has it been able to do that? ..."
    assert len(multi) == 4 and all(s.is_quote for s in multi)
    assert all(s.speaker == "Secretary Blinken" for s in multi)
    rt = sentences_of((seeds_dir / "rt.txt").read_text(encoding="utf-8"))
    mao = [s for s in rt if "dual-use articles" in s.text][0]
    assert mao.is_quote and mao.speaker == "Mao Ning"
