"""The profiles' dense n-gram rows (a small knowledge's fast path) give the gather's similarities bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

from bot.core import entry_profiles
from bot.core.answers import Answerer
from bot.core.evaluation import DEFAULT_SET, load_labelled


def similarities(profiles: entry_profiles.EntryProfiles, questions: list[tuple[str, ...]]) -> list[np.ndarray | None]:
    return [profiles._similarities.__wrapped__(profiles, q) for q in questions]


def test_dense_rows_gathered_and_sliced_postings_agree_bit_for_bit(
    answerer: Answerer, monkeypatch: pytest.MonkeyPatch
) -> None:
    matcher = answerer.matcher
    profiles = matcher._profiles
    # The labelled questions' words as the ranking hands them over: typo-corrected content words, repeats included
    # (tf > 1), English ones too; and words no n-gram or word of the knowledge holds.
    questions = [
        tuple(matcher._corrected_content(matcher.normalize(item.question))[1])
        for item in load_labelled(DEFAULT_SET)[::3]
    ]
    questions += [("zzz",), ("ho", "so", "ho", "so", "bang", "khen"), ("thuogn",), ()]
    dense = similarities(profiles, questions)
    assert profiles._char_rows is not None  # the shipped knowledge is small enough for the dense rows
    monkeypatch.setattr(entry_profiles, "DENSE_CHAR_CELLS", 0)
    monkeypatch.setattr(profiles, "_char_rows", None)
    gathered = similarities(profiles, questions)
    assert profiles._char_rows is None
    monkeypatch.setattr(entry_profiles, "GATHER_POSTINGS", 0)
    sliced = similarities(profiles, questions)
    assert sum(s is not None for s in dense) > 500
    for a, b, c in zip(dense, gathered, sliced, strict=True):
        assert (a is None) == (b is None) == (c is None)
        if a is not None:
            assert a.dtype == b.dtype == np.float64
            assert np.array_equal(a, b) and np.array_equal(b, c)  # the same floats, not merely close ones


def test_a_large_knowledge_keeps_the_postings_only(answerer: Answerer, monkeypatch: pytest.MonkeyPatch) -> None:
    profiles = answerer.matcher._profiles
    monkeypatch.setattr(profiles, "_char_rows", None)
    monkeypatch.setattr(entry_profiles, "DENSE_CHAR_CELLS", len(profiles._grams) * profiles._entry_count - 1)
    assert profiles._dense_char_rows() is None
    assert profiles.best(["ho", "so", "bang", "khen"]) is not None
