"""Rasa's Redis lock store with atomic ticket handling.

Rasa's `RedisLockStore` reads the whole ticket lock, changes it in Python and
writes it back. Two Rasa replicas handling the same conversation at once can
both read the same lock, issue the same ticket number, and process their
messages in parallel: events get lost. Here every read-modify-write runs in a
Redis optimistic transaction (WATCH / MULTI / EXEC, retried on conflict), so
replicas are serialised exactly as one process would be.

Rasa's own constructor takes host, port and db apart and drops the rest of a
URL; here the store connects with the whole `BACKCARE_LOCK_STORE_URL`
(`bot.redis_client`): password, user name, db and `rediss://` (TLS) included.

Both lock stores BackCare uses (this one and the in-memory one of a single
process) report how long a turn waited for its conversation's lock.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any, Callable, Optional, Text, Tuple

import redis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import (
    DEFAULT_REDIS_LOCK_STORE_KEY_PREFIX,
    LOCK_LIFETIME,
    InMemoryLockStore,
    LockError,
    LockStore,
    RedisLockStore,
)
from rasa.utils.endpoints import EndpointConfig

from bot.observability.metrics import observe_lock_wait
from bot.redis_client import describe, redis_from_url

logger = logging.getLogger(__name__)

Change = Callable[[Optional[TicketLock]], Tuple[Optional[TicketLock], Any]]


class TimedLockWaits(LockStore):
    """Rasa's wait for a conversation's lock, timed, and ended when the waiter's ticket is gone.

    Rasa waits while someone else's ticket is served. If the ticket holder died
    (a replica killed mid-turn), its ticket blocks the conversation until it
    expires, and meanwhile the waiter's own ticket may expire too: Rasa would
    then wait for ever, and a later ticket with the same number could run beside
    it. Here a waiter whose ticket is gone gets a `LockError` instead.
    """

    async def _acquire_lock(
        self, conversation_id: Text, ticket: int, wait_time_in_seconds: float
    ) -> TicketLock:
        started = time.perf_counter()
        try:
            while True:
                lock = self.get_lock(conversation_id)
                if not lock or ticket not in {held.number for held in lock.tickets}:
                    raise LockError(f"The lock ticket for a conversation expired while waiting ({ticket}).")
                if not lock.is_locked(ticket):
                    return lock
                await asyncio.sleep(wait_time_in_seconds)
                self.update_lock(conversation_id)
        finally:
            observe_lock_wait(time.perf_counter() - started)


class TimedInMemoryLockStore(TimedLockWaits, InMemoryLockStore):
    """Rasa's lock store for a single process, with its waits measured."""

    def __init__(self, endpoint_config: Optional[EndpointConfig] = None) -> None:
        InMemoryLockStore.__init__(self)


class AtomicRedisLockStore(TimedLockWaits, RedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig) -> None:
        # endpoints.yml: `url` is the whole Redis URL; a bare host name still works.
        url = endpoint_config.url or "localhost"
        if "://" not in url:
            url = f"redis://{url}"
        self.red = redis_from_url(url)
        logger.info("Conversation locks in Redis at %s.", describe(url))
        prefix = endpoint_config.kwargs.get("key_prefix")
        self.key_prefix = DEFAULT_REDIS_LOCK_STORE_KEY_PREFIX
        if prefix:
            self._set_key_prefix(prefix)
        LockStore.__init__(self)  # Rasa's constructor would connect again without the URL's options

    def _atomically(self, conversation_id: Text, change: Change) -> Any:
        """Applies `change` to the stored lock; None as the new lock deletes it."""
        key = self.key_prefix + conversation_id
        while True:
            with self.red.pipeline() as pipe:
                try:
                    pipe.watch(key)
                    raw = pipe.get(key)
                    current = TicketLock.from_dict(json.loads(raw)) if raw else None
                    updated, result = change(current)
                    pipe.multi()
                    if updated is None:
                        pipe.delete(key)
                    else:
                        pipe.set(key, updated.dumps())
                    pipe.execute()
                    return result
                except redis.WatchError:
                    continue  # someone else changed the lock meanwhile: retry

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def change(lock: Optional[TicketLock]) -> Tuple[TicketLock, int]:
            lock = lock or TicketLock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._atomically(conversation_id, change)
        except redis.RedisError as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: Text) -> None:
        def change(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock, None

        self._atomically(conversation_id, change)

    def finish_serving(self, conversation_id: Text, ticket_number: int) -> None:
        def change(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
            return lock, None

        self._atomically(conversation_id, change)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        """Removes the ticket, and the lock itself once nobody waits, in one step."""

        def change(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else None), None

        self._atomically(conversation_id, change)
