"""The `/metrics` answer of both servers, behind the metrics token.

The Rasa server serves it as a channel (`bot.channels.metrics`,
`GET /webhooks/metrics/`), the action server at `GET /metrics`. Both want
`BACKCARE_METRICS_TOKEN`, or `BACKCARE_API_TOKEN` when that is unset, as
`Authorization: Bearer <token>` (what Prometheus sends with
`authorization: {credentials: ...}`) or `?token=`; without a configured token
every request is refused.
"""

from __future__ import annotations

from typing import Optional

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.observability.metrics import render
from bot.settings import Settings, current_settings
from bot.shared_secrets import carries_token


def metrics_token(settings: Settings) -> str:
    """The token a scraper must present: its own, else the HTTP API's, else none (all refused)."""
    return settings.metrics_token or settings.api_token


def authorised(request: Request, settings: Optional[Settings] = None) -> bool:
    return carries_token(request, metrics_token(settings or current_settings()))


def metrics_response(request: Request, settings: Optional[Settings] = None) -> HTTPResponse:
    """401 without the right token; else this process's metrics in Prometheus's text format."""
    if not authorised(request, settings):
        return response.json({"error": "unauthorized"}, status=401)
    body, content_type = render()
    return response.raw(body, content_type=content_type, headers={"Cache-Control": "no-store"})
