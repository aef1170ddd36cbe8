"""Exports deadline occurrences as an iCalendar (.ics) file with one alarm per lead day."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

import icalendar

from bot.calendar.deadlines import Occurrence

PRODID = "-//tdkt-bot//TDKT deadlines//VI"
UID_DOMAIN = "tdkt-bot"
ORGANISERS_NOTE = {"vi": "(do Ban tổ chức ấn định)", "en": "(set by the organisers)"}
SOURCE_LABEL = {"vi": "Căn cứ", "en": "Source"}
CALENDAR_NAME = {"vi": "Lịch thi đua, khen thưởng", "en": "Emulation and commendation calendar"}


def event_uid(occ: Occurrence) -> str:
    """Returns a UID that stays the same across exports, so calendar apps update instead of duplicating."""
    return f"{occ.deadline.id}-{occ.date:%Y%m%d}@{UID_DOMAIN}"


def calendar_to_ics(
    occurrences: Iterable[Occurrence], lead_days: Iterable[int], *, lang: str = "vi", now: datetime
) -> bytes:
    """Builds an .ics file: one all-day VEVENT per occurrence, one DISPLAY alarm per lead day."""
    if now.tzinfo is None or now.utcoffset() is None:
        # DTSTAMP must be UTC; a naive time would be guessed wrong somewhere.
        raise ValueError("now must be timezone-aware")
    if lang not in ORGANISERS_NOTE:
        raise ValueError(f"unsupported language {lang!r}")
    leads = sorted(set(lead_days), reverse=True)
    if any(lead < 0 for lead in leads):
        raise ValueError(f"lead days must be >= 0, got {leads!r}")
    stamp = now.astimezone(UTC)

    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", CALENDAR_NAME[lang])
    for occ in occurrences:
        deadline = occ.deadline
        summary = deadline.title(lang)
        event = icalendar.Event()
        event.add("uid", event_uid(occ))
        event.add("dtstamp", stamp)
        event.add("dtstart", occ.date)
        event.add("dtend", occ.date + timedelta(days=1))  # all-day events end on the next day, exclusive
        event.add("summary", summary)
        event.add("description", _description(occ, lang))
        event.add("categories", [deadline.topic])
        event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
        for lead in leads:
            alarm = icalendar.Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", summary)
            alarm.add("trigger", timedelta(days=-lead))
            event.add_component(alarm)
        cal.add_component(event)
    return cal.to_ical()


def _description(occ: Occurrence, lang: str) -> str:
    """Joins the details, the source and, for organisers' dates, a note that no legal text fixes the date."""
    deadline = occ.deadline
    source = f"{SOURCE_LABEL[lang]}: {deadline.source}"
    if deadline.set_by_organisers:
        source += f" {ORGANISERS_NOTE[lang]}"
    return f"{deadline.details(lang).strip()}\n\n{source}"
