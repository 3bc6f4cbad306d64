"""The content view of a sentence: what it claims, with the way it is told masked out.

Two outlets that report the same claim often differ only in the telling: a loaded reporting verb
for "said", an attribution frame ("the US claims that ..."), a hedge, a booster, an alias
("Beijing" for "China", "the top US diplomat" for "Blinken"), quote marks. An embedding and any
word overlap move with every one of those. :func:`content_view` rewrites a sentence with the
framing devices of the lexicon (:func:`narrativediff.framing.lexicon.default_lexicon`)
canonicalised or removed, so that it can be embedded beside the full sentence, and records what it
found (actors, numbers, negations, denials, content stems) for the agreement features of
:mod:`narrativediff.align.relation`:

- an actor alias becomes the canonical name of its group (``"the top US diplomat"`` ->
  ``"blinken"``); aliases that name several groups ("the president") or describe rather than name
  ("crisis", "conflict") are kept as written, since mapping them would invent an actor;
- a reporting verb becomes ``"said"``, except a denying one ("denied", "rejected"), which flips
  what is claimed and is kept as ``"denied"``; a leading attribution frame ("X claims that",
  "according to X,") and a trailing one (", X said.") are removed with their speaker;
- hedges, attribution and distancing phrases are removed; so are boosters (but not "never") and
  loaded words: the lexicon lists no neutral synonym for a loaded word, so masking is the only
  canonical form it offers;
- quote marks and other punctuation between removed words are dropped; a sentence in which
  nothing was found is returned as written (its content view is itself).

Only :func:`narrativediff.text.tokens.tokenize` (tokens with ``text``/``start``/``end``/``norm``)
and the public fields of :class:`~narrativediff.framing.lexicon.Lexicon` are used.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from narrativediff.exceptions import InvalidInputError

__all__ = ["ContentView", "content_view", "content_views", "NEGATORS", "NEUTRAL_VERB", "stem"]

#: The one verb of saying every non-denying reporting verb becomes.
NEUTRAL_VERB = "said"
#: What a denying reporting verb becomes: it reverses the claim, so it is content, not framing.
DENIAL_VERB = "denied"
#: Words that negate the clause they stand in (tokens ending in "n't" count too).
NEGATORS = frozenset("not no never none nobody nothing neither nor without cannot".split())
# Actor kinds that describe rather than name: "crisis" or "conflict" is not always the war in Ukraine.
_DESCRIPTIVE_KINDS = frozenset({"description"})
_DETERMINERS = frozenset("a an the its his her their this that our".split())  # "a warning" is a noun
_QUOTE_CHARS = frozenset("\"“”„‟«»")
_NOT_NEGATING = frozenset("just only merely simply least".split())
_MAX_FRAME = 8  # words of speaker before "claims that" / after ", ... said"
_STOP = frozenset(
    "the a an of to in on for and with is are was were be been being by or but if at from as into about "
    "over after before than that this these those it its has have had do does did will would can could "
    "should may might must shall he she they them his her their we our you your i me my so such also who "
    "whom which what when where while there here said says say told s".split()
)


class ContentView(NamedTuple):
    """A sentence with its framing masked, and what it claims about.

    Attributes
    ----------
    text : str
        The content view: canonical actor names, one neutral verb of saying, no hedges, boosters,
        loaded words, attribution frames or quote marks. Embed it beside the full sentence.
    actors : frozenset of str
        Actor groups named (after alias mapping), e.g. ``{"china", "russia"}``.
    numbers : frozenset of str
        Numbers written with digits, separators removed.
    negations : int
        Negating words ("not", "never", "hasn't").
    denials : int
        Denying reporting verbs ("denied", "rejects").
    stems : frozenset of str
        Content words (no stop words, actors, numbers, verbs of saying), cut to a 5-letter stem
        so that "defence"/"defense" and "supplies"/"supplying" meet.
    words : tuple of str
        The content words themselves (lower case, in order, each once) with the canonical actor
        names: what a word-level soft match embeds.
    masked : tuple of (str, str)
        ``(what, words)`` for every device masked or rewritten: the evidence of the view.
    """

    text: str
    actors: frozenset
    numbers: frozenset
    negations: int
    denials: int
    stems: frozenset
    masked: tuple
    words: tuple = ()

    @property
    def polarity(self) -> int:
        """``1`` for an affirmed claim, ``-1`` when negations and denials leave it reversed."""
        return -1 if (self.negations + self.denials) % 2 else 1


def stem(word: str) -> str:
    """A crude stem that lets inflections and British/American spellings meet.

    Examples
    --------
    >>> stem("supplying") == stem("supplies"), stem("defence") == stem("defense")
    (True, True)
    """
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    for suffix in ("ing", "ed", "es", "s", "ly"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            break
    return w[:5]


def _key(token_text: str) -> str:
    w = token_text.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    elif w.endswith("s'"):
        w = w[:-1]
    return w.replace(".", "")


class _Tables(NamedTuple):
    actors: dict       # token tuple -> (canonical name, group) or None when ambiguous / descriptive
    longest_actor: int
    hedges: frozenset  # token tuples
    longest_hedge: int
    verbs: dict        # form -> stance
    boosters: frozenset
    loaded: frozenset


@lru_cache(maxsize=4)
def _tables(lexicon) -> _Tables:
    canonical: dict[str, str] = {}
    for aliases in lexicon.actors.values():
        for alias in aliases:
            if alias.kind == "name" and alias.group not in canonical:
                canonical[alias.group] = alias.alias.lower()
    actors = {}
    for key, aliases in lexicon.actors.items():
        groups = {a.group for a in aliases}
        # one-word descriptions ("crisis", "conflict") name no one for sure; "the top us diplomat" does
        if len(groups) != 1 or (len(key) == 1 and all(a.kind in _DESCRIPTIVE_KINDS for a in aliases)):
            actors[key] = None
            continue
        group = aliases[0].group
        actors[key] = (canonical.get(group, group.replace("_", " ")), group)
    return _Tables(
        actors=actors,
        longest_actor=max((len(k) for k in actors), default=1),
        hedges=frozenset(lexicon.hedges),
        longest_hedge=max((len(k) for k in lexicon.hedges), default=1),
        verbs={form: verb.stance for form, verb in lexicon.reporting_verbs.items()},
        boosters=frozenset(lexicon.boosters) - NEGATORS,
        loaded=frozenset(lexicon.loaded),
    )


def _match(keys, start: int, table, longest: int):
    """Length of the longest phrase of ``table`` starting at ``keys[start]`` (0 if none)."""
    for length in range(min(longest, len(keys) - start), 0, -1):
        if tuple(keys[start:start + length]) in table:
            return length
    return 0


def _is_negator(key: str) -> bool:
    return key in NEGATORS or key.endswith("n't")


def content_view(text: str, *, lexicon=None) -> ContentView:
    """The content view of one sentence (see the module docstring for the rules).

    Parameters
    ----------
    text : str
        A sentence.
    lexicon : Lexicon, optional
        The word lists; ``None`` uses :func:`~narrativediff.framing.lexicon.default_lexicon`.

    Returns
    -------
    ContentView

    Raises
    ------
    InvalidInputError
        If ``text`` is not a string.

    Examples
    --------
    >>> view = content_view("The US claims that Beijing is 'massively' helping Moscow.")
    >>> view.text
    'china is helping russia'
    >>> sorted(view.actors), view.polarity
    (['china', 'russia'], 1)
    >>> content_view("The top US diplomat slammed China, saying it did not stop.").text
    'blinken said china said it did not stop'
    >>> content_view("China denied supplying weapons.").polarity
    -1
    """
    if not isinstance(text, str):
        raise InvalidInputError(f"text must be a string; got {type(text).__name__}.")
    if lexicon is None:
        from narrativediff.framing.lexicon import default_lexicon

        lexicon = default_lexicon()
    return _view(text, lexicon)


@lru_cache(maxsize=50_000)
def _view(text: str, lexicon) -> ContentView:
    from narrativediff.text.tokens import tokenize

    tables = _tables(lexicon)
    tokens = tokenize(text)
    keys = [_key(t.text) for t in tokens]
    n = len(tokens)
    out: list[tuple[int, str]] = []  # (token position, word to write)
    actors, numbers, stems, masked, content = set(), set(), set(), [], []
    negations = denials = 0
    drop = [False] * n

    # A leading frame "<speaker> claims that ...": the speaker and verb go, the claim stays.
    for k in range(1, min(n - 1, _MAX_FRAME + 1)):
        if keys[k] in tables.verbs and keys[k + 1] == "that" and tables.verbs[keys[k]] != "denying":
            if not any(_is_negator(w) for w in keys[:k]):
                for i in range(k + 2):
                    drop[i] = True
                masked.append(("attribution frame", text[tokens[0].start:tokens[k + 1].end]))
            break
    # "According to X, ..." up to the comma.
    if n > 2 and keys[0] == "according" and keys[1] == "to":
        comma = text.find(",")
        upto = [i for i, t in enumerate(tokens) if t.end <= comma] if comma > 0 else []
        if upto and len(upto) <= _MAX_FRAME + 2:
            for i in upto:
                drop[i] = True
            masked.append(("attribution frame", text[:comma + 1]))
    # A trailing frame ", <speaker> said." (speaker of at most _MAX_FRAME words after the last comma).
    comma = text.rfind(",")
    if comma > 0:
        tail = [i for i, t in enumerate(tokens) if t.start > comma]
        # the speaker comes first and the verb within a few words ("a senior US official told
        # reporters on condition of anonymity"), or the verb ends the sentence ("..., he said")
        framed = tail and (keys[tail[0]] == "according" or any(
            keys[i] in tables.verbs and tables.verbs[keys[i]] != "denying" for i in tail[1:6] + tail[-3:]))
        if 1 < len(tail) <= _MAX_FRAME + 4 and framed:
            for i in tail:
                drop[i] = True
            masked.append(("attribution frame", text[comma:]))

    i = 0
    while i < n:
        if drop[i]:
            i += 1
            continue
        length = _match(keys, i, tables.actors, tables.longest_actor)
        if length:
            entry = tables.actors[tuple(keys[i:i + length])]
            # "us" is the pronoun unless written "US" / "U.S."
            pronoun = length == 1 and keys[i] == "us" and tokens[i].text.lower() == tokens[i].text
            if entry is not None and not pronoun:
                name, group = entry
                actors.add(group)
                out.append((i, name))
                content.append(name)
                if " ".join(keys[i:i + length]) != name:
                    masked.append(("actor alias", text[tokens[i].start:tokens[i + length - 1].end]))
                i += length
                continue
        length = _match(keys, i, tables.hedges, tables.longest_hedge)
        if length:
            masked.append(("hedge", text[tokens[i].start:tokens[i + length - 1].end]))
            i += length
            continue
        key = keys[i]
        if _is_negator(key):
            # "not just", "not only": an addition, not a negation
            if not (key == "not" and i + 1 < n and keys[i + 1] in _NOT_NEGATING):
                negations += 1
            out.append((i, key))
        elif key in tables.verbs and not (i and keys[i - 1] in _DETERMINERS):
            if tables.verbs[key] == "denying":
                denials += 1
                out.append((i, DENIAL_VERB))
            else:
                out.append((i, NEUTRAL_VERB))
                if key != NEUTRAL_VERB:
                    masked.append(("reporting verb", tokens[i].text))
            if i + 1 < n and keys[i + 1] == "that":
                drop[i + 1] = True
        elif key in tables.boosters or key in tables.loaded:
            masked.append(("booster" if key in tables.boosters else "loaded word", tokens[i].text))
        else:
            out.append((i, key))
            if any(c.isdigit() for c in key):
                numbers.add(key.replace(",", ""))
            elif key not in _STOP and len(key) > 1:
                stems.add(stem(key))
                content.append(key)
        i += 1

    if any(c in _QUOTE_CHARS for c in text):
        masked.append(("quote marks", ""))
    # A sentence with no device is its own content view: embedding it again would only measure
    # the tokenizer's dropped punctuation.
    return ContentView(
        text=" ".join(word for _, word in out) if masked else text,
        actors=frozenset(actors),
        numbers=frozenset(numbers),
        negations=negations,
        denials=denials,
        stems=frozenset(stems),
        masked=tuple(masked),
        words=tuple(dict.fromkeys(content)),
    )


def content_views(texts, *, lexicon=None) -> list[ContentView]:
    """:func:`content_view` of every sentence (each distinct sentence is analysed once)."""
    return [content_view(t, lexicon=lexicon) for t in texts]
