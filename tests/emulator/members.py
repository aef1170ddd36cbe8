"""Chat membership: which users administer a group (set by the test) and the fake getChatMember."""

from __future__ import annotations

from .common import JSONDict, bad_request

ADMIN_RIGHTS = (
    "can_be_edited", "is_anonymous", "can_manage_chat", "can_delete_messages", "can_manage_video_chats",
    "can_restrict_members", "can_promote_members", "can_change_info", "can_invite_users", "can_post_stories",
    "can_edit_stories", "can_delete_stories",
)


class MembersMixin:
    """Group admins and getChatMember (every other known user is a plain member)."""

    def set_chat_admin(self, chat_id: int, user_id: int, status: str = "administrator") -> None:
        """Make `user_id` an administrator ("administrator") or the owner ("creator") of group `chat_id`."""
        if status not in ("administrator", "creator"):
            raise ValueError("status must be 'administrator' or 'creator'")
        with self._cond:
            self._chat_admins.setdefault(chat_id, {})[user_id] = status

    def _api_getchatmember(self, params: JSONDict) -> JSONDict:
        with self._cond:
            chat = self._chat(params)
            user_id = params.get("user_id")
            if not isinstance(user_id, int):
                raise bad_request("user_id is empty")
            user = {"id": user_id, "is_bot": False, "first_name": f"Người dùng {user_id}"}
            status = self._chat_admins.get(chat["id"], {}).get(user_id, "member")
        if status == "administrator":
            return {"status": status, "user": user, **{right: right == "can_manage_chat" for right in ADMIN_RIGHTS}}
        if status == "creator":
            return {"status": status, "user": user, "is_anonymous": False}
        return {"status": "member", "user": user}
