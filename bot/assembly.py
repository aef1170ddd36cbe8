"""Wiring at the edge: the knowledge, its calendar and the answerer built from the configuration.

The core's answering service never reads the calendar or the configuration; this module hands both down.
"""

from __future__ import annotations

from bot.calendar.deadline_text import answer_deadlines
from bot.calendar.deadlines import calendar_of
from bot.config import Config
from bot.core.answers import Answerer
from bot.core.knowledge import Knowledge, load_knowledge
from bot.core.matcher import MatchSettings


def wire_answerer(knowledge: Knowledge, settings: MatchSettings | None = None, contact: str = "") -> Answerer:
    """An answerer whose `show: deadlines` answers end with the knowledge's calendar.

    Raises KnowledgeError when deadlines.yaml is broken, so a reload keeps the previous version.
    """
    calendar = calendar_of(knowledge)
    return Answerer(knowledge, settings, contact, deadlines_text=answer_deadlines(knowledge, calendar))


def build_answerer(config: Config) -> Answerer:
    """Load the configured knowledge and build its answerer (raises KnowledgeError on a broken file)."""
    knowledge = load_knowledge(config.knowledge.path, config.knowledge.deadlines)
    return wire_answerer(knowledge, config.matching.to_settings(), config.contact)
