"""Load-test BackCare's REST channel with Locust (https://locust.io).

Locust is not a dependency of BackCare: install it where you run the load
(`pip install locust`, best in a virtual environment of its own), start
BackCare (`make run`), then from the top of the checkout:

    locust -f locustfile.py                          # web UI on http://127.0.0.1:8089
    BACKCARE_URL=http://127.0.0.1:5005 locust -f locustfile.py --headless -u 20 -r 2 -t 5m

Each simulated person holds one of the benchmark's conversations
(`bench/conversations.py`: an assessment, the safety questions, exercise
steps, a question on the way; a few report a warning sign) over
`POST /webhooks/rest/webhook`, one message after the other with a few
seconds to read and type, then comes back as a new person (a new sender id).
A turn fails when the answer is not 200 or holds no message.

The REST channel takes no token: like the web chat it is the public way in
(`bot/channels/rest.py`: JSON bodies only, length and sender checks).
`BACKCARE_API_TOKEN` is the token of Rasa's HTTP API (`--enable-api`); when
it is set, each person's conversation is read back at its end with
`GET /conversations/<id>/tracker?token=...`, as an integration would, and
shown as a request of its own.

    BACKCARE_URL          where Rasa listens (default http://127.0.0.1:5005; --host wins)
    BACKCARE_API_TOKEN    optional: also read each conversation back over the HTTP API
    BACKCARE_THINK_SECONDS  "min,max" seconds between a person's messages (default 1,4)
"""

from __future__ import annotations

import itertools
import os
import secrets
import sys
from pathlib import Path
from typing import List, Tuple

from locust import HttpUser, between, task

sys.path.insert(0, str(Path(__file__).resolve().parent))  # for bench.conversations, however locust is run

from bench.conversations import CONVERSATIONS

REST_WEBHOOK = "/webhooks/rest/webhook"
TRACKER = "/conversations/{sender}/tracker"
DEFAULT_URL = "http://127.0.0.1:5005"


def think_seconds(text: str) -> Tuple[float, float]:
    low, _, high = text.partition(",")
    return float(low), float(high or low)


_next_conversation = itertools.count()


class Person(HttpUser):
    """One person after another, each holding one conversation with BackCare over REST."""

    host = os.environ.get("BACKCARE_URL", DEFAULT_URL)
    wait_time = between(*think_seconds(os.environ.get("BACKCARE_THINK_SECONDS", "1,4")))

    def on_start(self) -> None:
        self.api_token = os.environ.get("BACKCARE_API_TOKEN", "")
        self.begin()

    def begin(self) -> None:
        number = next(_next_conversation)
        self.turns: List[str] = list(CONVERSATIONS[number % len(CONVERSATIONS)])
        self.sender = f"locust-{number}-{secrets.token_hex(4)}"

    @task
    def say_next(self) -> None:
        text = self.turns.pop(0)
        with self.client.post(
            REST_WEBHOOK,
            json={"sender": self.sender, "message": text},
            name=REST_WEBHOOK,
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}: {response.text[:200]}")
            else:
                try:
                    messages = response.json()
                except ValueError:
                    messages = None
                if not isinstance(messages, list) or not messages:
                    response.failure("no reply")
        if not self.turns:
            self.read_back()
            self.begin()

    def read_back(self) -> None:
        if not self.api_token:
            return
        with self.client.get(
            TRACKER.format(sender=self.sender),
            params={"token": self.api_token},
            name=TRACKER.format(sender="[id]"),
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
