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

from bot.core.index_cache import pack_strings, unpack_strings
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
    text: str  # folded content words, for the string similarity
    accented: frozenset[str]
    folded: frozenset[str]


def features(tokens: Sequence[str]) -> list[str]:
    """Words and word pairs ("bang_khen"): the units phrasings and questions are compared on."""
    return [*tokens, *(f"{a}_{b}" for a, b in pairwise(tokens))]


class LexicalIndex:
    """IDF-weighted posting lists over the phrasings of every entry, and the typo corrector built from them."""

    def __init__(self, knowledge: Knowledge, entries: Sequence[Entry], raw: list[RawPhrasing], normalize: Normalizer):
        """Build from the phrasings; `raw` is rewritten in place with typo variants mapped to their common word."""
        variant_of = self._typo_variants(raw)
        entry_features: list[set[str]] = [set() for _ in entries]
        for position, (index, accented, folded) in enumerate(raw):
            folded = [variant_of.get(t, t) for t in folded]
            raw[position] = (index, accented, folded)
            entry_features[index].update(features(folded))
        df: dict[str, int] = defaultdict(int)
        for entry_feature_set in entry_features:
            for feature in entry_feature_set:
                df[feature] += 1
        count = max(len(entries), 1)
        idf = {f: math.log(1 + count / n) for f, n in df.items()}
        # Words the knowledge uses anywhere (answers, intent keywords) are real words, not typos to correct,
        # even when no phrasing contains them ("lĩnh" must not become "bình").
        known_words = {f for f in df if "_" not in f}
        for entry in entries:
            for text in (entry.answer_vi, entry.answer_en or ""):
                known_words.update(normalize(text).folded)
        for intent in knowledge.intents:
            for phrase in intent.keywords:
                known_words.update(normalize(phrase).folded)
        self._setup(variant_of, idf, count, known_words, raw)
        number = {f: i for i, f in enumerate(idf)}
        owners: list[int] = []
        positions: list[int] = []
        totals: list[float] = []
        for position, (_, _, folded) in enumerate(raw):
            weights = {feature: self.weight(feature) for feature in features(folded)}
            totals.append(sum(weights.values()))
            owners.extend(number[f] for f in weights)
            positions.extend([position] * len(weights))
        # Vectorised views: scoring a question is a weighted bincount over the postings of its words.
        feature_of = np.asarray(owners, dtype=np.int64)
        order = np.argsort(feature_of, kind="stable")
        self._postings(
            list(idf),
            np.searchsorted(feature_of[order], np.arange(len(number) + 1)).astype(np.int64),
            np.asarray(positions, dtype=np.int64)[order],
            np.asarray(totals, dtype=np.float64),
        )

    def _setup(
        self, variant_of: dict[str, str], idf: dict[str, float], count: int, known: set[str], raw: list[RawPhrasing]
    ) -> None:
        self._variant_of = variant_of
        # token → (correction, credit): a pure function of the index, asked again for every clause of a story.
        self._corrected: dict[str, tuple[str, float]] = {}
        self._idf = idf
        self._count = count
        self._unknown_idf = math.log(1 + count)
        self.vocab = sorted({f for f in idf if "_" not in f})
        self._vocab_set = set(self.vocab)
        self._known_words = known
        self._raw = raw
        self._phrasing_cache: dict[int, _Phrasing] = {}
        entries_of = np.asarray([index for index, _, _ in raw], dtype=np.int64)
        self._entry_starts = (
            np.flatnonzero(np.r_[True, entries_of[1:] != entries_of[:-1]]) if len(entries_of) else entries_of
        )
        self._entry_of_start = entries_of[self._entry_starts] if len(entries_of) else entries_of

    def _postings(self, names: list[str], bounds: np.ndarray, positions: np.ndarray, totals: np.ndarray) -> None:
        if len(bounds) != len(names) + 1 or int(bounds[-1]) != len(positions) or len(totals) != len(self._raw):
            raise ValueError("postings do not match the phrasings")
        if len(positions) and (int(positions.max()) >= len(self._raw) or int(positions.min()) < 0):
            raise ValueError("a posting names no phrasing")
        self._feature_names = names
        self._feature_number = {f: i for i, f in enumerate(names)}
        self._bounds = bounds
        self._bounds_list: list[int] = bounds.tolist()  # Python ints index faster than numpy scalars
        self._positions = positions
        self._phrasing_total = totals

    def _phrasing(self, position: int) -> _Phrasing:
        """The phrasing at `position`, made when a question first needs its text (the few best of each)."""
        phrasing = self._phrasing_cache.get(position)
        if phrasing is None:
            entry, accented, folded = self._raw[position]
            phrasing = _Phrasing(entry, " ".join(folded), frozenset(accented), frozenset(folded))
            self._phrasing_cache[position] = phrasing
        return phrasing

    # -- the compiled index (bot.core.index_cache) ------------------------------------------------------------

    def state(self) -> tuple[dict[str, np.ndarray], dict[str, object]]:
        """The index as arrays and a little metadata; the phrasings themselves are the Matcher's to save."""
        variants = list(self._variant_of.items())
        return {
            "idf_values": np.fromiter(self._idf.values(), dtype=np.float64, count=len(self._idf)),
            "features": pack_strings(self._feature_names),
            "bounds": self._bounds,
            "positions": self._positions,
            "totals": self._phrasing_total,
            "known_words": pack_strings(sorted(self._known_words)),
            "variants_from": pack_strings([a for a, _ in variants]),
            "variants_to": pack_strings([b for _, b in variants]),
        }, {"count": self._count, "idf_is_features": list(self._idf) == self._feature_names}

    @classmethod
    def from_state(cls, arrays: dict[str, np.ndarray], meta: dict[str, object], raw: list[RawPhrasing]) -> LexicalIndex:
        """The index from `state()` and the (already variant-mapped) phrasings; ValueError/KeyError when unfit."""
        if not isinstance(meta, dict) or not meta.get("idf_is_features") or not isinstance(meta.get("count"), int):
            raise ValueError("not a lexical index")
        self = cls.__new__(cls)
        names = unpack_strings(arrays["features"])
        values = arrays["idf_values"]
        if len(values) != len(names):
            raise ValueError("idf names and values differ in length")
        variants = dict(
            zip(unpack_strings(arrays["variants_from"]), unpack_strings(arrays["variants_to"]), strict=True)
        )
        idf = dict(zip(names, values.tolist(), strict=True))
        self._setup(variants, idf, int(meta["count"]), set(unpack_strings(arrays["known_words"])), raw)
        self._postings(
            names,
            arrays["bounds"].astype(np.int64, copy=False),
            arrays["positions"].astype(np.int64, copy=False),
            arrays["totals"].astype(np.float64, copy=False),
        )
        return self

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

        number, bounds = self._feature_number, self._bounds_list
        present = [(f, bounds[number[f]], bounds[number[f] + 1]) for f in query_weights if f in number]
        if not present:
            return None
        positions = np.concatenate([self._positions[a:b] for _, a, b in present])
        count = len(present)
        gains = np.repeat(
            np.fromiter((query_weights[f] * query_credit[f] for f, _, _ in present), dtype=np.float64, count=count),
            np.fromiter((b - a for _, a, b in present), dtype=np.int64, count=count),
        )
        matched = np.bincount(positions, weights=gains, minlength=len(self._raw))
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
            phrasing = self._phrasing(position)
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
