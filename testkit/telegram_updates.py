"""Scripting the updates of the fake Bot API: what users send (testkit/fake_telegram.py)."""
from __future__ import annotations

import itertools
import time
from typing import Any


def utf16_length(text: str) -> int:
    """Return the length of `text` in UTF-16 code units, as Telegram counts it."""
    return len(text.encode("utf-16-le")) // 2


class UpdateScripting:
    """Builds Telegram updates as users would cause them and queues them for delivery.

    Mixed into FakeTelegram, which provides `bot_user`, `language_codes`, `_pending` and
    `_notify()`.
    """

    bot_user: dict[str, Any]
    language_codes: dict[int, str]
    last_update_id: int
    _pending: list[dict[str, Any]]

    def __init__(self) -> None:
        self._update_ids = itertools.count(1000)
        self._message_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._chats: dict[int, dict[str, Any]] = {}

    def _notify(self) -> None:
        raise NotImplementedError

    def _chat(self, chat_id: int, chat_type: str | None = None) -> dict[str, Any]:
        if chat_id not in self._chats or chat_type is not None:
            kind = chat_type or ("private" if chat_id > 0 else "group")
            chat: dict[str, Any] = {"id": chat_id, "type": kind}
            if kind == "private":
                chat["first_name"] = f"User{chat_id}"
            else:
                chat["title"] = f"Group {chat_id}"
            self._chats[chat_id] = chat
        return self._chats[chat_id]

    def _user(self, user_id: int) -> dict[str, Any]:
        # Telegram sends the user's app language; tests set it per user in `language_codes`.
        return {"id": user_id, "is_bot": False, "first_name": f"User{user_id}",
                "language_code": self.language_codes.get(user_id, "en")}

    def restart_update_ids(self, first: int) -> None:
        """Number the next updates from `first`, as Telegram does after a week without updates
        (it then picks the next id at random, possibly below ids it gave before)."""
        self._update_ids = itertools.count(first)

    def add_update(self, kind: str, payload: dict[str, Any]) -> int:
        """Queue a raw update of `kind` (e.g. "message"); return its update_id."""
        update_id = self.last_update_id = next(self._update_ids)
        self._pending.append({"update_id": update_id, kind: payload})
        self._notify()
        return update_id

    def _user_message(self, chat_id: int, user_id: int | None, chat_type: str | None,
                      **content: Any) -> dict[str, Any]:
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": self._chat(chat_id, chat_type),
            "from": self._user(user_id if user_id is not None else abs(chat_id)),
            **content,
        }

    def send_text(self, chat_id: int, text: str, *, user_id: int | None = None,
                  chat_type: str | None = None) -> dict[str, Any]:
        """Queue a text message from a user (commands get their bot_command entity)."""
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            command = text.split()[0] if text.split() else text
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": utf16_length(command)}]
        message = self._user_message(chat_id, user_id, chat_type, **content)
        self.add_update("message", message)
        return message

    def send_media(self, chat_id: int, kind: str) -> dict[str, Any]:
        """Queue a non-text message: sticker, photo, voice, video, document, location, contact, poll."""
        file = {"file_id": f"file-{kind}", "file_unique_id": f"unique-{kind}"}
        contents: dict[str, dict[str, Any]] = {
            "sticker": {"sticker": {**file, "type": "regular", "width": 512, "height": 512,
                                    "is_animated": False, "is_video": False}},
            "photo": {"photo": [{**file, "width": 90, "height": 90}], "caption": "see this"},
            "voice": {"voice": {**file, "duration": 3}},
            "video": {"video": {**file, "width": 640, "height": 480, "duration": 5}},
            "document": {"document": {**file, "file_name": "contract.pdf"}},
            "location": {"location": {"latitude": 39.9042, "longitude": 116.4074}},
            "contact": {"contact": {"phone_number": "+8613800000000", "first_name": "Li"}},
            "poll": {"poll": {"id": "poll-1", "question": "Which?", "options": [
                {"text": "a", "voter_count": 0, "persistent_id": "opt-a"},
                {"text": "b", "voter_count": 0, "persistent_id": "opt-b"}],
                "total_voter_count": 0, "is_closed": False, "is_anonymous": True,
                "type": "regular", "allows_multiple_answers": False,
                "allows_revoting": False, "members_only": False}},
        }
        message = self._user_message(chat_id, None, None, **contents[kind])
        self.add_update("message", message)
        return message

    def edit_text(self, message: dict[str, Any], text: str) -> dict[str, Any]:
        """Queue an edited_message update for an earlier user message."""
        edited = {**message, "text": text, "edit_date": int(time.time())}
        self.add_update("edited_message", edited)
        return edited

    def tap_button(self, chat_id: int, data: str, message: dict[str, Any] | None = None,
                   *, user_id: int | None = None) -> str:
        """Queue a callback query, as when the user taps an inline button; return its id."""
        if message is None:
            message = {"message_id": next(self._message_ids), "date": int(time.time()),
                       "chat": self._chat(chat_id), "from": self.bot_user, "text": "(buttons)"}
        query_id = f"cq-{next(self._callback_ids)}"
        self.add_update("callback_query", {
            "id": query_id,
            "from": self._user(user_id if user_id is not None else abs(chat_id)),
            "chat_instance": f"instance-{chat_id}",
            "message": message,
            "data": data,
        })
        return query_id

