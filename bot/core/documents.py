"""The register of legal documents (knowledge/documents.yaml): resolving citations, and the checks on them.

A citation is the text of one `sources` item, e.g. "Nghị định 152/2025/NĐ-CP, Điều 9". Its document part is the
short title or an alias of a register entry it starts with (the longest wins), or failing that the entry whose
number it contains; the rest (", Điều 9") is the pinpoint. Answers' basis lines show the register's short title
followed by the pinpoint, so a document is named the same way everywhere.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from bot.core.errors import KnowledgeError
from bot.core.yaml_text import parse as parse_yaml

Status = Literal["in_force", "amended", "repealed", "unverified"]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

# A citation of a repealed document must say it is history: one of these, anywhere in the citation.
HISTORY_MARKERS = ("hết hiệu lực", "(lịch sử")
HISTORY_MARKER = "(đã hết hiệu lực)"  # the marker to write, e.g. "Nghị định 98/2023/NĐ-CP (đã hết hiệu lực), Điều 51"
END_WARNING_DAYS = 120  # warn when a cited document stops being in force within this many days
# Words that may stand before a document's number without being part of the pinpoint ("Nghị định 98/2023/NĐ-CP").
_KIND_PREFIXES = ("luật", "nghị định", "thông tư", "quyết định", "công văn", "chỉ thị", "thông báo", "hiến pháp")


class DocumentModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=60)]
    number: Text | None = None
    short_title: Text
    kind: Text
    issuer: Text
    signed: dt.date | None = None
    in_force_from: dt.date | None = None
    in_force_until: dt.date | None = None
    replaced_by: Text | None = None
    amended_by: list[Text] = []
    status: Status
    aliases: list[Text] = []
    note: Text | None = None


class DocumentsFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    documents: list[dict[str, object]] = Field(min_length=1)


@dataclass(frozen=True, slots=True)
class Document:
    """One register entry."""

    id: str
    number: str | None
    short_title: str
    kind: str
    issuer: str
    status: str
    signed: dt.date | None = None
    in_force_from: dt.date | None = None
    in_force_until: dt.date | None = None
    replaced_by: str | None = None
    amended_by: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    note: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return (self.short_title, *self.aliases)


@dataclass(frozen=True, slots=True)
class Resolved:
    """A citation split into the document it cites and the pinpoint after the document part."""

    citation: str
    document: Document | None
    pinpoint: str
    keep_whole: bool = False  # an unusual wording around the number: shown as written

    @property
    def display(self) -> str:
        """The citation as a basis line shows it: the register's short title, then the pinpoint."""
        if self.document is None or self.keep_whole:
            return self.citation.strip()
        return self.document.short_title + self.pinpoint

    @property
    def marked_as_history(self) -> bool:
        text = self.citation.casefold()
        return any(marker in text for marker in HISTORY_MARKERS)


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a citation sits: the entry (or other place), its field, and the resolved text."""

    where: str  # "van-ban.yaml: entry 'nd98-het-hieu-luc'"
    entry_id: str | None
    field: str
    resolved: Resolved


def _number_pattern(number: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w/]){re.escape(number)}(?![\w/])", re.IGNORECASE)


@dataclass(frozen=True)
class Register:
    """The validated register, in file order."""

    documents: tuple[Document, ...]
    path: Path | None = None
    # citation → its basis-line text: a pure function of the register, asked for every answer's sources.
    _displayed: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __iter__(self) -> Iterator[Document]:
        return iter(self.documents)

    def __len__(self) -> int:
        return len(self.documents)

    def get(self, document_id: str) -> Document | None:
        return next((d for d in self.documents if d.id == document_id), None)

    def resolve(self, citation: str) -> Resolved:
        """Which document a citation cites, and its pinpoint; `document` is None when none matches."""
        text = citation.strip()
        folded = text.casefold()
        best: tuple[int, Document] | None = None
        for doc in self.documents:
            for name in doc.names:
                if folded.startswith(name.casefold()) and (best is None or len(name) > best[0]):
                    best = (len(name), doc)
        if best is not None:
            return Resolved(citation, best[1], text[best[0] :])
        found: tuple[int, int, Document] | None = None
        for doc in self.documents:
            if not doc.number:
                continue
            match = _number_pattern(doc.number).search(text)
            if match and (found is None or match.start() < found[0]):
                found = (match.start(), match.end(), doc)
        if found is None:
            return Resolved(citation, None, "")
        start, end, doc = found
        prefix = text[:start].strip().casefold()
        return Resolved(citation, doc, text[end:], keep_whole=bool(prefix) and prefix not in _KIND_PREFIXES)

    def display(self, citation: str) -> str:
        """The basis-line text of a citation (as written when it is not in the register)."""
        shown = self._displayed.get(citation)
        if shown is None:
            shown = self._displayed[citation] = self.resolve(citation).display
        return shown

    def find(self, query: str) -> list[Document]:
        """Documents a `--review` argument names: an id, a full or partial number ("152/2025"), or a title."""
        q = query.strip().casefold()
        if not q:
            return []
        exact = [d for d in self.documents if q in {d.id, (d.number or "").casefold(), d.short_title.casefold()}]
        if exact:
            return exact
        out = []
        for doc in self.documents:
            haystacks = [doc.number or "", *doc.names]
            if any(re.search(rf"(?<![\w/]){re.escape(q)}", h.casefold()) for h in haystacks):
                out.append(doc)
        return out


def _read(path: Path) -> Any:
    try:
        return parse_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise KnowledgeError([f"{path.name}: not valid YAML: {str(exc).splitlines()[0]}"]) from exc


def load_documents(path: Path) -> Register:
    """Load and validate documents.yaml; raise KnowledgeError listing every problem."""
    problems: list[str] = []
    try:
        top = DocumentsFile.model_validate(_read(path))
    except ValidationError as exc:
        raise KnowledgeError(
            [f"{path.name}: field '{'.'.join(map(str, e['loc'])) or '(top level)'}': {e['msg']}" for e in exc.errors()]
        ) from exc
    docs: list[Document] = []
    seen_ids: set[str] = set()
    seen_names: dict[str, str] = {}
    for index, raw in enumerate(top.documents, start=1):
        ident = raw.get("id") if isinstance(raw, dict) else None
        where = f"{path.name}: document '{ident}'" if ident else f"{path.name}: document #{index} (no id)"
        try:
            item = DocumentModel.model_validate(raw)
        except ValidationError as exc:
            problems.extend(f"{where}: field '{'.'.join(map(str, e['loc']))}': {e['msg']}" for e in exc.errors())
            continue
        if item.id in seen_ids:
            problems.append(f"{where}: field 'id': duplicate id")
            continue
        seen_ids.add(item.id)
        for name in (item.short_title, *item.aliases, *([item.number] if item.number else [])):
            other = seen_names.setdefault(name.casefold(), item.id)
            if other != item.id:
                problems.append(f"{where}: field 'short_title/aliases/number': {name!r} also names '{other}'")
        if item.status == "repealed" and item.in_force_until is None and item.replaced_by is None:
            problems.append(f"{where}: field 'status': a repealed document needs in_force_until or replaced_by")
        if item.in_force_from and item.in_force_until and item.in_force_until <= item.in_force_from:
            problems.append(f"{where}: field 'in_force_until': not after in_force_from")
        docs.append(
            Document(
                id=item.id,
                number=item.number,
                short_title=item.short_title,
                kind=item.kind,
                issuer=item.issuer,
                status=item.status,
                signed=item.signed,
                in_force_from=item.in_force_from,
                in_force_until=item.in_force_until,
                replaced_by=item.replaced_by,
                amended_by=tuple(item.amended_by),
                aliases=tuple(item.aliases),
                note=item.note,
            )
        )
    if problems:
        raise KnowledgeError(problems)
    return Register(tuple(docs), path)
