"""/lich (/calendar): the admins enter the year's dates from the Bộ's guidance in a private chat with the bot.

`/lich` lists the upcoming dates with a number each; `/lich them 2027-01-15 Tên | nguon: Công văn …` adds one
(the source is required); `/lich sua N …` and `/lich xoa N` change or remove one after a confirmation button.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup, Message, Update, User
from telegram.constants import ChatType
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    filters,
)

from bot.calendar import organiser
from bot.calendar.managed import layer_for, parse_input
from bot.core.records import ManagedDate
from bot.telegram.handlers import Handlers
from bot.telegram.keyboards import button
from bot.telegram.reminder_handlers import PASS_JOB

log = logging.getLogger(__name__)
Context = ContextTypes.DEFAULT_TYPE

CALENDAR = "lich"  # lich:ok:<token> | lich:no:<token>
REFRESH_JOB = "calendar-refresh"
REFRESH_SECONDS = 60.0  # how often the answerer's copy of the managed dates is re-read (terminal changes)
PENDING_MAX = 100

USAGE = (
    "Cách dùng (chỉ quản trị viên, trong chat riêng với bot):\n"
    "/lich: xem các mốc sắp tới, mỗi mốc một số\n"
    "/lich them 2027-01-15 Tên mốc | nguon: Công văn số …/BKHCN-TCCB | chu-de: ho-so\n"
    "/lich sua N 2027-01-20 (hoặc tên mới, | nguon: …, | chu-de: …)\n"
    "/lich xoa N\n"
    "Mỗi mốc phải ghi văn bản của Bộ đã ấn định nó (nguon:)."
)
PRIVATE_ONLY = "Lệnh /lich chỉ dùng trong chat riêng với bot."
NO_SOURCE = (
    "Chưa thêm: mỗi mốc phải ghi văn bản đã ấn định nó, để người dùng biết ngày đó theo văn bản nào. "
    "Ví dụ: /lich them 2027-01-15 Hạn gửi hồ sơ khen thưởng năm 2026 về Bộ | nguon: Công văn số 123/BKHCN-TCCB"
)


@dataclass(frozen=True, slots=True)
class Pending:
    """A change shown to an admin, waiting for the confirmation button."""

    admin_id: int
    action: str  # change | remove
    current: ManagedDate
    after: ManagedDate | None


def who(user: User) -> str:
    """The admin as the history records them."""
    return f"telegram:{user.id} {user.full_name}".strip()


class CalendarHandlers:
    """The /lich command and its confirmation buttons."""

    def __init__(self, handlers: Handlers) -> None:
        self.h = handlers
        self.s = handlers.s
        self._pending: dict[str, Pending] = {}

    def _now(self) -> dt.datetime:
        return dt.datetime.now(ZoneInfo(self.s.config.reminders.timezone))

    async def refresh(self) -> None:
        """Re-read the managed dates into the layer the answerer reads (after a change, and periodically)."""
        layer_for(self.s.config.storage.path).set(await self.s.storage.managed_dates())

    async def refresh_job(self, context: Context) -> None:
        await self.refresh()

    async def command(self, update: Update, context: Context) -> None:
        message, user, chat = update.effective_message, update.effective_user, update.effective_chat
        if message is None or chat is None:
            return
        if not self.h.is_admin(user):
            await message.reply_text(self.h.answerer.text("not_admin", self.h.lang_of(user)))
            return
        assert user is not None
        if chat.type != ChatType.PRIVATE:
            await message.reply_text(PRIVATE_ONLY)
            return
        parts = (message.text or "").split(maxsplit=2)
        verb = parts[1].lower() if len(parts) > 1 else ""
        rest = parts[2] if len(parts) > 2 else ""
        try:
            if verb == "":
                await message.reply_text(await self._listing())
            elif verb in {"them", "thêm", "add"}:
                await self._add(message, user, rest, context)
            elif verb in {"sua", "sửa", "doi", "đổi", "change", "edit"}:
                await self._ask_change(message, user, rest)
            elif verb in {"xoa", "xoá", "xóa", "remove", "delete"}:
                await self._ask_remove(message, user, rest)
            else:
                await message.reply_text(USAGE)
        except organiser.CalendarInputError as exc:
            await message.reply_text("Chưa thực hiện:\n" + "\n".join(f"- {p}" for p in exc.problems) + "\n\n" + USAGE)

    async def _listing(self) -> str:
        items = await organiser.listing(self.s.storage, self.h.answerer.knowledge, self._now().date())
        if not items:
            empty = "Chưa có mốc nào sắp tới. Thêm các mốc theo hướng dẫn thi đua, khen thưởng năm nay của Bộ."
            return f"{empty}\n\n{USAGE}"
        lines = ["Các mốc sắp tới:"] + [organiser.listed_line(item) for item in items]
        return "\n".join(lines) + "\n\n" + USAGE

    async def _add(self, message: Message, user: User, rest: str, context: Context) -> None:
        given = parse_input(rest)
        if given.date is not None and given.title and not (given.source or "").strip() and not given.problems:
            await message.reply_text(NO_SOURCE)
            return
        saved = await organiser.add_date(self.s.storage, self.h.answerer.knowledge, given, who(user), self._now())
        await self.refresh()
        self._pass_now(context)
        log.info("calendar: %s added %s on %s", user.id, saved.deadline_id, saved.date)
        await message.reply_text(f"Đã thêm mốc: {organiser.date_line(saved)}\nGõ /lich để xem danh sách.")

    def _pass_now(self, context: Context) -> None:
        """Run a reminder pass now: corrections of a moved date go out at once, not at the next daily pass."""
        queue = context.application.job_queue
        if queue is None:
            return
        daily = queue.get_jobs_by_name(PASS_JOB)
        if daily:
            queue.run_once(daily[0].callback, 0.2, name=f"{PASS_JOB}-after-change")

    def _number(self, rest: str) -> tuple[str, str]:
        parts = rest.split(maxsplit=1)
        if not parts:
            raise organiser.CalendarInputError(["thiếu số thứ tự của mốc (xem /lich)"])
        return parts[0], parts[1] if len(parts) > 1 else ""

    async def _ask_change(self, message: Message, user: User, rest: str) -> None:
        number, change = self._number(rest)
        knowledge = self.h.answerer.knowledge
        current, _ = await organiser.find(self.s.storage, knowledge, number, self._now().date())
        after = organiser.changed(current, parse_input(change), knowledge, self._now().date())
        text = f"Đổi mốc số {number}?\nTrước: {organiser.date_line(current)}\nSau: {organiser.date_line(after)}"
        if after.date != current.date:
            text += "\nNgười đã được nhắc ngày cũ sẽ nhận một tin đính chính."
        await self._confirm(message, Pending(user.id, "change", current, after), text)

    async def _ask_remove(self, message: Message, user: User, rest: str) -> None:
        number, _ = self._number(rest)
        current, _ = await organiser.find(self.s.storage, self.h.answerer.knowledge, number, self._now().date())
        text = f"Xoá mốc số {number}?\n{organiser.date_line(current)}\nCác nhắc hạn của mốc này sẽ dừng."
        await self._confirm(message, Pending(user.id, "remove", current, None), text)

    async def _confirm(self, message: Message, pending: Pending, text: str) -> None:
        while len(self._pending) >= PENDING_MAX:
            self._pending.pop(next(iter(self._pending)))
        token = secrets.token_urlsafe(6)
        self._pending[token] = pending
        markup = InlineKeyboardMarkup(
            [[button("✅ Xác nhận", f"{CALENDAR}:ok:{token}"), button("✖ Huỷ", f"{CALENDAR}:no:{token}")]]
        )
        await message.reply_text(text, reply_markup=markup)

    async def button(self, update: Update, context: Context) -> None:
        query, user = update.callback_query, update.effective_user
        if query is None or query.data is None:
            return
        if not self.h.is_admin(user) or user is None:
            await query.answer(self.h.answerer.text("not_admin", self.h.lang_of(user)))
            raise ApplicationHandlerStop
        _, action, token = query.data.split(":", 2)
        pending = self._pending.get(token)
        if pending is None or pending.admin_id != user.id:
            await query.answer("Yêu cầu đã cũ, hãy gõ lại lệnh /lich.")
            raise ApplicationHandlerStop
        del self._pending[token]
        now = self._now()
        if action != "ok":
            done = "Đã huỷ, lịch không thay đổi."
        elif pending.action == "remove":
            removed = await organiser.remove_date(self.s.storage, pending.current, who(user), now)
            done = f"Đã xoá mốc: {organiser.date_line(removed)}"
        else:
            assert pending.after is not None
            saved = await organiser.change_date(
                self.s.storage, self.h.answerer.knowledge, pending.current, pending.after, who(user), now
            )
            done = f"Đã đổi mốc: {organiser.date_line(saved)}"
        if action == "ok":
            await self.refresh()
            self._pass_now(context)
            log.info("calendar: %s %s %s", user.id, pending.action, pending.current.deadline_id)
        await query.answer()
        if isinstance(query.message, Message):
            await query.message.edit_text(done)
        raise ApplicationHandlerStop


def install(app: Application, handlers: Handlers) -> CalendarHandlers:
    """Register /lich and its buttons on `app`."""
    c = CalendarHandlers(handlers)
    new_messages = filters.UpdateType.MESSAGE
    app.add_handler(CommandHandler(["lich", "calendar"], c.command, filters=new_messages), group=-1)
    app.add_handler(CallbackQueryHandler(c.button, pattern=rf"^{CALENDAR}:"), group=-1)
    return c


async def schedule(app: Application, calendar: CalendarHandlers) -> None:
    """Read the managed dates now, and again every minute (a terminal `calendar add` needs no restart)."""
    await calendar.refresh()
    if app.job_queue is None:
        return
    for job in app.job_queue.get_jobs_by_name(REFRESH_JOB):
        job.schedule_removal()
    app.job_queue.run_repeating(calendar.refresh_job, REFRESH_SECONDS, first=REFRESH_SECONDS, name=REFRESH_JOB)
