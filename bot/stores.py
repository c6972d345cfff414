"""Where Rasa keeps conversations (tracker store) and its conversation locks.

Both are Rasa's own stores, configured in `endpoints.yml` from variables that
`server_environment` fills from two URLs:

- `BACKCARE_TRACKER_STORE_URL`: any SQLAlchemy URL for Rasa's SQLTrackerStore
  (`bot.rasa_overrides.tracker_store`: pooled, write-ahead-logged on SQLite); default a
  SQLite file in `var/`, so conversations survive a restart.
- `BACKCARE_LOCK_STORE_URL`: a Redis URL (`redis://[[user]:password@]host:port/db`,
  `rediss://` for TLS) for Rasa's RedisLockStore (made atomic in
  `bot.rasa_overrides.lock_store`), needed as soon as more than one Rasa process
  serves the same conversations; unset means Rasa's in-memory lock store (one
  process only).
"""

from __future__ import annotations

from typing import Dict, Optional

from bot.paths import RUNTIME_DIR
from bot.settings import Settings, current_settings


def tracker_store_url(settings: Optional[Settings] = None) -> str:
    return (settings or current_settings()).tracker_store_url


def lock_store_variables(settings: Settings) -> Dict[str, str]:
    """The `BACKCARE_LOCK_STORE_*` variables endpoints.yml reads."""
    url = settings.lock_store_url  # checked by Settings: redis:// or rediss:// with a host
    if not url:
        return {
            "BACKCARE_LOCK_STORE_TYPE": "bot.rasa_overrides.lock_store.TimedInMemoryLockStore",
            "BACKCARE_LOCK_STORE_URL": "",
        }
    # The whole URL: Rasa's endpoint keys (host, port, db) have no room for a password or TLS.
    return {
        "BACKCARE_LOCK_STORE_TYPE": "bot.rasa_overrides.lock_store.AtomicRedisLockStore",
        "BACKCARE_LOCK_STORE_URL": url,
    }


def store_environment(settings: Settings) -> Dict[str, str]:
    url = settings.tracker_store_url
    if url.startswith(f"sqlite:///{RUNTIME_DIR}"):
        RUNTIME_DIR.mkdir(parents=True, exist_ok=True)
    return {"BACKCARE_TRACKER_STORE_URL": url, **lock_store_variables(settings)}
