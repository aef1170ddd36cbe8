"""`python -m bot calendar add|change|list|remove`, and `deadlines` (text, JSON, .ics) with the managed dates."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import icalendar
import yaml

REPO = Path(__file__).resolve().parents[2]


def run(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(config), *args],
        cwd=REPO, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )


def test_terminal_calendar_round_trip(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump({
        "storage": {"path": str(tmp_path / "bot.sqlite3")},
        "knowledge": {"path": str(REPO / "knowledge")},  # the shipped calendar: no date of its own
    }), encoding="utf-8")
    soon = dt.date.today() + dt.timedelta(days=20)

    none = run(config, "deadlines", "--days", "60")
    assert none.returncode == 0 and "chưa được nhập" in none.stdout and "Vụ Tổ chức cán bộ" in none.stdout

    refused = run(config, "calendar", "add", soon.isoformat(), "Hạn gửi hồ sơ", "--source", " ")
    assert refused.returncode == 2 and "thiếu nguồn" in refused.stderr

    added = run(config, "calendar", "add", soon.isoformat(), "Hạn gửi hồ sơ khen thưởng về Bộ",
                "--source", "Công văn số 123/BKHCN-TCCB", "--topic", "ho-so", "--by", "lan")
    assert added.returncode == 0, added.stderr
    assert "added lich-1" in added.stdout

    listed = run(config, "calendar", "list", "--history", "5")
    assert f"1. {soon:%d/%m/%Y}: Hạn gửi hồ sơ khen thưởng về Bộ (theo Công văn số 123/BKHCN-TCCB)" in listed.stdout
    assert "terminal:lan add lich-1" in listed.stdout

    text = run(config, "deadlines", "--days", "60")
    assert "theo Công văn số 123/BKHCN-TCCB" in text.stdout and f"{soon:%d/%m/%Y}" in text.stdout
    [item] = json.loads(run(config, "deadlines", "--json", "--days", "60").stdout)
    assert item == {"id": "lich-1", "title": "Hạn gửi hồ sơ khen thưởng về Bộ", "date": soon.isoformat(),
                    "source": "Công văn số 123/BKHCN-TCCB"}
    ics = tmp_path / "lich.ics"
    assert run(config, "deadlines", "--ics", str(ics), "--days", "60").returncode == 0
    [event] = icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    assert event.decoded("dtstart") == soon and "Công văn số 123/BKHCN-TCCB" in str(event["description"])

    later = soon + dt.timedelta(days=5)
    moved = run(config, "calendar", "change", "1", later.isoformat())
    assert moved.returncode == 0, moved.stderr
    assert json.loads(run(config, "deadlines", "--json", "--days", "60").stdout)[0]["date"] == later.isoformat()

    assert run(config, "calendar", "remove", "1").returncode == 0
    assert json.loads(run(config, "deadlines", "--json", "--days", "60").stdout) == []
    history = run(config, "calendar", "list", "--history", "5").stdout
    assert [line.split()[3] for line in history.splitlines() if "lich-1" in line] == ["remove", "change", "add"]
