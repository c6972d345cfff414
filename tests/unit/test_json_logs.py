"""JSON logs: one parsable object per record, never a person's words, and the configuration
the Rasa server and the action server load with BACKCARE_LOG_FORMAT=json."""

from __future__ import annotations

import io
import json
import logging
import sys
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest
from sanic import Sanic

from bot import action_server, log_privacy, rasa_cli
from bot.observability import json_logs
from bot.rasa_overrides import configured_logging
from bot.settings import Settings, SettingsError

WORDS = "zebrasciatica numbness between my legs"  # stands for anything a person says
SECRET = "tok-SECRET-123"


def record(message: str, *args: Any, level: int = logging.INFO, **extra: Any) -> logging.LogRecord:
    """A record as `logger.info(message, *args, extra=extra)` makes it (through the record factory)."""
    made = logging.getLogger("backcare.test").makeRecord(
        "backcare.test", level, __file__, 1, message, args, None, extra=extra or None
    )
    return made


def formatted(made: logging.LogRecord) -> Dict[str, Any]:
    line = json_logs.JsonFormatter().format(made)
    assert "\n" not in line  # one line per record
    return json.loads(line)


@pytest.fixture
def privacy() -> Iterator[None]:
    log_privacy.install()
    try:
        yield
    finally:
        log_privacy.uninstall()


def test_a_record_is_one_json_object_with_time_level_logger_and_message() -> None:
    entry = formatted(record("Loaded %d exercises", 12, level=logging.WARNING, channel="rest", status=200))
    assert entry["level"] == "WARNING" and entry["logger"] == "backcare.test"
    assert entry["message"] == "Loaded 12 exercises"
    assert entry["time"].endswith("Z") and entry["time"][10] == "T"
    assert entry["channel"] == "rest" and entry["status"] == 200
    assert set(entry) == {"time", "level", "logger", "message", "channel", "status"}


@pytest.mark.parametrize("installed", [True, False], ids=["record factory", "formatter alone"])
def test_no_message_text_or_secret_reaches_the_output(installed: bool) -> None:
    if installed:
        log_privacy.install()
    try:
        lines = [
            json_logs.JsonFormatter().format(made)
            for made in (
                record("Received user message text=%s", WORDS),
                record("Calling %s", f"http://127.0.0.1:5005/status?token={SECRET}"),
                record("A turn failed", request=f"POST /webhooks/rest/webhook?token={SECRET}"),
                # Rasa's structured events, as JSON text (FORCE_JSON_LOGGING)
                record(json.dumps({"event": "processor.actions.log", "text": WORDS, "event_key": "k"})),
            )
        ]
        try:
            raise ValueError(f"could not parse {WORDS!r}")
        except ValueError:
            failed = record("Parsing failed")
            failed.exc_info = sys.exc_info()
            if not installed:
                failed.exc_text = None
            lines.append(json_logs.JsonFormatter().format(failed))
    finally:
        if installed:
            log_privacy.uninstall()
    output = "\n".join(lines)
    assert "zebrasciatica" not in output and SECRET not in output
    entries = [json.loads(line) for line in lines]
    assert entries[0]["message"].startswith("Received user message text=")  # the fixed wording stays
    assert entries[3]["message"] == "processor.actions.log" and entries[3]["event_key"] == "k"
    assert "text" not in entries[3]
    assert "ValueError: [redacted]" in entries[4]["exception"]
    assert 'File "' in entries[4]["exception"]  # the traceback's places stay readable


def test_the_redacting_filter_redacts_once() -> None:
    made = record("User said text=%s", WORDS)  # no factory installed: not redacted yet
    assert not log_privacy.is_redacted(made)
    assert log_privacy.RedactingFilter().filter(made)
    assert WORDS not in made.getMessage() and log_privacy.is_redacted(made)


# --------------------------------------------------------------------------- #
# The logging configuration (bot/observability/logging.yml)
# --------------------------------------------------------------------------- #


@pytest.fixture
def restored_logging() -> Iterator[None]:
    """Whatever a test configures, the loggers, Sanic's defaults and Rasa's hook are put back."""
    import rasa.utils.io
    from sanic import log as sanic_log

    names = ["", *json_logs.SANIC_LOGGERS]
    saved = {
        name: (
            logging.getLogger(name).handlers[:],
            logging.getLogger(name).level,
            logging.getLogger(name).propagate,
        )
        for name in names
    }
    defaults = dict(sanic_log.LOGGING_CONFIG_DEFAULTS)  # replaced, never changed, by our code
    colored = rasa.utils.io.configure_colored_logging
    # dictConfig closes every handler it knows of, pytest's capture included: hide them from it.
    handler_list, handler_names = logging._handlerList[:], dict(logging._handlers)  # type: ignore[attr-defined]
    logging._handlerList[:] = []  # type: ignore[attr-defined]
    logging._handlers.clear()  # type: ignore[attr-defined]
    try:
        yield
    finally:
        logging._handlerList[:] = handler_list  # type: ignore[attr-defined]
        logging._handlers.clear()  # type: ignore[attr-defined]
        logging._handlers.update(handler_names)  # type: ignore[attr-defined]
        rasa.utils.io.configure_colored_logging = colored
        sanic_log.LOGGING_CONFIG_DEFAULTS.clear()
        sanic_log.LOGGING_CONFIG_DEFAULTS.update(defaults)
        for name, (handlers, level, propagate) in saved.items():
            logger = logging.getLogger(name)
            logger.handlers[:] = handlers
            logger.setLevel(level)
            logger.propagate = propagate


def lines_of(stream: io.StringIO) -> List[Dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_the_configuration_writes_json_lines_from_every_logger(
    restored_logging: None, privacy: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    stream = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stream)  # the handler's `ext://sys.stderr`
    json_logs.configure()
    logging.getLogger("rasa.core.processor").warning("Action failed for text=%s", WORDS)
    logging.getLogger("sanic.access").info("", extra={"status": 200, "byte": 2, "request": "GET /"})
    logging.getLogger("sanic.error").error("Exception occurred")
    entries = lines_of(stream)
    assert [entry["logger"] for entry in entries] == ["rasa.core.processor", "sanic.access", "sanic.error"]
    assert entries[1]["status"] == 200 and entries[1]["request"] == "GET /"
    assert "zebrasciatica" not in stream.getvalue()


def test_rasa_and_sanic_add_no_text_handler_beside_the_configuration(
    restored_logging: None, privacy: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What `rasa run` does after loading --logging-config-file, with bot.rasa_cli in place."""
    import rasa.utils.io

    stream = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stream)
    json_logs.configure()
    ours = logging.getLogger().handlers[:]

    # Stock Rasa 3.6 puts a coloured text handler on the root logger (every line twice).
    rasa.utils.io.configure_colored_logging("INFO")
    assert logging.getLogger().handlers != ours
    logging.getLogger().handlers[:] = ours

    configured_logging.install()
    rasa.utils.io.configure_colored_logging("INFO")
    Sanic("json_logs_test_app")  # applies Sanic's (now handler-less) logging defaults
    assert logging.getLogger().handlers == ours
    for name in json_logs.SANIC_LOGGERS:
        assert logging.getLogger(name).handlers == [] and logging.getLogger(name).propagate
    logging.getLogger("sanic.root").info("Goin' Fast")
    assert [entry["message"] for entry in lines_of(stream)] == ["Goin' Fast"]


# --------------------------------------------------------------------------- #
# The setting and who passes the configuration on
# --------------------------------------------------------------------------- #


def test_the_log_format_setting() -> None:
    assert Settings.from_environment({}).log_format == "text"
    assert Settings.from_environment({"BACKCARE_LOG_FORMAT": "json"}).log_format == "json"
    with pytest.raises(SettingsError, match="BACKCARE_LOG_FORMAT must be text or json"):
        Settings.from_environment({"BACKCARE_LOG_FORMAT": "xml"})


def test_rasa_run_gets_the_configuration_file_with_json_logs() -> None:
    run = ["run", "--model", "models/m.tar.gz", "--enable-api"]
    config = str(json_logs.LOGGING_CONFIG_FILE)
    assert rasa_cli.with_logging_config(run, Settings(log_format="json")) == [
        *run,
        "--logging-config-file",
        config,
    ]
    assert rasa_cli.with_logging_config(run, Settings()) == run  # text: Rasa's own logging
    assert rasa_cli.with_logging_config(["train"], Settings(log_format="json")) == ["train"]
    own = [*run, "--logging-config-file=mine.yml"]
    assert rasa_cli.with_logging_config(own, Settings(log_format="json")) == own  # an operator's own wins
    assert Path(config).is_file()


def test_the_action_server_loads_the_same_configuration(use_settings) -> None:
    use_settings(log_format="json")
    assert action_server.logging_config_file(None) == json_logs.LOGGING_CONFIG_FILE
    assert action_server.logging_config_file(Path("mine.yml")) == Path("mine.yml")
    use_settings(log_format="text")
    assert action_server.logging_config_file(None) is None
    assert action_server.parse_args(["--logging-config-file", "x.yml"]).logging_config_file == Path("x.yml")
