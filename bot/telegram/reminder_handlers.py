"""Telegram side of deadline reminders: /hanchot, /nhacnho, /huynhac, the .ics file and the daily job."""

from __future__ import annotations

import datetime as dt
import html
import io
import logging
from zoneinfo import ZoneInfo

from telegram import Chat, ChatMember, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest, TelegramError
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
from bot.calendar.managed import layer_for
from bot.calendar.reminders import parse_lead_days, run_pass
from bot.storage.database import StoredSubscription
from bot.telegram.handlers import Handlers, Services
from bot.telegram.keyboards import button, data, parse
from bot.telegram.reminder_send import reminder_client, sender

log = logging.getLogger(__name__)
Context = ContextTypes.DEFAULT_TYPE

SUBSCRIBE = "sub"  # sub:<lang>:t:<topic> | sub:<lang>:l:<14-7-1>
ICS = "ics"  # ics:<lang>
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
        lang = self.h.lang_of(update)
        knowledge = self.h.answerer.knowledge
        cfg = self.s.config.reminders
        calendar = await self.calendar()
        today = _now(self.s).date()
        text = deadlines_text(knowledge, calendar, today, cfg.horizon_days, lang)
        # No dated milestone (the shipped calendar sets none): the text says whose dates they are; no empty .ics.
        has_dates = bool(upcoming(calendar, today, cfg.horizon_days))
        ics = InlineKeyboardMarkup([[button(knowledge.text("ics_button", lang), data(ICS, lang))]])
        markup = ics if has_dates else None
        await self.h.send_html(message, html.escape(text, quote=False), markup)

    async def calendar(self) -> Calendar:
        """The calendar as it is now (YAML and the organisers' managed dates), refreshing the answerer's layer."""
        return await current_calendar(
            self.s.storage, self.h.answerer.knowledge, layer_for(self.s.config.storage.path)
        )

    async def subscribe(self, update: Update, context: Context) -> None:
        """Subscribe the chat (default lead days, every topic), or show its current settings when it already is;
        the buttons, with the current choice marked, change them."""
        message, chat, user = update.effective_message, update.effective_chat, update.effective_user
        if message is None or chat is None:
            return
        lang = self.h.lang_of(update)
        current = await self.s.storage.subscription(chat.id)
        if current is not None and current.active:
            leads, topics = current.lead_days, current.topics
            may_change = await self._may_change(update, context, current)
            text = self._confirmation(lang, leads, topics, done=False)
            if not may_change:
                text += "\n\n" + self.h.answerer.text("subscribe_not_yours", lang)
            markup = self._subscribe_keyboard(lang, leads, topics) if may_change else None
            await message.reply_text(text, reply_markup=markup)
            return
        leads = tuple(self.s.config.reminders.lead_days)
        await self.s.storage.subscribe(chat.id, self.h.user_key(user), lang, leads, None, _now(self.s))
        await message.reply_text(
            self._confirmation(lang, leads, None), reply_markup=self._subscribe_keyboard(lang, leads, None)
        )

    async def unsubscribe(self, update: Update, context: Context) -> None:
        """Stop every reminder for this chat (in a group: the subscriber or a group admin only)."""
        message, chat = update.effective_message, update.effective_chat
        if message is None or chat is None:
            return
        lang = self.h.lang_of(update)
        current = await self.s.storage.subscription(chat.id)
        if current is not None and current.active and not await self._may_change(update, context, current):
            await message.reply_text(self.h.answerer.text("subscribe_not_yours", lang))
            return
        stopped = await self.s.storage.unsubscribe(chat.id, _now(self.s))
        await message.reply_text(self.h.answerer.text("unsubscribe_done" if stopped else "unsubscribe_none", lang))

    async def _may_change(self, update: Update, context: Context, current: StoredSubscription) -> bool:
        """In a private chat, always; in a group, the member who subscribed it or one of the group's admins."""
        chat, user = update.effective_chat, update.effective_user
        if chat is None or chat.type == Chat.PRIVATE:
            return True
        if user is None:
            return False
        if current.user_key and current.user_key == self.h.user_key(user):
            return True
        try:
            member = await context.bot.get_chat_member(chat.id, user.id)
        except TelegramError:
            log.warning("could not check whether %s administers chat %s", "the user", chat.id, exc_info=True)
            return False
        return member.status in (ChatMember.ADMINISTRATOR, ChatMember.OWNER)

    async def button(self, update: Update, context: Context) -> None:
        """Narrow a subscription (topic, lead days) or send the .ics file."""
        query, chat = update.callback_query, update.effective_chat
        if query is None or query.data is None or chat is None:
            return
        if not self._valid(query.data):
            await self.h.stale(update, parse(query.data)[1] or self.h.lang_of(update))
            raise ApplicationHandlerStop
        await self._button(update, context, query.data, chat.id)
        raise ApplicationHandlerStop  # the main button handler must not answer this query again

    def _valid(self, callback: str) -> bool:
        """Only settings the keyboard offers: a calendar topic or "*", one of LEAD_CHOICES (forged data is refused)."""
        prefix, _, rest = parse(callback)
        if prefix == ICS:
            return not rest
        kind, _, value = rest.partition(":")
        if kind == "t":
            calendar = calendar_of(self.h.answerer.knowledge)
            return value == "*" or (calendar is not None and value in {d.topic for d in calendar})
        return kind == "l" and value in {"-".join(map(str, c)) for c in LEAD_CHOICES}

    async def _button(self, update: Update, context: Context, callback: str, chat_id: int) -> None:
        query = update.callback_query
        assert query is not None
        prefix, carried, rest = parse(callback)
        lang = carried or self.h.lang_of(update)
        message = query.message if isinstance(query.message, Message) else None
        if prefix == ICS:
            await query.answer()
            await self._send_ics(chat_id, lang, context)
            return
        current = await self.s.storage.subscription(chat_id)
        if current is None or not current.active or message is None:
            await query.answer()
            await context.bot.send_message(chat_id, self.h.answerer.text("unsubscribe_none", lang))
            return
        if not await self._may_change(update, context, current):
            await query.answer(self.h.answerer.text("subscribe_not_yours", lang), show_alert=True)
            return
        await query.answer()
        kind, _, value = rest.partition(":")
        leads, topics = current.lead_days, current.topics
        if kind == "t":
            topics = None if value == "*" else frozenset({value})
        else:
            leads = parse_lead_days(value.split("-"))
        if (leads, topics) == (current.lead_days, current.topics):
            return  # a double tap, or the setting already chosen: nothing to change, no no-op edit
        await self.s.storage.subscribe(chat_id, current.user_key, lang, leads, topics, _now(self.s))
        try:
            await message.edit_text(
                self._confirmation(lang, leads, topics), reply_markup=self._subscribe_keyboard(lang, leads, topics)
            )
        except BadRequest as exc:
            if "not modified" not in str(exc).lower():
                raise

    def _confirmation(self, lang: str, leads: tuple[int, ...], topics: frozenset[str] | None, done: bool = True) -> str:
        answerer = self.h.answerer
        if topics is None:
            named = answerer.text("subscribe_all_topics", lang)
        else:
            titles = {t.id: (t.title.en if lang == "en" else None) or t.title.vi for t in answerer.knowledge.topics}
            named = ", ".join(titles.get(t, t) for t in sorted(topics))
        state = answerer.text("subscribe_done" if done else "subscribe_current", lang).format(
            topics=named, leads=", ".join(str(n) for n in leads), time=self.s.config.reminders.send_at
        )
        return f"{state}\n\n{answerer.text('subscribe_narrow', lang)}"

    def _subscribe_keyboard(
        self, lang: str, leads: tuple[int, ...], topics: frozenset[str] | None
    ) -> InlineKeyboardMarkup:
        """Topics and lead days as buttons, the current choice marked ✓."""
        knowledge = self.h.answerer.knowledge
        calendar = layer_for(self.s.config.storage.path).calendar(calendar_of(knowledge))
        calendar_topics = {d.topic for d in calendar}

        def mark(label: str, chosen: bool) -> str:
            return f"✓ {label}" if chosen else label

        rows = [
            [button(mark((t.title.en if lang == "en" else None) or t.title.vi, topics == frozenset({t.id})),
                    data(SUBSCRIBE, lang, "t", t.id))]
            for t in knowledge.topics
            if t.id in calendar_topics
        ]
        rows.append([button(mark(knowledge.text("subscribe_all_topics", lang), topics is None),
                            data(SUBSCRIBE, lang, "t", "*"))])
        days = knowledge.text("subscribe_days_before", lang)
        rows.append([
            button(mark(days.format(days=", ".join(map(str, c))), tuple(c) == tuple(leads)),
                   data(SUBSCRIBE, lang, "l", "-".join(map(str, c))))
            for c in LEAD_CHOICES
        ])
        return InlineKeyboardMarkup(rows)

    async def _send_ics(self, chat_id: int, lang: str, context: Context) -> None:
        knowledge = self.h.answerer.knowledge
        calendar = await self.calendar()
        now = _now(self.s)
        occurrences = upcoming(calendar, now.date(), 366)
        from bot.calendar.ics_export import calendar_to_ics  # icalendar: imported when first asked, not at start-up

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
    app.add_handler(CallbackQueryHandler(r.button, pattern=rf"^({SUBSCRIBE}:|{ICS}(:|$))"), group=-1)
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
