"""The framing stage as :func:`narrativediff.compare` runs it: every aligned pair scored once, as tables.

Each pair's :class:`~narrativediff.framing.FramingResult` is kept whole, spread over three tables:
its numbers and explanation as columns of the alignment, its evidence spans and its word diff as
tables of their own with a ``pair`` column pointing back at the alignment row. The faces (notebook
view, report) draw from these tables and never score or tokenize again.
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from narrativediff.framing.records import COMPONENTS, Evidence, QuoteInfo
from narrativediff.framing.score import LEAN_SUFFIX, LEANS, score_pair
from narrativediff.text.tables import pair_time_columns

__all__ = ["ALIGNMENT_COLUMNS", "EVIDENCE_COLUMNS", "WORD_DIFF_COLUMNS", "QUOTE_COLUMNS", "FramedPairs",
           "frame_pairs", "frame_english", "CONTRADICTION_NOTE", "empty_evidence", "empty_word_diff", "MORE_LOADED_MARGIN"]

#: The sentence-table columns copied into the alignment for each side (``is_quote_a`` ...).
QUOTE_COLUMNS = ("is_quote", "quote_share", "speaker")
#: ``more_loaded`` names a side only when its own wording is at least this much more loaded.
MORE_LOADED_MARGIN = 0.1

#: The leading columns of ``Comparison.alignment``; the pair columns and framing columns follow.
ALIGNMENT_COLUMNS = [
    "source_a", "sent_a", "text_a", "source_b", "sent_b", "text_b", "similarity", "framing_score",
    "changed_a", "changed_b",
]

#: ``Comparison.evidence``: one row per evidence span. ``pair`` is the alignment row's index label;
#: the other columns are the fields of :class:`~narrativediff.framing.Evidence` (``start``/``end``:
#: character offsets into that side's sentence, ``text``: the span, ``why``: the reason).
EVIDENCE_COLUMNS = ["pair", *Evidence._fields]

#: ``Comparison.word_diff``: one row per opcode of each pair's word diff, in order. ``tag`` is
#: ``equal``, ``replace``, ``delete`` (words only in a) or ``insert`` (words only in b); ``i1, i2,
#: j1, j2`` count word tokens as in :class:`~narrativediff.framing.Opcode`; ``start_a, end_a`` and
#: ``start_b, end_b`` are the character offsets they cover in ``text_a`` and ``text_b``.
WORD_DIFF_COLUMNS = ["pair", "tag", "i1", "i2", "j1", "j2", "start_a", "end_a", "start_b", "end_b"]

_INTS = {"evidence": ["start", "end"], "word_diff": [c for c in WORD_DIFF_COLUMNS if c not in ("pair", "tag")]}


class FramedPairs(NamedTuple):
    """What the framing stage returns: the alignment table and the two tables behind its scores."""

    alignment: pd.DataFrame
    evidence: pd.DataFrame
    word_diff: pd.DataFrame


def _typed(rows: list, columns: list[str], name: str, pair_dtype="int64") -> pd.DataFrame:
    table = pd.DataFrame(rows, columns=columns)
    return table.astype({"pair": pair_dtype, **{column: "int64" for column in _INTS[name]}})


def empty_evidence() -> pd.DataFrame:
    """An evidence table with no rows (:data:`EVIDENCE_COLUMNS`, typed)."""
    return _typed([], EVIDENCE_COLUMNS, "evidence")


def empty_word_diff() -> pd.DataFrame:
    """A word-diff table with no rows (:data:`WORD_DIFF_COLUMNS`, typed)."""
    return _typed([], WORD_DIFF_COLUMNS, "word_diff")


def _side_columns(pairs: pd.DataFrame, sentences: pd.DataFrame, side: str) -> pd.DataFrame:
    """The sentence-table columns of one side's sentences, aligned with ``pairs``."""
    keyed = sentences.set_index(["source", "sent_id"])
    wanted = [c for c in QUOTE_COLUMNS if c in keyed.columns]
    index = pd.MultiIndex.from_arrays([pairs[f"source_{side}"], pairs[f"sent_{side}"]])
    return keyed[wanted].reindex(index).reset_index(drop=True).set_axis(pairs.index)


def _quote_infos(columns: pd.DataFrame) -> list:
    if "is_quote" not in columns.columns:
        return [None] * len(columns)
    shares = columns["quote_share"] if "quote_share" in columns.columns else pd.Series(0.0, index=columns.index)
    speakers = columns["speaker"] if "speaker" in columns.columns else pd.Series(None, index=columns.index)
    return [QuoteInfo(bool(q), float(s) if pd.notna(s) else 0.0, sp if isinstance(sp, str) else None)
            for q, s, sp in zip(columns["is_quote"].fillna(False), shares, speakers)]


def _loadedness(pairs: pd.DataFrame, sentences: pd.DataFrame, side_columns: dict, loadedness, cache=None) -> dict:
    """``loadedness_a``/``loadedness_b`` and ``more_loaded`` (see :func:`frame_pairs`)."""
    if loadedness is None:
        from narrativediff.framing.loadedness import sentence_loadedness

        used = pd.concat([pairs[["source_a", "sent_a"]].set_axis(["source", "sent_id"], axis=1),
                          pairs[["source_b", "sent_b"]].set_axis(["source", "sent_id"], axis=1)]).drop_duplicates()
        keyed = sentences.set_index(["source", "sent_id"])
        subset = keyed.loc[pd.MultiIndex.from_frame(used)] if len(used) else keyed.iloc[:0]
        loadedness = sentence_loadedness(subset, cache=cache)["loadedness"] if len(subset) else pd.Series(dtype=float)
    else:
        loadedness = loadedness.copy()
        if not isinstance(loadedness.index, pd.MultiIndex):
            loadedness.index = pd.MultiIndex.from_frame(sentences[["source", "sent_id"]])
    out = {}
    for side in "ab":
        index = pd.MultiIndex.from_arrays([pairs[f"source_{side}"], pairs[f"sent_{side}"]])
        out[f"loadedness_{side}"] = loadedness.reindex(index).to_numpy(dtype=float)
    gap = out["loadedness_a"] - out["loadedness_b"]
    out["more_loaded"] = [("a" if g >= MORE_LOADED_MARGIN else "b" if g <= -MORE_LOADED_MARGIN else None) for g in gap]
    return out


def frame_pairs(pairs: pd.DataFrame, sentences: pd.DataFrame, *, loadedness: pd.Series | None = None,
                cache=None) -> FramedPairs:
    """Score every aligned pair once; the alignment table and the evidence and word-diff tables.

    Parameters
    ----------
    pairs : DataFrame
        Aligned pairs (``source_a, sent_a, source_b, sent_b`` and whatever the alignment stage added).
    sentences : DataFrame
        The sentence table the pairs point into; its ``is_quote``, ``quote_share`` and
        ``speaker`` say whose words each sentence holds (words inside a quote are the speaker's).
    loadedness : Series, optional
        Each sentence's :func:`~narrativediff.framing.loadedness.sentence_loadedness`, indexed
        like ``sentences`` (or by ``(source, sent_id)``); ``None`` works it out for the sentences
        the pairs use (it reads the default sentence encoder's word vectors).
    cache : EmbeddingCache, optional
        Where those word vectors are looked up (``compare()`` passes its own).

    Returns
    -------
    FramedPairs
        ``alignment``: :data:`ALIGNMENT_COLUMNS` first, then the other columns of ``pairs`` and of
        :meth:`narrativediff.framing.FramingResult.to_dict`, with the index of ``pairs``, and last
        ``days_apart`` and ``tense_only`` (:func:`narrativediff.text.tables.pair_time_columns`).
        Besides the framing columns, each side's ``is_quote``, ``quote_share`` and ``speaker``
        (``is_quote_a`` ... ``speaker_b``), each side's ``loadedness`` (``loadedness_a``,
        ``loadedness_b``: its own wording only) and ``more_loaded`` (``'a'``, ``'b'``, or ``None``
        when they are within :data:`MORE_LOADED_MARGIN`).
        ``evidence`` (:data:`EVIDENCE_COLUMNS`) and ``word_diff`` (:data:`WORD_DIFF_COLUMNS`): one
        row per evidence span and per diff opcode, ``pair`` being the alignment row's index label.
        :meth:`narrativediff.framing.FramingResult.from_rows` rebuilds each pair's result from them.
    """
    text_of = sentences.set_index(["source", "sent_id"])["text"]
    text_a = text_of.reindex(pd.MultiIndex.from_arrays([pairs["source_a"], pairs["sent_a"]])).to_numpy()
    text_b = text_of.reindex(pd.MultiIndex.from_arrays([pairs["source_b"], pairs["sent_b"]])).to_numpy()
    side_columns = {side: _side_columns(pairs, sentences, side) for side in "ab"}
    quotes = {side: _quote_infos(side_columns[side]) for side in "ab"}
    scored, evidence, word_diff = [], [], []
    for label, a, b, sa, sb, qa, qb in zip(pairs.index, text_a, text_b, pairs["source_a"], pairs["source_b"],
                                           quotes["a"], quotes["b"]):
        result = score_pair(a, b, source_a=sa, source_b=sb, quote_a=qa, quote_b=qb)
        scored.append(result.to_dict())
        evidence.extend((label, *ev) for ev in result.evidence)
        word_diff.extend({"pair": label, **row} for row in result.diff_rows())
    # Columns of FramingResult.to_dict(), present even when no pair was aligned.
    columns = ["framing_score", "changed_a", "changed_b", *COMPONENTS, "explanation",
               *(f"{name}{LEAN_SUFFIX}" for name in LEANS)]
    framing_columns = pd.DataFrame(scored, index=pairs.index, columns=columns)
    table = pairs.assign(text_a=text_a, text_b=text_b)
    for side in "ab":
        for column in side_columns[side].columns:
            table[f"{column}_{side}"] = side_columns[side][column].to_numpy()
    table = pd.concat([table, framing_columns], axis=1)
    for column, values in _loadedness(pairs, sentences, side_columns, loadedness, cache).items():
        table[column] = values
    leading = [c for c in ALIGNMENT_COLUMNS if c in table.columns]
    alignment = table[leading + [c for c in table.columns if c not in leading]]
    alignment = alignment.assign(**pair_time_columns(pairs, sentences, text_a, text_b))
    # ``pair`` holds the alignment's index labels, so it keeps their type (int for compare()'s 0..n-1).
    pair_dtype = pairs.index.dtype if len(pairs) else "int64"
    return FramedPairs(alignment, _typed(evidence, EVIDENCE_COLUMNS, "evidence", pair_dtype),
                       _typed(word_diff, WORD_DIFF_COLUMNS, "word_diff", pair_dtype))


#: ``framing_note`` of a pair whose relation is ``contradiction``: not scored as framing.
CONTRADICTION_NOTE = ("the two sentences contradict each other (relation 'contradiction'): a difference of "
                       "content, not of framing, so framing is not scored")


def frame_english(pairs: pd.DataFrame, sentences: pd.DataFrame, *, cache=None) -> FramedPairs:
    """The framing stage on the pairs whose two sentences are English; the others left empty.

    The framing signals read English word lists and VADER: on a German or Chinese sentence they
    would give English scores to words they do not know. A pair with a sentence in another language
    keeps its alignment columns, ``days_apart`` and ``tense_only``; its framing columns are NaN and
    ``framing_note`` says why (None for scored pairs). So does a pair whose relation is
    ``contradiction``.

    This is the stage :func:`narrativediff.compare` calls; :func:`frame_pairs` scores every pair
    it is given.

    Parameters
    ----------
    pairs : DataFrame
        Aligned pairs, as for :func:`frame_pairs`; ``relation`` where the alignment has it.
    sentences : DataFrame
        The sentence table, with ``language`` (a missing outlet counts as English).
    cache : EmbeddingCache, optional
        Passed to :func:`frame_pairs` (``compare()`` passes its own, which holds the word vectors).

    Returns
    -------
    FramedPairs
        As :func:`frame_pairs`, with ``framing_note`` last in the alignment (None for a scored pair,
        else :func:`narrativediff.text.language.framing_note`'s reason or :data:`CONTRADICTION_NOTE`).

    Warns
    -----
    NarrativeDiffWarning
        When pairs with a sentence not in English are left unscored.
    """
    import warnings

    from narrativediff.exceptions import NarrativeDiffWarning
    from narrativediff.text.language import framing_note

    language = sentences.drop_duplicates("source").set_index("source")["language"]
    language_a = pairs["source_a"].map(language).fillna("en")
    language_b = pairs["source_b"].map(language).fillna("en")
    languages = [framing_note(a, b) for a, b in zip(language_a, language_b)]
    # A contradiction is a difference of content: it is shown as such, never scored as framing.
    contradicts = pairs["relation"].eq("contradiction") if "relation" in pairs.columns else [False] * len(pairs)
    notes = [note if note is not None else (CONTRADICTION_NOTE if contra else None)
             for note, contra in zip(languages, contradicts)]
    english = pd.Series([note is None for note in notes], index=pairs.index, dtype=bool)
    if english.all():
        alignment, evidence, word_diff = frame_pairs(pairs, sentences, cache=cache)
        return FramedPairs(alignment.assign(framing_note=pd.Series(notes, index=pairs.index, dtype=object)),
                           evidence, word_diff)
    alignment, evidence, word_diff = frame_pairs(pairs[english], sentences, cache=cache)
    other = pairs[~english]
    text_of = sentences.set_index(["source", "sent_id"])["text"]
    text_a = text_of.reindex(pd.MultiIndex.from_arrays([other["source_a"], other["sent_a"]])).to_numpy()
    text_b = text_of.reindex(pd.MultiIndex.from_arrays([other["source_b"], other["sent_b"]])).to_numpy()
    unscored = other.assign(text_a=text_a, text_b=text_b, **pair_time_columns(other, sentences, text_a, text_b))
    combined = pd.concat([alignment, unscored.reindex(columns=alignment.columns)]).sort_index()
    numeric = [c for c in alignment.columns if c not in pairs.columns and c != "tense_only"
               and pd.api.types.is_numeric_dtype(alignment[c]) and not pd.api.types.is_bool_dtype(alignment[c])]
    combined[numeric] = combined[numeric].astype("float64")
    combined["tense_only"] = combined["tense_only"].astype(bool)
    combined["framing_note"] = pd.Series(notes, index=pairs.index, dtype=object)
    foreign = pd.Series([note is not None for note in languages], index=pairs.index, dtype=bool)
    if not foreign.any():
        return FramedPairs(combined, evidence, word_diff)
    english = ~foreign
    warnings.warn(
        f"framing was not scored for {int((~english).sum())} aligned pair(s) with a sentence not in English "
        f"({', '.join(sorted(set(language_a[~english]) | set(language_b[~english])))}): the framing signals "
        "are English-only; their columns are NaN and framing_note says so.",
        NarrativeDiffWarning, stacklevel=3,
    )
    return FramedPairs(combined, evidence, word_diff)
