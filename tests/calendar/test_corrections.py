"""Corrections of a moved date and the pass over the calendar as it is now (real SQLite ledger, fake sender)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from bot.calendar.corrections import CORRECTION_LEAD, correction_text, due_corrections
from bot.calendar.managed import merge
from bot.calendar.reminders import run_pass
from bot.core.knowledge import Knowledge
from bot.core.records import ManagedDate, ReminderKey
from bot.storage.database import Storage

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DUE = dt.date(2027, 1, 15)
DATE = ManagedDate("lich-1", DUE, "Hạn gửi hồ sơ", "ho-so", "Công văn số 9/BKHCN-TCCB")


def moved(when: dt.date) -> ManagedDate:
    return ManagedDate(DATE.deadline_id, when, DATE.title, DATE.topic, DATE.source)


def test_only_chats_told_of_another_future_date_are_corrected() -> None:
    calendar = merge(None, [moved(dt.date(2027, 1, 20))])
    told = {"lich-1": {1: {DUE}, 2: {dt.date(2027, 1, 20)}, 3: {dt.date(2026, 1, 15)}, 4: {DUE}}}
    due = due_corrections(calendar, told, {1, 2, 3}, dt.date(2027, 1, 8))
    assert [c.key for c in due] == [ReminderKey(1, "lich-1", dt.date(2027, 1, 20), CORRECTION_LEAD)]
    text = correction_text(due[0], dt.date(2027, 1, 8), "vi")
    assert "15/01/2027" in text and "20/01/2027" in text and "còn 12 ngày" in text and "theo Công văn số 9" in text


async def test_pass_follows_the_calendar_as_it_is_now(storage: Storage, knowledge: Knowledge) -> None:
    sent: list[tuple[int, str]] = []

    async def send(chat_id: int, text: str) -> None:
        sent.append((chat_id, text))

    at = dt.datetime(2027, 1, 8, 8, 0, tzinfo=TZ)
    await storage.subscribe(1, "u1", "vi", (14, 7, 1), None, at - dt.timedelta(days=30))
    await storage.subscribe(2, "u2", "vi", (14, 7, 1), frozenset({"phong-trao"}), at - dt.timedelta(days=30))

    first = await run_pass(storage, knowledge, merge(None, [DATE]), at, 1, send)
    assert (first.sent, first.corrections) == (1, 0) and sent[0][0] == 1 and "còn 7 ngày" in sent[0][1]

    later = merge(None, [moved(dt.date(2027, 1, 20))])
    again = await run_pass(storage, knowledge, later, at, 1, send)
    assert (again.sent, again.corrections) == (1, 1) and "Đính chính" in sent[1][1]
    assert (await run_pass(storage, knowledge, later, at, 1, send)).sent == 0

    # Removed: its reminders stop, and the chat reminded of it gets one notice.
    removed = ManagedDate("lich-1", dt.date(2027, 1, 20), DATE.title, DATE.topic, DATE.source, removed=True)
    await storage.save_managed_date(removed, "remove", "x", at)
    gone = merge(None, [removed])
    notice = await run_pass(storage, knowledge, gone, at, 1, send)
    assert (notice.sent, notice.corrections) == (1, 1) and "đã được bỏ khỏi lịch" in sent[2][1]
    assert (await run_pass(storage, knowledge, gone, dt.datetime(2027, 1, 13, 8, 0, tzinfo=TZ), 1, send)).sent == 0
    assert len(sent) == 3
