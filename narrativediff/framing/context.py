"""Words read in context: one vector per word token of a sentence, from the sentence encoder's last layer.

The sentence encoder (all-MiniLM-L6-v2 by default) reads the whole sentence at once; the vector
of a word is the mean of its sub-word vectors in the encoder's last hidden layer, so "attack" in
"a terrorist attack" and in "attacked the bill" get different vectors. The framing signals feed
these vectors to small fitted linear models (:mod:`narrativediff.framing.loadedness`), so that what
they find is still tied to single words (evidence spans).

The vectors are computed and cached by the embedding stage (:func:`narrativediff.embed.embed_words`),
in the same forward pass as the sentence vectors, so no sentence goes through the model twice.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

import numpy as np

__all__ = ["word_vectors", "cache_directory"]

_FOLDER_CACHES: dict = {}


def cache_directory() -> Path | None:
    """Where word vectors are kept between processes when no cache is given: ``$NARRATIVEDIFF_WORDVEC_CACHE``, or none.

    Benchmarks and training set it (a folder under the system's temporary directory); by default
    the vectors are kept in the process-wide in-memory :class:`~narrativediff.embed.EmbeddingCache`.
    """
    folder = os.environ.get("NARRATIVEDIFF_WORDVEC_CACHE")
    return Path(folder) if folder else None


def _default_cache():
    from narrativediff.embed import EmbeddingCache

    folder = cache_directory()
    if folder is None:
        return None
    if folder not in _FOLDER_CACHES:
        _FOLDER_CACHES[folder] = EmbeddingCache(directory=folder, words_on_disk=True)
    return _FOLDER_CACHES[folder]


def word_vectors(texts: Sequence[str], encoder=None, *, cache=None) -> list[np.ndarray]:
    """The in-context vector of every word token of each text.

    Parameters
    ----------
    texts : sequence of str
    encoder : Encoder or SentenceTransformer, optional
        ``None`` uses the default encoder (:func:`narrativediff.embed.get_encoder`).
    cache : EmbeddingCache, optional
        Where the vectors are looked up and kept; ``None`` is the folder named by
        ``$NARRATIVEDIFF_WORDVEC_CACHE`` if set, else the process-wide in-memory cache.

    Returns
    -------
    list of ndarray
        One array per text, shape ``(n_tokens, dim)``, rows L2-normalised, in the order of
        :func:`narrativediff.framing.records.sentence_tokens` (a word the encoder cut off gets zeros).
    """
    from narrativediff.embed import embed_words, get_encoder

    encoder = get_encoder(encoder)
    return embed_words(list(texts), encoder, cache=cache if cache is not None else _default_cache())
