"""Content words: the English yes/no ask with a modal and a passive reads as the Vietnamese "có được đề nghị"."""

from __future__ import annotations

import pytest

from bot.core.answers import Answerer
from bot.core.normalize import Normalized


def _folded(answerer: Answerer, text: str) -> list[str]:
    matcher = answerer.matcher
    return matcher.content(matcher.normalize(text), True)[1]


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        ("Could the lab be proposed for the Labour Order?", ["co", "duoc", "de", "nghi"]),
        ("May our small team be nominated for the Government Emulation Flag?", ["co", "duoc", "de", "nghi"]),
        ("Might she be considered for the Labour Order?", ["co", "duoc", "xet"]),
    ],
)
def test_a_modal_yes_no_passive_reads_as_co_duoc(answerer: Answerer, text: str, reading: list[str]) -> None:
    words = _folded(answerer, text)
    assert any(words[i : i + len(reading)] == reading for i in range(len(words)))
    assert "tieu-chuan" in answerer.matcher.awards.intents(words)


@pytest.mark.parametrize(
    "text",
    [
        "Who can be proposed for the Labour Order?",  # asks who: left as it was
        "Where can the dossier be submitted?",
        "We were proposed for the Labour Order last year.",  # no modal: a story, not an ask
        "Can the unit propose him for the Labour Order?",  # active voice: no passive to read
    ],
)
def test_other_frames_are_left_as_they_were(answerer: Answerer, text: str) -> None:
    words = _folded(answerer, text)
    assert "duoc" not in words


def test_vietnamese_text_is_untouched(answerer: Answerer) -> None:
    norm: Normalized = answerer.matcher.normalize("Phòng em có được đề nghị Cờ thi đua của Bộ không?")
    assert answerer.matcher.content(norm)[1] == answerer.matcher.content(norm, True)[1]
    assert "be" not in norm.folded


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        # Read word for word these were "đề nghị X": the dossier's phrasings, or no intent at all (found probing).
        ("Our unit was Excellent Collective twice. Could we be nominated for the Government Emulation Flag?",
         "co-thi-dua-chinh-phu.tieu-chuan"),
        ("Could I be considered for the Labour Order third class now?", "huan-chuong-lao-dong.tieu-chuan"),
        ("Can our institute be proposed for the Ministry's Emulation Flag?", "co-thi-dua-bo.tieu-chuan"),
    ],
)
def test_english_eligibility_asks_get_the_criteria(answerer: Answerer, text: str, entry: str) -> None:
    reply = answerer.ask(text)
    assert reply.entry is not None and reply.entry.id == entry


def test_a_contract_employee_is_the_contract_workers_case(answerer: Answerer) -> None:
    # "employee" alone is "cán bộ": "contract employee" was read as a staff member, and the Ministry's Certificate
    # of Merit's own entry answered (found probing).
    reply = answerer.ask("Could a contract employee of our institute be nominated for the Labour Order?")
    assert reply.entry is not None and reply.entry.id == "hop-dong-lao-dong"
