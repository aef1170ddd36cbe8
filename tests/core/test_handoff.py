"""Ticket counts: opened, answered, median time to answer, open now, drafts."""

from __future__ import annotations

import datetime as dt

from bot.core.handoff import TicketFacts, handoff_stats

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


def _t(days_ago: float, status: str, hours_to_answer: float | None = None) -> TicketFacts:
    created = NOW - dt.timedelta(days=days_ago)
    answered = created + dt.timedelta(hours=hours_to_answer) if hours_to_answer is not None else None
    return TicketFacts(created, status, answered)


def test_counts_and_median_over_the_period() -> None:
    tickets = [_t(1, "answered", 2), _t(2, "answered", 4), _t(3, "answered", 30), _t(1, "open"),
               _t(2, "closed", 1), _t(40, "open"), _t(40, "answered", 1)]
    stats = handoff_stats(tickets, NOW - dt.timedelta(days=7), drafts=2)
    assert (stats.opened, stats.answered, stats.closed, stats.open_now, stats.drafts) == (5, 3, 1, 2, 2)
    assert stats.median_hours == 4
    assert "5 mở, 3 đã trả lời (trung vị 4.0 giờ)" in stats.line()
    assert "2 draft(s)" in stats.line("en")


def test_no_answer_yet_has_no_median() -> None:
    stats = handoff_stats([_t(0.1, "open")], NOW - dt.timedelta(days=7), drafts=0)
    assert stats.median_hours is None and "trung vị –" in stats.line()
    quick = handoff_stats([_t(0.1, "answered", 0.25)], NOW - dt.timedelta(days=7), drafts=0)
    assert "15 phút" in quick.line()
