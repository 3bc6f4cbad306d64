"""narrativediff: see how different news outlets tell the same story.

>>> import narrativediff as nd
>>> comparison = nd.compare(nd.load_articles(nd.example_path()))  # doctest: +SKIP
>>> comparison.alignment  # doctest: +SKIP
"""

from __future__ import annotations

from narrativediff.text.articles import Article, load_articles
from narrativediff.text.fetch import fetch_articles
from narrativediff.comparison import Comparison, compare
from narrativediff.corpus import Corpus, compare_corpus
from narrativediff.embed import EmbeddingCache, Encoder
from narrativediff.examples import example_path
from .exceptions import (
    DataNotFoundError,
    InvalidInputError,
    InvalidParameterError,
    MissingDependencyError,
    ModelNotFoundError,
    NarrativeDiffError,
    NarrativeDiffWarning,
    NotFittedError,
)
from narrativediff.framing import FramingResult, score_pair

__version__ = "0.1.0"

__all__ = [
    "Article",
    "Comparison",
    "Corpus",
    "DataNotFoundError",
    "EmbeddingCache",
    "Encoder",
    "FramingResult",
    "InvalidInputError",
    "InvalidParameterError",
    "MissingDependencyError",
    "ModelNotFoundError",
    "NarrativeDiffError",
    "NarrativeDiffWarning",
    "NotFittedError",
    "compare",
    "compare_corpus",
    "example_path",
    "fetch_articles",
    "load_articles",
    "score_pair",
]
