"""Fetches a person's chart or summary from the page server, for a channel that uploads it.

Telegram's servers cannot open a link on 127.0.0.1, and a care link is
private anyway: the channel fetches the file itself and sends its bytes. The
link is never logged (its token names the person).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Optional

import aiohttp

logger = logging.getLogger(__name__)

# The page renders a chart or a summary in well under a second; a person
# waits for this, so give up soon and say the file could not be attached.
FETCH_TIMEOUT_SECONDS = 10
MAX_FILE_BYTES = 5 * 1024 * 1024  # a summary PDF is about 50 kB; Telegram takes photos up to 10 MB
CHUNK_BYTES = 64 * 1024


async def fetch_care_file(url: str, timeout: float = FETCH_TIMEOUT_SECONDS) -> Optional[bytes]:
    """The file at `url`, or None when the page does not answer 200 in time with at most MAX_FILE_BYTES."""
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as session:
            async with session.get(url, allow_redirects=False) as response:
                if response.status != 200:
                    logger.warning("The page server answered %s for a care file.", response.status)
                    return None
                body = bytearray()
                async for chunk in response.content.iter_chunked(CHUNK_BYTES):
                    body.extend(chunk)
                    if len(body) > MAX_FILE_BYTES:
                        logger.warning("A care file is larger than %s bytes.", MAX_FILE_BYTES)
                        return None
                return bytes(body)
    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
        logger.warning("The page server cannot be reached for a care file (%s).", error.__class__.__name__)
        return None
