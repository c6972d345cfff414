"""A bounded soak: a steady load for some minutes, memory at its start and end.

The load is open: turns are sent at a fixed rate (half the throughput the
REST phase measured with 20 concurrent conversations, by default), whatever
the answers' latency, as people arrive whether or not the server is busy.
Each turn goes to a conversation not waiting for an answer, or to a new one
(the benchmark's conversations in turn, each under a new sender), so people
come and go. At most `MAX_IN_FLIGHT` turns wait at once; a turn that would
exceed it is not sent and counted as skipped (the server could not keep up).
The resident memory of the Rasa server and of the action server (with their
children) is read at the start, every `sample_s` seconds and at the end;
latency is summarised over the whole soak and per tenth of it.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

import aiohttp

from bench import progress
from bench.common import REST_WEBHOOK, client_timeout, percentile, rest_turn, summary
from bench.conversations import CONVERSATIONS

MAX_IN_FLIGHT = 100
WINDOWS = 10


class Conversation:
    def __init__(self, number: int) -> None:
        self.turns = CONVERSATIONS[number % len(CONVERSATIONS)]
        self.sender = f"soak-{number}-{secrets.token_hex(3)}"
        self.next = 0
        self.busy = False

    @property
    def finished(self) -> bool:
        return self.next >= len(self.turns)


def windows(
    sent_at: Sequence[float], latencies: Sequence[float], seconds: float, count: int = WINDOWS
) -> List[Dict[str, Any]]:
    """p50/p95 of the turns sent in each of `count` equal windows of the soak (None: no turn)."""
    size = seconds / count
    grouped: List[List[float]] = [[] for _ in range(count)]
    for moment, latency in zip(sent_at, latencies, strict=True):
        grouped[min(count - 1, max(0, int(moment // size)))].append(latency)
    return [
        {
            "from_s": round(number * size, 1),
            "turns": len(values),
            "p50_ms": percentile(values, 0.50) if values else None,
            "p95_ms": percentile(values, 0.95) if values else None,
        }
        for number, values in enumerate(grouped)
    ]


async def soak(
    url: str,
    rate: float,
    seconds: float,
    memory: Callable[[], Dict[str, float]],
    sample_s: float = 30.0,
) -> Dict[str, Any]:
    """`rate` turns per second for `seconds`; `memory()` gives the servers' RSS in MB by name."""
    latencies: List[float] = []
    sent_at: List[float] = []
    errors: List[str] = []
    samples: List[Tuple[float, Dict[str, float]]] = []
    active: List[Conversation] = []
    in_flight: List[asyncio.Task] = []
    started_conversations = 0
    skipped = 0
    loop = asyncio.get_running_loop()

    async def sample(at: float) -> None:
        samples.append((round(at, 1), await loop.run_in_executor(None, memory)))

    async def send(session: aiohttp.ClientSession, conversation: Conversation, offset: float) -> None:
        text = conversation.turns[conversation.next]
        latency, _, error = await rest_turn(session, f"{url}{REST_WEBHOOK}", conversation.sender, text)
        latencies.append(latency)
        sent_at.append(offset)
        if error:
            errors.append(error)
        conversation.next += 1
        conversation.busy = False
        if conversation.finished:
            active.remove(conversation)

    await sample(0.0)
    async with aiohttp.ClientSession(timeout=client_timeout()) as session:
        started = time.perf_counter()
        next_sample = sample_s
        tick = 0
        while True:
            offset = tick / rate
            if offset >= seconds:
                break
            delay = started + offset - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tick += 1
            in_flight = [task for task in in_flight if not task.done()]
            if offset >= next_sample:
                in_flight.append(asyncio.create_task(sample(offset)))
                next_sample += sample_s
            if sum(1 for conversation in active if conversation.busy) >= MAX_IN_FLIGHT:
                skipped += 1
                continue
            conversation: Optional[Conversation] = next((c for c in active if not c.busy), None)
            if conversation is None:
                conversation = Conversation(started_conversations)
                started_conversations += 1
                active.append(conversation)
            conversation.busy = True
            in_flight.append(asyncio.create_task(send(session, conversation, offset)))
        await asyncio.gather(*in_flight)
        elapsed = time.perf_counter() - started
    await sample(elapsed)
    first, last = samples[0][1], samples[-1][1]
    return {
        **summary(latencies, len(errors), elapsed),
        "seconds": seconds,
        "target_turns_per_s": rate,
        "conversations": started_conversations,
        "skipped_turns": skipped,
        "rss_mb_start": first,
        "rss_mb_end": last,
        "rss_mb_growth": {name: last[name] - first[name] for name in first},
        "rss_samples": [{"at_s": at, **values} for at, values in samples],
        "windows": windows(sent_at, latencies, seconds),
        "error_samples": errors[:5],
    }


def soak_phase(
    label: str, url: str, rate: float, seconds: float, memory: Callable[[], Dict[str, float]]
) -> Dict[str, Any]:
    sample_s = min(30.0, max(5.0, seconds / 10))
    total = int(rate * seconds)
    with progress.phase(f"{label}: soak, {seconds:.0f} s at {rate:.1f} turns/s", total=total):
        return asyncio.run(soak(url, rate, seconds, memory, sample_s))
