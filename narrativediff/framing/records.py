"""Small records shared by the framing signals: evidence spans, findings, the pair being scored."""

from __future__ import annotations

import dataclasses
import functools
from typing import NamedTuple

from narrativediff.framing.diff import Opcode, word_opcodes
from narrativediff.text.quotes import quote_spans, quoted_tokens
from narrativediff.text.tokens import Token, tokenize

__all__ = [
    "Evidence", "Finding", "SignalResult", "PairContext", "COMPONENTS", "QuoteInfo", "quote_spans", "noisy_or",
    "sentence_tokens", "lone_quote_info", "quoted_mask_of", "WHOLLY_QUOTED_SHARE", "in_prose",
]

COMPONENTS = ("word_choice", "attribution", "intensity", "actors", "selection")

#: Quote share (from the sentence table's paragraph reading) at which a sentence with no quotation
#: mark of its own is read as wholly quoted: the middle sentence of a quote that runs over several.
WHOLLY_QUOTED_SHARE = 0.9


class QuoteInfo(NamedTuple):
    """What the sentence table knows about one side's quoting (``is_quote, quote_share, speaker``).

    With no sentence table (``score_pair`` on two bare strings) every field is read from the
    sentence alone by :mod:`narrativediff.text.quotes` (see :func:`lone_quote_info`).
    """

    is_quote: bool
    share: float
    speaker: str | None


class Evidence(NamedTuple):
    """A span of one sentence that moved a component.

    Attributes
    ----------
    component : str
        One of ``word_choice``, ``attribution``, ``intensity``, ``actors``, ``selection``.
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
    """What one framing signal returns: a score in [0, 1], its evidence, its top finding and its lean.

    ``lean`` is the score signed by direction, in [-1, 1]: positive when side a is the one that
    frames more strongly (more loaded, more doubting, more intense, labels an actor more markedly,
    chose the more loaded quote), negative for side b, 0 when neither leads.
    """

    score: float
    evidence: tuple[Evidence, ...]
    finding: Finding | None
    lean: float = 0.0


@dataclasses.dataclass(frozen=True)
class PairContext:
    """Two sentences tokenised and diffed once, shared by every signal.

    ``quote_a``/``quote_b`` say whose words each side holds: with a sentence table they come
    from its ``is_quote, quote_share, speaker`` columns, else from the sentence alone.
    """

    text_a: str
    text_b: str
    tokens_a: tuple[Token, ...]
    tokens_b: tuple[Token, ...]
    opcodes: tuple[Opcode, ...]
    quote_a: QuoteInfo | None = None
    quote_b: QuoteInfo | None = None

    @classmethod
    def build(cls, text_a: str, text_b: str, quote_a: QuoteInfo | None = None,
              quote_b: QuoteInfo | None = None) -> "PairContext":
        ta, tb = sentence_tokens(text_a), sentence_tokens(text_b)
        return cls(text_a, text_b, ta, tb, tuple(word_opcodes(_norms(text_a), _norms(text_b))),
                   quote_a if quote_a is not None else lone_quote_info(text_a),
                   quote_b if quote_b is not None else lone_quote_info(text_b))

    def quote(self, side: str) -> QuoteInfo:
        return self.quote_a if side == "a" else self.quote_b

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
        """For each token of one side, whether it is a speaker's words rather than the outlet's.

        Tokens between quotation marks (the lone-sentence reading of :mod:`narrativediff.text.quotes`);
        a sentence the sentence table reads as almost wholly quoted (``quote_share`` >= 0.9) but
        that has no mark of its own is quoted throughout, except its attribution ("he said").
        """
        return quoted_mask_of(self.text(side), self.quote(side))

    def own_words(self, side: str) -> tuple[bool, ...]:
        """For each token of one side, whether it is the outlet's own wording (not quoted)."""
        return tuple(not q for q in self.quoted_mask(side))

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


@functools.lru_cache(maxsize=65_536)
def lone_quote_info(text: str) -> QuoteInfo:
    """:class:`QuoteInfo` of a sentence read alone (no paragraph): its own quotation marks only."""
    from narrativediff.text.quotes import find_speaker

    mask = _quoted_mask(text)
    spans = quote_spans(text)
    letters = [c.isalnum() for c in text]
    inside = [any(lo <= i < hi for lo, hi in spans) for i in range(len(text))]
    n = sum(letters)
    share = sum(1 for i, l in enumerate(letters) if l and inside[i]) / n if n else 0.0
    marks = "\"“”«»„"
    masked = "".join("\u00b7" if inside[i] and c not in marks else c for i, c in enumerate(text))
    quoted_words = sum(mask)
    is_quote = quoted_words >= 3 or share >= 0.5
    return QuoteInfo(is_quote, round(share, 3), find_speaker(masked) if is_quote else None)


_ATTRIBUTION_TAIL = 4  # words at the end of a wholly quoted sentence that may be its attribution


def quoted_mask_of(text: str, quote: QuoteInfo | None) -> tuple[bool, ...]:
    """Quoted tokens of a sentence given what is known of its quoting (see :meth:`PairContext.quoted_mask`)."""
    mask = _quoted_mask(text)
    if quote is None or any(mask) or float(quote.share) < WHOLLY_QUOTED_SHARE:
        return mask
    return _wholly_quoted(text)


@functools.lru_cache(maxsize=65_536)
def _wholly_quoted(text: str) -> tuple[bool, ...]:
    from narrativediff.framing.lexicon import default_lexicon

    toks = sentence_tokens(text)
    speech = default_lexicon().speech_verbs
    out = [True] * len(toks)
    # "..., he said." / "..., says Liu.": the last few words after a comma that hold a speech verb.
    tail = [k for k in range(max(0, len(toks) - _ATTRIBUTION_TAIL), len(toks)) if toks[k].norm in speech]
    if tail:
        comma = text.rfind(",", 0, toks[tail[0]].start)
        first = next((k for k, t in enumerate(toks) if t.start > comma), tail[0]) if comma >= 0 else tail[0]
        for k in range(min(first, tail[0]), len(toks)):
            out[k] = False
    return tuple(out)


def noisy_or(values) -> float:
    """Combine independent strengths in [0, 1]: 1 - prod(1 - v)."""
    rest = 1.0
    for v in values:
        rest *= 1.0 - min(1.0, max(0.0, v))
    return 1.0 - rest


def in_prose(name: str | None) -> str | None:
    """A speaker as an explanation names it mid-sentence: a leading article loses the capital it had
    at the start of its own sentence when a common noun follows ("The diplomat" -> "the diplomat");
    a name whose every word is capitalised stays as written.

    >>> in_prose("A senior US official"), in_prose("The Chinese embassy"), in_prose("The Guardian")
    ('a senior US official', 'the Chinese embassy', 'The Guardian')
    """
    if not name:
        return name
    first, _, rest = name.partition(" ")
    if first in ("The", "A", "An") and any(word[:1].islower() for word in rest.split()):
        return f"{first.lower()} {rest}"
    return name


def other(side: str) -> str:
    return "b" if side == "a" else "a"
