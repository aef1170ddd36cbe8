"""Parsed YAML kept as JSON (bot.core.yaml_text.remembered_in) gives back the very values YAML gives."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from bot.config import BUNDLED_KNOWLEDGE
from bot.core import yaml_text
from bot.core.yaml_text import parse, remembered_in


def same(a: Any, b: Any) -> bool:
    """Equal, and of the same type at every level (a date is not a datetime, True is not 1)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def test_every_knowledge_file_reads_back_the_same(tmp_path: Path) -> None:
    files = sorted(BUNDLED_KNOWLEDGE.rglob("*.yaml"))
    assert len(files) > 20
    dates = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        plain = parse(text)
        with remembered_in(tmp_path):
            first = parse(text)  # parsed and written
            again = parse(text)  # read back from the JSON
        assert same(plain, first) and same(plain, again), path.name
        dates += repr(plain).count("datetime.date(")
    assert dates > 100  # the reviewed dates: read back as dates
    assert len(list(tmp_path.glob("*.yaml.json"))) == len({p.read_text(encoding="utf-8") for p in files})


def test_read_back_without_parsing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "a: 1\nb: [x, 2.5, true, null, 2025-01-31]\nc: {d: 'e'}\n"
    with remembered_in(tmp_path):
        parse(text)
    monkeypatch.setattr(yaml_text.yaml, "load", lambda *a, **k: pytest.fail("parsed again"))
    with remembered_in(tmp_path):
        got = parse(text)
    assert same(got, {"a": 1, "b": ["x", 2.5, True, None, dt.date(2025, 1, 31)], "c": {"d": "e"}})


@pytest.mark.parametrize(
    "text",
    [
        "when: 2025-01-31 10:00:00\n",  # a datetime
        "1: one\n",  # a key that is no string
        "$date: 2025-01-31\n",  # our own tag as data
        "x: .inf\n",
        "s: !!set {a, b}\n",
    ],
)
def test_what_json_cannot_hold_exactly_is_parsed_every_time(tmp_path: Path, text: str) -> None:
    plain = parse(text)
    with remembered_in(tmp_path):
        got = parse(text)
    assert list(tmp_path.glob("*.yaml.json")) == []
    assert same(plain, got)


def test_a_damaged_or_foreign_file_is_parsed_again(tmp_path: Path) -> None:
    text = "a: [1, 2]\n"
    with remembered_in(tmp_path):
        parse(text)
    (saved,) = tmp_path.glob("*.yaml.json")
    for damage in ('{"format": 1, "key": "other", "data": {"a": 9}}', '{"format": 1', "", "[]"):
        saved.write_text(damage, encoding="utf-8")
        with remembered_in(tmp_path):
            assert same(parse(text), {"a": [1, 2]})


def test_an_unwritable_folder_is_no_error(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("", encoding="utf-8")
    with remembered_in(blocked / "cache"):  # a folder under a file cannot be made
        assert parse("a: 1\n") == {"a": 1}


def test_outside_the_block_nothing_is_kept(tmp_path: Path) -> None:
    with remembered_in(tmp_path):
        pass
    parse("a: 1\n")
    assert list(tmp_path.iterdir()) == []
