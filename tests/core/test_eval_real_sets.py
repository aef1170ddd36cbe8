"""The development sets of real questions (tests/eval/real-*.yaml, issue 12 part 4).

What is gated here, and why only this:
- the sets are well formed: every item has the page it came from, a topic, labels that exist, and the mix the
  issue describes (most questions longer than 120 characters, enough out-of-scope ones);
- out-of-scope real questions are not answered: a floor at the level measured on 2026-12-03 (16 of 17 = 94.1 %).
  Answering an off-topic question (a salary or party-discipline question dressed in TĐKT words) is the worst kind
  of miss, so this floor is worth keeping while the matcher is rebuilt.
The in-scope figures (measured 8/37 = 21.6 %; longer than 120 characters 5/28 = 17.9 %) are deliberately NOT
gated: they are the gap issue 12 exists to close, a floor at today's level would pass however little the matcher
improves, and the issue's own goals (70 % / 60 %) are far above it. `python -m bot eval` prints them.
The held-out third is kept outside the repository and is never loaded by a test.
"""

from __future__ import annotations

import pytest

from bot.core.answers import Answerer
from bot.core.evaluation import DEFAULT_SET, LONG, evaluate, load_labelled

MIN_OUT_OF_SCOPE_NOT_ANSWERED = 0.94  # measured 16/17 = 94.1 % on real-dev-a + real-dev-b


@pytest.fixture(scope="module")
def real() -> list:
    return [item for item in load_labelled(DEFAULT_SET) if item.real]


def test_real_sets_are_there_and_well_formed(real: list) -> None:
    sources = {item.source for item in real}
    assert {"real-dev-a.yaml", "real-dev-b.yaml", "real-dev-c.yaml"} <= sources
    assert sources <= {f"real-dev-{part}.yaml" for part in "abcdefghijklmno"}
    assert len(real) >= 50
    assert all(item.style == "real" for item in real)
    assert all(item.url.startswith("http") and item.topic for item in real)
    in_scope = [item for item in real if item.in_scope]
    assert sum(1 for item in in_scope if len(item.question) > LONG) >= len(in_scope) / 2
    assert sum(1 for item in real if not item.in_scope) >= 15
    assert all(item.wanted for item in real if not item.covered)


def test_real_labels_name_existing_entries(answerer: Answerer, real: list) -> None:
    unknown = sorted({e for item in real for e in item.expect if e not in answerer.knowledge.entries})
    assert not unknown, f"labels name entries that do not exist: {unknown}"


def test_real_out_of_scope_questions_are_not_answered(answerer: Answerer, real: list) -> None:
    report = evaluate(answerer, [item for item in real if not item.in_scope])
    oos = report.real_total().out_of_scope
    assert oos.accuracy >= MIN_OUT_OF_SCOPE_NOT_ANSWERED, "\n".join(report.misses)
