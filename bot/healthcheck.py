"""The containers' health check: exit 0 when a URL answers 2xx in time, else 1.

    python -m bot.healthcheck http://127.0.0.1:5055/health [--timeout 5]

The image (python:3.10-slim) has neither curl nor wget, so docker-compose.yml
and the Dockerfile's HEALTHCHECK run this module. It imports nothing but the
standard library (a check runs every few seconds), follows no redirect and
prints, on failure, one line saying why: the status, or the connection error.
"""

from __future__ import annotations

import argparse
import sys
import urllib.error
import urllib.request
from typing import List, Optional

DEFAULT_TIMEOUT_S = 5.0


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not health: the check reports it instead of following it."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def problem(url: str, timeout: float = DEFAULT_TIMEOUT_S) -> Optional[str]:
    """Why `url` is not healthy (one line), or None when it answers 2xx within `timeout` seconds."""
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, method="GET"), timeout=timeout) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        return f"{url} answered {error.code}"
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        return f"{url} cannot be reached: {reason}"
    if not 200 <= status < 300:
        return f"{url} answered {status}"
    return None


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.healthcheck", description=__doc__.splitlines()[0])
    parser.add_argument("url", help="the URL that must answer 2xx, e.g. http://127.0.0.1:5005/")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S, help="seconds (default: 5)")
    args = parser.parse_args(argv)
    why = problem(args.url, args.timeout)
    if why:
        print(f"unhealthy: {why}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
