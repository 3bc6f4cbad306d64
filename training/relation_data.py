"""Training pairs for the relation model: MRPC, STS-B, and pairs rewritten with the lexicon.

Two rewrites of a sentence, both made only with the words of the framing lexicon
(:func:`narrativediff.framing.lexicon.default_lexicon`) and the sentence itself:

- :func:`framing_rewrites` changes the telling and keeps the claim: a neutral verb of saying
  swapped for a loaded one ("said" -> "claimed"), an attribution frame added ("Officials claim
  that ..."), an actor alias swapped for another of its group ("China" -> "Beijing"), a hedge or
  booster added. The lexicon lists no neutral synonym of a loaded word, so "loaded for neutral"
  is approximated by adding a booster before a content word.
- :func:`content_rewrites` keeps the telling and changes the claim: a negation added
  (-> ``contradiction``), a number changed (-> ``contradiction``), or an actor or a name swapped
  for another one (-> ``related``).

A pair ``(a, b)`` that people labelled the same claim gives ``(a, framing_rewrite(b))`` as another
same-claim pair and ``(a, content_rewrite(b))`` as a hard negative.
"""

from __future__ import annotations

import re

import numpy as np

__all__ = ["framing_rewrites", "content_rewrites", "perturbed_pairs", "mrpc_relation_pairs", "stsb_relation_pairs"]

_AUX = re.compile(r"\b(is|are|was|were|has|have|had|will|would|can|could|should|does|did)\b(?! not)")
_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)?\b")
_SAID = re.compile(r"\b(said|says|stated)\b")
_LOADED_VERBS = ("claimed", "insisted", "alleged", "admitted", "warned", "boasted", "conceded", "argued")
_FRAMES = ("Officials claim that", "It is alleged that", "Critics insist that", "According to reports,")
_BOOSTERS = ("massive", "unprecedented", "huge", "dramatic", "staggering")


def _actor_groups(lexicon):
    groups: dict[str, list[str]] = {}
    for aliases in lexicon.actors.values():
        for alias in aliases:
            if alias.kind != "description" and len(alias.alias) > 2:
                groups.setdefault(alias.group, []).append(alias.alias)
    return groups


def _find_alias(text: str, groups):
    """The first (group, alias, match) of the lexicon found in ``text`` (names only, case-insensitive)."""
    best = None
    for group, aliases in groups.items():
        for alias in aliases:
            match = re.search(r"\b" + re.escape(alias) + r"\b", text, flags=re.IGNORECASE)
            if match and (best is None or match.start() < best[2].start()):
                best = (group, alias, match)
    return best


def framing_rewrites(text: str, rng, lexicon=None) -> list[tuple[str, str]]:
    """Rewrites of ``text`` that change only the telling: ``[(kind, new_text), ...]``."""
    from narrativediff.framing.lexicon import default_lexicon

    lexicon = lexicon or default_lexicon()
    out = []
    if _SAID.search(text):
        out.append(("reporting verb", _SAID.sub(lambda m: str(rng.choice(_LOADED_VERBS)), text, count=1)))
    out.append(("attribution frame", f"{rng.choice(_FRAMES)} {text}"))
    found = _find_alias(text, _actor_groups(lexicon))
    if found:
        group, alias, match = found
        others = [a for a in _actor_groups(lexicon)[group] if a.lower() != match.group().lower()]
        if others:
            other = str(rng.choice(others)).title()
            out.append(("actor alias", text[:match.start()] + other + text[match.end():]))
    words = list(re.finditer(r"\b(?:the|its|of|a|an) ([a-z]{4,})\b", text))
    if words:
        w = words[int(rng.integers(len(words)))]
        out.append(("booster", text[:w.start(1)] + f"{rng.choice(_BOOSTERS)} " + text[w.start(1):]))
    return out


def content_rewrites(text: str, rng, lexicon=None, names=()) -> list[tuple[str, str, str]]:
    """Rewrites of ``text`` that change the claim: ``[(kind, new_text, relation), ...]``."""
    from narrativediff.framing.lexicon import default_lexicon

    lexicon = lexicon or default_lexicon()
    out = []
    aux = _AUX.search(text)
    if aux:
        out.append(("negation", text[:aux.end()] + " not" + text[aux.end():], "contradiction"))
    number = _NUMBER.search(text)
    if number:
        value = float(number.group().replace(",", ""))
        new = value * float(rng.choice([0.5, 2, 3, 10])) + int(rng.integers(1, 9))
        out.append(("number", text[:number.start()] + f"{new:g}" + text[number.end():], "contradiction"))
    groups = _actor_groups(lexicon)
    found = _find_alias(text, groups)
    if found:
        group, _, match = found
        present = {g for g, aliases in groups.items()
                   if any(re.search(r"\b" + re.escape(a) + r"\b", text, flags=re.IGNORECASE) for a in aliases)}
        other_groups = [g for g in groups if g not in present]
        alias = str(rng.choice(groups[str(rng.choice(other_groups))]))
        out.append(("actor", text[:match.start()] + alias.title() + text[match.end():], "related"))
    elif names:
        caps = [m for m in re.finditer(r"(?<!^)(?<![.!?] )\b[A-Z][a-z]{2,}\b", text)]
        if caps:
            m = caps[int(rng.integers(len(caps)))]
            choice = str(rng.choice([n for n in names if n != m.group()] or ["Smith"]))
            out.append(("actor", text[:m.start()] + choice + text[m.end():], "related"))
    return out


def perturbed_pairs(texts_a, texts_b, *, seed: int = 0, per_pair: int = 1, lexicon=None):
    """Same-claim pairs rewritten: framing rewrites (label ``same_claim``) and content rewrites.

    Returns
    -------
    DataFrame
        ``a``, ``b``, ``relation``, ``kind`` (what was rewritten), ``framed`` (bool).
    """
    import pandas as pd

    rng = np.random.default_rng(seed)
    names = sorted({m.group() for t in texts_b for m in re.finditer(r"\b[A-Z][a-z]{3,}\b", t)})
    rows = []
    for a, b in zip(texts_a, texts_b):
        framed = framing_rewrites(b, rng, lexicon)
        for k in rng.permutation(len(framed))[:per_pair]:
            rows.append({"a": a, "b": framed[k][1], "relation": "same_claim", "kind": framed[k][0], "framed": True})
        changed = content_rewrites(b, rng, lexicon, names)
        for k in rng.permutation(len(changed))[:per_pair]:
            rows.append({"a": a, "b": changed[k][1], "relation": changed[k][2], "kind": changed[k][0], "framed": False})
    return pd.DataFrame(rows, columns=["a", "b", "relation", "kind", "framed"])


def mrpc_relation_pairs(data_dir, split: str):
    """MRPC pairs of ``split`` (cross-outlet only): relation ``same_claim`` or ``different`` (unknown which)."""
    import pandas as pd

    from training.datasets import mrpc_pairs, subset

    pairs = mrpc_pairs(data_dir, split)
    pairs = subset(pairs, pairs["cross"])
    return pd.DataFrame({"a": pairs["a"], "b": pairs["b"],
                         "relation": np.where(pairs["y"] == 1, "same_claim", "different")})


def stsb_relation_pairs(data_dir, split: str, *, genres=("headlines", "MSRpar")):
    """STS-B news pairs: score >= 4 ``same_claim``, score <= 2 ``different``, between left out."""
    import pandas as pd

    from training.datasets import stsb_genre

    frames = []
    for genre in genres:
        g = stsb_genre(data_dir, split, genre)
        frame = pd.DataFrame({"a": g["a"], "b": g["b"], "score": g["score"]})
        frames.append(frame)
    frame = pd.concat(frames, ignore_index=True)
    frame = frame[(frame.score >= 4) | (frame.score <= 2)]
    frame["relation"] = np.where(frame.score >= 4, "same_claim", "different")
    return frame.reset_index(drop=True)
