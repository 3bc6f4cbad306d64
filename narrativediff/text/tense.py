"""Tense: do two English sentences differ only in the tense of their verbs?

Articles written days apart tell the same event in different tenses ("will meet" on Monday, "met"
on Friday). That change says when the article was written, not how it frames the event. The
framing signals already give such a pair no component (measured: "The minister will meet union
leaders" / "The minister met union leaders" scores 0 on every component), so nothing is subtracted
from a score; the alignment marks the pair ``tense_only`` so a reader, a filter or a report can set
it aside, and ``days_apart`` says how far apart the two articles are.

A word pair counts as a tense change when both reduce to one stem (a small table of irregular
verbs, then the regular endings -s, -es, -ed, -ing) and the auxiliaries that carry tense or aspect
(will, has, was, is being, ...) may come and go.
"""

from __future__ import annotations

import difflib

from narrativediff.text.tokens import words

__all__ = ["tense_only", "AUXILIARIES"]

#: Words that carry tense or aspect, and may appear or go when only the tense changes.
AUXILIARIES = frozenset(
    "will would shall is are was were be been being am has have had having do does did 'll ’ll 's ’s "
    "'ve ’ve 'd ’d going".split()
)

_IRREGULAR = {
    form: stem
    for stem, forms in {
        "say": "says said saying", "meet": "meets met meeting", "make": "makes made making",
        "go": "goes went gone going", "take": "takes took taken taking", "give": "gives gave given giving",
        "tell": "tells told telling", "hold": "holds held holding", "leave": "leaves left leaving",
        "come": "comes came coming", "run": "runs ran running", "begin": "begins began begun beginning",
        "fall": "falls fell fallen falling", "find": "finds found finding", "think": "thinks thought",
        "bring": "brings brought", "keep": "keeps kept", "win": "wins won winning", "lose": "loses lost",
        "send": "sends sent", "spend": "spends spent", "build": "builds built", "pay": "pays paid",
        "sell": "sells sold", "strike": "strikes struck striking", "flee": "flees fled fleeing",
        "rise": "rises rose risen rising", "see": "sees saw seen seeing",
        "withdraw": "withdraws withdrew withdrawn withdrawing", "write": "writes wrote written writing",
        "speak": "speaks spoke spoken speaking", "choose": "chooses chose chosen",
        "grow": "grows grew grown", "know": "knows knew known", "shoot": "shoots shot shooting",
        "lead": "leads led leading", "seek": "seeks sought", "stand": "stands stood",
        "break": "breaks broke broken", "drive": "drives drove driven", "hear": "hears heard",
        "buy": "buys bought", "catch": "catches caught", "fight": "fights fought",
        "teach": "teaches taught", "feel": "feels felt", "mean": "means meant",
    }.items()
    for form in forms.split()
}


def _stem(word: str) -> str:
    word = word.lower()
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    for ending, replacement in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            word = word[: -len(ending)] + replacement
            break
    if len(word) > 3 and word[-1] == word[-2]:  # stopped -> stopp -> stop
        word = word[:-1]
    return word.rstrip("e")


def tense_only(text_a: str, text_b: str) -> bool:
    """True when the two sentences differ, but only in the tense of their verbs.

    Examples
    --------
    >>> tense_only("The minister will meet union leaders.", "The minister met union leaders.")
    True
    >>> tense_only("Police say the march is peaceful.", "Police said the march was peaceful.")
    True
    >>> tense_only("Police say the march is peaceful.", "Police said the march was violent.")
    False
    >>> tense_only("Talks went on.", "Talks went on.")
    False
    """
    tokens_a, tokens_b = words(text_a, lower=True), words(text_b, lower=True)
    if tokens_a == tokens_b:
        return False
    changed = False
    matcher = difflib.SequenceMatcher(a=tokens_a, b=tokens_b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        changed = True
        side_a = [_stem(w) for w in tokens_a[i1:i2] if w not in AUXILIARIES]
        side_b = [_stem(w) for w in tokens_b[j1:j2] if w not in AUXILIARIES]
        if sorted(side_a) != sorted(side_b):
            return False
    return changed
