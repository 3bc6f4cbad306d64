"""Loadedness: how loaded each word of an outlet's own wording is, read in context, and per sentence.

A word's loadedness is the probability, from a fitted logistic model (:class:`WordLoadedness`),
that annotators would mark it as lexical bias. The model reads four lexicon features (the team's
loaded-word weight, its reporting-verb weight where the word is used as a verb, VADER's absolute
valence, whether it is capitalised) and the word's in-context vector from the sentence encoder
(:func:`narrativediff.framing.context.word_vectors`), so "attack" in "a terrorist attack" and in
"attacked the bill" can score differently. Words inside a direct quote belong to the speaker and
score 0: loadedness is the outlet's own wording only.

A sentence's loadedness is that of its most loaded own word, so every number points at a word
(:func:`loadedness_evidence` lists them). The shipped weights (``framing/word_loadedness.json``)
were fitted on BASIL's lexical-bias spans outside quotes (``python -m training.fit_word_loadedness``);
BABE is never fitted on.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Sequence

import numpy as np
from numbers import Integral, Real

from sklearn.utils._param_validation import Interval

from narrativediff._logistic import BinaryLogisticClassifier
from narrativediff.framing.lexicon import Lexicon, default_lexicon
from narrativediff.framing.records import QuoteInfo, lone_quote_info, quoted_mask_of, sentence_tokens

__all__ = [
    "LEXICON_FEATURES", "word_feature_matrix", "WordLoadedness", "default_word_model", "word_loadedness",
    "sentence_loadedness", "loadedness_evidence", "DEFAULT_WORD_MODEL_PATH", "FLAG_THRESHOLD",
]

DEFAULT_WORD_MODEL_PATH = Path(__file__).parent / "word_loadedness.json"
#: The lexicon features, before the encoder's vector dimensions (``v0``, ``v1``, ...).
LEXICON_FEATURES = ("lexicon_weight", "reporting_verb", "vader_abs", "capitalised")
#: ``threshold=None`` means the shipped model's ``threshold_`` (chosen on grouped BASIL folds).
FLAG_THRESHOLD = None


@functools.lru_cache(maxsize=1)
def _vader_lexicon() -> dict:
    from narrativediff.framing.tone import _analyzer

    return _analyzer().lexicon


def lexicon_features(text: str, lexicon: Lexicon | None = None) -> np.ndarray:
    """The four :data:`LEXICON_FEATURES` of every word token of a sentence, shape ``(n_tokens, 4)``."""
    from narrativediff.framing.attribution import reporting_use

    lexicon = lexicon if lexicon is not None else default_lexicon()

    def compute():
        toks = sentence_tokens(text)
        vader = _vader_lexicon()
        rows = np.zeros((len(toks), len(LEXICON_FEATURES)), dtype=np.float64)
        for k, tok in enumerate(toks):
            norm = tok.norm
            weight = max(lexicon.loaded.get(norm, 0.0), lexicon.boosters.get(norm, 0.0))
            verb = lexicon.reporting_verbs.get(norm)
            is_verb = verb is not None and reporting_use(toks, k)
            rows[k] = (max(weight, verb.weight if verb is not None else 0.0), verb.weight if is_verb else 0.0,
                       abs(vader.get(norm, 0.0)) / 4.0, float(tok.text[:1].isupper() and k > 0))
        return rows

    return lexicon.memo("loadedness_features", text, compute)


def word_feature_matrix(text: str, vectors: np.ndarray, lexicon: Lexicon | None = None) -> np.ndarray:
    """Lexicon features and the in-context vector of every word token, shape ``(n_tokens, 4 + dim)``."""
    return np.hstack([lexicon_features(text, lexicon), np.asarray(vectors, dtype=np.float64)])


class WordLoadedness(BinaryLogisticClassifier):
    """Logistic model from a word's features to P(annotators mark it as loaded).

    Parameters
    ----------
    C : float, default 1.0
        Inverse regularisation strength of the logistic regression.
    dim : int, default 384
        Size of the encoder's word vectors (all-MiniLM-L6-v2: 384).
    use_vectors : bool, default True
        Read the in-context vectors; ``False`` fits the lexicon features alone (for comparison).

    Attributes
    ----------
    coef_ : ndarray of shape (4 + dim,) or (4,)
        One weight per feature: :data:`LEXICON_FEATURES`, then the vector dimensions.
    intercept_ : float
    threshold_ : float
        Loadedness at which a word (and so its sentence) is flagged: the grouped out-of-fold
        best-F1 threshold on BASIL (``training/fit_word_loadedness.py``).
    provenance_ : dict

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.9, 0, .5, 0], [0, 0, 0, 1], [0.8, 0, .6, 0], [0, 0, 0, 0]])
    >>> m = WordLoadedness(use_vectors=False).fit(X, [1, 0, 1, 0])
    >>> m.predict_proba(X)[:, 1].round(2).tolist()[0] > 0.5
    True
    """

    _extra_fitted = ("threshold_",)

    _parameter_constraints = {
        "C": [Interval(Real, 0, None, closed="neither")],
        "dim": [Interval(Integral, 1, None, closed="left")],
        "use_vectors": ["boolean"],
    }

    def __init__(self, *, C: float = 1.0, dim: int = 384, use_vectors: bool = True):
        self.C = C
        self.dim = dim
        self.use_vectors = use_vectors

    def _columns(self) -> tuple[str, ...]:
        extra = tuple(f"v{i}" for i in range(self.dim)) if self.use_vectors else ()
        return LEXICON_FEATURES + extra

    def _design(self, X) -> np.ndarray:
        X = np.asarray(X, dtype=np.float64)
        X = X.reshape(len(X), -1) if X.ndim != 2 else X
        n = len(self._columns())
        return X[:, :n]

    def fit(self, X, y, *, sample_weight=None, provenance: dict | None = None) -> "WordLoadedness":
        """Fit on word rows (``word_feature_matrix`` rows) and 0/1 labels.

        Returns
        -------
        self
        """
        from sklearn.linear_model import LogisticRegression

        self._validate_params()
        X = self._design(X)
        target = self._encode_labels(y, len(X))
        model = LogisticRegression(C=self.C, max_iter=2000).fit(X, target, sample_weight=sample_weight)
        self._set_linear(model.coef_, model.intercept_[0], provenance=provenance)
        self.n_features_in_ = len(self._columns())
        self.threshold_ = 0.5
        return self

    def word_probability(self, X) -> np.ndarray:
        """P(loaded) per row, without scikit-learn (one dot product)."""
        from narrativediff._logistic import sigmoid

        self._check_fitted()
        if len(X) == 0:
            return np.zeros(0)
        return sigmoid(self._design(X) @ self.coef_ + self.intercept_)


@functools.lru_cache(maxsize=1)
def default_word_model() -> WordLoadedness:
    """The word model shipped with narrativediff (``framing/word_loadedness.json``), read once."""
    from narrativediff import fitted

    return fitted.load(WordLoadedness, DEFAULT_WORD_MODEL_PATH)


def word_loadedness(texts: Sequence[str], quotes: Sequence[QuoteInfo | None] | None = None, *,
                    encoder=None, model: WordLoadedness | None = None,
                    lexicon: Lexicon | None = None, cache=None) -> list[np.ndarray]:
    """Loadedness (0..1) of every word token of each sentence; quoted words score 0.

    Parameters
    ----------
    texts : sequence of str
    quotes : sequence of QuoteInfo, optional
        What the sentence table says of each sentence's quoting; ``None`` reads each sentence alone.
    encoder : optional
        The sentence encoder whose word vectors the model reads; ``None`` uses the default one.
    model : WordLoadedness, optional
        ``None`` uses the shipped weights.
    lexicon : Lexicon, optional
    cache : EmbeddingCache, optional
        Where the word vectors are looked up (see :func:`narrativediff.framing.context.word_vectors`).

    Returns
    -------
    list of ndarray
        One array per text, one value per token of :func:`~narrativediff.framing.records.sentence_tokens`.
    """
    from narrativediff.framing.context import word_vectors

    model = model if model is not None else default_word_model()
    quotes = list(quotes) if quotes is not None else [None] * len(texts)
    vectors = word_vectors(list(texts), encoder, cache=cache) if model.use_vectors else [None] * len(texts)
    out = []
    for text, quote, vecs in zip(texts, quotes, vectors):
        feats = lexicon_features(text, lexicon)
        X = feats if vecs is None else np.hstack([feats, vecs])
        p = model.word_probability(X) if len(X) else np.zeros(0)
        quoted = np.array(quoted_mask_of(text, quote if quote is not None else lone_quote_info(text)), dtype=bool)
        if len(p):
            p = np.where(quoted, 0.0, p)
        out.append(p)
    return out


def _quotes_of(sentences) -> list[QuoteInfo | None]:
    if "is_quote" not in sentences.columns:
        return [None] * len(sentences)
    shares = sentences["quote_share"] if "quote_share" in sentences.columns else [0.0] * len(sentences)
    speakers = sentences["speaker"] if "speaker" in sentences.columns else [None] * len(sentences)
    return [QuoteInfo(bool(q), float(s or 0.0), sp if isinstance(sp, str) else None)
            for q, s, sp in zip(sentences["is_quote"], shares, speakers)]


def sentence_loadedness(sentences, *, encoder=None, model: WordLoadedness | None = None,
                        threshold: float = FLAG_THRESHOLD, cache=None):
    """The loadedness of each sentence's own wording, with the words behind it.

    Parameters
    ----------
    sentences : DataFrame
        With ``text``; ``is_quote``, ``quote_share`` and ``speaker`` (the sentence table's) when
        known, so that a sentence inside a quote that runs over several sentences counts as quoted.
    encoder : optional
        ``None`` uses the default sentence encoder.
    model : WordLoadedness, optional
        ``None`` uses the shipped weights.
    threshold : float, optional
        Words at or above it are listed in ``loaded_words``; ``None`` uses the model's ``threshold_``.
    cache : EmbeddingCache, optional
        Where the word vectors are looked up; ``compare()`` passes its own, which already holds them.

    Returns
    -------
    DataFrame
        Indexed like ``sentences``: ``loadedness`` (0..1, its most loaded own word), ``loaded_word``
        (that word), ``loaded_start``/``loaded_end`` (its character offsets; -1 when the sentence has
        no own words), ``loaded_words`` (every own word at or above ``threshold``, ``" | "``-joined)
        and ``flagged`` (``loadedness >= threshold``).

    Examples
    --------
    >>> import pandas as pd
    >>> t = sentence_loadedness(pd.DataFrame({"text": ["Lawmakers slammed the disastrous bill.",
    ...                                                 "The bill passed on Tuesday."]}))
    >>> bool(t["loadedness"][0] > t["loadedness"][1])
    True
    """
    import pandas as pd

    model = model if model is not None else default_word_model()
    threshold = model.threshold_ if threshold is None else threshold
    texts = [str(t) for t in sentences["text"]]
    scores = word_loadedness(texts, _quotes_of(sentences), encoder=encoder, model=model, cache=cache)
    rows = []
    for text, p in zip(texts, scores):
        toks = sentence_tokens(text)
        if not len(p) or float(p.max()) <= 0:
            rows.append((0.0, "", -1, -1, "", False))
            continue
        k = int(np.argmax(p))
        flagged = " | ".join(toks[i].text for i in np.flatnonzero(p >= threshold))
        rows.append((round(float(p[k]), 6), toks[k].text, toks[k].start, toks[k].end, flagged,
                     bool(p[k] >= threshold)))
    return pd.DataFrame(rows, index=sentences.index, columns=["loadedness", "loaded_word", "loaded_start",
                                                              "loaded_end", "loaded_words", "flagged"])


def loadedness_evidence(sentences, *, encoder=None, model: WordLoadedness | None = None,
                        threshold: float = FLAG_THRESHOLD):
    """One row per own word at or above ``threshold``: ``sentence`` (index label), ``start, end, text, loadedness``."""
    import pandas as pd

    model = model if model is not None else default_word_model()
    threshold = model.threshold_ if threshold is None else threshold
    texts = [str(t) for t in sentences["text"]]
    scores = word_loadedness(texts, _quotes_of(sentences), encoder=encoder, model=model)
    rows = []
    for label, text, p in zip(sentences.index, texts, scores):
        toks = sentence_tokens(text)
        for i in np.flatnonzero(p >= threshold):
            rows.append((label, toks[i].start, toks[i].end, toks[i].text, round(float(p[i]), 6)))
    return pd.DataFrame(rows, columns=["sentence", "start", "end", "text", "loadedness"])
