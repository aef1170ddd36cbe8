"""Award × intent resolution: a question naming an award and what it asks about it is answered from the catalogue.

"hồ sơ Bằng khen cấp Bộ" names an award (bang-khen-bo) and an intent (ho-so): the catalogue entry
bang-khen-bo.ho-so is chosen with a score that says how much of the rest of the question the intent explains.
Entries of another award than the one named, or of another intent, lose ground; the named award's other entries
stay below the chosen one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.core.award_intents import CONTEXT_WORDS, AwardIntents, Span
from bot.core.knowledge import Entry
from bot.core.negation import negated
from bot.core.normalize import Normalizer, fold
from bot.core.phrases import Phrases
from bot.core.phrases import spans as phrase_spans

AWARD_MISMATCH = 0.78  # the question names another award than the entry
INTENT_MISMATCH = 0.85  # the question asks for another intent (hồ sơ vs tiêu chuẩn) of a catalogue entry
AGREEMENT_BONUS = 3.0
KEYWORD_BONUS = 4.0
OVERVIEW_BONUS = 6.0  # a bare award name asks what the award is
# A question that names an award and an intent ("hồ sơ" + "Bằng khen cấp Bộ") is answered from the catalogue
# with this score; a bare award name asks for its overview.
CATALOGUE_SCORE = 90.0
OVERVIEW_SCORE = 86.0
CATALOGUE_FLOOR = 40.0  # a named award and intent with much else in the question: a weak guess, left to compete
SAME_AWARD_GAP = 8.0  # the award's other intents stay this far below the chosen one
HINT_DISCOUNT = 10.0  # an intent read from a hint word scores this much below one read from a keyword phrase


@dataclass(frozen=True, slots=True)
class Reading:
    """What the resolution stage read from a question's words."""

    named: list[Span]  # award names found, (start, end, award id)
    awards: set[str]  # every award named
    intent: str | None  # the intent outside award names, from keyword phrases
    asked: str | None  # the intent asked (a keyword phrase, else a single hint word)
    discount: float  # how much less sure `asked` is (HINT_DISCOUNT for a hint)
    only_award: bool  # the question is nothing but award names
    keyword_hits: set[str]  # entries whose keywords the question contains
    intents_named: frozenset[str] = frozenset()  # every intent whose keyword phrases are outside award names


class AwardIntentResolver:
    """Reads the award and intent of a question and adjusts the lexical scores with them."""

    def __init__(
        self,
        entries: Sequence[Entry],
        awards: AwardIntents,
        normalize: Normalizer,
        entry_awards: Sequence[frozenset[str]],
        weight: Callable[[str], float],
    ) -> None:
        self.entries = entries
        self.awards = awards
        self._entry_awards = entry_awards
        self._weight = weight
        self.catalogue = {(e.award_id, e.intent_id): i for i, e in enumerate(entries) if e.award_id}
        self._spoken_of: dict[int, set[str]] = {}  # intents each entry's texts speak of, read when first needed
        keyword_owners: dict[tuple[str, ...], set[str]] = defaultdict(set)
        # Each one-word keyword's spellings, for questions typed with diacritics: "lào" (Laos) is not "lao động".
        self._keyword_spellings: dict[str, set[str]] = defaultdict(set)
        for entry in entries:
            for keyword in entry.keywords:
                norm = normalize(keyword)
                if norm.folded:
                    keyword_owners[norm.folded].add(entry.id)
                if len(norm.folded) == 1:
                    self._keyword_spellings[norm.folded[0]].add(norm.accented[0])
        # Each keyword phrase maps to one lookup key; `_keyword_entries` says which entries it points at.
        self._keywords = Phrases((key, "\t".join(key)) for key in keyword_owners)
        self._keyword_entries = {"\t".join(key): owners for key, owners in keyword_owners.items()}
        self._special = {e.id: e.special_case for e in entries}

    def read(self, corrected: list[str], accented: list[str], typed_diacritics: bool) -> Reading:
        named = self.awards.award_spans(corrected)
        in_award = {i for a, b, _ in named for i in range(a, b)}
        if len(in_award) == len(corrected):
            in_award = set()  # the award is the whole question
        # Intent words are checked as typed when the question has diacritics ("tiên tiến" is not "tiền").
        as_typed = accented if typed_diacritics else None
        award_free = [t for i, t in enumerate(corrected) if i not in in_award]
        award_free_typed = [t for i, t in enumerate(accented) if i not in in_award] if as_typed else None
        intent = self.awards.intent(award_free, award_free_typed)
        in_named = {i for a, b, _ in named for i in range(a, b)}
        outside = [t for i, t in enumerate(corrected) if i not in in_named]
        outside_typed = [t for i, t in enumerate(accented) if i not in in_named] if as_typed else None
        intents_named = frozenset(self.awards.intents(outside, outside_typed))
        asked = self.awards.intent(outside, outside_typed) if intents_named else None
        discount = 0.0
        if asked is None:  # a single hint word is weaker evidence than a keyword phrase
            asked = self.awards.hinted_intent(outside, outside_typed)
            discount = HINT_DISCOUNT if asked else 0.0
        return Reading(
            named=named,
            awards=self.awards.awards(corrected),
            intent=intent,
            asked=asked,
            discount=discount,
            only_award=self.awards.only_awards(corrected),
            keyword_hits=self.keyword_hits(corrected, accented if typed_diacritics else None),
            intents_named=intents_named,
        )

    def keyword_hits(self, corrected: list[str], typed: list[str] | None = None) -> set[str]:
        """Entries whose keywords the question names; a special case's only when not negated ("không bị kỷ luật").

        `typed`: the words as typed, when the question has diacritics; a keyword then matches only as spelt.
        """
        hits: set[str] = set()
        for start, end, hit in phrase_spans(corrected, self._keywords):
            if typed is not None and not self._spelt_as_typed(corrected, typed, start, end):
                continue
            owners = self._keyword_entries[hit]
            if negated(corrected, start):
                owners = {e for e in owners if not self._special[e]}
            hits |= owners
        return hits

    def _spelt_as_typed(self, corrected: list[str], typed: list[str], start: int, end: int) -> bool:
        """Whether a one-word keyword found at start was typed as it is spelt ("lao" in "lao động" is not "lào",
        "trung" in "trung tâm" is not "trùng"). In a question typed with diacritics a word typed without them is
        typed too. Longer keywords are left to their words: folded phrases seldom collide, and people who type
        diacritics often slip on one ("bỏ phiêu kin").
        """
        if end - start != 1:
            return True
        word = typed[start]
        if fold(word) != corrected[start]:
            return True  # corrected from a typo: says nothing
        return word in self._keyword_spellings.get(corrected[start], ())

    def in_award(self, corrected: list[str]) -> set[int]:
        """Positions of award names, weighed less by retrieval (unless the award is the whole question)."""
        in_award = {i for a, b, _ in self.awards.award_spans(corrected) for i in range(a, b)}
        return set() if len(in_award) == len(corrected) else in_award

    def adjust(self, scores: dict[int, float], reading: Reading) -> dict[int, float]:
        """Each retrieved entry's score: agreement with the named award and intent raises it, naming another
        lowers it. (One call for the ~60 retrieved entries: what the question says is read once.)"""
        adjusted: dict[int, float] = {}
        intent, awards_named, keyword_hits = reading.intent, reading.awards, reading.keyword_hits
        overview = bool(reading.only_award)
        for index, score in scores.items():
            entry = self.entries[index]
            awards = self._entry_awards[index]
            if awards_named and awards:
                score = score + AGREEMENT_BONUS if awards & awards_named else score * AWARD_MISMATCH
            if intent and entry.intent_id:
                score = score + AGREEMENT_BONUS if entry.intent_id == intent else score * INTENT_MISMATCH
            if overview and entry.intent_id == "tong-quan" and entry.award_id in awards_named:
                score += OVERVIEW_BONUS
            if entry.id in keyword_hits:
                score += KEYWORD_BONUS
            adjusted[index] = score
        return adjusted

    def catalogue_scores(self, corrected: list[str], reading: Reading, award: str | None) -> dict[int, float]:
        """Scores of catalogue entries chosen by award × intent, when the question names an award (`award`)."""
        named = reading.named
        if not named or award is None:
            return {}
        in_named = {i for a, b, _ in named for i in range(a, b)}
        residual = [t for i, t in enumerate(corrected) if i not in in_named]
        intent = reading.asked
        if intent is not None:
            index = self.catalogue.get((award, intent))
            if index is None:
                return {}
            vocabulary = self.awards.vocabulary.get(intent, CONTEXT_WORDS)
            total = sum(self._weight(t) for t in residual)
            covered = sum(self._weight(t) for t in residual if t in vocabulary)
            coverage = covered / total if total else 1.0
            return {index: CATALOGUE_FLOOR + (CATALOGUE_SCORE - CATALOGUE_FLOOR) * coverage - reading.discount}
        if not residual:
            index = self.catalogue.get((award, "tong-quan"))
            return {index: OVERVIEW_SCORE - reading.discount} if index is not None else {}
        return {}

    def keep_asked_intent(self, catalogue: dict[int, float], adjusted: dict[int, float], reading: Reading) -> None:
        """An entry that never speaks of the intent asked does not outrank the award's entry for it.

        "Giấy khen của Chủ tịch UBND xã có được thưởng tiền không?" is a money question: the entry on who gives
        Giấy khen since the district level went matches its words better, but says nothing of money. Only an
        intent read from a keyword phrase counts, and only when it is the one intent named (a single hint word, or
        "hồ sơ … đủ điều kiện", is too weak to overrule the words). An entry whose keyword the question names
        (a circumstance: "đã nghỉ hưu … ai đề nghị") keeps its place.
        """
        if reading.discount or reading.asked is None or len(reading.intents_named) != 1:
            return
        for index in catalogue:
            if self.entries[index].intent_id != reading.asked:
                continue
            # Against the entry's score as the stages before left it (tie-breaking may have lowered it).
            ceiling = adjusted[index] - SAME_AWARD_GAP
            for other, other_score in adjusted.items():
                if other == index or other_score <= ceiling:
                    continue
                if self.entries[other].id not in reading.keyword_hits and not self.speaks_of(other, reading.asked):
                    adjusted[other] = ceiling

    def speaks_of(self, index: int, intent: str) -> bool:
        """Whether an entry's texts (phrasings, keywords, answer) use a keyword phrase of the intent anywhere."""
        if index not in self._spoken_of:
            entry = self.entries[index]
            texts = [entry.question_vi, entry.question_en or "", *entry.phrasings_vi, *entry.phrasings_en]
            texts += [*entry.keywords, entry.answer_vi, entry.answer_en or ""]
            self._spoken_of[index] = self.awards.intents_spoken_of(" . ".join(texts))
        return intent in self._spoken_of[index]

    def apply_catalogue(self, catalogue: dict[int, float], adjusted: dict[int, float]) -> None:
        """The chosen catalogue entry takes its score; its award's other entries stay SAME_AWARD_GAP below."""
        for index, score in catalogue.items():
            chosen = self.entries[index]
            for other, other_score in adjusted.items():
                if other != index and self.entries[other].award_id == chosen.award_id:
                    adjusted[other] = min(other_score, score - SAME_AWARD_GAP)
            adjusted[index] = max(adjusted.get(index, 0.0), score)
