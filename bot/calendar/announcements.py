"""Announcements from the admins to the subscribers: who receives one, and the at-most-once sending pass.

Each delivery is a row of the reminder ledger keyed (chat, "thongbao-<id>", day created, ANNOUNCE_LEAD): claimed
before sending, settled after, and a claim left by a crash becomes `unknown` and is never resent. A pass can be
run again at any time (after a restart) and sends only to the recipients not in the ledger yet.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from bot.calendar.reminders import RecipientGone, Send
from bot.core.records import Announcement, ReminderKey
from bot.storage.database import BLOCKED, FAILED, SENT, UNKNOWN, Storage, StoredSubscription

log = logging.getLogger(__name__)

ANNOUNCE_LEAD = -2  # the ledger's lead_days of an announcement (reminders >= 0, corrections -1)
TEXT_MAX = 3500
PREFIX = "📢 Thông báo về thi đua, khen thưởng:\n\n"


def ledger_id(announcement: Announcement) -> str:
    return f"thongbao-{announcement.id}"


def ledger_key(announcement: Announcement, chat_id: int) -> ReminderKey:
    return ReminderKey(chat_id, ledger_id(announcement), announcement.created_at.date(), ANNOUNCE_LEAD)


def outgoing_text(announcement: Announcement) -> str:
    return PREFIX + announcement.text.strip()


def parse_command(text: str) -> tuple[str | None, str]:
    """`chu-de=quy-trinh Nội dung …` → ("quy-trinh", "Nội dung …"); no topic → (None, text)."""
    text = text.strip()
    head, _, rest = text.partition(" ")
    for prefix in ("chu-de=", "chủ-đề=", "chude=", "topic="):
        if head.lower().startswith(prefix):
            return head[len(prefix):].lower() or None, rest.strip()
    return None, text


async def recipients(storage: Storage, topic: str | None) -> list[StoredSubscription]:
    """The active subscribers an announcement goes to: all, or those whose reminders cover `topic`."""
    return [s for s in await storage.active_subscriptions() if topic is None or s.rule().wants(topic)]


@dataclass
class AnnounceResult:
    sent: int = 0
    blocked: int = 0
    failed: int = 0
    unknown: int = 0  # claimed before a crash: maybe delivered, never resent
    skipped: int = 0  # in the ledger before this pass

    def summary(self) -> str:
        return (
            f"announcement: sent {self.sent}, blocked {self.blocked}, failed {self.failed}, "
            f"unknown {self.unknown}, skipped {self.skipped}"
        )


async def totals(storage: Storage, announcement: Announcement) -> AnnounceResult:
    """The result over every pass so far, from the ledger."""
    counts = await storage.delivery_counts(ledger_id(announcement))
    return AnnounceResult(
        sent=counts.get(SENT, 0), blocked=counts.get(BLOCKED, 0), failed=counts.get(FAILED, 0),
        unknown=counts.get(UNKNOWN, 0),
    )


async def run_announcement(
    storage: Storage, announcement: Announcement, now: dt.datetime, send: Send
) -> AnnounceResult:
    """Send the announcement to every recipient not yet in the ledger, each at most once."""
    result = AnnounceResult()
    text = outgoing_text(announcement)
    for sub in await recipients(storage, announcement.topic):
        key = ledger_key(announcement, sub.chat_id)
        if not await storage.claim_reminder(key, now):
            result.skipped += 1
            continue
        try:
            await send(sub.chat_id, text)
        except RecipientGone:
            await storage.settle_reminder(key, BLOCKED, now)
            await storage.unsubscribe(sub.chat_id, now)
            result.blocked += 1
            continue
        except Exception:
            await storage.settle_reminder(key, FAILED, now)
            result.failed += 1
            log.exception("sending announcement %s to %s failed", announcement.id, sub.chat_id)
            continue
        await storage.settle_reminder(key, SENT, now)
        result.sent += 1
    log.info("%s (#%d)", result.summary(), announcement.id)
    return result
