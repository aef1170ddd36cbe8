"""Vietnamese text normalisation, applied to knowledge and queries alike."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from sys import intern

from bot.core.phrases import Phrases, spans

# Keyboards and pasted documents bring look-alikes and invisible characters.
_CHAR_FIXES = str.maketrans(
    {
        "\u00d0": "Đ",  # Icelandic eth typed for Đ
        "\u00f0": "đ",
        "\u0189": "Đ",  # African D
        "\u200b": None,  # zero-width space
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\ufeff": None,
        "\u00ad": None,  # soft hyphen
    }
)
_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
# A tone mark on the first vowel of a word-final oa / oe / uy moves to the second one (hòa → hoà, thủy → thuỷ),
# so both placements in everyday use meet. Applied on NFD text, where the mark follows its base letter.
_TONE_ON_FIRST = re.compile(rf"([oOuU])([{_TONE_MARKS}])([aAeEyY])(?![\w\u0300-\u036f])")
_WORD_RUN = re.compile(r"[^\W_]+")
_COMBINING = re.compile("[\u0300-\u036f]")  # the marks Vietnamese uses, once decomposed
_DIACRITIC = re.compile("[\u0300-\u036f\u0111\u0110]")  # those marks, đ and Đ
_SPACES = re.compile(r"\s+")


# What, in NFC text, may need more than NFC: a look-alike or invisible character, a combining mark NFC left
# alone, or a plain o / u carrying a tone mark before a / e / y (the only way _TONE_ON_FIRST can match the NFD).
_NEEDS_FIXING = re.compile(
    "[\u00d0\u00f0\u0189\u200b\u200c\u200d\u2060\ufeff\u00ad\u0300-\u036f]"
    "|[òóõỏọùúũủụÒÓÕỎỌÙÚŨỦỤ][aAeEyY]"
)


def canonical_text(text: str) -> str:
    """Return NFC text with look-alikes fixed, invisible characters dropped and one tone placement."""
    if text.isascii():  # nothing to compose, fix or move
        return text
    composed = unicodedata.normalize("NFC", text)
    if _NEEDS_FIXING.search(composed) is None:  # the steps below would give it back unchanged
        return composed
    text = composed.translate(_CHAR_FIXES)
    decomposed = unicodedata.normalize("NFD", text)
    decomposed = _TONE_ON_FIRST.sub(r"\1\3\2", decomposed)
    return unicodedata.normalize("NFC", decomposed)


def fold(text: str) -> str:
    """Remove diacritics (đ → d) from already lowercased or any text."""
    return _COMBINING.sub("", unicodedata.normalize("NFD", text)).replace("đ", "d").replace("Đ", "D")


# Folding one word is pure and words repeat endlessly (a 1,000-character story folds ~250): remember them.
fold_word = lru_cache(maxsize=1 << 16)(fold)


def tokenize(text: str) -> list[str]:
    """Lowercase canonical words: punctuation (and `_`) becomes a word boundary."""
    return list((_remembered_tokens if len(text) <= REMEMBERED_LENGTH else _remembered_long_tokens)(text))


# Building an index reads each phrasing and answer in several stages (retrieval, domains, language, understanding,
# answer evidence): the words of the last texts are remembered, as immutable tuples of interned words. Many short
# texts (phrasings) and a few long ones (answers, an entry's joined phrasings): all the long ones of 10,000 entries
# would keep ~100 MiB.
REMEMBERED_TEXTS = 1 << 14
REMEMBERED_LONG_TEXTS = 1 << 10
REMEMBERED_LENGTH = 300


def _tokens(text: str) -> tuple[str, ...]:
    # Runs of word characters other than `_`: what cutting at every non-word character and `_` and splitting
    # leaves (checked against that on every code point), in one pass.
    return tuple(_WORD_RUN.findall(canonical_text(text).lower()))


def _interned_tokens(text: str) -> tuple[str, ...]:
    return tuple(map(intern, _tokens(text)))  # remembered words share one string each


_remembered_tokens = lru_cache(maxsize=REMEMBERED_TEXTS)(_interned_tokens)
_remembered_long_tokens = lru_cache(maxsize=REMEMBERED_LONG_TEXTS)(_interned_tokens)



def has_diacritics(text: str) -> bool:
    """Tell whether the text carries Vietnamese diacritics (or đ)."""
    # Reports classify every distinct wording, so this stays in C-level loops (regex over the decomposed text).
    return (
        not text.isascii() and _DIACRITIC.search(unicodedata.normalize("NFD", text.translate(_CHAR_FIXES))) is not None
    )


@dataclass(frozen=True, slots=True)
class Normalized:
    """A text's accented and folded word sequences, aligned one to one."""

    accented: tuple[str, ...]
    folded: tuple[str, ...]
    typed_diacritics: bool

    @property
    def text(self) -> str:
        return " ".join(self.accented)

    @property
    def folded_text(self) -> str:
        return " ".join(self.folded)


class Normalizer:
    """Normalises text and expands abbreviations; built once from synonyms.yaml."""

    def __init__(self, replacements: Mapping[str, str] | None = None) -> None:
        rules: dict[tuple[str, ...], tuple[tuple[str, ...], tuple[str, ...]]] = {}
        for key, value in (replacements or {}).items():
            key_tokens = tuple(fold(tok) for tok in tokenize(key))
            value_tokens = tuple(tokenize(value))
            if key_tokens and value_tokens:
                rules[key_tokens] = (value_tokens, tuple(fold(tok) for tok in value_tokens))
        # English plurals of the English terms ("titles", "nominees"): no Vietnamese syllable ends in "s".
        for key_tokens, rule in list(rules.items()):
            last = key_tokens[-1]
            if last.isascii() and last.isalpha() and len(last) > 2 and not last.endswith("s"):
                rules.setdefault((*key_tokens[:-1], last + "s"), rule)
        self._rules = Phrases(rules)
        # Normalized is immutable and a pure function of the text: the stages building an index share the results.
        self._remembered = lru_cache(maxsize=REMEMBERED_TEXTS)(self._normalize)
        self._remembered_long = lru_cache(maxsize=REMEMBERED_LONG_TEXTS)(self._normalize)

    def __call__(self, text: str) -> Normalized:
        """Normalise `text` and apply the synonym rules, longest key first."""
        return (self._remembered if len(text) <= REMEMBERED_LENGTH else self._remembered_long)(text)

    def joined(self, texts: Sequence[str]) -> Normalized:
        """`self(" ".join(texts))`, from the words of each text (which tokenize remembers): a build reads an
        entry's answer alone and then joined with its question and keywords, and tokenises it only once."""
        return self._from_words([word for text in texts for word in tokenize(text)])

    def _normalize(self, text: str) -> Normalized:
        return self._from_words(tokenize(text))

    def _from_words(self, accented: list[str]) -> Normalized:
        folded = list(map(fold_word, accented))
        out_acc: list[str] = []
        out_fold: list[str] = []
        i = 0
        for start, end, (value_acc, value_fold) in spans(folded, self._rules):
            out_acc.extend(accented[i:start])
            out_fold.extend(folded[i:start])
            out_acc.extend(value_acc)
            out_fold.extend(value_fold)
            i = end
        out_acc.extend(accented[i:])
        out_fold.extend(folded[i:])
        typed = accented != folded  # some word carries a diacritic (both are lists of the same length)
        return Normalized(tuple(out_acc), tuple(out_fold), typed)

    def phrase_keys(self, phrases: Iterable[str]) -> set[tuple[str, ...]]:
        """Folded word tuples of phrases after the same expansion as queries get."""
        return {self(p).folded for p in phrases if self(p).folded}


# Telex is how most Vietnamese type accents; with the input method off, "hồ sơ" arrives as "hoof sow".
_TELEX_VOWELS = (
    ("uow", "uo"), ("dd", "d"), ("aa", "a"), ("aw", "a"), ("ee", "e"), ("oo", "o"), ("ow", "o"), ("uw", "u")
)
_TELEX_TONE = re.compile(r"^([a-z]*[aeiouyw][a-z]*?)([sfrxj])$")


def telex_fold(word: str) -> str | None:
    """The folded syllable a word typed in Telex without the input method stands for, or None.

    "hoof" → "ho", "sow" → "so", "thuwowngr" → "thuong". Only a rewrite is returned: a word with no Telex
    letter pattern gives None, and the caller decides whether the result is a word it knows.
    """
    if not word.isascii() or not word.isalpha():
        return None
    text = word
    tone = _TELEX_TONE.match(text)
    if tone:
        text = tone.group(1)
    for typed, vowel in _TELEX_VOWELS:
        text = text.replace(typed, vowel)
    text = text.replace("w", "u")
    return text if text != word else None


def accent_agreement(typed: Sequence[str], folded: Sequence[str], spelling: Sequence[str]) -> tuple[int, int]:
    """How many words typed with diacritics agree with a spelling of a phrase, and how many clash with it.

    `typed` are the words as typed, `folded` the (possibly typo-corrected) folded words matched, `spelling` the
    phrase's own spelling. A word typed without marks, or corrected from a typo, neither agrees nor clashes.
    """
    agree = clash = 0
    for word, folded_word, spelt in zip(typed, folded, spelling, strict=True):
        if word == folded_word or fold(word) != folded_word:
            continue
        if word == spelt:
            agree += 1
        else:
            clash += 1
    return agree, clash
