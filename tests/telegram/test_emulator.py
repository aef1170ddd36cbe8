"""Tests of the Bot API emulator, driven by the real python-telegram-bot over HTTP on 127.0.0.1."""

from __future__ import annotations

import asyncio
import datetime as dtm
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator

import pytest
from emulator import TINY_PNG, BotApiEmulator, EntityParseError, FloodLimits, parse_html, utf16_len
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    MessageEntity,
    ReplyParameters,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, NetworkError, RetryAfter
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, filters

CHAT = 42
OTHER_CHAT = 43


@pytest.fixture
def emu() -> Iterator[BotApiEmulator]:
    """A running emulator that knows two private chats."""
    with BotApiEmulator() as emulator:
        emulator.add_chat(CHAT)
        emulator.add_chat(OTHER_CHAT)
        yield emulator


@pytest.fixture
async def bot(emu: BotApiEmulator) -> AsyncIterator[Bot]:
    """An initialized PTB Bot pointed at the emulator."""
    async with Bot(emu.token, base_url=emu.base_url, base_file_url=emu.base_file_url) as client:
        yield client


def keyboard(*data: str) -> InlineKeyboardMarkup:
    """Build a one-row inline keyboard with the given callback data."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(f"Nút {i}", callback_data=d) for i, d in enumerate(data)]])


# ----------------------------------------------------------------------------- identity and routing


async def test_get_me_returns_configured_bot(bot: Bot, emu: BotApiEmulator) -> None:
    """getMe answers with the configured bot identity."""
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (1000000001, "tdkt_test_bot", True)
    assert [r.method for r in emu.requests][:2] == ["getMe", "getMe"]


async def test_wrong_token_is_unauthorized(emu: BotApiEmulator) -> None:
    """A token other than the emulator's gets 401, which PTB reports as InvalidToken."""
    with pytest.raises(InvalidToken):
        async with Bot("1:wrong", base_url=emu.base_url):
            pass


async def test_unknown_method_is_bad_request_not_invalid_token(bot: Bot) -> None:
    """An unimplemented method is a 400 naming the method, never a misleading InvalidToken."""
    with pytest.raises(BadRequest, match=r"(?i)sendFancyThing"):
        await bot.do_api_request("sendFancyThing", api_kwargs={"chat_id": CHAT})


async def test_unknown_chat_is_rejected(bot: Bot) -> None:
    """Sending to a chat Telegram never saw fails like Telegram does."""
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(999, "xin chào")


# ----------------------------------------------------------------------------- HTML and lengths

ACCEPTED_HTML = [
    ("<b>Khen</b> &amp; <i>thưởng</i>", "Khen & thưởng"),
    ("a &lt; b &gt; c &quot;d&quot;", 'a < b > c "d"'),
    ("<b>a<i>b<u>c</u></i></b>", "abc"),
    ('<a href="https://thiduakhenthuong.vn/?a=1&amp;b=2">link</a>', "link"),
    ('<pre><code class="language-python">x = 1</code></pre>', "x = 1"),
    ('<span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler>', "st"),
    ("<blockquote expandable>trích dẫn</blockquote>", "trích dẫn"),
    ("&#127881; &#x1F389;", "🎉 🎉"),
    ("<B>hoa</B>", "hoa"),
]
REJECTED_HTML = [
    ("<b>x</i>", "Unmatched end tag"),
    ("<khen>x</khen>", 'Unsupported start tag "khen"'),
    ("a < b", 'Unsupported start tag ""'),
    ("giá > 5", 'Character ">"'),
    ("Q&A", "Unsupported HTML entity"),
    ("a&nbsp;b", 'Unsupported HTML entity "&nbsp;"'),
    ("&amp", "Unsupported HTML entity"),
    ("<b>x", "Can't find end tag"),
    ("x</b>", "Unexpected end tag"),
    ("<span>x</span>", 'must have class "tg-spoiler"'),
    ("dòng<br/>dòng", 'Unsupported start tag "br/"'),
    ("<b", "Unclosed start tag"),
]


@pytest.mark.parametrize(("html", "visible"), ACCEPTED_HTML)
def test_parse_html_accepts_telegram_subset(html: str, visible: str) -> None:
    """Telegram's tags and entities parse to the visible text."""
    assert parse_html(html)[0] == visible


@pytest.mark.parametrize(("html", "error"), REJECTED_HTML)
def test_parse_html_rejects_what_telegram_rejects(html: str, error: str) -> None:
    """Unbalanced, unknown or unescaped markup is an error naming the problem."""
    with pytest.raises(EntityParseError, match=error):
        parse_html(html)


def test_parse_html_entities_use_utf16_offsets() -> None:
    """Entity offsets and lengths count UTF-16 code units, after stripping outer whitespace."""
    text, entities = parse_html("  😀 <b>Khen 🎉</b>\n")
    assert text == "😀 Khen 🎉"
    assert entities == [{"type": "bold", "offset": 3, "length": 7}]
    assert parse_html('<a href="https://x.vn">x</a>')[1][0]["url"] == "https://x.vn"
    assert parse_html('<pre><code class="language-py">y</code></pre>')[1] == [
        {"type": "pre", "offset": 0, "length": 1, "language": "py"}
    ]


def test_lenient_html_mode_matches_telegram_literal_fallback() -> None:
    """With strict=False a bare '&', '>' or unknown entity stays literal, as Telegram shows it."""
    assert parse_html("Q&A > &nbsp;", strict=False)[0] == "Q&A > &nbsp;"


async def test_html_message_over_http(bot: Bot, emu: BotApiEmulator) -> None:
    """Valid HTML is stored as visible text with entities; the raw text is kept for assertions."""
    message = await bot.send_message(CHAT, "<b>Khen</b> &amp; thưởng", parse_mode=ParseMode.HTML)
    assert message.text == "Khen & thưởng"
    assert message.entities[0].type == "bold"
    assert message.from_user is not None and message.from_user.id == emu.bot_id
    [sent] = emu.sent_messages(CHAT)
    assert (sent.method, sent.text, sent.raw_text, sent.parse_mode) == (
        "sendMessage", "Khen & thưởng", "<b>Khen</b> &amp; thưởng", "HTML"
    )


@pytest.mark.parametrize("html", ["Danh hiệu <khen> cao quý", "a < b", "&nbsp;", "<b>lệch</i>"])
async def test_bad_html_is_rejected_over_http(bot: Bot, emu: BotApiEmulator, html: str) -> None:
    """Unparseable HTML raises BadRequest "can't parse entities" and sends nothing."""
    with pytest.raises(BadRequest, match="Can't parse entities"):
        await bot.send_message(CHAT, html, parse_mode=ParseMode.HTML)
    assert emu.sent_messages() == []
    assert emu.rejected[-1].status == 400


async def test_text_limit_counts_utf16_after_entities(bot: Bot) -> None:
    """4096 UTF-16 units of visible text pass, one more fails; tags and entities do not count."""
    await bot.send_message(CHAT, "😀" * 2048)
    await bot.send_message(CHAT, "<b>" + "&amp;" * 4096 + "</b>", parse_mode=ParseMode.HTML)
    await bot.send_message(CHAT, "ư" * 4096)
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(CHAT, "😀" * 2048 + "a")
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(CHAT, "<i>" + "x" * 4097 + "</i>", parse_mode=ParseMode.HTML)
    assert utf16_len("😀" * 2048) == 4096


async def test_empty_text_and_long_caption(bot: Bot) -> None:
    """Text that is empty after parsing and captions over 1024 units are rejected."""
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(CHAT, "<b></b>  ", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match="caption is too long"):
        await bot.send_photo(CHAT, TINY_PNG, caption="x" * 1025)


# ----------------------------------------------------------------------------- keyboards and callbacks


async def test_callback_data_limit_is_64_utf8_bytes(bot: Bot, emu: BotApiEmulator) -> None:
    """64 bytes of callback data pass (32 Vietnamese 'ư'), 65 bytes fail with BUTTON_DATA_INVALID."""
    message = await bot.send_message(CHAT, "Chọn", reply_markup=keyboard("ư" * 32, "faq:1"))
    assert emu.message(CHAT, message.message_id).reply_markup is not None
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(CHAT, "Chọn", reply_markup=keyboard("ư" * 32 + "a"))
    with pytest.raises(BadRequest, match=r"(?i)text buttons are unallowed"):
        await bot.send_message(CHAT, "Chọn", reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("x")]]))


async def test_empty_or_malformed_reply_markup_is_refused(bot: Bot, emu: BotApiEmulator) -> None:
    """InlineKeyboardMarkup([]) (sent as {}), an empty row and a markup that is not an object never pass."""
    with pytest.raises(BadRequest, match=r"(?i)can't parse reply keyboard markup"):
        await bot.send_message(CHAT, "Trả lời", reply_markup=InlineKeyboardMarkup([]))
    with pytest.raises(BadRequest, match=r"(?i)inline keyboard is empty"):
        await bot.send_message(CHAT, "Trả lời", reply_markup=InlineKeyboardMarkup([[]]))
    message = await bot.send_message(CHAT, "Trả lời", reply_markup=keyboard("a:1"))
    with pytest.raises(BadRequest, match=r"(?i)can't parse reply keyboard markup"):
        await bot.edit_message_text("Sửa", CHAT, message.message_id, reply_markup=InlineKeyboardMarkup([]))
    with pytest.raises(BadRequest, match=r"(?i)can't parse reply keyboard markup"):
        await bot.edit_message_reply_markup(CHAT, message.message_id, reply_markup=InlineKeyboardMarkup([]))
    assert emu.message(CHAT, message.message_id).edits == 0


async def test_explicit_entities_are_checked_against_the_text(bot: Bot, emu: BotApiEmulator) -> None:
    """Entities beyond the text (in UTF-16), of unknown types or a text_link without a url are refused."""
    ok = await bot.send_message(CHAT, "😀 đậm", entities=[MessageEntity("bold", 3, 3)])
    assert emu.message(CHAT, ok.message_id).entities == [{"type": "bold", "offset": 3, "length": 3}]
    with pytest.raises(BadRequest, match=r"(?i)ends beyond the text"):
        await bot.send_message(CHAT, "😀 đậm", entities=[MessageEntity("bold", 3, 4)])
    with pytest.raises(BadRequest, match=r"(?i)unsupported entity"):
        await bot.send_message(CHAT, "chữ", entities=[MessageEntity("blink", 0, 3)])
    with pytest.raises(BadRequest, match=r"(?i)text_link needs a valid url"):
        await bot.send_message(CHAT, "chữ", entities=[MessageEntity("text_link", 0, 3)])
    with pytest.raises(BadRequest, match=r"(?i)invalid offset or length"):
        await bot.send_photo(CHAT, TINY_PNG, caption="chú thích", caption_entities=[MessageEntity("italic", 0, 0)])


async def test_answer_callback_query_only_once(bot: Bot, emu: BotApiEmulator) -> None:
    """A pressed button can be answered once; a second or unknown answer is a BadRequest."""
    message = await bot.send_message(CHAT, "Chọn", reply_markup=keyboard("faq:1"))
    query_id = emu.press_button(CHAT, message.message_id, "faq:1")
    assert await bot.answer_callback_query(query_id, text="Đã nhận")
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query(query_id)
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query("123")
    assert [a.text for a in emu.callback_answers] == ["Đã nhận"]
    with pytest.raises(AssertionError, match="no button"):
        emu.press_button(CHAT, message.message_id, "faq:2")


async def test_edits_are_checked_and_tracked(bot: Bot, emu: BotApiEmulator) -> None:
    """A no-op edit or an edit of an unknown message fails; a real edit updates the message state."""
    message = await bot.send_message(CHAT, "<b>Câu hỏi</b>", parse_mode=ParseMode.HTML, reply_markup=keyboard("a"))
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text("<b>Câu hỏi</b>", CHAT, message.message_id, parse_mode=ParseMode.HTML,
                                    reply_markup=keyboard("a"))
    edited = await bot.edit_message_text("Câu hỏi", CHAT, message.message_id, reply_markup=keyboard("a"))
    assert isinstance(edited, object) and emu.message(CHAT, message.message_id).entities == []
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_reply_markup(CHAT, message.message_id, reply_markup=keyboard("a"))
    await bot.edit_message_text("Trả lời", CHAT, message.message_id)  # no reply_markup: Telegram drops the keyboard
    state = emu.message(CHAT, message.message_id)
    assert (state.text, state.reply_markup, state.edits) == ("Trả lời", None, 2)
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", CHAT, 9999)
    assert await bot.delete_message(CHAT, message.message_id)
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("y", CHAT, message.message_id)


async def test_reply_to_missing_message_is_rejected(bot: Bot, emu: BotApiEmulator) -> None:
    """Replying to a message that does not exist fails unless allowed explicitly."""
    with pytest.raises(BadRequest, match="Message to be replied not found"):
        await bot.send_message(CHAT, "x", reply_parameters=ReplyParameters(77))
    update = emu.send_text(CHAT, "Hỏi")
    reply = await bot.send_message(CHAT, "Đáp", reply_parameters=ReplyParameters(update["message"]["message_id"]))
    assert reply.reply_to_message is not None and reply.reply_to_message.text == "Hỏi"


# ----------------------------------------------------------------------------- commands, actions, files


async def test_commands_are_stored_per_scope_and_language(bot: Bot, emu: BotApiEmulator) -> None:
    """setMyCommands validates commands and stores them per (scope, language)."""
    await bot.set_my_commands([BotCommand("start", "Bắt đầu"), BotCommand("hoi", "Đặt câu hỏi")], language_code="vi")
    await bot.set_my_commands([BotCommand("thongke", "Thống kê")], scope=BotCommandScopeChat(-100))
    assert [c.command for c in await bot.get_my_commands(language_code="vi")] == ["start", "hoi"]
    assert await bot.get_my_commands() == ()
    assert set(emu.commands) == {("default", "vi"), ("chat:-100", "")}
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([BotCommand("Start", "Bắt đầu")])
    with pytest.raises(BadRequest, match="Bot_command_description_invalid"):
        await bot.set_my_commands([BotCommand("start", "x" * 257)])
    assert await bot.delete_my_commands(language_code="vi")
    assert set(emu.commands) == {("chat:-100", "")}


async def test_chat_action_and_files(bot: Bot, emu: BotApiEmulator) -> None:
    """sendChatAction checks the action; documents and photos arrive as multipart and are recorded."""
    assert await bot.send_chat_action(CHAT, "typing")
    with pytest.raises(BadRequest, match="Wrong parameter action"):
        await bot.send_chat_action(CHAT, "dancing")
    document = await bot.send_document(CHAT, InputFile(b"a,b\n1,2\n", filename="bao-cao.csv"),
                                       caption="<b>Báo cáo</b>", parse_mode=ParseMode.HTML)
    assert document.caption == "Báo cáo" and document.document is not None
    await bot.send_photo(CHAT, TINY_PNG)
    with pytest.raises(BadRequest, match="Image_process_failed"):
        await bot.send_photo(CHAT, b"not a picture")
    sent = emu.sent_messages(CHAT)
    assert [(m.method, m.file_name, m.file_size, m.text) for m in sent] == [
        ("sendDocument", "bao-cao.csv", 8, "Báo cáo"), ("sendPhoto", sent[1].file_name, len(TINY_PNG), None)
    ]
    assert await (await bot.get_file(document.document.file_id)).download_as_bytearray() == b"a,b\n1,2\n"


async def test_user_photo_is_downloadable(bot: Bot, emu: BotApiEmulator) -> None:
    """A photo a simulated user sends can be fetched with getFile and the file URL."""
    update = emu.send_photo(CHAT, caption="ảnh")
    file = await bot.get_file(update["message"]["photo"][-1]["file_id"])
    assert bytes(await file.download_as_bytearray()) == TINY_PNG


# ----------------------------------------------------------------------------- fault injection


async def test_429_raises_retry_after(bot: Bot, emu: BotApiEmulator, monkeypatch: pytest.MonkeyPatch) -> None:
    """An injected 429 raises RetryAfter with the given delay, once, and is recorded."""
    monkeypatch.setenv("PTB_TIMEDELTA", "1")  # else PTB's deprecation warning (an error here) replaces RetryAfter
    emu.inject("sendMessage", 429, retry_after=7)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(CHAT, "x")
    assert caught.value.retry_after == dtm.timedelta(seconds=7)
    await bot.send_message(CHAT, "y")
    assert [(h.method, h.status) for h in emu.fault_hits] == [("sendMessage", 429)]
    assert emu.faults[0].hits == 1
    assert [m.text for m in emu.sent_messages()] == ["y"]


async def test_403_only_for_the_given_chat(bot: Bot, emu: BotApiEmulator) -> None:
    """A 403 injected for one chat raises Forbidden there only; block() makes it permanent."""
    emu.inject("sendMessage", 403, chat_id=CHAT, times=None)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(CHAT, "x")
    await bot.send_message(OTHER_CHAT, "y")
    emu.clear_faults()
    emu.block(OTHER_CHAT)
    with pytest.raises(Forbidden):
        await bot.send_message(OTHER_CHAT, "z")


@pytest.mark.parametrize("status", [500, 502])
async def test_server_errors_raise_network_error(bot: Bot, emu: BotApiEmulator, status: int) -> None:
    """5xx answers surface as NetworkError (retryable), not BadRequest."""
    emu.inject("*", status)
    with pytest.raises(NetworkError) as caught:
        await bot.send_message(CHAT, "x")
    assert not isinstance(caught.value, BadRequest)


async def test_flood_limits_answer_429(monkeypatch: pytest.MonkeyPatch) -> None:
    """With flood limits on, a burst over the global or per-group limit gets 429 with a computed retry_after."""
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    with BotApiEmulator(flood_limits=FloodLimits(per_second=3, per_group_per_minute=2)) as emu:
        emu.add_chat(CHAT)
        emu.add_chat(-100, "group")
        async with Bot(emu.token, base_url=emu.base_url) as bot:
            await asyncio.gather(bot.send_message(-100, "1"), bot.send_message(-100, "2"))
            with pytest.raises(RetryAfter) as caught:
                await bot.send_message(-100, "3")
            assert caught.value.retry_after in (dtm.timedelta(seconds=59), dtm.timedelta(seconds=60))
            await bot.send_message(CHAT, "4")
            with pytest.raises(RetryAfter) as caught:
                await bot.send_message(CHAT, "5")
            assert caught.value.retry_after == dtm.timedelta(seconds=1)
            assert sorted(m.text or "" for m in emu.sent_messages()) == ["1", "2", "4"]


async def test_delay_slows_one_method(bot: Bot, emu: BotApiEmulator) -> None:
    """delay() holds the answer for the given time."""
    emu.delay("sendMessage", 0.3, times=1)
    started = time.monotonic()
    await bot.send_message(CHAT, "x")
    assert time.monotonic() - started >= 0.3
    assert emu.fault_hits[0].delay == 0.3


# ----------------------------------------------------------------------------- updates and long polling


async def test_long_poll_returns_promptly_and_acknowledges(bot: Bot, emu: BotApiEmulator) -> None:
    """getUpdates blocks until an update arrives, and an offset acknowledges it."""
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await emu.wait_for_async(lambda: emu.is_polling, 2)
    assert not poll.done()
    started = time.monotonic()
    pushed = emu.send_text(CHAT, "/start")
    updates = await asyncio.wait_for(poll, 2)
    assert time.monotonic() - started < 1
    assert [u.update_id for u in updates] == [pushed["update_id"]]
    assert updates[0].message is not None and updates[0].message.text == "/start"
    assert updates[0].message.entities[0].type == "bot_command"
    assert len(emu.pending_updates) == 1
    assert await bot.get_updates(offset=pushed["update_id"] + 1, timeout=0) == ()
    assert emu.pending_updates == []


async def test_long_poll_times_out_empty_and_conflicts(bot: Bot, emu: BotApiEmulator) -> None:
    """An empty long poll returns [] after its timeout; a second bot instance polling terminates the first."""
    started = time.monotonic()
    assert await bot.get_updates(timeout=dtm.timedelta(seconds=0.3)) == ()
    assert 0.25 <= time.monotonic() - started < 2
    first = asyncio.create_task(bot.get_updates(timeout=3))
    await emu.wait_for_async(lambda: emu.is_polling, 2)
    async with Bot(emu.token, base_url=emu.base_url) as second_instance:
        assert await second_instance.get_updates(timeout=0) == ()
    with pytest.raises(Conflict, match="only one bot instance"):
        await asyncio.wait_for(first, 2)


async def test_cancelled_long_poll_is_not_a_conflict(bot: Bot, emu: BotApiEmulator) -> None:
    """A long poll whose client went away ends quietly instead of answering 409 later."""
    poll = asyncio.create_task(bot.get_updates(timeout=3))
    await emu.wait_for_async(lambda: emu.is_polling, 2)
    poll.cancel()
    with pytest.raises(asyncio.CancelledError):
        await poll
    emu.wait_for(lambda: emu.calls("getUpdates"), 2, description="the abandoned poll to end")
    assert [r.status for r in emu.calls("getUpdates")] == [499]
    assert emu.rejected == []


def test_group_privacy_hides_plain_text(emu: BotApiEmulator) -> None:
    """In groups the bot only receives commands, mentions and replies to itself."""
    hidden = emu.send_text(-100, "chào cả nhóm", user=7, chat_type="group")
    command = emu.send_text(-100, "/hoi@tdkt_test_bot khen thưởng", user=7, chat_type="group")
    mention = emu.send_text(-100, "@tdkt_test_bot ơi", user=7, chat_type="group")
    assert hidden["update_id"] is None
    assert [e["type"] for e in command["message"]["entities"]] == ["bot_command"]
    assert [e["type"] for e in mention["message"]["entities"]] == ["mention"]
    assert [u["update_id"] for u in emu.pending_updates] == [command["update_id"], mention["update_id"]]


def test_wait_for_messages_times_out_with_context(emu: BotApiEmulator) -> None:
    """A bounded wait fails with what was (not) seen."""
    with pytest.raises(AssertionError, match="saw \\[\\]"):
        emu.wait_for_messages(CHAT, 1, timeout=0.2)


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Echo the user's text back in bold."""
    assert update.effective_message is not None
    await update.effective_message.reply_html(f"<b>{update.effective_message.text}</b>")


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Offer one button."""
    assert update.effective_message is not None
    await update.effective_message.reply_text("Chọn chủ đề", reply_markup=keyboard("topic:1"))


async def choose(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer the button and edit the message."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_text(f"Đã chọn {query.data}")


async def test_application_polls_echoes_and_handles_buttons(emu: BotApiEmulator) -> None:
    """A real Application polling the emulator echoes text and round-trips a button press."""
    app = (Application.builder().token(emu.token).base_url(emu.base_url).base_file_url(emu.base_file_url)
           .build())
    app.add_handler(CommandHandler("start", start))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    app.add_handler(CallbackQueryHandler(choose))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        try:
            pushed = emu.send_text(CHAT, "xin chào")
            [reply] = await emu.wait_for_messages_async(CHAT, 1, timeout=5, after=pushed)
            assert (reply.text, reply.raw_text) == ("xin chào", "<b>xin chào</b>")
            pushed = emu.send_text(CHAT, "/start")
            [menu] = await emu.wait_for_messages_async(CHAT, 1, timeout=5, after=pushed)
            emu.press_button(CHAT, menu.message_id, "topic:1")
            await emu.wait_for_async(lambda: emu.message(CHAT, menu.message_id).edits == 1, 5)
            assert emu.message(CHAT, menu.message_id).text == "Đã chọn topic:1"
            assert len(emu.callback_answers) == 1
            await emu.wait_idle_async(quiet=0.1, timeout=5)
        finally:
            await app.updater.stop()
            await app.stop()
    assert emu.rejected == [] and emu.internal_errors == []
    assert emu.pending_updates == []


async def test_user_side_updates_parse_in_ptb(bot: Bot, emu: BotApiEmulator) -> None:
    """Every kind of simulated update is a valid Bot API object for PTB."""
    text = emu.send_text(CHAT, "Hỏi về /khenthuong")
    emu.send_edited_text(CHAT, text["message"]["message_id"], "Hỏi về huân chương")
    emu.send_sticker(CHAT)
    emu.send_photo(CHAT, caption="ảnh")
    emu.send_document(CHAT, b"%PDF-1.4", "quy-che.pdf", mime_type="application/pdf")
    emu.send_text(-200, "/start", user={"id": 9, "first_name": "Lan", "username": "lan"}, chat_type="supergroup")
    sent = await bot.send_message(CHAT, "Chọn", reply_markup=keyboard("faq:1"))
    emu.press_button(CHAT, sent.message_id, "faq:1")
    updates = await bot.get_updates(timeout=0)
    assert updates[0].message is not None and updates[0].message.entities[0].offset == 7
    assert updates[1].edited_message is not None and updates[1].edited_message.text == "Hỏi về huân chương"
    assert updates[2].message is not None and updates[2].message.sticker is not None
    assert updates[3].message is not None and updates[3].message.photo[-1].width == 1
    assert updates[4].message is not None and updates[4].message.document is not None
    assert updates[5].effective_chat is not None and updates[5].effective_chat.type == "supergroup"
    assert updates[6].callback_query is not None and updates[6].callback_query.data == "faq:1"
    assert [u.update_id for u in updates] == list(range(updates[0].update_id, updates[0].update_id + 7))


async def test_allowed_updates_filter_and_webhook_conflict(bot: Bot, emu: BotApiEmulator) -> None:
    """Updates the bot opted out of are dropped; polling while a webhook is set is a Conflict."""
    sent = await bot.send_message(CHAT, "Chọn", reply_markup=keyboard("faq:1"))
    emu.press_button(CHAT, sent.message_id, "faq:1")
    kept = emu.send_text(CHAT, "xin chào")
    updates = await bot.get_updates(timeout=0, allowed_updates=["message"])
    assert [u.update_id for u in updates] == [kept["update_id"]]
    assert await bot.set_webhook("https://example.org/hook")
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates(timeout=0)
    assert await bot.delete_webhook(drop_pending_updates=True)
    assert emu.pending_updates == [] and emu.webhook == {"url": ""}


ECHO_BOT = """
import os
from telegram.ext import Application, MessageHandler, filters

async def echo(update, context):
    await update.effective_message.reply_text(update.effective_message.text)

app = Application.builder().token(os.environ["BOT_TOKEN"]).base_url(os.environ["BOT_API_BASE_URL"]).build()
app.add_handler(MessageHandler(filters.TEXT, echo))
app.run_polling(poll_interval=0, timeout=1)
"""


def test_run_polling_in_a_subprocess_shuts_down_cleanly(emu: BotApiEmulator) -> None:
    """A bot process using run_polling() answers, then on SIGTERM acknowledges its updates and exits 0."""
    env = {**os.environ, "BOT_TOKEN": emu.token, "BOT_API_BASE_URL": emu.base_url}
    process = subprocess.Popen([sys.executable, "-c", ECHO_BOT], env=env, stderr=subprocess.PIPE)
    try:
        emu.wait_for(lambda: emu.is_polling, 10, description="the bot to start polling")
        pushed = emu.send_text(CHAT, "chào bot")
        [reply] = emu.wait_for_messages(CHAT, 1, timeout=10, after=pushed)
        assert reply.text == "chào bot"
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate(timeout=5)
    assert process.returncode == 0, stderr.decode()
    polls = [(r.params.get("timeout"), r.params.get("offset"), r.status) for r in emu.calls("getUpdates")]
    assert (0, pushed["update_id"] + 1, 200) in polls, polls
    assert emu.pending_updates == [] and emu.rejected == []


async def test_push_update_and_opt_in_update_types(bot: Bot, emu: BotApiEmulator) -> None:
    """push_update() numbers raw updates; opt-in types like message_reaction are not delivered by default."""
    reaction = emu.push_update({"message_reaction": {"chat": {"id": CHAT, "type": "private"}, "message_id": 1}})
    text = emu.send_text(CHAT, "còn đây")
    assert text["update_id"] == reaction["update_id"] + 1
    assert [u.update_id for u in await bot.get_updates(timeout=0)] == [text["update_id"]]


async def test_get_chat_member_reports_admins_set_by_the_test(bot: Bot, emu: BotApiEmulator) -> None:
    emu.send_text(-100, "/start", user=7, chat_type="supergroup")
    emu.set_chat_admin(-100, 8)
    emu.set_chat_admin(-100, 9, "creator")
    assert (await bot.get_chat_member(-100, 7)).status == "member"
    assert (await bot.get_chat_member(-100, 8)).status == "administrator"
    assert (await bot.get_chat_member(-100, 9)).status == "creator"
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.get_chat_member(-200, 7)
