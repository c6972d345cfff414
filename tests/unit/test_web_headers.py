"""The chat page's security headers, on the real aiohttp server and in a real headless Chromium."""

from __future__ import annotations

import asyncio
import re
import socket
import threading
from typing import Iterator, List

import pytest
import requests
from aiohttp import web

from bot.web.server import content_security_policy, create_app
from support.ports import free_port

pytestmark = pytest.mark.e2e  # serves the page on a port; two tests drive Chromium (marked `browser`)

COLLECT_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


class ServerThread:
    """Runs aiohttp apps on 127.0.0.1 in a background event loop."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.runners: List[web.AppRunner] = []
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def serve(self, app: web.Application) -> str:
        return asyncio.run_coroutine_threadsafe(self._serve(app), self.loop).result(timeout=10)

    async def _serve(self, app: web.Application) -> str:
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        self.runners.append(runner)
        host, port = runner.addresses[0][:2]
        return f"http://{host}:{port}"

    def stop(self) -> None:
        for runner in self.runners:
            asyncio.run_coroutine_threadsafe(runner.cleanup(), self.loop).result(timeout=10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def servers() -> Iterator[ServerThread]:
    thread = ServerThread()
    yield thread
    thread.stop()


@pytest.fixture(scope="module")
def rasa_url() -> str:
    return f"http://127.0.0.1:{free_port()}"  # nothing listens: the socket just fails


@pytest.fixture(scope="module")
def web_url(servers: ServerThread, rasa_url: str) -> str:
    return servers.serve(create_app(rasa_url))


@pytest.mark.parametrize(
    "path, status",
    [
        ("/", 200),
        ("/config.js", 200),
        ("/static/widget.js", 200),
        ("/health", 200),
        ("/static/img/exercise-bird_dog.png", 200),
        ("/no/such/page", 404),
        ("/static/missing.js", 404),
    ],
)
def test_every_response_carries_the_security_headers(
    web_url: str, rasa_url: str, path: str, status: int
) -> None:
    response = requests.get(web_url + path, timeout=10)
    assert response.status_code == status
    port = rasa_url.rsplit(":", 1)[1]
    assert response.headers["Content-Security-Policy"] == (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"connect-src 'self' http://127.0.0.1:{port} ws://127.0.0.1:{port}; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Server"] == "BackCare"


def test_secure_rasa_url_allows_wss() -> None:
    assert "img-src 'self' data: http://127.0.0.1:8080;" in content_security_policy(
        "http://127.0.0.1:5005",
        "http://127.0.0.1:8080/",  # images linked from the public URL
    )
    policy = content_security_policy("https://backcare.example.org/")
    assert "connect-src 'self' https://backcare.example.org wss://backcare.example.org;" in policy
    with pytest.raises(ValueError):
        content_security_policy("ftp://backcare.example.org")


def test_server_header_has_no_version_even_for_malformed_requests(web_url: str) -> None:
    host, port = web_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n")
        head = connection.recv(65536).decode("latin-1").split("\r\n\r\n")[0]
    assert head.split("\r\n")[0].split()[1] == "400"
    server = re.search(r"(?im)^Server: (.*)$", head).group(1)
    assert server == "BackCare"
    assert not re.search(r"\d|aiohttp|python", server, re.IGNORECASE)


@pytest.fixture
def context(browser):
    context = browser.new_context()
    context.add_init_script(COLLECT_CSP_VIOLATIONS)
    yield context
    context.close()


def csp_console_errors(page) -> List[str]:
    errors: List[str] = []
    page.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    return errors


def test_page_runs_under_its_policy_without_violations(context, web_url: str) -> None:
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = csp_console_errors(page)
    page.goto(web_url + "/")
    page.get_by_label("Your message").wait_for()
    assert page.evaluate("typeof window.io") == "function"  # our scripts ran
    page.get_by_label("Your message").fill("hello")
    page.get_by_label("Your message").press("Enter")  # the widget handles the submit itself
    page.locator(".msg--user", has_text="hello").wait_for()
    page.locator("#connection:not([hidden])").wait_for()  # tried to reach Rasa, which is down
    page.evaluate(
        "document.body.insertAdjacentHTML('beforeend', "
        "'<img id=local src=\"/static/img/exercise-bird_dog.png\">')"
    )
    # Not page.wait_for_function: Playwright polls it with eval, which this policy blocks.
    assert page.locator("#local").evaluate("img => img.decode().then(() => img.naturalWidth)") > 0
    assert page.evaluate("getComputedStyle(document.body).margin") == "0px"  # stylesheet applied
    assert page.evaluate("window.__cspViolations") == []
    assert errors == []


def test_page_cannot_be_framed(context, servers: ServerThread, web_url: str) -> None:
    async def framing_page(_: web.Request) -> web.Response:
        return web.Response(
            content_type="text/html",
            text=(
                f'<iframe id="ours" src="{web_url}/"></iframe><iframe id="control" src="/framable"></iframe>'
            ),
        )

    async def framable(_: web.Request) -> web.Response:
        return web.Response(content_type="text/html", text='<p id="control-text">framed fine</p>')

    other = web.Application()
    other.router.add_get("/", framing_page)
    other.router.add_get("/framable", framable)
    other_url = servers.serve(other)  # another port: another origin

    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = csp_console_errors(page)
    page.goto(other_url + "/")
    page.frame_locator("#control").locator("#control-text").wait_for()  # frames work here
    page.wait_for_timeout(500)
    assert page.frame_locator("#ours").locator("#message").count() == 0
    assert any("frame-ancestors" in error for error in errors), errors
