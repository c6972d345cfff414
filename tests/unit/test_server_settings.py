"""What the servers are started with: the shared secrets, limits and command lines."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from bot import shared_secrets
from bot.servers import ServerSettings, action_server_command, rasa_server_command, server_environment


def test_the_action_token_follows_the_api_token() -> None:
    first = shared_secrets.action_token({"BACKCARE_API_TOKEN": "a"})
    assert first == shared_secrets.action_token({"BACKCARE_API_TOKEN": "a"})  # every replica derives the same
    assert first != shared_secrets.action_token({"BACKCARE_API_TOKEN": "b"})
    assert shared_secrets.action_token({"BACKCARE_ACTION_TOKEN": "set", "BACKCARE_API_TOKEN": "a"}) == "set"


def test_the_session_secret_is_made_once_and_kept_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shared_secrets, "RUNTIME_DIR", tmp_path)
    monkeypatch.setattr(shared_secrets, "SESSION_SECRET_FILE", tmp_path / "session.secret")
    made = shared_secrets.session_secret({})
    assert len(made) == 64 and shared_secrets.session_secret({}) == made
    assert stat.S_IMODE((tmp_path / "session.secret").stat().st_mode) == 0o600
    assert shared_secrets.session_secret({"BACKCARE_SESSION_SECRET": "given"}) == "given"


def test_servers_get_both_secrets_and_the_body_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BACKCARE_SESSION_SECRET", "s")
    monkeypatch.delenv("BACKCARE_ACTION_TOKEN", raising=False)  # made by a server start without an API token
    env = server_environment(ServerSettings(api_token="t"))
    assert env["BACKCARE_ACTION_TOKEN"] == shared_secrets.action_token({"BACKCARE_API_TOKEN": "t"})
    assert env["BACKCARE_SESSION_SECRET"] == "s"
    assert env["SANIC_REQUEST_MAX_SIZE"] == "262144" and env["FORCE_JSON_LOGGING"] == "1"


def test_server_commands_keep_the_token_whole_and_grant_no_cors() -> None:
    settings = ServerSettings(api_token="-starts-with-a-dash")
    rasa = rasa_server_command(settings, Path("model.tar.gz"))
    assert "--auth-token=-starts-with-a-dash" in rasa and "--cors" not in rasa
    assert rasa[1:3] == ["-m", "bot.rasa_cli"]  # the log filter is installed first
    actions = action_server_command(settings)
    assert actions[1:3] == ["-m", "bot.action_server"] and actions[actions.index("--host") + 1] == "127.0.0.1"
