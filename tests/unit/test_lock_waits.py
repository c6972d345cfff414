"""Waiting for a conversation's lock: timed, and never for ever."""

from __future__ import annotations

import asyncio

import pytest
from prometheus_client import REGISTRY
from rasa.core.lock import TicketLock
from rasa.core.lock_store import InMemoryLockStore, LockError

from bot.rasa_overrides.lock_store import TimedInMemoryLockStore


def waits_observed() -> float:
    return REGISTRY.get_sample_value("backcare_lock_wait_seconds_count") or 0.0


def test_a_waiter_whose_ticket_expired_behind_a_dead_holder_gets_a_lock_error() -> None:
    store = TimedInMemoryLockStore()
    store.issue_ticket("dead-holder", lock_lifetime=60)  # a replica killed while holding the lock
    waiter = store.issue_ticket("dead-holder", lock_lifetime=0.3)
    before = waits_observed()
    with pytest.raises(LockError):
        asyncio.run(asyncio.wait_for(store._acquire_lock("dead-holder", waiter, 0.05), timeout=5))
    assert waits_observed() == before + 1


def test_stock_rasa_would_wait_for_ever_in_the_same_place() -> None:
    store = InMemoryLockStore()
    store.issue_ticket("dead-holder", lock_lifetime=60)
    waiter = store.issue_ticket("dead-holder", lock_lifetime=0.3)
    with pytest.raises(asyncio.TimeoutError):
        asyncio.run(asyncio.wait_for(store._acquire_lock("dead-holder", waiter, 0.05), timeout=1))


def test_a_waiter_gets_the_lock_when_the_holder_finishes() -> None:
    store = TimedInMemoryLockStore()
    holder, waiter = store.issue_ticket("busy"), store.issue_ticket("busy")

    async def wait_behind_the_holder() -> TicketLock:
        async def finish() -> None:
            await asyncio.sleep(0.2)
            store.cleanup("busy", holder)

        finishing = asyncio.create_task(finish())
        lock = await store._acquire_lock("busy", waiter, 0.05)
        await finishing
        return lock

    assert asyncio.run(wait_behind_the_holder()).now_serving == waiter
