"""Several BackCare replicas sharing their stores, for persistence and replica tests.

Each replica is a Rasa server with its own action server; the stores they share
(tracker store, exercise database, lock store) come from the environment given.
"""

from __future__ import annotations

import secrets
import subprocess
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterator, List

from bot import servers, training
from support.backcare import READY_TIMEOUT_S, settings_on_free_ports
from support.client import BackCareClient


@dataclass
class Replica:
    settings: servers.ServerSettings
    rasa: subprocess.Popen
    actions: subprocess.Popen
    client: BackCareClient

    @property
    def processes(self) -> List[subprocess.Popen]:
        return [self.rasa, self.actions]


@dataclass
class Deployment:
    """N Rasa servers, each with its own action server, sharing the stores."""

    environment: Dict[str, str]
    log_file: Path
    token: str = field(default_factory=lambda: secrets.token_urlsafe(12))
    replicas: List[Replica] = field(default_factory=list)

    def _start(self, command: List[str], settings: servers.ServerSettings) -> subprocess.Popen:
        return servers.start(command, settings, self.log_file, self.environment)

    def start(self, count: int) -> Deployment:
        model = training.model_path()
        for _ in range(count):
            settings = settings_on_free_ports(self.token)
            actions = self._start(servers.action_server_command(settings), settings)
            rasa = self._start(servers.rasa_server_command(settings, model), settings)
            self.replicas.append(Replica(settings, rasa, actions, BackCareClient(settings)))
        for replica in self.replicas:
            servers.wait_until_ready(replica.settings, replica.processes, timeout=READY_TIMEOUT_S)
        return self

    def restart_rasa(self, index: int) -> None:
        """Stops one replica's Rasa server and starts it again on the same port."""
        replica = self.replicas[index]
        servers.stop([replica.rasa])
        command = servers.rasa_server_command(replica.settings, training.model_path())
        replica.rasa = self._start(command, replica.settings)
        servers.wait_until_ready(replica.settings, replica.processes, timeout=READY_TIMEOUT_S)

    def stop(self) -> None:
        servers.stop([process for replica in self.replicas for process in replica.processes])


@contextmanager
def deployment(environment: Dict[str, str], log_file: Path, count: int = 1) -> Iterator[Deployment]:
    """`count` replicas started with `environment`; the log's end is printed if one fails."""
    running = Deployment(environment, log_file)
    try:
        yield running.start(count)
    except Exception:
        print(log_file.read_text(errors="replace")[-4000:] if log_file.exists() else "")
        raise
    finally:
        running.stop()
