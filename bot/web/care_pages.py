"""The page server's private files: a person's pain chart (PNG) and doctor's summary (PDF).

    GET /care/chart/<token>.png
    GET /care/summary/<token>.pdf

The token (`bot.care.links`) names the person and their language, and
expires; anything else gets 404 with one short sentence, the same whether the
link was forged, expired or names someone BackCare has no records of. The
chart and the PDF are in the language the link names (the conversation's,
when it was made); a refusal is in the link's language when its signature
holds (an expired link), else in the browser's (Accept-Language), else in
English. Reading the database and drawing are blocking work, done in a
worker thread so the page keeps answering; a database that cannot be read
gets 503. Nothing is cached anywhere on the way.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Awaitable, Callable, Dict, Optional

from aiohttp import web
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot import clock
from bot.care.chart import render_chart
from bot.care.links import CareLink, read_care_token
from bot.care.records import CareHistory, CareRecords
from bot.care.summary import build_summary, local_daily_scores, warning_sign_names
from bot.care.wording import wording
from bot.knowledge import DatabaseUnavailable, ExerciseRepository, create_engine_for
from bot.languages import DEFAULT, normalise
from bot.settings import Settings

logger = logging.getLogger(__name__)

NO_STORE = {"Cache-Control": "no-store, private"}


class CareDatabase:
    """One engine for the app, made on first use: a page whose database is
    misconfigured or down still serves the chat, and answers 503 here."""

    def __init__(self, url: str) -> None:
        self._url = url
        self._engine: Optional[Engine] = None
        self._lock = threading.Lock()

    def engine(self) -> Engine:
        with self._lock:
            if self._engine is None:
                try:
                    self._engine = create_engine_for(self._url)
                except (SQLAlchemyError, ImportError) as error:  # bad URL, missing driver
                    raise DatabaseUnavailable(f"cannot connect ({error.__class__.__name__})") from error
            return self._engine

    def history(self, conversation_id: str) -> Optional[CareHistory]:
        return CareRecords(self.engine()).history(conversation_id)

    def exercise_names(self, language: str) -> Dict[str, str]:
        return {item.slug: item.name for item in ExerciseRepository(self.engine()).all(language)}

    def close(self) -> None:
        with self._lock:
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None


def _chart(database: CareDatabase, link: CareLink) -> Optional[bytes]:
    history = database.history(link.conversation_id)
    return None if history is None else render_chart(local_daily_scores(history), wording(link.language))


def _summary(database: CareDatabase, link: CareLink) -> Optional[bytes]:
    history = database.history(link.conversation_id)
    if history is None:
        return None
    summary = build_summary(
        history,
        clock.now(),
        database.exercise_names(link.language),
        warning_sign_names(link.language),
        wording(link.language),
    )
    return summary.pdf()


def browser_language(accept_language: str) -> str:
    """The first language BackCare speaks in an Accept-Language header, by weight; else English."""
    ranked = []
    for position, entry in enumerate(accept_language.split(",")):
        tag, _, parameters = entry.strip().partition(";")
        weight = 1.0
        if parameters.strip().startswith("q="):
            try:
                weight = float(parameters.strip()[2:])
            except ValueError:
                continue
        language = normalise(tag)
        if language and weight > 0:
            ranked.append((-weight, position, language))
    return min(ranked)[2] if ranked else DEFAULT


def _plain(text: str, status: int, language: str) -> web.Response:
    return web.Response(text=text, status=status, headers={**NO_STORE, "Content-Language": language})


def _handler(
    kind: str,
    settings: Settings,
    database: CareDatabase,
    render: Callable[[CareDatabase, CareLink], Optional[bytes]],
    content_type: str,
    headers: Callable[[str], Dict[str, str]],
) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def handle(request: web.Request) -> web.Response:
        link = read_care_token(request.match_info["token"], kind, settings)
        language = link.language if link else browser_language(request.headers.get("Accept-Language", ""))

        def refuse(key: str, status: int) -> web.Response:
            return _plain(wording(language).say(key), status, language)

        if link is None or link.expired(clock.now()):
            return refuse("pages.not_found", 404)
        try:
            body = await asyncio.to_thread(render, database, link)
        except DatabaseUnavailable as error:
            # The message names the error's class only: no query, no conversation id.
            logger.warning("The care records cannot be read: %s", error)
            return refuse("pages.unavailable", 503)
        if body is None:
            return refuse("pages.not_found", 404)
        return web.Response(
            body=body,
            content_type=content_type,
            headers={**NO_STORE, "Content-Language": language, **headers(language)},
        )

    return handle


def _download_as(language: str) -> Dict[str, str]:
    filename = wording(language).say("pages.summary_filename")
    return {"Content-Disposition": f'attachment; filename="{filename}"'}


def add_care_pages(app: web.Application, settings: Settings) -> None:
    """Serves the chart and the summary of `settings.database_url`'s records, signed with its secret."""
    database = CareDatabase(settings.database_url)
    app.router.add_get(
        "/care/chart/{token}.png",
        _handler("chart", settings, database, _chart, "image/png", lambda _language: {}),
    )
    app.router.add_get(
        "/care/summary/{token}.pdf",
        _handler("summary", settings, database, _summary, "application/pdf", _download_as),
    )

    async def close(_: web.Application) -> None:
        database.close()

    # aiosignal's type for the signal does not match aiohttp 3.9's own handler type.
    app.on_cleanup.append(close)  # type: ignore[arg-type]
