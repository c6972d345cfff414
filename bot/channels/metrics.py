"""The Rasa server's Prometheus metrics, behind a token.

    GET /webhooks/metrics/   Authorization: Bearer <BACKCARE_METRICS_TOKEN or BACKCARE_API_TOKEN>

Mounted as a channel, like the privacy endpoints, so it sits beside Rasa's
HTTP API on the same port; 401 without the token. The metrics themselves
are defined in `bot.observability.metrics`.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.observability.endpoint import metrics_response


class MetricsInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "metrics"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        return cls()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        metrics = Blueprint("metrics_webhook", __name__)

        @metrics.route("/", methods=["GET"])
        async def scrape(request: Request) -> HTTPResponse:
            return metrics_response(request)

        return metrics
