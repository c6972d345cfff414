"""Rasa's socket.io output, with the language of each message for the web page.

The page's own texts (placeholder, "Send", the switch button) follow the
language BackCare answers in. A domain response carries the conditions of
the variation Rasa chose; the German twins have `language: de`, the rest are
English.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Text

from rasa.core.channels.socketio import SocketIOOutput

from bot.languages import DEFAULT, LANGUAGE_SLOT, normalise


def response_language(message: Dict[Text, Any]) -> Text:
    """The language of a bot message: its variation's `language` condition, else English."""
    for condition in message.get("condition") or []:
        if isinstance(condition, dict) and condition.get("name") == LANGUAGE_SLOT:
            return normalise(condition.get("value")) or DEFAULT
    return DEFAULT


class LanguageTaggedSocketIOOutput(SocketIOOutput):
    """Each text message also says `language`, so the page can follow BackCare's language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._language: Optional[Text] = None

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        # One output per user message, its replies sent one after another.
        self._language = response_language(message)
        try:
            await super().send_response(recipient_id, message)
        finally:
            self._language = None

    async def _send_message(self, socket_id: Text, response: Any) -> None:
        if self._language and isinstance(response, dict) and response.get("text"):
            response = {**response, "language": self._language}
        await super()._send_message(socket_id, response)
