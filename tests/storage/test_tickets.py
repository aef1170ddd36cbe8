"""Handoff tickets in SQLite: the cap on open tickets, first answer wins, the at-most-once delivery claim."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.storage.database import ANSWERED, CLAIMED, CLOSED, FAILED, OPEN, SENT, UNKNOWN, Storage

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


async def _store(tmp_path: Path) -> Storage:
    return await Storage(tmp_path / "db.sqlite3").open()


async def test_open_tickets_are_numbered_and_capped_per_user(tmp_path: Path) -> None:
    store = await _store(tmp_path)
    try:
        first = await store.open_ticket("u1", 11, "câu một", "không trả lời được", "vi", NOW, max_open=2)
        second = await store.open_ticket("u1", 11, "câu hai", "", "vi", NOW, max_open=2)
        assert first is not None and second is not None and second.number == first.number + 1
        assert (first.status, first.user_key, first.chat_id, first.created_at) == (OPEN, "u1", 11, NOW)
        assert await store.open_ticket("u1", 11, "câu ba", "", "vi", NOW, max_open=2) is None
        assert await store.open_ticket("u2", 12, "câu khác", "", "en", NOW, max_open=2) is not None
        assert await store.close_ticket(first.number, "ngoài phạm vi", "Lan", NOW)
        assert await store.open_ticket("u1", 11, "câu ba", "", "vi", NOW, max_open=2) is not None
        assert [t.question for t in await store.tickets_of("u1")] == ["câu ba", "câu hai", "câu một"]
    finally:
        await store.close()


async def test_first_answer_wins_and_claims_the_delivery(tmp_path: Path) -> None:
    store = await _store(tmp_path)
    try:
        ticket = await store.open_ticket("u1", 11, "câu", "", "vi", NOW, max_open=3)
        assert ticket is not None
        later = NOW + dt.timedelta(hours=2)
        assert await store.answer_ticket(ticket.number, "trả lời", "Lan", later)
        assert not await store.answer_ticket(ticket.number, "trả lời khác", "Minh", later)
        assert not await store.close_ticket(ticket.number, "x", "Minh", later)
        stored = await store.ticket(ticket.number)
        assert stored is not None
        assert (stored.status, stored.answer, stored.answered_by, stored.answered_at, stored.delivery) == (
            ANSWERED, "trả lời", "Lan", later, CLAIMED
        )
    finally:
        await store.close()


async def test_failed_delivery_is_claimed_once_and_a_crash_leaves_unknown(tmp_path: Path) -> None:
    store = await _store(tmp_path)
    try:
        a = await store.open_ticket("u1", 11, "a", "", "vi", NOW, max_open=3)
        b = await store.open_ticket("u1", 11, "b", "", "vi", NOW, max_open=3)
        assert a is not None and b is not None
        await store.answer_ticket(a.number, "x", "Lan", NOW)
        await store.answer_ticket(b.number, "y", "Lan", NOW)
        await store.settle_delivery(a.number, FAILED, NOW)
        assert await store.claim_retry(a.number)
        assert not await store.claim_retry(a.number)  # a second retry of the same failure is refused
        await store.settle_delivery(a.number, SENT, NOW)
        # b was claimed and never settled (the process died): it is never sent again.
        assert await store.reconcile_deliveries() == [b.number]
        stored_a, stored_b = await store.ticket(a.number), await store.ticket(b.number)
        assert stored_a is not None and stored_b is not None
        assert (stored_a.delivery, stored_a.delivery_attempts, stored_a.delivered_at) == (SENT, 2, NOW)
        assert stored_b.delivery == UNKNOWN and not await store.claim_retry(b.number)
    finally:
        await store.close()


async def test_posts_forget_and_retention(tmp_path: Path) -> None:
    store = await _store(tmp_path)
    try:
        old = await store.open_ticket("u1", 11, "cũ", "", "vi", NOW - dt.timedelta(days=400), max_open=3)
        mine = await store.open_ticket("u1", 11, "của tôi", "", "vi", NOW, max_open=3)
        other = await store.open_ticket("u2", 12, "của người khác", "", "vi", NOW, max_open=3)
        assert old is not None and mine is not None and other is not None
        await store.record_ticket_post(mine.number, -100, 5, first=True)
        await store.record_ticket_post(mine.number, -100, 9, first=False)  # a re-post
        found = await store.ticket_of_post(-100, 9)
        assert found is not None and found.number == mine.number and found.group_message_id == 5
        assert await store.purge_tickets_before(NOW - dt.timedelta(days=365)) == 1
        assert await store.ticket(old.number) is None
        await store.close_ticket(other.number, "x", "Lan", NOW)
        assert (await store.forget_user("u1", 11)).questions == 0  # tickets go too; no logged questions here
        assert await store.tickets_of("u1") == [] and await store.ticket_of_post(-100, 9) is None
        left = await store.ticket(other.number)
        assert left is not None and left.status == CLOSED
    finally:
        await store.close()
