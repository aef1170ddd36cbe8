"""Fault injection and flood limits: injected errors (429, 403, 5xx) and delays per method and chat, blocked
chats, and Telegram's broadcast limits answered with a computed 429 retry_after.
"""

from __future__ import annotations

import copy
import math
import time
from dataclasses import dataclass
from typing import Any

from .common import DEFAULT_DESCRIPTIONS, ApiError, JSONDict


@dataclass
class Fault:
    """An injected failure or delay for one method (or "*"), optionally only for one chat."""

    method: str
    status: int | None
    description: str | None
    retry_after: int | None
    chat_id: int | None
    times: int | None
    delay: float = 0.0
    hits: int = 0

    def matches(self, method: str, chat_id: Any) -> bool:
        """Tell whether this fault applies to a request (and still has uses left)."""
        if self.times is not None and self.hits >= self.times:
            return False
        if self.method != "*" and self.method.lower() != method.lower():
            return False
        return self.chat_id is None or chat_id == self.chat_id


@dataclass(frozen=True)
class FloodLimits:
    """Telegram's documented broadcast limits; exceeding one answers 429 with a computed retry_after."""

    per_second: int | None = 30
    per_group_per_minute: int | None = 20
    per_chat_per_second: int | None = None  # Telegram tolerates short bursts in private chats


@dataclass
class FaultHit:
    """A request that an injected fault or delay acted on."""

    time: float
    method: str
    chat_id: Any
    status: int | None
    delay: float


class FaultsMixin:
    """Test-side fault controls and the checks every request goes through."""

    def inject(
        self,
        method: str,
        status: int = 429,
        *,
        retry_after: int | None = None,
        description: str | None = None,
        times: int | None = 1,
        chat_id: int | None = None,
    ) -> Fault:
        """Make the next ``times`` calls of ``method`` ("*" = any) fail with ``status`` (None = forever)."""
        if status == 429 and retry_after is None:
            retry_after = 1
        if description is None:
            description = (
                f"Too Many Requests: retry after {retry_after}" if status == 429
                else DEFAULT_DESCRIPTIONS.get(status, f"Error {status}")
            )
        fault = Fault(method, status, description, retry_after, chat_id, times)
        with self._cond:
            self._faults.append(fault)
        return fault

    def delay(self, method: str, seconds: float, *, times: int | None = None, chat_id: int | None = None) -> Fault:
        """Make calls of ``method`` ("*" = any) answer ``seconds`` late (interrupted by stop())."""
        fault = Fault(method, None, None, None, chat_id, times, delay=seconds)
        with self._cond:
            self._faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        """Remove every injected fault and delay (the hit log is kept)."""
        with self._cond:
            self._faults.clear()

    @property
    def faults(self) -> list[Fault]:
        """Snapshot of the injected faults with their hit counts."""
        with self._cond:
            return copy.deepcopy(self._faults)

    @property
    def fault_hits(self) -> list[FaultHit]:
        """Every request an injected fault or delay acted on, in order."""
        with self._cond:
            return list(self._fault_hits)

    def block(self, chat_id: int) -> None:
        """Simulate the user blocking the bot (or removing it from the group): sends get 403."""
        with self._cond:
            self._blocked.add(chat_id)

    def unblock(self, chat_id: int) -> None:
        """Undo block()."""
        with self._cond:
            self._blocked.discard(chat_id)

    def _apply_faults(self, method: str, params: JSONDict) -> None:
        chat_id = params.get("chat_id")
        with self._cond:
            delays = [f for f in self._faults if f.delay and f.matches(method, chat_id)]
            failure = next((f for f in self._faults if f.status and f.matches(method, chat_id)), None)
            for fault in [*delays, *([failure] if failure else [])]:
                fault.hits += 1
                self._fault_hits.append(FaultHit(self._clock(), method, chat_id, fault.status, fault.delay))
        for fault in delays:
            self._stop_event.wait(fault.delay)
        if failure is not None:
            parameters = {"retry_after": failure.retry_after} if failure.status == 429 else None
            raise ApiError(failure.status or 500, failure.description or "", parameters)

    def _check_flood(self, chat_id: Any) -> None:
        """Answer 429 when a send would exceed the configured flood limits, else count it."""
        limits = self.flood_limits
        assert limits is not None
        now = time.monotonic()
        with self._cond:
            self._send_times = [(t, c) for t, c in self._send_times if now - t < 60]
            chat = self._chats.get(chat_id) if isinstance(chat_id, int) else None
            group = chat is not None and chat["type"] in ("group", "supergroup")
            windows = [
                (limits.per_second, 1.0, [t for t, _ in self._send_times]),
                (limits.per_chat_per_second, 1.0, [t for t, c in self._send_times if c == chat_id]),
                (limits.per_group_per_minute if group else None, 60.0,
                 [t for t, c in self._send_times if c == chat_id]),
            ]
            for limit, window, times in windows:
                recent = [t for t in times if now - t < window]
                if limit is not None and len(recent) >= limit:
                    retry_after = max(1, math.ceil(recent[-limit] + window - now))
                    raise ApiError(429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after})
            self._send_times.append((now, chat_id))
