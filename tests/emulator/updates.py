"""The fake getUpdates: the update queue, long polling (offsets, limit, allowed_updates, 409 on a second
poller or an active webhook, a client that goes away) and setWebhook/deleteWebhook/getWebhookInfo.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable

from .common import CONFLICT_POLL, CONFLICT_WEBHOOK, OPT_IN_UPDATES, ApiError, JSONDict, _ClientGone, bad_request


class UpdatesMixin:
    """Update delivery to the bot: queueing, getUpdates long polling and webhooks."""

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
