"""score_pair: framing difference of one aligned sentence pair, with evidence and a reading."""

from __future__ import annotations

import dataclasses
from typing import Any

from narrativediff.exceptions import InvalidInputError
from narrativediff.framing.actors import actors
from narrativediff.framing.attribution import attribution
from narrativediff.framing.combine import FramingCombiner, default_combiner
from narrativediff.framing.diff import Opcode
from narrativediff.framing.explain import explain
from narrativediff.framing.lexicon import Lexicon, default_lexicon
from narrativediff.framing.records import COMPONENTS, Evidence, PairContext, sentence_tokens
from narrativediff.framing.tone import intensity
from narrativediff.framing.wordchoice import word_choice

__all__ = ["FramingResult", "score_pair", "SIGNALS"]

SIGNALS = {"word_choice": word_choice, "attribution": attribution, "intensity": intensity, "actors": actors}


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
        ``word_choice``, ``attribution``, ``intensity``, ``actors``, each in [0, 1].
    opcodes : tuple of Opcode
        Word-level diff ``(tag, i1, i2, j1, j2)`` over the word tokens of a and b.
    evidence : tuple of Evidence
        Spans in either sentence behind each component.
    explanation : str
        A one-line reading.
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
            " | "), one column per component, and ``explanation``.
        """
        row: dict[str, Any] = {
            "framing_score": self.score,
            "changed_a": " | ".join(self.changed_words("a")),
            "changed_b": " | ".join(self.changed_words("b")),
        }
        row.update(self.components)
        row["explanation"] = self.explanation
        return row

    def evidence_frame(self):
        """The evidence as a DataFrame (component, side, start, end, text, why)."""
        import pandas as pd

        return pd.DataFrame(list(self.evidence), columns=list(Evidence._fields))


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
    combiner = combiner if combiner is not None else default_combiner()
    ctx = PairContext.build(text_a, text_b)
    identical = all(op.tag == "equal" for op in ctx.opcodes)
    results = {name: SIGNALS[name](ctx, lexicon) for name in COMPONENTS}
    if identical:
        # Same words: attribution quotes or tone cannot differ either; nothing to explain.
        components = {name: 0.0 for name in COMPONENTS}
        score, evidence = 0.0, ()
    else:
        components = {name: round(float(results[name].score), 6) for name in COMPONENTS}
        score = float(combiner.score(components))
        evidence = tuple(ev for name in COMPONENTS for ev in results[name].evidence)
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
    )
