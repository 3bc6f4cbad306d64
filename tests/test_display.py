"""The notebook view: results to dicts (checked without HTML), dicts to HTML (checked without a model)."""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser

import pandas as pd
import pytest

import narrativediff as nd
from narrativediff.faces import display

HOSTILE = 'Officials said <script>alert("pwned")</script> & <b>nothing</b> changed at the port.'


def _joined(segments):
    return "".join(s["text"] for s in segments)


class _Page(HTMLParser):
    """The tags a browser would build from some HTML, and the text it would show."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text = ""
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text += data


def assert_shown_as_text(html: str, *texts: str) -> None:
    page = _Page(html)
    assert "script" not in page.tags and "b" not in page.tags, sorted(set(page.tags))
    for text in texts:
        assert text in page.text


# --------------------------------------------------------------------------- step 1: dicts, no HTML


def test_pair_data_tags_replaced_inserted_and_deleted_words():
    result = nd.score_pair("Rioters stormed the old port yesterday.", "Protesters stormed the port on Monday night.")
    data = display.pair_data(result)
    assert _joined(data["segments_a"]) == result.text_a
    assert _joined(data["segments_b"]) == result.text_b
    tagged_a = {s["text"].strip(): s["tag"] for s in data["segments_a"] if s["tag"]}
    tagged_b = {s["text"].strip(): s["tag"] for s in data["segments_b"] if s["tag"]}
    assert tagged_a["Rioters"] == "replace" and tagged_b["Protesters"] == "replace"
    assert tagged_a["old"] == "delete"
    assert "replace" in tagged_b.values() or "insert" in tagged_b.values()
    assert {s["tag"] for s in data["segments_a"]} <= {None, "replace", "delete"}
    assert {s["tag"] for s in data["segments_b"]} <= {None, "replace", "insert"}


def test_pair_data_carries_evidence_and_components():
    result = nd.score_pair("The US claims that China is helping Russia", "China is helping Russia",
                           source_a="NTB", source_b="AFP")
    data = display.pair_data(result, similarity=0.8)
    assert data["similarity"] == 0.8
    names = [c["name"] for c in data["components"]]
    assert names == list(result.components)
    marked = [s for s in data["segments_a"] if s["evidence"]]
    assert any("claims" in s["text"] and any(r.startswith("attribution") for r in s["evidence"]) for s in marked)
    attribution = next(c for c in data["components"] if c["name"] == "attribution")
    assert any("claims" in line for line in attribution["evidence"])


def test_identical_sentences_have_no_highlight():
    data = display.pair_data(nd.score_pair("China said so.", "China said so."))
    assert all(s["tag"] is None and not s["evidence"] for s in data["segments_a"] + data["segments_b"])


def test_comparison_data_has_every_pair_and_unaligned_sentence(example_comparison):
    data = display.comparison_data(example_comparison)
    assert sum(len(g["pairs"]) for g in data["groups"]) == len(example_comparison.alignment)
    assert sum(len(u["sentences"]) for u in data["unaligned"]) == len(example_comparison.unaligned)
    for group in data["groups"]:
        assert group["n_pairs"] == len(example_comparison.pairs(group["source_a"], group["source_b"]))
        for pair in group["pairs"]:
            assert _joined(pair["segments_a"]) == pair["text_a"]
            assert _joined(pair["segments_b"]) == pair["text_b"]
    # framing numbers are the comparison's, not recomputed ones
    top = example_comparison.alignment["framing_score"].max()
    assert data["top"][0]["score"] == pytest.approx(top)
    assert len(data["coverage"]["rows"]) == len(example_comparison.coverage) > 0
    assert [o["source"] for o in data["omissions"]] == example_comparison.sources


def test_comparison_data_caps_rows_keeping_the_most_differently_framed(example_comparison):
    data = display.comparison_data(example_comparison, max_pairs=2)
    for group in data["groups"]:
        pairs = example_comparison.pairs(group["source_a"], group["source_b"])
        assert len(group["pairs"]) == min(2, len(pairs))
        assert group["hidden"] == len(pairs) - len(group["pairs"])
        # the pairs that report the same claim first, the most differently framed among them
        from narrativediff.comparison import same_claim_mask

        ranked = pairs.assign(_other=~same_claim_mask(pairs)).sort_values(["_other", "framing_score"],
                                                                      ascending=[True, False], kind="stable")
        kept = sorted((p["score"] for p in group["pairs"]), reverse=True)
        assert kept == pytest.approx(sorted(ranked["framing_score"].head(len(kept)), reverse=True))
        relations = [p["relation"] for p in group["pairs"]]
        assert relations == sorted(relations, key=display.RELATION_ORDER.index)  # grouped by relation


# --------------------------------------------------------------------------- step 2: HTML, no model


def _fake_data(text_a=HOSTILE, text_b="Officials said nothing changed at the port."):
    pair = display.pair_data(nd.score_pair(text_a, text_b, source_a="<A>", source_b="B&B"),
                             sent_a=0, sent_b=3, similarity=0.9)
    return {
        "sources": ["<A>", "B&B"], "model": "m", "method": "threshold", "threshold": 0.6,
        "counts": {"sentences": 2, "removed": 0, "pairs": 1, "unaligned": 1},
        "summary": [{"source": "<A>", "sentences": 1, "removed_lines": 0, "unaligned": 0, "aligned": 1}],
        "top": [pair], "groups": [{"source_a": "<A>", "source_b": "B&B", "n_pairs": 1, "mean_score": 0.5,
                                   "max_score": 0.5, "mean_similarity": 0.9, "pairs": [pair], "hidden": 0}],
        "unaligned": [{"source": "B&B", "sentences": [{"sent_id": 1, "text": "<img src=x onerror=alert(1)>",
                                                         "is_title": False}]}],
        "removed": {"columns": ["source", "line_no", "reason", "text"], "rows": [["<A>", "1", "footer", "<hr>"]],
                    "more": 0},
        "coverage": None, "omissions": [],
    }


def test_render_escapes_every_text():
    html = display.render(_fake_data(), root_id="nd-test")
    assert "<script" not in html and "<img" not in html and "<b>" not in html and "<hr>" not in html
    assert_shown_as_text(html, HOSTILE, "<img src=x onerror=alert(1)>", "<A>", "B&B", "<hr>")


def test_render_scopes_its_css_to_one_container():
    html = display.render(_fake_data(), root_id="nd-test")
    assert html.startswith('<div class="nd-view" id="nd-test">')
    css = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    selectors = [s.strip() for block in re.findall(r"([^{}]+)\{", css) for s in block.split(",")
                 if not s.strip().startswith("@")]  # @media blocks hold scoped rules
    assert selectors and all(s.startswith("#nd-test") for s in selectors), selectors
    # two renderings on one page get two ids, so neither styles the other
    first, second = display.render(_fake_data()), display.render(_fake_data())
    assert re.search(r'id="(nd-view-\w+)"', first).group(1) != re.search(r'id="(nd-view-\w+)"', second).group(1)


def test_render_has_one_row_per_pair_and_styles_each_diff_tag():
    html = display.render(_fake_data(), root_id="nd-test")
    assert html.count('class="nd-pair"') == 1
    assert html.count('class="nd-top-pair"') == 1
    assert 'class="nd-delete' in html  # words only on the left
    assert "<script" not in html.lower()  # the view needs no script of its own


def test_render_shows_coverage_and_omissions_when_given():
    data = _fake_data()
    data["coverage"] = {"columns": ["claim", "<A>", "B&B"], "rows": [["port <closed>", "\u2713", "\u2013"]], "more": 0}
    data["omissions"] = [{"source": "B&B", "count": 1,
                          "table": {"columns": ["claim"], "rows": [["port <closed>"]], "more": 0}}]
    html = display.render(data, root_id="nd-test")
    assert 'class="nd-coverage"' in html and 'class="nd-omissions"' in html
    assert "port &lt;closed&gt;" in html and "missing from B&amp;B" in html


# --------------------------------------------------------------------------- the real model


def test_repr_html_has_one_row_per_aligned_pair(example_comparison):
    html = example_comparison._repr_html_()
    expected = sum(
        min(len(example_comparison.pairs(a, b)), display.REPR_MAX_PAIRS)
        for i, a in enumerate(example_comparison.sources) for b in example_comparison.sources[i + 1:]
    )
    assert expected == len(example_comparison.alignment)  # the example fits uncapped
    assert html.count('class="nd-pair"') == expected
    assert html.count('class="nd-unaligned-sent"') == len(example_comparison.unaligned)
    for source in example_comparison.sources:
        assert source in html
    assert "Comparison of 4 outlets" in repr(example_comparison)  # the plain-text fallback stays


@pytest.fixture(scope="module")
def hostile_comparison(encoder):
    articles = nd.load_articles(nd.example_path())
    first = articles[0]
    articles[0] = dataclasses.replace(first, text=first.text.rstrip() + "\n\n" + HOSTILE + "\n")
    articles[1] = dataclasses.replace(articles[1], text=articles[1].text.rstrip() + "\n\n"
                                      "Officials said <script>alert(\"pwned\")</script> nothing changed at the port.\n")
    return nd.compare(articles, model=encoder)


def test_script_in_an_article_is_shown_as_text(hostile_comparison):
    assert hostile_comparison.sentences["text"].str.contains("<script>", regex=False).any()
    html = hostile_comparison._repr_html_()
    assert "<script" not in html
    assert_shown_as_text(html, HOSTILE, 'said <script>alert("pwned")</script> nothing')


def test_coverage_and_omissions_appear_when_the_comparison_has_them(example_comparison):
    sources = example_comparison.sources

    class WithClaims(nd.Comparison):
        @property
        def coverage(self):
            return pd.DataFrame({"claim": ["strike <illegal>"], **{s: [s == sources[0]] for s in sources}})

        def omissions(self, source):
            return pd.DataFrame({"claim": ["strike <illegal>"]}) if source != sources[0] else pd.DataFrame({"claim": []})

    fields = {f.name: getattr(example_comparison, f.name) for f in dataclasses.fields(example_comparison)}
    html = WithClaims(**fields)._repr_html_()
    assert 'class="nd-coverage"' in html and 'class="nd-omissions"' in html
    assert "strike &lt;illegal&gt;" in html
    assert html.count("nd-src\">missing from ") == len(sources) - 1


def test_a_comparison_with_no_aligned_pair_still_shows(example_comparison):
    empty = dataclasses.replace(example_comparison, alignment=example_comparison.alignment.iloc[:0])
    html = empty._repr_html_()
    assert "No sentence of one outlet was aligned" in html
    assert html.count('class="nd-pair"') == 0
    assert html.count('class="nd-unaligned-sent"') == len(example_comparison.sentences)


def test_importing_the_library_does_not_import_the_faces():
    import subprocess
    import sys

    code = "import sys, narrativediff; print(sorted(m for m in sys.modules if m in " \
           "('narrativediff.faces.display', 'narrativediff.faces.plot', 'narrativediff.faces.report', 'IPython', 'matplotlib')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_docstring_examples_run():
    import doctest
    import importlib

    for module in (display, importlib.import_module("narrativediff.faces.plot"), importlib.import_module("narrativediff.faces.report")):
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert result.failed == 0, module.__name__


def test_claims_across_outlets_side_by_side(example_comparison):
    claims = example_comparison.claims
    shared = claims.groupby("claim_id")["source"].nunique()
    shared = shared[shared >= 2]
    grid = display.comparison_data(example_comparison)["claims"]
    assert [row["claim_id"] for row in grid["rows"]] != [] and len(grid["rows"]) == len(shared) == grid["total"]
    assert [row["n_outlets"] for row in grid["rows"]] == sorted((r["n_outlets"] for r in grid["rows"]), reverse=True)
    for row in grid["rows"]:
        members = claims[claims["claim_id"] == row["claim_id"]]
        assert [card["source"] for card in row["outlets"]] == [s for s in example_comparison.sources
                                                               if s in set(members["source"])]
        for card in row["outlets"]:
            texts = [s["text"] for s in card["sentences"]]
            assert texts == members[members["source"] == card["source"]].sort_values("sent_id")["text"].tolist()
            for sentence in card["sentences"]:
                assert _joined(sentence["segments"]) == sentence["text"]
    html = example_comparison._repr_html_()
    assert html.count('class="nd-claim"') == len(shared)
    absent = sum(len(example_comparison.sources) - row["n_outlets"] for row in grid["rows"])
    assert html.count('class="nd-absent"') == absent


# --------------------------------------------------------------------------- one stage, one place


def _forbid_scoring(monkeypatch):
    """Make score_pair, tokenize and sentence_tokens raise wherever narrativediff bound them."""
    import sys

    from narrativediff.framing import records, score
    from narrativediff.text import tokens

    originals = {score.score_pair, tokens.tokenize, records.sentence_tokens}
    patched = 0
    for name, module in list(sys.modules.items()):
        if not (name == "narrativediff" or name.startswith("narrativediff.")):
            continue
        for attr, value in list(vars(module).items()):
            if any(value is original for original in originals):
                def refuse(*args, _name=attr, **kwargs):
                    raise AssertionError(f"a face called {_name}: the framing stage already did this")

                monkeypatch.setattr(module, attr, refuse)
                patched += 1
    assert patched >= 3


def test_the_faces_never_score_or_tokenize_again(example_comparison, monkeypatch):
    from narrativediff.faces import report

    pytest.importorskip("matplotlib")
    _forbid_scoring(monkeypatch)
    with pytest.raises(AssertionError, match="a face called score_pair"):
        nd.score_pair("a b", "a c")  # the guard works
    html = example_comparison._repr_html_()
    assert html.count('class="nd-pair"') == len(example_comparison.alignment)
    page = example_comparison.to_html(plots=True)
    assert page.count('class="nd-pair"') == len(example_comparison.alignment)
    assert repr(example_comparison)
    assert {"evidence", "word_diff"} <= set(report.tables(example_comparison))
    assert example_comparison.framing(0).explanation == example_comparison.alignment.loc[0, "explanation"]


def test_comparison_keeps_each_pairs_framing_result(example_comparison):
    from narrativediff.framing.table import EVIDENCE_COLUMNS, WORD_DIFF_COLUMNS

    c = example_comparison
    assert list(c.evidence.columns) == EVIDENCE_COLUMNS == ["pair", "component", "side", "start", "end", "text", "why"]
    assert list(c.word_diff.columns) == WORD_DIFF_COLUMNS
    assert c.alignment.index.equals(pd.RangeIndex(len(c.alignment)))
    assert set(c.word_diff["pair"]) == set(c.alignment.index)  # every pair has its diff
    assert len(c.evidence) and set(c.evidence["pair"]) <= set(c.alignment.index)
    for row in c.alignment.itertuples():
        kept = c.framing(row.Index)
        again = nd.score_pair(row.text_a, row.text_b, source_a=row.source_a, source_b=row.source_b)
        assert kept == again, row.Index
    for ev in c.evidence.itertuples():
        text = c.alignment.loc[ev.pair, "text_" + ev.side]
        assert text[ev.start:ev.end] == ev.text
    for op in c.word_diff.itertuples():
        row = c.alignment.loc[op.pair]
        assert 0 <= op.start_a <= op.end_a <= len(row["text_a"]) and 0 <= op.start_b <= op.end_b <= len(row["text_b"])
        assert (op.end_a > op.start_a) == (op.i2 > op.i1) and (op.end_b > op.start_b) == (op.j2 > op.j1)
    # the changed stretches the alignment lists are the word diff's non-equal character spans
    for pair, ops in c.word_diff.groupby("pair"):
        row = c.alignment.loc[pair]
        changed = [row["text_a"][o.start_a:o.end_a] for o in ops.itertuples() if o.tag != "equal" and o.end_a > o.start_a]
        assert " | ".join(changed) == row["changed_a"]
    with pytest.raises(nd.InvalidParameterError, match="pair"):
        c.framing(len(c.alignment))


def test_the_view_draws_highlights_from_the_kept_tables(example_comparison):
    c = example_comparison
    full = display.comparison_data(c)
    assert any(s["tag"] for g in full["groups"] for p in g["pairs"] for s in p["segments_a"] + p["segments_b"])
    assert any(s["evidence"] for g in full["groups"] for p in g["pairs"] for s in p["segments_a"] + p["segments_b"])
    bare = display.comparison_data(dataclasses.replace(c, evidence=c.evidence.iloc[:0], word_diff=c.word_diff.iloc[:0]))
    for group in bare["groups"]:
        for pair in group["pairs"]:
            assert all(s["tag"] is None and not s["evidence"] for s in pair["segments_a"] + pair["segments_b"])
            assert all(comp["evidence"] == [] for comp in pair["components"])
    # one pair's evidence is drawn in that pair only
    pair = int(c.evidence["pair"].iloc[0])
    only = display.comparison_data(dataclasses.replace(c, evidence=c.evidence[c.evidence["pair"] == pair]))
    marked = [(p["sent_a"], p["sent_b"]) for g in only["groups"] for p in g["pairs"]
              if any(s["evidence"] for s in p["segments_a"] + p["segments_b"])]
    row = c.alignment.loc[pair]
    assert marked == [(row["sent_a"], row["sent_b"])]


def test_pairs_stored_the_other_way_round_are_shown_mirrored(example_comparison):
    """A row with the later outlet as ``source_a`` is shown with the sides swapped, its tables mirrored."""
    from narrativediff.comparison import _swap_sides

    c = example_comparison
    swapped = c.alignment.rename(columns=_swap_sides(c.alignment.columns))[c.alignment.columns]
    diff = c.word_diff.rename(columns={"i1": "j1", "i2": "j2", "j1": "i1", "j2": "i2", "start_a": "start_b",
                                       "end_a": "end_b", "start_b": "start_a", "end_b": "end_a"})
    diff = diff.assign(tag=diff["tag"].replace({"insert": "delete", "delete": "insert"}))[c.word_diff.columns]
    evidence = c.evidence.assign(side=c.evidence["side"].map({"a": "b", "b": "a"}))
    mirrored = dataclasses.replace(c, alignment=swapped, word_diff=diff, evidence=evidence)
    assert (mirrored.alignment["source_a"] != c.alignment["source_a"]).all()
    assert display.comparison_data(mirrored)["groups"] == display.comparison_data(c)["groups"]


def test_kept_results_copy_the_framing_tables(encoder):
    cache = nd.EmbeddingCache()
    articles = nd.load_articles(nd.example_path())
    first = nd.compare(articles, model=encoder, cache=cache)
    first.evidence.loc[:, "why"] = "changed by its user"
    first.word_diff.loc[:, "tag"] = "equal"
    second = nd.compare(articles, model=encoder, cache=cache)
    assert "reused" in second.timings
    assert not (second.evidence["why"] == "changed by its user").any()
    assert (second.word_diff["tag"] != "equal").any()
    assert second.framing(0) == nd.score_pair(*second.alignment.loc[0, ["text_a", "text_b"]],
                                              source_a=second.alignment.loc[0, "source_a"],
                                              source_b=second.alignment.loc[0, "source_b"])


def test_a_comparison_built_without_the_framing_tables_still_shows(example_comparison):
    fields = {f.name: getattr(example_comparison, f.name) for f in dataclasses.fields(example_comparison)}
    del fields["evidence"], fields["word_diff"]
    bare = nd.Comparison(**fields)
    assert list(bare.evidence.columns)[:2] == ["pair", "component"] and bare.word_diff.empty
    assert bare._repr_html_().count('class="nd-pair"') == len(example_comparison.alignment)


def test_templates_escape_every_value_with_quotes():
    row = display.render_pair({
        "source_a": 'A "quoted" <outlet>', "source_b": "B", "score": 0.5, "components": [
            {"name": "word_choice", "value": 0.5, "evidence": ['a: \u201c<b>\u201d (x & "y")']}],
        "explanation": "<i>why</i> & 'how'", "segments_a": [{"text": "<b>x</b>", "tag": "replace", "evidence": ['"e"']}],
        "segments_b": [{"text": "y", "tag": None, "evidence": []}], "sent_a": 1, "sent_b": 2,
    }, show_sources=True)
    assert row.startswith('<tr class="nd-pair"') and row.endswith("</tr>")
    assert "<b>" not in row and "<i>" not in row
    assert 'A &quot;quoted&quot; &lt;outlet&gt;' in row and 'title="&quot;e&quot;"' in row
    assert "&lt;i&gt;why&lt;/i&gt; &amp; &#x27;how&#x27;" in row
    assert_shown_as_text(row, '<b>x</b>', "<i>why</i> & 'how'")


# --------------------------------------------------------------------------- reading, claims, scale


def _benchmark_value(results: dict, suite: str, key: str):
    node = results["suites"][suite]["result"]
    part, rest = key.split(".", 1)
    node = node[part]
    while rest not in node:
        head = next(k for k in node if rest.startswith(k + "."))
        node, rest = node[head], rest[len(head) + 1:]
    return node[rest]


def test_every_figure_the_views_cite_is_the_one_in_docs_benchmarks():
    import json
    from pathlib import Path

    from narrativediff.faces import reading

    results = json.loads((Path(__file__).resolve().parents[1] / "docs" / "benchmarks.json").read_text())
    for entry in reading.SCORES + reading.CORPUS:
        for figure in entry["figures"]:
            value = _benchmark_value(results, figure.suite, figure.key)
            if isinstance(value, dict):
                assert (value["value"], tuple(value.get("ci") or ()) or None, value.get("n")) == \
                       (figure.value, figure.ci, figure.n), figure
            else:
                assert value == figure.value and figure.ci is None, figure
            assert f"## {figure.suite}" in (Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md").read_text()


def test_how_to_read_and_a_legend_for_every_score(example_comparison):
    html = example_comparison._repr_html_()
    page = _Page(html).text
    assert "How to read this" in page and "Legend:" in page
    for label in ("similarity", "P(same claim)", "framing", "word choice", "attribution", "intensity", "actors"):
        assert f"\n{label}\n" in _Page(html.replace("<dt>", "<dt>\n").replace("</dt>", "\n</dt>")).text, label
    assert page.count("Validated:") == page.count("Does not capture:") >= 8
    # P(same claim) is the relation model's: its held-out figures, not the MRPC calibrator's
    assert "docs/benchmarks.md#same_claim" in page and "0.664 [0.603, 0.727]" in page
    assert "docs/benchmarks.md#mrpc" not in page and "0.343" not in page


def test_the_claim_view_marks_only_evidence_words(example_comparison):
    c = example_comparison
    grid = display.comparison_data(c)["claims"]
    spans = {(c.alignment.at[ev.pair, "source_" + ev.side], int(c.alignment.at[ev.pair, "sent_" + ev.side]),
              ev.text) for ev in c.evidence.itertuples()}
    marked = 0
    for row in grid["rows"]:
        for card in row["outlets"]:
            for sentence in card["sentences"]:
                for run in sentence["segments"]:
                    assert run["tag"] is None  # no word diff in the claim view
                    if run["evidence"]:
                        marked += 1
                        assert any(run["text"] in text for source, sent, text in spans
                                   if (source, sent) == (card["source"], sentence["sent_id"])), run
                        assert all("(vs " in reason for reason in run["evidence"])
    assert marked
    html = c._repr_html_()
    assert re.search(r'<mark class="nd-ev[^"]*" tabindex="0" title="[^"]+">', html)
    css = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    assert ":focus::after" in css and "@media print" in css and "attr(title)" in css


def test_quotes_and_speakers_are_marked(example_comparison):
    c = example_comparison
    quoted = c.sentences[c.sentences["is_quote"]]
    assert len(quoted)
    data = display.comparison_data(c)
    shown = [(card["source"], s["sent_id"], s["is_quote"], s["speaker"]) for row in data["claims"]["rows"]
             for card in row["outlets"] for s in card["sentences"]]
    truth = {(r.source, r.sent_id): bool(r.is_quote) for r in c.sentences.itertuples()}
    assert all(truth[(source, sent)] == is_quote for source, sent, is_quote, _ in shown)
    assert display.render(data).count('class="nd-quote"') >= sum(1 for *_, q, _ in shown if q)


def test_views_group_and_filter_by_relation_when_the_alignment_has_one(example_comparison):
    c = example_comparison
    relation = pd.Series("related", index=c.alignment.index, dtype=object)
    relation[c.alignment["same_claim"].astype(bool)] = "same_claim"
    relation.iloc[-1] = "contradiction"
    with_relation = dataclasses.replace(c, alignment=c.alignment.drop(columns=["relation"], errors="ignore")
                                        .assign(relation=relation))
    data = display.comparison_data(with_relation)
    assert [r["name"] for r in data["relations"]] == [r for r in display.RELATION_ORDER if r in set(relation)]
    assert data["counts"]["same_claim"] == int((relation == "same_claim").sum())
    for group in data["groups"]:
        ranks = [display.RELATION_ORDER.index(p["relation"]) for p in group["pairs"]]
        assert ranks == sorted(ranks)
    html = display.render(data)
    assert html.count('data-relation="contradiction"') >= 1
    page = with_relation.to_html(plots=False)
    assert '<option value="contradiction">contradiction</option>' in page


def test_a_large_comparison_is_summarised():
    from benchmarks.suites.view_scale import synthetic_comparison

    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        c = synthetic_comparison(30)
    n_outlet_pairs = len({tuple(sorted(p)) for p in zip(c.alignment["source_a"], c.alignment["source_b"])})
    assert n_outlet_pairs > display.NOTEBOOK_LIMITS["groups"]
    data = display.comparison_data(c, max_pairs=display.REPR_MAX_PAIRS, limits=display.NOTEBOOK_LIMITS)
    assert len(data["groups"]) == display.NOTEBOOK_LIMITS["groups"]
    assert data["groups_hidden"] == n_outlet_pairs - len(data["groups"])
    assert data["counts"]["outlet_pairs"] == n_outlet_pairs
    assert len(data["outlet_pairs"]["rows"]) + data["outlet_pairs"]["more"] == n_outlet_pairs
    for row in data["claims"]["rows"]:
        assert len(row["outlets"]) <= display.NOTEBOOK_LIMITS["outlets_per_claim"]
        assert len(row["outlets"]) + row["hidden_outlets"] == row["n_outlets"]
    html = c._repr_html_()
    assert "more outlet pairs have aligned sentences" in html and "omissions are not listed" in html
    assert len(html) < len(display.comparison_html(c))  # the uncut view is larger


def test_the_reading_of_p_same_claim_follows_the_column():
    """The relation model's column gets its own reading; only a table saved with the calibrator's
    old ``probability`` column gets the calibrator's."""
    from narrativediff.faces.reading import score_entries

    relation = {e["name"]: e for e in score_entries(["similarity", "p_same_claim", "probability"])}
    assert "p_same_claim" in relation and "probability" not in relation
    assert "relation model" in relation["p_same_claim"]["what"]
    assert relation["p_same_claim"]["sources"] == ["docs/benchmarks.md#same_claim"]
    old = {e["name"]: e for e in score_entries(["similarity", "probability"])}
    assert "p_same_claim" not in old and "MRPC" in old["probability"]["what"]
