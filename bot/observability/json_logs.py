"""Logs as JSON lines, for a log collector: one object per record, never a person's words.

    {"time": "2024-05-01T08:00:00.123Z", "level": "INFO", "logger": "rasa.core.processor",
     "message": "processor.actions.log", "event_key": "..."}

`JsonFormatter` writes `time` (UTC), `level`, `logger`, `message` and, when the
record has them, the fields in `EXTRA_FIELDS`, `exception` (the traceback,
each exception's text reduced to its type) and `stack`. Rasa's own
structured events arrive as JSON text (`FORCE_JSON_LOGGING`, set by
`bot.servers`): their `event` becomes `message`, and the rest of their
values, redacted anyway, are left out.

Every record is redacted by `bot.log_privacy` before it is written (the
record factory of `log_privacy.install()`, the `RedactingFilter` of the
configuration, and this formatter itself), so message text, slot values and
secrets never reach the output.

`LOGGING_CONFIG_FILE` (`logging.yml` beside this module) is the Python
logging configuration `rasa run --logging-config-file` and the action server
load when `BACKCARE_LOG_FORMAT=json` (`bot.rasa_cli`, `bot.action_server`).
"""

from __future__ import annotations

import json
import logging
import logging.config
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, Optional, Tuple

import yaml

from bot import log_privacy

LOGGING_CONFIG_FILE = Path(__file__).with_name("logging.yml")

# Fields of a record's `extra` worth keeping: what happened, never to whom or what was said.
# (`request` and `status` are Sanic's access log; `request` is redacted like the message.)
EXTRA_FIELDS: Tuple[str, ...] = ("event_key", "channel", "action", "stage", "status", "request")
_STRUCTLOG_KEPT = ("event_key",)


def _time(record: logging.LogRecord) -> str:
    moment = datetime.fromtimestamp(record.created, tz=timezone.utc)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _structlog_event(message: str) -> Optional[Dict[str, Any]]:
    """Rasa's structlog event (a JSON object with an `event`), or None for a plain message."""
    if not message.startswith("{"):
        return None
    try:
        event = json.loads(message)
    except ValueError:
        return None
    return event if isinstance(event, dict) and isinstance(event.get("event"), str) else None


class JsonFormatter(logging.Formatter):
    """One JSON object per line; usable from a logging configuration as `()`."""

    def format(self, record: logging.LogRecord) -> str:
        log_privacy.ensure_redacted(record)
        message = record.getMessage()
        entry: Dict[str, Any] = {
            "time": _time(record),
            "level": record.levelname,
            "logger": record.name,
            "message": message,
        }
        event = _structlog_event(message)
        if event is not None:
            entry["message"] = event["event"]
            entry.update({key: event[key] for key in _STRUCTLOG_KEPT if isinstance(event.get(key), str)})
        for name in EXTRA_FIELDS:
            value = record.__dict__.get(name)
            if name not in entry and isinstance(value, (str, int, float, bool)):
                entry[name] = value
        if record.exc_info and not record.exc_text:  # not redacted at creation: reduce it here
            record.exc_text, record.exc_info = log_privacy.redact_traceback(record.exc_info), None
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = log_privacy.redact(self.formatStack(record.stack_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


def logging_config(path: Path = LOGGING_CONFIG_FILE) -> Dict[str, Any]:
    """The logging configuration (a `logging.config.dictConfig` dictionary) in `path`."""
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(config, dict):
        raise ValueError(f"{path} is not a logging configuration")
    return config


def configure(path: Path = LOGGING_CONFIG_FILE) -> None:
    """Applies the logging configuration in `path` (the action server; Rasa reads it itself)."""
    logging.config.dictConfig(logging_config(path))


# Sanic's own loggers: kept, without handlers of their own, so their records reach the root's.
SANIC_LOGGERS = ("sanic.root", "sanic.error", "sanic.access")


def keep_sanic_from_reconfiguring() -> None:
    """Stops Sanic from adding its text handlers when Rasa creates its app.

    `Sanic(...)` applies `sanic.log.LOGGING_CONFIG_DEFAULTS`, which gives
    `sanic.root`, `sanic.error` and `sanic.access` console handlers of their
    own: every Sanic line would be written again as text beside the JSON. The
    defaults become "these loggers, no handlers of their own, propagating".
    """
    from sanic import log as sanic_log

    defaults = sanic_log.LOGGING_CONFIG_DEFAULTS
    defaults.clear()
    defaults.update(
        {
            "version": 1,
            "disable_existing_loggers": False,
            "loggers": {name: {"level": "INFO", "handlers": [], "propagate": True} for name in SANIC_LOGGERS},
        }
    )
