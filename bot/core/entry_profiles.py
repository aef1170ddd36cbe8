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
from itertools import pairwise

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
        # Two passes over the phrasings (document frequencies, then centroids) instead of keeping every
        # phrasing's n-gram counts: at 10,000 entries that would be several hundred thousand dictionaries.
        df: tuple[Counter[str], Counter[str]] = (Counter(), Counter())
        for _, words in rows:
            for group, counts in enumerate(_vectors(words)):
                df[group].update(counts.keys())
        total = len(rows)
        # The smoothed idf of scikit-learn's TfidfVectorizer: a feature in every phrasing still counts a little.
        self._idf = [{f: math.log((1 + total) / (1 + n)) + 1.0 for f, n in group.items()} for group in df]
        # One centroid at a time, stored as flat arrays (feature number, entry, weight) and split into postings at
        # the end: dictionaries for every entry's centroid at once took gigabytes at 10,000 entries.
        by_entry: dict[int, list[list[str]]] = defaultdict(list)
        for entry, words in rows:
            by_entry[entry].append(words)
        numbers: dict[str, int] = {}
        features: list[np.ndarray] = []
        owners: list[np.ndarray] = []
        weights: list[np.ndarray] = []
        for entry, documents in by_entry.items():
            centroid: dict[str, float] = defaultdict(float)
            for words in documents:
                for feature, weight in self._weigh(_vectors(words)).items():
                    centroid[feature] += weight
            norm = math.sqrt(sum(w * w for w in centroid.values())) or 1.0
            features.append(np.fromiter((numbers.setdefault(f, len(numbers)) for f in centroid), dtype=np.int32))
            owners.append(np.full(len(centroid), entry, dtype=np.int32))
            weights.append(np.fromiter(centroid.values(), dtype=np.float32) / norm)
        self._number: dict[str, int] = {}
        self._bounds = np.zeros(1, dtype=np.int64)
        self._entry_of = np.zeros(0, dtype=np.int32)
        self._weight_of = np.zeros(0, dtype=np.float32)
        if numbers:
            feature_of = np.concatenate(features)
            order = np.argsort(feature_of, kind="stable")
            self._bounds = np.searchsorted(feature_of[order], np.arange(len(numbers) + 1)).astype(np.int64)
            self._entry_of, self._weight_of = np.concatenate(owners)[order], np.concatenate(weights)[order]
            self._number = numbers
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
        number, bounds = self._number, self._bounds
        present = [(number[f], query[f]) for f in query if f in number]
        if not present:
            return None
        spans = [(int(bounds[n]), int(bounds[n + 1]), weight) for n, weight in present]
        return np.bincount(
            np.concatenate([self._entry_of[a:b] for a, b, _ in spans]),
            weights=np.concatenate([self._weight_of[a:b] * weight for a, b, weight in spans]),
            minlength=self._entry_count,
        ) / 2.0  # two unit-length groups: the dot product reaches 2
