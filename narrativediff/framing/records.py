"""Small records shared by the framing signals: evidence spans, findings, the pair being scored."""

from __future__ import annotations

import dataclasses
import functools
from typing import NamedTuple

from narrativediff.framing.diff import Opcode, word_opcodes
from narrativediff.text.quotes import quote_spans, quoted_tokens
from narrativediff.text.tokens import Token, tokenize

__all__ = [
    "Evidence", "Finding", "SignalResult", "PairContext", "COMPONENTS", "quote_spans", "noisy_or", "sentence_tokens",
]

COMPONENTS = ("word_choice", "attribution", "intensity", "actors")


class Evidence(NamedTuple):
    """A span of one sentence that moved a component.

    Attributes
    ----------
    component : str
        One of ``word_choice``, ``attribution``, ``intensity``, ``actors``.
    side : str
        ``'a'`` or ``'b'``: which sentence the span is in.
    start, end : int
        Character offsets into that sentence.
    text : str
        ``sentence[start:end]``.
    why : str
        A short reason ("threatening reporting verb (0.85)").
    """

    component: str
    side: str
    start: int
    end: int
    text: str
    why: str


class Finding(NamedTuple):
    """The strongest difference a signal found, in words an explanation can use.

    ``side`` is the side that frames more strongly; ``text_a``/``text_b`` are the short phrases
    to quote from each side ("" when a side has nothing to quote); ``detail`` goes in brackets.
    """

    strength: float
    side: str
    text_a: str
    text_b: str
    detail: str
    kind: str = "contrast"


class SignalResult(NamedTuple):
    """What one framing signal returns: a score in [0, 1], its evidence and its top finding."""

    score: float
    evidence: tuple[Evidence, ...]
    finding: Finding | None


@dataclasses.dataclass(frozen=True)
class PairContext:
    """Two sentences tokenised and diffed once, shared by every signal."""

    text_a: str
    text_b: str
    tokens_a: tuple[Token, ...]
    tokens_b: tuple[Token, ...]
    opcodes: tuple[Opcode, ...]

    @classmethod
    def build(cls, text_a: str, text_b: str) -> "PairContext":
        ta, tb = sentence_tokens(text_a), sentence_tokens(text_b)
        return cls(text_a, text_b, ta, tb, tuple(word_opcodes(_norms(text_a), _norms(text_b))))

    def text(self, side: str) -> str:
        return self.text_a if side == "a" else self.text_b

    def tokens(self, side: str) -> tuple[Token, ...]:
        return self.tokens_a if side == "a" else self.tokens_b

    @property
    def changed(self) -> tuple[Opcode, ...]:
        """The non-equal opcodes."""
        return tuple(op for op in self.opcodes if op.tag != "equal")

    def changed_mask(self, side: str) -> list[bool]:
        """For each token of one side, whether the diff changed it."""
        mask = [False] * len(self.tokens(side))
        for op in self.changed:
            lo, hi = (op.i1, op.i2) if side == "a" else (op.j1, op.j2)
            for k in range(lo, hi):
                mask[k] = True
        return mask

    def norms(self, side: str) -> tuple[str, ...]:
        """The matching form (:attr:`Token.norm`) of each token of one side."""
        return _norms(self.text(side))

    def quoted_mask(self, side: str) -> tuple[bool, ...]:
        """For each token of one side, whether it lies between quotation marks."""
        return _quoted_mask(self.text(side))

    def overlap(self, side: str) -> float:
        """Share of one side's tokens that the diff keeps equal (0..1)."""
        n = len(self.tokens(side))
        if not n:
            return 0.0
        kept = sum((op.i2 - op.i1) if side == "a" else (op.j2 - op.j1) for op in self.opcodes if op.tag == "equal")
        return kept / n

    def evidence(self, component: str, side: str, k1: int, k2: int, why: str) -> Evidence:
        """Evidence covering tokens ``k1..k2-1`` of one side."""
        toks = self.tokens(side)
        start, end = toks[k1].start, toks[k2 - 1].end
        return Evidence(component, side, start, end, self.text(side)[start:end], why)

    def phrase(self, side: str, k1: int, k2: int) -> str:
        toks = self.tokens(side)
        if k2 <= k1:
            return ""
        return self.text(side)[toks[k1].start : toks[k2 - 1].end]


@functools.lru_cache(maxsize=65_536)
def sentence_tokens(text: str) -> tuple[Token, ...]:
    """The word tokens of a sentence, worked out once per text (a sentence meets many partners)."""
    return tuple(tokenize(text))


@functools.lru_cache(maxsize=65_536)
def _norms(text: str) -> tuple[str, ...]:
    return tuple(t.norm for t in sentence_tokens(text))


@functools.lru_cache(maxsize=65_536)
def _quoted_mask(text: str) -> tuple[bool, ...]:
    return tuple(quoted_tokens(text, sentence_tokens(text)))


def noisy_or(values) -> float:
    """Combine independent strengths in [0, 1]: 1 - prod(1 - v)."""
    rest = 1.0
    for v in values:
        rest *= 1.0 - min(1.0, max(0.0, v))
    return 1.0 - rest


def other(side: str) -> str:
    return "b" if side == "a" else "a"
