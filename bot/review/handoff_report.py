"""Ticket counts for the organiser report and /thongke: opened, answered, median time, open now, drafts (no text)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.core.handoff import HandoffStats, TicketFacts, handoff_stats
from bot.review.drafts import DraftError, drafts_path, load_drafts
from bot.storage.database import Storage


async def handoff_counts(storage: Storage, knowledge_root: Path, days: int, now: dt.datetime) -> HandoffStats:
    since = now - dt.timedelta(days=days)
    tickets = await storage.tickets_since(since)
    try:
        drafts = len(load_drafts(drafts_path(knowledge_root)))
    except DraftError:
        drafts = 0
    return handoff_stats([TicketFacts(t.created_at, t.status, t.answered_at) for t in tickets], since, drafts)
