"""The BotApiEmulator class: its state, composed from one mixin per role (see the package docstring)."""

from __future__ import annotations

import copy
import itertools
import threading
import time
from collections.abc import Callable

from .callbacks import CallbacksMixin
from .commands import CommandsMixin
from .common import DEFAULT_ALLOWED_UPDATES, JSONDict
from .faults import Fault, FaultHit, FaultsMixin, FloodLimits
from .http_layer import HttpMixin, _Server
from .members import MembersMixin
from .messages import MessagesMixin
from .observe import ObserveMixin
from .records import CallbackAnswer, RequestRecord, SentMessage, StoredMessage
from .updates import UpdatesMixin
from .users import UsersMixin
from .validation import ValidationMixin


class BotApiEmulator(
    HttpMixin, FaultsMixin, UsersMixin, ObserveMixin, UpdatesMixin, ValidationMixin, MessagesMixin, CallbacksMixin,
    CommandsMixin, MembersMixin,
):
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
        self._chat_admins: dict[int, dict[int, str]] = {}
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

    @property
    def bot_id(self) -> int:
        """The bot's user id."""
        return int(self.bot_user["id"])

    @property
    def bot_username(self) -> str:
        """The bot's username, without "@"."""
        return str(self.bot_user["username"])

    def _tick(self) -> int:
        self._last_seq = next(self._seq)
        return self._last_seq

    def _new_message_id(self, chat_id: int) -> int:
        self._next_message_id[chat_id] = self._next_message_id.get(chat_id, 0) + 1
        return self._next_message_id[chat_id]

    def _api_getme(self, params: JSONDict) -> JSONDict:
        return copy.deepcopy(self.bot_user)

    def _api_logout(self, params: JSONDict) -> bool:
        return True

    def _api_close(self, params: JSONDict) -> bool:
        return True
