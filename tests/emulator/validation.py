"""What Telegram refuses in a bot's send or edit: unknown or blocked chats, text that does not parse or is too
long (UTF-16 after entity parsing), empty text, malformed reply markup and inline buttons (callback_data over
64 bytes, bad URLs), replies to missing messages.
"""

from __future__ import annotations

import re
from typing import Any

from .common import (
    BUTTON_ACTIONS,
    MAX_CALLBACK_DATA_BYTES,
    MAX_CAPTION_UTF16,
    MAX_INLINE_BUTTONS,
    MAX_TEXT_UTF16,
    ApiError,
    JSONDict,
    bad_request,
    utf16_len,
)
from .html_parser import EntityParseError, parse_html


class ValidationMixin:
    """Checks shared by sendMessage, sendDocument, sendPhoto and the edit methods."""

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

    def _parse_text(
        self, raw: Any, parse_mode: Any, *, caption: bool, entities: Any = None
    ) -> tuple[str, list[JSONDict]]:
        """Visible text and entities of a text or caption; explicit ``entities`` replace parse_mode, as in Telegram."""
        text = "" if raw is None else str(raw)
        mode = (parse_mode or "").strip()
        if entities is not None:
            visible = text
            checked = _check_entities(visible, entities)
            limit = MAX_CAPTION_UTF16 if caption else MAX_TEXT_UTF16
            if utf16_len(visible) > limit:
                raise bad_request("message caption is too long" if caption else "message is too long")
            if not visible.strip() and not caption:
                raise bad_request("message text is empty")
            return visible, checked
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
            # Stricter than Telegram, which may drop them silently: an empty keyboard or row is always a bot bug.
            if not rows or not all(rows):
                raise bad_request("inline keyboard is empty: send no reply_markup instead of an empty one")
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


ENTITY_TYPES = frozenset({
    "mention", "hashtag", "cashtag", "bot_command", "url", "email", "phone_number", "bold", "italic", "underline",
    "strikethrough", "spoiler", "blockquote", "expandable_blockquote", "code", "pre", "text_link", "text_mention",
    "custom_emoji",
})


def _check_entities(text: str, entities: Any) -> list[JSONDict]:
    """Refuse explicit entities Telegram cannot apply: unknown types, bad ranges, missing url/user/emoji id."""
    if not isinstance(entities, list):
        raise bad_request("can't parse entities JSON object")
    length = utf16_len(text)
    for entity in entities:
        if not isinstance(entity, dict) or entity.get("type") not in ENTITY_TYPES:
            raise bad_request(f"can't parse entities: unsupported entity {entity!r}")
        offset, size = entity.get("offset"), entity.get("length")
        if not isinstance(offset, int) or not isinstance(size, int) or offset < 0 or size <= 0:
            raise bad_request(f"can't parse entities: invalid offset or length in {entity!r}")
        if offset + size > length:
            raise bad_request(f"can't parse entities: entity {entity!r} ends beyond the text ({length} UTF-16 units)")
        if entity["type"] == "text_link" and not re.match(r"(https?|tg)://\S+$", str(entity.get("url", ""))):
            raise bad_request("can't parse entities: text_link needs a valid url")
        if entity["type"] == "text_mention" and not isinstance(entity.get("user"), dict):
            raise bad_request("can't parse entities: text_mention needs a user")
        if entity["type"] == "custom_emoji" and not entity.get("custom_emoji_id"):
            raise bad_request("can't parse entities: custom_emoji needs a custom_emoji_id")
    return [dict(e) for e in entities]
