"""docker-compose.yml and the Dockerfile (Docker cannot run here: check what can be)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, Iterator, List, Optional
from urllib.parse import urlsplit

import pytest
import yaml

from bot import paths
from bot.cli import build_parser
from bot.settings import Settings
from bot.web.server import create_app, page_config
from support.page_server import serving_app, settings_for_page
from support.ports import free_port

COMPOSE = yaml.safe_load((paths.PROJECT_ROOT / "docker-compose.yml").read_text())
DOCKERFILE = (paths.PROJECT_ROOT / "Dockerfile").read_text()


def test_compose_has_replicas_and_the_shared_stores() -> None:
    services = COMPOSE["services"]
    assert {"rasa-1", "rasa-2", "actions-1", "actions-2", "postgres", "redis", "web", "migrate"} <= set(
        services
    )
    for name in ("rasa-1", "rasa-2", "actions-1", "actions-2"):
        environment = services[name]["environment"]
        assert environment["BACKCARE_TRACKER_STORE_URL"].startswith("postgresql://")
        assert environment["BACKCARE_LOCK_STORE_URL"] == "redis://redis:6379/0"
        assert environment["BACKCARE_DATABASE_URL"].startswith("postgresql://")


def test_compose_commands_are_the_tested_backcare_commands() -> None:
    parser = build_parser(Settings())
    used = set()
    for service in COMPOSE["services"].values():
        command = service.get("command")
        if command and command[0] == "backcare":
            args = parser.parse_args(command[1:])  # raises SystemExit on a wrong option
            used.add(args.command)
            if args.command == "serve":
                assert args.actions_host in COMPOSE["services"]
    assert {"serve", "actions", "db", "reminders"} <= used


def test_compose_reminders_reach_a_rasa_replica_and_the_shared_database() -> None:
    services = COMPOSE["services"]
    reminders = services["reminders"]
    assert reminders["command"] == ["backcare", "reminders"]
    environment = reminders["environment"]
    assert environment["BACKCARE_DATABASE_URL"] == services["rasa-1"]["environment"]["BACKCARE_DATABASE_URL"]
    assert environment["BACKCARE_API_TOKEN"] == services["rasa-1"]["environment"]["BACKCARE_API_TOKEN"]
    rasa_host, rasa_port = environment["BACKCARE_RASA_URL"].removeprefix("http://").split(":")
    assert rasa_host in reminders["depends_on"] and rasa_host in services
    assert services[rasa_host]["command"][services[rasa_host]["command"].index("--port") + 1] == rasa_port


def test_no_secret_is_written_into_the_deployment_files() -> None:
    text = (paths.PROJECT_ROOT / "docker-compose.yml").read_text()
    for key in ("BACKCARE_API_TOKEN", "POSTGRES_PASSWORD", "TELEGRAM_TOKEN", "TELEGRAM_SECRET_TOKEN"):
        for value in re.findall(rf"{key}: (.*)", text):
            assert value.strip().startswith("${") or value.strip() == "${POSTGRES_PASSWORD}", value


def test_dockerfile_installs_the_pinned_set() -> None:
    assert "FROM python:3.10" in DOCKERFILE
    assert (
        "requirements/lock.txt" in DOCKERFILE
        and "--require-hashes -r requirements/spacy-model.txt" in DOCKERFILE
    )


# --------------------------------------------------------------------------- #
# Health checks and start order
# --------------------------------------------------------------------------- #

SERVICES = COMPOSE["services"]
ONE_SHOT = {"migrate"}  # exits after its work: no health check, others wait for its exit 0
HEALTHCHECK_MODULE = ["python", "-m", "bot.healthcheck"]


def backcare_services() -> Dict[str, dict]:
    """The services that run our image (every one reads the database)."""
    return {name: service for name, service in SERVICES.items() if service.get("image") == "backcare:latest"}


def depends_on(name: str) -> Dict[str, str]:
    """Service -> the condition `name` waits for (a plain list would mean `service_started`)."""
    dependencies = SERVICES[name].get("depends_on") or {}
    assert isinstance(dependencies, dict), f"{name}: depends_on needs conditions, not a list"
    return {dependency: spec["condition"] for dependency, spec in dependencies.items()}


def healthcheck_url(name: str) -> str:
    test = SERVICES[name]["healthcheck"]["test"]
    assert test[0] == "CMD" and test[1:4] == HEALTHCHECK_MODULE, f"{name}: {test}"
    return test[4]


def option(command: List[str], name: str) -> str:
    return command[command.index(name) + 1]


def test_every_long_running_service_has_a_health_check() -> None:
    for name, service in SERVICES.items():
        check = service.get("healthcheck") or {}
        if name in ONE_SHOT:
            assert check == {"disable": True} and service["restart"] == "no", name
            continue
        assert check.get("test") and not check.get("disable"), f"{name} has no health check"
        assert check["test"][0] in ("CMD", "CMD-SHELL"), name
        for field in ("interval", "timeout", "retries", "start_period"):
            assert check.get(field), f"{name}: healthcheck.{field}"
    assert SERVICES["postgres"]["healthcheck"]["test"][:2] == ["CMD", "pg_isready"]
    assert "redis-cli" in SERVICES["redis"]["healthcheck"]["test"][1]
    assert "ping" in SERVICES["redis"]["healthcheck"]["test"][1]


def test_each_health_check_asks_its_own_process() -> None:
    """Rasa `/` on its --port, the action server's and the page's /health on theirs."""
    expected_paths = {"serve": "/", "actions": "/health"}
    for name, service in backcare_services().items():
        command = service["command"]
        if name in ONE_SHOT or command[:2] == ["backcare", "reminders"]:
            continue
        url = urlsplit(healthcheck_url(name))
        assert url.hostname == "127.0.0.1", name  # the container itself
        if command[0] == "backcare":
            port = option(command, "--actions-port" if command[1] == "actions" else "--port")
            assert url.path == expected_paths[command[1]], name
        else:
            assert command[:3] == ["python", "-m", "bot.web"], name
            port = option(command, "--port")
            assert url.path == "/health", name
        assert str(url.port) == port, name
    # The reminders have no port: healthy while the Rasa server they call answers.
    reminders_rasa = SERVICES["reminders"]["environment"]["BACKCARE_RASA_URL"]
    assert healthcheck_url("reminders") == reminders_rasa + "/"


def test_services_wait_for_healthy_stores_and_the_finished_migration() -> None:
    for name, service in backcare_services().items():
        conditions = depends_on(name)
        # Every process of the image reads or writes the database on PostgreSQL.
        assert service["environment"]["BACKCARE_DATABASE_URL"].startswith("postgresql://"), name
        assert conditions.get("postgres") == "service_healthy", name
        if name not in ONE_SHOT:
            assert conditions.get("migrate") == "service_completed_successfully", name
        if service["command"][:2] == ["backcare", "serve"]:
            # Lock store, privacy deletions and Telegram's update ledger live in Redis.
            assert conditions.get("redis") == "service_healthy", name
            actions_host = option(service["command"], "--actions-host")
            assert conditions.get(actions_host) == "service_healthy", name
    reminders_rasa = urlsplit(SERVICES["reminders"]["environment"]["BACKCARE_RASA_URL"]).hostname
    assert depends_on("reminders")[reminders_rasa] == "service_healthy"
    assert set(depends_on("migrate")) == {"postgres"}


def test_the_dockerfile_has_a_health_check_for_its_default_command() -> None:
    match = re.search(r"^HEALTHCHECK (.*?)CMD (\[.*\])$", DOCKERFILE.replace("\\\n", " "), re.MULTILINE)
    assert match, "no HEALTHCHECK in the Dockerfile"
    assert all(
        f"--{field}=" in match.group(1) for field in ("interval", "timeout", "start-period", "retries")
    )
    check = json.loads(match.group(2))
    assert check[:3] == HEALTHCHECK_MODULE
    default_command = json.loads(re.search(r"^CMD (\[.*\])$", DOCKERFILE, re.MULTILINE).group(1))
    assert default_command[:2] == ["backcare", "serve"] and "--port" not in default_command
    assert check[3] == f"http://127.0.0.1:{Settings().rasa_port}/"


# --------------------------------------------------------------------------- #
# The health-check commands, run here against real servers
# --------------------------------------------------------------------------- #


class _Answer(BaseHTTPRequestHandler):
    """Answers every GET with the status its path starts with (/200/..., /503/...), or hangs on /slow."""

    def do_GET(self) -> None:
        if self.path.startswith("/slow"):
            time.sleep(3)
        status = int(self.path.strip("/").split("/")[0]) if self.path[1:4].isdigit() else 200
        self.send_response(status)
        if status in (301, 302):
            self.send_header("Location", "/200/")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def answering_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Answer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def run_check(command: List[str], url: str) -> subprocess.CompletedProcess:
    """A compose health check as the container runs it, with this interpreter and `url`."""
    assert command[:3] == HEALTHCHECK_MODULE
    return subprocess.run(
        [sys.executable, *command[1:3], url, *command[4:], "--timeout", "1"],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=paths.PROJECT_ROOT,
    )


@pytest.mark.e2e  # serves HTTP on a free port
def test_the_health_check_passes_on_2xx_only(answering_server: str) -> None:
    command = SERVICES["actions-1"]["healthcheck"]["test"][1:]
    assert run_check(command, answering_server + "/200/health").returncode == 0
    for path, why in [
        ("/503/health", "answered 503"),
        ("/500/", "answered 500"),
        ("/404/", "answered 404"),
        ("/302/", "answered 302"),  # a redirect is not followed
        ("/slow", "timed out"),
    ]:
        result = run_check(command, answering_server + path)
        assert result.returncode == 1, path
        assert result.stderr.startswith("unhealthy: ") and why in result.stderr, result.stderr
    closed = run_check(command, f"http://127.0.0.1:{free_port()}/health")
    assert closed.returncode == 1 and "cannot be reached" in closed.stderr


@pytest.mark.e2e
def test_every_compose_health_check_command_runs_against_a_server(answering_server: str) -> None:
    """Each service's own command and path, only the host and port moved to a local server."""
    for name in backcare_services():
        if name in ONE_SHOT:
            continue
        command = SERVICES[name]["healthcheck"]["test"][1:]
        path = urlsplit(command[3]).path
        assert run_check(command, f"{answering_server}/200{path}").returncode == 0, name
        assert run_check(command, f"{answering_server}/503{path}").returncode == 1, name


@pytest.mark.services
def test_the_postgres_and_redis_checks_tell_a_server_from_a_closed_port() -> None:
    """The store checks as compose runs them, against this machine's PostgreSQL and a private Redis."""
    pg_isready, redis_cli, redis_server = (
        shutil.which(n) for n in ("pg_isready", "redis-cli", "redis-server")
    )
    if not (pg_isready and redis_cli and redis_server):
        pytest.skip("pg_isready, redis-cli or redis-server is not installed")
    postgres = SERVICES["postgres"]["healthcheck"]["test"][1:]
    if subprocess.run(postgres, capture_output=True, timeout=30).returncode != 0:
        print("\n*** PostgreSQL does not answer on 127.0.0.1:5432: only the closed-port case is checked ***")
    else:
        assert subprocess.run(postgres, capture_output=True, timeout=30).returncode == 0
    closed = subprocess.run([*postgres, "-p", str(free_port())], capture_output=True, timeout=30)
    assert closed.returncode != 0

    shell_check = SERVICES["redis"]["healthcheck"]["test"][1]
    port = free_port()
    server = subprocess.Popen(
        [redis_server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        with_port = shell_check.replace("redis-cli ", f"redis-cli -p {port} ", 1)
        deadline = time.monotonic() + 10
        while subprocess.run(["sh", "-c", with_port], timeout=10).returncode != 0:
            assert time.monotonic() < deadline, "the Redis check never passed"
            time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert subprocess.run(["sh", "-c", with_port], capture_output=True, timeout=10).returncode != 0


def docker_compose() -> Optional[List[str]]:
    """The Compose command here: the `docker compose` plugin, else the old standalone `docker-compose`."""
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0:
        return [docker, "compose"]
    standalone = shutil.which("docker-compose")
    return [standalone] if standalone else None


def test_docker_compose_accepts_the_file() -> None:
    compose = docker_compose()
    if compose is None:
        why = "neither `docker compose` nor `docker-compose` is installed: Compose did not check the file"
        print(f"\n*** {why} ***")
        pytest.skip(why)
    environment = {
        **os.environ,
        "BACKCARE_API_TOKEN": "dummy-token",
        "BACKCARE_SESSION_SECRET": "dummy-secret",
        "POSTGRES_PASSWORD": "dummy-password",
    }
    result = subprocess.run(
        [*compose, "-f", str(paths.PROJECT_ROOT / "docker-compose.yml"), "config"],
        capture_output=True,
        text=True,
        env=environment,
        cwd=paths.PROJECT_ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    resolved = yaml.safe_load(result.stdout)["services"]
    assert resolved["rasa-1"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert resolved["rasa-1"]["depends_on"]["actions-1"]["condition"] == "service_healthy"
    assert resolved["rasa-1"]["healthcheck"]["test"][:4] == ["CMD", *HEALTHCHECK_MODULE]
    migrate_check = resolved["migrate"]["healthcheck"]
    assert migrate_check.get("disable") is True or migrate_check.get("test") == ["NONE"]  # v2 / v1 spelling


# --------------------------------------------------------------------------- #
# socket.io behind replicas: the widget's transports
# --------------------------------------------------------------------------- #


def test_replicated_compose_serves_a_websocket_only_widget() -> None:
    """Two Rasa replicas without sticky sessions: long-polling would split a session between them."""
    assert sum(command_is_serve(service) for service in SERVICES.values()) > 1
    assert "--websocket-only" in SERVICES["web"]["command"]
    assert '"transports": ["websocket"]' in page_config("http://rasa", websocket_only=True)
    assert '"transports": ["websocket", "polling"]' in page_config("http://rasa")


def command_is_serve(service: dict) -> bool:
    return service.get("command", [])[:2] == ["backcare", "serve"]


# Records the options the widget passes to socket.io's `io()` before the vendored script defines it.
RECORD_IO_OPTIONS = """
(function () {
  var real;
  Object.defineProperty(window, "io", {
    configurable: true,
    get: function () {
      return real && function (url, options) { window.__ioOptions = options; return real(url, options); };
    },
    set: function (value) { real = value; }
  });
})();
"""


@pytest.mark.parametrize(
    "websocket_only, transports", [(True, ["websocket"]), (False, ["websocket", "polling"])]
)
def test_the_widget_uses_the_transports_the_page_configures(
    browser: Any, websocket_only: bool, transports: List[str]
) -> None:
    rasa_url = f"http://127.0.0.1:{free_port()}"  # nothing listens: the socket just keeps retrying
    settings = settings_for_page()
    app = create_app(rasa_url, settings.public_url, settings, websocket_only=websocket_only)
    with serving_app(app, settings.web_port) as url:
        context = browser.new_context()
        try:
            page = context.new_page()
            page.add_init_script(RECORD_IO_OPTIONS)
            polling: List[str] = []
            page.on(
                "request",
                lambda request: polling.append(request.url) if "transport=polling" in request.url else None,
            )
            page.goto(url + "/")
            page.wait_for_function("() => window.__ioOptions !== undefined")
            assert page.evaluate("() => window.__ioOptions.transports") == transports
            page.wait_for_timeout(1500)
            if websocket_only:
                assert polling == []  # no long-polling request, even with the websocket failing
        finally:
            context.close()
