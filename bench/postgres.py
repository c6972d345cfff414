"""A fresh database on this machine's PostgreSQL server, for a phase that needs one."""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from typing import Iterator

import psycopg2

# The server the services tests use (support/services.py); trust authentication.
ADMIN_URL = os.environ.get("BACKCARE_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


@contextmanager
def fresh_database() -> Iterator[str]:
    """The URL of a new, empty database; dropped afterwards. Raises if the server is unreachable."""
    name = f"backcare_bench_{uuid.uuid4().hex[:10]}"
    admin = psycopg2.connect(ADMIN_URL, connect_timeout=3)
    admin.autocommit = True
    try:
        admin.cursor().execute(f'CREATE DATABASE "{name}"')
        try:
            yield ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
        finally:
            admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.close()
