"""Framing: how differently two aligned sentences tell the same thing, and why.

``score_pair(text_a, text_b)`` returns a :class:`FramingResult` with a combined score, four
components (word choice, attribution, intensity, actor labels), the word-level diff, the evidence
spans behind every component, and a one-line explanation.
"""

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

# The combiner module imports scikit-learn (about a second), so its names load on first use.
_LAZY = {"FramingCombiner": "narrativediff.framing.combine", "default_combiner": "narrativediff.framing.combine"}


def __getattr__(name):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
