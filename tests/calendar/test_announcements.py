"""Announcements over a real SQLite ledger with a fake sender: recipients, at most once, resuming after a crash."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.calendar.announcements import parse_command, recipients, run_announcement, totals
from bot.calendar.reminders import RecipientGone
from bot.core.records import DONE, DRAFT, SENDING
from bot.storage.database import Storage

NOW = dt.datetime(2026, 12, 3, 2, 0, tzinfo=dt.UTC)


class Crash(BaseException):
    """The process dying mid-send (not an Exception: nothing catches it)."""


def test_parse_command() -> None:
    assert parse_command("chu-de=Quy-trinh Họp tổng kết") == ("quy-trinh", "Họp tổng kết")
    assert parse_command("  Họp tổng kết ") == (None, "Họp tổng kết")


async def test_each_recipient_at_most_once_across_a_crash(storage: Storage) -> None:
    for chat in range(1, 11):
        await storage.subscribe(chat, f"u{chat}", "vi", (7,), frozenset({"ho-so"}) if chat > 8 else None, NOW)
    await storage.subscribe(11, "u11", "vi", (7,), frozenset({"quy-trinh"}), NOW)
    item = await storage.create_announcement("Họp", "ho-so", "telegram:1", 1, NOW)
    assert item.state == DRAFT
    assert [s.chat_id for s in await recipients(storage, "ho-so")] == list(range(1, 11))
    assert len(await recipients(storage, None)) == 11
    assert await storage.set_announcement_state(item.id, SENDING, DRAFT, NOW, recipients=10)
    assert not await storage.set_announcement_state(item.id, SENDING, DRAFT, NOW)  # pressed twice

    got: list[int] = []

    async def crashing(chat_id: int, text: str) -> None:
        if chat_id == 5:
            raise Crash
        if chat_id == 3:
            raise RecipientGone("blocked")
        got.append(chat_id)

    with pytest.raises(Crash):
        await run_announcement(storage, item, NOW, crashing)
    assert await storage.reconcile_reminders(NOW) == 1  # the claim of chat 5

    async def fine(chat_id: int, text: str) -> None:
        assert text.endswith("Họp")
        got.append(chat_id)

    resumed = await run_announcement(storage, item, NOW, fine)
    assert (resumed.sent, resumed.skipped) == (5, 4)  # 1, 2, 4 sent and 5 unknown before; 3 unsubscribed
    assert sorted(got) == [1, 2, 4, 6, 7, 8, 9, 10]
    total = await totals(storage, item)
    assert (total.sent, total.blocked, total.failed, total.unknown) == (8, 1, 0, 1)
    assert (await run_announcement(storage, item, NOW, fine)).sent == 0
    assert await storage.set_announcement_state(item.id, DONE, SENDING, NOW)
    [latest] = await storage.announcements(limit=5)
    assert latest.state == DONE and latest.recipients == 10 and latest.finished_at == NOW
