"""Sliding-window rate limits (flood control, admin alerts) and the once-only guard of buttons; time is passed in."""

from __future__ import annotations

from collections import OrderedDict, defaultdict, deque


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


class Once:
    """Remembers the last `size` keys seen: `first(key)` is True only the first time (a double tap acts once)."""

    def __init__(self, size: int = 10_000) -> None:
        self.size = size
        self._seen: OrderedDict[object, None] = OrderedDict()

    def first(self, key: object) -> bool:
        if key in self._seen:
            self._seen.move_to_end(key)
            return False
        self._seen[key] = None
        if len(self._seen) > self.size:
            self._seen.popitem(last=False)
        return True
