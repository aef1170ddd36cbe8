"""Tests for bot/learned.py: attaching wordings to entries and dismissing clusters in learned.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.review.learned import (
    LearnedError,
    attach_phrasing,
    detach_phrasing,
    dismiss,
    load_dismissed,
    load_phrasings,
)

KNOWN = {"ho-chieu", "nghi-huu", "bang-khen.ho-so"}


def _data(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_attach_creates_the_file(tmp_path: Path) -> None:
    path = tmp_path / "learned.yaml"
    assert attach_phrasing(path, "ho-chieu", "  làm hộ chiếu   ở đâu ", KNOWN)
    assert _data(path) == {"phrasings": {"ho-chieu": ["làm hộ chiếu ở đâu"]}}
    assert path.read_text(encoding="utf-8").startswith("#")


def test_attach_keeps_comments_and_other_content(tmp_path: Path) -> None:
    path = tmp_path / "learned.yaml"
    path.write_text(
        "# learned phrasings, reviewed by the TĐKT team\n"
        "phrasings:\n"
        "  nghi-huu:  # added in October\n"
        '    - "tuổi nghỉ hưu"\n'
        "\n"
        "# dismissed out-of-scope wordings\n"
        "dismissed:\n"
        '  - "gia vang"\n',
        encoding="utf-8",
    )
    assert attach_phrasing(path, "nghi-huu", "nghỉ hưu năm bao nhiêu tuổi", KNOWN)
    assert attach_phrasing(path, "ho-chieu", "hộ chiếu công vụ", KNOWN)
    text = path.read_text(encoding="utf-8")
    assert "# learned phrasings, reviewed by the TĐKT team" in text
    assert "# added in October" in text
    assert "# dismissed out-of-scope wordings" in text
    assert _data(path) == {
        "phrasings": {"nghi-huu": ["tuổi nghỉ hưu", "nghỉ hưu năm bao nhiêu tuổi"], "ho-chieu": ["hộ chiếu công vụ"]},
        "dismissed": ["gia vang"],
    }


def test_attach_refuses_duplicates_by_normalised_text(tmp_path: Path) -> None:
    path = tmp_path / "learned.yaml"
    assert attach_phrasing(path, "nghi-huu", "Tuổi nghỉ hưu?", KNOWN)
    before = path.read_text(encoding="utf-8")
    assert not attach_phrasing(path, "nghi-huu", "tuoi nghi huu", KNOWN)
    assert path.read_text(encoding="utf-8") == before
    with pytest.raises(LearnedError, match="already a phrasing of entry 'nghi-huu'"):
        attach_phrasing(path, "ho-chieu", "TUỔI NGHỈ HƯU", KNOWN)


def test_attach_refuses_unknown_entries(tmp_path: Path) -> None:
    path = tmp_path / "learned.yaml"
    with pytest.raises(LearnedError, match="no entry 'khong-co'"):
        attach_phrasing(path, "khong-co", "câu hỏi", KNOWN)
    assert not path.exists()


def test_attach_refuses_empty_text(tmp_path: Path) -> None:
    with pytest.raises(LearnedError, match="empty"):
        attach_phrasing(tmp_path / "learned.yaml", "ho-chieu", " ?! ", KNOWN)


def test_flow_style_file_is_rewritten_correctly(tmp_path: Path) -> None:
    path = tmp_path / "learned.yaml"
    path.write_text('phrasings: {ho-chieu: ["hộ chiếu"], nghi-huu: []}\ndismissed: []\n', encoding="utf-8")
    assert attach_phrasing(path, "nghi-huu", "về hưu", KNOWN)
    assert dismiss(path, "Giá vàng hôm nay?")
    assert _data(path) == {
        "phrasings": {"ho-chieu": ["hộ chiếu"], "nghi-huu": ["về hưu"]},
        "dismissed": ["gia vang hom nay"],
    }


def test_bad_file_is_reported_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "learned.yaml"
    path.write_text("phrasings: [oops]\n", encoding="utf-8")
    with pytest.raises(LearnedError, match="field 'phrasings'"):
        attach_phrasing(path, "ho-chieu", "hộ chiếu", KNOWN)
    assert path.read_text(encoding="utf-8") == "phrasings: [oops]\n"
    path.write_text("phrasings: {a: [\n", encoding="utf-8")
    with pytest.raises(LearnedError, match="not valid YAML"):
        load_dismissed(path)


def test_dismiss_stores_normalised_text_once(tmp_path: Path) -> None:
    path = tmp_path / "learned.yaml"
    assert load_dismissed(path) == set()
    assert dismiss(path, "Giá vàng hôm nay?")
    assert not dismiss(path, "gia vang hom nay")
    assert dismiss(path, "thời tiết Hà Nội")
    assert load_dismissed(path) == {"gia vang hom nay", "thoi tiet ha noi"}
    assert _data(path)["dismissed"] == ["gia vang hom nay", "thoi tiet ha noi"]


def test_dismiss_follows_unindented_lists(tmp_path: Path) -> None:
    path = tmp_path / "learned.yaml"
    path.write_text("# keep me\ndismissed:\n- gia vang\nphrasings:\n  ho-chieu:\n  - hộ chiếu\n", encoding="utf-8")
    assert dismiss(path, "xổ số")
    assert attach_phrasing(path, "ho-chieu", "làm hộ chiếu", KNOWN)
    assert path.read_text(encoding="utf-8").startswith("# keep me\n")
    assert _data(path) == {"dismissed": ["gia vang", "xo so"], "phrasings": {"ho-chieu": ["hộ chiếu", "làm hộ chiếu"]}}


def test_writes_are_atomic_and_leave_no_temp_files(tmp_path: Path) -> None:
    path = tmp_path / "learned.yaml"
    for n in range(5):
        attach_phrasing(path, "ho-chieu", f"hộ chiếu số {n}", KNOWN)
    assert [p.name for p in tmp_path.iterdir()] == ["learned.yaml"]
    assert len(_data(path)["phrasings"]["ho-chieu"]) == 5


def test_written_file_loads_in_the_knowledge_loader(tmp_path: Path) -> None:
    from bot.core.knowledge import _load_learned

    path = tmp_path / "learned.yaml"
    attach_phrasing(path, "ho-chieu", "làm hộ chiếu ở đâu", KNOWN)
    dismiss(path, "giá vàng")
    problems: list[str] = []
    by_id = dict.fromkeys(KNOWN, object())
    assert _load_learned(path, by_id, problems) == {"ho-chieu": ("làm hộ chiếu ở đâu",)}  # type: ignore[arg-type]
    assert problems == []


def test_detach_undoes_an_attachment_and_keeps_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "learned.yaml"
    path.write_text('# reviewed\nphrasings:\n  nghi-huu:  # October\n    - "tuổi nghỉ hưu"\n', encoding="utf-8")
    attach_phrasing(path, "nghi-huu", "nghỉ hưu mấy tuổi", KNOWN)
    attach_phrasing(path, "ho-chieu", "làm hộ chiếu", KNOWN)
    assert load_phrasings(path) == [("nghi-huu", "tuổi nghỉ hưu"), ("nghi-huu", "nghỉ hưu mấy tuổi"),
                                    ("ho-chieu", "làm hộ chiếu")]
    assert detach_phrasing(path, "nghi-huu", "nghỉ hưu mấy tuổi")
    assert detach_phrasing(path, "ho-chieu", "làm hộ chiếu")
    assert _data(path) == {"phrasings": {"nghi-huu": ["tuổi nghỉ hưu"]}}
    assert "# October" in path.read_text(encoding="utf-8")
    assert not detach_phrasing(path, "ho-chieu", "làm hộ chiếu")
    assert load_phrasings(tmp_path / "missing.yaml") == []
