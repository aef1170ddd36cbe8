"""The calendar as it is now: knowledge/deadlines.yaml with the organisers' managed dates read from storage."""

from __future__ import annotations

from bot.calendar.deadlines import Calendar, calendar_of
from bot.calendar.managed import ManagedLayer, merge
from bot.core.knowledge import Knowledge
from bot.storage.database import Storage


async def current_calendar(storage: Storage, knowledge: Knowledge, layer: ManagedLayer | None = None) -> Calendar:
    """Reads the managed dates (and refreshes `layer` with them), then merges them over the YAML calendar.

    Raises KnowledgeError when deadlines.yaml is broken."""
    dates = await storage.managed_dates()
    if layer is not None:
        layer.set(dates)
    return merge(calendar_of(knowledge), dates)
