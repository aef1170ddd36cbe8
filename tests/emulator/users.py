"""The simulated users' side: known chats, users writing, editing, sending stickers, photos and files, and
pressing inline buttons; group privacy mode decides which group messages reach the bot.
"""

from __future__ import annotations

import copy
import re

from .common import JSONDict, _image_size, utf16_len
from .records import StoredMessage

# A 1x1 transparent PNG, the default picture a simulated user sends.
TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082"
)


class UsersMixin:
    """What a test does as a Telegram user; every method queues the update the bot would get."""

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
        self, chat_id: int, message_id: int, callback_data: str, user: JSONDict | int | None = None, *,
        require_button: bool = True,
    ) -> str:
        """Simulate a user pressing an inline button; returns the callback query id.

        ``require_button=False`` sends data the message does not offer, as a tampered client or a button of an
        older version would."""
        with self._cond:
            stored = self._messages.get((chat_id, message_id))
            if stored is None or stored.deleted:
                raise AssertionError(f"message {message_id} does not exist in chat {chat_id}")
            rows = (stored.reply_markup or {}).get("inline_keyboard", [])
            available = [b.get("callback_data") for row in rows for b in row if "callback_data" in b]
            if require_button and callback_data not in available:
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
