"""score_pair: framing difference of one aligned sentence pair, with evidence and a reading."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from narrativediff.exceptions import InvalidInputError
from narrativediff.framing.actors import actors
from narrativediff.framing.attribution import attribution
from narrativediff.framing.diff import Opcode
from narrativediff.framing.explain import explain
from narrativediff.framing.lexicon import Lexicon, default_lexicon
from narrativediff.framing.records import COMPONENTS, Evidence, PairContext, QuoteInfo, in_prose, sentence_tokens
from narrativediff.framing.selection import same_speaker, selection
from narrativediff.framing.tone import intensity, negativity_lean
from narrativediff.framing.wordchoice import word_choice

if TYPE_CHECKING:  # the combiner module imports scikit-learn; score_pair imports it on first use
    from narrativediff.framing.combine import FramingCombiner

__all__ = ["FramingResult", "score_pair", "SIGNALS", "LEANS", "LEAN_SUFFIX"]

SIGNALS = {"word_choice": word_choice, "attribution": attribution, "intensity": intensity, "actors": actors,
           "selection": selection}

#: The signed columns ``to_dict`` adds, one per component: ``word_choice_lean`` ...
LEAN_SUFFIX = "_lean"
#: The signed readings: one per component, and ``negativity`` (which side's changed words are the more negative).
LEANS = (*COMPONENTS, "negativity")


@dataclasses.dataclass(frozen=True)
class FramingResult:
    """How differently two aligned sentences frame the same thing.

    Attributes
    ----------
    text_a, text_b : str
        The two sentences.
    source_a, source_b : str
        Names used in the explanation.
    score : float
        Combined framing score in [0, 1]: P(framed differently) from the fitted combiner; exactly 0
        when the two sentences have the same words.
    components : dict of str to float
        ``word_choice``, ``attribution``, ``intensity``, ``actors``, ``selection``, each in [0, 1].
    opcodes : tuple of Opcode
        Word-level diff ``(tag, i1, i2, j1, j2)`` over the word tokens of a and b.
    evidence : tuple of Evidence
        Spans in either sentence behind each component.
    explanation : str
        A one-line reading.
    leans : dict of str to float
        Each component signed by direction, in [-1, 1]: positive when side a is the one that
        frames more strongly (more loaded words, more doubting attribution, more intense, the
        more marked actor label, the more loaded quote), negative for side b, 0 when neither leads;
        and ``negativity``: positive when a's changed own words are the more negative in tone.
    """

    text_a: str
    text_b: str
    source_a: str
    source_b: str
    score: float
    components: dict[str, float]
    opcodes: tuple[Opcode, ...]
    evidence: tuple[Evidence, ...]
    explanation: str
    leans: dict[str, float] = dataclasses.field(default_factory=dict)

    def changed_words(self, side: str) -> list[str]:
        """The changed stretches of one side (``'a'`` or ``'b'``), one string per diff block."""
        text = self.text_a if side == "a" else self.text_b
        toks = sentence_tokens(text)
        out = []
        for op in self.opcodes:
            lo, hi = (op.i1, op.i2) if side == "a" else (op.j1, op.j2)
            if op.tag != "equal" and hi > lo:
                out.append(text[toks[lo].start : toks[hi - 1].end])
        return out

    def to_dict(self) -> dict[str, Any]:
        """Flat columns for the alignment table.

        Returns
        -------
        dict
            ``framing_score``, ``changed_a``, ``changed_b`` (changed stretches joined with
            " | "), one column per component, ``explanation``, and one signed column per
            component (``word_choice_lean`` ...: see :attr:`leans`).
        """
        row: dict[str, Any] = {
            "framing_score": self.score,
            "changed_a": " | ".join(self.changed_words("a")),
            "changed_b": " | ".join(self.changed_words("b")),
        }
        row.update(self.components)
        row["explanation"] = self.explanation
        row.update({f"{name}{LEAN_SUFFIX}": float(self.leans.get(name, 0.0)) for name in LEANS})
        return row

    def evidence_frame(self):
        """The evidence as a DataFrame (component, side, start, end, text, why)."""
        import pandas as pd

        return pd.DataFrame(list(self.evidence), columns=list(Evidence._fields))

    def diff_rows(self) -> list[dict[str, Any]]:
        """The word diff as rows, each opcode with the character offsets it covers.

        Returns
        -------
        list of dict
            One per opcode, in order: ``tag``, the token offsets ``i1, i2, j1, j2`` and the
            character offsets ``start_a, end_a`` (into ``text_a``) and ``start_b, end_b`` (into
            ``text_b``). A side with no words (the empty side of an insert or delete) has
            ``start == end`` at the end of the word before the gap (0 at the start).

        Examples
        --------
        >>> r = score_pair("Blinken said it", "Blinken claimed it")
        >>> [(d["tag"], r.text_a[d["start_a"]:d["end_a"]], r.text_b[d["start_b"]:d["end_b"]]) for d in r.diff_rows()]
        [('equal', 'Blinken', 'Blinken'), ('replace', 'said', 'claimed'), ('equal', 'it', 'it')]
        """
        toks = {"a": sentence_tokens(self.text_a), "b": sentence_tokens(self.text_b)}
        rows = []
        for op in self.opcodes:
            row: dict[str, Any] = op._asdict()
            for side, lo, hi in (("a", op.i1, op.i2), ("b", op.j1, op.j2)):
                row[f"start_{side}"], row[f"end_{side}"] = _char_span(toks[side], lo, hi)
            rows.append(row)
        return rows

    @classmethod
    def from_rows(cls, row, diff=(), evidence=()) -> "FramingResult":
        """Rebuild a result from the tables a comparison keeps, without scoring again.

        Parameters
        ----------
        row : mapping
            A row of ``Comparison.alignment``: ``text_a``, ``text_b``, ``source_a``, ``source_b``,
            ``framing_score``, one column per component and ``explanation``.
        diff : iterable of mapping
            Its rows of ``Comparison.word_diff`` (``tag, i1, i2, j1, j2``), in order.
        evidence : iterable of mapping
            Its rows of ``Comparison.evidence`` (the :class:`Evidence` fields), in order.

        Returns
        -------
        FramingResult
            Equal, field by field, to what :func:`score_pair` returned for the pair.
        """
        return cls(
            text_a=row["text_a"],
            text_b=row["text_b"],
            source_a=row["source_a"],
            source_b=row["source_b"],
            score=float(row["framing_score"]),
            components={name: float(row[name]) for name in COMPONENTS},
            leans={name: float(row.get(f"{name}{LEAN_SUFFIX}", 0.0)) for name in LEANS},
            opcodes=tuple(Opcode(str(d["tag"]), *(int(d[k]) for k in ("i1", "i2", "j1", "j2"))) for d in diff),
            evidence=tuple(
                Evidence(str(e["component"]), str(e["side"]), int(e["start"]), int(e["end"]), str(e["text"]),
                         str(e["why"]))
                for e in evidence
            ),
            explanation=row["explanation"],
        )


def _char_span(tokens, lo: int, hi: int) -> tuple[int, int]:
    """Character offsets of tokens ``lo..hi-1``; an empty range sits just after token ``lo - 1``."""
    if hi > lo:
        return tokens[lo].start, tokens[hi - 1].end
    at = tokens[lo - 1].end if lo > 0 else 0
    return at, at


def _check_text(name: str, value) -> str:
    if not isinstance(value, str):
        raise InvalidInputError(f"{name} must be a str; got {type(value).__name__}.")
    if not value.strip():
        raise InvalidInputError(f"{name} is empty; score_pair needs two non-empty sentences.")
    return value


def score_pair(
    text_a: str,
    text_b: str,
    *,
    source_a: str = "A",
    source_b: str = "B",
    lexicon: Lexicon | None = None,
    combiner: FramingCombiner | None = None,
    quote_a: QuoteInfo | None = None,
    quote_b: QuoteInfo | None = None,
) -> FramingResult:
    """Score how differently two aligned sentences frame the same content.

    Parameters
    ----------
    text_a, text_b : str
        The two sentences (normally an aligned pair from two outlets).
    source_a, source_b : str, default "A", "B"
        Outlet names used in the explanation.
    lexicon : Lexicon, optional
        Word lists; ``None`` uses the lists shipped with narrativediff (:func:`load_lexicon`
        reads a user's own).
    combiner : FramingCombiner, optional
        Turns components into the score; ``None`` uses the shipped fitted weights.
    quote_a, quote_b : QuoteInfo, optional
        What the sentence table says of each side's quoting (``is_quote, quote_share,
        speaker``); ``None`` reads each sentence alone (its own quotation marks and attribution,
        :mod:`narrativediff.text.quotes`). Words inside a quote are the speaker's: they count for
        ``selection`` only.

    Returns
    -------
    FramingResult

    Raises
    ------
    InvalidInputError
        If a text is not a string or is empty.

    Examples
    --------
    >>> r = score_pair("The US claims that China is helping Russia with military rearmament",
    ...                "China is helping Russia with military rearmament", source_a="NTB", source_b="AFP")
    >>> r.components["attribution"] > 0.5
    True
    >>> [e.text for e in r.evidence if e.component == "attribution" and e.side == "a"]
    ['claims']
    >>> score_pair("China said so.", "China said so.").score
    0.0
    """
    _check_text("text_a", text_a)
    _check_text("text_b", text_b)
    lexicon = lexicon if lexicon is not None else default_lexicon()
    if combiner is None:
        from narrativediff.framing.combine import default_combiner

        combiner = default_combiner()
    ctx = PairContext.build(text_a, text_b, quote_a, quote_b)
    identical = all(op.tag == "equal" for op in ctx.opcodes)
    results = {name: SIGNALS[name](ctx, lexicon) for name in COMPONENTS}
    if identical:
        # Same words: attribution quotes or tone cannot differ either; nothing to explain.
        components = {name: 0.0 for name in COMPONENTS}
        leans = {name: 0.0 for name in LEANS}
        score, evidence = 0.0, ()
    else:
        components = {name: round(float(results[name].score), 6) for name in COMPONENTS}
        leans = {name: round(float(results[name].lean), 6) for name in COMPONENTS}
        leans["negativity"] = negativity_lean(ctx, lexicon)
        score = float(combiner.probability(components))
        evidence = tuple(ev for name in COMPONENTS for ev in results[name].evidence)
    qa, qb = ctx.quote("a"), ctx.quote("b")
    both_quote = None
    if qa.is_quote and qb.is_quote and (same_speaker(qa.speaker, qb.speaker) or (qa.speaker is None) != (qb.speaker is None)):
        both_quote = in_prose(qa.speaker or qb.speaker)
    changed = " | ".join(
        ctx.phrase("a", op.i1, op.i2) + " / " + ctx.phrase("b", op.j1, op.j2) for op in ctx.changed[:3]
    )
    explanation = explain(
        components,
        {name: results[name].finding for name in COMPONENTS},
        source_a=source_a,
        source_b=source_b,
        identical=identical,
        changed=changed,
        both_quote=both_quote,
    )
    return FramingResult(
        text_a=text_a,
        text_b=text_b,
        source_a=source_a,
        source_b=source_b,
        score=score,
        components=components,
        opcodes=ctx.opcodes,
        evidence=evidence,
        explanation=explanation,
        leans=leans,
    )
