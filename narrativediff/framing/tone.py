"""Intensity and tone: sentiment difference (VADER) and intensifiers only one side uses."""

from __future__ import annotations

import math
from collections import Counter
from functools import lru_cache

from narrativediff.framing.lexicon import Lexicon
from narrativediff.framing.records import Finding, PairContext, SignalResult, noisy_or, other

__all__ = ["intensity", "sentiment"]

COMPONENT = "intensity"
_VADER_ALPHA = 15.0  # VADER's own normalisation constant for compound scores
_VALENCE_MIN = 1.0  # VADER valences run -4..4; weaker words are not worth pointing at


@lru_cache(maxsize=1)
def _analyzer():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


@lru_cache(maxsize=65536)
def sentiment(text: str) -> float:
    """VADER compound sentiment of one sentence, -1 (negative) .. 1 (positive), cached.

    Examples
    --------
    >>> sentiment("a brutal, shameful attack") < 0 < sentiment("a warm, friendly visit")
    True
    """
    return float(_analyzer().polarity_scores(text)["compound"])


def _valences(ctx: PairContext, side: str, lexicon: Lexicon) -> tuple:
    """VADER valence of each token of one side (``None`` where VADER has none), once per sentence."""
    valence = _analyzer().lexicon
    return lexicon.memo("valence", ctx.text(side), lambda: tuple(valence.get(norm) for norm in ctx.norms(side)))


def _changed_tone(valences: tuple, mask: list[bool]) -> float:
    """VADER-normalised tone (-1..1) of the words the diff changed on one side."""
    total = sum(v for v, changed in zip(valences, mask) if changed and v is not None)
    return total / math.sqrt(total * total + _VADER_ALPHA)


def intensity(ctx: PairContext, lexicon: Lexicon) -> SignalResult:
    """Score the difference in tone and intensity.

    Noisy-or of (1) the tone gap of the changed words: the VADER valences of the words the diff
    changed on each side, summed and normalised as VADER normalises its compound score, then
    subtracted (the words both sentences share cannot frame them differently, and whole-sentence
    sentiment mostly reflects content); and (2) the weight gap of intensifiers ("massive",
    "deeply", "most") only one side uses.

    Returns
    -------
    SignalResult
    """
    valences = {s: _valences(ctx, s, lexicon) for s in "ab"}
    masks = {s: ctx.changed_mask(s) for s in "ab"}
    ca, cb = (_changed_tone(valences[s], masks[s]) for s in "ab")
    tone_gap = min(1.0, abs(ca - cb))
    evidence, findings = [], []
    for s in "ab":
        if tone_gap == 0:
            break
        for k, v in enumerate(valences[s]):
            if masks[s][k] and v is not None and abs(v) >= _VALENCE_MIN:
                evidence.append(ctx.evidence(COMPONENT, s, k, k + 1, f"sentiment word (VADER {v:+.1f})"))
    boosts = {s: Counter(norm for norm in ctx.norms(s) if norm in lexicon.boosters) for s in "ab"}
    extra = {s: [] for s in "ab"}
    for s in "ab":
        for k, norm in enumerate(ctx.norms(s)):
            if norm in lexicon.boosters and boosts[s][norm] > boosts[other(s)][norm]:
                extra[s].append((lexicon.boosters[norm], k))
                evidence.append(ctx.evidence(COMPONENT, s, k, k + 1, f"intensifier ({lexicon.boosters[norm]:.2f}) the other does not use"))
    sum_a = sum(w for w, _ in extra["a"])
    sum_b = sum(w for w, _ in extra["b"])
    boost_gap = min(1.0, abs(sum_a - sum_b))
    if boost_gap > 0:
        side = "a" if sum_a > sum_b else "b"
        words = ", ".join(f'"{ctx.tokens(side)[k].text}"' for _, k in sorted(extra[side], reverse=True)[:2])
        findings.append(Finding(boost_gap, side, "", "", f"intensity: {words}", kind="booster"))
    if tone_gap > 0:
        side = "a" if abs(ca) >= abs(cb) else "b"
        mood = "negative" if (ca if side == "a" else cb) < 0 else "positive"
        findings.append(Finding(tone_gap, side, "", "", f"tone: more {mood}, changed words VADER {ca:+.2f} vs {cb:+.2f}", kind="tone"))
    finding = max(findings, key=lambda f: f.strength, default=None)
    return SignalResult(noisy_or([tone_gap, boost_gap]), tuple(evidence), finding)
