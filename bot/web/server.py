"""Serves the chat page and tells it where the Rasa server is.

    python -m bot.web --port 8080 --rasa-url http://127.0.0.1:5005
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from aiohttp import web

STATIC_DIR = Path(__file__).resolve().parent / "static"


def create_app(rasa_url: str) -> web.Application:
    config = "window.BACKCARE_CONFIG = " + json.dumps({"socketUrl": rasa_url.rstrip("/")}) + ";\n"

    async def index(_: web.Request) -> web.FileResponse:
        return web.FileResponse(STATIC_DIR / "index.html")

    async def config_js(_: web.Request) -> web.Response:
        return web.Response(text=config, content_type="application/javascript")

    async def health(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app = web.Application()
    app.router.add_get("/", index)
    app.router.add_get("/config.js", config_js)
    app.router.add_get("/health", health)
    app.router.add_static("/static/", STATIC_DIR)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description="BackCare web chat page")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--rasa-url", default="http://127.0.0.1:5005")
    args = parser.parse_args()
    web.run_app(create_app(args.rasa_url), host=args.host, port=args.port, print=None)


if __name__ == "__main__":
    main()
