"""Plain records shared by storage, the Telegram layer and reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

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
