"""The `backcare` command: clear messages instead of tracebacks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot import cli, paths, training
from bot.knowledge.seed import load_exercise_file


def run(argv, capsys) -> tuple:
    code = cli.main(argv)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_seed_then_check(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys) -> None:
    monkeypatch.setenv("BACKCARE_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    code, output = run(["db", "check"], capsys)
    assert code == 2 and "backcare db seed" in output
    code, output = run(["db", "seed"], capsys)
    count = len(load_exercise_file())  # every exercise in data/exercises.yml
    assert code == 0 and f"{count} created" in output
    code, output = run(["db", "seed"], capsys)
    assert code == 0 and f"0 created, 0 updated, {count} unchanged" in output
    code, output = run(["db", "check"], capsys)
    assert code == 0 and f"{count} exercises" in output


def test_unreachable_database_is_reported_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    # Nothing listens on port 1: the server is "down".
    monkeypatch.setenv("BACKCARE_DATABASE_URL", "postgresql://backcare:secret@127.0.0.1:1/backcare")
    code, output = run(["db", "seed"], capsys)
    assert code == 2
    assert "Traceback" not in output
    assert "Exercise database problem" in output and "Connection refused" in output
    code, output = run(["db", "check"], capsys)
    assert code == 2 and "***" in output and "secret" not in output


def test_actions_server_refuses_to_start_on_an_empty_database(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys
) -> None:
    monkeypatch.setenv("BACKCARE_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    code, output = run(["actions", "--actions-port", "1"], capsys)
    assert code == 2 and "backcare db seed" in output


def test_model_name_follows_the_training_inputs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    copy = tmp_path / "config.yml"
    shutil.copy(paths.CONFIG_FILE, copy)
    monkeypatch.setattr(paths, "CONFIG_FILE", copy)
    before = training.training_fingerprint()
    assert training.training_fingerprint() == before  # stable
    copy.write_text(copy.read_text() + "\n# a comment changes the inputs\n")
    assert training.training_fingerprint() != before
    assert training.model_path(before).name == f"backcare-{before}.tar.gz"
