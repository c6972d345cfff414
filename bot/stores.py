"""Where Rasa keeps conversations (tracker store) and its conversation locks.

Both are Rasa's own stores, configured in `endpoints.yml` from variables that
`server_environment` fills from two URLs:

- `BACKCARE_TRACKER_STORE_URL`: any SQLAlchemy URL for Rasa's SQLTrackerStore
  (`bot.tracker_store`: pooled, write-ahead-logged on SQLite); default a
  SQLite file in `var/`, so conversations survive a restart.
- `BACKCARE_LOCK_STORE_URL`: `redis://host:port/db` for Rasa's RedisLockStore
  (made atomic in `bot.lock_store`), needed as soon as more than one Rasa
  process serves the same conversations; unset means Rasa's in-memory lock
  store (one process only).
"""

from __future__ import annotations

import os
from typing import Dict, Mapping
from urllib.parse import urlsplit

from bot.paths import RUNTIME_DIR

DEFAULT_TRACKER_STORE_PATH = RUNTIME_DIR / "conversations.db"


class StoreConfigError(ValueError):
    pass


def tracker_store_url(environ: Mapping[str, str] = os.environ) -> str:
    return environ.get("BACKCARE_TRACKER_STORE_URL") or f"sqlite:///{DEFAULT_TRACKER_STORE_PATH}"


def lock_store_variables(environ: Mapping[str, str] = os.environ) -> Dict[str, str]:
    """The `BACKCARE_LOCK_STORE_*` variables endpoints.yml reads."""
    url = environ.get("BACKCARE_LOCK_STORE_URL", "").strip()
    if not url:
        return {
            "BACKCARE_LOCK_STORE_TYPE": "in_memory",
            "BACKCARE_LOCK_STORE_HOST": "",
            "BACKCARE_LOCK_STORE_PORT": "6379",
            "BACKCARE_LOCK_STORE_DB": "0",
        }
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss") or not parts.hostname:
        raise StoreConfigError(f"BACKCARE_LOCK_STORE_URL must look like redis://host:6379/0, not {url!r}")
    return {
        "BACKCARE_LOCK_STORE_TYPE": "bot.lock_store.AtomicRedisLockStore",
        "BACKCARE_LOCK_STORE_HOST": parts.hostname,
        "BACKCARE_LOCK_STORE_PORT": str(parts.port or 6379),
        "BACKCARE_LOCK_STORE_DB": (parts.path or "/0").lstrip("/") or "0",
    }


def store_environment(environ: Mapping[str, str] = os.environ) -> Dict[str, str]:
    url = tracker_store_url(environ)
    if url.startswith("sqlite:///"):
        RUNTIME_DIR.mkdir(parents=True, exist_ok=True)
    return {"BACKCARE_TRACKER_STORE_URL": url, **lock_store_variables(environ)}
