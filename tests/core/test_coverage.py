"""Coverage of the Law: entries citing each article are computed; `check --coverage` prints what no entry covers."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from conftest import MINI_FAQ, SHIPPED_KNOWLEDGE, write_yaml

from bot.core.checks import check_coverage, law_coverage
from bot.core.coverage import coverage_lines
from bot.core.knowledge import Knowledge, load_knowledge

REPO = SHIPPED_KNOWLEDGE.parent
LAW = {
    "id": "luat-06-2022-qh15",
    "number": "06/2022/QH15",
    "short_title": "Luật Thi đua, khen thưởng 06/2022/QH15",
    "kind": "Luật",
    "issuer": "Quốc hội",
    "status": "in_force",
}
OTHERS = [
    {"id": "nd-152", "number": "152/2025/NĐ-CP", "short_title": "Nghị định 152/2025/NĐ-CP", "kind": "Nghị định",
     "issuer": "Chính phủ", "status": "in_force"},
    {"id": "huong-dan", "short_title": "Hướng dẫn của Bộ", "kind": "Hướng dẫn", "issuer": "Bộ", "status": "in_force"},
    {"id": "nd-73", "number": "73/2024/NĐ-CP", "short_title": "Nghị định 73/2024/NĐ-CP", "kind": "Nghị định",
     "issuer": "Chính phủ", "status": "in_force"},
    {"id": "nd-161", "number": "161/2026/NĐ-CP", "short_title": "Nghị định 161/2026/NĐ-CP", "kind": "Nghị định",
     "issuer": "Chính phủ", "status": "in_force"},
]


def table(**reasons: str) -> dict[str, object]:
    """A four-article Law in two chapters; `reasons` gives article numbers (as "a<n>") a reason."""
    rows = [
        {"article": 1, "chapter": "I", "title": "Phạm vi", "checked": True, "actionable": False},
        {"article": 2, "chapter": "I", "title": "Hồ sơ", "checked": True},
        {"article": 3, "chapter": "II", "title": "Xử lý vi phạm", "checked": False},
        {"article": 4, "chapter": "II", "title": "Thu hồi", "checked": True},
    ]
    for row in rows:
        reason = reasons.get(f"a{row['article']}")
        if reason:
            row["reason"] = reason
    return {
        "law": {
            "document": "06/2022/QH15",
            "chapters": [
                {"chapter": "I", "title": "Chung", "articles": [1, 2], "checked": True},
                {"chapter": "II", "title": "Vi phạm", "articles": [3, 4], "checked": True},
            ],
            "articles": rows,
        }
    }


def build(mini_knowledge: Callable[..., Path], sources: dict[str, list[str]], **reasons: str) -> Path:
    faq = copy.deepcopy(MINI_FAQ)
    for item in faq["entries"]:  # type: ignore[index]
        if item["id"] in sources:
            item["sources"] = sources[item["id"]]
    root = mini_knowledge(faq=faq)
    write_yaml(root / "documents.yaml", {"documents": [LAW, *OTHERS]})
    write_yaml(root / "law-coverage.yaml", table(**reasons))
    return root


def test_entries_citing_each_article_are_computed_from_sources(mini_knowledge: Callable[..., Path]) -> None:
    root = build(
        mini_knowledge,
        {"ho-so-chung": ["Luật Thi đua, khen thưởng 06/2022/QH15, Điều 2"],
         "quy-khen-thuong": ["Luật Thi đua, khen thưởng 06/2022/QH15, Chương II"]},
    )
    coverage = law_coverage(load_knowledge(root))
    assert coverage is not None
    by_article = {a.article: a.entries for a in coverage.articles}
    assert by_article == {1: (), 2: ("ho-so-chung",), 3: ("quy-khen-thuong",), 4: ("quy-khen-thuong",)}


def test_an_actionable_uncovered_article_without_a_reason_fails_check(mini_knowledge: Callable[..., Path]) -> None:
    root = build(mini_knowledge, {"ho-so-chung": ["Luật Thi đua, khen thưởng 06/2022/QH15, Điều 2"]})
    problems = check_coverage(load_knowledge(root))
    assert problems == [
        "law-coverage.yaml: Luật Thi đua, khen thưởng 06/2022/QH15, Điều 3 (Xử lý vi phạm): actionable, cited by "
        "no entry and no reason given",
        "law-coverage.yaml: Luật Thi đua, khen thưởng 06/2022/QH15, Điều 4 (Thu hồi): actionable, cited by no entry "
        "and no reason given",
    ]
    root = build(
        mini_knowledge,
        {"ho-so-chung": ["Luật Thi đua, khen thưởng 06/2022/QH15, Điều 2"]},
        a3="chưa đọc",
        a4="đang viết",
    )
    assert check_coverage(load_knowledge(root)) == []


def test_a_cited_article_missing_from_the_table_is_reported(mini_knowledge: Callable[..., Path]) -> None:
    root = build(mini_knowledge, {"ho-so-chung": ["Luật Thi đua, khen thưởng 06/2022/QH15, Điều 9"]}, a2="x", a3="x",
                 a4="x")
    assert check_coverage(load_knowledge(root)) == [
        "law-coverage.yaml: Luật Thi đua, khen thưởng 06/2022/QH15: Điều 9 is cited by ho-so-chung but has no row in "
        "the table"
    ]


def _cli(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TDKT_")}
    env["PYTHONPATH"] = str(REPO)
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_coverage_prints_the_uncovered_articles(mini_knowledge: Callable[..., Path], tmp_path: Path) -> None:
    root = build(mini_knowledge, {"ho-so-chung": ["Luật Thi đua, khen thưởng 06/2022/QH15, Điều 2"]},
                 a3="nội dung chưa đọc", a4="câu trả lời đang viết")
    config = write_yaml(tmp_path / "cfg" / "bot.yaml", {"knowledge": {"path": str(root)}})
    result = _cli(["--config", str(config), "check", "--coverage"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Luật Thi đua, khen thưởng 06/2022/QH15: 3 of 4 listed articles covered by no entry",
        "  Điều 1. Phạm vi [not actionable]",
        "  Điều 3. Xử lý vi phạm [title not checked]: nội dung chưa đọc",
        "  Điều 4. Thu hồi: câu trả lời đang viết",
        "covered: 1 of 4 listed articles",
    ]


# -- the shipped table ---------------------------------------------------------------------------------------------


def test_the_shipped_table_lists_all_96_articles_of_the_law() -> None:
    data = yaml.safe_load((SHIPPED_KNOWLEDGE / "law-coverage.yaml").read_text(encoding="utf-8"))
    assert [row["article"] for row in data["law"]["articles"]] == list(range(1, 97))
    for row in data["law"]["articles"]:
        assert row["checked"] is False or row.get("source"), f"Điều {row['article']}: checked without a source"


def test_the_shipped_coverage_passes_and_counts_cited_articles(knowledge: Knowledge) -> None:
    assert check_coverage(knowledge) == []
    coverage = law_coverage(knowledge)
    assert coverage is not None
    covered = {a.article for a in coverage.articles if a.covered and a.document.startswith("Luật")}
    assert {21, 22, 23, 24, 28, 80, 84} <= covered
    assert 79 not in covered  # not read: no entry may cite it (facts A3.1)
    assert any(line.startswith("  Điều 79.") for line in coverage_lines(coverage))


@pytest.mark.parametrize("article", [12, 86, 87])
def test_uncovered_actionable_articles_of_the_shipped_table_say_why(knowledge: Knowledge, article: int) -> None:
    coverage = law_coverage(knowledge)
    assert coverage is not None
    item = next(a for a in coverage.articles if a.document.startswith("Luật") and a.article == article)
    assert item.covered or item.reason
