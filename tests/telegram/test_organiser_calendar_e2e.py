"""End to end over the Bot API emulator: the admins enter the year's dates with /lich, subscribers see them in
/hanchot with their source, reminders follow the calendar as it is now (a moved date sends one correction)."""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from bot_process import BotProcess, clean_env
from emulator import BotApiEmulator, SentMessage

REPO = Path(__file__).resolve().parents[2]
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
WAIT = 10.0
ADMIN = 710000001
SUBSCRIBER = 710000002
STRANGER = 710000003
SOURCE = "Công văn số 1234/BKHCN-TCCB ngày 20/11/2026"


@pytest.fixture
def emu() -> Iterator[BotApiEmulator]:
    with BotApiEmulator() as emulator:
        yield emulator


def write_config(root: Path, emu: BotApiEmulator) -> Path:
    """The shipped knowledge (its calendar sets no date) with one admin; the daily pass 12 hours away."""
    knowledge = root / "knowledge"
    shutil.copytree(REPO / "knowledge", knowledge)
    config = {
        "telegram": {"token": emu.token, "base_url": emu.base_url, "base_file_url": emu.base_file_url,
                     "poll_timeout": 2, "overall_max_rate": 1000, "admins": [ADMIN]},
        "storage": {"path": str(root / "bot.sqlite3"), "user_key_secret": "e2e", "flush_interval": 0.1},
        "knowledge": {"path": str(knowledge)},
        "reminders": {"lead_days": [14, 7, 1], "grace_days": 1,
                      "send_at": (dt.datetime.now(TZ) + dt.timedelta(hours=12)).strftime("%H:%M")},
    }
    path = root / "config.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def cli(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(config), *args],
        cwd=REPO, env=clean_env(), capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )


def ask(emu: BotApiEmulator, chat_id: int, text: str) -> SentMessage:
    pushed = emu.send_text(chat_id, text)
    [reply] = emu.wait_for_messages(chat_id, 1, WAIT, after=pushed)
    return reply


def buttons(message: SentMessage) -> list[str]:
    rows = (message.reply_markup or {}).get("inline_keyboard", [])
    return [b["callback_data"] for row in rows for b in row if "callback_data" in b]


def press(emu: BotApiEmulator, chat_id: int, message: SentMessage, data: str) -> None:
    emu.press_button(chat_id, message.message_id, data)
    emu.wait_for(lambda: emu.message(chat_id, message.message_id).text != message.text, WAIT,
                 description="the confirmation to be edited")


def ledger(config: Path) -> dict[tuple[int, str, int], str]:
    db = yaml.safe_load(config.read_text(encoding="utf-8"))["storage"]["path"]
    with contextlib.closing(sqlite3.connect(db, timeout=5)) as con:
        rows = con.execute("SELECT chat_id, occurrence, lead_days, state FROM reminders").fetchall()
    return {(chat, occ, lead): state for chat, occ, lead, state in rows}


def test_admin_adds_a_date_subscriber_is_reminded_once_then_corrected_once(emu: BotApiEmulator, tmp_path: Path) -> None:
    config = write_config(tmp_path, emu)
    today = dt.datetime.now(TZ).date()
    due = today + dt.timedelta(days=30)  # nothing of it is due by the real clock's passes today
    moved = due + dt.timedelta(days=5)
    title = "Hạn gửi hồ sơ khen thưởng năm 2026 về Bộ"
    bot = BotProcess(emu, config).start()
    try:
        assert "sub:l:7-1" in buttons(ask(emu, SUBSCRIBER, "/nhacnho"))
        empty = ask(emu, SUBSCRIBER, "/hanchot").text or ""
        assert "chưa được nhập" in empty and "Vụ Tổ chức cán bộ" in empty and "(còn " not in empty
        pushed = emu.send_text(SUBSCRIBER, "hạn nộp hồ sơ khen thưởng năm nay là khi nào")
        none_yet = emu.wait_for_messages(SUBSCRIBER, 1, WAIT, after=pushed)[0].text or ""
        assert "chưa được nhập vào bot" in none_yet and "Vụ Tổ chức cán bộ" in none_yet, none_yet

        refused = ask(emu, STRANGER, "/lich them 2027-01-15 Hạn giả | nguon: Công văn 1")
        assert "chỉ dành cho quản trị viên" in (refused.text or ""), refused.text

        no_source = ask(emu, ADMIN, f"/lich them {due.isoformat()} {title}")
        assert "Chưa thêm" in (no_source.text or "") and "nguon:" in (no_source.text or "")
        assert "Chưa có mốc nào" in (ask(emu, ADMIN, "/lich").text or "")

        added = ask(emu, ADMIN, f"/lich them {due.isoformat()} {title} | nguon: {SOURCE} | chu-de: ho-so")
        assert "Đã thêm mốc" in (added.text or "") and SOURCE in (added.text or ""), added.text
        listing = ask(emu, ADMIN, "/lich").text or ""
        assert f"1. {due:%d/%m/%Y}: {title} (theo {SOURCE})" in listing, listing

        shown = ask(emu, SUBSCRIBER, "/hanchot")
        text = shown.text or ""
        assert f"{due:%d/%m/%Y} (còn 30 ngày): {title} (theo {SOURCE})" in text, text
        assert "Ban tổ chức" not in text and "ics" in buttons(shown)
        pushed = emu.send_text(SUBSCRIBER, "hạn nộp hồ sơ khen thưởng năm nay là khi nào")
        answer = emu.wait_for_messages(SUBSCRIBER, 1, WAIT, after=pushed)[0].text or ""
        assert f"{due:%d/%m/%Y} (còn 30 ngày): {title} (theo {SOURCE})" in answer, answer  # the chat answer too
        emu.wait_idle(quiet=0.5)
        before = len(emu.sent_messages(SUBSCRIBER))

        # 7 days before, from the terminal while the bot runs: exactly one reminder.
        at = dt.datetime.combine(due - dt.timedelta(days=7), dt.time(8, 0)).strftime("%Y-%m-%dT%H:%M")
        first = cli(config, "remind", "--at", at)
        assert first.returncode == 0, first.stderr
        assert "sent 1," in first.stdout, first.stdout
        [reminder] = emu.sent_messages(SUBSCRIBER)[before:]
        assert title in (reminder.text or "") and "còn 7 ngày" in (reminder.text or "")
        assert SOURCE in (reminder.text or "")

        # The admin moves the date; the confirmation button stores it and the bot corrects at once.
        ask_move = ask(emu, ADMIN, f"/lich sua 1 {moved.isoformat()}")
        assert f"{due:%d/%m/%Y}" in (ask_move.text or "") and f"{moved:%d/%m/%Y}" in (ask_move.text or "")
        [confirm, cancel] = buttons(ask_move)
        assert confirm.startswith("lich:ok:") and cancel.startswith("lich:no:")
        press(emu, ADMIN, ask_move, confirm)
        assert "Đã đổi mốc" in (emu.message(ADMIN, ask_move.message_id).text or "")
        [correction] = emu.wait_for_messages(SUBSCRIBER, before + 2, WAIT)[before + 1:]
        assert "Đính chính" in (correction.text or "")
        assert f"{due:%d/%m/%Y}" in (correction.text or "") and f"{moved:%d/%m/%Y}" in (correction.text or "")
        emu.wait_idle(quiet=0.5)

        # A second pass (the same morning, from the terminal) sends nothing: no reminder, no second correction.
        mark = emu.mark()
        second = cli(config, "remind", "--at", at)
        assert second.returncode == 0 and "sent 0," in second.stdout, second.stdout + second.stderr
        assert emu.sent_messages(after=mark) == []
        assert len(emu.sent_messages(SUBSCRIBER)) == before + 2

        # The new date is reminded at the subscriber's lead days; removing it stops its reminders.
        at_new = dt.datetime.combine(moved - dt.timedelta(days=7), dt.time(8, 0)).strftime("%Y-%m-%dT%H:%M")
        assert "would send" in cli(config, "remind", "--dry-run", "--at", at_new).stdout
        ask_remove = ask(emu, ADMIN, "/lich xoa 1")
        press(emu, ADMIN, ask_remove, buttons(ask_remove)[0])
        assert "Đã xoá" in (emu.message(ADMIN, ask_remove.message_id).text or "")
        [notice] = emu.wait_for_messages(SUBSCRIBER, before + 3, WAIT)[before + 2:]
        assert "đã được bỏ khỏi lịch" in (notice.text or "") and f"{moved:%d/%m/%Y}" in (notice.text or "")
        emu.wait_idle(quiet=0.5)
        mark = emu.mark()
        third = cli(config, "remind", "--at", at_new)
        assert "sent 0," in third.stdout and emu.sent_messages(after=mark) == []
        assert "chưa được nhập" in (ask(emu, SUBSCRIBER, "/hanchot").text or "")
    finally:
        assert bot.stop() == 0, bot.output()
    states = ledger(config)
    assert states == {
        (SUBSCRIBER, due.isoformat(), 7): "sent",
        (SUBSCRIBER, moved.isoformat(), -1): "sent",
        (SUBSCRIBER, moved.isoformat(), -3): "sent",
    }
    history = cli(config, "calendar", "list", "--history", "10").stdout
    actions = [a for line in history.splitlines() for a in ("add", "change", "remove") if f" {a} lich-1:" in line]
    assert actions == ["remove", "change", "add"], history
    assert f"telegram:{ADMIN}" in history
    assert not emu.rejected
