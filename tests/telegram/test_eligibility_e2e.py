"""End to end: /dudieukien (/eligibility), the guided eligibility check, through the real bot and the emulator.

One bot in a subprocess polls the strict Bot API emulator (as in test_telegram_e2e.py); every wait is bounded.
"""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from bot_process import BotProcess
from emulator import BotApiEmulator, SentMessage

REPO = Path(__file__).resolve().parents[2]
BOT_ID = 1000000002
TOKEN = f"{BOT_ID}:AA{secrets.token_hex(16)}"
WAIT = 10.0
_next = iter(range(610000000, 620000000))


def buttons(message: Any) -> list[str]:
    rows = (message.reply_markup or {}).get("inline_keyboard", [])
    return [b["callback_data"] for row in rows for b in row if "callback_data" in b]


class Bot:
    def __init__(self, emu: BotApiEmulator, proc: BotProcess) -> None:
        self.emu, self.proc = emu, proc

    def say(self, chat: int, text: str, **kwargs: Any) -> SentMessage:
        pushed = self.emu.send_text(chat, text, **kwargs)
        [reply] = self.emu.wait_for_messages(chat, 1, WAIT, after=pushed)
        return reply

    def press_and_wait_edit(self, chat: int, message_id: int, data: str, **kwargs: Any) -> Any:
        before = self.emu.message(chat, message_id).edits
        self.emu.press_button(chat, message_id, data, **kwargs)
        self.emu.wait_for(
            lambda: self.emu.message(chat, message_id).edits > before, WAIT, description=f"edit after {data}"
        )
        return self.emu.message(chat, message_id)


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bot]:
    root = tmp_path_factory.mktemp("e2e-eligibility")
    knowledge = root / "knowledge"
    shutil.copytree(REPO / "knowledge", knowledge)
    emu = BotApiEmulator(TOKEN, bot_id=BOT_ID).start()
    config = {
        "telegram": {
            "token": emu.token,
            "base_url": emu.base_url,
            "base_file_url": emu.base_file_url,
            "poll_timeout": 2,
            "overall_max_rate": 1000,
        },
        "storage": {"path": str(root / "q.sqlite3"), "user_key_secret": "e2e-eligibility", "flush_interval": 0.1},
        "knowledge": {"path": str(knowledge)},
    }
    path = root / "config.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    proc = BotProcess(emu, path, root / "bot.log")
    try:
        proc.start()
        yield Bot(emu, proc)
    finally:
        code = proc.stop() if proc.proc is not None else None
        emu.stop()
    log = proc.output()
    assert code == 0, log
    assert "Traceback" not in log, log
    assert emu.token.split(":")[1] not in log


def test_guided_check_private_chat(bot: Bot) -> None:
    user = next(_next)
    menu = bot.say(user, "/dudieukien")
    assert "khen thưởng nào" in (menu.text or "")
    assert "el:a:cstd-bo" in buttons(menu) and "el:a:tap-the-lao-dong-tien-tien" in buttons(menu)
    step = bot.press_and_wait_edit(user, menu.message_id, "el:a:cstd-bo")
    assert "CSTĐ cơ sở" in step.text and "el:v:cs:3" in buttons(step)
    step = bot.press_and_wait_edit(user, menu.message_id, "el:v:cs:3")
    assert "cấp nào" in step.text and "el:v:sk:bo" in buttons(step)
    step = bot.press_and_wait_edit(user, menu.message_id, "el:v:sk:bo")
    assert "kỷ luật" in step.text
    final = bot.press_and_wait_edit(user, menu.message_id, "el:v:dc:no")
    assert final.text.startswith("✅") and "Chiến sĩ thi đua cấp Bộ" in final.text
    assert "Bạn cho biết:" in final.text and "Điều 22" in final.text
    assert buttons(final) == ["ans:cstd-bo.ho-so"]
    assert not bot.emu.rejected


def test_guided_check_fails_and_english(bot: Bot) -> None:
    user = next(_next)
    pushed = bot.emu.send_text(user, "/eligibility", language_code="en")
    [menu] = bot.emu.wait_for_messages(user, 1, WAIT, after=pushed)
    assert "Eligibility check" in (menu.text or "")
    bot.press_and_wait_edit(user, menu.message_id, "el:a:tap-the-lao-dong-tien-tien")
    bot.press_and_wait_edit(user, menu.message_id, "el:v:cr:HTT")
    bot.press_and_wait_edit(user, menu.message_id, "el:v:csh:lt70")
    final = bot.press_and_wait_edit(user, menu.message_id, "el:v:cmd:no")
    assert final.text.startswith("❌") and "You told me:" in final.text


def test_cancel_with_huy(bot: Bot) -> None:
    user = next(_next)
    menu = bot.say(user, "/dudieukien")
    bot.press_and_wait_edit(user, menu.message_id, "el:a:lao-dong-tien-tien")
    stopped = bot.say(user, "/huy")
    assert "dừng" in (stopped.text or "")
    # a stale button after /huy does not resume anything: the query is answered, nothing is sent or edited
    mark = bot.emu.mark()
    edits = bot.emu.message(user, menu.message_id).edits
    query = bot.emu.press_button(user, menu.message_id, "el:v:rt:HTT")
    bot.emu.wait_for(lambda: any(a.callback_query_id == query for a in bot.emu.callback_answers), WAIT)
    assert bot.emu.message(user, menu.message_id).edits == edits
    assert not bot.emu.sent_messages(user, after=mark)


def test_free_text_verdict_opens_the_guided_check_prefilled(bot: Bot) -> None:
    user = next(_next)
    reply = bot.say(user, "Tôi đạt CSTĐCS 2023, 2024 và 2025. Tôi có đủ điều kiện CSTĐ cấp Bộ không?")
    assert (reply.text or "").startswith("❔")
    go = [b for b in buttons(reply) if b.startswith("el:go:")]
    assert go and "ans:cstd-bo.ho-so" in buttons(reply)
    mark = bot.emu.mark()
    bot.emu.press_button(user, reply.message_id, go[0])
    [started] = bot.emu.wait_for_messages(user, 1, WAIT, after=mark)
    bot.emu.wait_for(lambda: bot.emu.message(user, started.message_id).edits >= 1, WAIT, description="first question")
    question = bot.emu.message(user, started.message_id)
    assert "cấp nào" in question.text  # the three CSTĐ cơ sở years were understood: that question is skipped
    bot.press_and_wait_edit(user, started.message_id, "el:v:sk:bo")
    final = bot.press_and_wait_edit(user, started.message_id, "el:v:dc:no")
    assert final.text.startswith("✅")


def test_group_addressed(bot: Bot) -> None:
    group, user = -(next(_next)), next(_next)
    text = f"/dudieukien@{bot.emu.bot_username}"
    pushed = bot.emu.send_text(group, text, user=user, chat_type="group", chat_title="Phòng TCCB")
    [menu] = bot.emu.wait_for_messages(group, 1, WAIT, after=pushed)
    step = bot.press_and_wait_edit(group, menu.message_id, "el:a:co-thi-dua-bo", user=user)
    assert "dẫn đầu cụm" in step.text
    final = bot.press_and_wait_edit(group, menu.message_id, "el:v:cl:yes", user=user)
    assert final.text.startswith("❔")  # the Cờ's standards are not verified: never "meets"
