"""Lexical retrieval: every entry scored as its best phrasing, word by word, with typos corrected first.

Each phrasing is a bag of IDF-weighted words and word pairs. A question scores a phrasing by how much of the
question it explains (recall), how much of the phrasing the question covers (precision) and, for the best few,
rapidfuzz's word-order-free similarity. Scoring is a weighted bincount over posting lists, so it stays fast at
10,000 entries.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

import numpy as np
from rapidfuzz import fuzz, process

from bot.core.index_cache import pack_strings, unpack_strings
from bot.core.knowledge import Entry, Knowledge
from bot.core.normalize import Normalizer, telex_fold
from bot.core.phrasing_table import (
    REMEMBERED_PHRASINGS,
    PhrasingTable,
    Vocabulary,
    distinct_in_order,
    math_table,
    sequential_sums,
)

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



@dataclass(frozen=True, slots=True)
class _Phrasing:
    text: str  # folded content words in sorted order (token_sort_ratio's form), for the string similarity
    accented: frozenset[str]
    folded: frozenset[str]


def features(tokens: Sequence[str]) -> list[str]:
    """Words and word pairs ("bang_khen"): the units phrasings and questions are compared on."""
    return [*tokens, *(f"{a}_{b}" for a, b in pairwise(tokens))]


class LexicalIndex:
    """IDF-weighted posting lists over the phrasings of every entry, and the typo corrector built from them.

    Features are numbered by the phrasings' Vocabulary (words, then word pairs); the postings are one int32 array
    of phrasing positions per feature, sliced by `bounds`.
    """

    def __init__(self, knowledge: Knowledge, entries: Sequence[Entry], table: PhrasingTable, normalize: Normalizer):
        """Build from the phrasings; `self.phrasings` is the table with typo variants mapped to their common word."""
        variant_of = self._typo_variants(table)
        table, vocabulary = table.mapped(variant_of)
        rows = len(table)
        row, feature = table.word_features(vocabulary)
        width = max(vocabulary.size, 1)
        # Document frequency: the entries whose phrasings use a feature.
        owner = table.entries[row].astype(np.int64) if len(row) else row
        per_entry = np.unique(owner * width + feature) % width if len(row) else feature
        df = np.bincount(per_entry, minlength=vocabulary.size)
        count = max(len(entries), 1)
        idf = math_table(df, lambda n: math.log(1 + count / n) if n else 0.0)
        # Words the knowledge uses anywhere (answers, intent keywords) are real words, not typos to correct,
        # even when no phrasing contains them ("lĩnh" must not become "bình").
        known_words = set(vocabulary.words)
        for text in dict.fromkeys(t for entry in entries for t in (entry.answer_vi, entry.answer_en or "")):
            known_words.update(normalize(text).folded)
        for intent in knowledge.intents:
            for phrase in intent.keywords:
                known_words.update(normalize(phrase).folded)
        self._setup(variant_of, vocabulary, idf, count, known_words, table)
        # Each phrasing's distinct features in first-seen order, weighed and summed in that order as before.
        row, feature, _ = distinct_in_order(row, feature, width)
        weights = self._weights[feature] if len(feature) else np.zeros(0, dtype=np.float64)
        totals = sequential_sums(weights, row, rows)
        # Vectorised views: scoring a question is a weighted bincount over the postings of its words.
        # Postings: feature by feature, each one's phrasings in order (a value sort: each (feature, row) is one).
        positions = (np.sort(feature * max(rows, 1) + row) % max(rows, 1)).astype(np.int32)
        bounds = np.zeros(vocabulary.size + 1, dtype=np.int64)
        np.cumsum(np.bincount(feature, minlength=vocabulary.size), out=bounds[1:])
        self._postings(bounds, positions, totals)

    def _setup(
        self,
        variant_of: dict[str, str],
        vocabulary: Vocabulary,
        idf: np.ndarray,
        count: int,
        known: set[str],
        table: PhrasingTable,
    ) -> None:
        if len(idf) != vocabulary.size:
            raise ValueError("idf does not match the vocabulary")
        self._variant_of = variant_of
        # token → (correction, credit): a pure function of the index, asked again for every clause of a story.
        self._corrected: dict[str, tuple[str, float]] = {}
        self.vocabulary = vocabulary
        self.phrasings = table
        self._idf = idf
        factors = np.ones(vocabulary.size, dtype=np.float64)
        factors[len(vocabulary.words) :] = BIGRAM_FACTOR
        self._weights = idf * factors  # the same products as idf[f] * BIGRAM_FACTOR one at a time
        self._count = count
        self._unknown_idf = math.log(1 + count)
        self.vocab = sorted(vocabulary.words)
        self._known_words = known
        entries_of = table.entries.astype(np.int64)
        self._entry_starts = (
            np.flatnonzero(np.r_[True, entries_of[1:] != entries_of[:-1]]) if len(entries_of) else entries_of
        )
        self._entry_of_start = entries_of[self._entry_starts] if len(entries_of) else entries_of
        # Each phrasing's run of its entry's phrasings (the number of its entry start).
        self._run_of = np.cumsum(np.r_[False, entries_of[1:] != entries_of[:-1]]) if len(entries_of) else entries_of
        self._phrasing = lru_cache(maxsize=REMEMBERED_PHRASINGS)(self._make_phrasing)

    def _postings(self, bounds: np.ndarray, positions: np.ndarray, totals: np.ndarray) -> None:
        rows = len(self.phrasings)
        if len(bounds) != self.vocabulary.size + 1 or int(bounds[-1]) != len(positions) or len(totals) != rows:
            raise ValueError("postings do not match the phrasings")
        if len(positions) and (int(positions.max()) >= rows or int(positions.min()) < 0):
            raise ValueError("a posting names no phrasing")
        if len(bounds) > 1 and bool(np.any(np.diff(bounds) < 0)):
            raise ValueError("postings bounds decrease")
        self._bounds = bounds
        self._positions = positions
        self._phrasing_total = totals

    def _make_phrasing(self, position: int) -> _Phrasing:
        """The phrasing at `position`, made when a question needs its text (the few best of each question)."""
        table = self.phrasings
        folded = table.folded_row(position)
        return _Phrasing(
            " ".join(sorted(" ".join(folded).split())),  # token_sort_ratio's own form, made once per phrasing
            frozenset(table.accented_row(position)),
            frozenset(folded),
        )

    # -- the compiled index (bot.core.index_cache) ------------------------------------------------------------

    def state(self) -> tuple[dict[str, np.ndarray], dict[str, object]]:
        """The index as arrays and a little metadata, the phrasings and their vocabulary included."""
        variants = list(self._variant_of.items())
        return {
            **{f"table_{k}": v for k, v in self.phrasings.state().items()},
            **{f"vocabulary_{k}": v for k, v in self.vocabulary.state().items()},
            "idf": self._idf,
            "bounds": self._bounds,
            "positions": self._positions,
            "totals": self._phrasing_total,
            "known_words": pack_strings(sorted(self._known_words)),
            "variants_from": pack_strings([a for a, _ in variants]),
            "variants_to": pack_strings([b for _, b in variants]),
        }, {"count": self._count}

    @classmethod
    def from_state(cls, arrays: dict[str, np.ndarray], meta: dict[str, object]) -> LexicalIndex:
        """The index from `state()`; ValueError/KeyError when the arrays do not fit together."""
        if not isinstance(meta, dict) or not isinstance(meta.get("count"), int):
            raise ValueError("not a lexical index")
        self = cls.__new__(cls)
        table = PhrasingTable.from_state({k[6:]: v for k, v in arrays.items() if k.startswith("table_")})
        vocabulary = Vocabulary.from_state({k[11:]: v for k, v in arrays.items() if k.startswith("vocabulary_")})
        if table.folded_words != vocabulary.words:
            raise ValueError("the phrasings and the vocabulary differ")
        variants = dict(
            zip(unpack_strings(arrays["variants_from"]), unpack_strings(arrays["variants_to"]), strict=True)
        )
        known = set(unpack_strings(arrays["known_words"]))
        idf = arrays["idf"].astype(np.float64, copy=False)
        self._setup(variants, vocabulary, idf, int(meta["count"]), known, table)
        self._postings(
            arrays["bounds"].astype(np.int64, copy=False),
            arrays["positions"].astype(np.int32, copy=False),
            arrays["totals"].astype(np.float64, copy=False),
        )
        return self

    @staticmethod
    def _typo_variants(table: PhrasingTable) -> dict[str, str]:
        """Typos kept on purpose among the phrasings ("thưởg") map to the common word they misspell."""
        words = table.folded_words
        width = max(len(words), 1)
        row = table.row_of_words()
        # How many phrasings use each word (once per phrasing), words in order of first use.
        used = np.unique(row * width + table.folded) % width if len(row) else row
        counts = np.bincount(used, minlength=len(words)).tolist()
        common = [t for t, n in zip(words, counts, strict=True) if n >= COMMON_WORD_COUNT and len(t) >= 3]
        variants = {}
        for token, n in zip(words, counts, strict=True):
            if n > 2 or len(token) < 4 or VIETNAMESE_SYLLABLE.fullmatch(token):
                continue
            best = process.extractOne(token, common, scorer=fuzz.ratio, score_cutoff=VARIANT_SIMILARITY)
            if best is not None and best[0] != token:
                variants[token] = best[0]
        return variants

    def weight(self, feature: str, known: bool = True) -> float:
        number = self.vocabulary.feature(feature) if known else -1
        if number >= 0:
            return float(self._weights[number])
        return self._unknown_idf * (UNKNOWN_BIGRAM_FACTOR if "_" in feature else 1.0)

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
        if telex and telex in self.vocabulary.number and VIETNAMESE_SYLLABLE.fullmatch(telex):
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
        pairs = [f"{a}_{b}" for a, b in pairwise(corrected)]
        feature = self.vocabulary.feature
        number = {f: feature(f) for f in (*corrected, *pairs)}
        # A feature numbered -1 reads the last weight here, unused: its weight is the unknown feature's.
        weights = self._weights[list(number.values())].tolist() if len(self._weights) else [0.0] * len(number)
        weight = {
            f: w if n >= 0 else self._unknown_idf * (UNKNOWN_BIGRAM_FACTOR if "_" in f else 1.0)
            for (f, n), w in zip(number.items(), weights, strict=True)
        }  # self.weight(f) of every word and pair, looked up at once
        query_weights: dict[str, float] = {}
        query_credit: dict[str, float] = {}
        for i, token in enumerate(corrected):
            factor = AWARD_CONTEXT_FACTOR if i in in_award else 1.0
            query_weights[token] = max(query_weights.get(token, 0.0), weight[token] * factor)
            query_credit[token] = max(query_credit.get(token, 0.0), credit[i])
        for i, pair in enumerate(pairs):
            query_weights[pair] = weight[pair]
            query_credit[pair] = min(credit[i], credit[i + 1])
        query_total = sum(query_weights.values())

        present = [(f, n) for f in query_weights if (n := number[f]) >= 0]
        if not present:
            return None
        numbers = np.fromiter((n for _, n in present), dtype=np.int64, count=len(present))
        starts, ends = self._bounds[numbers].tolist(), self._bounds[numbers + 1].tolist()
        positions = np.concatenate([self._positions[a:b] for a, b in zip(starts, ends, strict=True)])
        count = len(present)
        # Array methods rather than numpy's module functions (np.repeat, np.flatnonzero, np.partition …) here and
        # below: the same operations without the Python wrapper around each, which a question pays a dozen times.
        gains = np.fromiter((query_weights[f] * query_credit[f] for f, _ in present), dtype=np.float64, count=count)
        lengths = np.fromiter((b - a for a, b in zip(starts, ends, strict=True)), dtype=np.int64, count=count)
        gains = gains.repeat(lengths)
        matched = np.bincount(positions, weights=gains, minlength=len(self.phrasings))
        # Only the phrasings sharing a feature can score; the figures below are computed for them alone, with the
        # very operations a whole-table computation would do element by element, so they are bit for bit the same.
        hits = (matched > 0).nonzero()[0]
        hit_matched = matched[hits]
        recall = hit_matched / (hit_matched + UNMATCHED_PENALTY * (query_total - hit_matched))
        partial = RECALL_WEIGHT * recall + PRECISION_WEIGHT * hit_matched / self._phrasing_total[hits]
        # Without the string term a phrasing's score is estimated from its share of the blend.
        scores = 100.0 * partial / (RECALL_WEIGHT + PRECISION_WEIGHT) * (1 - STRING_WEIGHT)
        query_text = " ".join(sorted(" ".join(corrected).split()))  # token_sort_ratio is the ratio of these
        rescored = self._rescored(partial)
        phrasings = [self._phrasing(position) for position in hits[rescored].tolist()]
        adjustments = [self._accent_adjustment(typed, p) for p in phrasings] if typed else [0.0] * len(phrasings)
        scores[rescored] = [
            100.0 * (share + STRING_WEIGHT * (fuzz.ratio(query_text, phrasing.text) / 100.0)) + adjustment
            for share, phrasing, adjustment in zip(partial[rescored].tolist(), phrasings, adjustments, strict=True)
        ]
        # Each entry scores as its best phrasing: the maximum over each run of its phrasings that holds a hit.
        runs = self._run_of[hits]
        if not len(runs):
            return {}
        firsts = np.concatenate([[0], (runs[1:] != runs[:-1]).nonzero()[0] + 1])
        entry_scores = np.maximum.reduceat(scores, firsts)
        keep = entry_scores > 0
        candidates, entry_scores = runs[firsts][keep], entry_scores[keep]
        if len(candidates) > KEEP_ENTRIES:
            best = (-entry_scores).argpartition(KEEP_ENTRIES - 1)[:KEEP_ENTRIES]
            candidates, entry_scores = candidates[best], entry_scores[best]
        return dict(zip(self._entry_of_start[candidates].tolist(), entry_scores.tolist(), strict=True))

    def _rescored(self, partial: np.ndarray) -> np.ndarray:
        """Which hits (indices into the hits) get the string similarity: the RESCORE_TOP best by `partial`.

        Phrasings tied at the cut are taken in table order. (A partition of the whole table used to choose among
        them; with numpy's AVX-512 partition that choice depended on the CPU. Table order is what the portable
        partition chose over every labelled question.)
        """
        top = min(RESCORE_TOP, len(self.phrasings))
        if len(partial) <= top:
            return np.arange(len(partial))  # every phrasing outside the hits scores 0 and was skipped
        # Only the phrasings scoring at least the (top + 1)-th best of a sample can be among the top + 1 best:
        # partitioning them alone is cheaper than partitioning every hit.
        sample = partial[:: max(1, len(partial) // (8 * top))]
        floor = 0.0
        if len(sample) > top:
            floor_of = -sample  # a new array: partitioned in place
            floor_of.partition(top)
            floor = floor_of[top]
        survivors = (-partial <= floor).nonzero()[0]
        negated = -partial[survivors]
        # The top-th largest; asking for the next one too takes numpy's faster path (3-4 × here, same value).
        ordered = negated.copy()
        ordered.partition((top - 1, top))
        cut = ordered[top - 1]
        above = survivors[negated < cut]
        tied = survivors[negated == cut][: top - len(above)]
        return np.concatenate([above, tied])

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
