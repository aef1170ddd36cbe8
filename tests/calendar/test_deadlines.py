"""Tests for bot.calendar.deadlines: validation, occurrences across years, 29 February and reminder maths."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from bot.calendar.deadlines import (
    Calendar,
    Deadline,
    DueReminder,
    Occurrence,
    ReminderKey,
    Subscription,
    days_left,
    due_reminders,
    load_deadlines,
    occurrences,
    upcoming,
)
from bot.core.errors import KnowledgeError

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "knowledge" / "deadlines.yaml"
FIXTURE = ROOT / "tests" / "calendar_fixture.yaml"  # dated test calendar; the shipped one sets no unsourced date
TOPICS = ROOT / "knowledge" / "topics.yaml"


def make(
    deadline_id: str = "han",
    *,
    topic: str = "quy-trinh",
    date: date | None = None,
    month: int | None = None,
    day: int | None = None,
) -> Deadline:
    """Builds a Deadline with sensible defaults: a one-off `date` or a yearly `month` + `day`."""
    return Deadline(
        id=deadline_id,
        title_vi=f"Hạn {deadline_id}",
        title_en=None,
        date=date,
        month=month,
        day=day,
        topic=topic,
        details_vi="Chi tiết",
        details_en=None,
        source="Hướng dẫn hằng năm",
        set_by="organisers",
    )


def entry(**overrides: object) -> dict[str, object]:
    """Returns a valid YAML entry with some fields replaced (None removes a field)."""
    base: dict[str, object] = {
        "id": "han-mau",
        "title": {"vi": "Hạn mẫu", "en": "Sample deadline"},
        "month": 12,
        "day": 15,
        "topic": "quy-trinh",
        "details": {"vi": "Gửi báo cáo về Vụ Tổ chức cán bộ."},
        "source": "Hướng dẫn công tác thi đua, khen thưởng hằng năm của Bộ",
        "set_by": "organisers",
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def write(tmp_path: Path, entries: list[object]) -> Path:
    """Writes a deadlines file under tmp_path and returns its path."""
    path = tmp_path / "deadlines.yaml"
    path.write_text(yaml.safe_dump({"deadlines": entries}, allow_unicode=True), encoding="utf-8")
    return path


def problems_of(path: Path, topic_ids: set[str] | None = None) -> list[str]:
    """Loads a file that must fail and returns its problems."""
    with pytest.raises(KnowledgeError) as info:
        load_deadlines(path, topic_ids)
    return info.value.problems


# --- loading and validation ---------------------------------------------------------------------------


def test_shipped_calendar_counts_down_to_no_unsourced_date() -> None:
    """No current text sets 15/12, 31/12 or 15/01 (facts A3.1): a shipped date needs a dated source of its own."""
    topic_ids = {t["id"] for t in yaml.safe_load(TOPICS.read_text(encoding="utf-8"))["topics"]}
    for deadline in load_deadlines(SHIPPED, topic_ids):
        assert re.search(r"\b(19|20)\d{2}\b", deadline.source), deadline.id  # the year's guidance, by number
        assert "98/2023" not in deadline.source and "09/2018" not in deadline.source, deadline.id


def test_fixture_calendar_loads_without_errors_or_warnings() -> None:
    topic_ids = {t["id"] for t in yaml.safe_load(TOPICS.read_text(encoding="utf-8"))["topics"]}
    calendar = load_deadlines(FIXTURE, topic_ids)
    assert 8 <= len(calendar) <= 12
    assert calendar.warnings(date(2026, 11, 23)) == []
    # Every month quarter has a milestone, so the reminders cover the whole year.
    months = {d.month for d in calendar if d.month is not None}
    assert any(m <= 3 for m in months) and any(4 <= m <= 6 for m in months)
    assert any(7 <= m <= 9 for m in months) and any(m >= 10 for m in months)


@pytest.mark.parametrize("path", [SHIPPED, FIXTURE], ids=["shipped", "fixture"])
def test_calendar_never_presents_an_unverified_date_as_law(path: Path) -> None:
    for deadline in load_deadlines(path):
        assert deadline.set_by_organisers, deadline.id
        assert deadline.source and deadline.title_en and deadline.details_en
        assert "Ban tổ chức" in deadline.details_vi or "hướng dẫn hằng năm" in deadline.details_vi


def test_valid_file_builds_frozen_deadlines(tmp_path: Path) -> None:
    path = write(
        tmp_path, [entry(), entry(id="mot-lan", month=None, day=None, date="2027-03-01", set_by=None)]
    )
    calendar = load_deadlines(path, {"quy-trinh"})
    yearly, one_off = calendar.deadlines
    assert (yearly.month, yearly.day, yearly.date, yearly.title_en) == (12, 15, None, "Sample deadline")
    assert (
        yearly.set_by_organisers and yearly.details_en is None and yearly.details("en") == yearly.details_vi
    )
    assert one_off.date == date(2027, 3, 1) and one_off.set_by is None and not one_off.set_by_organisers
    assert calendar.get("mot-lan") is one_off and calendar.get("khong-co") is None
    with pytest.raises(AttributeError):
        yearly.id = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("bad", "field", "words"),
    [
        ({"id": None}, "id", "required"),
        ({"id": "Han_Sai"}, "id", "lowercase"),
        ({"title": None}, "title", "required"),
        ({"title": {"en": "Only English"}}, "title.vi", "required"),
        ({"details": {"vi": "ok", "fr": "non"}}, "details.fr", "unknown language"),
        ({"details": None}, "details", "required"),
        ({"source": ""}, "source", "required"),
        ({"topic": None}, "topic", "required"),
        ({"topic": "khong-ton-tai"}, "topic", "unknown topic"),
        ({"set_by": "bo-truong"}, "set_by", "not one of"),
        ({"month": None, "day": None}, "date", "required"),
        ({"date": "2027-01-10"}, "date", "not both"),
        ({"month": None, "day": None, "date": "10/01/2027"}, "date", "not a date"),
        ({"month": None, "day": None, "date": 20270110}, "date", "not a date"),
        ({"day": None}, "day", "required with 'month'"),
        ({"month": 13}, "month", "1 to 12"),
        ({"day": 0}, "day", "1 to 31"),
        ({"month": True}, "month", "whole number"),
        ({"month": 2, "day": 30}, "day", "does not exist"),
        ({"month": 4, "day": 31}, "day", "does not exist"),
        ({"set-by": "organisers"}, "set-by", "unknown field"),
    ],
)
def test_each_kind_of_problem_names_file_entry_and_field(
    tmp_path: Path, bad: dict[str, object], field: str, words: str
) -> None:
    path = write(tmp_path, [entry(**bad)])
    (problem,) = problems_of(path, {"quy-trinh"})
    label = "#1" if "id" in bad and bad["id"] is None else f"'{bad.get('id', 'han-mau')}'"
    assert problem.startswith(f"{path}: deadline {label}: field '{field}':")
    assert words in problem


def test_all_problems_are_collected_across_entries(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        [
            entry(id="mot", source=None, month=2, day=30),
            "không phải mapping",
            entry(id="hai", topic="la"),
            entry(id="hai"),
            entry(id="ba", set_by="ai-do", title={"vi": ""}),
        ],
    )
    problems = problems_of(path, {"quy-trinh"})
    assert len(problems) == 6, problems
    expected = [
        ("'mot'", "'source'"),
        ("'mot'", "'day'"),
        ("#2", "'(entry)'"),
        ("'hai'", "'topic'"),
        ("'ba'", "'title.vi'"),
        ("'ba'", "'set_by'"),
    ]
    for label, field in expected:
        assert any(f"deadline {label}: field {field}" in p for p in problems), (label, field)
    assert all(p.startswith(str(path)) for p in problems)


def test_duplicate_id_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, [entry(), entry(month=1, day=1)])
    assert problems_of(path) == [f"{path}: deadline 'han-mau': field 'id': duplicate id"]


def test_29_february_is_a_valid_yearly_date(tmp_path: Path) -> None:
    calendar = load_deadlines(write(tmp_path, [entry(month=2, day=29)]))
    assert (calendar.deadlines[0].month, calendar.deadlines[0].day) == (2, 29)


def test_topics_are_not_checked_without_a_topic_list(tmp_path: Path) -> None:
    assert len(load_deadlines(write(tmp_path, [entry(topic="bat-ky")]))) == 1


@pytest.mark.parametrize("text", ["deadlines: [", "entries: []", "- 1\n- 2", ""])
def test_unreadable_or_misshapen_file_is_one_problem(tmp_path: Path, text: str) -> None:
    path = tmp_path / "deadlines.yaml"
    path.write_text(text, encoding="utf-8")
    (problem,) = problems_of(path)
    assert problem.startswith(f"{path}:")


def test_missing_file_is_a_knowledge_error(tmp_path: Path) -> None:
    (problem,) = problems_of(tmp_path / "khong-co.yaml")
    assert "cannot read" in problem


def test_warnings_flag_past_one_off_dates_only(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        [
            entry(id="da-qua", month=None, day=None, date="2026-11-22"),
            entry(id="hom-nay", month=None, day=None, date="2026-11-23"),
            entry(id="hang-nam", month=1, day=1),
        ],
    )
    warnings = load_deadlines(path).warnings(date(2026, 11, 23))
    assert warnings == [
        f"{path}: deadline 'da-qua': field 'date': 2026-11-22 has passed; update or remove it"
    ]


# --- occurrences ---------------------------------------------------------------------------------------


def test_occurrences_sorted_by_date_then_id_and_inclusive() -> None:
    calendar = Calendar(
        (make("b", month=3, day=1), make("a", month=3, day=1), make("c", date=date(2027, 2, 1)))
    )
    found = occurrences(calendar, date(2027, 2, 1), date(2027, 3, 1))
    assert [(o.date, o.deadline.id) for o in found] == [
        (date(2027, 2, 1), "c"),
        (date(2027, 3, 1), "a"),
        (date(2027, 3, 1), "b"),
    ]
    assert occurrences(calendar, date(2027, 3, 2), date(2027, 3, 1)) == []


def test_one_off_date_occurs_once() -> None:
    calendar = Calendar((make("mot-lan", date=date(2027, 6, 1)),))
    assert [o.date for o in occurrences(calendar, date(2026, 1, 1), date(2029, 12, 31))] == [date(2027, 6, 1)]


def test_yearly_occurrences_cross_year_boundaries() -> None:
    calendar = Calendar((make("cuoi-nam", month=12, day=31), make("dau-nam", month=1, day=15)))
    found = occurrences(calendar, date(2026, 12, 1), date(2028, 1, 31))
    assert [(o.deadline.id, o.date) for o in found] == [
        ("cuoi-nam", date(2026, 12, 31)),
        ("dau-nam", date(2027, 1, 15)),
        ("cuoi-nam", date(2027, 12, 31)),
        ("dau-nam", date(2028, 1, 15)),
    ]


def test_december_deadline_seen_from_late_november() -> None:
    calendar = Calendar((make("thang-12", month=12, day=15),))
    (occ,) = upcoming(calendar, date(2026, 11, 25), 30)
    assert occ.date == date(2026, 12, 15)
    assert days_left(occ, date(2026, 11, 25)) == 20


def test_january_deadline_seen_in_december_is_next_year() -> None:
    calendar = Calendar((make("thang-1", month=1, day=15),))
    (occ,) = upcoming(calendar, date(2026, 12, 20), 30)
    assert occ.date == date(2027, 1, 15)
    assert days_left(occ, date(2026, 12, 20)) == 26
    assert upcoming(calendar, date(2026, 12, 20), 25) == []


def test_upcoming_includes_today_and_rejects_negative_days() -> None:
    calendar = Calendar((make("hom-nay", month=11, day=23),))
    assert [o.date for o in upcoming(calendar, date(2026, 11, 23), 0)] == [date(2026, 11, 23)]
    with pytest.raises(ValueError):
        upcoming(calendar, date(2026, 11, 23), -1)


def test_days_left_is_zero_on_the_day_and_negative_after() -> None:
    occ = Occurrence(make(month=6, day=30), date(2027, 6, 30))
    assert [days_left(occ, date(2027, 6, d)) for d in (29, 30)] == [1, 0]
    assert days_left(occ, date(2027, 7, 2)) == -2


def test_29_february_falls_on_28_february_in_common_years() -> None:
    # A yearly deadline must come every year; "29/2" means the end of February.
    calendar = Calendar((make("cuoi-thang-2", month=2, day=29),))
    found = occurrences(calendar, date(2027, 1, 1), date(2029, 12, 31))
    assert [o.date for o in found] == [date(2027, 2, 28), date(2028, 2, 29), date(2029, 2, 28)]


def test_29_february_in_a_leap_year_is_not_doubled() -> None:
    calendar = Calendar((make("cuoi-thang-2", month=2, day=29), make("ngay-28", month=2, day=28)))
    found = occurrences(calendar, date(2028, 2, 1), date(2028, 3, 31))
    assert [(o.deadline.id, o.date) for o in found] == [
        ("ngay-28", date(2028, 2, 28)),
        ("cuoi-thang-2", date(2028, 2, 29)),
    ]


# --- reminders -----------------------------------------------------------------------------------------

DEC15 = Calendar((make("bao-cao", month=12, day=15),))


def keys(reminders: list[DueReminder]) -> list[tuple[int, str, date, int]]:
    """Flattens reminders to comparable tuples."""
    return [
        (r.key.subscriber_id, r.key.deadline_id, r.key.occurrence_date, r.key.lead_days) for r in reminders
    ]


def test_reminder_is_due_on_its_day() -> None:
    (reminder,) = due_reminders(DEC15, [Subscription(7, (7,))], date(2026, 12, 8), grace_days=0)
    assert reminder.key == ReminderKey(7, "bao-cao", date(2026, 12, 15), 7)
    assert reminder.reminder_date == date(2026, 12, 8) and reminder.days_left == 7
    assert reminder.occurrence.deadline.id == "bao-cao"


def test_reminder_day_in_the_future_is_not_due() -> None:
    assert due_reminders(DEC15, [Subscription(7, (7,))], date(2026, 12, 7), grace_days=3) == []


@pytest.mark.parametrize(
    ("today", "grace", "sent"),
    [
        (date(2026, 12, 9), 1, True),  # missed by one day, one day of grace: catch up
        (date(2026, 12, 10), 1, False),  # missed by two days: too late
        (date(2026, 12, 10), 2, True),
        (date(2026, 12, 9), 0, False),
    ],
)
def test_grace_window_catches_up_after_downtime(today: date, grace: int, sent: bool) -> None:
    found = due_reminders(DEC15, [Subscription(7, (7,))], today, grace_days=grace)
    assert keys(found) == ([(7, "bao-cao", date(2026, 12, 15), 7)] if sent else [])
    if sent:
        assert found[0].reminder_date == date(2026, 12, 8)
        assert found[0].days_left == (date(2026, 12, 15) - today).days


def test_never_sent_after_the_occurrence_has_passed() -> None:
    subs = [Subscription(7, (0, 1))]
    (on_the_day,) = due_reminders(DEC15, subs, date(2026, 12, 15), grace_days=5)
    assert on_the_day.key.lead_days == 0 and on_the_day.days_left == 0
    assert due_reminders(DEC15, subs, date(2026, 12, 16), grace_days=5) == []


def test_lead_days_before_subscription_day_are_past() -> None:
    # Subscribed on 12/12 with leads 30, 7 and 1: the 30- and 7-day reminders are long gone.
    subs = [Subscription(7, (30, 7, 1))]
    assert due_reminders(DEC15, subs, date(2026, 12, 12), grace_days=1) == []
    (reminder,) = due_reminders(DEC15, subs, date(2026, 12, 14), grace_days=1)
    assert reminder.key.lead_days == 1


def test_only_the_most_recent_missed_lead_is_sent() -> None:
    # Down from 7/12 to 13/12 with a wide grace: "2 days left" replaces the stale "7 days left".
    (reminder,) = due_reminders(DEC15, [Subscription(7, (7, 2))], date(2026, 12, 13), grace_days=10)
    assert reminder.key.lead_days == 2


def test_reminders_cross_the_year_boundary() -> None:
    calendar = Calendar((make("dau-nam", month=1, day=10),))
    (reminder,) = due_reminders(calendar, [Subscription(7, (14,))], date(2026, 12, 27), grace_days=0)
    assert reminder.key.occurrence_date == date(2027, 1, 10)


def test_topics_filter() -> None:
    calendar = Calendar((make("ho-so", month=12, day=15, topic="ho-so"), make("bao-cao", month=12, day=15)))
    subs = [
        Subscription(1, (7,), frozenset({"ho-so"})),
        Subscription(2, (7,)),
        Subscription(3, (7,), frozenset()),
    ]
    assert keys(due_reminders(calendar, subs, date(2026, 12, 8), grace_days=0)) == [
        (1, "ho-so", date(2026, 12, 15), 7),
        (2, "bao-cao", date(2026, 12, 15), 7),
        (2, "ho-so", date(2026, 12, 15), 7),
    ]


def test_due_reminders_are_deterministic() -> None:
    calendar = Calendar(
        (make("b", month=12, day=15), make("a", month=12, day=15), make("c", month=12, day=9, topic="ho-so"))
    )
    subs = [Subscription(9, (7, 1, 1)), Subscription(3, (7,)), Subscription(5, (0,))]
    first = due_reminders(calendar, subs, date(2026, 12, 8), grace_days=0)
    again = due_reminders(
        Calendar(tuple(reversed(calendar.deadlines))), list(reversed(subs)), date(2026, 12, 8), 0
    )
    assert first == again
    assert keys(first) == [
        (3, "a", date(2026, 12, 15), 7),
        (3, "b", date(2026, 12, 15), 7),
        (9, "a", date(2026, 12, 15), 7),
        (9, "b", date(2026, 12, 15), 7),
        (9, "c", date(2026, 12, 9), 1),
    ]


def test_no_subscriptions_or_no_leads_means_nothing_due() -> None:
    assert due_reminders(DEC15, [], date(2026, 12, 8), grace_days=3) == []
    assert due_reminders(DEC15, [Subscription(1, ())], date(2026, 12, 8), grace_days=3) == []


def test_invalid_inputs_are_rejected() -> None:
    with pytest.raises(ValueError):
        Subscription(1, (7, -1))
    with pytest.raises(ValueError):
        due_reminders(DEC15, [Subscription(1, (7,))], date(2026, 12, 8), grace_days=-1)


def test_29_february_reminder_in_a_common_year() -> None:
    calendar = Calendar((make("cuoi-thang-2", month=2, day=29),))
    (reminder,) = due_reminders(calendar, [Subscription(1, (3,))], date(2027, 2, 25), grace_days=0)
    assert reminder.key.occurrence_date == date(2027, 2, 28)
