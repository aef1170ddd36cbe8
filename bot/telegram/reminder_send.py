"""A reminder pass outside the running bot (`python -m bot remind`), through the Bot API directly."""

from __future__ import annotations

import datetime as dt

from telegram import Bot
from telegram.error import Forbidden
from telegram.ext import AIORateLimiter, ExtBot

from bot.calendar.current import current_calendar
from bot.calendar.reminders import PassResult, RecipientGone, Send, run_pass
from bot.config import Config
from bot.core.knowledge import Knowledge
from bot.storage.database import Storage


def reminder_client(config: Config) -> ExtBot[int]:
    """A Bot API client for reminder passes: it retries only 429s, which Telegram answers without sending.

    Not the application's bot, which also retries 5xx and dropped connections: a reminder Telegram delivered
    before its answer was lost would go out twice, and the ledger promises at most once.
    """
    return ExtBot(
        config.telegram.token,
        base_url=config.telegram.base_url,
        base_file_url=config.telegram.base_file_url,
        rate_limiter=AIORateLimiter(overall_max_rate=config.telegram.overall_max_rate, max_retries=5),
    )


def sender(bot: Bot) -> Send:
    """Sends a reminder through `bot`; a chat that blocked the bot raises RecipientGone."""

    async def send(chat_id: int, text: str) -> None:
        try:
            await bot.send_message(chat_id, text)
        except Forbidden as exc:
            raise RecipientGone(str(exc)) from exc

    return send


async def remind_once(config: Config, knowledge: Knowledge, at: dt.datetime, dry_run: bool = False) -> PassResult:
    """Run one pass as if it were `at`; a second identical pass sends nothing (the ledger remembers)."""
    storage = await Storage(config.storage.path).open()
    try:
        calendar = await current_calendar(storage, knowledge)
        if dry_run:
            return await run_pass(
                storage, knowledge, calendar, at, config.reminders.grace_days, _never, dry_run=True
            )
        await storage.reconcile_reminders(at)
        async with reminder_client(config) as bot:
            return await run_pass(storage, knowledge, calendar, at, config.reminders.grace_days, sender(bot))
    finally:
        await storage.close()


async def _never(chat_id: int, text: str) -> None:
    raise AssertionError("a dry run sends nothing")
