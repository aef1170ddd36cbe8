"""Circumstance rules: a named circumstance (kỷ luật, thai sản, nghỉ hưu …) outranks the award's generic answer.

Special-case entries (`special_case: true`) answer a circumstance for any award. When a question names an award
and one of their keywords ("bị kỷ luật … Bằng khen"), the circumstance is what it asks about.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

from bot.core.award_intents import AwardIntents
from bot.core.knowledge import Entry
from bot.core.negation import negated
from bot.core.normalize import accent_agreement
from bot.core.phrases import Phrases
from bot.core.phrases import spans as phrase_spans
from bot.core.resolution import SAME_AWARD_GAP

# Questions for an award's documents keep the catalogue answer even when they name a special case.
DOCUMENT_INTENTS = frozenset({"ho-so", "so-bo", "mau-bao-cao"})
Words = Callable[[str], tuple[list[str], list[str]]]  # a text's accented and folded content words
SPECIAL_CASE_MIN_SCORE = 30.0  # a special-case entry must itself match the question at least this well



class CircumstanceRules:
    """The special-case entries' keywords, with their spellings, and the rule that prefers them."""

    def __init__(self, entries: Sequence[Entry], words: Words, awards: AwardIntents) -> None:
        self.entries = entries
        self._awards = awards
        case_keywords: dict[tuple[str, ...], list[tuple[tuple[str, ...], int]]] = defaultdict(list)
        for index, entry in enumerate(entries):
            if entry.special_case:
                for keyword in entry.keywords:
                    # The keyword is read into the same content words as the questions it is looked for in:
                    # read in full, "nghỉ chế độ" never matched a question, whose "độ" is dropped as a stopword.
                    accented, folded = words(keyword)
                    if folded:
                        case_keywords[tuple(folded)].append((tuple(accented), index))
        self._case_keywords = Phrases(case_keywords.items())

    def spans(self, tokens: Sequence[str], typed: Sequence[str] | None) -> list[tuple[int, int, str]]:
        """(start, end, entry id) of the circumstances named in `tokens` (as typed, when `typed` is given);
        negated ones ("không ai bị kỷ luật") are not named."""
        found = []
        for start, end, owners in phrase_spans(list(tokens), self._case_keywords):
            if negated(tokens, start):
                continue
            for spelling, index in owners:
                if typed is None or accent_agreement(typed[start:end], tokens[start:end], spelling)[1] == 0:
                    found.append((start, end, self.entries[index].id))
                    break
        return found

    def prefer(
        self,
        catalogue: dict[int, float],
        adjusted: dict[int, float],
        tokens: list[str],
        typed: list[str] | None,
        asked: str | None,
    ) -> dict[int, float]:
        """A named circumstance outranks the award's catalogue answer: "bị kỷ luật … Bằng khen" asks about discipline.

        The special-case entry takes the catalogue's score and the catalogue answer stays SAME_AWARD_GAP below it.
        A question for the award's documents keeps the catalogue answer ("hồ sơ … cho người sắp nghỉ hưu"), unless
        its document words are part of the case's own keyword ("hạn nộp hồ sơ" asks for the deadline).
        """
        cases: set[int] = set()
        covered: set[int] = set()
        for start, end, owners in phrase_spans(tokens, self._case_keywords):
            if negated(tokens, start):
                continue
            for spelling, index in owners:
                if typed is None or accent_agreement(typed[start:end], tokens[start:end], spelling)[1] == 0:
                    cases.add(index)
                    covered.update(range(start, end))
        if asked in DOCUMENT_INTENTS and not any(self.entries[i].outranks_documents for i in cases):
            document_words = {
                i
                for start, end, intent in phrase_spans(tokens, self._awards.keywords)
                if intent in DOCUMENT_INTENTS
                for i in range(start, end)
            }
            if not document_words <= covered:
                return catalogue
        cases = {i for i in cases if adjusted.get(i, 0.0) >= SPECIAL_CASE_MIN_SCORE}
        if not cases:
            return catalogue
        chosen = max(cases, key=lambda i: adjusted[i])
        score = max(adjusted[chosen], *catalogue.values(), *(adjusted.get(i, 0.0) for i in catalogue))
        adjusted[chosen] = score
        lowered = {i: min(s, score - SAME_AWARD_GAP) for i, s in catalogue.items()}
        for index, capped in lowered.items():  # its phrasings may match well too: they stay below as well
            if index in adjusted:
                adjusted[index] = min(adjusted[index], capped)
        return lowered
