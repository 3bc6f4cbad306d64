"""Every evaluation data set, read from one place: the loaders that training/ and benchmarks/ share.

The data live outside the repository (their licences forbid redistribution), in ``../shared/data``
from the repository root by default, or wherever ``data_dir`` points::

    <data_dir>/mrpc/msr_paraphrase_{train,test,data}.txt   MRPC (Dolan & Brockett 2005)
    <data_dir>/stsb/sts-{train,dev,test}.csv               STS Benchmark
    <data_dir>/basil/basil_dev_sentences.jsonl             BASIL (Fan et al. 2019)
    <data_dir>/babe/final_labels_SG2.csv                   BABE (Spinde et al. 2021)
    <data_dir>/seeds/*.txt                                 the seed articles, one file per outlet

Every loader raises :class:`~narrativediff.exceptions.DataNotFoundError` (through :func:`require`)
when its data are absent, so a benchmark suite is reported as skipped and a test can skip.
"""

from __future__ import annotations

import ast
import csv
import json
from pathlib import Path

import numpy as np

__all__ = [
    "ROOT", "DEFAULT_DATA_DIR", "require", "mrpc_pairs", "subset", "stsb_genre", "basil_sentences",
    "babe_rows", "seed_sentences", "seed_articles",
]

ROOT = Path(__file__).resolve().parents[1]
#: ``../shared/data`` next to the repository root, where the team and CI keep the data.
DEFAULT_DATA_DIR = ROOT.parent / "shared" / "data"


def require(path: Path) -> Path:
    """Return ``path`` if the data is there: a file (a name with a suffix) or a folder (one without).

    Raises
    ------
    narrativediff.exceptions.DataNotFoundError
        The data is absent; the benchmark runner reports the suite as skipped with this message.
    """
    from narrativediff.exceptions import DataNotFoundError

    path = Path(path)
    present = path.is_file() if path.suffix else path.is_dir()
    if not present:
        raise DataNotFoundError(
            f"{path} is absent: this needs the evaluation data folder (pass data_dir= or --data-dir, "
            "normally ../shared/data from the repository root)."
        )
    return path


def _folder(data_dir) -> Path:
    return Path(data_dir) if data_dir is not None else DEFAULT_DATA_DIR


# --- MRPC ---------------------------------------------------------------------------------------

def _domain(url: str) -> str:
    url = url.strip().lower()
    return url[4:] if url.startswith("www.") else url


def mrpc_pairs(data_dir, split: str) -> dict:
    """MRPC pairs of ``split`` ("train" or "test").

    Returns
    -------
    dict
        ``y`` (array of 0/1, 1 = paraphrase), ``a`` and ``b`` (lists of str) and ``cross``
        (array of bool: the two sentences come from two different outlet domains, per the URL
        column of ``msr_paraphrase_data.txt``).
    """
    folder = require(_folder(data_dir) / "mrpc")
    outlet = {}
    with open(folder / "msr_paraphrase_data.txt", encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader)
        for row in reader:
            if len(row) >= 4:
                outlet[row[0]] = _domain(row[3])
    labels, texts_a, texts_b, cross = [], [], [], []
    with open(require(folder / f"msr_paraphrase_{split}.txt"), encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader)
        for row in reader:
            labels.append(int(row[0]))
            texts_a.append(row[3])
            texts_b.append(row[4])
            a, b = outlet.get(row[1]), outlet.get(row[2])
            cross.append(a is not None and b is not None and a != b)
    return {"y": np.array(labels), "a": texts_a, "b": texts_b, "cross": np.array(cross)}


def subset(pairs: dict, mask) -> dict:
    """The pairs of a :func:`mrpc_pairs`-style dict where ``mask`` is true."""
    return {key: (np.asarray(value)[mask] if isinstance(value, np.ndarray) else [v for v, m in zip(value, mask) if m])
            for key, value in pairs.items()}


# --- STS-B --------------------------------------------------------------------------------------

def stsb_genre(data_dir, split: str, genre: str) -> dict:
    """STS-B pairs of one genre of one split: ``score`` (human, 0 to 5), ``a`` and ``b``."""
    file = require(_folder(data_dir) / "stsb" / f"sts-{split}.csv")
    scores, texts_a, texts_b = [], [], []
    with open(file, encoding="utf-8") as handle:
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 7 and parts[1] == genre:
                scores.append(float(parts[4]))
                texts_a.append(parts[5])
                texts_b.append(parts[6])
    return {"score": np.array(scores), "a": texts_a, "b": texts_b}


# --- BASIL and BABE -----------------------------------------------------------------------------

def basil_sentences(data_dir=None):
    """BASIL's sentences in file order, with ``doc`` = ``"<triplet_uuid>/<source>"`` and ``sent`` = ``sent_idx``.

    Returns
    -------
    DataFrame
        ``doc``, ``triplet_uuid``, ``source``, ``sent``, ``text``, ``lex``, ``inf``, ``spans``.
    """
    import pandas as pd

    path = require(_folder(data_dir) / "basil" / "basil_dev_sentences.jsonl")
    rows = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            r = json.loads(line)
            rows.append(
                {"doc": f"{r['triplet_uuid']}/{r['source']}", "triplet_uuid": r["triplet_uuid"], "source": r["source"],
                 "sent": int(r["sent_idx"]), "text": r["text"], "lex": bool(r.get("lex", False)),
                 "inf": bool(r.get("inf", False)), "spans": r.get("spans", [])}
            )
    return pd.DataFrame(rows, columns=["doc", "triplet_uuid", "source", "sent", "text", "lex", "inf", "spans"])


def babe_rows(data_dir) -> list[dict]:
    """BABE's sentences (``final_labels_SG2.csv``): ``text``, ``label`` (bias label) and ``gold`` (biased words, lower case)."""
    path = require(_folder(data_dir) / "babe" / "final_labels_SG2.csv")
    rows = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh, delimiter=";"):
            try:
                words = ast.literal_eval(row["biased_words"] or "[]")
            except (ValueError, SyntaxError):
                words = []
            gold = {w.lower().replace("’", "'") for entry in words for w in str(entry).split()}
            rows.append({"text": row["text"], "label": row["label_bias"], "gold": gold})
    return rows


# --- the seed articles --------------------------------------------------------------------------

def _seed_folder(data_dir) -> Path:
    from narrativediff.exceptions import DataNotFoundError

    folder = _folder(data_dir) / "seeds"
    if not folder.is_dir() or not any(folder.glob("*.txt")):
        raise DataNotFoundError(
            f"the seed articles are not in {folder} (one .txt file per outlet); pass data_dir (--data-dir) "
            "to the folder that holds seeds/."
        )
    return folder


def seed_sentences(data_dir=None):
    """Every sentence of the seed articles with its stable reference.

    Returns
    -------
    DataFrame
        ``doc`` (file name), ``line`` (1-based line in the raw file), ``sent`` (index within the
        line, as split by ``punkt.sent_tokenize(line.strip(), "english")``), ``text``.
    """
    import pandas as pd
    import punkt

    rows = []
    for path in sorted(_seed_folder(data_dir).glob("*.txt")):
        for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            for k, sent in enumerate(punkt.sent_tokenize(line.strip(), "english")):
                rows.append({"doc": path.name, "line": line_no, "sent": k, "text": sent})
    return pd.DataFrame(rows, columns=["doc", "line", "sent", "text"])


def seed_articles(data_dir=None):
    """The seed articles as :func:`narrativediff.load_articles` reads them (one per outlet)."""
    import narrativediff as nd

    return nd.load_articles(_seed_folder(data_dir))
