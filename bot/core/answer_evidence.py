"""Answer evidence: among entries close to the best, the one whose answer uses the question's words wins.

Phrasings are short questions in the FAQ's style; a real question also uses the words of the rule itself ("trích
quỹ", "nội dung chi", "công khai"), and those are in the entry's answer. Each entry's answer, question and keywords
form a bag of words scored with BM25; near the best, an entry loses up to ANSWER_WEIGHT points by how much less its
answer explains the question than the best answer does. Like the tie-breaking stage it never raises a score.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence

from bot.core.knowledge import Entry

ANSWER_WEIGHT = 6.0
ANSWER_WINDOW = 15.0  # only entries within this many points of the best are reordered
# BM25's usual constants: term-frequency saturation and length normalisation.
BM25_K1 = 1.2
BM25_B = 0.75


class AnswerEvidence:
    """BM25 over each entry's answer, question and keywords (folded content words)."""

    def __init__(self, texts: Sequence[Sequence[str]]) -> None:
        """`texts`: each entry's words (what `entry_words` gives; a compiled index saves them)."""
        self.texts = texts
        self._bags = [Counter(words) for words in texts]
        self._lengths = [sum(bag.values()) for bag in self._bags]
        self._average = (sum(self._lengths) / len(self._lengths)) if self._lengths else 1.0
        counts = Counter(word for bag in self._bags for word in bag)
        total = len(self._bags)
        self._idf = {w: math.log(1 + (total - n + 0.5) / (n + 0.5)) for w, n in counts.items()}

    @classmethod
    def from_entries(cls, entries: Sequence[Entry], words: Callable[[str], list[str]]) -> AnswerEvidence:
        return cls([words(" ".join([e.answer_vi, e.question_vi, *e.keywords])) for e in entries])

    def score(self, index: int, words: set[str]) -> float:
        bag, length = self._bags[index], self._lengths[index]
        norm = BM25_K1 * (1 - BM25_B + BM25_B * length / self._average)
        total = 0.0
        for word in words:
            tf = bag.get(word, 0)
            if tf:
                total += self._idf[word] * tf * (BM25_K1 + 1) / (tf + norm)
        return total

    def rerank(self, adjusted: dict[int, float], words: Sequence[str]) -> None:
        """Lower, in place, the near-best entries whose answers explain the question less than the best one's."""
        if not adjusted or not words:
            return
        window = max(adjusted.values()) - ANSWER_WINDOW
        near = [i for i, s in adjusted.items() if s >= window]
        asked = set(words)
        evidence = {i: self.score(i, asked) for i in near}
        best = max(evidence.values())
        if best <= 0:
            return
        for index in near:
            adjusted[index] -= ANSWER_WEIGHT * (1 - evidence[index] / best)
