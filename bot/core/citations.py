"""Which entries cite which documents, and the register's checks on those citations (run by `check`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from bot.core.documents import END_WARNING_DAYS, HISTORY_MARKER, Citation, Document, Register
from bot.core.knowledge import Knowledge


def citations(knowledge: Knowledge, register: Register) -> Iterator[Citation]:
    """Every citation of the knowledge: each entry's sources, then the base-salary sources of awards.yaml."""
    for entry in knowledge.entries.values():
        where = f"{entry.source_file}: entry '{entry.id}'"
        field = f"sections.{entry.intent_id}.sources" if entry.award_id else "sources"
        for index, source in enumerate(entry.sources):
            yield Citation(where, entry.id, f"{field}[{index}]", register.resolve(source))
    for index, base in enumerate(knowledge.base_salary):
        yield Citation("awards.yaml", None, f"base_salary[{index}].source", register.resolve(base.source))


def check_citations(knowledge: Knowledge, register: Register, today: dt.date) -> tuple[list[str], list[str]]:
    """(problems, warnings): unknown or unmarked repealed documents fail; documents ending soon warn."""
    problems: list[str] = []
    ending: dict[str, list[str]] = {}
    for cite in citations(knowledge, register):
        doc = cite.resolved.document
        if doc is None:
            problems.append(
                f"{cite.where}: field '{cite.field}': cites a document missing from documents.yaml: "
                f"\"{cite.resolved.citation}\""
            )
            continue
        history_field = cite.field.startswith("base_salary")  # a past base salary is history by definition
        if doc.status == "repealed" and not cite.resolved.marked_as_history and not history_field:
            problems.append(
                f"{cite.where}: field '{cite.field}': cites repealed '{doc.short_title}' without marking it as "
                f"history (write \"{HISTORY_MARKER}\" after the document): \"{cite.resolved.citation}\""
            )
        if doc.status != "repealed" and doc.in_force_until is not None and cite.entry_id is not None:
            left = (doc.in_force_until - today).days
            if left <= END_WARNING_DAYS:
                ending.setdefault(doc.id, []).append(cite.entry_id)
    warnings = []
    for doc_id, entry_ids in ending.items():
        doc = register.get(doc_id)
        assert doc is not None and doc.in_force_until is not None
        left = (doc.in_force_until - today).days
        when = "was recorded as ending" if left < 0 else f"is recorded as ending in {left} days"
        count = len(dict.fromkeys(entry_ids))
        warnings.append(
            f"documents.yaml: document '{doc.id}': field 'in_force_until': {doc.short_title} {when} "
            f"({doc.in_force_until.isoformat()}); {count} entries cite it: review them "
            f"(python -m bot check --review {doc.number or doc.id})"
        )
    return problems, warnings


def entries_citing(knowledge: Knowledge, register: Register, documents: Iterable[Document]) -> list[Citation]:
    """Every citation (entry, field, text) of the given documents, in knowledge order."""
    wanted = {d.id for d in documents}
    return [c for c in citations(knowledge, register) if c.resolved.document and c.resolved.document.id in wanted]
