"""Ask a person: tickets for questions the bot cannot answer, answered by replying in the organisers' group.

User side: the "Hỏi cán bộ thi đua" button (on a fallback, after "Không phải các câu này", after 👎), /hoicanbo,
/cauhoicuatoi, and "Cho phép cán bộ liên hệ trực tiếp". Group side (`handoff.chat_id`): the ticket message, a reply
to it relays the answer (first reply wins), "Đóng" with a reason, "Lưu vào kho" (a draft in knowledge/drafts.yaml),
"Gắn vào mục có sẵn" (a phrasing in learned.yaml), /duyet to publish drafts, and the re-post of old open tickets.

Delivery of an answer follows the reminders' at-most-once rule: the ticket's delivery is claimed in SQLite before
sending; a refusal Telegram answered (429 after the client's own retries, 5xx) is retried by a job; a timeout or a
crash between claim and confirmation leaves the delivery `unknown`, never resent, and the group is told.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.core.errors import KnowledgeError, TdktError
from bot.core.handoff import HandoffStats
from bot.core.records import ANSWER, CHOICE_NONE, SUGGEST, LoggedQuestion
from bot.storage.database import ANSWERED, BLOCKED, CLAIMED, CLOSED, FAILED, OPEN, SENT, UNKNOWN, Ticket
from bot.telegram.handlers import Handlers
from bot.telegram.keyboards import button
from bot.telegram.reminder_send import reminder_client

# bot.review (drafts, learned.yaml, the counts) is imported by the steps that use it, not before the bot polls.

log = logging.getLogger(__name__)
Context = ContextTypes.DEFAULT_TYPE

ASK = "ho"  # ho:r:<question ref> ask from a logged question | ho:c:<ticket> allow direct contact
TICKET = "tk"  # tk:x:<n> close menu | tk:xr:<n>:<reason> | tk:b:<n> back | tk:s:<n> save | tk:g:<n> attach menu
#                tk:ga:<n>:<entry id> attach
PUBLISH = "dy"  # dy:p:<draft id>
RETRY_JOB = "handoff-retry"
REPOST_JOB = "handoff-repost"
RETRY_SECONDS = 5.0
MAX_ATTEMPTS = 5
TICKET_HEAD = re.compile(r"^📨 Phiếu hỏi #(\d+)")
REPOST_EVERY = dt.timedelta(hours=23)  # "once a day", with slack for the job's own schedule

TEXTS: dict[str, dict[str, str]] = {
    "button": {"vi": "🙋 Hỏi cán bộ thi đua", "en": "🙋 Ask an organiser"},
    "created": {
        "vi": "Đã chuyển câu hỏi tới cán bộ thi đua (mã #{n}). Khi có trả lời, tôi sẽ gửi lại cho bạn tại đây. "
        "Xem các câu hỏi đã gửi: /cauhoicuatoi.\n\nCán bộ chỉ thấy nội dung câu hỏi, không thấy tên bạn, "
        "trừ khi bạn bấm nút dưới đây.",
        "en": "Your question was passed to the organisers (ticket #{n}). I will send their answer here; they may "
        "answer in Vietnamese. "
        "See your questions: /mytickets.\n\nOrganisers see the question only, not your name, unless you press "
        "the button below.",
    },
    "already": {
        "vi": "Câu hỏi này đã được chuyển tới cán bộ thi đua (mã #{n}); vui lòng chờ trả lời.",
        "en": "This question is already with the organisers (ticket #{n}); please wait for the answer.",
    },
    "consent": {"vi": "Cho phép cán bộ liên hệ trực tiếp", "en": "Let an organiser contact me directly"},
    "consent_done": {
        "vi": "Đã gửi tên của bạn kèm phiếu #{n} để cán bộ có thể liên hệ trực tiếp.",
        "en": "Your name was added to ticket #{n} so an organiser can contact you directly.",
    },
    "too_many": {
        "vi": "Bạn đang có {n} câu hỏi chờ cán bộ trả lời (tối đa {n}). Vui lòng chờ trả lời rồi hỏi tiếp; "
        "xem /cauhoicuatoi.",
        "en": "You already have {n} questions waiting for the organisers (the most allowed). Please wait for "
        "their answers; see /mytickets.",
    },
    "off": {
        "vi": "Chức năng hỏi cán bộ chưa được bật. Vui lòng liên hệ {contact}.",
        "en": "Asking an organiser is not enabled. Please contact {contact}.",
    },
    "usage": {
        "vi": "Gõ câu hỏi sau lệnh, ví dụ: /hoicanbo Viên chức hợp đồng có được xét Lao động tiên tiến không?",
        "en": "Type the question after the command, e.g. /ask_human Can contract staff be Advanced Worker?",
    },
    "private_only": {
        "vi": "Để giữ riêng tư, hãy nhắn riêng cho tôi để hỏi cán bộ.",
        "en": "To keep it private, message me directly to ask an organiser.",
    },
    "gone": {
        "vi": "Không tìm thấy câu hỏi này nữa; hãy gõ /hoicanbo kèm câu hỏi.",
        "en": "I no longer have this question; type /ask_human followed by it.",
    },
    "answer": {
        "vi": "💬 Cán bộ thi đua đã trả lời câu hỏi của bạn (mã #{n}):\n\n❓ «{question}»\n\n{answer}\n\n"
        "Còn vướng mắc? Gõ /hoicanbo kèm câu hỏi.",
        "en": "💬 An organiser answered your question (ticket #{n}):\n\n❓ «{question}»\n\n{answer}\n\n"
        "Anything else? Type /ask_human followed by your question.",
    },
    "closed": {
        "vi": "Câu hỏi của bạn (mã #{n}) «{question}» đã được cán bộ thi đua đóng: {reason}",
        "en": "Your question (ticket #{n}) «{question}» was closed by the organisers: {reason}",
    },
    "mine_none": {
        "vi": "Bạn chưa gửi câu hỏi nào tới cán bộ thi đua.",
        "en": "You have not sent any question to the organisers.",
    },
    "mine_head": {"vi": "Câu hỏi bạn đã gửi tới cán bộ thi đua:", "en": "Your questions to the organisers:"},
    "status_open": {"vi": "đang chờ trả lời", "en": "waiting for an answer"},
    "status_answered": {"vi": "đã trả lời", "en": "answered"},
    "status_closed": {"vi": "đã đóng", "en": "closed"},
}
CLOSE_REASONS = (
    {
        "label": "Ngoài phạm vi TĐKT",
        "vi": "câu hỏi nằm ngoài phạm vi thi đua, khen thưởng.",
        "en": "the question is outside emulation and commendation.",
    },
    {
        "label": "Cần hỏi đơn vị",
        "vi": "cần hỏi trực tiếp cán bộ thi đua, khen thưởng của đơn vị bạn.",
        "en": "please ask your own unit's emulation and commendation officer.",
    },
    {
        "label": "Đã có trong /chude",
        "vi": "nội dung đã có trong hướng dẫn; xem /chude hoặc hỏi lại bằng cách diễn đạt khác.",
        "en": "this is already covered; browse /topics or rephrase the question.",
    },
    {
        "label": "Trùng câu hỏi khác",
        "vi": "câu hỏi trùng với một câu hỏi khác đã được trả lời.",
        "en": "it duplicates another question that was answered.",
    },
)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _local(moment: dt.datetime, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%H:%M %d/%m/%Y")


class HandoffHandlers:
    """The ticket feature; it reuses the main handlers' helpers and services."""

    def __init__(self, handlers: Handlers) -> None:
        self.h = handlers
        self.s = handlers.s
        self.attempting: set[int] = set()

    # -- helpers -------------------------------------------------------------------------------------------

    @property
    def group(self) -> int | None:
        return self.s.config.handoff.chat_id

    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.s.config.reminders.timezone)

    def t(self, name: str, lang: str) -> str:
        """A message of this feature: texts.yaml may override it (same name prefixed `handoff_`)."""
        texts = self.h.answerer.knowledge.texts
        if f"handoff_{name}" in texts:
            return self.h.answerer.text(f"handoff_{name}", lang)
        pair = TEXTS[name]
        return (pair.get(lang) if lang == "en" else None) or pair["vi"]

    def ask_row(self, ref: str, lang: str) -> list[InlineKeyboardButton] | None:
        """The "Hỏi cán bộ thi đua" button for a logged question, or None when the feature is off."""
        if self.group is None:
            return None
        return [button(self.t("button", lang), f"{ASK}:r:{ref}")]

    def is_organiser(self, update: Update) -> bool:
        """Members of the organisers' group (anyone who writes or presses there) and telegram.admins."""
        chat = update.effective_chat
        return (chat is not None and self.group is not None and chat.id == self.group) or self.h.is_admin(
            update.effective_user
        )

    def offered(self, question: LoggedQuestion | None, text: str) -> str:
        """What the bot offered, in words organisers read."""
        entries = self.h.answerer.knowledge.entries
        if question is None:
            reply = self.h.answerer.ask(text, today=self.h.today())
            status, entry_id = reply.status, reply.result.top.entry_id if reply.result.top else None
            suggestions: tuple[str, ...] = tuple(s.entry.id for s in reply.suggestions)
            choice, feedback = None, None
        else:
            status, entry_id, suggestions = question.status, question.entry_id, question.suggestions
            choice, feedback = question.choice, question.feedback

        def title(entry_id: str | None) -> str:
            entry = entries.get(entry_id or "")
            return f"“{entry.question_vi}” ({entry.id})" if entry else str(entry_id)

        if status == ANSWER:
            said = f"trả lời bằng mục {title(entry_id)}"
            return said + (", người hỏi bấm 👎" if feedback == -1 else "")
        if status == SUGGEST or suggestions:
            listed = "; ".join(title(s) for s in suggestions)
            said = f"gợi ý {listed}"
            if choice == CHOICE_NONE:
                said += ", người hỏi chọn “Không phải các câu này”"
            return said
        return "không trả lời được (câu trả lời dự phòng)"

    def ticket_text(self, ticket: Ticket, repost: int | None = None) -> str:
        tz = self.tz()
        head = f"📨 Phiếu hỏi #{ticket.number}" + (f" (nhắc lại lần {repost})" if repost else "")
        lines = [
            f"{head} · {_local(ticket.created_at, tz)} · {'tiếng Anh' if ticket.lang == 'en' else 'tiếng Việt'}",
            f"❓ {ticket.question}",
            f"🤖 Bot đã: {ticket.offered}",
            f"👤 {ticket.contact}" if ticket.contact else "👤 Người hỏi: ẩn danh",
        ]
        if ticket.status == OPEN:
            lines.append("👉 Trả lời (reply) tin này để gửi câu trả lời cho người hỏi.")
        elif ticket.status == ANSWERED and ticket.answered_at is not None:
            lines.append(f"✅ Đã trả lời: {ticket.answered_by}, {_local(ticket.answered_at, tz)}")
            lines.append(f"💬 {_cut(ticket.answer or '', 1500)}")
        elif ticket.status == CLOSED and ticket.answered_at is not None:
            lines.append(f"🚫 Đã đóng: {ticket.answered_by}, {_local(ticket.answered_at, tz)} — {ticket.close_reason}")
        note = {
            BLOCKED: "⚠️ Người hỏi đã chặn bot: chưa gửi được tới người hỏi.",
            UNKNOWN: "⚠️ Không chắc đã gửi tới người hỏi (bot bị gián đoạn khi gửi); không gửi lại để tránh trùng.",
            FAILED: "⏳ Gửi tới người hỏi chưa được, bot sẽ thử lại.",
        }.get(ticket.delivery or "")
        if note and ticket.delivery == FAILED and ticket.delivery_attempts >= MAX_ATTEMPTS:
            note = "⚠️ Không gửi được tới người hỏi sau nhiều lần thử."
        if note:
            lines.append(note)
        if ticket.draft_id:
            lines.append(f"📝 Bản nháp: {ticket.draft_id} (knowledge/drafts.yaml, chờ /duyet)")
        return "\n".join(lines)

    def ticket_keyboard(self, ticket: Ticket) -> InlineKeyboardMarkup | None:
        n = ticket.number
        if ticket.status == OPEN:
            return InlineKeyboardMarkup([[button("🚫 Đóng", f"{TICKET}:x:{n}")]])
        if ticket.status == ANSWERED:
            row = [] if ticket.draft_id else [button("📝 Lưu vào kho", f"{TICKET}:s:{n}")]
            row.append(button("🔗 Gắn vào mục có sẵn", f"{TICKET}:g:{n}"))
            return InlineKeyboardMarkup([row])
        return None

    async def refresh(self, bot: object, number: int) -> None:
        """Edit the ticket's first group message to its current state."""
        ticket = await self.s.storage.ticket(number)
        if ticket is None or ticket.group_chat_id is None or ticket.group_message_id is None:
            return
        try:
            await bot.edit_message_text(  # type: ignore[attr-defined]
                self.ticket_text(ticket),
                chat_id=ticket.group_chat_id,
                message_id=ticket.group_message_id,
                reply_markup=self.ticket_keyboard(ticket),
            )
        except BadRequest as exc:
            if "not modified" not in str(exc).lower():
                log.warning("could not edit the message of ticket #%d: %s", number, exc)

    async def post(self, bot: object, ticket: Ticket, repost: int | None = None) -> None:
        assert self.group is not None
        sent = await bot.send_message(  # type: ignore[attr-defined]
            self.group, self.ticket_text(ticket, repost), reply_markup=self.ticket_keyboard(ticket)
        )
        await self.s.storage.record_ticket_post(ticket.number, self.group, sent.message_id, first=repost is None)

    # -- user side -----------------------------------------------------------------------------------------

    async def create(
        self, update: Update, context: Context, text: str, question: LoggedQuestion | None, lang: str
    ) -> None:
        message, user, chat = update.effective_message, update.effective_user, update.effective_chat
        if message is None or user is None or chat is None:
            return
        key = self.h.user_key(user)
        text = " ".join(text.split())[: self.s.config.limits.max_question_length]
        mine = await self.s.storage.tickets_where("user_key = ? AND status = ? AND question = ?", (key, OPEN, text))
        if mine:
            await context.bot.send_message(chat.id, self.t("already", lang).format(n=mine[0].number))
            return
        cfg = self.s.config.handoff
        ticket = await self.s.storage.open_ticket(
            key, chat.id, text, self.offered(question, text), lang, dt.datetime.now(dt.UTC), cfg.max_open_per_user
        )
        if ticket is None:
            await context.bot.send_message(chat.id, self.t("too_many", lang).format(n=cfg.max_open_per_user))
            return
        await self.post(context.bot, ticket)
        log.info("ticket #%d opened", ticket.number)
        markup = InlineKeyboardMarkup([[button(self.t("consent", lang), f"{ASK}:c:{ticket.number}")]])
        await context.bot.send_message(chat.id, self.t("created", lang).format(n=ticket.number), reply_markup=markup)

    async def ask_command(self, update: Update, context: Context) -> None:
        """/hoicanbo QUESTION: a ticket from scratch."""
        message, chat = update.effective_message, update.effective_chat
        if message is None or chat is None:
            return
        text = " ".join(context.args or []).strip()
        lang = self.h.lang_of(update, text)
        if self.group is None:
            await message.reply_text(self.t("off", lang).format(contact=self.h.answerer.contact_for(lang)))
            return
        if chat.type != "private":
            await message.reply_text(self.t("private_only", lang))
            return
        if not text:
            await message.reply_text(self.t("usage", lang))
            return
        await self.create(update, context, text, None, lang)

    async def my_tickets(self, update: Update, context: Context) -> None:
        """/cauhoicuatoi: the user's tickets, their status and the answers."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        lang = self.h.lang_of(update)
        tickets = await self.s.storage.tickets_of(self.h.user_key(user))
        if not tickets:
            await message.reply_text(self.t("mine_none", lang))
            return
        lines = [self.t("mine_head", lang)]
        for ticket in tickets:
            status = self.t(f"status_{ticket.status}", lang)
            when = _local(ticket.created_at, self.tz())
            lines.append(f"\n#{ticket.number} · {status} · {when}\n❓ {ticket.question}")
            if ticket.status == ANSWERED and ticket.answer:
                lines.append(f"💬 {ticket.answer if len(tickets) == 1 else _cut(ticket.answer, 600)}")
            elif ticket.status == CLOSED and ticket.close_reason:
                lines.append(f"🚫 {ticket.close_reason}")
        chunk = ""
        for line in lines:  # several messages when the answers are long; split between lines
            if chunk and len(chunk) + len(line) + 1 > 4000:
                await message.reply_text(chunk)
                chunk = ""
            chunk = f"{chunk}\n{line}" if chunk else line[:4000]
        await message.reply_text(chunk)

    async def ask_button(self, update: Update, context: Context) -> None:
        """ho:r:<ref> (ask about a logged question) and ho:c:<n> (allow direct contact)."""
        query, user = update.callback_query, update.effective_user
        if query is None or query.data is None or user is None:
            return
        _, kind, arg = query.data.split(":", 2)
        lang = self.h.lang_of(update)
        await query.answer()
        message = query.message if isinstance(query.message, Message) else None
        if kind == "c" and arg.isdigit():
            await self._consent(update, context, int(arg), lang, message)
            raise ApplicationHandlerStop
        if self.group is None:
            raise ApplicationHandlerStop
        await self.s.question_log.flush()
        logged = await self.s.storage.question_by_ref(arg)
        if logged is None or logged.user_key != self.h.user_key(user):
            if update.effective_chat is not None:
                await context.bot.send_message(update.effective_chat.id, self.t("gone", lang))
            raise ApplicationHandlerStop
        if message is not None:
            await self._drop_ask_button(message)
        await self.create(update, context, logged.text, logged, logged.lang)
        raise ApplicationHandlerStop

    async def _drop_ask_button(self, message: Message) -> None:
        markup = message.reply_markup
        if markup is None:
            return
        rows = [
            row
            for row in markup.inline_keyboard
            if not any(str(b.callback_data or "").startswith(f"{ASK}:") for b in row)
        ]
        try:
            await message.edit_reply_markup(reply_markup=InlineKeyboardMarkup(rows) if rows else None)
        except BadRequest as exc:
            if "not modified" not in str(exc).lower():
                raise

    async def _consent(
        self, update: Update, context: Context, number: int, lang: str, message: Message | None
    ) -> None:
        user = update.effective_user
        assert user is not None
        name = user.full_name + (f" (@{user.username})" if user.username else "")
        contact = f"{name}, Telegram id {user.id} — đồng ý để cán bộ liên hệ trực tiếp"
        if not await self.s.storage.set_ticket_contact(number, self.h.user_key(user), contact):
            return
        await self.refresh(context.bot, number)
        if message is not None:
            try:
                await message.edit_text(
                    f"{message.text}\n\n✔️ {self.t('consent_done', lang).format(n=number)}", reply_markup=None
                )
            except BadRequest as exc:
                if "not modified" not in str(exc).lower():
                    raise

    # -- organisers' group ---------------------------------------------------------------------------------

    async def group_reply(self, update: Update, context: Context) -> None:
        """A reply in the organisers' group to a ticket message: the first one is the answer."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None or message.reply_to_message is None or not message.text:
            return
        target = message.reply_to_message
        if target.from_user is None or target.from_user.id != context.bot.id:
            return  # a conversation among organisers: not for the bot
        if message.text.startswith("/"):
            return
        ticket = await self.s.storage.ticket_of_post(message.chat_id, target.message_id)
        if ticket is None and (found := TICKET_HEAD.match(target.text or "")):
            # A reply that arrives before the post is recorded (updates run concurrently): the bot's own
            # message names the ticket, and only the bot writes it.
            ticket = await self.s.storage.ticket(int(found[1]))
        if ticket is None:
            await message.reply_text(
                "Tin này không phải phiếu hỏi. Để trả lời người hỏi, hãy trả lời (reply) đúng tin “📨 Phiếu hỏi #…”."
            )
            raise ApplicationHandlerStop
        if ticket.status != OPEN:
            done = "đã được trả lời" if ticket.status == ANSWERED else "đã được đóng"
            when = _local(ticket.answered_at, self.tz()) if ticket.answered_at else ""
            await message.reply_text(
                f"Phiếu #{ticket.number} {done} ({ticket.answered_by}, {when}); câu trả lời này không được gửi."
            )
            raise ApplicationHandlerStop
        now = dt.datetime.now(dt.UTC)
        if not await self.s.storage.answer_ticket(ticket.number, message.text.strip(), user.full_name, now):
            await message.reply_text(f"Phiếu #{ticket.number} đã được trả lời; câu trả lời này không được gửi.")
            raise ApplicationHandlerStop
        log.info("ticket #%d answered", ticket.number)
        await self.refresh(context.bot, ticket.number)
        await self.deliver(context.bot, ticket.number)
        raise ApplicationHandlerStop

    async def ticket_button(self, update: Update, context: Context) -> None:
        query = update.callback_query
        if query is None or query.data is None:
            return
        if not self.is_organiser(update):
            await query.answer(self.h.answerer.text("not_admin", self.h.lang_of(update)))
            raise ApplicationHandlerStop
        parts = query.data.split(":", 3)
        kind, number = parts[1], int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else 0
        ticket = await self.s.storage.ticket(number)
        message = query.message if isinstance(query.message, Message) else None
        if ticket is None or message is None:
            await query.answer("Phiếu không còn (đã xoá theo yêu cầu của người hỏi hoặc hết hạn lưu).")
            raise ApplicationHandlerStop
        user = update.effective_user
        who = user.full_name if user else "?"
        if kind == "x":
            rows = [[button(r["label"], f"{TICKET}:xr:{number}:{i}")] for i, r in enumerate(CLOSE_REASONS)]
            rows.append([button("‹ Quay lại", f"{TICKET}:b:{number}")])
            await query.answer()
            await self._edit_markup(message, InlineKeyboardMarkup(rows))
        elif kind == "b":
            await query.answer()
            await self._edit_markup(message, self.ticket_keyboard(ticket))
        elif kind == "xr" and len(parts) == 4 and parts[3].isdigit() and int(parts[3]) < len(CLOSE_REASONS):
            reason = CLOSE_REASONS[int(parts[3])]
            closing = reason[ticket.lang if ticket.lang == "en" else "vi"]
            if await self.close(context.bot, number, reason["label"], who, closing):
                await query.answer(f"Đã đóng phiếu #{number}.")
            else:
                await query.answer(f"Phiếu #{number} đã được trả lời hoặc đóng.")
                current = await self.s.storage.ticket(number)
                if current is not None and message.text != self.ticket_text(current):  # a stale view
                    await self.refresh(context.bot, number)
        elif kind == "s":
            await self._save_draft(query, context, ticket)
        elif kind == "g":
            await self._attach_menu(query, message, ticket)
        elif kind == "ga" and len(parts) == 4:
            await self._attach(query, message, ticket, parts[3])
        else:
            await query.answer()
        raise ApplicationHandlerStop

    async def close(self, bot: object, number: int, reason: str, who: str, closing: str | None = None) -> bool:
        """Close an open ticket and tell the user why; False when it was answered or closed already."""
        if not await self.s.storage.close_ticket(number, reason, who, dt.datetime.now(dt.UTC)):
            return False
        log.info("ticket #%d closed", number)
        await self.refresh(bot, number)
        await self.deliver(bot, number, closing=closing)
        return True

    async def close_command(self, update: Update, context: Context) -> None:
        """/dong REASON as a reply to a ticket message: close it with a reason of the organiser's own words."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        if not self.is_organiser(update):
            await message.reply_text(self.h.answerer.text("not_admin", self.h.lang_of(update)))
            return
        target = message.reply_to_message
        ticket = None
        if target is not None and target.from_user is not None and target.from_user.id == context.bot.id:
            ticket = await self.s.storage.ticket_of_post(message.chat_id, target.message_id)
        reason = " ".join(context.args or []).strip()[:300]
        if ticket is None or not reason:
            await message.reply_text("Cách dùng: trả lời (reply) tin “📨 Phiếu hỏi #…” bằng /dong lý do ngắn gọn.")
            return
        if not await self.close(context.bot, ticket.number, reason, user.full_name, reason):
            await message.reply_text(f"Phiếu #{ticket.number} đã được trả lời hoặc đóng; không đóng lại.")

    async def _edit_markup(self, message: Message, markup: InlineKeyboardMarkup | None) -> None:
        try:
            await message.edit_reply_markup(reply_markup=markup)
        except BadRequest as exc:
            if "not modified" not in str(exc).lower():
                raise

    def _topic_guess(self, question: str) -> str:
        answerer = self.h.answerer
        result = answerer.matcher.match(question)
        top = result.top
        entry = answerer.knowledge.entries.get(top.entry_id) if top is not None else None
        return entry.topic if entry is not None else answerer.knowledge.topics[0].id

    async def _save_draft(self, query: object, context: Context, ticket: Ticket) -> None:
        from bot.review.drafts import add_draft, drafts_path

        if ticket.status != ANSWERED or not ticket.answer:
            await query.answer("Chỉ lưu được phiếu đã có câu trả lời.")  # type: ignore[attr-defined]
            return
        path = drafts_path(self.s.config.knowledge.path)
        try:
            draft_id = await asyncio.to_thread(
                add_draft,
                path,
                ticket=ticket.number,
                question=ticket.question,
                answer=ticket.answer,
                topic=self._topic_guess(ticket.question),
                lang=ticket.lang,
            )
        except TdktError as exc:
            await query.answer(f"Không lưu được: {exc}"[:200])  # type: ignore[attr-defined]
            return
        await self.s.storage.set_ticket_draft(ticket.number, draft_id)
        await query.answer(f"Đã lưu bản nháp {draft_id}; bổ sung nguồn rồi /duyet.")  # type: ignore[attr-defined]
        await self.refresh(context.bot, ticket.number)
        log.info("ticket #%d saved as draft %s", ticket.number, draft_id)

    async def _attach_menu(self, query: object, message: Message, ticket: Ticket) -> None:
        answerer = self.h.answerer
        result = answerer.matcher.match(ticket.question)
        rows = []
        for scored in result.ranked[:4]:
            entry = answerer.knowledge.entries.get(scored.entry_id)
            data = f"{TICKET}:ga:{ticket.number}:{scored.entry_id}"
            if entry is not None and len(data.encode()) <= 64:
                rows.append([button(f"{entry.question_vi} ({scored.score:.0f})", data)])
        await query.answer()  # type: ignore[attr-defined]
        if not rows:
            await message.reply_text(f"Phiếu #{ticket.number}: không có mục nào gần để gắn.")
            return
        await message.reply_text(
            f"Phiếu #{ticket.number}: gắn “{ticket.question}” làm cách hỏi của mục nào?",
            reply_markup=InlineKeyboardMarkup(rows),
        )

    async def _attach(self, query: object, message: Message, ticket: Ticket, entry_id: str) -> None:
        from bot.review.learned import attach_phrasing

        learned = self.s.config.knowledge.path / "learned.yaml"
        await query.answer("Đang gắn và nạp lại kho…")  # type: ignore[attr-defined]  # the reload takes seconds
        try:
            added = await asyncio.to_thread(
                attach_phrasing, learned, entry_id, ticket.question, self.h.answerer.knowledge.entries.keys()
            )
            await self.reload()
        except (TdktError, KnowledgeError) as exc:
            await message.edit_text(f"Không gắn được: {exc}")
            return
        done = "Đã gắn" if added else "Mục đã có cách hỏi này:"
        await message.edit_text(f"{done} “{ticket.question}” vào {entry_id} (knowledge/learned.yaml).")

    async def reload(self) -> None:
        await self.h.rebuild()

    # -- delivery ------------------------------------------------------------------------------------------

    async def deliver(self, bot: object, number: int, closing: str | None = None) -> None:
        """Send a claimed answer (or closing reason) to the user once; settle the claim."""
        ticket = await self.s.storage.ticket(number)
        if ticket is None or ticket.delivery != CLAIMED:
            return
        lang = ticket.lang
        if ticket.status == CLOSED:
            reason = closing
            if reason is None:
                found = next((r for r in CLOSE_REASONS if r["label"] == ticket.close_reason), None)
                reason = found[lang if lang == "en" else "vi"] if found else (ticket.close_reason or "")
            text = self.t("closed", lang).format(n=number, question=ticket.question, reason=reason)
        else:
            question = _cut(ticket.question, 300)
            text = self.t("answer", lang).format(n=number, question=question, answer=ticket.answer)
            if len(text) > 4096:  # one message, so that delivery stays at most once; /cauhoicuatoi has it all
                more = "… (/cauhoicuatoi)" if lang != "en" else "… (/mytickets)"
                room = 4096 - (len(text) - len(ticket.answer or "")) - len(more)
                text = self.t("answer", lang).format(
                    n=number, question=question, answer=(ticket.answer or "")[:room] + more
                )
        now = dt.datetime.now(dt.UTC)
        self.attempting.add(number)
        try:
            # Not the application's client, which also retries 5xx and dropped connections: an answer Telegram
            # delivered before its reply was lost would go out twice. This one retries only 429s.
            async with reminder_client(self.s.config) as client:
                await client.send_message(ticket.chat_id, text[:4096])
        except Forbidden:
            await self.s.storage.settle_delivery(number, BLOCKED, now)
            log.info("ticket #%d: the user blocked the bot", number)
        except TimedOut:
            await self.s.storage.settle_delivery(number, UNKNOWN, now)
            log.warning("ticket #%d: sending timed out; not resent (at most once)", number)
        except (RetryAfter, NetworkError, BadRequest) as exc:  # Telegram refused it: not delivered
            await self.s.storage.settle_delivery(number, FAILED, now)
            log.warning("ticket #%d: delivery failed (%s); will retry", number, exc)
        else:
            await self.s.storage.settle_delivery(number, SENT, now)
            log.info("ticket #%d delivered", number)
            return
        finally:
            self.attempting.discard(number)
        await self.refresh(bot, number)

    async def retry_job(self, context: Context) -> None:
        """Retry deliveries Telegram refused (429 beyond the client's retries, 5xx), a few times at most."""
        for ticket in await self.s.storage.tickets_where(
            "delivery = ? AND delivery_attempts < ?", (FAILED, MAX_ATTEMPTS)
        ):
            if await self.s.storage.claim_retry(ticket.number):
                await self.deliver(context.bot, ticket.number)
                updated = await self.s.storage.ticket(ticket.number)
                if updated is not None and updated.delivery == SENT:
                    await self.refresh(context.bot, ticket.number)

    async def repost_job(self, context: Context) -> None:
        """Re-post tickets open longer than remind_after_hours, each at most once a day, with a count."""
        if self.group is None:
            return
        now = dt.datetime.now(dt.UTC)
        older = now - dt.timedelta(hours=self.s.config.handoff.remind_after_hours)
        due = [
            t
            for t in await self.s.storage.tickets_where("status = ?", (OPEN,))
            if t.created_at <= older and (t.reposted_at is None or now - t.reposted_at >= REPOST_EVERY)
        ]
        if not due:
            return
        hours = self.s.config.handoff.remind_after_hours
        header = f"⏰ {len(due)} phiếu hỏi đang chờ trả lời quá {hours:g} giờ; trả lời (reply) vào các tin dưới đây:"
        await context.bot.send_message(self.group, header)
        await self.s.storage.mark_reposted([t.number for t in due], now)
        for ticket in due:
            age_days = max(1, round((now - ticket.created_at).total_seconds() / 86400))
            await self.post(context.bot, ticket, repost=age_days)

    # -- drafts: /duyet --------------------------------------------------------------------------------------

    async def review(self, update: Update, context: Context) -> None:
        """/duyet: list drafts; /duyet ID nguon TEXT | /duyet ID ngay YYYY-MM-DD | /duyet ID (publish)."""
        from bot.review.drafts import drafts_path, update_draft

        message = update.effective_message
        if message is None:
            return
        if not self.is_organiser(update):
            await message.reply_text(self.h.answerer.text("not_admin", self.h.lang_of(update)))
            return
        path = drafts_path(self.s.config.knowledge.path)
        args = list(context.args or [])
        try:
            if not args:
                await self._list_drafts(message, path)
            elif len(args) >= 3 and args[1].lower() in {"nguon", "nguồn", "source"}:
                draft = await asyncio.to_thread(update_draft, path, args[0], source=" ".join(args[2:]))
                await message.reply_text(self._draft_line(draft))
            elif len(args) == 3 and args[1].lower() in {"ngay", "ngày", "reviewed"}:
                day = dt.date.fromisoformat(args[2])
                draft = await asyncio.to_thread(update_draft, path, args[0], reviewed=day)
                await message.reply_text(self._draft_line(draft))
            elif len(args) == 1:
                await message.reply_text(await self.publish(args[0]))
            else:
                await message.reply_text(
                    "Cách dùng: /duyet (danh sách) · /duyet ID nguon Điều …, Luật … · /duyet ID ngay 2026-12-01 · "
                    "/duyet ID (đăng)"
                )
        except (TdktError, ValueError) as exc:
            await message.reply_text(f"Không thực hiện được: {exc}")

    def _draft_line(self, draft: dict[str, object]) -> str:
        from bot.review.drafts import missing

        lacking = missing(draft)
        questions = draft.get("questions") or {}
        first = (questions.get("vi") or ["?"])[0] if isinstance(questions, dict) else "?"
        state = "sẵn sàng đăng" if not lacking else "thiếu " + ", ".join(
            {"sources": "nguồn (sources)", "reviewed": "ngày rà soát (reviewed)"}[m] for m in lacking
        )
        return f"• {draft.get('id')} (phiếu #{draft.get('ticket')}): “{first}” — {state}"

    async def _list_drafts(self, message: Message, path: object) -> None:
        from bot.review.drafts import load_drafts, missing

        drafts = await asyncio.to_thread(load_drafts, path)  # type: ignore[arg-type]
        if not drafts:
            await message.reply_text("Không có bản nháp nào chờ duyệt (knowledge/drafts.yaml).")
            return
        lines = ["Bản nháp chờ duyệt (knowledge/drafts.yaml):", *(self._draft_line(d) for d in drafts)]
        lines.append("Bổ sung: /duyet ID nguon Điều …, Luật … · /duyet ID ngay YYYY-MM-DD; đăng: /duyet ID.")
        rows = [
            [button(f"✅ Đăng {d.get('id')}", f"{PUBLISH}:p:{d.get('id')}")]
            for d in drafts
            if not missing(d) and len(f"{PUBLISH}:p:{d.get('id')}".encode()) <= 64
        ]
        await message.reply_text("\n".join(lines)[:4000], reply_markup=InlineKeyboardMarkup(rows) if rows else None)

    async def publish(self, draft_id: str) -> str:
        """Publish a complete draft and reload; a refused reload restores both files."""
        from bot.review.drafts import DraftError, publish, restore

        root = self.s.config.knowledge.path
        async with self.s.reload_lock:
            known = set(self.h.answerer.knowledge.entries)
            try:
                before, entry = await asyncio.to_thread(publish, root, draft_id, known)
            except DraftError as exc:
                return f"Chưa đăng được: {exc}"
            try:
                await self.h.rebuild_locked()
            except KnowledgeError as exc:
                await asyncio.to_thread(restore, before)
                return "Chưa đăng được, kho kiến thức không nạp được:\n" + "\n".join(exc.problems[:10])
        log.info("draft %s published", entry.id)
        return f"Đã đăng {entry.id} vào knowledge/faq/hoi-dap-can-bo.yaml và nạp lại; bot trả lời được câu này."

    async def publish_button(self, update: Update, context: Context) -> None:
        query = update.callback_query
        if query is None or query.data is None:
            return
        if not self.is_organiser(update):
            await query.answer(self.h.answerer.text("not_admin", self.h.lang_of(update)))
            raise ApplicationHandlerStop
        await query.answer()
        done = await self.publish(query.data.split(":", 2)[2])
        if isinstance(query.message, Message):
            await query.message.reply_text(done)
        raise ApplicationHandlerStop

    # -- counts, privacy, lifecycle --------------------------------------------------------------------------

    async def stats(self, days: int) -> HandoffStats:
        from bot.review.handoff_report import handoff_counts

        return await handoff_counts(self.s.storage, self.s.config.knowledge.path, days, dt.datetime.now(dt.UTC))

    async def forget(self, bot: object, user_key: str) -> None:
        """Before /xoadulieu deletes the user's tickets: their group messages lose the question."""
        for chat_id, message_id, number in await self.s.storage.posts_of_user(user_key):
            try:
                await bot.edit_message_text(  # type: ignore[attr-defined]
                    f"🗑 Phiếu hỏi #{number} đã được xoá theo yêu cầu của người hỏi (/xoadulieu).",
                    chat_id=chat_id,
                    message_id=message_id,
                    reply_markup=None,
                )
            except (BadRequest, Forbidden) as exc:
                log.warning("could not blank the message of ticket #%d: %s", number, exc)

    async def purge_job(self, context: Context) -> None:
        cutoff = dt.datetime.now(dt.UTC) - dt.timedelta(days=self.s.config.storage.retention_days)
        removed = await self.s.storage.purge_tickets_before(cutoff)
        if removed:
            log.info("retention: removed %d tickets older than %s", removed, cutoff.date())


def install(app: Application, handlers: Handlers) -> HandoffHandlers:
    """Register the ticket commands, the group replies and the buttons on `app`."""
    h = HandoffHandlers(handlers)
    new_messages = filters.UpdateType.MESSAGE
    app.add_handler(CommandHandler(["hoicanbo", "ask_human"], h.ask_command, filters=new_messages), group=-1)
    app.add_handler(CommandHandler(["cauhoicuatoi", "mytickets"], h.my_tickets, filters=new_messages), group=-1)
    app.add_handler(CommandHandler(["duyet", "review"], h.review, filters=new_messages), group=-1)
    app.add_handler(CommandHandler(["dong", "close"], h.close_command, filters=new_messages), group=-1)
    app.add_handler(CallbackQueryHandler(h.ask_button, pattern=rf"^{ASK}:"), group=-1)
    app.add_handler(CallbackQueryHandler(h.ticket_button, pattern=rf"^{TICKET}:"), group=-1)
    app.add_handler(CallbackQueryHandler(h.publish_button, pattern=rf"^{PUBLISH}:"), group=-1)
    group = handlers.s.config.handoff.chat_id
    if group is not None:
        app.add_handler(
            MessageHandler(new_messages & filters.Chat(group) & filters.REPLY & filters.TEXT, h.group_reply),
            group=-1,
        )
    return h


async def schedule(app: Application, handoff: HandoffHandlers) -> None:
    """Reconcile deliveries a crash interrupted, then run the retry, re-post and retention jobs."""
    unknown = await handoff.s.storage.reconcile_deliveries()
    for number in unknown:
        log.warning("ticket #%d: delivery interrupted by a restart; not resent (at most once)", number)
        await handoff.refresh(app.bot, number)
    if app.job_queue is None or handoff.group is None:
        return
    hours = handoff.s.config.handoff.remind_after_hours
    check = min(max(hours * 3600 / 4, 1.0), 3600.0)
    app.job_queue.run_repeating(handoff.retry_job, RETRY_SECONDS, first=RETRY_SECONDS, name=RETRY_JOB)
    app.job_queue.run_repeating(handoff.repost_job, check, first=min(check, 5.0), name=REPOST_JOB)
    app.job_queue.run_daily(handoff.purge_job, dt.time(3, 5, tzinfo=handoff.tz()), name="handoff-retention")
    app.job_queue.run_once(handoff.purge_job, 3.0, name="handoff-retention-start")

