"""Deleting a person's data through the Rasa server, under the conversation lock.

    DELETE /webhooks/privacy/conversations/<id>             forget one conversation
    DELETE /webhooks/privacy/conversations?older_than_days=N retention

Mounted on the Rasa server as a channel so it sits beside Rasa's HTTP API,
uses the same token (`BACKCARE_API_TOKEN`, as `?token=` or a Bearer header)
and the same lock store as Rasa's turns (in-memory or Redis): no turn in
flight can write a deleted history back.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict, Optional, Text
from urllib.parse import unquote

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.lock_store import LockError, LockStore
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.knowledge import DatabaseUnavailable
from bot.privacy import Deleted, apply_retention_locked, forget_conversation_locked
from bot.settings import current_settings
from bot.shared_secrets import carries_token


def _authorised(request: Request) -> bool:
    return carries_token(request, current_settings().api_token)


def _lock_store(request: Request) -> LockStore:
    return request.app.ctx.agent.lock_store


def _removed(deleted: Deleted, **fields: Any) -> Dict[str, Any]:
    return {
        **fields,
        "events": deleted.events,
        "feedback": deleted.feedback,
        "warning_signs": deleted.warning_signs,
        "care_records": deleted.care_records,
    }


async def _answer(deletion: Awaitable[Deleted], **fields: Any) -> HTTPResponse:
    try:
        deleted = await deletion
    except DatabaseUnavailable as error:
        return response.json({"error": str(error)}, status=503)
    except LockError:
        return response.json({"error": "the conversation is busy; try again"}, status=503)
    return response.json(_removed(deleted, **fields))


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
            if not _authorised(request):
                return response.json({"error": "unauthorized"}, status=401)
            # Sanic hands the path segment over still percent-encoded.
            conversation_id = unquote(conversation_id)
            return await _answer(
                forget_conversation_locked(_lock_store(request), conversation_id),
                conversation_id=conversation_id,
            )

        @privacy.route("/conversations", methods=["DELETE"])
        async def retention(request: Request) -> HTTPResponse:
            if not _authorised(request):
                return response.json({"error": "unauthorized"}, status=401)
            try:
                days = float(request.args.get("older_than_days", ""))
            except ValueError:
                days = 0
            if not days > 0:
                return response.json({"error": "give older_than_days, a positive number"}, status=400)
            return await _answer(apply_retention_locked(_lock_store(request), days), older_than_days=days)

        return privacy
