"""Actor labelling: different names for the same actor inside one aligned pair."""

from __future__ import annotations

from narrativediff.framing.lexicon import Lexicon
from narrativediff.framing.match import find_phrases
from narrativediff.framing.records import Finding, PairContext, SignalResult, noisy_or

__all__ = ["actors", "actor_mentions", "aliasing", "NOT_FRAMING_KINDS"]

COMPONENT = "actors"
_MIN_LABEL_GAP = 0.15  # two names of one actor differ at least this much, however plain both are

#: What using one name for another is, by the kinds of the two names. Only metonymy (a capital or
#: seat for the government: "Beijing", "the Kremlin") and a label choice (a formal name, title,
#: description or epithet: "the PRC", "the regime") are framing; a spelling variant or a demonym
#: for the name ("Chinese" for "China's") is a matter of form and scores nothing.
NOT_FRAMING_KINDS = frozenset({"spelling", "demonym"})


def aliasing(kind_a: str, kind_b: str) -> str:
    """Name what using a ``kind_a`` name where the other says a ``kind_b`` name is.

    Examples
    --------
    >>> aliasing("capital", "name"), aliasing("formal", "name"), aliasing("spelling", "name")
    ('metonymy', 'label choice', 'spelling variant')
    """
    kinds = {kind_a, kind_b}
    if "spelling" in kinds:
        return "spelling variant"
    if kinds <= {"name", "demonym"}:
        return "form variant"
    if "capital" in kinds and kinds - {"capital"} <= {"name", "demonym"}:
        return "metonymy"
    return "label choice"


def actor_mentions(ctx: PairContext, side: str, lexicon: Lexicon) -> dict[str, list[tuple[int, int, object]]]:
    """Mentions of each actor group in one sentence: ``{group: [(k1, k2, ActorAlias), ...]}``."""
    def compute():
        out: dict[str, list] = {}
        for k1, k2, aliases in find_phrases(ctx.tokens(side), lexicon.actors):
            for alias in aliases:
                out.setdefault(alias.group, []).append((k1, k2, alias))
        return out

    return lexicon.memo("actors", ctx.text(side), compute)


def actors(ctx: PairContext, lexicon: Lexicon) -> SignalResult:
    """Score different labels for an actor both sentences mention.

    For every actor group mentioned on both sides, each label used on one side only is compared
    with the labels of the other side: its strength is the gap in markedness (at least 0.15
    between different kinds of name, such as a name and a capital; two titles of equal weight,
    "President Trump" and "President Donald Trump", do not count).
    Only the outlet's own words count (an alias inside a quote is the speaker's), and only
    metonymy and label choice are framing (:func:`aliasing`). Groups combine by noisy-or; the
    signed ``lean`` is positive when side a uses the more marked label.

    Returns
    -------
    SignalResult
    """
    ma, mb = actor_mentions(ctx, "a", lexicon), actor_mentions(ctx, "b", lexicon)
    own = {"a": ctx.own_words("a"), "b": ctx.own_words("b")}
    ma = {g: [m for m in ms if own["a"][m[0]]] for g, ms in ma.items()}
    mb = {g: [m for m in ms if own["b"][m[0]]] for g, ms in mb.items()}
    ma, mb = {g: ms for g, ms in ma.items() if ms}, {g: ms for g, ms in mb.items() if ms}
    parts, evidence, best = [], [], None
    direction = 0.0
    for group in sorted(set(ma) & set(mb)):
        labels = {s: {m[2].alias for m in mentions[group]} for s, mentions in (("a", ma), ("b", mb))}
        if labels["a"] == labels["b"]:
            continue
        strength = 0.0
        for s, mentions, others in (("a", ma, mb), ("b", mb, ma)):
            other_side = "b" if s == "a" else "a"
            for k1, k2, alias in mentions[group]:
                if alias.alias in labels[other_side]:
                    continue
                other_alias = min((m[2] for m in others[group]), key=lambda a: abs(a.weight - alias.weight))
                what = aliasing(alias.kind, other_alias.kind)
                if what in ("spelling variant", "form variant"):
                    continue
                gap = abs(alias.weight - other_alias.weight)
                if alias.kind != other_alias.kind:
                    gap = max(_MIN_LABEL_GAP, gap)
                if gap <= 0:
                    continue
                strength = max(strength, gap)
                evidence.append(ctx.evidence(COMPONENT, s, k1, k2, f"{group}: {what}, {alias.kind} label where the other says \"{other_alias.alias}\""))
                more = s if alias.weight >= other_alias.weight else other_side
                direction += gap if more == "a" else -gap
                text_s = ctx.phrase(s, k1, k2)
                ok1, ok2, _ = next(m for m in others[group] if m[2] is other_alias)
                text_o = ctx.phrase(other_side, ok1, ok2)
                qa, qb = (text_s, text_o) if s == "a" else (text_o, text_s)
                kinds = (alias.kind, other_alias.kind) if more == other_side else (other_alias.kind, alias.kind)
                if best is None or gap > best.strength:
                    best = Finding(gap, more, qa, qb, f"actor label, {what}: {kinds[0]} to {kinds[1]}")
        parts.append(strength)
    score = noisy_or(parts)
    lean = 0.0 if direction == 0 or score == 0 else (score if direction > 0 else -score)
    return SignalResult(score, tuple(evidence), best, lean)
