"""Multi-word phrases in a word sequence: one longest-first scan shared by normaliser, matcher and reports."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Generic, TypeVar

V = TypeVar("V")


class Phrases(dict[tuple[str, ...], V], Generic[V]):
    """Word tuples and what each stands for; remembers its longest phrase so scans stay short."""

    def __init__(self, items: Iterable[tuple[tuple[str, ...], V]] | dict[tuple[str, ...], V] = ()) -> None:
        super().__init__(items)
        self.longest = max(map(len, self), default=0)
        # Most words start no phrase: one set lookup skips them.
        self.first_words = frozenset(key[0] for key in self if key)
        self.sizes = tuple(sorted({len(key) for key in self}, reverse=True))
        # The lengths of the phrases each first word starts, longest first: the only sizes worth trying there.
        by_first: dict[str, set[int]] = {}
        for key in self:
            if key:
                by_first.setdefault(key[0], set()).add(len(key))
        self.sizes_of = {word: tuple(sorted(sizes, reverse=True)) for word, sizes in by_first.items()}


def spans(tokens: Sequence[str], phrases: Phrases[V]) -> list[tuple[int, int, V]]:
    """(start, end, value) of every phrase found, scanning left to right, longest first, without overlaps."""
    found: list[tuple[int, int, V]] = []
    # Most texts hold no word that starts a phrase of a given set: one C-level check instead of a word-by-word scan.
    if phrases.first_words.isdisjoint(tokens):
        return found
    sizes_of, count = phrases.sizes_of, len(tokens)
    i = 0
    while i < count:
        sizes = sizes_of.get(tokens[i])
        if sizes is not None:
            for size in sizes:
                if i + size <= count:
                    key = tuple(tokens[i : i + size])
                    if key in phrases:
                        found.append((i, i + size, phrases[key]))
                        i += size
                        break
            else:
                i += 1
        else:
            i += 1
    return found


def values(tokens: Sequence[str], phrases: Phrases[V]) -> list[V]:
    """The values of the phrases found in `tokens`."""
    return [value for _, _, value in spans(tokens, phrases)]


def strip(
    tokens: Sequence[str], phrases: Phrases[V], aligned: Sequence[str] | None = None
) -> tuple[list[str], list[str]]:
    """Drop the phrases from `tokens` and the same positions from `aligned` (tokens itself when not given)."""
    other = tokens if aligned is None else aligned
    found = spans(tokens, phrases)
    if not found and len(other) == len(tokens):
        return list(tokens), list(other)
    covered = {i for start, end, _ in found for i in range(start, end)}
    keep = [i for i in range(len(tokens)) if i not in covered]
    return [tokens[i] for i in keep], [other[i] for i in keep]
