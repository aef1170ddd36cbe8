"""How upcoming deadlines read in chat and in the terminal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from bot.calendar.deadlines import Calendar, Occurrence, days_left, upcoming
from bot.calendar.managed import ManagedLayer
from bot.core.knowledge import Knowledge
from bot.core.render import format_date


def occurrence_line(knowledge: Knowledge, occ: Occurrence, today: dt.date, lang: str) -> str:
    """One line of the deadline list: date, days left, title, and the document that set the date."""
    left = days_left(occ, today)
    text = knowledge.text("deadline_line", lang).format(
        date=format_date(occ.date, lang), days=left, title=occ.deadline.title(lang)
    )
    return f"{text} ({source_phrase(occ.deadline.source, lang)})"


def source_phrase(source: str, lang: str) -> str:
    """ "theo Công văn số …" : the document a date comes from, named."""
    source = source.strip()
    if lang == "en":
        return f"source: {source}"
    return source if source.lower().startswith("theo ") else f"theo {source}"


NEXT_LOOKAHEAD = 400  # with nothing in the horizon, how far /hanchot looks for the next date
NEXT_HEADER = {
    "vi": "Không có mốc nào trong {days} ngày tới. Mốc tiếp theo:",
    "en": "No deadline in the next {days} days. The next one:",
}


def deadlines_text(knowledge: Knowledge, calendar: Calendar, today: dt.date, days: int, lang: str) -> str:
    """The upcoming deadlines as the user reads them (/hanchot, free-text deadline questions)."""
    found = upcoming(calendar, today, days)
    if not found:
        later = upcoming(calendar, today, max(days, NEXT_LOOKAHEAD))
        if later:
            header = NEXT_HEADER["en" if lang == "en" else "vi"].format(days=days)
            return f"{header}\n- {occurrence_line(knowledge, later[0], today, lang)}"
        return knowledge.text("deadlines_none", lang).format(days=days)
    lines = [knowledge.text("deadlines_header", lang).format(days=days)]
    lines += [f"- {occurrence_line(knowledge, occ, today, lang)}" for occ in found]
    return "\n".join(lines)


ANSWER_DAYS = 90  # how far ahead a free-text deadline question looks


def answer_deadlines(
    knowledge: Knowledge, calendar: Calendar | None, layer: ManagedLayer | None = None
) -> Callable[[str, dt.date], str | None]:
    """The deadlines text a `show: deadlines` answer ends with, for the answering service to call: the YAML
    calendar with the organisers' managed dates as `layer` holds them at the time of the answer."""

    def text(lang: str, today: dt.date) -> str | None:
        current = layer.calendar(calendar) if layer is not None else calendar
        if current is None:
            return None
        return deadlines_text(knowledge, current, today, ANSWER_DAYS, lang)

    return text
