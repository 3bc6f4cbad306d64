"""The word lists behind the framing signals, loaded from TSV files.

The default lists live in ``narrativediff/framing/lexicons/`` (written by the team; each file
states its source and licence in its header). A user can load their own directory with the same
file names, or replace single lists with :func:`dataclasses.replace`.
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from pathlib import Path
from typing import Mapping, NamedTuple

from narrativediff.exceptions import DataNotFoundError, InvalidInputError

__all__ = ["Lexicon", "ReportingVerb", "ActorAlias", "load_lexicon", "default_lexicon", "inflections"]

DEFAULT_DIR = Path(__file__).parent / "lexicons"
FILES = {
    "reporting_verbs": "reporting_verbs.tsv",
    "hedges": "hedges.tsv",
    "boosters": "boosters.tsv",
    "loaded": "loaded_words.tsv",
    "actors": "actors.tsv",
}


# The stance of a reporting-verb row that only introduces speakers ("continued") and has no framing weight.
_SPEECH_ONLY = "-"


class ReportingVerb(NamedTuple):
    """A reporting verb's stance class and how loaded it is (0..1)."""

    lemma: str
    stance: str
    weight: float


class ActorAlias(NamedTuple):
    """One name of an actor: its group, the kind of name and how marked it is (0..1)."""

    group: str
    alias: str
    kind: str
    weight: float


def inflections(word: str) -> set[str]:
    """Regular inflected forms of an English base form, the base form included.

    Over-generation is harmless here (nobody writes "slamed"), under-generation loses matches.

    Examples
    --------
    >>> sorted(inflections("urge"))
    ['urge', 'urged', 'urges', 'urging']
    >>> {"slammed", "slams", "slamming"} <= inflections("slam")
    True
    >>> {"denied", "denies"} <= inflections("deny")
    True
    """
    w = word.lower()
    forms = {w}
    if " " in w or not w.isalpha() and "-" not in w:
        return forms
    if w.endswith("e"):
        forms |= {w + "s", w + "d", w[:-1] + "ing"}
    elif w.endswith("y") and len(w) > 2 and w[-2] not in "aeiou":
        forms |= {w[:-1] + "ies", w[:-1] + "ied", w + "ing"}
    else:
        plural = w + "es" if w.endswith(("s", "sh", "ch", "x", "z")) else w + "s"
        forms |= {plural, w + "ed", w + "ing"}
        if len(w) >= 3 and w[-1] not in "aeiouwxy" and w[-2] in "aeiou" and w[-3] not in "aeiou":
            forms |= {w + w[-1] + "ed", w + w[-1] + "ing"}
    if w.endswith("ic"):
        forms.add(w + "ally")
    return forms


def _read_tsv(path: Path) -> list[list[str]]:
    if not path.is_file():
        raise DataNotFoundError(f"Lexicon file {path} does not exist.")
    rows: list[list[str]] = []
    header_seen = False
    for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = [f.strip() for f in line.split("\t")]
        if not header_seen:
            header_seen = True
            continue
        if len(fields) < 2:
            raise InvalidInputError(f"{path.name} line {line_no}: expected tab-separated fields, got {line!r}.")
        rows.append(fields)
    return rows


@dataclasses.dataclass(frozen=True, eq=False)
class Lexicon:
    """Word lists used by the framing signals; every key is lower case.

    Attributes
    ----------
    reporting_verbs : mapping of str to ReportingVerb
        Every inflected form of each reporting verb.
    hedges : mapping of tuple of str to (kind, weight)
        Hedge and attribution phrases as token tuples.
    boosters : mapping of str to float
        Intensifiers and their weight.
    loaded : mapping of str to float
        Loaded words (inflected forms included) and their weight.
    actors : mapping of tuple of str to list of ActorAlias
        Actor aliases as token tuples; one alias may name several groups ("the president").
    source : str
        Where the lists were read from.
    speech_verbs : frozenset of str
        The verb forms that introduce a speaker in quote attribution ("said", "says", "told"),
        from the ``speech`` column of ``reporting_verbs.tsv``; :mod:`narrativediff.text.quotes`
        reads the default lexicon's.
    """

    reporting_verbs: Mapping[str, ReportingVerb]
    hedges: Mapping[tuple[str, ...], tuple[str, float]]
    boosters: Mapping[str, float]
    loaded: Mapping[str, float]
    actors: Mapping[tuple[str, ...], tuple[ActorAlias, ...]]
    source: str = "narrativediff default lexicon"
    speech_verbs: frozenset = frozenset()
    _memo: dict = dataclasses.field(default_factory=dict, repr=False, compare=False)

    _MEMO_SIZE = 100_000

    def memo(self, kind: str, text: str, compute):
        """``compute()`` for one sentence, remembered per (kind, text) with this lexicon.

        A sentence is scored against many others (every outlet's counterparts); what the lexicon
        finds in it is worked out once.
        """
        key = (kind, text)
        found = self._memo.get(key)
        if found is None:
            if len(self._memo) >= self._MEMO_SIZE:
                self._memo.clear()
            found = self._memo[key] = compute()
        return found

    def loadedness(self, word: str, *, boosters: bool = True) -> tuple[float, str]:
        """How loaded one (lower-case) word is, 0..1, and why.

        Looks the word up in the loaded-word list, the reporting verbs and (unless
        ``boosters=False``) the intensifiers, and returns the highest weight with its reason.
        """
        best, why = 0.0, ""
        if word in self.loaded:
            best, why = self.loaded[word], "loaded word"
        verb = self.reporting_verbs.get(word)
        if verb is not None and verb.weight > best:
            best, why = verb.weight, f"{verb.stance} reporting verb"
        boost = self.boosters.get(word, 0.0) if boosters else 0.0
        if boost > best:
            best, why = boost, "intensifier"
        return best, why


def _phrase(text: str) -> tuple[str, ...]:
    from narrativediff.text.tokens import tokenize

    return tuple(_match_key(t.text) for t in tokenize(text))


def _match_key(word: str) -> str:
    """Lower case, straight apostrophes, no possessive 's, "u.s." as "us"."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    elif w.endswith("s'"):
        w = w[:-1]
    return w.replace(".", "")


def load_lexicon(directory: str | Path | None = None) -> Lexicon:
    """Read a lexicon directory with the five TSV files of the default one.

    Parameters
    ----------
    directory : str or Path, optional
        A directory holding ``reporting_verbs.tsv``, ``hedges.tsv``, ``boosters.tsv``,
        ``loaded_words.tsv`` and ``actors.tsv`` in the default files' format. ``None`` reads
        the lists shipped with narrativediff.

    Returns
    -------
    Lexicon

    Raises
    ------
    DataNotFoundError
        If a file is missing.

    Examples
    --------
    >>> lex = load_lexicon()
    >>> lex.reporting_verbs["threatens"].stance
    'threatening'
    >>> lex.loadedness("slammed")[0] > lex.loadedness("said")[0]
    True
    """
    folder = Path(directory) if directory is not None else DEFAULT_DIR
    verbs: dict[str, ReportingVerb] = {}
    speech: set[str] = set()
    for word, stance, weight, *rest in _read_tsv(folder / FILES["reporting_verbs"]):
        speech.update(rest[0].lower().split() if rest else ())
        if stance == _SPEECH_ONLY:
            continue
        for form in inflections(word):
            verbs.setdefault(form, ReportingVerb(word, stance, float(weight)))
    hedges = {_phrase(p): (kind, float(w)) for p, kind, w, *_ in _read_tsv(folder / FILES["hedges"])}
    boosters: dict[str, float] = {}
    for word, weight, *_ in _read_tsv(folder / FILES["boosters"]):
        boosters.setdefault(word.lower(), float(weight))
    loaded: dict[str, float] = {}
    for word, weight, *_ in _read_tsv(folder / FILES["loaded"]):
        for form in inflections(word):
            loaded[form] = max(loaded.get(form, 0.0), float(weight))
    actors: dict[tuple[str, ...], list[ActorAlias]] = {}
    for group, alias, kind, weight, *_ in _read_tsv(folder / FILES["actors"]):
        actors.setdefault(_phrase(alias), []).append(ActorAlias(group, alias, kind, float(weight)))
    return Lexicon(
        reporting_verbs=verbs,
        hedges=hedges,
        boosters=boosters,
        loaded=loaded,
        actors={k: tuple(v) for k, v in actors.items()},
        source=str(folder),
        speech_verbs=frozenset(speech),
    )


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The lexicon shipped with narrativediff, read once per process."""
    return load_lexicon()
