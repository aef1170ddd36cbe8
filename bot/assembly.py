"""Wiring at the edge: the knowledge, its calendar and the answerer built from the configuration.

The core's answering service never reads the calendar or the configuration; this module hands both down.
"""

from __future__ import annotations

from bot.calendar.deadline_text import answer_deadlines
from bot.calendar.deadlines import calendar_of
from bot.calendar.managed import ManagedLayer, layer_for
from bot.config import Config
from bot.core.answers import Answerer
from bot.core.knowledge import Knowledge, load_knowledge
from bot.core.matcher import MatchSettings
from bot.storage.database import read_managed_dates


def wire_answerer(
    knowledge: Knowledge, settings: MatchSettings | None = None, contact: str = "", layer: ManagedLayer | None = None
) -> Answerer:
    """An answerer whose `show: deadlines` answers end with the knowledge's calendar and the managed dates.

    Raises KnowledgeError when deadlines.yaml is broken, so a reload keeps the previous version.
    """
    calendar = calendar_of(knowledge)
    return Answerer(knowledge, settings, contact, deadlines_text=answer_deadlines(knowledge, calendar, layer))


def build_answerer(config: Config) -> Answerer:
    """Load the configured knowledge and build its answerer (raises KnowledgeError on a broken file)."""
    knowledge = load_knowledge(config.knowledge.path, config.knowledge.deadlines)
    layer = layer_for(config.storage.path)
    if not layer.dates:  # first build in this process (the terminal, or the bot before it opens storage)
        layer.set(read_managed_dates(config.storage.path))
    return wire_answerer(knowledge, config.matching.to_settings(), config.contact, layer)
