"""Tests for bot.calendar.ics_export: the .ics file reads back with icalendar as the same events and alarms."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import icalendar
import pytest

from bot.calendar.deadlines import Calendar, Deadline, Occurrence, load_deadlines, occurrences
from bot.calendar.ics_export import calendar_to_ics, event_uid

NOW = datetime(2026, 11, 23, 22, 0, tzinfo=UTC)
FIXTURE = Path(__file__).resolve().parents[1] / "calendar_fixture.yaml"  # a dated test calendar (knowledge/ has none)


def deadline(deadline_id: str, *, set_by: str | None = "organisers", en: bool = True) -> Deadline:
    """Builds a yearly 15 December deadline."""
    return Deadline(
        id=deadline_id,
        title_vi=f"Gửi báo cáo {deadline_id}, hạn cuối",
        title_en=f"Send report {deadline_id}" if en else None,
        date=None,
        month=12,
        day=15,
        topic="quy-trinh",
        details_vi="Gửi về Vụ Tổ chức cán bộ; 01 bộ bản chính.",
        details_en="Send to Vụ Tổ chức cán bộ." if en else None,
        source="Hướng dẫn công tác thi đua, khen thưởng hằng năm của Bộ",
        set_by=set_by,
    )


def events(ics: bytes) -> list[icalendar.Event]:
    """Parses an .ics file and returns its events."""
    return list(icalendar.Calendar.from_ical(ics).walk("VEVENT"))


def test_round_trip_of_the_fixture_calendar_keeps_uids_dates_summaries_and_alarms() -> None:
    occs = occurrences(load_deadlines(FIXTURE), date(2026, 11, 23), date(2027, 11, 22))
    parsed = events(calendar_to_ics(occs, [7, 1], now=NOW))
    assert len(parsed) == len(occs) == len(load_deadlines(FIXTURE))
    for occ, event in zip(occs, parsed, strict=True):
        assert str(event["UID"]) == event_uid(occ)
        assert event.decoded("DTSTART") == occ.date
        assert event.decoded("DTEND") == occ.date + timedelta(days=1)
        assert event.decoded("DTSTAMP") == NOW
        assert str(event["SUMMARY"]) == occ.deadline.title_vi
        assert str(event["DESCRIPTION"]).startswith(occ.deadline.details_vi.strip())
        alarms = event.walk("VALARM")
        assert [a.decoded("TRIGGER") for a in alarms] == [timedelta(days=-7), timedelta(days=-1)]
        assert {str(a["ACTION"]) for a in alarms} == {"DISPLAY"}


def test_uids_are_stable_and_unique_per_occurrence() -> None:
    calendar = Calendar((deadline("a"), deadline("b")))
    occs = occurrences(calendar, date(2026, 1, 1), date(2027, 12, 31))
    first = [str(e["UID"]) for e in events(calendar_to_ics(occs, [7], now=NOW))]
    later = [str(e["UID"]) for e in events(calendar_to_ics(occs, [3], now=NOW + timedelta(days=30)))]
    assert first == later
    assert len(set(first)) == 4
    assert first[0] == "a-20261215@tdkt-bot"


def test_all_day_event_and_alarm_wire_format() -> None:
    occ = Occurrence(deadline("a"), date(2026, 12, 15))
    text = calendar_to_ics([occ], [0, 7, 7], now=NOW).decode("utf-8")
    unfolded = text.replace("\r\n ", "")
    assert "DTSTART;VALUE=DATE:20261215" in unfolded
    assert "DTSTAMP:20261123T220000Z" in unfolded
    assert unfolded.count("BEGIN:VALARM") == 2  # duplicate lead days give one alarm
    assert "TRIGGER:-P7D" in unfolded
    assert "\r\n" in text  # RFC 5545 line endings


def test_description_says_when_the_organisers_set_the_date() -> None:
    occs = [
        Occurrence(deadline("btc"), date(2026, 12, 15)),
        Occurrence(deadline("luat", set_by=None), date(2026, 12, 15)),
    ]
    by_id = {str(e["UID"]).split("-")[0]: str(e["DESCRIPTION"]) for e in events(calendar_to_ics(occs, [], now=NOW))}
    assert by_id["btc"].endswith(
        "Căn cứ: Hướng dẫn công tác thi đua, khen thưởng hằng năm của Bộ (do Ban tổ chức ấn định)"
    )
    assert "Ban tổ chức ấn định" not in by_id["luat"]
    assert "Căn cứ: Hướng dẫn" in by_id["luat"]


def test_english_export_falls_back_to_vietnamese_text() -> None:
    occs = [Occurrence(deadline("en"), date(2026, 12, 15)), Occurrence(deadline("vi", en=False), date(2026, 12, 16))]
    first, second = events(calendar_to_ics(occs, [1], lang="en", now=NOW))
    assert str(first["SUMMARY"]) == "Send report en"
    assert str(first["DESCRIPTION"]).endswith("(set by the organisers)")
    assert str(second["SUMMARY"]) == "Gửi báo cáo vi, hạn cuối"
    assert str(second["DESCRIPTION"]).startswith("Gửi về Vụ Tổ chức cán bộ")


def test_dtstamp_is_converted_to_utc() -> None:
    hanoi = datetime(2026, 11, 24, 5, 0, tzinfo=timezone(timedelta(hours=7)))
    (event,) = events(calendar_to_ics([Occurrence(deadline("a"), date(2026, 12, 15))], [], now=hanoi))
    assert event.decoded("DTSTAMP") == NOW
    assert not event.walk("VALARM")


def test_empty_export_is_a_valid_calendar() -> None:
    cal = icalendar.Calendar.from_ical(calendar_to_ics([], [7], now=NOW))
    assert str(cal["VERSION"]) == "2.0" and not list(cal.walk("VEVENT"))


@pytest.mark.parametrize(
    ("kwargs", "lead_days"),
    [
        ({"now": datetime(2026, 11, 23, 22, 0)}, [7]),  # naive time
        ({"now": NOW, "lang": "fr"}, [7]),
        ({"now": NOW}, [-1]),
    ],
)
def test_invalid_arguments_are_rejected(kwargs: dict[str, Any], lead_days: list[int]) -> None:
    with pytest.raises(ValueError):
        calendar_to_ics([], lead_days, **kwargs)
