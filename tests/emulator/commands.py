"""The fake command menu: setMyCommands/getMyCommands/deleteMyCommands by scope and language.
"""

from __future__ import annotations

import copy
import re

from .common import MAX_COMMANDS, JSONDict, bad_request


class CommandsMixin:
    """Command lists stored by (scope key, language_code)."""

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
