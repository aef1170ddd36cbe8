"""One reminder pass: due reminders, the at-most-once ledger, and what to say; transport-free."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from bot.calendar.corrections import cancellation_text, correction_text, due_cancellations, due_corrections
from bot.calendar.deadlines import Calendar, DueReminder, due_reminders
from bot.core.knowledge import Knowledge
from bot.core.records import ReminderKey
from bot.core.render import format_date
from bot.storage.database import FAILED, SENT, Storage

log = logging.getLogger(__name__)


class RecipientGone(Exception):
    """The chat can no longer receive messages (the user blocked the bot or left)."""


# Sends one plain-text message to a chat; raises RecipientGone, or anything else on failure.
Send = Callable[[int, str], Awaitable[None]]


@dataclass
class PassResult:
    """What one reminder pass did."""

    sent: int = 0
    skipped: int = 0  # already in the ledger: sent (or attempted) before
    failed: int = 0
    deactivated: int = 0
    corrections: int = 0  # of `sent`: corrections of a moved or removed date
    messages: list[tuple[int, str]] = field(default_factory=list)

    def summary(self, dry_run: bool = False) -> str:
        if dry_run:
            text = f"reminder pass (dry run): would send {self.sent}, skipped {self.skipped}"
            return text + (f", corrections {self.corrections}" if self.corrections else "")
        text = (
            f"reminder pass: sent {self.sent}, skipped {self.skipped}, failed {self.failed}, "
            f"deactivated {self.deactivated}"
        )
        return text + (f", corrections {self.corrections}" if self.corrections else "")


def reminder_text(knowledge: Knowledge, due: DueReminder, lang: str) -> str:
    occ = due.occurrence
    text = knowledge.text("reminder", lang).format(
        title=occ.deadline.title(lang),
        date=format_date(occ.date, lang),
        days=due.days_left,
        details=occ.deadline.details(lang).strip(),
        source=occ.deadline.source,
    )
    if occ.deadline.set_by_organisers:
        text += "\n\n" + knowledge.text("set_by_organisers", lang)
    return text


async def run_pass(
    storage: Storage,
    knowledge: Knowledge,
    calendar: Calendar,
    now: dt.datetime,
    grace_days: int,
    send: Send,
    *,
    dry_run: bool = False,
) -> PassResult:
    """Send every due correction of a moved or removed date, then every due reminder, each at most once; one
    failing chat never stops the pass. `calendar` is the calendar as it is now (YAML and managed dates).

    The ledger row is written before sending; a crash between the two leaves a claim that start-up
    reconciliation marks as unknown, so no reminder can ever be sent twice.
    """
    result = PassResult()
    subscriptions = {s.chat_id: s for s in await storage.active_subscriptions()}
    today = now.date()
    current_ids = {d.id for d in calendar}
    removed = [m for m in await storage.managed_dates() if m.removed and m.deadline_id not in current_ids]
    told = await storage.reminded([d.id for d in calendar if d.date is not None] + [m.deadline_id for m in removed])
    corrections = due_corrections(calendar, told, subscriptions.keys(), today)
    cancellations = due_cancellations(removed, told, subscriptions.keys(), today)
    due = due_reminders(calendar, [s.rule() for s in subscriptions.values()], today, grace_days)
    states = await storage.reminder_states() if dry_run else {}
    outgoing = [
        (c.key, correction_text(c, today, subscriptions[c.key.subscriber_id].lang), True) for c in corrections
    ] + [
        (c.key, cancellation_text(c, subscriptions[c.key.subscriber_id].lang), True) for c in cancellations
    ] + [
        (r.key, reminder_text(knowledge, r, subscriptions[r.key.subscriber_id].lang), False) for r in due
    ]
    for key, text, is_correction in outgoing:
        await _deliver(storage, key, text, is_correction, now, send, dry_run, states, result)
    log.info("%s", result.summary())
    return result


async def _deliver(
    storage: Storage,
    key: ReminderKey,
    text: str,
    is_correction: bool,
    now: dt.datetime,
    send: Send,
    dry_run: bool,
    states: dict[ReminderKey, str],
    result: PassResult,
) -> None:
    """Claim, send, settle one ledger row (a reminder or a correction)."""
    chat_id = key.subscriber_id
    if dry_run:
        if key in states:
            result.skipped += 1
        else:
            result.sent += 1
            result.corrections += is_correction
            result.messages.append((chat_id, text))
        return
    if not await storage.claim_reminder(key, now):
        result.skipped += 1
        return
    try:
        await send(chat_id, text)
    except RecipientGone:
        await storage.settle_reminder(key, FAILED, now)
        await storage.unsubscribe(chat_id, now)
        result.failed += 1
        result.deactivated += 1
        log.info("chat %s blocked the bot: subscription deactivated", chat_id)
        return
    except Exception:
        await storage.settle_reminder(key, FAILED, now)
        result.failed += 1
        log.exception("sending reminder %s failed", key)
        return
    await storage.settle_reminder(key, SENT, now)
    result.sent += 1
    result.corrections += is_correction
    result.messages.append((chat_id, text))


def parse_lead_days(values: Sequence[str]) -> tuple[int, ...]:
    """Lead days from user input such as "14,7,1"; raises ValueError on anything else."""
    leads = sorted({int(v) for v in values if v.strip()}, reverse=True)
    if not leads or any(n < 0 or n > 365 for n in leads):
        raise ValueError("lead days must be whole numbers from 0 to 365")
    return tuple(leads)
