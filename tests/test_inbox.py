"""The Telegram front end's inbox (bot/inbox.py) on SQLite and PostgreSQL: one row per update,
state changes in their own transactions, minimised and erasable content."""
from __future__ import annotations

import json

from sqlalchemy import select

from bot.inbox import DONE, REDELIVERY_WINDOW_SECONDS, FAILED, PENDING, minimise_update, updates

MESSAGE = {
    "update_id": 7,
    "message": {
        "message_id": 1, "date": 1, "text": "my landlord kept my deposit",
        "chat": {"id": 42, "type": "private", "first_name": "Li", "last_name": "Wei", "username": "liwei"},
        "from": {"id": 42, "is_bot": False, "first_name": "Li", "last_name": "Wei",
                 "username": "liwei", "language_code": "zh-hans"},
    },
}


def state_of(store, update_id: int) -> tuple:
    with store.engine.begin() as connection:
        row = connection.execute(
            select(updates.c.state, updates.c.payload, updates.c.reply, updates.c.failure)
            .where(updates.c.update_id == update_id)
        ).one()
    return tuple(row)


def test_an_update_is_stored_once_and_pending_in_order(inbox) -> None:
    """A redelivered update_id is a no-op; pending() lists updates oldest first."""
    store, _ = inbox
    assert store.receive(9, "chat-a", {**MESSAGE, "update_id": 9})
    assert store.receive(7, "chat-a", MESSAGE)
    assert not store.receive(7, "chat-a", MESSAGE)
    assert [update_id for update_id, _ in store.pending()] == [7, 9]


def test_an_id_telegram_reused_after_the_redelivery_window_is_a_new_update(inbox) -> None:
    """Telegram numbers updates anew after a week without any: an id finished long ago is a
    new update, not a redelivery; within the window (Telegram keeps updates 24 h) it is."""
    store, clock = inbox
    assert store.receive(7, "chat-a", MESSAGE)
    store.finish(7)
    clock["now"] += 3600
    assert not store.receive(7, "chat-a", MESSAGE)  # a redelivery
    clock["now"] += REDELIVERY_WINDOW_SECONDS
    reused = {**MESSAGE, "message": {**MESSAGE["message"], "message_id": 2, "text": "new question"}}
    assert store.receive(7, "chat-b", reused)
    assert [(update_id, payload["message"]["text"]) for update_id, payload in store.pending()] == [
        (7, "new question")]
    assert store.start_attempt(7) == 1


def test_stored_update_has_no_names_but_what_handlers_need(inbox) -> None:
    """Names, usernames are dropped; ids, chat type, language code and the text stay."""
    store, _ = inbox
    store.receive(7, "chat-a", MESSAGE)
    [(_, payload)] = store.pending()
    assert payload["message"]["chat"] == {"id": 42, "type": "private"}
    assert payload["message"]["from"] == {"id": 42, "is_bot": False, "language_code": "zh-hans",
                                          "first_name": ""}
    assert payload["message"]["text"] == "my landlord kept my deposit"
    assert "Wei" not in json.dumps(payload) and "liwei" not in json.dumps(payload)
    assert minimise_update({"update_id": 1}) == {"update_id": 1}


def test_reply_is_stored_then_resumed_at_first_unsent_part(inbox) -> None:
    """The reply survives as stored; parts_sent says where to resume."""
    store, _ = inbox
    store.receive(7, "chat-a", MESSAGE)
    assert store.stored_reply(7) is None
    parts = [{"text": "第一部分"}, {"text": "part two", "reply_markup": {"inline_keyboard": []}}]
    store.store_reply(7, parts)
    store.mark_sent(7, 1)
    stored = store.stored_reply(7)
    assert stored.parts == parts and stored.sent == 1


def test_finish_and_fail_drop_the_text_and_are_final(inbox) -> None:
    """Done or failed rows keep no text; a failed row is not turned into done; counts report it."""
    store, clock = inbox
    store.receive(7, "chat-a", MESSAGE)
    store.receive(8, "chat-a", {**MESSAGE, "update_id": 8})
    store.store_reply(7, [{"text": "answer"}])
    store.finish(7)
    store.fail(8, "429 flood control, 8 attempts")
    store.finish(8)
    assert state_of(store, 7) == (DONE, None, None, None)
    assert state_of(store, 8) == (FAILED, None, None, "429 flood control, 8 attempts")
    store.receive(9, "chat-b", {**MESSAGE, "update_id": 9})
    clock["now"] += 30
    report = store.report()
    assert (report.pending, report.done, report.failed) == (1, 1, 1)
    assert report.oldest_pending_age_seconds == 30
    assert report.lines()[0] == "pending: 1"


def test_attempts_are_counted_per_start(inbox) -> None:
    """Each start of processing counts, so a crash loop can be detected."""
    store, _ = inbox
    store.receive(7, "chat-a", MESSAGE)
    assert [store.start_attempt(7) for _ in range(3)] == [1, 2, 3]
    assert store.start_attempt(999) == 0


def test_purge_deletes_finished_rows_after_the_retention_only(inbox) -> None:
    """Finished rows older than the retention go; pending rows stay whatever their age."""
    store, clock = inbox
    store.receive(7, "chat-a", MESSAGE)
    store.receive(8, "chat-a", {**MESSAGE, "update_id": 8})
    store.finish(7)
    clock["now"] += 23 * 3600
    assert store.purge(24 * 3600, 30 * 86400) == 0
    clock["now"] += 2 * 3600
    assert store.purge(24 * 3600, 30 * 86400) == 1
    assert [update_id for update_id, _ in store.pending()] == [8]
    assert state_of(store, 8)[0] == PENDING


def test_language_is_kept_per_chat_and_expires(inbox) -> None:
    """The chat's language survives a restart (it is in the database) until the conversation
    retention it is given (CONVERSATION_RETENTION_DAYS, not a fixed 30 days)."""
    store, clock = inbox
    assert store.language("chat-a") is None
    store.set_language("chat-a", "zh")
    store.set_language("chat-a", "en")
    store.set_language("chat-b", "zh")
    assert (store.language("chat-a"), store.language("chat-b")) == ("en", "zh")
    clock["now"] += 7 * 86400 + 1
    store.purge(24 * 3600, 8 * 86400)
    assert store.language("chat-a") == "en"
    store.purge(24 * 3600, 7 * 86400)
    assert store.language("chat-a") is None


def test_forget_chat_erases_its_finished_rows_and_language_only(inbox) -> None:
    """/forget deletes the chat's finished rows and language; other chats and pending rows stay."""
    store, _ = inbox
    store.receive(7, "chat-a", MESSAGE)
    store.receive(8, "chat-b", {**MESSAGE, "update_id": 8})
    store.receive(9, "chat-a", {**MESSAGE, "update_id": 9})
    store.finish(7)
    store.finish(8)
    store.set_language("chat-a", "zh")
    assert store.forget_chat("chat-a") == (1, 1)
    assert store.language("chat-a") is None
    assert store.report().done == 1  # chat-b's
    assert [update_id for update_id, _ in store.pending()] == [9]


def test_minimised_updates_still_parse_as_telegram_updates() -> None:
    """Chat-shaped fields keep their type (PTB needs it): an anonymous admin's message, a
    forward from a channel; a stored update that no longer parsed would block the restart."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from telegram import Update

    channel = {"id": -100123, "type": "channel", "title": "A channel"}
    payload = {"update_id": 9, "message": {
        "message_id": 3, "date": 1, "text": "forwarded",
        "chat": {"id": -100555, "type": "supergroup", "title": "Group"},
        "sender_chat": {"id": -100555, "type": "supergroup", "title": "Group"},
        "forward_origin": {"type": "channel", "date": 1, "chat": channel, "message_id": 7},
        "from": {"id": 1087968824, "is_bot": True, "first_name": "Group", "username": "GroupAnonymousBot"},
    }}
    minimised = minimise_update(payload)
    assert minimised["message"]["sender_chat"] == {"id": -100555, "type": "supergroup"}
    assert minimised["message"]["forward_origin"]["chat"] == {"id": -100123, "type": "channel"}
    update = Update.de_json(minimised, None)
    assert update.message.sender_chat.type == "supergroup" and update.message.text == "forwarded"
