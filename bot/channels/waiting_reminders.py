"""A web reminder waits for the page: when a known session opens it, the check-in runs once.

`backcare reminders` cannot reach a closed page, so it marks the slot as
waiting (`ReminderStore.claim(..., waiting=True)`); the socket.io channel asks
here when a page with an existing session connects.
"""

from __future__ import annotations

import asyncio
import logging
from functools import lru_cache

from bot.care.reminders import ReminderStore
from bot.knowledge import DatabaseUnavailable, create_engine_for
from bot.settings import current_settings

logger = logging.getLogger(__name__)

# The reminder's intent as a message: Rasa reads "/<intent>" without the NLU model.
REMINDER_MESSAGE = "/EXTERNAL_check_in_reminder"


@lru_cache(maxsize=1)
def _store() -> ReminderStore:
    return ReminderStore(create_engine_for(current_settings().database_url))


async def reminder_waiting(conversation_id: str) -> bool:
    """True once when a reminder waits for this page; a database that is down means no reminder."""
    try:
        return await asyncio.get_running_loop().run_in_executor(None, _store().take_waiting, conversation_id)
    except DatabaseUnavailable:
        logger.warning("Could not read waiting reminders; the page opens without one")
        return False
