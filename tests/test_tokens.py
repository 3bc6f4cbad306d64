"""The one tokenizer: each scheme agrees with the rule its stage used before, and no other module has its own."""

from __future__ import annotations

import ast
import random
import re
from pathlib import Path

import pytest

from narrativediff.exceptions import InvalidParameterError
from narrativediff.text import tokens as tk
from narrativediff.text.tokens import (
    FUNCTION_WORDS, STOP_WORDS, content_words, has_digit, has_word, numbers, tokenize, word_count, word_kind, words,
)

PACKAGE = Path(__file__).resolve().parents[1] / "narrativediff"

# The word rules as each stage wrote them before there was one tokenizer: the references.
OLD = {
    "word": re.compile(r"(?:[A-Za-z]\.){2,}|\w+(?:[-'’]\w+)*", re.UNICODE),  # text/tokens.py (framing diff)
    "alnum": re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE),  # align/features.py, over lower-cased text
    "line": re.compile(r"[^\W\d_][\w’'\-]*", re.UNICODE),  # text/clean.py
    "run": re.compile(r"\w+"),  # text/segment.py, quoted words
}
OLD_NUMBER = re.compile(r"\d")
OLD_STOP = frozenset(
    "a an the and or but if of to in on at by for with from as into about over after before than "
    "that this these those it its is are was were be been being has have had do does did will would "
    "can could should may might must shall he she they them his her their we our you your i me my "
    "not no so such also who whom which what when where while there here said says say told".split()
)
OLD_MENU_WORDS = {"the", "a", "an", "of", "to", "in", "on", "for", "and", "with", "is", "are", "was", "by"}

SENTENCES = [
    "The U.S. says China’s “support” is weapons-related.",
    "“We will not back down,” said union leader Mara Ostrin.",
    "Yucaipa sold the chain to Safeway in 1998 for $2.5 billion.",
    "Ninety percent of the microelectronics, 70 percent of machine tools come from China.",
    "– Russia is carrying out the most ambitious expansion since the Soviet era, he said.",
    "He can't stop—won’t stop: rock-'n'-roll, well--known, G7, 1990s, e.g. U.S.A. and U.K.",
    "İstanbul's mayor met Ōsaka officials; Zürich and São Paulo sent notes.",
    "snake_case and __dunder__ names, x², ½ and ٣٤ (Arabic-Indic digits).",
    "Updated 12:04 GMT, 3 March 2024 | Photo: Reuters",
    "Menu Home World Politics Business Tech Science Health Sport Video Live",
    "'Quoted' words, trailing-, -leading and a lone ' mark or ’ there.",
    "",
    "   \t ",
    "...!!!",
    "A.B.C.D. a.b. Ab.Cd. 3.14 x.y",
]


def _random_texts(n=400, seed=0):
    rng = random.Random(seed)
    alphabet = list("aZ9_'’-. ,\"“”") + ["İ", "é", "²", "٣", "—", "U.", "S."]
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(n)]


TEXTS = SENTENCES + _random_texts()


@pytest.mark.parametrize("scheme", sorted(OLD))
def test_each_scheme_agrees_with_the_rule_its_stage_used(scheme):
    for text in TEXTS:
        assert words(text, scheme=scheme) == OLD[scheme].findall(text), text
        assert [t.text for t in tokenize(text, scheme=scheme)] == OLD[scheme].findall(text), text
        assert word_count(text, scheme=scheme) == len(OLD[scheme].findall(text)), text


@pytest.mark.parametrize("scheme", sorted(OLD))
def test_tokens_keep_their_offsets(scheme):
    for text in TEXTS:
        for token in tokenize(text, scheme=scheme):
            assert text[token.start:token.end] == token.text


def _plain_line_words(text):
    """Obviously correct reference for the "line" scheme, one character at a time.

    A line word starts at the first letter of a run of word characters, hyphens and apostrophes
    and takes the rest of that run.
    """
    def in_run(c):
        return c.isalnum() or c in "_-'’"

    out, i = [], 0
    while i < len(text):
        if not in_run(text[i]):
            i += 1
            continue
        j = i
        while j < len(text) and in_run(text[j]):
            j += 1
        letters = [k for k in range(i, j) if text[k].isalnum() and not text[k].isdecimal()]
        if letters:
            out.append(text[letters[0]:j])
        i = j
    return out


def test_line_scheme_agrees_with_a_plain_reference():
    for text in TEXTS:
        assert words(text, scheme="line") == _plain_line_words(text), text


def test_pair_feature_words_agree_with_the_old_pipeline():
    for text in TEXTS:
        old = OLD["alnum"].findall(text.lower())
        assert words(text, scheme="alnum", lower=True) == old
        assert content_words(text) == [t for t in old if not OLD_NUMBER.search(t) and t not in OLD_STOP]
        assert numbers(text) == [t.replace(",", "").replace(".", "") for t in old if OLD_NUMBER.search(t)]
        assert [word_kind(t) for t in old] == [
            "number" if OLD_NUMBER.search(t) else "stop" if t in OLD_STOP else "content" for t in old]


def test_lower_tokenises_the_lower_cased_text():
    # "İ" lower-cases to "i" and a combining dot, which is no word character.
    assert words("İstanbul", scheme="alnum", lower=True) == ["i", "stanbul"]
    assert [w.lower() for w in words("İstanbul", scheme="alnum")] == ["i̇stanbul"]


def test_small_helpers_agree_with_the_old_searches():
    for text in TEXTS:
        assert has_word(text) == bool(re.search(r"\w", text))
        assert has_digit(text) == bool(re.search(r"\d", text))


def test_stop_words_are_the_team_list_and_its_relation_to_scikit_learn():
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    assert STOP_WORDS == OLD_STOP
    assert FUNCTION_WORDS == OLD_MENU_WORDS and FUNCTION_WORDS <= STOP_WORDS
    # Everything else is scikit-learn's; these are why its list is not used as it is.
    assert STOP_WORDS - ENGLISH_STOP_WORDS == {"did", "does", "shall", "said", "say", "says", "told"}
    assert {"first", "two", "against", "never", "fire", "bill"} <= ENGLISH_STOP_WORDS - STOP_WORDS


def test_unknown_scheme_names_the_allowed_ones():
    with pytest.raises(InvalidParameterError, match="scheme must be one of") as info:
        tokenize("a b", scheme="words")
    assert isinstance(info.value, ValueError)
    assert "'alnum'" in str(info.value) and "'words'" in str(info.value)


def _regex_literals(path: Path):
    """The pattern strings a module passes to ``re`` functions; an f-string's fields never match."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "re" and node.args):
            continue
        arg = node.args[0]
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            yield node.lineno, arg.value
        elif isinstance(arg, ast.JoinedStr):
            yield node.lineno, "".join(v.value if isinstance(v, ast.Constant) else r"(?:\b\B)" for v in arg.values)


_PROBE = "The minister said China's aid to Russia was massive, and 12 officials agreed."


def _is_word_pattern(pattern: str) -> bool:
    """Whether a pattern picks the words out of a sentence, or the gaps between all of them.

    Judged by what it does to a probe sentence, so that a pattern that only uses a word class as
    context ("a line of one word and 'comments'") is not taken for a tokenizer.
    """
    try:
        found = [m.group() for m in re.finditer(pattern, _PROBE) if m.group()]
    except re.error:
        return False
    picks_words = (sum(any(c.isalpha() for c in f) for f in found) >= 3
                   and not any(c.isspace() for f in found for c in f))
    splits_words = len(found) >= 5 and all(not any(c.isalnum() for c in f) for f in found)
    return picks_words or splits_words


# The one tokenizer, and the speaker patterns of the one quote detector (names, roles).
_ALLOWED = {PACKAGE / "text" / "tokens.py", PACKAGE / "text" / "quotes.py"}


def test_the_scan_finds_a_word_regex(tmp_path):
    # The check below must be able to fail: the old tokenizers' patterns are found, wherever written.
    probe = tmp_path / "probe.py"
    probe.write_text(
        "import re\n"
        "_WORD = re.compile(r\"[^\\W_]+(?:['’][^\\W_]+)*\")\n"
        "n = len(re.findall(rf'{X}|\\w+', t))\n"
        "key = re.sub(r'\\W+', ' ', t)\n"
        "lone = not re.search(r'\\w', piece)\n"
        "footer = re.compile(r\"^\\W*[\\w’'-]+\\s+(?:comments?|tags?)\\W*$\")\n"  # a word class as context only
        "end = re.compile(r'[.!?…](?:\\s*[\"“”’)\\]])*\\s*$')\n",
        encoding="utf-8",
    )
    assert sorted(line for line, pattern in _regex_literals(probe) if _is_word_pattern(pattern)) == [2, 3, 4, 5]
    assert all(_is_word_pattern(p.pattern) for p in OLD.values())


def test_no_other_module_compiles_its_own_word_pattern():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path in _ALLOWED:
            continue
        for line, pattern in _regex_literals(path):
            if _is_word_pattern(pattern):
                offenders.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {pattern!r}")
    assert not offenders, "word patterns outside narrativediff/text/tokens.py:\n" + "\n".join(offenders)


def test_the_stages_take_their_words_from_the_one_tokenizer():
    from narrativediff.align import features
    from narrativediff.framing import lexicon, records
    from narrativediff.text import clean, quotes, segment

    assert features.scheme_words is tk.words and features._STOP is STOP_WORDS
    assert clean.scheme_words is tk.words and clean.FUNCTION_WORDS is FUNCTION_WORDS
    assert segment.has_word is tk.has_word and quotes.word_count is tk.word_count
    assert records.tokenize is tk.tokenize
    assert lexicon._phrase("the U.S.") == ("the", "us")
