"""Queued, batched writes of the question log, so logging never delays a reply."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import logging
import secrets

from bot.core.records import LoggedQuestion
from bot.storage.database import Storage

log = logging.getLogger(__name__)

_STOP = object()


def pseudonym(user_id: int, secret: str) -> str:
    """Pseudonymous user key: HMAC-SHA256 of the Telegram user id; the raw id is never stored."""
    return hmac.new(secret.encode(), str(user_id).encode(), hashlib.sha256).hexdigest()[:20]


def new_ref() -> str:
    """Short random reference of a logged question, small enough for callback data."""
    return secrets.token_urlsafe(6)


class QuestionLog:
    """Accepts log records at once and writes them in batches from one background task."""

    def __init__(self, storage: Storage, flush_interval: float = 0.5, batch_size: int = 500) -> None:
        self.storage = storage
        self.flush_interval = flush_interval
        self.batch_size = batch_size
        self._queue: asyncio.Queue[object] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self.written = 0

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="question-log-writer")

    def log(self, question: LoggedQuestion, ref: str | None = None) -> str:
        """Queue a question; return its reference for later choice/feedback updates."""
        ref = ref or new_ref()
        self._queue.put_nowait(("q", ref, question))
        return ref

    def record_choice(self, ref: str, choice: str) -> None:
        self._queue.put_nowait(("u", ref, "choice", choice))

    def record_feedback(self, ref: str, value: int) -> None:
        self._queue.put_nowait(("u", ref, "feedback", value))

    async def flush(self) -> None:
        """Wait until everything queued so far is written."""
        if self._task is None:
            await self._write(self._drain())
            return
        await self._queue.join()

    async def stop(self) -> None:
        """Write everything still queued, then stop the writer (called on shutdown)."""
        if self._task is not None:
            self._queue.put_nowait(_STOP)
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self._write(self._drain())

    def _drain(self) -> list[object]:
        items = []
        while not self._queue.empty():
            items.append(self._queue.get_nowait())
            self._queue.task_done()
        return [i for i in items if i is not _STOP]

    async def _run(self) -> None:
        while True:
            first = await self._queue.get()
            batch = [first]
            await asyncio.sleep(0)  # let replies that are already running enqueue their records
            while len(batch) < self.batch_size and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            stop = any(item is _STOP for item in batch)
            try:
                await self._write([item for item in batch if item is not _STOP])
            finally:
                for _ in batch:
                    self._queue.task_done()
            if stop:
                return
            # Wait before the next batch even when more is queued: under load one commit then covers many questions.
            await asyncio.sleep(self.flush_interval)

    async def _write(self, items: list[object]) -> None:
        questions = [(i[1], i[2]) for i in items if isinstance(i, tuple) and i[0] == "q"]
        updates = [(i[1], i[2], i[3]) for i in items if isinstance(i, tuple) and i[0] == "u"]
        if not questions and not updates:
            return
        for attempt in range(5):
            try:
                await self.storage.write_batch(questions, updates)
                self.written += len(questions)
                return
            except Exception:  # a locked or full disk must not drop the batch at the first try
                log.exception("writing %d logged questions failed (attempt %d)", len(questions), attempt + 1)
                await asyncio.sleep(0.2 * (attempt + 1))
        log.error("gave up writing %d logged questions", len(questions))
