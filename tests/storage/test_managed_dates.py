"""Organiser-managed dates in SQLite: the migration, who/when/what changed, the history, the source required."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from bot.core.errors import StorageError
from bot.core.records import ManagedDate, ReminderKey
from bot.storage.database import SENT, UNKNOWN, Storage, read_managed_dates

NOW = dt.datetime(2026, 12, 3, 2, 0, tzinfo=dt.UTC)
DATE = ManagedDate("lich-1", dt.date(2027, 1, 15), "Hạn gửi hồ sơ", "ho-so", "Công văn số 123/BKHCN-TCCB")


async def test_add_change_remove_keep_who_when_and_the_history(storage: Storage) -> None:
    await storage.save_managed_date(DATE, "add", "telegram:1", NOW)
    moved = ManagedDate(**{**{f: getattr(DATE, f) for f in DATE.__slots__}, "date": dt.date(2027, 1, 20)})
    await storage.save_managed_date(moved, "change", "telegram:2", NOW + dt.timedelta(hours=1))
    [stored] = await storage.managed_dates()
    assert stored.date == dt.date(2027, 1, 20) and stored.changed_by == "telegram:2"
    assert stored.changed_at == NOW + dt.timedelta(hours=1)
    removed = ManagedDate(**{**{f: getattr(moved, f) for f in DATE.__slots__}, "removed": True})
    await storage.save_managed_date(removed, "remove", "terminal:lan", NOW + dt.timedelta(hours=2))
    [stored] = await storage.managed_dates()
    assert stored.removed
    history = await storage.calendar_history("lich-1")
    assert [(c.action, c.by) for c in history] == [("remove", "terminal:lan"), ("change", "telegram:2"),
                                                   ("add", "telegram:1")]
    change = history[1]
    assert change.before is not None and change.before.date == dt.date(2027, 1, 15)
    assert change.after is not None and change.after.date == dt.date(2027, 1, 20)
    assert history[2].before is None


async def test_a_date_without_a_source_is_refused(storage: Storage) -> None:
    blank = ManagedDate("lich-1", dt.date(2027, 1, 15), "Tên", "ho-so", "  ")
    with pytest.raises(StorageError, match="source"):
        await storage.save_managed_date(blank, "add", "x", NOW)
    assert await storage.managed_dates() == []
    with pytest.raises(sqlite3.IntegrityError):  # the table itself refuses an empty source
        await storage.db.execute(
            "INSERT INTO managed_dates (deadline_id, date, title, topic, source, changed_by, changed_at)"
            " VALUES ('x', '2027-01-01', 't', 'ho-so', '', 'x', 'now')"
        )


async def test_ids_are_never_reused(storage: Storage) -> None:
    assert await storage.next_managed_id("lich-") == "lich-1"
    await storage.save_managed_date(DATE, "add", "x", NOW)
    assert await storage.next_managed_id("lich-") == "lich-2"


async def test_reminded_lists_chats_told_of_a_date(storage: Storage) -> None:
    for chat, state in ((1, SENT), (2, UNKNOWN), (3, "failed")):
        key = ReminderKey(chat, "lich-1", dt.date(2027, 1, 15), 7)
        await storage.claim_reminder(key, NOW)
        await storage.settle_reminder(key, state, NOW)
    assert await storage.reminded(["lich-1", "lich-9"]) == {
        "lich-1": {1: {dt.date(2027, 1, 15)}, 2: {dt.date(2027, 1, 15)}}
    }


async def test_read_only_reader_for_the_answerer(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    assert read_managed_dates(path) == [] and not path.exists()  # never creates the database
    store = await Storage(path).open()
    try:
        await store.save_managed_date(DATE, "add", "x", NOW)
    finally:
        await store.close()
    [read] = read_managed_dates(path)
    assert read.deadline_id == "lich-1" and read.source == DATE.source
    with contextlib.closing(sqlite3.connect(path)) as con:
        assert con.execute("PRAGMA user_version").fetchone()[0] >= 3
