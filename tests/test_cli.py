"""`python -m bot` in a subprocess: the ask --json contract, check, config errors and precedence, run, eval."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import SHIPPED_KNOWLEDGE, write_yaml

from bot.core.knowledge import Knowledge

REPO = SHIPPED_KNOWLEDGE.parent
JSON_KEYS = ["query", "status", "score", "entry", "answer", "sources", "suggestions", "eligibility"]


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TDKT_")}
    env["PYTHONPATH"] = str(REPO)  # the package is installed editable too; this keeps it independent of cwd
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def run(
    args: list[str], cwd: Path, env: dict[str, str] | None = None, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=env or _env(),
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def _start(args: list[str], cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )


def _finish(process: subprocess.Popen[str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    out, err = process.communicate(timeout=timeout)  # reads both pipes, so a long problem list cannot block
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


@pytest.fixture(scope="module")
def shipped_check(tmp_path_factory: pytest.TempPathFactory) -> Iterator[subprocess.Popen[str]]:
    """`check` on the shipped knowledge is slow (it ranks every phrasing): start it first, collect it last."""
    process = _start(["check"], tmp_path_factory.mktemp("check"))
    yield process
    if process.poll() is None:
        process.kill()
        _finish(process)


@pytest.fixture(autouse=True, scope="module")
def _start_shipped_check_early(shipped_check: subprocess.Popen[str]) -> None:
    """Request the slow check before the first test of this module so it runs alongside the others."""


# -- ask --json ---------------------------------------------------------------------------------------------------

QUESTIONS = [
    "Hồ sơ đề nghị Bằng khen cấp Bộ gồm những gì?",
    "ho so bang khen thu tuong",
    "hồ sơ làm hộ chiếu cần những gì",
    "xin chào",
    "",  # blank lines are skipped
    "thủ tục đăng ký kết hôn",
]


@pytest.fixture(scope="module")
def asked(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    result = run(["ask", "--json"], tmp_path_factory.mktemp("ask"), stdin="\n".join(QUESTIONS) + "\n")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_one_json_object_per_line_in_order(asked: list[dict[str, Any]]) -> None:
    assert [item["query"] for item in asked] == [q for q in QUESTIONS if q]


def test_json_contract_keys_and_types(asked: list[dict[str, Any]]) -> None:
    for item in asked:
        assert list(item) == JSON_KEYS
        assert item["status"] in {"answer", "suggest", "fallback", "smalltalk"}
        assert isinstance(item["score"], (int, float)) and 0 <= item["score"] <= 100
        assert isinstance(item["answer"], str) and item["answer"]
        assert isinstance(item["sources"], list)
        assert item["entry"] is None or list(item["entry"]) == ["id", "question", "topic"]
        for suggestion in item["suggestions"]:
            assert list(suggestion) == ["id", "question", "score"]


def test_ministry_dossier_answer(asked: list[dict[str, Any]], knowledge: Knowledge) -> None:
    item = asked[0]
    entry = knowledge.entries["bang-khen-bo.ho-so"]
    assert item["status"] == "answer"
    assert item["entry"] == {"id": entry.id, "question": entry.question_vi, "topic": entry.topic}
    assert item["sources"] == list(entry.sources) and item["sources"]
    assert "Căn cứ: " + "; ".join(entry.sources) in item["answer"]
    assert item["suggestions"] == []


def test_prime_minister_dossier_answer(asked: list[dict[str, Any]]) -> None:
    item = asked[1]
    assert item["status"] == "answer"
    assert item["entry"]["id"] == "bang-khen-thu-tuong.ho-so"


@pytest.mark.parametrize("index", [2, 4])
def test_out_of_scope_is_not_answered(asked: list[dict[str, Any]], index: int) -> None:
    item = asked[index]
    assert item["status"] in {"suggest", "fallback"}
    assert item["sources"] == []


def test_smalltalk_has_no_entry(asked: list[dict[str, Any]]) -> None:
    item = asked[3]
    assert item["status"] == "smalltalk"
    assert item["entry"] is None
    assert item["score"] == 0
    assert item["sources"] == [] and item["suggestions"] == []


def test_ask_with_the_question_as_arguments(tmp_path: Path) -> None:
    result = run(["ask", "--lang", "vi", "tiêu", "chuẩn", "Bằng", "khen", "cấp", "Bộ"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Tiêu chuẩn Bằng khen cấp Bộ là gì?\n")
    assert "Căn cứ: " in result.stdout


# -- check ----------------------------------------------------------------------------------------------------------


def test_check_fails_listing_problems_on_a_broken_copy(tmp_path: Path) -> None:
    broken = tmp_path / "kb"
    shutil.copytree(SHIPPED_KNOWLEDGE, broken)
    faq = broken / "faq" / "van-ban.yaml"
    data = yaml.safe_load(faq.read_text(encoding="utf-8"))
    data["entries"][0]["related"] = ["khong-ton-tai"]
    data["entries"][1]["topic"] = "khong-co"
    faq.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    config = write_yaml(tmp_path / "cfg" / "bot.yaml", {"knowledge": {"path": str(broken)}})
    result = run(["--config", str(config), "check"], tmp_path)
    assert result.returncode == 1
    assert "2 problem(s)" in result.stderr
    first, second = data["entries"][0]["id"], data["entries"][1]["id"]
    assert f"van-ban.yaml: entry '{first}': field 'related': no entry 'khong-ton-tai'" in result.stderr
    assert f"van-ban.yaml: entry '{second}': field 'topic': unknown topic 'khong-co'" in result.stderr


# -- configuration ----------------------------------------------------------------------------------------------


def _error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


def test_missing_config_file(tmp_path: Path) -> None:
    line = _error_line(run(["--config", "nope.yaml", "ask", "x"], tmp_path))
    assert "nope.yaml" in line and "not found" in line


def test_invalid_yaml_config(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text("matching: {answer_threshold: [\n", encoding="utf-8")
    line = _error_line(run(["ask", "x"], tmp_path))
    assert "config.yaml" in line and "not valid YAML" in line


def test_bad_value_names_the_key(tmp_path: Path) -> None:
    write_yaml(tmp_path / "config.yaml", {"matching": {"answer_threshold": "high"}})
    line = _error_line(run(["ask", "x"], tmp_path))
    assert "key 'matching.answer_threshold'" in line
    assert "'high'" in line


def test_config_precedence(tmp_path: Path) -> None:
    """--config beats $TDKT_CONFIG beats ./config.yaml; each file is broken differently to tell which was read."""
    write_yaml(tmp_path / "config.yaml", {"limits": {"questions_per_minute": "local"}})
    env_file = write_yaml(tmp_path / "env.yaml", {"limits": {"questions_per_minute": "from-env"}})
    flag_file = write_yaml(tmp_path / "flag.yaml", {"limits": {"questions_per_minute": "from-flag"}})
    env = {**_env(), "TDKT_CONFIG": str(env_file)}
    assert "'local'" in _error_line(run(["ask", "x"], tmp_path))
    assert "'from-env'" in _error_line(run(["ask", "x"], tmp_path, env=env))
    assert "'from-flag'" in _error_line(run(["--config", str(flag_file), "ask", "x"], tmp_path, env=env))


def test_run_without_a_token(tmp_path: Path) -> None:
    line = _error_line(run(["run"], tmp_path))
    assert "no Telegram bot token" in line
    assert "TDKT_BOT_TOKEN" in line


def test_run_with_a_placeholder_token(tmp_path: Path) -> None:
    write_yaml(tmp_path / "config.yaml", {"telegram": {"token": "YOUR_TOKEN_HERE"}})
    line = _error_line(run(["run"], tmp_path))
    assert "looks like a placeholder" in line
    assert "YOUR_TOKEN_HERE" not in line


def test_chat_commands_work_in_the_terminal_and_promise_no_logging(tmp_path: Path) -> None:
    result = run(["chat"], tmp_path, stdin="/hoso bk bo\n/chude\n1\ngiá vàng hôm nay\n/thoat\n")
    assert result.returncode == 0
    out = result.stdout
    assert "Hồ sơ đề nghị Bằng khen cấp Bộ gồm những gì?" in out  # /hoso gives the award's checklist
    assert "1. " in out  # /chude lists numbered questions, and "1" opens the first
    assert "đã được ghi lại" not in out  # the terminal logs nothing, so it promises nothing


# -- eval -------------------------------------------------------------------------------------------------------------


def test_eval_prints_per_style_lines(tmp_path: Path) -> None:
    questions = [
        {"q": "ho so bang khen thu tuong", "expect": "bang-khen-thu-tuong.ho-so", "style": "no_diacritics"},
        {"q": "Hồ sơ đề nghị Bằng khen cấp Bộ gồm những gì?", "expect": "bang-khen-bo.ho-so", "style": "diacritics"},
        {"q": "tiêu chuẩn Bằng khen cấp Bộ", "expect": "giay-khen.ho-so", "style": "diacritics"},
        {"q": "thủ tục đăng ký kết hôn", "expect": None, "style": "out_of_scope"},
    ]
    path = write_yaml(tmp_path / "set.yaml", questions)
    result = run(["eval", str(path)], tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["style", "n", "correct", "accuracy", "suggested", "top-1"]
    # The criteria question is answered with the criteria entry: wrong label, wrong answer, wrong top-1.
    assert lines[1].split() == ["diacritics", "2", "1", "50.0%", "0", "50.0%"]
    assert lines[2].split() == ["no_diacritics", "1", "1", "100.0%", "0", "100.0%"]
    assert lines[3].split() == ["out_of_scope", "1", "1", "100.0%", "0"]
    assert "out of scope answered: 0.0%" in lines
    assert "misses (1):" in lines
    assert any("expected giay-khen.ho-so" in line for line in lines)


def test_eval_reads_a_folder_of_sets_and_reports_each_file(tmp_path: Path) -> None:
    folder = tmp_path / "sets"
    one = {"q": "ho so bang khen thu tuong", "expect": "bang-khen-thu-tuong.ho-so", "style": "no_diacritics"}
    two = {"q": "tiêu chuẩn Bằng khen cấp Bộ", "expect": "giay-khen.ho-so", "style": "diacritics"}
    write_yaml(folder / "one.yaml", [one])
    write_yaml(folder / "two.yaml", [two])
    result = run(["eval", str(folder)], tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "in scope, per file:" in lines
    assert next(line for line in lines if line.startswith("one.yaml")).split()[1:4] == ["1", "1", "100.0%"]
    assert next(line for line in lines if line.startswith("two.yaml")).split()[1:4] == ["1", "0", "0.0%"]


def test_eval_rejects_a_bad_question_set(tmp_path: Path) -> None:
    path = write_yaml(tmp_path / "set.yaml", [{"q": "x", "style": "poetry"}])
    result = run(["eval", str(path)], tmp_path)
    assert result.returncode == 1
    assert "item #1" in result.stderr


# -- last: the slow check started by the module fixture -------------------------------------------------------


def test_check_passes_on_the_shipped_knowledge(shipped_check: subprocess.Popen[str]) -> None:
    result = _finish(shipped_check)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().splitlines()[-1].startswith("knowledge OK (")


def test_unreachable_telegram_at_start_is_one_clear_line(tmp_path: Path) -> None:
    write_yaml(
        tmp_path / "config.yaml",
        {
            "telegram": {
                "token": "123456789:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                "base_url": "http://127.0.0.1:9/bot",
                "base_file_url": "http://127.0.0.1:9/file/bot",
            },
            "storage": {"path": str(tmp_path / "db.sqlite3")},
        },
    )
    result = run(["run"], tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) <= 8  # the getMe retries, then the cause (was ~250 lines)
    assert "cannot start the bot: Telegram at 127.0.0.1:9" in result.stderr.splitlines()[-1]


_RUNNER_PROBE = """
import sys
import bot.cli
run_bot = bot.cli._bot_runner(webhooks=sys.argv[1] == "webhook")
import telegram.ext._updater as updater
print(run_bot.__module__, "tornado" in sys.modules, updater.WEBHOOKS_AVAILABLE)
import tornado.web  # still importable afterwards
print("tornado imports")
"""


@pytest.mark.parametrize("mode", ["polling", "webhook"])
def test_a_polling_bot_imports_python_telegram_bot_without_tornado(mode: str) -> None:
    pytest.importorskip("tornado")  # the webhooks extra
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, "-c", _RUNNER_PROBE, mode], cwd=root, capture_output=True, text=True, check=True,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    first, second = done.stdout.splitlines()
    polling = mode == "polling"
    assert first == f"bot.telegram.app {not polling} {not polling}"
    assert second == "tornado imports"
