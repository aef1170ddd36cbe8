"""The phrasings of every entry as numbers: one word table, word pairs as int64 keys, rows of word ids.

At 10,000 entries a list of Python strings per phrasing, and a dictionary entry per feature string, were most of the
index's memory and of its build time. Here a phrasing is a slice of one int32 array, a feature a number: words are
0..W-1 and the word pairs ("bang_khen") W.. in the order of their keys. The retrieval index and the n-gram profiles
share these numbers; the row helpers below build per-phrasing sums and first-seen orders with numpy, adding floats
in the very order the dictionary builds did, so the figures are bit for bit the same.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from functools import lru_cache
from sys import intern

import numpy as np

from bot.core.index_cache import pack_strings, unpack_strings

REMEMBERED_FEATURES = 1 << 16  # feature numbers looked up by questions and kept (a few MiB at most)
REMEMBERED_PHRASINGS = 1 << 14  # phrasings' texts made for the string similarity and kept


class Vocabulary:
    """Folded words and the word pairs the phrasings use, each numbered once."""

    def __init__(self, words: Sequence[str], pair_keys: np.ndarray) -> None:
        """`words` distinct; `pair_keys` the sorted distinct keys first * len(words) + second of the pairs."""
        self.words: list[str] = [intern(w) for w in words]
        self.number: dict[str, int] = {w: i for i, w in enumerate(self.words)}
        self.pair_keys = np.asarray(pair_keys, dtype=np.int64)
        self.size = len(self.words) + len(self.pair_keys)
        # Questions ask about the same words and pairs again and again: the last ones asked are remembered.
        self.feature = lru_cache(maxsize=REMEMBERED_FEATURES)(self._feature)

    def _feature(self, feature: str) -> int:
        """The number of a word or of a pair "a_b", -1 when the phrasings never use it."""
        word = self.number.get(feature)
        if word is not None:
            return word
        first, sep, second = feature.partition("_")
        if not sep:
            return -1
        a, b = self.number.get(first), self.number.get(second)
        if a is None or b is None:
            return -1
        return self.pair(a * len(self.words) + b)

    def pair(self, key: int) -> int:
        keys = self.pair_keys
        at = int(np.searchsorted(keys, key))
        return len(self.words) + at if at < len(keys) and int(keys[at]) == key else -1

    def name(self, number: int) -> str:
        """The feature string of a number (the inverse of `feature`)."""
        words = len(self.words)
        if number < words:
            return self.words[number]
        key = int(self.pair_keys[number - words])
        return f"{self.words[key // words]}_{self.words[key % words]}"

    def state(self) -> dict[str, np.ndarray]:
        return {"words": pack_strings(self.words), "pair_keys": self.pair_keys}

    @classmethod
    def from_state(cls, arrays: dict[str, np.ndarray]) -> Vocabulary:
        words = unpack_strings(arrays["words"])
        keys = arrays["pair_keys"].astype(np.int64, copy=False)
        if len(set(words)) != len(words) or (len(keys) and (keys.min() < 0 or keys.max() >= len(words) ** 2)):
            raise ValueError("not a vocabulary")
        if len(keys) > 1 and not bool(np.all(keys[1:] > keys[:-1])):
            raise ValueError("pair keys are not sorted")
        return cls(words, keys)


class PhrasingTable:
    """Each phrasing's entry and its accented and folded content words (aligned), as int32 rows."""

    def __init__(
        self,
        entries: np.ndarray,
        offsets: np.ndarray,
        folded: np.ndarray,
        folded_words: Sequence[str],
        accented: np.ndarray,
        accented_words: Sequence[str],
    ) -> None:
        self.entries = np.asarray(entries, dtype=np.int32)
        self.offsets = np.asarray(offsets, dtype=np.int64)
        self.folded = np.asarray(folded, dtype=np.int32)
        self.folded_words: list[str] = [intern(w) for w in folded_words]
        self.accented = np.asarray(accented, dtype=np.int32)
        self.accented_words: list[str] = [intern(w) for w in accented_words]
        rows = len(self.entries)
        words = len(self.folded)
        if len(self.offsets) != rows + 1 or int(self.offsets[-1]) != words or len(self.accented) != words:
            raise ValueError("phrasing rows do not match their words")
        if rows and (int(self.offsets[0]) != 0 or bool(np.any(np.diff(self.offsets) < 0))):
            raise ValueError("phrasing offsets are not in order")
        if len(self.folded) and (
            int(self.folded.min()) < 0
            or int(self.folded.max()) >= len(self.folded_words)
            or int(self.accented.min()) < 0
            or int(self.accented.max()) >= len(self.accented_words)
        ):
            raise ValueError("a phrasing names no word")

    @classmethod
    def build(cls, rows: Iterable[tuple[int, Sequence[str], Sequence[str]]]) -> PhrasingTable:
        """From (entry index, accented words, folded words) rows."""
        # array('i') rather than lists: a million word numbers as Python ints took ~70 MiB at 10,000 entries.
        entries, lengths, folded_ids, accented_ids = array("i"), array("q"), array("i"), array("i")
        folded_number: dict[str, int] = {}
        accented_number: dict[str, int] = {}
        for entry, accented, folded in rows:
            entries.append(entry)
            lengths.append(len(folded))
            folded_ids.extend([folded_number.setdefault(w, len(folded_number)) for w in folded])
            accented_ids.extend([accented_number.setdefault(w, len(accented_number)) for w in accented])
        offsets = np.zeros(len(entries) + 1, dtype=np.int64)
        np.cumsum(np.frombuffer(lengths, dtype=np.int64), out=offsets[1:])
        return cls(
            np.frombuffer(entries, dtype=np.int32).copy(),
            offsets,
            np.frombuffer(folded_ids, dtype=np.int32).copy(),
            list(folded_number),
            np.frombuffer(accented_ids, dtype=np.int32).copy(),
            list(accented_number),
        )

    def __len__(self) -> int:
        return len(self.entries)

    def row_of_words(self) -> np.ndarray:
        """The phrasing each word of `folded` belongs to."""
        return np.repeat(np.arange(len(self), dtype=np.int64), np.diff(self.offsets))

    def folded_row(self, position: int) -> list[str]:
        words = self.folded_words
        a, b = int(self.offsets[position]), int(self.offsets[position + 1])
        return [words[i] for i in self.folded[a:b].tolist()]

    def accented_row(self, position: int) -> list[str]:
        words = self.accented_words
        a, b = int(self.offsets[position]), int(self.offsets[position + 1])
        return [words[i] for i in self.accented[a:b].tolist()]

    def rows(self) -> list[tuple[int, list[str], list[str]]]:
        """Every phrasing as (entry, accented words, folded words), as `build` took them."""
        return [(int(e), self.accented_row(i), self.folded_row(i)) for i, e in enumerate(self.entries.tolist())]

    def mapped(self, replace: dict[str, str]) -> tuple[PhrasingTable, Vocabulary]:
        """The table with folded words replaced (typo variants → the common word), and its vocabulary."""
        words = [replace.get(w, w) for w in self.folded_words]
        distinct = list(dict.fromkeys(words))
        number = {w: i for i, w in enumerate(distinct)}
        remap = np.asarray([number[w] for w in words], dtype=np.int32)
        folded = remap[self.folded] if len(self.folded) else self.folded
        # Words no phrasing uses any more (a variant mapped away) must not become features: renumber the used ones.
        used = np.unique(folded) if len(folded) else np.zeros(0, dtype=np.int32)
        renumber = np.full(len(distinct), -1, dtype=np.int32)
        renumber[used] = np.arange(len(used), dtype=np.int32)
        table = PhrasingTable(
            self.entries, self.offsets, renumber[folded] if len(folded) else folded,
            [distinct[i] for i in used.tolist()], self.accented, self.accented_words,
        )
        return table, Vocabulary(table.folded_words, np.unique(table.pair_keys()))

    def pair_keys(self) -> np.ndarray:
        """The key of each pair of neighbouring words inside a phrasing, in order."""
        first, second = self.pair_positions()
        return self.folded[first].astype(np.int64) * len(self.folded_words) + self.folded[second]

    def pair_positions(self) -> tuple[np.ndarray, np.ndarray]:
        """Flat positions (k, k + 1) of the neighbouring words of each phrasing."""
        if len(self.folded) < 2:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty
        row = self.row_of_words()
        first = np.flatnonzero(row[:-1] == row[1:])
        return first, first + 1

    def word_features(self, vocabulary: Vocabulary) -> tuple[np.ndarray, np.ndarray]:
        """(row, feature) of every word and then every pair of each phrasing, rows in order, as features() lists."""
        row = self.row_of_words()
        first, second = self.pair_positions()
        pair_rows = row[first]
        keys = self.folded[first].astype(np.int64) * len(vocabulary.words) + self.folded[second]
        pairs = len(vocabulary.words) + np.searchsorted(vocabulary.pair_keys, keys)
        rows = np.concatenate([row, pair_rows])
        features = np.concatenate([self.folded.astype(np.int64), pairs])
        order = merged_order(row, pair_rows)  # each row: its words, then its pairs
        return rows[order], features[order]

    def state(self) -> dict[str, np.ndarray]:
        return {
            "entries": self.entries,
            "offsets": self.offsets,
            "folded": self.folded,
            "folded_words": pack_strings(self.folded_words),
            "accented": self.accented,
            "accented_words": pack_strings(self.accented_words),
        }

    @classmethod
    def from_state(cls, arrays: dict[str, np.ndarray]) -> PhrasingTable:
        return cls(
            arrays["entries"],
            arrays["offsets"],
            arrays["folded"],
            unpack_strings(arrays["folded_words"]),
            arrays["accented"],
            unpack_strings(arrays["accented_words"]),
        )


# -- rows of (row, feature) pairs --------------------------------------------------------------------------------


def distinct_in_order(row: np.ndarray, feature: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, feature, count) of each distinct feature of each row; rows in order, features in first-seen order.

    `row` must be non-decreasing; `width` exceeds every feature number.
    """
    if not len(row):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    keys, counts, _ = groups_in_order(row.astype(np.int64) * width + feature, inverse=False)
    return keys // width, keys % width, counts


def groups_in_order(keys: np.ndarray, inverse: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(distinct keys in first-seen order, their counts, each key's group number in that order).

    Keys must be non-negative. A value sort of each key with its position in the low bits (key × 2^b + position)
    stands in for numpy's stable argsort, which is several times slower; keys too large for that are argsorted.
    """
    n = len(keys)
    if not n:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    keys = keys.astype(np.int64, copy=False)
    shift = max((n - 1).bit_length(), 1)  # positions fit in the low bits: shifts and masks, not divisions
    if int(keys.max()) < 1 << (62 - shift):
        # Every packed value is distinct, so any sort orders them alike: numpy's default (vectorised) one.
        packed = np.sort((keys << shift) | np.arange(n, dtype=np.int64))
        ordered, position = packed >> shift, packed & ((1 << shift) - 1)
        del packed
    else:  # pragma: no cover - keys beyond 2^(62 - b)
        position = np.argsort(keys, kind="stable")
        ordered = keys[position]
    change = np.r_[True, ordered[1:] != ordered[:-1]]
    starts = np.flatnonzero(change)
    counts = np.diff(np.r_[starts, n])
    first = position[starts]  # each group's first position (stable: the lowest), groups in key order
    seen = np.zeros(n, dtype=bool)
    seen[first] = True
    rank = (np.cumsum(seen) - 1)[first]  # a group's place in first-seen order
    distinct = np.empty(len(starts), dtype=np.int64)
    distinct[rank] = ordered[starts]
    counted = np.empty(len(starts), dtype=np.int64)
    counted[rank] = counts
    if not inverse:
        return distinct, counted, np.zeros(0, dtype=np.int64)
    group = np.empty(n, dtype=np.int64)
    group[position] = rank[np.cumsum(change) - 1]
    return distinct, counted, group


def merged_order(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """np.argsort(np.concatenate([first, second]), kind="stable") for two non-decreasing arrays, by merging."""
    at = np.empty(len(first) + len(second), dtype=np.int64)
    at[np.arange(len(first)) + np.searchsorted(second, first, side="left")] = np.arange(len(first))
    at[np.arange(len(second)) + np.searchsorted(first, second, side="right")] = len(first) + np.arange(len(second))
    return at


def ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The indices starts[i] .. starts[i] + lengths[i] - 1 of every i, one after another."""
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    ends = np.cumsum(lengths)
    return np.repeat(starts - (ends - lengths), lengths) + np.arange(total, dtype=np.int64)


def sequential_sums(values: np.ndarray, segment: np.ndarray, segments: int) -> np.ndarray:
    """Per segment, the sum of its values added one after another from 0.0, as Python's sum() does.

    `segment` (non-decreasing) numbers each value's segment. numpy's own reductions add pairwise, which rounds
    differently; here the k-th values of all segments are added at once, k = 0, 1, ..., so each segment's additions
    keep their order (and 0.0 + x is x).
    """
    sums = np.zeros(segments, dtype=np.float64)
    if not len(values):
        return sums
    starts = np.searchsorted(segment, np.arange(segments))
    position = np.arange(len(values)) - starts[segment]
    # By rank within the segment, segments in order (ranks are small: 16-bit ones sort by radix).
    order = np.argsort(position.astype(np.int16) if position.max() < 1 << 15 else position, kind="stable")
    bounds = np.searchsorted(position[order], np.arange(int(position.max()) + 2))
    ordered_segment, ordered_values = segment[order], values[order]
    for k in range(len(bounds) - 1):
        a, b = bounds[k], bounds[k + 1]
        sums[ordered_segment[a:b]] += ordered_values[a:b]  # one value per segment at each rank: no repeats
    return sums


def math_table(values: np.ndarray, function) -> np.ndarray:  # type: ignore[no-untyped-def]
    """`function` (a math-module function of one int) of each value, computed once per distinct value.

    math.log and numpy's log may differ in the last bit; the dictionary builds used math.
    """
    if not len(values):
        return np.zeros(0, dtype=np.float64)
    distinct, inverse = np.unique(values, return_inverse=True)
    table = np.asarray([function(v) for v in distinct.tolist()], dtype=np.float64)
    return table[inverse.reshape(-1)]
