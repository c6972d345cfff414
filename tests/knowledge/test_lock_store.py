"""The atomic Redis lock store against the Redis server on this machine."""

from __future__ import annotations

import threading
import uuid

import pytest
import redis as redis_client
from rasa.utils.endpoints import EndpointConfig

from bot.rasa_overrides.lock_store import AtomicRedisLockStore
from support.services import redis_url

pytestmark = pytest.mark.services  # the Redis server on this machine


def store() -> AtomicRedisLockStore:
    url = redis_client.connection.parse_url(redis_url())
    return AtomicRedisLockStore(
        EndpointConfig(url=url.get("host"), port=url.get("port"), db=url.get("db", 0))
    )


def test_concurrent_tickets_are_unique_and_the_lock_is_removed_at_the_end() -> None:
    stores = [store(), store()]  # two replicas
    conversation = f"lock-{uuid.uuid4().hex[:8]}"
    tickets, threads = [], []

    def take(index: int) -> None:
        tickets.append(stores[index % 2].issue_ticket(conversation))

    for index in range(40):
        threads.append(threading.Thread(target=take, args=(index,)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(tickets) == list(range(40))
    for ticket in tickets:
        stores[ticket % 2].cleanup(conversation, ticket)
    assert stores[0].get_lock(conversation) is None
