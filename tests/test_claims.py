"""Claims across N outlets: properties on synthetic embeddings, then the real seeds through the real model."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from narrativediff.align import claims as C
from narrativediff.align.pairs import similarity_matrix
from narrativediff.align.model import default_calibrator
from narrativediff.align.relation import default_relation_model
from narrativediff.exceptions import InvalidInputError, InvalidParameterError
from synthetic import random_story, unit



def members(claims):
    return {frozenset(zip(g["source"], g["sent_id"])) for _, g in claims.groupby("claim_id")}


# --- properties ---------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("score", C.SCORES)
def test_every_sentence_in_exactly_one_claim_and_every_pair_above_floor(seed, score):
    table, vectors = random_story(seed, n_sources=5, n_sentences=7)
    claims = C.group_claims(table, vectors, score=score, floor=0.5 if score == "cosine" else None)
    assert len(claims) == len(table)
    assert list(zip(claims["source"], claims["sent_id"])) == list(zip(table["source"], table["sent_id"]))
    assert sorted(claims["claim_id"].unique()) == list(range(claims["claim_id"].nunique()))
    scores = C.claim_scores(table, vectors, score=score)
    floor = {"cosine": 0.5, "probability": default_calibrator().threshold_,
             "relation": default_relation_model().threshold_}[score]
    labels = claims["claim_id"].to_numpy()
    same = (labels[:, None] == labels[None, :]) & ~np.eye(len(labels), dtype=bool)
    assert same.any(), "the synthetic story should produce some multi-outlet claims"
    assert np.all(scores[same] >= floor - 1e-9)
    # cohesion is the lowest score inside each claim
    for claim_id, group in claims.groupby("claim_id"):
        rows = group.index.to_numpy()
        if len(rows) > 1:
            inner = scores[np.ix_(rows, rows)][~np.eye(len(rows), dtype=bool)]
            assert group["cohesion"].iloc[0] == pytest.approx(inner.min())


@pytest.mark.parametrize("seed", range(4))
def test_a_claim_never_holds_two_sentences_of_one_outlet_unless_repeated(seed):
    table, vectors = random_story(seed, n_sources=4, n_sentences=8, n_topics=9)
    claims = C.group_claims(table, vectors, score="cosine", floor=0.2)
    cosine = similarity_matrix(vectors, vectors)
    for _, group in claims.groupby("claim_id"):
        for source, rows in group.groupby("source").groups.items():
            rows = np.asarray(list(rows))
            if len(rows) > 1:
                inner = cosine[np.ix_(rows, rows)][~np.eye(len(rows), dtype=bool)]
                assert inner.min() >= C.REPEAT_THRESHOLD


def test_an_outlet_that_repeats_itself_keeps_the_repeat_in_one_claim():
    table = pd.DataFrame({"source": ["A", "A", "B"], "sent_id": [0, 1, 0],
                          "text": ["China helps Russia.", "China helps Russia.", "China aids Russia."]})
    vectors = unit([[1, 0, 0], [1, 0.01, 0], [0.95, 0.3, 0]])
    claims = C.group_claims(table, vectors, score="cosine", floor=0.6)
    assert claims["claim_id"].nunique() == 1
    claims = C.group_claims(table, vectors, score="cosine", floor=0.6, repeat_threshold=1.0)
    assert claims["claim_id"].nunique() == 2


def test_no_chaining_through_a_third_sentence():
    # A ~ B and B ~ C, but A and C are unrelated: they must not end up in one claim
    table = pd.DataFrame({"source": ["A", "B", "C"], "sent_id": [0, 0, 0], "text": ["a", "b", "c"]})
    angle = np.deg2rad([0, 40, 80])
    vectors = unit(np.column_stack([np.cos(angle), np.sin(angle)]))  # cos 40 deg = 0.77, cos 80 deg = 0.17
    claims = C.group_claims(table, vectors, score="cosine", floor=0.6)
    ids = claims["claim_id"].tolist()
    assert ids[0] != ids[2]
    assert claims["claim_id"].nunique() == 2


@pytest.mark.parametrize("seed", range(4))
def test_claims_do_not_depend_on_the_order_of_outlets(seed):
    table, vectors = random_story(seed, n_sources=5)
    forward = C.group_claims(table, vectors)
    order = np.argsort(-table["source"].str[1:].astype(int).to_numpy(), kind="stable")
    backward = C.group_claims(table.iloc[order].reset_index(drop=True), vectors[order])
    assert members(forward) == members(backward)


def test_input_errors():
    table, vectors = random_story(0)
    with pytest.raises(InvalidInputError):
        C.group_claims(table, vectors[:3])
    with pytest.raises(InvalidParameterError, match="score"):
        C.group_claims(table, vectors, score="jaccard")
    with pytest.raises(InvalidInputError, match="text"):
        C.group_claims(table.drop(columns="text"), vectors)
    assert len(C.group_claims(table.drop(columns="text"), vectors, score="cosine")) == len(table)
    claims = C.group_claims(table, vectors)
    with pytest.raises(InvalidParameterError, match="source"):
        C.omissions(claims, "nobody")
    with pytest.raises(InvalidParameterError, match="min_outlets"):
        C.omissions(claims, "S0", min_outlets=0)


def test_single_sentence_and_empty_tables():
    one = pd.DataFrame({"source": ["A"], "sent_id": [0], "text": ["x"]})
    assert C.group_claims(one, unit([[1, 0]]))["claim_id"].tolist() == [0]
    empty = pd.DataFrame({"source": [], "sent_id": [], "text": []})
    assert len(C.group_claims(empty, np.zeros((0, 2), dtype=np.float32))) == 0


# --- coverage, omissions, unique claims, near-duplicates ----------------------------------------

def handmade():
    """Three outlets; claim X reported by A, B, C; Y by A and B; Z by B and C; W by A only."""
    claims = pd.DataFrame({
        "claim_id": [0, 0, 0, 1, 1, 2, 2, 3],
        "source": ["A", "B", "C", "A", "B", "B", "C", "A"],
        "sent_id": [0, 0, 0, 1, 1, 2, 1, 2],
        "text": ["x-a", "x-b", "x-c", "y-a", "y-b", "z-b", "z-c", "w-a"],
    })
    return claims


def test_coverage_omissions_and_unique_claims():
    claims = handmade()
    table = C.coverage(claims)
    assert list(table.columns[:3]) == ["A", "B", "C"]
    assert table["n_outlets"].tolist() == [3, 2, 2, 1]
    assert table.loc[2, ["A", "B", "C"]].tolist() == [False, True, True]
    assert table.loc[0, "text"] == "x-a"
    gaps = C.omissions(claims, "A", min_outlets=2)
    assert gaps["claim_id"].tolist() == [2] and gaps["sources"].tolist() == ["B, C"]
    assert C.omissions(claims, "C", min_outlets=2)["claim_id"].tolist() == [1]
    assert C.omissions(claims, "C", min_outlets=1)["claim_id"].tolist() == [1, 3]
    assert C.omissions(claims, "C", min_outlets=3).empty
    assert C.unique_claims(claims, "A")["text"].tolist() == ["w-a"]
    assert C.unique_claims(claims, "B").empty


def test_republishing_group_counts_once():
    claims = handmade()
    groups = {"A": "A", "B": "A", "C": "C"}  # B republishes A's wire
    table = C.coverage(claims, groups=groups)
    assert table["n_independent"].tolist() == [2, 1, 2, 1]
    # claim Y (A and B) is one independent report: C omits it only when one outlet suffices
    assert C.omissions(claims, "C", min_outlets=2, groups=groups).empty
    assert C.omissions(claims, "C", min_outlets=1, groups=groups)["claim_id"].tolist() == [1, 3]
    # Y is unique to the A/B wire group
    assert C.unique_claims(claims, "B", groups=groups)["claim_id"].tolist() == [1]


def test_near_duplicates_flag_a_republished_wire():
    table, vectors = random_story(7, n_sources=3, n_sentences=8)
    wire = table[table["source"] == "S0"].copy()
    wire["source"] = "S0-copy"
    wire = wire.iloc[:6]  # republished, trimmed at the end
    rng = np.random.default_rng(0)
    copied = unit(vectors[:6] + 0.03 * rng.normal(size=vectors[:6].shape))
    full = pd.concat([table, wire], ignore_index=True)
    all_vectors = np.vstack([vectors, copied])
    result = C.near_duplicates(full, all_vectors)
    assert len(result) == 6  # every pair of the four outlets
    flagged = result[result["republished"]]
    assert flagged[["source_a", "source_b"]].values.tolist() == [["S0", "S0-copy"]]
    row = flagged.iloc[0]
    assert row["share_b"] == 1.0 and row["shared_a"] == 6
    groups = C.republishing_groups(result)
    assert groups["S0-copy"] == "S0" and groups["S1"] == "S1"
    claims = C.group_claims(full, all_vectors)
    table_ = C.coverage(claims, groups=groups)
    assert (table_["n_independent"] <= table_["n_outlets"]).all()
    assert (table_["n_independent"] < table_["n_outlets"]).any()


# --- the real seeds through the real model -----------------------------------------------------

@pytest.fixture(scope="module")
def seed_claims(seeds_comparison):
    sentences, embeddings = seeds_comparison.sentences, seeds_comparison.embeddings
    return sentences, embeddings, C.group_claims(sentences, embeddings)


def test_machine_tools_and_microelectronics_claim_is_reported_by_several_outlets(seed_claims):
    _, _, claims = seed_claims
    mentions = claims[claims["text"].str.contains("machine tools", case=False)]
    assert mentions["source"].nunique() >= 3  # RT, Politico, VOA, NTB all mention it
    assert mentions["n_sources"].max() >= 2
    # RT's "China's exports of machine tools, microelectronics, optics" and Politico's "China sharing
    # machine tools, semiconductors" report one claim
    rt = mentions[(mentions["source"] == "rt") & mentions["text"].str.contains("microelectronics")]
    assert len(rt) == 1
    claim = claims[claims["claim_id"] == rt["claim_id"].iloc[0]]
    assert {"rt", "politico"} <= set(claim["source"])
    assert claim.loc[claim["source"] == "politico", "text"].str.contains("machine tools").all()


def test_primary_contributor_quote_joins_afp_and_politico(seed_claims):
    _, _, claims = seed_claims
    quote = claims[claims["text"].str.contains("primary contributor")]
    assert set(quote["source"]) == {"afp", "politico"}
    assert quote["claim_id"].nunique() == 1


def test_rt_mao_ning_answer_is_missing_from_afp(seed_claims):
    _, _, claims = seed_claims
    rt = claims[claims["source"] == "rt"]
    start = rt.index[rt["text"].str.contains("Mao Ning")][0]
    paragraph = rt.loc[start:].iloc[:2]  # Mao Ning's two sentences close the RT article
    assert paragraph["text"].iloc[1].startswith("“Relevant countries")
    ids = set(paragraph["claim_id"])
    assert "afp" not in set(claims.loc[claims["claim_id"].isin(ids), "source"])
    missing = C.omissions(claims, "afp", min_outlets=1)
    assert ids <= set(missing["claim_id"])


def test_seed_outlets_are_not_republications_but_a_copy_is(seed_claims):
    sentences, embeddings, _ = seed_claims
    assert not C.near_duplicates(sentences, embeddings)["republished"].any()
    copy = sentences[sentences["source"] == "afp"].assign(source="afp-wire")
    both = pd.concat([sentences, copy], ignore_index=True)
    vectors = np.vstack([embeddings, embeddings[sentences["source"].to_numpy() == "afp"]])
    flagged = C.near_duplicates(both, vectors)
    assert flagged.loc[flagged["republished"], ["source_a", "source_b"]].values.tolist() == [["afp", "afp-wire"]]
    groups = C.republishing_groups(flagged)
    claims = C.group_claims(both, vectors)
    counted = C.coverage(claims, groups=groups)
    afp_claims = counted[counted["afp"]]
    assert (afp_claims["n_independent"] == afp_claims["n_outlets"] - 1).all()


# --- blockwise scores: the same claims as the full score matrix ----------------------------------

def assert_same_claims(sentences, embeddings, block_sizes=(2, 5, 64, C.BLOCK_SIZE), **options):
    full = C.group_claims(sentences, embeddings, **options,
                          scores=C.claim_scores(sentences, embeddings, score=options.get("score", "probability")))
    for block_size in block_sizes:
        blockwise = C.group_claims(sentences, embeddings, **options, block_size=block_size)
        # the same claims exactly; scores within float32 rounding (the pair form and the block form
        # of the relation features multiply word vectors in different shapes)
        floats = [c for c in full.columns if pd.api.types.is_float_dtype(full[c])]
        pd.testing.assert_frame_equal(blockwise.drop(columns=floats), full.drop(columns=floats), check_exact=True)
        pd.testing.assert_frame_equal(blockwise[floats], full[floats], check_exact=False, rtol=1e-6, atol=1e-7)
    return full


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("score", C.SCORES)
def test_blockwise_claims_equal_the_full_score_matrix(seed, score):
    table, vectors = random_story(seed, n_sources=6, n_sentences=8, n_topics=10)
    floor = 0.5 if score == "cosine" else None
    claims = assert_same_claims(table, vectors, score=score, floor=floor)
    assert (claims["claim_size"] > 1).any()
    # a high floor splits the story into many small components, a low one into a few large ones
    for floor in (0.95, 0.2):
        assert_same_claims(table, vectors, score=score, floor=floor)
    assert_same_claims(table, vectors, score=score, floor=0.5, repeat_threshold=0.3)


def test_blockwise_claims_of_tiny_tables():
    one = pd.DataFrame({"source": ["A"], "sent_id": [0], "text": ["x"]})
    assert_same_claims(one, unit([[1, 0]]))
    table = pd.DataFrame({"source": ["A", "B"], "sent_id": [0, 0], "text": ["x", "x"]})
    assert_same_claims(table, unit([[1, 0], [1, 0.01]]), score="cosine")
    with pytest.raises(InvalidParameterError, match="block_size"):
        C.group_claims(table, unit([[1, 0], [1, 0.01]]), block_size=1)


def test_blockwise_claims_never_build_a_square_matrix():
    import tracemalloc

    n = 3000
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(300, 64))
    vectors = unit(centres[rng.integers(0, 300, size=n)] + 0.3 * rng.normal(size=(n, 64)))
    table = pd.DataFrame({"source": [f"S{k % 20}" for k in range(n)], "sent_id": np.arange(n) // 20})
    tracemalloc.start()
    try:
        claims = C.group_claims(table, vectors, score="cosine", block_size=64)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (claims["claim_size"] > 1).any()
    assert peak < n * n * 8 / 8  # the full float64 matrix alone would be n * n * 8 bytes


def test_blockwise_claims_of_the_seeds_equal_the_full_score_matrix(seeds_comparison):
    sentences, embeddings = seeds_comparison.sentences, seeds_comparison.embeddings
    # Blocks of at least ~1e6 multiply-adds: OpenBLAS's small-matrix sgemm kernel rounds some
    # 384-dimensional dot products differently from the full product, so tiny blocks of real
    # embeddings could differ from claim_scores in the last bit (the default block never is tiny).
    block_sizes = (len(sentences) // 2 + 1, C.BLOCK_SIZE)
    claims = assert_same_claims(sentences, embeddings, block_sizes=block_sizes)
    assert (claims["n_sources"] > 1).any()
    assert_same_claims(sentences, embeddings, block_sizes=block_sizes, score="cosine")
    assert_same_claims(sentences, embeddings, block_sizes=block_sizes, floor=0.2)


# --- complete linkage on the pairs within the cut alone ----------------------------------------


@settings(max_examples=150, deadline=None)
@given(n=st.integers(1, 14), seed=st.integers(0, 10_000), floor=st.floats(0.05, 0.95),
       missing=st.floats(0.0, 0.6))
def test_sparse_complete_linkage_is_complete_linkage_of_the_full_matrix(n, seed, floor, missing):
    """The same claims as scipy's complete linkage on the square matrix, pairs not given never joined."""
    rng = np.random.default_rng(seed)
    scores = rng.random((n, n))
    scores = (scores + scores.T) / 2 + rng.normal(0, 1e-3, (n, n))  # the two directions differ a little
    given_pairs = rng.random((n, n)) >= missing  # a pair given in one direction only is not a pair
    rows, cols = np.nonzero(given_pairs)
    sparse = C._first_order(C._sparse_complete_linkage(n, rows, cols, scores[rows, cols], cut=1.0 - floor))
    full = C._cut_linkage(scores, given_pairs, floor=floor)
    np.testing.assert_array_equal(sparse, full)


def test_one_long_chain_of_close_sentences_is_clustered_without_a_square_matrix():
    """A story whose sentences all link through chains (one component) costs memory in pairs, not n ** 2."""
    import tracemalloc

    n = 3000
    angles = np.linspace(0, 40, n)  # each sentence close to its neighbours on a slow spiral, far from most
    vectors = unit(np.column_stack([np.cos(angles), np.sin(angles), np.cos(angles / 7), np.sin(angles / 7)]))
    table = pd.DataFrame({"source": [f"S{k % 30}" for k in range(n)], "sent_id": np.arange(n) // 30})
    tracemalloc.start()
    try:
        claims = C.group_claims(table, vectors, score="cosine", floor=0.995, block_size=64)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert claims["claim_size"].max() > 1 and claims["claim_id"].nunique() < n
    # the component's square float64 matrix alone would be n * n * 8 bytes (72 MB; the dense
    # clustering held several); the pairs within the cut (about 63,000 here) take a few MB
    assert peak < n * n * 8 / 3
