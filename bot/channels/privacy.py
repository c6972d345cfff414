"""`DELETE /webhooks/privacy/conversations/<id>`: forget one conversation.

Mounted on the Rasa server as a channel so it sits beside Rasa's HTTP API and
uses the same token (`BACKCARE_API_TOKEN`, as `?token=` or a Bearer header).
"""

from __future__ import annotations

import asyncio
import hmac
import os
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.knowledge import DatabaseUnavailable
from bot.privacy import forget_conversation


def _given_token(request: Request) -> str:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return request.args.get("token", "")


class PrivacyInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "privacy"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        return cls()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        privacy = Blueprint("privacy_webhook", __name__)

        @privacy.route("/conversations/<conversation_id:str>", methods=["DELETE"])
        async def forget(request: Request, conversation_id: str) -> HTTPResponse:
            expected = os.environ.get("BACKCARE_API_TOKEN", "")
            if not expected or not hmac.compare_digest(_given_token(request).encode(), expected.encode()):
                return response.json({"error": "unauthorized"}, status=401)
            try:
                # The stores are synchronous SQLAlchemy: keep them off the event loop.
                deleted = await asyncio.get_running_loop().run_in_executor(
                    None, forget_conversation, conversation_id
                )
            except DatabaseUnavailable as error:
                return response.json({"error": str(error)}, status=503)
            return response.json(
                {
                    "conversation_id": conversation_id,
                    "events": deleted.events,
                    "feedback": deleted.feedback,
                    "warning_signs": deleted.warning_signs,
                }
            )

        return privacy
