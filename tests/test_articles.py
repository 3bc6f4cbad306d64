import math

import pandas as pd
import pytest

import narrativediff as nd
from narrativediff.text.articles import normalise_articles


def test_mapping_list_and_frame_give_the_same_articles():
    mapping = {"A": "One sentence here.", "B": "Another sentence there."}
    from_mapping = normalise_articles(mapping)
    from_list = normalise_articles([nd.Article(source="A", text="One sentence here."),
                                    nd.Article(source="B", text="Another sentence there.")])
    from_frame = normalise_articles(pd.DataFrame({"source": ["A", "B"], "text": list(mapping.values())}))
    assert from_mapping == from_list == from_frame
    assert [a.source for a in from_mapping] == ["A", "B"]


def test_frame_keeps_optional_columns_and_treats_nan_title_as_missing():
    frame = pd.DataFrame({"source": ["A", "B"], "text": ["x y z.", "u v w."], "title": ["Head", math.nan]})
    articles = normalise_articles(frame)
    assert articles[0].title == "Head" and articles[1].title is None


@pytest.mark.parametrize(
    "articles, message",
    [
        ({"A": "Only one."}, "at least two"),
        ([], "at least two"),
        ({"A": "Text.", "B": ""}, "empty text"),
        ({"A": "Text.", "B": "   \n "}, "empty text"),
        ({"A": "Text.", "B": 42}, "type int"),
        ({"A": "Text.", "B": None}, "no text"),
        ({"A": "Text.", "B": math.nan}, "no text"),
        ({"A": "Text.", "": "Text."}, "no usable source"),
        ([nd.Article("A", "x."), nd.Article("A ", "y.")], "used by articles 0 and 1"),
        ("just a string", "must be a mapping"),
        (42, "must be a mapping"),
        ([("A", "x."), "B"], "item 1"),
        (pd.DataFrame({"outlet": ["A", "B"], "text": ["x.", "y."]}), "lacks the column"),
    ],
)
def test_bad_input_raises_a_clear_library_error(articles, message):
    with pytest.raises(nd.InvalidInputError, match=message):
        normalise_articles(articles)


def test_invalid_input_error_is_also_a_value_error():
    with pytest.raises(ValueError):
        normalise_articles({"A": "only one."})


def test_load_articles_names_outlets_by_file_stem(tmp_path):
    (tmp_path / "alpha.txt").write_text("First outlet.", encoding="utf-8")
    (tmp_path / "beta.txt").write_text("Second outlet.", encoding="utf-8")
    (tmp_path / "notes.md").write_text("ignored", encoding="utf-8")
    with pytest.warns(nd.NarrativeDiffWarning, match="notes.md"):
        articles = nd.load_articles(tmp_path)
    assert [(a.source, a.text) for a in articles] == [("alpha", "First outlet."), ("beta", "Second outlet.")]


def test_load_articles_errors(tmp_path):
    with pytest.raises(nd.InvalidInputError, match="is not a folder"):
        nd.load_articles(tmp_path / "missing")
    with pytest.raises(nd.InvalidInputError, match="no file matching"):
        nd.load_articles(tmp_path)
    (tmp_path / "latin.txt").write_bytes("caf\xe9".encode("latin-1"))
    with pytest.raises(nd.InvalidInputError, match="not valid UTF-8"):
        nd.load_articles(tmp_path)


def test_bundled_example_has_four_outlets():
    assert sorted(a.source for a in nd.load_articles(nd.example_path())) == [
        "capital_tribune", "coastal_wire", "harbour_herald", "velmora_today"]
    with pytest.raises(nd.InvalidParameterError, match="port_strike"):
        nd.example_path("nope")


def test_a_lone_surrogate_is_refused_with_advice():
    with pytest.raises(nd.InvalidInputError, match="lone surrogate '\\\\ud800' at offset 4"):
        nd.compare({"a": "Dock\ud800 workers walked out.", "b": "Dock workers went on strike."})


def test_a_series_of_texts_reads_as_outlets():
    import pandas as pd

    from narrativediff.text.articles import normalise_articles

    articles = normalise_articles(pd.Series({"AFP": "China helps Russia.", "RT": "Beijing aids Moscow."}))
    assert [(a.source, a.text) for a in articles] == [("AFP", "China helps Russia."), ("RT", "Beijing aids Moscow.")]


def test_files_left_out_of_a_folder_are_named(tmp_path):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("Dock workers walked out on Monday.", encoding="utf-8")
    (tmp_path / "c.json").write_text("{}", encoding="utf-8")
    (tmp_path / ".DS_Store").write_bytes(b"\x00")
    with pytest.warns(nd.NarrativeDiffWarning, match=r"left out 1 other file\(s\): c\.json"):
        articles = nd.load_articles(tmp_path)
    assert [a.source for a in articles] == ["a", "b"]


# --- dates, tense, timeline ---------------------------------------------------------------------

@pytest.mark.parametrize("given, iso", [
    ("2024-04-26", "2024-04-26"),
    ("26 April 2024", "2024-04-26"),
    ("April 26, 2024 14:05", "2024-04-26T14:05:00"),
    ("2024-04-26T12:05:00Z", "2024-04-26T12:05:00+00:00"),
    ("2024-04-26T14:05:00+0200", "2024-04-26T14:05:00+02:00"),
    ("26/04/2024", "2024-04-26"),
])
def test_published_is_normalised_to_iso_8601(given, iso):
    articles = normalise_articles([nd.Article("A", "One sentence here.", published=given),
                                   nd.Article("B", "Another sentence there.")])
    assert articles[0].published == iso and articles[1].published is None


@pytest.mark.parametrize("bad", ["yesterday-ish", "04/05/2024", "Tuesday"])
def test_an_unreadable_date_is_dropped_with_a_warning(bad):
    with pytest.warns(nd.NarrativeDiffWarning, match="publication date"):
        articles = normalise_articles([nd.Article("A", "One.", published=bad), nd.Article("B", "Two.")])
    assert articles[0].published is None


def test_dates_reach_the_sentence_table_and_days_apart(encoder):
    text = "The port reopened on Monday after a week of strikes.\nShips began loading again on Tuesday."
    later = "The port reopened on Monday after a week of strikes.\nShips began loading again on Wednesday."
    comparison = nd.compare([nd.Article("A", text, published="2024-04-26T06:00:00+00:00"),
                             nd.Article("B", later, published="2024-04-29"),
                             nd.Article("C", later.replace("Wednesday", "Thursday"))], model=encoder)
    stamps = comparison.sentences.drop_duplicates("source").set_index("source")["published"]
    assert str(stamps["A"]) == "2024-04-26 06:00:00+00:00" and pd.isna(stamps["C"])
    days = comparison.alignment.set_index(["source_a", "source_b"])["days_apart"]
    assert days.loc[("A", "B")].tolist() == [pytest.approx(2.75)] * len(days.loc[("A", "B")])
    assert days.loc[("A", "C")].isna().all()
    assert comparison.alignment["tense_only"].dtype == bool


def test_a_tense_change_is_flagged_and_scores_no_framing_component(encoder):
    comparison = nd.compare({"Mon": "The minister will meet union leaders on Friday.",
                             "Sat": "The minister met union leaders on Friday."}, model=encoder)
    row = comparison.alignment.iloc[0]
    assert bool(row["tense_only"])
    assert all(row[c] == 0 for c in ("word_choice", "attribution", "intensity", "actors"))


def test_plot_timeline_draws_dated_outlets(encoder):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    text = "The port reopened on Monday after a week of strikes."
    comparison = nd.compare([nd.Article("A", text, published="2024-04-26"),
                             nd.Article("B", text + " Unions welcomed it.", published="2024-04-28"),
                             nd.Article("C", text + " Trade resumed.")], model=encoder)
    ax = comparison.plot_timeline()
    assert [t.get_text() for t in ax.get_yticklabels()] == ["A", "B"]
    assert "no date: C" in ax.get_title()
    undated = nd.compare({"A": text, "B": text + " Unions welcomed it."}, model=encoder)
    with pytest.raises(nd.InvalidParameterError, match="publication dates"):
        undated.plot_timeline()
