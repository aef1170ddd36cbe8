"""Ranks knowledge entries against a short, noisy Vietnamese or English question."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from rapidfuzz import fuzz, process

from bot.core.award_intents import CONTEXT_WORDS, AwardIntents
from bot.core.entry_profiles import EntryProfiles
from bot.core.knowledge import Entry, Knowledge
from bot.core.normalize import Normalized, Normalizer, accent_agreement, telex_fold
from bot.core.phrases import Phrases, strip
from bot.core.phrases import spans as phrase_spans
from bot.core.phrases import values as phrase_values
from bot.core.records import ANSWER, FALLBACK, SMALLTALK, SUGGEST
from bot.core.understanding import Question, Understanding

# Blend of the per-phrasing score: how much of the question the phrasing explains (recall), how much of the
# phrasing the question covers (precision), and rapidfuzz's word-order-free string similarity.
RECALL_WEIGHT = 0.45
PRECISION_WEIGHT = 0.35
STRING_WEIGHT = 0.20
BIGRAM_FACTOR = 0.6  # two-syllable words ("bằng khen", "thủ tướng") are the real units of meaning
UNKNOWN_BIGRAM_FACTOR = 0.25  # an unseen pair of known syllables is weak evidence against a match
TYPO_MIN_SIMILARITY = 75  # rapidfuzz ratio for a misspelt syllable to count as a known one
# A well-formed (folded) Vietnamese syllable: onset, vowels, final consonant. "thuog" is not one, "khach" is.
VIETNAMESE_SYLLABLE = re.compile(
    r"(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(ch|ng|nh|[cmnpt])?"
)
COMMON_WORD_COUNT = 20  # phrasings a word must appear in to be the standard spelling others are compared to
VARIANT_SIMILARITY = 88  # rapidfuzz ratio for a rare phrasing word to count as a misspelling of a common one
RESCORE_TOP = 40  # phrasings that get the (slower) string similarity term
UNMATCHED_PENALTY = 1.0  # how much a question word no phrasing explains counts against the phrasing
KEEP_ENTRIES = 60  # entries carried into the award/intent adjustments; the rest cannot reach the top
AWARD_MISMATCH = 0.78  # the question names another award than the entry
INTENT_MISMATCH = 0.85  # the question asks for another intent (hồ sơ vs tiêu chuẩn) of a catalogue entry
AGREEMENT_BONUS = 3.0
KEYWORD_BONUS = 4.0
OVERVIEW_BONUS = 6.0  # a bare award name asks what the award is
ACCENT_AGREE_BONUS = 2.0
ACCENT_CLASH_PENALTY = 6.0
# A question that names an award and an intent ("hồ sơ" + "Bằng khen cấp Bộ") is answered from the catalogue
# with this score; a bare award name asks for its overview.
CATALOGUE_SCORE = 90.0
OVERVIEW_SCORE = 86.0
CATALOGUE_FLOOR = 40.0  # a named award and intent with much else in the question: a weak guess, left to compete
SAME_AWARD_GAP = 8.0  # the award's other intents stay this far below the chosen one
HINT_DISCOUNT = 10.0  # an intent read from a hint word scores this much below one read from a keyword phrase
AWARD_CONTEXT_FACTOR = 0.35  # an award name in a question about something else weighs less for FAQ entries
# English words that fold to Vietnamese syllables (the → thể, to → tờ, can → cần, an → an): in English text they
# are dropped unless they form a Vietnamese pair with a neighbour ("tập thể", "tờ trình", "cán bộ").
ENGLISH_FOLD_CLASHES = frozenset({"the", "to", "can", "an"})
# Among entries close to the best, the character n-gram profiles (bot/entry_profiles.py) break near-ties: an
# entry loses this many points per unit of cosine similarity it lacks against the profiles' favourite. It never
# raises a score, so it reorders close candidates without making weak matches look strong.
PROFILE_WEIGHT = 30.0
PROFILE_WINDOW = 15.0
# Questions for an award's documents keep the catalogue answer even when they name a special case.
DOCUMENT_INTENTS = frozenset({"ho-so", "so-bo", "mau-bao-cao"})
SPECIAL_CASE_MIN_SCORE = 30.0  # a special-case entry must itself match the question at least this well
# A long message is ranked on its asking part (with the story's circumstances) and on the whole text; the asking
# part decides, the whole text is weaker evidence that breaks its ties.
FOCUS_WEIGHT = 0.85
# A question the understanding step routes (money for several titles → the entry on several titles) is answered by
# that entry at this score at least, the others kept SAME_AWARD_GAP below it.
ROUTED_SCORE = 75.0
# Why a result is a fallback although entries matched: the question asks about an award the knowledge lacks.
UNCOVERED = "uncovered-award"


@dataclass(frozen=True, slots=True)
class MatchSettings:
    """Decision thresholds (0-100) and the required lead of the best entry over the second."""

    answer_threshold: float = 58.0
    margin: float = 2.0
    lead_threshold: float = 42.0  # a lower score still answers when no other entry comes close
    lead_margin: float = 6.0
    unanchored_threshold: float = 60.0  # a question without any domain word needs a stronger match
    suggest_threshold: float = 45.0
    close_match_floor: float = 35.0
    max_suggestions: int = 3
    confirm_with_profiles: bool = True  # answer a weaker lead when the n-gram profiles pick the same entry
    confirmed_threshold: float = 45.0  # the lowest score the profiles' agreement can turn into an answer


@dataclass(frozen=True, slots=True)
class Scored:
    entry_id: str
    score: float


@dataclass(frozen=True, slots=True)
class MatchResult:
    """The decision for one question and the ranked entries behind it."""

    status: str
    query: Normalized
    ranked: tuple[Scored, ...]
    suggestions: tuple[Scored, ...] = ()
    smalltalk_id: str | None = None
    question: Question | None = None  # how the message was read (None for small talk)
    reason: str | None = None  # UNCOVERED when an award the knowledge lacks was asked about

    @property
    def top(self) -> Scored | None:
        return self.ranked[0] if self.ranked else None


@dataclass(frozen=True, slots=True)
class _Phrasing:
    entry: int
    weights: dict[str, float]
    total: float
    text: str  # folded content words, for the string similarity
    accented: frozenset[str]
    folded: frozenset[str]


def _features(tokens: Sequence[str]) -> list[str]:
    return [*tokens, *(f"{a}_{b}" for a, b in pairwise(tokens))]


class Matcher:
    """Scores every entry as its best phrasing, then decides answer / suggest / fallback / smalltalk."""

    def __init__(self, knowledge: Knowledge, settings: MatchSettings | None = None) -> None:
        self.knowledge = knowledge
        self.settings = settings or MatchSettings()
        self.normalize = Normalizer(knowledge.synonyms)
        self._stopwords = self.normalize.phrase_keys(knowledge.stopwords)
        self._smalltalk = Phrases(
            (key, item.id) for item in knowledge.smalltalk for key in self.normalize.phrase_keys(item.patterns)
        )
        self._ignored = Phrases(dict.fromkeys(self._stopwords | set(self._smalltalk), ""))
        self._ignored_en = Phrases(
            dict.fromkeys(set(self._ignored) | self.normalize.phrase_keys(knowledge.stopwords_en), "")
        )
        self._domain = Phrases(dict.fromkeys(self.normalize.phrase_keys(knowledge.domain_terms), "d"))
        foreign = [self.normalize(term) for term in knowledge.foreign_terms]
        self._foreign = Phrases((n.folded, n.accented) for n in foreign if n.folded)
        self.entries: list[Entry] = list(knowledge.entries.values())
        self._vietnamese_pairs: set[tuple[str, str]] = set()  # filled from the phrasings by _build_index
        self.awards = AwardIntents(knowledge, lambda text: self._content(self.normalize(text)))
        keyword_owners: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for entry in self.entries:
            for key in self.normalize.phrase_keys(entry.keywords):
                keyword_owners[key].add(entry.id)
        # Each keyword phrase maps to one lookup key; `_keyword_entries` says which entries it points at.
        self._keywords = Phrases((key, "\t".join(key)) for key in keyword_owners)
        self._keyword_entries = {"\t".join(key): owners for key, owners in keyword_owners.items()}
        # Keywords of special-case entries, with their spellings: "kỷ luật" in a question about a Bằng khen.
        case_keywords: dict[tuple[str, ...], list[tuple[tuple[str, ...], int]]] = defaultdict(list)
        for index, entry in enumerate(self.entries):
            if entry.special_case:
                for keyword in entry.keywords:
                    norm = self.normalize(keyword)
                    case_keywords[norm.folded].append((norm.accented, index))
        self._case_keywords = Phrases(case_keywords.items())
        self._entry_awards = [self._awards_of(e) for e in self.entries]
        self._catalogue = {(e.award_id, e.intent_id): i for i, e in enumerate(self.entries) if e.award_id}
        self._index_of = {e.id: i for i, e in enumerate(self.entries)}
        self._build_index()
        self.understanding = Understanding(
            knowledge, lambda text: self._correct_content(self.normalize(text)), self.awards, self._case_spans
        )
        self._entry_uncovered = [self.understanding.uncovered_named(self._entry_texts(e)) for e in self.entries]

    @staticmethod
    def _entry_texts(entry: Entry) -> str:
        return " . ".join([entry.question_vi, entry.question_en or "", *entry.phrasings_vi, *entry.keywords])

    def _correct_content(self, norm: Normalized) -> tuple[list[str], list[str]]:
        accented, folded = self._content(norm)
        return accented, self._correct(folded)[0]

    def _case_spans(self, tokens: Sequence[str], typed: Sequence[str] | None) -> list[tuple[int, int, str]]:
        """(start, end, entry id) of the circumstances (special-case keywords) named in `tokens`."""
        found = []
        for start, end, owners in phrase_spans(list(tokens), self._case_keywords):
            for spelling, index in owners:
                if typed is None or accent_agreement(typed[start:end], tokens[start:end], spelling)[1] == 0:
                    found.append((start, end, self.entries[index].id))
                    break
        return found

    # -- index -------------------------------------------------------------------------------------------

    def _awards_of(self, entry: Entry) -> frozenset[str]:
        if entry.award_id:
            return frozenset({entry.award_id})
        return frozenset(self.awards.awards(self._content(self.normalize(entry.question_vi))[1]))

    def _content(self, norm: Normalized, english: bool = False) -> tuple[list[str], list[str]]:
        """Accented and folded words that carry meaning (stopwords and small talk removed)."""
        folded, accented = strip(norm.folded, self._ignored_en if english else self._ignored, norm.accented)
        if english and self._vietnamese_pairs and ENGLISH_FOLD_CLASHES.intersection(folded):
            keep = [
                i
                for i, word in enumerate(folded)
                if word not in ENGLISH_FOLD_CLASHES
                or (i > 0 and (folded[i - 1], word) in self._vietnamese_pairs)
                or (i + 1 < len(folded) and (word, folded[i + 1]) in self._vietnamese_pairs)
            ]
            folded, accented = [folded[i] for i in keep], [accented[i] for i in keep]
        return accented, folded

    def _build_index(self) -> None:
        for entry in self.entries:
            for phrasing in entry.phrasings_vi:
                self._vietnamese_pairs.update(pairwise(self._content(self.normalize(phrasing))[1]))
        raw: list[tuple[int, list[str], list[str]]] = []
        for index, entry in enumerate(self.entries):
            extra = self.knowledge.extra_phrasings.get(entry.id, ())
            english = set(entry.phrasings_en)
            for phrasing in dict.fromkeys([*entry.phrasings_vi, *entry.phrasings_en, *extra]):
                accented, folded = self._content(self.normalize(phrasing), phrasing in english)
                if folded:
                    raw.append((index, accented, folded))
        self._variant_of = self._typo_variants(raw)
        entry_features: list[set[str]] = [set() for _ in self.entries]
        for position, (index, accented, folded) in enumerate(raw):
            folded = [self._variant_of.get(t, t) for t in folded]
            raw[position] = (index, accented, folded)
            entry_features[index].update(_features(folded))
        df: dict[str, int] = defaultdict(int)
        for features in entry_features:
            for feature in features:
                df[feature] += 1
        count = max(len(self.entries), 1)
        self._idf = {f: math.log(1 + count / n) for f, n in df.items()}
        self._unknown_idf = math.log(1 + count)
        self._vocab = sorted({f for f in df if "_" not in f})
        self._vocab_set = set(self._vocab)
        # Words the knowledge uses anywhere (answers, intent keywords) are real words, not typos to correct,
        # even when no phrasing contains them ("lĩnh" must not become "bình").
        self._known_words = set(self._vocab_set)
        for entry in self.entries:
            for text in (entry.answer_vi, entry.answer_en or ""):
                self._known_words.update(self.normalize(text).folded)
        for intent in self.knowledge.intents:
            for phrase in intent.keywords:
                self._known_words.update(self.normalize(phrase).folded)
        self._phrasings: list[_Phrasing] = []
        self._postings: dict[str, list[int]] = defaultdict(list)
        for entry_index, accented, folded in raw:
            weights: dict[str, float] = {}
            for feature in _features(folded):
                weights[feature] = self._weight(feature, known=True)
            position = len(self._phrasings)
            self._phrasings.append(
                _Phrasing(
                    entry_index,
                    weights,
                    sum(weights.values()),
                    " ".join(folded),
                    frozenset(accented),
                    frozenset(folded),
                )
            )
            for feature in weights:
                self._postings[feature].append(position)
        # Vectorised views: scoring a question is a weighted bincount over the postings of its words.
        self._posting_arrays = {f: np.asarray(p, dtype=np.int64) for f, p in self._postings.items()}
        self._phrasing_total = np.asarray([p.total for p in self._phrasings], dtype=np.float64)
        entries_of = np.asarray([p.entry for p in self._phrasings], dtype=np.int64)
        self._entry_starts = (
            np.flatnonzero(np.r_[True, entries_of[1:] != entries_of[:-1]]) if len(entries_of) else entries_of
        )
        self._entry_of_start = entries_of[self._entry_starts] if len(entries_of) else entries_of
        # The other domains' terms each entry itself uses, as whole phrases, in its phrasings or answers: a question
        # naming any other one is from another domain ("hộ chiếu" is not in "hồ sơ … đối chiếu").
        self._entry_foreign_terms: list[set[tuple[str, ...]]] = [set() for _ in self.entries]
        for index, entry in enumerate(self.entries):
            texts = [*entry.phrasings_vi, *entry.phrasings_en, entry.answer_vi, entry.answer_en or ""]
            for text in texts:
                folded = self.normalize(text).folded
                self._entry_foreign_terms[index].update(folded[a:b] for a, b, _ in phrase_spans(folded, self._foreign))
        self._profiles = EntryProfiles(((index, folded) for index, _, folded in raw), len(self.entries))

    @staticmethod
    def _typo_variants(raw: list[tuple[int, list[str], list[str]]]) -> dict[str, str]:
        """Typos kept on purpose among the phrasings ("thưởg") map to the common word they misspell."""
        counts: dict[str, int] = defaultdict(int)
        for _, _, folded in raw:
            for token in set(folded):
                counts[token] += 1
        common = [t for t, n in counts.items() if n >= COMMON_WORD_COUNT and len(t) >= 3]
        variants = {}
        for token, n in counts.items():
            if n > 2 or len(token) < 4 or VIETNAMESE_SYLLABLE.fullmatch(token):
                continue
            best = process.extractOne(token, common, scorer=fuzz.ratio, score_cutoff=VARIANT_SIMILARITY)
            if best is not None and best[0] != token:
                variants[token] = best[0]
        return variants

    def _weight(self, feature: str, known: bool) -> float:
        bigram = "_" in feature
        if known and feature in self._idf:
            return self._idf[feature] * (BIGRAM_FACTOR if bigram else 1.0)
        return self._unknown_idf * (UNKNOWN_BIGRAM_FACTOR if bigram else 1.0)

    # -- query ---------------------------------------------------------------------------------------------

    def _correct(self, tokens: list[str]) -> tuple[list[str], list[float]]:
        """Map misspelt syllables to known ones; the credit (0-1) says how sure the correction is."""
        out: list[str] = []
        credit: list[float] = []
        for token in tokens:
            if token in self._variant_of:
                out.append(self._variant_of[token])
                credit.append(0.9)
                continue
            # A well-formed syllable the knowledge never uses is a real word we do not know ("chiếu" in hộ chiếu),
            # not a typo: correcting it would invent a match.
            if token in self._known_words or len(token) < 3 or token.isdigit() or VIETNAMESE_SYLLABLE.fullmatch(token):
                out.append(token)
                credit.append(1.0)
                continue
            telex = telex_fold(token)
            if telex and telex in self._vocab_set and VIETNAMESE_SYLLABLE.fullmatch(telex):
                out.append(telex)
                credit.append(0.9)
                continue
            best = process.extractOne(token, self._vocab, scorer=fuzz.ratio, score_cutoff=TYPO_MIN_SIMILARITY)
            if best is None:
                out.append(token)
                credit.append(1.0)
            else:
                out.append(best[0])
                credit.append((best[1] - 50.0) / 50.0)
        return out, credit

    def _smalltalk_id(self, norm: Normalized) -> str | None:
        if not norm.folded:
            return None
        _, rest = strip(norm.folded, self._ignored, norm.folded)
        if rest:
            return None
        found = phrase_values(norm.folded, self._smalltalk)
        return found[0] if found else None

    def rank(self, norm: Normalized, english: bool = False) -> list[Scored]:
        """Every entry with a positive score, best first; ties broken by entry id."""
        accented, folded = self._content(norm, english)
        if not folded:
            return []
        corrected, credit = self._correct(folded)
        named = self.awards.award_spans(corrected)
        in_award = {i for a, b, _ in named for i in range(a, b)}
        if len(in_award) == len(corrected):
            in_award = set()  # the award is the whole question
        query_weights: dict[str, float] = {}
        query_credit: dict[str, float] = {}
        for i, token in enumerate(corrected):
            factor = AWARD_CONTEXT_FACTOR if i in in_award else 1.0
            query_weights[token] = max(query_weights.get(token, 0.0), self._weight(token, known=True) * factor)
            query_credit[token] = max(query_credit.get(token, 0.0), credit[i])
        for i in range(len(corrected) - 1):
            pair = f"{corrected[i]}_{corrected[i + 1]}"
            query_weights[pair] = self._weight(pair, known=True)
            query_credit[pair] = min(credit[i], credit[i + 1])
        query_total = sum(query_weights.values())

        present = [f for f in query_weights if f in self._posting_arrays]
        if not present:
            return []
        positions = np.concatenate([self._posting_arrays[f] for f in present])
        gains = np.concatenate(
            [np.full(len(self._posting_arrays[f]), query_weights[f] * query_credit[f]) for f in present]
        )
        matched = np.bincount(positions, weights=gains, minlength=len(self._phrasings))
        recall = matched / (matched + UNMATCHED_PENALTY * (query_total - matched))
        partial = RECALL_WEIGHT * recall + PRECISION_WEIGHT * matched / self._phrasing_total
        # Without the string term a phrasing's score is estimated from its share of the blend.
        scores = 100.0 * partial / (RECALL_WEIGHT + PRECISION_WEIGHT) * (1 - STRING_WEIGHT)
        query_text = " ".join(corrected)
        typed = {(a, f) for a, f in zip(accented, folded, strict=True) if a != f} if norm.typed_diacritics else set()
        top = min(RESCORE_TOP, len(partial))
        positions = np.argpartition(-partial, top - 1)[:top]
        for position, hit, share in zip(
            positions.tolist(), matched[positions].tolist(), partial[positions].tolist(), strict=True
        ):
            if hit <= 0:
                continue
            phrasing = self._phrasings[position]
            similarity = fuzz.token_sort_ratio(query_text, phrasing.text) / 100.0
            adjustment = self._accent_adjustment(typed, phrasing) if typed else 0.0
            scores[position] = 100.0 * (share + STRING_WEIGHT * similarity) + adjustment
        entry_scores = np.maximum.reduceat(np.where(matched > 0, scores, -1.0), self._entry_starts)
        candidates = np.flatnonzero(entry_scores > 0)
        if len(candidates) > KEEP_ENTRIES:
            candidates = candidates[np.argpartition(-entry_scores[candidates], KEEP_ENTRIES - 1)[:KEEP_ENTRIES]]
        best = {int(self._entry_of_start[c]): float(entry_scores[c]) for c in candidates}

        query_awards = self.awards.awards(corrected)
        # Intent words are checked as typed when the question has diacritics ("tiên tiến" is not "tiền").
        as_typed = accented if norm.typed_diacritics else None
        award_free = [t for i, t in enumerate(corrected) if i not in in_award]
        award_free_typed = [t for i, t in enumerate(accented) if i not in in_award] if as_typed else None
        intent = self.awards.intent(award_free, award_free_typed)
        query_intents = {intent} if intent else set()
        only_award = self.awards.only_awards(corrected)
        keyword_hits = {e for hit in phrase_values(corrected, self._keywords) for e in self._keyword_entries[hit]}
        adjusted = {
            i: self._adjust(i, s, query_awards, query_intents, only_award, keyword_hits) for i, s in best.items()
        }
        in_named = {i for a, b, _ in named for i in range(a, b)}
        outside = [t for i, t in enumerate(corrected) if i not in in_named]
        outside_typed = [t for i, t in enumerate(accented) if i not in in_named] if as_typed else None
        asked = self.awards.intent(outside, outside_typed)
        discount = 0.0
        if asked is None:  # a single hint word is weaker evidence than a keyword phrase
            asked = self.awards.hinted_intent(outside, outside_typed)
            discount = HINT_DISCOUNT if asked else 0.0
        catalogue = {i: s - discount for i, s in self._catalogue_scores(outside, asked, named, corrected).items()}
        if named:
            # With no intent named, the award's entries ranked by their phrasings stand in for the catalogue
            # answer: "deadline CSTĐ cơ sở" is a deadline question whichever CSTĐ entry matched best.
            award = self.awards.target(corrected, named)
            pool = catalogue or {i: s for i, s in adjusted.items() if self.entries[i].award_id == award}
            if pool:
                typed_words = accented if as_typed else None
                lowered = self._prefer_special_case(pool, adjusted, corrected, typed_words, asked)
                catalogue = {i: lowered[i] for i in catalogue}
        for index, score in catalogue.items():
            chosen = self.entries[index]
            for other, other_score in adjusted.items():
                if other != index and self.entries[other].award_id == chosen.award_id:
                    adjusted[other] = min(other_score, score - SAME_AWARD_GAP)
            adjusted[index] = max(adjusted.get(index, 0.0), score)
        similarities = self._profiles.similarities(corrected)
        if similarities is not None and adjusted:
            favourite = float(similarities.max())
            window = max(adjusted.values()) - PROFILE_WINDOW
            for index, score in adjusted.items():
                if score >= window:
                    adjusted[index] = score - PROFILE_WEIGHT * (favourite - float(similarities[index]))
        scored = [Scored(self.entries[i].id, round(min(100.0, s), 2)) for i, s in adjusted.items()]
        scored.sort(key=lambda s: (-s.score, s.entry_id))
        return scored

    def _prefer_special_case(
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
            for spelling, index in owners:
                if typed is None or accent_agreement(typed[start:end], tokens[start:end], spelling)[1] == 0:
                    cases.add(index)
                    covered.update(range(start, end))
        if asked in DOCUMENT_INTENTS and not any(self.entries[i].outranks_documents for i in cases):
            document_words = {
                i
                for start, end, intent in phrase_spans(tokens, self.awards.keywords)
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

    def _catalogue_scores(
        self, residual: list[str], intent: str | None, named: list[tuple[int, int, str]], tokens: list[str]
    ) -> dict[int, float]:
        """Scores of catalogue entries chosen by award × intent, when the question names an award."""
        if not named:
            return {}
        award = self.awards.target(tokens, named)
        if intent is not None:
            index = self._catalogue.get((award, intent))
            if index is None:
                return {}
            vocabulary = self.awards.vocabulary.get(intent, CONTEXT_WORDS)
            total = sum(self._weight(t, known=True) for t in residual)
            covered = sum(self._weight(t, known=True) for t in residual if t in vocabulary)
            coverage = covered / total if total else 1.0
            return {index: CATALOGUE_FLOOR + (CATALOGUE_SCORE - CATALOGUE_FLOOR) * coverage}
        if not residual:
            index = self._catalogue.get((award, "tong-quan"))
            return {index: OVERVIEW_SCORE} if index is not None else {}
        return {}

    def _accent_adjustment(self, typed: set[tuple[str, str]], phrasing: _Phrasing) -> float:
        """Reward diacritics that agree with the phrasing; penalise a clash such as thưởng vs thương."""
        if not typed:
            return 0.0
        agree = clash = 0
        for word, folded in typed:
            if word in phrasing.accented:
                agree += 1
            elif folded in phrasing.folded:
                clash += 1
        return (ACCENT_AGREE_BONUS * agree - ACCENT_CLASH_PENALTY * clash) / len(typed)

    def _adjust(
        self,
        index: int,
        score: float,
        query_awards: set[str],
        query_intents: set[str],
        only_award: bool,
        keyword_hits: set[str],
    ) -> float:
        entry = self.entries[index]
        awards = self._entry_awards[index]
        if query_awards and awards:
            score = score + AGREEMENT_BONUS if awards & query_awards else score * AWARD_MISMATCH
        if query_intents and entry.intent_id:
            score = score + AGREEMENT_BONUS if entry.intent_id in query_intents else score * INTENT_MISMATCH
        if only_award and entry.intent_id == "tong-quan" and entry.award_id in query_awards:
            score += OVERVIEW_BONUS
        if entry.id in keyword_hits:
            score += KEYWORD_BONUS
        return score

    def _anchored(self, norm: Normalized, english: bool) -> bool:
        """Whether the question names a domain word, also when misspelt ("thu dua" for "thi đua")."""
        if phrase_values(norm.folded, self._domain):
            return True
        corrected, _ = self._correct(self._content(norm, english)[1])
        return bool(phrase_values(corrected, self._domain))

    def _confirmed(self, norm: Normalized, english: bool, entry_id: str) -> bool:
        """Whether the n-gram profiles, an independent view, pick the same entry as the ranking."""
        words, _ = self._correct(self._content(norm, english)[1])
        best = self._profiles.best(words)
        return best is not None and self.entries[best].id == entry_id

    def find_award(self, text: str) -> str | None:
        """The award a short name refers to ("bk bo" → bang-khen-bo), or None."""
        _, folded = self._content(self.normalize(text))
        named = self.awards.award_spans(folded) or self.awards.award_spans(self._correct(folded)[0])
        return named[0][2] if named else self.awards.find(folded)

    # -- decision ------------------------------------------------------------------------------------------

    def understand(self, text: str) -> Question:
        """How a message is read before ranking: its asking part, the award asked for, the story around it."""
        return self.understanding.read(text)

    def rank_question(
        self, question: Question, norm: Normalized, english: bool = False
    ) -> tuple[Normalized, list[Scored]]:
        """Rank a message: a one-question message as a whole; a story on its asking part, the whole text weaker.

        Returns the text the decision is checked on (the asking part for a story) and the ranking.
        """
        checked, ranked = self._rank_reading(question, norm, english)
        if question.routed_to is not None and question.routed_to in self._index_of:
            ranked = self._route(ranked, question.routed_to)
        return checked, ranked

    def _route(self, ranked: list[Scored], entry_id: str) -> list[Scored]:
        best = max([ROUTED_SCORE, *(s.score for s in ranked)])
        others = [Scored(s.entry_id, min(s.score, best - SAME_AWARD_GAP)) for s in ranked if s.entry_id != entry_id]
        return [Scored(entry_id, best), *others]

    def _rank_reading(self, question: Question, norm: Normalized, english: bool) -> tuple[Normalized, list[Scored]]:
        if not question.split and not question.focus_extra:
            return norm, self.rank(norm, english)
        focus = self.normalize(question.focus)
        on_focus = {s.entry_id: s.score for s in self.rank(focus, english)}
        on_whole = {s.entry_id: s.score for s in self.rank(norm, english)}
        blended = [
            Scored(entry_id, round(FOCUS_WEIGHT * score + (1 - FOCUS_WEIGHT) * on_whole.get(entry_id, 0.0), 2))
            for entry_id, score in on_focus.items()
        ]
        blended.sort(key=lambda s: (-s.score, s.entry_id))
        whole_top = max(on_whole.items(), key=lambda item: (item[1], item[0]), default=None)
        if blended and whole_top and blended[0].entry_id == whole_top[0] and whole_top[1] > blended[0].score:
            # Both readings pick the same entry: as sure as the whole message alone was.
            blended[0] = Scored(whole_top[0], whole_top[1])
        return focus, blended

    def match(self, text: str, english: bool = False) -> MatchResult:
        """Decide how to reply to `text`; `english` when the question is in English."""
        norm = self.normalize(text)
        smalltalk = self._smalltalk_id(norm)
        if smalltalk:
            return MatchResult(SMALLTALK, norm, (), smalltalk_id=smalltalk)
        question = self.understand(text)
        checked, ranking = self.rank_question(question, norm, english)
        ranked = tuple(ranking)
        cfg = self.settings
        if not ranked:
            return MatchResult(FALLBACK, norm, ranked, question=question)
        if question.uncovered_award and self._other_award(ranked[0].entry_id, question.uncovered_award):
            return self._uncovered(norm, ranked, question)
        first = ranked[0].score
        second = ranked[1].score if len(ranked) > 1 else 0.0
        lead = first - second
        if not self._foreign_to(checked, ranked[0].entry_id):
            anchored = not self._domain or self._anchored(norm, english)
            threshold = cfg.answer_threshold if anchored else max(cfg.answer_threshold, cfg.unanchored_threshold)
            if (first >= threshold and lead >= cfg.margin) or (
                anchored and first >= cfg.lead_threshold and lead >= cfg.lead_margin
            ):
                return MatchResult(ANSWER, norm, ranked, question=question)
            # A weaker lead answers when the profiles agree; exact ties never (agreeing on one of two proves nothing).
            confirmable = anchored and lead > 0 and first >= cfg.confirmed_threshold and cfg.confirm_with_profiles
            if confirmable and self._confirmed(checked, english, ranked[0].entry_id):
                return MatchResult(ANSWER, norm, ranked, question=question)
        if first < cfg.suggest_threshold:
            close = tuple(s for s in ranked[: cfg.max_suggestions] if s.score >= cfg.close_match_floor)
            return MatchResult(FALLBACK, norm, ranked, close, question=question)
        floor = max(cfg.close_match_floor, first - 25.0)
        offered = tuple(s for s in ranked[: cfg.max_suggestions] if s.score >= floor)
        return MatchResult(SUGGEST, norm, ranked, offered, question=question)

    def _other_award(self, entry_id: str, award: str) -> bool:
        """Whether an entry is about another award than `award` (an uncovered one): it names another, not this one."""
        index = self._index_of[entry_id]
        named = self._entry_uncovered[index]
        return award not in named and bool(named or self._entry_awards[index])

    def _uncovered(self, norm: Normalized, ranked: tuple[Scored, ...], question: Question) -> MatchResult:
        """An award the knowledge lacks was asked about: say so; offer only entries that name it or no award at all."""
        award = question.uncovered_award
        naming = [s for s in ranked if award in self._entry_uncovered[self._index_of[s.entry_id]]]
        general = [s for s in ranked if not self._entry_awards[self._index_of[s.entry_id]]]
        pool = naming or general
        offered = tuple(s for s in pool[: self.settings.max_suggestions] if s.score >= self.settings.close_match_floor)
        return MatchResult(FALLBACK, norm, ranked, offered, question=question, reason=UNCOVERED)

    def _foreign_to(self, norm: Normalized, entry_id: str) -> bool:
        """Whether the question names another domain's term (học sinh, hộ chiếu, thuế …) the entry never uses."""
        found = []
        for start, end, spelling in phrase_spans(norm.folded, self._foreign):
            words = norm.folded[start:end]
            # Typed with diacritics a term must match as typed: "thuê" (hire) is not "thuế" (tax).
            if not norm.typed_diacritics or accent_agreement(norm.accented[start:end], words, spelling)[1] == 0:
                found.append(words)
        if not found:
            return False
        used = self._entry_foreign_terms[self._index_of[entry_id]]
        return any(term not in used for term in found)
