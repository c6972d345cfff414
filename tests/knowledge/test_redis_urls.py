"""Redis URLs as people write them: a password, a user name, a db, TLS.

Each store is created exactly as `rasa run --endpoints endpoints.yml` creates it,
against a private `redis-server` started for the test (support/redis_server.py).
"""

from __future__ import annotations

import uuid
from typing import Iterator

import pytest
import redis
from rasa.core.lock_store import LockError, LockStore
from rasa.utils.endpoints import read_endpoint_config

from bot import paths
from bot.rasa_overrides.lock_store import AtomicRedisLockStore
from bot.redis_client import describe
from bot.servers import ServerSettings, server_environment
from support.redis_server import private_redis

pytestmark = pytest.mark.services  # redis-server from this machine's packages


def lock_store_from_endpoints(monkeypatch: pytest.MonkeyPatch, url: str) -> LockStore:
    environment = server_environment(ServerSettings(api_token="t"), {"BACKCARE_LOCK_STORE_URL": url})
    for name, value in environment.items():
        if name.startswith("BACKCARE_"):
            monkeypatch.setenv(name, value)
    return LockStore.create(read_endpoint_config(str(paths.ENDPOINTS_FILE), "lock_store"))


def held_locks(url: str) -> Iterator[bytes]:
    return redis.Redis.from_url(url).scan_iter("lock:*")


def test_a_password_and_a_db_number_are_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    with private_redis("pa55-word") as base:
        url = base.replace("/0", "/3")
        store = lock_store_from_endpoints(monkeypatch, url)
        assert isinstance(store, AtomicRedisLockStore)
        conversation = f"url-{uuid.uuid4().hex[:8]}"
        ticket = store.issue_ticket(conversation)
        assert list(held_locks(url)) == [f"lock:{conversation}".encode()]  # in db 3
        assert list(held_locks(base)) == []  # not in db 0
        store.cleanup(conversation, ticket)
        assert list(held_locks(url)) == []


def test_a_user_name_with_its_own_password_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    with private_redis("admin-only", user="backcare", user_password="user-pass") as base:
        url = base.replace(":admin-only@", "backcare:user-pass@")
        store = lock_store_from_endpoints(monkeypatch, url)
        assert store.issue_ticket("named-user") == 0
        assert list(held_locks(url)) == [b"lock:named-user"]


def test_tls_with_rediss_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    with private_redis("tls-pass", tls=True) as url:
        assert url.startswith("rediss://")
        store = lock_store_from_endpoints(monkeypatch, url)
        assert store.issue_ticket("over-tls") == 0
        assert list(held_locks(url)) == [b"lock:over-tls"]
        # The same server without TLS is not reachable: the URL's scheme really chose TLS.
        plain = url.replace("rediss://", "redis://").split("?")[0]
        with pytest.raises(redis.RedisError):
            redis.Redis.from_url(plain, socket_timeout=2).ping()


def test_a_wrong_password_is_a_clear_lock_error_that_hides_the_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with private_redis("right-one") as url:
        store = lock_store_from_endpoints(monkeypatch, url.replace("right-one", "wrong-one"))
        with pytest.raises(LockError) as refused:
            store.issue_ticket("refused")
        assert (
            "invalid username-password" in str(refused.value).lower() or "auth" in str(refused.value).lower()
        )
        assert describe(url) == url.replace("right-one", "***")
