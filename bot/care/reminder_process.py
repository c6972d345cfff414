"""`backcare reminders`: sends every due daily check-in reminder once, through Rasa.

Every `BACKCARE_REMINDER_POLL_SECONDS` it reads the due reminders, claims each
slot (`ReminderStore.claim`: one process wins it) and asks Rasa's HTTP API to
trigger the intent `EXTERNAL_check_in_reminder` in the person's conversation.
Rasa then runs the check-in and sends its replies to the Telegram chat. A web
page has no connection to push to: its claimed slot is marked as waiting, and
the page's channel (bot/channels/socketio.py) runs the check-in when the page
is next opened. REST senders cannot be reached: their slots pass.

A delivery that fails (Rasa not reachable, or a server error) puts the slot
back for the next poll. A refusal (4xx) would fail again, and after a timeout
Rasa may have sent the reminder already: neither is tried again. A database
that is down is logged and waited out. Logs name a reminder by its id and the person by a short hash,
never by their id or any message text.
"""

from __future__ import annotations

import hashlib
import logging
import signal
import threading
from dataclasses import dataclass
from datetime import datetime
from types import FrameType
from typing import Callable, Dict, Optional
from urllib.parse import quote

import requests

from bot import clock
from bot.care.reminders import MAX_UNANSWERED, ReminderInfo, ReminderStore
from bot.knowledge.database import DatabaseUnavailable, create_engine_for
from bot.settings import Settings

logger = logging.getLogger(__name__)

REMINDER_INTENT = "EXTERNAL_check_in_reminder"
# Rasa's output channel for the people a reminder is sent to at once.
OUTPUT_CHANNELS: Dict[str, str] = {"telegram": "telegram"}
# People whose reminder waits until they open the page.
WAITING_CHANNELS = {"web"}
BATCH = 100
# Seconds to connect, and to wait while Rasa runs the check-in (actions included).
TIMEOUT = (5.0, 60.0)


class DeliveryFailed(Exception):
    """Rasa did not run the reminder; `retry` says whether sending it again later can help."""

    def __init__(self, reason: str, retry: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry = retry


@dataclass
class PassReport:
    """What one pass over the due reminders did."""

    seen: int = 0
    delivered: int = 0
    skipped: int = 0
    released: int = 0
    failed: int = 0


def person_hash(conversation_id: str) -> str:
    """A short stand-in for a person in the logs: the same person, the same hash; not reversible."""
    return hashlib.sha256(conversation_id.encode("utf-8")).hexdigest()[:8]


def trigger_reminder(settings: Settings, reminder: ReminderInfo, http: requests.Session) -> None:
    """Asks Rasa to run the check-in reminder in the person's conversation; raises DeliveryFailed."""
    # Rasa's server (Sanic) does not percent-decode path parameters: the ":" of
    # "telegram:<chat>" and "web:<session>" must stay as it is (a path allows it).
    conversation = quote(reminder.conversation_id, safe=":")
    url = f"{settings.rasa_api_url()}/conversations/{conversation}/trigger_intent"
    params = {
        "output_channel": OUTPUT_CHANNELS[reminder.channel],
        "include_events": "NONE",  # the answer need not carry the whole conversation back
        "token": settings.api_token,
    }
    try:
        answer = http.post(
            url, params=params, json={"name": REMINDER_INTENT, "entities": {}}, timeout=TIMEOUT
        )
    except requests.exceptions.ReadTimeout:
        # Rasa has the request and may have sent the reminder: sending it again could send it twice.
        raise DeliveryFailed("Rasa did not answer in time", retry=False) from None
    except requests.exceptions.RequestException as error:
        raise DeliveryFailed(f"Rasa not reachable ({error.__class__.__name__})", retry=True) from None
    if answer.status_code >= 500:
        raise DeliveryFailed(f"Rasa answered {answer.status_code}", retry=True)
    if answer.status_code >= 400:
        # A wrong token or a model without the intent fails the same way every time.
        raise DeliveryFailed(
            f"Rasa refused it with {answer.status_code} (check BACKCARE_API_TOKEN and that the model "
            f"knows {REMINDER_INTENT})",
            retry=False,
        )


def handle_reminder(
    store: ReminderStore,
    settings: Settings,
    reminder: ReminderInfo,
    now: datetime,
    http: requests.Session,
    report: PassReport,
) -> None:
    """Skips, or claims and sends, one due reminder."""
    who = f"reminder {reminder.id} ({reminder.channel}, person {person_hash(reminder.conversation_id)})"
    if reminder.unanswered >= MAX_UNANSWERED:
        report.skipped += store.skip(reminder, now)
        return
    if reminder.channel in WAITING_CHANNELS:
        if store.claim(reminder, now, waiting=True):
            report.delivered += 1
            logger.info(
                "reminder %d waits for the page, slot %s", reminder.id, reminder.next_due_at.isoformat()
            )
        return
    if reminder.channel not in OUTPUT_CHANNELS:
        logger.debug("%s: the channel cannot reach the person; the slot passes", who)
        report.skipped += store.skip(reminder, now)
        return
    slot = reminder.next_due_at
    if not store.claim(reminder, now):
        return  # another reminder process has this slot
    try:
        trigger_reminder(settings, reminder, http)
    except DeliveryFailed as failure:
        if failure.retry:
            store.release(reminder, slot)
            report.released += 1
            logger.warning("%s: %s; the slot goes back for the next poll", who, failure.reason)
        else:
            report.failed += 1
            logger.error("%s: %s; the slot is not sent again", who, failure.reason)
        return
    report.delivered += 1
    logger.info("reminder %d sent on %s for the slot %s", reminder.id, reminder.channel, slot.isoformat())


def run_pass(
    store: ReminderStore,
    settings: Settings,
    now: datetime,
    http: requests.Session,
    stopping: Callable[[], bool] = lambda: False,
) -> PassReport:
    """Handles the reminders due at `now` (up to BATCH); one bad row does not stop the others."""
    report = PassReport()
    for reminder in store.due(now, limit=BATCH):
        if stopping():
            break
        report.seen += 1
        try:
            handle_reminder(store, settings, reminder, now, http, report)
        except DatabaseUnavailable:
            raise
        except Exception as error:  # a row that cannot be handled (say, an unknown time zone)
            report.failed += 1
            logger.error(
                "reminder %d could not be handled (%s); it is tried again on the next poll",
                reminder.id,
                error.__class__.__name__,
            )
    return report


def run_reminders(settings: Settings, once: bool = False) -> int:
    """Polls until SIGTERM or SIGINT (or after one pass with `once`); returns the exit code."""
    store = ReminderStore(create_engine_for(settings.database_url))
    stop = threading.Event()
    restore = _stop_on_signals(stop)
    logger.info("Reminders: every %d s, through %s", settings.reminder_poll_seconds, settings.rasa_api_url())
    try:
        with requests.Session() as http:
            while not stop.is_set():
                try:
                    report = run_pass(store, settings, clock.now(), http, stopping=stop.is_set)
                except DatabaseUnavailable as error:
                    logger.error("Reminders: the database is not usable (%s); trying again", error)
                    report = PassReport()
                if once:
                    break
                # A full batch that moved on has more behind it: go on at once.
                if report.seen < BATCH or not (report.delivered or report.skipped):
                    stop.wait(settings.reminder_poll_seconds)
    finally:
        restore()
    logger.info("Reminders: stopped")
    return 0


def _stop_on_signals(stop: threading.Event) -> Callable[[], None]:
    """SIGTERM and SIGINT end the loop after the reminder at hand; returns what undoes this."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None  # signals reach only the main thread (tests run passes in others)

    def handler(_signum: int, _frame: Optional[FrameType]) -> None:
        stop.set()

    previous = {number: signal.signal(number, handler) for number in (signal.SIGTERM, signal.SIGINT)}

    def restore() -> None:
        for number, earlier in previous.items():
            signal.signal(number, earlier)

    return restore
