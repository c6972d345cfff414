"""Rasa's REST channel with the edge checks a public endpoint needs.

`POST /webhooks/rest/webhook {"sender": "...", "message": "..."}` as in
Rasa, except:
- the body must be JSON (`Content-Type: application/json`): a browser cannot
  send that cross-site without a CORS preflight, which we never grant;
- a missing, empty or non-string `sender` or `message` gets 400 with a
  reason, never a silent `200 []` (there is no shared `default` conversation);
- sender ids with another channel's prefix (`telegram:`, `web:`) are refused,
  so no REST caller can write into a Telegram or web conversation;
- the text passes `bot.channels.guard` (length, Unicode, typed commands);
- `metadata` must be a small JSON object; `input_channel` is always "rest";
- no streaming mode;
- a turn that fails (the lock store or tracker store unreachable) gets 503
  with `Retry-After` and the "having trouble, please try again" reply, never
  a silent `200 []`;
- each turn is counted and timed (`backcare_turns_total`, `backcare_turn_seconds`).
"""

from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import guard
from bot.channels.conversation_ids import MAX_SENDER_CHARS, is_reserved
from bot.observability.metrics import timed_turn
from bot.replies import hinted_language, reply_text

logger = logging.getLogger(__name__)

TROUBLE_REPLY = "utter_technical_trouble"  # in domain.yml
RETRY_AFTER_SECONDS = "30"


class RequestError(ValueError):
    """A request we answer with 4xx and this reason."""

    def __init__(self, reason: str, status: int = 400) -> None:
        super().__init__(reason)
        self.status = status


def _json_body(request: Request) -> Dict[str, Any]:
    if request.content_type.split(";")[0].strip().lower() != "application/json":
        raise RequestError("send JSON with Content-Type: application/json", status=415)
    try:
        body = request.json
    except Exception:  # sanic raises its own InvalidUsage on broken JSON
        raise RequestError("the body is not valid JSON") from None
    if not isinstance(body, dict):
        raise RequestError('the body must be a JSON object: {"sender": "...", "message": "..."}')
    return body


def _sender(body: Dict[str, Any]) -> str:
    sender = body.get("sender")
    if not isinstance(sender, str) or not sender.strip():
        raise RequestError('"sender" must be a non-empty string')
    if len(sender) > MAX_SENDER_CHARS:
        raise RequestError(f'"sender" must be at most {MAX_SENDER_CHARS} characters')
    if is_reserved(sender):
        raise RequestError('"sender" must not start with "telegram:" or "web:"')
    return sender


def _message(body: Dict[str, Any]) -> Any:
    if "message" not in body:
        raise RequestError('"message" is missing')
    if not isinstance(body["message"], str):
        raise RequestError('"message" must be a string')
    return body["message"]


def _metadata(body: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    try:
        return guard.check_metadata(body.get("metadata"))
    except ValueError as error:
        raise RequestError(str(error), status=413 if "larger" in str(error) else 400) from None


class RestInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        rest = Blueprint("backcare_rest_webhook", __name__)

        @rest.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @rest.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                body = _json_body(request)
                sender, message, metadata = _sender(body), _message(body), _metadata(body)
            except RequestError as error:
                return response.json({"error": str(error)}, status=error.status)
            checked = guard.check_message(message)
            if checked.reply:
                language = hinted_language(metadata)
                return response.json([{"recipient_id": sender, "text": reply_text(checked.reply, language)}])
            collector = CollectingOutputChannel()
            try:
                with timed_turn(self.name()):
                    await on_new_message(
                        UserMessage(
                            checked.text, collector, sender, input_channel=self.name(), metadata=metadata
                        )
                    )
            except Exception as error:  # nothing of this turn was saved: the caller should send it again
                logger.error("The REST message could not be handled (%s).", error.__class__.__name__)
                trouble = {
                    "recipient_id": sender,
                    "text": reply_text(TROUBLE_REPLY, hinted_language(metadata)),
                }
                return response.json(
                    [*collector.messages, trouble], status=503, headers={"Retry-After": RETRY_AFTER_SECONDS}
                )
            return response.json(collector.messages)

        return rest
