"""A private Redis server for one test: a password, a named user, TLS.

The machine's shared Redis has none of these, and changing its configuration
would disturb every other test; `redis-server` from Debian's package is started
on a free port in a temporary directory and stopped afterwards.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, List, Optional

import redis

from support.ports import free_port


def _certificates(directory: Path) -> Path:
    """A throw-away CA and a server certificate for 127.0.0.1; returns the CA file."""

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=directory, check=True, capture_output=True)

    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=BackCare test CA",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
    )
    openssl(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=127.0.0.1",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
    )
    (directory / "san.cnf").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    openssl(
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "1",
        "-extfile",
        "san.cnf",
        "-out",
        "server.pem",
    )
    return directory / "ca.pem"


class PrivateRedis:
    """redis-server on a port of its own, which a test may stop and start again (same port, same URL)."""

    def __init__(self, password: str, user: Optional[str] = None, user_password: str = "", tls: bool = False):
        server = shutil.which("redis-server")
        if not server:
            raise RuntimeError("redis-server is missing: Debian's redis-server package provides it")
        self.directory = Path(tempfile.mkdtemp(prefix="backcare-redis-"))
        self.port = port = free_port()
        self.arguments: List[str] = [
            server,
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(self.directory),
            "--requirepass",
            password,
        ]
        if user:
            self.arguments += ["--user", user, "on", f">{user_password}", "~*", "&*", "+@all"]
        scheme, query = "redis", ""
        if tls:
            ca = _certificates(self.directory)
            self.arguments += [
                "--port",
                "0",
                "--tls-port",
                str(port),
                "--tls-cert-file",
                str(self.directory / "server.pem"),
                "--tls-key-file",
                str(self.directory / "server.key"),
                "--tls-ca-cert-file",
                str(ca),
                "--tls-auth-clients",
                "no",
            ]
            scheme, query = "rediss", f"?ssl_ca_certs={ca}"
        else:
            self.arguments += ["--port", str(port), "--bind", "127.0.0.1"]
        self.url = f"{scheme}://:{password}@127.0.0.1:{port}/0{query}"
        self.process: Optional[subprocess.Popen] = None

    def start(self) -> PrivateRedis:
        self.process = subprocess.Popen(self.arguments, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while True:
            try:
                redis.Redis.from_url(self.url, socket_timeout=1).ping()
                return self
            except redis.RedisError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)


@contextmanager
def private_redis(
    password: str, user: Optional[str] = None, user_password: str = "", tls: bool = False
) -> Iterator[str]:
    """A running private Redis; yields its URL with the default user's password."""
    server = PrivateRedis(password, user, user_password, tls)
    try:
        yield server.start().url
    finally:
        server.remove()
