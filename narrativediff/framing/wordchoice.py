"""Word choice: the changed words of the diff, weighed by how loaded they are."""

from __future__ import annotations

import re

from narrativediff.framing.lexicon import Lexicon
from narrativediff.framing.records import Finding, PairContext, SignalResult, noisy_or, other

__all__ = ["word_choice", "loaded_words"]

COMPONENT = "word_choice"
_CONTEXT_WORDS = 2  # words kept before the loaded word when quoting it ("plans to threaten")
_NAME_EXTRA_WORDS = 2  # more words it may reach back for, to begin where a name begins
# Punctuation between two words that ends the context of a quoted word: a clause or quote boundary
# ('other measures," said' is quoted as "said").
_CLAUSE_BREAK = re.compile(r"[,;:()\[\]\"“”«»—–!?]")
# A quoted phrase does not begin with a word that joins it to what came before ("and have insisted"
# is quoted as "have insisted"); tokens are words, so punctuation never starts one.
_NOT_FIRST = frozenset({"and", "but", "or", "nor", "yet", "so", "that", "which", "who", "whom"})


_QUOTED_FACTOR = 0.5  # loaded_words(): a word inside quotation marks is the speaker's choice more than the outlet's


def _loaded_words(ctx: PairContext, side: str, lexicon: Lexicon) -> tuple:
    """``(weight, k, why)`` for every loaded word of one sentence, worked out once per sentence."""

    def compute():
        out = []
        toks = ctx.tokens(side)
        for k, norm in enumerate(ctx.norms(side)):
            if not own[k]:
                continue
            weight, why = _word_weight(toks, k, norm, lexicon)
            if weight > 0:
                out.append((weight, k, why))
        return tuple(out)

    own = ctx.own_words(side)
    return lexicon.memo(("loaded", own), ctx.text(side), compute)


def _word_weight(toks, k: int, norm: str, lexicon: Lexicon) -> tuple[float, str]:
    """Loadedness of token ``k``: a reporting-verb form not used as a verb is a loaded word, not a verb."""
    from narrativediff.framing.attribution import reporting_use

    weight, why = lexicon.loadedness(norm, boosters=False)
    if why.endswith("reporting verb") and not reporting_use(toks, k):
        why = "loaded word"
    return weight, why


def _loaded_in(ctx: PairContext, side: str, k1: int, k2: int, lexicon: Lexicon):
    return [entry for entry in _loaded_words(ctx, side, lexicon) if k1 <= entry[1] < k2]


def _quote(ctx: PairContext, side: str, k1: int, k2: int, best) -> str:
    if best is None:
        return ctx.phrase(side, k1, min(k2, k1 + 3))
    k = best[1]
    start = max(0, k - _CONTEXT_WORDS)
    toks, text = ctx.tokens(side), ctx.text(side)
    for j in range(start, k):  # the context stays within the word's clause and quote
        if _CLAUSE_BREAK.search(text, toks[j].end, toks[j + 1].start):
            start = j + 1
    # ... and does not begin inside a name: "State Department has warned", not "Department has warned".
    floor = max(0, start - _NAME_EXTRA_WORDS)
    while (start > floor and start < k and toks[start].text[:1].isupper() and toks[start - 1].text[:1].isupper()
           and not _CLAUSE_BREAK.search(text, toks[start - 1].end, toks[start].start)):
        start -= 1
    norms = ctx.norms(side)
    while start < k and norms[start] in _NOT_FIRST:
        start += 1
    return ctx.phrase(side, start, k + 1)


def _finding(ctx: PairContext, lexicon: Lexicon, gap: float, side: str, op) -> Finding:
    """Contrast the block's most loaded word with the most loaded changed word of the other side.

    The diff may file the two words of one contrast in neighbouring blocks ("plans to threaten"
    against "Urging ... to"), so the other side's word is looked for in every changed block.
    """
    spans = {"a": (op.i1, op.i2), "b": (op.j1, op.j2)}
    top = {side: max(_loaded_in(ctx, side, *spans[side], lexicon))}
    opp = other(side)
    masks = ctx.changed_mask(opp)
    changed_loaded = [x for x in _loaded_in(ctx, opp, 0, len(ctx.tokens(opp)), lexicon) if masks[x[1]]]
    top[opp] = max(changed_loaded, default=None)
    quotes = {s: _quote(ctx, s, *spans[s], top[s]) for s in "ab"}
    labels = {s: _label(ctx, s, top[s], lexicon) for s in "ab"}
    both_verbs = all(top[s] is not None and top[s][2].endswith("reporting verb") for s in "ab")
    if both_verbs and labels[opp] != labels[side]:
        detail = f"reporting verb: {labels[opp]} to {labels[side]}"
    elif both_verbs:
        detail = (f"both {labels[side]} reporting verbs; \"{ctx.tokens(side)[top[side][1]].text}\" weighs "
                  f"{top[side][0]:.2f} against {top[opp][0]:.2f}")
    else:
        weight, k, why = top[side]
        detail = f'word choice: "{ctx.tokens(side)[k].text}" is a {why} ({weight:.2f})'
    return Finding(gap, side, quotes["a"], quotes["b"], detail)


def _label(ctx: PairContext, side: str, best, lexicon: Lexicon) -> str:
    if best is None:
        return "neutral"
    verb = lexicon.reporting_verbs.get(ctx.tokens(side)[best[1]].norm)
    return verb.stance if verb is not None and best[2].endswith("reporting verb") else f"loaded {best[0]:.2f}"


def word_choice(ctx: PairContext, lexicon: Lexicon) -> SignalResult:
    """Score the replaced, inserted and deleted words by loadedness.

    Each changed block scores the gap between the most loaded word on one side and the most
    loaded word on the other (a block only one side has scores its own most loaded word);
    blocks combine as independent pieces of evidence (noisy-or). Loadedness comes from the
    loaded-word list and the reporting verbs (intensifiers belong to ``intensity``). Only the
    outlet's own words count: a word inside a direct quote is the speaker's (which quote an
    outlet chose is :mod:`~narrativediff.framing.selection`'s). The signed ``lean`` is positive
    when side a holds the more loaded words.

    Returns
    -------
    SignalResult
    """
    evidence, blocks, best_finding = [], [], None
    direction = 0.0
    for op in ctx.changed:
        la = _loaded_in(ctx, "a", op.i1, op.i2, lexicon)
        lb = _loaded_in(ctx, "b", op.j1, op.j2, lexicon)
        ma = max(la, default=None)
        mb = max(lb, default=None)
        wa, wb = (ma[0] if ma else 0.0), (mb[0] if mb else 0.0)
        gap = abs(wa - wb)
        blocks.append(gap)
        direction += wa - wb
        for side, found in (("a", la), ("b", lb)):
            for weight, k, why in found:
                evidence.append(ctx.evidence(COMPONENT, side, k, k + 1, f"{why} ({weight:.2f}), {op.tag}"))
        if gap > 0 and (best_finding is None or gap > best_finding[0]):
            best_finding = (gap, "a" if wa >= wb else "b", op)
    if best_finding is not None:
        best_finding = _finding(ctx, lexicon, *best_finding)
    score = noisy_or(blocks)
    lean = 0.0 if direction == 0 else (score if direction > 0 else -score)
    return SignalResult(score, tuple(evidence), best_finding, lean)


def loaded_words(text: str, *, lexicon: Lexicon | None = None, min_weight: float = 0.0,
                 boosters: bool = True, quoted_factor: float = _QUOTED_FACTOR) -> list[tuple]:
    """The loaded words of one sentence, as the word-choice signal weighs them.

    Parameters
    ----------
    text : str
    lexicon : Lexicon, optional
        ``None`` uses the shipped lists.
    min_weight : float, default 0.0
        Keep words at least this loaded.
    boosters : bool, default True
        Count intensifiers as loaded too.
    quoted_factor : float, default 0.5
        Weight multiplier for words between quotation marks.

    Returns
    -------
    list of (Token, weight, why)

    Examples
    --------
    >>> [(t.text, w) for t, w, _ in loaded_words("G7 slams Chinese firms' military help", min_weight=0.5)]
    [('slams', 0.9)]
    """
    from narrativediff.framing.lexicon import default_lexicon

    lexicon = lexicon if lexicon is not None else default_lexicon()
    ctx = PairContext.build(text, text)
    quoted = ctx.quoted_mask("a")
    out = []
    for k, tok in enumerate(ctx.tokens_a):
        weight, why = lexicon.loadedness(tok.norm, boosters=boosters)
        if quoted[k]:
            weight *= quoted_factor
        if weight > 0 and weight >= min_weight:
            out.append((tok, weight, why))
    return out
