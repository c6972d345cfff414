"""What the servers are started with: the shared secrets, limits and command lines."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from bot import shared_secrets
from bot.servers import ServerSettings, action_server_command, rasa_server_command, server_environment
from bot.settings import Settings, SettingsError


def test_the_action_token_follows_the_api_token() -> None:
    first = shared_secrets.action_token(Settings(api_token="a"))
    assert first == shared_secrets.action_token(Settings(api_token="a"))  # every replica derives the same
    assert first != shared_secrets.action_token(Settings(api_token="b"))
    assert shared_secrets.action_token(Settings(action_token="set", api_token="a")) == "set"
    assert shared_secrets.action_token(Settings()) == ""  # nothing to share: the servers refuse to start


def test_the_session_secret_is_made_once_and_kept_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shared_secrets, "RUNTIME_DIR", tmp_path)
    monkeypatch.setattr(shared_secrets, "SESSION_SECRET_FILE", tmp_path / "session.secret")
    made = shared_secrets.session_secret(Settings())
    assert len(made) == 64 and shared_secrets.session_secret(Settings()) == made
    assert stat.S_IMODE((tmp_path / "session.secret").stat().st_mode) == 0o600
    assert shared_secrets.session_secret(Settings(session_secret="given")) == "given"


# Blank values count as unset, whatever the shell running the tests has exported.
UNSET = {"BACKCARE_ACTION_TOKEN": "", "BACKCARE_API_TOKEN": "", "BACKCARE_MAX_BODY_BYTES": ""}


def test_servers_get_both_secrets_and_the_body_limit() -> None:
    env = server_environment(ServerSettings(api_token="t"), {**UNSET, "BACKCARE_SESSION_SECRET": "s"})
    assert env["BACKCARE_ACTION_TOKEN"] == shared_secrets.action_token(Settings(api_token="t"))
    assert env["BACKCARE_SESSION_SECRET"] == "s"
    assert env["SANIC_REQUEST_MAX_SIZE"] == "262144" and env["FORCE_JSON_LOGGING"] == "1"
    env = server_environment(ServerSettings(api_token="t"), {**UNSET, "BACKCARE_MAX_BODY_BYTES": "1000"})
    assert env["SANIC_REQUEST_MAX_SIZE"] == "1000"


def test_servers_without_a_token_to_share_are_not_started() -> None:
    with pytest.raises(SettingsError, match="BACKCARE_API_TOKEN"):
        server_environment(ServerSettings(), UNSET)


def test_server_commands_keep_the_token_whole_and_grant_no_cors() -> None:
    settings = ServerSettings(api_token="-starts-with-a-dash")
    rasa = rasa_server_command(settings, Path("model.tar.gz"))
    assert "--auth-token=-starts-with-a-dash" in rasa and "--cors" not in rasa
    assert rasa[1:3] == ["-m", "bot.rasa_cli"]  # the log filter is installed first
    actions = action_server_command(settings)
    assert actions[1:3] == ["-m", "bot.action_server"] and actions[actions.index("--host") + 1] == "127.0.0.1"
