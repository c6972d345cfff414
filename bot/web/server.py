"""Serves the chat page, tells it where the Rasa server is, and serves a person's
private pain chart and doctor's summary (bot/web/care_pages.py).

    python -m bot.web --port 8080 --rasa-url http://127.0.0.1:5005

Every response carries security headers: the page runs only our own scripts,
styles and images, talks only to the Rasa socket.io endpoint, cannot be framed
(clickjacking), and the Server header does not advertise aiohttp/Python versions.
"""

from __future__ import annotations

import argparse
import json
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional

import yaml
from aiohttp import hdrs, web, web_response
from yarl import URL

from bot import log_privacy
from bot.languages import ENGLISH, SUPPORTED
from bot.settings import Settings, current_settings
from bot.web.care_pages import add_care_pages

STATIC_DIR = Path(__file__).resolve().parent / "static"
PAGE_STRINGS = Path(__file__).resolve().parent / "page_strings.yml"
SERVER_NAME = "BackCare"
WEBSOCKET_SCHEMES = {"http": "ws", "https": "wss"}
# socket.io transports the widget may use: a websocket first, long-polling when a
# proxy blocks websockets. Polling sends every request of a session to the replica
# that holds it, so replicas without sticky sessions need `--websocket-only`.
TRANSPORTS = ["websocket", "polling"]
WEBSOCKET_ONLY = ["websocket"]


def rasa_origins(rasa_url: str) -> List[str]:
    """The Rasa origin over http(s) and ws(s): where socket.io polls and opens its websocket."""
    origin = URL(rasa_url).origin()  # raises ValueError for a URL without scheme or host
    if origin.scheme not in WEBSOCKET_SCHEMES:
        raise ValueError(f"--rasa-url must be http(s)://host[:port], got {rasa_url!r}")
    return [str(origin), str(origin.with_scheme(WEBSOCKET_SCHEMES[origin.scheme]))]


def image_sources(public_url: str) -> List[str]:
    """Exercise images are linked from the public URL (BACKCARE_PUBLIC_URL), which
    may name this page by another host (127.0.0.1 for a page opened as localhost)."""
    public = [str(URL(public_url).origin())] if public_url.startswith(("http://", "https://")) else []
    return ["'self'", "data:", *public]


def content_security_policy(rasa_url: str, public_url: str = "") -> str:
    directives = [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src " + " ".join(image_sources(public_url)),
        "connect-src " + " ".join(["'self'", *rasa_origins(rasa_url)]),
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    ]
    return "; ".join(directives)


def security_headers(rasa_url: str, public_url: str) -> Dict[str, str]:
    return {
        "Content-Security-Policy": content_security_policy(rasa_url, public_url),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",  # for browsers without CSP frame-ancestors
        hdrs.SERVER: SERVER_NAME,
    }


def hide_server_version() -> None:
    """aiohttp answers malformed requests itself, before any app hook runs, with its
    default Server header ("Python/3.x aiohttp/3.y"); give those our name too."""
    web_response.SERVER_SOFTWARE = SERVER_NAME


def add_security_headers(app: web.Application, rasa_url: str, public_url: str) -> None:
    """Set the headers on every response the app sends: pages, static files, errors."""
    headers = security_headers(rasa_url, public_url)

    async def on_prepare(_: web.Request, response: web.StreamResponse) -> None:
        response.headers.update(headers)  # overwrites aiohttp's versioned Server header

    # aiosignal's type for the signal does not match aiohttp 3.9's own handler type.
    app.on_response_prepare.append(on_prepare)  # type: ignore[arg-type]
    hide_server_version()


@lru_cache(maxsize=1)
def page_strings() -> Dict[str, Dict[str, str]]:
    """The page's texts per language (page_strings.yml), checked to have the same keys in each."""
    strings: Dict[str, Dict[str, str]] = yaml.safe_load(PAGE_STRINGS.read_text(encoding="utf-8"))
    english = set(strings[ENGLISH])
    for language in SUPPORTED:
        if set(strings.get(language) or {}) != english:
            raise ValueError(
                f"{PAGE_STRINGS.name}: the {language!r} block must have exactly the keys of 'en'"
            )
    return strings


def page_config(rasa_url: str, websocket_only: bool = False) -> str:
    """config.js: where the widget finds Rasa's socket.io, which transports it may use, its texts."""
    config = {
        "socketUrl": rasa_url.rstrip("/"),
        "transports": WEBSOCKET_ONLY if websocket_only else TRANSPORTS,
        "strings": page_strings(),
    }
    return "window.BACKCARE_CONFIG = " + json.dumps(config) + ";\n"


def create_app(
    rasa_url: str, public_url: str = "", settings: Optional[Settings] = None, websocket_only: bool = False
) -> web.Application:
    """The page, its files, and a person's chart and summary (`settings`: this process's by default).

    `websocket_only`: the widget never falls back to long-polling (replicas without sticky sessions).
    """
    config = page_config(rasa_url, websocket_only)

    async def index(_: web.Request) -> web.FileResponse:
        return web.FileResponse(STATIC_DIR / "index.html")

    async def config_js(_: web.Request) -> web.Response:
        return web.Response(text=config, content_type="application/javascript")

    async def health(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app = web.Application()
    add_security_headers(app, rasa_url, public_url)
    app.router.add_get("/", index)
    app.router.add_get("/config.js", config_js)
    app.router.add_get("/health", health)
    app.router.add_static("/static/", STATIC_DIR)
    add_care_pages(app, settings or current_settings())
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description="BackCare web chat page")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--rasa-url", default="http://127.0.0.1:5005")
    parser.add_argument(
        "--websocket-only",
        action="store_true",
        help="the widget uses socket.io's websocket transport only, never long-polling: "
        "for several Rasa replicas behind a load balancer without sticky sessions",
    )
    args = parser.parse_args()
    log_privacy.install()
    settings = current_settings()
    app = create_app(args.rasa_url, settings.public_url, settings, websocket_only=args.websocket_only)
    web.run_app(app, host=args.host, port=args.port, print=None)


if __name__ == "__main__":
    main()
