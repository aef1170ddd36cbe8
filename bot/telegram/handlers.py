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
from bot.core.records import ANSWER, CHOICE_NONE, FALLBACK, SMALLTALK, SUGGEST, LoggedQuestion
from bot.core.render import answer_parts, checklist_parts, split_html, to_html
from bot.storage.database import Storage
from bot.storage.question_log import QuestionLog, new_ref, pseudonym
from bot.telegram import keyboards as kb
from bot.telegram.limits import Once, SlidingWindowLimit

log = logging.getLogger(__name__)
Context = ContextTypes.DEFAULT_TYPE

# Command names that say which language the user reads (/start and /help say nothing).
ENGLISH_COMMANDS = frozenset(
    {"topics", "dossier", "deadlines", "subscribe", "unsubscribe", "forgetme", "reload", "stats", "unanswered"}
    | {"export"}
    | {"ask_human", "mytickets", "review", "close"}  # handoff (bot.telegram.handoff_handlers)
    | {"eligibility", "cancel", "calendar", "announce"}  # guided check, organisers' calendar and announcements
)
VIETNAMESE_COMMANDS = frozenset(
    {"trogiup", "chude", "hoso", "hanchot", "nhacnho", "huynhac", "xoadulieu", "tailai", "thongke", "chuatraloi"}
    | {"xuat"}
    | {"hoicanbo", "cauhoicuatoi", "duyet", "dong"}  # handoff (bot.telegram.handoff_handlers)
    | {"dudieukien", "huy", "lich", "thongbao"}
)


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
        self.once = Once()  # messages whose one-shot buttons (pick, feedback, forget) were already acted on
        self.user_langs: dict[int, str] = {}  # user id → language of their latest question or command
        self._user_keys: dict[int, str] = {}  # user id → pseudonym (see user_key)
        self.known_commands: frozenset[str] = frozenset()  # every registered command, filled in by bot.telegram.app
        self.flood_warnings = SlidingWindowLimit(1, services.flood.window)  # one "slow down" per user and window
        # The "Hỏi cán bộ thi đua" row for a logged question (ref, lang); set by bot.telegram.handoff_handlers.
        self.handoff_row: Callable[[str, str], list[InlineKeyboardButton] | None] = lambda ref, lang: None
        # Run with the user key before /xoadulieu deletes a user's data (handoff: blank their ticket messages).
        self.before_forget: list[Callable[[str], Awaitable[None]]] = []

    def first_tap(self, update: Update, action: str) -> bool:
        """True the first time `action` is pressed on this message; a double tap (or a second button) is ignored.
        Checked before any await, so two taps handled concurrently still act once."""
        query = update.callback_query
        message = query.message if query is not None else None
        if message is None:
            return True
        return self.once.first((message.chat.id, message.message_id, action))

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

    def lang_of(self, update: Update, text: str | None = None) -> str:
        """The reply language: the question's own (unaccented Vietnamese is Vietnamese), else the command's name
        (/topics → en, /chude → vi), else the language of the user's last question, else Vietnamese. Telegram's
        language_code is not used: its apps have no Vietnamese interface, so Vietnamese officers often run English."""
        user = update.effective_user
        if text:
            return self.remember(user, self.answerer.languages.detect(text))
        message = update.effective_message
        if update.callback_query is None and message is not None and (message.text or "").startswith("/"):
            name = (message.text or "/").split()[0][1:].split("@")[0].lower()
            if name in ENGLISH_COMMANDS:
                return self.remember(user, "en")
            if name in VIETNAMESE_COMMANDS:
                return self.remember(user, "vi")
        return self.user_langs.get(user.id, "vi") if user is not None else "vi"

    def remember(self, user: User | None, lang: str) -> str:
        """Keep the user's latest language (for /start, /help and old buttons); bounded."""
        if user is not None:
            self.user_langs.pop(user.id, None)
            self.user_langs[user.id] = lang
            if len(self.user_langs) > 10_000:
                self.user_langs.pop(next(iter(self.user_langs)))
        return lang

    def user_key(self, user: User | None) -> str:
        """The user's pseudonym in the log (an HMAC, computed once per user; bounded)."""
        if user is None:
            return "anonymous"
        key = self._user_keys.get(user.id)
        if key is None:
            if len(self._user_keys) >= 10_000:
                self._user_keys.pop(next(iter(self._user_keys)))
            key = self._user_keys[user.id] = pseudonym(user.id, self.s.user_secret)
        return key

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
        """In groups, the text (or a photo's caption) meant for the bot, mention removed; None when it is not for the
        bot. In private chats, the whole text or caption."""
        text = message.text if message.text is not None else (message.caption or "")
        if message.chat.type == Chat.PRIVATE:
            return text
        reply = message.reply_to_message
        if reply is not None and reply.from_user is not None and reply.from_user.id == bot_id:
            return text
        mention = f"@{username}".lower()
        kinds: list[str | None] = [MessageEntity.MENTION, MessageEntity.TEXT_MENTION]
        found = message.parse_entities(kinds) if message.text is not None else message.parse_caption_entities(kinds)
        for entity, value in found.items():
            if value.lower() == mention or (entity.user is not None and entity.user.id == bot_id):
                return text.replace(value, " ").strip()
        return None

    # -- commands ------------------------------------------------------------------------------------------

    async def start(self, update: Update, context: Context) -> None:
        """Greet and explain in two lines how to ask."""
        if update.effective_message:
            lang = self.lang_of(update)
            await self.send_html(update.effective_message, html.escape(self.answerer.text("greeting", lang)))

    async def help(self, update: Update, context: Context) -> None:
        """Show how to use the bot."""
        if update.effective_message:
            lang = self.lang_of(update)
            await self.send_html(update.effective_message, html.escape(self.answerer.text("help", lang)))

    async def topics(self, update: Update, context: Context) -> None:
        """Start browsing: the list of topics."""
        if update.effective_message:
            lang = self.lang_of(update)
            await update.effective_message.reply_text(
                self.answerer.text("topics_intro", lang), reply_markup=kb.topics_keyboard(self.answerer, lang)
            )

    async def dossier(self, update: Update, context: Context) -> None:
        """Dossier checklist of an award named in the argument, or the awards as buttons."""
        message = update.effective_message
        if message is None:
            return
        lang = self.lang_of(update)
        name = " ".join(context.args or []).strip()
        if not name:
            await message.reply_text(
                self.answerer.text("dossier_pick", lang), reply_markup=kb.awards_keyboard(self.answerer, lang)
            )
            return
        award_id = self.answerer.matcher.find_award(name)
        if award_id is None:
            await message.reply_text(
                self.answerer.text("dossier_unknown", lang).format(name=name[:100]),
                reply_markup=kb.awards_keyboard(self.answerer, lang),
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
        lang = self.lang_of(update)
        if not self.is_admin(update.effective_user):
            await message.reply_text(self.answerer.text("not_admin", lang))
            return
        current = self.answerer
        try:
            fresh = await self.rebuild()
        except KnowledgeError as exc:
            head = current.text("reload_failed", lang).format(version=current.knowledge.version)
            body = "\n".join(f"• {html.escape(p)}" for p in exc.problems[:30])
            more = f"\n… (+{len(exc.problems) - 30})" if len(exc.problems) > 30 else ""
            await self.send_html(message, f"{html.escape(head)}\n{body}{more}")
            return
        log.info("knowledge reloaded: version %s", fresh.knowledge.version)
        await message.reply_text(
            fresh.text("reload_ok", lang).format(version=fresh.knowledge.version, entries=len(fresh.knowledge.entries))
        )

    async def rebuild(self) -> Answerer:
        """Reload the knowledge and swap in its answerer (one reload at a time); see rebuild_locked."""
        async with self.s.reload_lock:
            return await self.rebuild_locked()

    async def rebuild_locked(self) -> Answerer:
        """Build a fresh answerer in a worker thread, then swap it in with one assignment on the event loop: questions
        meanwhile are answered by the current one, and no handler sees half of each. The caller holds reload_lock.
        Raises KnowledgeError on a broken file, and the current answerer stays."""
        fresh = await asyncio.to_thread(build_answerer, self.s.config)
        self.s.answerer = fresh
        return fresh

    async def forget(self, update: Update, context: Context) -> None:
        """Ask the requester (only them) to confirm deleting their logged questions and private subscription."""
        message, user, chat = update.effective_message, update.effective_user, update.effective_chat
        if message is None or user is None:
            return
        lang = self.lang_of(update)
        name = "forget_confirm" if chat is None or chat.type == Chat.PRIVATE else "forget_confirm_group"
        keyboard = kb.forget_keyboard(self.answerer, lang, user.id)
        await message.reply_text(self.answerer.text(name, lang), reply_markup=keyboard)

    # -- messages ------------------------------------------------------------------------------------------

    async def text(self, update: Update, context: Context) -> None:
        """Answer a free-text question (or a photo's caption); in groups only when the bot is addressed."""
        started = time.perf_counter()
        message, user = update.effective_message, update.effective_user
        if message is None or (message.text is None and message.caption is None):
            return
        question = self.addressed_text(message, context.bot.id, context.bot.username)
        if question is None:
            return
        question = question.strip()
        if not question:  # a bare @mention: say how to ask
            lang = self.lang_of(update)
            text = self.answerer.text("mention_only", lang).replace("{bot}", context.bot.username or "bot")
            await message.reply_text(text)
            return
        limits = self.s.config.limits
        if user is not None and not self.s.flood.allow(user.id, time.monotonic()):
            lang = self.lang_of(update, question)
            if self.flood_warnings.allow(user.id, time.monotonic()):  # one "slow down" per window, not one each
                await message.reply_text(self.answerer.text("flood", lang))
            return
        if not any(char.isalpha() for char in question):  # emoji, punctuation or a stray number: not a question
            await message.reply_text(self.answerer.text("not_a_question", self.lang_of(update, question)))
            return
        # Logged before the reply goes out: a 👍 or a suggestion pressed at once must find its question row, and
        # a reply that fails to send still leaves the question in the log.
        if len(question) > limits.max_question_length:
            lang = self.lang_of(update, question)
            self.log_question(update, question[: limits.max_question_length], None, lang, started, new_ref())
            await message.reply_text(self.answerer.text("too_long", lang).format(limit=limits.max_question_length))
            return
        # ask() detects the question's language itself (what lang_of would), so it is not detected twice.
        reply = self.answerer.ask(question, today=self.today())
        self.remember(user, reply.lang)
        ref = new_ref()
        self.log_question(update, question, reply, reply.lang, started, ref)
        await self.send_reply(message, reply, ref)

    async def edited(self, update: Update, context: Context) -> None:
        """An edited question is answered once: the first edit of a message; later edits are ignored."""
        message = update.edited_message
        if message is not None and self.once.first((message.chat.id, message.message_id, "edit")):
            await self.text(update, context)

    async def unknown_command(self, update: Update, context: Context) -> None:
        """A command the bot does not have (/foo): a short pointer instead of silence."""
        message = update.effective_message
        if message is None or not message.text:
            return
        name = message.text.split()[0][1:].split("@")[0].lower()
        if name in self.known_commands:
            return
        if message.chat.type != Chat.PRIVATE and not self._command_for_me(message, context):
            return
        await message.reply_text(self.answerer.text("unknown_command", self.lang_of(update)))

    @staticmethod
    def _command_for_me(message: Message, context: Context) -> bool:
        """In groups, only /foo@thisbot is ours (a bare /foo may be meant for another bot)."""
        first = (message.text or "").split()[0] if message.text else ""
        return first.lower().endswith(f"@{(context.bot.username or '').lower()}")

    async def send_reply(self, message: Message, reply: Reply, ref: str) -> None:
        lang = reply.lang
        if reply.eligibility is not None:
            guided = None
            if reply.eligibility.verdict.verdict == "unknown":
                if len(self.eligibility_prefill) >= 1000:  # bounded: the oldest go first
                    self.eligibility_prefill.pop(next(iter(self.eligibility_prefill)))
                self.eligibility_prefill[ref] = (reply.eligibility.verdict.award.id, reply.eligibility.record)
                guided = ref
            markup: InlineKeyboardMarkup | None = kb.eligibility_keyboard(
                self.answerer, reply.eligibility, ref, lang, guided
            )
            await self.send_html(message, reply.eligibility.html(), markup)
            return
        if reply.status == ANSWER and reply.entry is not None and reply.parts is not None:
            markup = kb.answer_keyboard(self.answerer, reply.entry, ref, lang)
            await self.send_html(message, to_html(reply.parts), markup)
        elif reply.status == SUGGEST:  # the numbered full questions in the text; buttons cut long labels
            none = self.answerer.text("suggest_none", lang)
            markup = kb.suggestion_keyboard(reply.suggestions, ref, none, lang)
            await message.reply_text(reply.message, reply_markup=markup)
        elif reply.status == SMALLTALK:
            await message.reply_text(reply.message)
        else:
            markup = kb.suggestion_keyboard(reply.suggestions, ref, None, lang) if reply.suggestions else None
            await message.reply_text(reply.message, reply_markup=self.with_handoff(markup, ref, lang))

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
        """A photo with a caption is read as a question; stickers, photos and other non-text messages in private
        chats get a one-line hint."""
        message = update.effective_message
        if message is not None and message.caption and message.photo:
            await self.text(update, context)
            return
        if update.effective_message and update.effective_chat and update.effective_chat.type == Chat.PRIVATE:
            lang = self.lang_of(update)
            await update.effective_message.reply_text(self.answerer.text("non_text", lang))

    # -- buttons -------------------------------------------------------------------------------------------

    async def button(self, update: Update, context: Context) -> None:
        """Dispatch a callback query by its prefix; every query is answered exactly once."""
        query = update.callback_query
        if query is None or query.data is None:
            return
        prefix, carried, rest = kb.parse(query.data)
        lang = carried or self.lang_of(update)
        handler = {
            kb.FEEDBACK: self._feedback,
            kb.PICK: self._pick,
            kb.ANSWER: self._related,
            kb.NAV: self._navigate,
            kb.DOSSIER: self._dossier_button,
            kb.FORGET: self._forget_button,
        }.get(prefix)
        if handler is None:
            await self.stale(update, lang)
            return
        await handler(update, rest, lang)

    async def stale(self, update: Update, lang: str) -> None:
        """Answer a forged or out-of-date button (unknown entry, topic, page, setting) and change nothing."""
        if update.callback_query is not None:
            await update.callback_query.answer(self.answerer.text("stale_button", lang))

    async def _feedback(self, update: Update, rest: str, lang: str) -> None:
        query = update.callback_query
        assert query is not None
        ref, _, value = rest.partition(":")
        if value not in {"1", "-1"}:
            await self.stale(update, lang)
            return
        if not self.first_tap(update, kb.FEEDBACK):
            await query.answer()
            return
        self.s.question_log.record_feedback(ref, int(value))
        await query.answer(self.answerer.text("feedback_thanks", lang))
        message = query.message
        if isinstance(message, Message):
            markup = kb.without_feedback(message.reply_markup)
            await self._edit_markup(message, self.with_handoff(markup, ref, lang) if value == "-1" else markup)
            if value == "-1":  # 👎 should lead somewhere: how to rephrase, browsing, whom to ask
                await message.reply_text(self.answerer.text("feedback_negative", lang))

    async def _pick(self, update: Update, rest: str, lang: str) -> None:
        query = update.callback_query
        assert query is not None
        ref, _, entry_id = rest.partition(":")
        message = query.message if isinstance(query.message, Message) else None
        if entry_id != kb.NONE and entry_id not in self.answerer.knowledge.entries:
            await self.stale(update, lang)
            return
        if not self.first_tap(update, kb.PICK):
            await query.answer()
            return
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
        # The suggestions give way to the chosen question, so no orphan "Did you mean:" stays above the answer.
        chosen = f"{self.answerer.text('suggest_intro', lang)}\n✓ {self.answerer.title(entry, lang)}"
        await self._edit(message, chosen, None, html_mode=False)
        await self.send_html(message, self.entry_html(entry, lang), kb.answer_keyboard(self.answerer, entry, ref, lang))

    async def _related(self, update: Update, rest: str, lang: str) -> None:
        query = update.callback_query
        assert query is not None
        entry = self.answerer.knowledge.entries.get(rest)
        if entry is None:
            await self.stale(update, lang)
            return
        await query.answer()
        if isinstance(query.message, Message):
            await self.send_html(
                query.message, self.entry_html(entry, lang), kb.answer_keyboard(self.answerer, entry, None, lang)
            )

    async def _navigate(self, update: Update, rest: str, lang: str) -> None:
        """Browse topic → question → answer on one message, edited in place."""
        query = update.callback_query
        assert query is not None
        message = query.message if isinstance(query.message, Message) else None
        answerer = self.answerer
        kind, _, arg = rest.partition(":")
        topic_id, _, page = arg.partition(":")
        topic = next((t for t in answerer.knowledge.topics if t.id == topic_id), None)
        known = {
            "t": topic is not None and (page or "0").isdigit() and int(page or 0) < 100,
            "a": answerer.knowledge.award(arg) is not None,
            "e": arg in answerer.knowledge.entries,
            "top": not arg,
        }
        if not known.get(kind, False):
            await self.stale(update, lang)
            return
        await query.answer()
        if message is None:
            return
        if kind == "t" and topic is not None:
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
        if self.answerer.knowledge.award(rest) is None:
            await self.stale(update, lang)
            return
        await query.answer()
        if isinstance(query.message, Message):
            await self.send_html(query.message, self.checklist_html(rest, lang))

    async def _forget_button(self, update: Update, rest: str, lang: str) -> None:
        query = update.callback_query
        assert query is not None
        message = query.message if isinstance(query.message, Message) else None
        user, chat = update.effective_user, update.effective_chat
        choice, _, requester = rest.partition(":")
        if choice not in ("yes", "no"):
            await self.stale(update, lang)
            return
        if not requester and chat is not None and chat.type == Chat.PRIVATE:
            requester = str(chat.id)  # a confirmation sent before the requester was named: private chats only
        if user is None or requester != str(user.id):
            await query.answer(self.answerer.text("forget_not_yours", lang), show_alert=True)
            return
        if not self.first_tap(update, kb.FORGET):
            await query.answer()
            return
        await query.answer()
        if choice != "yes":
            if message is not None:
                await self._edit(message, self.answerer.text("forget_cancelled", lang), None, html_mode=False)
            return
        await self.s.question_log.flush()
        for hook in self.before_forget:
            await hook(self.user_key(user))
        forgotten = await self.s.storage.forget_user(self.user_key(user), user.id)
        text = self.answerer.text("forget_done", lang).format(
            questions=forgotten.questions, subscriptions=forgotten.subscriptions, reminders=forgotten.reminders
        )
        if forgotten.groups_kept:
            text += " " + self.answerer.text("forget_groups_kept", lang).format(groups=forgotten.groups_kept)
        if message is not None:
            await self._edit(message, text, None, html_mode=False)

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
            lang = self.lang_of(update)
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
