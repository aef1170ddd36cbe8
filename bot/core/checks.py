"""Checks on the knowledge that need the matcher and the renderer (run by `python -m bot check`)."""

from __future__ import annotations

import datetime as dt

from bot.core.answers import Answerer
from bot.core.citations import check_citations
from bot.core.coverage import Coverage, compute
from bot.core.knowledge import Knowledge
from bot.core.normalize import fold, tokenize
from bot.core.render import TELEGRAM_LIMIT, to_html, visible_length

MAX_ANSWER_CHARS = 1500  # answers people read on a phone; longer ones belong in two entries


def check_lengths(answerer: Answerer, today: dt.date) -> list[str]:
    """Answers over the writing limit or over one Telegram message once rendered (deadline lists included)."""
    knowledge = answerer.knowledge
    problems = []
    for entry in knowledge.entries.values():
        where = f"{entry.source_file}: entry '{entry.id}'"
        for lang, text in (("vi", entry.answer_vi), ("en", entry.answer_en)):
            if text is None:
                continue
            if len(text) > MAX_ANSWER_CHARS:
                problems.append(f"{where}: field 'answer.{lang}': {len(text)} characters, over {MAX_ANSWER_CHARS}")
            rendered = visible_length(to_html(answerer.entry_parts(entry, lang, today)))
            if rendered > TELEGRAM_LIMIT:
                problems.append(
                    f"{where}: field 'answer.{lang}': {rendered} characters once rendered, over one Telegram "
                    f"message ({TELEGRAM_LIMIT})"
                )
    return problems


def check_collisions(answerer: Answerer) -> list[str]:
    """Alternate phrasings that the matcher would answer with a different entry.

    Ranking every phrasing takes long: the result is remembered with the compiled index of this knowledge
    version (and the code of bot.core), so a second `check` of the same knowledge reuses it.
    """
    threshold = answerer.matcher.settings.answer_threshold
    return answerer.remembered.lines(f"collisions@{threshold!r}", lambda: _collisions(answerer, threshold))


def _collisions(answerer: Answerer, threshold: float) -> list[str]:
    problems = []
    matcher = answerer.matcher
    for entry in answerer.knowledge.entries.values():
        english = set(entry.phrasings_en)
        for phrasing in dict.fromkeys([*entry.phrasings_vi, *entry.phrasings_en]):
            ranked = matcher.rank(matcher.normalize(phrasing), phrasing in english)
            if not ranked or ranked[0].entry_id == entry.id or ranked[0].score < threshold:
                continue
            own = next((s.score for s in ranked if s.entry_id == entry.id), 0.0)
            if ranked[0].score >= own:  # a tie is a collision too: the other entry may win it
                problems.append(
                    f"{entry.source_file}: entry '{entry.id}': field 'questions': \"{phrasing}\" matches "
                    f"'{ranked[0].entry_id}' ({ranked[0].score:.0f}) above its own entry ({own:.0f})"
                )
    return problems


def check_synonym_keys(knowledge: Knowledge) -> list[str]:
    """One-word `replace` keys that fold like a Vietnamese word the knowledge uses.

    Synonyms match folded words, so an English key "cap" would also rewrite every "cấp" in questions and
    phrasings alike. Multi-word keys are matched as a whole and are not checked.
    """
    marked: dict[str, str] = {}
    for entry in knowledge.entries.values():
        for text in (*entry.phrasings_vi, entry.answer_vi):
            for word in tokenize(text):
                folded = fold(word)
                if folded != word:
                    marked.setdefault(folded, word)
    return [
        f"synonyms.yaml: field 'replace': key {key!r} also matches the Vietnamese word {marked[key]!r}; "
        f"every {marked[key]!r} would become {value!r}"
        for key, value in knowledge.synonyms.items()
        if " " not in key and key in marked
    ]


COVERAGE_FILE = "law-coverage.yaml"


def check_documents(knowledge: Knowledge, today: dt.date) -> tuple[list[str], list[str]]:
    """(problems, warnings) of the citations against documents.yaml (nothing when there is no register)."""
    if knowledge.documents is None:
        return [], []
    return check_citations(knowledge, knowledge.documents, today)


def law_coverage(knowledge: Knowledge) -> Coverage | None:
    """The coverage of the Law, or None when the knowledge has no register or no coverage table."""
    path = knowledge.path / COVERAGE_FILE
    if knowledge.documents is None or not path.exists():
        return None
    return compute(knowledge, knowledge.documents, path)


def check_coverage(knowledge: Knowledge) -> list[str]:
    """Problems of the coverage table: actionable articles no entry covers without a reason, cited unlisted ones."""
    coverage = law_coverage(knowledge)
    return list(coverage.problems) if coverage else []
