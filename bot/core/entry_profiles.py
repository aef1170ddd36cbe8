"""A second, independent view of which entry a question is about: character n-gram profiles.

The matcher scores a question against each phrasing word by word. This module instead builds one TF-IDF
profile per entry from the character n-grams and words of all its phrasings (the normalised centroid, as in
Rocchio classification) and ranks entries by cosine similarity. It knows nothing of awards, intents or
thresholds, so when it picks the same entry as the matcher the two views confirm each other; the matcher uses
that to answer questions it would otherwise only suggest for.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import chain, pairwise

import numpy as np

from bot.core.index_cache import pack_strings, unpack_strings

NGRAM_SIZES = (2, 3, 4, 5)


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
    """Cosine similarity of a question's n-gram profile to each entry's profile."""

    def __init__(self, phrasings: Iterable[tuple[int, list[str]]], entry_count: int) -> None:
        rows = list(phrasings)
        self._idf, features, self._bounds, self._entry_of, self._weight_of = _build(rows)
        self._number = {f: i for i, f in enumerate(features)}
        self._bounds_list: list[int] = self._bounds.tolist()  # Python ints index faster than numpy scalars
        self._entry_count = entry_count

    # -- the compiled index (bot.core.index_cache) ------------------------------------------------------------

    def state(self) -> dict[str, np.ndarray]:
        """The profiles as arrays: idf of both groups, and the postings (feature → entries and weights)."""
        return {
            "idf_chars": pack_strings(list(self._idf[0])),
            "idf_chars_values": np.fromiter(self._idf[0].values(), dtype=np.float64, count=len(self._idf[0])),
            "idf_words": pack_strings(list(self._idf[1])),
            "idf_words_values": np.fromiter(self._idf[1].values(), dtype=np.float64, count=len(self._idf[1])),
            "features": pack_strings(list(self._number)),
            "bounds": self._bounds,
            "entry_of": self._entry_of,
            "weight_of": self._weight_of,
            "entry_count": np.asarray([self._entry_count], dtype=np.int64),
        }

    @classmethod
    def from_state(cls, arrays: dict[str, np.ndarray]) -> EntryProfiles:
        """Profiles from `state()`'s arrays; raises ValueError or KeyError when they do not fit together."""
        self = cls.__new__(cls)
        idf = []
        for group in ("chars", "words"):
            names, values = unpack_strings(arrays[f"idf_{group}"]), arrays[f"idf_{group}_values"]
            if len(names) != len(values):
                raise ValueError("idf names and values differ in length")
            idf.append(dict(zip(names, values.tolist(), strict=True)))
        self._idf = idf
        features = unpack_strings(arrays["features"])
        self._bounds = arrays["bounds"].astype(np.int64, copy=False)
        self._entry_of = arrays["entry_of"].astype(np.int32, copy=False)
        self._weight_of = arrays["weight_of"].astype(np.float32, copy=False)
        self._entry_count = int(arrays["entry_count"][0])
        if len(self._bounds) != len(features) + 1 or int(self._bounds[-1]) != len(self._entry_of):
            raise ValueError("postings do not match the features")
        if len(self._entry_of) != len(self._weight_of) or (
            len(self._entry_of) and int(self._entry_of.max()) >= self._entry_count
        ):
            raise ValueError("postings do not match the entries")
        self._number = {f: i for i, f in enumerate(features)}
        self._bounds_list = self._bounds.tolist()
        return self

    def _weigh(self, vectors: tuple[Counter[str], Counter[str]]) -> dict[str, float]:
        """Sublinear tf × idf, each group (characters, words) normalised to unit length on its own."""
        weighted: dict[str, float] = {}
        for group, counts in enumerate(vectors):
            idf = self._idf[group]
            part = {f: (1.0 + math.log(n)) * idf[f] for f, n in counts.items() if f in idf}
            norm = math.sqrt(sum(w * w for w in part.values())) or 1.0
            weighted.update((f, w / norm) for f, w in part.items())
        return weighted

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
        query = self._weigh(_vectors(words))
        number, bounds = self._number, self._bounds_list
        present = [(number[f], query[f]) for f in query if f in number]
        if not present:
            return None
        spans = [(bounds[n], bounds[n + 1], weight) for n, weight in present]
        return np.bincount(
            np.concatenate([self._entry_of[a:b] for a, b, _ in spans]),
            weights=np.concatenate([self._weight_of[a:b] * weight for a, b, weight in spans]),
            minlength=self._entry_count,
        ) / 2.0  # two unit-length groups: the dot product reaches 2


# -- the vectorised build ----------------------------------------------------------------------------------------

# Phrasings handled at once: bounds the memory of the per-phrasing feature counts at 10,000 entries.
CHUNK_PHRASINGS = 4096


class _FeatureIds:
    """Numbers for the features of both groups, and each word's character n-grams as numbers (made once)."""

    def __init__(self) -> None:
        self.numbers: tuple[dict[str, int], dict[str, int]] = ({}, {})
        self._grams: dict[str, list[int]] = {}

    def sequences(self, words: Sequence[str]) -> tuple[list[int], list[int]]:
        """The feature numbers of a phrasing in the order _vectors() meets them (repeats included)."""
        chars, numbers = self.numbers
        out: list[int] = []
        for word in words:
            grams = self._grams.get(word)
            if grams is None:
                grams = [chars.setdefault(g, len(chars)) for g in _char_ngrams((word,))]
                self._grams[word] = grams
            out.extend(grams)
        return out, [numbers.setdefault(f, len(numbers)) for f in _word_features(words)]


def _counts(sequences: list[list[int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, feature, count) of each distinct feature of each row, rows in order, features in first-seen order."""
    lengths = np.fromiter((len(s) for s in sequences), dtype=np.int64, count=len(sequences))
    if not lengths.sum():
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    row = np.repeat(np.arange(len(sequences), dtype=np.int64), lengths)
    feature = np.fromiter(chain.from_iterable(sequences), dtype=np.int64, count=int(lengths.sum()))
    width = int(feature.max()) + 1
    keys, first, counts = np.unique(row * width + feature, return_index=True, return_counts=True)
    order = np.argsort(first, kind="stable")  # tokens are row by row: first-seen order within each row
    keys, counts = keys[order], counts[order]
    return keys // width, keys % width, counts


def _sequential_sums(values: np.ndarray, segment: np.ndarray, segments: int) -> np.ndarray:
    """Per segment, the sum of its values added one after another from 0.0, as Python's sum() does.

    `segment` (non-decreasing) numbers each value's segment. numpy's own reductions add pairwise, which rounds
    differently; adding column by column over a padded table keeps the order exact (and + 0.0 changes nothing).
    """
    sums = np.zeros(segments, dtype=np.float64)
    if not len(values):
        return sums
    starts = np.searchsorted(segment, np.arange(segments))
    position = np.arange(len(values)) - starts[segment]
    table = np.zeros((segments, int(position.max()) + 1), dtype=np.float64)
    table[segment, position] = values
    for column in table.T:
        sums += column
    return sums


def _unit(weights: np.ndarray, row: np.ndarray, rows: int) -> np.ndarray:
    """Each row's weights divided by the row's length (1.0 for an empty row), as _weigh() does."""
    norms = np.sqrt(_sequential_sums(weights * weights, row, rows))
    norms[norms == 0] = 1.0
    return weights / norms[row]


def _build(
    rows: list[tuple[int, list[str]]],
) -> tuple[list[dict[str, float]], list[str], np.ndarray, np.ndarray, np.ndarray]:
    """The idf of both groups and the postings (features, bounds, entries, weights) of the entries' centroids.

    The same numbers as one dictionary per phrasing and per centroid, with the additions in the same order, but
    with numpy arrays for a few thousand phrasings at a time.
    """
    ids = _FeatureIds()
    total = len(rows)
    df = [np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)]
    for start in range(0, total, CHUNK_PHRASINGS):
        chunk = [ids.sequences(words) for _, words in rows[start : start + CHUNK_PHRASINGS]]
        for group in (0, 1):
            _, feature, _ = _counts([sequences[group] for sequences in chunk])
            found = np.bincount(feature, minlength=len(ids.numbers[group]))
            df[group] = np.concatenate([df[group], np.zeros(len(found) - len(df[group]), dtype=np.int64)]) + found
    # The smoothed idf of scikit-learn's TfidfVectorizer: a feature in every phrasing still counts a little.
    idf_values = []
    for group in (0, 1):
        table = {n: math.log((1 + total) / (1 + n)) + 1.0 for n in np.unique(df[group]).tolist()}
        idf_values.append(np.asarray([table[n] for n in df[group].tolist()], dtype=np.float64))
    idf = [dict(zip(ids.numbers[g], idf_values[g].tolist(), strict=True)) for g in (0, 1)]
    chars = len(ids.numbers[0])

    # Centroids, entry by entry in order of first appearance, each from its phrasings in order.
    by_entry: dict[int, list[list[str]]] = defaultdict(list)
    for entry, words in rows:
        by_entry[entry].append(words)
    entries = list(by_entry)
    features_out: list[np.ndarray] = []
    owners_out: list[np.ndarray] = []
    weights_out: list[np.ndarray] = []
    batch: list[int] = []
    batch_size = 0
    for position, entry in enumerate(entries):
        batch.append(entry)
        batch_size += len(by_entry[entry])
        if batch_size >= CHUNK_PHRASINGS or position == len(entries) - 1:
            feature, owner, weight = _centroids(batch, by_entry, ids, idf_values, chars)
            features_out.append(feature)
            owners_out.append(owner)
            weights_out.append(weight)
            batch, batch_size = [], 0
    feature_of = np.concatenate(features_out) if features_out else np.zeros(0, dtype=np.int64)
    used, feature_of = np.unique(feature_of, return_inverse=True)
    order = np.argsort(feature_of, kind="stable")
    names = list(ids.numbers[0]) + list(ids.numbers[1])
    bounds = np.searchsorted(feature_of[order], np.arange(len(used) + 1)).astype(np.int64)
    entry_of = np.concatenate(owners_out)[order].astype(np.int32) if owners_out else np.zeros(0, dtype=np.int32)
    weight_of = np.concatenate(weights_out)[order] if weights_out else np.zeros(0, dtype=np.float32)
    return idf, [names[i] for i in used.tolist()], bounds, entry_of, weight_of


def _centroids(
    batch: list[int],
    by_entry: dict[int, list[list[str]]],
    ids: _FeatureIds,
    idf: list[np.ndarray],
    chars: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(feature, entry, float32 weight) of the unit centroids of a batch of entries, in centroid order."""
    documents = [words for entry in batch for words in by_entry[entry]]
    entry_of_document = np.repeat(
        np.asarray(batch, dtype=np.int64), [len(by_entry[entry]) for entry in batch]
    )
    sequences = [ids.sequences(words) for words in documents]
    parts = []
    for group in (0, 1):
        row, feature, count = _counts([s[group] for s in sequences])
        # Sublinear tf, 1 + ln(count), from math.log as before (numpy's log may differ in the last bit).
        tf = np.asarray([1.0 + math.log(n) for n in range(1, int(count.max(initial=0)) + 1)], dtype=np.float64)
        weight = _unit(tf[count - 1] * idf[group][feature], row, len(documents)) if len(count) else count * 0.0
        parts.append((row, feature + (chars if group else 0), weight))
    row = np.concatenate([parts[0][0], parts[1][0]])
    order = np.argsort(row, kind="stable")  # each phrasing: its character n-grams, then its words
    row, feature = row[order], np.concatenate([parts[0][1], parts[1][1]])[order]
    weight = np.concatenate([parts[0][2], parts[1][2]])[order]
    if not len(row):
        return row, row, np.zeros(0, dtype=np.float32)
    # Entry-local numbers keep the keys small; a centroid's features in first-seen order over its phrasings.
    local = _local(batch, entry_of_document[row])
    width = chars + len(ids.numbers[1])
    keys, first, inverse = np.unique(local * width + feature, return_index=True, return_inverse=True)
    sums = np.zeros(len(keys), dtype=np.float64)
    np.add.at(sums, inverse, weight)  # in order of the phrasings: the same additions as `centroid[f] += w`
    order = np.argsort(first, kind="stable")
    keys, sums = keys[order], sums[order]
    owner_local = keys // width
    norms = np.sqrt(_sequential_sums(sums * sums, owner_local, len(batch)))
    norms[norms == 0] = 1.0
    return keys % width, np.asarray(batch, dtype=np.int64)[owner_local], sums.astype(np.float32) / norms.astype(
        np.float32
    )[owner_local]


def _local(batch: list[int], entries: np.ndarray) -> np.ndarray:
    """The position in `batch` of each entry number."""
    position = {entry: i for i, entry in enumerate(batch)}
    lookup = np.zeros(max(batch) + 1, dtype=np.int64)
    lookup[list(position)] = list(position.values())
    return lookup[entries]
