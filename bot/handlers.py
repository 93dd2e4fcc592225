"""Telegram handlers: commands, questions relayed to Rasa, button taps, and everything else.

Every handler replies in plain text. Only cleaned question text and a pseudonymous sender
id ever reach Rasa; names, usernames, phone numbers, locations and files never do.
"""
from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from telegram import Update
from telegram.constants import ChatType
from telegram.error import Conflict, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from assistant.language import detect_language
from bot.buttons import ButtonSigner
from bot.config import Settings
from bot.delivery import DeliveryFailed, Part, deliver, run_in_thread, text_part
from assistant.text_cleaning import MAX_QUESTION_CHARACTERS
from bot.formatting import (
    clean_user_text,
    question_keyboard,
    redact_identifiers,
    truncate_question,
    without_intent_syntax,
)
from bot.rasa_client import RasaError, log_id, sender_id
from bot.replies import ask_rasa
from bot.state import Context
from bot.texts import (
    CANCEL_CHECK_MESSAGE,
    CHECK_MESSAGE,
    HANDOFF_MESSAGE,
    HELP_QUESTIONS,
    SWITCH_LANGUAGE_MESSAGE,
    language_of_telegram_user,
    other_language,
    say,
)

logger = logging.getLogger(__name__)

_TOLD_PRIVATE_ONLY = "told_private_only"
LANGUAGE_KEY = "language"


def chat_key_of(settings: Settings, update: Update) -> str | None:
    """Return the pseudonymous key (the Rasa sender id) of the update's chat, if it has one."""
    chat_id = chat_id_of(update)
    return None if chat_id is None else sender_id(settings.sender_id_secret, chat_id)


def chat_id_of(update: Update) -> int | None:
    """Return the update's chat id (the user's id for a chat-less update), or None."""
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return None


def rasa_message_id(update: Update) -> str:
    """Return the message_id Rasa dedups this update's turn by: the same for every delivery
    of the update, and not reused when Telegram starts its update ids again (after a week
    without updates), thanks to the message's id in its chat or the callback query's id."""
    if update.callback_query is not None:
        return f"tg-{update.update_id}-q{update.callback_query.id}"[:64]
    message = update.effective_message
    return f"tg-{update.update_id}-{message.message_id}" if message is not None else f"tg-{update.update_id}"


def chat_of(update: Update) -> int:
    """Return the chat id of an update a chat handler got (its filter guarantees one)."""
    chat_id = chat_id_of(update)
    if chat_id is None:
        raise ValueError("an update without a chat reached a chat handler")
    return chat_id


def _sender(context: Context, chat_id: int) -> str:
    return sender_id(context.bot_data.settings.sender_id_secret, chat_id)


def _signer(context: Context, chat_id: int) -> ButtonSigner:
    return ButtonSigner(context.bot_data.settings.sender_id_secret, chat_id)


def chat_language(context: Context) -> str:
    """The chat's language: of its last message with words, else English."""
    return (context.chat_data or {}).get(LANGUAGE_KEY) or "en"


async def _set_language(context: Context, chat_id: int, language: str) -> None:
    """Set the chat's language here and in the inbox, so a restart keeps it."""
    if context.chat_data is not None and context.chat_data.get(LANGUAGE_KEY) != language:
        context.chat_data[LANGUAGE_KEY] = language
        await run_in_thread(context.bot_data.inbox.set_language, _sender(context, chat_id), language)


async def restore_language(update: Update, context: Context) -> None:
    """Before any handler: load the chat's language from the inbox after a restart."""
    chat_id = chat_id_of(update)
    if chat_id is None or context.chat_data is None or LANGUAGE_KEY in context.chat_data:
        return
    stored = await run_in_thread(context.bot_data.inbox.language, _sender(context, chat_id))
    if stored:
        context.chat_data[LANGUAGE_KEY] = stored


async def _note_language(context: Context, chat_id: int, text: str) -> None:
    # Digits or emoji alone keep the chat's language, as on the Rasa side.
    language = detect_language(text)
    if language is not None:
        await _set_language(context, chat_id, language)


async def _reply(
    update: Update, context: Context,
    compose: Callable[[], Awaitable[list[Part]]],
) -> None:
    """Compose (once, even across restarts), store and send the reply to this update."""
    services = context.bot_data
    await deliver(
        context.bot, services.inbox, update.update_id, chat_of(update), compose,
        interval_seconds=services.settings.send_interval_seconds,
        retry_base_seconds=services.settings.send_retry_base_seconds, pace=services.chat_pace,
    )


def _fixed(*parts: Part) -> Callable[[], Awaitable[list[Part]]]:
    async def compose() -> list[Part]:
        return list(parts)

    return compose


def _from_rasa(
    update: Update, context: Context, question: str, notes: tuple[str, ...] = (),
    fallback_key: str = "fallback",
) -> Callable[[], Awaitable[list[Part]]]:
    """Return a composer: the notes, then Rasa's answer to `question` (or the fallback)."""

    async def compose() -> list[Part]:
        services = context.bot_data
        chat_id = chat_of(update)
        answer = await ask_rasa(
            context.bot, services.rasa, chat_id, _sender(context, chat_id), question,
            rasa_message_id(update), chat_language(context), _signer(context, chat_id).sign,
            fallback_key,
        )
        return [text_part(note) for note in notes] + answer

    return compose


async def private_only_gate(update: Update, context: Context) -> None:
    """Outside private chats (unless ALLOW_GROUPS) say once that the bot is private-only; stop."""
    chat = update.effective_chat
    if chat is None or chat.type == ChatType.PRIVATE or context.bot_data.settings.allow_groups:
        return
    if update.callback_query is not None:
        with contextlib.suppress(TelegramError):
            await update.callback_query.answer(say(chat_language(context), "private_only")[:200])
    elif update.message is not None and not context.chat_data.get(_TOLD_PRIVATE_ONLY):
        context.chat_data[_TOLD_PRIVATE_ONLY] = True
        await _reply(update, context, _fixed(text_part(say(chat_language(context), "private_only"))))
    raise ApplicationHandlerStop


async def start(update: Update, context: Context) -> None:
    """Welcome the user: what the bot answers, the disclaimer and the privacy notice."""
    if LANGUAGE_KEY not in context.chat_data:
        user = update.effective_user
        language = language_of_telegram_user(user.language_code if user else None)
        await _set_language(context, update.effective_chat.id, language)
    days = f"{context.bot_data.settings.conversation_retention_days:g}"
    await _reply(update, context, _fixed(text_part(say(chat_language(context), "welcome", days=days))))


async def help_command(update: Update, context: Context) -> None:
    """Show example questions as buttons that ask them."""
    language = chat_language(context)
    keyboard = question_keyboard(HELP_QUESTIONS[language],
                                 _signer(context, update.effective_chat.id).sign)
    await _reply(update, context, _fixed(text_part(say(language, "help"), keyboard)))


async def hotline(update: Update, context: Context) -> None:
    """Show how to reach a person: the knowledge base's referral card, or a built-in one."""
    await _reply(update, context, _from_rasa(update, context, HANDOFF_MESSAGE, fallback_key="hotline_card"))


async def check_command(update: Update, context: Context) -> None:
    """Start the legal-aid pre-check (Rasa's eligibility form)."""
    await _reply(update, context, _from_rasa(update, context, CHECK_MESSAGE))


async def cancel_command(update: Update, context: Context) -> None:
    """Stop the legal-aid pre-check."""
    await _reply(update, context, _from_rasa(update, context, CANCEL_CHECK_MESSAGE))


async def language_command(update: Update, context: Context) -> None:
    """Switch the chat between Chinese and English (here and on the Rasa side)."""
    language = other_language(chat_language(context))
    await _set_language(context, update.effective_chat.id, language)
    switch = SWITCH_LANGUAGE_MESSAGE.format(language=language)
    await _reply(update, context, _from_rasa(update, context, switch))


async def forget(update: Update, context: Context) -> None:
    """Erase this chat's conversation in Rasa and the bot's own data about it."""
    chat = update.effective_chat
    sender = _sender(context, chat.id)
    language = chat_language(context)

    async def erase() -> list[Part]:
        data = context.bot_data
        try:
            deleted = await data.rasa.forget(sender)
            rows, languages = await run_in_thread(data.inbox.forget_chat, sender)
        except RasaError as error:
            logger.warning("Erasure failed for conversation %s: %s", log_id(sender), error.reason)
            return [text_part(say(language, "forget_failed"))]
        except SQLAlchemyError as error:
            # Rasa's erase is idempotent: the user's next /forget finishes the job.
            logger.warning("Erasure failed for conversation %s: the inbox failed (%s).",
                           log_id(sender), type(error).__name__)
            return [text_part(say(language, "forget_failed"))]
        # Only now that both stores confirmed: until then the chat keeps its data here.
        context.application.drop_chat_data(chat.id)
        if update.effective_user is not None:
            context.application.drop_user_data(update.effective_user.id)
        logger.info("Erasure done for conversation %s: %d Rasa items, %d inbox rows.",
                    log_id(sender), deleted, rows)
        # Truthful: "deleted" if Rasa or the bot held anything about the user (finished inbox
        # rows hold no text, only ids, so they do not count).
        erased = deleted or languages
        return [text_part(say(language, "forget_done" if erased else "forget_nothing"))]

    await _reply(update, context, erase)


async def unknown_command(update: Update, context: Context) -> None:
    """Answer an unknown command with a short help."""
    await _reply(update, context, _fixed(text_part(say(chat_language(context), "unknown_command"))))


async def text_message(update: Update, context: Context) -> None:
    """Clean the user's question, send it to Rasa and relay the answer."""
    chat_id = update.effective_chat.id
    # Typed text is never "/intent{...}" for Rasa (commands were handled before this handler).
    question = without_intent_syntax(clean_user_text(update.effective_message.text))
    await _note_language(context, chat_id, question)
    language = chat_language(context)
    if not question:
        await _reply(update, context, _fixed(text_part(say(language, "empty_question"))))
        return
    notes = []
    question, redacted = redact_identifiers(question)
    if redacted:
        notes.append(say(language, "redacted"))
    question, truncated = truncate_question(question)
    if truncated:
        notes.append(say(language, "truncated", limit=MAX_QUESTION_CHARACTERS))
    await _reply(update, context, _from_rasa(update, context, question, tuple(notes)))


async def button_tap(update: Update, context: Context) -> None:
    """Answer the button tap, then send the button's payload to Rasa as the user's message."""
    query = update.callback_query
    try:
        # Always answer, first: otherwise the button keeps spinning for the user.
        await query.answer()
    except TelegramError as error:
        logger.warning("Could not answer a callback query: %s", error)
    chat_id = chat_id_of(update)
    if chat_id is None:
        return
    payload = _signer(context, chat_id).verify(query.data)
    if payload is None:
        # Not a button this bot gave this chat (forged, or signed with an older secret).
        logger.warning("Update %s: refused callback data the bot did not issue.", update.update_id)
        await _reply(update, context, _fixed(text_part(say(chat_language(context), "stale_button"))))
        return
    await _reply(update, context, _from_rasa(update, context, payload))


async def non_text_message(update: Update, context: Context) -> None:
    """Reply that only text can be read; nothing of the message is sent to Rasa or kept."""
    await _reply(update, context, _fixed(text_part(say(chat_language(context), "text_only"))))


async def edited_message(update: Update, context: Context) -> None:
    """Reply that edits are not read, so an edited question is never answered twice."""
    await _reply(update, context, _fixed(text_part(say(chat_language(context), "edited"))))


Handler = Callable[[Update, Context], Coroutine[Any, Any, None]]


def reporting_failures(handler: Handler) -> Handler:
    """Wrap a handler so its delivery failures reach the update's bookkeeping directly.

    An inbox error leaves the update pending, to be handled again later (a stored reply is
    resumed; Rasa answers a repeated message_id from its tracker), and stops the update's
    other handlers; a reply Telegram never took marks the update failed.
    """

    @functools.wraps(handler)
    async def handle(update: Update, context: Context) -> None:
        try:
            await handler(update, context)
        except SQLAlchemyError as error:
            logger.error("Update %s: the inbox failed (%s).", update.update_id, type(error).__name__)
            context.bot_data.deliveries.retry(update.update_id)
            raise ApplicationHandlerStop from None
        except DeliveryFailed as error:
            await context.bot_data.deliveries.fail(
                update.update_id, f"Telegram did not take the reply: {error.reason}")

    return handle


async def error_handler(update: object, context: Context) -> None:
    """Log the error first, then tell the user something useful (12348) when there is a user."""
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    if isinstance(error, Forbidden):
        logger.info("Update %s: the user blocked the bot or left; not replying.", update_id)
        return
    if isinstance(error, Conflict):
        logger.error(
            "Another process is receiving updates for this bot token (%s). Stopping; run one "
            "poller only, or use a webhook.", error,
        )
        context.bot_data.stop_fatally("conflict")
        return
    if update is None and isinstance(error, NetworkError):
        logger.warning("Telegram API unreachable (%s); retrying.", error)
        return
    logger.error("Error while handling update %s.", update_id, exc_info=error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if isinstance(error, RetryAfter):
        return  # flood control: another message now would only make it worse
    try:
        await context.bot.send_message(
            chat_id=update.effective_chat.id, text=say(chat_language(context), "error")
        )
    except TelegramError as send_error:
        logger.warning("Could not tell the user about the error: %s", send_error)


def register(application: Application) -> None:
    """Add all handlers to `application` in the order that makes them correct."""
    add, wrap = application.add_handler, reporting_failures
    add(TypeHandler(Update, wrap(restore_language)), group=-2)
    add(TypeHandler(Update, wrap(private_only_gate)), group=-1)
    # Edits first: CommandHandler would otherwise run /forget or /start again for an edit.
    add(MessageHandler(filters.UpdateType.EDITED, wrap(edited_message)))
    add(CommandHandler("start", wrap(start)))
    add(CommandHandler("help", wrap(help_command)))
    add(CommandHandler("hotline", wrap(hotline)))
    add(CommandHandler("check", wrap(check_command)))
    add(CommandHandler("cancel", wrap(cancel_command)))
    add(CommandHandler("language", wrap(language_command)))
    add(CommandHandler("forget", wrap(forget)))
    add(CallbackQueryHandler(wrap(button_tap)))
    message = filters.UpdateType.MESSAGE
    add(MessageHandler(message & filters.COMMAND, wrap(unknown_command)))
    add(MessageHandler(message & filters.TEXT & ~filters.COMMAND, wrap(text_message)))
    add(MessageHandler(message & ~filters.StatusUpdate.ALL, wrap(non_text_message)))
    application.add_error_handler(error_handler)
