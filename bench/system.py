"""Starting and stopping one system under test (action server + Rasa server) on free ports.

BackCare's Rasa server starts as `backcare run` starts it (`bot.rasa_cli`: the
overrides, BackCare's channels and tracker store). The baseline's starts as
stock Rasa: `python -m rasa run` with Rasa's own REST and socket.io channels
and Rasa's `SQLTrackerStore`, so that what BackCare's runtime saves is not
saved for the baseline too. Both call the same action server.
"""

from __future__ import annotations

import secrets
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional

import yaml

from bot import servers
from support.backcare import settings_on_free_ports
from support.database import seeded_sqlite

READY_TIMEOUT_S = 300


def fresh_databases(workdir: Path) -> Dict[str, str]:
    """A seeded exercise database and an empty tracker store in `workdir`, as the servers' environment."""
    return {
        "BACKCARE_DATABASE_URL": seeded_sqlite(workdir / "exercises.db"),
        "BACKCARE_TRACKER_STORE_URL": f"sqlite:///{workdir / 'conversations.db'}",
    }


@dataclass
class System:
    settings: servers.ServerSettings
    processes: List[subprocess.Popen]
    rasa: subprocess.Popen
    actions: Optional[subprocess.Popen]
    ready_s: float
    environment: Dict[str, str]

    @property
    def url(self) -> str:
        return self.settings.rasa_url

    @property
    def web_origin(self) -> str:
        """An origin the socket.io channel accepts (the page's)."""
        return self.environment["BACKCARE_WEB_ORIGINS"].split(",")[0].strip()

    def stop(self) -> None:
        servers.stop(self.processes)


# Rasa's own channels, as `rasa init` writes them, but for session persistence:
# with it, Rasa 3.6 never joins the tab to its session's room under the locked
# python-socketio (`enter_room` became a coroutine, RasaHQ/rasa#13027), so no
# reply would reach the client. Without it the reply goes to the connection.
STOCK_CREDENTIALS: Dict[str, Any] = {
    "rest": None,
    "socketio": {
        "user_message_evt": "user_uttered",
        "bot_message_evt": "bot_uttered",
        "session_persistence": False,
    },
}


def stock_endpoints(settings: servers.ServerSettings, environment: Mapping[str, str]) -> Dict[str, Any]:
    """Rasa's `SQLTrackerStore` on the run's SQLite file, and the shared action server."""
    server_env = servers.server_environment(settings, environment)
    store_url = environment["BACKCARE_TRACKER_STORE_URL"]
    if not store_url.startswith("sqlite:///"):
        raise ValueError(f"the stock baseline runs on a SQLite tracker store, not {store_url.split(':')[0]}")
    return {
        "action_endpoint": {
            "url": server_env["BACKCARE_ACTION_ENDPOINT"],
            "headers": {"X-BackCare-Action-Token": server_env["BACKCARE_ACTION_TOKEN"]},
        },
        "tracker_store": {"type": "SQL", "dialect": "sqlite", "db": store_url[len("sqlite:///") :]},
    }


def stock_rasa_command(
    settings: servers.ServerSettings, model: Path, workdir: Path, environment: Mapping[str, str]
) -> List[str]:
    """`python -m rasa run` with Rasa's channels and tracker store (files written to `workdir`)."""
    credentials = workdir / f"stock-credentials-{settings.rasa_port}.yml"
    endpoints = workdir / f"stock-endpoints-{settings.rasa_port}.yml"
    credentials.write_text(yaml.safe_dump(STOCK_CREDENTIALS))
    endpoints.write_text(yaml.safe_dump(stock_endpoints(settings, environment)))
    command = servers.rasa_server_command(settings, model)
    module = command.index("bot.rasa_cli")
    command[module] = "rasa"
    command[command.index("--credentials") + 1] = str(credentials)
    command[command.index("--endpoints") + 1] = str(endpoints)
    return command


def start(
    model: Path, with_actions: bool, workdir: Path, environment: Mapping[str, str], stock: bool = False
) -> System:
    """Action server (if `with_actions`) and Rasa server; `stock`: Rasa as `rasa run` serves it."""
    settings = settings_on_free_ports(secrets.token_urlsafe(12))
    log = workdir / f"servers-{settings.rasa_port}.log"
    started = time.perf_counter()
    processes = []
    actions = None
    if with_actions:
        actions = servers.start(servers.action_server_command(settings), settings, log, environment)
        processes.append(actions)
    if stock:
        rasa_command = stock_rasa_command(settings, model, workdir, environment)
    else:
        rasa_command = servers.rasa_server_command(settings, model)
    rasa = servers.start(rasa_command, settings, log, environment)
    processes.append(rasa)
    try:
        if with_actions:
            servers.wait_until_ready(settings, processes, timeout=READY_TIMEOUT_S)
        else:
            deadline = time.monotonic() + READY_TIMEOUT_S
            status = None
            while time.monotonic() < deadline and not (status and status.get("model_id")):
                time.sleep(0.5)
                status = servers._get_json(f"{settings.rasa_url}/status?token={settings.api_token}")
    except Exception:
        servers.stop(processes)
        print(log.read_text(errors="replace")[-4000:], file=sys.stderr)  # why a server did not come up
        raise
    ready_s = time.perf_counter() - started
    return System(
        settings, processes, rasa, actions, ready_s, servers.server_environment(settings, environment)
    )


def start_system(model: Path, with_actions: bool, workdir: Path, environment: Mapping[str, str]) -> tuple:
    """(settings, processes, rasa process, seconds until ready), as `bench.profile` uses it."""
    system = start(model, with_actions, workdir, environment)
    return system.settings, system.processes, system.rasa, system.ready_s
