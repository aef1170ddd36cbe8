"""Organiser tools in chat (admins only): /thongke, /chuatraloi, /xuat, and the daily retention purge."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import logging
import secrets
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from telegram import CallbackQuery, Chat, InlineKeyboardMarkup, Message, Update
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    filters,
)

from bot.core.errors import TdktError
from bot.telegram.handlers import Handlers
from bot.telegram.keyboards import button

if TYPE_CHECKING:
    from bot.review.reports import Cluster

# bot.review (the reports, learned.yaml) is imported by the commands that use it, not before the bot polls.

log = logging.getLogger(__name__)
Context = ContextTypes.DEFAULT_TYPE

# ua:a:<token>:<n> attach to candidate n | ua:p:<token> pick any entry: the topics | ua:t:<token>:<topic>:<page> a
# topic's entries | ua:e:<token>:<entry id> attach to that entry | ua:b:<token> back to the candidates |
# ua:d:<token> dismiss | ua:u:<token> undo an attachment
UNANSWERED = "ua"
TOP_CLUSTERS = 5
MAX_CANDIDATES = 5
RECENT_ATTACHMENTS = 5
ENTRIES_PAGE = 8


@dataclass
class Pending:
    """A cluster shown to an admin with the entries it may be attached to: (entry id, question, score)."""

    cluster: Cluster
    candidates: list[tuple[str, str, float]]
PURGE_JOB = "retention-purge"


def _report_render() -> ModuleType:
    """bot.review.report_render, imported on first use: it loads matplotlib (about 0.4 s), which the bot does not
    need before polling; callers import it in a worker thread so the event loop keeps answering."""
    from bot.review import report_render

    return report_render


class AdminHandlers:
    """Admin-only commands; everyone else gets the polite refusal and nothing else."""

    def __init__(self, handlers: Handlers) -> None:
        self.h = handlers
        self.s = handlers.s
        self._pending: dict[str, Pending] = {}  # short callback token → cluster shown to an admin
        self._undo: dict[str, tuple[str, str]] = {}  # short callback token → (entry id, attached text)
        self._recent: list[tuple[str, str]] = []  # attachments made since start, latest last

    @property
    def learned_path(self) -> Path:
        return self.s.config.knowledge.path / "learned.yaml"

    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.s.config.reminders.timezone)

    async def _refuse(self, update: Update) -> bool:
        """Refuse non-admins, and admins outside their private chat with the bot (the reports quote other people's
        questions); tell whether the command was refused."""
        message, chat = update.effective_message, update.effective_chat
        admin = self.h.is_admin(update.effective_user)
        if admin and chat is not None and chat.type == Chat.PRIVATE:
            return False
        if message is not None:
            lang = self.h.lang_of(update)
            await message.reply_text(self.h.answerer.text("admin_private_only" if admin else "not_admin", lang))
        return True

    async def stats(self, update: Update, context: Context) -> None:
        """A short summary of the last 7 and 30 days, and a chart."""
        from bot.review.learned import load_dismissed
        from bot.review.reports import generate_many

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
        render = await asyncio.to_thread(_report_render)
        summary = render.render_summary(week, month)
        handoff = context.application.bot_data.get("handoff")
        if handoff is not None and handoff.group is not None:  # tickets to the organisers (issue 15): counts only
            lines = [f"{days} ngày — {(await handoff.stats(days)).line()}" for days in (7, 30)]
            summary += "\n\n" + "\n".join(lines)
        await update.effective_message.reply_text(summary)
        chart = await asyncio.to_thread(render.render_chart_png, month, 30)
        await update.effective_message.reply_photo(io.BytesIO(chart))

    async def unanswered(self, update: Update, context: Context) -> None:
        """Recent attachments with ↩, then the top unanswered clusters, each with its best candidate entries (the
        matcher's own suggestions first, none below the suggestion threshold), "another entry" and "dismiss"."""
        from bot.review.learned import load_dismissed
        from bot.review.reports import generate

        message = update.effective_message
        if await self._refuse(update) or message is None:
            return
        await self.s.question_log.flush()
        recent = await asyncio.to_thread(self._recent_attachments)
        if recent:
            rows = []
            for entry_id, text in recent:
                token = secrets.token_urlsafe(6)
                self._undo[token] = (entry_id, text)
                rows.append([button(f"↩ “{text}” → {self._question(entry_id)}", f"{UNANSWERED}:u:{token}")])
            await message.reply_text("Mới gắn gần đây (bấm ↩ để hoàn tác):", reply_markup=InlineKeyboardMarkup(rows))
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
            pending = self._pending[token] = Pending(cluster, self._candidates(cluster.example))
            text, markup = self._cluster_view(token, pending)
            await message.reply_text(text, reply_markup=markup)

    def _question(self, entry_id: str) -> str:
        entry = self.h.answerer.knowledge.entries.get(entry_id)
        return entry.question_vi if entry else entry_id

    def _recent_attachments(self) -> list[tuple[str, str]]:
        """The latest attachments still in learned.yaml: this session's first, then the file's last ones."""
        from bot.review.learned import load_phrasings

        on_file = load_phrasings(self.learned_path)
        ordered = [a for a in reversed(self._recent) if a in on_file]
        ordered += [a for a in reversed(on_file) if a not in ordered]
        return ordered[:RECENT_ATTACHMENTS]

    def _candidates(self, text: str) -> list[tuple[str, str, float]]:
        """Up to MAX_CANDIDATES entries: the matcher's suggestions (or answer) first, then its ranking, none below
        the suggestion threshold."""
        answerer = self.h.answerer
        floor = self.s.config.matching.suggest_threshold
        reply = answerer.ask(text)
        found: dict[str, float] = {}
        if reply.entry is not None and reply.score >= floor:
            found[reply.entry.id] = reply.score
        for suggestion in reply.suggestions:
            found.setdefault(suggestion.entry.id, suggestion.score)
        for scored in answerer.matcher.rank(answerer.matcher.normalize(text)):
            if len(found) >= MAX_CANDIDATES or scored.score < floor:
                break
            found.setdefault(scored.entry_id, scored.score)
        return [
            (entry_id, self._question(entry_id), score)
            for entry_id, score in list(found.items())[:MAX_CANDIDATES]
            if score >= floor and entry_id in answerer.knowledge.entries
        ]

    def _cluster_view(self, token: str, pending: Pending) -> tuple[str, InlineKeyboardMarkup]:
        cluster = pending.cluster
        lines = [f"{cluster.count} lần: “{cluster.example}”"]
        lines += [f"  · {text}" for text in cluster.texts[1:4]]
        rows = []
        if pending.candidates:
            lines.append("Gắn làm cách hỏi của mục nào? (điểm khớp)")
            for n, (_, question, score) in enumerate(pending.candidates, 1):
                lines.append(f"{n}. {question} ({score:.0f})")
                rows.append([button(f"➕ {n}. {question}", f"{UNANSWERED}:a:{token}:{n}")])
        else:
            floor = self.s.config.matching.suggest_threshold
            lines.append(f"Không có mục nào khớp từ {floor:.0f} điểm: chọn mục khác, hoặc bấm 🗑 nếu ngoài phạm vi.")
        rows.append([button("🔎 Chọn mục khác", f"{UNANSWERED}:p:{token}")])
        rows.append([button("🗑 Bỏ qua cụm này", f"{UNANSWERED}:d:{token}")])
        return "\n".join(lines), InlineKeyboardMarkup(rows)

    def _topics_view(self, token: str, pending: Pending) -> tuple[str, InlineKeyboardMarkup]:
        knowledge = self.h.answerer.knowledge
        rows = [[button(t.title.vi, f"{UNANSWERED}:t:{token}:{t.id}:0")] for t in knowledge.topics]
        rows.append([button("« Quay lại", f"{UNANSWERED}:b:{token}")])
        return f"“{pending.cluster.example}”: chọn chủ đề của mục cần gắn:", InlineKeyboardMarkup(rows)

    def _entries_view(self, token: str, pending: Pending, topic_id: str, page: int) -> tuple[str, InlineKeyboardMarkup]:
        knowledge = self.h.answerer.knowledge
        entries = [e for e in knowledge.entries.values() if e.topic == topic_id]
        page = max(0, min(page, (len(entries) - 1) // ENTRIES_PAGE)) if entries else 0
        shown = entries[page * ENTRIES_PAGE : (page + 1) * ENTRIES_PAGE]
        rows = [[button(e.question_vi, f"{UNANSWERED}:e:{token}:{e.id}")] for e in shown]
        pager = []
        if page > 0:
            pager.append(button("‹", f"{UNANSWERED}:t:{token}:{topic_id}:{page - 1}"))
        if (page + 1) * ENTRIES_PAGE < len(entries):
            pager.append(button("›", f"{UNANSWERED}:t:{token}:{topic_id}:{page + 1}"))
        if pager:
            rows.append(pager)
        rows.append([button("« Chủ đề", f"{UNANSWERED}:p:{token}")])
        return f"“{pending.cluster.example}”: chọn mục cần gắn:", InlineKeyboardMarkup(rows)

    async def export(self, update: Update, context: Context) -> None:
        """The question log of the last 30 days as CSV (UTF-8 with BOM, opens in Excel)."""
        from bot.review.reports import generate

        message = update.effective_message
        if await self._refuse(update) or message is None:
            return
        await self.s.question_log.flush()
        report, questions = await generate(
            self.s.storage, days=30, now=dt.datetime.now(dt.UTC), answerer=self.h.answerer, tz=self.tz()
        )
        render = await asyncio.to_thread(_report_render)
        data = await asyncio.to_thread(render.render_csv, report, questions)
        await message.reply_document(io.BytesIO(data), filename="tdkt-cau-hoi-30-ngay.csv")

    async def cluster_button(self, update: Update, context: Context) -> None:
        """Attach a cluster to a candidate or any entry (learned.yaml), browse entries, dismiss, or undo."""
        from bot.review.learned import attach_phrasing, dismiss

        query = update.callback_query
        if query is None or query.data is None:
            return
        if not self.h.is_admin(update.effective_user):
            await query.answer(self.h.answerer.text("not_admin", self.h.lang_of(update)))
            raise ApplicationHandlerStop
        parts = query.data.split(":")
        action, token, args = (parts[1], parts[2], parts[3:]) if len(parts) >= 3 else ("", "", [])
        message = query.message if isinstance(query.message, Message) else None
        if action == "u":
            await self._undo_button(query, message, token)
            raise ApplicationHandlerStop
        pending = self._pending.get(token)
        if pending is None or message is None:
            await query.answer("Danh sách đã cũ, hãy gõ lại /chuatraloi.")
            raise ApplicationHandlerStop
        if action in ("p", "t", "b"):
            await query.answer()
            if action == "p":
                text, markup = self._topics_view(token, pending)
            elif action == "t" and len(args) == 2 and args[1].isdigit():
                text, markup = self._entries_view(token, pending, args[0], int(args[1]))
            else:
                text, markup = self._cluster_view(token, pending)
            await self.h._edit(message, text, markup, html_mode=False)
            raise ApplicationHandlerStop
        entry_id = None
        if action == "a" and args and args[0].isdigit() and 1 <= int(args[0]) <= len(pending.candidates):
            entry_id = pending.candidates[int(args[0]) - 1][0]
        elif action == "e" and args and args[0] in self.h.answerer.knowledge.entries:
            entry_id = args[0]
        elif action != "d":
            await query.answer("Nút không hợp lệ, hãy gõ lại /chuatraloi.")
            raise ApplicationHandlerStop
        self._pending.pop(token, None)  # before any await: a double tap acts once
        await query.answer()
        undo_markup: InlineKeyboardMarkup | None = None
        cluster = pending.cluster
        try:
            if entry_id is not None:
                await asyncio.to_thread(
                    attach_phrasing, self.learned_path, entry_id, cluster.example,
                    self.h.answerer.knowledge.entries.keys(),
                )
                await self._reload()
                self._recent.append((entry_id, cluster.example))
                undo = secrets.token_urlsafe(6)
                self._undo[undo] = (entry_id, cluster.example)
                done = (
                    f"Đã thêm “{cluster.example}” làm cách hỏi của “{self._question(entry_id)}” ({entry_id}, "
                    "knowledge/learned.yaml)."
                )
                undo_markup = InlineKeyboardMarkup([[button("↩ Hoàn tác", f"{UNANSWERED}:u:{undo}")]])
            else:
                await asyncio.to_thread(dismiss, self.learned_path, cluster.key)
                done = f"Đã bỏ qua cụm “{cluster.example}”."
        except TdktError as exc:
            done = f"Không thực hiện được: {exc}"
        await self.h._edit(message, done, undo_markup, html_mode=False)
        raise ApplicationHandlerStop

    async def _undo_button(self, query: CallbackQuery, message: Message | None, token: str) -> None:
        from bot.review.learned import detach_phrasing

        attachment = self._undo.pop(token, None)
        if attachment is None:
            await query.answer("Danh sách đã cũ, hãy gõ lại /chuatraloi.")
            return
        await query.answer()
        entry_id, text = attachment
        try:
            removed = await asyncio.to_thread(detach_phrasing, self.learned_path, entry_id, text)
            if removed:
                await self._reload()
            self._recent = [a for a in self._recent if a != attachment]
            done = (
                f"Đã hoàn tác: “{text}” không còn là cách hỏi của “{self._question(entry_id)}”." if removed
                else f"“{text}” đã không còn trong knowledge/learned.yaml."
            )
        except TdktError as exc:
            done = f"Không thực hiện được: {exc}"
        if message is not None:
            await self.h._edit(message, done, None, html_mode=False)

    async def _reload(self) -> None:
        """Rebuild the answerer so an attached phrasing is matched at once."""
        await self.h.rebuild()

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
