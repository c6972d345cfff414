"""Starting and stopping one system under test (action server + Rasa server) on free ports."""

from __future__ import annotations

import secrets
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Mapping, Optional

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


def start(model: Path, with_actions: bool, workdir: Path, environment: Mapping[str, str]) -> System:
    settings = settings_on_free_ports(secrets.token_urlsafe(12))
    log = workdir / f"servers-{settings.rasa_port}.log"
    started = time.perf_counter()
    processes = []
    actions = None
    if with_actions:
        actions = servers.start(servers.action_server_command(settings), settings, log, environment)
        processes.append(actions)
    rasa = servers.start(servers.rasa_server_command(settings, model), settings, log, environment)
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
