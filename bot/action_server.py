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
  127.0.0.1, one worker, no access log.

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
from typing import Any, Callable, List, Optional, Sequence

from rasa_sdk.endpoint import create_app
from sanic import Sanic, response
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import BaseHTTPResponse, HTTPResponse

from bot import log_privacy
from bot.settings import DEFAULT_ACTIONS_PORT, current_settings
from bot.shared_secrets import action_token

logger = logging.getLogger(__name__)

TOKEN_HEADER = "X-BackCare-Action-Token"
DEFAULT_ACTIONS = "actions"
OPEN_PATHS = frozenset({"/health"})
JSON_TYPE = "application/json"
DEFLATE = "deflate"  # what Rasa sends with COMPRESS_ACTION_SERVER_REQUEST=true


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
        if request.path in OPEN_PATHS:
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


def answer_exception(request: Request, exception: Exception) -> HTTPResponse:
    """Every exception, Sanic's (404, 405, 413...) and the actions' alike, without echo."""
    status = getattr(exception, "status_code", 500) if isinstance(exception, SanicException) else 500
    if isinstance(status, int) and 400 <= status < 500:
        return error_answer(status_phrase(status), status)
    logger.error("Action request failed: %s", type(exception).__name__)
    return internal_error()


# --------------------------------------------------------------------------- #
# App and command line
# --------------------------------------------------------------------------- #


def put_first(app: Sanic, middleware: RequestMiddleware) -> None:
    """Make `middleware` the first request middleware, ahead of sanic_cors's."""
    if middleware in app.request_middleware:
        app.request_middleware.remove(middleware)
    app.request_middleware.appendleft(middleware)


def build_app(actions_package: str = DEFAULT_ACTIONS, token: Optional[str] = None) -> Sanic:
    """rasa_sdk's app for `actions_package`, with the secret, JSON-only rule and quiet errors."""
    token = action_token(current_settings()) if token is None else token
    app = create_app(actions_package, cors_origins="")  # no browser may call it
    if not token:
        logger.warning(
            "No action token (BACKCARE_ACTION_TOKEN or BACKCARE_API_TOKEN): "
            "every action request will be refused (401)."
        )
    guard = make_guard(token, int(app.config.REQUEST_MAX_SIZE))
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
    return parser.parse_args(argv)


def configure_logging() -> None:
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def main(argv: Optional[List[str]] = None) -> None:
    log_privacy.install()
    configure_logging()
    args = parse_args(argv)
    app = build_app(args.actions)
    logger.info(
        "BackCare action server on http://%s:%s (token header %s)", args.host, args.port, TOKEN_HEADER
    )
    app.run(host=args.host, port=args.port, workers=1, access_log=False, motd=False, debug=False)


if __name__ == "__main__":
    main()
