"""Observation and waiting: what the bot sent, messages as they are now, callback answers, command lists, the
request log, and bounded waits (blocking and ``*_async``) keyed on marks in the event sequence.
"""

from __future__ import annotations

import asyncio
import copy
import time
from collections.abc import Callable
from typing import Any

from .common import CLIENT_GONE, JSONDict
from .records import CallbackAnswer, RequestRecord, SentMessage, StoredMessage


class ObserveMixin:
    """Read-only views and waits for tests (thread-safe snapshots)."""

    def sent_messages(self, chat_id: int | None = None, *, after: Any = None) -> list[SentMessage]:
        """Everything the bot sent (optionally to one chat, optionally only after a mark/update)."""
        since = self._resolve_mark(after)
        with self._cond:
            return [copy.deepcopy(m) for m in self._sent
                    if (chat_id is None or m.chat_id == chat_id) and m.seq > since]

    @property
    def messages(self) -> dict[tuple[int, int], StoredMessage]:
        """Current state of every message by (chat_id, message_id), user's and bot's."""
        with self._cond:
            return copy.deepcopy(self._messages)

    def message(self, chat_id: int, message_id: int) -> StoredMessage:
        """Current state of one message."""
        with self._cond:
            return copy.deepcopy(self._messages[(chat_id, message_id)])

    @property
    def callback_answers(self) -> list[CallbackAnswer]:
        """Every accepted answerCallbackQuery, in order."""
        with self._cond:
            return list(self._callback_answers)

    @property
    def commands(self) -> dict[tuple[str, str], list[JSONDict]]:
        """Command lists by (scope key, language_code); scope keys look like "default" or "chat:-100"."""
        with self._cond:
            return copy.deepcopy(self._commands)

    @property
    def requests(self) -> list[RequestRecord]:
        """Log of every Bot API request, in completion order."""
        with self._cond:
            return list(self._requests)

    def calls(self, method: str) -> list[RequestRecord]:
        """The logged requests of one method (case-insensitive)."""
        with self._cond:
            return [r for r in self._requests if r.method.lower() == method.lower()]

    @property
    def rejected(self) -> list[RequestRecord]:
        """Requests answered with an error status (handy: ``assert not emu.rejected``)."""
        with self._cond:
            return [r for r in self._requests if r.status >= 400 and r.status != CLIENT_GONE]

    @property
    def webhook(self) -> JSONDict:
        """The webhook settings last stored by setWebhook."""
        with self._cond:
            return dict(self._webhook)

    @property
    def is_polling(self) -> bool:
        """Tell whether a getUpdates call is waiting right now (the bot is up and listening)."""
        with self._cond:
            return self._polls_waiting > 0

    @property
    def pending_updates(self) -> list[JSONDict]:
        """Updates not yet acknowledged by an offset."""
        with self._cond:
            return copy.deepcopy(self._updates)

    def mark(self) -> int:
        """Return a position in the event sequence to use as ``after=``."""
        with self._cond:
            return self._last_seq

    def wait_for(self, predicate: Callable[[], Any], timeout: float = 10.0, *, description: str = "condition") -> Any:
        """Wait until ``predicate()`` is truthy and return its value; AssertionError after ``timeout``."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                value = predicate()
                if value:
                    return value
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"timed out after {timeout}s waiting for {description}")
                self._cond.wait(min(remaining, 0.05))

    def wait_for_messages(
        self, chat_id: int, count: int = 1, timeout: float = 10.0, *, after: Any = None
    ) -> list[SentMessage]:
        """Wait until the bot has sent at least ``count`` messages to ``chat_id`` (after ``after``)."""
        since = self._resolve_mark(after)

        def enough() -> bool:
            return sum(1 for m in self._sent if m.chat_id == chat_id and m.seq > since) >= count

        try:
            self.wait_for(enough, timeout, description=f"{count} message(s) to chat {chat_id}")
            return self.sent_messages(chat_id, after=since)
        except AssertionError:
            seen = [(m.method, m.text) for m in self.sent_messages(chat_id, after=after)]
            rejected = [(r.method, r.status, r.description) for r in self.rejected][-5:]
            raise AssertionError(
                f"timed out after {timeout}s waiting for {count} message(s) to chat {chat_id}; saw {seen!r}; "
                f"last rejected requests: {rejected!r}; internal errors: {self.internal_errors!r}"
            ) from None

    def wait_idle(self, quiet: float = 0.2, timeout: float = 10.0) -> None:
        """Wait until every update was fetched and no (non-getUpdates) request happened for ``quiet`` s."""
        def idle() -> bool:
            return (self._delivered_upto >= self._pushed_upto and self._inflight == 0
                    and time.monotonic() - self._last_activity >= quiet)
        self.wait_for(idle, timeout, description="the bot to go idle")

    async def wait_for_async(self, predicate: Callable[[], Any], timeout: float = 10.0, *,
                             description: str = "condition") -> Any:
        """wait_for() without blocking the event loop (use it when the bot runs in-process)."""
        return await asyncio.to_thread(self.wait_for, predicate, timeout, description=description)

    async def wait_for_messages_async(self, chat_id: int, count: int = 1, timeout: float = 10.0, *,
                                      after: Any = None) -> list[SentMessage]:
        """wait_for_messages() without blocking the event loop."""
        return await asyncio.to_thread(self.wait_for_messages, chat_id, count, timeout, after=after)

    async def wait_idle_async(self, quiet: float = 0.2, timeout: float = 10.0) -> None:
        """wait_idle() without blocking the event loop."""
        await asyncio.to_thread(self.wait_idle, quiet, timeout)

    def _resolve_mark(self, after: Any) -> int:
        if after is None:
            return 0
        if isinstance(after, int):
            return after
        if isinstance(after, SentMessage):
            return after.seq
        if isinstance(after, dict) and after.get("update_id") is not None:
            with self._cond:
                return self._update_seq[after["update_id"]]
        raise TypeError(f"after= must be a mark(), a SentMessage or a pushed update, not {after!r}")
