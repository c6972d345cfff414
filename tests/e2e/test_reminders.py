"""A daily reminder set in Telegram reaches the person through the Bot API stand-in,
sent by `backcare reminders` after the Rasa server was restarted, once per slot.
"""

from __future__ import annotations

import subprocess
from datetime import timedelta
from pathlib import Path
from typing import List

import pytest

from bot import clock, servers
from bot.care.records import CareRecords
from bot.care.reminders import ReminderStore
from bot.knowledge import create_engine_for
from support.database import seeded_sqlite
from support.deployment import Replica, deployment
from support.telegram_standin import BotApiStandIn
from support.telegram_updates import chat, message, post

pytestmark = pytest.mark.e2e


def sent_texts(telegram_api: BotApiStandIn, chat_id: int) -> List[str]:
    return [
        str(call.data.get("text", ""))
        for call in telegram_api.take()
        if call.method == "sendMessage" and str(call.data.get("chat_id")) == str(chat_id)
    ]


def send_due_reminders(replica: Replica, environment: dict, log_file: Path) -> None:
    """One pass of `backcare reminders`, as the process `make run` starts does every poll."""
    env = {
        **servers.server_environment(replica.settings, environment),
        **servers.reminders_environment(replica.settings),
    }
    with log_file.open("a") as log:
        finished = subprocess.run(
            [*servers.reminders_command(), "--once"], env=env, stdout=log, stderr=log, timeout=120
        )
    assert finished.returncode == 0, log_file.read_text()[-3000:]


def test_a_reminder_reaches_telegram_after_a_restart_of_rasa(tmp_path: Path) -> None:
    telegram_api = BotApiStandIn().start()
    clock_file = tmp_path / "clock-offset"
    database_url = seeded_sqlite(tmp_path / "backcare.db")
    environment = {
        "BACKCARE_DATABASE_URL": database_url,
        "BACKCARE_TRACKER_STORE_URL": f"sqlite:///{tmp_path / 'conversations.db'}",
        "BACKCARE_CLOCK_FILE": str(clock_file),
        **telegram_api.backcare_environment(),
    }
    chat_id = chat()
    conversation = f"telegram:{chat_id}"
    log_file = tmp_path / "servers.log"
    engine = create_engine_for(database_url)
    # The person checked in before: the reminder's check-in starts from that record.
    CareRecords(engine).record_check_in(conversation, 5, "none", "assessment", "acute", 0.5, "none")
    try:
        with deployment(environment, log_file) as running:
            replica = running.replicas[0]
            post(replica.client, message(chat_id, text="please remind me every day at 8"))
            asked = sent_texts(telegram_api, chat_id)
            assert any("time zone" in text for text in asked), asked
            post(replica.client, message(chat_id, text="Berlin"))
            confirmed = sent_texts(telegram_api, chat_id)
            assert any("every day at 08:00 (Europe/Berlin)" in text for text in confirmed), confirmed

            running.restart_rasa(0)
            reminder = ReminderStore(engine).get(conversation)
            assert reminder is not None and reminder.active
            # Move every process's clock a minute past the reminder's slot.
            clock.advance(
                clock_file, (reminder.next_due_at - clock.now() + timedelta(minutes=1)).total_seconds()
            )

            send_due_reminders(replica, environment, log_file)
            delivered = sent_texts(telegram_api, chat_id)
            assert any("Time for your daily back check-in" in text for text in delivered), delivered
            assert any("Welcome back" in text or "How is it today" in text for text in delivered)

            # The same slot is never sent twice.
            send_due_reminders(replica, environment, log_file)
            assert sent_texts(telegram_api, chat_id) == []

            # The person answers the reminder: today's pain, then the one short safety question.
            post(replica.client, message(chat_id, text="4"))
            asked = sent_texts(telegram_api, chat_id)
            assert any("Since we last spoke" in text for text in asked), asked
            stop = post(replica.client, message(chat_id, text="stop reminders"))
            assert stop.status_code == 200
            assert ReminderStore(engine).get(conversation).active is False
    finally:
        telegram_api.stop()
        clock.reset(clock_file)
