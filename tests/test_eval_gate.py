"""The quality gate on the labelled question set: CI fails when answers get worse."""

from __future__ import annotations

import pytest

from bot.answers import Answerer
from bot.evaluation import DEFAULT_SET, evaluate, load_labelled
from bot.records import ANSWER

# Measured on every set in tests/eval/ (README, "Quality and speed": top-1 91.3 %, answered 87.6 %, out of scope
# answered 0 %); a drop below these fails CI. The issue asks for top-1 >= 95 %: not reached on these sets.
MIN_TOP1_IN_SCOPE = 0.89
MIN_ANSWERED_IN_SCOPE = 0.85
MAX_ANSWERED_OUT_OF_SCOPE = 0.05


@pytest.fixture(scope="module")
def labelled() -> list:
    return load_labelled(DEFAULT_SET)


def test_question_set_is_large_and_varied(labelled: list) -> None:
    styles = {item.style for item in labelled}
    assert len(labelled) >= 200
    assert {"diacritics", "no_diacritics", "english", "abbreviation", "typo", "out_of_scope"} <= styles
    assert sum(1 for item in labelled if not item.expect) >= 40


def test_expected_entries_exist(answerer: Answerer, labelled: list) -> None:
    unknown = sorted({e for item in labelled for e in item.expect if e not in answerer.knowledge.entries})
    assert not unknown, f"labels name entries that do not exist: {unknown}"


def test_top1_accuracy_in_scope(answerer: Answerer, labelled: list) -> None:
    in_scope = [item for item in labelled if item.expect]
    misses = []
    for item in in_scope:
        detected = answerer.languages.detect(item.question)
        top = answerer.matcher.match(item.question, english=detected == "en").top
        if top is None or top.entry_id not in item.expect:
            misses.append(f"{item.question!r}: {top.entry_id if top else None}")
    accuracy = 1 - len(misses) / len(in_scope)
    assert accuracy >= MIN_TOP1_IN_SCOPE, f"top-1 {accuracy:.1%}; misses:\n" + "\n".join(misses)


def test_answers_and_out_of_scope(answerer: Answerer, labelled: list) -> None:
    report = evaluate(answerer, labelled)
    assert report.in_scope().accuracy >= MIN_ANSWERED_IN_SCOPE, "\n".join(report.lines())
    assert report.out_of_scope_answered() <= MAX_ANSWERED_OUT_OF_SCOPE, "\n".join(report.misses)


def test_every_answer_cites_its_legal_basis(answerer: Answerer, labelled: list) -> None:
    for item in labelled[:120]:
        reply = answerer.ask(item.question)
        if reply.status == ANSWER:
            assert "Căn cứ:" in reply.message or "Legal basis:" in reply.message
            assert reply.to_json()["sources"]
