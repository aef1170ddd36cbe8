"""A pattern's needles (bot.core.needles): every match holds one, so skipping texts without any changes nothing."""

from __future__ import annotations

import random
import re

import pytest

from bot.core import record_reader
from bot.core.eligibility_eval import load_stories
from bot.core.evaluation import DEFAULT_SET, load_labelled
from bot.core.needles import may_match, needles


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("abc", ("abc",)),
        (r"\bbang khen\b", ("bang khen",)),  # a word boundary is zero-width: the run goes on
        ("x?yz", ("yz",)),  # an optional part contributes nothing
        (r"(?<=\d\d\d\d )xuat sac", ("xuat sac",)),  # nor does a lookaround
        ("a(?:bcd|efg)h", ("bcd", "efg")),  # a group that must occur gives its own, when they are longer
        (r"\bfoo\b|bar", ("foo", "bar")),  # an alternation needs one of each branch's
        ("(ab)+c", ("ab",)),  # a group repeated at least once must occur
        ("[ab]cd", ("cd",)),
    ],
)
def test_needles_of_simple_patterns(pattern: str, expected: tuple[str, ...]) -> None:
    assert needles(pattern) == expected


@pytest.mark.parametrize(
    "pattern",
    [
        "a*",  # may match the empty text
        "[abc]+",  # no fixed text
        "abc|[xy]",  # one branch has none: the alternation has none
        "(?i)abc",  # ignoring case, "ABC" matches too
        "a(?i:bc)|(?i:d)",
        r"\d\d\d\d",
    ],
)
def test_no_needles_when_a_match_may_hold_no_fixed_text(pattern: str) -> None:
    assert needles(pattern) is None


def test_a_compiled_pattern_with_ignorecase_has_none() -> None:
    assert needles(re.compile("abc", re.IGNORECASE)) is None
    assert needles(re.compile("abc")) == ("abc",)


def test_random_patterns_never_match_a_text_without_their_needles() -> None:
    """Soundness on many small random patterns and texts over a small alphabet (where matches are frequent)."""
    rng = random.Random(17)
    atoms = ["a", "b", "ab", "ba", "c", r"\b", "[ab]", "a?", "(?:a|bc)", "(?:ab|c)+", "b*", " ", r"(?<=a)", r"(?!c)"]
    texts = ["".join(rng.choice("abc ") for _ in range(rng.randint(0, 12))) for _ in range(400)]
    checked = 0
    for _ in range(600):
        branches = ["".join(rng.choice(atoms) for _ in range(rng.randint(1, 5))) for _ in range(rng.randint(1, 3))]
        pattern = re.compile("|".join(branches))
        found = needles(pattern)
        for text in texts:
            if pattern.search(text):
                checked += 1
                assert may_match(found, text), (pattern.pattern, found, text)
    assert checked > 10_000


def _prepared_questions() -> list[str]:
    """Every labelled question, the eligibility stories included, as the record reader prepares it."""
    stories = [s.question for path in sorted((DEFAULT_SET / "eligibility").glob("*.yaml")) for s in load_stories(path)]
    return [record_reader._prepare(q) for q in [*(item.question for item in load_labelled(DEFAULT_SET)), *stories]]


def test_every_award_and_rating_pattern_has_needles() -> None:
    for value, _, found in [*record_reader._AWARD_PATTERNS, *record_reader._RATING_PATTERNS]:
        assert found, value  # otherwise every message is scanned with it, which is correct but slow


def test_the_record_readers_patterns_match_no_labelled_question_without_their_needles() -> None:
    texts = _prepared_questions()
    matched = 0
    for _, pattern, found in [*record_reader._AWARD_PATTERNS, *record_reader._RATING_PATTERNS]:
        for text in texts:
            if pattern.search(text):
                matched += 1
                assert may_match(found, text), (pattern.pattern, text)
    assert matched > 1000


def test_mentions_are_the_same_with_and_without_the_needles() -> None:
    unfiltered = [(value, pattern, None) for value, pattern, _ in record_reader._AWARD_PATTERNS]
    ratings = [(value, pattern, None) for value, pattern, _ in record_reader._RATING_PATTERNS]
    found = 0
    for text in _prepared_questions():
        for filtered, plain in ((record_reader._AWARD_PATTERNS, unfiltered), (record_reader._RATING_PATTERNS, ratings)):
            a = record_reader._find(filtered, text, "award", [])
            b = record_reader._find(plain, text, "award", [])
            assert a == b
            found += len(a)
    assert found > 1000
