"""The register of legal documents: resolving citations, the checks of `check`, basis lines and `check --review`."""

from __future__ import annotations

import copy
import datetime as dt
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import MINI_FAQ, SHIPPED_KNOWLEDGE, write_yaml

from bot.core.checks import check_documents
from bot.core.documents import END_WARNING_DAYS, load_documents
from bot.core.errors import KnowledgeError
from bot.core.knowledge import Knowledge, load_knowledge
from bot.core.render import answer_parts

REPO = SHIPPED_KNOWLEDGE.parent
TODAY = dt.date(2026, 12, 3)


def register(*, nd152_until: str | None = None, extra: list[dict[str, object]] | None = None) -> dict[str, object]:
    """A small documents.yaml covering the mini knowledge's citations, except "Hướng dẫn của Bộ"."""
    nd152: dict[str, object] = {
        "id": "nd-152-2025",
        "number": "152/2025/NĐ-CP",
        "short_title": "Nghị định 152/2025/NĐ-CP",
        "kind": "Nghị định",
        "issuer": "Chính phủ",
        "in_force_from": "2025-07-01",
        "status": "in_force",
        "aliases": ["NĐ 152/2025"],
    }
    if nd152_until:
        nd152["in_force_until"] = nd152_until
    docs: list[dict[str, object]] = [
        nd152,
        {
            "id": "nd-98-2023",
            "number": "98/2023/NĐ-CP",
            "short_title": "Nghị định 98/2023/NĐ-CP",
            "kind": "Nghị định",
            "issuer": "Chính phủ",
            "in_force_until": "2025-07-01",
            "replaced_by": "152/2025/NĐ-CP",
            "status": "repealed",
        },
        {
            "id": "nd-73-2024",
            "number": "73/2024/NĐ-CP",
            "short_title": "Nghị định 73/2024/NĐ-CP",
            "kind": "Nghị định",
            "issuer": "Chính phủ",
            "in_force_until": "2026-07-01",
            "status": "repealed",
        },
        {
            "id": "nd-161-2026",
            "number": "161/2026/NĐ-CP",
            "short_title": "Nghị định 161/2026/NĐ-CP",
            "kind": "Nghị định",
            "issuer": "Chính phủ",
            "status": "in_force",
        },
    ]
    return {"documents": docs + (extra or [])}


GUIDANCE = {
    "id": "huong-dan-bo",
    "number": None,
    "short_title": "Hướng dẫn của Bộ",
    "kind": "Hướng dẫn",
    "issuer": "Bộ KH&CN",
    "status": "in_force",
}


def faq_with(sources: dict[str, list[str]]) -> dict[str, object]:
    data = copy.deepcopy(MINI_FAQ)
    for item in data["entries"]:  # type: ignore[index]
        if item["id"] in sources:
            item["sources"] = sources[item["id"]]
    return data


def build(mini_knowledge: Callable[..., Path], documents: dict[str, object], **files: object) -> Knowledge:
    root = mini_knowledge(**files)
    write_yaml(root / "documents.yaml", documents)
    return load_knowledge(root)


# -- check: missing and repealed documents ----------------------------------------------------------------------


def test_a_citation_missing_from_the_register_fails_naming_entry_field_and_citation(
    mini_knowledge: Callable[..., Path],
) -> None:
    problems, _ = check_documents(build(mini_knowledge, register()), TODAY)
    assert problems == [
        "main.yaml: entry 'thoi-han-nop': field 'sources[0]': cites a document missing from documents.yaml: "
        '"Hướng dẫn của Bộ"'
    ]
    problems, _ = check_documents(build(mini_knowledge, register(extra=[GUIDANCE])), TODAY)
    assert problems == []


def test_a_repealed_document_cited_without_a_history_marker_fails(mini_knowledge: Callable[..., Path]) -> None:
    faq = faq_with({"quy-khen-thuong": ["Nghị định 98/2023/NĐ-CP, Điều 51"]})
    problems, _ = check_documents(build(mini_knowledge, register(extra=[GUIDANCE]), faq=faq), TODAY)
    assert len(problems) == 1
    assert problems[0].startswith(
        "main.yaml: entry 'quy-khen-thuong': field 'sources[0]': cites repealed 'Nghị định 98/2023/NĐ-CP' "
        "without marking it as history"
    )
    assert '"Nghị định 98/2023/NĐ-CP, Điều 51"' in problems[0]


@pytest.mark.parametrize(
    "citation",
    ["Nghị định 98/2023/NĐ-CP (đã hết hiệu lực), Điều 51", "Nghị định 98/2023/NĐ-CP (lịch sử), Điều 51"],
)
def test_a_marked_repealed_citation_passes(mini_knowledge: Callable[..., Path], citation: str) -> None:
    faq = faq_with({"quy-khen-thuong": [citation]})
    problems, _ = check_documents(build(mini_knowledge, register(extra=[GUIDANCE]), faq=faq), TODAY)
    assert problems == []


def test_a_past_base_salary_source_is_history_by_itself(mini_knowledge: Callable[..., Path]) -> None:
    """awards.yaml's base_salary cites the repealed NĐ 73/2024 for the old amount: that is not a problem."""
    knowledge = build(mini_knowledge, register(extra=[GUIDANCE]))
    assert knowledge.base_salary[0].source.startswith("Nghị định 73/2024")
    assert check_documents(knowledge, TODAY) == ([], [])


# -- check: end dates ---------------------------------------------------------------------------------------------


def test_a_cited_document_ending_within_120_days_warns(mini_knowledge: Callable[..., Path]) -> None:
    soon = (TODAY + dt.timedelta(days=END_WARNING_DAYS - 32)).isoformat()
    problems, warnings = check_documents(build(mini_knowledge, register(nd152_until=soon, extra=[GUIDANCE])), TODAY)
    assert problems == []
    assert len(warnings) == 1
    assert "document 'nd-152-2025'" in warnings[0] and "in 88 days" in warnings[0]
    assert "check --review 152/2025/NĐ-CP" in warnings[0]


def test_a_document_ending_later_does_not_warn(mini_knowledge: Callable[..., Path]) -> None:
    later = (TODAY + dt.timedelta(days=END_WARNING_DAYS + 1)).isoformat()
    _, warnings = check_documents(build(mini_knowledge, register(nd152_until=later, extra=[GUIDANCE])), TODAY)
    assert warnings == []


def test_the_shipped_register_resolves_every_citation_and_warns_for_nd_152(knowledge: Knowledge) -> None:
    problems, warnings = check_documents(knowledge, TODAY)
    assert problems == []
    assert any("Nghị định 152/2025/NĐ-CP" in w and "2027-03-01" in w for w in warnings)


# -- the register itself --------------------------------------------------------------------------------------------


def test_resolving_prefers_the_longest_name_and_keeps_the_pinpoint(knowledge: Knowledge) -> None:
    register = knowledge.documents
    assert register is not None
    resolved = register.resolve("Quyết định 637/QĐ-BNV năm 2025, mục thời hạn giải quyết")
    assert resolved.document is not None and resolved.document.id == "qd-637-qd-bnv-2025"
    assert resolved.display == "Quyết định 637/QĐ-BNV năm 2025 của Bộ Nội vụ, mục thời hạn giải quyết"
    assert register.resolve("Nghị định 98/2023/NĐ-CP (đã hết hiệu lực), Điều 51").marked_as_history
    assert register.resolve("Một văn bản không có trong sổ").document is None


def test_a_broken_register_lists_its_problems(tmp_path: Path) -> None:
    data = register()
    data["documents"].append({"id": "nd-98-2023", "short_title": "X", "kind": "Luật", "issuer": "Y", "status": "x"})  # type: ignore[union-attr]
    path = write_yaml(tmp_path / "documents.yaml", data)
    with pytest.raises(KnowledgeError) as info:
        load_documents(path)
    assert any("document 'nd-98-2023': field 'status'" in p for p in info.value.problems)


def test_repealed_without_end_or_successor_is_rejected(tmp_path: Path) -> None:
    data = register(extra=[{"id": "cu", "short_title": "Thông tư cũ", "kind": "Thông tư", "issuer": "Bộ",
                            "status": "repealed"}])
    with pytest.raises(KnowledgeError) as info:
        load_documents(write_yaml(tmp_path / "documents.yaml", data))
    assert info.value.problems == [
        "documents.yaml: document 'cu': field 'status': a repealed document needs in_force_until or replaced_by"
    ]


# -- basis lines ------------------------------------------------------------------------------------------------


def test_basis_lines_name_the_document_as_the_register_does(mini_knowledge: Callable[..., Path]) -> None:
    faq = faq_with({"quy-khen-thuong": ["NĐ 152/2025, Điều 66"]})
    knowledge = build(mini_knowledge, register(extra=[GUIDANCE]), faq=faq)
    parts = answer_parts(knowledge, knowledge.entries["quy-khen-thuong"], "vi", TODAY)
    assert parts.legal_basis == "Căn cứ: Nghị định 152/2025/NĐ-CP, Điều 66"


# -- check --review ---------------------------------------------------------------------------------------------


def _cli(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TDKT_")}
    env["PYTHONPATH"] = str(REPO)
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("query", ["152/2025", "Nghị định 152/2025/NĐ-CP", "nd-152-2025"])
def test_check_review_lists_every_entry_citing_the_document(
    mini_knowledge: Callable[..., Path], tmp_path: Path, query: str
) -> None:
    root = mini_knowledge()
    write_yaml(root / "documents.yaml", register(extra=[GUIDANCE]))
    config = write_yaml(tmp_path / "cfg" / "bot.yaml", {"knowledge": {"path": str(root)}})
    result = _cli(["--config", str(config), "check", "--review", query], tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Nghị định 152/2025/NĐ-CP [nd-152-2025] (in_force): cited by 4 entries")
    for where in (
        "main.yaml: entry 'ho-so-chung': field 'sources[0]': Nghị định 152/2025/NĐ-CP, Điều 63",
        "main.yaml: entry 'quy-khen-thuong': field 'sources[0]': Nghị định 152/2025/NĐ-CP, Điều 66",
        "awards.yaml: entry 'bang-khen-bo.tieu-chuan': field 'sections.tieu-chuan.sources[0]': "
        "Nghị định 152/2025/NĐ-CP, Điều 28",
        "awards.yaml: entry 'bang-khen-bo.tien-thuong': field 'sections.tien-thuong.sources[0]': "
        "Nghị định 152/2025/NĐ-CP, Điều 54",
    ):
        assert f"  {where}" in lines
    assert "thoi-han-nop" not in result.stdout


def test_check_review_of_an_unknown_document_fails(mini_knowledge: Callable[..., Path], tmp_path: Path) -> None:
    root = mini_knowledge()
    write_yaml(root / "documents.yaml", register(extra=[GUIDANCE]))
    config = write_yaml(tmp_path / "cfg" / "bot.yaml", {"knowledge": {"path": str(root)}})
    result = _cli(["--config", str(config), "check", "--review", "999/2099"], tmp_path)
    assert result.returncode == 1
    assert "no document matching '999/2099'" in result.stderr
