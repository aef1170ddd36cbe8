"""The guided check's questions and the record their answers make (bot.core.eligibility_guide)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.criteria import load_criteria
from bot.core.eligibility import Record, evaluate
from bot.core.eligibility_guide import PLAN, next_question, questions

CRITERIA = load_criteria(Path(__file__).resolve().parents[2] / "knowledge" / "criteria.yaml")


def run(award: str, answers: dict[str, str], record: Record | None = None) -> tuple[str, list[str]]:
    record = record or Record(current_year=2026)
    asked: tuple[str, ...] = ()
    while (q := next_question(award, record, asked)) is not None:
        record = q.apply(record, answers[q.id])
        asked = (*asked, q.id)
    return evaluate(record, CRITERIA.awards[award], CRITERIA).verdict, list(asked)


def test_every_award_has_a_plan_of_known_questions() -> None:
    qs = questions(2026)
    assert set(PLAN) == set(CRITERIA.awards)
    for plan in PLAN.values():
        assert all(q in qs for q in plan)
    for q in qs.values():
        assert q.options and all(len(f"el:v:{q.id}:{v}".encode()) <= 64 for v, _, _ in q.options)


@pytest.mark.parametrize(
    ("award", "answers", "verdict"),
    [
        ("cstd-bo", {"cs": "3", "sk": "bo", "dc": "no"}, "meets"),
        ("cstd-bo", {"cs": "2", "sk": "bo", "dc": "no"}, "fails"),
        ("cstd-bo", {"cs": "3", "sk": "co-so", "dc": "no"}, "fails"),
        ("cstd-bo", {"cs": "3", "sk": "bo", "dc": "pending"}, "fails"),
        ("lao-dong-tien-tien", {"rt": "HTT", "rc": "no", "dc": "no"}, "meets"),
        ("lao-dong-tien-tien", {"rt": "HT", "rc": "no", "dc": "no"}, "fails"),
        ("lao-dong-tien-tien", {"rt": "pending", "rc": "no", "dc": "no"}, "unknown"),
        ("lao-dong-tien-tien", {"rt": "HTT", "rc": "yes", "dc": "no"}, "fails"),
        ("cstd-co-so", {"rt": "HTT", "sk": "co-so", "rc": "no", "dc": "no"}, "meets"),
        ("cstd-co-so", {"rt": "HTT", "sk": "none", "rc": "no", "dc": "no"}, "fails"),
        ("cstd-toan-quoc", {"bo": "2", "sk": "toan-quoc", "dc": "no"}, "meets"),
        ("cstd-toan-quoc", {"bo": "1", "sk": "toan-quoc", "dc": "no"}, "fails"),
        ("bang-khen-bo", {"cs": "2", "hx": "0", "skn": "2", "dc": "no"}, "meets"),
        ("bang-khen-bo", {"cs": "1", "hx": "2", "skn": "2", "dc": "no"}, "meets"),
        ("bang-khen-bo", {"cs": "2", "hx": "0", "skn": "1", "dc": "no"}, "fails"),
        ("bang-khen-thu-tuong", {"bkb": "2020", "wh": "yes", "wc": "3", "dc": "no"}, "meets"),
        ("bang-khen-thu-tuong", {"bkb": "2022", "wh": "yes", "wc": "3", "dc": "no"}, "fails"),
        ("bang-khen-thu-tuong", {"bkb": "other", "wh": "yes", "wc": "3", "dc": "no"}, "fails"),
        ("bang-khen-thu-tuong", {"bkb": "2020", "wh": "no", "wc": "3", "dc": "no"}, "fails"),
        ("huan-chuong-lao-dong", {"bkt": "2019", "wht": "yes", "wx": "yes", "wc": "3", "dc": "no"}, "meets"),
        ("huan-chuong-lao-dong", {"bkt": "2019", "wht": "yes", "wx": "no", "wc": "3", "dc": "no"}, "fails"),
        ("tap-the-lao-dong-tien-tien", {"cr": "HTT", "csh": "ge70", "cmd": "no"}, "meets"),
        ("tap-the-lao-dong-tien-tien", {"cr": "HTT", "csh": "lt70", "cmd": "no"}, "fails"),
        ("tap-the-lao-dong-tien-tien", {"cr": "HTT", "csh": "ge70", "cmd": "yes"}, "fails"),
        ("tap-the-lao-dong-xuat-sac", {"cr": "HTXS", "cac": "yes", "csh": "ge70", "ccs": "yes"}, "meets"),
        ("tap-the-lao-dong-xuat-sac", {"cr": "HTXS", "cac": "yes", "csh": "ge70", "ccs": "no"}, "fails"),
        ("bang-khen-bo-tap-the", {"chx": "2"}, "meets"),
        ("co-thi-dua-bo", {"cl": "yes"}, "unknown"),
        ("co-thi-dua-bo", {"cl": "no"}, "fails"),
        ("bang-khen-thu-tuong-tap-the", {}, "unknown"),
    ],
)
def test_answers_give_the_verdict(award: str, answers: dict[str, str], verdict: str) -> None:
    got, asked = run(award, answers)
    assert got == verdict
    assert asked == [q for q in PLAN[award] if q in answers]


def test_what_the_text_told_is_not_asked_again() -> None:
    from bot.core.eligibility import Held

    record = Record(current_year=2026, held=tuple(Held("cstd-co-so", y) for y in (2023, 2024, 2025)))
    verdict, asked = run("cstd-bo", {"sk": "bo", "dc": "no"}, record)
    assert asked == ["sk", "dc"] and verdict == "meets"
