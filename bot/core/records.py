"""Plain records shared by the core, storage, the calendar, the Telegram layer and reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from datetime import date, datetime

# Values of LoggedQuestion.status
ANSWER = "answer"
SUGGEST = "suggest"
FALLBACK = "fallback"
SMALLTALK = "smalltalk"
STATUSES = (ANSWER, SUGGEST, FALLBACK, SMALLTALK)

# LoggedQuestion.choice when the user pressed "Không phải các câu này"
CHOICE_NONE = "none"


@dataclass(frozen=True, slots=True)
class LoggedQuestion:
    """One question as stored in the question log."""

    asked_at: datetime  # timezone-aware, UTC
    user_key: str  # HMAC of the Telegram user id, never the raw id
    chat_type: str  # private | group | supergroup | channel | cli
    lang: str  # vi | en
    text: str  # raw text as typed (truncated to the length cap)
    normalized: str  # folded, normalised text used for matching
    status: str  # one of STATUSES
    entry_id: str | None  # top entry (answered, or best suggestion)
    score: float  # 0-100
    suggestions: tuple[str, ...] = ()  # entry ids offered in the suggest band
    choice: str | None = None  # entry id chosen after a suggestion, or CHOICE_NONE
    feedback: int | None = None  # +1 thumbs up, -1 thumbs down
    knowledge_version: str = ""
    latency_ms: float = 0.0
    id: int | None = None  # row id once stored
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Subscription:
    """A chat that wants reminders `lead_days` before each deadline of `topics` (None = every topic)."""

    chat_id: int
    lead_days: tuple[int, ...]
    topics: frozenset[str] | None = None

    def __post_init__(self) -> None:
        if any(lead < 0 for lead in self.lead_days):
            raise ValueError(f"lead days must be >= 0, got {self.lead_days!r}")

    def wants(self, topic: str) -> bool:
        """Whether this subscription covers a deadline of `topic`."""
        return self.topics is None or topic in self.topics


@dataclass(frozen=True, slots=True, order=True)
class ReminderKey:
    """Identifies one reminder in the delivery ledger, so it is sent at most once."""

    subscriber_id: int
    deadline_id: str
    occurrence_date: date
    lead_days: int


@dataclass(frozen=True, slots=True)
class ManagedDate:
    """One organiser-managed date as stored now (the latest version; `removed` hides it and any YAML twin)."""

    deadline_id: str
    date: dt.date
    title: str
    topic: str
    source: str
    details: str = ""
    removed: bool = False
    changed_by: str = ""
    changed_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class CalendarChange:
    """One line of the history: who changed which date, when, from what to what."""

    deadline_id: str
    action: str  # add | change | remove
    by: str
    at: dt.datetime
    before: ManagedDate | None
    after: ManagedDate | None


# Values of Announcement.state
DRAFT, SENDING, DONE, CANCELLED = "draft", "sending", "done", "cancelled"


@dataclass(frozen=True, slots=True)
class Announcement:
    """A message the admins send to every subscriber (or those of one topic)."""

    id: int
    text: str
    topic: str | None
    created_by: str
    admin_chat: int
    created_at: dt.datetime
    state: str  # draft | sending | done | cancelled
    recipients: int = 0
    finished_at: dt.datetime | None = None
