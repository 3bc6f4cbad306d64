"""Attribution and stance: who is said to say it, how, and with what distance."""

from __future__ import annotations

from collections import Counter

from narrativediff.framing.lexicon import Lexicon, ReportingVerb
from narrativediff.framing.match import find_phrases
from narrativediff.framing.records import Finding, PairContext, SignalResult, noisy_or, other
from narrativediff.text.quotes import quote_spans

__all__ = ["attribution", "attribution_cues", "reporting_use"]

COMPONENT = "attribution"

# Words after which a reporting-verb form is not a verb reporting what someone said: a modal or a
# negation ("should not smear", "will deny"), the infinitive marker ("plans to threaten": a plan, not
# a report), or a determiner or possessive ("the claims", "his attack": a noun).
# Determiners and possessives: right before a reporting-verb form, or before "<lower-case word>
# <-ing form>", they make a noun phrase.
_DETERMINERS = frozenset("a an the this that these those his her its their our your my no any such every some".split())
_NOT_REPORTING_BEFORE = frozenset("to should would could can may might must shall will not n't never cannot".split()) \
    | _DETERMINERS
# Verbs that report only with a clause or a quote: before a noun phrase they keep, go on or join
# ("maintained a policy of neutrality", "continued the talks", "added a clause").
_CLAUSE_SENSE = frozenset(f"{stem}{end}" for stem in ("maintain", "add") for end in ("", "s", "ed", "ing")) \
    | frozenset("continue continues continued continuing".split())
_NOUN_PHRASE_START = _DETERMINERS - {"that"}
_SHARED_FULL = 0.5  # the fact side must repeat at least this share of words for full asymmetry
#: How an attribution phrase reads beside the other side's reporting verb, when the lexicon has no
#: "said" of its own: as a neutral verb of saying.
_SAID = ReportingVerb("say", "neutral", 0.05)


def reporting_use(tokens, k: int) -> bool:
    """Whether token ``k`` (a reporting-verb form) is used as a verb that reports someone's words.

    Not after a modal, a negation, "to", or a determiner ("should not smear", "plans to threaten",
    "the claims"), nor an "-ing" form after a determiner and a lower-case word ("a similar warning",
    "the latest warning" are nouns; "the government warns" and "the US claims" stay verbs), nor
    "maintain", "continue" or "add" before a noun phrase ("have maintained a policy of neutrality";
    "maintained that" still reports); the word may still be loaded, but it reports no one.

    Examples
    --------
    >>> from narrativediff.text.tokens import tokenize
    >>> t = tokenize("He said critics should not smear the plan")
    >>> reporting_use(t, 1), reporting_use(t, 5)
    (True, False)
    >>> t = tokenize("Yellen issued a similar warning as the government warns")
    >>> reporting_use(t, 4), reporting_use(t, 8)
    (False, True)
    >>> t = tokenize("China maintained a policy of neutrality and maintained that it sells no arms")
    >>> reporting_use(t, 1), reporting_use(t, 7)
    (False, True)
    """
    if tokens[k].norm in _CLAUSE_SENSE and k + 1 < len(tokens) and tokens[k + 1].norm in _NOUN_PHRASE_START:
        return False
    if k == 0:
        return True
    prev = tokens[k - 1].norm
    if prev in _NOT_REPORTING_BEFORE or prev.endswith("n't"):
        return False
    if k >= 2 and tokens[k].norm.endswith("ing") and tokens[k - 2].norm in _DETERMINERS:
        return not tokens[k - 1].text[:1].islower()
    return True


def attribution_cues(ctx: PairContext, side: str, lexicon: Lexicon) -> dict:
    """The attribution cues of one sentence.

    Returns
    -------
    dict
        ``verbs``: list of ``(k, ReportingVerb)``; ``hedges``: list of ``(k1, k2, kind, weight)``;
        ``quotes``: list of ``(start, end)`` character spans of quoted text.
    """
    text, toks = ctx.text(side), ctx.tokens(side)

    def compute():
        verbs = [(k, lexicon.reporting_verbs[t.norm]) for k, t in enumerate(toks)
                 if t.norm in lexicon.reporting_verbs and reporting_use(toks, k) and own[k]]
        hedges = [(k1, k2, kind, w) for k1, k2, (kind, w) in find_phrases(toks, lexicon.hedges) if own[k1]]
        return {"verbs": verbs, "hedges": hedges, "quotes": quote_spans(text)}

    own = ctx.own_words(side)
    return lexicon.memo(("attribution", own), text, compute)


def _attributed(cues: dict) -> bool:
    return bool(cues["verbs"] or any(kind != "hedge" for _, _, kind, _ in cues["hedges"]))


def attribution(ctx: PairContext, lexicon: Lexicon) -> SignalResult:
    """Score differences in attribution between the two sentences.

    Three cues in the outlet's own words (a reporting verb or hedge inside a quote is the
    speaker's), combined by noisy-or: (1) asymmetry, one side attributes the statement
    (reporting verb or "according to") where the other states it as fact: 0.5 plus half the
    strongest cue's weight; (2) different reporting verbs: the gap between their weights, plus
    0.2 when the stance classes differ; (3) hedges only one side uses: the hedge's weight.
    Only verbs count as reporting verbs (:func:`reporting_use`). Which quote a side chose is
    :mod:`~narrativediff.framing.selection`'s.

    The signed ``lean`` is positive when side a keeps more distance (attributes, doubts, hedges).

    Returns
    -------
    SignalResult
    """
    cues = {s: attribution_cues(ctx, s, lexicon) for s in "ab"}
    parts, evidence, findings = [], [], []
    lean = 0.0
    hedge_lean = 0.0

    def add_ev(side, k1, k2, why):
        evidence.append(ctx.evidence(COMPONENT, side, k1, k2, why))

    att = {s: _attributed(cues[s]) for s in "ab"}
    if att["a"] != att["b"]:
        side = "a" if att["a"] else "b"
        c = cues[side]
        strongest = max(
            [(v.weight, k, k + 1, f"{v.stance} reporting verb") for k, v in c["verbs"]]
            + [(w, k1, k2, f"{kind} phrase") for k1, k2, kind, w in c["hedges"] if kind != "hedge"]
        )
        shared = min(1.0, ctx.overlap(other(side)) / _SHARED_FULL)
        strength = (0.5 + 0.5 * strongest[0]) * shared
        parts.append(strength)
        for k, v in c["verbs"]:
            add_ev(side, k, k + 1, f"attributes the statement ({v.stance}) where the other states it as fact")
        for k1, k2, kind, w in c["hedges"]:
            if kind != "hedge":
                add_ev(side, k1, k2, f"attributes the statement ({kind}) where the other states it as fact")
        fact = other(side)
        equal = [op for op in ctx.opcodes if op.tag == "equal"]
        if equal:
            lo = min(op.j1 if fact == "b" else op.i1 for op in equal)
            hi = max(op.j2 if fact == "b" else op.i2 for op in equal)
            add_ev(fact, lo, hi, "states as fact what the other attributes")
        label = strongest[3].replace(" reporting verb", "").replace(" phrase", "")
        phrase = ctx.phrase(side, strongest[1], strongest[2])
        findings.append(Finding(strength, side, phrase if side == "a" else "", phrase if side == "b" else "",
                                f"attribution: fact to {label}", kind="asymmetry"))
        lean = strength if side == "a" else -strength
    elif att["a"]:
        lemmas = {s: Counter(v.lemma for _, v in cues[s]["verbs"]) for s in "ab"}
        only = {s: [(k, v) for k, v in cues[s]["verbs"] if lemmas[s][v.lemma] > lemmas[other(s)][v.lemma]] for s in "ab"}
        if only["a"] or only["b"]:
            # (start, end, stance, weight) of each side's most loaded verb of its own; a side that
            # attributes with a phrase alone ("according to the port authority") reads as "said".
            said = lexicon.reporting_verbs.get("said", _SAID)
            top = {}
            for s in "ab":
                best = max(only[s], key=lambda kv: kv[1].weight, default=None)
                phrase = next(((k1, k2) for k1, k2, kind, _ in cues[s]["hedges"] if kind == "attribution"), None)
                if best is not None:
                    top[s] = (best[0], best[0] + 1, best[1].stance, best[1].weight)
                elif not cues[s]["verbs"] and phrase is not None:
                    top[s] = (*phrase, said.stance, said.weight)
                else:
                    top[s] = None
            wa = top["a"][3] if top["a"] else 0.0
            wb = top["b"][3] if top["b"] else 0.0
            sa = top["a"][2] if top["a"] else "none"
            sb = top["b"][2] if top["b"] else "none"
            strength = min(1.0, abs(wa - wb) + (0.2 if sa != sb else 0.0))
            if strength > 0:
                parts.append(strength)
                side = "a" if wa >= wb else "b"
                for s in "ab":
                    for k, v in only[s]:
                        add_ev(s, k, k + 1, f"{v.stance} reporting verb ({v.weight:.2f}) the other does not use")
                qa = ctx.phrase("a", top["a"][0], top["a"][1]) if top["a"] else ""
                qb = ctx.phrase("b", top["b"][0], top["b"][1]) if top["b"] else ""
                low, high = (sb, sa) if side == "a" else (sa, sb)
                detail = (f"reporting verb: {low} to {high}" if low != high
                          else f"both {high} reporting verbs, weights {min(wa, wb):.2f} and {max(wa, wb):.2f}")
                findings.append(Finding(strength, side, qa, qb, detail))
                lean = strength if side == "a" else -strength
    hedge_keys = {s: Counter(ctx.phrase(s, k1, k2).lower() for k1, k2, kind, _ in cues[s]["hedges"] if kind == "hedge") for s in "ab"}
    for s in "ab":
        for k1, k2, kind, w in cues[s]["hedges"]:
            key = ctx.phrase(s, k1, k2).lower()
            if kind == "hedge" and hedge_keys[s][key] > hedge_keys[other(s)][key]:
                parts.append(w)
                hedge_lean += w if s == "a" else -w
                add_ev(s, k1, k2, f"hedge ({w:.2f}) the other does not use")
                findings.append(Finding(w, s, key if s == "a" else "", key if s == "b" else "", "attribution: hedge", kind="hedge"))
    finding = max(findings, key=lambda f: f.strength, default=None)
    score = noisy_or(parts)
    direction = lean + hedge_lean
    return SignalResult(score, tuple(evidence), finding, _signed(score, direction))


def _signed(score: float, direction: float) -> float:
    """The score with the sign of ``direction`` (positive: side a), 0 when neither side leads."""
    if direction == 0:
        return 0.0
    return score if direction > 0 else -score
