"""A clear reply instead of silence when the action server cannot be reached.

When a custom action (or a form's validation) cannot be run because the action
server refuses the connection, drops it, times out or answers 5xx, Rasa 3.6's
`MessageProcessor._run_action` logs the exception, records the action without
its events and predicts the next action, which fails the same way: the person
gets no answer, or half of one, and no hint to try again.

Two small wraps, both calling Rasa's own method:

* `RemoteAction.run` notes on the running turn (a context variable) that the
  action server was unreachable, then re-raises: Rasa handles the exception
  exactly as before;
* `MessageProcessor._run_action`, after such a failure, runs the response
  `utter_technical_trouble` and `action_listen`, so the turn ends there with
  one clear message.

Nothing is lost: the person's message is already in the tracker and is saved
with the turn; the next message, once the action server is back, is handled
as usual (an active form validates it, an intent triggers its action again).
A rejection (400), an unknown action (404) or a refused token (401) are not
the server being away and keep Rasa's behaviour.

Our `action_session_start` is a custom action too. When it cannot be reached,
Rasa's own session start runs in its place, so the session begins as Rasa
expects and the turn goes on; the action that answers the message then fails
and the person gets the reply above. That session starts without the warning
signs remembered from earlier ones, as when the action finds the database down:
the screening still comes before any exercise.
"""

from __future__ import annotations

import asyncio
import logging
from contextvars import ContextVar
from typing import Any, List, Optional

import aiohttp
from rasa.core.actions.action import Action, ActionSessionStart, RemoteAction, action_for_name_or_text
from rasa.core.policies.policy import PolicyPrediction
from rasa.core.processor import MessageProcessor
from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.utils.endpoints import ClientResponseError

logger = logging.getLogger(__name__)

TROUBLE_RESPONSE = "utter_technical_trouble"

# The actions whose call found the action server away, during the `_run_action` running now.
_unreachable: ContextVar[Optional[List[str]]] = ContextVar("backcare_action_server_unreachable", default=None)

_stock_remote_run = RemoteAction.run
_stock_run_action = MessageProcessor._run_action


def action_server_unreachable(error: BaseException) -> bool:
    """True when `error` (or what caused it) means the action server cannot be reached or answered 5xx."""
    seen = set()
    current: Optional[BaseException] = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, (ClientResponseError, aiohttp.ClientResponseError)):
            return current.status >= 500
        if isinstance(current, (aiohttp.ClientConnectionError, asyncio.TimeoutError, TimeoutError)):
            return True
        current = current.__cause__ or current.__context__
    return False


async def remote_run(self: RemoteAction, *args: Any, **kwargs: Any) -> Any:
    """Drop-in for `RemoteAction.run`: notes an unreachable action server, re-raises every error."""
    try:
        return await _stock_remote_run(self, *args, **kwargs)
    except Exception as error:
        unreachable = _unreachable.get()
        if unreachable is not None and action_server_unreachable(error):
            unreachable.append(self.name())
        raise


async def run_action(
    self: MessageProcessor,
    action: Action,
    tracker: Any,
    output_channel: Any,
    nlg: Any,
    prediction: PolicyPrediction,
) -> bool:
    """Drop-in for `MessageProcessor._run_action`: after an unreachable action server, reply and listen."""
    unreachable: List[str] = []
    token = _unreachable.set(unreachable)
    try:
        predict_another = await _stock_run_action(self, action, tracker, output_channel, nlg, prediction)
    finally:
        _unreachable.reset(token)
    if not unreachable:
        return predict_another
    if action.name() == ACTION_SESSION_START_NAME:
        logger.warning("The action server could not be reached: Rasa's own session start runs instead.")
        return await _stock_run_action(self, ActionSessionStart(), tracker, output_channel, nlg, prediction)
    logger.warning(
        "The action server could not be reached for %s: the person is asked to try again.", action.name()
    )
    follow = [TROUBLE_RESPONSE] if TROUBLE_RESPONSE in self.domain.responses else []
    for name in [*follow, ACTION_LISTEN_NAME]:
        await _stock_run_action(
            self,
            action_for_name_or_text(name, self.domain, self.action_endpoint),
            tracker,
            output_channel,
            nlg,
            PolicyPrediction.for_action_name(self.domain, name),
        )
    return False


def install() -> None:
    """Puts both wraps in place (idempotent)."""
    RemoteAction.run = remote_run  # type: ignore[method-assign]
    MessageProcessor._run_action = run_action  # type: ignore[method-assign]
