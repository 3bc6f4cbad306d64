"""The labelled relation pairs: cross-outlet sentence pairs with a relation label, resolved to text.

``training/data/relation_pairs.csv`` holds references only (no article text), in the format of
``training/data/framing_pairs.csv`` (see :mod:`training.framing_pairs`): ``dataset`` (``seeds`` or
``basil``), ``doc``/``line``/``sent`` of each sentence and the first 10 hex digits of its SHA-1.
Every pair has a ``relation`` (``same_claim``, ``overlap``, ``contradiction``, ``related``; see
``docs/relation_labelling_guide.md``), an ``event`` (the BASIL triplet, or ``seeds``) and a
``split``: the split is by event, so no event is in both, and all seed pairs are test.
``source_pair`` names the team's framing pair a row extends (empty for pairs added with the
relation labels).
"""

from __future__ import annotations

from pathlib import Path

from narrativediff.exceptions import DataNotFoundError, InvalidInputError

__all__ = ["RELATIONS", "RELATION_PAIRS_PATH", "read_relation_pairs", "load_relation_pairs"]

#: The relation labels, in the order of the relation model's classes.
RELATIONS = ("same_claim", "overlap", "contradiction", "related")
RELATION_PAIRS_PATH = Path(__file__).resolve().parent / "data" / "relation_pairs.csv"


def read_relation_pairs(path=None):
    """The relation pairs as stored (references and labels, no text)."""
    import pandas as pd

    return pd.read_csv(path or RELATION_PAIRS_PATH, dtype={"hash_a": str, "hash_b": str, "note": str,
                                                            "source_pair": str}, keep_default_na=False)


def load_relation_pairs(data_dir=None, *, path=None):
    """Resolve the relation pairs to their sentences.

    Parameters
    ----------
    data_dir : str or Path, optional
        Folder holding ``seeds/`` and ``basil/``; ``None`` means ``../shared/data``.
    path : str or Path, optional
        Another pairs file in the same format.

    Returns
    -------
    DataFrame
        The stored columns plus ``text_a`` and ``text_b``.

    Raises
    ------
    DataNotFoundError
        If the data folder is missing.
    InvalidInputError
        If a reference does not resolve, a sentence changed (hash mismatch) or a label is unknown.
    """
    from training.datasets import DEFAULT_DATA_DIR, basil_sentences, seed_sentences
    from training.framing_pairs import text_hash

    folder = Path(data_dir) if data_dir is not None else DEFAULT_DATA_DIR
    if not folder.is_dir():
        raise DataNotFoundError(f"The evaluation data folder {folder} does not exist (it holds seeds/ and basil/).")
    pairs = read_relation_pairs(path)
    unknown = sorted(set(pairs["relation"]) - set(RELATIONS))
    if unknown:
        raise InvalidInputError(f"relation must be one of {RELATIONS}; got {unknown}.")
    lookups = {}
    if (pairs["dataset"] == "seeds").any():
        lookups["seeds"] = {(r.doc, int(r.line), int(r.sent)): r.text for r in seed_sentences(folder).itertuples()}
    if (pairs["dataset"] == "basil").any():
        lookups["basil"] = {(r.doc, -1, int(r.sent)): r.text for r in basil_sentences(folder).itertuples()}
    texts = {"a": [], "b": []}
    for row in pairs.itertuples():
        if row.dataset not in lookups:
            raise InvalidInputError(f"dataset must be 'seeds' or 'basil'; got {row.dataset!r}.")
        for side in "ab":
            line = getattr(row, f"line_{side}")
            key = (getattr(row, f"doc_{side}"), int(line) if row.dataset == "seeds" else -1,
                   int(getattr(row, f"sent_{side}")))
            text = lookups[row.dataset].get(key)
            if text is None:
                raise InvalidInputError(f"pair {row.pair_id}: {row.dataset} reference {key} does not resolve.")
            if text_hash(text) != getattr(row, f"hash_{side}"):
                raise InvalidInputError(f"pair {row.pair_id}: the sentence {key} is not the one labelled (hash differs).")
            texts[side].append(text)
    out = pairs.copy()
    out["text_a"], out["text_b"] = texts["a"], texts["b"]
    return out
