"""Helpers that the tests (quality gates included) and the benchmark share.

Free ports, a seeded exercise database, a whole BackCare started on free
ports, the REST client that talks to it, PostgreSQL and Redis for the tests
that need them, and a Telegram Bot API stand-in. Only code of a checkout uses
this package: `bot/` and `actions/` never import it, and it is not installed
with them (`pyproject.toml` packages `bot*` and `actions*` only). It imports
`bot`, never `tests` or `bench`; `tests/unit/test_architecture.py` holds that.
"""
