"""PostgreSQL and Redis on this machine, for the tests of the production stores.

Where a service is unreachable the test says so and is skipped; with `CI=true`
it fails instead, so a CI machine without the service cannot pass silently.
"""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from typing import Callable, Iterator

import psycopg2
import pytest
import redis

POSTGRES_ADMIN_URL = os.environ.get(
    "BACKCARE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("BACKCARE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def require_service(name: str, check: Callable[[], object]) -> None:
    """Fails in CI, skips loudly elsewhere, when a service is unreachable."""
    try:
        check()
    except Exception as error:  # any connection problem
        message = f"{name} is not reachable ({error.__class__.__name__}: {error})"
        print(f"\n*** {message} ***")
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message + "; CI needs it")
        pytest.skip(message)


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database; dropped afterwards."""
    require_service("PostgreSQL", lambda: psycopg2.connect(POSTGRES_ADMIN_URL, connect_timeout=3).close())
    name = f"backcare_test_{uuid.uuid4().hex[:10]}"
    admin = psycopg2.connect(POSTGRES_ADMIN_URL)
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    try:
        yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def redis_url() -> str:
    """The URL of the Redis server the tests share."""
    require_service("Redis", lambda: redis.Redis.from_url(REDIS_URL, socket_timeout=3).ping())
    return REDIS_URL
