"""The tracker store from endpoints.yml: pooled WAL SQLite, PostgreSQL untouched."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from rasa.core.tracker_store import FailSafeTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.utils.endpoints import read_endpoint_config
from sqlalchemy import exc as sa_exc

from bot import paths
from bot.rasa_overrides import tracker_store as tracker_store_module
from bot.rasa_overrides.tracker_store import BackCareSQLTrackerStore, TrackerStoreUnavailable
from bot.servers import ServerSettings, server_environment
from support.services import postgres_database

DOMAIN = Domain.load(str(paths.DOMAIN_FILE))


def store_from_endpoints(monkeypatch: pytest.MonkeyPatch, url: str) -> TrackerStore:
    """The store exactly as `rasa run --endpoints endpoints.yml` creates it."""
    # Rasa reads endpoints.yml's ${VARIABLES} from this process's environment.
    environment = server_environment(ServerSettings(api_token="t"), {"BACKCARE_TRACKER_STORE_URL": url})
    for name, value in environment.items():
        if name.startswith("BACKCARE_"):
            monkeypatch.setenv(name, value)
    return TrackerStore.create(read_endpoint_config(str(paths.ENDPOINTS_FILE), "tracker_store"), DOMAIN)


async def one_turn(store: TrackerStore, sender: str, text: str) -> None:
    tracker = await store.get_or_create_tracker(sender)
    tracker.update(UserUttered(text, {"name": "report_pain", "confidence": 0.9}))
    tracker.update(SlotSet("pain_level", 6.0))
    tracker.update(ActionExecuted("action_listen"))
    await store.save(tracker)


def test_sqlite_store_keeps_connections_and_writes_ahead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = tmp_path / "conversations.db"
    store = store_from_endpoints(monkeypatch, f"sqlite:///{database}")
    assert isinstance(store, BackCareSQLTrackerStore)
    asyncio.run(one_turn(store, "anna", "my back hurts"))
    assert sqlite3.connect(database).execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert store.engine.pool.checkedin() >= 1  # the connection stayed open for the next turn

    # A second process (another store on the same file) sees every event.
    again = store_from_endpoints(monkeypatch, f"sqlite:///{database}")
    tracker = asyncio.run(again.retrieve("anna"))
    assert tracker.get_slot("pain_level") == 6.0
    assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == ["my back hurts"]


def test_sqlite_store_serves_threads_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = store_from_endpoints(monkeypatch, f"sqlite:///{tmp_path / 'conversations.db'}")
    failures = []

    def talk(sender: str) -> None:
        try:
            for turn in range(5):
                asyncio.run(one_turn(store, sender, f"turn {turn}"))
        except Exception as error:  # reported below
            failures.append(error)

    threads = [threading.Thread(target=talk, args=(f"user-{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    for n in range(4):
        tracker = asyncio.run(store.retrieve(f"user-{n}"))
        assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == [
            f"turn {t}" for t in range(5)
        ]


@pytest.mark.services
def test_postgres_store_is_rasas_own_with_connections_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    with postgres_database() as url:
        store = store_from_endpoints(monkeypatch, url)
        assert store.engine.dialect.name == "postgresql"
        assert store.engine.pool.__class__.__name__ == "QueuePool"
        assert store.engine.pool._pre_ping  # a connection a restarted server closed is replaced
        asyncio.run(one_turn(store, "ben", "sore back"))
        tracker = asyncio.run(store.retrieve("ben"))
        assert tracker.get_slot("pain_level") == 6.0
        store.engine.dispose()


def connection_lost() -> sa_exc.OperationalError:
    return sa_exc.OperationalError("SELECT", {}, Exception("server closed the connection unexpectedly"))


def test_a_read_and_a_save_that_lose_their_connection_are_tried_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = store_from_endpoints(monkeypatch, f"sqlite:///{tmp_path / 'conversations.db'}")
    asyncio.run(one_turn(store, "restarting", "my back hurts"))
    monkeypatch.setattr(tracker_store_module, "RETRY_WAITS", (0.01,) * 5)
    # A turn opens one database session to read and one to save: the connection is lost
    # for the first two tries of the read and the first try of the save.
    failing = {1, 2, 4}
    opened = {"sessions": 0}
    sessions = store.sessionmaker

    def flaky_sessions() -> Any:
        opened["sessions"] += 1
        if opened["sessions"] in failing:
            raise connection_lost()
        return sessions()

    monkeypatch.setattr(store, "sessionmaker", flaky_sessions)
    asyncio.run(one_turn(store, "restarting", "still sore"))
    assert opened["sessions"] == 5
    tracker = asyncio.run(store.retrieve("restarting"))
    assert tracker is not None
    assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == ["my back hurts", "still sore"]


def test_a_store_that_stays_down_fails_the_turn_instead_of_forgetting_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = store_from_endpoints(monkeypatch, f"sqlite:///{tmp_path / 'conversations.db'}")
    asyncio.run(one_turn(store, "down", "my back hurts"))
    tracker = asyncio.run(store.retrieve("down"))
    assert tracker is not None
    tracker.update(UserUttered("is it the disc?", {"name": "faq", "confidence": 0.9}))  # a turn to save
    monkeypatch.setattr(tracker_store_module, "RETRY_WAITS", (0.01,))

    def broken() -> Any:
        raise connection_lost()

    monkeypatch.setattr(store, "sessionmaker", broken)
    # Stock Rasa: a failed read is an empty conversation, a failed save is kept in memory only.
    stock = FailSafeTrackerStore(store)
    assert asyncio.run(stock.retrieve("down")) is None
    asyncio.run(stock.save(tracker))
    # With the override installed (as bot.rasa_cli does), the turn fails instead.
    for name in ("on_tracker_store_error", "on_tracker_store_retrieve_error"):
        monkeypatch.setattr(FailSafeTrackerStore, name, getattr(FailSafeTrackerStore, name))
    tracker_store_module.install()
    with pytest.raises(TrackerStoreUnavailable):
        asyncio.run(stock.retrieve("down"))
    with pytest.raises(TrackerStoreUnavailable):
        asyncio.run(stock.save(tracker))
