"""Wiring at the edge: the knowledge, its calendar and the answerer built from the configuration.

The core's answering service never reads the calendar or the configuration; this module hands both down, with the
compiled index cache (bot.core.index_cache) the configuration names.
"""

from __future__ import annotations

from pathlib import Path

from bot.calendar.deadline_text import answer_deadlines
from bot.calendar.deadlines import calendar_of
from bot.calendar.managed import ManagedLayer, layer_for
from bot.config import Config, english_contact
from bot.core.answers import Answerer
from bot.core.index_cache import IndexCache, Remembered, default_folder
from bot.core.knowledge import Knowledge, knowledge_files, load_knowledge
from bot.core.matcher import MatchSettings
from bot.core.yaml_text import remembered_in


def wire_answerer(
    knowledge: Knowledge,
    settings: MatchSettings | None = None,
    contact: str = "",
    layer: ManagedLayer | None = None,
    cache: IndexCache | None = None,
    contact_en: str = "",
) -> Answerer:
    """An answerer whose `show: deadlines` answers end with the knowledge's calendar and the managed dates.

    With `cache`, the index is loaded from it when this knowledge version was compiled before, else built and
    saved there. Raises KnowledgeError when deadlines.yaml is broken, so a reload keeps the previous version.
    """
    calendar = calendar_of(knowledge)
    deadlines = answer_deadlines(knowledge, calendar, layer)
    files = knowledge_files(knowledge) if cache is not None else None
    if cache is None or files is None:
        return Answerer(knowledge, settings, contact, deadlines_text=deadlines, contact_en=contact_en)
    key = cache.key(files)
    compiled = cache.open(key)
    answerer = Answerer(
        knowledge, settings, contact, deadlines_text=deadlines, compiled=compiled, contact_en=contact_en
    )
    if knowledge_files(knowledge) is not None:  # not edited while the index was built
        cache.save(compiled)
        answerer.remembered = Remembered(cache, compiled)
    return answerer


def index_cache(config: Config) -> IndexCache | None:
    """The configured compiled-index cache, or None when it is turned off (`knowledge.cache: false`, --no-cache)."""
    setting = config.knowledge.cache
    if setting is False:
        return None
    return IndexCache(default_folder() if setting is True or setting is None else Path(setting))



def build_answerer(config: Config) -> Answerer:
    """Load the configured knowledge and build its answerer (raises KnowledgeError on a broken file)."""
    cache = index_cache(config)
    # The parsed YAML is kept beside the compiled index, as the index is (bot.core.yaml_text).
    with remembered_in(cache.folder if cache is not None else None):
        knowledge = load_knowledge(config.knowledge.path, config.knowledge.deadlines)
    layer = layer_for(config.storage.path)
    # First build in this process (the terminal, or the bot before it opens storage); with no database yet there
    # are no managed dates, and the storage layer (aiosqlite, asyncio) is not imported just to say so.
    if not layer.dates and config.storage.path.exists():
        from bot.storage.database import read_managed_dates

        layer.set(read_managed_dates(config.storage.path))
    settings = config.matching.to_settings()
    return wire_answerer(knowledge, settings, config.contact, layer, cache, english_contact(config))
