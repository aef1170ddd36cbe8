"""Dispute: a catalogue answer on a lead alone is not given when the message names another entry's circumstance.

A question naming an award and an intent is answered from the catalogue (award × intent), unless it also names a
circumstance of a special-case entry (hợp đồng lao động, bị kỷ luật, cụm khối thi đua …) and does not ask for
documents: the circumstance is then the point (bot.core.circumstances). In a long story the circumstance entry often
fails to outrank the catalogue answer, whose award the story names again and again: "… tôi làm hợp đồng … năm 2016
tôi đạt LĐTT …" ranked the criteria of Lao động tiên tiến first, on a lead of 16 points at a score of 53. An answer
given on such a lead alone (below answer_threshold, bot.core.decision) is then disputed: the message names a
circumstance that is not the catalogue entry's and that the entry's own questions and keywords never speak of
(AgreementRule.other_circumstances), and the question asks for no documents. The reply suggests instead. A clear
match (answer_threshold with its margin) is not disputed; nor is an entry that is not a catalogue answer.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.core.circumstances import DOCUMENT_INTENTS
from bot.core.knowledge import Entry
from bot.core.understanding import Question


def disputed(entry: Entry, question: Question, other_circumstances: Callable[[Question, str], list[str]]) -> bool:
    """Whether the catalogue entry, as a lead-only answer to `question`, is disputed by another circumstance."""
    if not entry.award_id or question.intent in DOCUMENT_INTENTS or entry.intent_id in DOCUMENT_INTENTS:
        return False
    return bool(other_circumstances(question, entry.id))
