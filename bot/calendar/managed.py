"""The year's dates entered by the organisers (stored in SQLite), layered over knowledge/deadlines.yaml.

Pure: the storage hands the rows in, `merge` gives the calendar as it is now. A managed date is one-off (the
Bộ's guidance sets a date for one year) and always names the document that set it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace

from bot.calendar.deadlines import ID_PATTERN, Calendar, Deadline
from bot.core.records import ManagedDate

DEFAULT_TOPIC = "quy-trinh"
MANAGED_PREFIX = "lich-"
TITLE_MAX = 200
SOURCE_MAX = 300
DETAILS_MAX = 1500
# The details a managed date shows when the organiser gave none.
DEFAULT_DETAILS = "Mốc do Bộ ấn định trong văn bản nêu ở phần nguồn; chi tiết xem văn bản đó hoặc hỏi cán bộ TĐKT."


def to_deadline(managed: ManagedDate) -> Deadline:
    """The calendar entry of a managed date; its source names the document, never "an organiser"."""
    return Deadline(
        id=managed.deadline_id,
        title_vi=managed.title,
        title_en=None,
        date=managed.date,
        month=None,
        day=None,
        topic=managed.topic,
        details_vi=managed.details.strip() or DEFAULT_DETAILS,
        details_en=None,
        source=managed.source,
        set_by=None,
    )


def merge(base: Calendar | None, managed: Iterable[ManagedDate]) -> Calendar:
    """The calendar as it is now: the YAML dates, each replaced (or hidden) by a managed date of the same id,
    then the other managed dates. Pure; the YAML calendar is not changed."""
    by_id = {m.deadline_id: m for m in managed}
    deadlines: list[Deadline] = []
    for deadline in base or ():
        override = by_id.pop(deadline.id, None)
        if override is None:
            deadlines.append(deadline)
        elif not override.removed:
            deadlines.append(to_deadline(override))
    deadlines += [to_deadline(m) for m in by_id.values() if not m.removed]
    return Calendar(tuple(deadlines), base.path if base is not None else None)


def check_date(
    when: dt.date | None, title: str, source: str, topic: str, topic_ids: Collection[str] | None
) -> list[str]:
    """What is wrong with a date an organiser wants to add or change (empty: nothing)."""
    problems = []
    if when is None:
        problems.append("thiếu ngày (dạng 2027-01-15 hoặc 15/01/2027)")
    if not title.strip():
        problems.append("thiếu tên mốc")
    elif len(title) > TITLE_MAX:
        problems.append(f"tên mốc dài quá {TITLE_MAX} ký tự")
    if not source.strip():
        problems.append(
            "thiếu nguồn: mỗi mốc phải ghi văn bản đã ấn định nó, ví dụ “| nguon: Công văn số 123/BKHCN-TCCB”"
        )
    elif len(source) > SOURCE_MAX:
        problems.append(f"nguồn dài quá {SOURCE_MAX} ký tự")
    if not ID_PATTERN.match(topic):
        problems.append(f"chủ đề {topic!r} không hợp lệ")
    elif topic_ids is not None and topic not in topic_ids:
        problems.append(f"không có chủ đề {topic!r} (các chủ đề: {', '.join(sorted(topic_ids))})")
    return problems


@dataclass(frozen=True, slots=True)
class DateInput:
    """What an organiser typed after `/lich them` or `/lich sua N` (fields left None were not given)."""

    date: dt.date | None
    title: str | None
    topic: str | None
    source: str | None
    details: str | None
    problems: tuple[str, ...] = ()


_DATE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})(?:\s+|$)")
_FIELD_NAMES = {
    "nguon": "source", "nguồn": "source", "source": "source",
    "chu-de": "topic", "chủ đề": "topic", "chu de": "topic", "chủ-đề": "topic", "topic": "topic",
    "chi-tiet": "details", "chi tiết": "details", "chi tiet": "details", "details": "details",
}
_FIELD = re.compile(
    r"^\s*(" + "|".join(map(re.escape, _FIELD_NAMES)) + r")\s*[:=]\s*(.*)$", re.IGNORECASE | re.DOTALL
)


def parse_date(text: str) -> dt.date | None:
    """2027-01-15 or 15/01/2027 (the Vietnamese order); None when it is neither or no such day."""
    text = text.strip()
    try:
        if "/" in text:
            day, month, year = (int(part) for part in text.split("/"))
            return dt.date(year, month, day)
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def parse_input(text: str) -> DateInput:
    """Reads `2027-01-15 Title | nguon: Công văn … | chu-de: ho-so | chi-tiet: …`; every part is optional here,
    the caller says which ones it needs."""
    problems: list[str] = []
    when: dt.date | None = None
    match = _DATE.match(text)
    if match:
        when = parse_date(match.group(1))
        if when is None:
            problems.append(f"{match.group(1)} không phải là một ngày có thật")
        text = text[match.end():]
    parts = text.split("|")
    title = parts[0].strip() or None
    fields: dict[str, str] = {}
    for part in parts[1:]:
        found = _FIELD.match(part)
        if found is None:
            if part.strip():
                problems.append(f"không hiểu phần “{part.strip()}” (dùng nguon:, chu-de:, chi-tiet:)")
            continue
        fields[_FIELD_NAMES[found.group(1).lower()]] = found.group(2).strip()
    topic = fields.get("topic")
    return DateInput(
        date=when,
        title=title,
        topic=topic.lower() if topic else None,
        source=fields.get("source"),
        details=fields.get("details"),
        problems=tuple(problems),
    )


def apply_input(current: ManagedDate, given: DateInput) -> ManagedDate:
    """The date after a change: the given fields replace the current ones."""
    return replace(
        current,
        date=given.date or current.date,
        title=given.title or current.title,
        topic=given.topic or current.topic,
        source=given.source if given.source is not None else current.source,
        details=given.details if given.details is not None else current.details,
        removed=False,
    )


def from_deadline(deadline: Deadline, when: dt.date) -> ManagedDate:
    """A managed copy of a YAML date on `when` (to change or hide it for this year)."""
    return ManagedDate(
        deadline_id=deadline.id,
        date=when,
        title=deadline.title_vi,
        topic=deadline.topic,
        source=deadline.source,
        details=deadline.details_vi,
    )


class ManagedLayer:
    """The managed dates this process last read from storage; the answerer merges them at each answer, the bot
    refreshes them after every change and periodically (a terminal `calendar add` shows up without a restart)."""

    def __init__(self, dates: Iterable[ManagedDate] = ()) -> None:
        self.dates: tuple[ManagedDate, ...] = tuple(dates)

    def set(self, dates: Iterable[ManagedDate]) -> None:
        self.dates = tuple(dates)

    def calendar(self, base: Calendar | None) -> Calendar:
        return merge(base, self.dates)


_layers: dict[str, ManagedLayer] = {}


def layer_for(database: object) -> ManagedLayer:
    """The process's one layer for a database (keyed by its path), shared by every answerer built for it, so an
    answerer rebuilt by /tailai still sees the dates the bot refreshed."""
    return _layers.setdefault(str(database), ManagedLayer())
