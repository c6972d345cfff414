"""A Telegram channel for Rasa that is safe to expose to the internet.

Differences from Rasa's stock `telegram` channel (rasa/core/channels/telegram.py):
- every webhook request must carry Telegram's secret token header, anything
  else gets 403 and never reaches the bot;
- no Bot API call per update (the stock channel calls getMe each time) and none
  at start-up: registering the webhook is `backcare telegram set-webhook`;
- replies are sent after Rasa has saved the turn, with retries on 429 and
  network errors (`bot.channels.telegram_delivery`): a Bot API error never
  loses the person's message; an update Telegram sends twice is handled once
  (`bot.channels.telegram_updates_seen`), also across replicas;
- buttons answer their callback query; long texts are split under 4,096
  characters; non-text updates get a short, kind reply instead of silence;
- `/start` begins a fresh conversation with the greeting;
- a person's chart and summary (private links to our page server, which
  Telegram could not open) are fetched and uploaded as a photo and a document;
- conversations are stored as `telegram:<chat id>`, apart from other channels,
  and every text passes `bot.channels.guard` (length, Unicode, typed commands).

Configuration comes from `bot.settings` (see README, "Telegram"). Without
`TELEGRAM_TOKEN` the channel is off: its webhook answers 404.
"""

from __future__ import annotations

import dataclasses
import hmac
import io
import json
import logging
import time
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from aiogram import Bot
from aiogram.bot.api import TELEGRAM_PRODUCTION, TelegramAPIServer
from aiogram.types import InputFile
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.care.links import care_link_kind
from bot.channels import guard
from bot.channels import telegram_format as fmt
from bot.channels.care_files import fetch_care_file
from bot.channels.conversation_ids import telegram_chat, telegram_conversation
from bot.channels.telegram_delivery import CollectedReplies, DeliveryFailed, call_with_retry, deliver
from bot.channels.telegram_updates_seen import UpdateLedger, ledger_for
from bot.languages import LANGUAGE_SLOT, normalise
from bot.observability.metrics import observe_turn
from bot.replies import reply_text
from bot.settings import Settings, current_settings

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
TEXT_ONLY_REPLY = "utter_text_only"  # responses in domain.yml
EDITED_REPLY = "utter_edited_message"
RESTART_COMMAND = "/restart"
# A care file that could not be fetched: the response said instead, per kind of file.
NOT_ATTACHED_REPLIES = {"chart": "utter_chart_not_attached", "summary": "utter_summary_not_attached"}
CARE_FILENAMES = {"chart": "backcare-chart.png", "summary": "backcare-summary.pdf"}


@dataclass(frozen=True)
class TelegramSettings:
    token: str
    secret_token: str
    api_url: str = ""
    bot_username: str = ""
    webhook_url: str = ""
    page_url: str = ""  # our page server, whose care links are uploaded instead of linked
    redis_url: str = ""  # the replicas' shared Redis (the lock store's), for handled update ids

    @classmethod
    def from_settings(cls, settings: Settings) -> Optional[TelegramSettings]:
        """The channel's part of `settings`, or None when TELEGRAM_TOKEN is not set (channel off)."""
        if not settings.telegram_token:
            return None
        return cls(
            token=settings.telegram_token,
            secret_token=settings.telegram_secret_token,
            api_url=settings.telegram_api_url,
            bot_username=settings.telegram_bot_username,
            webhook_url=settings.telegram_webhook_url,
            page_url=settings.page_url(),
            redis_url=settings.lock_store_url,
        )

    def make_bot(self) -> Bot:
        server = TelegramAPIServer.from_base(self.api_url) if self.api_url else TELEGRAM_PRODUCTION
        return Bot(self.token, server=server)


class TelegramOutput(OutputChannel):
    """Sends bot messages through the Bot API."""

    @classmethod
    def name(cls) -> Text:
        return "telegram"

    def __init__(self, bot: Bot, page_url: str = "") -> None:
        self.bot = bot
        self.page_url = page_url

    async def _call(self, method: str, data: Dict[str, Any]) -> Any:
        """One Bot API call, retried on 429 and network errors (`telegram_delivery`)."""
        return await call_with_retry(method, lambda: self.bot.request(method, data))

    async def _send_text(
        self, recipient_id: Text, text: Text, markup: Optional[Dict[str, Any]] = None
    ) -> None:
        parts = fmt.split_message(text) or [""]
        for index, part in enumerate(parts):
            data: Dict[str, Any] = {
                "chat_id": telegram_chat(recipient_id),
                "text": fmt.to_html(part),
                "parse_mode": "HTML",
            }
            if markup and index == len(parts) - 1:
                # aiogram sends form fields: nested objects must be JSON text.
                data["reply_markup"] = json.dumps(markup)  # buttons under the last part
            await self._call("sendMessage", data)

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._send_text(recipient_id, text)

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        await self._send_text(recipient_id, text, fmt.inline_keyboard(buttons))

    async def send_image_url(self, recipient_id: Text, image: Text, **kwargs: Any) -> None:
        kind = care_link_kind(image, self.page_url)
        if kind:
            await self._send_care_file(recipient_id, image, kind)
            return
        await self._call("sendPhoto", {"chat_id": telegram_chat(recipient_id), "photo": image})

    async def send_attachment(self, recipient_id: Text, attachment: Text, **kwargs: Any) -> None:
        kind = care_link_kind(attachment, self.page_url) if isinstance(attachment, str) else None
        if kind:
            await self._send_care_file(recipient_id, attachment, kind)
            return
        await super().send_attachment(recipient_id, attachment, **kwargs)

    async def _send_care_file(self, recipient_id: Text, url: Text, kind: str) -> None:
        """Uploads the chart as a photo or the summary as a document; says so if it cannot be fetched."""
        data = await fetch_care_file(url)
        if data is None:
            await self._send_text(recipient_id, reply_text(NOT_ATTACHED_REPLIES[kind]))
            return
        chat, filename = telegram_chat(recipient_id), CARE_FILENAMES[kind]

        def upload() -> InputFile:  # a fresh stream for every attempt
            return InputFile(io.BytesIO(data), filename=filename)

        if kind == "chart":
            await call_with_retry("sendPhoto", lambda: self.bot.send_photo(chat, upload()))
        else:
            await call_with_retry("sendDocument", lambda: self.bot.send_document(chat, upload()))

    async def send_custom_json(
        self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any
    ) -> None:
        method = json_message.get("method", "sendMessage")
        payload = {key: value for key, value in json_message.items() if key != "method"}
        await self._call(method, {"chat_id": telegram_chat(recipient_id), **payload})

    async def answer_callback(self, callback_query_id: Text) -> None:
        """Stops the button's spinner; a failure here must not cost the press itself."""
        try:
            await self._call("answerCallbackQuery", {"callback_query_id": callback_query_id})
        except DeliveryFailed as failure:
            logger.warning("Could not answer a button press: %s", failure)


@dataclass(frozen=True)
class IncomingUpdate:
    """What one Telegram update asks of the bot."""

    chat_id: Optional[str]
    update_id: Optional[int] = None  # Telegram sends an update again with the same id
    text: Optional[str] = None  # a message for the bot
    notice: Optional[str] = None  # a response to give directly instead (non-text updates)
    callback_query_id: Optional[str] = None
    language: Optional[str] = None  # the sender's app language (`language_code`), a hint only


def read_update(update: Dict[str, Any]) -> IncomingUpdate:
    """Classifies a raw Update object; never raises on unknown shapes."""
    if not isinstance(update, dict):
        return IncomingUpdate(chat_id=None)
    update_id = update.get("update_id")
    content = _read_content(update)
    return dataclasses.replace(
        content, update_id=update_id if isinstance(update_id, int) else None, language=_app_language(update)
    )


def _app_language(update: Dict[str, Any]) -> Optional[str]:
    """The IETF tag of the sender's Telegram app language, when the update has a sender."""
    for kind in ("message", "edited_message", "callback_query"):
        content = update.get(kind)
        sender = content.get("from") if isinstance(content, dict) else None
        code = sender.get("language_code") if isinstance(sender, dict) else None
        if isinstance(code, str) and code:
            return code[:16]
    return None


def _read_content(update: Dict[str, Any]) -> IncomingUpdate:
    callback = update.get("callback_query")
    if isinstance(callback, dict):
        chat = ((callback.get("message") or {}).get("chat") or {}).get("id") or (
            callback.get("from") or {}
        ).get("id")
        return IncomingUpdate(
            chat_id=str(chat) if chat is not None else None,
            text=str(callback.get("data") or ""),
            callback_query_id=str(callback.get("id") or ""),
        )
    for kind in ("edited_message", "edited_channel_post"):
        if isinstance(update.get(kind), dict):
            return IncomingUpdate(chat_id=_chat_id(update[kind]), notice=EDITED_REPLY)
    message = update.get("message") or update.get("channel_post")
    if isinstance(message, dict):
        text = message.get("text")
        if isinstance(text, str) and text.strip():
            return IncomingUpdate(chat_id=_chat_id(message), text=text)
        return IncomingUpdate(chat_id=_chat_id(message), notice=TEXT_ONLY_REPLY)
    return IncomingUpdate(chat_id=None)  # e.g. my_chat_member: nothing to answer


def _chat_id(message: Dict[str, Any]) -> Optional[str]:
    chat = (message.get("chat") or {}).get("id")
    return str(chat) if chat is not None else None


def _strip_bot_mention(text: str, username: str) -> str:
    """ "/start@BackCareBot" in groups means "/start"."""
    if username and text.startswith("/"):
        return text.replace(f"@{username}", "")
    return text


class TelegramInput(InputChannel):
    """Receives Telegram updates on /webhooks/telegram/webhook."""

    @classmethod
    def name(cls) -> Text:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        return cls(TelegramSettings.from_settings(current_settings()))

    def __init__(self, settings: Optional[TelegramSettings]) -> None:
        self.settings = settings
        self._output: Optional[TelegramOutput] = None
        self._seen: Optional[UpdateLedger] = (
            ledger_for(settings.redis_url, settings.token) if settings is not None else None
        )
        if settings is not None and not settings.secret_token:
            logger.warning("TELEGRAM_SECRET_TOKEN is not set: every webhook request will be refused.")

    def get_output_channel(self) -> Optional[OutputChannel]:
        if self.settings is None:
            return None
        if self._output is None:
            self._output = TelegramOutput(self.settings.make_bot(), self.settings.page_url)
        return self._output

    def _authorised(self, request: Request) -> bool:
        expected = self.settings.secret_token if self.settings else ""
        given = request.headers.get(SECRET_HEADER, "")
        return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        telegram_webhook = Blueprint("telegram_webhook", __name__)

        @telegram_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.settings else "off"})

        @telegram_webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if self.settings is None:
                return response.json({"error": "telegram channel is off"}, status=404)
            if not self._authorised(request):
                return response.json({"error": "forbidden"}, status=403)
            try:
                update = read_update(request.json)
            except Exception:  # malformed JSON body
                return response.json({"error": "invalid update"}, status=400)
            if update.update_id is not None and self._seen and not self._seen.claim(update.update_id):
                return response.json({"status": "duplicate"})  # answered once already
            try:
                await self._handle(update, on_new_message)
            except Exception:
                # Nothing was saved for this update: let Telegram send it again.
                if update.update_id is not None and self._seen:
                    self._seen.release(update.update_id)
                logger.exception("A Telegram update could not be handled; Telegram will send it again.")
                return response.json({"error": "not handled, retry"}, status=500)
            # Telegram retries anything but 2xx: always acknowledge a handled update.
            return response.json({"status": "ok"})

        return telegram_webhook

    async def _handle(
        self,
        update: IncomingUpdate,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> None:
        if self.settings is None:  # the webhook refuses updates while the channel is off
            return
        output = self.get_output_channel()
        assert isinstance(output, TelegramOutput)
        if update.callback_query_id:
            await output.answer_callback(update.callback_query_id)
        if update.chat_id is None:
            return
        if update.notice:
            await self._notify(output, update.chat_id, update.notice, update.language)
            return
        text = _strip_bot_mention(update.text or "", self.settings.bot_username)
        if text.strip() == "/start":
            # A fresh conversation that opens with the greeting, in the app's
            # language: a restart forgets the session's metadata, so the greeting
            # names the language itself (the `language` entity fills the slot).
            app_language = normalise(update.language)
            greet = f'/greet{{"{LANGUAGE_SLOT}": "{app_language}"}}' if app_language else "/greet"
            messages = [RESTART_COMMAND, greet]
        else:
            checked = guard.check_message(text)
            if checked.reply:
                await self._notify(output, update.chat_id, checked.reply, update.language)
                return
            messages = [checked.text or ""]
        # Read by action_session_start for a person new to BackCare (actions/session.py).
        metadata = {LANGUAGE_SLOT: update.language} if update.language else None
        for message in messages:
            replies = CollectedReplies()
            started = time.perf_counter()
            conversation = telegram_conversation(update.chat_id)
            await on_new_message(
                UserMessage(message, replies, conversation, input_channel=self.name(), metadata=metadata)
            )
            observe_turn(self.name(), time.perf_counter() - started)
            # The turn is saved: a failed delivery now costs the replies, never the turn.
            await deliver(replies, output)

    @staticmethod
    async def _notify(
        output: TelegramOutput, chat_id: str, response_name: str, language: Optional[str]
    ) -> None:
        """A reply given at the edge, without a turn (non-text updates, refused texts)."""
        try:
            await output.send_text_message(chat_id, reply_text(response_name, language))
        except DeliveryFailed as failure:
            logger.error("Telegram delivery gave up: %s", failure)
