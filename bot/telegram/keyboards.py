"""Inline keyboards and their callback data (at most 64 bytes: short ids only)."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.answers import Answerer, EligibilityAnswer, Suggestion
from bot.core.knowledge import Entry

MAX_LABEL = 60  # long button labels get cut by Telegram clients anyway
PAGE_SIZE = 12

# Callback data prefixes
FEEDBACK = "fb"  # fb:<ref>:<+1|-1>
PICK = "pk"  # pk:<ref>:<entry id | ->
ANSWER = "ans"  # ans:<entry id>
NAV = "nav"  # nav:top | nav:t:<topic>:<page> | nav:a:<award> | nav:e:<entry id>
DOSSIER = "hs"  # hs:<award id>
FORGET = "fg"  # fg:yes | fg:no
NONE = "-"


def label(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1].rstrip() + "…"


def button(text: str, data: str) -> InlineKeyboardButton:
    if len(data.encode()) > 64:
        raise ValueError(f"callback data over 64 bytes: {data!r}")
    return InlineKeyboardButton(label(text), callback_data=data)


def answer_keyboard(answerer: Answerer, entry: Entry, ref: str | None, lang: str) -> InlineKeyboardMarkup:
    """👍/👎 (when the answer is a logged question) and up to three related questions."""
    rows = []
    if ref:
        rows.append([button("👍", f"{FEEDBACK}:{ref}:1"), button("👎", f"{FEEDBACK}:{ref}:-1")])
    for related_id in entry.related[:3]:
        related = answerer.knowledge.entries.get(related_id)
        if related is not None:
            rows.append([button(answerer.title(related, lang), f"{ANSWER}:{related.id}")])
    return InlineKeyboardMarkup(rows)


def eligibility_keyboard(
    answerer: Answerer, eligibility: EligibilityAnswer, ref: str | None, lang: str, guided: str | None = None
) -> InlineKeyboardMarkup:
    """👍/👎, "Kiểm tra từng điều kiện" (the guided check, when some condition is unknown) and the dossier."""
    rows = []
    if ref:
        rows.append([button("👍", f"{FEEDBACK}:{ref}:1"), button("👎", f"{FEEDBACK}:{ref}:-1")])
    if guided:
        rows.append([button("Check each condition" if lang == "en" else "Kiểm tra từng điều kiện", f"el:go:{guided}")])
    if eligibility.dossier is not None:
        rows.append([button(answerer.title(eligibility.dossier, lang), f"{ANSWER}:{eligibility.dossier.id}")])
    return InlineKeyboardMarkup(rows)


def without_feedback(markup: InlineKeyboardMarkup | None) -> InlineKeyboardMarkup | None:
    """The same keyboard minus the 👍/👎 row, once feedback is given."""
    if markup is None:
        return None
    rows = [
        row
        for row in markup.inline_keyboard
        if not any(str(b.callback_data or "").startswith(f"{FEEDBACK}:") for b in row)
    ]
    return InlineKeyboardMarkup(rows) if rows else None


def suggestion_keyboard(suggestions: Sequence[Suggestion], ref: str, none_label: str | None) -> InlineKeyboardMarkup:
    rows = [[button(f"{i}. {s.title}", f"{PICK}:{ref}:{s.entry.id}")] for i, s in enumerate(suggestions, 1)]
    if none_label:
        rows.append([button(none_label, f"{PICK}:{ref}:{NONE}")])
    return InlineKeyboardMarkup(rows)


def topics_keyboard(answerer: Answerer, lang: str) -> InlineKeyboardMarkup:
    rows = []
    for topic in answerer.knowledge.topics:
        title = (topic.title.en if lang == "en" else None) or topic.title.vi
        rows.append([button(title, f"{NAV}:t:{topic.id}:0")])
    return InlineKeyboardMarkup(rows)


def topic_keyboard(answerer: Answerer, topic_id: str, page: int, lang: str) -> InlineKeyboardMarkup:
    """A topic's awards and FAQ questions, a page at a time, with navigation and a back button."""
    knowledge = answerer.knowledge
    items: list[InlineKeyboardButton] = [
        button(award.name, f"{NAV}:a:{award.id}") for award in knowledge.awards if award.topic == topic_id
    ]
    items += [
        button(answerer.title(entry, lang), f"{NAV}:e:{entry.id}")
        for entry in knowledge.entries.values()
        if entry.topic == topic_id and entry.award_id is None
    ]
    start = page * PAGE_SIZE
    rows = [[b] for b in items[start : start + PAGE_SIZE]]
    pager = []
    if page > 0:
        pager.append(button("‹", f"{NAV}:t:{topic_id}:{page - 1}"))
    if start + PAGE_SIZE < len(items):
        pager.append(button("›", f"{NAV}:t:{topic_id}:{page + 1}"))
    if pager:
        rows.append(pager)
    rows.append([button(answerer.text("back", lang), f"{NAV}:top")])
    return InlineKeyboardMarkup(rows)


def award_keyboard(answerer: Answerer, award_id: str, lang: str) -> InlineKeyboardMarkup:
    knowledge = answerer.knowledge
    award = knowledge.award(award_id)
    rows = []
    for intent in knowledge.intents:
        entry = knowledge.entries.get(f"{award_id}.{intent.id}")
        if entry is not None and award is not None:
            title = (intent.title.en if lang == "en" else None) or intent.title.vi
            rows.append([button(title.format(name=award.name, name_en=award.name_en), f"{NAV}:e:{entry.id}")])
    topic = award.topic if award else "top"
    rows.append([button(answerer.text("back", lang), f"{NAV}:t:{topic}:0")])
    return InlineKeyboardMarkup(rows)


def entry_back_keyboard(answerer: Answerer, entry: Entry, lang: str) -> InlineKeyboardMarkup:
    back = f"{NAV}:a:{entry.award_id}" if entry.award_id else f"{NAV}:t:{entry.topic}:0"
    return InlineKeyboardMarkup([[button(answerer.text("back", lang), back)]])


def awards_keyboard(answerer: Answerer) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[button(award.name, f"{DOSSIER}:{award.id}")] for award in answerer.knowledge.awards])


def forget_keyboard(answerer: Answerer, lang: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                button(answerer.text("forget_yes", lang), f"{FORGET}:yes"),
                button(answerer.text("forget_no", lang), f"{FORGET}:no"),
            ]
        ]
    )
