"""Organiser tools in chat (admins only): /thongke, /chuatraloi, /xuat, and the daily retention purge."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import logging
import secrets
from pathlib import Path
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    filters,
)

from bot.assembly import build_answerer
from bot.core.errors import TdktError
from bot.review.learned import attach_phrasing, dismiss, load_dismissed
from bot.review.report_render import render_chart_png, render_csv, render_summary
from bot.review.reports import Cluster, generate, generate_many
from bot.telegram.handlers import Handlers
from bot.telegram.keyboards import button

log = logging.getLogger(__name__)
Context = ContextTypes.DEFAULT_TYPE

UNANSWERED = "ua"  # ua:a:<token> attach | ua:d:<token> dismiss
TOP_CLUSTERS = 5
PURGE_JOB = "retention-purge"


class AdminHandlers:
    """Admin-only commands; everyone else gets the polite refusal and nothing else."""

    def __init__(self, handlers: Handlers) -> None:
        self.h = handlers
        self.s = handlers.s
        self._pending: dict[str, Cluster] = {}  # short callback token → cluster shown to an admin

    @property
    def learned_path(self) -> Path:
        return self.s.config.knowledge.path / "learned.yaml"

    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.s.config.reminders.timezone)

    async def _refuse(self, update: Update) -> bool:
        """Reply with the refusal when the user is not an admin; tell whether they were refused."""
        if self.h.is_admin(update.effective_user):
            return False
        if update.effective_message is not None:
            lang = self.h.lang_of(update.effective_user)
            await update.effective_message.reply_text(self.h.answerer.text("not_admin", lang))
        return True

    async def stats(self, update: Update, context: Context) -> None:
        """A short summary of the last 7 and 30 days, and a chart."""
        if await self._refuse(update) or update.effective_message is None:
            return
        await self.s.question_log.flush()
        reports = await generate_many(
            self.s.storage,
            days=[7, 30],
            now=dt.datetime.now(dt.UTC),
            answerer=self.h.answerer,
            dismissed=await asyncio.to_thread(load_dismissed, self.learned_path),
            tz=self.tz(),
        )
        (week, _), (month, _) = reports
        summary = render_summary(week, month)
        handoff = context.application.bot_data.get("handoff")
        if handoff is not None and handoff.group is not None:  # tickets to the organisers (issue 15): counts only
            lines = [f"{days} ngày — {(await handoff.stats(days)).line()}" for days in (7, 30)]
            summary += "\n\n" + "\n".join(lines)
        await update.effective_message.reply_text(summary)
        chart = await asyncio.to_thread(render_chart_png, month, 30)
        await update.effective_message.reply_photo(io.BytesIO(chart))

    async def unanswered(self, update: Update, context: Context) -> None:
        """The top unanswered clusters, each with buttons to attach it to its closest entry or dismiss it."""
        message = update.effective_message
        if await self._refuse(update) or message is None:
            return
        await self.s.question_log.flush()
        report, _ = await generate(
            self.s.storage,
            days=30,
            now=dt.datetime.now(dt.UTC),
            answerer=self.h.answerer,
            dismissed=await asyncio.to_thread(load_dismissed, self.learned_path),
            tz=self.tz(),
        )
        if not report.clusters:
            await message.reply_text("Không có câu hỏi chưa trả lời nào trong 30 ngày qua.")
            return
        for cluster in report.clusters[:TOP_CLUSTERS]:
            token = secrets.token_urlsafe(6)
            self._pending[token] = cluster
            lines = [f"{cluster.count} lần: “{cluster.example}”"]
            lines += [f"  · {text}" for text in cluster.texts[1:4]]
            rows = []
            if cluster.closest is not None:
                lines.append(f"Gần nhất: {cluster.closest.question} ({cluster.closest.score:.0f})")
                rows.append(
                    [button(f"➕ Thêm làm cách hỏi của: {cluster.closest.question}", f"{UNANSWERED}:a:{token}")]
                )
            rows.append([button("🗑 Bỏ qua cụm này", f"{UNANSWERED}:d:{token}")])
            await message.reply_text("\n".join(lines), reply_markup=InlineKeyboardMarkup(rows))

    async def export(self, update: Update, context: Context) -> None:
        """The question log of the last 30 days as CSV (UTF-8 with BOM, opens in Excel)."""
        message = update.effective_message
        if await self._refuse(update) or message is None:
            return
        await self.s.question_log.flush()
        report, questions = await generate(
            self.s.storage, days=30, now=dt.datetime.now(dt.UTC), answerer=self.h.answerer, tz=self.tz()
        )
        data = await asyncio.to_thread(render_csv, report, questions)
        await message.reply_document(io.BytesIO(data), filename="tdkt-cau-hoi-30-ngay.csv")

    async def cluster_button(self, update: Update, context: Context) -> None:
        """Attach a cluster as a new phrasing of its closest entry (learned.yaml), or dismiss it."""
        query = update.callback_query
        if query is None or query.data is None:
            return
        if not self.h.is_admin(update.effective_user):
            await query.answer(self.h.answerer.text("not_admin", self.h.lang_of(update.effective_user)))
            raise ApplicationHandlerStop
        _, action, token = query.data.split(":", 2)
        cluster = self._pending.pop(token, None)
        if cluster is None:
            await query.answer("Danh sách đã cũ, hãy gõ lại /chuatraloi.")
            raise ApplicationHandlerStop
        try:
            if action == "a" and cluster.closest is not None:
                await asyncio.to_thread(
                    attach_phrasing,
                    self.learned_path,
                    cluster.closest.entry_id,
                    cluster.example,
                    self.h.answerer.knowledge.entries.keys(),
                )
                await self._reload()
                done = f"Đã thêm “{cluster.example}” vào {cluster.closest.entry_id} (knowledge/learned.yaml)."
            else:
                await asyncio.to_thread(dismiss, self.learned_path, cluster.key)
                done = f"Đã bỏ qua cụm “{cluster.example}”."
        except TdktError as exc:
            done = f"Không thực hiện được: {exc}"
        await query.answer()
        if isinstance(query.message, Message):
            await query.message.edit_text(done)
        raise ApplicationHandlerStop

    async def _reload(self) -> None:
        """Rebuild the answerer so an attached phrasing is matched at once."""
        async with self.s.reload_lock:
            self.s.answerer = await asyncio.to_thread(build_answerer, self.s.config)

    async def purge_job(self, context: Context) -> None:
        """Delete logged questions older than storage.retention_days."""
        cutoff = dt.datetime.now(dt.UTC) - dt.timedelta(days=self.s.config.storage.retention_days)
        removed = await self.s.storage.purge_before(cutoff)
        log.info("retention: removed %d logged questions older than %s", removed, cutoff.date())


def install(app: Application, handlers: Handlers) -> AdminHandlers:
    """Register the admin commands and buttons on `app`."""
    a = AdminHandlers(handlers)
    new_messages = filters.UpdateType.MESSAGE
    app.add_handler(CommandHandler(["thongke", "stats"], a.stats, filters=new_messages), group=-1)
    app.add_handler(CommandHandler(["chuatraloi", "unanswered"], a.unanswered, filters=new_messages), group=-1)
    app.add_handler(CommandHandler(["xuat", "export"], a.export, filters=new_messages), group=-1)
    app.add_handler(CallbackQueryHandler(a.cluster_button, pattern=rf"^{UNANSWERED}:"), group=-1)
    return a


async def schedule(app: Application, admin: AdminHandlers) -> None:
    """Purge old questions now and every day at 03:00 local time."""
    if app.job_queue is None:
        return
    for job in app.job_queue.get_jobs_by_name(PURGE_JOB):
        job.schedule_removal()
    app.job_queue.run_daily(admin.purge_job, dt.time(3, 0, tzinfo=admin.tz()), name=PURGE_JOB)
    app.job_queue.run_once(admin.purge_job, 2.0, name=f"{PURGE_JOB}-start")
