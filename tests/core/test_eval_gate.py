"""The quality gate on the labelled question set: CI fails when answers get worse."""

from __future__ import annotations

import pytest

from bot.core.answers import Answerer
from bot.core.evaluation import DEFAULT_SET, evaluate, load_labelled
from bot.core.records import ANSWER

# Two kinds of sets in tests/eval/ (README, "Quality and speed"):
# - ordinary: questions written by fresh writers the way new users ask (writers-a/b/c/english/vietnamese).
#   The gate: top-1 on in-scope questions >= 95 % (measured 96.6 %); answered correctly >= 90 %
#   (measured 94.8 %).
# - stress: questions.yaml (reworded each time the knowledge caught up with it) and writers-situations (long
#   case descriptions, English as officers write it). Regression floors a little under the measured level.
ORDINARY_SETS = (
    "writers-a.yaml",
    "writers-b.yaml",
    "writers-c.yaml",
    "writers-english.yaml",
    "writers-vietnamese.yaml",
)
MIN_TOP1_ORDINARY = 0.95
MIN_ANSWERED_ORDINARY = 0.90
MIN_TOP1_STRESS = {"questions.yaml": 0.88, "writers-situations.yaml": 0.86}  # measured 90.5 %, 88.8 %
MIN_ANSWERED_ALL = 0.87  # every set together, stress sets included (measured 89.9 %)
MAX_ANSWERED_OUT_OF_SCOPE = 0.05


@pytest.fixture(scope="module")
def labelled() -> list:
    # The sets of real questions (real-*.yaml, issue 12) are far below these floors and have their own report and
    # test (tests/core/test_eval_real_sets.py); they stay out of the ordinary and stress gates.
    return [item for item in load_labelled(DEFAULT_SET) if not item.real]


def test_question_set_is_large_and_varied(labelled: list) -> None:
    styles = {item.style for item in labelled}
    assert len(labelled) >= 200
    assert {"diacritics", "no_diacritics", "english", "abbreviation", "typo", "out_of_scope"} <= styles
    assert sum(1 for item in labelled if not item.in_scope) >= 40


def test_expected_entries_exist(answerer: Answerer, labelled: list) -> None:
    unknown = sorted({e for item in labelled for e in item.expect if e not in answerer.knowledge.entries})
    assert not unknown, f"labels name entries that do not exist: {unknown}"


def _top1(answerer: Answerer, items: list) -> tuple[float, list[str]]:
    misses = []
    in_scope = [item for item in items if item.in_scope]
    for item in in_scope:
        detected = answerer.languages.detect(item.question)
        top = answerer.matcher.match(item.question, english=detected == "en").top
        if top is None or top.entry_id not in item.expect:
            misses.append(f"{item.question!r}: {top.entry_id if top else None}")
    return 1 - len(misses) / len(in_scope), misses


def test_every_gated_set_is_there(labelled: list) -> None:
    sources = {item.source for item in labelled}
    assert set(ORDINARY_SETS) | set(MIN_TOP1_STRESS) <= sources


def test_top1_accuracy_on_ordinary_questions(answerer: Answerer, labelled: list) -> None:
    accuracy, misses = _top1(answerer, [item for item in labelled if item.source in ORDINARY_SETS])
    assert accuracy >= MIN_TOP1_ORDINARY, f"top-1 {accuracy:.1%}; misses:\n" + "\n".join(misses)


@pytest.mark.parametrize(("source", "floor"), sorted(MIN_TOP1_STRESS.items()))
def test_top1_accuracy_on_stress_sets(answerer: Answerer, labelled: list, source: str, floor: float) -> None:
    accuracy, misses = _top1(answerer, [item for item in labelled if item.source == source])
    assert accuracy >= floor, f"{source}: top-1 {accuracy:.1%}; misses:\n" + "\n".join(misses)


def test_answers_and_out_of_scope(answerer: Answerer, labelled: list) -> None:
    ordinary = evaluate(answerer, [item for item in labelled if item.source in ORDINARY_SETS])
    assert ordinary.in_scope().accuracy >= MIN_ANSWERED_ORDINARY, "\n".join(ordinary.lines())
    everything = evaluate(answerer, labelled)
    assert everything.in_scope().accuracy >= MIN_ANSWERED_ALL, "\n".join(everything.lines())
    assert everything.out_of_scope_answered() <= MAX_ANSWERED_OUT_OF_SCOPE, "\n".join(everything.misses)


def test_every_answer_cites_its_legal_basis(answerer: Answerer, labelled: list) -> None:
    for item in labelled[:120]:
        reply = answerer.ask(item.question)
        if reply.status == ANSWER:
            assert "Căn cứ:" in reply.message or "Legal basis:" in reply.message
            assert reply.to_json()["sources"]
