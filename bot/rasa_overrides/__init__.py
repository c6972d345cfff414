"""Every change BackCare makes to Rasa's own behaviour, in one place.

Written for one Rasa release (`WRITTEN_FOR_RASA`); a unit test fails as soon
as another one is installed, so an upgrade means re-reading each
row below against the new Rasa source and either keeping, adapting or deleting
the override.

| Override | What it changes | Why | Upstream | Remove when |
|---|---|---|---|---|
| `action_validation` | `RemoteAction._validate_action_result` checks action-server responses with a validator compiled once | Rasa re-validates the constant schema against the JSON Schema meta-schema on every action call: 39% of the server's CPU under load (`bench/profile.md`) | none filed; `rasa/core/actions/action.py` | Rasa compiles the validator once |
| `action_server_trouble` | `RemoteAction.run` notes a custom action whose action server refused, dropped, timed out or answered 5xx; `MessageProcessor._run_action` then runs `utter_technical_trouble` and `action_listen` (for `action_session_start`, Rasa's own session start) | Rasa logs the error and goes on predicting actions that fail the same way: the person gets silence or half a turn and no hint to try again | none filed; `rasa/core/processor.py` `_run_action` | Rasa answers a failed custom action with a configurable response |
| `endpoint_sessions` | `EndpointConfig.session()` hands out one kept `aiohttp` session per endpoint and event loop, which writes request bodies with ujson (idle connections closed after 2 s, before the action server's 5-s keep-alive ends); Rasa's `close_resources` closes them when the server stops | Rasa opens a session and a TCP connection for every request, and writes the turn's tracker with `json.dumps`: 2.4% and 6.2% of the server's time under load | none filed; `rasa/utils/endpoints.py` | Rasa keeps a session per endpoint |
| `event_types` | `Event.resolve_by_type` looks the class up in a table of type names built once | Rasa walks every `Event` subclass for each event it reads back from the tracker store: 21% of the server's time at 2,000 events in one conversation, growing with every turn | none filed; `rasa/shared/core/events.py` | Rasa caches the lookup |
| `inference_load` | `RasaModel.load` for prediction (not fine-tuning): reads the weights, then creates them with one prediction (each restored as it is created), and checks that every weight it created was in the file; no optimizer, no training step | Rasa compiles each DIET/ResponseSelector with Adam and trains one step before reading the weights: the training graph is traced and the optimizer's two slots per weight stay in memory. BackCare's three models: 1,095 -> 393 MB of the Rasa server, 18 -> 8 s to load them; predictions identical | none filed; `rasa/utils/tensorflow/models.py` | Rasa loads models without an optimizer when it only predicts |
| `past_states` | `Domain.states_for_tracker_history` keeps each live tracker's replay (the state before each action, whether the turn is hidden from stories, the action before it, the replayed tracker); asked again it reuses it, and after new events replays only those unless one changes which earlier events apply (restart, session start, undo, a loop's name or execution); rule and story states are built from it as Rasa builds them, each caller getting dictionaries of its own | MemoizationPolicy asks for the past states once per prediction and RulePolicy twice after a user message, and a turn predicts after each action, each time replaying every event of the conversation: 10% of the server's time under load (`bench/profile.md`) | none filed; `rasa/shared/core/domain.py` | Rasa featurizes a tracker incrementally |
| `configured_logging` | with `--logging-config-file`, `rasa.utils.io.configure_colored_logging` does nothing and Sanic's logging defaults add no handlers | Rasa 3.6 applies the file and then still adds coloredlogs' text handler on the root logger, and Sanic its own: every line twice, once as text beside the JSON | none filed; `rasa/__main__.py` | Rasa skips coloredlogs when a logging config file is given |
| `tracker_store` | `BackCareSQLTrackerStore`: a pooled, write-ahead-logged engine for a SQLite file; `pool_pre_ping` and reads/saves tried again for ~7 s elsewhere; each save's committed events handed to `bot.observability`; `install()` makes `FailSafeTrackerStore` raise instead of falling back | SQLAlchemy 1.4 opens a connection per Rasa session on SQLite (`NullPool`) and every commit waits for a journal fsync: 5.2 -> 3.2 ms per turn. On a store error Rasa answers from an empty conversation or keeps the turn in memory only: after a PostgreSQL restart, answered turns were lost (`make chaos`) | sqlalchemy/sqlalchemy#7490; none filed for the fail-safe store (`rasa/core/tracker_store.py`) | Rasa moves to SQLAlchemy 2 with a pooled SQLite engine; Rasa's fail-safe store can be told to fail the turn |
| `lock_store` | `AtomicRedisLockStore`: ticket read-modify-write in one Redis transaction, connected with the whole Redis URL; both lock stores (`TimedInMemoryLockStore` for one process) time each wait for a lock | two replicas can issue the same ticket and handle one conversation at once; events are lost. Rasa's constructor keeps only host, port and db of a URL: a password or `rediss://` is dropped | RasaHQ/rasa#11256 (Rasa Pro only) | Rasa Open Source ships an atomic Redis lock store that takes a URL |
| `recent_history` | `BackCareSQLTrackerStore.retrieve` gives a turn the latest session's recent history: `SlotSet` events for the slot values at a cut, then the stored events after it (at least 60; cut again at 120; the cut at an `action_listen` with no form active), kept per conversation between turns and brought up to date with a row count and highest id; saves write the events after those read | Rasa reads and replays the whole session every turn, and the policies' states, the tracker copy before each action and the action-server call each walk it again: turn 300 of one conversation took 8-11x as long as turn 1 | none filed; `rasa/core/tracker_store.py`, `rasa/core/processor.py` | Rasa bounds the history a turn reads (a snapshot of the state, or states built incrementally) |
| `response_variations` | among the response variations whose conditions match, only those with the most conditions are eligible | every response has a German twin with its conditions plus `language: de`; stock Rasa picks at random among all matching variations, so a German person could get the English variation of a conditional response | none filed; `rasa/core/nlg/generator.py` `ResponseVariationFilter` | Rasa prefers the most specific conditional variation |
| `rule_lookup` | `RulePolicy._get_possible_keys` keeps, per latest state, the rules that fit it, and stops filtering once the turn is older than the longest rule left | Rasa asks each of the 190 rules whether it fits the latest state on every prediction (the same states recur), and every remaining rule about every older turn, where a rule shorter than that turn always fits: 4% of the server's time under load | none filed; `rasa/core/policies/rule_policy.py` | Rasa indexes its rules by state |
| `socketio_rooms` | `join_room` awaits `enter_room` when it is a coroutine | python-socketio >= 5.10 made `enter_room` a coroutine and Rasa 3.6 does not await it: a reloaded page never rejoined its room | RasaHQ/rasa#13027 | Rasa awaits `enter_room` |
| `sparse_features` | `Features._combine_sparse_features` joins two COO matrices directly, as scipy's `bmat` does (same arrays, same types); other cases still through `scipy.sparse.hstack` | scipy 1.10's general block stacking for the few small matrices of one message was 7.5% of the server's time under load | none filed; `rasa/shared/nlu/training_data/features.py` | scipy's `hstack` has a fast path for COO matrices, or Rasa stacks its features once |
| `spacy` | `SpacyNLP` finds a model package's nested data directory and runs only the pipes a pass needs; `SpacyEntityExtractor` runs only `ner` | the pinned spaCy model keeps its data one level down; Rasa runs the whole spaCy pipeline twice per message | none filed; `rasa/nlu/utils/spacy_utils.py` | Rasa selects pipes per component |

How each one is put in place:

- by name, where Rasa lets a project name its own class: `tracker_store` (and
  with it `recent_history`) in `endpoints.yml`, `lock_store` through `bot/stores.py`, `spacy` in
  `config.yml`; `socketio_rooms` is called by BackCare's socket.io channel
  (`bot/channels/socketio.py`, named in `credentials.yml`);
- by `install()`, for what Rasa gives no hook for (`action_validation`, `endpoint_sessions`, `event_types`, `inference_load`, `past_states`, `rule_lookup`, `sparse_features`,
  `action_server_trouble`, `response_variations`, the fail-safe part of `tracker_store`; `configured_logging`
  only when a logging configuration file is given):
  called once at start-up by every process that serves conversations
  (`bot/rasa_cli.py`, which starts the Rasa server).
"""

from __future__ import annotations

import logging
from importlib.metadata import version

logger = logging.getLogger(__name__)

WRITTEN_FOR_RASA = "3.6.21"


class UnsupportedRasaVersion(RuntimeError):
    pass


def check_rasa_version() -> None:
    installed = version("rasa")
    if installed != WRITTEN_FOR_RASA:
        raise UnsupportedRasaVersion(
            f"bot/rasa_overrides was written for Rasa {WRITTEN_FOR_RASA}, but {installed} is installed: "
            "re-check every override in its table against the new Rasa source"
        )


def install() -> None:
    """Puts in place the overrides that have no configuration hook (idempotent)."""
    try:
        check_rasa_version()
    except UnsupportedRasaVersion as error:
        # The overrides still apply; the tests are where an upgrade is stopped.
        logger.warning("%s", error)
    # Imported here: Rasa's modules load only once the log filter is in place.
    from bot.rasa_overrides import (
        action_server_trouble,
        action_validation,
        endpoint_sessions,
        event_types,
        inference_load,
        past_states,
        response_variations,
        rule_lookup,
        sparse_features,
        tracker_store,
    )

    action_validation.install()
    endpoint_sessions.install()
    event_types.install()
    inference_load.install()
    past_states.install()
    rule_lookup.install()
    sparse_features.install()
    response_variations.install()
    action_server_trouble.install()
    tracker_store.install()
