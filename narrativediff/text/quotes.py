"""The one quote and speaker detector: which characters are quoted, whether a sentence quotes, and whom.

Two readings of quotation marks, for the two kinds of text the stages see:

- a **paragraph** (:func:`quoted_mask`), read mark by mark: “ « „ open, ” » close, a straight ``"``
  toggles. Segmentation uses it, so that a quote opened in one sentence and closed three sentences
  later marks all four;
- a **lone sentence** cut out of its paragraph (:func:`quote_spans`), as the framing signals see it:
  paired marks around three or more characters are a quote, and a single unbalanced mark is what is
  left of a quote that runs over several sentences (see :func:`quote_spans` for the rule).

Speakers are found by attribution patterns ("..., said Secretary Blinken", "Blinken said that",
"– ..., he said.") searched outside the quoted words; the speech verbs they accept are the
``speech`` column of the framing lexicon's ``reporting_verbs.tsv``
(:attr:`narrativediff.framing.lexicon.Lexicon.speech_verbs`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import NamedTuple

from narrativediff.text.tokens import Token, tokenize, word_count

__all__ = [
    "OPENING", "CLOSING", "STRAIGHT", "Quote", "quoted_mask", "quote_spans", "quoted_tokens",
    "is_dash_quote", "sentence_quote", "find_speaker", "resolve_speakers", "speech_verbs",
]

#: Marks that open a quote, close one, and the straight mark that does either.
OPENING = "“«„"
CLOSING = "”»"
STRAIGHT = '"'

# A lone sentence does not count „ as a mark: in German text „ opens and “ closes, which a rule that
# sees a single mark cannot tell from English “ ... ”.
_SENTENCE_OPENING = STRAIGHT + "“«"
_SENTENCE_CLOSING = STRAIGHT + "”»"
_MARK = re.compile(f"[{_SENTENCE_OPENING}{_SENTENCE_CLOSING}]")
_QUOTED = re.compile(f"[{_SENTENCE_OPENING}]([^{_SENTENCE_CLOSING}]{{3,}})[{_SENTENCE_CLOSING}]")

_DASH_QUOTE = re.compile(r"^[–—-]\s+")
_DASH_TAIL = re.compile(r",\s*[^,]*$")
_DASH_ATTRIBUTION_WORDS = 3  # "he said", "says Liu": words of a dash-led sentence that are not the quote
_MIN_QUOTED_WORDS = 3
_PRONOUNS = frozenset({"he", "she", "they", "we"})

_NAME = r"(?:[A-Z][\w’'.\-]*|U\.S\.)"
_ROLE = (
    r"(?:spokes(?:man|woman|person)|officials?|ministers?|diplomats?|sources?|ambassador|embassy|"
    r"ministry|department|secretary|president|leaders?|analysts?|experts?|statement|agency|police)"
)
_SPEAKER = (
    rf"\b(?P<speaker>(?:(?:[Tt]he|[Aa]n?)\s+)?{_NAME}(?:\s+(?:{_NAME}|of|for|the))*"
    rf"|(?:[Tt]he|[Aa]n?)\s+(?:[\w’'\-]+\s+){{0,5}}?{_ROLE}"
    r"|[Hh]e|[Ss]he|[Tt]hey|[Ww]e)"
)
# After a speech verb a speaker may come with a lower-case role first ("said union leader Mara Ostrin").
_SPEAKER_AFTER_VERB = r"(?:[a-z][\w’'\-]*\s+){0,3}" + _SPEAKER
_TRAILING_STOP = re.compile(r"(?<=[a-z]{2})\.$")


class Quote(NamedTuple):
    """Whether one sentence of a paragraph quotes someone, as :func:`sentence_quote` finds it.

    Attributes
    ----------
    is_quote : bool
        At least three quoted words, or at least half the letters quoted.
    share : float
        Share of the sentence's letters and digits inside the quote, rounded to 3 decimals.
    speaker : str or None
        The speaker the sentence names itself (a pronoun is left as written; see :func:`resolve_speakers`).
    """

    is_quote: bool
    share: float
    speaker: str | None


def speech_verbs() -> frozenset[str]:
    """The verb forms that introduce a speaker: the default lexicon's ``speech`` column.

    Examples
    --------
    >>> {"said", "says", "told", "continued"} <= speech_verbs()
    True
    >>> "slammed" in speech_verbs()  # a loaded reporting verb, but no attribution pattern uses it
    False
    """
    from narrativediff.framing.lexicon import default_lexicon

    return default_lexicon().speech_verbs


@functools.lru_cache(maxsize=1)
def _attributions() -> tuple[re.Pattern, ...]:
    # Longest first, so that no form is cut short by another that begins it ("say", "says").
    forms = sorted(speech_verbs(), key=lambda form: (-len(form), form))
    speech = "(?:" + "|".join(re.escape(form) for form in forms) + ")"
    # Ordered from the most to the least specific: the first that matches names the speaker.
    return (
        re.compile(rf"[”\"]\s*,?\s*{_SPEAKER}\s+{speech}\b"),  # "...,” a spokesman told reporters.
        re.compile(rf"[”\"]\s*,?\s*{speech}\s+{_SPEAKER_AFTER_VERB}"),  # "...,” said Secretary Blinken.
        re.compile(rf",\s*{_SPEAKER}\s+{speech}\b[^,]*$"),  # – ... , he said.
        re.compile(rf",\s*{speech}\s+{_SPEAKER_AFTER_VERB}[^,]*$"),  # – ... , says Liu.
        re.compile(rf"{_SPEAKER}\s+{speech}\b"),  # Blinken said that ...; The diplomat added: “...
    )


def quoted_mask(paragraph: str) -> list[bool]:
    """Mark every character of a paragraph inside a direct quote; the marks themselves are not.

    Each paragraph starts outside a quote: a quote that runs on into the next paragraph reopens
    there with its own opening mark, by the convention of English news text.

    Examples
    --------
    >>> text = '“We stay. Nobody asked,” he said.'
    >>> "".join(c if inside else "_" for c, inside in zip(text, quoted_mask(text)))
    '_We stay. Nobody asked,__________'
    """
    inside = False
    mask = []
    for char in paragraph:
        if char in OPENING:
            inside = True
            mask.append(False)
        elif char in CLOSING:
            inside = False
            mask.append(False)
        elif char == STRAIGHT:
            inside = not inside
            mask.append(False)
        else:
            mask.append(inside)
    return mask


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of quoted text in a lone sentence, marks included.

    A quote that runs over several sentences leaves a single mark in this one: an opening
    mark in the first half quotes to the end, any other mark quotes from the start.

    Examples
    --------
    >>> quote_spans('He called it “massive support” for Moscow.')
    [(13, 30)]
    >>> quote_spans('“We will not back down.')  # the first sentence of a longer quote
    [(0, 23)]
    >>> quote_spans('Nobody asked us,” he said.')  # its last
    [(0, 17)]
    """
    spans = [(m.start(), m.end()) for m in _QUOTED.finditer(text)]
    if not spans:
        mark = _MARK.search(text)
        if mark is not None:
            opening = mark.group() in _SENTENCE_OPENING and mark.start() < len(text) / 2
            spans = [(mark.start(), len(text))] if opening else [(0, mark.end())]
    return spans


def quoted_tokens(text: str, tokens: Sequence[Token] | None = None) -> list[bool]:
    """For each token of a lone sentence, whether it starts inside a span of :func:`quote_spans`.

    Examples
    --------
    >>> quoted_tokens('He called it “massive support”.')
    [False, False, False, True, True]
    """
    spans = quote_spans(text)
    tokens = tokenize(text) if tokens is None else tokens
    return [any(lo <= t.start < hi for lo, hi in spans) for t in tokens]


def is_dash_quote(paragraph: str) -> bool:
    """Whether a paragraph opens with a dash, the Scandinavian and French mark of a quote."""
    return _DASH_QUOTE.match(paragraph) is not None


def find_speaker(unquoted: str) -> str | None:
    """Name who speaks in a sentence whose quoted words are masked out.

    Examples
    --------
    >>> find_speaker("·····, said Secretary Blinken.")
    'Secretary Blinken'
    >>> find_speaker("The port reopened on Monday.") is None
    True
    """
    for pattern in _attributions():
        match = pattern.search(unquoted)
        if match:
            return _TRAILING_STOP.sub("", match.group("speaker").strip())
    return None


def sentence_quote(paragraph: str, mask: Sequence[bool], start: int, end: int, *,
                   dash_led: bool = False) -> Quote:
    """Whether the sentence ``paragraph[start:end]`` quotes, how much of it, and whom it names.

    Parameters
    ----------
    paragraph : str
    mask : sequence of bool
        :func:`quoted_mask` of ``paragraph``.
    start, end : int
        The sentence's offsets in ``paragraph``.
    dash_led : bool, default False
        The paragraph opens with a dash (:func:`is_dash_quote`): everything but the attribution
        after the last comma is the quote.

    Returns
    -------
    Quote

    Examples
    --------
    >>> text = '“We will not back down,” said union leader Mara Ostrin.'
    >>> sentence_quote(text, quoted_mask(text), 0, len(text))
    Quote(is_quote=True, share=0.405, speaker='Mara Ostrin')
    """
    text = paragraph[start:end]
    letters = [i for i in range(start, end) if paragraph[i].isalnum()]
    quoted = [i for i in letters if mask[i]]
    share = len(quoted) / len(letters) if letters else 0.0
    quoted_words = word_count("".join(paragraph[i] if mask[i] else " " for i in range(start, end)), scheme="run")
    # Attribution is searched outside the quoted words: "a war that China says" inside a
    # quote does not make China the speaker.
    speaker = find_speaker("".join("·" if mask[i] else paragraph[i] for i in range(start, end)))
    if dash_led:
        tail = _DASH_TAIL.search(text)
        share = max(share, 1.0 - (len(tail.group(0)) / len(text) if tail and speaker else 0.0))
        quoted_words = max(quoted_words, word_count(text, scheme="run") - _DASH_ATTRIBUTION_WORDS)
    is_quote = quoted_words >= _MIN_QUOTED_WORDS or share >= 0.5
    return Quote(is_quote, round(share, 3), speaker)


def _is_pronoun(speaker: str) -> bool:
    return speaker.lower() in _PRONOUNS


def resolve_speakers(quotes: Sequence[Quote], last_speaker: str | None = None) -> tuple[list[str | None], str | None]:
    """The speaker of each sentence of a paragraph, in order, and the last named speaker after it.

    A pronoun speaker ("he said") is the last named speaker before it. A quote sentence without
    its own attribution takes the one that closes the same quote later in the paragraph, else the
    last named speaker of the article. Sentences that do not quote get ``None``.

    Parameters
    ----------
    quotes : sequence of Quote
        :func:`sentence_quote` of each sentence of one paragraph.
    last_speaker : str, optional
        The last named speaker of the article before this paragraph.

    Returns
    -------
    speakers : list of str or None
    last_speaker : str or None

    Examples
    --------
    >>> resolve_speakers([Quote(True, 1.0, None), Quote(True, 0.6, "Liu")])
    (['Liu', 'Liu'], 'Liu')
    >>> resolve_speakers([Quote(True, 0.9, "he"), Quote(False, 0.0, None)], "Mao Ning")
    (['Mao Ning', None], 'Mao Ning')
    """
    speakers: list[str | None] = []
    for index, (is_quote, _, speaker) in enumerate(quotes):
        if speaker is not None and _is_pronoun(speaker) and last_speaker is not None:
            speaker = last_speaker
        if is_quote and speaker is None:
            for later in quotes[index + 1:]:
                if not later.is_quote:
                    break
                if later.speaker is not None:
                    speaker = later.speaker if not _is_pronoun(later.speaker) else last_speaker
                    break
            else:
                speaker = last_speaker
            if speaker is None:
                speaker = last_speaker
        if speaker is not None and not _is_pronoun(speaker):
            last_speaker = speaker
        speakers.append(speaker if is_quote else None)
    return speakers, last_speaker
