"""Retrying Bot API calls, and what counts as worth retrying."""

from __future__ import annotations

import asyncio
from typing import Any, List

import pytest
from aiogram.utils.exceptions import BotBlocked, NetworkError, RetryAfter, TelegramAPIError

from bot.channels.telegram_delivery import (
    DEFAULT_POLICY,
    CollectedReplies,
    DeliveryFailed,
    RetryPolicy,
    call_with_retry,
    deliver,
)
from bot.channels.telegram_updates_seen import MemoryLedger


class FlakyCall:
    """Raises the given errors in turn, then returns "sent"."""

    def __init__(self, *errors: BaseException) -> None:
        self.errors = list(errors)
        self.calls = 0

    async def __call__(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "sent"


def run(call: FlakyCall, policy: RetryPolicy = DEFAULT_POLICY) -> tuple[Any, List[float]]:
    waits: List[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    return asyncio.run(call_with_retry("sendMessage", call, policy, sleep)), waits


def test_retry_after_is_honoured() -> None:
    call = FlakyCall(RetryAfter(3))
    assert run(call) == ("sent", [3.0])
    assert call.calls == 2


def test_network_errors_and_5xx_back_off_exponentially() -> None:
    call = FlakyCall(NetworkError("reset"), TelegramAPIError("Internal Server Error"), asyncio.TimeoutError())
    assert run(call) == ("sent", [0.5, 1.0, 2.0])


def test_gives_up_after_the_last_attempt() -> None:
    call = FlakyCall(*[NetworkError("down")] * 10)
    with pytest.raises(DeliveryFailed) as failed:
        run(call, RetryPolicy(attempts=3))
    assert call.calls == 3 and failed.value.attempts == 3
    assert "NetworkError" in str(failed.value)


def test_a_wait_longer_than_the_policy_allows_is_not_waited_for() -> None:
    call = FlakyCall(RetryAfter(3600))
    with pytest.raises(DeliveryFailed):
        run(call)
    assert call.calls == 1


def test_errors_that_will_not_change_are_not_retried() -> None:
    call = FlakyCall(BotBlocked("Forbidden: bot was blocked by the user"))
    with pytest.raises(DeliveryFailed):
        run(call)
    assert call.calls == 1


class Recipient:
    def __init__(self, fail_at: int) -> None:
        self.fail_at, self.sent = fail_at, []  # type: ignore[var-annotated]

    async def send_response(self, recipient_id: str, message: dict) -> None:
        if len(self.sent) == self.fail_at:
            raise DeliveryFailed("sendMessage", 4, NetworkError("down"))
        self.sent.append(message["text"])


def test_collected_replies_go_out_in_order_and_stop_at_the_first_failure() -> None:
    replies = CollectedReplies()
    for text in ("one", "two", "three"):
        asyncio.run(replies.send_text_message("telegram:1", text))
    assert CollectedReplies.name() == "telegram"  # `channel: telegram` responses still apply
    everything = Recipient(fail_at=99)
    assert asyncio.run(deliver(replies, everything)) is True and everything.sent == ["one", "two", "three"]
    broken = Recipient(fail_at=1)
    assert asyncio.run(deliver(replies, broken)) is False and broken.sent == [
        "one"
    ]  # "three" not before "two"


def test_memory_ledger_claims_once_until_released_or_expired() -> None:
    ledger = MemoryLedger(limit=3, claim_seconds=3600)
    assert ledger.claim(1) and not ledger.claim(1)
    ledger.release(1)
    assert ledger.claim(1)
    for update_id in (2, 3, 4):
        assert ledger.claim(update_id)
    assert ledger.claim(1)  # the oldest was forgotten at the limit
    expired = MemoryLedger(claim_seconds=-1)
    assert expired.claim(7) and expired.claim(7)
