"""What the emulator records for tests to read: messages the bot sent, messages as they are now, callback
answers and the request log.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .common import JSONDict


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
