"""Rasa's socket.io channel, made safe for the web widget.

1. CORS limited to the widget's own origins (Rasa's channel disables the
   socket.io origin check entirely). Origins come from `BACKCARE_WEB_ORIGINS`
   (`bot.settings`), by default the page served by `backcare run`.
2. Sessions are the server's: `session_request` accepts only a session id this
   server signed (`bot.channels.conversation_ids`) and issues a new one for
   anything else. The socket remembers its confirmed session; a message is
   always filed under it, whatever `session_id` the message claims (Rasa's
   channel takes the client's word, so anyone who knew an id could read and
   write that conversation). The conversation id is `web:<random part>`.
3. Every message passes `bot.channels.guard`; a message that is not text,
   empty or too long gets a kind reply instead of silence.
4. Session persistence: the browser rejoins its room on a reloaded page
   (`bot.rasa_overrides.socketio_rooms`: Rasa 3.6 forgets to await it).
5. A daily reminder that came while the page was closed runs its check-in
   when a known session opens the page (`bot.channels.waiting_reminders`).
6. A turn that fails (the lock store or tracker store unreachable) gets the
   "having trouble, please try again" reply instead of silence.
7. Each turn is counted and timed (`backcare_turns_total`,
   `backcare_turn_seconds`, channel `socketio`).
8. Each text message says which language it is in (`language`), so the page
   follows; the page's language is the hint for a person new to BackCare.
"""

from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, List, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from sanic import Blueprint

from bot.channels import guard
from bot.channels.conversation_ids import issue_session_id, verified_session_id, web_conversation
from bot.channels.socketio_output import LanguageTaggedSocketIOOutput
from bot.channels.waiting_reminders import REMINDER_MESSAGE, reminder_waiting
from bot.observability.metrics import timed_turn
from bot.rasa_overrides.socketio_rooms import join_room
from bot.replies import hinted_language, reply_text
from bot.settings import current_settings

logger = logging.getLogger(__name__)

TROUBLE_REPLY = "utter_technical_trouble"  # in domain.yml


def web_origins() -> List[str]:
    return [origin.rstrip("/") for origin in current_settings().allowed_web_origins()]


class SocketIOInput(RasaSocketIOInput):
    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        socketio_webhook = super().blueprint(on_new_message)
        sio = self.sio
        assert sio is not None
        sio.eio.cors_allowed_origins = web_origins()
        namespace = self.namespace or "/"

        async def confirm(sid: Text, session_id: str) -> str:
            conversation_id = web_conversation(session_id)
            await sio.save_session(sid, {"conversation_id": conversation_id}, namespace=namespace)
            await join_room(sio, sid, conversation_id, namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=namespace)
            return conversation_id

        async def reply(sid: Text, response: str, metadata: Any = None) -> None:
            text = reply_text(response, hinted_language(metadata))
            await sio.emit(self.bot_message_evt, {"text": text}, room=sid, namespace=namespace)

        # Both handlers replace Rasa's for the same events.
        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Any = None) -> None:
            claimed = data.get("session_id") if isinstance(data, dict) else None
            known = verified_session_id(claimed)
            conversation_id = await confirm(sid, known or issue_session_id())
            if known and await reminder_waiting(conversation_id):
                output = LanguageTaggedSocketIOOutput(sio, self.bot_message_evt)
                with timed_turn(self.name()):
                    await on_new_message(
                        UserMessage(REMINDER_MESSAGE, output, conversation_id, input_channel=self.name())
                    )

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: Text, data: Any = None) -> None:
            session = await sio.get_session(sid, namespace=namespace)
            conversation_id: Optional[str] = session.get("conversation_id")
            if conversation_id is None:  # a message before session_request: start one
                conversation_id = await confirm(sid, issue_session_id())
            fields = data if isinstance(data, dict) else {}
            checked = guard.check_message(fields.get("message"))
            try:
                metadata = guard.check_metadata(fields.get(self.metadata_key))
            except ValueError:
                metadata = None  # dropped: the message still counts
            if checked.reply:
                await reply(sid, checked.reply, metadata)
                return
            output = LanguageTaggedSocketIOOutput(sio, self.bot_message_evt)
            try:
                message = UserMessage(
                    checked.text, output, conversation_id, input_channel=self.name(), metadata=metadata
                )
                with timed_turn(self.name()):
                    await on_new_message(message)
            except Exception as error:  # nothing of this turn was saved: ask the person to send it again
                logger.error("A web chat message could not be handled (%s).", error.__class__.__name__)
                await reply(sid, TROUBLE_REPLY, metadata)

        return socketio_webhook
