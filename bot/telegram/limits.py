"""Sliding-window rate limits (flood control, admin alerts); time is passed in."""

from __future__ import annotations

from collections import defaultdict, deque


class SlidingWindowLimit:
    """Allows at most `limit` events per key within `window` seconds."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window
        self._events: dict[object, deque[float]] = defaultdict(deque)

    def allow(self, key: object, now: float) -> bool:
        """Record an event for `key` at `now` if it is within the limit; tell whether it was."""
        events = self._events[key]
        while events and events[0] <= now - self.window:
            events.popleft()
        if len(events) >= self.limit:
            return False
        events.append(now)
        return True
