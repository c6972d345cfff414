"""Metrics and JSON logs against the running servers: what a Prometheus scrape sees.

The Rasa server's `/webhooks/metrics/` and the action server's `/metrics`
want the metrics token (here the API token) as a Bearer header; the
counters move with a REST conversation; no word a person said and no
sender id appear in what is scraped or logged.
"""

from __future__ import annotations

import json
import secrets
import time
import uuid
from pathlib import Path
from typing import Dict, Iterator, Tuple

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from bot import servers
from bot.action_server import TOKEN_HEADER
from bot.shared_secrets import action_token
from support.client import BackCareClient
from support.conversation import NO_LEG_PAIN, NO_WARNING_SIGNS
from support.ports import free_port

pytestmark = pytest.mark.e2e

MARKER = "zebrasciatica"  # stands for anything a person says
Samples = Dict[Tuple[str, Tuple[Tuple[str, str], ...]], float]


def bearer(token: str) -> Dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def scrape(url: str, token: str) -> Tuple[str, Samples]:
    answer = requests.get(url, headers=bearer(token), timeout=30)
    assert answer.status_code == 200, answer.text
    assert answer.headers["Content-Type"].startswith("text/plain")
    samples = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(answer.text)
        for sample in family.samples
    }
    return answer.text, samples


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_the_rasa_server_counts_turns_and_outcomes_without_words_or_ids(backcare: BackCareClient) -> None:
    url = f"{backcare.settings.rasa_url}/webhooks/metrics/"
    assert requests.get(url, timeout=30).status_code == 401
    assert requests.get(url, headers=bearer("wrong"), timeout=30).status_code == 401
    assert requests.get(url, params={"token": "wrong"}, timeout=30).status_code == 401
    token = backcare.settings.api_token  # no BACKCARE_METRICS_TOKEN: the API token
    _, before = scrape(url, token)

    sender = f"metrics-{uuid.uuid4().hex[:10]}"
    turns = 0

    def say(text: str) -> None:
        nonlocal turns
        backcare.say(sender, text)
        turns += 1

    say("my back hurts, about 5/10, since 3 days")
    if backcare.slots(sender).get("requested_slot") == "leg_pain":
        say(NO_LEG_PAIN)
    for answer in NO_WARNING_SIGNS:
        say(answer)
    assert backcare.slots(sender)["triage"] == "acute"
    say(f"{MARKER} is what my physio called it")

    flagged = f"metrics-{uuid.uuid4().hex[:10]}"
    backcare.say(flagged, "my back hurts and I can't feel my groin")
    turns += 1
    codes = backcare.slots(flagged)["red_flags"]
    assert "saddle_numbness" in codes

    text, after = scrape(url, token)
    assert (
        value(after, "backcare_turns_total", channel="rest")
        - value(before, "backcare_turns_total", channel="rest")
        == turns
    )
    assert (
        value(after, "backcare_turn_seconds_count", channel="rest")
        - value(before, "backcare_turn_seconds_count", channel="rest")
        == turns
    )
    assert value(after, "backcare_turn_seconds_sum", channel="rest") > value(
        before, "backcare_turn_seconds_sum", channel="rest"
    )
    stage = "backcare_triage_outcomes_total"
    assert value(after, stage, stage="acute") - value(before, stage, stage="acute") == 1
    assert value(after, stage, stage="urgent") - value(before, stage, stage="urgent") == 1
    for code in codes:
        signs = "backcare_warning_signs_total"
        assert value(after, signs, code=code) - value(before, signs, code=code) == 1, code

    for private in (sender, flagged, MARKER, "groin", "physio"):
        assert private not in text
    names = {name for name, _labels in after if name.startswith("backcare_")}
    assert {"backcare_turns_total", "backcare_fallbacks_total", "backcare_telegram_deliveries_total"} <= names


def action_call(action: str, **fields: object) -> bytes:
    return json.dumps({"next_action": action, "sender_id": MARKER, **fields}).encode()


def test_the_action_server_counts_action_errors_behind_the_token(backcare: BackCareClient) -> None:
    base = f"http://{backcare.settings.host}:{backcare.settings.actions_port}"
    url = f"{base}/metrics"
    token = backcare.settings.api_token
    assert requests.get(url, timeout=30).status_code == 401
    # The action token is for Rasa's calls, not for scraping.
    headers = {TOKEN_HEADER: action_token(backcare.configuration)}
    assert requests.get(url, headers=headers, timeout=30).status_code == 401
    _, before = scrape(url, token)

    # A call without a tracker makes the action fail inside rasa_sdk: a 500 without echo.
    call = {**headers, "Content-Type": "application/json"}
    failed = requests.post(f"{base}/webhook", data=action_call("action_triage"), headers=call, timeout=30)
    assert failed.status_code == 500 and MARKER not in failed.text
    unknown = requests.post(f"{base}/webhook", data=action_call("action_made_up"), headers=call, timeout=30)
    assert unknown.status_code == 404  # not an error of an action: not counted

    text, after = scrape(url, token)
    errors = "backcare_action_errors_total"
    assert value(after, errors, action="action_triage") - value(before, errors, action="action_triage") == 1
    assert value(after, errors, action="other") == value(before, errors, action="other")
    assert MARKER not in text and "action_made_up" not in text


@pytest.fixture
def json_action_server(tmp_path: Path) -> Iterator[Tuple[str, Path, str]]:
    """An action server of its own with BACKCARE_LOG_FORMAT=json: its address, log file and token."""
    settings = servers.ServerSettings(
        rasa_port=free_port(),
        actions_port=free_port(),
        api_token=secrets.token_urlsafe(16),
        web_port=free_port(),
    )
    log = tmp_path / "actions.log"
    environment = {
        "BACKCARE_LOG_FORMAT": "json",
        "BACKCARE_DATABASE_URL": f"sqlite:///{tmp_path / 'unused.db'}",
    }
    token = servers.server_environment(settings, environment)["BACKCARE_ACTION_TOKEN"]
    process = servers.start(servers.action_server_command(settings), settings, log, environment)
    base = f"http://{settings.host}:{settings.actions_port}"
    try:
        deadline = time.monotonic() + 120
        while not healthy(base):
            assert process.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.5)
        yield base, log, token
    finally:
        servers.stop([process])


def healthy(base: str) -> bool:
    try:
        return requests.get(f"{base}/health", timeout=2).status_code == 200
    except requests.ConnectionError:
        return False


def test_the_action_server_logs_json_lines_without_words(json_action_server: Tuple[str, Path, str]) -> None:
    base, log, token = json_action_server
    call = {TOKEN_HEADER: token, "Content-Type": "application/json"}
    failed = requests.post(f"{base}/webhook", data=action_call("action_triage"), headers=call, timeout=30)
    assert failed.status_code == 500
    time.sleep(0.5)  # the log line is written after the answer

    lines = log.read_text().splitlines()
    entries = [json.loads(line) for line in lines if line.strip()]  # every line is one JSON object
    assert entries and all({"time", "level", "logger", "message"} <= set(entry) for entry in entries)
    error = next(entry for entry in entries if entry["message"].startswith("Action request failed"))
    assert error["level"] == "ERROR" and error["logger"] in ("bot.action_server", "__main__")
    assert error["action"] == "action_triage"
    assert MARKER not in log.read_text() and token not in log.read_text()
