"""Shared vocabulary: Telegram's limits and error texts, parameter types, ApiError and UTF-16 lengths.

Every role module imports from here; nothing here knows the emulator's state.
"""

from __future__ import annotations

import struct
from typing import Any

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


class _ClientGone(Exception):
    """The client closed the connection while its request waited."""


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
