"""Selection: which quote an outlet chose, as a framing component of its own.

Words inside a direct quote are the speaker's, not the outlet's, so the other signals leave them
out; what the outlet did choose is whom to quote and which of their words. Three cases:

- one side quotes, the other paraphrases or does not quote: 0.3;
- both quote different speakers: 0.6;
- both quote the same speaker (or a speaker one side leaves unnamed): the share of quoted words
  they do not share, times 0.5 (the same words quoted score 0).

The signed ``lean`` points at the side whose quoted words are the more loaded (the team's loaded
words and reporting verbs, read inside the quote), else at the side that quotes.
"""

from __future__ import annotations

from narrativediff.framing.lexicon import Lexicon
from narrativediff.framing.records import Evidence, Finding, PairContext, SignalResult, in_prose
from narrativediff.text.quotes import quote_spans

__all__ = ["selection", "same_speaker", "quoted_words"]

COMPONENT = "selection"
_ONE_SIDE = 0.3
_OTHER_SPEAKER = 0.6
_OTHER_WORDS = 0.5


def same_speaker(a: str | None, b: str | None) -> bool:
    """Whether two speaker strings name the same person: equal, or one's last word is the other's.

    Examples
    --------
    >>> same_speaker("Secretary Blinken", "Antony Blinken"), same_speaker("Blinken", "Wang Yi")
    (True, False)
    """
    if not a or not b:
        return False
    la, lb = a.lower().split(), b.lower().split()
    return la == lb or la[-1] == lb[-1]


def quoted_words(ctx: PairContext, side: str) -> list[int]:
    """Indices of the tokens of one side that are inside a quote."""
    return [k for k, q in enumerate(ctx.quoted_mask(side)) if q]


def _quote_weight(ctx: PairContext, side: str, ks: list[int], lexicon: Lexicon) -> float:
    norms = ctx.norms(side)
    return max((lexicon.loadedness(norms[k], boosters=False)[0] for k in ks), default=0.0)


def _spans(ctx: PairContext, side: str, ks: list[int]) -> list[tuple[int, int]]:
    text = ctx.text(side)
    spans = quote_spans(text)
    if spans:
        return spans
    toks = ctx.tokens(side)
    return [(toks[ks[0]].start, toks[ks[-1]].end)] if ks else []


def selection(ctx: PairContext, lexicon: Lexicon) -> SignalResult:
    """Score the difference in which quote each side chose.

    Returns
    -------
    SignalResult
        ``finding.kind`` is ``"quote"`` (one side quotes), ``"speaker_choice"`` (different
        speakers) or ``"quote_choice"`` (the same speaker, different words).
    """
    ks = {s: quoted_words(ctx, s) for s in "ab"}
    speakers = {s: in_prose(ctx.quote(s).speaker) for s in "ab"}
    quoting = {s: bool(ks[s]) for s in "ab"}
    if not quoting["a"] and not quoting["b"]:
        return SignalResult(0.0, (), None, 0.0)
    weight = {s: _quote_weight(ctx, s, ks[s], lexicon) for s in "ab"}
    if quoting["a"] != quoting["b"]:
        side = "a" if quoting["a"] else "b"
        strength, kind = _ONE_SIDE, "quote"
        who = speakers[side] or "a speaker"
        detail = f"selection: quotes {who} directly"
    elif speakers["a"] and speakers["b"] and not same_speaker(speakers["a"], speakers["b"]):
        strength, kind = _OTHER_SPEAKER, "speaker_choice"
        side = "a" if weight["a"] >= weight["b"] else "b"
        detail = f"selection: quotes {speakers[side]} where the other quotes {speakers['b' if side == 'a' else 'a']}"
    else:
        wa = {ctx.norms("a")[k] for k in ks["a"]}
        wb = {ctx.norms("b")[k] for k in ks["b"]}
        union = wa | wb
        strength = _OTHER_WORDS * (1.0 - len(wa & wb) / len(union)) if union else 0.0
        kind = "quote_choice"
        side = "a" if weight["a"] >= weight["b"] else "b"
        who = speakers["a"] or speakers["b"] or "the same speaker"
        detail = f"selection: both quote {who}, different words"
    if strength <= 0:
        return SignalResult(0.0, (), None, 0.0)
    if weight["a"] != weight["b"]:
        side = "a" if weight["a"] > weight["b"] else "b"
    evidence = []
    for s in "ab":
        text = ctx.text(s)
        for lo, hi in _spans(ctx, s, ks[s]):
            why = f"quoted words ({speakers[s] or 'speaker not named'}), the outlet's choice of quote"
            evidence.append(Evidence(COMPONENT, s, lo, hi, text[lo:hi], why))
    finding = Finding(strength, side, speakers["a"] or "", speakers["b"] or "", detail, kind=kind)
    lean = strength if side == "a" else -strength
    return SignalResult(strength, tuple(evidence), finding, lean)
