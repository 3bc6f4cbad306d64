"""Pair features of the same-claim model: what two sentences share, computed for many pairs at once.

The embedding cosine, content-word overlap, character 4-gram overlap, length ratio and number
agreement of each pair; every feature is symmetric in a and b. Each is computed for arrays of
pairs at once (sparse token incidence matrices, no Python loop over pairs), so the whole
cross-outlet similarity matrix of a comparison can be scored.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from narrativediff.exceptions import InvalidInputError
from narrativediff.text.tokens import DIGIT, PATTERNS, STOP_WORDS, number_key, word_kind
from narrativediff.text.tokens import words as scheme_words  # "words" names the incidence matrix below

__all__ = ["FEATURES", "TokenIndex", "pair_features", "pair_feature_matrices", "pair_feature_block"]

#: Feature names, in the order of the columns :func:`pair_features` returns.
FEATURES = ("cosine", "word_overlap", "char_overlap", "length_ratio", "number_agreement")

# The reference features in tests/test_align.py read the tokenizer through these names.
_WORD = PATTERNS["alnum"]
_NUMBER = DIGIT
_STOP = STOP_WORDS


@dataclass(frozen=True)
class TokenIndex:
    """Sparse word and number incidence of a list of sentences, built once and indexed by pairs.

    Attributes
    ----------
    words : scipy.sparse.csr_matrix of shape (n_sentences, n_words)
        1 where the sentence holds the content word (lower-cased, function words left out).
    grams : scipy.sparse.csr_matrix of shape (n_sentences, n_grams)
        1 where the sentence holds the character 4-gram (of a space-padded lower-cased word), so
        that spelling variants ("defence", "defense") and inflections still overlap.
    numbers : scipy.sparse.csr_matrix of shape (n_sentences, n_numbers)
        1 where the sentence holds the number (digits only, separators removed).
    n_words, n_grams, n_numbers, n_tokens : ndarray of int
        Distinct content words, distinct 4-grams, distinct numbers, and all word tokens of each sentence.
    """

    words: object
    grams: object
    numbers: object
    n_words: np.ndarray
    n_grams: np.ndarray
    n_numbers: np.ndarray
    n_tokens: np.ndarray

    @classmethod
    def of(cls, texts) -> "TokenIndex":
        """The index of ``texts``, built once for the same texts (alignment, headlines and claims share it)."""
        return _index_of(tuple(texts))

    @classmethod
    def from_texts(cls, texts) -> "TokenIndex":
        """Tokenise ``texts`` once."""
        from scipy import sparse

        vocab: dict[str, int] = {}
        gram_vocab: dict[str, int] = {}
        numbers: dict[str, int] = {}
        memo: dict[str, tuple[int, int, tuple[int, ...]]] = {}  # token -> (kind, id, 4-gram ids)
        w_rows, w_cols, g_rows, g_cols, n_rows, n_cols, n_tokens = [], [], [], [], [], [], []
        for row, text in enumerate(texts):
            if not isinstance(text, str):
                raise InvalidInputError(f"every text must be a string; item {row} is {type(text).__name__}.")
            tokens = scheme_words(text, scheme="alnum", lower=True)
            n_tokens.append(len(tokens))
            row_words, row_numbers, row_grams = set(), set(), set()
            for token in set(tokens):
                entry = memo.get(token)
                if entry is None:
                    padded = f" {token} "
                    grams = tuple(gram_vocab.setdefault(padded[i:i + 4], len(gram_vocab))
                                  for i in range(max(len(padded) - 3, 1)))
                    kind = word_kind(token)
                    if kind == "number":
                        entry = (2, numbers.setdefault(number_key(token), len(numbers)), grams)
                    elif kind == "stop":
                        entry = (0, -1, grams)
                    else:
                        entry = (1, vocab.setdefault(token, len(vocab)), grams)
                    memo[token] = entry
                kind, index, grams = entry
                if kind == 1:
                    row_words.add(index)
                elif kind == 2:
                    row_numbers.add(index)
                row_grams.update(grams)
            for ids, rows, cols in ((row_words, w_rows, w_cols), (row_numbers, n_rows, n_cols),
                                    (row_grams, g_rows, g_cols)):
                rows.extend([row] * len(ids))
                cols.extend(ids)
        n = len(n_tokens)

        def incidence(rows, cols, width):
            data = np.ones(len(rows), dtype=np.float32)
            return sparse.csr_matrix((data, (rows, cols)), shape=(n, max(width, 1)))

        words = incidence(w_rows, w_cols, len(vocab))
        grams = incidence(g_rows, g_cols, len(gram_vocab))
        nums = incidence(n_rows, n_cols, len(numbers))
        return cls(
            words=words,
            grams=grams,
            numbers=nums,
            n_words=np.asarray(words.sum(axis=1)).ravel(),
            n_grams=np.asarray(grams.sum(axis=1)).ravel(),
            n_numbers=np.asarray(nums.sum(axis=1)).ravel(),
            n_tokens=np.asarray(n_tokens, dtype=np.float64),
        )

    def __len__(self) -> int:
        return int(self.n_tokens.shape[0])


@functools.lru_cache(maxsize=8)
def _index_of(texts: tuple) -> TokenIndex:
    return TokenIndex.from_texts(texts)


def _row_dot(matrix, rows_a, rows_b) -> np.ndarray:
    """``(matrix[rows_a] * matrix[rows_b]).sum(axis=1)`` for sparse rows, pair by pair."""
    return np.asarray(matrix[rows_a].multiply(matrix[rows_b]).sum(axis=1)).ravel()


def _jaccard(shared, n_a, n_b):
    union = n_a + n_b - shared
    return np.divide(shared, union, out=np.zeros(np.broadcast(shared, union).shape), where=union > 0)


def _combine(cosine, shared_words, n_words_a, n_words_b, shared_grams, n_grams_a, n_grams_b,
             shared_numbers, n_numbers_a, n_numbers_b, n_tokens_a, n_tokens_b) -> list[np.ndarray]:
    overlap = _jaccard(shared_words, n_words_a, n_words_b)
    char_overlap = _jaccard(shared_grams, n_grams_a, n_grams_b)
    longer = np.maximum(n_tokens_a, n_tokens_b)
    ratio = np.divide(np.minimum(n_tokens_a, n_tokens_b), longer,
                      out=np.ones_like(longer, dtype=np.float64), where=longer > 0)
    union_numbers = n_numbers_a + n_numbers_b - shared_numbers
    # Sentences with no numbers agree on numbers; a number on one side only is the classic MRPC
    # "same story, different fact" case ($2.5 billion vs $1.8 billion).
    agreement = np.divide(shared_numbers, union_numbers, out=np.ones_like(union_numbers, dtype=np.float64),
                          where=union_numbers > 0)
    return [np.asarray(cosine, dtype=np.float64), overlap, char_overlap, ratio, agreement]


def pair_features(index: TokenIndex, rows_a, rows_b, cosine) -> np.ndarray:
    """Features of the sentence pairs ``(rows_a[k], rows_b[k])``, one row per pair.

    Parameters
    ----------
    index : TokenIndex
        Built from the texts the rows point into.
    rows_a, rows_b : array of int
        Sentence indices into ``index``; same length.
    cosine : array of float
        Embedding cosine of each pair.

    Returns
    -------
    ndarray of shape (n_pairs, len(FEATURES))
        Columns in the order of :data:`FEATURES`; every feature is symmetric in a and b.
    """
    rows_a = np.asarray(rows_a, dtype=np.intp)
    rows_b = np.asarray(rows_b, dtype=np.intp)
    cosine = np.asarray(cosine, dtype=np.float64)
    if not rows_a.shape == rows_b.shape == cosine.shape:
        raise InvalidInputError(
            f"rows_a, rows_b and cosine must have one shape; got {rows_a.shape}, {rows_b.shape}, {cosine.shape}."
        )
    if rows_a.size == 0:
        return np.zeros((0, len(FEATURES)))
    columns = _combine(
        cosine,
        _row_dot(index.words, rows_a, rows_b), index.n_words[rows_a], index.n_words[rows_b],
        _row_dot(index.grams, rows_a, rows_b), index.n_grams[rows_a], index.n_grams[rows_b],
        _row_dot(index.numbers, rows_a, rows_b), index.n_numbers[rows_a], index.n_numbers[rows_b],
        index.n_tokens[rows_a], index.n_tokens[rows_b],
    )
    return np.column_stack(columns)


def pair_feature_matrices(index: TokenIndex, cosine: np.ndarray) -> list[np.ndarray]:
    """Features of every pair of sentences in ``index``, as ``len(FEATURES)`` square matrices.

    ``cosine`` is the ``(n, n)`` similarity matrix of the same sentences. Memory grows with ``n**2``
    (a few arrays of 8 bytes per pair): fine for the few thousand sentences of one story; use
    :func:`pair_feature_block` to score a few rows at a time.
    """
    n = len(index)
    return pair_feature_block(index, slice(0, n), cosine)


def pair_feature_block(index: TokenIndex, rows, cosine: np.ndarray) -> list[np.ndarray]:
    """Features of every pair ``(rows[a], b)``: some rows of :func:`pair_feature_matrices`.

    Parameters
    ----------
    index : TokenIndex
        Built from the texts the rows point into.
    rows : array of int or slice
        Sentences of the block's rows; its columns are every sentence of ``index``.
    cosine : ndarray of shape (n_rows, n_sentences)
        Embedding cosine of every pair of the block.

    Returns
    -------
    list of ndarray of shape (n_rows, n_sentences)
        One matrix per feature, in the order of :data:`FEATURES`; each row holds the same values as
        in :func:`pair_feature_matrices` (token counts are exact small integers).
    """
    n = len(index)
    n_rows = len(np.arange(n)[rows])
    cosine = np.asarray(cosine)
    if cosine.shape != (n_rows, n):
        raise InvalidInputError(f"cosine must be ({n_rows}, {n}) for this block; got {cosine.shape}.")

    def shared(incidence):
        return (incidence[rows] @ incidence.T).toarray()

    return _combine(
        cosine,
        shared(index.words), index.n_words[rows][:, None], index.n_words[None, :],
        shared(index.grams), index.n_grams[rows][:, None], index.n_grams[None, :],
        shared(index.numbers), index.n_numbers[rows][:, None], index.n_numbers[None, :],
        index.n_tokens[rows][:, None], index.n_tokens[None, :],
    )
