"""The `backcare` command: clear messages instead of tracebacks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot import cli, paths, training
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
