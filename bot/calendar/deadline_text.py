"""How upcoming deadlines read in chat and in the terminal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from bot.calendar.deadlines import Calendar, Occurrence, days_left, upcoming
from bot.core.knowledge import Knowledge
from bot.core.render import format_date


def occurrence_line(knowledge: Knowledge, occ: Occurrence, today: dt.date, lang: str) -> str:
    """One line of the deadline list: date, days left, title, and who set the date."""
    left = days_left(occ, today)
    text = knowledge.text("deadline_line", lang).format(
        date=format_date(occ.date, lang), days=left, title=occ.deadline.title(lang)
    )
    if occ.deadline.set_by_organisers:
        text += " " + knowledge.text("set_by_organisers", lang)
    return text


def deadlines_text(knowledge: Knowledge, calendar: Calendar, today: dt.date, days: int, lang: str) -> str:
    """The upcoming deadlines as the user reads them (/hanchot, free-text deadline questions)."""
    found = upcoming(calendar, today, days)
    if not found:
        return knowledge.text("deadlines_none", lang).format(days=days)
    lines = [knowledge.text("deadlines_header", lang).format(days=days)]
    lines += [f"- {occurrence_line(knowledge, occ, today, lang)}" for occ in found]
    return "\n".join(lines)


ANSWER_DAYS = 90  # how far ahead a free-text deadline question looks


def answer_deadlines(knowledge: Knowledge, calendar: Calendar | None) -> Callable[[str, dt.date], str | None]:
    """The deadlines text a `show: deadlines` answer ends with, for the answering service to call."""

    def text(lang: str, today: dt.date) -> str | None:
        return deadlines_text(knowledge, calendar, today, ANSWER_DAYS, lang) if calendar is not None else None

    return text
