"""Intensity and tone: sentiment difference (VADER) and intensifiers only one side uses."""

from __future__ import annotations

import math
from collections import Counter
from functools import lru_cache

from narrativediff.framing.lexicon import Lexicon
from narrativediff.framing.records import Finding, PairContext, SignalResult, noisy_or, other

__all__ = ["intensity", "sentiment", "negativity_lean", "context_valences"]

COMPONENT = "intensity"
_VADER_ALPHA = 15.0  # VADER's own normalisation constant for compound scores
_VALENCE_MIN = 1.0  # VADER valences run -4..4; weaker words are not worth pointing at
_NEGATION_SCALE = -0.74  # VADER's own factor for a word in the scope of a negation
_NEGATION_SCOPE = 3  # words after a negator that it reaches, as in VADER
_NEGATORS = frozenset("not no never without nor neither cannot".split())
# Words VADER scores as positive or negative that name a relation or an action, whose tone is that of
# what is helped, supported or defended: "helping Russia's war effort" is not a warm sentence. Their
# own valence is not counted; the words around them carry the tone.
_RELATION_WORDS = frozenset(
    "help helps helped helping support supports supported supporting supporter supporters aid aids aided "
    "aiding assist assists assisted assisting assistance backing backed boost boosts boosted boosting "
    "protect protects protected protecting protection defend defends defended defending defense defence "
    "benefit benefits benefited benefiting ally allies allied care cares".split()
)


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


def context_valences(norms, own=None) -> tuple:
    """VADER valence of each token read in context (``None`` where VADER has none or it does not count).

    A word within three words after a negator ("not", "never", "without") has its valence scaled
    by -0.74 as VADER does; a relation word ("helping", "support", "defend") has none of its own;
    a word outside the outlet's own wording (``own[k]`` false) has none.

    Examples
    --------
    >>> [v for v in context_valences(["it", "is", "not", "good"]) if v is not None]
    [-1.406]
    >>> context_valences(["helping", "russia"])
    (None, None)
    """
    valence = _analyzer().lexicon
    out = []
    negated_until = -1
    for k, norm in enumerate(norms):
        if norm in _NEGATORS or norm.endswith("n't"):
            negated_until = k + _NEGATION_SCOPE
        v = valence.get(norm)
        if v is None or norm in _RELATION_WORDS or (own is not None and not own[k]):
            out.append(None)
            continue
        out.append(round(v * _NEGATION_SCALE, 4) if k <= negated_until and norm not in _NEGATORS else v)
    return tuple(out)


def _valences(ctx: PairContext, side: str, lexicon: Lexicon) -> tuple:
    """:func:`context_valences` of one side's own words, once per sentence."""
    own = ctx.own_words(side)
    return lexicon.memo(("valence", own), ctx.text(side), lambda: context_valences(ctx.norms(side), own))


def _changed_tone(valences: tuple, mask: list[bool]) -> float:
    """VADER-normalised tone (-1..1) of the words the diff changed on one side."""
    total = sum(v for v, changed in zip(valences, mask) if changed and v is not None)
    return total / math.sqrt(total * total + _VADER_ALPHA)


def negativity_lean(ctx: PairContext, lexicon: Lexicon) -> float:
    """How much more negative side a's changed own words are than side b's, in [-1, 1].

    The in-context tone (:func:`context_valences`) of the words the diff changed, VADER-normalised,
    b minus a: positive when a is the more negative, negative when b is.
    """
    ca, cb = (_changed_tone(_valences(ctx, s, lexicon), ctx.changed_mask(s)) for s in "ab")
    return round(max(-1.0, min(1.0, cb - ca)), 6)


def intensity(ctx: PairContext, lexicon: Lexicon) -> SignalResult:
    """Score the difference in tone and intensity.

    Noisy-or of (1) the tone gap of the changed words: the VADER valences of the words the diff
    changed on each side, summed and normalised as VADER normalises its compound score, then
    subtracted (the words both sentences share cannot frame them differently, and whole-sentence
    sentiment mostly reflects content); and (2) the weight gap of intensifiers ("massive",
    "deeply", "most") only one side uses. Valences are read in context (:func:`context_valences`:
    negation, relation words) and only in the outlet's own words. The signed ``lean`` is
    positive when side a is the more intense (the larger tone magnitude, or more intensifiers).

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
                evidence.append(ctx.evidence(COMPONENT, s, k, k + 1, f"sentiment word (VADER {v:+.1f} in context)"))
    own = {s: ctx.own_words(s) for s in "ab"}
    boosts = {s: Counter(norm for k, norm in enumerate(ctx.norms(s)) if norm in lexicon.boosters and own[s][k])
              for s in "ab"}
    extra = {s: [] for s in "ab"}
    for s in "ab":
        for k, norm in enumerate(ctx.norms(s)):
            if own[s][k] and norm in lexicon.boosters and boosts[s][norm] > boosts[other(s)][norm]:
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
    score = noisy_or([tone_gap, boost_gap])
    direction = (abs(ca) - abs(cb)) + (sum_a - sum_b)
    lean = 0.0 if direction == 0 or score == 0 else (score if direction > 0 else -score)
    return SignalResult(score, tuple(evidence), finding, lean)
