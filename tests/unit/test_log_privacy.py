"""No health conversation or secret reaches a log handler once bot.log_privacy is installed.

Real loggers, real Rasa and Sanic code paths, a real handler writing to a
StringIO. Each test checks the sensitive words are gone AND that the fixed
wording survived, so a filter that drops everything fails too.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import warnings
from types import SimpleNamespace
from typing import Callable, Iterator

import pytest
import structlog

from bot import log_privacy

MARKERS = ("cancer", "lostweight-marker", "tok-SECRET-123")
LOGGERS = ("", "rasa", "py.warnings", "sanic.access", "sanic.error", "backcare.test")


def assert_private(text: str) -> None:
    for marker in MARKERS:
        assert marker not in text, text


@pytest.fixture
def logs() -> Iterator[Callable[[], str]]:
    """install(), and a DEBUG handler on the loggers used here; all undone afterwards."""
    original_factory = logging.getLogRecordFactory()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    saved = {name: (logging.getLogger(name).level, logging.getLogger(name).propagate) for name in LOGGERS}
    for name in LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG)
        logging.getLogger(name).propagate = True
    logging.getLogger().addHandler(handler)
    log_privacy.install()
    log_privacy.install()  # idempotent
    try:
        yield stream.getvalue
    finally:
        log_privacy.uninstall()
        logging.getLogger().removeHandler(handler)
        for name, (level, propagate) in saved.items():
            logging.getLogger(name).setLevel(level)
            logging.getLogger(name).propagate = propagate
        assert logging.getLogRecordFactory() is original_factory


@pytest.fixture
def json_structlog(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Rasa's structlog set-up as in a container (JSON lines); structlog's config restored after."""
    from rasa.utils import log_utils

    saved = structlog.get_config()
    # log_utils reads FORCE_JSON_LOGGING at import, so set the module's copy.
    monkeypatch.setattr(log_utils, "FORCE_JSON_LOGGING", "1")
    log_utils.configure_structlog(logging.DEBUG)
    yield
    structlog.configure(**saved)


@pytest.fixture
def capture_warnings() -> Iterator[None]:
    """pytest records warnings itself; route them through logging for this test."""
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        logging.captureWarnings(False)
        logging.captureWarnings(True)
        yield


def json_events(text: str) -> list:
    return [json.loads(line.split(" ", 2)[2]) for line in text.splitlines() if " {" in line]


def test_rest_failure_with_non_dict_metadata_is_json_without_user_text(logs, json_structlog, monkeypatch):
    from rasa.core.channels import rest
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    monkeypatch.setattr(rest, "structlogger", structlog.get_logger())  # not one cached by other tests

    async def on_new_message(message):  # what Rasa's processor does with the message
        tracker = DialogueStateTracker(message.sender_id, slots=[])
        tracker.model_id = "model"
        tracker.update(UserUttered(message.text, metadata=message.metadata))

    receive = next(
        r.handler for r in rest.RestInput().blueprint(on_new_message)._future_routes if r.uri == "/webhook"
    )
    body = {"sender": "s1", "message": "I have cancer", "metadata": "lostweight-marker cancer"}
    asyncio.run(receive(SimpleNamespace(json=body, args={})))

    text = logs()
    assert_private(text)
    [event] = [e for e in json_events(text) if e.get("event") == "rest.message.received.failure"]
    assert event["level"] == "error" and event["text"] == "[redacted]"
    assert event["exception"][0]["exc_type"] == "TypeError"


def test_unparsable_slash_message_structlog_event(logs, json_structlog, monkeypatch):
    from rasa.shared.core.training_data.story_reader import yaml_story_reader
    from rasa.shared.nlu.training_data.message import Message

    monkeypatch.setattr(yaml_story_reader, "structlogger", structlog.get_logger())
    yaml_story_reader.YAMLStoryReader.unpack_regex_message(
        Message(data={"text": "/@lostweight-marker cancer"})
    )

    text = logs()
    assert_private(text)
    [event] = [e for e in json_events(text) if e.get("event") == "message.parsing.failed"]
    assert event == {"user_text": "[redacted]", "event": "message.parsing.failed", "level": "warning"}


def test_regex_message_handler_warnings(logs, capture_warnings):
    from rasa.nlu.classifiers.regex_message_handler import RegexMessageHandler
    from rasa.shared.core.domain import Domain
    from rasa.shared.nlu.training_data.message import Message

    handler = RegexMessageHandler()
    handler.process([Message(data={"text": "/inform{broken lostweight-marker cancer"})])
    handler.process([Message(data={"text": "/I have\ncancer"})], Domain.from_dict({"intents": ["inform"]}))

    text = logs()
    assert_private(text)
    assert text.count("UserWarning: Failed to parse arguments in line '[redacted]'") == 2
    assert "'. Failed to interpret some parts." in text
    assert "but found [redacted]" in text  # the typed "intent", unquoted and over two lines


def test_warning_text_is_redacted_with_or_without_logging(logs, capture_warnings):
    warnings.warn("Slot 'pain_note' was set to 'lostweight-marker cancer'", stacklevel=1)
    assert_private(logs())
    assert "UserWarning: Slot '[redacted]" in logs()
    formatted = warnings.formatwarning("user_text=I have cancer", UserWarning, "x.py", 3)
    assert formatted.startswith("x.py:3: UserWarning: user_text=[redacted]")


def test_plain_lines_urls_and_exceptions(logs):
    logger = logging.getLogger("backcare.test")
    logger.debug("Received user message '%s' with intent '%s'", "it's cancer, don't tell", "inform")
    logger.info("POST https://api.telegram.org/bot123456:tok-SECRET-123/sendMessage")
    logger.info("GET /webhooks/rest/webhook?token=tok-SECRET-123 with Authorization: Bearer tok-SECRET-123")
    logger.info(
        "tracker store redis://bot:tok-SECRET-123@redis:6379 and postgresql://bot:tok-SECRET-123@db/x"
    )
    logger.debug("Current slot values:\n\tpain_level: lostweight-marker\n\tdiagnosis: cancer")
    logger.info("odd args %d", "cancer")  # args that do not fit: never raises
    try:
        raise ValueError("lostweight-marker cancer")
    except ValueError:
        logger.exception("Could not handle the message")
    try:
        try:
            json.loads('{"pain": cancer}')
        except ValueError as error:
            raise LookupError("lostweight-marker") from error
    except LookupError:
        logger.error("Chained", exc_info=True)

    text = logs()
    assert_private(text)
    for kept in (
        "DEBUG backcare.test Received user message '[redacted]'",
        "/bot123456:[redacted]/sendMessage",
        "?token=[redacted] with Authorization: Bearer [redacted]",
        "redis://[redacted]@redis:6379 and postgresql://[redacted]@db/x",
        "\tpain_level: [redacted]\n\tdiagnosis: [redacted]",
        "odd args",
        "ERROR backcare.test Could not handle the message\nTraceback (most recent call last):",
        "ValueError: [redacted]",
        "json.decoder.JSONDecodeError: [redacted]\n\nThe above exception was the direct cause",
        "LookupError: [redacted]",
    ):
        assert kept in text


def test_sanic_access_and_error_logs(logs):
    from sanic.handlers import ErrorHandler
    from sanic.log import LOGGING_CONFIG_DEFAULTS

    url = "http://localhost:5005/webhooks/rest/webhook?token=tok-SECRET-123"
    stream = io.StringIO()
    access = logging.StreamHandler(stream)
    access.setFormatter(logging.Formatter(LOGGING_CONFIG_DEFAULTS["formatters"]["access"]["format"]))
    logging.getLogger("sanic.access").addHandler(access)
    try:  # as sanic.http.Http.log_response
        logging.getLogger("sanic.access").info(
            "", extra={"status": 200, "byte": 2, "host": "1.2.3.4:1", "request": f"POST {url}"}
        )
    finally:
        logging.getLogger("sanic.access").removeHandler(access)
    try:
        raise RuntimeError("cancer")
    except RuntimeError as error:
        ErrorHandler.log(SimpleNamespace(url=url, app=SimpleNamespace(config=SimpleNamespace())), error)

    assert_private(stream.getvalue() + logs())
    assert (
        "[INFO][1.2.3.4:1]: POST http://localhost:5005/webhooks/rest/webhook?token=[redacted]  200 2"
        in stream.getvalue()
    )
    assert "ERROR sanic.error Exception occurred while handling uri: '[redacted]'" in logs()
    assert "RuntimeError: [redacted]" in logs()


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (
            '{"event": "processor.message.parse", "parse_data_text": "cancer", "level": "debug"}',
            '{"event": "processor.message.parse", "parse_data_text": "[redacted]", "level": "debug"}',
        ),
        (
            "processor.message.parse  parse_data_intent={} parse_data_text=I have\ncancer",
            "processor.message.parse  parse_data_intent={} parse_data_text=[redacted]",
        ),
        (
            "Validating extracted slots: [SlotSet(key: pain_note, value: cancer)]",
            "Validating extracted slots: [SlotSet(key: pain_note, value: [redacted]",
        ),
        ("Received 'first line\nsecond cancer' end", "Received '[redacted]' end"),
        ("Can't find the file", "Can't find the file"),
    ],
)
def test_redact(message: str, expected: str) -> None:
    assert log_privacy.redact(message) == expected
    assert log_privacy.redact(expected) == expected
