"""/thongbao (/announce): an admin sends one message to every subscriber, or to those of one topic.

`/thongbao TEXT` or `/thongbao chu-de=quy-trinh TEXT` shows a preview with the number of recipients and a confirm
button; the sending runs in the background through the reminders' client (same rate limit, 429s retried) and the
reminder ledger (each recipient at most once, even across a crash: a restart resumes it); the admin then gets the
result. `/thongbao trangthai` shows the last announcements.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    filters,
)

from bot.calendar.announcements import (
    TEXT_MAX,
    AnnounceResult,
    outgoing_text,
    parse_command,
    recipients,
    run_announcement,
    totals,
)
from bot.core.records import CANCELLED, DONE, DRAFT, SENDING, Announcement
from bot.telegram.calendar_handlers import who
from bot.telegram.handlers import Handlers
from bot.telegram.keyboards import button
from bot.telegram.reminder_send import reminder_client, sender

log = logging.getLogger(__name__)
Context = ContextTypes.DEFAULT_TYPE

ANNOUNCE = "tb"  # tb:ok:<id> | tb:no:<id>
RESUME_JOB = "announcement-resume"
STATUS_WORDS = {"trangthai", "trạng-thái", "trạngthái", "status"}
USAGE = (
    "Cách dùng (chỉ quản trị viên, trong chat riêng với bot):\n"
    "/thongbao Nội dung: gửi tới mọi người đăng ký nhắc hạn\n"
    "/thongbao chu-de=quy-trinh Nội dung: chỉ người đăng ký chủ đề đó\n"
    "/thongbao trangthai: kết quả các thông báo gần đây"
)
STATE_NAMES = {DRAFT: "chưa gửi", SENDING: "đang gửi", DONE: "đã gửi xong", CANCELLED: "đã huỷ"}


def result_line(result: AnnounceResult) -> str:
    line = f"gửi được {result.sent}, đã chặn bot {result.blocked}, lỗi {result.failed}"
    if result.unknown:
        line += f", {result.unknown} không rõ (bot dừng giữa chừng; không gửi lại để tránh trùng)"
    return line


class AnnounceHandlers:
    def __init__(self, handlers: Handlers) -> None:
        self.h = handlers
        self.s = handlers.s
        self._running: set[int] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    def _now(self) -> dt.datetime:
        return dt.datetime.now(ZoneInfo(self.s.config.reminders.timezone))

    async def command(self, update: Update, context: Context) -> None:
        message, user, chat = update.effective_message, update.effective_user, update.effective_chat
        if message is None or chat is None:
            return
        if not self.h.is_admin(user):
            await message.reply_text(self.h.answerer.text("not_admin", self.h.lang_of(user)))
            return
        assert user is not None
        if chat.type != ChatType.PRIVATE:
            await message.reply_text("Lệnh /thongbao chỉ dùng trong chat riêng với bot.")
            return
        parts = (message.text or "").split(maxsplit=1)
        rest = parts[1].strip() if len(parts) > 1 else ""
        if not rest:
            await message.reply_text(USAGE)
            return
        if rest.lower() in STATUS_WORDS:
            await message.reply_text(await self._status())
            return
        topic, text = parse_command(rest)
        topics = {t.id for t in self.h.answerer.knowledge.topics}
        if topic is not None and topic not in topics:
            await message.reply_text(f"Không có chủ đề “{topic}”. Các chủ đề: {', '.join(sorted(topics))}.")
            return
        if not text:
            await message.reply_text("Thông báo chưa có nội dung.\n\n" + USAGE)
            return
        if len(text) > TEXT_MAX:
            await message.reply_text(f"Thông báo dài {len(text)} ký tự; tối đa {TEXT_MAX}.")
            return
        draft = await self.s.storage.create_announcement(text, topic, who(user), chat.id, self._now())
        count = len(await recipients(self.s.storage, topic))
        scope = f"người đăng ký chủ đề {topic}" if topic else "người đăng ký nhắc hạn"
        preview = (
            f"Xem trước thông báo #{draft.id}, sẽ gửi tới {count} {scope}:\n\n{outgoing_text(draft)}"
        )
        markup = InlineKeyboardMarkup([[
            button(f"📤 Gửi tới {count} người", f"{ANNOUNCE}:ok:{draft.id}"),
            button("✖ Huỷ", f"{ANNOUNCE}:no:{draft.id}"),
        ]])
        await message.reply_text(preview, reply_markup=markup)

    async def _status(self) -> str:
        items = await self.s.storage.announcements(limit=5)
        if not items:
            return "Chưa có thông báo nào."
        lines = ["Các thông báo gần đây:"]
        for item in items:
            tz = ZoneInfo(self.s.config.reminders.timezone)
            when = item.created_at.astimezone(tz).strftime("%d/%m/%Y %H:%M")
            scope = f"chủ đề {item.topic}" if item.topic else "mọi người đăng ký"
            head = item.text.strip().splitlines()[0][:60]
            line = f"#{item.id} {when}, {scope}, {STATE_NAMES.get(item.state, item.state)}: “{head}”"
            if item.state in {SENDING, DONE}:
                line += f"\n   {result_line(await totals(self.s.storage, item))} (trong {item.recipients} người nhận)"
            lines.append(line)
        return "\n".join(lines)

    async def button(self, update: Update, context: Context) -> None:
        query, user = update.callback_query, update.effective_user
        if query is None or query.data is None:
            return
        if not self.h.is_admin(user):
            await query.answer(self.h.answerer.text("not_admin", self.h.lang_of(user)))
            raise ApplicationHandlerStop
        _, action, raw_id = query.data.split(":", 2)
        item = await self.s.storage.announcement(int(raw_id)) if raw_id.isdigit() else None
        message = query.message if isinstance(query.message, Message) else None
        if item is None:
            await query.answer("Không tìm thấy thông báo này.")
            raise ApplicationHandlerStop
        now = self._now()
        if action != "ok":
            cancelled = await self.s.storage.set_announcement_state(item.id, CANCELLED, DRAFT, now)
            await query.answer()
            if cancelled and message is not None:
                await message.edit_text(f"Đã huỷ thông báo #{item.id}, không gửi cho ai.")
            raise ApplicationHandlerStop
        count = len(await recipients(self.s.storage, item.topic))
        if not await self.s.storage.set_announcement_state(item.id, SENDING, DRAFT, now, recipients=count):
            await query.answer("Thông báo này đã được gửi hoặc đã huỷ.")
            raise ApplicationHandlerStop
        await query.answer()
        if message is not None:
            await message.edit_text(f"Đang gửi thông báo #{item.id} tới {count} người…")
        started = await self.s.storage.announcement(item.id)
        assert started is not None
        self._start(started)
        raise ApplicationHandlerStop

    def _start(self, item: Announcement) -> None:
        if item.id in self._running:
            return
        self._running.add(item.id)
        task = asyncio.get_running_loop().create_task(self._send(item), name=f"announcement-{item.id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _send(self, item: Announcement) -> None:
        """One pass over the recipients, then the state and the result to the admin who wrote it."""
        try:
            async with reminder_client(self.s.config) as bot:
                await run_announcement(self.s.storage, item, self._now(), sender(bot))
                await self.s.storage.set_announcement_state(item.id, DONE, SENDING, self._now())
                result = await totals(self.s.storage, item)
                await bot.send_message(
                    item.admin_chat, f"Đã gửi xong thông báo #{item.id}: {result_line(result)}."
                )
        except Exception:
            log.exception("announcement %s stopped; it resumes at the next start", item.id)
        finally:
            self._running.discard(item.id)

    async def resume_job(self, context: Context) -> None:
        """After a restart: finish the announcements that were being sent (the ledger skips who got them)."""
        for item in await self.s.storage.announcements(SENDING, limit=100):
            log.info("resuming announcement %s", item.id)
            self._start(item)


def install(app: Application, handlers: Handlers) -> AnnounceHandlers:
    a = AnnounceHandlers(handlers)
    new_messages = filters.UpdateType.MESSAGE
    app.add_handler(CommandHandler(["thongbao", "announce"], a.command, filters=new_messages), group=-1)
    app.add_handler(CallbackQueryHandler(a.button, pattern=rf"^{ANNOUNCE}:"), group=-1)
    return a


async def schedule(app: Application, announce: AnnounceHandlers) -> None:
    """Resume interrupted announcements shortly after start (after the ledger's reconciliation)."""
    if app.job_queue is None:
        return
    app.job_queue.run_once(announce.resume_job, 1.0, name=RESUME_JOB)
