"""Corpora: thousands of articles from many outlets about many stories.

:func:`compare_corpus` reads a corpus, groups its articles into stories
(:mod:`~narrativediff.corpus.stories`), compares each story's outlets with
:func:`narrativediff.compare`, and returns a :class:`Corpus` of tables: articles, stories,
coverage, blindspots and framing profiles. Work runs in this process or on Dask
(:mod:`~narrativediff.corpus.engine`); no module here imports dask, hnswlib or torch at import time.
"""

from __future__ import annotations

from narrativediff.corpus.engine import DaskEngine, InProcessEngine
from narrativediff.corpus.inputs import read_corpus
from narrativediff.corpus.result import Corpus
from narrativediff.corpus.run import compare_corpus
from narrativediff.corpus.stories import detect_stories

__all__ = ["Corpus", "DaskEngine", "InProcessEngine", "compare_corpus", "detect_stories", "read_corpus"]
