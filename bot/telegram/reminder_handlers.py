"""Telegram side of deadline reminders: /hanchot, /nhacnho, /huynhac, the .ics file and the daily job."""

from __future__ import annotations

import datetime as dt
import html
import io
import logging
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    filters,
)

from bot.calendar.current import current_calendar
from bot.calendar.deadline_text import deadlines_text
from bot.calendar.deadlines import Calendar, calendar_of, upcoming
from bot.calendar.ics_export import calendar_to_ics
from bot.calendar.managed import layer_for
from bot.calendar.reminders import parse_lead_days, run_pass
from bot.telegram.handlers import Handlers, Services
from bot.telegram.keyboards import button
from bot.telegram.reminder_send import reminder_client, sender

log = logging.getLogger(__name__)
Context = ContextTypes.DEFAULT_TYPE

SUBSCRIBE = "sub"  # sub:t:<topic> | sub:l:<14-7-1>
ICS = "ics"
LEAD_CHOICES = ((14, 7, 1), (7, 1), (3, 1), (1,))
PASS_JOB = "reminder-pass"


def _now(services: Services) -> dt.datetime:
    return dt.datetime.now(ZoneInfo(services.config.reminders.timezone))


class ReminderHandlers:
    """Commands and buttons of the reminder feature; they reuse the main handlers' helpers."""

    def __init__(self, handlers: Handlers) -> None:
        self.h = handlers
        self.s = handlers.s

    async def deadlines(self, update: Update, context: Context) -> None:
        """List the deadlines of the next days with days left, and offer the .ics file."""
        message = update.effective_message
        if message is None:
            return
        lang = self.h.lang_of(update.effective_user)
        knowledge = self.h.answerer.knowledge
        cfg = self.s.config.reminders
        calendar = await self.calendar()
        today = _now(self.s).date()
        text = deadlines_text(knowledge, calendar, today, cfg.horizon_days, lang)
        # No dated milestone (the shipped calendar sets none): the text says whose dates they are; no empty .ics.
        has_dates = bool(upcoming(calendar, today, cfg.horizon_days))
        markup = InlineKeyboardMarkup([[button(knowledge.text("ics_button", lang), ICS)]]) if has_dates else None
        await self.h.send_html(message, html.escape(text, quote=False), markup)

    async def calendar(self) -> Calendar:
        """The calendar as it is now (YAML and the organisers' managed dates), refreshing the answerer's layer."""
        return await current_calendar(
            self.s.storage, self.h.answerer.knowledge, layer_for(self.s.config.storage.path)
        )

    async def subscribe(self, update: Update, context: Context) -> None:
        """Subscribe the chat to every deadline at the default lead days; buttons narrow it down."""
        message, chat, user = update.effective_message, update.effective_chat, update.effective_user
        if message is None or chat is None:
            return
        lang = self.h.lang_of(user)
        leads = tuple(self.s.config.reminders.lead_days)
        await self.s.storage.subscribe(chat.id, self.h.user_key(user), lang, leads, None, _now(self.s))
        await message.reply_text(self._confirmation(lang, leads, None), reply_markup=self._subscribe_keyboard(lang))

    async def unsubscribe(self, update: Update, context: Context) -> None:
        """Stop every reminder for this chat."""
        message, chat = update.effective_message, update.effective_chat
        if message is None or chat is None:
            return
        lang = self.h.lang_of(update.effective_user)
        stopped = await self.s.storage.unsubscribe(chat.id, _now(self.s))
        await message.reply_text(self.h.answerer.text("unsubscribe_done" if stopped else "unsubscribe_none", lang))

    async def button(self, update: Update, context: Context) -> None:
        """Narrow a subscription (topic, lead days) or send the .ics file."""
        query, chat = update.callback_query, update.effective_chat
        if query is None or query.data is None or chat is None:
            return
        await query.answer()
        await self._button(update, context, query.data, chat.id)
        raise ApplicationHandlerStop  # the main button handler must not answer this query again

    async def _button(self, update: Update, context: Context, data: str, chat_id: int) -> None:
        query = update.callback_query
        assert query is not None
        lang = self.h.lang_of(update.effective_user)
        message = query.message if isinstance(query.message, Message) else None
        if data == ICS:
            await self._send_ics(chat_id, lang, context)
            return
        current = await self.s.storage.subscription(chat_id)
        if current is None or not current.active or message is None:
            await context.bot.send_message(chat_id, self.h.answerer.text("unsubscribe_none", lang))
            return
        _, kind, value = data.split(":", 2)
        leads, topics = current.lead_days, current.topics
        if kind == "t":
            topics = None if value == "*" else frozenset({value})
        else:
            leads = parse_lead_days(value.split("-"))
        await self.s.storage.subscribe(chat_id, current.user_key, lang, leads, topics, _now(self.s))
        try:
            await message.edit_text(
                self._confirmation(lang, leads, topics), reply_markup=self._subscribe_keyboard(lang)
            )
        except BadRequest as exc:
            if "not modified" not in str(exc).lower():
                raise

    def _confirmation(self, lang: str, leads: tuple[int, ...], topics: frozenset[str] | None) -> str:
        answerer = self.h.answerer
        if topics is None:
            named = answerer.text("subscribe_all_topics", lang)
        else:
            titles = {t.id: (t.title.en if lang == "en" else None) or t.title.vi for t in answerer.knowledge.topics}
            named = ", ".join(titles.get(t, t) for t in sorted(topics))
        done = answerer.text("subscribe_done", lang).format(
            topics=named, leads=", ".join(str(n) for n in leads), time=self.s.config.reminders.send_at
        )
        return f"{done}\n\n{answerer.text('subscribe_narrow', lang)}"

    def _subscribe_keyboard(self, lang: str) -> InlineKeyboardMarkup:
        knowledge = self.h.answerer.knowledge
        calendar = layer_for(self.s.config.storage.path).calendar(calendar_of(knowledge))
        calendar_topics = {d.topic for d in calendar}
        rows = [
            [button((t.title.en if lang == "en" else None) or t.title.vi, f"{SUBSCRIBE}:t:{t.id}")]
            for t in knowledge.topics
            if t.id in calendar_topics
        ]
        rows.append([button(knowledge.text("subscribe_all_topics", lang), f"{SUBSCRIBE}:t:*")])
        rows.append([button("/".join(map(str, c)), f"{SUBSCRIBE}:l:{'-'.join(map(str, c))}") for c in LEAD_CHOICES])
        return InlineKeyboardMarkup(rows)

    async def _send_ics(self, chat_id: int, lang: str, context: Context) -> None:
        knowledge = self.h.answerer.knowledge
        calendar = await self.calendar()
        now = _now(self.s)
        occurrences = upcoming(calendar, now.date(), 366)
        data = calendar_to_ics(occurrences, self.s.config.reminders.lead_days, lang=lang, now=now)
        await context.bot.send_document(
            chat_id,
            document=io.BytesIO(data),
            filename="tdkt-thoi-han.ics",
            caption=knowledge.text("ics_caption", lang),
        )

    async def pass_job(self, context: Context) -> None:
        """One reminder pass (daily, and once at start-up to catch up on what was missed while down)."""
        knowledge = self.h.answerer.knowledge
        calendar = await self.calendar()

        # Not context.bot: the application's client retries 5xx and dropped connections, which could deliver a
        # reminder twice; reminder_client retries only 429s.
        async with reminder_client(self.s.config) as bot:
            await run_pass(
                self.s.storage,
                knowledge,
                calendar,
                _now(self.s),
                self.s.config.reminders.grace_days,
                sender(bot),
            )


def install(app: Application, handlers: Handlers) -> ReminderHandlers:
    """Register the reminder commands and buttons on `app`."""
    r = ReminderHandlers(handlers)
    new_messages = filters.UpdateType.MESSAGE
    app.add_handler(CommandHandler(["hanchot", "deadlines"], r.deadlines, filters=new_messages), group=-1)
    app.add_handler(CommandHandler(["nhacnho", "subscribe"], r.subscribe, filters=new_messages), group=-1)
    app.add_handler(CommandHandler(["huynhac", "unsubscribe"], r.unsubscribe, filters=new_messages), group=-1)
    app.add_handler(CallbackQueryHandler(r.button, pattern=rf"^({SUBSCRIBE}:|{ICS}$)"), group=-1)
    return r


async def schedule(app: Application, reminders: ReminderHandlers) -> None:
    """Reconcile the ledger, then run a catch-up pass now and one every day at `reminders.send_at`."""
    services = reminders.s
    cfg = services.config.reminders
    unknown = await services.storage.reconcile_reminders(_now(services))
    if unknown:
        log.warning("%d reminders were claimed but not confirmed before a restart; they will not be resent", unknown)
    if app.job_queue is None:
        log.error("the job queue is not available: install python-telegram-bot[job-queue]")
        return
    hour, minute = (int(part) for part in cfg.send_at.split(":"))
    send_at = dt.time(hour, minute, tzinfo=ZoneInfo(cfg.timezone))
    for job in app.job_queue.get_jobs_by_name(PASS_JOB):
        job.schedule_removal()
    app.job_queue.run_daily(reminders.pass_job, send_at, name=PASS_JOB)
    app.job_queue.run_once(reminders.pass_job, 1.0, name=f"{PASS_JOB}-catch-up")
