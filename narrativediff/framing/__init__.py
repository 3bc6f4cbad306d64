"""Framing: how differently two aligned sentences tell the same thing, and why.

``score_pair(text_a, text_b)`` returns a :class:`FramingResult` with a combined score, four
components (word choice, attribution, intensity, actor labels), the word-level diff, the evidence
spans behind every component, and a one-line explanation.
"""

from narrativediff.framing.combine import FramingCombiner, default_combiner
from narrativediff.framing.diff import Opcode, word_opcodes, word_opcodes_reference
from narrativediff.framing.lexicon import Lexicon, default_lexicon, load_lexicon
from narrativediff.framing.records import COMPONENTS, Evidence
from narrativediff.framing.score import FramingResult, score_pair
from narrativediff.text.tokens import Token, tokenize
from narrativediff.framing.wordchoice import loaded_words

__all__ = [
    "score_pair",
    "FramingResult",
    "Evidence",
    "COMPONENTS",
    "FramingCombiner",
    "default_combiner",
    "Lexicon",
    "load_lexicon",
    "default_lexicon",
    "loaded_words",
    "Token",
    "tokenize",
    "Opcode",
    "word_opcodes",
    "word_opcodes_reference",
]
