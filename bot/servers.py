"""Starts the action server, the Rasa server, the web page and the reminders, and waits until they answer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Mapping, Optional

from bot import paths
from bot.settings import (
    DEFAULT_ACTIONS_PORT,
    DEFAULT_HOST,
    DEFAULT_RASA_PORT,
    DEFAULT_WEB_PORT,
    Settings,
    SettingsError,
)
from bot.shared_secrets import action_token, session_secret
from bot.stores import store_environment


@dataclass(frozen=True)
class ServerSettings:
    """Where the processes of one BackCare listen (from `Settings` and the command line)."""

    host: str = DEFAULT_HOST
    rasa_port: int = DEFAULT_RASA_PORT
    actions_port: int = DEFAULT_ACTIONS_PORT
    api_token: str = ""
    web_port: int = DEFAULT_WEB_PORT
    actions_host: str = ""  # where the Rasa server finds the action server; default `host`

    @property
    def action_endpoint(self) -> str:
        return f"http://{self.actions_host or self.host}:{self.actions_port}/webhook"

    @property
    def rasa_url(self) -> str:
        return f"http://{self.host}:{self.rasa_port}"

    @property
    def web_url(self) -> str:
        return f"http://{self.host}:{self.web_port}"

    @property
    def web_origins(self) -> List[str]:
        """The chat page's origins, the only ones allowed to call Rasa from a browser."""
        origins = [self.web_url]
        if self.host == "127.0.0.1":
            origins.append(f"http://localhost:{self.web_port}")
        return origins


def server_environment(
    settings: ServerSettings, environment: Optional[Mapping[str, str]] = None
) -> Dict[str, str]:
    """The servers' environment: ours, with `environment` over it, completed from `settings`.

    Everything the servers derive (tokens, store variables, the page's
    address) is computed here once, so every process of a run agrees.
    """
    env = {**os.environ, **(environment or {})}
    if settings.api_token:
        env["BACKCARE_API_TOKEN"] = settings.api_token
    env.setdefault("BACKCARE_WEB_ORIGINS", ",".join(settings.web_origins))
    env.setdefault("BACKCARE_PUBLIC_URL", settings.web_url)
    backcare = Settings.from_environment(env)
    env["BACKCARE_ACTION_ENDPOINT"] = settings.action_endpoint
    # The project root must be importable for `bot.*` components and `actions`.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(paths.PROJECT_ROOT), env.get("PYTHONPATH")]))
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.update(store_environment(backcare))
    env["BACKCARE_ACTION_TOKEN"] = action_token(backcare)
    if not env["BACKCARE_ACTION_TOKEN"]:
        raise SettingsError(
            "set BACKCARE_API_TOKEN (or BACKCARE_ACTION_TOKEN) so Rasa and the action server share a token"
        )
    env["BACKCARE_SESSION_SECRET"] = session_secret(backcare)
    # Sanic answers 413 above this body size.
    env["SANIC_REQUEST_MAX_SIZE"] = str(backcare.max_body_bytes)
    # Rasa logs structured events as JSON (not as console text) even on a
    # terminal, which lets bot.log_privacy blank every value it must not keep.
    env["FORCE_JSON_LOGGING"] = "1"
    return env


def action_server_command(settings: ServerSettings) -> List[str]:
    return [
        sys.executable,
        "-m",
        "bot.action_server",
        "--actions",
        "actions",
        "--host",
        settings.host,
        "--port",
        str(settings.actions_port),
    ]


def rasa_server_command(settings: ServerSettings, model: Path) -> List[str]:
    # No --cors: the widget talks socket.io, whose origins bot.channels.socketio
    # checks; REST is for servers, and browsers get no CORS grant for it.
    return [
        sys.executable,
        "-m",
        "bot.rasa_cli",
        "run",
        "--model",
        str(model),
        "--interface",
        settings.host,
        "--port",
        str(settings.rasa_port),
        "--enable-api",
        f"--auth-token={settings.api_token}",  # one token in 64 starts with "-"
        "--credentials",
        str(paths.CREDENTIALS_FILE),
        "--endpoints",
        str(paths.ENDPOINTS_FILE),
    ]


def web_server_command(settings: ServerSettings) -> List[str]:
    return [
        sys.executable,
        "-m",
        "bot.web",
        "--host",
        settings.host,
        "--port",
        str(settings.web_port),
        "--rasa-url",
        settings.rasa_url,
    ]


def reminders_command() -> List[str]:
    """`backcare reminders`: no port of its own; it calls the Rasa server's HTTP API."""
    return [sys.executable, "-m", "bot.cli", "reminders"]


def reminders_environment(settings: ServerSettings) -> Dict[str, str]:
    """Points the reminders at the Rasa server of this run (the API token is in every environment)."""
    return {"BACKCARE_RASA_URL": settings.rasa_url}


def local_clock_environment(environment: Optional[Mapping[str, str]] = None) -> Dict[str, str]:
    """`backcare run` gives its processes a clock file unless BACKCARE_CLOCK_FILE is set already.

    Until someone runs `backcare clock advance 1d` the file does not exist and
    the clock is the real one; after it, every process of the local run sees
    the next day, which is how a person tries reminders and "the next day".
    """
    environment = os.environ if environment is None else environment
    if environment.get("BACKCARE_CLOCK_FILE", "").strip():
        return {}
    return {"BACKCARE_CLOCK_FILE": str(paths.RUNTIME_DIR / "clock-offset")}


def start(
    command: List[str],
    settings: ServerSettings,
    log_file: Optional[Path] = None,
    environment: Optional[Mapping[str, str]] = None,
) -> subprocess.Popen:
    """Starts `command` with `environment` over ours, without changing ours."""
    output = open(log_file, "ab") if log_file else None
    return subprocess.Popen(
        command,
        cwd=paths.PROJECT_ROOT,
        env=server_environment(settings, environment),
        stdout=output,
        stderr=subprocess.STDOUT if output else None,
    )


def _get_json(url: str) -> Optional[dict]:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return json.loads(response.read() or b"null")
    except (urllib.error.URLError, ConnectionError, TimeoutError, ValueError):
        return None


def wait_until_ready(
    settings: ServerSettings,
    processes: List[subprocess.Popen],
    timeout: float = 180,
    with_web: bool = False,
) -> None:
    """Blocks until both servers answer; fails early if one of them exits."""
    deadline = time.monotonic() + timeout
    actions_health = f"http://{settings.actions_host or settings.host}:{settings.actions_port}/health"
    rasa_status = f"{settings.rasa_url}/status?token={settings.api_token}"
    web_health = f"{settings.web_url}/health" if with_web else None
    while time.monotonic() < deadline:
        for process in processes:
            if process.poll() is not None:
                command = (
                    " ".join(map(str, process.args[:4]))
                    if isinstance(process.args, list)
                    else repr(process.args)
                )
                raise RuntimeError(f"{command} exited with code {process.returncode}")
        status = _get_json(rasa_status)
        web_ready = web_health is None or _get_json(web_health)
        if _get_json(actions_health) and status and status.get("model_id") and web_ready:
            return
        time.sleep(0.5)
    raise TimeoutError(f"servers not ready after {timeout:.0f} s")


def stop(processes: List[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
