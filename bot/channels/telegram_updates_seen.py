"""Each Telegram update handled once, however often Telegram sends it.

Telegram sends an update again when its webhook call timed out or failed, with
the same `update_id`. The channel claims an update before handling it; a claim
that is already taken means "answered (or being answered) elsewhere". With a
Redis lock store configured (several replicas) the claims live in that Redis,
shared by every replica; a single process keeps them in memory. Claims expire
after a day: Telegram stops retrying long before that.

If Redis cannot be reached the update is handled anyway: a reply given twice is
better than a message lost.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from typing import Protocol

import redis

from bot.redis_client import redis_from_url

logger = logging.getLogger(__name__)

CLAIM_SECONDS = 24 * 3600
MEMORY_LIMIT = 100_000  # updates remembered by one process


class UpdateLedger(Protocol):
    def claim(self, update_id: int) -> bool:
        """True if this update is new and now ours to handle."""

    def release(self, update_id: int) -> None:
        """Gives up a claim, so Telegram's next try of the update is handled."""


class MemoryLedger:
    def __init__(self, limit: int = MEMORY_LIMIT, claim_seconds: float = CLAIM_SECONDS) -> None:
        self._claimed: OrderedDict[int, float] = OrderedDict()
        self._limit = limit
        self._claim_seconds = claim_seconds

    def claim(self, update_id: int) -> bool:
        now = time.monotonic()
        while self._claimed and next(iter(self._claimed.values())) < now - self._claim_seconds:
            self._claimed.popitem(last=False)
        if update_id in self._claimed:
            return False
        self._claimed[update_id] = now
        if len(self._claimed) > self._limit:
            self._claimed.popitem(last=False)
        return True

    def release(self, update_id: int) -> None:
        self._claimed.pop(update_id, None)


class RedisLedger:
    def __init__(self, client: redis.Redis, bot_id: str) -> None:
        self._client = client
        self._prefix = f"backcare:telegram-update:{bot_id}:"  # update ids are counted per bot

    def claim(self, update_id: int) -> bool:
        try:
            return bool(self._client.set(self._prefix + str(update_id), b"1", nx=True, ex=CLAIM_SECONDS))
        except redis.RedisError as error:
            logger.warning(
                "Could not record a Telegram update as seen (%s); handling it.", type(error).__name__
            )
            return True

    def release(self, update_id: int) -> None:
        try:
            self._client.delete(self._prefix + str(update_id))
        except redis.RedisError as error:
            logger.warning("Could not release a Telegram update (%s).", type(error).__name__)


def ledger_for(redis_url: str, bot_token: str) -> UpdateLedger:
    """Shared through Redis when the replicas share a Redis lock store, else this process's memory."""
    if not redis_url:
        return MemoryLedger()
    return RedisLedger(redis_from_url(redis_url), bot_id=bot_token.split(":", 1)[0])
