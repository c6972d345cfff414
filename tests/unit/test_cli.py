"""The `backcare` command: clear messages instead of tracebacks."""

from __future__ import annotations

import re
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot import cli, paths, servers, training
from bot.knowledge.seed import load_exercise_file


def run(argv, capsys, **environment: str) -> tuple:
    """`backcare <argv>` with exactly `environment` as its settings."""
    code = cli.main(argv, environment)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_seed_then_check(tmp_path: Path, capsys) -> None:
    database = {"BACKCARE_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    code, output = run(["db", "check"], capsys, **database)
    assert code == 2 and "backcare db seed" in output
    code, output = run(["db", "seed"], capsys, **database)
    count = len(load_exercise_file())  # every exercise in data/exercises.yml
    assert code == 0 and f"{count} created" in output
    code, output = run(["db", "seed"], capsys, **database)
    assert code == 0 and f"0 created, 0 updated, {count} unchanged" in output
    code, output = run(["db", "check"], capsys, **database)
    assert code == 0 and f"{count} exercises" in output


def test_unreachable_database_is_reported_without_a_traceback(capsys) -> None:
    # Nothing listens on port 1: the server is "down".
    database = {"BACKCARE_DATABASE_URL": "postgresql://backcare:secret@127.0.0.1:1/backcare"}
    code, output = run(["db", "seed"], capsys, **database)
    assert code == 2
    assert "Traceback" not in output
    assert "Exercise database problem" in output and "Connection refused" in output
    code, output = run(["db", "check"], capsys, **database)
    assert code == 2 and "***" in output and "secret" not in output


def test_actions_server_refuses_to_start_on_an_empty_database(tmp_path: Path, capsys) -> None:
    empty = {"BACKCARE_DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}", "BACKCARE_API_TOKEN": "t"}
    code, output = run(["actions", "--actions-port", "1"], capsys, **empty)
    assert code == 2 and "backcare db seed" in output


def test_actions_server_without_a_shared_token_is_refused(capsys) -> None:
    code, output = run(["actions", "--actions-port", "1"], capsys)
    assert code == 2 and "BACKCARE_API_TOKEN" in output


@pytest.mark.parametrize(
    ("variable", "value", "said"),
    [
        ("BACKCARE_RASA_PORT", "five", "BACKCARE_RASA_PORT must be a whole number, not 'five'"),
        ("BACKCARE_WEB_PORT", "70000", "BACKCARE_WEB_PORT must be a port number"),
        ("BACKCARE_MAX_MESSAGE_CHARS", "0", "BACKCARE_MAX_MESSAGE_CHARS must be a positive number"),
        ("BACKCARE_LOCK_STORE_URL", "localhost:6379", "BACKCARE_LOCK_STORE_URL must look like redis://"),
    ],
)
def test_a_broken_setting_is_named_without_a_traceback(capsys, variable: str, value: str, said: str) -> None:
    code, output = run(["serve"], capsys, **{variable: value, "BACKCARE_API_TOKEN": "t"})
    assert code == 2 and said in output and "Traceback" not in output


def test_model_name_follows_the_training_inputs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    copy = tmp_path / "config.yml"
    shutil.copy(paths.CONFIG_FILE, copy)
    monkeypatch.setattr(paths, "CONFIG_FILE", copy)
    before = training.training_fingerprint()
    assert training.training_fingerprint() == before  # stable
    copy.write_text(copy.read_text() + "\n# a comment changes the inputs\n")
    assert training.training_fingerprint() != before
    assert training.model_path(before).name == f"backcare-{before}.tar.gz"


def clock_shown(output: str) -> datetime:
    """The time in `BackCare's clock: 2026-06-10 08:00 UTC (...)`."""
    match = re.search(r"BackCare's clock: (\d{4}-\d\d-\d\d \d\d:\d\d) UTC", output)
    assert match, output
    return datetime.strptime(match[1], "%Y-%m-%d %H:%M").replace(tzinfo=timezone.utc)


def test_clock_advance_show_and_reset(tmp_path: Path, capsys) -> None:
    clock_file = tmp_path / "clock-offset"
    environment = {"BACKCARE_CLOCK_FILE": str(clock_file)}
    code, output = run(["clock", "show"], capsys, **environment)
    assert code == 0 and "the real clock" in output and not clock_file.exists()
    code, output = run(["clock", "advance", "1d"], capsys, **environment)
    assert code == 0 and "1d 0h 0m ahead" in output and float(clock_file.read_text()) == 86400
    code, output = run(["clock", "advance", "12h"], capsys, **environment)
    assert code == 0 and "1d 12h 0m ahead" in output
    code, output = run(["clock", "show"], capsys, **environment)
    ahead = clock_shown(output) - datetime.now(timezone.utc)
    assert code == 0 and timedelta(hours=35, minutes=58) < ahead < timedelta(hours=36, minutes=1)
    code, output = run(["clock", "reset"], capsys, **environment)
    assert code == 0 and "the real clock" in output and not clock_file.exists()
    assert abs(clock_shown(output) - datetime.now(timezone.utc)) < timedelta(minutes=2)


def test_clock_advance_wants_a_span(tmp_path: Path, capsys) -> None:
    clock_file = tmp_path / "clock-offset"
    code, output = run(["clock", "advance", "tomorrow"], capsys, BACKCARE_CLOCK_FILE=str(clock_file))
    assert code == 2 and "1d, 12h or 30m" in output and not clock_file.exists()


def test_clock_without_a_variable_is_the_clock_of_make_run(capsys) -> None:
    code, output = run(["clock", "show"], capsys)
    assert code == 0 and "var/clock-offset" in output and "BackCare's clock" in output


def test_reminders_need_the_api_token(capsys) -> None:
    code, output = run(["reminders", "--once"], capsys)
    assert code == 2 and "BACKCARE_API_TOKEN" in output


def test_backcare_run_gives_its_processes_a_clock_file_unless_one_is_set() -> None:
    assert servers.local_clock_environment({}) == {
        "BACKCARE_CLOCK_FILE": str(paths.RUNTIME_DIR / "clock-offset")
    }
    assert servers.local_clock_environment({"BACKCARE_CLOCK_FILE": "/tmp/mine"}) == {}
