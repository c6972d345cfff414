"""BackCare benchmark: latency, throughput, memory and start-up over REST.

Starts the real servers (Rasa + action server + exercise database), replays
the conversations in bench/conversations.py with N concurrent clients, and
does the same for Rasa's default pipeline and policies trained on the same
domain and data (the baseline), with the same action server. Results go to
bench/results.json, bench/README.md (table) and bench/latency.png.

    python -m bench.run            # make bench
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Mapping, Optional

import aiohttp

from bench.conversations import CONVERSATIONS
from bot import evaluation, paths, servers, training
from bot.cli import HOLDOUT_FILE
from support.backcare import settings_on_free_ports
from support.database import seeded_sqlite

BENCH_DIR = Path(__file__).resolve().parent
BASELINE_CONFIG = BENCH_DIR / "baseline_config.yml"


def percentile(values: List[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB."""
    total = 0
    for line in subprocess.run(
        ["ps", "-o", "rss=", "--ppid", str(pid), "-p", str(pid)], capture_output=True, text=True
    ).stdout.split():
        total += int(line)
    return total / 1024


async def replay(
    session: aiohttp.ClientSession,
    url: str,
    name: str,
    turns: List[str],
    latencies: List[float],
    errors: List[str],
) -> None:
    for text in turns:
        started = time.perf_counter()
        try:
            async with session.post(url, json={"sender": name, "message": text}) as response:
                body = await response.json()
                if response.status != 200 or not body:
                    errors.append(f"{response.status} {text!r}")
        except Exception as error:  # counted, not fatal
            errors.append(f"{error.__class__.__name__} {text!r}")
        latencies.append((time.perf_counter() - started) * 1000)


async def load(url: str, concurrency: int, rounds: int) -> Dict[str, float]:
    latencies: List[float] = []
    errors: List[str] = []
    webhook = f"{url}/webhooks/rest/webhook"
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        started = time.perf_counter()
        tasks = []
        for client in range(concurrency):

            async def run(client: int = client) -> None:
                # One conversation at a time per client, a fresh sender each round.
                for r in range(rounds):
                    conversation = CONVERSATIONS[(client + r) % len(CONVERSATIONS)]
                    await replay(
                        session,
                        webhook,
                        f"bench-{client}-{r}-{secrets.token_hex(3)}",
                        conversation,
                        latencies,
                        errors,
                    )

            tasks.append(run())
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - started
    return {
        "turns": len(latencies),
        "errors": len(errors),
        "p50_ms": percentile(latencies, 0.50),
        "p95_ms": percentile(latencies, 0.95),
        "p99_ms": percentile(latencies, 0.99),
        "mean_ms": statistics.fmean(latencies),
        "turns_per_s": len(latencies) / elapsed,
        "latencies": latencies,
    }


OVERSIZED_TEXT = "my back hurts " * 7200  # about 100,000 characters
AT_CAP_TEXT = ("my lower back hurts when I sit, " * 63)[:2000]  # the longest message read


async def flood(url: str, text: str, stop: asyncio.Event, sent: List[int]) -> None:
    """Posts `text` again and again until `stop`, counting the posts."""
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        while not stop.is_set():
            async with session.post(
                f"{url}/webhooks/rest/webhook",
                json={"sender": f"flood-{secrets.token_hex(3)}", "message": text},
            ) as response:
                await response.read()
            sent.append(response.status)


async def under_flood(url: str, clients: int, flooders: int) -> Dict[str, float]:
    """Other people's turns while `flooders` clients send 100,000-character
    messages and as many send messages of exactly the cap."""
    stop, oversized, at_cap = asyncio.Event(), [], []
    floods = [asyncio.create_task(flood(url, OVERSIZED_TEXT, stop, oversized)) for _ in range(flooders)]
    floods += [asyncio.create_task(flood(url, AT_CAP_TEXT, stop, at_cap)) for _ in range(flooders)]
    try:
        others = await load(url, clients, 1)
    finally:
        stop.set()
        await asyncio.gather(*floods)
    others.pop("latencies")
    return {**others, "oversized_sent": len(oversized), "at_cap_sent": len(at_cap), "flooders": 2 * flooders}


def edge_limits(url: str, rasa_pid: int, clients: int = 5, flooders: int = 2) -> Dict[str, float]:
    """The message cap under load: other conversations' p95 with and without a flood."""
    quiet = asyncio.run(load(url, clients, 1))
    quiet.pop("latencies")
    flooded = asyncio.run(under_flood(url, clients, flooders))
    return {"clients": clients, "quiet": quiet, "flooded": flooded, "rasa_rss_mb_after": rss_mb(rasa_pid)}


def fresh_databases(workdir: Path) -> Dict[str, str]:
    """A seeded exercise database and an empty tracker store in `workdir`, as the servers' environment."""
    return {
        "BACKCARE_DATABASE_URL": seeded_sqlite(workdir / "exercises.db"),
        "BACKCARE_TRACKER_STORE_URL": f"sqlite:///{workdir / 'conversations.db'}",
    }


def start_system(model: Path, with_actions: bool, workdir: Path, environment: Mapping[str, str]) -> tuple:
    settings = settings_on_free_ports(secrets.token_urlsafe(12))
    log = workdir / f"servers-{settings.rasa_port}.log"
    started = time.perf_counter()
    processes = []
    if with_actions:
        processes.append(servers.start(servers.action_server_command(settings), settings, log, environment))
    rasa = servers.start(servers.rasa_server_command(settings, model), settings, log, environment)
    processes.append(rasa)
    try:
        if with_actions:
            servers.wait_until_ready(settings, processes, timeout=300)
        else:
            deadline = time.monotonic() + 300
            status = None
            while time.monotonic() < deadline and not (status and status.get("model_id")):
                time.sleep(0.5)
                status = servers._get_json(f"{settings.rasa_url}/status?token={settings.api_token}")
    except Exception:
        servers.stop(processes)
        print(log.read_text(errors="replace")[-4000:], file=sys.stderr)  # why a server did not come up
        raise
    return settings, processes, rasa, time.perf_counter() - started


def measure(
    label: str,
    model: Path,
    with_actions: bool,
    workdir: Path,
    environment: Mapping[str, str],
    concurrency: int,
    rounds: int,
) -> Dict:
    settings, processes, rasa, ready_s = start_system(model, with_actions, workdir, environment)
    try:
        asyncio.run(load(settings.rasa_url, 1, 1))  # warm-up
        # Every conversation twice, one at a time: enough turns for a p95.
        single = asyncio.run(load(settings.rasa_url, 1, 2 * len(CONVERSATIONS)))
        concurrent = asyncio.run(load(settings.rasa_url, concurrency, rounds))
        memory = rss_mb(rasa.pid)
        # Both systems read messages through the same channels: measured once.
        edge = edge_limits(settings.rasa_url, rasa.pid) if label == "BackCare" else None
    finally:
        servers.stop(processes)
    result = {
        "label": label,
        "ready_s": ready_s,
        "rasa_rss_mb": memory,
        "single": single,
        "concurrent": concurrent,
    }
    return {**result, "edge_limits": edge} if edge else result


def train_baseline() -> Path:
    out = paths.MODELS_DIR / f"baseline-{training.training_fingerprint(BASELINE_CONFIG)}.tar.gz"
    if not out.exists():
        subprocess.run(
            training.train_command(BASELINE_CONFIG, out),
            cwd=paths.PROJECT_ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return out


def write_results(results: Dict) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plot_data = {}
    for system in results["systems"]:
        plot_data[system["label"]] = system["concurrent"].pop("latencies")
        system["single"].pop("latencies")
    (BENCH_DIR / "results.json").write_text(json.dumps(results, indent=2))
    figure, axis = plt.subplots(figsize=(8, 4))
    axis.boxplot(list(plot_data.values()), labels=list(plot_data), showfliers=False)
    axis.set_ylabel(f"REST turn latency, ms ({results['concurrency']} concurrent conversations)")
    figure.tight_layout()
    figure.savefig(BENCH_DIR / "latency.png")
    plt.close(figure)
    (BENCH_DIR / "README.md").write_text(markdown(results))


TARGETS = [
    ("single conversation p50", lambda s: s["single"]["p50_ms"], "<= 50 ms", lambda v: v <= 50),
    ("single conversation p95", lambda s: s["single"]["p95_ms"], "<= 120 ms", lambda v: v <= 120),
    ("20 concurrent: turns/s", lambda s: s["concurrent"]["turns_per_s"], ">= 30", lambda v: v >= 30),
    ("20 concurrent: p95", lambda s: s["concurrent"]["p95_ms"], "<= 500 ms", lambda v: v <= 500),
    ("ready after start", lambda s: s["ready_s"], "<= 30 s", lambda v: v <= 30),
    ("Rasa server RSS", lambda s: s["rasa_rss_mb"], "<= 1200 MB", lambda v: v <= 1200),
]


def edge_lines(edge: Optional[Dict]) -> List[str]:
    if not edge:
        return []
    quiet, flooded = edge["quiet"], edge["flooded"]
    clients, flooders, oversized = edge["clients"], flooded["flooders"], flooded["oversized_sent"]
    return [
        "",
        f"**Message cap under load** (`bot/channels/guard.py`): {clients} conversations replayed once",
        f"alone, then while {flooders} clients flood the REST channel, half with 100,000-character",
        f"messages ({oversized} sent, answered at the edge) and half with messages of exactly",
        f"2,000 characters ({flooded['at_cap_sent']} sent, read by the models). Other people's p95:",
        f"{quiet['p95_ms']:.1f} ms alone, {flooded['p95_ms']:.1f} ms during the flood "
        f"({flooded['errors']} errors);",
        f"Rasa server RSS afterwards {edge['rasa_rss_mb_after']:.0f} MB.",
        "",
    ]


def markdown(results: Dict) -> str:
    backcare, baseline = results["systems"]
    lines = [
        "# BackCare benchmark",
        "",
        f"Run {results['date']} on {results['machine']}. Reproduce with `make bench`",
        "(trains both models if needed, starts the servers on free ports, replays",
        "`bench/conversations.py` over the REST channel; results in `results.json`).",
        "Both systems run with the action server, exercise database (SQLite) and SQL",
        "tracker store in the loop; the baseline is Rasa's default pipeline and",
        "policies (`bench/baseline_config.yml`) on the same domain, data and actions,",
        "served by stock Rasa. Single conversation: every conversation twice, one at",
        f"a time. Concurrent: {results['concurrency']} conversations at once, two rounds each.",
        "",
        "| measure | target | BackCare | baseline | BackCare / baseline | met |",
        "|---|---|---|---|---|---|",
    ]
    for name, read, target, check in TARGETS:
        value, reference = read(backcare), read(baseline)
        met = "yes" if check(value) else "no"
        lines.append(
            f"| {name} | {target} | {value:.1f} | {reference:.1f} | {value / reference:.2f}x | {met} |"
        )
    ratio = results["throughput_ratio"]
    f1, f1_baseline = backcare["holdout_intent_macro_f1"], baseline["holdout_intent_macro_f1"]
    errors = backcare["single"]["errors"] + backcare["concurrent"]["errors"]
    ratio_met = "yes" if ratio >= 1.5 else "no"
    f1_met = "yes" if f1 >= f1_baseline else "no"
    errors_met = "yes" if errors == 0 else "no"
    errors_backcare = f"{backcare['single']['errors']} / {backcare['concurrent']['errors']}"
    errors_baseline = f"{baseline['single']['errors']} / {baseline['concurrent']['errors']}"
    lines += [
        f"| throughput vs baseline | >= 1.5x | {ratio:.2f}x | 1.00x | {ratio:.2f}x | {ratio_met} |",
        f"| held-out intent macro-F1 | >= baseline | {f1:.3f} | {f1_baseline:.3f} | {f1 / f1_baseline:.2f}x "
        f"| {f1_met} |",
        f"| errors (single / concurrent) | 0 | {errors_backcare} | {errors_baseline} | | {errors_met} |",
        "",
        "Latencies in ms per REST turn (p99: "
        f"{backcare['single']['p99_ms']:.1f} single, {backcare['concurrent']['p99_ms']:.1f} concurrent; "
        f"baseline {baseline['single']['p99_ms']:.1f} / {baseline['concurrent']['p99_ms']:.1f}).",
        *edge_lines(backcare.get("edge_limits")),
        "Where the time goes, what was changed, and what bounds the targets still",
        "missed: [profile.md](profile.md).",
        "",
        "![Latency per REST turn](latency.png)",
        "",
        f"This run took {results['total_s'] / 60:.1f} min, "
        f"of which {results['training_s'] / 60:.1f} min training.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    started = time.perf_counter()
    model = training.train()
    baseline_model = train_baseline()
    trained = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        environment = fresh_databases(workdir)
        backcare = measure("BackCare", model, True, workdir, environment, args.concurrency, args.rounds)
        # The same exercises, a tracker store of its own.
        environment["BACKCARE_TRACKER_STORE_URL"] = f"sqlite:///{workdir / 'baseline-conversations.db'}"
        baseline = measure(
            "rasa init baseline", baseline_model, True, workdir, environment, args.concurrency, args.rounds
        )
    quality = {
        "BackCare": evaluation.score(model, HOLDOUT_FILE).intent_macro_f1,
        "rasa init baseline": evaluation.score(baseline_model, HOLDOUT_FILE).intent_macro_f1,
    }
    for system in (backcare, baseline):
        system["holdout_intent_macro_f1"] = quality[system["label"]]
    python = platform.python_version()
    results = {
        "machine": f"{platform.node()} {platform.machine()}, {os.cpu_count()} cores, Python {python}",
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "concurrency": args.concurrency,
        "systems": [backcare, baseline],
        "throughput_ratio": backcare["concurrent"]["turns_per_s"] / baseline["concurrent"]["turns_per_s"],
        "training_s": trained - started,
        "total_s": time.perf_counter() - started,
    }
    write_results(results)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
