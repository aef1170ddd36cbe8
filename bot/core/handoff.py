"""Handoff to a person ("Hỏi cán bộ thi đua"): the counts reports show; transport- and storage-free."""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TicketFacts:
    """What the counts need of one ticket (no question text, no user)."""

    created_at: dt.datetime
    status: str  # open | answered | closed
    answered_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class HandoffStats:
    """Tickets of a period: opened, answered, median hours to answer; open now; drafts waiting for review."""

    opened: int
    answered: int
    closed: int
    median_hours: float | None
    open_now: int
    drafts: int

    def line(self, lang: str = "vi") -> str:
        median = "–" if self.median_hours is None else _hours(self.median_hours, lang)
        if lang == "en":
            return (
                f"Organiser tickets: {self.opened} opened, {self.answered} answered (median {median}), "
                f"{self.closed} closed, {self.open_now} open now; {self.drafts} draft(s) waiting for review"
            )
        return (
            f"Phiếu hỏi cán bộ: {self.opened} mở, {self.answered} đã trả lời (trung vị {median}), "
            f"{self.closed} đóng, {self.open_now} đang chờ; {self.drafts} bản nháp chờ duyệt"
        )


def _hours(value: float, lang: str) -> str:
    if value < 1:
        return f"{round(value * 60)} {'min' if lang == 'en' else 'phút'}"
    return f"{value:.1f} {'h' if lang == 'en' else 'giờ'}"


def handoff_stats(tickets: Iterable[TicketFacts], since: dt.datetime, drafts: int) -> HandoffStats:
    """Counts over tickets created since `since`; `open_now` counts every open ticket."""
    items = list(tickets)
    recent = [t for t in items if t.created_at >= since]
    waits = [
        (t.answered_at - t.created_at).total_seconds() / 3600
        for t in recent
        if t.status == "answered" and t.answered_at is not None
    ]
    return HandoffStats(
        opened=len(recent),
        answered=sum(t.status == "answered" for t in recent),
        closed=sum(t.status == "closed" for t in recent),
        median_hours=statistics.median(waits) if waits else None,
        open_now=sum(t.status == "open" for t in items),
        drafts=drafts,
    )
