"""One forward pass per sentence: sentence vectors and in-context word vectors, cached together."""

from __future__ import annotations

import numpy as np
import pytest

from narrativediff.embed import EmbeddingCache, embed_texts, embed_words
from narrativediff.exceptions import InvalidInputError
from narrativediff.text.tokens import tokenize

SENTENCES = ["Lawmakers condemned a terrorist attack on the embassy.",
             "The senator attacked the bill on Tuesday.",
             "Blinken urged Beijing to stop supplying Russia's defence industry."]


class Counting:
    """Wraps a SentenceTransformer: counts the texts each ``encode`` call is given."""

    def __init__(self, model):
        self.model, self.texts = model, []

    def __call__(self, texts, *args, **kwargs):
        self.texts.extend(texts)
        return self.model.__class__.encode(self.model, texts, *args, **kwargs)


@pytest.fixture()
def counting(encoder, monkeypatch):
    spy = Counting(encoder.model)
    monkeypatch.setattr(encoder.model, "encode", spy)
    return spy


def test_encode_words_gives_the_sentence_vectors_of_encode(encoder):
    vectors, words = encoder.encode_words(SENTENCES)
    np.testing.assert_allclose(vectors, encoder.encode(SENTENCES), atol=1e-5)
    assert [len(w) for w in words] == [len(tokenize(s)) for s in SENTENCES]
    for array in words:
        np.testing.assert_allclose(np.linalg.norm(array, axis=1), 1.0, atol=1e-5)


def test_word_vectors_read_the_word_in_its_sentence(encoder):
    _, words = encoder.encode_words(SENTENCES[:2])
    attack = [t.text for t in tokenize(SENTENCES[0])].index("attack")
    attacked = [t.text for t in tokenize(SENTENCES[1])].index("attacked")
    terrorist = [t.text for t in tokenize(SENTENCES[0])].index("terrorist")
    # the same word in two sentences is two vectors; a neighbour in the sentence is closer than chance
    alone = embed_words(["attack"], encoder, cache=EmbeddingCache())[0][0]
    assert float(words[0][attack] @ alone) < 0.99
    assert float(words[0][attack] @ words[0][terrorist]) > float(words[1][attacked] @ words[0][terrorist]) - 0.5


def test_a_word_past_the_model_limit_gets_zeros(encoder):
    long = " ".join(["word"] * 400) + " end."
    _, words = encoder.encode_words([long])
    assert len(words[0]) == len(tokenize(long))
    assert np.all(words[0][-1] == 0) and np.linalg.norm(words[0][0]) == pytest.approx(1.0, abs=1e-5)


def test_compare_runs_the_model_once_per_text(encoder, counting, seeds_dir):
    import narrativediff as nd
    from narrativediff.text.articles import load_articles

    from narrativediff.align.content import content_view

    comparison = nd.compare(load_articles(seeds_dir), model=encoder, cache=EmbeddingCache())
    distinct = set(comparison.sentences["text"])
    views = {content_view(text).text for text in distinct}
    words = {w for text in distinct for w in content_view(text).words}
    # each sentence once: its vector and the loadedness words come from that one pass; then the
    # relation model's content views and content words, each once
    assert len(counting.texts) == len(set(counting.texts))
    assert set(counting.texts) == distinct | views | words
    assert comparison.alignment["relation"].notna().any()


def test_embed_texts_with_words_fills_the_word_store(encoder, counting):
    cache = EmbeddingCache()
    embed_texts(SENTENCES, encoder, cache=cache, words=True)
    seen = len(counting.texts)
    words = embed_words(SENTENCES, encoder, cache=cache)
    assert len(counting.texts) == seen == len(SENTENCES)
    assert [len(w) for w in words] == [len(tokenize(s)) for s in SENTENCES]


def test_word_vectors_survive_on_disk_and_a_bad_file_is_recomputed(encoder, tmp_path, caplog):
    first = embed_words(SENTENCES[:1], encoder, cache=EmbeddingCache(directory=tmp_path, words_on_disk=True))[0]
    files = list((tmp_path / "words").rglob("*.npy"))
    assert len(files) == 1
    again = embed_words(SENTENCES[:1], encoder, cache=EmbeddingCache(directory=tmp_path, words_on_disk=True))[0]
    np.testing.assert_array_equal(first, again)
    np.save(files[0], np.ones((2, 3), dtype=np.float32))  # wrong shape: skipped, logged, rewritten
    with caplog.at_level("WARNING", logger="narrativediff.embed"):
        mended = embed_words(SENTENCES[:1], encoder, cache=EmbeddingCache(directory=tmp_path, words_on_disk=True))[0]
    np.testing.assert_allclose(mended, first, atol=1e-5)
    assert "skipping the embedding cache file" in caplog.text
    assert np.load(files[0]).shape == first.shape


def test_word_vectors_stay_off_disk_unless_asked(encoder, tmp_path):
    embed_texts(SENTENCES[:1], encoder, cache=EmbeddingCache(directory=tmp_path), words=True)
    assert list(tmp_path.rglob("*.npy")) and not (tmp_path / "words").exists()


def test_the_cache_refuses_word_vectors_that_are_not_unit_rows():
    with pytest.raises(InvalidInputError, match="unit"):
        EmbeddingCache().put_words("m", "two words", np.full((2, 4), 3.0, dtype=np.float32))


def test_the_word_store_is_bounded():
    cache = EmbeddingCache(max_word_items=2)
    row = np.eye(1, 4, dtype=np.float32)
    for text in ("a", "b", "c"):
        cache.put_words("m", text, row)
    assert cache.get_words("m", "a", 1) is None and cache.get_words("m", "c", 1) is not None


def test_an_encoder_without_a_transformer_embeds_each_word_alone():
    class Letters:
        name = "letters"

        def encode(self, texts):
            out = np.zeros((len(texts), 26), dtype=np.float32)
            for row, text in enumerate(texts):
                out[row, ord(text[0].lower()) - 97] = 1.0
            return out

    words = embed_words(["Beijing denies it", "Beijing"], Letters(), cache=EmbeddingCache())
    assert words[0].shape == (3, 26)
    np.testing.assert_array_equal(words[0][0], words[1][0])  # no context: one vector per word
    assert words[0][1].argmax() == ord("d") - 97


def test_a_model_without_sub_word_offsets_embeds_each_word_alone(encoder, monkeypatch):
    monkeypatch.setattr(type(encoder), "reads_words", property(lambda self: False))
    cache = EmbeddingCache()
    vectors = embed_texts(SENTENCES[:1], encoder, cache=cache, words=True)
    assert vectors.shape == (1, encoder.dimension)
    words = embed_words(SENTENCES[:1], encoder, cache=cache)[0]
    alone = embed_texts([t.text for t in tokenize(SENTENCES[0])], encoder, cache=cache)
    np.testing.assert_allclose(words, alone, atol=1e-6)
