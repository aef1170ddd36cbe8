"""handoff.* settings: off when chat_id is empty, validated like the other sections."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import load_config
from bot.core.errors import ConfigError


def _load(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return load_config(path, env={})


def test_off_by_default_and_when_empty(tmp_path: Path) -> None:
    assert not load_config(None, env={}).handoff.enabled
    assert _load(tmp_path, "handoff:\n  chat_id:\n").handoff.chat_id is None
    assert _load(tmp_path, "handoff:\n  chat_id: ''\n").handoff.chat_id is None


def test_a_group_turns_it_on(tmp_path: Path) -> None:
    text = "handoff:\n  chat_id: -1001234\n  max_open_per_user: 5\n  remind_after_hours: 24\n"
    handoff = _load(tmp_path, text).handoff
    assert (handoff.enabled, handoff.chat_id, handoff.max_open_per_user, handoff.remind_after_hours) == (
        True, -1001234, 5, 24
    )


@pytest.mark.parametrize("text", ["handoff:\n  max_open_per_user: 0\n", "handoff:\n  remind_after_hours: 0\n",
                                  "handoff:\n  chat_id: abc\n", "handoff:\n  unknown: 1\n"])
def test_bad_values_name_the_key(tmp_path: Path, text: str) -> None:
    with pytest.raises(ConfigError, match="handoff"):
        _load(tmp_path, text)
