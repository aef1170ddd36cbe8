"""Tells English questions from Vietnamese ones, using the knowledge's own vocabulary."""

from __future__ import annotations

from collections.abc import Iterable

from bot.core.knowledge import Knowledge
from bot.core.normalize import fold_word, has_diacritics, tokenize

# Common English words that rarely appear in the English phrasings but show a question is in English.
_COMMON_ENGLISH = frozenset(
    {
        "what",
        "which",
        "who",
        "whom",
        "when",
        "where",
        "why",
        "how",
        "is",
        "are",
        "was",
        "were",
        "the",
        "a",
        "an",
        "for",
        "of",
        "to",
        "do",
        "does",
        "did",
        "can",
        "could",
        "should",
        "would",
        "will",
        "i",
        "we",
        "you",
        "my",
        "our",
        "your",
        "please",
        "need",
        "needed",
        "get",
        "much",
        "many",
        "there",
        "this",
        "that",
        "with",
        "about",
        "and",
        "or",
    }
)

# Words that count towards the English ratio but are no evidence on their own: Vietnamese syllables once folded
# (cần, tờ, đó, thế, ăn, à, Mỹ, mầm non) and the Latin-script words Vietnamese chat uses (ad ơi, LĐTT vs CSTĐ, ok).
_WEAK_ENGLISH = frozenset({"a", "an", "can", "do", "i", "my", "non", "the", "to", "ad", "ok", "vs"})


class LanguageDetector:
    """Decides `vi` or `en` for a question; built once per knowledge version."""

    def __init__(self, knowledge: Knowledge, english_words: Iterable[str] | None = None) -> None:
        """`english_words`, when given, are the words a compiled index saved (`english_words()` of a build)."""
        if english_words is not None:
            self._english = frozenset(english_words)
            return
        # The distinct words first (set updates in C), then each one folded once.
        vietnamese_words: set[str] = set()
        english_words_seen: set[str] = set()
        for entry in knowledge.entries.values():
            for text in (*entry.phrasings_vi, entry.answer_vi):
                vietnamese_words.update(tokenize(text))
            for text in (*entry.phrasings_en, entry.answer_en or ""):
                english_words_seen.update(tokenize(text))
        vietnamese = set(map(fold_word, vietnamese_words))
        english = set(map(fold_word, english_words_seen))
        # A word counts as English only when Vietnamese text does not use it (bộ → "bo", "to" …).
        self._english = (english | _COMMON_ENGLISH) - (vietnamese - _COMMON_ENGLISH)

    def english_words(self) -> list[str]:
        """The words counted as English, sorted (what a compiled index saves)."""
        return sorted(self._english)

    def detect(self, text: str) -> str:
        """`en` when a third of the words (at least two) are English, as in "what documents for Bằng khen".

        A run of Vietnamese words counts as one word, since it is usually a name the English question borrows
        ("Who decides on Huân chương Lao động?"), provided two English words are unambiguous (not also Vietnamese).
        """
        tokens = [w for w in tokenize(text) if not w.isdigit()]
        words = [fold_word(w) for w in tokens]
        english = [w in self._english for w in words]
        hits = sum(english)
        if len(words) == 1:
            return "en" if hits == 1 and not has_diacritics(text) else "vi"
        if hits >= 2 and hits / len(words) >= 0.34:
            return "en"
        strong = sum(
            1
            for token, word, is_english in zip(tokens, words, english, strict=True)
            if is_english and word not in _WEAK_ENGLISH and not has_diacritics(token)
        )
        units = sum(1 for i, is_english in enumerate(english) if is_english or i == 0 or english[i - 1])
        return "en" if strong >= 2 and hits / units >= 0.5 else "vi"
