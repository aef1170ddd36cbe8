"""End to end over real HTTP to the Bot API emulator on 127.0.0.1: subscribing in the running bot, reminder passes
from the CLI and in-process, the .ics export, and the reminder buttons. Every wait is bounded."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import yaml
from bot_process import BotProcess, clean_env
from emulator import BotApiEmulator, SentMessage

from bot.calendar.deadlines import Occurrence, Subscription, calendar_of, due_reminders, upcoming
from bot.config import Config
from bot.core.knowledge import Knowledge, load_knowledge
from bot.storage.database import Storage
from bot.telegram.reminder_send import remind_once

REPO = Path(__file__).resolve().parents[2]
SHIPPED_KNOWLEDGE = REPO / "knowledge"
# The shipped calendar sets no unsourced date (facts A3.1): tests use a dated fixture passed via knowledge.deadlines.
CALENDAR_FIXTURE = REPO / "tests" / "calendar_fixture.yaml"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
WAIT = 10.0
CLI_TIMEOUT = 60.0
DEFAULT_LEADS = (14, 7, 1)
GRACE = 1


def write_config(
    root: Path, emu: BotApiEmulator, knowledge: Path, send_at: str | None = None, deadlines: Path = CALENDAR_FIXTURE
) -> Path:
    """A config for the bot under test; `send_at` moves the daily pass (e.g. away from now); `deadlines` is the
    calendar file (default: the dated test fixture)."""
    config = {
        "telegram": {
            "token": emu.token,
            "base_url": emu.base_url,
            "base_file_url": emu.base_file_url,
            "poll_timeout": 2,
            "overall_max_rate": 1000,
        },
        "storage": {"path": str(root / "bot.sqlite3"), "user_key_secret": "e2e-secret", "flush_interval": 0.1},
        "knowledge": {"path": str(knowledge), "deadlines": str(deadlines)},
        "reminders": {"lead_days": list(DEFAULT_LEADS), "grace_days": GRACE},
    }
    if send_at is not None:
        config["reminders"]["send_at"] = send_at
    path = root / "config.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def cli(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(config), *args],
        cwd=REPO, env=clean_env(), capture_output=True, text=True, timeout=CLI_TIMEOUT, stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def emu() -> Iterator[BotApiEmulator]:
    with BotApiEmulator() as emulator:
        yield emulator


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    """A snapshot of the shipped knowledge: others edit knowledge/ while tests run."""
    target = tmp_path / "knowledge"
    shutil.copytree(SHIPPED_KNOWLEDGE, target)
    return target


@pytest.fixture
def bot_config(tmp_path: Path, emu: BotApiEmulator, knowledge_copy: Path) -> Path:
    return write_config(tmp_path, emu, knowledge_copy)


@pytest.fixture
def running_bot(emu: BotApiEmulator, bot_config: Path) -> Iterator[BotProcess]:
    bot = BotProcess(emu, bot_config).start()
    try:
        yield bot
    finally:
        bot.kill()


def subscription_row(config: Path, chat_id: int) -> sqlite3.Row | None:
    db = yaml.safe_load(config.read_text(encoding="utf-8"))["storage"]["path"]
    with contextlib.closing(sqlite3.connect(db, timeout=5)) as con:
        con.row_factory = sqlite3.Row
        return con.execute("SELECT * FROM subscriptions WHERE chat_id = ?", (chat_id,)).fetchone()


def wait_subscription(config: Path, chat_id: int, check: Any, timeout: float = WAIT) -> sqlite3.Row:
    deadline = time.monotonic() + timeout
    while True:
        row = subscription_row(config, chat_id)
        if row is not None and check(row):
            return row
        if time.monotonic() > deadline:
            raise AssertionError(f"subscription of {chat_id} not as expected after {timeout}s: {row and dict(row)}")
        time.sleep(0.05)


def buttons(message: SentMessage) -> list[str]:
    rows = (message.reply_markup or {}).get("inline_keyboard", [])
    return [b["callback_data"] for row in rows for b in row if "callback_data" in b]


def ask(emu: BotApiEmulator, chat_id: int, text: str) -> SentMessage:
    pushed = emu.send_text(chat_id, text)
    [reply] = emu.wait_for_messages(chat_id, 1, WAIT, after=pushed)
    return reply


def seven_day_target(knowledge: Knowledge, today: dt.date) -> tuple[Occurrence, dt.datetime]:
    """A deadline whose 7-day reminder is the only reminder due that morning, and beyond what a pass could send
    today (so the running bot's own catch-up pass cannot have sent it)."""
    assert calendar_of(knowledge) is not None
    subscriber = [Subscription(1, DEFAULT_LEADS)]
    for occ in upcoming(calendar_of(knowledge), today, 400):
        day = occ.date - dt.timedelta(days=7)
        if day <= today + dt.timedelta(days=GRACE + 1):
            continue
        due = due_reminders(calendar_of(knowledge), subscriber, day, GRACE)
        if [(r.key.deadline_id, r.key.lead_days) for r in due] == [(occ.deadline.id, 7)]:
            return occ, dt.datetime.combine(day, dt.time(8, 0), TZ)
    raise AssertionError("no deadline in the shipped calendar has a lone 7-day reminder")


# -- "Done when" ------------------------------------------------------------------------------------------------


def test_subscribe_in_the_bot_then_the_cli_reminds_exactly_once(
    emu: BotApiEmulator, bot_config: Path, knowledge_copy: Path
) -> None:
    user = 610000001
    bot = BotProcess(emu, bot_config).start()
    try:
        reply = ask(emu, user, "/nhacnho")
        assert "sub:vi:l:7-1" in buttons(reply)
        wait_subscription(bot_config, user, lambda row: row["active"] == 1)
    finally:
        code = bot.stop()
    assert code == 0, bot.output()

    occ, at = seven_day_target(load_knowledge(knowledge_copy, CALENDAR_FIXTURE), dt.datetime.now(TZ).date())
    mark = emu.mark()
    first = cli(bot_config, "remind", "--at", at.strftime("%Y-%m-%dT%H:%M"))
    assert first.returncode == 0, first.stderr
    [reminder] = emu.sent_messages(user, after=mark)
    assert reminder.method == "sendMessage"
    assert occ.deadline.title_vi in (reminder.text or "")
    assert occ.date.strftime("%d/%m/%Y") in (reminder.text or "") and "còn 7 ngày" in (reminder.text or "")
    assert "sent 1," in first.stdout

    mark = emu.mark()
    second = cli(bot_config, "remind", "--at", at.strftime("%Y-%m-%dT%H:%M"))
    assert second.returncode == 0, second.stderr
    assert emu.sent_messages(after=mark) == []
    assert "sent 0," in second.stdout and "skipped 1," in second.stdout
    assert not emu.rejected


# -- a large pass with flood control and blocked chats ----------------------------------------------------------


async def test_pass_over_1000_subscribers_with_429s_and_blocked_chats(
    emu: BotApiEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    knowledge = load_knowledge(SHIPPED_KNOWLEDGE, CALENDAR_FIXTURE)
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    assert calendar_of(knowledge) is not None
    config = Config.model_validate({
        "telegram": {"token": emu.token, "base_url": emu.base_url, "base_file_url": emu.base_file_url,
                     "overall_max_rate": 1000},
        "storage": {"path": str(tmp_path / "bot.sqlite3")},
        "reminders": {"lead_days": list(DEFAULT_LEADS), "grace_days": GRACE},
    })
    occ, at = seven_day_target(knowledge, dt.date(2026, 11, 1))  # time is passed in: any year works
    expected = due_reminders(calendar_of(knowledge), [Subscription(1, DEFAULT_LEADS)], at.date(), GRACE)
    assert [r.occurrence for r in expected] == [occ]
    chats = [500_000_000 + n for n in range(1000)]
    blocked = set(chats[::250]) | {chats[-1]}
    storage = await Storage(config.storage.path).open()
    try:
        for chat_id in chats:
            await storage.subscribe(chat_id, f"u{chat_id}", "vi", DEFAULT_LEADS, None, at - dt.timedelta(days=30))
    finally:
        await storage.close()
    for chat_id in chats:
        emu.add_chat(chat_id)
    for chat_id in blocked:
        emu.block(chat_id)
    emu.inject("sendMessage", 429, retry_after=1, times=3)

    started = time.monotonic()
    result = await remind_once(config, knowledge, at)
    elapsed = time.monotonic() - started
    per_chat = len(expected)
    assert (result.sent, result.failed, result.deactivated) == (
        (len(chats) - len(blocked)) * per_chat, len(blocked), len(blocked)
    )
    assert [f.hits for f in emu.faults] == [3]
    for chat_id in chats:
        got = emu.sent_messages(chat_id)
        assert len(got) == (0 if chat_id in blocked else per_chat), chat_id
    [message] = emu.sent_messages(chats[1])
    assert occ.deadline.title_vi in (message.text or "")
    assert elapsed < 60, f"the pass took {elapsed:.1f}s"

    storage = await Storage(config.storage.path).open()
    try:
        active = {s.chat_id for s in await storage.active_subscriptions()}
    finally:
        await storage.close()
    assert active == set(chats) - blocked

    mark = emu.mark()
    again = await remind_once(config, knowledge, at)
    assert (again.sent, again.failed, again.deactivated) == (0, 0, 0)
    assert again.skipped == (len(chats) - len(blocked)) * per_chat
    assert emu.sent_messages(after=mark) == []


# -- the .ics export ------------------------------------------------------------------------------------------


def ics_events(data: bytes) -> list[tuple[str, str]]:
    cal = icalendar.Calendar.from_ical(data)
    events = []
    for event in cal.walk("VEVENT"):
        start = event.decoded("dtstart")
        assert isinstance(start, dt.date) and not isinstance(start, dt.datetime), "all-day events"
        assert event.decoded("dtend") == start + dt.timedelta(days=1)
        alarms = sorted(alarm.decoded("trigger") for alarm in event.walk("VALARM"))
        assert alarms == [dt.timedelta(days=-lead) for lead in DEFAULT_LEADS]
        events.append((str(event["summary"]), start.isoformat()))
    return sorted(events, key=lambda e: (e[1], e[0]))


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_deadlines_ics_reads_back_with_the_same_events_as_json(
    tmp_path: Path, emu: BotApiEmulator, bot_config: Path, lang: str
) -> None:
    target = tmp_path / "lich.ics"
    written = cli(bot_config, "deadlines", "--ics", str(target), "--days", "400", "--lang", lang)
    listed = cli(bot_config, "deadlines", "--json", "--days", "400", "--lang", lang)
    assert written.returncode == 0 and listed.returncode == 0, written.stderr + listed.stderr
    expected = sorted(((e["title"], e["date"]) for e in json.loads(listed.stdout)), key=lambda e: (e[1], e[0]))
    assert len(expected) >= 10  # every yearly deadline of the shipped calendar
    assert ics_events(target.read_bytes()) == expected
    assert f"wrote {len(expected)} events" in written.stdout


# -- the commands and buttons in the running bot ----------------------------------------------------------------


def download(emu: BotApiEmulator, stored: Any) -> bytes:
    file_id = stored.message["document"]["file_id"]
    url = f"{emu.base_file_url}{emu.token}/documents/{file_id}"
    assert url.startswith("http://127.0.0.1:")
    with urllib.request.urlopen(url, timeout=WAIT) as response:
        return bytes(response.read())


def test_hanchot_on_the_shipped_calendar_says_whose_dates_they_are(
    emu: BotApiEmulator, tmp_path: Path, knowledge_copy: Path
) -> None:
    """The shipped calendar sets no unsourced date: /hanchot points to the Bộ's yearly guidance, with no .ics."""
    config = write_config(tmp_path, emu, knowledge_copy, deadlines=knowledge_copy / "deadlines.yaml")
    bot = BotProcess(emu, config).start()
    try:
        reply = ask(emu, 610000009, "/hanchot")
    finally:
        bot.kill()
    text = reply.text or ""
    assert "hướng dẫn công tác thi đua, khen thưởng hằng năm của Bộ" in text and "Vụ Tổ chức cán bộ" in text
    assert "(còn " not in text  # no countdown line ("15/01/2027 (còn 43 ngày): …")
    assert buttons(reply) == []


def test_hanchot_lists_deadlines_and_sends_the_ics(
    emu: BotApiEmulator, running_bot: BotProcess, knowledge_copy: Path
) -> None:
    user = 610000002
    knowledge = load_knowledge(knowledge_copy, CALENDAR_FIXTURE)
    assert calendar_of(knowledge) is not None
    reply = ask(emu, user, "/hanchot")
    today = dt.datetime.now(TZ).date()
    soon = upcoming(calendar_of(knowledge), today, 90)
    assert soon, "the shipped calendar has deadlines within 90 days"
    for occ in soon[:3]:
        assert occ.deadline.title_vi in (reply.text or "")
        assert occ.date.strftime("%d/%m/%Y") in (reply.text or "")
    assert buttons(reply) == ["ics:vi"]

    mark = emu.mark()
    emu.press_button(user, reply.message_id, "ics:vi")
    [document] = emu.wait_for_messages(user, 1, WAIT, after=mark)
    assert (document.method, document.file_name) == ("sendDocument", "tdkt-thoi-han.ics")
    events = ics_events(download(emu, emu.message(user, document.message_id)))
    assert (soon[0].deadline.title_vi, soon[0].date.isoformat()) in events
    emu.wait_idle()
    assert len(emu.callback_answers) == 1
    assert not emu.rejected


def test_nhacnho_lead_button_and_huynhac_update_the_database(
    emu: BotApiEmulator, running_bot: BotProcess, bot_config: Path
) -> None:
    user = 610000003
    reply = ask(emu, user, "/nhacnho")
    row = wait_subscription(bot_config, user, lambda r: r["active"] == 1)
    assert json.loads(row["lead_days"]) == list(DEFAULT_LEADS) and row["topics"] is None

    emu.press_button(user, reply.message_id, "sub:vi:l:7-1")
    row = wait_subscription(bot_config, user, lambda r: json.loads(r["lead_days"]) == [7, 1])
    assert row["active"] == 1 and row["topics"] is None
    emu.wait_for(lambda: emu.message(user, reply.message_id).edits >= 1, WAIT, description="the confirmation edit")
    assert "7, 1" in (emu.message(user, reply.message_id).text or "")

    # Narrow to one topic from the same keyboard: the lead days chosen before are kept.
    topic_button = next(b for b in buttons(reply) if b.startswith("sub:vi:t:") and b != "sub:vi:t:*")
    emu.press_button(user, reply.message_id, topic_button)
    row = wait_subscription(bot_config, user, lambda r: r["topics"] is not None)
    assert json.loads(row["topics"]) == [topic_button.removeprefix("sub:vi:t:")]
    assert json.loads(row["lead_days"]) == [7, 1]

    stop = ask(emu, user, "/huynhac")
    assert "/nhacnho" in (stop.text or "")
    wait_subscription(bot_config, user, lambda r: r["active"] == 0)
    again = ask(emu, user, "/huynhac")
    assert again.text != stop.text  # "you are not subscribed"
    emu.wait_idle()
    assert not emu.rejected


# -- the running bot's own pass ---------------------------------------------------------------------------------


def only_deadline(knowledge: Path, deadline_id: str, when: dt.date) -> str:
    """Make a one-off deadline the only one of the knowledge copy (the bot's own passes use the real clock, so the
    shipped dates must not add reminders on some days); returns its Vietnamese title."""
    path = knowledge / "deadlines.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    title = f"Hạn thử nghiệm {deadline_id}"
    data["deadlines"] = [{
        "id": deadline_id,
        "title": {"vi": title},
        "date": when.isoformat(),
        "topic": "ho-so",
        "details": {"vi": "Mốc chỉ dùng trong kiểm thử."},
        "source": "Kiểm thử",
        "set_by": "organisers",
    }]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return title


async def subscribe_in_db(config: Path, chat_ids: list[int]) -> None:
    db = Path(yaml.safe_load(config.read_text(encoding="utf-8"))["storage"]["path"])
    storage = await Storage(db).open()
    try:
        for chat_id in chat_ids:
            await storage.subscribe(chat_id, f"u{chat_id}", "vi", DEFAULT_LEADS, None, dt.datetime.now(TZ))
    finally:
        await storage.close()


def far_from_now() -> str:
    """A daily send time 12 hours away, so only the start-up catch-up pass runs during a test."""
    return (dt.datetime.now(TZ) + dt.timedelta(hours=12)).strftime("%H:%M")


async def test_catch_up_pass_of_the_running_bot_sends_once_across_restarts(
    emu: BotApiEmulator, tmp_path: Path, knowledge_copy: Path
) -> None:
    today = dt.datetime.now(TZ).date()
    title = only_deadline(knowledge_copy, "thu-bay-ngay", today + dt.timedelta(days=7))
    config = write_config(
        tmp_path, emu, knowledge_copy, send_at=far_from_now(), deadlines=knowledge_copy / "deadlines.yaml"
    )
    users = [620000001, 620000002, 620000003]
    await subscribe_in_db(config, users)
    for user in users:
        emu.add_chat(user)
    emu.block(users[1])
    knowledge = load_knowledge(knowledge_copy)
    assert calendar_of(knowledge) is not None
    due = due_reminders(calendar_of(knowledge), [Subscription(1, DEFAULT_LEADS)], today, GRACE)
    assert ("thu-bay-ngay", 7) in [(r.key.deadline_id, r.key.lead_days) for r in due]

    for round_ in (1, 2):
        bot = BotProcess(emu, config).start()
        try:
            bot.wait_output("reminder pass:")
            await emu.wait_idle_async(quiet=0.5, timeout=WAIT)
        finally:
            assert bot.stop() == 0, bot.output()
        summary = next(line for line in bot.output().splitlines() if "reminder pass:" in line)
        if round_ == 1:
            assert f"sent {2 * len(due)}, skipped 0, failed 1, deactivated 1" in summary, summary
        else:
            assert f"sent 0, skipped {2 * len(due)}, failed 0, deactivated 0" in summary, summary
        for user in (users[0], users[2]):
            texts = [m.text or "" for m in emu.sent_messages(user)]
            assert len(texts) == len(due), (round_, texts)
            assert sum(title in t for t in texts) == 1
        assert emu.sent_messages(users[1]) == []
        row = subscription_row(config, users[1])
        assert row is not None and row["active"] == 0


class LosingProxy:
    """A loopback proxy in front of the emulator that delivers the first `lose` sendMessage calls and then answers
    502, as a gateway does when the connection drops after Telegram has already sent the message."""

    def __init__(self, emu: BotApiEmulator, lose: int) -> None:
        self.emu, self.lose, self.lost = emu, lose, 0
        self.lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                self.forward(None)

            def do_POST(self) -> None:
                self.forward(self.rfile.read(int(self.headers.get("Content-Length") or 0)))

            def forward(self, body: bytes | None) -> None:
                upstream = f"http://127.0.0.1:{proxy.emu.port}{self.path}"
                headers = {"Content-Type": self.headers.get("Content-Type", "application/x-www-form-urlencoded")}
                request = urllib.request.Request(upstream, data=body, headers=headers, method=self.command)
                try:
                    with urllib.request.urlopen(request, timeout=30) as response:
                        status, payload = response.status, response.read()
                except urllib.error.HTTPError as exc:
                    status, payload = exc.code, exc.read()
                if self.path.endswith("/sendMessage") and status == 200:
                    with proxy.lock:
                        drop = proxy.lost < proxy.lose
                        proxy.lost += drop
                    if drop:
                        status, payload = 502, b'{"ok":false,"error_code":502,"description":"Bad Gateway"}'
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the bot stopped polling
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/bot"

    def __enter__(self) -> LosingProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@pytest.mark.parametrize("path", ["bot", "cli"])
async def test_reminder_whose_answer_was_lost_is_not_sent_again(
    emu: BotApiEmulator, tmp_path: Path, knowledge_copy: Path, path: str
) -> None:
    today = dt.datetime.now(TZ).date()
    title = only_deadline(knowledge_copy, "thu-mat-phan-hoi", today + dt.timedelta(days=7))
    user = 630000001
    emu.add_chat(user)
    with LosingProxy(emu, lose=1) as proxy:
        config = write_config(tmp_path, emu, knowledge_copy, deadlines=knowledge_copy / "deadlines.yaml")
        data = yaml.safe_load(config.read_text(encoding="utf-8"))
        data["telegram"]["base_url"] = proxy.base_url
        data["reminders"]["send_at"] = far_from_now()
        config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        await subscribe_in_db(config, [user])
        if path == "bot":
            bot = BotProcess(emu, config).start()
            try:
                bot.wait_output("reminder pass:", timeout=20)
            finally:
                assert bot.stop() == 0, bot.output()
        else:
            done = cli(config, "remind", "--at", dt.datetime.now(TZ).strftime("%Y-%m-%dT%H:%M"))
            assert "failed 1" in done.stdout, done.stdout + done.stderr
        assert proxy.lost == 1
    texts = [m.text or "" for m in emu.sent_messages(user)]
    assert sum(title in t for t in texts) == 1, texts


async def test_cli_pass_during_the_bots_own_pass_sends_each_reminder_once(
    emu: BotApiEmulator, tmp_path: Path, knowledge_copy: Path
) -> None:
    """Two processes claim from one SQLite ledger at the same time: every chat still gets each reminder once."""
    today = dt.datetime.now(TZ).date()
    title = only_deadline(knowledge_copy, "thu-hai-tien-trinh", today + dt.timedelta(days=7))
    config = write_config(
        tmp_path, emu, knowledge_copy, send_at=far_from_now(), deadlines=knowledge_copy / "deadlines.yaml"
    )
    users = [640000000 + n for n in range(300)]
    await subscribe_in_db(config, users)
    for user in users:
        emu.add_chat(user)

    bot = BotProcess(emu, config).start()
    try:
        remind = subprocess.Popen(
            [sys.executable, "-m", "bot", "--config", str(config), "remind"],
            cwd=REPO, env=clean_env(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True,
        )
        try:
            out, err = remind.communicate(timeout=CLI_TIMEOUT)
        finally:
            if remind.poll() is None:
                remind.kill()
                remind.wait(10)
        assert remind.returncode == 0, out + err
        bot.wait_output("reminder pass:", timeout=30)
    finally:
        assert bot.stop() == 0, bot.output()
    for user in users:
        assert sum(title in (m.text or "") for m in emu.sent_messages(user)) == 1, user
    bot_line = next(line for line in bot.output().splitlines() if "reminder pass:" in line)
    cli_line = next(line for line in out.splitlines() if line.startswith("reminder pass:"))
    sent = [int(line.split("sent ")[1].split(",")[0]) for line in (bot_line, cli_line)]
    assert sum(sent) == len(emu.sent_messages()) and "locked" not in bot.output() + err


async def test_bot_killed_mid_send_never_resends_after_restart(
    emu: BotApiEmulator, tmp_path: Path, knowledge_copy: Path
) -> None:
    """SIGKILL while a reminder is on the wire: on restart it is marked unknown and not resent; the rest go out."""
    today = dt.datetime.now(TZ).date()
    title = only_deadline(knowledge_copy, "thu-sigkill", today + dt.timedelta(days=7))
    config = write_config(
        tmp_path, emu, knowledge_copy, send_at=far_from_now(), deadlines=knowledge_copy / "deadlines.yaml"
    )
    first, stuck, *rest = [650000001, 650000002, 650000003, 650000004]  # a pass goes in chat id order
    await subscribe_in_db(config, [first, stuck, *rest])
    for user in (first, stuck, *rest):
        emu.add_chat(user)
    emu.delay("sendMessage", 3.0, times=1, chat_id=stuck)

    def reminders_to(user: int) -> int:
        return sum(title in (m.text or "") for m in emu.sent_messages(user))

    bot = BotProcess(emu, config).start()
    try:
        emu.wait_for(lambda: any(hit.chat_id == stuck for hit in emu.fault_hits), WAIT,
                     description="the bot to be in the middle of sending to the stuck chat")
        assert reminders_to(first) == 1 and all(reminders_to(user) == 0 for user in rest)
    finally:
        bot.kill()  # no clean shutdown: the claim for `stuck` is never settled
    time.sleep(3.5)  # let the delayed request finish on the "Telegram" side, whatever it does
    delivered_before_restart = reminders_to(stuck)

    bot = BotProcess(emu, config).start()
    try:
        bot.wait_output("reminder pass:")
        await emu.wait_idle_async(quiet=0.5, timeout=WAIT)
    finally:
        assert bot.stop() == 0, bot.output()
    assert "1 reminders were claimed but not confirmed" in bot.output()
    assert reminders_to(first) == 1 and all(reminders_to(user) == 1 for user in rest)
    assert reminders_to(stuck) == delivered_before_restart <= 1
    db = yaml.safe_load(config.read_text(encoding="utf-8"))["storage"]["path"]
    with contextlib.closing(sqlite3.connect(db)) as con:
        states = dict(con.execute("SELECT chat_id, state FROM reminders WHERE deadline_id = 'thu-sigkill'"))
    assert states == {first: "sent", stuck: "unknown", **{user: "sent" for user in rest}}
