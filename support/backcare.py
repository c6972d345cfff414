"""A whole BackCare (action server, Rasa server, web page) on free ports.

Each process gets an explicit environment on top of ours; nothing here changes
`os.environ`, so a developer's shell and other tests are left alone.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Dict, Iterator, Mapping, Optional

from bot import servers
from bot.settings import Settings
from support.client import BackCareClient
from support.ports import free_port
from support.telegram_standin import BotApiStandIn

READY_TIMEOUT_S = 300  # a cold start loads TensorFlow and the model


def settings_on_free_ports(api_token: str) -> servers.ServerSettings:
    """Settings for the three servers on ports nothing listens on, protected by `api_token`."""
    return servers.ServerSettings(
        rasa_port=free_port(), actions_port=free_port(), api_token=api_token, web_port=free_port()
    )


def page_environment(settings: servers.ServerSettings) -> Dict[str, str]:
    """The page's public address and allowed origins for `settings`, over whatever a shell has set."""
    return {
        "BACKCARE_WEB_ORIGINS": ",".join(settings.web_origins),
        "BACKCARE_PUBLIC_URL": settings.web_url,
    }


@contextmanager
def running_backcare(
    settings: servers.ServerSettings,
    environment: Mapping[str, str],
    model: Path,
    log_file: Path,
    telegram_api: Optional[BotApiStandIn] = None,
) -> Iterator[BackCareClient]:
    """Starts the action server, the Rasa server with `model` and the web page, and a
    client for them once all three answer; stops them afterwards.

    `telegram_api` is the stand-in `environment` points the Telegram channel at, if any.
    On a failure the end of the servers' log is printed: it says why.
    """
    processes = [
        servers.start(servers.action_server_command(settings), settings, log_file, environment),
        servers.start(servers.rasa_server_command(settings, model), settings, log_file, environment),
        servers.start(servers.web_server_command(settings), settings, log_file, environment),
    ]
    try:
        servers.wait_until_ready(settings, processes, timeout=READY_TIMEOUT_S, with_web=True)
        configuration = Settings.from_environment(servers.server_environment(settings, environment))
        yield BackCareClient(settings, configuration, telegram_api, log_file)
    except Exception:
        print(log_file.read_text(errors="replace")[-5000:])
        raise
    finally:
        servers.stop(processes)
