"""The private BackCare action server: rasa_sdk's own app behind a shared secret.

`python -m rasa_sdk` listens on every interface without authentication, parses
any body (`text/plain` included) as JSON, and its 500 answers echo the request
body and the exception text. The requests carry the whole conversation, so
that is health information leaking to whoever can reach the port or read the
log. This module builds the very same Sanic app with rasa_sdk's `create_app`
(same `ActionExecutor`, same routes) and adds, around it:

* a shared secret: every request except `GET /health` needs the header
  `X-BackCare-Action-Token` equal to `BACKCARE_ACTION_TOKEN`, else 401
  `{"error": "unauthorized"}`. Without a configured token every such request
  is refused (one warning at start), so a forgotten setting fails closed;
* JSON only: a POST whose Content-Type is not `application/json` gets 415
  `{"error": "send JSON"}`; a body that is not a JSON object gets 400;
* answers that never echo: any exception becomes 500
  `{"error": "internal error"}` and the log names the exception class only;
  rasa_sdk's "action not found" (404) and "action rejected" (400) answers lose
  the request's action name and the rejection text;
* a loopback default: `--host` defaults to `BACKCARE_ACTIONS_INTERFACE` or
  127.0.0.1, one worker, no access log;
* metrics: `GET /metrics` (Prometheus's text format) wants the metrics token
  (`BACKCARE_METRICS_TOKEN`, else `BACKCARE_API_TOKEN`) as
  `Authorization: Bearer`, like the Rasa server's `/webhooks/metrics/`
  (`bot.observability.endpoint`); a custom action that raises is counted in
  `backcare_action_errors_total{action}`;
* JSON logs with `BACKCARE_LOG_FORMAT=json` (or `--logging-config-file`):
  the logging configuration `rasa run` gets (`bot.observability.json_logs`).

Run it as `python -m bot.action_server --port 5055` with BACKCARE_ACTION_TOKEN
set; the Rasa server sends the same header (endpoints.yml `headers`).
"""

from __future__ import annotations

import argparse
import hmac
import json
import logging
import zlib
from http import HTTPStatus
from pathlib import Path
from typing import Any, Callable, FrozenSet, List, Optional, Sequence

from rasa_sdk.executor import ActionExecutor
from sanic import Sanic, response
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import BaseHTTPResponse, HTTPResponse

from bot import log_privacy
from bot.observability import json_logs, metrics
from bot.observability.endpoint import metrics_response
from bot.settings import DEFAULT_ACTIONS_PORT, current_settings
from bot.shared_secrets import action_token

logger = logging.getLogger(__name__)

TOKEN_HEADER = "X-BackCare-Action-Token"
DEFAULT_ACTIONS = "actions"
OPEN_PATHS = frozenset({"/health"})
METRICS_PATH = "/metrics"  # its own token (bot.observability.endpoint), not the action token
JSON_TYPE = "application/json"
DEFLATE = "deflate"  # what Rasa sends with COMPRESS_ACTION_SERVER_REQUEST=true
# Rasa sends the whole conversation with every action call: about 1 MB after
# 300 turns. The public body limit (BACKCARE_MAX_BODY_BYTES, 256 KiB) would
# refuse calls from the 45th turn of a long session; this private server only
# answers Rasa, behind the action token.
ACTION_CALL_MAX_BYTES = 64 * 1024 * 1024


# --------------------------------------------------------------------------- #
# Answers (fixed texts: nothing from the request or an exception goes out)
# --------------------------------------------------------------------------- #


def error_answer(message: str, status: int) -> HTTPResponse:
    return response.json({"error": message}, status=status)


def unauthorized() -> HTTPResponse:
    return error_answer("unauthorized", 401)


def send_json() -> HTTPResponse:
    return error_answer("send JSON", 415)


def internal_error() -> HTTPResponse:
    return error_answer("internal error", 500)


# --------------------------------------------------------------------------- #
# Checks on the request
# --------------------------------------------------------------------------- #


def token_matches(presented: Optional[str], expected: str) -> bool:
    """True when a token is configured and the request carries exactly it."""
    if not expected or presented is None:
        return False
    return hmac.compare_digest(presented.encode("utf-8"), expected.encode("utf-8"))


def is_json_content_type(value: Optional[str]) -> bool:
    """`application/json`, with or without parameters such as `; charset=utf-8`."""
    return (value or "").split(";", 1)[0].strip().lower() == JSON_TYPE


def content_encoding(request: Request) -> str:
    return (request.headers.get("content-encoding") or "identity").strip().lower()


def inflate(body: bytes, limit: int) -> bytes:
    """A deflated body, refused (ValueError) beyond `limit` bytes once inflated."""
    inflater = zlib.decompressobj()
    try:
        data = inflater.decompress(body, limit + 1)
    except zlib.error as error:
        raise ValueError("not deflate data") from error
    if len(data) > limit or inflater.unconsumed_tail:
        raise ValueError("inflated body too large")
    return data


def json_object_problem(body: bytes) -> Optional[str]:
    """Why `body` is not a JSON object (a fixed text), or None when it is one."""
    try:
        parsed = json.loads(body)
    except (ValueError, RecursionError):
        return "body is not valid JSON"
    return None if isinstance(parsed, dict) else "body must be a JSON object"


def body_problem(request: Request, limit: int) -> Optional[HTTPResponse]:
    """The answer for a POST body rasa_sdk should not see, or None."""
    if not is_json_content_type(request.headers.get("content-type")):
        return send_json()
    encoding = content_encoding(request)
    if encoding not in ("identity", DEFLATE):
        return send_json()
    body = request.body or b""
    if encoding == DEFLATE:
        try:
            body = inflate(body, limit)
        except ValueError:
            return error_answer("body is not valid deflate data", 400)
    problem = json_object_problem(body)
    return error_answer(problem, 400) if problem else None


# --------------------------------------------------------------------------- #
# Sanic hooks
# --------------------------------------------------------------------------- #

RequestMiddleware = Callable[[Request], Optional[HTTPResponse]]


def make_guard(token: str, body_limit: int) -> RequestMiddleware:
    """Request middleware: the shared secret first, then the JSON-only rule."""

    def guard(request: Request) -> Optional[HTTPResponse]:
        if request.path in OPEN_PATHS or request.path == METRICS_PATH:
            return None
        if not token_matches(request.headers.get(TOKEN_HEADER), token):
            return unauthorized()
        if request.method == "POST":
            return body_problem(request, body_limit)
        return None

    return guard


def quiet_rasa_sdk_answer(request: Request, answer: BaseHTTPResponse) -> Optional[HTTPResponse]:
    """Response middleware: rasa_sdk's 404 and 400 answers, without request content.

    For an unknown action rasa_sdk answers 404 with the requested name in both
    `error` and `action_name`; for an ActionExecutionRejection, 400 with the
    action's own message, which may quote the user. Rasa reads `action_name`
    from a 400 (the registered action that rejected, so it stays) and nothing
    from a 404.
    """
    if request.path != "/webhook" or answer.status not in (400, 404):
        return None
    try:
        payload = json.loads(answer.body or b"")
    except ValueError:
        return None
    if not isinstance(payload, dict) or "action_name" not in payload:
        return None  # our own 400s carry no action name
    if answer.status == 404:
        return error_answer("action not found", 404)
    return response.json({"error": "action rejected", "action_name": payload["action_name"]}, status=400)


def status_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase.lower()
    except ValueError:
        return "request refused"


def requested_action(request: Request) -> Optional[str]:
    """The `next_action` of an action call (the guard has checked its body), or None."""
    body = request.body or b""
    try:
        if content_encoding(request) == DEFLATE:
            body = inflate(body, int(request.app.config.REQUEST_MAX_SIZE))
        call = json.loads(body)
    except (ValueError, RecursionError):
        return None
    name = call.get("next_action") if isinstance(call, dict) else None
    return name if isinstance(name, str) else None


def answer_exception(request: Request, exception: Exception) -> HTTPResponse:
    """Every exception, Sanic's (404, 405, 413...) and the actions' alike, without echo."""
    status = getattr(exception, "status_code", 500) if isinstance(exception, SanicException) else 500
    if isinstance(status, int) and 400 <= status < 500:
        return error_answer(status_phrase(status), status)
    if request.path == "/webhook":
        action = requested_action(request)
        metrics.record_action_error(action)  # a name not registered here counts as "other"
        logger.error(
            "Action request failed: %s",
            type(exception).__name__,
            extra={"action": metrics.bounded(action, metrics.known_actions())},
        )
    else:
        logger.error("Action request failed: %s", type(exception).__name__)
    return internal_error()


async def scrape_metrics(request: Request) -> HTTPResponse:
    return metrics_response(request)


# --------------------------------------------------------------------------- #
# App and command line
# --------------------------------------------------------------------------- #


def put_first(app: Sanic, middleware: RequestMiddleware) -> None:
    """Make `middleware` the first request middleware, ahead of sanic_cors's."""
    if middleware in app.request_middleware:
        app.request_middleware.remove(middleware)
    app.request_middleware.appendleft(middleware)


def registered_actions(actions_package: str) -> FrozenSet[str]:
    """The names rasa_sdk registers for `actions_package`, as `create_app` does (without its log lines)."""
    registration_log = logging.getLogger("rasa_sdk.executor")
    level = registration_log.level
    registration_log.setLevel(logging.WARNING)
    try:
        executor = ActionExecutor()
        executor.register_package(actions_package)
    finally:
        registration_log.setLevel(level)
    return frozenset(executor.actions)


def build_app(actions_package: str = DEFAULT_ACTIONS, token: Optional[str] = None) -> Sanic:
    """rasa_sdk's app for `actions_package`, with the secret, JSON-only rule, quiet errors and metrics."""
    # Imported here, after `main` has configured logging: rasa_sdk.endpoint
    # imports sanic_cors, which warns at import (a text line amid JSON logs).
    from rasa_sdk.endpoint import create_app

    token = action_token(current_settings()) if token is None else token
    app = create_app(actions_package, cors_origins="")  # no browser may call it
    metrics.set_known_actions(registered_actions(actions_package))
    app.add_route(scrape_metrics, METRICS_PATH, methods=["GET"], name="backcare_metrics")
    if not token:
        logger.warning(
            "No action token (BACKCARE_ACTION_TOKEN or BACKCARE_API_TOKEN): "
            "every action request will be refused (401)."
        )
    app.config.REQUEST_MAX_SIZE = ACTION_CALL_MAX_BYTES
    guard = make_guard(token, ACTION_CALL_MAX_BYTES)
    put_first(app, guard)
    # sanic_cors puts its middleware (which answers any OPTIONS) first again
    # when the server starts; this listener runs after its own.

    def keep_guard_first(started: Sanic, _loop: Any) -> None:
        put_first(started, guard)

    app.register_listener(keep_guard_first, "before_server_start")
    app.register_middleware(quiet_rasa_sdk_answer, attach_to="response")
    app.exception(Exception)(answer_exception)  # replaces rasa_sdk's echoing handler
    return app


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bot.action_server", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--host",
        default=current_settings().actions_interface,
        help="interface to listen on (default: BACKCARE_ACTIONS_INTERFACE or 127.0.0.1)",
    )
    parser.add_argument(
        "--port", type=int, default=DEFAULT_ACTIONS_PORT, help=f"port (default: {DEFAULT_ACTIONS_PORT})"
    )
    parser.add_argument("--actions", default=DEFAULT_ACTIONS, help="package with the custom actions")
    parser.add_argument(
        "--logging-config-file",
        type=Path,
        default=None,
        help="a Python logging configuration (YAML, dictConfig); "
        "default with BACKCARE_LOG_FORMAT=json: BackCare's JSON logs",
    )
    return parser.parse_args(argv)


def logging_config_file(given: Optional[Path]) -> Optional[Path]:
    """The logging configuration to load: the one given, else the JSON one if the settings ask for it."""
    if given is not None:
        return given
    return json_logs.LOGGING_CONFIG_FILE if current_settings().log_format == "json" else None


def configure_logging(config_file: Optional[Path] = None) -> None:
    if config_file is not None:
        json_logs.configure(config_file)
    elif not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def main(argv: Optional[List[str]] = None) -> None:
    log_privacy.install()
    args = parse_args(argv)
    configure_logging(logging_config_file(args.logging_config_file))
    app = build_app(args.actions)
    logger.info(
        "BackCare action server on http://%s:%s (token header %s)", args.host, args.port, TOKEN_HEADER
    )
    app.run(host=args.host, port=args.port, workers=1, access_log=False, motd=False, debug=False)


if __name__ == "__main__":
    main()
