"""Organiser-managed dates: parsing what is typed, the checks, and the pure merge over deadlines.yaml."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.calendar.deadline_text import deadlines_text, source_phrase
from bot.calendar.deadlines import Calendar, Deadline, upcoming
from bot.calendar.managed import ManagedLayer, check_date, merge, parse_input, to_deadline
from bot.core.records import ManagedDate

TOPICS = {"ho-so", "quy-trinh"}


def yaml_deadline(deadline_id: str = "bao-cao", month: int = 12, day: int = 15) -> Deadline:
    return Deadline(deadline_id, "Báo cáo", None, None, month, day, "quy-trinh", "Chi tiết", None, "Luật X", None)


def managed(deadline_id: str = "lich-1", when: dt.date = dt.date(2027, 1, 15), **kw: object) -> ManagedDate:
    fields = {"title": "Hạn gửi hồ sơ", "topic": "ho-so", "source": "Công văn số 123/BKHCN-TCCB"} | kw
    return ManagedDate(deadline_id, when, **fields)  # type: ignore[arg-type]


def test_parse_the_chat_form() -> None:
    given = parse_input("2027-01-15 Hạn gửi hồ sơ khen thưởng năm 2026 về Bộ | nguon: Công văn số 45/BKHCN-TCCB")
    assert given.date == dt.date(2027, 1, 15)
    assert given.title == "Hạn gửi hồ sơ khen thưởng năm 2026 về Bộ"
    assert given.source == "Công văn số 45/BKHCN-TCCB" and given.topic is None and not given.problems


def test_parse_vietnamese_date_and_other_fields() -> None:
    given = parse_input("15/01/2027 Tổng kết | chủ đề: HO-SO | Nguồn = Công văn 7 | chi-tiet: gửi bản giấy")
    assert (given.date, given.topic, given.source, given.details) == (
        dt.date(2027, 1, 15), "ho-so", "Công văn 7", "gửi bản giấy"
    )


def test_parse_reports_an_impossible_day_and_an_unknown_part() -> None:
    given = parse_input("2027-02-30 Tên | ghi chú lạ")
    assert given.date is None
    assert any("2027-02-30" in p for p in given.problems) and any("ghi chú lạ" in p for p in given.problems)


def test_a_change_may_give_only_a_new_date() -> None:
    given = parse_input("2027-01-20")
    assert given.date == dt.date(2027, 1, 20) and given.title is None and given.source is None


@pytest.mark.parametrize(
    ("source", "title", "topic", "needle"),
    [("", "Tên", "ho-so", "thiếu nguồn"), ("   ", "Tên", "ho-so", "thiếu nguồn"), ("CV 1", "", "ho-so", "thiếu tên"),
     ("CV 1", "Tên", "khong-co", "không có chủ đề")],
)
def test_check_refuses_what_cannot_be_shown(source: str, title: str, topic: str, needle: str) -> None:
    problems = check_date(dt.date(2027, 1, 1), title, source, topic, TOPICS)
    assert any(needle in p for p in problems), problems


def test_check_accepts_a_complete_date() -> None:
    assert check_date(dt.date(2027, 1, 1), "Tên", "Công văn 1", "ho-so", TOPICS) == []


def test_merge_adds_overrides_and_hides_by_id_without_touching_the_yaml_calendar() -> None:
    base = Calendar((yaml_deadline("bao-cao"), yaml_deadline("so-ket", 7, 15)))
    dates = [
        managed("lich-1"),
        managed("bao-cao", dt.date(2026, 12, 20), title="Báo cáo (lịch mới)"),
        managed("so-ket", removed=True),
        managed("lich-2", removed=True),
    ]
    merged = merge(base, dates)
    assert [d.id for d in merged] == ["bao-cao", "lich-1"]
    assert merged.get("bao-cao").date == dt.date(2026, 12, 20)  # type: ignore[union-attr]
    assert [d.id for d in base] == ["bao-cao", "so-ket"]
    assert sorted(d.id for d in merge(None, dates)) == ["bao-cao", "lich-1"]


def test_a_managed_date_names_its_document_never_an_unnamed_organiser() -> None:
    deadline = to_deadline(managed())
    assert deadline.source == "Công văn số 123/BKHCN-TCCB" and not deadline.set_by_organisers
    assert source_phrase(deadline.source, "vi") == "theo Công văn số 123/BKHCN-TCCB"


def test_layer_is_read_at_each_call(knowledge) -> None:  # type: ignore[no-untyped-def]
    layer = ManagedLayer()
    today = dt.date(2027, 1, 1)
    assert upcoming(layer.calendar(None), today, 30) == []
    layer.set([managed()])
    text = deadlines_text(knowledge, layer.calendar(None), today, 30, "vi")
    assert "15/01/2027" in text and "theo Công văn số 123/BKHCN-TCCB" in text
    assert "Ban tổ chức" not in text
