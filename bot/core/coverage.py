"""Coverage of the Law (knowledge/law-coverage.yaml): which entries cite each article, and what no entry covers.

The table lists every article with a short title, whether the title was read (`checked`), whether a person can act
on it (`actionable`) and, for an article no entry covers, the reason. Which entries cite an article is computed
here from the entries' sources through the document register, never typed in the table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from bot.core.citations import citations
from bot.core.documents import Register
from bot.core.errors import KnowledgeError
from bot.core.yaml_text import parse as parse_yaml

if TYPE_CHECKING:
    from bot.core.knowledge import Knowledge

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
_ARTICLE = re.compile(r"Điều\s+(\d+)(?:\s*[-–]\s*(\d+))?", re.IGNORECASE)
_CHAPTER = re.compile(r"Chương\s+([IVXLC]+)\b")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ChapterRow(_Strict):
    chapter: Text
    title: Text
    articles: tuple[int, int]
    checked: bool


class ArticleRow(_Strict):
    article: int = Field(ge=1)
    chapter: Text | None = None
    title: Text
    checked: bool
    actionable: bool = True
    reason: Text | None = None
    source: Text | None = None


class LawPart(_Strict):
    document: Text
    chapters: list[ChapterRow] = []
    articles: list[ArticleRow] = Field(min_length=1)


class DecreePart(_Strict):
    document: Text
    chapters_read: bool = False
    chapters: list[ChapterRow] = []
    articles: list[ArticleRow] = []


class CoverageFile(_Strict):
    law: LawPart
    decree: DecreePart | None = None


@dataclass(frozen=True, slots=True)
class ArticleCoverage:
    """One article and the entries whose sources cite it (directly, or through its chapter)."""

    document: str  # the register's short title
    article: int
    title: str
    checked: bool
    actionable: bool
    reason: str | None
    entries: tuple[str, ...] = ()

    @property
    def covered(self) -> bool:
        return bool(self.entries)


@dataclass(frozen=True)
class Coverage:
    articles: tuple[ArticleCoverage, ...]
    problems: tuple[str, ...] = field(default=())

    def uncovered(self) -> list[ArticleCoverage]:
        return [a for a in self.articles if not a.covered]


def load_table(path: Path) -> CoverageFile:
    try:
        data = parse_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise KnowledgeError([f"{path.name}: cannot read the file: {str(exc).splitlines()[0]}"]) from exc
    try:
        return CoverageFile.model_validate(data)
    except ValidationError as exc:
        raise KnowledgeError(
            [f"{path.name}: field '{'.'.join(map(str, e['loc'])) or '(top level)'}': {e['msg']}" for e in exc.errors()]
        ) from exc


def _cited_articles(pinpoint: str, chapters: dict[str, tuple[int, int]]) -> set[int]:
    found: set[int] = set()
    for match in _ARTICLE.finditer(pinpoint):
        first = int(match.group(1))
        last = int(match.group(2)) if match.group(2) else first
        found.update(range(first, max(first, last) + 1))
    for match in _CHAPTER.finditer(pinpoint):
        span = chapters.get(match.group(1))
        if span:
            found.update(range(span[0], span[1] + 1))
    return found


def _part(
    knowledge: Knowledge, register: Register, document: str, chapters: list[ChapterRow], rows: Iterable[ArticleRow]
) -> tuple[list[ArticleCoverage], list[str]]:
    problems: list[str] = []
    docs = register.find(document)
    if len(docs) != 1:
        return [], [f"law-coverage.yaml: field 'document': {document!r} is not one document of documents.yaml"]
    doc = docs[0]
    spans = {c.chapter: (c.articles[0], c.articles[1]) for c in chapters}
    citing: dict[int, list[str]] = {}
    for cite in citations(knowledge, register):
        if cite.entry_id is None or cite.resolved.document is None or cite.resolved.document.id != doc.id:
            continue
        for number in _cited_articles(cite.resolved.pinpoint, spans):
            citing.setdefault(number, [])
            if cite.entry_id not in citing[number]:
                citing[number].append(cite.entry_id)
    out = [
        ArticleCoverage(
            doc.short_title, r.article, r.title, r.checked, r.actionable, r.reason, tuple(citing.get(r.article, ()))
        )
        for r in rows
    ]
    listed = {r.article for r in out}
    for number in sorted(set(citing) - listed):
        problems.append(
            f"law-coverage.yaml: {doc.short_title}: Điều {number} is cited by {', '.join(citing[number])} "
            "but has no row in the table"
        )
    return out, problems


def compute(knowledge: Knowledge, register: Register, path: Path) -> Coverage:
    """Which entries cite each article of the table, plus the table's own problems."""
    table = load_table(path)
    problems: list[str] = []
    numbers = [r.article for r in table.law.articles]
    if len(set(numbers)) != len(numbers):
        problems.append("law-coverage.yaml: field 'law.articles': an article is listed twice")
    law, found = _part(knowledge, register, table.law.document, table.law.chapters, table.law.articles)
    problems.extend(found)
    law_title = law[0].document if law else None
    articles = list(law)
    if table.decree is not None:
        decree, found = _part(
            knowledge, register, table.decree.document, table.decree.chapters, table.decree.articles
        )
        articles.extend(decree)
        problems.extend(p for p in found if "has no row" not in p)  # the decree table lists known articles only
    for item in articles:
        if item.actionable and not item.covered and not item.reason and item.document == law_title:
            problems.append(
                f"law-coverage.yaml: {item.document}, Điều {item.article} ({item.title}): actionable, cited by no "
                "entry and no reason given"
            )
    return Coverage(tuple(articles), tuple(problems))


def coverage_lines(coverage: Coverage) -> list[str]:
    """What `check --coverage` prints: every article no entry covers, with its reason."""
    lines = []
    current = None
    for item in coverage.uncovered():
        if item.document != current:
            current = item.document
            total = sum(1 for a in coverage.articles if a.document == current)
            missing = sum(1 for a in coverage.uncovered() if a.document == current)
            lines.append(f"{current}: {missing} of {total} listed articles covered by no entry")
        flags = [] if item.checked else ["title not checked"]
        if not item.actionable:
            flags.append("not actionable")
        note = f" [{', '.join(flags)}]" if flags else ""
        reason = f": {item.reason}" if item.reason else ""
        lines.append(f"  Điều {item.article}. {item.title}{note}{reason}")
    return lines
