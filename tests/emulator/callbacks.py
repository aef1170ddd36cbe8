"""The fake answerCallbackQuery: each query answered at most once, within its lifetime, with a short text.
"""

from __future__ import annotations

from .common import MAX_CALLBACK_ANSWER_CHARS, QUERY_INVALID, JSONDict, bad_request
from .records import CallbackAnswer


class CallbacksMixin:
    """answerCallbackQuery."""

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
