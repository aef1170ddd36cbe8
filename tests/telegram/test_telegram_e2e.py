"""End to end: the real `python -m bot --config FILE run` in a subprocess, polling the strict Bot API emulator.

One bot (module scope) serves most scenarios, each with its own chat ids; scenarios that stop, break or fault the
bot get their own emulator and bot. The question log is read with the stdlib sqlite3 module from the bot's real
SQLite file under tmp_path. Every wait is bounded.
"""

from __future__ import annotations

import contextlib
import importlib.util
import itertools
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from bot_process import BotProcess as SubprocessBot
from emulator import BotApiEmulator, SentMessage

from bot.assembly import wire_answerer
from bot.core.answers import Answerer, Reply
from bot.core.knowledge import load_knowledge
from bot.core.records import ANSWER, CHOICE_NONE, FALLBACK, SUGGEST
from bot.storage.question_log import pseudonym

REPO = Path(__file__).resolve().parents[2]
SHIPPED_KNOWLEDGE = REPO / "knowledge"
BOT_ID = 1000000001
# A fresh token per run; hex cannot spell the placeholder words the config check refuses ("your", "token" …).
TOKEN = f"{BOT_ID}:AA{secrets.token_hex(16)}"
USER_KEY_SECRET = "e2e-user-key-secret"
CONTACT = "Phòng Thi đua – Khen thưởng, máy lẻ 4321"
ADMIN_ID = 700000001
WAIT = 10.0  # seconds for any single reply

# Candidate wordings per expected outcome; the first one the bot's own matcher classifies that way is used, so the
# scenarios survive knowledge edits that move a borderline wording.
ANSWERED = ("hồ sơ bằng khen cấp bộ", "tiền thưởng bằng khen cấp bộ", "tiêu chuẩn chiến sĩ thi đua cơ sở")
ANSWERED_PLAIN = ("ho so bang khen cap bo", "tien thuong bang khen cap bo", "tieu chuan chien si thi dua co so")
SUGGESTED = ("xét tặng", "khen cho cá nhân", "cấp bộ", "thủ tục", "hồ sơ")
OUT_OF_SCOPE = ("giá vàng hôm nay", "cách nấu phở bò", "thời tiết Hà Nội ngày mai thế nào")

_ids = itertools.count(1)


def new_user() -> int:
    """A user (and private chat) id no other scenario uses."""
    return 600000000 + next(_ids)


def new_group() -> int:
    return -(900000000 + next(_ids))


def buttons(message: SentMessage | Any) -> list[str]:
    """Callback data of every inline button of a sent or stored message, in order."""
    rows = (message.reply_markup or {}).get("inline_keyboard", [])
    return [b["callback_data"] for row in rows for b in row if "callback_data" in b]


def merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        out[key] = merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


class BotProcess(SubprocessBot):
    """The bot with a config, database and log written under `root` (settings merged over the defaults)."""

    def __init__(self, emu: BotApiEmulator, root: Path, knowledge: Path, **settings: Any) -> None:
        self.root = root
        self.db = root / "questions.sqlite3"
        config = {
            "telegram": {
                "token": emu.token,
                "base_url": emu.base_url,
                "base_file_url": emu.base_file_url,
                "admins": [ADMIN_ID],
                "poll_timeout": 2,
                "overall_max_rate": 1000,
            },
            "storage": {"path": str(self.db), "user_key_secret": USER_KEY_SECRET, "flush_interval": 0.1},
            "knowledge": {"path": str(knowledge)},
            "contact": CONTACT,
        }
        self.config_path = root / "config.yaml"
        self.config_path.write_text(yaml.safe_dump(merge(config, settings), allow_unicode=True), encoding="utf-8")
        super().__init__(emu, self.config_path, root / "bot.stderr")

    def stderr(self) -> str:
        return self.output()

    # -- the question log, read with the stdlib sqlite3 module ----------------------------------------------

    def rows(self, where: str = "1", params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        with contextlib.closing(sqlite3.connect(self.db, timeout=5)) as con:
            con.row_factory = sqlite3.Row
            return con.execute(f"SELECT * FROM questions WHERE {where} ORDER BY id", params).fetchall()

    def wait_rows(
        self, where: str, params: tuple[Any, ...] = (), until: Callable[[list[sqlite3.Row]], bool] = bool,
        timeout: float = WAIT,
    ) -> list[sqlite3.Row]:
        """Poll the log until `until(rows)` holds (the writer flushes every 0.1 s)."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.rows(where, params)
            if until(found):
                return found
            if time.monotonic() > deadline:
                raise AssertionError(f"question log: {where} {params} not as expected after {timeout}s: "
                                     f"{[dict(r) for r in found]!r}")
            time.sleep(0.05)

    def row_by_ref(self, ref: str, until: Callable[[sqlite3.Row], bool] = lambda r: True) -> sqlite3.Row:
        return self.wait_rows("ref = ?", (ref,), lambda rows: len(rows) == 1 and until(rows[0]))[0]


def user_key(user_id: int) -> str:
    return pseudonym(user_id, USER_KEY_SECRET)


def copy_knowledge(root: Path, source: Path = SHIPPED_KNOWLEDGE) -> Path:
    """A snapshot of the knowledge (the shipped files may be edited while tests run; /tailai breaks its copy)."""
    target = root / "knowledge"
    shutil.copytree(source, target)
    return target


def start_emulator(**kwargs: Any) -> BotApiEmulator:
    """An emulator with the test token (its backlog is wide enough for the bot's burst of connections)."""
    return BotApiEmulator(TOKEN, bot_id=BOT_ID, **kwargs).start()


@dataclass
class Harness:
    emu: BotApiEmulator
    bot: BotProcess
    answerer: Answerer  # same knowledge and matching settings as the bot: predicts what it will do
    knowledge: Path

    def ask(self, chat_id: int, text: str, **kwargs: Any) -> SentMessage:
        """Send `text` as the user and return the bot's single reply."""
        pushed = self.emu.send_text(chat_id, text, **kwargs)
        [reply] = self.emu.wait_for_messages(chat_id, 1, WAIT, after=pushed)
        return reply

    def press(self, chat_id: int, message_id: int, data: str, **kwargs: Any) -> str:
        return self.emu.press_button(chat_id, message_id, data, **kwargs)

    def wait_answered(self, query_id: str) -> None:
        self.emu.wait_for(lambda: any(a.callback_query_id == query_id for a in self.emu.callback_answers), WAIT,
                          description=f"callback query {query_id} to be answered")

    def wait_edits(self, chat_id: int, message_id: int, edits: int) -> Any:
        self.emu.wait_for(lambda: self.emu.message(chat_id, message_id).edits >= edits, WAIT,
                          description=f"{edits} edit(s) of message {message_id}")
        return self.emu.message(chat_id, message_id)

    def pick(self, status: str, candidates: tuple[str, ...]) -> tuple[str, Reply]:
        """The first candidate wording the bot will classify as `status`."""
        for text in candidates:
            reply = self.answerer.ask(text)
            if reply.status == status and (status != FALLBACK or not reply.suggestions):
                return text, reply
        raise AssertionError(f"none of {candidates!r} is classified {status!r} by the current knowledge")

    def text(self, name: str) -> str:
        return self.answerer.text(name, "vi")


def rejected_since(emu: BotApiEmulator, mark: int) -> list[Any]:
    return [(r.method, r.status, r.description) for r in emu.rejected if r.seq > mark]


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    """One bot for most scenarios: 3 questions per user per minute, 300 characters at most, privacy mode off."""
    root = tmp_path_factory.mktemp("e2e-shared")
    knowledge = copy_knowledge(root)
    emu = start_emulator(group_privacy=False)
    bot = BotProcess(emu, root, knowledge, limits={"questions_per_minute": 3, "max_question_length": 300})
    try:
        bot.start()
        yield Harness(emu, bot, wire_answerer(load_knowledge(knowledge), contact=CONTACT), knowledge)
    finally:
        code = bot.stop() if bot.proc is not None else None
        emu.stop()
    stderr = bot.stderr()
    assert code == 0, stderr
    assert "bot started" in stderr and "bot stopped" in stderr
    assert f"event loop {'uvloop' if importlib.util.find_spec('uvloop') else 'asyncio'}" in stderr  # telegram.uvloop
    assert emu.token not in stderr and emu.token.split(":")[1] not in stderr
    assert "Traceback" not in stderr, stderr


@pytest.fixture
def h(shared: Harness) -> Iterator[Harness]:
    """The shared bot; after the scenario: no refused request, and the bot still runs."""
    mark = shared.emu.mark()
    yield shared
    assert not rejected_since(shared.emu, mark)
    assert not shared.emu.internal_errors
    assert shared.bot.alive(), shared.bot.stderr()


@pytest.fixture
def own_bot(tmp_path: Path, shared: Harness) -> Iterator[Callable[..., Harness]]:
    """Factory: a separate emulator and bot for one scenario, on a copy of the shared bot's knowledge (so the
    shared answerer predicts it); stopped and checked for the token afterwards."""
    started: list[tuple[BotApiEmulator, BotProcess]] = []

    def make(**settings: Any) -> Harness:
        emu = start_emulator()
        knowledge = copy_knowledge(tmp_path, shared.knowledge)
        bot = BotProcess(emu, tmp_path, knowledge, **settings)
        started.append((emu, bot))
        bot.start()
        return Harness(emu, bot, shared.answerer, knowledge)

    yield make
    for emu, bot in started:
        with contextlib.suppress(AssertionError):
            bot.stop()
        emu.stop()
        assert emu.token.split(":")[1] not in bot.stderr()


# --------------------------------------------------------------------------- shared bot


def test_commands_registered_for_vi_and_default(h: Harness) -> None:
    commands = h.emu.commands
    vi, default = commands[("default", "vi")], commands[("default", "")]
    names = [c["command"] for c in vi]
    assert names == [c["command"] for c in default]
    assert names == [  # once each, under the Vietnamese name
        "start", "help", "chude", "hoso", "hanchot", "nhacnho", "huynhac", "dudieukien", "hoicanbo", "cauhoicuatoi",
        "xoadulieu",
    ]
    assert len({c["description"] for c in vi}) == len(vi)  # no two entries that look the same
    assert vi != default  # Vietnamese descriptions for "vi", English for everyone else
    assert not any("Vietnamese name" in c["description"] for c in default)


def test_start_greets(h: Harness) -> None:
    user = new_user()
    reply = h.ask(user, "/start")
    assert reply.text == h.text("greeting")
    assert reply.parse_mode == "HTML"


@pytest.mark.parametrize("candidates", [ANSWERED, ANSWERED_PLAIN], ids=["diacritics", "no-diacritics"])
def test_question_answered_in_html_with_legal_basis_and_feedback_buttons(
    h: Harness, candidates: tuple[str, ...]
) -> None:
    user = new_user()
    question, expected = h.pick(ANSWER, candidates)
    reply = h.ask(user, question)
    assert reply.parse_mode == "HTML" and "<b>" in (reply.raw_text or "")  # accepted by the strict HTML parser
    assert "Căn cứ:" in (reply.text or "")
    assert expected.entry is not None and expected.entry.sources[0] in (reply.text or "")
    data = buttons(reply)
    ref = data[0].split(":")[2]
    assert data[:2] == [f"fb:vi:{ref}:1", f"fb:vi:{ref}:-1"]
    row = h.bot.row_by_ref(ref)
    assert (row["status"], row["entry_id"], row["text"]) == (ANSWER, expected.entry.id, question)
    assert row["user_key"] == user_key(user) and str(user) not in row["user_key"]


def test_feedback_thumbs_up_is_recorded(h: Harness) -> None:
    user = new_user()
    question, _ = h.pick(ANSWER, ANSWERED)
    reply = h.ask(user, question)
    ref = buttons(reply)[0].split(":")[2]
    query = h.press(user, reply.message_id, f"fb:vi:{ref}:1")
    h.wait_answered(query)
    assert [a.text for a in h.emu.callback_answers if a.callback_query_id == query] == [h.text("feedback_thanks")]
    edited = h.wait_edits(user, reply.message_id, 1)
    assert not any(d.startswith("fb:") for d in buttons(edited))  # 👍/👎 gone once used
    assert h.bot.row_by_ref(ref, lambda r: r["feedback"] is not None)["feedback"] == 1


def test_suggestion_pressed_gives_the_answer_and_logs_the_choice(h: Harness) -> None:
    user = new_user()
    question, expected = h.pick(SUGGEST, SUGGESTED)
    band = h.ask(user, question)
    assert band.text == expected.message  # the intro and the numbered full questions
    assert all(f"{i}. {s.title}" in (band.text or "") for i, s in enumerate(expected.suggestions, 1))
    data = buttons(band)
    ref = data[0].split(":")[2]
    assert data == [f"pk:vi:{ref}:{s.entry.id}" for s in expected.suggestions] + [f"pk:vi:{ref}:-"]
    assert h.text("suggest_none") in str(band.reply_markup)
    chosen = expected.suggestions[0].entry
    mark = h.emu.mark()
    h.press(user, band.message_id, data[0])
    [answer] = h.emu.wait_for_messages(user, 1, WAIT, after=mark)
    assert answer.parse_mode == "HTML" and "Căn cứ:" in (answer.text or "")
    assert chosen.question_vi.split("?")[0] in (answer.text or "")
    assert buttons(answer)[:2] == [f"fb:vi:{ref}:1", f"fb:vi:{ref}:-1"]
    band_now = h.wait_edits(user, band.message_id, 1)
    assert band_now.reply_markup is None  # the band's buttons are removed, the chosen question stays visible
    assert band_now.text == f"{h.text('suggest_intro')}\n✓ {chosen.question_vi}"
    row = h.bot.row_by_ref(ref, lambda r: r["choice"] is not None)
    assert (row["status"], row["choice"]) == (SUGGEST, chosen.id)
    assert row["suggestions"].count('"') == 2 * len(expected.suggestions)


def test_none_of_these_is_logged_as_none(h: Harness) -> None:
    user = new_user()
    question, _ = h.pick(SUGGEST, SUGGESTED)
    band = h.ask(user, question)
    ref = buttons(band)[0].split(":")[2]
    h.press(user, band.message_id, f"pk:vi:{ref}:-")
    edited = h.wait_edits(user, band.message_id, 1)
    assert edited.text == h.text("none_chosen") and edited.reply_markup is None
    assert CONTACT in (edited.text or "")
    assert h.bot.row_by_ref(ref, lambda r: r["choice"] is not None)["choice"] == CHOICE_NONE


def test_out_of_scope_gets_the_fallback_naming_the_contact(h: Harness) -> None:
    user = new_user()
    question, _ = h.pick(FALLBACK, OUT_OF_SCOPE)
    reply = h.ask(user, question)
    assert reply.text == h.text("fallback") and CONTACT in (reply.text or "")
    assert not buttons(reply)
    [row] = h.bot.wait_rows("user_key = ?", (user_key(user),))
    assert (row["status"], row["text"], row["entry_id"]) == (FALLBACK, question, None)


def test_topics_browsing_edits_one_message(h: Harness) -> None:
    user = new_user()
    menu = h.ask(user, "/chude")
    assert menu.text == h.text("topics_intro")
    topic = next(t for t in h.answerer.knowledge.topics
                 if any(e.topic == t.id and e.award_id is None for e in h.answerer.knowledge.entries.values()))
    queries = [h.press(user, menu.message_id, f"nav:vi:t:{topic.id}:0")]
    listing = h.wait_edits(user, menu.message_id, 1)
    assert listing.text == h.text("topic_questions").format(topic=topic.title.vi)
    entry_data = next(d for d in buttons(listing) if d.startswith("nav:vi:e:"))
    entry = h.answerer.knowledge.entries[entry_data.removeprefix("nav:vi:e:")]
    queries.append(h.press(user, menu.message_id, entry_data))
    shown = h.wait_edits(user, menu.message_id, 2)
    assert "Căn cứ:" in (shown.text or "") and (shown.raw_text or "").startswith("<b>")
    assert buttons(shown) == [f"nav:vi:t:{entry.topic}:0"]
    queries.append(h.press(user, menu.message_id, f"nav:vi:t:{entry.topic}:0"))
    back = h.wait_edits(user, menu.message_id, 3)
    assert back.text == listing.text and buttons(back) == buttons(listing)
    queries.append(h.press(user, menu.message_id, "nav:vi:top"))
    top = h.wait_edits(user, menu.message_id, 4)
    assert top.text == menu.text and buttons(top) == buttons(menu)
    for query in queries:
        h.wait_answered(query)  # each tap answered exactly once (a second answer would be refused)
    assert len(h.emu.sent_messages(user)) == 1  # browsing never sent a second message


def test_dossier_with_award_argument_gives_the_checklist(h: Harness) -> None:
    user = new_user()
    reply = h.ask(user, "/hoso bk bo")
    assert reply.parse_mode == "HTML"
    assert (reply.text or "").startswith(h.text("dossier_title").format(name="Bằng khen cấp Bộ"))
    assert "Căn cứ:" in (reply.text or "")


def test_dossier_without_argument_offers_award_buttons(h: Harness) -> None:
    user = new_user()
    menu = h.ask(user, "/hoso")
    assert menu.text == h.text("dossier_pick")
    awards = h.answerer.knowledge.awards
    assert buttons(menu) == [f"hs:vi:{a.id}" for a in awards]
    mark = h.emu.mark()
    h.press(user, menu.message_id, f"hs:vi:{awards[0].id}")
    [checklist] = h.emu.wait_for_messages(user, 1, WAIT, after=mark)
    assert (checklist.text or "").startswith(h.text("dossier_title").format(name=awards[0].name))


def test_group_answers_only_commands_mentions_and_replies(h: Harness) -> None:
    group, member = new_group(), new_user()
    chatter = h.emu.send_text(group, "chiều nay họp lúc mấy giờ nhỉ", user=member, chat_type="group")
    assert chatter["update_id"] is not None  # privacy mode is off: the bot sees it and must stay silent
    h.emu.wait_idle(quiet=0.3, timeout=WAIT)
    assert h.emu.sent_messages(group) == []

    question, expected = h.pick(ANSWER, ANSWERED)
    mention = h.ask(group, f"@{h.emu.bot_username} {question}", user=member, chat_type="group")
    assert "Căn cứ:" in (mention.text or "")
    assert expected.entry is not None and expected.entry.question_vi.split("?")[0] in (mention.text or "")

    followup, _ = h.pick(ANSWER, ANSWERED[1:])
    reply = h.ask(group, followup, user=member, chat_type="group", reply_to_message_id=mention.message_id)
    assert "Căn cứ:" in (reply.text or "")

    command = h.ask(group, "/hoso bk bo", user=member, chat_type="group")
    assert (command.text or "").startswith(h.text("dossier_title").format(name="Bằng khen cấp Bộ"))

    rows = h.bot.wait_rows("user_key = ?", (user_key(member),), lambda r: len(r) == 2)
    assert [r["chat_type"] for r in rows] == ["group", "group"]
    assert rows[0]["text"] == question  # the mention is not part of the logged question
    assert len(h.emu.sent_messages(group)) == 3


def test_flood_limit_answers_the_fourth_question_politely(h: Harness) -> None:
    user = new_user()
    question, _ = h.pick(ANSWER, ANSWERED)
    for _ in range(3):
        assert "Căn cứ:" in (h.ask(user, question).text or "")
    assert h.ask(user, question).text == h.text("flood")
    mark = h.emu.mark()
    for _ in range(10):  # the rest of the flood: no second "slow down" within the window
        h.emu.send_text(user, question)
    h.emu.wait_idle(quiet=0.3, timeout=WAIT)
    assert h.emu.sent_messages(user, after=mark) == []
    assert len(h.bot.wait_rows("user_key = ?", (user_key(user),), lambda r: len(r) == 3)) == 3


def test_overlong_question_gets_a_clear_reply_and_is_logged_truncated(h: Harness) -> None:
    user = new_user()
    question = ("cho em hỏi hồ sơ đề nghị bằng khen cấp bộ gồm những gì và nộp ở đâu ạ " * 8).strip()
    assert len(question) > 300
    reply = h.ask(user, question)
    assert reply.text == h.text("too_long").format(limit=300)
    [row] = h.bot.wait_rows("user_key = ?", (user_key(user),))
    assert row["text"] == question[:300] and row["status"] == FALLBACK


def test_sticker_gets_a_one_line_hint(h: Harness) -> None:
    user = new_user()
    pushed = h.emu.send_sticker(user)
    [reply] = h.emu.wait_for_messages(user, 1, WAIT, after=pushed)
    assert reply.text == h.text("non_text") and "\n" not in (reply.text or "")


def test_edited_question_is_answered_once(h: Harness) -> None:
    """The first edit of a question gets the answer to the edited wording; later edits get nothing."""
    user = new_user()
    question, _ = h.pick(ANSWER, ANSWERED)
    pushed = h.emu.send_text(user, question)
    h.emu.wait_for_messages(user, 1, WAIT, after=pushed)
    message_id = pushed["message"]["message_id"]
    edited = h.emu.send_edited_text(user, message_id, "tiền thưởng bằng khen cấp bộ")
    [reply] = h.emu.wait_for_messages(user, 1, WAIT, after=edited)
    assert "Căn cứ:" in (reply.text or "")
    mark = h.emu.mark()
    h.emu.send_edited_text(user, message_id, "hồ sơ bằng khen cấp bộ")
    h.emu.wait_idle(quiet=0.3, timeout=WAIT)
    assert h.emu.sent_messages(user, after=mark) == []
    assert len(h.bot.wait_rows("user_key = ?", (user_key(user),), lambda r: len(r) == 2)) == 2


@pytest.mark.parametrize("command", ["/tailai", "/reload"])
def test_admin_command_refused_to_a_non_admin(h: Harness, command: str) -> None:
    user = new_user()
    lang = "en" if command == "/reload" else "vi"  # the command's own language
    assert h.ask(user, command).text == h.answerer.text("not_admin", lang)


def test_forget_me_deletes_the_users_rows_after_confirmation(h: Harness) -> None:
    user, other = new_user(), new_user()
    question, _ = h.pick(ANSWER, ANSWERED)
    h.ask(user, question)
    h.ask(user, "câu hỏi thứ hai: " + question)
    h.ask(other, question)
    h.bot.wait_rows("user_key = ?", (user_key(user),), lambda r: len(r) == 2)
    confirm = h.ask(user, "/xoadulieu")
    assert confirm.text == h.text("forget_confirm")
    assert buttons(confirm) == [f"fg:vi:yes:{user}", f"fg:vi:no:{user}"]
    h.press(user, confirm.message_id, f"fg:vi:yes:{user}")
    done = h.wait_edits(user, confirm.message_id, 1)
    assert done.text == h.text("forget_done").format(questions=2, subscriptions=0, reminders=0)
    assert h.bot.rows("user_key = ?", (user_key(user),)) == []
    assert len(h.bot.rows("user_key = ?", (user_key(other),))) == 1


# --------------------------------------------------------------------------- bots of their own


def test_reload_with_broken_knowledge_keeps_the_previous_version(own_bot: Callable[..., Harness]) -> None:
    harness = own_bot()
    emu, bot, answerer = harness.emu, harness.bot, harness.answerer
    question, expected = harness.pick(ANSWER, ANSWERED)
    broken = harness.knowledge / "faq" / "van-ban.yaml"
    good = broken.read_text(encoding="utf-8")
    broken.write_text(good.replace("    answer:", "    answr:", 1), encoding="utf-8")

    failed = harness.ask(ADMIN_ID, "/tailai")
    head = answerer.text("reload_failed", "vi").format(version=answerer.knowledge.version)
    assert (failed.text or "").startswith(head)
    assert "van-ban.yaml" in (failed.text or "") and "answr" in (failed.text or "")
    still = harness.ask(ADMIN_ID, question)
    assert expected.entry is not None and expected.entry.question_vi.split("?")[0] in (still.text or "")

    broken.write_text(good, encoding="utf-8")
    pushed = emu.send_text(ADMIN_ID, "/reload")
    [ok] = emu.wait_for_messages(ADMIN_ID, 1, 60.0, after=pushed)  # a full rebuild: slow on a loaded machine
    version = answerer.knowledge.version
    entries = len(answerer.knowledge.entries)
    assert ok.text == answerer.text("reload_ok", "en").format(version=version, entries=entries)  # /reload: English
    assert "Căn cứ:" in (harness.ask(ADMIN_ID, question).text or "")
    assert not emu.rejected
    assert bot.stop() == 0


def test_sigterm_with_200_questions_in_flight_logs_all_and_exits_0(own_bot: Callable[..., Harness]) -> None:
    harness = own_bot()
    emu, bot = harness.emu, harness.bot
    emu.delay("sendMessage", 0.3)  # keep replies in flight when the signal arrives
    users = [new_user() for _ in range(200)]
    wordings = ANSWERED + SUGGESTED + OUT_OF_SCOPE
    for i, user in enumerate(users):
        emu.send_text(user, wordings[i % len(wordings)])
    emu.wait_for(lambda: not emu.pending_updates, WAIT, description="the bot to fetch all 200 updates")
    answered_before = len(emu.sent_messages())
    assert answered_before < 200
    code = bot.stop(timeout=40)
    stderr = bot.stderr()
    assert code == 0, stderr
    assert len(bot.rows()) == 200
    assert {r["user_key"] for r in bot.rows()} == {user_key(u) for u in users}
    assert sorted(m.chat_id for m in emu.sent_messages()) == sorted(users)  # every question got its reply
    assert not emu.rejected
    assert "bot stopped: 200 questions written" in stderr


def test_429_and_5xx_on_send_message_still_answer_every_question(own_bot: Callable[..., Harness]) -> None:
    """429 is retried by AIORateLimiter(max_retries=5); 5xx by the bot's RetryingRateLimiter (PTB does not)."""
    harness = own_bot(log_level="DEBUG")  # the token must stay out of even the most verbose log
    emu, bot = harness.emu, harness.bot
    question, _ = harness.pick(ANSWER, ANSWERED)
    emu.inject("sendMessage", 429, retry_after=1, times=2)
    emu.inject("sendMessage", 502, times=2)
    emu.inject("sendMessage", 500, times=1)
    users = [new_user() for _ in range(8)]
    for user in users:
        emu.send_text(user, question)
    for user in users:
        [reply] = emu.wait_for_messages(user, 1, 20)
        assert "Căn cứ:" in (reply.text or ""), reply.text  # the answer, not the error message
    emu.wait_idle(quiet=0.3, timeout=WAIT)
    assert [len(emu.sent_messages(user)) for user in users] == [1] * 8  # no error message, no duplicate
    assert sorted(r.status for r in emu.rejected) == [429, 429, 500, 502, 502]
    assert [f.hits for f in emu.faults] == [2, 2, 1]
    assert bot.stop() == 0
    assert len(bot.rows("status = ?", (ANSWER,))) == 8
    stderr = bot.stderr()
    assert stderr.count("sendMessage failed") >= 3 and "Traceback" not in stderr


def test_uvloop_off_runs_on_asyncios_own_loop(own_bot: Callable[..., Harness]) -> None:
    harness = own_bot(telegram={"uvloop": False})
    question, _ = harness.pick(ANSWER, ANSWERED)
    assert "Căn cứ:" in (harness.ask(new_user(), question).text or "")
    assert harness.bot.stop() == 0
    stderr = harness.bot.stderr()
    assert "event loop asyncio" in stderr and "Traceback" not in stderr


# --------------------------------------------------------------------------- no bot at all


def test_run_with_a_placeholder_token_exits_2(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump({"telegram": {"token": "123456:your-token-here"}}), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("TDKT_")}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(config), "run"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=30, check=False,
    )
    assert done.returncode == 2
    assert "looks like a placeholder" in done.stderr and "TDKT_BOT_TOKEN" in done.stderr
    assert "your-token-here" not in done.stderr
