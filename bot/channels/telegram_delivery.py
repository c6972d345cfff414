"""Replies to Telegram are sent after the turn, and retried.

Rasa saves a conversation only when its turn has finished. A Bot API error
raised while the turn is still running (a 429 "retry after", a network blip, a
restarting Telegram) would throw the whole turn away: the person's message and
the bot's answer would both be lost. So the channel lets Rasa answer into a
`CollectedReplies` first; once Rasa has saved the turn, `deliver` sends the
replies, each Bot API call retried within `RetryPolicy`'s bounds. A call that
still fails is logged (method and error class, never the text or the chat) and
counted; the replies after it are not sent, so nothing arrives out of order.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, List, Optional, Protocol, Text, Tuple, TypeVar

from aiogram.utils.exceptions import NetworkError, RestartingTelegram, RetryAfter, TelegramAPIError
from rasa.core.channels.channel import OutputChannel

from bot.observability.metrics import record_telegram_delivery

logger = logging.getLogger(__name__)

Result = TypeVar("Result")
Sleep = Callable[[float], Awaitable[Any]]


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4  # the first call and three retries
    first_backoff: float = 0.5  # after a network error or a 5xx: 0.5 s, 1 s, 2 s
    longest_retry_after: float = 30.0  # Telegram asking for a longer wait: give up instead


DEFAULT_POLICY = RetryPolicy()


class DeliveryFailed(Exception):
    """A Bot API call that failed for good."""

    def __init__(self, method: str, attempts: int, cause: BaseException) -> None:
        super().__init__(f"{method} failed after {attempts} attempt(s): {cause.__class__.__name__}")
        self.method = method
        self.attempts = attempts
        self.cause = cause


def _wait_before_retry(error: BaseException, attempt: int, policy: RetryPolicy) -> Optional[float]:
    """Seconds to wait before trying again, or None when another try cannot help."""
    if isinstance(error, RetryAfter):
        return float(error.timeout) if error.timeout <= policy.longest_retry_after else None
    # A plain TelegramAPIError is a 5xx or a status aiogram does not know; its
    # subclasses (bad request, blocked by the user, chat not found) will not change.
    transient = isinstance(error, (NetworkError, RestartingTelegram, asyncio.TimeoutError)) or (
        type(error) is TelegramAPIError
    )
    return policy.first_backoff * 2 ** (attempt - 1) if transient else None


async def call_with_retry(
    method: str,
    call: Callable[[], Awaitable[Result]],
    policy: RetryPolicy = DEFAULT_POLICY,
    sleep: Sleep = asyncio.sleep,
) -> Result:
    """Runs `call` (one Bot API request) until it succeeds or the policy says stop."""
    for attempt in range(1, policy.attempts + 1):
        try:
            result = await call()
        except (TelegramAPIError, asyncio.TimeoutError) as error:
            wait = _wait_before_retry(error, attempt, policy)
            if wait is None or attempt == policy.attempts:
                record_telegram_delivery("failed")
                raise DeliveryFailed(method, attempt, error) from error
            record_telegram_delivery("retried")
            await sleep(wait)
        else:
            record_telegram_delivery("sent")
            return result
    raise AssertionError("unreachable: the loop returns or raises")  # pragma: no cover


class ReplySender(Protocol):
    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None: ...


class CollectedReplies(OutputChannel):
    """What Rasa says during a turn, kept to be sent once the turn is saved.

    Named like the Telegram channel, so responses with a `channel: telegram`
    variation and actions that ask for the output channel see Telegram.
    """

    @classmethod
    def name(cls) -> Text:
        return "telegram"

    def __init__(self) -> None:
        self.replies: List[Tuple[Text, Dict[Text, Any]]] = []

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        self.replies.append((recipient_id, dict(message)))

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        self.replies.append((recipient_id, {"text": text}))


async def deliver(replies: CollectedReplies, sender: ReplySender) -> bool:
    """Sends the collected replies in order; False if one could not be delivered."""
    for index, (recipient_id, message) in enumerate(replies.replies):
        try:
            await sender.send_response(recipient_id, message)
        except DeliveryFailed as failure:
            logger.error(
                "Telegram delivery gave up: %s after %d attempt(s) (%s); %d of %d replies not sent.",
                failure.method,
                failure.attempts,
                failure.cause.__class__.__name__,
                len(replies.replies) - index,
                len(replies.replies),
            )
            return False
    return True
