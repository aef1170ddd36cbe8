"""Which intent a question asks when it names several: the most specific, unless the dossier is asked twice."""

from __future__ import annotations

import pytest

from bot.core.answers import Answerer
from bot.core.records import ANSWER


def _intent(answerer: Answerer, text: str) -> str | None:
    matcher = answerer.matcher
    accented, folded = matcher.content(matcher.normalize(text))
    return matcher.awards.intent(folded, accented)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # Two asks about the dossier: the first is the point.
        ("Thủ tục xin Kỷ niệm chương gồm những gì, gửi ở đâu?", "ho-so"),
        ("Hồ sơ Giấy khen gồm những gì, nộp mấy bộ?", "ho-so"),
        ("Bằng khen Bộ nộp ở đâu, hồ sơ gồm những gì?", "so-bo"),
        # One ask: "hồ sơ" names the subject, the copies are asked.
        ("Hồ sơ Kỷ niệm chương gửi mấy bộ?", "so-bo"),
        ("nộp những gì và nộp mấy bản cho Cờ thi đua", "so-bo"),  # "nộp" alone says nothing of which
        # Other intents keep the priority: the specific one.
        ("Ai ký Giấy khen và được thưởng bao nhiêu tiền?", "tien-thuong"),
    ],
)
def test_the_first_of_two_dossier_asks_is_the_intent(answerer: Answerer, text: str, intent: str) -> None:
    assert _intent(answerer, text) == intent


def test_a_two_ask_dossier_question_gets_the_dossier(answerer: Answerer) -> None:
    # Found probing: answered with the copies' entry (so-bo), for "nộp ở đâu", the second ask.
    reply = answerer.ask("Làm thủ tục đề nghị Bằng khen Bộ thì cần những giấy tờ gồm những gì, nộp ở đâu ạ?")
    assert reply.status == ANSWER and reply.entry is not None
    assert reply.entry.id == "bang-khen-bo.ho-so"
