"""What every phase of the benchmark shares: REST turns, load, percentiles, memory."""

from __future__ import annotations

import asyncio
import secrets
import statistics
import subprocess
import time
from typing import Any, Dict, List, Optional, Sequence

import aiohttp

from bench import progress
from bench.conversations import CONVERSATIONS

REST_WEBHOOK = "/webhooks/rest/webhook"
TURN_TIMEOUT_S = 120


def percentile(values: List[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def summary(latencies: List[float], errors: int, elapsed: float) -> Dict[str, float]:
    """Turns, errors, p50/p95/p99/mean in ms and turns per second of one load."""
    if not latencies:
        return {"turns": 0, "errors": errors, "turns_per_s": 0.0}
    return {
        "turns": len(latencies),
        "errors": errors,
        "p50_ms": percentile(latencies, 0.50),
        "p95_ms": percentile(latencies, 0.95),
        "p99_ms": percentile(latencies, 0.99),
        "mean_ms": statistics.fmean(latencies),
        "turns_per_s": len(latencies) / elapsed if elapsed > 0 else 0.0,
    }


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB."""
    total = 0
    for line in subprocess.run(
        ["ps", "-o", "rss=", "--ppid", str(pid), "-p", str(pid)], capture_output=True, text=True
    ).stdout.split():
        total += int(line)
    return total / 1024


def client_timeout() -> aiohttp.ClientTimeout:
    return aiohttp.ClientTimeout(total=TURN_TIMEOUT_S)


async def rest_turn(
    session: aiohttp.ClientSession, url: str, sender: str, text: str
) -> tuple[float, Optional[List[Dict[str, Any]]], Optional[str]]:
    """One REST turn: (latency in ms, the bot's messages, an error or None)."""
    started = time.perf_counter()
    body: Optional[List[Dict[str, Any]]] = None
    error: Optional[str] = None
    try:
        async with session.post(url, json={"sender": sender, "message": text}) as response:
            body = await response.json()
            if response.status != 200 or not body:
                error = f"{response.status} {text!r}"
    except Exception as failure:  # counted, not fatal
        error = f"{failure.__class__.__name__} {text!r}"
    latency = (time.perf_counter() - started) * 1000
    progress.tick(error=error is not None)
    return latency, body, error


async def replay(
    session: aiohttp.ClientSession,
    url: str,
    name: str,
    turns: List[str],
    latencies: List[float],
    errors: List[str],
    answered_at: Optional[List[float]] = None,
) -> List[Optional[List[Dict[str, Any]]]]:
    """One conversation over REST, one turn after the other; the bot's messages per turn."""
    replies = []
    for text in turns:
        latency, body, error = await rest_turn(session, url, name, text)
        if error:
            errors.append(error)
        latencies.append(latency)
        if answered_at is not None:
            answered_at.append(time.perf_counter())
        replies.append(body)
    return replies


async def load(
    url: str, concurrency: int, rounds: int, conversations: Sequence[List[str]] = CONVERSATIONS
) -> Dict[str, Any]:
    """`concurrency` clients, each replaying `rounds` of `conversations` one after the other.

    `turns_per_s` counts the turns answered while every client was still at
    work, up to the moment the first one finished: the conversations differ
    in length, and after that moment fewer than `concurrency` are in flight
    (the whole phase's figure is `turns_per_s_whole_phase`).
    """
    latencies: List[float] = []
    errors: List[str] = []
    answered_at: List[float] = []
    clients_done_at: List[float] = []
    webhook = f"{url}{REST_WEBHOOK}"
    async with aiohttp.ClientSession(timeout=client_timeout()) as session:
        started = time.perf_counter()
        tasks = []
        for client in range(concurrency):

            async def run(client: int = client) -> None:
                # One conversation at a time per client, a fresh sender each round.
                for r in range(rounds):
                    conversation = conversations[(client + r) % len(conversations)]
                    await replay(
                        session,
                        webhook,
                        f"bench-{client}-{r}-{secrets.token_hex(3)}",
                        conversation,
                        latencies,
                        errors,
                        answered_at,
                    )
                clients_done_at.append(time.perf_counter())

            tasks.append(run())
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - started
    result: Dict[str, Any] = {**summary(latencies, len(errors), elapsed), "latencies": latencies}
    result["turns_per_s_whole_phase"] = result["turns_per_s"]
    result["turns_per_s"] = all_in_flight_rate(started, answered_at, clients_done_at)
    return result


def all_in_flight_rate(started: float, answered_at: List[float], clients_done_at: List[float]) -> float:
    """Turns per second answered from `started` until the first client was done."""
    if not clients_done_at:
        return 0.0
    window_end = min(clients_done_at)
    answered = sum(1 for moment in answered_at if moment <= window_end)
    return answered / (window_end - started) if window_end > started else 0.0


def turns_in_load(concurrency: int, rounds: int, conversations: Sequence[List[str]] = CONVERSATIONS) -> int:
    """How many turns `load(url, concurrency, rounds, conversations)` makes (for the progress display)."""
    return sum(
        len(conversations[(client + r) % len(conversations)])
        for client in range(concurrency)
        for r in range(rounds)
    )
