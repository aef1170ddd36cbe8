"""The eligibility check through the answering service and the CLI contracts (issue 13)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.core.answers import Answerer
from bot.core.eligibility import MEETS
from bot.core.eligibility_eval import DEFAULT_ELIGIBILITY_SET, evaluate_stories, load_stories

CONTRACT = {"query", "status", "score", "entry", "answer", "sources", "suggestions", "eligibility"}


def test_ask_json_gains_one_field(answerer: Answerer) -> None:
    plain = answerer.ask("Tiêu chuẩn CSTĐ cấp Bộ là gì?").to_json()
    assert set(plain) == CONTRACT and plain["eligibility"] is None
    story = answerer.ask("Tôi đạt CSTĐCS 2023, 2024, 2025, có sáng kiến cấp Bộ. Tôi có đủ điều kiện CSTĐ cấp Bộ không?")
    data = story.to_json()
    assert set(data) == CONTRACT
    elig = data["eligibility"]
    assert set(elig) == {"award", "verdict", "understood", "conditions"}
    assert elig["award"] == "cstd-bo" and elig["verdict"] == MEETS
    assert all(set(c) == {"text", "met", "basis"} and c["met"] in (True, False, None) for c in elig["conditions"])
    # the matcher's answer is untouched: the eligibility check is an extra field and an extra display
    assert data["answer"] == story.message


def test_chat_answer_starts_with_the_verdict(answerer: Answerer) -> None:
    reply = answerer.ask("Em được CSTĐCS 2024 và 2025, có sáng kiến cấp Bộ, đủ CSTĐ cấp Bộ chưa?")
    text = reply.display
    first = text.splitlines()[0]
    assert first.startswith("❌") and "Chiến sĩ thi đua cấp Bộ" in first
    assert "Bạn cho biết: CSTĐ cơ sở 2024, 2025" in text
    assert "✖ 03 lần liên tục" in text and "Điều 22" in text
    assert "Hội đồng TĐKT" in text and "06/2026/QH16" in text  # the caveat line
    assert reply.eligibility is not None and reply.eligibility.dossier is not None
    assert reply.eligibility.dossier.id == "cstd-bo.ho-so"
    assert text.rstrip().endswith(answerer.title(reply.eligibility.dossier, "vi"))
    html = reply.eligibility.html()
    assert html.startswith("<b>❌") and "<i>Bạn cho biết: </i>" in html


def test_english_answer(answerer: Answerer) -> None:
    reply = answerer.ask(
        "I was a grassroots emulation fighter in 2023, 2024 and 2025. "
        "Am I eligible for the ministry-level emulation fighter?"
    )
    assert reply.eligibility is not None
    text = reply.display
    assert text.startswith("❔") and "You told me:" in text and "Still needed:" in text


def test_dev_stories_verdicts(answerer: Answerer) -> None:
    report = evaluate_stories(answerer, load_stories(DEFAULT_ELIGIBILITY_SET))
    assert report.total >= 40
    assert report.false_meets == 0, report.misses
    assert report.accuracy >= 0.9, report.misses


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_cli_eligibility_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    record = _write(
        tmp_path / "r.yaml",
        "held:\n  - {award: bang-khen-bo, year: 2019}\n  - {award: cstd-co-so, year: 2021}\n"
        "  - {award: cstd-co-so, year: 2022}\n  - {award: cstd-co-so, year: 2024}\n"
        "ratings: {2020: HTT, 2021: HTT, 2022: HTT, 2023: HTT, 2024: HTT, 2025: HTT}\n",
    )
    assert main(["eligibility", "bang-khen-thu-tuong", "--record", str(record), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["award"] == "bang-khen-thu-tuong" and out["verdict"] == "meets"
    assert main(["eligibility", "bang-khen-thu-tuong", "--record", str(record)]) == 0
    assert capsys.readouterr().out.startswith("✅")


def test_cli_eligibility_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = _write(tmp_path / "good.yaml", "ratings: {2025: HTT}\n")
    assert main(["eligibility", "huy-chuong-xyz", "--record", str(good)]) == 2
    err = capsys.readouterr().err
    assert "unknown award 'huy-chuong-xyz'" in err and "cstd-bo" in err and "lao-dong-tien-tien" in err
    assert main(["eligibility", "cstd-bo", "--record", str(tmp_path / "missing.yaml")]) == 2
    assert "not found" in capsys.readouterr().err
    bad = _write(tmp_path / "bad.yaml", "ratings: {2025: GOOD}\n")
    assert main(["eligibility", "cstd-bo", "--record", str(bad)]) == 2
    assert "ratings.2025" in capsys.readouterr().err
    broken = _write(tmp_path / "broken.yaml", "ratings: [\n")
    assert main(["eligibility", "cstd-bo", "--record", str(broken)]) == 2
    assert "not valid YAML" in capsys.readouterr().err
