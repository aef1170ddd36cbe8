"""The vectorised build of the n-gram profiles gives the very numbers of the dictionary-per-phrasing build."""

from __future__ import annotations

import math
from collections import Counter, defaultdict

import numpy as np
import pytest

from bot.core import entry_profiles
from bot.core.entry_profiles import EntryProfiles, _vectors
from bot.core.knowledge import Knowledge
from bot.core.matcher import Matcher


def reference(rows: list[tuple[int, list[str]]]) -> tuple[list[dict[str, float]], dict[str, list[tuple[int, float]]]]:
    """The build as it was before vectorising: idf of both groups, feature → [(entry, float32 weight)]."""
    df: tuple[Counter[str], Counter[str]] = (Counter(), Counter())
    for _, words in rows:
        for group, counts in enumerate(_vectors(words)):
            df[group].update(counts.keys())
    total = len(rows)
    idf = [{f: math.log((1 + total) / (1 + n)) + 1.0 for f, n in group.items()} for group in df]

    def weigh(words: list[str]) -> dict[str, float]:
        weighted: dict[str, float] = {}
        for group, counts in enumerate(_vectors(words)):
            part = {f: (1.0 + math.log(n)) * idf[group][f] for f, n in counts.items()}
            norm = math.sqrt(sum(w * w for w in part.values())) or 1.0
            weighted.update((f, w / norm) for f, w in part.items())
        return weighted

    by_entry: dict[int, list[list[str]]] = defaultdict(list)
    for entry, words in rows:
        by_entry[entry].append(words)
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for entry, documents in by_entry.items():
        centroid: dict[str, float] = defaultdict(float)
        for words in documents:
            for feature, weight in weigh(words).items():
                centroid[feature] += weight
        norm = math.sqrt(sum(w * w for w in centroid.values())) or 1.0
        values = np.fromiter(centroid.values(), dtype=np.float32) / norm
        for feature, value in zip(centroid, values.tolist(), strict=True):
            postings[feature].append((entry, value))
    return idf, postings


def check(rows: list[tuple[int, list[str]]], entries: int) -> None:
    profiles = EntryProfiles(rows, entries)
    idf, postings = reference(rows)
    assert profiles.idf_tables() == idf  # the same floats, bit for bit
    assert profiles.postings() == dict(postings)


def test_the_shipped_knowledge_gives_the_same_numbers(knowledge: Knowledge) -> None:
    matcher = Matcher(knowledge)
    rows = [(index, folded) for index, _, folded in matcher.index.phrasings.rows()]
    check(rows, len(matcher.entries))


@pytest.mark.parametrize("keep", [0, entry_profiles.KEEP_COUNTS])  # counts counted again, or kept from the idf pass
@pytest.mark.parametrize("chunk", [1, 3, 7])
def test_small_chunks_and_odd_rows_give_the_same_numbers(
    monkeypatch: pytest.MonkeyPatch, chunk: int, keep: int
) -> None:
    monkeypatch.setattr(entry_profiles, "CHUNK_PHRASINGS", chunk)
    monkeypatch.setattr(entry_profiles, "KEEP_COUNTS", keep)
    rows = [
        (2, ["ho", "so", "ho", "so", "bang", "khen"]),
        (0, ["tien", "thuong"]),
        (2, []),
        (0, ["tien", "tien", "thuong", "bao", "nhieu"]),
        (1, ["a"]),
        (3, []),
        (1, ["han", "nop", "ho", "so"]),
    ]
    check(rows, 5)
    assert EntryProfiles([], 2).best(["ho"]) is None


def test_gathered_and_sliced_postings_give_the_same_similarities(
    knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    profiles = Matcher(knowledge)._profiles
    questions = [["ho", "so", "bang", "khen", "bo"], ["tien", "thuong", "chien", "si", "thi", "dua"], ["thuogn"]]
    gathered = [profiles._similarities.__wrapped__(profiles, tuple(q)) for q in questions]
    monkeypatch.setattr(entry_profiles, "GATHER_POSTINGS", 0)
    sliced = [profiles._similarities.__wrapped__(profiles, tuple(q)) for q in questions]
    assert all(np.array_equal(a, b) for a, b in zip(gathered, sliced, strict=True))


def test_question_profile_is_the_dictionary_weighing(knowledge: Knowledge) -> None:
    """The vectorised profile of a question: the very weights of weighing `_vectors()` feature by feature."""
    profiles = Matcher(knowledge)._profiles
    idf_chars, idf_words = profiles.idf_tables()
    for question in (["ho", "so", "bang", "khen", "bo", "ho", "so"], ["thuogn", "tien", "tien"], ["zzz"], []):
        expected: dict[int, float] = {}
        chars, words = _vectors(question)
        for counts, idf, number in (
            (chars, idf_chars, profiles._gram_number.get),
            (words, idf_words, lambda f: profiles._vocabulary.feature(f[2:]) + len(profiles._grams)),
        ):
            part = {number(f): (1.0 + math.log(n)) * idf[f] for f, n in counts.items() if f in idf}
            norm = math.sqrt(sum(w * w for w in part.values())) or 1.0
            expected.update((f, w / norm) for f, w in part.items())
        numbers, weights = profiles._weigh_words(question)
        assert list(zip(numbers.tolist(), weights.tolist(), strict=True)) == list(expected.items())
