
import pytest

from narrativediff.text.clean import REASONS, clean_lines


def verdicts(text):
    return [(line.text, line.kind, line.reason) for line in clean_lines(text)]


def test_body_sentences_are_kept_and_offsets_point_into_the_text():
    text = "  The minister resigned on Monday.\n\nShe said she had no regrets.\n"
    lines = clean_lines(text)
    assert [line.kind for line in lines] == ["text", "text"]
    assert all(text[line.start:line.end] == line.text for line in lines)


@pytest.mark.parametrize(
    "line, reason",
    [
        ("Home | World | Politics | Sport | Weather | Culture | Science | Travel | Video | Audio | Live | Games", "menu"),
        ("Home | Politics | Business | Opinion | Sport | Weather | Subscribe", "menu"),
        ("News › World › Europe", "menu"),
        ("World•Business•Tech•Climate", "menu"),
        ("Sign in", "fragment"),
        ("Wednesday, 12 March 2025 14:05", "date"),
        ("Updated 09.11.2023 10:00:00", "date"),
        ("1:02 / 4:45", "date"),
        ("© 2025 Example Media Group", "copyright"),
        ("Photo: Jane Doe / Example Agency", "caption"),
        ("(AP Photo) Firefighters at the scene on Tuesday.", "caption"),
    ],
)
def test_junk_line_shapes_are_removed_with_their_reason(line, reason):
    text = f"The council approved the budget on Monday.\n{line}\nThe vote was seven to two.\n"
    assert (line, "removed", reason) in verdicts(text)
    assert reason in REASONS


@pytest.mark.parametrize(
    "line",
    ["Port strike enters its second day as talks stall | Harbour Herald",
     "Live: ministers meet unions > no deal yet on automation plans for the port",
     "AFP/Getty Images photographers at the summit in Brussels"],
)
def test_a_headline_with_a_separator_is_not_a_menu(line):
    text = f"{line}\nThe council approved the budget on Monday.\n"
    assert verdicts(text)[0][2] != "menu"


def test_repeated_headline_and_caption_are_removed_once():
    text = ("Council approves budget after long debate\n"
            "The council approved the budget on Monday.\n"
            "Council approves budget after long debate\n"
            "The mayor welcomed the vote.\n")
    result = verdicts(text)
    assert result[0][1] == "title"
    assert result[2] == ("Council approves budget after long debate", "removed", "duplicate")


def test_everything_after_a_footer_heading_is_footer():
    body = "\n".join(f"Sentence number {i} of the story." for i in range(6))
    text = body + "\nAbout the author\nJane Doe is a reporter who writes about cities.\nNewsletter"
    result = verdicts(text)
    assert [r[2] for r in result[-3:]] == ["footer", "footer", "footer"]
    assert all(r[1] == "text" for r in result[:6])


def test_a_footer_word_early_in_the_article_is_not_a_footer():
    text = "Tags\nThe council approved the budget on Monday.\n" + "".join(f"Text line {i} follows.\n" for i in range(4))
    assert verdicts(text)[0][2] == "fragment"
    assert all(kind == "text" for _, kind, _ in verdicts(text)[1:])


def test_short_line_between_junk_is_junk_but_a_headline_is_kept():
    text = ("Breaking News\nCouncil approves budget after long debate\n(FILE) The city hall.\n"
            "please wait\nNo media source available\n0:00 0:03:17\nThe council approved the budget.\n")
    result = {line: (kind, reason) for line, kind, reason in verdicts(text)}
    assert result["Council approves budget after long debate"] == ("title", None)
    assert result["No media source available"] == ("removed", "fragment")


def test_seed_junk_is_removed_and_reported(seeds_dir):
    rt = verdicts((seeds_dir / "rt.txt").read_text(encoding="utf-8"))
    voa = verdicts((seeds_dir / "voa.txt").read_text(encoding="utf-8"))
    removed_rt = {reason for _, kind, reason in rt if kind == "removed"}
    assert {"menu", "date", "duplicate"} <= removed_rt
    assert [r for r in rt if r[0].startswith("icon bookmark")][0][2] == "menu"
    kept_rt = [text for text, kind, _ in rt if kind != "removed"]
    assert kept_rt.count("Blinken to warn China against helping Russia in Ukraine conflict") == 1
    removed_voa = {text: reason for text, kind, reason in voa if kind == "removed"}
    for junk in ["Accessibility links", "please wait", "0:00 0:03:17 0:00", "XS", "SM", "MD", "LG"]:
        assert junk in removed_voa
    assert any(text.startswith("(FILE)") and reason == "caption" for text, reason in removed_voa.items())
    assert ("Urging China to Cease Support of Russian Defense Industry", "title", None) in voa
    afp = verdicts((seeds_dir / "afp.txt").read_text(encoding="utf-8"))
    assert [r[2] for r in afp[-3:]] == ["footer"] * 3
    # No body sentence is lost: every line ending like a sentence before the footer survives.
    assert sum(kind == "text" for _, kind, _ in afp) == 15


def test_a_subheading_holding_a_footer_word_does_not_cut_the_article():
    body = [f"Paragraph {k} of the report says the dock strike went on for a {k}th day." for k in range(6)]
    text = "\n".join(body[:4] + ["No comment from the palace"] + body[4:] + ["Comments", "Great article!"])
    lines = clean_lines(text)
    kept = [line.text for line in lines if line.kind == "text"]
    assert body[4] in kept and body[5] in kept
    footer = [line.text for line in lines if line.reason == "footer"]
    assert footer == ["Comments", "Great article!"]


@pytest.mark.parametrize("ending", ["\u200b", " 😀", "\x00", " \u200b\u200b"])
def test_a_sentence_end_before_invisible_marks_and_emoji_is_an_end(ending):
    text = ("Harbour workers walked out on Monday. The union said talks had failed." + ending + "\n"
            "The port authority said ships were waiting offshore." + ending)
    lines = clean_lines(text)
    assert [line.kind for line in lines] == ["text", "text"]


def test_a_paragraph_without_its_final_period_is_text_and_split():
    from narrativediff.text.segment import segment_lines

    text = ("Dock strike spreads to second port\n"
            "Harbour workers walked out on Monday. The union said talks had failed and a second port "
            "would join the strike on Wednesday unless the owners returned to the table")
    lines = clean_lines(text)
    assert [line.kind for line in lines] == ["title", "text"]
    sentences = segment_lines(lines)
    assert [s.is_title for s in sentences] == [True, False, False]
