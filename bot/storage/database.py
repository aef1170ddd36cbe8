"""All SQL of the project: the question log, subscriptions and the reminder ledger (SQLite via aiosqlite)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import aiosqlite

from bot.core.errors import StorageError
from bot.core.records import (
    DRAFT,
    SENDING,
    Announcement,
    CalendarChange,
    LoggedQuestion,
    ManagedDate,
    ReminderKey,
    Subscription,
)

log = logging.getLogger(__name__)

# Numbered, described migrations; PRAGMA user_version holds the number of the last one applied.
MIGRATIONS: tuple[tuple[str, str], ...] = (
    (
        "question log",
        """
        CREATE TABLE questions (
            id INTEGER PRIMARY KEY,
            ref TEXT UNIQUE,
            asked_at TEXT NOT NULL,
            user_key TEXT NOT NULL,
            chat_type TEXT NOT NULL,
            lang TEXT NOT NULL,
            text TEXT NOT NULL,
            normalized TEXT NOT NULL,
            status TEXT NOT NULL,
            entry_id TEXT,
            score REAL NOT NULL,
            suggestions TEXT NOT NULL DEFAULT '[]',
            choice TEXT,
            feedback INTEGER,
            knowledge_version TEXT NOT NULL,
            latency_ms REAL NOT NULL
        );
        CREATE INDEX questions_asked_at ON questions(asked_at);
        CREATE INDEX questions_user_key ON questions(user_key);
        """,
    ),
    (
        "subscriptions and the reminder ledger",
        """
        CREATE TABLE subscriptions (
            chat_id INTEGER PRIMARY KEY,
            user_key TEXT NOT NULL,
            lang TEXT NOT NULL DEFAULT 'vi',
            lead_days TEXT NOT NULL,
            topics TEXT,
            active INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX subscriptions_user_key ON subscriptions(user_key);
        CREATE TABLE reminders (
            chat_id INTEGER NOT NULL,
            deadline_id TEXT NOT NULL,
            occurrence TEXT NOT NULL,
            lead_days INTEGER NOT NULL,
            state TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (chat_id, deadline_id, occurrence, lead_days)
        );
        """,
    ),
    (
        "organiser-managed dates of the calendar and their history",
        """
        CREATE TABLE managed_dates (
            deadline_id TEXT PRIMARY KEY,
            date TEXT NOT NULL,
            title TEXT NOT NULL,
            topic TEXT NOT NULL,
            source TEXT NOT NULL CHECK (length(trim(source)) > 0),
            details TEXT NOT NULL DEFAULT '',
            removed INTEGER NOT NULL DEFAULT 0,
            changed_by TEXT NOT NULL,
            changed_at TEXT NOT NULL
        );
        CREATE TABLE calendar_changes (
            id INTEGER PRIMARY KEY,
            deadline_id TEXT NOT NULL,
            action TEXT NOT NULL,
            changed_by TEXT NOT NULL,
            changed_at TEXT NOT NULL,
            before TEXT,
            after TEXT
        );
        CREATE INDEX calendar_changes_deadline ON calendar_changes(deadline_id);
        """,
    ),
    (
        "announcements (their deliveries are rows of the reminder ledger)",
        """
        CREATE TABLE announcements (
            id INTEGER PRIMARY KEY,
            text TEXT NOT NULL,
            topic TEXT,
            created_by TEXT NOT NULL,
            admin_chat INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            state TEXT NOT NULL,
            recipients INTEGER NOT NULL DEFAULT 0,
            finished_at TEXT
        );
        CREATE INDEX reminders_deadline ON reminders(deadline_id, state);
        """,
    ),
)

# Reminder states: claimed before sending, then sent / failed; a claim left over by a crash becomes
# `unknown` on start and is never sent again (at most once).
CLAIMED, SENT, FAILED, UNKNOWN = "claimed", "sent", "failed", "unknown"
BLOCKED = "blocked"  # an announcement's recipient had blocked the bot (reminders record these as failed)


@dataclass(frozen=True, slots=True)
class StoredSubscription:
    """A chat's reminder subscription as stored; `rule()` gives what the reminder maths needs."""

    chat_id: int
    user_key: str
    lang: str
    lead_days: tuple[int, ...]
    topics: frozenset[str] | None
    active: bool

    def rule(self) -> Subscription:
        return Subscription(self.chat_id, self.lead_days, self.topics)


@dataclass(frozen=True)
class Forgotten:
    """What a "forget me" removed: the person's questions, private subscription and its ledger rows, and the group
    subscriptions kept but no longer linked to the person."""

    questions: int
    subscriptions: int
    reminders: int
    groups_kept: int

    @property
    def total(self) -> int:
        return self.questions + self.subscriptions + self.reminders


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds")


def _row_to_question(row: sqlite3.Row) -> LoggedQuestion:
    return LoggedQuestion(
        asked_at=dt.datetime.fromisoformat(row["asked_at"]),
        user_key=row["user_key"],
        chat_type=row["chat_type"],
        lang=row["lang"],
        text=row["text"],
        normalized=row["normalized"],
        status=row["status"],
        entry_id=row["entry_id"],
        score=row["score"],
        suggestions=tuple(json.loads(row["suggestions"])),
        choice=row["choice"],
        feedback=row["feedback"],
        knowledge_version=row["knowledge_version"],
        latency_ms=row["latency_ms"],
        id=row["id"],
    )


class Storage:
    """One aiosqlite connection, opened and migrated by `open`, closed by `close`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db: aiosqlite.Connection | None = None

    @property
    def db(self) -> aiosqlite.Connection:
        if self._db is None:
            raise StorageError("storage is not open")
        return self._db

    async def open(self) -> Storage:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = await aiosqlite.connect(self.path)
            self._db.row_factory = sqlite3.Row
            await self._db.execute("PRAGMA journal_mode=WAL")
            await self._db.execute("PRAGMA synchronous=NORMAL")
            await self._db.execute("PRAGMA busy_timeout=5000")
            await self._migrate()
        except (OSError, sqlite3.Error) as exc:
            await self.close()
            raise StorageError(f"cannot open the database {self.path}: {exc}") from exc
        except StorageError:
            await self.close()  # an open connection's worker thread would keep the process alive
            raise
        return self

    async def close(self) -> None:
        if self._db is not None:
            await self._db.close()
            self._db = None

    async def _migrate(self) -> None:
        async with self.db.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        current = int(row[0]) if row else 0
        if current > len(MIGRATIONS):
            raise StorageError(f"{self.path} has schema version {current}, newer than this program knows")
        for number, (description, sql) in enumerate(MIGRATIONS[current:], start=current + 1):
            log.info("migrating %s to schema %d: %s", self.path, number, description)
            await self.db.executescript(f"BEGIN; {sql} PRAGMA user_version = {number}; COMMIT;")

    async def schema_version(self) -> int:
        async with self.db.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    # -- question log -------------------------------------------------------------------------------------

    async def write_batch(
        self,
        questions: Sequence[tuple[str, LoggedQuestion]],
        updates: Sequence[tuple[str, str, object]],
    ) -> None:
        """Insert questions (with their refs) and apply choice/feedback updates in one transaction."""
        rows = [
            (
                ref,
                _iso(q.asked_at),
                q.user_key,
                q.chat_type,
                q.lang,
                q.text,
                q.normalized,
                q.status,
                q.entry_id,
                q.score,
                json.dumps(list(q.suggestions)),
                q.choice,
                q.feedback,
                q.knowledge_version,
                q.latency_ms,
            )
            for ref, q in questions
        ]
        await self.db.executemany(
            "INSERT OR IGNORE INTO questions (ref, asked_at, user_key, chat_type, lang, text, normalized, status,"
            " entry_id, score, suggestions, choice, feedback, knowledge_version, latency_ms)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        for ref, column, value in updates:
            if column not in {"choice", "feedback"}:
                raise StorageError(f"cannot update column {column!r}")
            await self.db.execute(f"UPDATE questions SET {column} = ? WHERE ref = ?", (value, ref))
        await self.db.commit()

    async def questions_since(self, since: dt.datetime) -> list[LoggedQuestion]:
        async with self.db.execute(
            "SELECT * FROM questions WHERE asked_at >= ? ORDER BY asked_at, id", (_iso(since),)
        ) as cursor:
            return [_row_to_question(row) for row in await cursor.fetchall()]

    async def count_questions(self) -> int:
        async with self.db.execute("SELECT COUNT(*) FROM questions") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def purge_before(self, cutoff: dt.datetime) -> int:
        """Delete questions older than `cutoff` (retention); return how many."""
        cursor = await self.db.execute("DELETE FROM questions WHERE asked_at < ?", (_iso(cutoff),))
        await self.db.commit()
        return cursor.rowcount

    async def forget_user(self, user_key: str, private_chat_id: int) -> Forgotten:
        """Delete a person's questions, their private chat's subscription and its reminder history.

        Group subscriptions the person started are kept, with their ledger (reminders already sent to the group are
        never sent again); only the link to the person is removed.
        """
        counts = []
        for sql, args in (
            ("DELETE FROM questions WHERE user_key = ?", (user_key,)),
            (
                "DELETE FROM subscriptions WHERE chat_id = ? OR (user_key = ? AND chat_id > 0)",
                (private_chat_id, user_key),
            ),
            ("DELETE FROM reminders WHERE chat_id = ?", (private_chat_id,)),
            ("UPDATE subscriptions SET user_key = '' WHERE user_key = ? AND chat_id < 0", (user_key,)),
        ):
            cursor = await self.db.execute(sql, args)
            counts.append(max(cursor.rowcount, 0))
        await self.db.commit()
        return Forgotten(*counts)

    async def backup(self, target: Path) -> None:
        """Consistent online copy through SQLite's backup API, safe while the bot writes."""
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            raise StorageError(f"{target} already exists; choose a new file name")
        dest = sqlite3.connect(target)
        try:
            await self.db.backup(dest)
        finally:
            dest.close()

    # -- subscriptions ------------------------------------------------------------------------------------

    async def subscribe(
        self,
        chat_id: int,
        user_key: str,
        lang: str,
        lead_days: Sequence[int],
        topics: frozenset[str] | None,
        now: dt.datetime,
    ) -> None:
        await self.db.execute(
            "INSERT INTO subscriptions (chat_id, user_key, lang, lead_days, topics, active, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, 1, ?, ?)"
            " ON CONFLICT(chat_id) DO UPDATE SET user_key = excluded.user_key, lang = excluded.lang,"
            " lead_days = excluded.lead_days, topics = excluded.topics, active = 1, updated_at = excluded.updated_at",
            (
                chat_id,
                user_key,
                lang,
                json.dumps(sorted(set(lead_days), reverse=True)),
                None if topics is None else json.dumps(sorted(topics)),
                _iso(now),
                _iso(now),
            ),
        )
        await self.db.commit()

    async def unsubscribe(self, chat_id: int, now: dt.datetime) -> bool:
        cursor = await self.db.execute(
            "UPDATE subscriptions SET active = 0, updated_at = ? WHERE chat_id = ? AND active = 1", (_iso(now), chat_id)
        )
        await self.db.commit()
        return cursor.rowcount > 0

    async def subscription(self, chat_id: int) -> StoredSubscription | None:
        async with self.db.execute("SELECT * FROM subscriptions WHERE chat_id = ?", (chat_id,)) as cursor:
            row = await cursor.fetchone()
        return _row_to_subscription(row) if row else None

    async def active_subscriptions(self) -> list[StoredSubscription]:
        async with self.db.execute("SELECT * FROM subscriptions WHERE active = 1 ORDER BY chat_id") as cursor:
            return [_row_to_subscription(row) for row in await cursor.fetchall()]

    # -- reminder ledger ----------------------------------------------------------------------------------

    async def claim_reminder(self, key: ReminderKey, now: dt.datetime) -> bool:
        """Record the intent to send before sending; False when this reminder was ever claimed before."""
        cursor = await self.db.execute(
            "INSERT OR IGNORE INTO reminders (chat_id, deadline_id, occurrence, lead_days, state, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (key.subscriber_id, key.deadline_id, key.occurrence_date.isoformat(), key.lead_days, CLAIMED, _iso(now)),
        )
        await self.db.commit()
        return cursor.rowcount == 1

    async def settle_reminder(self, key: ReminderKey, state: str, now: dt.datetime) -> None:
        await self.db.execute(
            "UPDATE reminders SET state = ?, updated_at = ?"
            " WHERE chat_id = ? AND deadline_id = ? AND occurrence = ? AND lead_days = ?",
            (state, _iso(now), key.subscriber_id, key.deadline_id, key.occurrence_date.isoformat(), key.lead_days),
        )
        await self.db.commit()

    async def reconcile_reminders(self, now: dt.datetime) -> int:
        """Claims left by a crash may or may not have been delivered: mark them unknown, never resend."""
        cursor = await self.db.execute(
            "UPDATE reminders SET state = ?, updated_at = ? WHERE state = ?", (UNKNOWN, _iso(now), CLAIMED)
        )
        await self.db.commit()
        return cursor.rowcount

    async def reminder_states(self) -> dict[ReminderKey, str]:
        async with self.db.execute("SELECT * FROM reminders") as cursor:
            rows = await cursor.fetchall()
        return {
            ReminderKey(r["chat_id"], r["deadline_id"], dt.date.fromisoformat(r["occurrence"]), r["lead_days"]): r[
                "state"
            ]
            for r in rows
        }

    async def reminded(self, deadline_ids: Sequence[str]) -> dict[str, dict[int, set[dt.date]]]:
        """For each deadline id, the chats whose ledger holds a reminder or correction that may have reached them
        (sent or unknown), with the dates they were told."""
        found: dict[str, dict[int, set[dt.date]]] = {}
        if not deadline_ids:
            return found
        marks = ", ".join("?" for _ in deadline_ids)
        async with self.db.execute(
            f"SELECT chat_id, deadline_id, occurrence FROM reminders WHERE deadline_id IN ({marks})"
            " AND state IN (?, ?)",
            (*deadline_ids, SENT, UNKNOWN),
        ) as cursor:
            for row in await cursor.fetchall():
                chats = found.setdefault(row["deadline_id"], {})
                chats.setdefault(row["chat_id"], set()).add(dt.date.fromisoformat(row["occurrence"]))
        return found

    # -- organiser-managed dates --------------------------------------------------------------------------

    async def managed_dates(self) -> list[ManagedDate]:
        """Every managed date as it is now, removed ones included (they hide a YAML date of the same id)."""
        async with self.db.execute("SELECT * FROM managed_dates ORDER BY date, deadline_id") as cursor:
            return [_row_to_managed(row) for row in await cursor.fetchall()]

    async def next_managed_id(self, prefix: str) -> str:
        """A deadline id never used before: `prefix` and a number."""
        async with self.db.execute(
            "SELECT deadline_id FROM calendar_changes UNION SELECT deadline_id FROM managed_dates"
        ) as cursor:
            used = {row[0] for row in await cursor.fetchall()}
        number = 1
        while f"{prefix}{number}" in used:
            number += 1
        return f"{prefix}{number}"

    async def save_managed_date(self, date: ManagedDate, action: str, by: str, now: dt.datetime) -> ManagedDate:
        """Store the new version of a date and one history row (before, after) in one transaction."""
        if not date.source.strip():
            raise StorageError("a managed date needs its source document")
        async with self.db.execute("SELECT * FROM managed_dates WHERE deadline_id = ?", (date.deadline_id,)) as cur:
            row = await cur.fetchone()
        before = _row_to_managed(row) if row else None
        saved = ManagedDate(
            date.deadline_id, date.date, date.title, date.topic, date.source.strip(), date.details,
            date.removed, by, now,
        )
        try:
            await self.db.execute(
                "INSERT INTO managed_dates (deadline_id, date, title, topic, source, details, removed, changed_by,"
                " changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(deadline_id) DO UPDATE SET"
                " date = excluded.date, title = excluded.title, topic = excluded.topic, source = excluded.source,"
                " details = excluded.details, removed = excluded.removed, changed_by = excluded.changed_by,"
                " changed_at = excluded.changed_at",
                (saved.deadline_id, saved.date.isoformat(), saved.title, saved.topic, saved.source, saved.details,
                 int(saved.removed), by, _iso(now)),
            )
            await self.db.execute(
                "INSERT INTO calendar_changes (deadline_id, action, changed_by, changed_at, before, after)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (saved.deadline_id, action, by, _iso(now), _managed_json(before), _managed_json(saved)),
            )
            await self.db.commit()
        except sqlite3.Error:
            await self.db.rollback()
            raise
        return saved

    async def calendar_history(self, deadline_id: str | None = None, limit: int = 50) -> list[CalendarChange]:
        """The latest changes first (of one date, or of all)."""
        where, args = ("WHERE deadline_id = ?", (deadline_id,)) if deadline_id else ("", ())
        async with self.db.execute(
            f"SELECT * FROM calendar_changes {where} ORDER BY id DESC LIMIT ?", (*args, limit)
        ) as cursor:
            rows = await cursor.fetchall()
        return [
            CalendarChange(
                r["deadline_id"], r["action"], r["changed_by"], dt.datetime.fromisoformat(r["changed_at"]),
                _managed_from_json(r["before"]), _managed_from_json(r["after"]),
            )
            for r in rows
        ]

    # -- announcements ------------------------------------------------------------------------------------

    async def create_announcement(
        self, text: str, topic: str | None, by: str, admin_chat: int, now: dt.datetime
    ) -> Announcement:
        cursor = await self.db.execute(
            "INSERT INTO announcements (text, topic, created_by, admin_chat, created_at, state)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (text, topic, by, admin_chat, _iso(now), DRAFT),
        )
        await self.db.commit()
        assert cursor.lastrowid is not None
        found = await self.announcement(cursor.lastrowid)
        assert found is not None
        return found

    async def announcement(self, announcement_id: int) -> Announcement | None:
        async with self.db.execute("SELECT * FROM announcements WHERE id = ?", (announcement_id,)) as cursor:
            row = await cursor.fetchone()
        return _row_to_announcement(row) if row else None

    async def set_announcement_state(
        self, announcement_id: int, state: str, expected: str, now: dt.datetime, recipients: int | None = None
    ) -> bool:
        """Move an announcement from `expected` to `state`; False when it was not in `expected` (pressed twice)."""
        finished = _iso(now) if state not in {DRAFT, SENDING} else None
        cursor = await self.db.execute(
            "UPDATE announcements SET state = ?, finished_at = ?, recipients = COALESCE(?, recipients)"
            " WHERE id = ? AND state = ?",
            (state, finished, recipients, announcement_id, expected),
        )
        await self.db.commit()
        return cursor.rowcount == 1

    async def announcements(self, state: str | None = None, limit: int = 5) -> list[Announcement]:
        """The latest announcements first (of one state, or all)."""
        where, args = ("WHERE state = ?", (state,)) if state else ("", ())
        async with self.db.execute(
            f"SELECT * FROM announcements {where} ORDER BY id DESC LIMIT ?", (*args, limit)
        ) as cursor:
            return [_row_to_announcement(row) for row in await cursor.fetchall()]

    async def delivery_counts(self, deadline_id: str) -> dict[str, int]:
        """How many ledger rows of one ledger id (an announcement's) are in each state."""
        async with self.db.execute(
            "SELECT state, COUNT(*) FROM reminders WHERE deadline_id = ? GROUP BY state", (deadline_id,)
        ) as cursor:
            return {row[0]: int(row[1]) for row in await cursor.fetchall()}


def _row_to_announcement(row: sqlite3.Row) -> Announcement:
    return Announcement(
        id=row["id"],
        text=row["text"],
        topic=row["topic"],
        created_by=row["created_by"],
        admin_chat=row["admin_chat"],
        created_at=dt.datetime.fromisoformat(row["created_at"]),
        state=row["state"],
        recipients=row["recipients"],
        finished_at=dt.datetime.fromisoformat(row["finished_at"]) if row["finished_at"] else None,
    )


def _row_to_managed(row: sqlite3.Row) -> ManagedDate:
    return ManagedDate(
        deadline_id=row["deadline_id"],
        date=dt.date.fromisoformat(row["date"]),
        title=row["title"],
        topic=row["topic"],
        source=row["source"],
        details=row["details"],
        removed=bool(row["removed"]),
        changed_by=row["changed_by"],
        changed_at=dt.datetime.fromisoformat(row["changed_at"]),
    )


def _managed_json(date: ManagedDate | None) -> str | None:
    if date is None:
        return None
    return json.dumps(
        {"date": date.date.isoformat(), "title": date.title, "topic": date.topic, "source": date.source,
         "details": date.details, "removed": date.removed, "deadline_id": date.deadline_id},
        ensure_ascii=False,
    )


def _managed_from_json(text: str | None) -> ManagedDate | None:
    if text is None:
        return None
    data = json.loads(text)
    return ManagedDate(
        data["deadline_id"], dt.date.fromisoformat(data["date"]), data["title"], data["topic"], data["source"],
        data["details"], bool(data["removed"]),
    )


def read_managed_dates(path: Path) -> list[ManagedDate]:
    """The managed dates read synchronously and read-only (for building an answerer outside the event loop);
    empty when the database or its table does not exist yet."""
    if not path.exists():
        return []
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)) as con:
            con.row_factory = sqlite3.Row
            rows = con.execute("SELECT * FROM managed_dates ORDER BY date, deadline_id").fetchall()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):  # a database the bot has not migrated yet: no managed dates so far
            return []
        log.warning("cannot read the managed dates from %s: %s", path, exc)
        return []
    except sqlite3.Error as exc:
        log.warning("cannot read the managed dates from %s: %s", path, exc)
        return []
    return [_row_to_managed(row) for row in rows]


def _row_to_subscription(row: sqlite3.Row) -> StoredSubscription:
    topics = row["topics"]
    return StoredSubscription(
        chat_id=row["chat_id"],
        user_key=row["user_key"],
        lang=row["lang"],
        lead_days=tuple(json.loads(row["lead_days"])),
        topics=None if topics is None else frozenset(json.loads(topics)),
        active=bool(row["active"]),
    )
