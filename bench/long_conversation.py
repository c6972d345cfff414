"""One conversation of many turns: does a turn get slower as the conversation grows?

Rasa loads a conversation's events since its last session start from the
tracker store on every turn, rebuilds the tracker from them, and saves the new
events after counting the stored ones; all of that grows with the
conversation. The phase holds one REST conversation of `turns` turns (300 by
default), made of the benchmark's assessments without a warning sign one after
the other (assessment, exercise steps, "repeat please", "another one", a new
assessment...), all within one session (an hour: `domain.yml`), and compares
the median latency of the first 30 turns with that of the last 30.
"""

from __future__ import annotations

import asyncio
import secrets
import statistics
import time
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence

import aiohttp

from bench import progress
from bench.common import REST_WEBHOOK, client_timeout, rest_turn, summary
from bench.conversations import CONVERSATIONS, NO_LEG_PAIN

BUCKET_TURNS = 10
EDGE_TURNS = 30

# Complete assessments that end in exercises: the conversations that answer the
# screening (a warning sign or crisis talk ends the self-care path instead).
ASSESSMENTS = [turns for turns in CONVERSATIONS if NO_LEG_PAIN in turns]


def long_script(turns: int, conversations: Sequence[Sequence[str]] = ASSESSMENTS) -> List[str]:
    """`turns` messages: the conversations one after the other, from the first again as needed."""
    script: List[str] = []
    while len(script) < turns:
        for conversation in conversations:
            script.extend(conversation)
    return script[:turns]


def bucket_medians(latencies: Sequence[float], size: int = BUCKET_TURNS) -> List[Dict[str, float]]:
    """Median latency per `size` consecutive turns, turns numbered from 1."""
    return [
        {
            "first_turn": start + 1,
            "last_turn": min(start + size, len(latencies)),
            "median_ms": statistics.median(latencies[start : start + size]),
        }
        for start in range(0, len(latencies), size)
    ]


def edge_medians(latencies: Sequence[float], window: int = EDGE_TURNS) -> Dict[str, float]:
    """Median of the first and the last `window` turns (at most half the turns each) and last / first."""
    window = max(1, min(window, len(latencies) // 2))
    first = statistics.median(latencies[:window])
    last = statistics.median(latencies[-window:])
    return {
        "window": window,
        "first_median_ms": first,
        "last_median_ms": last,
        "last_to_first": last / first if first else float("nan"),
    }


async def _events_in(url: str, api_token: str, sender: str) -> Optional[int]:
    """How many events the conversation holds (Rasa's HTTP API), or None."""
    try:
        async with aiohttp.ClientSession(timeout=client_timeout()) as session:
            async with session.get(
                f"{url}/conversations/{sender}/tracker",
                params={"token": api_token, "include_events": "ALL"},
            ) as response:
                if response.status != 200:
                    return None
                return len((await response.json()).get("events") or [])
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
        return None


async def long_conversation(url: str, turns: int, api_token: str = "") -> Dict[str, Any]:
    latencies: List[float] = []
    errors: List[str] = []
    failed_turns: List[int] = []
    sender = f"bench-long-{secrets.token_hex(4)}"
    started = time.perf_counter()
    async with aiohttp.ClientSession(timeout=client_timeout()) as session:
        for number, text in enumerate(long_script(turns), start=1):
            latency, _, error = await rest_turn(session, f"{url}{REST_WEBHOOK}", sender, text)
            latencies.append(latency)
            if error:
                errors.append(f"turn {number}: {error}")
                failed_turns.append(number)
    elapsed = time.perf_counter() - started
    return {
        **summary(latencies, len(errors), elapsed),
        **edge_medians(latencies),
        "buckets": bucket_medians(latencies),
        "latencies": [round(value, 1) for value in latencies],
        "events_at_end": await _events_in(url, api_token, sender) if api_token else None,
        "failed_turns": failed_turns,
        "error_samples": errors[:5],
    }


def long_conversation_phase(label: str, url: str, turns: int, api_token: str = "") -> Dict[str, Any]:
    with progress.phase(f"{label}: one conversation of {turns} turns", total=turns):
        return asyncio.run(long_conversation(url, turns, api_token))


def chart(results: Mapping[str, Mapping[str, Any]], path: Path) -> None:
    """Median latency per 10-turn bucket by turn number, one line per system."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(8, 4))
    for label, result in results.items():
        buckets = result["buckets"]
        middles = [(bucket["first_turn"] + bucket["last_turn"]) / 2 for bucket in buckets]
        line = axis.plot(
            middles, [bucket["median_ms"] for bucket in buckets], marker="o", markersize=3, label=label
        )[0]
        failed = result.get("failed_turns") or []
        if failed:
            axis.plot(
                failed,
                [0] * len(failed),
                linestyle="none",
                marker="|",
                markersize=12,
                color=line.get_color(),
                label=f"{label}: turns without a reply",
            )
    axis.set_xlabel("turn number in the conversation")
    axis.set_ylabel(f"median REST turn latency, ms (per {BUCKET_TURNS} turns)")
    axis.set_ylim(bottom=0)
    axis.legend()
    axis.grid(alpha=0.3)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
