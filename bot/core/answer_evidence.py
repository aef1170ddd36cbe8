"""Answer evidence: among entries close to the best, the one whose answer uses the question's words wins.

Phrasings are short questions in the FAQ's style; a real question also uses the words of the rule itself ("trích
quỹ", "nội dung chi", "công khai"), and those are in the entry's answer. Each entry's answer, question and keywords
form a bag of words scored with BM25; near the best, an entry loses up to ANSWER_WEIGHT points by how much less its
answer explains the question than the best answer does. Like the tie-breaking stage it never raises a score.
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Sequence

from bot.core.knowledge import Entry

ANSWER_WEIGHT = 6.0
ANSWER_WINDOW = 15.0  # only entries within this many points of the best are reordered
# BM25's usual constants: term-frequency saturation and length normalisation.
BM25_K1 = 1.2
BM25_B = 0.75


class AnswerEvidence:
    """BM25 over each entry's answer, question and keywords (folded content words).

    Each entry's bag of words is a slice of two flat int arrays (word numbers in order, their counts), looked up by
    bisection: a Counter per entry took ~40 MiB at 10,000 entries.
    """

    def __init__(self, texts: Sequence[Sequence[str]]) -> None:
        """`texts`: each entry's words (what `from_entries` reads; a compiled index saves them)."""
        self._number: dict[str, int] = {}
        self._words = array("i")
        self._counts = array("i")
        self._starts = array("q", [0])
        self._lengths: list[int] = []
        documents: Counter[str] = Counter()
        for words in texts:
            bag = Counter(words)
            documents.update(bag.keys())
            numbered = sorted((self._number.setdefault(w, len(self._number)), n) for w, n in bag.items())
            self._words.extend(number for number, _ in numbered)
            self._counts.extend(n for _, n in numbered)
            self._starts.append(len(self._words))
            self._lengths.append(sum(bag.values()))
        self._average = (sum(self._lengths) / len(self._lengths)) if self._lengths else 1.0
        total = len(self._lengths)
        self._idf = {w: math.log(1 + (total - n + 0.5) / (n + 0.5)) for w, n in documents.items()}
        self._names = list(self._number)

    @property
    def texts(self) -> list[list[str]]:
        """Each entry's words as a bag gives them back (each word as often as counted): what a compiled index saves."""
        out = []
        for index in range(len(self._lengths)):
            a, b = self._starts[index], self._starts[index + 1]
            counted = zip(self._words[a:b], self._counts[a:b], strict=True)
            out.append([self._names[w] for w, n in counted for _ in range(n)])
        return out

    def _tf(self, index: int, word: str) -> int:
        number = self._number.get(word)
        if number is None:
            return 0
        a, b = self._starts[index], self._starts[index + 1]
        at = bisect_left(self._words, number, a, b)
        return self._counts[at] if at < b and self._words[at] == number else 0

    @classmethod
    def from_entries(cls, entries: Sequence[Entry], words: Callable[[Sequence[str]], list[str]]) -> AnswerEvidence:
        """`words(texts)`: the content words of the texts read as one, joined by spaces."""
        return cls([words([e.answer_vi, e.question_vi, *e.keywords]) for e in entries])

    def score(self, index: int, words: set[str]) -> float:
        length = self._lengths[index]
        norm = BM25_K1 * (1 - BM25_B + BM25_B * length / self._average)
        total = 0.0
        for word in words:
            tf = self._tf(index, word)
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
