"""English replies never send someone to the Vietnamese-only contact without saying it answers in Vietnamese."""

from __future__ import annotations

import copy
import re

import pytest

from bot.config import DEFAULT_CONTACT, DEFAULT_CONTACT_EN, Config, english_contact
from bot.core.answers import Answerer
from bot.core.knowledge import Knowledge

CUSTOM = "Phòng Tổ chức – Hành chính, số máy lẻ 123"


@pytest.fixture
def with_contact(answerer: Answerer):  # type: ignore[no-untyped-def]
    """The shared answerer with other contacts (a shallow copy: the matcher is not rebuilt)."""

    def make(contact: str, contact_en: str = "") -> Answerer:
        made = copy.copy(answerer)
        made.contact, made.contact_en = contact, contact_en
        return made

    return make


def _contact_texts(knowledge: Knowledge) -> list[str]:
    """The names of the bot's own texts whose English wording names the contact."""
    return [name for name, pair in knowledge.texts.items() if "{contact}" in (pair.get("en") or "")]


def test_english_contact_follows_the_config() -> None:
    assert english_contact(Config()) == DEFAULT_CONTACT_EN
    assert english_contact(Config(contact=CUSTOM)) == ""  # a custom contact has no English wording of ours
    assert english_contact(Config(contact=CUSTOM, contact_en=" the international desk ")) == "the international desk"


def test_every_english_text_says_the_shipped_contact_answers_in_vietnamese(knowledge: Knowledge, with_contact) -> None:  # type: ignore[no-untyped-def]
    answerer = with_contact(DEFAULT_CONTACT, DEFAULT_CONTACT_EN)
    names = _contact_texts(knowledge)
    assert {"help", "fallback", "none_chosen", "feedback_negative", "dossier_missing"} <= set(names)
    for name in names:
        english = answerer.text(name, "en")
        assert DEFAULT_CONTACT not in english, name  # before: "contact cán bộ làm công tác thi đua, khen thưởng …"
        assert "who answer in Vietnamese" in english, name
        assert DEFAULT_CONTACT in answerer.text(name, "vi"), name


@pytest.mark.parametrize("name", ["fallback", "help"])
def test_a_custom_contact_is_named_with_a_note_in_english(with_contact, name: str) -> None:  # type: ignore[no-untyped-def]
    answerer = with_contact(CUSTOM)
    assert f"{CUSTOM} (they answer in Vietnamese)" in answerer.text(name, "en")
    vietnamese = answerer.text(name, "vi")
    assert CUSTOM in vietnamese and "Vietnamese" not in vietnamese


def test_an_english_speaking_contact_replaces_it_in_english_only(with_contact) -> None:  # type: ignore[no-untyped-def]
    answerer = with_contact(CUSTOM, "the international cooperation desk (English spoken)")
    english = answerer.text("fallback", "en")
    assert "contact the international cooperation desk (English spoken)." in english and CUSTOM not in english
    assert CUSTOM in answerer.text("fallback", "vi")


def test_an_english_question_on_an_uncovered_award_names_the_english_contact(with_contact) -> None:  # type: ignore[no-untyped-def]
    answerer = with_contact(DEFAULT_CONTACT, DEFAULT_CONTACT_EN)
    reply = answerer.ask("Hero of Labour criteria")
    assert reply.lang == "en" and reply.result.reason == "uncovered-award"
    assert DEFAULT_CONTACT_EN in reply.message and DEFAULT_CONTACT not in reply.message
    fallback = answerer.ask("what is the weather tomorrow")
    assert fallback.lang == "en" and DEFAULT_CONTACT_EN in fallback.message


def test_no_english_text_names_vu_to_chuc_can_bo_without_saying_it_answers_in_vietnamese(knowledge: Knowledge) -> None:
    """Texts that name the Department themselves (not through {contact}) say so too."""
    for name, pair in knowledge.texts.items():
        english = pair.get("en") or ""
        if re.search(r"\bask\b.*Vụ Tổ chức cán bộ", english):
            assert "in Vietnamese" in english, name
