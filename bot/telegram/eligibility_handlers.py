"""/dudieukien (/eligibility): the guided eligibility check as a ConversationHandler.

Choose the award, answer the few button questions it needs (bot.core.eligibility_guide), get the same verdict as
the free-text check. `/huy` (`/cancel`) stops it; it times out after CONVERSATION_TIMEOUT seconds. Works in private
chats and, addressed (`/dudieukien@bot`), in groups: the conversation belongs to one user in one chat. The button
"Kiểm tra từng điều kiện" under a free-text verdict with unknowns opens it with what was understood filled in.
"""

from __future__ import annotations

import datetime as dt
import html
import warnings
from typing import Any

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    TypeHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.core.eligibility import Record, evaluate
from bot.core.eligibility_guide import next_question, question_text, questions
from bot.core.eligibility_render import eligibility_text, to_html
from bot.telegram import keyboards as kb
from bot.telegram.handlers import Handlers

Context = ContextTypes.DEFAULT_TYPE
CONVERSATION_TIMEOUT = 600  # seconds
ASKING = 1
KEY = "eligibility_guide"


def _t(lang: str, vi: str, en: str) -> str:
    return en if lang == "en" else vi


class EligibilityGuide:
    def __init__(self, handlers: Handlers) -> None:
        self.h = handlers

    @property
    def criteria(self) -> Any:
        return self.h.answerer.knowledge.criteria

    def today(self) -> dt.date:
        return self.h.today()

    # -- entry points ------------------------------------------------------------------------------------------

    async def start(self, update: Update, context: Context) -> int:
        message = update.effective_message
        if message is None or self.criteria is None:
            return ConversationHandler.END
        lang = self.h.lang_of(update.effective_user)
        state = {"lang": lang, "award": None, "record": Record(current_year=self.today().year), "asked": ()}
        context.user_data[KEY] = state  # type: ignore[index]
        await message.reply_text(
            _t(lang, "Kiểm tra điều kiện: bạn muốn xét khen thưởng nào?", "Eligibility check: which award?")
            + "\n"
            + _t(lang, "(gõ /huy để dừng)", "(type /cancel to stop)"),
            reply_markup=self._award_keyboard(lang),
        )
        return ASKING

    async def from_verdict(self, update: Update, context: Context) -> int:
        """The "Kiểm tra từng điều kiện" button under a free-text verdict."""
        query = update.callback_query
        assert query is not None and query.data is not None
        await query.answer()
        ref = query.data.split(":", 2)[2]
        lang = self.h.lang_of(update.effective_user)
        prefill = self.h.eligibility_prefill.get(ref)
        record = prefill[1] if prefill else Record(current_year=self.today().year)
        state = {"lang": lang, "award": prefill[0] if prefill else None, "record": record, "asked": ()}
        context.user_data[KEY] = state  # type: ignore[index]
        message = query.message if isinstance(query.message, Message) else None
        if message is None:
            raise ApplicationHandlerStop(ConversationHandler.END)
        if state["award"] is None:
            await message.reply_text(
                _t(lang, "Bạn muốn xét khen thưởng nào?", "Which award?"), reply_markup=self._award_keyboard(lang)
            )
            raise ApplicationHandlerStop(ASKING)
        sent = await message.reply_text(_t(lang, "Kiểm tra từng điều kiện…", "Checking each condition…"))
        raise ApplicationHandlerStop(await self._ask_next(sent, state, edit=True))

    # -- in the conversation -----------------------------------------------------------------------------------

    async def button(self, update: Update, context: Context) -> int:
        query = update.callback_query
        assert query is not None and query.data is not None
        state = context.user_data.get(KEY) if context.user_data is not None else None
        message = query.message if isinstance(query.message, Message) else None
        await query.answer()
        if state is None or message is None:
            raise ApplicationHandlerStop(ConversationHandler.END)
        parts = query.data.split(":")
        if parts[1] == "a" and len(parts) == 3 and parts[2] in self.criteria.awards:
            state["award"] = parts[2]
        elif parts[1] == "v" and len(parts) == 4 and state["award"] is not None:
            qid, value = parts[2], parts[3]
            question = questions(state["record"].current_year).get(qid)
            if question is not None and qid not in state["asked"]:
                state["record"] = question.apply(state["record"], value)
                state["asked"] = (*state["asked"], qid)
                state.setdefault("answers", []).append((qid, value))
        raise ApplicationHandlerStop(await self._ask_next(message, state, edit=True))

    async def cancel(self, update: Update, context: Context) -> int:
        if context.user_data is not None:
            context.user_data.pop(KEY, None)
        lang = self.h.lang_of(update.effective_user)
        if update.effective_message:
            await update.effective_message.reply_text(
                _t(lang, "Đã dừng kiểm tra điều kiện.", "Eligibility check stopped.")
            )
        return ConversationHandler.END

    async def timeout(self, update: Update, context: Context) -> None:
        lang = self.h.lang_of(update.effective_user)
        chat = update.effective_chat
        if context.user_data is not None:
            context.user_data.pop(KEY, None)
        if chat is not None:
            await context.bot.send_message(
                chat.id,
                _t(
                    lang,
                    "Đã hết thời gian kiểm tra điều kiện; gõ /dudieukien để làm lại.",
                    "The eligibility check timed out; type /eligibility to start again.",
                ),
            )

    # -- helpers -----------------------------------------------------------------------------------------------

    def _award_keyboard(self, lang: str) -> InlineKeyboardMarkup:
        rows = [[kb.button(a.name(lang), f"el:a:{a.id}")] for a in self.criteria.awards.values()]
        return InlineKeyboardMarkup(rows)

    async def _ask_next(self, message: Message, state: dict[str, Any], edit: bool) -> int:
        lang, record = state["lang"], state["record"]
        award = self.criteria.awards.get(state["award"]) if state["award"] else None
        if award is None:
            return ASKING
        question = next_question(award.id, record, state["asked"])
        if question is not None:
            done = len(state["asked"])
            head = f"<b>{html.escape(award.name(lang))}</b> · {done + 1}\n"
            text = head + html.escape(question_text(question, record, lang))
            rows = [
                [kb.button(label_for(question, v, lang), f"el:v:{question.id}:{v}")] for v, _, _ in question.options
            ]
            markup = InlineKeyboardMarkup(rows)
            if edit:
                await message.edit_text(text, parse_mode="HTML", reply_markup=markup)
            else:
                await message.reply_text(text, parse_mode="HTML", reply_markup=markup)
            return ASKING
        verdict = evaluate(record, award, self.criteria, lang)
        qs = questions(record.current_year)
        told = [
            f"{question_text(qs[qid], record, lang).rstrip('?')}: {qs[qid].label(value, lang)}"
            for qid, value in state.get("answers", [])
        ]
        understood = "; ".join(told) or _t(lang, "(theo những gì bạn đã kể)", "(from what you told me)")
        dossier = self.h.answerer.knowledge.entries.get(award.dossier) if award.dossier else None
        title = self.h.answerer.title(dossier, lang) if dossier else None
        text = to_html(eligibility_text(verdict, understood, title), lang)
        rows = [[kb.button(title, f"{kb.ANSWER}:{dossier.id}")]] if dossier and title else []
        await message.edit_text(text, parse_mode="HTML", reply_markup=InlineKeyboardMarkup(rows) if rows else None)
        state.clear()
        return ConversationHandler.END


def label_for(question: Any, value: str, lang: str) -> str:
    return question.label(value, lang)


def install(app: Application, handlers: Handlers) -> EligibilityGuide:
    """Register /dudieukien (/eligibility) and its buttons on `app` (before the general handlers)."""
    g = EligibilityGuide(handlers)
    new_messages = filters.UpdateType.MESSAGE
    with warnings.catch_warnings():  # per_message=False is intended: the first step is a command, not a button
        warnings.filterwarnings("ignore", message=".*per_message.*", category=PTBUserWarning)
        conversation = _conversation(g, new_messages)
    app.add_handler(conversation, group=-1)
    return g


def _conversation(g: EligibilityGuide, new_messages: Any) -> ConversationHandler:
    return ConversationHandler(
        entry_points=[
            CommandHandler(["dudieukien", "eligibility"], g.start, filters=new_messages),
            CallbackQueryHandler(g.from_verdict, pattern=r"^el:go:"),
            # The step buttons too: the state lives in user_data (set before a question is sent), so a press that
            # arrives before the conversation has recorded its new state (concurrent updates) is still understood.
            CallbackQueryHandler(g.button, pattern=r"^el:(a|v):"),
        ],
        states={
            ASKING: [CallbackQueryHandler(g.button, pattern=r"^el:(a|v):")],
            ConversationHandler.TIMEOUT: [TypeHandler(Update, g.timeout)],
        },
        fallbacks=[
            CommandHandler(["huy", "cancel"], g.cancel, filters=new_messages),
            CommandHandler(["dudieukien", "eligibility"], g.start, filters=new_messages),
        ],
        conversation_timeout=CONVERSATION_TIMEOUT,
        allow_reentry=True,
        name="eligibility",
    )
