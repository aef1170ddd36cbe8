"""Telegram handlers: parse the update, call the core, render, log."""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from telegram import Chat, InlineKeyboardButton, InlineKeyboardMarkup, Message, MessageEntity, Update, User
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.assembly import build_answerer
from bot.config import Config
from bot.core.answers import Answerer, Reply
from bot.core.errors import KnowledgeError
from bot.core.knowledge import Entry
from bot.core.normalize import has_diacritics
from bot.core.records import ANSWER, CHOICE_NONE, FALLBACK, SMALLTALK, SUGGEST, LoggedQuestion
from bot.core.render import answer_parts, checklist_parts, split_html, to_html
from bot.storage.database import Storage
from bot.storage.question_log import QuestionLog, new_ref, pseudonym
from bot.telegram import keyboards as kb
from bot.telegram.limits import SlidingWindowLimit

log = logging.getLogger(__name__)
Context = ContextTypes.DEFAULT_TYPE


@dataclass
class Services:
    """What the handlers need; created once and owned by the application's lifecycle."""

    config: Config
    answerer: Answerer
    storage: Storage
    question_log: QuestionLog
    user_secret: str
    flood: SlidingWindowLimit
    alerts: SlidingWindowLimit
    reload_lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class Handlers:
    """One method per command or update kind; registered by bot.telegram.app."""

    def __init__(self, services: Services) -> None:
        self.s = services
        # Records read from free-text eligibility questions, by reply ref, for the guided check's button.
        self.eligibility_prefill: dict[str, tuple[str, Any]] = {}
        # The "Hỏi cán bộ thi đua" row for a logged question (ref, lang); set by bot.telegram.handoff_handlers.
        self.handoff_row: Callable[[str, str], list[InlineKeyboardButton] | None] = lambda ref, lang: None
        # Run with the user key before /xoadulieu deletes a user's data (handoff: blank their ticket messages).
        self.before_forget: list[Callable[[str], Awaitable[None]]] = []

    def with_handoff(self, markup: InlineKeyboardMarkup | None, ref: str, lang: str) -> InlineKeyboardMarkup | None:
        """`markup` plus the "Hỏi cán bộ thi đua" button (when handoff is on)."""
        row = self.handoff_row(ref, lang)
        if row is None:
            return markup
        return InlineKeyboardMarkup([*(markup.inline_keyboard if markup else ()), row])

    # -- helpers -------------------------------------------------------------------------------------------

    @property
    def answerer(self) -> Answerer:
        return self.s.answerer

    def lang_of(self, user: User | None, text: str = "") -> str:
        """English for English-speaking users (unless they typed Vietnamese) or English questions."""
        code = (user.language_code or "") if user else ""
        if code.startswith("en") and not has_diacritics(text):
            return "en"
        return self.answerer.languages.detect(text) if text else "vi"

    def user_key(self, user: User | None) -> str:
        return pseudonym(user.id, self.s.user_secret) if user else "anonymous"

    def today(self) -> dt.date:
        """Today in the configured time zone (bonus amounts depend on the base salary in force that day)."""
        return dt.datetime.now(ZoneInfo(self.s.config.reminders.timezone)).date()

    def is_admin(self, user: User | None) -> bool:
        return user is not None and user.id in self.s.config.telegram.admins

    async def send_html(self, message: Message, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
        """Reply in HTML, split at paragraphs when over one message; the keyboard goes on the last part."""
        chunks = split_html(text)
        for i, chunk in enumerate(chunks):
            last = i == len(chunks) - 1
            await message.reply_text(chunk, parse_mode=ParseMode.HTML, reply_markup=markup if last else None)

    def entry_html(self, entry: Entry, lang: str) -> str:
        return to_html(answer_parts(self.answerer.knowledge, entry, lang, self.today()))

    @staticmethod
    def addressed_text(message: Message, bot_id: int, username: str) -> str | None:
        """In groups, the text meant for the bot (mention removed), or None when it is not for the bot."""
        text = message.text or ""
        if message.chat.type == Chat.PRIVATE:
            return text
        reply = message.reply_to_message
        if reply is not None and reply.from_user is not None and reply.from_user.id == bot_id:
            return text
        mention = f"@{username}".lower()
        for entity, value in message.parse_entities([MessageEntity.MENTION, MessageEntity.TEXT_MENTION]).items():
            if value.lower() == mention or (entity.user is not None and entity.user.id == bot_id):
                return text.replace(value, " ").strip()
        return None

    # -- commands ------------------------------------------------------------------------------------------

    async def start(self, update: Update, context: Context) -> None:
        """Greet and explain in two lines how to ask."""
        if update.effective_message:
            lang = self.lang_of(update.effective_user)
            await self.send_html(update.effective_message, html.escape(self.answerer.text("greeting", lang)))

    async def help(self, update: Update, context: Context) -> None:
        """Show how to use the bot."""
        if update.effective_message:
            lang = self.lang_of(update.effective_user)
            await self.send_html(update.effective_message, html.escape(self.answerer.text("help", lang)))

    async def topics(self, update: Update, context: Context) -> None:
        """Start browsing: the list of topics."""
        if update.effective_message:
            lang = self.lang_of(update.effective_user)
            await update.effective_message.reply_text(
                self.answerer.text("topics_intro", lang), reply_markup=kb.topics_keyboard(self.answerer, lang)
            )

    async def dossier(self, update: Update, context: Context) -> None:
        """Dossier checklist of an award named in the argument, or the awards as buttons."""
        message = update.effective_message
        if message is None:
            return
        lang = self.lang_of(update.effective_user)
        name = " ".join(context.args or []).strip()
        if not name:
            await message.reply_text(
                self.answerer.text("dossier_pick", lang), reply_markup=kb.awards_keyboard(self.answerer)
            )
            return
        award_id = self.answerer.matcher.find_award(name)
        if award_id is None:
            await message.reply_text(
                self.answerer.text("dossier_unknown", lang).format(name=name[:100]),
                reply_markup=kb.awards_keyboard(self.answerer),
            )
            return
        await self.send_html(message, self.checklist_html(award_id, lang))

    def checklist_html(self, award_id: str, lang: str) -> str:
        knowledge = self.answerer.knowledge
        award = knowledge.award(award_id)
        name = award.name if award else award_id
        title = f"<b>{html.escape(self.answerer.text('dossier_title', lang).format(name=name))}</b>"
        parts = checklist_parts(knowledge, award_id, lang, self.today())
        if not parts:
            return title + "\n\n" + html.escape(self.answerer.text("dossier_missing", lang).format(name=name))
        blocks = [title, *(to_html(p) for p in parts)]
        if award is not None and award.deadline_hint is not None:
            hint = (award.deadline_hint.en if lang == "en" else None) or award.deadline_hint.vi
            blocks.append("⏰ " + html.escape(hint.strip()))
        return "\n\n".join(blocks)

    async def reload(self, update: Update, context: Context) -> None:
        """Admins: reload the knowledge atomically; a broken file keeps the previous version."""
        message = update.effective_message
        if message is None:
            return
        lang = self.lang_of(update.effective_user)
        if not self.is_admin(update.effective_user):
            await message.reply_text(self.answerer.text("not_admin", lang))
            return
        async with self.s.reload_lock:
            current = self.answerer
            try:
                fresh = await asyncio.to_thread(build_answerer, self.s.config)
            except KnowledgeError as exc:
                head = current.text("reload_failed", lang).format(version=current.knowledge.version)
                body = "\n".join(f"• {html.escape(p)}" for p in exc.problems[:30])
                more = f"\n… (+{len(exc.problems) - 30})" if len(exc.problems) > 30 else ""
                await self.send_html(message, f"{html.escape(head)}\n{body}{more}")
                return
            self.s.answerer = fresh
        log.info("knowledge reloaded: version %s", fresh.knowledge.version)
        await message.reply_text(
            fresh.text("reload_ok", lang).format(version=fresh.knowledge.version, entries=len(fresh.knowledge.entries))
        )

    async def forget(self, update: Update, context: Context) -> None:
        """Ask for confirmation before deleting the user's logged questions and subscriptions."""
        if update.effective_message:
            lang = self.lang_of(update.effective_user)
            await update.effective_message.reply_text(
                self.answerer.text("forget_confirm", lang), reply_markup=kb.forget_keyboard(self.answerer, lang)
            )

    # -- messages ------------------------------------------------------------------------------------------

    async def text(self, update: Update, context: Context) -> None:
        """Answer a free-text question; in groups only when the bot is addressed."""
        started = time.perf_counter()
        message, user = update.effective_message, update.effective_user
        if message is None or message.text is None:
            return
        question = self.addressed_text(message, context.bot.id, context.bot.username)
        if question is None:
            return
        question = question.strip()
        if not question:
            return
        lang = self.lang_of(user, question)
        limits = self.s.config.limits
        if user is not None and not self.s.flood.allow(user.id, time.monotonic()):
            await message.reply_text(self.answerer.text("flood", lang))
            return
        # Logged before the reply goes out: a 👍 or a suggestion pressed at once must find its question row, and
        # a reply that fails to send still leaves the question in the log.
        if len(question) > limits.max_question_length:
            self.log_question(update, question[: limits.max_question_length], None, lang, started, new_ref())
            await message.reply_text(self.answerer.text("too_long", lang).format(limit=limits.max_question_length))
            return
        reply = self.answerer.ask(question, lang=lang, today=self.today())
        ref = new_ref()
        self.log_question(update, question, reply, reply.lang, started, ref)
        await self.send_reply(message, reply, ref)

    async def send_reply(self, message: Message, reply: Reply, ref: str) -> None:
        lang = reply.lang
        if reply.eligibility is not None:
            guided = None
            if reply.eligibility.verdict.verdict == "unknown":
                if len(self.eligibility_prefill) >= 1000:  # bounded: the oldest go first
                    self.eligibility_prefill.pop(next(iter(self.eligibility_prefill)))
                self.eligibility_prefill[ref] = (reply.eligibility.verdict.award.id, reply.eligibility.record)
                guided = ref
            markup = kb.eligibility_keyboard(self.answerer, reply.eligibility, ref, lang, guided)
            await self.send_html(message, reply.eligibility.html(), markup)
            return
        if reply.status == ANSWER and reply.entry is not None and reply.parts is not None:
            markup = kb.answer_keyboard(self.answerer, reply.entry, ref, lang)
            await self.send_html(message, to_html(reply.parts), markup)
        elif reply.status == SUGGEST:
            text = self.answerer.text("suggest_intro", lang)
            none = self.answerer.text("suggest_none", lang)
            await message.reply_text(text, reply_markup=kb.suggestion_keyboard(reply.suggestions, ref, none))
        elif reply.status == SMALLTALK:
            await message.reply_text(reply.message)
        else:
            fallback = self.answerer.text("fallback", lang)
            markup = kb.suggestion_keyboard(reply.suggestions, ref, None) if reply.suggestions else None
            if reply.suggestions:
                fallback += "\n\n" + self.answerer.text("suggest_intro", lang)
            await message.reply_text(fallback, reply_markup=self.with_handoff(markup, ref, lang))

    def log_question(self, update: Update, text: str, reply: Reply | None, lang: str, started: float, ref: str) -> None:
        """Queue the question for the log; never blocks the reply (latency: until the reply is ready to send)."""
        chat = update.effective_chat
        answerer = self.answerer
        top = reply.result.top if reply else None
        record = LoggedQuestion(
            asked_at=dt.datetime.now(dt.UTC),
            user_key=self.user_key(update.effective_user),
            chat_type=chat.type if chat else "private",
            lang=lang,
            text=text,
            normalized=reply.result.query.folded_text if reply else answerer.matcher.normalize(text).folded_text,
            status=reply.status if reply else FALLBACK,
            entry_id=top.entry_id if top and reply and reply.status in (ANSWER, SUGGEST) else None,
            score=reply.score if reply else 0.0,
            suggestions=tuple(s.entry.id for s in reply.suggestions) if reply else (),
            knowledge_version=answerer.knowledge.version,
            latency_ms=round((time.perf_counter() - started) * 1000, 2),
        )
        self.s.question_log.log(record, ref)

    async def non_text(self, update: Update, context: Context) -> None:
        """Stickers, photos and other non-text messages in private chats get a one-line hint."""
        if update.effective_message and update.effective_chat and update.effective_chat.type == Chat.PRIVATE:
            lang = self.lang_of(update.effective_user)
            await update.effective_message.reply_text(self.answerer.text("non_text", lang))

    # -- buttons -------------------------------------------------------------------------------------------

    async def button(self, update: Update, context: Context) -> None:
        """Dispatch a callback query by its prefix; every query is answered exactly once."""
        query = update.callback_query
        if query is None or query.data is None:
            return
        prefix, _, rest = query.data.partition(":")
        lang = self.lang_of(update.effective_user)
        handler = {
            kb.FEEDBACK: self._feedback,
            kb.PICK: self._pick,
            kb.ANSWER: self._related,
            kb.NAV: self._navigate,
            kb.DOSSIER: self._dossier_button,
            kb.FORGET: self._forget_button,
        }.get(prefix)
        if handler is None:
            await query.answer()
            return
        await handler(update, rest, lang)

    async def _feedback(self, update: Update, rest: str, lang: str) -> None:
        query = update.callback_query
        assert query is not None
        ref, _, value = rest.partition(":")
        if value in {"1", "-1"}:
            self.s.question_log.record_feedback(ref, int(value))
        await query.answer(self.answerer.text("feedback_thanks", lang))
        message = query.message
        if isinstance(message, Message):
            markup = kb.without_feedback(message.reply_markup)
            await self._edit_markup(message, self.with_handoff(markup, ref, lang) if value == "-1" else markup)

    async def _pick(self, update: Update, rest: str, lang: str) -> None:
        query = update.callback_query
        assert query is not None
        ref, _, entry_id = rest.partition(":")
        message = query.message if isinstance(query.message, Message) else None
        if entry_id == kb.NONE:
            self.s.question_log.record_choice(ref, CHOICE_NONE)
            await query.answer()
            if message is not None:
                await self._edit(message, self.answerer.text("none_chosen", lang), self.with_handoff(None, ref, lang))
            return
        entry = self.answerer.knowledge.entries.get(entry_id)
        await query.answer()
        if entry is None or message is None:
            return
        self.s.question_log.record_choice(ref, entry.id)
        await self._edit_markup(message, None)
        await self.send_html(message, self.entry_html(entry, lang), kb.answer_keyboard(self.answerer, entry, ref, lang))

    async def _related(self, update: Update, rest: str, lang: str) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer()
        entry = self.answerer.knowledge.entries.get(rest)
        if entry is not None and isinstance(query.message, Message):
            await self.send_html(
                query.message, self.entry_html(entry, lang), kb.answer_keyboard(self.answerer, entry, None, lang)
            )

    async def _navigate(self, update: Update, rest: str, lang: str) -> None:
        """Browse topic → question → answer on one message, edited in place."""
        query = update.callback_query
        assert query is not None
        await query.answer()
        message = query.message if isinstance(query.message, Message) else None
        if message is None:
            return
        answerer = self.answerer
        kind, _, arg = rest.partition(":")
        if kind == "t":
            topic_id, _, page = arg.partition(":")
            topic = next((t for t in answerer.knowledge.topics if t.id == topic_id), None)
            if topic is None:
                return
            title = (topic.title.en if lang == "en" else None) or topic.title.vi
            text = answerer.text("topic_questions", lang).format(topic=title)
            await self._edit(
                message, text, kb.topic_keyboard(answerer, topic_id, int(page or 0), lang), html_mode=False
            )
        elif kind == "a":
            award = answerer.knowledge.award(arg)
            if award is not None:
                await self._edit(message, award.full_name, kb.award_keyboard(answerer, award.id, lang), html_mode=False)
        elif kind == "e":
            entry = answerer.knowledge.entries.get(arg)
            if entry is not None:
                text = split_html(self.entry_html(entry, lang))[0]
                await self._edit(message, text, kb.entry_back_keyboard(answerer, entry, lang))
        else:
            await self._edit(
                message, answerer.text("topics_intro", lang), kb.topics_keyboard(answerer, lang), html_mode=False
            )

    async def _dossier_button(self, update: Update, rest: str, lang: str) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer()
        if isinstance(query.message, Message) and self.answerer.knowledge.award(rest) is not None:
            await self.send_html(query.message, self.checklist_html(rest, lang))

    async def _forget_button(self, update: Update, rest: str, lang: str) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer()
        message = query.message if isinstance(query.message, Message) else None
        user, chat = update.effective_user, update.effective_chat
        if rest != "yes" or user is None:
            if message is not None:
                await self._edit(message, self.answerer.text("forget_cancelled", lang), None, html_mode=False)
            return
        await self.s.question_log.flush()
        for hook in self.before_forget:
            await hook(self.user_key(user))
        removed = await self.s.storage.forget_user(self.user_key(user), chat.id if chat else user.id)
        if message is not None:
            await self._edit(
                message, self.answerer.text("forget_done", lang).format(count=removed), None, html_mode=False
            )

    async def _edit(
        self, message: Message, text: str, markup: InlineKeyboardMarkup | None, html_mode: bool = True
    ) -> None:
        try:
            await message.edit_text(text, parse_mode=ParseMode.HTML if html_mode else None, reply_markup=markup)
        except BadRequest as exc:
            if "not modified" not in str(exc).lower():  # a double tap re-sends the same view
                raise

    async def _edit_markup(self, message: Message, markup: InlineKeyboardMarkup | None) -> None:
        try:
            await message.edit_reply_markup(reply_markup=markup)
        except BadRequest as exc:
            if "not modified" not in str(exc).lower():
                raise

    # -- errors --------------------------------------------------------------------------------------------

    async def error(self, update: object, context: Context) -> None:
        """Log the traceback, tell the user briefly, alert the admins (rate-limited)."""
        log.error("error while handling an update", exc_info=context.error)
        if isinstance(update, Update) and update.effective_message is not None:
            lang = self.lang_of(update.effective_user)
            try:
                await update.effective_message.reply_text(self.answerer.text("error", lang))
            except Exception:  # the error may be the network itself
                log.warning("could not tell the user about the error", exc_info=True)
        if not self.s.alerts.allow("admins", time.monotonic()):
            return
        detail = str(context.error).replace(self.s.config.telegram.token or "\0", "<token>")
        summary = f"⚠️ {type(context.error).__name__}: {detail[:300]}"
        for admin in self.s.config.telegram.admins:
            try:
                await context.bot.send_message(admin, summary)
            except Exception:
                log.warning("could not alert admin", exc_info=True)
