"""Corrections: when the organisers move a date, the chats already reminded of the old date get one short message.

Pure: the ledger's "who was told which date" comes in, the corrections due come out. A correction is a ledger row
like a reminder, keyed (chat, deadline, new date, CORRECTION_LEAD), so each is sent at most once across crashes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from bot.calendar.deadline_text import source_phrase
from bot.calendar.deadlines import Calendar, Deadline
from bot.core.records import ManagedDate, ReminderKey

CORRECTION_LEAD = -1  # the ledger's lead_days of a correction (a reminder's lead is >= 0)
CANCEL_LEAD = -3  # of a notice that a date was removed (announcements use -2)

TEXT = {
    "vi": "✏️ Đính chính lịch: “{title}” đổi từ {old} sang {new} (còn {days} ngày), {source}.",
    "en": "✏️ Calendar correction: “{title}” moved from {old} to {new} ({days} days left), {source}.",
}

CANCEL_TEXT = {
    "vi": "✏️ Đính chính lịch: mốc “{title}” ngày {date} đã được bỏ khỏi lịch; bạn sẽ không nhận nhắc hạn về mốc này.",
    "en": "✏️ Calendar correction: “{title}” on {date} was removed from the calendar; no more reminders for it.",
}


@dataclass(frozen=True, slots=True)
class DueCorrection:
    key: ReminderKey
    deadline: Deadline
    old: dt.date
    new: dt.date


def due_corrections(
    calendar: Calendar,
    told: Mapping[str, Mapping[int, Collection[dt.date]]],
    chats: Collection[int],
    today: dt.date,
) -> list[DueCorrection]:
    """The corrections due: for each one-off date of the calendar, every chat in `chats` that was told of another
    date of it that has not passed (yesterday included) and has no correction to the current date yet. The
    caller's ledger drops the ones already sent. Sorted by key."""
    due: list[DueCorrection] = []
    for deadline in calendar:
        if deadline.date is None or deadline.date < today:
            continue
        for chat, dates in told.get(deadline.id, {}).items():
            if chat not in chats:
                continue
            stale = sorted(d for d in dates if d != deadline.date and d >= today - dt.timedelta(days=1))
            if stale:
                key = ReminderKey(chat, deadline.id, deadline.date, CORRECTION_LEAD)
                due.append(DueCorrection(key, deadline, stale[-1], deadline.date))
    return sorted(due, key=lambda c: c.key)


def correction_text(correction: DueCorrection, today: dt.date, lang: str) -> str:
    lang = "en" if lang == "en" else "vi"
    return TEXT[lang].format(
        title=correction.deadline.title(lang),
        old=correction.old.strftime("%d/%m/%Y"),
        new=correction.new.strftime("%d/%m/%Y"),
        days=(correction.new - today).days,
        source=source_phrase(correction.deadline.source, lang),
    )


@dataclass(frozen=True, slots=True)
class DueCancellation:
    key: ReminderKey
    title: str
    date: dt.date


def due_cancellations(
    removed: Iterable[ManagedDate],
    told: Mapping[str, Mapping[int, Collection[dt.date]]],
    chats: Collection[int],
    today: dt.date,
) -> list[DueCancellation]:
    """A removed date that some chats were reminded of (and that had not passed): one notice to each."""
    due: list[DueCancellation] = []
    for date in removed:
        if not date.removed or date.date < today:
            continue
        for chat, dates in told.get(date.deadline_id, {}).items():
            if chat in chats and any(d >= today - dt.timedelta(days=1) for d in dates):
                key = ReminderKey(chat, date.deadline_id, date.date, CANCEL_LEAD)
                due.append(DueCancellation(key, date.title, date.date))
    return sorted(due, key=lambda c: c.key)


def cancellation_text(cancellation: DueCancellation, lang: str) -> str:
    lang = "en" if lang == "en" else "vi"
    return CANCEL_TEXT[lang].format(title=cancellation.title, date=cancellation.date.strftime("%d/%m/%Y"))
