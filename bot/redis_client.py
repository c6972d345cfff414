"""One Redis connection from a URL as people write it.

`redis://[[user]:password@]host[:port][/db]` and `rediss://` (TLS), with redis-py's
query options (`?ssl_ca_certs=/path/ca.pem`, `?ssl_cert_reqs=none`,
`?socket_timeout=2`, ...). Every BackCare part that talks to Redis (the lock
store, the Telegram update ledger) connects through here, so none of them drops
the password, the user name or TLS.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import redis

# Seconds before a Redis call that gets no answer raises, as in Rasa's own lock store.
DEFAULT_SOCKET_TIMEOUT = 10.0


def redis_from_url(url: str) -> redis.Redis:
    """A client for `url`; the URL's own `socket_timeout` wins over the default."""
    options = {} if "socket_timeout=" in url else {"socket_timeout": DEFAULT_SOCKET_TIMEOUT}
    return redis.Redis.from_url(url, **options)


def describe(url: str) -> str:
    """The URL without its password, for logs and error messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.hostname or ""
    netloc = f"{user}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
