"""One-line readings of a scored pair, built from each signal's top finding."""

from __future__ import annotations

from typing import Mapping

from narrativediff.framing.records import Finding

__all__ = ["explain"]

_MIN_STRENGTH = 0.05  # below this a component is not worth a sentence
_NAMES = {"word_choice": "word choice", "attribution": "attribution", "intensity": "tone", "actors": "actor labels",
          "selection": "choice of quote"}
_OWN_WORDS = ("word_choice", "attribution", "intensity", "actors")


def _sentence(f: Finding, name_a: str, name_b: str, own_words: bool = False) -> str:
    who, whom = (name_a, name_b) if f.side == "a" else (name_b, name_a)
    mine, theirs = (f.text_a, f.text_b) if f.side == "a" else (f.text_b, f.text_a)
    if f.kind == "quote":
        return f"{who} quotes directly where {whom} does not ({f.detail})"
    if f.kind == "speaker_choice":
        return f"{who} quotes {mine} where {whom} quotes {theirs} ({f.detail.split(': ', 1)[0]}: choice of speaker)"
    if f.kind == "quote_choice":
        return f"{who} quotes other words than {whom} ({f.detail})"
    if own_words:
        who = f"in its own words {who}"
    if f.kind == "asymmetry":
        return f'{who} attributes it ("{mine}") where {whom} states it as fact ({f.detail})'
    if f.kind == "hedge":
        return f'{who} hedges with "{mine}" where {whom} does not ({f.detail})'
    if f.kind == "booster":
        return f"{who} uses intensifiers {whom} does not ({f.detail})"
    if f.kind == "tone":
        return f"{who} is more {f.detail.split('more ')[1].split(',')[0]} in tone than {whom} ({f.detail.split(', ', 1)[1]})"
    if not theirs:
        return f'{who} says "{mine}", which {whom} does not ({f.detail})'
    return f'{who} says "{mine}" where {whom} says "{theirs}" ({f.detail})'


def explain(
    components: Mapping[str, float],
    findings: Mapping[str, Finding | None],
    *,
    source_a: str = "A",
    source_b: str = "B",
    identical: bool = False,
    changed: str = "",
    both_quote: str | None = None,
) -> str:
    """Read the strongest component out as one line, naming the others that also moved.

    ``both_quote`` names the speaker both sentences quote ("Blinken"); the line then says so
    and reads the strongest own-words finding as the outlet's own wording ("both quote
    Blinken; in its own words RT says ...").

    Examples
    --------
    >>> f = Finding(0.8, "a", "plans to threaten", "Urging", "reporting verb: neutral to threatening")
    >>> explain({"word_choice": 0.8}, {"word_choice": f}, source_a="RT", source_b="VOA")
    'RT says "plans to threaten" where VOA says "Urging" (reporting verb: neutral to threatening)'
    """
    if identical:
        return "Same wording."
    ranked = sorted(
        (c for c in components if findings.get(c) is not None and components[c] >= _MIN_STRENGTH),
        key=lambda c: components[c],
        reverse=True,
    )
    if not ranked:
        if changed:
            return f"No framing difference found; only neutral words differ ({changed})."
        return "No framing difference found."
    top = ranked[0]
    line = _sentence(findings[top], source_a, source_b, own_words=both_quote is not None and top in _OWN_WORDS)
    if both_quote is not None:
        line = f"both quote {both_quote}; {line}"
    also = [_NAMES[c] for c in ranked[1:] if components[c] >= 0.2]
    if also:
        line += "; also " + ", ".join(also)
    return line
