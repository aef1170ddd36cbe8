"""The TĐKT calendar: loading knowledge/deadlines.yaml, occurrences in a date range and reminder maths."""

from __future__ import annotations

import calendar as _stdcal
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from bot.core.errors import KnowledgeError
from bot.core.knowledge import Knowledge
from bot.core.records import ReminderKey, Subscription

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
SET_BY_ORGANISERS = "organisers"
SET_BY_VALUES = frozenset({SET_BY_ORGANISERS})
_FIELDS = frozenset({"id", "title", "date", "month", "day", "topic", "details", "source", "set_by"})
_TEXT_FIELDS = frozenset({"vi", "en"})
_Report = Callable[[str, str], None]  # bad(field, message) records one problem
_LEAP_YEAR = 2000  # any leap year: a (month, day) is valid if it exists in some year


@dataclass(frozen=True, slots=True)
class Deadline:
    """One milestone of the calendar: a one-off `date` or a yearly (`month`, `day`)."""

    id: str
    title_vi: str
    title_en: str | None
    date: date | None
    month: int | None
    day: int | None
    topic: str
    details_vi: str
    details_en: str | None
    source: str
    set_by: str | None = None

    @property
    def set_by_organisers(self) -> bool:
        """Whether the date comes from the organisers' yearly guidance rather than a verified legal text."""
        return self.set_by == SET_BY_ORGANISERS

    def title(self, lang: str = "vi") -> str:
        """Returns the title in `lang`, falling back to Vietnamese."""
        return self.title_en if lang == "en" and self.title_en else self.title_vi

    def details(self, lang: str = "vi") -> str:
        """Returns the details in `lang`, falling back to Vietnamese."""
        return self.details_en if lang == "en" and self.details_en else self.details_vi


@dataclass(frozen=True, slots=True)
class Occurrence:
    """A deadline on a concrete date."""

    deadline: Deadline
    date: date


@dataclass(frozen=True, slots=True)
class Calendar:
    """The validated deadlines of one file, in file order."""

    deadlines: tuple[Deadline, ...]
    path: Path | None = None

    def __iter__(self) -> Iterator[Deadline]:
        return iter(self.deadlines)

    def __len__(self) -> int:
        return len(self.deadlines)

    def get(self, deadline_id: str) -> Deadline | None:
        """Returns the deadline with this id, or None."""
        return next((d for d in self.deadlines if d.id == deadline_id), None)

    def warnings(self, today: date) -> list[str]:
        """Lists problems that do not stop loading but need the training team, such as past one-off dates."""
        where = str(self.path) if self.path else "deadlines"
        return [
            f"{where}: deadline '{d.id}': field 'date': {d.date.isoformat()} has passed; update or remove it"
            for d in self.deadlines
            if d.date is not None and d.date < today
        ]


@dataclass(frozen=True, slots=True)
class DueReminder:
    """A reminder to send now: which occurrence, to whom, and the day it was meant for."""

    key: ReminderKey
    occurrence: Occurrence
    reminder_date: date
    days_left: int


def load_deadlines(path: Path, topic_ids: Collection[str] | None = None) -> Calendar:
    """Loads and validates a deadlines file; raises KnowledgeError listing every problem."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise KnowledgeError([f"{path}: cannot read the file: {exc}"]) from exc
    if not isinstance(raw, Mapping) or not isinstance(raw.get("deadlines"), list):
        raise KnowledgeError([f"{path}: field 'deadlines': expected a top-level list 'deadlines:'"])

    problems: list[str] = []
    deadlines: list[Deadline] = []
    seen: set[str] = set()
    for index, entry in enumerate(raw["deadlines"], start=1):
        deadline = _parse_entry(entry, index, path, topic_ids, problems)
        if deadline is None:
            continue
        if deadline.id in seen:
            problems.append(f"{path}: deadline '{deadline.id}': field 'id': duplicate id")
            continue
        seen.add(deadline.id)
        deadlines.append(deadline)
    if problems:
        raise KnowledgeError(problems)
    return Calendar(tuple(deadlines), path)


def _parse_entry(
    entry: Any, index: int, path: Path, topic_ids: Collection[str] | None, problems: list[str]
) -> Deadline | None:
    """Validates one entry, appending every problem found; returns the Deadline when it is valid."""
    if not isinstance(entry, Mapping):
        problems.append(f"{path}: deadline #{index}: field '(entry)': expected a mapping")
        return None
    raw_id = entry.get("id")
    label = f"'{raw_id}'" if isinstance(raw_id, str) and raw_id else f"#{index}"
    before = len(problems)

    def bad(field: str, message: str) -> None:
        problems.append(f"{path}: deadline {label}: field '{field}': {message}")

    for unknown in sorted(set(map(str, entry)) - _FIELDS):
        bad(unknown, "unknown field")
    if not isinstance(raw_id, str) or not raw_id:
        bad("id", "required")
    elif not ID_PATTERN.match(raw_id):
        bad("id", f"{raw_id!r} must be lowercase ASCII letters, digits and '-'")

    title_vi, title_en = _text_pair(entry, "title", bad)
    details_vi, details_en = _text_pair(entry, "details", bad)
    source = entry.get("source")
    if not isinstance(source, str) or not source.strip():
        bad("source", "required: the text that fixes the date, or a description of the guidance")
    topic = entry.get("topic")
    if not isinstance(topic, str) or not topic:
        bad("topic", "required")
    elif topic_ids is not None and topic not in topic_ids:
        bad("topic", f"unknown topic {topic!r}")
    set_by = entry.get("set_by")
    if set_by is not None and set_by not in SET_BY_VALUES:
        bad("set_by", f"{set_by!r} is not one of {sorted(SET_BY_VALUES)}")
    one_off, month, day = _when(entry, bad)

    if len(problems) > before:
        return None
    assert isinstance(raw_id, str) and isinstance(topic, str) and isinstance(source, str)  # checked above
    return Deadline(
        id=raw_id,
        title_vi=title_vi,
        title_en=title_en,
        date=one_off,
        month=month,
        day=day,
        topic=topic,
        details_vi=details_vi,
        details_en=details_en,
        source=source.strip(),
        set_by=set_by,
    )


def _text_pair(entry: Mapping[str, Any], field: str, bad: _Report) -> tuple[str, str | None]:
    """Reads a {vi, en} text field: vi required, en optional."""
    value = entry.get(field)
    if not isinstance(value, Mapping):
        bad(field, "required: a mapping {vi: ..., en: ...}")
        return "", None
    for unknown in sorted(set(map(str, value)) - _TEXT_FIELDS):
        bad(f"{field}.{unknown}", "unknown language")
    vi, en = value.get("vi"), value.get("en")
    if not isinstance(vi, str) or not vi.strip():
        bad(f"{field}.vi", "required")
        vi = ""
    if en is not None and (not isinstance(en, str) or not en.strip()):
        bad(f"{field}.en", "must be non-empty text when given")
        en = None
    return vi.strip(), en.strip() if en else None


def _when(entry: Mapping[str, Any], bad: _Report) -> tuple[date | None, int | None, int | None]:
    """Reads exactly one of a one-off `date` or a yearly (`month`, `day`)."""
    has_date = "date" in entry
    has_month, has_day = "month" in entry, "day" in entry
    if has_date and (has_month or has_day):
        bad("date", "give either 'date' or 'month' + 'day', not both")
        return None, None, None
    if has_date:
        value = entry["date"]
        # YAML turns an unquoted ISO date into a date; a quoted one stays text, so accept both.
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value)
            except ValueError:
                bad("date", f"{value!r} is not a date YYYY-MM-DD")
                return None, None, None
        if isinstance(value, datetime) or not isinstance(value, date):
            bad("date", f"{value!r} is not a date YYYY-MM-DD")
            return None, None, None
        return value, None, None
    if not has_month and not has_day:
        bad("date", "required: a one-off 'date' or a yearly 'month' + 'day'")
        return None, None, None
    month, day = entry.get("month"), entry.get("day")
    ok = True
    for field, value, top in (("month", month, 12), ("day", day, 31)):
        if value is None:
            bad(field, "required with " + ("'day'" if field == "month" else "'month'"))
            ok = False
        elif isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= top:
            bad(field, f"{value!r} is not a whole number from 1 to {top}")
            ok = False
    if not ok:
        return None, None, None
    assert isinstance(month, int) and isinstance(day, int)  # checked above
    if day > _stdcal.monthrange(_LEAP_YEAR, month)[1]:
        bad("day", f"{day}/{month} does not exist in any year")
        return None, None, None
    return None, month, day


def date_in(deadline: Deadline, year: int) -> date | None:
    """Returns the date a deadline falls on in `year`, or None when it has none that year."""
    if deadline.date is not None:
        return deadline.date if deadline.date.year == year else None
    assert deadline.month is not None and deadline.day is not None
    if deadline.month == 2 and deadline.day == 29 and not _stdcal.isleap(year):
        # A yearly deadline must not vanish for three years out of four: "29/2" means the end of
        # February, so in common years it falls on 28/2 (a day early rather than never).
        return date(year, 2, 28)
    return date(year, deadline.month, deadline.day)


def occurrences(calendar: Iterable[Deadline], start: date, end: date) -> list[Occurrence]:
    """Lists every occurrence from `start` to `end` inclusive, sorted by date then id."""
    found: list[Occurrence] = []
    for deadline in calendar:
        for year in range(start.year, end.year + 1):
            when = date_in(deadline, year)
            if when is not None and start <= when <= end:
                found.append(Occurrence(deadline, when))
    return sorted(found, key=lambda occ: (occ.date, occ.deadline.id))


def upcoming(calendar: Iterable[Deadline], today: date, days: int) -> list[Occurrence]:
    """Lists occurrences from today through `days` days ahead."""
    if days < 0:
        raise ValueError(f"days must be >= 0, got {days}")
    return occurrences(calendar, today, today + timedelta(days=days))


def days_left(occ: Occurrence, today: date) -> int:
    """Returns the days from today to the occurrence (0 on the day, negative once passed)."""
    return (occ.date - today).days


def due_reminders(
    calendar: Iterable[Deadline],
    subscriptions: Iterable[Subscription],
    now_local_date: date,
    grace_days: int,
) -> list[DueReminder]:
    """Lists the reminders due today, including ones missed within the last `grace_days` days.

    A reminder (occurrence, lead) is meant for `occurrence.date - lead`. It is due when that day is today or
    at most `grace_days` before it, and the occurrence is today or later. When several leads of one occurrence
    qualify (after downtime), only the most recent is returned: a stale "7 days left" after a fresher
    "3 days left" would mislead. The caller drops keys already in its delivery ledger. Sorted by key.
    """
    if grace_days < 0:
        raise ValueError(f"grace_days must be >= 0, got {grace_days}")
    today = now_local_date
    subs = list(subscriptions)
    longest = max((lead for sub in subs for lead in sub.lead_days), default=-1)
    if longest < 0:
        return []
    window = occurrences(calendar, today, today + timedelta(days=longest))
    due: list[DueReminder] = []
    for sub in subs:
        for occ in window:
            if not sub.wants(occ.deadline.topic):
                continue
            left = days_left(occ, today)
            # The most recent reminder day already reached is the one with the smallest lead >= days left.
            lead = min((n for n in set(sub.lead_days) if n >= left), default=None)
            if lead is None or lead - left > grace_days:
                continue
            key = ReminderKey(sub.chat_id, occ.deadline.id, occ.date, lead)
            due.append(DueReminder(key, occ, occ.date - timedelta(days=lead), left))
    return sorted(due, key=lambda reminder: reminder.key)


_calendars: dict[tuple[Path, str], Calendar | None] = {}


def calendar_of(knowledge: Knowledge) -> Calendar | None:
    """The calendar of a loaded knowledge version (None without deadlines.yaml), read once per version.

    Raises KnowledgeError when deadlines.yaml is broken or names a topic the knowledge does not have.
    """
    key = (knowledge.path, knowledge.version)
    if key not in _calendars:
        path = knowledge.deadlines_path
        topics = {t.id for t in knowledge.topics}
        _calendars[key] = load_deadlines(path, topics) if path is not None else None
    return _calendars[key]
