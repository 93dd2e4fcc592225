"""Telegram handlers: commands, questions relayed to Rasa, button taps, and everything else.

Every handler replies in plain text. Only cleaned question text and a pseudonymous sender
id ever reach Rasa; names, usernames, phone numbers, locations and files never do.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from collections.abc import AsyncIterator, Sequence

from telegram import Update
from telegram.constants import ChatAction, ChatType
from telegram.error import BadRequest, Conflict, Forbidden, NetworkError, RetryAfter, TelegramError
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

from bot.config import Settings
from bot.formatting import (
    MAX_QUESTION_CHARACTERS,
    build_keyboard,
    clean_user_text,
    question_keyboard,
    redact_identifiers,
    split_message,
    truncate_question,
)
from assistant.language import detect_language
from bot.rasa_client import BotMessage, RasaClient, RasaError, log_id, sender_id
from bot.texts import (
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
TYPING_REFRESH_SECONDS = 4.5  # Telegram shows "typing…" for 5 s per chat action

LANGUAGE_KEY = "language"


@dataclass
class Services:
    """What the handlers share: the settings and the Rasa client."""

    settings: Settings
    rasa: RasaClient
    fatal_error: str | None = None


def get_services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    """Return the shared services of the running application."""
    return context.application.bot_data[SERVICES_KEY]


def _sender(context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> str:
    return sender_id(get_services(context).settings.sender_id_secret, chat_id)


async def _say(
    context: ContextTypes.DEFAULT_TYPE, chat_id: int, text: str, **kwargs: object
) -> None:
    await context.bot.send_message(chat_id=chat_id, text=text, **kwargs)


def chat_language(context: ContextTypes.DEFAULT_TYPE) -> str:
    """The chat's language: of its last message with words, else English."""
    return (context.chat_data or {}).get(LANGUAGE_KEY) or "en"


def _note_language(context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
    # Digits or emoji alone keep the chat's language, as on the Rasa side.
    language = detect_language(text)
    if language is not None and context.chat_data is not None:
        context.chat_data[LANGUAGE_KEY] = language


@contextlib.asynccontextmanager
async def _typing(context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> AsyncIterator[None]:
    """Show "typing…" in the chat until the block ends."""

    async def keep_typing() -> None:
        while True:
            try:
                await context.bot.send_chat_action(chat_id=chat_id, action=ChatAction.TYPING)
            except TelegramError as error:  # cosmetic; never let it block the answer
                logger.debug("sendChatAction failed: %s", error)
            await asyncio.sleep(TYPING_REFRESH_SECONDS)

    task = asyncio.create_task(keep_typing())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def _send_answer(
    context: ContextTypes.DEFAULT_TYPE, chat_id: int, messages: Sequence[BotMessage]
) -> None:
    """Send Rasa's messages in order, split and paced, with buttons as inline keyboards."""
    interval = get_services(context).settings.send_interval_seconds
    sent = 0

    async def pace() -> None:
        # Telegram asks for at most about one message per second in one chat.
        if sent:
            await asyncio.sleep(interval)

    for message in messages:
        text = message.text or ""
        keyboard, left_out = build_keyboard(message.buttons)
        if left_out:
            text = f"{text}\n\n{say(chat_language(context), 'you_can_type')}\n" + "\n".join(
                f"• {title}" for title in left_out
            )
        chunks: list[str] = split_message(text)
        if keyboard is not None and not chunks:
            chunks = [say(chat_language(context), "choose")]
        for index, chunk in enumerate(chunks):
            await pace()
            last = index == len(chunks) - 1
            await _say(context, chat_id, chunk, reply_markup=keyboard if last else None)
            sent += 1
        if message.image:
            await pace()
            try:
                await context.bot.send_photo(chat_id=chat_id, photo=message.image)
            except BadRequest as error:
                logger.warning("Telegram refused an image from Rasa (%s); sending its link.", error)
                await _say(context, chat_id, message.image)
            sent += 1


async def _ask_rasa(
    context: ContextTypes.DEFAULT_TYPE, chat_id: int, question: str, notes: Sequence[str] = (),
    fallback_key: str = "fallback",
) -> None:
    """Send `question` to Rasa for this chat and relay the answer, or the fallback."""
    services = get_services(context)
    sender = _sender(context, chat_id)
    for note in notes:
        await _say(context, chat_id, note)
    async with _typing(context, chat_id):
        try:
            messages = await services.rasa.send_message(sender, question)
        except RasaError as error:
            logger.warning(
                "No answer from Rasa for conversation %s: %s", log_id(sender), error.reason
            )
            messages = []
    if not messages:
        await _say(context, chat_id, say(chat_language(context), fallback_key))
        return
    await _send_answer(context, chat_id, messages)


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
        await _say(context, chat.id, say(chat_language(context), "private_only"))
    raise ApplicationHandlerStop


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Welcome the user: what the bot answers, the disclaimer and the privacy notice."""
    if LANGUAGE_KEY not in context.chat_data:
        user = update.effective_user
        context.chat_data[LANGUAGE_KEY] = language_of_telegram_user(user.language_code if user else None)
    await _say(context, update.effective_chat.id, say(chat_language(context), "welcome"))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show example questions as buttons that ask them."""
    language = chat_language(context)
    await _say(
        context, update.effective_chat.id, say(language, "help"),
        reply_markup=question_keyboard(HELP_QUESTIONS[language]),
    )


async def hotline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show how to reach a person: the knowledge base's referral card, or a built-in one."""
    await _ask_rasa(context, update.effective_chat.id, HANDOFF_MESSAGE, fallback_key="hotline_card")


async def language_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Switch the chat between Chinese and English (here and on the Rasa side)."""
    language = other_language(chat_language(context))
    context.chat_data[LANGUAGE_KEY] = language
    await _ask_rasa(context, update.effective_chat.id, SWITCH_LANGUAGE_MESSAGE.format(language=language))


async def forget(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Erase this chat's conversation in Rasa and the bot's own data about it."""
    chat = update.effective_chat
    sender = _sender(context, chat.id)
    language = chat_language(context)
    context.application.drop_chat_data(chat.id)
    if update.effective_user is not None:
        context.application.drop_user_data(update.effective_user.id)
    try:
        deleted = await get_services(context).rasa.forget(sender)
    except RasaError as error:
        logger.warning("Erasure failed for conversation %s: %s", log_id(sender), error.reason)
        await _say(context, chat.id, say(language, "forget_failed"))
        return
    logger.info("Erasure done for conversation %s: %d events.", log_id(sender), deleted)
    await _say(context, chat.id, say(language, "forget_done"))


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer an unknown command with a short help."""
    await _say(context, update.effective_chat.id, say(chat_language(context), "unknown_command"))


async def text_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Clean the user's question, send it to Rasa and relay the answer."""
    chat_id = update.effective_chat.id
    question = clean_user_text(update.effective_message.text)
    _note_language(context, question)
    language = chat_language(context)
    if not question:
        await _say(context, chat_id, say(language, "empty_question"))
        return
    notes = []
    question, redacted = redact_identifiers(question)
    if redacted:
        notes.append(say(language, "redacted"))
    question, truncated = truncate_question(question)
    if truncated:
        notes.append(say(language, "truncated", limit=MAX_QUESTION_CHARACTERS))
    await _ask_rasa(context, chat_id, question, notes)


async def button_tap(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer the button tap, then send the button's payload to Rasa as the user's message."""
    query = update.callback_query
    try:
        # Always answer, first: otherwise the button keeps spinning for the user.
        await query.answer()
    except TelegramError as error:
        logger.warning("Could not answer a callback query: %s", error)
    payload = clean_user_text(query.data) if isinstance(query.data, str) else ""
    if payload and update.effective_chat is not None:
        await _ask_rasa(context, update.effective_chat.id, payload)


async def non_text_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply that only text can be read; nothing of the message is sent to Rasa or kept."""
    await _say(context, update.effective_chat.id, say(chat_language(context), "text_only"))


async def edited_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply that edits are not read, so an edited question is never answered twice."""
    await _say(context, update.effective_chat.id, say(chat_language(context), "edited"))


async def error_handler(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
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
        get_services(context).fatal_error = "conflict"
        context.application.stop_running()
        return
    if update is None and isinstance(error, NetworkError):
        logger.warning("Telegram API unreachable while polling (%s); PTB keeps retrying.", error)
        return
    logger.error("Error while handling update %s.", update_id, exc_info=error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if isinstance(error, RetryAfter):
        return  # flood control: another message now would only make it worse
    try:
        await _say(context, update.effective_chat.id, say(chat_language(context), "error"))
    except TelegramError as send_error:
        logger.warning("Could not tell the user about the error: %s", send_error)


def register(application: Application) -> None:
    """Add all handlers to `application` in the order that makes them correct."""
    application.add_handler(TypeHandler(Update, private_only_gate), group=-1)
    # Edits first: CommandHandler would otherwise run /forget or /start again for an edit.
    application.add_handler(MessageHandler(filters.UpdateType.EDITED, edited_message))
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CommandHandler("help", help_command))
    application.add_handler(CommandHandler("hotline", hotline))
    application.add_handler(CommandHandler("language", language_command))
    application.add_handler(CommandHandler("forget", forget))
    application.add_handler(CallbackQueryHandler(button_tap))
    message = filters.UpdateType.MESSAGE
    application.add_handler(MessageHandler(message & filters.COMMAND, unknown_command))
    application.add_handler(MessageHandler(message & filters.TEXT & ~filters.COMMAND, text_message))
    application.add_handler(MessageHandler(message & ~filters.StatusUpdate.ALL, non_text_message))
    application.add_error_handler(error_handler)
