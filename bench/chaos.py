"""`make chaos`: the faults BackCare survives, on real PostgreSQL and Redis servers.

    python -m bench.chaos [--conversations 6] [--outage 6]

Starts a private PostgreSQL (initdb and pg_ctl of Debian's package, in a
temporary directory; as the `postgres` user when run as root, because
PostgreSQL refuses to run as root) and a private `redis-server`, both on free
ports, and two BackCare replicas (a Rasa server and an action server each)
sharing them as in production: tracker store and exercise database on
PostgreSQL, conversation locks on Redis. The machine's own PostgreSQL and
Redis are not touched. Then, one after the other:

a. PostgreSQL is restarted (`pg_ctl restart -m fast`) during traffic on
   several conversations whose turns alternate between the replicas;
b. Redis is stopped during such traffic and started again `--outage` seconds
   later;
c. one Rasa replica is killed (SIGKILL) during a burst of concurrent messages
   to one conversation sent to both replicas, and started again.

Every message carries an id in its metadata, which Rasa keeps on the user
event, so each conversation's tracker is checked message by message: a message
that was answered must be there once (else "lost"), no message may be there
twice ("doubled"). The figures: messages sent, answered, answered with nothing,
refused (a failed turn: 503 with the "having trouble, please try again" reply),
connection errors, user events per conversation, and the recovery
time (from the end of the fault to the first answered message). Exits 1 when
a message was lost or doubled or a burst turn was not whole.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import pwd
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Tuple

import psycopg2
import requests

from bot import paths, training
from bot.knowledge import create_engine_for, create_schema, seed_exercises
from support.conversation import NO_LEG_PAIN, THANKS, user_turns
from support.deployment import Deployment
from support.ports import free_port
from support.redis_server import PrivateRedis

# One conversation: the assessment, the screening, two exercise steps and thanks.
SCRIPT = [
    "my lower back hurts a lot, 8/10",
    "since yesterday",
    NO_LEG_PAIN,
    "no",
    "no",
    "none of those",
    "no",
    "next",
    "next",
    "thanks",
    "how long will it last?",
    "thank you",
]
# A burst to one conversation: every turn is utter_you_are_welcome, action_listen.
BURST = list(THANKS)
WHOLE_BURST_TURN = ["utter_you_are_welcome", "action_listen"]
# Sent on every conversation of b once Redis is back.
AFTER_REDIS = ["thanks", "how long will it last?", "thank you"]
REQUEST_TIMEOUT_S = 120


def say_line(text: str = "") -> None:
    print(text, flush=True)


# --------------------------------------------------------------------------- #
# Private PostgreSQL and Redis servers
# --------------------------------------------------------------------------- #


class PrivatePostgres:
    """A PostgreSQL cluster of our own in `directory`, on a free port, trusting local connections."""

    def __init__(self, directory: Path) -> None:
        binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
        if not binaries:
            raise RuntimeError("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin")
        self.bin = Path(binaries[-1])
        self.directory = directory
        self.data = directory / "data"
        self.log = directory / "postgres.log"
        self.port = free_port()
        self.as_owner: List[str] = []
        if os.geteuid() == 0:
            # PostgreSQL will not run as root: the cluster belongs to the `postgres` user.
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                raise RuntimeError(
                    "running as root and there is no `postgres` user to own the cluster"
                ) from None
            os.chown(directory, owner.pw_uid, owner.pw_gid)
            self.as_owner = ["runuser", "-u", "postgres", "--"]

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/backcare"

    def _pg_ctl(self, *args: str) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.directory}"
        command = [*self.as_owner, str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log)]
        subprocess.run([*command, "-o", options, "-w", "-t", "60", *args], check=True, capture_output=True)

    def start(self) -> None:
        initdb = [
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
        ]
        subprocess.run([*self.as_owner, *initdb], check=True, capture_output=True)
        self._pg_ctl("start")
        admin = psycopg2.connect(f"postgresql://postgres@127.0.0.1:{self.port}/postgres")
        admin.autocommit = True
        admin.cursor().execute("CREATE DATABASE backcare")
        admin.close()

    def restart(self) -> None:
        """Fast shutdown (every session is disconnected, open transactions roll back), then start."""
        self._pg_ctl("-m", "fast", "restart")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._pg_ctl("-m", "immediate", "stop")


# --------------------------------------------------------------------------- #
# Traffic and what the trackers hold afterwards
# --------------------------------------------------------------------------- #


@dataclass
class Outcome:
    conversation: str
    message_id: str
    text: str
    replica: int
    started: float
    finished: float
    status: Optional[int]  # None: no HTTP answer at all
    replies: List[Dict[str, Any]] = field(default_factory=list)
    error: str = ""

    @property
    def answered(self) -> bool:
        return self.status == 200 and bool(self.replies)

    @property
    def empty(self) -> bool:
        return self.status == 200 and not self.replies

    @property
    def failed(self) -> bool:
        return self.status != 200


def send(url: str, conversation: str, message_id: str, text: str, replica: int) -> Outcome:
    started = time.monotonic()
    try:
        answer = requests.post(
            f"{url}/webhooks/rest/webhook",
            json={"sender": conversation, "message": text, "metadata": {"chaos_id": message_id}},
            timeout=REQUEST_TIMEOUT_S,
        )
    except requests.RequestException as error:
        return Outcome(
            conversation, message_id, text, replica, started, time.monotonic(), None, [], type(error).__name__
        )
    replies = answer.json() if answer.status_code == 200 else []
    error = "" if answer.status_code == 200 else answer.text[:200]
    return Outcome(
        conversation, message_id, text, replica, started, time.monotonic(), answer.status_code, replies, error
    )


class Traffic:
    """Conversations sent in parallel threads, each turn to the next replica, as behind a load balancer."""

    def __init__(self, urls: Sequence[str], pause_s: float = 0.3) -> None:
        self.urls = list(urls)
        self.pause_s = pause_s
        self.outcomes: List[Outcome] = []
        self.lock = threading.Lock()
        self.threads: List[threading.Thread] = []

    def _record(self, outcome: Outcome) -> None:
        with self.lock:
            self.outcomes.append(outcome)

    def sent(self) -> int:
        with self.lock:
            return len(self.outcomes)

    def conversation(self, name: str, script: Sequence[str], offset: int, tag: str = "") -> None:
        def run() -> None:
            for turn, text in enumerate(script):
                replica = (offset + turn) % len(self.urls)
                self._record(send(self.urls[replica], name, f"{name}/{tag}{turn}", text, replica))
                time.sleep(self.pause_s)

        thread = threading.Thread(target=run, daemon=True)
        self.threads.append(thread)
        thread.start()

    def burst(self, name: str, texts: Sequence[str], before_each: Callable[[int], None]) -> None:
        """Every message of `texts` at once to conversation `name`, alternating replicas."""

        def run(index: int, text: str) -> None:
            replica = index % len(self.urls)
            self._record(send(self.urls[replica], name, f"{name}/{index}", text, replica))

        for index, text in enumerate(texts):
            before_each(index)
            thread = threading.Thread(target=run, args=(index, text), daemon=True)
            self.threads.append(thread)
            thread.start()

    def wait_until_sent(self, count: int, timeout_s: float = 600) -> None:
        deadline = time.monotonic() + timeout_s
        while self.sent() < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"only {self.sent()} of {count} messages answered in {timeout_s:.0f} s")
            time.sleep(0.05)

    def join(self) -> None:
        for thread in self.threads:
            thread.join(REQUEST_TIMEOUT_S * 2)


def tracker_events(url: str, token: str, conversation: str) -> List[Dict[str, Any]]:
    answer = requests.get(f"{url}/conversations/{conversation}/tracker", params={"token": token}, timeout=60)
    answer.raise_for_status()
    return answer.json()["events"]


@dataclass
class Accounting:
    conversation: str
    sent: int
    answered: int
    empty: int
    failed: int
    user_events: int
    events: int
    lost: List[str]  # answered, but not in the tracker
    doubled: List[str]  # in the tracker more than once
    kept_unanswered: int  # in the tracker although the caller got no reply
    duplicate_timestamps: int
    broken_turns: List[str] = field(default_factory=list)


def account(conversation: str, outcomes: List[Outcome], events: List[Dict[str, Any]]) -> Accounting:
    recorded: Dict[str, int] = {}
    for event in events:
        if event["event"] == "user":
            message_id = (event.get("metadata") or {}).get("chaos_id", "?")
            recorded[message_id] = recorded.get(message_id, 0) + 1
    mine = [o for o in outcomes if o.conversation == conversation]
    timestamps = [event["timestamp"] for event in events]
    return Accounting(
        conversation=conversation,
        sent=len(mine),
        answered=sum(o.answered for o in mine),
        empty=sum(o.empty for o in mine),
        failed=sum(o.failed for o in mine),
        user_events=sum(recorded.values()),
        events=len(events),
        lost=[o.message_id for o in mine if o.answered and o.message_id not in recorded],
        doubled=[message_id for message_id, count in recorded.items() if count > 1],
        kept_unanswered=sum(1 for o in mine if not o.answered and o.message_id in recorded),
        duplicate_timestamps=len(timestamps) - len(set(timestamps)),
    )


def broken_burst_turns(events: List[Dict[str, Any]]) -> List[str]:
    """Burst turns whose actions are not exactly the welcome reply and listen (another turn interleaved)."""
    broken = []
    for turn in user_turns(events):
        actions = [event["name"] for event in turn if event["event"] == "action"]
        if actions != WHOLE_BURST_TURN:
            broken.append(f"{turn[0]['text']!r}: {actions}")
    return broken


def recovery_s(outcomes: List[Outcome], fault_ended: float) -> Optional[float]:
    """From the end of the fault to the first message answered that was sent after it."""
    after = [o.finished for o in outcomes if o.answered and o.started >= fault_ended]
    return min(after) - fault_ended if after else None


def lost_detail(outcomes: List[Outcome], message_id: str) -> str:
    """What was sent and what came back, for a message the tracker does not hold."""
    outcome = next(o for o in outcomes if o.message_id == message_id)
    reply = " / ".join(str(r.get("text", ""))[:50] for r in outcome.replies)
    return f"({outcome.text!r} -> {reply!r})"


def report(title: str, outcomes: List[Outcome], books: List[Accounting], figures: Dict[str, str]) -> bool:
    say_line(f"\n=== {title} ===")
    latencies = sorted(o.finished - o.started for o in outcomes if o.answered)
    say_line(
        f"messages sent {len(outcomes)}, answered {sum(o.answered for o in outcomes)}, "
        f"answered with nothing {sum(o.empty for o in outcomes)}, "
        f"HTTP/connection errors {sum(o.failed for o in outcomes)}"
    )
    if latencies:
        say_line(
            f"latency of answered messages: median {statistics.median(latencies) * 1000:.0f} ms, "
            f"max {latencies[-1] * 1000:.0f} ms"
        )
    for name, value in figures.items():
        say_line(f"{name}: {value}")
    say_line(
        f"{'conversation':<24} {'sent':>4} {'answ':>4} {'empty':>5} {'err':>3} "
        f"{'user ev':>7} {'events':>6} {'lost':>4} {'doubled':>7} {'kept w/o answer':>15}"
    )
    healthy = True
    for book in books:
        say_line(
            f"{book.conversation:<24} {book.sent:>4} {book.answered:>4} {book.empty:>5} {book.failed:>3} "
            f"{book.user_events:>7} {book.events:>6} {len(book.lost):>4} {len(book.doubled):>7} "
            f"{book.kept_unanswered:>15}"
        )
        for problem in (
            [f"LOST {m} {lost_detail(outcomes, m)}" for m in book.lost]
            + [f"DOUBLED {m}" for m in book.doubled]
            + (
                [f"{book.duplicate_timestamps} duplicate event timestamps"]
                if book.duplicate_timestamps
                else []
            )
            + [f"TURN NOT WHOLE {t}" for t in book.broken_turns]
        ):
            say_line(f"    {problem}")
            healthy = False
    failures = [o for o in outcomes if not o.answered]
    shown = {(o.status, o.error or (o.replies and "" or "[]")) for o in failures}
    for status, error in sorted(shown, key=str)[:5]:
        say_line(f"what the caller got: HTTP {status if status is not None else '-'} {error or '200 []'}")
    say_line("result: " + ("nothing lost or doubled" if healthy else "PROBLEMS above"))
    return healthy


# --------------------------------------------------------------------------- #
# The three scenarios
# --------------------------------------------------------------------------- #


def conversation_names(prefix: str, count: int) -> List[str]:
    tag = uuid.uuid4().hex[:6]
    return [f"chaos-{prefix}-{tag}-{i}" for i in range(count)]


def books_for(running: Deployment, names: List[str], outcomes: List[Outcome]) -> List[Accounting]:
    url = running.replicas[0].settings.rasa_url
    return [account(name, outcomes, tracker_events(url, running.token, name)) for name in names]


def traffic_under_way(running: Deployment, prefix: str, conversations: int) -> Tuple[List[str], Traffic]:
    """`conversations` scripted conversations across the replicas, a third of their messages sent."""
    names = conversation_names(prefix, conversations)
    traffic = Traffic([replica.settings.rasa_url for replica in running.replicas])
    for offset, name in enumerate(names):
        traffic.conversation(name, SCRIPT, offset)
    traffic.wait_until_sent(len(names) * len(SCRIPT) // 3)
    return names, traffic


def postgres_restarted(running: Deployment, postgres: PrivatePostgres, conversations: int) -> bool:
    names, traffic = traffic_under_way(running, "pg", conversations)
    began = time.monotonic()
    postgres.restart()
    ended = time.monotonic()
    traffic.join()
    books = books_for(running, names, traffic.outcomes)
    during = [o for o in traffic.outcomes if o.finished >= began and o.started <= ended]
    return report(
        "a. PostgreSQL restarted (pg_ctl restart -m fast) during traffic",
        traffic.outcomes,
        books,
        {
            "conversations": f"{len(names)} x {len(SCRIPT)} messages, turns alternating between 2 replicas",
            "restart took": f"{ended - began:.2f} s",
            "messages in flight during the restart": str(len(during)),
            "recovery (restart done -> first answer)": _seconds(recovery_s(traffic.outcomes, ended)),
        },
    )


def redis_unavailable(
    running: Deployment, lock_store: PrivateRedis, conversations: int, outage_s: float
) -> bool:
    names, traffic = traffic_under_way(running, "redis", conversations)
    stopped = time.monotonic()
    lock_store.stop()
    time.sleep(outage_s)
    lock_store.start()
    started = time.monotonic()
    traffic.join()
    # Whatever the scripts had left went out while Redis was down; each person then tries again.
    for offset, name in enumerate(names):
        traffic.conversation(name, AFTER_REDIS, offset, tag="after-")
    traffic.join()
    books = books_for(running, names, traffic.outcomes)
    while_down = [o for o in traffic.outcomes if stopped <= o.started < started]
    after = [o for o in traffic.outcomes if o.started >= started]
    return report(
        f"b. Redis (lock store) stopped for {outage_s:.0f} s during traffic",
        traffic.outcomes,
        books,
        {
            "conversations": f"{len(names)} x {len(SCRIPT)} messages, turns alternating between 2 replicas, "
            f"then {len(AFTER_REDIS)} more each once Redis is back",
            "sent while Redis was down": f"{len(while_down)}, answered {sum(o.answered for o in while_down)}",
            "sent after Redis was back": f"{len(after)}, answered {sum(o.answered for o in after)}",
            "recovery (Redis back -> first answer)": _seconds(recovery_s(traffic.outcomes, started)),
        },
    )


def replica_killed(running: Deployment) -> bool:
    name = conversation_names("burst", 1)[0]
    traffic = Traffic([replica.settings.rasa_url for replica in running.replicas])
    killed_at: List[float] = []

    def kill_midway(index: int) -> None:
        if index == len(BURST) // 2:
            time.sleep(0.3)  # the first half is being handled
            running.replicas[0].rasa.send_signal(signal.SIGKILL)
            running.replicas[0].rasa.wait(timeout=30)
            killed_at.append(time.monotonic())

    traffic.burst(name, BURST, kill_midway)
    traffic.join()
    # The killed replica comes back on its port; one more message goes through it.
    restarted_at = time.monotonic()
    running.restart_rasa(0)
    back_after = time.monotonic() - restarted_at
    traffic.outcomes.append(
        send(running.replicas[0].settings.rasa_url, name, f"{name}/after", "thank you", 0)
    )
    events = tracker_events(running.replicas[1].settings.rasa_url, running.token, name)
    book = account(name, traffic.outcomes, events)
    book.broken_turns = broken_burst_turns(events)
    answered_by_survivor = [o for o in traffic.outcomes if o.replica == 1 and o.answered]
    survivor_timeouts = [o for o in traffic.outcomes if o.replica == 1 and o.error == "ReadTimeout"]
    slowest = max(
        (o.finished - killed_at[0] for o in answered_by_survivor if o.finished > killed_at[0]), default=0.0
    )
    return report(
        "c. a Rasa replica killed (SIGKILL) during a burst to one conversation",
        traffic.outcomes,
        [book],
        {
            "burst": f"{len(BURST)} concurrent messages, alternating between 2 replicas; "
            f"the first replica killed after {len(BURST) // 2} were sent",
            "answered by the surviving replica": f"{len(answered_by_survivor)} of "
            f"{sum(o.replica == 1 for o in traffic.outcomes)} (the last {slowest:.1f} s after the kill); "
            f"no answer within {REQUEST_TIMEOUT_S} s: {len(survivor_timeouts)}",
            "killed replica ready again after": f"{back_after:.1f} s; a message sent through it then: "
            + ("answered" if traffic.outcomes[-1].answered else "NOT answered"),
        },
    )


def error_kinds(lines: List[str]) -> Dict[str, int]:
    """Error records of the servers' log (JSON from Rasa, text from the others), counted by their start."""
    kinds: Dict[str, int] = {}
    for line in lines:
        kind = ""
        if line.startswith("{"):
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict) and str(record.get("level", "")).lower() in ("error", "critical"):
                kind = str(record.get("event") or record.get("message") or "")
        elif " ERROR " in line:
            kind = line.split(" ERROR ", 1)[1]
        if kind:
            kind = kind.splitlines()[0][:100]
            kinds[kind] = kinds.get(kind, 0) + 1
    return kinds


def _seconds(value: Optional[float]) -> str:
    return "no answer after the fault" if value is None else f"{value:.2f} s"


# --------------------------------------------------------------------------- #
# Main
# --------------------------------------------------------------------------- #


@contextmanager
def stores(directory: Path) -> Iterator[tuple]:
    postgres = PrivatePostgres(directory / "postgres")
    lock_store = PrivateRedis(password=secrets.token_hex(8))
    try:
        postgres.start()
        lock_store.start()
        yield postgres, lock_store
    finally:
        lock_store.remove()
        postgres.stop()


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.chaos", description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=6, help="conversations in a and b (default 6)")
    parser.add_argument("--outage", type=float, default=6.0, help="seconds Redis stays down in b (default 6)")
    args = parser.parse_args(argv)
    if not training.model_path().exists():
        say_line(f"No trained model at {training.model_path()}: run `make train` first.")
        return 2
    with tempfile.TemporaryDirectory(prefix="backcare-chaos-") as temporary:
        directory = Path(temporary)
        directory.chmod(0o711)  # the `postgres` user (when run as root) reaches its cluster inside
        (directory / "postgres").mkdir()
        with stores(directory) as (postgres, lock_store):
            engine = create_engine_for(postgres.url)
            create_schema(engine)
            seed_exercises(engine)
            engine.dispose()
            environment = {
                "BACKCARE_DATABASE_URL": postgres.url,
                "BACKCARE_TRACKER_STORE_URL": postgres.url,
                "BACKCARE_LOCK_STORE_URL": lock_store.url,
            }
            log_file = directory / "servers.log"
            owner = "postgres" if postgres.as_owner else pwd.getpwuid(os.geteuid()).pw_name
            say_line(
                f"PostgreSQL {postgres.bin.parent.name} on port {postgres.port} (run as {owner}), "
                f"Redis on port {lock_store.port} (with a password); starting 2 replicas..."
            )
            running = Deployment(environment, log_file)
            started = time.monotonic()
            try:
                running.start(2)
                say_line(f"2 replicas ready in {time.monotonic() - started:.0f} s")
                results = [
                    postgres_restarted(running, postgres, args.conversations),
                    redis_unavailable(running, lock_store, args.conversations, args.outage),
                    replica_killed(running),
                ]
            except Exception:
                say_line(log_file.read_text(errors="replace")[-4000:] if log_file.exists() else "")
                raise
            finally:
                running.stop()
            kept = paths.RUNTIME_DIR / "chaos-servers.log"
            kept.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(log_file, kept)
            kinds = error_kinds(log_file.read_text(errors="replace").splitlines())
            say_line(f"\nservers' log ({kept}): {sum(kinds.values())} error records; the kinds:")
            for kind, count in sorted(kinds.items(), key=lambda item: -item[1])[:12]:
                say_line(f"  {count:>4} x {kind}")
    say_line("\nchaos: " + ("every scenario kept every answered message once" if all(results) else "FAILED"))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
