"""compare() end to end through the real model, on the bundled example and the seed articles."""

import numpy as np
import pandas as pd
import pytest

import narrativediff as nd
import narrativediff.align.headlines
from narrativediff.comparison import ALIGNMENT_COLUMNS, SENTENCE_COLUMNS


def _row(sentences, source, startswith):
    rows = sentences[(sentences["source"] == source) & sentences["text"].str.startswith(startswith)]
    assert len(rows) == 1, f"expected one {source} sentence starting {startswith!r}, found {len(rows)}"
    return rows.iloc[0]


def _aligned(comparison, source_a, id_a, source_b):
    pairs = comparison.pairs(source_a, source_b)
    return pairs[pairs["sent_a"] == id_a]


def test_tables_have_the_documented_columns(example_comparison):
    assert list(example_comparison.sentences.columns) == SENTENCE_COLUMNS
    assert set(ALIGNMENT_COLUMNS) <= set(example_comparison.alignment.columns)
    assert list(example_comparison.removed.columns) == ["source", "line_no", "text", "reason", "explanation"]
    assert example_comparison.embeddings.shape == (len(example_comparison.sentences), 384)


def test_every_sentence_is_accounted_for(example_comparison):
    comparison = example_comparison
    for article in comparison.articles:
        kept = comparison.sentences[comparison.sentences["source"] == article.source]
        removed = comparison.removed[comparison.removed["source"] == article.source]
        assert kept["sent_id"].tolist() == list(range(len(kept)))
        # every non-empty line of the input is either removed (with a reason) or holds sentences
        lines = [n for n, line in enumerate(article.text.splitlines()) if line.strip()]
        assert sorted(set(kept["line_no"]) | set(removed["line_no"])) == lines
        assert removed["reason"].notna().all()
    aligned = set(zip(comparison.alignment.source_a, comparison.alignment.sent_a)) | set(
        zip(comparison.alignment.source_b, comparison.alignment.sent_b))
    unaligned = set(zip(comparison.unaligned.source, comparison.unaligned.sent_id))
    assert aligned.isdisjoint(unaligned)
    assert aligned | unaligned == set(zip(comparison.sentences.source, comparison.sentences.sent_id))


def test_example_finds_the_planted_differences(example_comparison):
    comparison = example_comparison
    alignment = comparison.alignment
    content = alignment["match"] == "content"
    assert alignment.loc[content, "similarity"].gt(comparison.threshold).all()
    assert alignment.loc[~content, "similarity"].gt(nd.align.HEADLINE_FLOOR).all()
    # the headline pairs join titles to titles or leads
    titles = set(zip(comparison.sentences.source[comparison.sentences.is_title],
                     comparison.sentences.sent_id[comparison.sentences.is_title]))
    for row in alignment[~content].itertuples():
        assert (row.source_a, row.sent_a) in titles or (row.source_b, row.sent_b) in titles
    assert alignment["framing_score"].between(0, 1).all()
    boss = _row(comparison.sentences, "capital_tribune", "Union boss Mara Ostrin claimed")
    pair = _aligned(comparison, "capital_tribune", boss.sent_id, "coastal_wire")
    assert len(pair) == 1 and pair.iloc[0]["text_b"].startswith("Union leader Mara Ostrin told")
    assert "claimed" in pair.iloc[0]["changed_a"]
    # omissions: the business leaders appear only in the Capital Tribune, the crane operator only in the Herald
    unaligned = comparison.unaligned
    assert any(unaligned["text"].str.startswith("Business leaders warned"))
    assert any(unaligned["text"].str.contains("crane operator Tomas Lind"))
    # web junk was removed and reported
    assert {"footer", "caption", "date", "copyright"} <= set(comparison.removed["reason"])


def test_seed_headlines_align_across_outlets(seeds_comparison):
    comparison = seeds_comparison
    threaten = _row(comparison.sentences, "rt", "The top US diplomat plans to threaten Beijing")
    assert threaten.is_title
    partners = pd.concat([_aligned(comparison, "rt", threaten.sent_id, other) for other in ("voa", "politico")])
    texts = " ".join(partners["text_b"])
    assert "Urging China to Cease Support" in texts or "with a warning for China" in texts


def test_senior_official_quote_aligns_between_afp_and_ntb(seeds_comparison):
    comparison = seeds_comparison
    afp = _row(comparison.sentences, "afp", "A senior US official said last week")
    ntb = _row(comparison.sentences, "ntb", "– Russia is carrying out")
    assert afp.is_quote and ntb.is_quote
    pair = _aligned(comparison, "afp", afp.sent_id, "ntb")
    assert ntb.sent_id in set(pair["sent_b"])
    assert pair.loc[pair["sent_b"] == ntb.sent_id, "similarity"].iloc[0] > 0.65


def test_seed_junk_is_reported_per_outlet(seeds_comparison):
    removed = seeds_comparison.removed
    assert set(removed.loc[removed.source == "rt", "reason"]) >= {"menu", "date", "duplicate"}
    assert len(removed[removed.source == "voa"]) >= 12
    assert removed.loc[removed.source == "politico"].empty
    summary = seeds_comparison.summary()
    assert summary.loc["politico", "removed_lines"] == 0 and summary["sentences"].sum() == len(seeds_comparison.sentences)


def test_second_comparison_embeds_nothing(encoder):
    cache = nd.EmbeddingCache(max_results=0)
    articles = nd.load_articles(nd.example_path())
    nd.compare(articles, model=encoder, cache=cache)
    misses = cache.misses
    again = nd.compare(articles, model=encoder, cache=cache)
    assert cache.misses == misses and cache.hits >= len(again.sentences.text.unique())
    assert "reused" not in again.timings


def test_same_comparison_again_reuses_its_tables_as_independent_copies(encoder):
    cache = nd.EmbeddingCache()
    articles = nd.load_articles(nd.example_path())
    first = nd.compare(articles, model=encoder, cache=cache)
    first.alignment.loc[:, "framing_score"] = -1.0  # a user's edit must not leak into the kept result
    second = nd.compare(articles, model=encoder, cache=cache)
    assert "reused" in second.timings and second.timings["embed"] == 0.0
    assert second.alignment["framing_score"].between(0, 1).all()
    pd.testing.assert_frame_equal(second.sentences, first.sentences)
    assert second.articles == first.articles == nd.text.normalise_articles(articles)  # checked: language detected
    other = nd.compare(articles, model=encoder, cache=cache, threshold=0.7)
    assert "reused" not in other.timings and len(other.alignment) < len(second.alignment)


def test_methods_are_subsets_of_the_threshold_matching(example_comparison, encoder):
    articles = example_comparison.articles
    keys = lambda c: set(zip(c.alignment.source_a, c.alignment.sent_a, c.alignment.source_b, c.alignment.sent_b))
    for method in ("mutual", "hungarian"):
        other = nd.compare(articles, model=encoder, method=method)
        assert keys(other) <= keys(example_comparison)
        # one-to-one: no sentence is used twice within one outlet pair
        content = other.alignment[other.alignment["match"] == "content"]
        for (a, b), group in content.groupby(["source_a", "source_b"]):
            assert group["sent_a"].is_unique and group["sent_b"].is_unique


def test_similarity_matrix_and_pairs_views(example_comparison):
    matrix = example_comparison.similarity("coastal_wire", "harbour_herald")
    n_a = (example_comparison.sentences.source == "coastal_wire").sum()
    n_b = (example_comparison.sentences.source == "harbour_herald").sum()
    assert matrix.shape == (n_a, n_b) and np.all(matrix.to_numpy() <= 1.0001)
    forward = example_comparison.pairs("coastal_wire", "harbour_herald")
    backward = example_comparison.pairs("harbour_herald", "coastal_wire")
    assert len(forward) == len(backward) and set(forward.sent_a) == set(backward.sent_b)


def test_repr_is_readable(example_comparison):
    text = repr(example_comparison)
    assert text.startswith("<Comparison of 4 outlets")
    assert "aligned pairs" in text and "most differently framed" in text


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"method": "best"}, nd.InvalidParameterError, "method must be one of"),
        ({"threshold": 1.5}, nd.InvalidParameterError, "threshold must be in"),
        ({"threshold": "high"}, nd.InvalidParameterError, "threshold must be a number"),
        ({"cache": "x"}, nd.InvalidParameterError, "EmbeddingCache"),
        ({"claim_floor": 2}, nd.InvalidParameterError, "claim_floor must be in"),
        ({"splitter": 42}, nd.InvalidParameterError, "splitter must be None"),
    ],
)
def test_bad_options(kwargs, error, message):
    with pytest.raises(error, match=message):
        nd.compare({"A": "One sentence.", "B": "Two sentences."}, model=_Unused(), **kwargs)


def test_article_of_only_junk_is_a_clear_error():
    class Constant:
        name = "constant"

        def encode(self, texts):
            return np.ones((len(texts), 2), dtype=np.float32) / np.sqrt(2)

    with pytest.raises(nd.InvalidInputError, match="no sentence of article 'B' survived cleaning"):
        nd.compare({"A": "A real sentence is here.", "B": "Menu\nLogin\n© 2024 Someone"}, model=Constant())


class _Unused:
    name = "unused"

    def encode(self, texts):  # pragma: no cover - never reached: options are checked first
        raise AssertionError("options must be validated before embedding")


def test_claims_cover_every_sentence_once(seeds_comparison):
    claims = seeds_comparison.claims
    assert list(claims[["source", "sent_id"]].itertuples(index=False, name=None)) == list(
        seeds_comparison.sentences[["source", "sent_id"]].itertuples(index=False, name=None))
    coverage = seeds_comparison.coverage
    assert set(seeds_comparison.sources) <= set(coverage.columns)
    assert coverage[seeds_comparison.sources].sum(axis=1).eq(coverage["n_outlets"]).all()


def test_machine_tools_claim_is_reported_by_several_outlets(seeds_comparison):
    claims = seeds_comparison.claims
    rt = claims[(claims.source == "rt") & claims.text.str.startswith("At issue are China’s exports of machine tools")]
    claim = claims[claims.claim_id == rt.claim_id.iloc[0]]
    assert claim.source.nunique() >= 2
    assert "politico" in set(claim.source)


def test_chinese_foreign_ministry_answer_is_an_omission_of_afp(seeds_comparison):
    missing = seeds_comparison.omissions("afp", min_outlets=1)
    assert missing.text.str.contains("Mao Ning|dual-use articles", regex=True).any()
    with pytest.raises(nd.InvalidParameterError, match="source must be one of"):
        seeds_comparison.omissions("bbc")
    unique = seeds_comparison.unique_claims("rt")
    assert set(unique.columns) >= {"claim_id", "sent_id", "text"}


def test_no_seed_outlet_is_flagged_as_republishing(seeds_comparison):
    assert not seeds_comparison.near_duplicates["republished"].any()
    assert seeds_comparison.groups.nunique() == len(seeds_comparison.sources)


def test_differences_rank_same_claim_pairs_by_framing(seeds_comparison):
    top = seeds_comparison.differences(10)
    assert len(top) == 10 and top["framing_score"].is_monotonic_decreasing
    assert (top["same_claim"] | top["match"].eq("headline")).all()
    everything = seeds_comparison.differences(same_claim_only=False)
    assert len(everything) == len(seeds_comparison.alignment)
    # RT's "plans to threaten Beijing" headline is read against VOA's "Urging China" headline
    rt_voa = seeds_comparison.pairs("rt", "voa")
    threat = rt_voa[rt_voa.text_a.str.contains("plans to threaten") & rt_voa.text_b.str.startswith("Urging China")]
    assert len(threat) == 1 and "threaten" in threat.iloc[0]["changed_a"]
    assert "threaten" in threat.iloc[0]["explanation"]


def test_differences_per_sentence_spreads_the_top_over_sentences(seeds_comparison):
    """On the seeds one AFP sentence ("increasingly denouncing") sits in six of the ten most
    differently framed pairs; with per_sentence=1 the top ten are twenty different sentences."""
    ranked = seeds_comparison.differences()
    plain = ranked.head(10)

    def sides(table):
        return list(zip(table.source_a, table.sent_a)) + list(zip(table.source_b, table.sent_b))

    assert max(pd.Series(sides(plain)).value_counts()) > 1
    spread = seeds_comparison.differences(10, per_sentence=1)
    assert len(spread) == 10 and len(set(sides(spread))) == 20
    assert spread["framing_score"].is_monotonic_decreasing
    assert spread.index[0] == ranked.index[0]
    # every pair passed over ranks above the last one kept and shares a sentence with a kept one
    kept = set(sides(spread))
    above = ranked.loc[: spread.index[-1]]
    for row in above[~above.index.isin(spread.index)].itertuples():
        assert (row.source_a, row.sent_a) in kept or (row.source_b, row.sent_b) in kept
    twice = seeds_comparison.differences(per_sentence=2)
    assert max(pd.Series(sides(twice)).value_counts()) == 2


@pytest.mark.parametrize("options, message", [
    ({"top": -1}, "top must be an integer of at least 0"),
    ({"top": 2.5}, "top must be an integer of at least 0"),
    ({"per_sentence": 0}, "per_sentence must be a positive integer"),
    ({"per_sentence": True}, "per_sentence must be a positive integer"),
])
def test_differences_rejects_bad_counts(seeds_comparison, options, message):
    with pytest.raises(nd.InvalidParameterError, match=message):
        seeds_comparison.differences(**options)


def test_kept_results_follow_the_sentences_a_splitter_gives(encoder):
    """A custom splitter that splits differently gets its own result; one that splits alike reuses it.

    The key is the sentence table itself, not the splitter object (whose id() can be reused).
    """
    import punkt

    cache = nd.EmbeddingCache()
    articles = nd.load_articles(nd.example_path())
    first = nd.compare(articles, model=encoder, cache=cache, splitter=lambda p: punkt.sent_tokenize(p, "english"))
    alike = nd.compare(articles, model=encoder, cache=cache, splitter=lambda p: punkt.sent_tokenize(p, "english"))
    assert "reused" in alike.timings
    pd.testing.assert_frame_equal(alike.alignment, first.alignment)
    whole = nd.compare(articles, model=encoder, cache=cache, splitter=lambda p: [p])
    assert "reused" not in whole.timings
    assert len(whole.sentences) < len(first.sentences)


def test_articles_with_nothing_in_common_give_empty_tables_not_errors(encoder, tmp_path):
    comparison = nd.compare({
        "a": "The harbour council approved a new crane for the container terminal on Monday.",
        "b": "Heavy snowfall closed three mountain passes and stranded hundreds of skiers.",
    }, model=encoder, cache=nd.EmbeddingCache())
    assert comparison.alignment.empty
    assert set(ALIGNMENT_COLUMNS) <= set(comparison.alignment.columns)
    assert comparison.differences().empty
    assert "0 aligned pairs" in repr(comparison)
    assert "<" in comparison._repr_html_()
    comparison.to_html(tmp_path / "report.html")
    assert (tmp_path / "report.html").stat().st_size > 0


def test_differences_per_sentence_is_greedy_in_rank_order():
    """A table of its own (no model): a pair is passed over only for a sentence already used."""
    from narrativediff.comparison import differences

    table = pd.DataFrame({
        "source_a": ["a", "a", "b", "a", "a"], "sent_a": [0, 0, 1, 2, 3],
        "source_b": ["b", "c", "c", "b", "c"], "sent_b": [1, 5, 5, 9, 6],
        "relation": ["same_claim", "same_claim", "same_claim", "related", "same_claim"],
        "framing_score": [0.9, 0.8, 0.7, 0.95, np.nan],
    })
    # a0 is used by the first row, so row 1 is passed over; row 2 (b1) shares b1 with row 0
    assert list(differences(table, per_sentence=1).index) == [0, 4]
    assert list(differences(table, per_sentence=2).index) == [0, 1, 2, 4]
    assert list(differences(table, 1, per_sentence=1).index) == [0]
    assert list(differences(table, same_claim_only=False, per_sentence=1).index) == [3, 0, 4]
