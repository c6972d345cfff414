"""`backcare reminders` against a stand-in of Rasa's HTTP API on 127.0.0.1 and a real SQLite database.

The stand-in records every `trigger_intent` call and answers with the status a
test gives it, so delivery, retries and refusals are seen as Rasa would see them.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import pytest
from aiohttp import web
from sqlalchemy import update
from sqlalchemy.engine import Engine

from bot import clock, paths
from bot.care.reminder_process import REMINDER_INTENT, person_hash, run_reminders
from bot.care.reminders import ReminderStore
from bot.knowledge import create_engine_for, create_schema
from bot.knowledge.models import Reminder
from bot.settings import Settings
from support.ports import free_port

UTC = timezone.utc
SET_AT = datetime(2026, 6, 10, 5, 0, tzinfo=UTC)  # 07:00 in Berlin
EIGHT_IN_BERLIN = datetime(2026, 6, 10, 6, 0, tzinfo=UTC)
POLL_TIME = EIGHT_IN_BERLIN + timedelta(seconds=12)
TOKEN = "reminder-test-token"


@dataclass
class TriggerCall:
    raw_path: str
    query: Dict[str, str]
    body: Any


@dataclass
class RasaStandIn:
    """Answers `POST /conversations/<id>/trigger_intent` like Rasa's HTTP API and keeps the calls."""

    statuses: List[int] = field(default_factory=list)  # answers to give, in order; then 200
    delay: float = 0.0
    calls: List[TriggerCall] = field(default_factory=list)
    port: int = 0
    _loop: Optional[asyncio.AbstractEventLoop] = None
    _runner: Optional[web.AppRunner] = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def _trigger(self, request: web.Request) -> web.Response:
        self.calls.append(TriggerCall(request.rel_url.raw_path, dict(request.query), await request.json()))
        await asyncio.sleep(self.delay)
        status = self.statuses.pop(0) if self.statuses else 200
        return web.json_response({"tracker": {}, "messages": []}, status=status)

    def start(self) -> RasaStandIn:
        ready = threading.Event()

        def serve() -> None:
            self._loop = asyncio.new_event_loop()
            app = web.Application()
            app.router.add_post("/conversations/{conversation_id}/trigger_intent", self._trigger)
            self._runner = web.AppRunner(app)
            self._loop.run_until_complete(self._runner.setup())
            site = web.TCPSite(self._runner, "127.0.0.1", 0)
            self._loop.run_until_complete(site.start())
            self.port = site._server.sockets[0].getsockname()[1]
            ready.set()
            self._loop.run_forever()

        threading.Thread(target=serve, daemon=True).start()
        assert ready.wait(10)
        return self

    def stop(self) -> None:
        if self._loop and self._runner:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
            self._loop.call_soon_threadsafe(self._loop.stop)

    def conversations(self) -> List[str]:
        """The conversation id of each call as Rasa reads it: the path segment, not percent-decoded."""
        return [call.raw_path.split("/")[2] for call in self.calls]


@pytest.fixture
def rasa() -> Iterator[RasaStandIn]:
    stand_in = RasaStandIn().start()
    yield stand_in
    stand_in.stop()


@pytest.fixture
def database(tmp_path: Path) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'care.db'}"
    create_schema(create_engine_for(url))
    yield url
    clock.use_clock(None)


def settings_for(database: str, rasa_url: str) -> Settings:
    return Settings(database_url=database, api_token=TOKEN, rasa_url=rasa_url, reminder_poll_seconds=1)


def remind(database: str, *conversation_ids: str) -> ReminderStore:
    """Daily reminders at 08:00 in Berlin, set at 07:00; the clock then shows 08:00:12."""
    store = ReminderStore(create_engine_for(database))
    clock.use_clock(SET_AT)
    for conversation_id in conversation_ids:
        store.set(conversation_id, 8, 0, "Europe/Berlin")
    clock.use_clock(POLL_TIME)
    return store


def reminder_of(store: ReminderStore, conversation_id: str) -> Any:
    info = store.get(conversation_id)
    assert info is not None
    return info


def test_a_due_telegram_reminder_triggers_the_intent_once(database: str, rasa: RasaStandIn) -> None:
    store = remind(database, "telegram:4242")
    settings = settings_for(database, rasa.url)
    assert run_reminders(settings, once=True) == 0
    (call,) = rasa.calls
    assert call.raw_path == "/conversations/telegram:4242/trigger_intent"
    assert call.query["output_channel"] == "telegram" and call.query["token"] == TOKEN
    assert call.body == {"name": REMINDER_INTENT, "entities": {}}
    after = reminder_of(store, "telegram:4242")
    assert after.next_due_at == EIGHT_IN_BERLIN + timedelta(days=1) and after.unanswered == 1
    run_reminders(settings, once=True)  # the same slot is not sent again
    assert len(rasa.calls) == 1


def test_the_delivery_is_logged_by_reminder_id_channel_and_slot_only(
    database: str, rasa: RasaStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    store = remind(database, "telegram:4242")
    caplog.set_level(logging.INFO, logger="bot.care.reminder_process")
    run_reminders(settings_for(database, rasa.url), once=True)
    reminder_id = reminder_of(store, "telegram:4242").id
    sent = [record.getMessage() for record in caplog.records if "sent" in record.getMessage()]
    assert sent == [f"reminder {reminder_id} sent on telegram for the slot {EIGHT_IN_BERLIN.isoformat()}"]
    assert "4242" not in caplog.text and TOKEN not in caplog.text


def test_a_server_error_puts_the_slot_back_and_the_next_pass_delivers_it(
    database: str, rasa: RasaStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    store = remind(database, "telegram:4242")
    settings = settings_for(database, rasa.url)
    rasa.statuses = [500]
    caplog.set_level(logging.INFO, logger="bot.care.reminder_process")
    run_reminders(settings, once=True)
    released = reminder_of(store, "telegram:4242")
    assert released.next_due_at == EIGHT_IN_BERLIN and released.unanswered == 0
    (warning,) = [record for record in caplog.records if record.levelno == logging.WARNING]
    assert "Rasa answered 500" in warning.getMessage()
    assert person_hash("telegram:4242") in warning.getMessage() and "4242" not in caplog.text
    run_reminders(settings, once=True)
    assert len(rasa.calls) == 2
    delivered = reminder_of(store, "telegram:4242")
    assert delivered.next_due_at == EIGHT_IN_BERLIN + timedelta(days=1) and delivered.unanswered == 1


def test_rasa_down_is_no_crash_and_the_slot_waits_for_the_next_poll(
    database: str, caplog: pytest.LogCaptureFixture
) -> None:
    store = remind(database, "telegram:4242")
    caplog.set_level(logging.INFO, logger="bot.care.reminder_process")
    nothing_listens = f"http://127.0.0.1:{free_port()}"
    assert run_reminders(settings_for(database, nothing_listens), once=True) == 0
    waiting = reminder_of(store, "telegram:4242")
    assert waiting.next_due_at == EIGHT_IN_BERLIN and waiting.unanswered == 0
    assert "Rasa not reachable (ConnectionError)" in caplog.text
    assert "4242" not in caplog.text


def test_a_refusal_is_not_retried(database: str, rasa: RasaStandIn, caplog: pytest.LogCaptureFixture) -> None:
    store = remind(database, "telegram:4242")
    rasa.statuses = [404]  # say, a model without the reminder intent
    caplog.set_level(logging.INFO, logger="bot.care.reminder_process")
    settings = settings_for(database, rasa.url)
    run_reminders(settings, once=True)
    run_reminders(settings, once=True)
    assert len(rasa.calls) == 1
    assert reminder_of(store, "telegram:4242").next_due_at == EIGHT_IN_BERLIN + timedelta(days=1)
    assert "refused it with 404" in caplog.text


def test_a_web_reminder_waits_for_the_page_once(database: str, rasa: RasaStandIn) -> None:
    store = remind(database, "web:3f1c0de2")
    assert store.take_waiting("web:3f1c0de2") is False  # nothing is due yet
    run_reminders(settings_for(database, rasa.url), once=True)
    assert rasa.calls == []  # a closed page cannot be reached
    assert reminder_of(store, "web:3f1c0de2").next_due_at == EIGHT_IN_BERLIN + timedelta(days=1)
    assert store.take_waiting("web:3f1c0de2") is True  # the page opens: the check-in shows
    assert store.take_waiting("web:3f1c0de2") is False  # a second tab: not again


def test_a_rest_sender_gets_no_call_and_the_slot_passes(database: str, rasa: RasaStandIn) -> None:
    store = remind(database, "curl-user")
    run_reminders(settings_for(database, rasa.url), once=True)
    assert rasa.calls == []
    passed = reminder_of(store, "curl-user")
    assert passed.next_due_at == EIGHT_IN_BERLIN + timedelta(days=1) and passed.unanswered == 0


def test_after_two_unanswered_reminders_no_call_is_made(database: str, rasa: RasaStandIn) -> None:
    store = remind(database, "telegram:4242")
    settings = settings_for(database, rasa.url)
    for day in range(4):
        clock.use_clock(POLL_TIME + timedelta(days=day))
        run_reminders(settings, once=True)
    assert len(rasa.calls) == 2
    quiet = reminder_of(store, "telegram:4242")
    assert quiet.unanswered == 2 and quiet.next_due_at == EIGHT_IN_BERLIN + timedelta(days=4)


def test_one_bad_row_does_not_stop_the_others(database: str, rasa: RasaStandIn) -> None:
    store = remind(database, "telegram:1", "telegram:2")
    engine: Engine = create_engine_for(database)
    with engine.begin() as connection:  # a zone this machine does not know, as an older tzdata might
        connection.execute(
            update(Reminder)
            .where(Reminder.id == reminder_of(store, "telegram:1").id)
            .values(time_zone="Mars/Olympus")
        )
    assert run_reminders(settings_for(database, rasa.url), once=True) == 0
    assert rasa.conversations() == ["telegram:2"]


def test_a_database_without_tables_is_reported_and_survived(
    tmp_path: Path, rasa: RasaStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.care.reminder_process")
    empty = f"sqlite:///{tmp_path / 'empty.db'}"
    assert run_reminders(settings_for(empty, rasa.url), once=True) == 0
    assert "the database is not usable (cannot read due reminders" in caplog.text


def test_two_passes_at_the_same_time_send_each_reminder_once(database: str, rasa: RasaStandIn) -> None:
    people = [f"telegram:{number}" for number in range(20)]
    remind(database, *people)
    rasa.delay = 0.02  # deliveries overlap with the other pass's claims
    settings = settings_for(database, rasa.url)
    start = threading.Barrier(2)
    errors: List[BaseException] = []

    def one_pass() -> None:
        try:
            start.wait(10)
            run_reminders(settings, once=True)
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)

    passes = [threading.Thread(target=one_pass) for _ in range(2)]
    for thread in passes:
        thread.start()
    for thread in passes:
        thread.join(60)
    assert errors == []
    assert sorted(rasa.conversations()) == sorted(people)


def test_sigterm_stops_the_reminders_process(database: str, rasa: RasaStandIn) -> None:
    environment = {
        **os.environ,
        **settings_for(database, rasa.url).to_environment(),
        "PYTHONPATH": str(paths.PROJECT_ROOT),
    }
    environment.pop("BACKCARE_CLOCK_FILE", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "reminders"],
        cwd=paths.PROJECT_ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        started = time.monotonic()
        line = process.stdout.readline()
        while "Reminders: every" not in line and time.monotonic() - started < 30:
            line = process.stdout.readline()
        assert "Reminders: every 1 s" in line
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
        assert "Reminders: stopped" in process.stdout.read()
    finally:
        if process.poll() is None:
            process.kill()
