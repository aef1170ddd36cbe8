"""Every keyboard the bot can build over the shipped knowledge is one Telegram accepts: never empty, data ≤ 64 bytes."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.core.answers import Answerer, Suggestion
from bot.telegram import keyboards as kb

REF = "AbCdEf_-"  # the shape of new_ref(): 8 URL-safe characters


def check(markup: InlineKeyboardMarkup | None) -> None:
    if markup is None:
        return
    assert markup.inline_keyboard and all(markup.inline_keyboard), "empty keyboard or row"
    for button in (b for row in markup.inline_keyboard for b in row):
        assert button.text.strip()
        assert len(str(button.callback_data).encode()) <= 64, button.callback_data


def test_every_keyboard_over_the_shipped_knowledge(answerer: Answerer) -> None:
    knowledge = answerer.knowledge
    for lang in ("vi", "en"):
        check(kb.topics_keyboard(answerer, lang))
        check(kb.awards_keyboard(answerer))
        for topic in knowledge.topics:
            for page in range(4):
                check(kb.topic_keyboard(answerer, topic.id, page, lang))
        for award in knowledge.awards:
            check(kb.award_keyboard(answerer, award.id, lang))
        for entry in knowledge.entries.values():
            check(kb.answer_keyboard(answerer, entry, REF, lang))
            check(kb.answer_keyboard(answerer, entry, None, lang))
            check(kb.entry_back_keyboard(answerer, entry, lang))
            suggestion = Suggestion(entry, 70.0, answerer.title(entry, lang))
            check(kb.suggestion_keyboard([suggestion] * 3, REF, "none"))


def test_an_answer_without_feedback_or_related_has_no_keyboard(answerer: Answerer) -> None:
    """InlineKeyboardMarkup([]) is serialised as {}, which Telegram refuses: no keyboard at all instead."""
    lonely = [e for e in answerer.knowledge.entries.values() if not e.related]
    assert lonely
    assert kb.answer_keyboard(answerer, lonely[0], None, "vi") is None
    assert kb.suggestion_keyboard([], REF, None) is None
    assert kb.keyboard_or_none([[], []]) is None
