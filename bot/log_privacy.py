"""Keep what people tell BackCare, and our secrets, out of the logs.

Rasa, Sanic and our code log user text in many places: structlog events
(`text=`, `user_text=`, `slot_values=`), warnings quoting a typed "/intent"
line, exception messages, URLs with `?token=`. Rather than chase call sites,
`install()` wraps the log record factory, so every record of the process (any
logger, level or handler) is redacted when it is created: message, traceback
and `extra` fields. Warnings go through logging and are redacted as well.

`redact()` keeps what an operator needs (event names, levels, fixed wording,
exception types, traceback file lines) and removes what could be a person's
words or a secret; where their end is unknown, to the end of the message.
"""

from __future__ import annotations

import json
import logging
import re
import traceback
import warnings
from typing import Any, Callable, Optional

REDACTED = "[redacted]"

# Values kept in a JSON (structlog) event; everything else becomes REDACTED.
SAFE_JSON_KEYS = frozenset({"event", "level", "event_key", "logger", "timestamp"})

# rasa.utils.log_utils._anonymizer's keys, plus metadata: in structlog's console
# rendering (`key=value`, strings unquoted) the value may hold spaces, `x=y` and
# newlines, so it runs to the end of the message.
_USER_KEYS = (
    "text|response_text|user_text|slot_values|parse_data_text|parse_data_entities|"
    "prediction_events|tracker_latest_message|prefilled_slots|message|response|"
    "slot_candidates|rasa_event|rasa_events|tracker_states|current_states|old_states|"
    "successes|current_entity|next_entity|states|entity|token_text|user_message|"
    "json_message|metadata"
)
_ANSI = r"(?:\x1b\[[0-9;]*m)*"  # structlog colours keys and values

# A user's words whose end we cannot know: redact everything after the marker.
_OPEN_ENDED = [
    re.compile(rf"(?<![\w.-])({_ANSI}(?:{_USER_KEYS}){_ANSI}=).*", re.S),
    # Rasa event reprs: UserUttered(text: ...), SlotSet(key: k, value: ...), BotUttered(...)
    re.compile(r"((?:\(|, )(?:text|value|data|metadata|entities): ).*", re.S),
    # YAMLStoryReader's "/intent" warnings print parts of the line unquoted.
    re.compile(r"(Continuing without |but found ).*", re.S),
]

# Traceback file lines stay readable; any other quoted span is redacted, greedy
# to the last matching quote on its line, or across lines when the line has none.
_QUOTED = re.compile(
    r"""(?m)^(?P<file>[ \t]*File "[^"\n]*", line \d+, in [^\n]*)$"""
    r"""|(?P<q>['"])(?:[^\n]*(?P=q)|(?s:.*)(?P=q))"""
)

_SECRETS = [
    (re.compile(r"(?i)([\w-]*(?:token|secret|password|passwd|api_?key)=)[^&\s'\",;]+"), r"\1" + REDACTED),
    (
        re.compile(r"(?i)(\bBearer\s+|Authorization\s*[:=]\s*(?:(?:Basic|Bearer)\s+)?)[\w.~+/=-]+"),
        r"\1" + REDACTED,
    ),
    (re.compile(r"(/bot\d+:)[\w-]+"), r"\1" + REDACTED),  # Telegram bot token in a URL
    (re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/@\s]+@"), r"\1" + REDACTED + "@"),  # user:pass@
]
_SLOT_LINE = re.compile(r"(?m)^(\t[\w.-]+):[^\n]*$")  # slot dumps: "\tname: value"

_previous_factory: Optional[Callable[..., logging.LogRecord]] = None
_previous_formatwarning: Optional[Callable[..., str]] = None


def redact(message: str) -> str:
    """`message` without user text or secrets; a JSON object stays valid JSON."""
    redacted_json = _redact_json(message)
    if redacted_json is not None:
        return redacted_json
    for pattern in _OPEN_ENDED:
        message = pattern.sub(r"\1" + REDACTED, message)
    message = _QUOTED.sub(lambda m: m.group("file") or f"'{REDACTED}'", message)
    for pattern, replacement in _SECRETS:
        message = pattern.sub(replacement, message)
    return _SLOT_LINE.sub(r"\1: " + REDACTED, message)


def _redact_json(message: str) -> Optional[str]:
    """A structlog JSON event with only safe values kept; None if not a JSON object."""
    try:
        event = json.loads(message) if message.lstrip().startswith("{") else None
    except ValueError:
        return None
    if not isinstance(event, dict):
        return None
    return json.dumps({key: _json_value(key, value) for key, value in event.items()})


def _json_value(key: str, value: Any) -> Any:
    if key in SAFE_JSON_KEYS:
        return redact(value) if isinstance(value, str) else value
    if key == "exception" and isinstance(value, list):  # structlog's dict_tracebacks
        return [{"exc_type": e.get("exc_type")} if isinstance(e, dict) else REDACTED for e in value]
    return REDACTED


def _type_name(cls: type) -> str:
    """An exception class's name as tracebacks print it."""
    return (
        cls.__qualname__
        if cls.__module__ in ("builtins", "__main__")
        else f"{cls.__module__}.{cls.__qualname__}"
    )


def redact_traceback(exc_info: Any) -> str:
    """The formatted traceback, each exception's message (free text) reduced to its type."""
    text = logging.Formatter().formatException(exc_info)
    exc: Optional[BaseException] = exc_info[1]
    seen = set()
    while exc is not None and id(exc) not in seen:  # the chain the traceback prints
        seen.add(id(exc))
        if str(exc):
            only = "".join(traceback.format_exception_only(type(exc), exc)).rstrip("\n")
            text = text.replace(only, f"{_type_name(type(exc))}: {REDACTED}")
        exc = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
    return redact(text)


class _RedactingDict(dict):
    """A record's `__dict__`: `extra` fields, added after the factory runs, arrive redacted."""

    def __setitem__(self, key: str, value: Any) -> None:
        if not isinstance(value, (bool, int, float, type(None))):
            value = redact(str(value))  # e.g. sanic's access log `request` with its URL
        super().__setitem__(key, value)


def _redact_record(record: logging.LogRecord) -> None:
    record.__dict__ = _RedactingDict(record.__dict__)
    try:
        message = record.getMessage()
    except Exception:  # args that do not fit the format
        message = str(record.msg)
    record.msg, record.args = redact(message), ()
    if record.exc_info:
        record.exc_text, record.exc_info = redact_traceback(record.exc_info), None


def _redact_or_withhold(record: logging.LogRecord) -> None:
    try:
        _redact_record(record)
    except Exception:  # fail closed: never let an unredacted record through
        record.msg, record.args, record.exc_info, record.exc_text = "[log record withheld]", (), None, None


def _redacting_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
    assert _previous_factory is not None
    record = _previous_factory(*args, **kwargs)
    _redact_or_withhold(record)
    return record


def is_redacted(record: logging.LogRecord) -> bool:
    """True when `record` went through the redaction (the record factory or `ensure_redacted`)."""
    return isinstance(record.__dict__, _RedactingDict)


# What every record has; anything else came as `extra`.
_RECORD_ATTRIBUTES = frozenset(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {
    "message",
    "asctime",
}


def ensure_redacted(record: logging.LogRecord) -> logging.LogRecord:
    """Redacts `record` in place (message, traceback, `extra`) unless that was done when it was created."""
    if not is_redacted(record):
        extra = {key: value for key, value in record.__dict__.items() if key not in _RECORD_ATTRIBUTES}
        _redact_or_withhold(record)
        for key, value in extra.items():
            record.__dict__[key] = value  # a _RedactingDict now: redacted on the way in
    return record


class RedactingFilter(logging.Filter):
    """A handler filter for logging configurations: every record it passes is redacted.

    With `install()` in place records are redacted when created and this
    costs one check; it covers records made before `install()` or by a
    record factory someone put in front of ours.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        ensure_redacted(record)
        return True


def _redacting_formatwarning(*args: Any, **kwargs: Any) -> str:
    """Redacts warning text even where warnings bypass logging (showwarning replaced)."""
    assert _previous_formatwarning is not None
    return redact(_previous_formatwarning(*args, **kwargs))


def install() -> None:
    """Redact every log record and warning created from now on. Safe to call twice."""
    global _previous_factory, _previous_formatwarning
    if _previous_factory is None:
        _previous_factory = logging.getLogRecordFactory()
        logging.setLogRecordFactory(_redacting_factory)
    # rasa.shared.utils.io.raise_warning swaps warnings.formatwarning for a wrapper
    # that calls whatever was there before, i.e. ours, and puts ours back after.
    if _previous_formatwarning is None:
        _previous_formatwarning = warnings.formatwarning
        warnings.formatwarning = _redacting_formatwarning
    logging.captureWarnings(True)  # warnings.warn -> logger "py.warnings"


def uninstall() -> None:
    """Undo `install()` (for tests)."""
    global _previous_factory, _previous_formatwarning
    # If someone wrapped ours since, ours stays in their chain and keeps working.
    if _previous_factory is not None and logging.getLogRecordFactory() is _redacting_factory:
        logging.setLogRecordFactory(_previous_factory)
        _previous_factory = None
    if _previous_formatwarning is not None and warnings.formatwarning is _redacting_formatwarning:
        warnings.formatwarning = _previous_formatwarning
        _previous_formatwarning = None
    logging.captureWarnings(False)
