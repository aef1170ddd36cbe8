"""Drafts from organisers' answers: written unserved, listed by check, published once complete."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from bot.core.knowledge import load_knowledge
from bot.review.drafts import DraftError, add_draft, check_drafts, load_drafts, publish, restore, update_draft

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(REPO / "knowledge", target)
    return target


def test_a_draft_is_not_served_until_published(root: Path) -> None:
    drafts = root / "drafts.yaml"
    before = load_knowledge(root)
    draft_id = add_draft(drafts, ticket=7, question="  câu   hỏi mới  ", answer="Trả lời.\n", topic="to-chuc",
                         lang="vi")
    assert draft_id == "can-bo-7"
    assert add_draft(drafts, ticket=7, question="x", answer="y", topic="to-chuc", lang="vi") == draft_id  # kept once
    [draft] = load_drafts(drafts)
    assert draft["status"] == "draft" and draft["questions"] == {"vi": ["câu hỏi mới"]}
    assert draft["sources"] == [] and draft["reviewed"] is None and draft["answer"] == {"vi": "Trả lời."}
    assert draft_id not in load_knowledge(root).entries and set(load_knowledge(root).entries) == set(before.entries)
    assert check_drafts(drafts) == ["drafts.yaml: draft 'can-bo-7': missing sources, reviewed"]

    with pytest.raises(DraftError, match="missing sources, reviewed"):
        publish(root, draft_id, set(before.entries))
    update_draft(drafts, draft_id, source="Luật Thi đua, khen thưởng 06/2022/QH15, Điều 84")
    assert check_drafts(drafts) == ["drafts.yaml: draft 'can-bo-7': missing reviewed"]
    update_draft(drafts, draft_id, reviewed=dt.date(2026, 12, 1))
    assert check_drafts(drafts) == []

    saved, entry = publish(root, draft_id, set(before.entries))
    assert entry.id == draft_id and load_drafts(drafts) == []
    published = yaml.safe_load((root / "faq" / "hoi-dap-can-bo.yaml").read_text(encoding="utf-8"))
    assert [e["id"] for e in published["entries"]] == [draft_id] and "status" not in published["entries"][0]
    assert load_knowledge(root).entries[draft_id].sources == ("Luật Thi đua, khen thưởng 06/2022/QH15, Điều 84",)

    restore(saved)  # the caller's rollback when the reload is refused
    assert not (root / "faq" / "hoi-dap-can-bo.yaml").exists() and [d["id"] for d in load_drafts(drafts)] == [draft_id]


def test_unknown_or_colliding_drafts_are_refused(root: Path) -> None:
    drafts = root / "drafts.yaml"
    with pytest.raises(DraftError, match="no draft"):
        publish(root, "can-bo-1", set())
    add_draft(drafts, ticket=1, question="q", answer="a", topic="to-chuc", lang="en")
    assert load_drafts(drafts)[0]["questions"] == {"vi": ["q"], "en": ["q"]}
    update_draft(drafts, "can-bo-1", source="Điều 1", reviewed=dt.date(2026, 12, 1))
    with pytest.raises(DraftError, match="already exists"):
        publish(root, "can-bo-1", {"can-bo-1"})
    drafts.write_text("entries: nope\n", encoding="utf-8")
    with pytest.raises(DraftError):
        load_drafts(drafts)
