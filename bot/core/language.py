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


class LanguageDetector:
    """Decides `vi` or `en` for a question; built once per knowledge version."""

    def __init__(self, knowledge: Knowledge, english_words: Iterable[str] | None = None) -> None:
        """`english_words`, when given, are the words a compiled index saved (`english_words()` of a build)."""
        if english_words is not None:
            self._english = frozenset(english_words)
            return
        vietnamese: set[str] = set()
        english: set[str] = set()
        for entry in knowledge.entries.values():
            for text in (*entry.phrasings_vi, entry.answer_vi):
                vietnamese.update(fold_word(t) for t in tokenize(text))
            for text in (*entry.phrasings_en, entry.answer_en or ""):
                english.update(fold_word(t) for t in tokenize(text))
        # A word counts as English only when Vietnamese text does not use it (bộ → "bo", "to" …).
        self._english = (english | _COMMON_ENGLISH) - (vietnamese - _COMMON_ENGLISH)

    def english_words(self) -> list[str]:
        """The words counted as English, sorted (what a compiled index saves)."""
        return sorted(self._english)

    def detect(self, text: str) -> str:
        """`en` when a third of the words (at least two) are English, as in "what documents for Bằng khen"."""
        words = [fold_word(w) for w in tokenize(text) if not w.isdigit()]
        hits = sum(1 for w in words if w in self._english)
        if len(words) == 1:
            return "en" if hits == 1 and not has_diacritics(text) else "vi"
        return "en" if hits >= 2 and hits / len(words) >= 0.34 else "vi"
