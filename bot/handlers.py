"""Telegram handlers: commands, questions relayed to Rasa, button taps, and everything else.

Every handler replies in plain text. Only cleaned question text and a pseudonymous sender
id ever reach Rasa; names, usernames, phone numbers, locations and files never do.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from sqlalchemy.exc import SQLAlchemyError
from telegram import Update
from telegram.constants import ChatType
from telegram.error import Conflict, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from assistant.language import detect_language
from bot.buttons import ButtonSigner
from bot.config import Settings
from bot.delivery import DeliveryFailed, Part, deliver, run_in_thread, text_part
from bot.formatting import (
    MAX_QUESTION_CHARACTERS,
    clean_user_text,
    question_keyboard,
    redact_identifiers,
    truncate_question,
    without_intent_syntax,
)
from bot.inbox import Inbox
from bot.no_inbox import NoInbox
from bot.rasa_client import RasaClient, RasaError, log_id, sender_id
from bot.replies import ask_rasa
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

SERVICES_KEY = "services"
_TOLD_PRIVATE_ONLY = "told_private_only"
LANGUAGE_KEY = "language"


@dataclass
class Services:
    """What the handlers share: the settings, the Rasa client and the inbox."""

    settings: Settings
    rasa: RasaClient
    inbox: Inbox | NoInbox
    # Update ids queued or being handled in this process, and those to hand over again
    # after an inbox error (bot/app.py's processor and bot/runner.py's Intake share them).
    in_flight: set[int] = field(default_factory=set)
    retry_later: set[int] = field(default_factory=set)
    # Set by bot.runner while running: setting it stops receiving and shuts down.
    stop: asyncio.Event | None = None
    fatal_error: str | None = None


def get_services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    """Return the shared services of the running application."""
    return context.application.bot_data[SERVICES_KEY]


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


def _sender(context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> str:
    return sender_id(get_services(context).settings.sender_id_secret, chat_id)


def _signer(context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> ButtonSigner:
    return ButtonSigner(get_services(context).settings.sender_id_secret, chat_id)


def chat_language(context: ContextTypes.DEFAULT_TYPE) -> str:
    """The chat's language: of its last message with words, else English."""
    return (context.chat_data or {}).get(LANGUAGE_KEY) or "en"


async def _set_language(context: ContextTypes.DEFAULT_TYPE, chat_id: int, language: str) -> None:
    """Set the chat's language here and in the inbox, so a restart keeps it."""
    if context.chat_data is not None and context.chat_data.get(LANGUAGE_KEY) != language:
        context.chat_data[LANGUAGE_KEY] = language
        await run_in_thread(get_services(context).inbox.set_language, _sender(context, chat_id), language)


async def restore_language(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Before any handler: load the chat's language from the inbox after a restart."""
    chat_id = chat_id_of(update)
    if chat_id is None or context.chat_data is None or LANGUAGE_KEY in context.chat_data:
        return
    stored = await run_in_thread(get_services(context).inbox.language, _sender(context, chat_id))
    if stored:
        context.chat_data[LANGUAGE_KEY] = stored


async def _note_language(context: ContextTypes.DEFAULT_TYPE, chat_id: int, text: str) -> None:
    # Digits or emoji alone keep the chat's language, as on the Rasa side.
    language = detect_language(text)
    if language is not None:
        await _set_language(context, chat_id, language)


async def _reply(
    update: Update, context: ContextTypes.DEFAULT_TYPE,
    compose: Callable[[], Awaitable[list[Part]]],
) -> None:
    """Compose (once, even across restarts), store and send the reply to this update."""
    services = get_services(context)
    await deliver(
        context.bot, services.inbox, update.update_id, chat_id_of(update), compose,
        interval_seconds=services.settings.send_interval_seconds,
        retry_base_seconds=services.settings.send_retry_base_seconds,
    )


def _fixed(*parts: Part) -> Callable[[], Awaitable[list[Part]]]:
    async def compose() -> list[Part]:
        return list(parts)

    return compose


def _from_rasa(
    update: Update, context: ContextTypes.DEFAULT_TYPE, question: str, notes: tuple[str, ...] = (),
    fallback_key: str = "fallback",
) -> Callable[[], Awaitable[list[Part]]]:
    """Return a composer: the notes, then Rasa's answer to `question` (or the fallback)."""

    async def compose() -> list[Part]:
        services = get_services(context)
        chat_id = chat_id_of(update)
        answer = await ask_rasa(
            context.bot, services.rasa, chat_id, _sender(context, chat_id), question,
            f"tg-{update.update_id}", chat_language(context), _signer(context, chat_id).sign,
            fallback_key,
        )
        return [text_part(note) for note in notes] + answer

    return compose


async def private_only_gate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Outside private chats (unless ALLOW_GROUPS) say once that the bot is private-only; stop."""
    chat = update.effective_chat
    if chat is None or chat.type == ChatType.PRIVATE or get_services(context).settings.allow_groups:
        return
    if update.callback_query is not None:
        with contextlib.suppress(TelegramError):
            await update.callback_query.answer(say(chat_language(context), "private_only")[:200])
    elif update.message is not None and not context.chat_data.get(_TOLD_PRIVATE_ONLY):
        context.chat_data[_TOLD_PRIVATE_ONLY] = True
        await _reply(update, context, _fixed(text_part(say(chat_language(context), "private_only"))))
    raise ApplicationHandlerStop


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Welcome the user: what the bot answers, the disclaimer and the privacy notice."""
    if LANGUAGE_KEY not in context.chat_data:
        user = update.effective_user
        language = language_of_telegram_user(user.language_code if user else None)
        await _set_language(context, update.effective_chat.id, language)
    days = f"{get_services(context).settings.conversation_retention_days:g}"
    await _reply(update, context, _fixed(text_part(say(chat_language(context), "welcome", days=days))))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show example questions as buttons that ask them."""
    language = chat_language(context)
    keyboard = question_keyboard(HELP_QUESTIONS[language],
                                 _signer(context, update.effective_chat.id).sign)
    await _reply(update, context, _fixed(text_part(say(language, "help"), keyboard)))


async def hotline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show how to reach a person: the knowledge base's referral card, or a built-in one."""
    await _reply(update, context, _from_rasa(update, context, HANDOFF_MESSAGE, fallback_key="hotline_card"))


async def check_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Start the legal-aid pre-check (Rasa's eligibility form)."""
    await _reply(update, context, _from_rasa(update, context, CHECK_MESSAGE))


async def cancel_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stop the legal-aid pre-check."""
    await _reply(update, context, _from_rasa(update, context, CANCEL_CHECK_MESSAGE))


async def language_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Switch the chat between Chinese and English (here and on the Rasa side)."""
    language = other_language(chat_language(context))
    await _set_language(context, update.effective_chat.id, language)
    switch = SWITCH_LANGUAGE_MESSAGE.format(language=language)
    await _reply(update, context, _from_rasa(update, context, switch))


async def forget(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Erase this chat's conversation in Rasa and the bot's own data about it."""
    chat = update.effective_chat
    sender = _sender(context, chat.id)
    language = chat_language(context)

    async def erase() -> list[Part]:
        services = get_services(context)
        context.application.drop_chat_data(chat.id)
        if update.effective_user is not None:
            context.application.drop_user_data(update.effective_user.id)
        try:
            deleted = await services.rasa.forget(sender)
            rows = await run_in_thread(services.inbox.forget_chat, sender)
        except RasaError as error:
            logger.warning("Erasure failed for conversation %s: %s", log_id(sender), error.reason)
            return [text_part(say(language, "forget_failed"))]
        logger.info("Erasure done for conversation %s: %d events, %d inbox rows.",
                    log_id(sender), deleted, rows)
        # Truthful: "deleted" only if Rasa had stored something (the inbox keeps no text of
        # finished updates, only their ids).
        return [text_part(say(language, "forget_done" if deleted else "forget_nothing"))]

    await _reply(update, context, erase)


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer an unknown command with a short help."""
    await _reply(update, context, _fixed(text_part(say(chat_language(context), "unknown_command"))))


async def text_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
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


async def button_tap(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
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


async def non_text_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply that only text can be read; nothing of the message is sent to Rasa or kept."""
    await _reply(update, context, _fixed(text_part(say(chat_language(context), "text_only"))))


async def edited_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply that edits are not read, so an edited question is never answered twice."""
    await _reply(update, context, _fixed(text_part(say(chat_language(context), "edited"))))


async def error_handler(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the error first, then tell the user something useful (12348) when there is a user."""
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    if isinstance(error, Forbidden):
        logger.info("Update %s: the user blocked the bot or left; not replying.", update_id)
        return
    if isinstance(error, DeliveryFailed):
        logger.error("Update %s: marked failed, Telegram did not take the reply (%s).",
                     update_id, error.reason)
        with contextlib.suppress(Exception):
            await run_in_thread(get_services(context).inbox.fail, update_id, error.reason)
        return
    if isinstance(error, SQLAlchemyError) and isinstance(update, Update):
        # Not the user's problem: the update stays pending and is handled again later
        # (a stored reply is resumed; Rasa answers a repeated message_id from its tracker).
        logger.error("Update %s: the inbox failed (%s); it will be handled again.",
                     update_id, type(error).__name__)
        get_services(context).retry_later.add(update.update_id)
        return
    if isinstance(error, Conflict):
        logger.error(
            "Another process is receiving updates for this bot token (%s). Stopping; run one "
            "poller only, or use a webhook.", error,
        )
        services = get_services(context)
        services.fatal_error = "conflict"
        if services.stop is not None:
            services.stop.set()
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
    application.add_handler(TypeHandler(Update, restore_language), group=-2)
    application.add_handler(TypeHandler(Update, private_only_gate), group=-1)
    # Edits first: CommandHandler would otherwise run /forget or /start again for an edit.
    application.add_handler(MessageHandler(filters.UpdateType.EDITED, edited_message))
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CommandHandler("help", help_command))
    application.add_handler(CommandHandler("hotline", hotline))
    application.add_handler(CommandHandler("check", check_command))
    application.add_handler(CommandHandler("cancel", cancel_command))
    application.add_handler(CommandHandler("language", language_command))
    application.add_handler(CommandHandler("forget", forget))
    application.add_handler(CallbackQueryHandler(button_tap))
    message = filters.UpdateType.MESSAGE
    application.add_handler(MessageHandler(message & filters.COMMAND, unknown_command))
    application.add_handler(MessageHandler(message & filters.TEXT & ~filters.COMMAND, text_message))
    application.add_handler(MessageHandler(message & ~filters.StatusUpdate.ALL, non_text_message))
    application.add_error_handler(error_handler)
