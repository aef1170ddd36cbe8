"""Strict Telegram Bot API emulator on 127.0.0.1 for end-to-end tests and benchmarks (stdlib only).

Point the bot at it with ``base_url=emu.base_url`` and ``base_file_url=emu.base_file_url``. It answers like
Telegram where our bugs would hide: HTML is parsed and rejected the way Telegram rejects it (stricter on
bare ``>``/``&`` and unknown named entities, which Telegram would show literally), lengths are counted in
UTF-16 after entity parsing, inline keyboards, callback answers, no-op edits and command lists are checked.
Faults (429, 403, 5xx, slow responses) can be injected per method and chat.

Typical end-to-end test (the bot in-process; a subprocess works the same with the URLs in its env)::

    with BotApiEmulator() as emu:
        app = Application.builder().token(emu.token).base_url(emu.base_url).base_file_url(emu.base_file_url).build()
        ...  # async with app: await app.start(); await app.updater.start_polling(poll_interval=0, timeout=1)
        pushed = emu.send_text(42, "/start")
        [reply] = await emu.wait_for_messages_async(42, 1, timeout=5, after=pushed)
        emu.press_button(42, reply.message_id, "faq:1")
        assert not emu.rejected  # no request Telegram would have refused

Use the ``*_async`` waits inside an event loop that also runs the bot; the plain ones block the calling thread.
Sends go only to chats "Telegram" knows (a user wrote first, or ``add_chat``), else 400 "chat not found".
PTB 22 turns a 429 into a PTBDeprecationWarning (an error under ``filterwarnings=error``) unless the environment
has ``PTB_TIMEDELTA=1``.

Run standalone for manual tries or benchmarks: ``python tests/emulator --port 8081 --token 1:abc``.

Where things are (one module per role; BotApiEmulator in ``core`` is composed from their mixins):

- ``html_parser``: Telegram's HTML subset, ``parse_html`` and ``EntityParseError``.
- ``records``: what tests read back: ``SentMessage``, ``StoredMessage``, ``CallbackAnswer``, ``RequestRecord``.
- ``http_layer``: the HTTP server, body decoding, dispatch to ``_api_<method>``, start/stop.
- ``updates``: the fake getUpdates (update queue, long polling, 409 conflicts) and webhooks.
- ``validation``: what Telegram refuses in a send or edit (text, length, entities, reply markup, buttons).
- ``messages``: the fake sendMessage, sendPhoto, sendDocument, getFile, editMessage*, deleteMessage.
- ``callbacks``: the fake answerCallbackQuery. ``commands``: setMyCommands and friends.
- ``members``: group admins (``set_chat_admin``) and the fake getChatMember.
- ``faults``: fault injection (errors, delays, blocked chats) and flood limits.
- ``users``: the simulated users (writing, editing, media, pressing buttons). ``observe``: reading and waiting.
- ``common``: limits, error texts, ``ApiError``, ``utf16_len``.
"""

from .common import (
    BOOL_FIELDS,
    BUTTON_ACTIONS,
    CHAT_ACTIONS,
    CLIENT_GONE,
    CONFLICT_POLL,
    CONFLICT_WEBHOOK,
    DEFAULT_ALLOWED_UPDATES,
    DEFAULT_DESCRIPTIONS,
    INT_FIELDS,
    JSON_FIELDS,
    MAX_CALLBACK_ANSWER_CHARS,
    MAX_CALLBACK_DATA_BYTES,
    MAX_CAPTION_UTF16,
    MAX_COMMANDS,
    MAX_DOCUMENT_BYTES,
    MAX_INLINE_BUTTONS,
    MAX_PHOTO_BYTES,
    MAX_TEXT_UTF16,
    NOT_MODIFIED,
    OPT_IN_UPDATES,
    QUERY_INVALID,
    SEND_METHODS,
    ApiError,
    JSONDict,
    _ClientGone,
    _image_size,
    bad_request,
    utf16_len,
)
from .core import BotApiEmulator
from .faults import Fault, FaultHit, FloodLimits
from .html_parser import EntityParseError, parse_html
from .http_layer import _Handler, _Server
from .records import CallbackAnswer, RequestRecord, SentMessage, StoredMessage
from .users import TINY_PNG

__all__ = [
    "BOOL_FIELDS",
    "BUTTON_ACTIONS",
    "CHAT_ACTIONS",
    "CLIENT_GONE",
    "CONFLICT_POLL",
    "CONFLICT_WEBHOOK",
    "DEFAULT_ALLOWED_UPDATES",
    "DEFAULT_DESCRIPTIONS",
    "INT_FIELDS",
    "JSON_FIELDS",
    "MAX_CALLBACK_ANSWER_CHARS",
    "MAX_CALLBACK_DATA_BYTES",
    "MAX_CAPTION_UTF16",
    "MAX_COMMANDS",
    "MAX_DOCUMENT_BYTES",
    "MAX_INLINE_BUTTONS",
    "MAX_PHOTO_BYTES",
    "MAX_TEXT_UTF16",
    "NOT_MODIFIED",
    "OPT_IN_UPDATES",
    "QUERY_INVALID",
    "SEND_METHODS",
    "TINY_PNG",
    "ApiError",
    "BotApiEmulator",
    "CallbackAnswer",
    "EntityParseError",
    "Fault",
    "FaultHit",
    "FloodLimits",
    "JSONDict",
    "RequestRecord",
    "SentMessage",
    "StoredMessage",
    "_ClientGone",
    "_Handler",
    "_Server",
    "_image_size",
    "bad_request",
    "parse_html",
    "utf16_len",
]
