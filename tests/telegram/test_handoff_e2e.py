"""End to end, issue 15: a question the bot cannot answer goes to the organisers' group and comes back answered.

The real bot (`python -m bot --config FILE run`) polls the strict emulator; the group keeps Telegram's privacy mode
(the bot sees commands and replies to its own messages only). The ticket table is read with the stdlib sqlite3.
"""

from __future__ import annotations

import contextlib
import itertools
import re
import secrets
import shutil
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from bot_process import BotProcess
from emulator import BotApiEmulator, SentMessage

from bot.assembly import wire_answerer
from bot.core.knowledge import load_knowledge
from bot.core.records import FALLBACK
from bot.storage.question_log import pseudonym

REPO = Path(__file__).resolve().parents[2]
BOT_ID = 1000000001
TOKEN = f"{BOT_ID}:AA{secrets.token_hex(16)}"
SECRET = "handoff-e2e-secret"
ADMIN = 700000001
ORGANISER_1 = {"id": 700000011, "first_name": "Lan", "last_name": "Trần"}
ORGANISER_2 = {"id": 700000012, "first_name": "Minh", "last_name": "Lê"}
GROUP = -1001234567
WAIT = 10.0
# Questions the shipped knowledge cannot answer (the first one the matcher sends to the fallback is used).
UNANSWERED = (
    "Đoàn viên công đoàn được tặng giấy khen của công đoàn ngành không?",
    "công đoàn cơ sở có được tặng cờ thi đua của công đoàn ngành không",
    "giá vàng hôm nay",
)
ANSWER = "Việc này do công đoàn ngành xét theo quy chế riêng; đơn vị liên hệ Công đoàn Bộ để được hướng dẫn."
_ids = itertools.count(1)



def new_user() -> int:
    return 610000000 + next(_ids)


def buttons(message: Any) -> list[str]:
    rows = (message.reply_markup or {}).get("inline_keyboard", [])
    return [b["callback_data"] for row in rows for b in row if "callback_data" in b]


class Bot:
    """Config, database and log of one bot under `root`; restartable on the same database."""

    def __init__(self, emu: BotApiEmulator, root: Path, **handoff: Any) -> None:
        self.emu, self.root = emu, root
        self.db = root / "bot.sqlite3"
        self.knowledge = root / "knowledge"
        if not self.knowledge.exists():
            shutil.copytree(REPO / "knowledge", self.knowledge)
        config = {
            "telegram": {"token": emu.token, "base_url": emu.base_url, "base_file_url": emu.base_file_url,
                         "admins": [ADMIN], "poll_timeout": 2, "overall_max_rate": 1000},
            "storage": {"path": str(self.db), "user_key_secret": SECRET, "flush_interval": 0.1},
            "knowledge": {"path": str(self.knowledge)},
            "handoff": {"chat_id": GROUP, **handoff},
        }
        self.config = root / "config.yaml"
        self.config.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
        self.runs = 0
        self.proc: BotProcess | None = None

    def start(self) -> Bot:
        self.runs += 1
        self.proc = BotProcess(self.emu, self.config, self.root / f"bot-{self.runs}.log").start()
        return self

    def tickets(self, where: str = "1", params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        with contextlib.closing(sqlite3.connect(self.db, timeout=5)) as con:
            con.row_factory = sqlite3.Row
            return con.execute(f"SELECT * FROM tickets WHERE {where} ORDER BY number", params).fetchall()

    def wait_ticket(self, number: int, column: str, value: Any) -> sqlite3.Row:
        deadline = time.monotonic() + WAIT
        while True:
            rows = self.tickets("number = ?", (number,))
            if rows and rows[0][column] == value:
                return rows[0]
            if time.monotonic() > deadline:
                raise AssertionError(f"ticket #{number}: {column} != {value!r}: {[dict(r) for r in rows]}")
            time.sleep(0.05)


@pytest.fixture(scope="module")
def answerer() -> Any:
    return wire_answerer(load_knowledge(REPO / "knowledge"))


@pytest.fixture(scope="module")
def question(answerer: Any) -> str:
    for text in UNANSWERED:
        reply = answerer.ask(text)
        if reply.status == FALLBACK and not reply.suggestions:
            return text
    raise AssertionError("every candidate question is answered by the current knowledge")


def start_emulator() -> BotApiEmulator:
    emu = BotApiEmulator(TOKEN, bot_id=BOT_ID).start()
    emu.add_chat(GROUP, "supergroup", title="Cán bộ thi đua")
    return emu


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bot]:
    emu = start_emulator()
    bot = Bot(emu, tmp_path_factory.mktemp("handoff"), max_open_per_user=2)
    try:
        bot.start()
        yield bot
    finally:
        code = bot.proc.stop() if bot.proc is not None else None
        emu.stop()
    log = bot.proc.output() if bot.proc else ""
    assert code == 0, log
    assert "Traceback" not in log, log


@pytest.fixture
def b(shared: Bot) -> Iterator[Bot]:
    mark = shared.emu.mark()
    yield shared
    injected = (403, 429, 502)  # the faults scenarios inject on purpose
    assert not [(r.method, r.description) for r in shared.emu.rejected if r.seq > mark and r.status not in injected]
    assert not shared.emu.internal_errors
    assert shared.proc is not None and shared.proc.alive(), shared.proc.output() if shared.proc else ""


def say(
    emu: BotApiEmulator, chat: int, text: str, count: int = 1, timeout: float = WAIT, **kwargs: Any
) -> list[SentMessage]:
    pushed = emu.send_text(chat, text, **kwargs)
    return emu.wait_for_messages(chat, count, timeout, after=pushed)


def press(emu: BotApiEmulator, chat: int, message_id: int, data: str, **kwargs: Any) -> None:
    query = emu.press_button(chat, message_id, data, **kwargs)
    emu.wait_for(lambda: any(a.callback_query_id == query for a in emu.callback_answers), WAIT,
                 description=f"the answer to callback {data}")


def reply_in_group(emu: BotApiEmulator, message_id: int, text: str, who: dict[str, Any]) -> dict[str, Any]:
    return emu.send_text(GROUP, text, user=who, chat_type="supergroup", reply_to_message_id=message_id)


def open_ticket(emu: BotApiEmulator, chat: int, text: str, **kwargs: Any) -> tuple[int, SentMessage]:
    """/hoicanbo from a user: the ticket number and the ticket message in the group."""
    mark = emu.mark()
    [confirmation] = say(emu, chat, f"/hoicanbo {text}", **kwargs)
    number = int(re.search(r"#(\d+)", confirmation.text or "")[1])  # type: ignore[index]
    assert confirmation.text.startswith(f"Đã chuyển câu hỏi tới cán bộ thi đua (mã #{number})")  # type: ignore[union-attr]
    [posted] = [m for m in emu.sent_messages(GROUP, after=mark) if f"#{number}" in (m.text or "")]
    return number, posted


def answers_to(emu: BotApiEmulator, user: int) -> list[SentMessage]:
    return [m for m in emu.sent_messages(user) if (m.text or "").startswith("💬")]


# --------------------------------------------------------------------------- the loop


def test_fallback_ticket_answer_draft_publish_then_the_bot_answers(b: Bot, question: str) -> None:
    emu, user = b.emu, new_user()
    [fallback] = say(emu, user, question)
    ask = [d for d in buttons(fallback) if d.startswith("ho:r:")]
    assert ask, buttons(fallback)
    assert "Hỏi cán bộ thi đua" in str(fallback.reply_markup)

    mark = emu.mark()
    press(emu, user, fallback.message_id, ask[0])
    [posted] = emu.wait_for_messages(GROUP, 1, WAIT, after=mark)
    [told] = emu.wait_for_messages(user, 1, WAIT, after=mark)
    number = int(re.search(r"#(\d+)", posted.text or "")[1])  # type: ignore[index]
    assert told.text.startswith(f"Đã chuyển câu hỏi tới cán bộ thi đua (mã #{number})")  # type: ignore[union-attr]
    assert question in (posted.text or "") and "không trả lời được" in (posted.text or "")
    assert "ẩn danh" in (posted.text or "") and f"Người dùng {user}" not in (posted.text or "")
    assert buttons(emu.message(user, fallback.message_id)) == []  # the button is used up
    row = b.wait_ticket(number, "status", "open")
    assert row["user_key"] == pseudonym(user, SECRET) and str(user) not in row["user_key"]
    assert (row["chat_id"], row["question"], row["lang"]) == (user, question, "vi")

    # An organiser replies to the ticket: the user gets the answer once, quoting the question.
    mark = emu.mark()
    reply_in_group(emu, posted.message_id, ANSWER, ORGANISER_1)
    [relayed] = emu.wait_for_messages(user, 1, WAIT, after=mark)
    assert ANSWER in (relayed.text or "") and question in (relayed.text or "") and f"#{number}" in relayed.text
    row = b.wait_ticket(number, "delivery", "sent")
    assert (row["status"], row["answered_by"], row["answer"]) == ("answered", "Lan Trần", ANSWER)
    emu.wait_for(lambda: "Đã trả lời: Lan Trần" in (emu.message(GROUP, posted.message_id).text or ""), WAIT,
                 description="the ticket message to show who answered")
    ticket_message = emu.message(GROUP, posted.message_id)
    assert f"tk:s:{number}" in buttons(ticket_message) and f"tk:g:{number}" in buttons(ticket_message)

    # A second organiser's reply is refused and never reaches the user.
    mark = emu.mark()
    [refused] = say(emu, GROUP, "Trả lời khác", user=ORGANISER_2, chat_type="supergroup",
                    reply_to_message_id=posted.message_id)
    assert "đã được trả lời" in (refused.text or "")
    emu.wait_idle()
    assert emu.sent_messages(user, after=mark) == []
    assert len(answers_to(emu, user)) == 1

    # "Lưu vào kho": a draft that is not served.
    press(emu, GROUP, posted.message_id, f"tk:s:{number}", user=ORGANISER_1)
    draft_id = f"can-bo-{number}"
    emu.wait_for(lambda: (b.knowledge / "drafts.yaml").exists(), WAIT, description="drafts.yaml")
    [draft] = yaml.safe_load((b.knowledge / "drafts.yaml").read_text(encoding="utf-8"))["entries"]
    assert (draft["id"], draft["status"], draft["sources"], draft["reviewed"]) == (draft_id, "draft", [], None)
    assert draft["questions"]["vi"] == [question] and draft["answer"]["vi"] == ANSWER
    [again] = say(emu, user, question)
    assert ANSWER not in (again.text or "")  # drafts are never served

    # /duyet: listed as missing sources; completed in chat; published; the bot now answers.
    [listing] = say(emu, GROUP, "/duyet", user=ORGANISER_1, chat_type="supergroup")
    assert draft_id in (listing.text or "") and "thiếu nguồn" in (listing.text or "")
    [premature] = say(emu, GROUP, f"/duyet {draft_id}", user=ORGANISER_1, chat_type="supergroup")
    assert "Chưa đăng được" in (premature.text or "")
    say(emu, GROUP, f"/duyet {draft_id} nguon Luật Thi đua, khen thưởng 06/2022/QH15, Điều 84",
        user=ORGANISER_1, chat_type="supergroup")
    [ready] = say(emu, GROUP, f"/duyet {draft_id} ngay 2026-12-01", user=ORGANISER_1, chat_type="supergroup")
    assert "sẵn sàng đăng" in (ready.text or "")
    [published] = say(emu, GROUP, f"/duyet {draft_id}", user=ORGANISER_1, chat_type="supergroup", timeout=60)
    assert "Đã đăng" in (published.text or ""), published.text
    assert yaml.safe_load((b.knowledge / "drafts.yaml").read_text(encoding="utf-8"))["entries"] == []
    [answered] = say(emu, user, question)
    assert ANSWER in (answered.text or "") and "Điều 84" in (answered.text or "")

    [mine] = say(emu, user, "/cauhoicuatoi")
    assert f"#{number}" in (mine.text or "") and "đã trả lời" in (mine.text or "") and ANSWER in mine.text


def test_english_user_reads_english(b: Bot) -> None:
    emu, user = b.emu, new_user()
    mark = emu.mark()
    [told] = say(emu, user, "/ask_human can trade union members get a ministry certificate?", language_code="en")
    assert told.text.startswith("Your question was passed to the organisers (ticket #")  # type: ignore[union-attr]
    assert "they may answer in Vietnamese" in (told.text or "")
    assert "Let an organiser contact me directly" in str(told.reply_markup)
    [posted] = emu.wait_for_messages(GROUP, 1, WAIT, after=mark)
    assert "tiếng Anh" in (posted.text or "")  # organisers read Vietnamese, with the asker's language noted
    mark = emu.mark()
    reply_in_group(emu, posted.message_id, "Please ask the Trade Union of the Ministry.", ORGANISER_1)
    [relayed] = emu.wait_for_messages(user, 1, WAIT, after=mark)
    assert relayed.text.startswith("💬 An organiser answered your question")  # type: ignore[union-attr]
    [mine] = say(emu, user, "/mytickets", language_code="en")
    assert "answered" in (mine.text or "") and "Please ask the Trade Union" in (mine.text or "")


def test_thumbs_down_offers_the_button(b: Bot) -> None:
    emu, user = b.emu, new_user()
    [reply] = say(emu, user, "hồ sơ bằng khen cấp bộ")
    [down] = [d for d in buttons(reply) if d.startswith("fb:") and d.endswith(":-1")]
    ref = down.split(":")[-2]
    press(emu, user, reply.message_id, down)
    emu.wait_for(lambda: f"ho:r:{ref}" in buttons(emu.message(user, reply.message_id)), WAIT,
                 description="the ask button after 👎")
    mark = emu.mark()
    press(emu, user, reply.message_id, f"ho:r:{ref}")
    [posted] = emu.wait_for_messages(GROUP, 1, WAIT, after=mark)
    assert "người hỏi bấm 👎" in (posted.text or "") and "hồ sơ bằng khen cấp bộ" in (posted.text or "")


def test_none_of_these_offers_the_button_and_attach_adds_a_phrasing(b: Bot, answerer: Any) -> None:
    emu, user = b.emu, new_user()
    candidates = ("xét tặng", "khen cho cá nhân", "đề nghị", "hội đồng", "cấp bộ", "thủ tục", "hồ sơ")
    question = next((q for q in candidates if answerer.ask(q).status == "suggest"), None)
    assert question is not None, f"none of {candidates} gets suggestions from the current knowledge"
    [band] = say(emu, user, question)
    [none] = [d for d in buttons(band) if d.startswith("pk:") and d.endswith(":-")]
    ref = none.split(":")[-2]
    press(emu, user, band.message_id, none)
    emu.wait_for(lambda: buttons(emu.message(user, band.message_id)) == [f"ho:r:{ref}"], WAIT,
                 description="the ask button after 'Không phải các câu này'")
    mark = emu.mark()
    press(emu, user, band.message_id, f"ho:r:{ref}")
    [posted] = emu.wait_for_messages(GROUP, 1, WAIT, after=mark)
    assert "Không phải các câu này" in (posted.text or "") and "gợi ý" in (posted.text or "")
    number = int(re.search(r"#(\d+)", posted.text or "")[1])  # type: ignore[index]
    reply_in_group(emu, posted.message_id, "Bạn xem mục gợi ý đầu tiên.", ORGANISER_2)
    b.wait_ticket(number, "delivery", "sent")
    emu.wait_for(lambda: f"tk:g:{number}" in buttons(emu.message(GROUP, posted.message_id)), WAIT)
    mark = emu.mark()
    press(emu, GROUP, posted.message_id, f"tk:g:{number}", user=ORGANISER_2)
    [menu] = emu.wait_for_messages(GROUP, 1, WAIT, after=mark)
    choices = [d for d in buttons(menu) if d.startswith(f"tk:ga:{number}:")]
    assert choices, menu
    entry_id = choices[0].split(":", 3)[3]
    press(emu, GROUP, menu.message_id, choices[0], user=ORGANISER_2)
    emu.wait_for(lambda: "Đã gắn" in (emu.message(GROUP, menu.message_id).text or ""), 60,
                 description="the phrasing to be attached")
    learned = yaml.safe_load((b.knowledge / "learned.yaml").read_text(encoding="utf-8"))
    assert question in learned["phrasings"][entry_id]


def test_thongke_shows_ticket_counts_only(b: Bot) -> None:
    emu = b.emu
    pushed = emu.send_text(ADMIN, "/thongke")
    emu.wait_for(lambda: any("Phiếu hỏi cán bộ" in (m.text or "") for m in emu.sent_messages(ADMIN, after=pushed)),
                 30, description="/thongke with ticket counts")
    [summary] = [m for m in emu.sent_messages(ADMIN, after=pushed) if "Phiếu hỏi cán bộ" in (m.text or "")]
    lines = [line for line in (summary.text or "").splitlines() if "Phiếu hỏi cán bộ" in line]
    assert [line.split(" — ")[0] for line in lines] == ["7 ngày", "30 ngày"]
    for line in lines:  # counts only: no question, no answer, no organiser
        assert re.fullmatch(r"\d+ ngày — Phiếu hỏi cán bộ: \d+ mở, \d+ đã trả lời \(trung vị [^)]+\), \d+ đóng, "
                            r"\d+ đang chờ; \d+ bản nháp chờ duyệt", line), line


def test_a_429_is_retried_and_delivered_once(b: Bot) -> None:
    emu, user = b.emu, new_user()
    number, posted = open_ticket(emu, user, "câu hỏi gặp giới hạn tốc độ")
    emu.inject("sendMessage", 429, retry_after=1, chat_id=user, times=1)
    reply_in_group(emu, posted.message_id, ANSWER, ORGANISER_1)
    b.wait_ticket(number, "delivery", "sent")
    emu.wait_idle()
    assert len(answers_to(emu, user)) == 1


def test_reply_that_is_not_to_a_ticket_gets_a_hint(b: Bot) -> None:
    emu = b.emu
    [listing] = say(emu, GROUP, "/duyet", user=ORGANISER_1, chat_type="supergroup")
    [hint] = say(emu, GROUP, "câu trả lời nhầm chỗ", user=ORGANISER_1, chat_type="supergroup",
                 reply_to_message_id=listing.message_id)
    assert "không phải phiếu hỏi" in (hint.text or "")
    # A message in the group that is neither a command nor a reply to the bot is not seen (privacy mode).
    assert emu.send_text(GROUP, "chào cả nhà", user=ORGANISER_2, chat_type="supergroup")["update_id"] is None


def test_non_organiser_cannot_review_or_act(b: Bot) -> None:
    emu, user = b.emu, new_user()
    [refused] = say(emu, user, "/duyet")
    assert "quản trị" in (refused.text or "").lower() or "không có quyền" in (refused.text or "").lower(), refused.text
    other_group = -1009999999
    [refused] = say(emu, other_group, "/duyet", user=user, chat_type="supergroup")
    assert "Bản nháp" not in (refused.text or "")


def test_names_stay_private_unless_the_user_allows_contact(b: Bot) -> None:
    emu, user = b.emu, new_user()
    person = {"id": user, "first_name": "Hoa", "last_name": "Nguyễn", "username": "hoanguyen_tdkt"}
    mark = emu.mark()
    number, posted = open_ticket(emu, user, "Thủ tục khen công đoàn ngành thế nào?", user=person)
    assert "Hoa" not in (posted.text or "") and "hoanguyen_tdkt" not in (posted.text or "")
    [confirmation] = [m for m in emu.sent_messages(user, after=mark)]
    press(emu, user, confirmation.message_id, f"ho:c:{number}")
    emu.wait_for(lambda: "@hoanguyen_tdkt" in (emu.message(GROUP, posted.message_id).text or ""), WAIT,
                 description="the name on the ticket after consent")
    assert b.tickets("number = ?", (number,))[0]["contact"].startswith("Nguyễn Hoa") or "Hoa" in str(
        b.tickets("number = ?", (number,))[0]["contact"])


def test_open_tickets_are_capped_and_closing_tells_the_user(b: Bot) -> None:
    emu, user = b.emu, new_user()
    first, posted = open_ticket(emu, user, "câu hỏi thứ nhất về công đoàn")
    open_ticket(emu, user, "câu hỏi thứ hai về công đoàn")
    [capped] = say(emu, user, "/hoicanbo câu hỏi thứ ba về công đoàn")
    assert "tối đa 2" in (capped.text or "")
    press(emu, GROUP, posted.message_id, f"tk:x:{first}", user=ORGANISER_2)
    emu.wait_for(lambda: f"tk:xr:{first}:0" in buttons(emu.message(GROUP, posted.message_id)), WAIT)
    mark = emu.mark()
    press(emu, GROUP, posted.message_id, f"tk:xr:{first}:0", user=ORGANISER_2)
    [closed] = emu.wait_for_messages(user, 1, WAIT, after=mark)
    assert "đã được cán bộ thi đua đóng" in (closed.text or "") and "ngoài phạm vi" in (closed.text or "")
    assert b.wait_ticket(first, "status", "closed")["close_reason"] == "Ngoài phạm vi TĐKT"
    emu.wait_for(lambda: "Đã đóng: Minh Lê" in (emu.message(GROUP, posted.message_id).text or ""), WAIT)
    [capped] = say(emu, user, "/hoicanbo câu hỏi thứ ba về công đoàn")  # one slot free again
    assert "Đã chuyển" in (capped.text or "")

    # /dong with the organiser's own words, as a reply to the ticket.
    number, posted = open_ticket(emu, new_user(), "câu hỏi sẽ đóng bằng lời của cán bộ")
    asker = b.tickets("number = ?", (number,))[0]["chat_id"]
    mark = emu.mark()
    emu.send_text(GROUP, "/dong đã trả lời trong buổi tập huấn ngày 01/12", user=ORGANISER_1, chat_type="supergroup",
                  reply_to_message_id=posted.message_id)
    [closed] = emu.wait_for_messages(asker, 1, WAIT, after=mark)
    assert "đã trả lời trong buổi tập huấn ngày 01/12" in (closed.text or "")
    assert b.wait_ticket(number, "status", "closed")["answered_by"] == "Lan Trần"
    [again] = say(emu, GROUP, "/dong lần nữa", user=ORGANISER_2, chat_type="supergroup",
                  reply_to_message_id=posted.message_id)
    assert "đã được trả lời hoặc đóng" in (again.text or "")


def test_forget_me_deletes_the_tickets(b: Bot) -> None:
    emu, user = b.emu, new_user()
    number, posted = open_ticket(emu, user, "câu hỏi sẽ bị xoá về công đoàn")
    [confirm] = say(emu, user, "/xoadulieu")
    [yes] = [d for d in buttons(confirm) if d.startswith("fg:") and ":yes" in d]
    press(emu, user, confirm.message_id, yes)
    emu.wait_for(lambda: not b.tickets("number = ?", (number,)), WAIT, description="the ticket to be deleted")
    assert not b.tickets("user_key = ?", (pseudonym(user, SECRET),))
    mark = emu.mark()
    [hint] = say(emu, GROUP, "trả lời muộn", user=ORGANISER_1, chat_type="supergroup",
                 reply_to_message_id=posted.message_id)
    assert "không phải phiếu hỏi" in (hint.text or "")
    assert emu.sent_messages(user, after=mark) == []
    assert "đã được xoá theo yêu cầu" in (emu.message(GROUP, posted.message_id).text or "")


def test_blocked_user_is_marked_in_the_group(b: Bot) -> None:
    emu, user = b.emu, new_user()
    number, posted = open_ticket(emu, user, "câu hỏi của người sẽ chặn bot")
    emu.block(user)
    reply_in_group(emu, posted.message_id, ANSWER, ORGANISER_1)
    b.wait_ticket(number, "delivery", "blocked")
    emu.wait_for(lambda: "đã chặn bot" in (emu.message(GROUP, posted.message_id).text or ""), WAIT,
                 description="the blocked mark on the ticket")
    assert answers_to(emu, user) == []


def test_a_5xx_is_retried_and_delivered_once(b: Bot) -> None:
    emu, user = b.emu, new_user()
    number, posted = open_ticket(emu, user, "câu hỏi gặp lỗi máy chủ")
    emu.inject("sendMessage", 502, chat_id=user, times=1)
    reply_in_group(emu, posted.message_id, ANSWER, ORGANISER_1)
    b.wait_ticket(number, "delivery", "failed")
    deadline = time.monotonic() + 20
    while b.tickets("number = ?", (number,))[0]["delivery"] != "sent":
        assert time.monotonic() < deadline, dict(b.tickets("number = ?", (number,))[0])
        time.sleep(0.1)
    emu.wait_idle()
    assert len(answers_to(emu, user)) == 1


# --------------------------------------------------------------------------- bots of their own


def test_old_open_tickets_are_reposted_with_a_count(tmp_path: Path) -> None:
    emu = start_emulator()
    bot = Bot(emu, tmp_path, remind_after_hours=0.0005)  # 1.8 s
    try:
        bot.start()
        user = new_user()
        number, _ = open_ticket(emu, user, "câu hỏi chờ lâu về công đoàn")
        emu.wait_for(lambda: any((m.text or "").startswith("⏰ 1 phiếu") for m in emu.sent_messages(GROUP)), 15,
                     description="the re-post header")
        repost = emu.wait_for(lambda: [m for m in emu.sent_messages(GROUP)
                                        if (m.text or "").startswith("📨") and "nhắc lại" in (m.text or "")], WAIT)
        assert f"#{number}" in (repost[0].text or "")
        time.sleep(3)  # at most once a day: no second re-post
        assert len([m for m in emu.sent_messages(GROUP) if (m.text or "").startswith("⏰")]) == 1
        mark = emu.mark()
        reply_in_group(emu, repost[0].message_id, ANSWER, ORGANISER_1)  # replying to the re-post works too
        [relayed] = emu.wait_for_messages(user, 1, WAIT, after=mark)
        assert ANSWER in (relayed.text or "")
    finally:
        if bot.proc is not None:
            bot.proc.stop()
        emu.stop()


def test_restart_in_the_middle_of_a_relay_never_sends_twice(tmp_path: Path) -> None:
    emu = start_emulator()
    bot = Bot(emu, tmp_path)
    try:
        bot.start()
        user = new_user()
        number, posted = open_ticket(emu, user, "câu hỏi lúc bot khởi động lại")
        emu.delay("sendMessage", 3.0, chat_id=user, times=1)
        reply_in_group(emu, posted.message_id, ANSWER, ORGANISER_1)
        emu.wait_for(lambda: any(h.chat_id == user for h in emu.fault_hits), WAIT, description="the relay in flight")
        assert bot.tickets("number = ?", (number,))[0]["delivery"] == "claimed"
        assert bot.proc is not None
        bot.proc.kill()  # a crash between the claim and Telegram's answer
        emu.wait_for(lambda: answers_to(emu, user), WAIT, description="the delayed send to land")
        bot.start()
        bot.wait_ticket(number, "delivery", "unknown")
        emu.wait_for(lambda: "Không chắc đã gửi" in (emu.message(GROUP, posted.message_id).text or ""), WAIT)
        time.sleep(6)  # longer than the retry job's interval
        assert len(answers_to(emu, user)) == 1
    finally:
        if bot.proc is not None:
            bot.proc.stop()
        emu.stop()


def test_off_without_a_group(tmp_path: Path) -> None:
    emu = BotApiEmulator(TOKEN, bot_id=BOT_ID).start()
    bot = Bot(emu, tmp_path)
    config = yaml.safe_load(bot.config.read_text(encoding="utf-8"))
    config["handoff"]["chat_id"] = None
    bot.config.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    try:
        bot.start()
        user = new_user()
        [fallback] = say(emu, user, "giá vàng hôm nay")
        assert not [d for d in buttons(fallback) if d.startswith("ho:")]
        [off] = say(emu, user, "/hoicanbo câu hỏi")
        assert "chưa được bật" in (off.text or "")
        assert "cán bộ làm công tác thi đua, khen thưởng" in (off.text or "")
        # In English the contact is named in English, and it is said that it answers in Vietnamese.
        english = new_user()
        [off] = say(emu, english, "/ask_human a question", language_code="en")
        assert (off.text or "").startswith("Asking an organiser is not enabled. Please contact your unit's")
        assert "who answer in Vietnamese" in (off.text or "") and "cán bộ làm công tác" not in (off.text or "")
        [fallback] = say(emu, english, "what is the weather tomorrow", language_code="en")
        assert "who answer in Vietnamese" in (fallback.text or "") and "cán bộ làm" not in (fallback.text or "")
    finally:
        if bot.proc is not None:
            bot.proc.stop()
        emu.stop()
