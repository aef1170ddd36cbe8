"""Inline keyboards and their callback data (at most 64 bytes: short ids only).

Callback data is ``<prefix>:<lang>:<rest>``: the language of the question or command the keyboard came from, so an
answer opened from a button keeps it. Data without the language (sent by an older version) still parses.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.answers import Answerer, EligibilityAnswer, Suggestion
from bot.core.knowledge import Entry

MAX_LABEL = 60  # long button labels get cut by Telegram clients anyway
PAGE_SIZE = 12

# Callback data prefixes; each is followed by ":<lang>" (vi | en), then:
FEEDBACK = "fb"  # fb:<lang>:<ref>:<+1|-1>
PICK = "pk"  # pk:<lang>:<ref>:<entry id | ->
ANSWER = "ans"  # ans:<lang>:<entry id>
NAV = "nav"  # nav:<lang>:top | nav:<lang>:t:<topic>:<page> | nav:<lang>:a:<award> | nav:<lang>:e:<entry id>
DOSSIER = "hs"  # hs:<lang>:<award id>
FORGET = "fg"  # fg:<lang>:yes:<requester id> | fg:<lang>:no:<requester id>
NONE = "-"
LANGS = ("vi", "en")


def data(prefix: str, lang: str, *parts: object) -> str:
    """Callback data ``prefix:lang:part:part…``."""
    return ":".join([prefix, lang if lang in LANGS else "vi", *map(str, parts)])


def parse(callback_data: str) -> tuple[str, str | None, str]:
    """(prefix, language or None when the data predates it, the rest)."""
    prefix, _, rest = callback_data.partition(":")
    head, _, tail = rest.partition(":")
    if head in LANGS:
        return prefix, head, tail
    return prefix, None, rest


def label(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1].rstrip() + "…"


def button(text: str, callback: str) -> InlineKeyboardButton:
    if len(callback.encode()) > 64:
        raise ValueError(f"callback data over 64 bytes: {callback!r}")
    return InlineKeyboardButton(label(text), callback_data=callback)


def keyboard_or_none(rows: Sequence[Sequence[InlineKeyboardButton]]) -> InlineKeyboardMarkup | None:
    """The keyboard, or None when it has no button: Telegram refuses an empty InlineKeyboardMarkup (sent as {})."""
    kept = [list(row) for row in rows if row]
    return InlineKeyboardMarkup(kept) if kept else None


def answer_keyboard(answerer: Answerer, entry: Entry, ref: str | None, lang: str) -> InlineKeyboardMarkup | None:
    """👍/👎 (when the answer is a logged question) and up to three related questions."""
    rows = []
    if ref:
        rows.append([button("👍", data(FEEDBACK, lang, ref, 1)), button("👎", data(FEEDBACK, lang, ref, -1))])
    for related_id in entry.related[:3]:
        related = answerer.knowledge.entries.get(related_id)
        if related is not None:
            rows.append([button(answerer.title(related, lang), data(ANSWER, lang, related.id))])
    return keyboard_or_none(rows)


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
        if not any(parse(str(b.callback_data or ""))[0] == FEEDBACK for b in row)
    ]
    return keyboard_or_none(rows)


def suggestion_keyboard(
    suggestions: Sequence[Suggestion], ref: str, none_label: str | None, lang: str = "vi"
) -> InlineKeyboardMarkup | None:
    rows = [[button(f"{i}. {s.title}", data(PICK, lang, ref, s.entry.id))] for i, s in enumerate(suggestions, 1)]
    if none_label:
        rows.append([button(none_label, data(PICK, lang, ref, NONE))])
    return keyboard_or_none(rows)


def topics_keyboard(answerer: Answerer, lang: str) -> InlineKeyboardMarkup | None:
    rows = []
    for topic in answerer.knowledge.topics:
        title = (topic.title.en if lang == "en" else None) or topic.title.vi
        rows.append([button(title, data(NAV, lang, "t", topic.id, 0))])
    return keyboard_or_none(rows)


def topic_keyboard(answerer: Answerer, topic_id: str, page: int, lang: str) -> InlineKeyboardMarkup:
    """A topic's awards and FAQ questions, a page at a time, with navigation and a back button."""
    knowledge = answerer.knowledge
    items: list[InlineKeyboardButton] = [
        button(award.name, data(NAV, lang, "a", award.id)) for award in knowledge.awards if award.topic == topic_id
    ]
    items += [
        button(answerer.title(entry, lang), data(NAV, lang, "e", entry.id))
        for entry in knowledge.entries.values()
        if entry.topic == topic_id and entry.award_id is None
    ]
    start = page * PAGE_SIZE
    rows = [[b] for b in items[start : start + PAGE_SIZE]]
    pager = []
    if page > 0:
        pager.append(button("‹", data(NAV, lang, "t", topic_id, page - 1)))
    if start + PAGE_SIZE < len(items):
        pager.append(button("›", data(NAV, lang, "t", topic_id, page + 1)))
    if pager:
        rows.append(pager)
    rows.append([button(answerer.text("back", lang), data(NAV, lang, "top"))])
    return InlineKeyboardMarkup(rows)


def award_keyboard(answerer: Answerer, award_id: str, lang: str) -> InlineKeyboardMarkup:
    knowledge = answerer.knowledge
    award = knowledge.award(award_id)
    rows = []
    for intent in knowledge.intents:
        entry = knowledge.entries.get(f"{award_id}.{intent.id}")
        if entry is not None and award is not None:
            title = (intent.title.en if lang == "en" else None) or intent.title.vi
            rows.append([button(title.format(name=award.name, name_en=award.name_en), data(NAV, lang, "e", entry.id))])
    back = data(NAV, lang, "t", award.topic, 0) if award else data(NAV, lang, "top")
    rows.append([button(answerer.text("back", lang), back)])
    return InlineKeyboardMarkup(rows)


def entry_back_keyboard(answerer: Answerer, entry: Entry, lang: str) -> InlineKeyboardMarkup:
    back = data(NAV, lang, "a", entry.award_id) if entry.award_id else data(NAV, lang, "t", entry.topic, 0)
    return InlineKeyboardMarkup([[button(answerer.text("back", lang), back)]])


def awards_keyboard(answerer: Answerer, lang: str = "vi") -> InlineKeyboardMarkup | None:
    return keyboard_or_none(
        [[button(award.name, data(DOSSIER, lang, award.id))] for award in answerer.knowledge.awards]
    )


def forget_keyboard(answerer: Answerer, lang: str, requester: int) -> InlineKeyboardMarkup:
    """Confirm or cancel a "forget me"; the data names the requester, the only one whose press counts."""
    return InlineKeyboardMarkup(
        [
            [
                button(answerer.text("forget_yes", lang), data(FORGET, lang, "yes", requester)),
                button(answerer.text("forget_no", lang), data(FORGET, lang, "no", requester)),
            ]
        ]
    )
