"""Handled Telegram updates shared through Redis, as two replicas share them."""

from __future__ import annotations

import random

import pytest

from bot.channels.telegram_updates_seen import RedisLedger, ledger_for
from bot.redis_client import redis_from_url
from support.services import redis_url

pytestmark = pytest.mark.services  # the Redis server on this machine


def test_two_replicas_claim_an_update_once_and_another_bot_separately() -> None:
    url = redis_url()
    replica_a, replica_b = ledger_for(url, "111:token"), ledger_for(url, "111:token")
    other_bot = ledger_for(url, "222:token")
    update_id = random.randrange(10**9)
    assert isinstance(replica_a, RedisLedger)
    assert replica_a.claim(update_id) and not replica_b.claim(update_id)
    assert other_bot.claim(update_id)  # update ids are counted per bot
    replica_a.release(update_id)  # the turn failed: Telegram's retry must be handled
    assert replica_b.claim(update_id)
    ttl = redis_from_url(url).ttl(f"backcare:telegram-update:111:{update_id}")
    assert 0 < ttl <= 24 * 3600


def test_an_unreachable_redis_handles_the_update_rather_than_lose_it() -> None:
    ledger = ledger_for("redis://127.0.0.1:1/0?socket_connect_timeout=0.5", "111:token")
    assert ledger.claim(42) and ledger.claim(42)
    ledger.release(42)  # no exception either
