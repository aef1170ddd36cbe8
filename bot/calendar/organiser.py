"""What an organiser can do to the year's calendar (from chat or the terminal): list, add, change, remove.

Every change is stored with who made it and when, and kept in the history (Storage.calendar_history)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from bot.calendar.deadline_text import source_phrase
from bot.calendar.deadlines import Occurrence, calendar_of, upcoming
from bot.calendar.managed import (
    DEFAULT_TOPIC,
    MANAGED_PREFIX,
    DateInput,
    apply_input,
    check_date,
    from_deadline,
    merge,
)
from bot.core.errors import TdktError
from bot.core.knowledge import Knowledge
from bot.core.records import ManagedDate
from bot.storage.database import Storage

LIST_DAYS = 400  # how far ahead the numbered list looks


class CalendarInputError(TdktError):
    """What the organiser typed cannot be stored; `problems` says why, in Vietnamese."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True, slots=True)
class Listed:
    """One numbered line of the organisers' list."""

    number: int
    occurrence: Occurrence
    managed: bool  # entered by the organisers (else it comes from deadlines.yaml)


async def listing(storage: Storage, knowledge: Knowledge, today: dt.date) -> list[Listed]:
    """The upcoming dates of the calendar as it is now, numbered 1, 2, … in date order."""
    managed = await storage.managed_dates()
    calendar = merge(calendar_of(knowledge), managed)
    managed_ids = {m.deadline_id for m in managed if not m.removed}
    return [
        Listed(number, occ, occ.deadline.id in managed_ids)
        for number, occ in enumerate(upcoming(calendar, today, LIST_DAYS), start=1)
    ]


def _topics(knowledge: Knowledge) -> set[str]:
    return {t.id for t in knowledge.topics}


async def add_date(
    storage: Storage, knowledge: Knowledge, given: DateInput, by: str, now: dt.datetime
) -> ManagedDate:
    """Store a new date; raises CalendarInputError when the date, the title or the source is missing."""
    topic = given.topic or DEFAULT_TOPIC
    problems = list(given.problems) + check_date(
        given.date, given.title or "", given.source or "", topic, _topics(knowledge)
    )
    if given.date is not None and given.date < now.date():
        problems.append(f"ngày {given.date.strftime('%d/%m/%Y')} đã qua")
    if problems:
        raise CalendarInputError(problems)
    assert given.date is not None and given.title and given.source
    deadline_id = await storage.next_managed_id(MANAGED_PREFIX)
    date = ManagedDate(deadline_id, given.date, given.title, topic, given.source, given.details or "")
    return await storage.save_managed_date(date, "add", by, now)


async def find(storage: Storage, knowledge: Knowledge, key: str, today: dt.date) -> tuple[ManagedDate, bool]:
    """The date a number of the list (or a deadline id) names, as a managed date, and whether it is stored
    already (False: a YAML date that a change would override for this year)."""
    items = await listing(storage, knowledge, today)
    chosen: Occurrence | None = None
    if key.isdigit():
        chosen = next((item.occurrence for item in items if item.number == int(key)), None)
    else:
        chosen = next((item.occurrence for item in items if item.occurrence.deadline.id == key), None)
    if chosen is None:
        raise CalendarInputError([f"không có mốc số {key} trong danh sách; gõ /lich để xem lại các số"])
    stored = {m.deadline_id: m for m in await storage.managed_dates()}
    if chosen.deadline.id in stored:
        return stored[chosen.deadline.id], True
    return from_deadline(chosen.deadline, chosen.date), False


def changed(current: ManagedDate, given: DateInput, knowledge: Knowledge, today: dt.date) -> ManagedDate:
    """The date after applying what was typed; raises CalendarInputError when the result is not valid."""
    after = apply_input(current, given)
    problems = list(given.problems) + check_date(after.date, after.title, after.source, after.topic, _topics(knowledge))
    if given.date is not None and given.date < today:
        problems.append(f"ngày {given.date.strftime('%d/%m/%Y')} đã qua")
    if after == current:
        problems.append("không có gì thay đổi (ghi ngày mới, tên mới, hoặc | nguon: …)")
    if problems:
        raise CalendarInputError(problems)
    return after


async def change_date(
    storage: Storage, knowledge: Knowledge, current: ManagedDate, after: ManagedDate, by: str, now: dt.datetime
) -> ManagedDate:
    """Store the new version of a date (checked by `changed`)."""
    return await storage.save_managed_date(after, "change", by, now)


async def remove_date(storage: Storage, current: ManagedDate, by: str, now: dt.datetime) -> ManagedDate:
    """Hide a date from now on (its reminders stop); the row and the history stay."""
    return await storage.save_managed_date(replace(current, removed=True), "remove", by, now)


def listed_line(item: Listed) -> str:
    """`3. 15/01/2027: Title (theo Công văn …)`, the form both /lich and `calendar list` show."""
    occ = item.occurrence
    origin = "" if item.managed else " [deadlines.yaml]"
    source = source_phrase(occ.deadline.source, "vi")
    return f"{item.number}. {occ.date.strftime('%d/%m/%Y')}: {occ.deadline.title_vi} ({source}){origin}"


def date_line(date: ManagedDate) -> str:
    """One date as the confirmation and history show it."""
    topic = f", chủ đề {date.topic}"
    return f"{date.date.strftime('%d/%m/%Y')}: {date.title} ({source_phrase(date.source, 'vi')}{topic})"
