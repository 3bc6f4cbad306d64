"""The text stage: articles in, cleaned lines and sentences out; knows nothing of the model.

``articles`` reads and checks the input, ``clean`` judges every line (kept, title or removed with its
reason), ``segment`` splits kept lines into sentences and marks quotes and speakers; ``tokens`` is
the one word tokenizer and ``quotes`` the one quote and speaker detector every stage uses.
"""

from narrativediff.text.articles import Article, load_articles, normalise_articles, read_article
from narrativediff.text.clean import REASONS, Line, clean_lines
from narrativediff.text.segment import Sentence, Splitter, segment_lines
from narrativediff.text.tokens import Token, tokenize

__all__ = [
    "Article", "load_articles", "normalise_articles", "read_article",
    "REASONS", "Line", "clean_lines",
    "Sentence", "Splitter", "segment_lines",
    "Token", "tokenize",
]
