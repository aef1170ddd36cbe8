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

Run standalone for manual tries or benchmarks: ``python tests/emulator.py --port 8081 --token 1:abc``.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import email.parser
import email.policy
import itertools
import json
import math
import re
import select
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

JSONDict = dict[str, Any]

MAX_TEXT_UTF16 = 4096
MAX_CAPTION_UTF16 = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER_CHARS = 200
MAX_COMMANDS = 100
MAX_INLINE_BUTTONS = 100
MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024

QUERY_INVALID = "Bad Request: query is too old and response timeout expired or query ID is invalid"
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
CONFLICT_POLL = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
)
CONFLICT_WEBHOOK = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
)
CLIENT_GONE = 499  # status recorded for a long poll whose client went away (nothing is answered)
DEFAULT_DESCRIPTIONS = {
    400: "Bad Request: injected fault",
    403: "Forbidden: bot was blocked by the user",
    409: CONFLICT_POLL,
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}
SEND_METHODS = frozenset({"sendmessage", "senddocument", "sendphoto"})
CHAT_ACTIONS = frozenset({
    "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
    "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note",
})
DEFAULT_ALLOWED_UPDATES = None  # None = every type except the opt-in ones below
OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
BUTTON_ACTIONS = (
    "url", "callback_data", "web_app", "login_url", "switch_inline_query",
    "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text", "callback_game", "pay",
)
INT_FIELDS = frozenset({
    "message_id", "offset", "limit", "reply_to_message_id", "cache_time", "user_id",
    "message_thread_id", "from_chat_id", "max_connections",
})
BOOL_FIELDS = frozenset({
    "disable_notification", "show_alert", "drop_pending_updates", "protect_content",
    "allow_sending_without_reply", "disable_web_page_preview", "has_spoiler", "disable_content_type_detection",
    "allow_paid_broadcast", "show_caption_above_media",
})
JSON_FIELDS = frozenset({
    "reply_markup", "commands", "scope", "entities", "caption_entities", "allowed_updates",
    "reply_parameters", "link_preview_options", "media",
})
# A 1x1 transparent PNG, the default picture a simulated user sends.
TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082"
)


class ApiError(Exception):
    """A Bot API error answer: HTTP status, description and optional response parameters."""

    def __init__(self, status: int, description: str, parameters: JSONDict | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def body(self) -> JSONDict:
        """Return the JSON body Telegram sends for this error."""
        result: JSONDict = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            result["parameters"] = self.parameters
        return result


def bad_request(description: str) -> ApiError:
    """Build a 400 error with Telegram's "Bad Request: " prefix."""
    return ApiError(400, f"Bad Request: {description}")


def utf16_len(text: str) -> int:
    """Count UTF-16 code units, the unit Telegram uses for lengths and entity offsets."""
    return len(text.encode("utf-16-le")) // 2


# --------------------------------------------------------------------------- HTML (Telegram subset)

_TAG_ENTITY = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline", "ins": "underline",
    "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough", "tg-spoiler": "spoiler",
    "span": "spoiler", "a": "text_link", "code": "code", "pre": "pre", "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SPECIAL = re.compile("[<>&]")


class _ClientGone(Exception):
    """The client closed the connection while its request waited."""


class EntityParseError(ValueError):
    """Raised when text does not parse as Telegram HTML; the message follows Telegram's wording."""


def _decode_entity(text: str, pos: int, *, strict: bool) -> tuple[str, int] | None:
    """Decode the HTML entity starting at ``text[pos] == '&'``; None when Telegram would not decode it."""
    end = pos + 1
    if text.startswith("#", end):
        end += 1
        hexadecimal = text[end:end + 1] in ("x", "X")
        end += hexadecimal
        digits_start = end
        allowed = "0123456789abcdefABCDEF" if hexadecimal else "0123456789"
        while end < len(text) and text[end] in allowed:
            end += 1
        if end == digits_start or end - digits_start > 7:
            return None
        code = int(text[digits_start:end], 16 if hexadecimal else 10)
        if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return None
        char = chr(code)
    else:
        while end < len(text) and text[end].isascii() and text[end].isalpha():
            end += 1
        char = _NAMED_ENTITIES.get(text[pos + 1:end], "")
        if not char:
            return None
    if text.startswith(";", end):
        return char, end + 1
    return None if strict else (char, end)


def parse_html(text: str, *, strict: bool = True) -> tuple[str, list[JSONDict]]:
    """Parse Telegram HTML into (visible text, entities), raising EntityParseError like Telegram."""
    out: list[str] = []
    out16 = 0
    stack: list[JSONDict] = []
    entities: list[JSONDict] = []

    def offset(i: int) -> int:
        return len(text[:i].encode())

    def emit(chunk: str) -> None:
        nonlocal out16
        out.append(chunk)
        out16 += utf16_len(chunk)

    n = len(text)
    i = 0
    while i < n:
        char = text[i]
        if char == "&":
            decoded = _decode_entity(text, i, strict=strict)
            if decoded is None:
                if strict:
                    match = re.match(r"&#?\w*;?", text[i:])
                    raise EntityParseError(
                        f'Unsupported HTML entity "{match.group() if match else "&"}" at byte offset {offset(i)}'
                        ' (escape "&" as "&amp;"; only &lt; &gt; &amp; &quot; and numeric entities exist)'
                    )
                emit("&")
                i += 1
                continue
            emit(decoded[0])
            i = decoded[1]
            continue
        if char == ">" and strict:
            raise EntityParseError(f'Character ">" must be escaped as "&gt;" at byte offset {offset(i)}')
        if char != "<":
            special = _SPECIAL.search(text, i + 1)
            end = special.start() if special else n
            emit(text[i:end])
            i = end
            continue
        begin = i
        i += 1
        if i < n and text[i] == "/":
            i += 1
            if not stack:
                raise EntityParseError(f"Unexpected end tag at byte offset {offset(begin)}")
            name_start = i
            while i < n and not text[i].isspace() and text[i] != ">":
                i += 1
            end_name = text[name_start:i].lower()
            while i < n and text[i].isspace():
                i += 1
            if i >= n or text[i] != ">":
                raise EntityParseError(f"Unclosed end tag at byte offset {offset(begin)}")
            i += 1
            top = stack.pop()
            if end_name and end_name != top["tag"]:
                raise EntityParseError(
                    f'Unmatched end tag at byte offset {offset(begin)}, expected "</{top["tag"]}>", '
                    f'found "</{end_name}>"'
                )
            _close_entity(top, stack, entities, out16)
            continue
        name_start = i
        while i < n and not text[i].isspace() and text[i] != ">":
            i += 1
        if i >= n:
            raise EntityParseError(f"Unclosed start tag at byte offset {offset(begin)}")
        tag = text[name_start:i].lower()
        if tag not in _TAG_ENTITY:
            raise EntityParseError(f'Unsupported start tag "{tag}" at byte offset {offset(begin)}')
        attrs, i = _parse_attributes(text, i, tag, offset)
        if tag == "span" and attrs.get("class") != "tg-spoiler":
            raise EntityParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {offset(begin)}')
        if tag == "tg-emoji" and not attrs.get("emoji-id"):
            raise EntityParseError(f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset {offset(begin)}')
        stack.append({"tag": tag, "attrs": attrs, "start": out16})
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1]["tag"]}"')
    return _strip_visible("".join(out), entities)


def _parse_attributes(text: str, i: int, tag: str, offset: Callable[[int], int]) -> tuple[dict[str, str], int]:
    """Parse a start tag's attributes from ``i`` up to and including its ``>``."""
    attrs: dict[str, str] = {}
    n = len(text)
    while True:
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            raise EntityParseError(f"Unclosed start tag at byte offset {offset(i)}")
        if text[i] == ">":
            return attrs, i + 1
        name_start = i
        while i < n and not text[i].isspace() and text[i] not in "=>":
            i += 1
        name = text[name_start:i].lower()
        if not name:
            raise EntityParseError(f'Empty attribute name in the tag "{tag}" at byte offset {offset(name_start)}')
        while i < n and text[i].isspace():
            i += 1
        if i >= n or text[i] != "=":
            if tag == "blockquote" and name == "expandable":
                attrs[name] = ""
                continue
            raise EntityParseError(
                f'Expected equal sign in declaration of an attribute of the tag "{tag}" at byte offset {offset(i)}'
            )
        i += 1
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            raise EntityParseError(f"Unclosed start tag at byte offset {offset(i)}")
        if text[i] in "'\"":
            quote = text[i]
            end = text.find(quote, i + 1)
            if end < 0:
                raise EntityParseError(f"Unclosed start tag at byte offset {offset(i)}")
            raw = text[i + 1:end]
            value = re.sub(r"&(lt|gt|amp|quot);", lambda m: _NAMED_ENTITIES[m.group(1)], raw)
            i = end + 1
        else:
            value_start = i
            while i < n and (text[i].isalnum() or text[i] in ".-_"):
                i += 1
            if i < n and not text[i].isspace() and text[i] != ">":
                raise EntityParseError(f"Unexpected end of name token at byte offset {offset(i)}")
            value = text[value_start:i].lower()
        attrs[name] = value


def _close_entity(top: JSONDict, stack: list[JSONDict], entities: list[JSONDict], end16: int) -> None:
    """Turn a closed tag into a MessageEntity dict (merging <pre><code class=language-x>)."""
    tag, attrs = top["tag"], top["attrs"]
    language = attrs.get("class", "")
    if tag == "code" and stack and stack[-1]["tag"] == "pre" and language.startswith("language-"):
        stack[-1]["language"] = language.removeprefix("language-")
        return
    length = end16 - top["start"]
    if length <= 0:
        return
    entity: JSONDict = {"type": _TAG_ENTITY[tag], "offset": top["start"], "length": length}
    if tag == "a":
        entity["url"] = attrs.get("href", "")
    elif tag == "pre" and top.get("language"):
        entity["language"] = top["language"]
    elif tag == "blockquote" and "expandable" in attrs:
        entity["type"] = "expandable_blockquote"
    elif tag == "tg-emoji":
        entity["custom_emoji_id"] = attrs["emoji-id"]
    entities.append(entity)


def _strip_visible(visible: str, entities: list[JSONDict]) -> tuple[str, list[JSONDict]]:
    """Strip surrounding whitespace like Telegram and shift/clip entities accordingly."""
    stripped = visible.strip()
    if not stripped:
        return "", []
    shift = utf16_len(visible[: len(visible) - len(visible.lstrip())])
    limit = utf16_len(stripped)
    result = []
    for entity in sorted(entities, key=lambda e: (e["offset"], -e["length"])):
        start = max(entity["offset"] - shift, 0)
        end = min(entity["offset"] + entity["length"] - shift, limit)
        if end > start:
            result.append({**entity, "offset": start, "length": end - start})
    return stripped, result


# --------------------------------------------------------------------------- records


@dataclass
class SentMessage:
    """One successful send by the bot (sendMessage, sendDocument, sendPhoto)."""

    seq: int
    method: str
    chat_id: int
    message_id: int
    text: str | None
    raw_text: str | None
    parse_mode: str | None
    reply_markup: JSONDict | None
    entities: list[JSONDict]
    file_name: str | None = None
    file_size: int | None = None
    params: JSONDict = field(default_factory=dict)


@dataclass
class StoredMessage:
    """Current state of a message in a chat, after edits and deletions."""

    chat_id: int
    message_id: int
    from_bot: bool
    kind: str
    text: str | None
    raw_text: str | None
    entities: list[JSONDict]
    reply_markup: JSONDict | None
    edits: int = 0
    deleted: bool = False
    message: JSONDict = field(default_factory=dict)


@dataclass
class CallbackAnswer:
    """An answerCallbackQuery the bot made."""

    callback_query_id: str
    text: str | None
    show_alert: bool
    url: str | None
    cache_time: int | None


@dataclass
class RequestRecord:
    """One Bot API request: method, decoded parameters (file bytes omitted) and the answer status."""

    seq: int
    method: str
    time: float
    duration: float
    status: int
    description: str | None
    params: JSONDict


@dataclass
class Fault:
    """An injected failure or delay for one method (or "*"), optionally only for one chat."""

    method: str
    status: int | None
    description: str | None
    retry_after: int | None
    chat_id: int | None
    times: int | None
    delay: float = 0.0
    hits: int = 0

    def matches(self, method: str, chat_id: Any) -> bool:
        """Tell whether this fault applies to a request (and still has uses left)."""
        if self.times is not None and self.hits >= self.times:
            return False
        if self.method != "*" and self.method.lower() != method.lower():
            return False
        return self.chat_id is None or chat_id == self.chat_id


@dataclass(frozen=True)
class FloodLimits:
    """Telegram's documented broadcast limits; exceeding one answers 429 with a computed retry_after."""

    per_second: int | None = 30
    per_group_per_minute: int | None = 20
    per_chat_per_second: int | None = None  # Telegram tolerates short bursts in private chats


@dataclass
class FaultHit:
    """A request that an injected fault or delay acted on."""

    time: float
    method: str
    chat_id: Any
    status: int | None
    delay: float


# --------------------------------------------------------------------------- HTTP layer


class _Server(ThreadingHTTPServer):
    """ThreadingHTTPServer that tracks connections so stop() can close idle keep-alive sockets."""

    daemon_threads = True
    # The stdlib default backlog of 5 resets connections when a bot's 64 handlers connect at once.
    request_queue_size = 256

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(address, handler)
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        """Track the connection, then serve it in a daemon thread."""
        with self.connections_lock:
            self.connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        """Forget the connection and close it."""
        with self.connections_lock:
            self.connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Shut down every open client connection."""
        with self.connections_lock:
            sockets = list(self.connections)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    """Routes /bot<token>/<method> and /file/bot<token>/<path> to the emulator."""

    protocol_version = "HTTP/1.1"
    server_version = "BotApiEmulator/1.0"
    timeout = 30
    disable_nagle_algorithm = True  # headers and body are separate writes; Nagle would add ~40 ms each
    emulator: BotApiEmulator

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: request lines contain the token."""

    def do_GET(self) -> None:
        """Serve file downloads and GET-style method calls."""
        parts = urlsplit(self.path)
        if parts.path.startswith("/file/bot"):
            status, body, content_type = self.emulator._download(parts.path)
            self._respond(status, body, content_type)
            return
        self._call(parts.path, "application/x-www-form-urlencoded", parts.query.encode())

    def do_POST(self) -> None:
        """Serve a Bot API method call."""
        body = self._read_body()
        self._call(urlsplit(self.path).path, self.headers.get("Content-Type", ""), body)

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _call(self, path: str, content_type: str, body: bytes) -> None:
        status, payload = self.emulator._handle(path, content_type, body, self._client_alive)
        if status == CLIENT_GONE:
            self.close_connection = True
            return
        self._respond(status, json.dumps(payload, ensure_ascii=False).encode(), "application/json")

    def _client_alive(self) -> bool:
        """Tell whether the client still holds the connection (a cancelled long poll closes it)."""
        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
            return not readable or self.connection.recv(1, socket.MSG_PEEK) != b""
        except (OSError, ValueError):
            return False

    def _respond(self, status: int, body: bytes, content_type: str) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            self.close_connection = True


def _decode_params(content_type: str, body: bytes) -> tuple[JSONDict, dict[str, tuple[str, bytes]]]:
    """Decode a request body into (parameters, uploaded files by field name)."""
    files: dict[str, tuple[str, bytes]] = {}
    raw: JSONDict = {}
    ctype = content_type.split(";")[0].strip().lower()
    if not body.strip():
        return {}, files
    if ctype == "application/json":
        try:
            loaded = json.loads(body)
        except ValueError as exc:
            raise bad_request("can't parse JSON request body") from exc
        if not isinstance(loaded, dict):
            raise bad_request("request body must be a JSON object")
        raw = loaded
    elif ctype == "multipart/form-data":
        head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
        if not message.is_multipart():
            raise bad_request("can't parse multipart/form-data body")
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            decoded = part.get_payload(decode=True)
            payload = decoded if isinstance(decoded, bytes) else b""
            filename = part.get_filename()
            if filename is not None:
                files[str(name)] = (filename, payload)
            else:
                raw[str(name)] = payload.decode()
    else:
        raw = {key: values[-1] for key, values in parse_qs(body.decode(), keep_blank_values=True).items()}
    return {key: _convert(key, value) for key, value in raw.items()}, files


def _convert(key: str, value: Any) -> Any:
    """Convert one form field to its Bot API type (PTB sends nested objects as JSON strings)."""
    if not isinstance(value, str):
        return value
    if key in JSON_FIELDS:
        try:
            return json.loads(value)
        except ValueError as exc:
            what = "reply keyboard markup" if key == "reply_markup" else f'field "{key}"'
            raise bad_request(f"can't parse {what} JSON object") from exc
    if key in INT_FIELDS or (key == "chat_id" and not value.startswith("@")):
        try:
            return int(value)
        except ValueError as exc:
            raise bad_request(f'invalid integer value "{value}" for parameter {key}') from exc
    if key in BOOL_FIELDS:
        return value.lower() in ("true", "1")
    if key == "timeout":
        try:
            return float(value)
        except ValueError as exc:
            raise bad_request(f'invalid number "{value}" for parameter timeout') from exc
    return value


def _image_size(data: bytes) -> tuple[int, int] | None:
    """Return (width, height) of a PNG, GIF or JPEG, or None when it is not a picture we can read."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        return struct.unpack("<HH", data[6:10])
    if data.startswith(b"\xff\xd8"):
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                return None
            marker = data[i + 1]
            length = struct.unpack(">H", data[i + 2:i + 4])[0]
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                height, width = struct.unpack(">HH", data[i + 5:i + 9])
                return width, height
            i += 2 + length
    return None


# --------------------------------------------------------------------------- the emulator


class BotApiEmulator:
    """A fake Telegram Bot API server on 127.0.0.1 with a thread-safe user-side API for tests."""

    def __init__(
        self,
        token: str = "1000000001:AAH-emulator_fake_0123456789abcdefgh",
        *,
        bot_id: int = 1000000001,
        bot_username: str = "tdkt_test_bot",
        bot_name: str = "TDKT Test Bot",
        port: int = 0,
        strict_html: bool = True,
        require_known_chat: bool = True,
        group_privacy: bool = True,
        callback_query_ttl: float | None = None,
        flood_limits: FloodLimits | None = None,
        first_update_id: int = 10001,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.token = token
        self.bot_user: JSONDict = {
            "id": bot_id, "is_bot": True, "first_name": bot_name, "username": bot_username,
            "can_join_groups": True, "can_read_all_group_messages": not group_privacy,
            "supports_inline_queries": False, "can_connect_to_business": False, "has_main_web_app": False,
        }
        self.strict_html = strict_html
        self.require_known_chat = require_known_chat
        self.group_privacy = group_privacy
        self.callback_query_ttl = callback_query_ttl
        self.flood_limits = flood_limits
        self._send_times: list[tuple[float, int]] = []
        self._clock = clock
        self._requested_port = port
        self._cond = threading.Condition(threading.RLock())
        self._stop_event = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._seq = itertools.count(1)
        self._last_seq = 0
        self._next_update_id = first_update_id
        self._updates: list[JSONDict] = []
        self._pushed_upto = first_update_id - 1
        self._delivered_upto = first_update_id - 1
        self._update_seq: dict[int, int] = {}
        self._allowed_updates: list[str] | None = DEFAULT_ALLOWED_UPDATES
        self._poll_generation = 0
        self._polls_waiting = 0
        self._webhook: JSONDict = {"url": ""}
        self._chats: dict[int, JSONDict] = {}
        self._chat_users: dict[int, JSONDict] = {}
        self._blocked: set[int] = set()
        self._next_message_id: dict[int, int] = {}
        self._messages: dict[tuple[int, int], StoredMessage] = {}
        self._sent: list[SentMessage] = []
        self._callbacks: dict[str, JSONDict] = {}
        self._callback_ids = itertools.count(4_000_000_000_000_000_001)
        self._callback_answers: list[CallbackAnswer] = []
        self._commands: dict[tuple[str, str], list[JSONDict]] = {}
        self._files: dict[str, tuple[str, bytes]] = {}
        self._file_ids = itertools.count(1)
        self._requests: list[RequestRecord] = []
        self._inflight = 0
        self._last_activity = 0.0
        self._faults: list[Fault] = []
        self._fault_hits: list[FaultHit] = []
        self.internal_errors: list[str] = []

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> BotApiEmulator:
        """Bind 127.0.0.1 (port 0 = a free port) and serve in a daemon thread."""
        if self._server is not None:
            raise RuntimeError("emulator already started")
        handler = type("BoundHandler", (_Handler,), {"emulator": self})
        self._stop_event.clear()
        self._server = _Server(("127.0.0.1", self._requested_port), handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="bot-api-emulator", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Wake long polls and delays, stop serving and close all connections."""
        server, self._server = self._server, None
        if server is None:
            return
        self._stop_event.set()
        with self._cond:
            self._cond.notify_all()
        server.shutdown()
        server.close_connections()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> BotApiEmulator:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The TCP port the emulator listens on."""
        if self._server is None:
            raise RuntimeError("emulator not started")
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        """Value for ApplicationBuilder.base_url / Bot(base_url=...)."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """Value for ApplicationBuilder.base_file_url / Bot(base_file_url=...)."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    @property
    def bot_id(self) -> int:
        """The bot's user id."""
        return int(self.bot_user["id"])

    @property
    def bot_username(self) -> str:
        """The bot's username, without "@"."""
        return str(self.bot_user["username"])

    # ------------------------------------------------------------------ fault injection

    def inject(
        self,
        method: str,
        status: int = 429,
        *,
        retry_after: int | None = None,
        description: str | None = None,
        times: int | None = 1,
        chat_id: int | None = None,
    ) -> Fault:
        """Make the next ``times`` calls of ``method`` ("*" = any) fail with ``status`` (None = forever)."""
        if status == 429 and retry_after is None:
            retry_after = 1
        if description is None:
            description = (
                f"Too Many Requests: retry after {retry_after}" if status == 429
                else DEFAULT_DESCRIPTIONS.get(status, f"Error {status}")
            )
        fault = Fault(method, status, description, retry_after, chat_id, times)
        with self._cond:
            self._faults.append(fault)
        return fault

    def delay(self, method: str, seconds: float, *, times: int | None = None, chat_id: int | None = None) -> Fault:
        """Make calls of ``method`` ("*" = any) answer ``seconds`` late (interrupted by stop())."""
        fault = Fault(method, None, None, None, chat_id, times, delay=seconds)
        with self._cond:
            self._faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        """Remove every injected fault and delay (the hit log is kept)."""
        with self._cond:
            self._faults.clear()

    @property
    def faults(self) -> list[Fault]:
        """Snapshot of the injected faults with their hit counts."""
        with self._cond:
            return copy.deepcopy(self._faults)

    @property
    def fault_hits(self) -> list[FaultHit]:
        """Every request an injected fault or delay acted on, in order."""
        with self._cond:
            return list(self._fault_hits)

    def block(self, chat_id: int) -> None:
        """Simulate the user blocking the bot (or removing it from the group): sends get 403."""
        with self._cond:
            self._blocked.add(chat_id)

    def unblock(self, chat_id: int) -> None:
        """Undo block()."""
        with self._cond:
            self._blocked.discard(chat_id)

    # ------------------------------------------------------------------ user side

    def add_chat(
        self, chat_id: int, chat_type: str = "private", *, user: JSONDict | int | None = None,
        title: str | None = None, language_code: str = "vi",
    ) -> JSONDict:
        """Make a chat known to "Telegram" without sending an update (e.g. subscribers restored from a DB)."""
        with self._cond:
            return copy.deepcopy(self._ensure_chat(chat_id, chat_type, user, title, language_code)[0])

    def send_text(
        self,
        chat_id: int,
        text: str,
        *,
        user: JSONDict | int | None = None,
        chat_type: str = "private",
        language_code: str = "vi",
        reply_to_message_id: int | None = None,
        entities: list[JSONDict] | None = None,
        chat_title: str | None = None,
    ) -> JSONDict:
        """Simulate a user writing ``text``; returns the update (with update_id None if privacy hid it)."""
        if not text:
            raise ValueError("Telegram clients cannot send an empty message")
        content: JSONDict = {"text": text}
        found = self._auto_entities(text) if entities is None else entities
        if found:
            content["entities"] = found
        with self._cond:
            chat, sender = self._ensure_chat(chat_id, chat_type, user, chat_title, language_code)
            reply_to = self._reply_target(chat_id, reply_to_message_id) if reply_to_message_id else None
            message = self._user_message(chat, sender, content, "text", reply_to)
            visible = chat["type"] == "private" or self._bot_sees_group_message(text, found, reply_to)
            return self._push_locked({"message": message}) if visible else {"update_id": None, "message": message}

    def send_edited_text(self, chat_id: int, message_id: int, text: str) -> JSONDict:
        """Simulate the user editing their earlier text message."""
        with self._cond:
            stored = self._messages.get((chat_id, message_id))
            if stored is None or stored.from_bot or stored.kind != "text":
                raise ValueError(f"no user text message {message_id} in chat {chat_id}")
            message = copy.deepcopy(stored.message)
            message["text"] = text
            message["edit_date"] = int(self._clock())
            found = self._auto_entities(text)
            message.pop("entities", None)
            if found:
                message["entities"] = found
            stored.text = stored.raw_text = text
            stored.entities = found
            stored.edits += 1
            stored.message = message
            return self._push_locked({"edited_message": copy.deepcopy(message)})

    def send_sticker(
        self, chat_id: int, *, emoji: str = "👍", user: JSONDict | int | None = None, chat_type: str = "private"
    ) -> JSONDict:
        """Simulate a user sending a sticker."""
        file_id = self._store_file("sticker.webp", b"RIFF\x00\x00\x00\x00WEBP")
        sticker = {
            "file_id": file_id, "file_unique_id": f"u{file_id}", "type": "regular", "width": 512,
            "height": 512, "is_animated": False, "is_video": False, "emoji": emoji,
        }
        return self._send_media(chat_id, "sticker", {"sticker": sticker}, user, chat_type, None)

    def send_photo(
        self, chat_id: int, data: bytes = TINY_PNG, *, caption: str | None = None,
        user: JSONDict | int | None = None, chat_type: str = "private",
    ) -> JSONDict:
        """Simulate a user sending a photo (downloadable through getFile)."""
        size = _image_size(data) or (1, 1)
        file_id = self._store_file("photo.jpg", data)
        photo = [{"file_id": file_id, "file_unique_id": f"u{file_id}", "width": size[0], "height": size[1],
                  "file_size": len(data)}]
        return self._send_media(chat_id, "photo", {"photo": photo}, user, chat_type, caption)

    def send_document(
        self, chat_id: int, data: bytes, file_name: str, *, mime_type: str = "application/octet-stream",
        caption: str | None = None, user: JSONDict | int | None = None, chat_type: str = "private",
    ) -> JSONDict:
        """Simulate a user sending a file (downloadable through getFile)."""
        file_id = self._store_file(file_name, data)
        document = {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_name": file_name,
                    "mime_type": mime_type, "file_size": len(data)}
        return self._send_media(chat_id, "document", {"document": document}, user, chat_type, caption)

    def press_button(
        self, chat_id: int, message_id: int, callback_data: str, user: JSONDict | int | None = None
    ) -> str:
        """Simulate a user pressing an inline button; returns the callback query id."""
        with self._cond:
            stored = self._messages.get((chat_id, message_id))
            if stored is None or stored.deleted:
                raise AssertionError(f"message {message_id} does not exist in chat {chat_id}")
            rows = (stored.reply_markup or {}).get("inline_keyboard", [])
            available = [b.get("callback_data") for row in rows for b in row if "callback_data" in b]
            if callback_data not in available:
                raise AssertionError(
                    f"message {message_id} in chat {chat_id} has no button with callback_data {callback_data!r}; "
                    f"available: {available!r}"
                )
            chat = self._chats[chat_id]
            if user is None:
                if chat["type"] != "private":
                    raise ValueError("pass user= when pressing a button in a group")
                sender = self._chat_users[chat_id]
            else:
                sender = self._make_user(user)
            query_id = str(next(self._callback_ids))
            self._callbacks[query_id] = {"answered": False, "time": self._clock(), "from": sender["id"]}
            self._push_locked({"callback_query": {
                "id": query_id, "from": copy.deepcopy(sender), "message": copy.deepcopy(stored.message),
                "chat_instance": str(abs(chat_id) * 1000003), "data": callback_data,
            }})
            return query_id

    def push_update(self, update: JSONDict) -> JSONDict:
        """Queue any update dict; an update_id is assigned when missing. Returns the queued update."""
        with self._cond:
            return self._push_locked(copy.deepcopy(update))

    # ------------------------------------------------------------------ observation

    def sent_messages(self, chat_id: int | None = None, *, after: Any = None) -> list[SentMessage]:
        """Everything the bot sent (optionally to one chat, optionally only after a mark/update)."""
        since = self._resolve_mark(after)
        with self._cond:
            return [copy.deepcopy(m) for m in self._sent
                    if (chat_id is None or m.chat_id == chat_id) and m.seq > since]

    @property
    def messages(self) -> dict[tuple[int, int], StoredMessage]:
        """Current state of every message by (chat_id, message_id), user's and bot's."""
        with self._cond:
            return copy.deepcopy(self._messages)

    def message(self, chat_id: int, message_id: int) -> StoredMessage:
        """Current state of one message."""
        with self._cond:
            return copy.deepcopy(self._messages[(chat_id, message_id)])

    @property
    def callback_answers(self) -> list[CallbackAnswer]:
        """Every accepted answerCallbackQuery, in order."""
        with self._cond:
            return list(self._callback_answers)

    @property
    def commands(self) -> dict[tuple[str, str], list[JSONDict]]:
        """Command lists by (scope key, language_code); scope keys look like "default" or "chat:-100"."""
        with self._cond:
            return copy.deepcopy(self._commands)

    @property
    def requests(self) -> list[RequestRecord]:
        """Log of every Bot API request, in completion order."""
        with self._cond:
            return list(self._requests)

    def calls(self, method: str) -> list[RequestRecord]:
        """The logged requests of one method (case-insensitive)."""
        with self._cond:
            return [r for r in self._requests if r.method.lower() == method.lower()]

    @property
    def rejected(self) -> list[RequestRecord]:
        """Requests answered with an error status (handy: ``assert not emu.rejected``)."""
        with self._cond:
            return [r for r in self._requests if r.status >= 400 and r.status != CLIENT_GONE]

    @property
    def webhook(self) -> JSONDict:
        """The webhook settings last stored by setWebhook."""
        with self._cond:
            return dict(self._webhook)

    @property
    def is_polling(self) -> bool:
        """Tell whether a getUpdates call is waiting right now (the bot is up and listening)."""
        with self._cond:
            return self._polls_waiting > 0

    @property
    def pending_updates(self) -> list[JSONDict]:
        """Updates not yet acknowledged by an offset."""
        with self._cond:
            return copy.deepcopy(self._updates)

    # ------------------------------------------------------------------ waiting

    def mark(self) -> int:
        """Return a position in the event sequence to use as ``after=``."""
        with self._cond:
            return self._last_seq

    def wait_for(self, predicate: Callable[[], Any], timeout: float = 10.0, *, description: str = "condition") -> Any:
        """Wait until ``predicate()`` is truthy and return its value; AssertionError after ``timeout``."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                value = predicate()
                if value:
                    return value
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"timed out after {timeout}s waiting for {description}")
                self._cond.wait(min(remaining, 0.05))

    def wait_for_messages(
        self, chat_id: int, count: int = 1, timeout: float = 10.0, *, after: Any = None
    ) -> list[SentMessage]:
        """Wait until the bot has sent at least ``count`` messages to ``chat_id`` (after ``after``)."""
        since = self._resolve_mark(after)

        def enough() -> bool:
            return sum(1 for m in self._sent if m.chat_id == chat_id and m.seq > since) >= count

        try:
            self.wait_for(enough, timeout, description=f"{count} message(s) to chat {chat_id}")
            return self.sent_messages(chat_id, after=since)
        except AssertionError:
            seen = [(m.method, m.text) for m in self.sent_messages(chat_id, after=after)]
            rejected = [(r.method, r.status, r.description) for r in self.rejected][-5:]
            raise AssertionError(
                f"timed out after {timeout}s waiting for {count} message(s) to chat {chat_id}; saw {seen!r}; "
                f"last rejected requests: {rejected!r}; internal errors: {self.internal_errors!r}"
            ) from None

    def wait_idle(self, quiet: float = 0.2, timeout: float = 10.0) -> None:
        """Wait until every update was fetched and no (non-getUpdates) request happened for ``quiet`` s."""
        def idle() -> bool:
            return (self._delivered_upto >= self._pushed_upto and self._inflight == 0
                    and time.monotonic() - self._last_activity >= quiet)
        self.wait_for(idle, timeout, description="the bot to go idle")

    async def wait_for_async(self, predicate: Callable[[], Any], timeout: float = 10.0, *,
                             description: str = "condition") -> Any:
        """wait_for() without blocking the event loop (use it when the bot runs in-process)."""
        return await asyncio.to_thread(self.wait_for, predicate, timeout, description=description)

    async def wait_for_messages_async(self, chat_id: int, count: int = 1, timeout: float = 10.0, *,
                                      after: Any = None) -> list[SentMessage]:
        """wait_for_messages() without blocking the event loop."""
        return await asyncio.to_thread(self.wait_for_messages, chat_id, count, timeout, after=after)

    async def wait_idle_async(self, quiet: float = 0.2, timeout: float = 10.0) -> None:
        """wait_idle() without blocking the event loop."""
        await asyncio.to_thread(self.wait_idle, quiet, timeout)

    # ------------------------------------------------------------------ internals: state helpers

    def _tick(self) -> int:
        self._last_seq = next(self._seq)
        return self._last_seq

    def _resolve_mark(self, after: Any) -> int:
        if after is None:
            return 0
        if isinstance(after, int):
            return after
        if isinstance(after, SentMessage):
            return after.seq
        if isinstance(after, dict) and after.get("update_id") is not None:
            with self._cond:
                return self._update_seq[after["update_id"]]
        raise TypeError(f"after= must be a mark(), a SentMessage or a pushed update, not {after!r}")

    def _push_locked(self, update: JSONDict) -> JSONDict:
        if update.get("update_id") is None:
            update["update_id"] = self._next_update_id
        elif update["update_id"] < self._next_update_id:
            raise ValueError(f"update_id must be >= {self._next_update_id}")
        self._next_update_id = update["update_id"] + 1
        self._pushed_upto = update["update_id"]
        self._update_seq[update["update_id"]] = self._tick()
        self._updates.append(update)
        self._cond.notify_all()
        return copy.deepcopy(update)

    def _make_user(self, user: JSONDict | int, language_code: str = "vi") -> JSONDict:
        if isinstance(user, int):
            return {"id": user, "is_bot": False, "first_name": f"Người dùng {user}", "language_code": language_code}
        return {"is_bot": False, "first_name": f"Người dùng {user['id']}", **user}

    def _ensure_chat(
        self, chat_id: int, chat_type: str, user: JSONDict | int | None, title: str | None, language_code: str
    ) -> tuple[JSONDict, JSONDict | None]:
        if chat_type == "private":
            if chat_id <= 0:
                raise ValueError("private chat ids are positive (they equal the user id)")
            person = self._make_user(chat_id if user is None else user, language_code)
            if person["id"] != chat_id:
                raise ValueError("in a private chat the user id equals the chat id")
            chat = {"id": chat_id, "type": "private", "first_name": person["first_name"]}
            for key in ("last_name", "username"):
                if key in person:
                    chat[key] = person[key]
            sender: JSONDict | None = person
        elif chat_type in ("group", "supergroup"):
            if chat_id >= 0:
                raise ValueError("group chat ids are negative")
            sender = None if user is None else self._make_user(user, language_code)
            chat = {"id": chat_id, "type": chat_type, "title": title or f"Nhóm {chat_id}"}
        else:
            raise ValueError(f"unsupported chat_type {chat_type!r}")
        known = self._chats.get(chat_id)
        if known is not None and known["type"] != chat_type:
            raise ValueError(f"chat {chat_id} is a {known['type']} chat, not {chat_type}")
        if known is None:
            self._chats[chat_id] = chat
        if chat_type == "private" and sender is not None:
            self._chat_users[chat_id] = sender
        return self._chats[chat_id], sender

    def _auto_entities(self, text: str) -> list[JSONDict]:
        entities = []
        covered: list[tuple[int, int]] = []
        for match in re.finditer(r"(?<![\w/])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?", text):
            covered.append(match.span())
            entities.append({"type": "bot_command", "offset": utf16_len(text[:match.start()]),
                             "length": utf16_len(match.group())})
        for match in re.finditer(r"(?<![\w@])@[A-Za-z0-9_]{5,32}\b", text):
            if any(start <= match.start() < end for start, end in covered):
                continue
            entities.append({"type": "mention", "offset": utf16_len(text[:match.start()]),
                             "length": utf16_len(match.group())})
        return sorted(entities, key=lambda e: e["offset"])

    def _bot_sees_group_message(self, text: str, entities: list[JSONDict], reply_to: JSONDict | None) -> bool:
        """Apply Telegram's group privacy mode: commands, replies to the bot and mentions only."""
        if not self.group_privacy:
            return True
        if reply_to is not None and reply_to.get("from", {}).get("id") == self.bot_id:
            return True
        encoded = text.encode("utf-16-le")
        for entity in entities:
            value = encoded[entity["offset"] * 2:(entity["offset"] + entity["length"]) * 2].decode("utf-16-le")
            if entity["type"] == "bot_command" and ("@" not in value or value.endswith("@" + self.bot_username)):
                return True
            if entity["type"] == "mention" and value[1:].lower() == self.bot_username.lower():
                return True
        return False

    def _reply_target(self, chat_id: int, message_id: int) -> JSONDict:
        stored = self._messages.get((chat_id, message_id))
        if stored is None or stored.deleted:
            raise ValueError(f"message {message_id} does not exist in chat {chat_id}")
        reply = copy.deepcopy(stored.message)
        reply.pop("reply_to_message", None)
        return reply

    def _new_message_id(self, chat_id: int) -> int:
        self._next_message_id[chat_id] = self._next_message_id.get(chat_id, 0) + 1
        return self._next_message_id[chat_id]

    def _user_message(
        self, chat: JSONDict, sender: JSONDict | None, content: JSONDict, kind: str, reply_to: JSONDict | None
    ) -> JSONDict:
        if sender is None:
            raise ValueError("pass user= for messages in groups")
        chat_id = chat["id"]
        message: JSONDict = {"message_id": self._new_message_id(chat_id), "from": copy.deepcopy(sender),
                             "chat": copy.deepcopy(chat), "date": int(self._clock()), **content}
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        text = content.get("text", content.get("caption"))
        self._messages[(chat_id, message["message_id"])] = StoredMessage(
            chat_id, message["message_id"], False, kind, text, text, content.get("entities", []), None,
            message=copy.deepcopy(message),
        )
        return message

    def _send_media(self, chat_id: int, kind: str, content: JSONDict, user: JSONDict | int | None,
                    chat_type: str, caption: str | None) -> JSONDict:
        if caption:
            content["caption"] = caption
        with self._cond:
            chat, sender = self._ensure_chat(chat_id, chat_type, user, None, "vi")
            message = self._user_message(chat, sender, content, kind, None)
            visible = chat["type"] == "private" or not self.group_privacy
            return self._push_locked({"message": message}) if visible else {"update_id": None, "message": message}

    def _store_file(self, name: str, data: bytes) -> str:
        with self._cond:
            file_id = f"EMU{next(self._file_ids):06d}"
            self._files[file_id] = (name, data)
            return file_id

    def _download(self, path: str) -> tuple[int, bytes, str]:
        prefix = f"/file/bot{self.token}/"
        path = unquote(path)
        if not path.startswith(prefix):
            return 401, b'{"ok":false,"error_code":401,"description":"Unauthorized"}', "application/json"
        file_id = path[len(prefix):].split("/")[-1]
        with self._cond:
            found = self._files.get(file_id)
        if found is None:
            return 404, b'{"ok":false,"error_code":404,"description":"Not Found"}', "application/json"
        return 200, found[1], "application/octet-stream"

    # ------------------------------------------------------------------ internals: request handling

    def _handle(
        self, path: str, content_type: str, body: bytes, client_alive: Callable[[], bool] = lambda: True
    ) -> tuple[int, JSONDict]:
        started = time.monotonic()
        match = re.fullmatch(r"/bot([^/]*)/([A-Za-z]+)", unquote(path))
        if match is None:
            return 404, ApiError(404, "Not Found").body()
        token, method = match.groups()
        params: JSONDict = {}
        polling = method.lower() == "getupdates"
        with self._cond:
            self._inflight += not polling
        try:
            if token != self.token:
                raise ApiError(401, "Unauthorized")
            params, files = _decode_params(content_type, body)
            self._apply_faults(method, params)
            if self.flood_limits is not None and method.lower() in SEND_METHODS:
                self._check_flood(params.get("chat_id"))
            handler = getattr(self, f"_api_{method.lower()}", None)
            if handler is None:
                raise bad_request(f'method "{method}" not found (the emulator does not implement it)')
            if polling:
                result = handler(params, client_alive)
            elif method.lower() in ("senddocument", "sendphoto"):
                result = handler(params, files)
            else:
                result = handler(params)
            status, payload, description = 200, {"ok": True, "result": result}, None
        except _ClientGone:
            status, payload, description = CLIENT_GONE, {}, "client closed the connection"
        except ApiError as exc:
            status, payload, description = exc.status, exc.body(), exc.description
        except Exception as exc:  # an emulator bug must surface in the test, not hang it
            self.internal_errors.append(f"{method}: {exc!r}")
            status, payload, description = 500, ApiError(500, f"Internal Server Error: {exc!r}").body(), repr(exc)
        with self._cond:
            self._inflight -= not polling
            if not polling:
                self._last_activity = time.monotonic()
            self._requests.append(RequestRecord(
                self._tick(), method, self._clock(), time.monotonic() - started, status, description, params,
            ))
            self._cond.notify_all()
        return status, payload

    def _apply_faults(self, method: str, params: JSONDict) -> None:
        chat_id = params.get("chat_id")
        with self._cond:
            delays = [f for f in self._faults if f.delay and f.matches(method, chat_id)]
            failure = next((f for f in self._faults if f.status and f.matches(method, chat_id)), None)
            for fault in [*delays, *([failure] if failure else [])]:
                fault.hits += 1
                self._fault_hits.append(FaultHit(self._clock(), method, chat_id, fault.status, fault.delay))
        for fault in delays:
            self._stop_event.wait(fault.delay)
        if failure is not None:
            parameters = {"retry_after": failure.retry_after} if failure.status == 429 else None
            raise ApiError(failure.status or 500, failure.description or "", parameters)

    def _check_flood(self, chat_id: Any) -> None:
        """Answer 429 when a send would exceed the configured flood limits, else count it."""
        limits = self.flood_limits
        assert limits is not None
        now = time.monotonic()
        with self._cond:
            self._send_times = [(t, c) for t, c in self._send_times if now - t < 60]
            chat = self._chats.get(chat_id) if isinstance(chat_id, int) else None
            group = chat is not None and chat["type"] in ("group", "supergroup")
            windows = [
                (limits.per_second, 1.0, [t for t, _ in self._send_times]),
                (limits.per_chat_per_second, 1.0, [t for t, c in self._send_times if c == chat_id]),
                (limits.per_group_per_minute if group else None, 60.0,
                 [t for t, c in self._send_times if c == chat_id]),
            ]
            for limit, window, times in windows:
                recent = [t for t in times if now - t < window]
                if limit is not None and len(recent) >= limit:
                    retry_after = max(1, math.ceil(recent[-limit] + window - now))
                    raise ApiError(429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after})
            self._send_times.append((now, chat_id))

    def _chat(self, params: JSONDict) -> JSONDict:
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise bad_request("chat_id is empty")
        if isinstance(chat_id, str):
            found = next((c for c in self._chats.values() if c.get("username") == chat_id[1:]), None)
            if found is None:
                raise bad_request("chat not found")
            chat_id = found["id"]
        if chat_id in self._blocked:
            chat = self._chats.get(chat_id, {"type": "private"})
            private = chat["type"] == "private"
            reason = "bot was blocked by the user" if private else "bot was kicked from the group chat"
            raise ApiError(403, f"Forbidden: {reason}")
        if chat_id not in self._chats:
            if self.require_known_chat:
                raise bad_request("chat not found")
            kind = "private" if chat_id > 0 else "group"
            self._ensure_chat(chat_id, kind, None, None, "vi")
        return self._chats[chat_id]

    def _parse_text(self, raw: Any, parse_mode: Any, *, caption: bool) -> tuple[str, list[JSONDict]]:
        text = "" if raw is None else str(raw)
        mode = (parse_mode or "").strip()
        if mode.lower() == "html":
            try:
                visible, entities = parse_html(text, strict=self.strict_html)
            except EntityParseError as exc:
                raise bad_request(f"can't parse entities: {exc}") from None
        elif mode.lower() in ("", "markdown", "markdownv2"):
            visible, entities = text.strip(), []  # Markdown is not validated: length counts the raw text
        else:
            raise bad_request(f"unsupported parse_mode {mode!r}")
        limit = MAX_CAPTION_UTF16 if caption else MAX_TEXT_UTF16
        if utf16_len(visible) > limit:
            raise bad_request("message caption is too long" if caption else "message is too long")
        if not visible and not caption:
            raise bad_request("message text is empty")
        return visible, entities

    def _check_markup(self, markup: Any) -> JSONDict | None:
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise bad_request("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            rows = markup["inline_keyboard"]
            if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
                raise bad_request('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays')
            if sum(len(row) for row in rows) > MAX_INLINE_BUTTONS:
                raise bad_request("reply markup is too long")
            for button in (b for row in rows for b in row):
                self._check_button(button)
            return markup
        if "keyboard" in markup:
            rows = markup["keyboard"]
            if not isinstance(rows, list) or not all(isinstance(row, list) and row for row in rows):
                raise bad_request('field "keyboard" of the ReplyKeyboardMarkup must be an Array of Arrays')
            for button in (b for row in rows for b in row):
                text = button if isinstance(button, str) else button.get("text") if isinstance(button, dict) else None
                if not text:
                    raise bad_request("can't parse keyboard button: Text must be non-empty")
            return markup
        if markup.get("remove_keyboard") is True or markup.get("force_reply") is True:
            return markup
        raise bad_request("can't parse reply keyboard markup JSON object")

    @staticmethod
    def _check_button(button: Any) -> None:
        if not isinstance(button, dict) or not isinstance(button.get("text"), str) or not button["text"]:
            raise bad_request("can't parse inline keyboard button: Text must be a non-empty String")
        actions = [key for key in BUTTON_ACTIONS if key in button]
        if not actions:
            raise bad_request("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
        if len(actions) > 1:
            raise bad_request(f"can't parse inline keyboard button: exactly one action expected, got {actions}")
        data = button.get("callback_data")
        if "callback_data" in button and (
            not isinstance(data, str) or not data or len(data.encode()) > MAX_CALLBACK_DATA_BYTES
        ):
            raise bad_request("BUTTON_DATA_INVALID")
        url = button.get("url")
        if "url" in button and (not isinstance(url, str) or not re.match(r"(https?|tg)://\S+$", url)):
            raise bad_request("BUTTON_URL_INVALID")

    def _reply_to(self, chat_id: int, params: JSONDict) -> JSONDict | None:
        reply = params.get("reply_parameters") or {}
        message_id = reply.get("message_id", params.get("reply_to_message_id"))
        if message_id is None:
            return None
        target_chat = reply.get("chat_id", chat_id)
        stored = self._messages.get((target_chat, message_id))
        if stored is None or stored.deleted:
            if reply.get("allow_sending_without_reply") or params.get("allow_sending_without_reply"):
                return None
            raise bad_request("message to be replied not found")
        return self._reply_target(target_chat, message_id)

    def _bot_message(
        self, method: str, params: JSONDict, kind: str, content: JSONDict, text: tuple[str, list[JSONDict]] | None,
        markup: JSONDict | None, raw_text: str | None, file: tuple[str, int] | None = None,
    ) -> JSONDict:
        chat = self._chat(params)
        reply_to = self._reply_to(chat["id"], params)
        message: JSONDict = {"message_id": self._new_message_id(chat["id"]), "from": copy.deepcopy(self.bot_user),
                             "chat": copy.deepcopy(chat), "date": int(self._clock()), **content}
        visible, entities = text or (None, [])
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        if markup is not None and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        key = (chat["id"], message["message_id"])
        self._messages[key] = StoredMessage(
            chat["id"], message["message_id"], True, kind, visible, raw_text, entities,
            message.get("reply_markup"), message=copy.deepcopy(message),
        )
        self._sent.append(SentMessage(
            self._tick(), method, chat["id"], message["message_id"], visible, raw_text, params.get("parse_mode"),
            markup, entities, file[0] if file else None, file[1] if file else None, dict(params),
        ))
        self._cond.notify_all()
        return message

    # ------------------------------------------------------------------ Bot API methods

    def _api_getme(self, params: JSONDict) -> JSONDict:
        return copy.deepcopy(self.bot_user)

    def _api_logout(self, params: JSONDict) -> bool:
        return True

    def _api_close(self, params: JSONDict) -> bool:
        return True

    def _api_setwebhook(self, params: JSONDict) -> bool:
        url = params.get("url", "")
        if url and not str(url).startswith("https://"):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        with self._cond:
            self._webhook = {k: v for k, v in params.items() if k != "certificate"}
            if params.get("drop_pending_updates"):
                self._drop_all_updates()
        return True

    def _api_deletewebhook(self, params: JSONDict) -> bool:
        with self._cond:
            self._webhook = {"url": ""}
            if params.get("drop_pending_updates"):
                self._drop_all_updates()
        return True

    def _api_getwebhookinfo(self, params: JSONDict) -> JSONDict:
        with self._cond:
            return {"url": self._webhook.get("url", ""), "has_custom_certificate": False,
                    "pending_update_count": len(self._updates)}

    def _drop_all_updates(self) -> None:
        if self._updates:
            self._delivered_upto = max(self._delivered_upto, self._updates[-1]["update_id"])
        self._updates.clear()
        self._cond.notify_all()

    def _api_getupdates(self, params: JSONDict, client_alive: Callable[[], bool]) -> list[JSONDict]:
        offset = params.get("offset")
        limit = params.get("limit") or 100
        timeout = float(params.get("timeout") or 0)
        if not 1 <= limit <= 100:
            limit = 100
        deadline = time.monotonic() + max(timeout, 0)
        with self._cond:
            if self._webhook.get("url"):
                raise ApiError(409, CONFLICT_WEBHOOK)
            self._poll_generation += 1
            generation = self._poll_generation
            self._polls_waiting += 1
            try:
                return self._long_poll(params, offset, limit, deadline, generation, client_alive)
            finally:
                self._polls_waiting -= 1

    def _long_poll(self, params: JSONDict, offset: int | None, limit: int, deadline: float, generation: int,
                   client_alive: Callable[[], bool]) -> list[JSONDict]:
        with self._cond:
            self._cond.notify_all()
            if "allowed_updates" in params:
                self._allowed_updates = params["allowed_updates"] or None
            while True:
                self._forget_acknowledged(offset)
                ready = [u for u in self._updates if self._allowed(u)]
                if len(ready) != len(self._updates):  # Telegram never queues updates the bot opted out of
                    self._delivered_upto = max(self._delivered_upto, self._updates[-1]["update_id"])
                    self._updates = ready
                if ready or self._stop_event.is_set():
                    batch = ready[:limit]
                    if batch:
                        self._delivered_upto = max(self._delivered_upto, batch[-1]["update_id"])
                        self._last_activity = time.monotonic()
                    return copy.deepcopy(batch)
                if not client_alive():
                    raise _ClientGone
                if generation != self._poll_generation:
                    raise ApiError(409, CONFLICT_POLL)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return []
                self._cond.wait(min(remaining, 0.1))

    def _forget_acknowledged(self, offset: int | None) -> None:
        if offset is None or not self._updates:
            return
        if offset < 0:
            dropped, self._updates = self._updates[:offset], self._updates[offset:]
        else:
            dropped = [u for u in self._updates if u["update_id"] < offset]
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        if dropped:
            self._delivered_upto = max(self._delivered_upto, dropped[-1]["update_id"])

    def _allowed(self, update: JSONDict) -> bool:
        kind = next((k for k in update if k != "update_id"), "")
        if self._allowed_updates is None:
            return kind not in OPT_IN_UPDATES
        return kind in self._allowed_updates

    def _api_sendmessage(self, params: JSONDict) -> JSONDict:
        with self._cond:
            self._chat(params)
            text = self._parse_text(params.get("text"), params.get("parse_mode"), caption=False)
            markup = self._check_markup(params.get("reply_markup"))
            content: JSONDict = {"text": text[0]}
            if text[1]:
                content["entities"] = text[1]
            elif params.get("entities"):
                content["entities"] = params["entities"]
            return self._bot_message("sendMessage", params, "text", content, text, markup, params.get("text"))

    def _api_sendphoto(self, params: JSONDict, files: dict[str, tuple[str, bytes]]) -> JSONDict:
        return self._send_file("sendPhoto", "photo", params, files)

    def _api_senddocument(self, params: JSONDict, files: dict[str, tuple[str, bytes]]) -> JSONDict:
        return self._send_file("sendDocument", "document", params, files)

    def _send_file(self, method: str, kind: str, params: JSONDict, files: dict[str, tuple[str, bytes]]) -> JSONDict:
        with self._cond:
            self._chat(params)
            caption = None
            if params.get("caption"):
                caption = self._parse_text(params["caption"], params.get("parse_mode"), caption=True)
            markup = self._check_markup(params.get("reply_markup"))
            name, data = self._input_file(kind, params, files)
            limit = MAX_PHOTO_BYTES if kind == "photo" else MAX_DOCUMENT_BYTES
            if not data:
                raise bad_request("file must be non-empty")
            if len(data) > limit:
                raise bad_request("file is too big")
            file_id = self._store_file(name, data)
            if kind == "photo":
                size = _image_size(data)
                if size is None:
                    raise bad_request("IMAGE_PROCESS_FAILED")
                width, height = size
                if width + height > 10000 or max(width, height) > 20 * min(width, height):
                    raise bad_request("PHOTO_INVALID_DIMENSIONS")
                media: Any = [{"file_id": file_id, "file_unique_id": f"u{file_id}", "width": width,
                               "height": height, "file_size": len(data)}]
            else:
                media = {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_name": name,
                         "mime_type": "application/octet-stream", "file_size": len(data)}
            content: JSONDict = {kind: media}
            if caption and caption[0]:
                content["caption"] = caption[0]
                if caption[1]:
                    content["caption_entities"] = caption[1]
            return self._bot_message(method, params, kind, content, caption, markup, params.get("caption"),
                                     (name, len(data)))

    def _input_file(self, kind: str, params: JSONDict, files: dict[str, tuple[str, bytes]]) -> tuple[str, bytes]:
        value = params.get(kind)
        if kind in files:
            return files[kind]
        if isinstance(value, str) and value.startswith("attach://") and value[9:] in files:
            return files[value[9:]]
        if isinstance(value, str) and value in self._files:
            return self._files[value]
        if isinstance(value, str) and re.match(r"https?://", value):
            return value.rsplit("/", 1)[-1] or "file", b"\x89PNG\r\n\x1a\n" + b"\x00" * 8 + struct.pack(">II", 1, 1)
        if value in (None, ""):
            raise bad_request(f"there is no {kind} in the request")
        raise bad_request("wrong file identifier/HTTP URL specified")

    def _api_getfile(self, params: JSONDict) -> JSONDict:
        file_id = params.get("file_id")
        with self._cond:
            if file_id not in self._files:
                raise bad_request("invalid file_id")
            data = self._files[file_id][1]
        return {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_size": len(data),
                "file_path": f"documents/{file_id}"}

    def _editable(self, params: JSONDict) -> StoredMessage:
        if params.get("inline_message_id"):
            raise bad_request("inline messages are not supported by the emulator")
        chat = self._chat(params)
        message_id = params.get("message_id")
        if message_id is None:
            raise bad_request("message identifier is not specified")
        stored = self._messages.get((chat["id"], message_id))
        if stored is None or stored.deleted:
            raise bad_request("message to edit not found")
        if not stored.from_bot:
            raise bad_request("message can't be edited")
        return stored

    def _apply_edit(self, stored: StoredMessage, text: tuple[str, list[JSONDict]] | None, raw: str | None,
                    markup: JSONDict | None, *, text_changes: bool) -> JSONDict:
        inline = markup if markup is not None and "inline_keyboard" in markup else None
        new_text = text[0] if text_changes and text else stored.text
        new_entities = text[1] if text_changes and text else stored.entities
        if (new_text, new_entities, inline) == (stored.text, stored.entities, stored.reply_markup):
            raise bad_request(NOT_MODIFIED.removeprefix("Bad Request: "))
        message = copy.deepcopy(stored.message)
        key = "text" if stored.kind == "text" else "caption"
        entities_key = "entities" if stored.kind == "text" else "caption_entities"
        if text_changes:
            message[key] = new_text
            message.pop(entities_key, None)
            if new_entities:
                message[entities_key] = new_entities
            stored.raw_text = raw
        message.pop("reply_markup", None)
        if inline is not None:
            message["reply_markup"] = inline
        message["edit_date"] = int(self._clock())
        stored.text, stored.entities, stored.reply_markup = new_text, new_entities, inline
        stored.edits += 1
        stored.message = message
        self._tick()
        self._cond.notify_all()
        return copy.deepcopy(message)

    def _api_editmessagetext(self, params: JSONDict) -> JSONDict:
        with self._cond:
            stored = self._editable(params)
            if stored.kind != "text":
                raise bad_request("there is no text in the message to edit")
            text = self._parse_text(params.get("text"), params.get("parse_mode"), caption=False)
            markup = self._check_markup(params.get("reply_markup"))
            return self._apply_edit(stored, text, params.get("text"), markup, text_changes=True)

    def _api_editmessagecaption(self, params: JSONDict) -> JSONDict:
        with self._cond:
            stored = self._editable(params)
            if stored.kind == "text":
                raise bad_request("there is no caption in the message to edit")
            caption = self._parse_text(params.get("caption"), params.get("parse_mode"), caption=True)
            markup = self._check_markup(params.get("reply_markup"))
            return self._apply_edit(stored, caption, params.get("caption"), markup, text_changes=True)

    def _api_editmessagereplymarkup(self, params: JSONDict) -> JSONDict:
        with self._cond:
            stored = self._editable(params)
            markup = self._check_markup(params.get("reply_markup"))
            return self._apply_edit(stored, None, None, markup, text_changes=False)

    def _api_deletemessage(self, params: JSONDict) -> bool:
        with self._cond:
            chat = self._chat(params)
            stored = self._messages.get((chat["id"], int(params.get("message_id") or 0)))
            if stored is None or stored.deleted:
                raise bad_request("message to delete not found")
            if not stored.from_bot and chat["type"] != "private":
                raise bad_request("message can't be deleted")
            stored.deleted = True
            self._tick()
            self._cond.notify_all()
            return True

    def _api_answercallbackquery(self, params: JSONDict) -> bool:
        query_id = str(params.get("callback_query_id", ""))
        text = params.get("text")
        with self._cond:
            query = self._callbacks.get(query_id)
            expired = (query is not None and self.callback_query_ttl is not None
                       and self._clock() - query["time"] > self.callback_query_ttl)
            if query is None or query["answered"] or expired:
                raise bad_request(QUERY_INVALID.removeprefix("Bad Request: "))
            if text is not None and len(str(text)) > MAX_CALLBACK_ANSWER_CHARS:
                raise bad_request("MESSAGE_TOO_LONG")
            query["answered"] = True
            self._callback_answers.append(CallbackAnswer(
                query_id, text, bool(params.get("show_alert")), params.get("url"), params.get("cache_time"),
            ))
            self._tick()
            self._cond.notify_all()
        return True

    def _api_sendchataction(self, params: JSONDict) -> bool:
        with self._cond:
            self._chat(params)
        if params.get("action") not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    def _scope_key(self, params: JSONDict) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        language = params.get("language_code") or ""
        if not isinstance(scope, dict) or "type" not in scope:
            raise bad_request("can't parse BotCommandScope JSON object")
        if language and not re.fullmatch(r"[a-z]{2}", language):
            raise bad_request("LANG_CODE_INVALID")
        kind = scope["type"]
        if kind in ("default", "all_private_chats", "all_group_chats", "all_chat_administrators"):
            return kind, language
        if kind in ("chat", "chat_administrators"):
            return f"{kind}:{scope.get('chat_id')}", language
        if kind == "chat_member":
            return f"chat_member:{scope.get('chat_id')}:{scope.get('user_id')}", language
        raise bad_request("wrong BotCommandScope type specified")

    def _api_setmycommands(self, params: JSONDict) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise bad_request("can't parse commands JSON object")
        if len(commands) > MAX_COMMANDS:
            raise bad_request("BOT_COMMANDS_TOO_MUCH")
        for command in commands:
            if not isinstance(command, dict):
                raise bad_request("can't parse BotCommand JSON object")
            if not re.fullmatch(r"[a-z0-9_]{1,32}", str(command.get("command", ""))):
                raise bad_request("BOT_COMMAND_INVALID")
            description = command.get("description")
            if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        key = self._scope_key(params)
        with self._cond:
            if commands:
                self._commands[key] = [{"command": c["command"], "description": c["description"]} for c in commands]
            else:
                self._commands.pop(key, None)
        return True

    def _api_getmycommands(self, params: JSONDict) -> list[JSONDict]:
        key = self._scope_key(params)
        with self._cond:
            return copy.deepcopy(self._commands.get(key, []))

    def _api_deletemycommands(self, params: JSONDict) -> bool:
        key = self._scope_key(params)
        with self._cond:
            self._commands.pop(key, None)
        return True


def main() -> None:
    """Run the emulator standalone until Ctrl+C (for manual tries and benchmarks)."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default="1000000001:AAH-emulator_fake_0123456789abcdefgh")
    parser.add_argument("--lenient-chats", action="store_true", help="accept sends to chats never seen")
    args = parser.parse_args()
    with BotApiEmulator(args.token, port=args.port, require_known_chat=not args.lenient_chats) as emu:
        print(f"base_url={emu.base_url} base_file_url={emu.base_file_url}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
