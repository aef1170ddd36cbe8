"""Storage on a real SQLite file under tmp_path: migrations, subscriptions, the reminder ledger and the question log."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.calendar.deadlines import ReminderKey
from bot.core.errors import StorageError
from bot.core.records import LoggedQuestion
from bot.storage.database import CLAIMED, FAILED, MIGRATIONS, SENT, UNKNOWN, Storage

REPO = Path(__file__).resolve().parents[2]
NOW = dt.datetime(2026, 11, 23, 1, 0, tzinfo=dt.UTC)
KEY = ReminderKey(42, "bao-cao-tong-ket-nam", dt.date(2026, 12, 15), 7)


def question(text: str, asked_at: dt.datetime = NOW, user_key: str = "u1") -> LoggedQuestion:
    return LoggedQuestion(
        asked_at=asked_at,
        user_key=user_key,
        chat_type="private",
        lang="vi",
        text=text,
        normalized=text.lower(),
        status="answered",
        entry_id="ho-so-chung",
        score=91.5,
        suggestions=("a", "b"),
        knowledge_version="v1",
        latency_ms=3.0,
    )


def raw_rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    with contextlib.closing(sqlite3.connect(path)) as con:
        return con.execute(sql).fetchall()


# -- migrations -----------------------------------------------------------------------------------------------


async def test_empty_file_is_migrated_to_the_latest_schema(tmp_path: Path) -> None:
    path = tmp_path / "new" / "db.sqlite3"
    store = await Storage(path).open()
    try:
        assert await store.schema_version() == len(MIGRATIONS)
        assert await store.active_subscriptions() == []
        assert await store.count_questions() == 0
    finally:
        await store.close()
    tables = {name for (name,) in raw_rows(path, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"questions", "subscriptions", "reminders"} <= tables


async def test_version_1_database_is_migrated_without_losing_rows(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    # A database as the first release left it: only the question log, schema version 1, with rows.
    with contextlib.closing(sqlite3.connect(path)) as con:
        con.executescript(f"BEGIN; {MIGRATIONS[0][1]} PRAGMA user_version = 1; COMMIT;")
        con.execute(
            "INSERT INTO questions (ref, asked_at, user_key, chat_type, lang, text, normalized, status, entry_id,"
            " score, knowledge_version, latency_ms) VALUES ('r1', ?, 'u1', 'private', 'vi', 'Hồ sơ gồm gì?',"
            " 'ho so gom gi', 'answered', 'ho-so-chung', 90, 'v1', 2.5)",
            (NOW.isoformat(timespec="milliseconds"),),
        )
        con.commit()
    store = await Storage(path).open()
    try:
        assert await store.schema_version() == len(MIGRATIONS)
        [kept] = await store.questions_since(NOW - dt.timedelta(days=1))
        assert (kept.text, kept.user_key, kept.entry_id, kept.score) == ("Hồ sơ gồm gì?", "u1", "ho-so-chung", 90)
        await store.subscribe(42, "u1", "vi", (7, 1), None, NOW)  # the new tables work
        assert await store.claim_reminder(KEY, NOW)
    finally:
        await store.close()
    # Opening again applies nothing and still keeps everything.
    store = await Storage(path).open()
    try:
        assert await store.count_questions() == 1
        assert [s.chat_id for s in await store.active_subscriptions()] == [42]
    finally:
        await store.close()


async def test_database_newer_than_the_program_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    with contextlib.closing(sqlite3.connect(path)) as con:
        con.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    with pytest.raises(StorageError, match="newer than this program"):
        await Storage(path).open()


def test_refused_database_does_not_keep_the_cli_alive(tmp_path: Path) -> None:
    """The refused connection is closed: its worker thread used to keep `python -m bot remind` hanging."""
    path = tmp_path / "db.sqlite3"
    with contextlib.closing(sqlite3.connect(path)) as con:
        con.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    config = tmp_path / "config.yaml"
    config.write_text(f"storage:\n  path: {path}\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("TDKT_")}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(config), "remind", "--dry-run"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 1 and "newer than this program" in done.stderr


async def test_closed_storage_raises_storage_error(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="not open"):
        await Storage(tmp_path / "db.sqlite3").active_subscriptions()


# -- reminder ledger ------------------------------------------------------------------------------------------


async def test_claim_is_once_only_whatever_the_state(storage: Storage) -> None:
    assert await storage.claim_reminder(KEY, NOW)
    assert not await storage.claim_reminder(KEY, NOW)
    await storage.settle_reminder(KEY, FAILED, NOW)
    assert not await storage.claim_reminder(KEY, NOW + dt.timedelta(days=1))  # a failure is never retried
    other_lead = ReminderKey(KEY.subscriber_id, KEY.deadline_id, KEY.occurrence_date, 1)
    other_year = ReminderKey(KEY.subscriber_id, KEY.deadline_id, dt.date(2027, 12, 15), 7)
    other_chat = ReminderKey(43, KEY.deadline_id, KEY.occurrence_date, 7)
    for key in (other_lead, other_year, other_chat):
        assert await storage.claim_reminder(key, NOW)
    assert (await storage.reminder_states())[KEY] == FAILED


async def test_concurrent_claims_let_exactly_one_through(storage: Storage) -> None:
    results = await asyncio.gather(*(storage.claim_reminder(KEY, NOW) for _ in range(20)))
    assert results.count(True) == 1


async def test_reconcile_turns_only_leftover_claims_into_unknown(storage: Storage) -> None:
    sent = ReminderKey(43, KEY.deadline_id, KEY.occurrence_date, 7)
    for key in (KEY, sent):
        assert await storage.claim_reminder(key, NOW)
    await storage.settle_reminder(sent, SENT, NOW)
    assert (await storage.reminder_states())[KEY] == CLAIMED
    assert await storage.reconcile_reminders(NOW) == 1
    assert await storage.reminder_states() == {KEY: UNKNOWN, sent: SENT}
    assert not await storage.claim_reminder(KEY, NOW)  # unknown is never sent again
    assert await storage.reconcile_reminders(NOW) == 0


async def test_ledger_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    store = await Storage(path).open()
    await store.claim_reminder(KEY, NOW)
    await store.close()  # "crash" before settle
    store = await Storage(path).open()
    try:
        assert await store.reconcile_reminders(NOW) == 1
        assert not await store.claim_reminder(KEY, NOW)
    finally:
        await store.close()


# -- subscriptions --------------------------------------------------------------------------------------------


async def test_subscribe_unsubscribe_resubscribe(storage: Storage) -> None:
    assert await storage.subscription(42) is None
    assert not await storage.unsubscribe(42, NOW)
    await storage.subscribe(42, "u1", "vi", (1, 14, 7, 7), None, NOW)
    sub = await storage.subscription(42)
    assert sub is not None
    assert (sub.lead_days, sub.topics, sub.active, sub.lang) == ((14, 7, 1), None, True, "vi")
    assert sub.rule().lead_days == (14, 7, 1)

    assert await storage.unsubscribe(42, NOW)
    assert not await storage.unsubscribe(42, NOW)  # already stopped
    stopped = await storage.subscription(42)
    assert stopped is not None and not stopped.active
    assert await storage.active_subscriptions() == []

    await storage.subscribe(42, "u1", "en", (3,), frozenset({"ho-so"}), NOW + dt.timedelta(hours=1))
    again = await storage.subscription(42)
    assert again is not None
    assert (again.active, again.lang, again.lead_days, again.topics) == (True, "en", (3,), frozenset({"ho-so"}))
    assert [s.chat_id for s in await storage.active_subscriptions()] == [42]


async def test_active_subscriptions_are_ordered_and_exclude_stopped(storage: Storage) -> None:
    for chat_id in (30, 10, 20):
        await storage.subscribe(chat_id, f"u{chat_id}", "vi", (7,), None, NOW)
    await storage.unsubscribe(20, NOW)
    assert [s.chat_id for s in await storage.active_subscriptions()] == [10, 30]


async def test_forget_user_removes_questions_subscription_and_ledger(storage: Storage) -> None:
    await storage.write_batch([("r1", question("a", user_key="u1")), ("r2", question("b", user_key="u2"))], [])
    await storage.subscribe(42, "u1", "vi", (7,), None, NOW)
    await storage.subscribe(43, "u2", "vi", (7,), None, NOW)
    await storage.claim_reminder(KEY, NOW)
    other = ReminderKey(43, KEY.deadline_id, KEY.occurrence_date, 7)
    await storage.claim_reminder(other, NOW)

    assert (await storage.forget_user("u1", 42)).total == 3
    assert [q.user_key for q in await storage.questions_since(NOW - dt.timedelta(days=1))] == ["u2"]
    assert await storage.subscription(42) is None
    assert await storage.subscription(43) is not None
    assert list(await storage.reminder_states()) == [other]
    assert (await storage.forget_user("u1", 42)).total == 0


async def test_forget_user_keeps_a_group_subscription_and_its_ledger(storage: Storage) -> None:
    """A member's "forget me" unlinks them from the group's subscription; the group keeps it and its ledger."""
    await storage.subscribe(-100, "u1", "vi", (7,), None, NOW)
    group_key = ReminderKey(-100, KEY.deadline_id, KEY.occurrence_date, 7)
    await storage.claim_reminder(group_key, NOW)
    forgotten = await storage.forget_user("u1", 42)
    assert (forgotten.subscriptions, forgotten.reminders, forgotten.groups_kept) == (0, 0, 1)
    group = await storage.subscription(-100)
    assert group is not None and group.active and group.user_key == ""
    assert list(await storage.reminder_states()) == [group_key]
    assert not await storage.claim_reminder(group_key, NOW)  # still at most once


# -- question log ---------------------------------------------------------------------------------------------


async def test_write_batch_round_trip_and_updates(storage: Storage) -> None:
    await storage.write_batch([("r1", question("Hồ sơ?"))], [("r1", "feedback", 1), ("r1", "choice", "x")])
    await storage.write_batch([("r1", question("duplicate ref is ignored"))], [])
    [stored] = await storage.questions_since(NOW)
    assert (stored.text, stored.feedback, stored.choice, stored.suggestions) == ("Hồ sơ?", 1, "x", ("a", "b"))
    assert stored.asked_at == NOW
    with pytest.raises(StorageError, match="cannot update column"):
        await storage.write_batch([], [("r1", "text", "x")])


async def test_purge_before_deletes_only_older_questions(storage: Storage) -> None:
    old, edge, new = NOW - dt.timedelta(days=400), NOW - dt.timedelta(days=365), NOW
    batch = [("o", question("old", old)), ("e", question("edge", edge)), ("n", question("new", new))]
    await storage.write_batch(batch, [])
    assert await storage.purge_before(edge) == 1
    assert [q.text for q in await storage.questions_since(old)] == ["edge", "new"]
    assert await storage.purge_before(edge) == 0


async def test_backup_while_writing_gives_a_readable_copy(storage: Storage, tmp_path: Path) -> None:
    await storage.write_batch([(f"seed{i}", question(f"seed {i}")) for i in range(200)], [])
    await storage.subscribe(42, "u1", "vi", (7,), None, NOW)
    stop = asyncio.Event()
    # The bot writes through its own connection while another one (the backup command) copies the file.
    bot = await Storage(storage.path).open()

    async def writer() -> int:
        written = 0
        while not stop.is_set():
            await bot.write_batch([(f"w{written}", question(f"write {written}"))], [])
            written += 1
        return written

    task = asyncio.create_task(writer())
    try:
        await asyncio.sleep(0.05)
        target = tmp_path / "backups" / "copy.sqlite3"
        await storage.backup(target)
        await asyncio.sleep(0.05)
    finally:
        stop.set()
        written = await asyncio.wait_for(task, timeout=10)
        await bot.close()
    assert written > 0

    with contextlib.closing(sqlite3.connect(target)) as con:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert con.execute("PRAGMA user_version").fetchone() == (len(MIGRATIONS),)
        copied = con.execute("SELECT COUNT(*) FROM questions").fetchone()[0]
        assert con.execute("SELECT chat_id FROM subscriptions").fetchall() == [(42,)]
    assert 200 <= copied <= 200 + written
    # The copy opens with Storage too.
    copy = await Storage(target).open()
    try:
        assert await copy.count_questions() == copied
    finally:
        await copy.close()
    with pytest.raises(StorageError, match="already exists"):
        await storage.backup(target)
