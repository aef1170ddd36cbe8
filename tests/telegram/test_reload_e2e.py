"""End to end: /tailai rebuilds the index off the event loop, so questions sent during a reload are all answered.

The real `python -m bot run` against the Bot API emulator, with its compiled index cache in tmp_path. The knowledge
is edited before the reload (a new key), so the reload is a full build lasting seconds.
"""

from __future__ import annotations

import secrets
import shutil
import time
from pathlib import Path

import yaml
from bot_process import BotProcess
from emulator import BotApiEmulator

REPO = Path(__file__).resolve().parents[2]
BOT_ID = 1000000002
TOKEN = f"{BOT_ID}:AA{secrets.token_hex(16)}"
ADMIN_ID = 700000009
QUESTIONS = ("hồ sơ bằng khen cấp bộ", "tiền thưởng bằng khen cấp bộ", "tiêu chuẩn chiến sĩ thi đua cơ sở")


def test_questions_sent_during_a_reload_are_all_answered(tmp_path: Path) -> None:
    knowledge = tmp_path / "knowledge"
    shutil.copytree(REPO / "knowledge", knowledge)
    emu = BotApiEmulator(TOKEN, bot_id=BOT_ID).start()
    config = tmp_path / "config.yaml"
    settings = {
        "telegram": {
            "token": emu.token,
            "base_url": emu.base_url,
            "base_file_url": emu.base_file_url,
            "admins": [ADMIN_ID],
            "poll_timeout": 2,
            "overall_max_rate": 1000,
        },
        "storage": {"path": str(tmp_path / "q.sqlite3"), "user_key_secret": "reload-e2e", "flush_interval": 0.1},
        "knowledge": {"path": str(knowledge), "cache": str(tmp_path / "cache")},
    }
    config.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    bot = BotProcess(emu, config, tmp_path / "bot.log")
    try:
        bot.start()
        users = [600100000 + i for i in range(30)]
        for user in users[:3]:  # the bot answers before the reload
            emu.send_text(user, QUESTIONS[0])
            emu.wait_for_messages(user, 1, 20)
        with (knowledge / "synonyms.yaml").open("a", encoding="utf-8") as handle:
            handle.write("\n# edited: a new version, so the reload builds the index from scratch\n")
        emu.send_text(ADMIN_ID, "/tailai")
        time.sleep(0.5)  # the bot fetches it and starts the build
        # One question at a time, each sent once the previous one is answered: with the build on the event loop
        # none would be answered until the reload is over.
        during = 0
        answers = []
        for i, user in enumerate(users[3:]):
            emu.send_text(user, QUESTIONS[i % len(QUESTIONS)])
            [reply] = emu.wait_for_messages(user, 1, 60)
            answers.append(reply)
            if emu.sent_messages(ADMIN_ID):
                break
            during += 1
        [reloaded] = emu.wait_for_messages(ADMIN_ID, 1, 120)
        assert all("Căn cứ:" in (reply.text or "") for reply in answers), [r.text for r in answers]
        assert during >= 3, f"only {during} question(s) answered while the index was rebuilt"
        assert "knowledge reloaded" in bot.output(), reloaded.text
        assert len(list((tmp_path / "cache").glob("*.npz"))) == 2  # the first version and the edited one
        assert not emu.rejected
        assert bot.stop() == 0
    finally:
        bot.kill()
        emu.stop()
    assert "Traceback" not in bot.output(), bot.output()
