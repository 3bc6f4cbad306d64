"""Words read in context: one vector per word token of a sentence, from the sentence encoder's last layer.

The sentence encoder (all-MiniLM-L6-v2 by default) reads the whole sentence at once; the vector
of a word is the mean of its sub-word vectors in the encoder's last hidden layer, so "attack" in
"a terrorist attack" and in "attacked the bill" get different vectors. The framing signals feed
these vectors to small fitted linear models (:mod:`narrativediff.framing.loadedness`), so that what
they find is still tied to single words (evidence spans).

This module imports torch when it first embeds; nothing here runs at import time.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Sequence

import numpy as np

from narrativediff.framing.records import sentence_tokens

__all__ = ["word_vectors", "cache_directory"]

_MAX_TOKENS = 256


def cache_directory() -> Path | None:
    """Where word vectors are kept between processes: ``$NARRATIVEDIFF_WORDVEC_CACHE``, or none.

    Benchmarks and training set it (a folder under the system's temporary directory); the library
    by default keeps vectors in memory only.
    """
    folder = os.environ.get("NARRATIVEDIFF_WORDVEC_CACHE")
    return Path(folder) if folder else None


def default_bench_cache() -> str:
    return os.path.join(tempfile.gettempdir(), "nd_wordvec_cache")


_MEMORY: dict[tuple[str, str], np.ndarray] = {}
_MEMORY_MAX = 50_000


def _key(model_name: str, text: str) -> str:
    return hashlib.sha1(f"{model_name}\x00{text}".encode("utf-8")).hexdigest()


def _model_of(encoder):
    return getattr(encoder, "model", encoder)


def _encoder_name(encoder) -> str:
    return str(getattr(encoder, "name", type(encoder).__name__))


def _compute(model, texts: list[str], batch_size: int = 32) -> list[np.ndarray]:
    """Mean sub-word vector of each word token (``sentence_tokens``) of each text, L2-normalised."""
    import torch

    transformer = model[0]
    tokenizer, auto_model = transformer.tokenizer, transformer.auto_model
    out: list[np.ndarray] = []
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    result: dict[int, np.ndarray] = {}
    for lo in range(0, len(order), batch_size):
        idx = order[lo: lo + batch_size]
        batch = [texts[i] for i in idx]
        enc = tokenizer(batch, return_offsets_mapping=True, truncation=True, max_length=_MAX_TOKENS,
                        padding=True, return_tensors="pt")
        offsets = enc.pop("offset_mapping").numpy()
        with torch.inference_mode():
            hidden = auto_model(**{k: v for k, v in enc.items()}).last_hidden_state.numpy()
        for row, i in enumerate(idx):
            tokens = sentence_tokens(texts[i])
            vecs = np.zeros((len(tokens), hidden.shape[2]), dtype=np.float32)
            spans = offsets[row]
            mask = enc["attention_mask"][row].numpy().astype(bool)
            starts, ends = spans[:, 0], spans[:, 1]
            real = mask & (ends > starts)
            for k, tok in enumerate(tokens):
                inside = real & (starts < tok.end) & (ends > tok.start)
                if inside.any():
                    vecs[k] = hidden[row, inside].mean(axis=0)
            norms = np.linalg.norm(vecs, axis=1, keepdims=True)
            result[i] = vecs / np.maximum(norms, 1e-12)
    for i in range(len(texts)):
        out.append(result[i])
    return out


def word_vectors(texts: Sequence[str], encoder=None) -> list[np.ndarray]:
    """The in-context vector of every word token of each text.

    Parameters
    ----------
    texts : sequence of str
    encoder : Encoder or SentenceTransformer, optional
        ``None`` uses the default encoder (:func:`narrativediff.embed.get_encoder`).

    Returns
    -------
    list of ndarray
        One array per text, shape ``(n_tokens, dim)``, rows L2-normalised, in the order of
        :func:`narrativediff.framing.records.sentence_tokens` (a word the encoder cut off gets zeros).
    """
    if encoder is None:
        from narrativediff.embed import get_encoder

        encoder = get_encoder()
    name = _encoder_name(encoder)
    folder = cache_directory()
    found: dict[int, np.ndarray] = {}
    missing: list[int] = []
    for i, text in enumerate(texts):
        hit = _MEMORY.get((name, text))
        if hit is None and folder is not None:
            path = folder / f"{_key(name, text)}.npy"
            if path.is_file():
                try:
                    hit = np.load(path)
                except (OSError, ValueError):
                    hit = None
                if hit is not None and hit.shape[0] != len(sentence_tokens(text)):
                    hit = None
        if hit is None:
            missing.append(i)
        else:
            found[i] = hit
    if missing:
        unique = list(dict.fromkeys(texts[i] for i in missing))
        computed = dict(zip(unique, _compute(_model_of(encoder), unique)))
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
        for text, vecs in computed.items():
            if len(_MEMORY) >= _MEMORY_MAX:
                _MEMORY.clear()
            _MEMORY[(name, text)] = vecs
            if folder is not None:
                path = folder / f"{_key(name, text)}.npy"
                tmp = folder / f"{path.stem}.{os.getpid()}.tmp"
                with open(tmp, "wb") as fh:
                    np.save(fh, vecs, allow_pickle=False)
                os.replace(tmp, path)
        for i in missing:
            found[i] = computed[texts[i]]
    return [found[i] for i in range(len(texts))]
