"""Organiser edits of knowledge/learned.yaml: attach a user's wording to an entry, or dismiss a cluster."""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from pathlib import Path
from typing import Any

import yaml

from bot.core.errors import TdktError
from bot.review.atomic import write_text_atomically
from bot.review.reports import text_key

PHRASINGS = "phrasings"
DISMISSED = "dismissed"
_HEADER = (
    "# Wordings organisers attached from the question log (phrasings: {entry id: [question, ...]})\n"
    "# and normalised wordings of unanswered clusters they dismissed (dismissed: [text, ...]).\n"
)
_TOP_KEY = re.compile(r"^(?P<key>[^\s#:][^:#]*):\s*(#.*)?$")


class LearnedError(TdktError):
    """learned.yaml cannot be read or the requested change is not allowed."""


def _quoted(text: str) -> str:
    """A double-quoted YAML scalar on one line (a JSON string is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _clean(text: str) -> str:
    return " ".join(text.split())


def _read(path: Path) -> tuple[str, dict[str, Any]]:
    """The file's text and its validated content (empty when the file does not exist)."""
    try:
        source = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return "", {}
    try:
        data = yaml.safe_load(source)
    except yaml.YAMLError as exc:
        raise LearnedError(f"{path}: not valid YAML: {str(exc).splitlines()[0]}") from None
    data = {} if data is None else data
    if not isinstance(data, dict):
        raise LearnedError(f"{path}: expected a mapping with '{PHRASINGS}' and '{DISMISSED}'")
    phrasings = data.get(PHRASINGS) or {}
    if not isinstance(phrasings, dict) or not all(
        isinstance(v, list) and all(isinstance(i, str) for i in v) for v in phrasings.values()
    ):
        raise LearnedError(f"{path}: field '{PHRASINGS}': expected a mapping of entry id to a list of questions")
    dismissed = data.get(DISMISSED) or []
    if not isinstance(dismissed, list) or not all(isinstance(i, str) for i in dismissed):
        raise LearnedError(f"{path}: field '{DISMISSED}': expected a list of texts")
    return source, data


def _block(lines: list[str], key: str) -> tuple[int, int] | None:
    """Line range [start, end) of a top-level block `key:` written in block style, or None."""
    start = next((i for i, line in enumerate(lines) if (m := _TOP_KEY.match(line)) and m["key"] == key), None)
    if start is None:
        return None
    end = start + 1
    last = start + 1  # stop after the block's last content line, so trailing comments stay with the next key
    while end < len(lines) and (not lines[end].strip() or lines[end][0] in " \t#-"):
        if lines[end].strip() and not lines[end].lstrip().startswith("#"):
            last = end + 1
        end += 1
    return start, last


def _insert_phrasing(source: str, entry_id: str, text: str, exists: bool) -> str:
    lines = source.splitlines()
    item = f"    - {_quoted(text)}"
    block = _block(lines, PHRASINGS)
    if block is None:
        tail = [f"{PHRASINGS}:", f"  {entry_id}:", item]
        return "\n".join([*lines, *tail]) + "\n"
    start, end = block
    head = re.compile(rf"^  {re.escape(entry_id)}:\s*(#.*)?$")
    at = next((i for i in range(start + 1, end) if head.match(lines[i])), None)
    if at is None and exists:  # written in a form the editor does not know (`id: []`): leave it to the dump
        return source
    if at is None:
        lines[end:end] = [f"  {entry_id}:", item]
    else:
        stop = at + 1
        while stop < end and (lines[stop].startswith(("   ", "  -")) or not lines[stop].strip()):
            stop += 1
        while stop > at + 1 and not lines[stop - 1].strip():
            stop -= 1
        items = [line for line in lines[at + 1 : stop] if line.lstrip().startswith("-")]
        indent = items[0][: len(items[0]) - len(items[0].lstrip())] if items else "    "
        lines[stop:stop] = [f"{indent}- {_quoted(text)}"]
    return "\n".join(lines) + "\n"


def _insert_dismissed(source: str, key: str) -> str:
    lines = source.splitlines()
    block = _block(lines, DISMISSED)
    if block is None:
        return "\n".join([*lines, f"{DISMISSED}:", f"  - {_quoted(key)}"]) + "\n"
    start, end = block
    # Follow the indentation of the items already there ("- x" or "  - x").
    indent = next(
        (line[: len(line) - len(line.lstrip())] for line in lines[start + 1 : end] if line.lstrip()[:1] == "-"), "  "
    )
    lines[end:end] = [f"{indent}- {_quoted(key)}"]
    return "\n".join(lines) + "\n"


class _IndentedDumper(yaml.SafeDumper):
    """Indents lists under their key ("  - x"), the layout the line editor above writes."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _write(path: Path, source: str, edited: str, expected: dict[str, Any]) -> None:
    """Write `edited` if it parses to `expected`, else a fresh dump (comments lost); atomically."""
    try:
        ok = yaml.safe_load(edited) == expected
    except yaml.YAMLError:
        ok = False
    if not ok:  # a layout the line editor does not understand (flow style, other indentation)
        dumped = yaml.dump(expected, Dumper=_IndentedDumper, allow_unicode=True, sort_keys=False, width=1000)
        edited = (_HEADER if not source else "") + dumped
    write_text_atomically(path, edited)


def attach_phrasing(path: Path, entry_id: str, text: str, known_ids: Collection[str]) -> bool:
    """Add `text` as a phrasing of `entry_id`; False when the entry already has it (same normalised text)."""
    if entry_id not in known_ids:
        raise LearnedError(f"no entry '{entry_id}' in the knowledge; check the id (e.g. with `tdkt-bot check`)")
    text = _clean(text)
    key = text_key(text)
    if not key:
        raise LearnedError("the phrasing is empty once punctuation is removed")
    source, data = _read(path)
    phrasings: dict[str, list[str]] = data.get(PHRASINGS) or {}
    for other, items in phrasings.items():
        if any(text_key(i) == key for i in items):
            if other == entry_id:
                return False
            raise LearnedError(f"'{text}' is already a phrasing of entry '{other}' in {path.name}")
    expected = {**data, PHRASINGS: {**phrasings, entry_id: [*phrasings.get(entry_id, []), text]}}
    _write(path, source, _insert_phrasing(source or _HEADER, entry_id, text, entry_id in phrasings), expected)
    return True


def dismiss(path: Path, text: str) -> bool:
    """Record a cluster's wording as dismissed so reports hide it; False when it already is."""
    key = text_key(text)
    if not key:
        raise LearnedError("the text is empty once punctuation is removed")
    source, data = _read(path)
    dismissed: list[str] = data.get(DISMISSED) or []
    if key in {text_key(d) for d in dismissed}:
        return False
    expected = {**data, DISMISSED: [*dismissed, key]}
    _write(path, source, _insert_dismissed(source or _HEADER, key), expected)
    return True


def load_dismissed(path: Path) -> set[str]:
    """Normalised wordings of dismissed clusters (empty when the file does not exist)."""
    _, data = _read(path)
    return {text_key(d) for d in data.get(DISMISSED) or []}


def load_phrasings(path: Path) -> list[tuple[str, str]]:
    """Every attached wording as (entry id, text), in file order (the latest attachment of an entry last)."""
    _, data = _read(path)
    return [(entry_id, text) for entry_id, items in (data.get(PHRASINGS) or {}).items() for text in items]


def detach_phrasing(path: Path, entry_id: str, text: str) -> bool:
    """Undo an attachment: remove `text` from the phrasings of `entry_id`; False when it is not there."""
    source, data = _read(path)
    phrasings: dict[str, list[str]] = data.get(PHRASINGS) or {}
    items = phrasings.get(entry_id, [])
    key = text_key(text)
    kept = [i for i in items if text_key(i) != key]
    if len(kept) == len(items):
        return False
    left = {k: (kept if k == entry_id else v) for k, v in phrasings.items() if k != entry_id or kept}
    expected = {**data, PHRASINGS: left}
    lines = source.splitlines()
    removed = [i for i in items if text_key(i) == key]
    edited = [line for line in lines if line.strip() not in {f"- {_quoted(r)}" for r in removed}]
    if not kept:
        edited = [line for line in edited if not re.match(rf"^  {re.escape(entry_id)}:\s*(#.*)?$", line)]
    _write(path, source, "\n".join(edited) + "\n", expected)
    return True
