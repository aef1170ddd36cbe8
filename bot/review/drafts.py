"""Drafts of knowledge entries made from organisers' answers (knowledge/drafts.yaml), and their publication.

A draft has the shape of a FAQ entry plus `status: draft` and the ticket it came from, with no sources and no
reviewed date yet. The loader never reads drafts.yaml (only faq/*.yaml is served), so a draft is never answered.
Publishing checks the entry against the FAQ schema (sources and a reviewed date required), appends it to
`faq/hoi-dap-can-bo.yaml` and removes it from the drafts; the caller reloads the knowledge.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from bot.core.errors import TdktError
from bot.core.schema import FaqEntry
from bot.review.atomic import write_text_atomically

DRAFTS_FILE = "drafts.yaml"
PUBLISH_FILE = Path("faq") / "hoi-dap-can-bo.yaml"
DRAFT = "draft"
_DRAFTS_HEADER = (
    "# Drafts made from organisers' answers to tickets (\"Lưu vào kho\"). Never served to users.\n"
    "# To publish one: add `sources` (document + article) and `reviewed` (YYYY-MM-DD), check the answer against\n"
    "# the facts, then /duyet in the organisers' group (or move the entry into a faq/*.yaml file by hand).\n"
)
_PUBLISH_HEADER = (
    "# FAQ: answers organisers gave to users' questions (\"Hỏi cán bộ thi đua\"), reviewed and published\n"
    "# with /duyet from knowledge/drafts.yaml.\n"
)


class DraftError(TdktError):
    """drafts.yaml cannot be read, or a draft cannot be published as it is."""


def drafts_path(knowledge_root: Path) -> Path:
    return knowledge_root / DRAFTS_FILE


def _load(path: Path, key: str = "entries") -> list[dict[str, Any]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except yaml.YAMLError as exc:
        raise DraftError(f"{path.name}: not valid YAML: {str(exc).splitlines()[0]}") from None
    if data is None:
        return []
    if not isinstance(data, dict) or not isinstance(data.get(key) or [], list):
        raise DraftError(f"{path.name}: expected a mapping with a list '{key}'")
    items = data.get(key) or []
    if not all(isinstance(i, dict) for i in items):
        raise DraftError(f"{path.name}: every item of '{key}' must be a mapping")
    return items


def load_drafts(path: Path) -> list[dict[str, Any]]:
    """The drafts in `path` (empty when the file does not exist)."""
    return _load(path)


class _IndentedDumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _dump(path: Path, header: str, entries: list[dict[str, Any]]) -> None:
    text = header + yaml.dump(
        {"entries": entries}, Dumper=_IndentedDumper, allow_unicode=True, sort_keys=False, width=110
    )
    write_text_atomically(path, text)


def draft_id_for(ticket: int) -> str:
    return f"can-bo-{ticket}"


def add_draft(path: Path, *, ticket: int, question: str, answer: str, topic: str, lang: str) -> str:
    """Write a draft for a ticket's answer; return its id (an existing draft of the same ticket is kept)."""
    drafts = load_drafts(path)
    draft_id = draft_id_for(ticket)
    if any(d.get("id") == draft_id for d in drafts):
        return draft_id
    question = " ".join(question.split())
    questions: dict[str, list[str]] = {"vi": [question]}
    if lang == "en":
        questions["en"] = [question]
    drafts.append(
        {
            "id": draft_id,
            "status": DRAFT,
            "ticket": ticket,
            "topic": topic,
            "questions": questions,
            "answer": {"vi": answer.strip()},
            "sources": [],
            "reviewed": None,
        }
    )
    _dump(path, _DRAFTS_HEADER, drafts)
    return draft_id


def missing(draft: dict[str, Any]) -> list[str]:
    """What a draft still lacks before it can be published ("sources", "reviewed")."""
    out = []
    sources = draft.get("sources")
    if not isinstance(sources, list) or not any(isinstance(s, str) and s.strip() for s in sources):
        out.append("sources")
    if not isinstance(draft.get("reviewed"), dt.date):
        out.append("reviewed")
    return out


def check_drafts(path: Path) -> list[str]:
    """One line per draft that cannot be published yet, for `python -m bot check`."""
    lines = []
    for draft in load_drafts(path):
        lacking = missing(draft)
        if lacking:
            lines.append(f"{path.name}: draft '{draft.get('id', '?')}': missing {', '.join(lacking)}")
    return lines


def update_draft(
    path: Path, draft_id: str, *, source: str | None = None, reviewed: dt.date | None = None
) -> dict[str, Any]:
    """Add a source or set the reviewed date of a draft (from /duyet in chat); return the draft."""
    drafts = load_drafts(path)
    draft = next((d for d in drafts if d.get("id") == draft_id), None)
    if draft is None:
        raise DraftError(f"no draft '{draft_id}'")
    if source is not None and source.strip():
        draft["sources"] = [*(draft.get("sources") or []), " ".join(source.split())]
    if reviewed is not None:
        draft["reviewed"] = reviewed
    _dump(path, _DRAFTS_HEADER, drafts)
    return draft


def publish(knowledge_root: Path, draft_id: str, known_ids: set[str]) -> tuple[dict[Path, str | None], FaqEntry]:
    """Move a complete draft into faq/hoi-dap-can-bo.yaml.

    Returns the previous text of both files (None: the file did not exist) so the caller can roll back when the
    reloaded knowledge is refused, and the published entry. Raises DraftError naming what is missing.
    """
    path = drafts_path(knowledge_root)
    target = knowledge_root / PUBLISH_FILE
    drafts = load_drafts(path)
    draft = next((d for d in drafts if d.get("id") == draft_id), None)
    if draft is None:
        raise DraftError(f"no draft '{draft_id}'")
    lacking = missing(draft)
    if lacking:
        raise DraftError(f"draft '{draft_id}' is missing {', '.join(lacking)}")
    entry = {k: v for k, v in draft.items() if k not in {"status", "ticket"}}
    try:
        parsed = FaqEntry.model_validate(entry)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise DraftError(f"draft '{draft_id}': field '{'.'.join(map(str, err['loc']))}': {err['msg']}") from None
    if parsed.id in known_ids:
        raise DraftError(f"an entry '{parsed.id}' already exists in the knowledge")
    before = {p: (p.read_text(encoding="utf-8") if p.exists() else None) for p in (path, target)}
    published = _load(target)
    _dump(target, _PUBLISH_HEADER, [*published, entry])
    _dump(path, _DRAFTS_HEADER, [d for d in drafts if d is not draft])
    return before, parsed


def restore(before: dict[Path, str | None]) -> None:
    """Undo `publish` (the reloaded knowledge was refused)."""
    for path, text in before.items():
        if text is None:
            path.unlink(missing_ok=True)
        else:
            path.write_text(text, encoding="utf-8")
