"""Organiser tools in chat over the Bot API emulator: /thongke, /chuatraloi, /xuat for admins, refused to others."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from emulator import BotApiEmulator
from test_telegram_e2e import ADMIN_ID, BotProcess, buttons, copy_knowledge, new_user, start_emulator


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[BotApiEmulator, BotProcess, Path]]:
    root = tmp_path_factory.mktemp("admin")
    knowledge = copy_knowledge(root)
    emu = start_emulator()
    process = BotProcess(emu, root, knowledge).start()
    try:
        yield emu, process, knowledge
    finally:
        assert process.stop() == 0, process.stderr()
        emu.stop()


def test_admin_tools_work_for_admins_and_refuse_others(bot: tuple[BotApiEmulator, BotProcess, Path]) -> None:
    emu, process, knowledge = bot
    asker = new_user()
    for count, question in enumerate(["hồ sơ làm hộ chiếu cần gì", "thủ tục làm hộ chiếu cần gì", "hộ chiếu"], 1):
        emu.send_text(asker, question)
        emu.wait_for_messages(asker, count, timeout=20)
    process.wait_rows("status = 'fallback'")

    for command in ("/thongke", "/chuatraloi", "/xuat"):
        mark = emu.mark()
        emu.send_text(asker, command)
        [refusal] = emu.wait_for_messages(asker, 1, timeout=20, after=mark)
        assert "quản trị" in refusal.text
        time.sleep(0.3)
        assert len(emu.sent_messages(asker, after=mark)) == 1, f"{command} must reply with the refusal only"

    mark = emu.mark()
    emu.send_text(ADMIN_ID, "/thongke")
    summary, chart = emu.wait_for_messages(ADMIN_ID, 2, timeout=30, after=mark)
    assert "7 ngày" in summary.text and "30 ngày" in summary.text
    assert chart.method == "sendPhoto" and (chart.file_size or 0) > 1000

    mark = emu.mark()
    emu.send_text(ADMIN_ID, "/xuat")
    [export] = emu.wait_for_messages(ADMIN_ID, 1, timeout=30, after=mark)
    assert export.method == "sendDocument" and export.file_name.endswith(".csv")

    mark = emu.mark()
    emu.send_text(ADMIN_ID, "/chuatraloi")
    [cluster] = emu.wait_for_messages(ADMIN_ID, 1, timeout=30, after=mark)
    assert "hộ chiếu" in cluster.text
    dismiss = next(data for data in buttons(cluster) if data.startswith("ua:d:"))
    emu.press_button(ADMIN_ID, cluster.message_id, dismiss)
    emu.wait_for(lambda: "bỏ qua" in (emu.message(ADMIN_ID, cluster.message_id).text or ""), 20,
                 description="the cluster message to say it was dismissed")
    learned = yaml.safe_load((knowledge / "learned.yaml").read_text(encoding="utf-8"))
    assert any("ho chieu" in text for text in learned["dismissed"])
    assert not emu.rejected
