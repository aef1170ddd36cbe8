"""The fake sending methods: sendMessage, sendPhoto, sendDocument, getFile, editMessageText/Caption/ReplyMarkup
(including Telegram's "message is not modified"), deleteMessage and sendChatAction.
"""

from __future__ import annotations

import copy
import re
import struct
from typing import Any

from .common import (
    CHAT_ACTIONS,
    MAX_DOCUMENT_BYTES,
    MAX_PHOTO_BYTES,
    NOT_MODIFIED,
    JSONDict,
    _image_size,
    bad_request,
)
from .records import SentMessage, StoredMessage


class MessagesMixin:
    """Bot API methods that create, change or delete messages (validation in ValidationMixin)."""

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

    def _api_sendmessage(self, params: JSONDict) -> JSONDict:
        with self._cond:
            self._chat(params)
            text = self._parse_text(params.get("text"), params.get("parse_mode"), caption=False,
                                    entities=params.get("entities"))
            markup = self._check_markup(params.get("reply_markup"))
            content: JSONDict = {"text": text[0]}
            if text[1]:
                content["entities"] = text[1]
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
                caption = self._parse_text(params["caption"], params.get("parse_mode"), caption=True,
                                           entities=params.get("caption_entities"))
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
            text = self._parse_text(params.get("text"), params.get("parse_mode"), caption=False,
                                    entities=params.get("entities"))
            markup = self._check_markup(params.get("reply_markup"))
            return self._apply_edit(stored, text, params.get("text"), markup, text_changes=True)

    def _api_editmessagecaption(self, params: JSONDict) -> JSONDict:
        with self._cond:
            stored = self._editable(params)
            if stored.kind == "text":
                raise bad_request("there is no caption in the message to edit")
            caption = self._parse_text(params.get("caption"), params.get("parse_mode"), caption=True,
                                       entities=params.get("caption_entities"))
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

    def _api_sendchataction(self, params: JSONDict) -> bool:
        with self._cond:
            self._chat(params)
        if params.get("action") not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True
