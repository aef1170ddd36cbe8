"""How upcoming deadlines read in chat and in the terminal."""

from __future__ import annotations

import datetime as dt

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
