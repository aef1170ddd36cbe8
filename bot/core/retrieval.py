"""Lexical retrieval: every entry scored as its best phrasing, word by word, with typos corrected first.

Each phrasing is a bag of IDF-weighted words and word pairs. A question scores a phrasing by how much of the
question it explains (recall), how much of the phrasing the question covers (precision) and, for the best few,
rapidfuzz's word-order-free similarity. Scoring is a weighted bincount over posting lists, so it stays fast at
10,000 entries.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from rapidfuzz import fuzz, process

from bot.core.knowledge import Entry, Knowledge
from bot.core.normalize import Normalizer, telex_fold

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
MAX_REMEMBERED = 100_000  # corrections kept per index (a few MiB at most)
KEEP_ENTRIES = 60  # entries carried into the award/intent adjustments; the rest cannot reach the top
AWARD_CONTEXT_FACTOR = 0.35  # an award name in a question about something else weighs less for FAQ entries
ACCENT_AGREE_BONUS = 2.0
ACCENT_CLASH_PENALTY = 6.0

# (entry index, accented words, folded words) of one phrasing
RawPhrasing = tuple[int, list[str], list[str]]


@dataclass(frozen=True, slots=True)
class _Phrasing:
    entry: int
    weights: dict[str, float]
    total: float
    text: str  # folded content words, for the string similarity
    accented: frozenset[str]
    folded: frozenset[str]


def features(tokens: Sequence[str]) -> list[str]:
    """Words and word pairs ("bang_khen"): the units phrasings and questions are compared on."""
    return [*tokens, *(f"{a}_{b}" for a, b in pairwise(tokens))]


class LexicalIndex:
    """IDF-weighted posting lists over the phrasings of every entry, and the typo corrector built from them."""

    def __init__(self, knowledge: Knowledge, entries: Sequence[Entry], raw: list[RawPhrasing], normalize: Normalizer):
        self._variant_of = self._typo_variants(raw)
        # token → (correction, credit): a pure function of the index, asked again for every clause of a story.
        self._corrected: dict[str, tuple[str, float]] = {}
        entry_features: list[set[str]] = [set() for _ in entries]
        for position, (index, accented, folded) in enumerate(raw):
            folded = [self._variant_of.get(t, t) for t in folded]
            raw[position] = (index, accented, folded)
            entry_features[index].update(features(folded))
        df: dict[str, int] = defaultdict(int)
        for entry_feature_set in entry_features:
            for feature in entry_feature_set:
                df[feature] += 1
        count = max(len(entries), 1)
        self._idf = {f: math.log(1 + count / n) for f, n in df.items()}
        self._unknown_idf = math.log(1 + count)
        self.vocab = sorted({f for f in df if "_" not in f})
        self._vocab_set = set(self.vocab)
        # Words the knowledge uses anywhere (answers, intent keywords) are real words, not typos to correct,
        # even when no phrasing contains them ("lĩnh" must not become "bình").
        self._known_words = set(self._vocab_set)
        for entry in entries:
            for text in (entry.answer_vi, entry.answer_en or ""):
                self._known_words.update(normalize(text).folded)
        for intent in knowledge.intents:
            for phrase in intent.keywords:
                self._known_words.update(normalize(phrase).folded)
        self._phrasings: list[_Phrasing] = []
        postings: dict[str, list[int]] = defaultdict(list)
        for entry_index, accented, folded in raw:
            weights = {feature: self.weight(feature) for feature in features(folded)}
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
                postings[feature].append(position)
        # Vectorised views: scoring a question is a weighted bincount over the postings of its words.
        self._posting_arrays = {f: np.asarray(p, dtype=np.int64) for f, p in postings.items()}
        self._phrasing_total = np.asarray([p.total for p in self._phrasings], dtype=np.float64)
        entries_of = np.asarray([p.entry for p in self._phrasings], dtype=np.int64)
        self._entry_starts = (
            np.flatnonzero(np.r_[True, entries_of[1:] != entries_of[:-1]]) if len(entries_of) else entries_of
        )
        self._entry_of_start = entries_of[self._entry_starts] if len(entries_of) else entries_of

    @staticmethod
    def _typo_variants(raw: Iterable[RawPhrasing]) -> dict[str, str]:
        """Typos kept on purpose among the phrasings ("thưởg") map to the common word they misspell."""
        raw = list(raw)
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

    def weight(self, feature: str, known: bool = True) -> float:
        bigram = "_" in feature
        if known and feature in self._idf:
            return self._idf[feature] * (BIGRAM_FACTOR if bigram else 1.0)
        return self._unknown_idf * (UNKNOWN_BIGRAM_FACTOR if bigram else 1.0)

    def correct(self, tokens: list[str]) -> tuple[list[str], list[float]]:
        """Map misspelt syllables to known ones; the credit (0-1) says how sure the correction is."""
        out: list[str] = []
        credit: list[float] = []
        for token in tokens:
            known = self._corrected.get(token)
            if known is None:
                known = self._correct_one(token)
                if len(self._corrected) < MAX_REMEMBERED:
                    self._corrected[token] = known
            out.append(known[0])
            credit.append(known[1])
        return out, credit

    def _correct_one(self, token: str) -> tuple[str, float]:
        if token in self._variant_of:
            return self._variant_of[token], 0.9
        # A well-formed syllable the knowledge never uses is a real word we do not know ("chiếu" in hộ chiếu),
        # not a typo: correcting it would invent a match.
        if token in self._known_words or len(token) < 3 or token.isdigit() or VIETNAMESE_SYLLABLE.fullmatch(token):
            return token, 1.0
        telex = telex_fold(token)
        if telex and telex in self._vocab_set and VIETNAMESE_SYLLABLE.fullmatch(telex):
            return telex, 0.9
        best = process.extractOne(token, self.vocab, scorer=fuzz.ratio, score_cutoff=TYPO_MIN_SIMILARITY)
        if best is None:
            return token, 1.0
        return best[0], (best[1] - 50.0) / 50.0

    def score(
        self,
        corrected: list[str],
        credit: list[float],
        in_award: set[int],
        typed: set[tuple[str, str]],
    ) -> dict[int, float] | None:
        """Entry index → its best phrasing's score (0-100), for the KEEP_ENTRIES best entries (None: no known word).

        `in_award` are the positions of an award name, weighed less; `typed` the (accented, folded) words typed
        with diacritics, rewarded where a phrasing agrees and penalised where it clashes (thưởng vs thương).
        """
        query_weights: dict[str, float] = {}
        query_credit: dict[str, float] = {}
        for i, token in enumerate(corrected):
            factor = AWARD_CONTEXT_FACTOR if i in in_award else 1.0
            query_weights[token] = max(query_weights.get(token, 0.0), self.weight(token) * factor)
            query_credit[token] = max(query_credit.get(token, 0.0), credit[i])
        for i in range(len(corrected) - 1):
            pair = f"{corrected[i]}_{corrected[i + 1]}"
            query_weights[pair] = self.weight(pair)
            query_credit[pair] = min(credit[i], credit[i + 1])
        query_total = sum(query_weights.values())

        present = [f for f in query_weights if f in self._posting_arrays]
        if not present:
            return None
        arrays = [self._posting_arrays[f] for f in present]
        positions = np.concatenate(arrays)
        lengths = np.fromiter((len(a) for a in arrays), dtype=np.int64, count=len(arrays))
        gains = np.repeat(
            np.fromiter((query_weights[f] * query_credit[f] for f in present), dtype=np.float64, count=len(present)),
            lengths,
        )
        matched = np.bincount(positions, weights=gains, minlength=len(self._phrasings))
        recall = matched / (matched + UNMATCHED_PENALTY * (query_total - matched))
        partial = RECALL_WEIGHT * recall + PRECISION_WEIGHT * matched / self._phrasing_total
        # Without the string term a phrasing's score is estimated from its share of the blend.
        scores = 100.0 * partial / (RECALL_WEIGHT + PRECISION_WEIGHT) * (1 - STRING_WEIGHT)
        query_text = " ".join(corrected)
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
        return {int(self._entry_of_start[c]): float(entry_scores[c]) for c in candidates}

    @staticmethod
    def _accent_adjustment(typed: set[tuple[str, str]], phrasing: _Phrasing) -> float:
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
