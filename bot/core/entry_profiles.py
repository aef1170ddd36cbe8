"""A second, independent view of which entry a question is about: character n-gram profiles.

The matcher scores a question against each phrasing word by word. This module instead builds one TF-IDF
profile per entry from the character n-grams and words of all its phrasings (the normalised centroid, as in
Rocchio classification) and ranks entries by cosine similarity. It knows nothing of awards, intents or
thresholds, so when it picks the same entry as the matcher the two views confirm each other; the matcher uses
that to answer questions it would otherwise only suggest for.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import pairwise

import numpy as np

from bot.core.index_cache import pack_strings, unpack_strings
from bot.core.phrasing_table import (
    PhrasingTable,
    Vocabulary,
    distinct_in_order,
    groups_in_order,
    math_table,
    merged_order,
    ranges,
    sequential_sums,
)

NGRAM_SIZES = (2, 3, 4, 5)
REMEMBERED_WORDS = 100_000  # words whose n-gram numbers are kept per profiles (a few MiB at most)


def _char_ngrams(words: Sequence[str]) -> Iterable[str]:
    """Character n-grams inside each space-padded word: robust to typos and to words split differently."""
    for word in words:
        padded = f" {word} "
        for size in NGRAM_SIZES:
            for start in range(len(padded) - size + 1):
                yield padded[start : start + size]


def _word_features(words: Sequence[str]) -> Iterable[str]:
    yield from (f"w:{w}" for w in words)
    yield from (f"w:{a}_{b}" for a, b in pairwise(words))


def _vectors(words: Sequence[str]) -> tuple[Counter[str], Counter[str]]:
    """Raw counts of the two feature groups: character n-grams and words (with word pairs)."""
    return Counter(_char_ngrams(words)), Counter(_word_features(words))


class EntryProfiles:
    """Cosine similarity of a question's n-gram profile to each entry's profile.

    Features are numbered characters first (0..C-1, the n-grams the phrasings' words hold), then the phrasings'
    Vocabulary (words and word pairs) from C on; the postings are entries (uint16 up to 65,536 entries) and float32
    weights per feature, sliced by `bounds`.
    """

    def __init__(self, phrasings: Iterable[tuple[int, list[str]]], entry_count: int) -> None:
        """From (entry, folded words) rows (the matcher builds from its phrasing table with `build`)."""
        rows = list(phrasings)
        table, vocabulary = PhrasingTable.build((entry, words, words) for entry, words in rows).mapped({})
        built = EntryProfiles.build(table, vocabulary, entry_count)
        self.__dict__.update(built.__dict__)

    @classmethod
    def build(cls, table: PhrasingTable, vocabulary: Vocabulary, entry_count: int) -> EntryProfiles:
        self = cls.__new__(cls)
        self._vocabulary = vocabulary
        self._entry_count = entry_count
        grams, self._idf_chars, self._idf_words, self._bounds, self._entry_of, self._weight_of = _build(
            table, vocabulary, entry_count
        )
        self._set_grams(grams)
        return self

    def _set_grams(self, grams: list[str]) -> None:
        self._grams = grams
        self._gram_number = {g: i for i, g in enumerate(grams)}
        self._word_grams: dict[str, tuple[int, ...]] = {}  # word → its known n-grams' numbers, in _char_ngrams order
        self._char_rows: np.ndarray | None = None  # made on the first question (_dense_char_rows)
        if len(self._idf_chars) != len(grams) or len(self._idf_words) != self._vocabulary.size:
            raise ValueError("idf does not match the features")
        if len(self._bounds) != len(grams) + self._vocabulary.size + 1 or int(self._bounds[-1]) != len(self._entry_of):
            raise ValueError("postings do not match the features")
        if len(self._entry_of) != len(self._weight_of) or (
            len(self._entry_of) and int(self._entry_of.max()) >= self._entry_count
        ):
            raise ValueError("postings do not match the entries")

    # -- the compiled index (bot.core.index_cache) ------------------------------------------------------------

    def state(self) -> dict[str, np.ndarray]:
        """The profiles as arrays (the vocabulary is the lexical index's to save)."""
        return {
            "grams": pack_strings(self._grams),
            "idf_chars": self._idf_chars,
            "idf_words": self._idf_words,
            "bounds": self._bounds,
            "entry_of": self._entry_of,
            "weight_of": self._weight_of,
            "entry_count": np.asarray([self._entry_count], dtype=np.int64),
        }

    @classmethod
    def from_state(cls, arrays: dict[str, np.ndarray], vocabulary: Vocabulary) -> EntryProfiles:
        """Profiles from `state()`'s arrays; raises ValueError or KeyError when they do not fit together."""
        self = cls.__new__(cls)
        self._vocabulary = vocabulary
        self._entry_count = int(arrays["entry_count"][0])
        self._idf_chars = arrays["idf_chars"].astype(np.float64, copy=False)
        self._idf_words = arrays["idf_words"].astype(np.float64, copy=False)
        self._bounds = arrays["bounds"].astype(np.int64, copy=False)
        self._entry_of = arrays["entry_of"].astype(_entry_type(self._entry_count), copy=False)
        self._weight_of = arrays["weight_of"].astype(np.float32, copy=False)
        self._set_grams(unpack_strings(arrays["grams"]))
        return self

    # -- reading back (tests compare with the dictionary build) -----------------------------------------------

    def idf_tables(self) -> list[dict[str, float]]:
        """The idf of both groups by feature name, as the dictionary build had them."""
        words = {f"w:{self._vocabulary.name(n)}": v for n, v in enumerate(self._idf_words.tolist())}
        return [dict(zip(self._grams, self._idf_chars.tolist(), strict=True)), words]

    def postings(self) -> dict[str, list[tuple[int, float]]]:
        """Feature name → [(entry, weight)] of every feature some entry holds."""
        out = {}
        chars = len(self._grams)
        bounds = self._bounds.tolist()
        for n in range(len(bounds) - 1):
            a, b = bounds[n], bounds[n + 1]
            if a < b:
                name = self._grams[n] if n < chars else f"w:{self._vocabulary.name(n - chars)}"
                out[name] = list(zip(self._entry_of[a:b].tolist(), self._weight_of[a:b].tolist(), strict=True))
        return out

    # -- questions --------------------------------------------------------------------------------------------

    def _weigh_words(self, words: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """The question's profile: (feature numbers, weights) of sublinear tf × idf, each group (characters, words)
        normalised to unit length on its own; characters first, each group in first-seen order.

        The same figures, bit for bit, as weighing the Counters of `_vectors(words)` one feature at a time: tf from
        math.log, the norm's squares added in order. Each word's n-gram numbers are remembered (a pure function of
        the profiles).
        """
        cache = self._word_grams
        numbers: list[int] = []
        for word in words:
            known = cache.get(word)
            if known is None:
                grams = self._gram_number
                known = tuple(n for g in _char_ngrams((word,)) if (n := grams.get(g)) is not None)
                if len(cache) < REMEMBERED_WORDS:
                    cache[word] = known
            numbers.extend(known)
        chars, char_counts = _counted_in_order(numbers)
        feature = self._vocabulary.feature
        counted = Counter([*words, *(f"{a}_{b}" for a, b in pairwise(words))])  # _word_features without "w:"
        found = [(n, count) for f, count in counted.items() if (n := feature(f)) >= 0]
        known_words = np.asarray([n for n, _ in found], dtype=np.int64)
        word_counts = np.asarray([count for _, count in found], dtype=np.int64)
        return np.concatenate([chars, known_words + len(self._grams)]), np.concatenate(
            [_unit_length(char_counts, self._idf_chars[chars]), _unit_length(word_counts, self._idf_words[known_words])]
        )

    def best(self, words: Sequence[str]) -> int | None:
        """The entry whose profile is closest to the question's, or None when nothing is shared."""
        scores = self.similarities(words)
        return None if scores is None else int(np.argmax(scores))

    def similarities(self, words: Sequence[str]) -> np.ndarray | None:
        """Cosine similarity (0-1) of the question to every entry's profile, None when nothing is shared."""
        # The ranking and the answer decision ask about the same question in turn: the last few are kept.
        return self._similarities(tuple(words))

    @lru_cache(maxsize=32)  # noqa: B019 - one instance per loaded knowledge, dropped with it on reload
    def _similarities(self, words: tuple[str, ...]) -> np.ndarray | None:
        numbers, query = self._weigh_words(words)
        if not len(numbers):
            return None
        begins = self._bounds[numbers]
        lengths = self._bounds[numbers + 1] - begins
        total = int(lengths.sum())
        if not total:
            return None
        char_rows = self._dense_char_rows()
        if char_rows is not None:
            return self._dense_similarities(char_rows, numbers, query, begins, lengths)
        if total <= GATHER_POSTINGS:
            # One gather instead of a slice and a product per feature: the same float32 products, in the same order.
            at = ranges(begins, lengths)
            weights = query.astype(np.float32)
            products = self._weight_of[at] * weights.repeat(lengths)  # np.repeat without its Python wrapper
            return np.bincount(self._entry_of[at], weights=products, minlength=self._entry_count) / 2.0
        starts, ends = begins.tolist(), (begins + lengths).tolist()
        # Python floats, so that each product is float32 as before (a numpy float64 would widen it).
        spans = [(a, b, w) for a, b, w in zip(starts, ends, query.tolist(), strict=True) if a < b]
        return np.bincount(
            np.concatenate([self._entry_of[a:b] for a, b, _ in spans]),
            weights=np.concatenate([self._weight_of[a:b] * weight for a, b, weight in spans]),
            minlength=self._entry_count,
        ) / 2.0  # two unit-length groups: the dot product reaches 2

    def _dense_char_rows(self) -> np.ndarray | None:
        """The n-gram features' weights as a dense (n-gram × entry) float32 matrix, when it is small (the shipped
        knowledge: 9,000 n-grams × 276 entries, 10 MiB; at 10,000 entries it would be 360 MiB, and is not made)."""
        grams = len(self._grams)
        if self._char_rows is None and 0 < grams * self._entry_count <= DENSE_CHAR_CELLS:
            rows = np.zeros((grams, self._entry_count), dtype=np.float32)
            postings = int(self._bounds[grams])
            feature = np.arange(grams, dtype=np.int64).repeat(np.diff(self._bounds[: grams + 1]))
            rows[feature, self._entry_of[:postings]] = self._weight_of[:postings]
            self._char_rows = rows
        return self._char_rows

    def _dense_similarities(
        self, char_rows: np.ndarray, numbers: np.ndarray, query: np.ndarray, begins: np.ndarray, lengths: np.ndarray
    ) -> np.ndarray:
        """The gather's figures, bit for bit, from one row per question feature: the n-grams' rows copied from the
        dense matrix, the words' scattered from their postings, each row times its float32 weight (the same float32
        products), then summed row after row in float64 (numpy adds one row after another along a slow axis, as
        bincount adds each entry's products in their order; an entry a feature lacks adds 0.0, which changes no
        sum). A question's ~20,000 n-gram postings are ~120 rows copied instead of gathered one by one.
        tests/core/test_entry_profiles_dense.py compares both over the labelled questions."""
        chars = int(np.count_nonzero(numbers < len(self._grams)))  # the n-grams come first (_weigh_words)
        weights = query.astype(np.float32)
        rows = np.empty((len(numbers), self._entry_count), dtype=np.float32)
        np.multiply(char_rows[numbers[:chars]], weights[:chars, None], out=rows[:chars])
        rows[chars:] = 0.0
        if chars < len(numbers):
            word_lengths = lengths[chars:]
            at = ranges(begins[chars:], word_lengths)
            row = chars + np.arange(len(numbers) - chars, dtype=np.int64).repeat(word_lengths)
            rows[row, self._entry_of[at]] = self._weight_of[at] * weights[chars:].repeat(word_lengths)
        return rows.astype(np.float64).sum(axis=0) / 2.0


# The n-gram features' dense matrix (EntryProfiles._dense_char_rows) is made up to this many cells (16 MiB).
DENSE_CHAR_CELLS = 4_000_000

# Up to this many postings a question's are gathered at once; beyond (10,000 entries: ~600,000), slicing them feature
# by feature is faster than the large index arrays of a gather.
GATHER_POSTINGS = 100_000


def _counted_in_order(numbers: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """The distinct numbers in order of first appearance and how often each appears (Counter's items, counted in
    C: faster than np.unique on a question's few hundred)."""
    counted = Counter(numbers)
    return (
        np.fromiter(counted.keys(), dtype=np.int64, count=len(counted)),
        np.fromiter(counted.values(), dtype=np.int64, count=len(counted)),
    )


# Sublinear tf, 1 + ln(count), from math.log (numpy's log may differ in the last bit); counts beyond are computed.
_SUBLINEAR = np.asarray([0.0] + [1.0 + math.log(n) for n in range(1, 257)], dtype=np.float64)


def _unit_length(counts: np.ndarray, idf: np.ndarray) -> np.ndarray:
    """tf × idf scaled to unit length, the squares added one after another as Python's sum() does."""
    if len(counts) and int(counts.max()) >= len(_SUBLINEAR):
        tf = np.asarray([1.0 + math.log(c) for c in counts.tolist()], dtype=np.float64)
    else:
        tf = _SUBLINEAR[counts]
    weights = tf * idf
    norm = math.sqrt(float(np.cumsum(weights * weights)[-1])) if len(weights) else 0.0
    return weights / (norm or 1.0)


def _entry_type(entry_count: int) -> type[np.integer]:
    return np.uint16 if entry_count <= 1 << 16 else np.int32


# -- the vectorised build ----------------------------------------------------------------------------------------

# Phrasings handled at once: bounds the memory of the per-phrasing feature counts at 10,000 entries.
CHUNK_PHRASINGS = 4096
# Per-phrasing feature counts kept from the idf pass for the centroids (12 bytes each) up to this many; beyond, the
# centroids count them again (at 10,000 entries there are about six million: 70 MiB more at the build's peak).
KEEP_COUNTS = 2_000_000


class _Features:
    """Both groups' features of any set of phrasings, as (row, feature) arrays in the order _vectors() meets them."""

    def __init__(self, table: PhrasingTable, vocabulary: Vocabulary) -> None:
        self.table, self.vocabulary = table, vocabulary
        number: dict[str, int] = {}
        gram_ids: list[int] = []
        lengths: list[int] = []
        for word in vocabulary.words:  # each word's n-grams once; phrasings repeat words endlessly
            before = len(gram_ids)
            gram_ids.extend(number.setdefault(g, len(number)) for g in _char_ngrams((word,)))
            lengths.append(len(gram_ids) - before)
        self.grams = list(number)
        self._gram_ids = np.asarray(gram_ids, dtype=np.int64)
        self._gram_lengths = np.asarray(lengths, dtype=np.int64)
        self._gram_starts = np.zeros(len(lengths), dtype=np.int64)
        if lengths:
            np.cumsum(self._gram_lengths[:-1], out=self._gram_starts[1:])

    def of(self, rows: np.ndarray) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
        """((row, char n-gram), (row, word feature)) of the phrasings `rows`, renumbered 0.. in that order."""
        offsets = self.table.offsets
        starts, lengths = offsets[rows], offsets[rows + 1] - offsets[rows]
        word_row = np.repeat(np.arange(len(rows), dtype=np.int64), lengths)
        words = self.table.folded[ranges(starts, lengths)].astype(np.int64)
        gram_lengths = self._gram_lengths[words]
        chars = self._gram_ids[ranges(self._gram_starts[words], gram_lengths)]
        char_row = np.repeat(word_row, gram_lengths)
        first = np.flatnonzero(word_row[:-1] == word_row[1:]) if len(words) > 1 else np.zeros(0, dtype=np.int64)
        keys = words[first] * len(self.vocabulary.words) + words[first + 1]
        pairs = len(self.vocabulary.words) + np.searchsorted(self.vocabulary.pair_keys, keys)
        feature_row = np.concatenate([word_row, word_row[first]])
        order = merged_order(word_row, word_row[first])  # each phrasing: its words, then its pairs
        return (char_row, chars), (feature_row[order], np.concatenate([words, pairs])[order])


def _build(
    table: PhrasingTable, vocabulary: Vocabulary, entry_count: int
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The n-grams, the idf of both groups and the postings (bounds, entries, weights) of the entries' centroids.

    The same numbers as one dictionary per phrasing and per centroid, with the additions in the same order, but
    with numpy arrays for a few thousand phrasings at a time.
    """
    features = _Features(table, vocabulary)
    chars, words = len(features.grams), vocabulary.size
    total = len(table)
    df = [np.zeros(chars, dtype=np.int64), np.zeros(words, dtype=np.int64)]
    kept: list[list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = [[], []]
    size = 0
    for start in range(0, total, CHUNK_PHRASINGS):
        groups = features.of(np.arange(start, min(total, start + CHUNK_PHRASINGS), dtype=np.int64))
        for group, (row, feature) in enumerate(groups):
            row, distinct, count = distinct_in_order(row, feature, max(len(df[group]), 1))
            df[group] += np.bincount(distinct, minlength=len(df[group]))
            size += len(row)
            if size <= KEEP_COUNTS:
                kept[group].append(((row + start).astype(np.int32), distinct.astype(np.int32), count.astype(np.int32)))
    # The phrasings' own counts, kept for the centroids when they are few enough (not at 10,000 entries).
    counted = [_Counted(parts, total) for parts in kept] if size <= KEEP_COUNTS else None
    del kept
    # The smoothed idf of scikit-learn's TfidfVectorizer: a feature in every phrasing still counts a little.
    idf = [math_table(df[g], lambda n: math.log((1 + total) / (1 + n)) + 1.0) for g in (0, 1)]

    # Centroids, entry by entry in order of first appearance, each from its phrasings in order.
    entries_of = table.entries.astype(np.int64)
    seen, first = np.unique(entries_of, return_index=True)
    entry_order = seen[np.argsort(first, kind="stable")]
    rank = np.zeros(int(entries_of.max(initial=-1)) + 1, dtype=np.int64)
    rank[entry_order] = np.arange(len(entry_order))
    document_rank = rank[entries_of]
    documents = np.argsort(document_rank, kind="stable")  # grouped by entry, each entry's phrasings in order
    boundaries = np.searchsorted(document_rank[documents], np.arange(len(entry_order) + 1))
    batches: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    begin = 0
    while begin < len(entry_order):
        end = int(np.searchsorted(boundaries, boundaries[begin] + CHUNK_PHRASINGS, side="left"))
        end = min(max(end, begin + 1), len(entry_order))
        batch_documents = documents[boundaries[begin] : boundaries[end]]
        local = document_rank[batch_documents] - begin
        feature, local, weight = _centroids(features, batch_documents, local, idf, counted)
        batches.append((feature.astype(np.int32), entry_order[begin:end][local].astype(np.int32), weight))
        begin = end
    # Postings feature by feature, each one's entries in centroid order: a counting sort, batch after batch, so no
    # global sort of six million postings is needed at 10,000 entries.
    counts = np.zeros(chars + words, dtype=np.int64)
    for feature, _, _ in batches:
        counts += np.bincount(feature, minlength=chars + words)
    bounds = np.zeros(chars + words + 1, dtype=np.int64)
    np.cumsum(counts, out=bounds[1:])
    kind = _entry_type(entry_count)
    entry_of = np.zeros(int(bounds[-1]), dtype=kind)
    weight_of = np.zeros(int(bounds[-1]), dtype=np.float32)
    cursor = bounds[:-1].copy()
    while batches:
        feature, owner, weight = batches.pop(0)
        count = len(feature)
        order = np.sort(feature.astype(np.int64) * count + np.arange(count)) % max(count, 1)  # a stable order
        feature = feature[order]
        starts = np.searchsorted(feature, feature, side="left")  # where each feature's run begins in the batch
        target = cursor[feature] + (np.arange(len(feature)) - starts)
        entry_of[target] = owner[order]
        weight_of[target] = weight[order]
        cursor += np.bincount(feature, minlength=chars + words)
    return features.grams, idf[0], idf[1], bounds, entry_of, weight_of


class _Counted:
    """(row, feature, count) of every phrasing's distinct features, one group, rows in order."""

    def __init__(self, parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]], rows: int) -> None:
        row, self.feature, self.count = (
            np.concatenate([part[i] for part in parts]) if parts else np.zeros(0, dtype=np.int32) for i in range(3)
        )
        self.starts = np.searchsorted(row, np.arange(rows + 1))

    def of(self, documents: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The same triples for `documents`, renumbered 0.. in that order."""
        starts = self.starts[documents]
        lengths = self.starts[documents + 1] - starts
        at = ranges(starts, lengths)
        row = np.repeat(np.arange(len(documents), dtype=np.int64), lengths)
        return row, self.feature[at].astype(np.int64), self.count[at].astype(np.int64)


def _centroids(
    features: _Features,
    documents: np.ndarray,
    local: np.ndarray,
    idf: list[np.ndarray],
    counted: list[_Counted] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(feature, entry's place in the batch, float32 weight) of the unit centroids of a batch of entries.

    `documents` are the batch's phrasings entry by entry, each entry's in order; `local` numbers their entries
    0, 1, ... in the batch. Centroids come in batch order, each one's features in first-seen order.
    """
    chars = len(idf[0])
    parts = []
    pairs = features.of(documents) if counted is None else (None, None)
    for group in (0, 1):
        if counted is None:
            row, feature = pairs[group]  # type: ignore[misc]
            row, feature, count = distinct_in_order(row, feature, max(len(idf[group]), 1))
        else:
            row, feature, count = counted[group].of(documents)
        # Sublinear tf, 1 + ln(count), from math.log as before (numpy's log may differ in the last bit).
        tf = np.asarray([1.0 + math.log(n) for n in range(1, int(count.max(initial=0)) + 1)], dtype=np.float64)
        weight = _unit(tf[count - 1] * idf[group][feature], row, len(documents)) if len(count) else count * 0.0
        parts.append((row, feature + (chars if group else 0), weight))
    row = np.concatenate([parts[0][0], parts[1][0]])
    order = merged_order(parts[0][0], parts[1][0])  # each phrasing: its character n-grams, then its words
    row, feature = row[order], np.concatenate([parts[0][1], parts[1][1]])[order]
    weight = np.concatenate([parts[0][2], parts[1][2]])[order]
    if not len(row):
        return row, row, np.zeros(0, dtype=np.float32)
    # Entry-local numbers keep the keys small; a centroid's features in first-seen order over its phrasings.
    width = chars + len(idf[1])
    keys, _, group = groups_in_order(local[row] * width + feature)
    sums = np.zeros(len(keys), dtype=np.float64)
    np.add.at(sums, group, weight)  # in order of the phrasings: the same additions as `centroid[f] += w`
    owner = keys // width
    norms = np.sqrt(sequential_sums(sums * sums, owner, int(local.max()) + 1))
    norms[norms == 0] = 1.0
    return keys % width, owner, sums.astype(np.float32) / norms.astype(np.float32)[owner]


def _unit(weights: np.ndarray, row: np.ndarray, rows: int) -> np.ndarray:
    """Each row's weights divided by the row's length (1.0 for an empty row), as _weigh() does."""
    norms = np.sqrt(sequential_sums(weights * weights, row, rows))
    norms[norms == 0] = 1.0
    return weights / norms[row]
