"""End to end, as a new user and an organiser would: every button the bot sends is pressed, groups, admins, languages.

The real `python -m bot run` in a subprocess polls the strict emulator, which refuses what Telegram refuses (empty
reply markup, callback data over 64 bytes, bad entities, text over 4096 UTF-16 units). One bot serves the module;
each scenario uses its own chat ids. Helpers come from test_telegram_e2e.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from test_telegram_e2e import (
    ADMIN_ID,
    ANSWERED,
    CONTACT,
    SUGGESTED,
    WAIT,
    BotProcess,
    Harness,
    buttons,
    copy_knowledge,
    new_group,
    new_user,
    rejected_since,
    start_emulator,
    user_key,
)

from bot.assembly import wire_answerer
from bot.core.knowledge import load_knowledge
from bot.core.records import ANSWER, CHOICE_NONE, SUGGEST

NAV_TOP = "nav:vi:top"  # the view /chude opens with


@pytest.fixture(scope="module")
def walk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    """One bot without a practical flood limit (the walk presses hundreds of buttons); privacy mode on."""
    root = tmp_path_factory.mktemp("e2e-walk")
    knowledge = copy_knowledge(root)
    emu = start_emulator()
    bot = BotProcess(emu, root, knowledge, limits={"questions_per_minute": 10000})
    try:
        bot.start()
        yield Harness(emu, bot, wire_answerer(load_knowledge(knowledge), contact=CONTACT), knowledge)
    finally:
        code = bot.stop() if bot.proc is not None else None
        emu.stop()
    stderr = bot.stderr()
    assert code == 0, stderr
    assert "Traceback" not in stderr, stderr


@pytest.fixture
def h(walk: Harness) -> Iterator[Harness]:
    """After each scenario: no request refused, no emulator error, no apology sent, the bot still runs."""
    mark = walk.emu.mark()
    yield walk
    assert not rejected_since(walk.emu, mark)
    assert not walk.emu.internal_errors
    apology = {walk.answerer.text("error", "vi"), walk.answerer.text("error", "en")}
    assert not [m.text for m in walk.emu.sent_messages(after=mark) if m.text in apology]
    assert walk.bot.alive(), walk.bot.stderr()
    assert "error while handling" not in walk.bot.stderr(), walk.bot.stderr()


# --------------------------------------------------------------------------- pressing buttons


def key(data: str) -> str:
    """What a button does, without the per-question reference (one 👍 or one pick of an entry is enough)."""
    parts = data.split(":")
    return f"{parts[0]}:{parts[-1]}" if parts[0] in ("fb", "pk") else data


class Presser:
    """Presses buttons and waits for their effect: the query answered, then an edit or a new message."""

    def __init__(self, h: Harness, chat: int, user: int | None = None) -> None:
        self.h, self.emu, self.chat, self.user = h, h.emu, chat, user
        self.count = 0
        self.pressed: set[str] = set()  # button actions (key) pressed so far

    def press(self, message_id: int, data: str) -> None:
        emu = self.emu
        before = emu.message(self.chat, message_id).edits
        mark = emu.mark()
        kwargs: dict[str, Any] = {} if self.user is None else {"user": self.user}
        query = emu.press_button(self.chat, message_id, data, **kwargs)
        self.count += 1
        self.h.wait_answered(query)

        def effect() -> bool:
            return emu.message(self.chat, message_id).edits > before or bool(emu.sent_messages(self.chat, after=mark))

        with contextlib.suppress(AssertionError):  # a press may change nothing (a setting already chosen)
            emu.wait_for(effect, 1.0, description=f"the effect of {data!r}")
        emu.wait_idle(quiet=0.05, timeout=WAIT)  # the rest of the effect (a second part, a removed keyboard)

    def walk_navigation(self, message_id: int) -> int:
        """Visit every view reachable from a /chude message (topics, pages, awards, entries), one message edited
        in place; returns the number of views seen."""
        paths: dict[str, list[str]] = {NAV_TOP: [NAV_TOP]}
        current = NAV_TOP

        def goto(target: str) -> None:
            nonlocal current
            for _ in range(10):
                if current == target:
                    return
                path = paths[target]
                shown = buttons(self.emu.message(self.chat, message_id))
                step = path[path.index(current) + 1] if current in path else shown[-1]  # else: the back button
                assert step in shown, f"{step!r} not among {shown!r} on view {current!r}"
                self.press(message_id, step)
                current = step
            raise AssertionError(f"could not navigate from {current!r} to {target!r}")

        def explore(view: str) -> None:
            for data in buttons(self.emu.message(self.chat, message_id)):
                if data in paths:
                    continue
                paths[data] = [*paths[view], data]
                goto(data)
                stored = self.emu.message(self.chat, message_id)
                assert stored.text, f"view {data!r} is empty"
                explore(data)
                goto(view)

        explore(NAV_TOP)
        return len(paths)

    def press_everything(self) -> set[str]:
        """Press, on every bot message in the chat, each button whose action was not pressed yet, until no new
        button appears (answers opened from buttons bring their own related buttons); returns what was pressed."""
        pressed = self.pressed
        start = set(pressed)
        while True:
            self.emu.wait_idle(quiet=0.2, timeout=WAIT)
            todo = [
                (message_id, data)
                for (chat, message_id), stored in sorted(self.emu.messages.items())
                if chat == self.chat and stored.from_bot and not stored.deleted
                for data in buttons(stored)
                if not data.startswith("nav:") and key(data) not in pressed
            ]
            if not todo:
                return pressed - start
            for message_id, data in todo:
                if key(data) in pressed or data not in buttons(self.emu.message(self.chat, message_id)):
                    continue  # done meanwhile, or the keyboard went (a pick removes the suggestions)
                pressed.add(key(data))
                self.press(message_id, data)


def test_every_button_the_bot_sends_works(h: Harness) -> None:
    """Topics, awards, entries, related questions, suggestions, feedback, dossiers, reminders, the .ics, forget-me:
    every button is pressed at least once and Telegram (the emulator) refuses nothing."""
    user = new_user()
    presser = Presser(h, user)
    # The path: a related button of an answer whose entry has no related entries of its own.
    related_question = "có những loại huân chương nào"
    reply = h.answerer.ask(related_question)
    assert reply.status == ANSWER and reply.entry is not None
    answer = h.ask(user, related_question)
    [target] = [d for d in buttons(answer) if d.startswith("ans:") and "huan-chuong-lao-dong.tieu-chuan" in d]
    mark = h.emu.mark()
    presser.press(answer.message_id, target)
    [opened] = h.emu.wait_for_messages(user, 1, WAIT, after=mark)
    assert "Huân chương Lao động" in (opened.text or "")
    # Seed every kind of message with buttons.
    for text in ["/start", "/help", "/hoso", "/hoso bằng khen bộ", "/hanchot", "/nhacnho"]:
        h.ask(user, text)
    question, _ = h.pick(ANSWER, ANSWERED)
    for _ in range(2):
        h.ask(user, question)
    vague, suggested = h.pick(SUGGEST, SUGGESTED)
    for _ in range(len(suggested.suggestions) + 1):
        h.ask(user, vague)
    pressed = presser.press_everything()
    kinds = {data.split(":")[0] for data in pressed}
    assert {"ans", "fb", "pk", "hs", "sub", "ics"} <= kinds, pressed
    assert sum(1 for d in pressed if d.startswith("pk:")) == len(suggested.suggestions) + 1
    # Browsing: one /chude message walked through every view.
    browse = h.ask(user, "/chude")
    views = presser.walk_navigation(browse.message_id)
    knowledge = h.answerer.knowledge
    assert views >= 1 + len(knowledge.topics) + len(knowledge.awards)
    # Forget-me, both answers, last (it deletes the user's data).
    for _ in range(2):
        h.ask(user, "/xoadulieu")
    assert {key(d).split(":")[0] for d in presser.press_everything()} <= {"fg"}
    assert presser.count > 100


# --------------------------------------------------------------------------- forget me in a group


def test_forget_me_in_a_group_only_the_requester_confirms_and_the_group_keeps_its_reminders(h: Harness) -> None:
    group, alice, bob = new_group(), new_user(), new_user()
    question, _ = h.pick(ANSWER, ANSWERED)
    h.ask(alice, question)  # in private: logged under Alice
    h.ask(bob, question)
    subscribed = h.ask(group, "/nhacnho", user=alice, chat_type="supergroup")
    assert subscribed.reply_markup
    h.bot.wait_rows("user_key IN (?, ?)", (user_key(alice), user_key(bob)), lambda r: len(r) == 2)
    confirm = h.ask(group, "/xoadulieu", user=alice, chat_type="supergroup")
    assert confirm.text == h.text("forget_confirm_group")
    yes = next(d for d in buttons(confirm) if d.startswith("fg:vi:yes"))
    # Bob presses Alice's confirmation: an alert, nothing deleted, the message unchanged.
    query = h.press(group, confirm.message_id, yes, user=bob)
    h.wait_answered(query)
    [answer] = [a for a in h.emu.callback_answers if a.callback_query_id == query]
    assert answer.show_alert and answer.text == h.text("forget_not_yours")
    h.emu.wait_idle(quiet=0.2, timeout=WAIT)
    assert h.emu.message(group, confirm.message_id).edits == 0
    assert len(h.bot.rows("user_key = ?", (user_key(bob),))) == 1
    # Alice confirms: her questions go, Bob's stay, the group's subscription and ledger stay.
    h.press(group, confirm.message_id, yes, user=alice)
    done = h.wait_edits(group, confirm.message_id, 1)
    assert done.text.startswith(h.text("forget_done").format(questions=1, subscriptions=0, reminders=0))
    assert h.text("forget_groups_kept").format(groups=1) in done.text
    assert h.bot.rows("user_key = ?", (user_key(alice),)) == []
    assert len(h.bot.rows("user_key = ?", (user_key(bob),))) == 1
    with contextlib.closing(sqlite3.connect(h.bot.db)) as con:
        active, owner = con.execute("SELECT active, user_key FROM subscriptions WHERE chat_id = ?", (group,)).fetchone()
    assert (active, owner) == (1, "")


# --------------------------------------------------------------------------- admin output stays private


@pytest.mark.parametrize("command", ["/xuat", "/thongke", "/chuatraloi", "/export", "/stats", "/unanswered"])
def test_admin_reports_typed_in_a_group_are_not_posted_there(h: Harness, command: str) -> None:
    group = new_group()
    h.ask(group, "/start", user=new_user(), chat_type="supergroup")
    mark = h.emu.mark()
    reply = h.ask(group, command, user=ADMIN_ID, chat_type="supergroup")
    lang = "vi" if command in ("/xuat", "/thongke", "/chuatraloi") else "en"  # the command's own language
    assert reply.text == h.answerer.text("admin_private_only", lang)
    h.emu.wait_idle(quiet=0.3, timeout=WAIT)
    assert [m.method for m in h.emu.sent_messages(group, after=mark)] == ["sendMessage"]


# --------------------------------------------------------------------------- reply language


@pytest.mark.parametrize("question", ["ho so bang khen bo", "tieu chuan cstd co so", "xin chao"])
def test_unaccented_vietnamese_from_an_english_telegram_gets_vietnamese(h: Harness, question: str) -> None:
    """Telegram's language_code=en says nothing about the reader: the question's language decides."""
    expected = h.answerer.ask(question)
    assert expected.lang == "vi"
    reply = h.ask(new_user(), question, language_code="en")
    if expected.status == ANSWER:
        assert "Căn cứ:" in (reply.text or "") and "Legal basis" not in (reply.text or "")
        assert all(":vi:" in d for d in buttons(reply))
    else:
        assert reply.text == expected.message


def test_start_from_an_english_telegram_is_vietnamese_until_the_user_writes_english(h: Harness) -> None:
    user = new_user()
    assert h.ask(user, "/start", language_code="en").text == h.text("greeting")
    assert h.ask(user, "/topics", language_code="vi").text == h.answerer.text("topics_intro", "en")
    assert h.ask(user, "/help", language_code="vi").text == h.answerer.text("help", "en")  # the latest command's


ENGLISH_WITH_RELATED = (
    "What types of orders (Huân chương) are there?",
    "What forms of commendation exist?",
    "What emulation titles exist?",
)


def test_answers_opened_from_buttons_keep_the_questions_language(h: Harness) -> None:
    user = new_user()
    question = next(q for q in ENGLISH_WITH_RELATED
                    if (r := h.answerer.ask(q)).status == ANSWER and r.lang == "en" and r.entry and r.entry.related)
    answer = h.ask(user, question, language_code="vi")
    assert "Legal basis:" in (answer.text or "")
    related = [d for d in buttons(answer) if d.startswith("ans:")]
    assert related and all(d.startswith("ans:en:") for d in related)
    target = h.answerer.knowledge.entries[related[0].split(":")[-1]]
    mark = h.emu.mark()
    query = h.press(user, answer.message_id, related[0])
    h.wait_answered(query)
    opened = h.emu.wait_for_messages(user, 1, WAIT, after=mark)[-1]
    if target.answer_en:
        assert "Legal basis:" in (opened.text or "") and "Căn cứ:" not in (opened.text or "")
    feedback = next(d for d in buttons(answer) if d.startswith("fb:") and d.endswith(":1"))
    query = h.press(user, answer.message_id, feedback)
    h.wait_answered(query)
    [thanks] = [a for a in h.emu.callback_answers if a.callback_query_id == query]
    assert thanks.text == h.answerer.text("feedback_thanks", "en")
    # Browsing started in English stays in English.
    menu = h.ask(user, "/topics")
    topic = h.answerer.knowledge.topics[0]
    h.press(user, menu.message_id, f"nav:en:t:{topic.id}:0")
    listing = h.wait_edits(user, menu.message_id, 1)
    title = topic.title.en or topic.title.vi
    assert listing.text == h.answerer.text("topic_questions", "en").format(topic=title)


# --------------------------------------------------------------------------- /chuatraloi: candidates and undo


RELOAD_WAIT = 90.0  # attaching or undoing rebuilds the matcher's index


def wait_edit(h: Harness, chat: int, message_id: int, edits: int) -> Any:
    h.emu.wait_for(lambda: h.emu.message(chat, message_id).edits >= edits, RELOAD_WAIT,
                   description=f"{edits} edit(s) of message {message_id}")
    return h.emu.message(chat, message_id)


def learned(h: Harness) -> dict[str, Any]:
    path = h.knowledge / "learned.yaml"
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("phrasings") or {} if path.exists() else {}


def test_unanswered_offers_candidates_above_a_floor_any_entry_and_undo(h: Harness) -> None:
    asker = new_user()
    vague = "3 năm chiến sĩ thi đua cơ sở có được chiến sĩ thi đua cấp bộ không"
    expected = h.answerer.ask(vague)
    assert expected.status == SUGGEST
    band = h.ask(asker, vague)
    h.press(asker, band.message_id, next(d for d in buttons(band) if d.endswith(":-")))
    h.ask(asker, "giá vàng hôm nay")
    h.bot.wait_rows("user_key = ?", (user_key(asker),), lambda r: len(r) == 2 and r[0]["choice"] == CHOICE_NONE)

    def clusters() -> dict[str, Any]:
        mark = h.emu.mark()
        h.emu.send_text(ADMIN_ID, "/chuatraloi")
        h.emu.wait_for_messages(ADMIN_ID, 1, WAIT, after=mark)
        h.emu.wait_idle(quiet=0.3, timeout=WAIT)
        return {m.text.split("\n")[0]: m for m in h.emu.sent_messages(ADMIN_ID, after=mark) if m.text}

    shown = clusters()
    [vague_cluster] = [m for first, m in shown.items() if vague in first]
    [gold] = [m for first, m in shown.items() if "giá vàng" in first]
    # The matcher's own suggestions come first, numbered with their full questions; nothing below the floor.
    lines = vague_cluster.text.split("\n")
    first = expected.suggestions[0].entry
    assert f"1. {first.question_vi} (" in vague_cluster.text
    floor = 45
    assert all(float(line.rsplit("(", 1)[1].rstrip(")")) >= floor for line in lines if line[:2] in ("1.", "2.", "3."))
    attach = [d for d in buttons(vague_cluster) if d.startswith("ua:a:")]
    assert 3 <= len(attach) <= 5
    assert not [d for d in buttons(gold) if d.startswith("ua:a:")]  # "giá vàng" is near nothing
    # Attach to the first candidate, then undo it from the confirmation.
    h.press(ADMIN_ID, vague_cluster.message_id, attach[0])
    done = wait_edit(h, ADMIN_ID, vague_cluster.message_id, 1)
    assert done.text.startswith("Đã thêm") and vague in learned(h).get(first.id, [])
    h.press(ADMIN_ID, vague_cluster.message_id, buttons(done)[0])
    undone = wait_edit(h, ADMIN_ID, vague_cluster.message_id, 2)
    assert undone.text.startswith("Đã hoàn tác") and vague not in learned(h).get(first.id, [])
    # Any entry: topics → a topic's entries → attach; the next /chuatraloi lists it with ↩.
    h.press(ADMIN_ID, gold.message_id, next(d for d in buttons(gold) if d.startswith("ua:p:")))
    topics = h.wait_edits(ADMIN_ID, gold.message_id, 1)
    h.press(ADMIN_ID, gold.message_id, buttons(topics)[0])
    entries = h.wait_edits(ADMIN_ID, gold.message_id, 2)
    pick = next(d for d in buttons(entries) if d.startswith("ua:e:"))
    h.press(ADMIN_ID, gold.message_id, pick)
    wait_edit(h, ADMIN_ID, gold.message_id, 3)
    chosen = pick.split(":")[-1]
    assert "giá vàng hôm nay" in learned(h).get(chosen, [])
    recent = next(m for first, m in clusters().items() if first.startswith("Mới gắn gần đây"))
    [undo] = buttons(recent)
    h.press(ADMIN_ID, recent.message_id, undo)
    wait_edit(h, ADMIN_ID, recent.message_id, 1)
    assert "giá vàng hôm nay" not in learned(h).get(chosen, [])


# --------------------------------------------------------------------------- rough edges


def test_start_and_help_mention_deadlines_and_reminders(h: Harness) -> None:
    user = new_user()
    for command in ("/start", "/help"):
        text = h.ask(user, command).text or ""
        assert all(name in text for name in ("/hanchot", "/nhacnho", "/huynhac")), text


def test_unknown_command_and_bare_mention_get_a_short_help(h: Harness) -> None:
    user, group = new_user(), new_group()
    assert h.ask(user, "/foo").text == h.text("unknown_command")
    reply = h.ask(group, f"@{h.emu.bot_username}", user=user, chat_type="supergroup")
    assert reply.text == h.text("mention_only").replace("{bot}", h.emu.bot_username)
    assert h.ask(group, f"/foo@{h.emu.bot_username}", user=user, chat_type="supergroup").text == h.text(
        "unknown_command")
    mark = h.emu.mark()
    h.emu.send_text(group, "/foo", user=user, chat_type="supergroup")  # maybe another bot's: not ours to answer
    h.emu.send_text(group, "/hanchot", user=user, chat_type="supergroup")  # known: exactly its own reply
    h.emu.wait_idle(quiet=0.3, timeout=WAIT)
    assert len(h.emu.sent_messages(group, after=mark)) == 1


@pytest.mark.parametrize("text", ["👍👍", "???", "...!", "42", "🙂 ?"])
def test_emoji_punctuation_or_a_number_is_not_logged_as_a_question(h: Harness, text: str) -> None:
    user = new_user()
    assert h.ask(user, text).text == h.text("not_a_question")
    h.ask(user, "hồ sơ bằng khen cấp bộ")
    rows = h.bot.wait_rows("user_key = ?", (user_key(user),))
    assert [r["text"] for r in rows] == ["hồ sơ bằng khen cấp bộ"]


def test_a_photo_whose_caption_is_a_question_is_answered(h: Harness) -> None:
    user = new_user()
    pushed = h.emu.send_photo(user, caption="hồ sơ bằng khen cấp bộ gồm những gì")
    [reply] = h.emu.wait_for_messages(user, 1, WAIT, after=pushed)
    assert "Căn cứ:" in (reply.text or "")
    pushed = h.emu.send_photo(user)
    [hint] = h.emu.wait_for_messages(user, 1, WAIT, after=pushed)
    assert hint.text == h.text("non_text")


FORGED = [
    "nav:vi:t:ho-so:abc", "nav:vi:t:khong-co:0", "nav:vi:e:khong-co", "sub:vi:l:999", "sub:vi:t:does-not-exist",
    "ans:vi:khong-co", "hs:vi:khong-co", "pk:vi:AbCdEfGh:khong-co", "fb:vi:AbCdEfGh:5", "zz:vi:x", "fg:vi:maybe:1",
]


@pytest.mark.parametrize("data", FORGED)
def test_forged_or_stale_callback_data_is_answered_and_changes_nothing(h: Harness, data: str) -> None:
    """A client can send any callback data: answered with a short notice, nothing stored, no apology."""
    user = new_user()
    menu = h.ask(user, "/nhacnho")
    h.ask(user, "hồ sơ bằng khen cấp bộ")
    h.bot.wait_rows("user_key = ?", (user_key(user),))
    before = [tuple(r) for r in h.bot.rows("1")]
    mark = h.emu.mark()
    query = h.emu.press_button(user, menu.message_id, data, require_button=False)
    h.wait_answered(query)
    h.emu.wait_idle(quiet=0.3, timeout=WAIT)
    [answer] = [a for a in h.emu.callback_answers if a.callback_query_id == query]
    assert answer.text == h.text("stale_button")
    assert h.emu.sent_messages(user, after=mark) == []
    assert h.emu.message(user, menu.message_id).edits == 0
    assert [tuple(r) for r in h.bot.rows("1")] == before
    with contextlib.closing(sqlite3.connect(h.bot.db)) as con:
        row = con.execute("SELECT lead_days, topics FROM subscriptions WHERE chat_id = ?", (user,)).fetchone()
    assert row == ("[14, 7, 1]", None)


# --------------------------------------------------------------------------- /nhacnho settings and who may change them


def labels(message: Any) -> dict[str, str]:
    """Callback data → button label."""
    rows = (message.reply_markup or {}).get("inline_keyboard", [])
    return {b["callback_data"]: b["text"] for row in rows for b in row}


def subscription(h: Harness, chat: int) -> tuple[Any, ...] | None:
    with contextlib.closing(sqlite3.connect(h.bot.db)) as con:
        return con.execute("SELECT active, lead_days, topics FROM subscriptions WHERE chat_id = ?", (chat,)).fetchone()


def test_nhacnho_shows_and_marks_the_current_settings_and_never_resets_them(h: Harness) -> None:
    user = new_user()
    first = h.ask(user, "/nhacnho")
    marks = labels(first)
    assert marks["sub:vi:l:14-7-1"].startswith("✓") and marks["sub:vi:t:*"].startswith("✓")
    assert "ngày" in marks["sub:vi:l:7-1"] and not marks["sub:vi:l:7-1"].startswith("✓")
    h.press(user, first.message_id, "sub:vi:l:7-1")
    changed = h.wait_edits(user, first.message_id, 1)
    assert labels(changed)["sub:vi:l:7-1"].startswith("✓") and not labels(changed)["sub:vi:l:14-7-1"].startswith("✓")
    again = h.ask(user, "/nhacnho")
    assert (again.text or "").startswith(h.text("subscribe_current").format(
        topics=h.text("subscribe_all_topics"), leads="7, 1", time="08:00")[:40])
    assert labels(again)["sub:vi:l:7-1"].startswith("✓")
    assert subscription(h, user) == (1, "[7, 1]", None)  # not reset to the defaults


def test_only_the_subscriber_or_a_group_admin_changes_a_groups_reminders(h: Harness) -> None:
    group, alice, bob, carol = new_group(), new_user(), new_user(), new_user()
    h.emu.set_chat_admin(group, carol)
    menu = h.ask(group, "/nhacnho", user=alice, chat_type="supergroup")
    shown = h.ask(group, "/nhacnho", user=bob, chat_type="supergroup")
    assert h.text("subscribe_not_yours") in (shown.text or "") and not shown.reply_markup
    query = h.press(group, menu.message_id, "sub:vi:l:1", user=bob)
    h.wait_answered(query)
    [refusal] = [a for a in h.emu.callback_answers if a.callback_query_id == query]
    assert refusal.show_alert and refusal.text == h.text("subscribe_not_yours")
    assert h.ask(group, "/huynhac", user=bob, chat_type="supergroup").text == h.text("subscribe_not_yours")
    assert subscription(h, group) == (1, "[14, 7, 1]", None)
    h.press(group, menu.message_id, "sub:vi:l:1", user=carol)  # a group admin may
    h.wait_edits(group, menu.message_id, 1)
    assert subscription(h, group) == (1, "[1]", None)
    assert h.ask(group, "/huynhac", user=alice, chat_type="supergroup").text == h.text("unsubscribe_done")
    assert subscription(h, group)[0] == 0


def test_thumbs_down_offers_a_way_forward(h: Harness) -> None:
    user = new_user()
    question, _ = h.pick(ANSWER, ANSWERED)
    answer = h.ask(user, question)
    down = next(d for d in buttons(answer) if d.startswith("fb:") and d.endswith(":-1"))
    mark = h.emu.mark()
    h.press(user, answer.message_id, down)
    [hint] = h.emu.wait_for_messages(user, 1, WAIT, after=mark)
    assert hint.text == h.text("feedback_negative") and "/chude" in hint.text and CONTACT in hint.text
