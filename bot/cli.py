"""`backcare`: the command line behind the Makefile.

backcare run            seed the database, train if needed, start both servers
backcare train          train the model if config or data changed (--force)
backcare db seed        create the exercise tables and (re)load data/exercises.yml
backcare db check       say whether the exercise database is usable
backcare eval           held-out NLU scores, story evaluation (--cross-validation)
backcare forget ID      delete everything stored about one conversation
backcare retention      delete conversations older than BACKCARE_RETENTION_DAYS
backcare report         operator's report from the tracker store (markdown and charts, no personal data)
backcare telegram set-webhook   register the Telegram webhook and its secret
backcare reminders      send due check-in reminders through Rasa (--once: one pass)
backcare clock advance 1d | show | reset   move the clock of a local run (BACKCARE_CLOCK_FILE)
backcare actions        start only the action server
backcare serve          start only the Rasa server (needs a trained model)
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import secrets
import shutil
import sys
import time
from pathlib import Path
from typing import Callable, List, Mapping, Optional

from bot import clock, log_privacy, paths, servers, training
from bot.knowledge import (
    DatabaseUnavailable,
    ExerciseRepository,
    create_engine_for,
    create_schema,
    database_url,
    seed_exercises,
)
from bot.settings import DEFAULT_HOST, Settings, SettingsError, use_settings

Command = Callable[[argparse.Namespace, Settings], int]

# The checkout's evaluation sets, never used for training. They live with the
# tests; the evaluation modules take them as arguments, and this command line
# of a checkout names them for `backcare eval`, the quality gates and the benchmark.
EVALUATION_DIR = paths.PROJECT_ROOT / "tests"
# Held-out NLU examples and their floors, per language (one model serves both).
HOLDOUT_SETS = {
    "en": (EVALUATION_DIR / "nlu" / "holdout.yml", EVALUATION_DIR / "nlu" / "quality_floor.json"),
    "de": (EVALUATION_DIR / "nlu" / "holdout_de.yml", EVALUATION_DIR / "nlu" / "quality_floor_de.json"),
}
HOLDOUT_FILE, HOLDOUT_FLOOR_FILE = HOLDOUT_SETS["en"]
LANGUAGE_NAMES = {"en": "English", "de": "German"}
CLINICAL_DIR = EVALUATION_DIR / "clinical"
# The hand-labelled sets per language, each language scored on its own against
# the same floors. The English second set was written without sight of the
# detector; the German second set was scored before the detector was tuned to it.
CLINICAL_SETS = {
    "en": (CLINICAL_DIR / "corpus.yml", CLINICAL_DIR / "second_set.yml"),
    "de": (CLINICAL_DIR / "corpus_de.yml", CLINICAL_DIR / "second_set_de.yml"),
}
QUALITY_SET_FILE = EVALUATION_DIR / "quality" / "conversation_set.yml"
QUALITY_FLOOR_FILE = EVALUATION_DIR / "quality" / "floors.yml"
TEST_STORIES_DIR = EVALUATION_DIR / "stories"


def _server_settings(args: argparse.Namespace, settings: Settings) -> servers.ServerSettings:
    """The addresses from the command line (its defaults are `settings`) and the API token."""
    return servers.ServerSettings(
        host=args.host,
        rasa_port=args.port,
        actions_port=args.actions_port,
        api_token=settings.api_token,
        web_port=args.web_port,
        actions_host=args.actions_host,
    )


def _redacted(url: str) -> str:
    """The database URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def seed_database(settings: Settings) -> int:
    url = database_url(settings)
    engine = create_engine_for(url)
    create_schema(engine)
    report = seed_exercises(engine)
    print(
        f"Exercise database {_redacted(url)}: {report.created} created, "
        f"{report.updated} updated, {report.unchanged} unchanged, "
        f"{report.deactivated} deactivated; translations: {report.translations_created} created, "
        f"{report.translations_updated} updated, {report.translations_removed} removed."
    )
    return 0


def check_database(settings: Settings) -> int:
    """Exits non-zero with a readable message when the database is unusable."""
    url = database_url(settings)
    try:
        count = ExerciseRepository(create_engine_for(url)).check()
    except DatabaseUnavailable as error:
        print(f"Exercise database {_redacted(url)} is not usable: {error}", file=sys.stderr)
        return 2
    print(f"Exercise database {_redacted(url)}: {count} exercises.")
    return 0


def _run_servers(
    settings: servers.ServerSettings,
    backcare: Settings,
    with_rasa: bool,
    with_actions: bool,
    with_web: bool = False,
    with_reminders: bool = False,
    environment: Optional[Mapping[str, str]] = None,
) -> int:
    if with_actions and check_database(backcare) != 0:
        return 2
    model = training.model_path() if with_rasa else None
    if model is not None and not model.exists():
        print("No trained model for the current data; run `backcare train` first.", file=sys.stderr)
        return 2
    processes = []
    if with_actions:
        processes.append(
            servers.start(servers.action_server_command(settings), settings, environment=environment)
        )
    if model is not None:
        processes.append(
            servers.start(servers.rasa_server_command(settings, model), settings, environment=environment)
        )
    if with_web:
        processes.append(
            servers.start(servers.web_server_command(settings), settings, environment=environment)
        )
    try:
        if with_actions and with_rasa:
            servers.wait_until_ready(settings, processes, with_web=with_web)
            if with_reminders:  # it has no port to wait for: it only calls the Rasa server
                reminders = {**(environment or {}), **servers.reminders_environment(settings)}
                processes.append(servers.start(servers.reminders_command(), settings, environment=reminders))
            _say_how_to_talk(settings)
        # Returns when a server exits (or on Ctrl-C via KeyboardInterrupt).
        while all(process.poll() is None for process in processes):
            time.sleep(1)
        return max(process.returncode or 0 for process in processes)
    except KeyboardInterrupt:
        return 0
    finally:
        servers.stop(processes)


def _say_how_to_talk(settings: servers.ServerSettings) -> None:
    print(
        "\nBackCare is ready.\n"
        f"  Web chat: open {settings.web_url}/ in a browser\n"
        f"  REST:    curl -s -X POST {settings.rasa_url}/webhooks/rest/webhook "
        '-H \'Content-Type: application/json\' -d \'{"sender": "me", "message": "hi"}\'\n'
        f"  Tracker: curl -s '{settings.rasa_url}/conversations/me/tracker?token=$BACKCARE_API_TOKEN'\n"
        "Press Ctrl-C to stop.\n",
        flush=True,
    )


def command_run(args: argparse.Namespace, settings: Settings) -> int:
    if not settings.api_token:
        settings = dataclasses.replace(settings, api_token=secrets.token_urlsafe(24))
        print(f"BACKCARE_API_TOKEN was not set; this run uses the token {settings.api_token}")
    seed_database(settings)
    training.train()
    return _run_servers(
        _server_settings(args, settings),
        settings,
        with_rasa=True,
        with_actions=True,
        with_web=True,
        with_reminders=True,
        environment=servers.local_clock_environment(),
    )


def command_train(args: argparse.Namespace, settings: Settings) -> int:
    training.train(force=args.force)
    return 0


def command_serve(args: argparse.Namespace, settings: Settings) -> int:
    if not settings.api_token:
        print("Set BACKCARE_API_TOKEN to protect the HTTP API.", file=sys.stderr)
        return 2
    return _run_servers(_server_settings(args, settings), settings, with_rasa=True, with_actions=False)


def command_actions(args: argparse.Namespace, settings: Settings) -> int:
    if not (settings.api_token or settings.action_token):
        print(
            "Set BACKCARE_API_TOKEN (or BACKCARE_ACTION_TOKEN), the same as the Rasa server's.",
            file=sys.stderr,
        )
        return 2
    return _run_servers(_server_settings(args, settings), settings, with_rasa=False, with_actions=True)


def command_set_webhook(args: argparse.Namespace, settings: Settings) -> int:
    from aiogram.utils.exceptions import TelegramAPIError

    from bot.channels.telegram_setup import TelegramSetupError, set_webhook

    try:
        url = set_webhook(settings)
    except (TelegramSetupError, TelegramAPIError, OSError) as error:
        print(f"Telegram webhook not set: {error}", file=sys.stderr)
        return 2
    print(f"Telegram webhook set to {url} (with the secret token).")
    return 0


def command_forget(args: argparse.Namespace, settings: Settings) -> int:
    from bot.privacy import forget_conversation

    deleted = forget_conversation(args.conversation_id, settings.tracker_store_url, settings.database_url)
    print(
        f"Deleted {deleted.events} events, {deleted.feedback} exercise records, "
        f"{deleted.warning_signs} warning signs and {deleted.care_records} care records "
        f"(person, check-ins, reminder) of {args.conversation_id!r}."
    )
    return 0


def command_retention(args: argparse.Namespace, settings: Settings) -> int:
    from bot.privacy import apply_retention

    days = args.days if args.days is not None else settings.retention_days
    if not days or days <= 0:
        print("Give --days N or set BACKCARE_RETENTION_DAYS.", file=sys.stderr)
        return 2
    deleted = apply_retention(days, settings.tracker_store_url, settings.database_url)
    print(
        f"Deleted {deleted.events} events, {deleted.feedback} exercise records, "
        f"{deleted.warning_signs} warning signs and {deleted.care_records} care records "
        f"older than {days:g} days."
    )
    return 0


def command_reminders(args: argparse.Namespace, settings: Settings) -> int:
    from bot.care.reminder_process import run_reminders

    if not settings.api_token:
        print("Set BACKCARE_API_TOKEN, the Rasa server's, to trigger reminders.", file=sys.stderr)
        return 2
    use_settings(settings)  # bot.clock reads BACKCARE_CLOCK_FILE from this process's settings
    log_privacy.install()
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return run_reminders(settings, once=args.once)


def _clock_file(settings: Settings) -> Path:
    """`BACKCARE_CLOCK_FILE`, or the file a local `backcare run` (make run) gives its processes."""
    if not settings.clock_file:
        local = servers.local_clock_environment({})["BACKCARE_CLOCK_FILE"]
        settings = dataclasses.replace(settings, clock_file=local)
        print(f"BACKCARE_CLOCK_FILE is not set: using {paths.shown(Path(local))}, the clock of `make run`.")
    use_settings(settings)  # so that bot.clock reads this file
    return Path(settings.clock_file)


def command_report(args: argparse.Namespace, settings: Settings) -> int:
    from bot.report.period import Period, parse_day
    from bot.report.run import write_report
    from bot.report.store import TrackerStoreError

    use_settings(settings)  # bot.clock reads BACKCARE_CLOCK_FILE from this process's settings
    try:
        since, until = (parse_day(day) if day else None for day in (args.since, args.until))
        period = Period.ending(clock.now().date(), since, until)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    out_dir = Path(args.out) if args.out else paths.RUNTIME_DIR / "report"
    try:
        files = write_report(
            args.tracker_store or settings.tracker_store_url, period, out_dir, clock.now(), args.progress
        )
    except TrackerStoreError as error:
        print(f"Tracker store problem: {error}", file=sys.stderr)
        return 2
    print(
        f"{files.totals.conversations} conversations from {period.since} to {period.until}: "
        f"{paths.shown(files.markdown)} (charts beside it)."
    )
    return 0


def _say_clock(offset: float) -> None:
    days, rest = divmod(int(round(offset)), 86400)
    ahead = f"{days}d {rest // 3600}h {rest % 3600 // 60}m ahead" if offset else "the real clock"
    print(f"BackCare's clock: {clock.now():%Y-%m-%d %H:%M} UTC ({ahead}).")


def command_clock_advance(args: argparse.Namespace, settings: Settings) -> int:
    path = _clock_file(settings)
    try:
        seconds = clock.parse_span(args.span)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    _say_clock(clock.advance(path, seconds))
    return 0


def command_clock_show(args: argparse.Namespace, settings: Settings) -> int:
    _clock_file(settings)
    _say_clock(clock.offset_seconds())
    return 0


def command_clock_reset(args: argparse.Namespace, settings: Settings) -> int:
    clock.reset(_clock_file(settings))
    _say_clock(0)
    return 0


def _clinical_report(model: Path, out_dir: Path) -> bool:
    """Sensitivity and specificity per warning sign and for crisis, per language (eval/clinical.md)."""
    from bot import evaluation
    from bot.safety import evaluation as clinical

    text, passed = "", True
    for language, sets in CLINICAL_SETS.items():
        corpus = clinical.load_corpus(*sets)
        score = clinical.score_corpus(corpus)
        intents = [parsed["intent"]["name"] for parsed in evaluation.parse(model, [m.text for m in corpus])]
        outcome = clinical.pipeline_outcome(corpus, intents)
        text += clinical.language_section(language, score, CLINICAL_DIR, outcome)
        passed = passed and not score.failures()
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "clinical.md").write_text(text)
    print(text)
    return passed


def _quality_report(model: Path, out_dir: Path) -> bool:
    """Intent and self-care retrieval accuracy, false urgent advice (eval/conversation-quality.md)."""
    from bot import conversation_quality as quality
    from bot import evaluation

    labelled = quality.load_set(QUALITY_SET_FILE)
    result = quality.score(evaluation.parse(model, [item.text for item in labelled]), labelled)
    text = quality.report(result, QUALITY_SET_FILE)
    (out_dir / "conversation-quality.md").write_text(text)
    print(text)
    floors = quality.floors(QUALITY_FLOOR_FILE)
    return (
        not result.false_urgent
        and not result.missed_urgent
        and result.intent_accuracy >= floors["intent_accuracy"]
        and result.retrieval_accuracy >= floors["retrieval_accuracy"]
    )


def command_eval(args: argparse.Namespace, settings: Settings) -> int:
    """Held-out NLU scores, story evaluation, and optionally cross-validation."""
    import subprocess

    from bot import evaluation

    out_dir = paths.PROJECT_ROOT / args.out
    model = training.train()
    holdout_ok = True
    for language, (holdout, floors) in HOLDOUT_SETS.items():
        result = evaluation.score(model, holdout)
        name = "holdout" if language == "en" else f"holdout_{language}"
        report = evaluation.write_report(result, out_dir, holdout, floors, name, LANGUAGE_NAMES[language])
        print(report.read_text())
        print(f"red-flag recall (held-out, {language}): {result.red_flag_recall:.3f}")
        holdout_ok = (
            holdout_ok
            and result.red_flag_recall == 1.0
            and result.intent_macro_f1 >= evaluation.quality_floor(floors)
            and result.entity_f1 >= evaluation.quality_floor(floors, "entity_f1")
        )
    clinical_ok = _clinical_report(model, out_dir)
    quality_ok = _quality_report(model, out_dir)
    rasa = [sys.executable, "-m", "rasa", "test"]
    # Rasa adds files per policy: a report of an earlier model must not stay beside the new one.
    shutil.rmtree(out_dir / "stories", ignore_errors=True)
    stories = subprocess.run(
        rasa
        + [
            "core",
            "--model",
            str(model),
            "--stories",
            paths.shown(TEST_STORIES_DIR),
            "--out",
            str(out_dir / "stories"),
        ],
        cwd=paths.PROJECT_ROOT,
    )
    if args.cross_validation:
        subprocess.run(
            rasa
            + [
                "nlu",
                "--nlu",
                "data/nlu",
                "--config",
                "config.yml",
                "--cross-validation",
                "--folds",
                str(args.folds),
                "--out",
                str(out_dir / "cross-validation"),
            ],
            cwd=paths.PROJECT_ROOT,
            check=True,
        )
        summary = evaluation.cross_validation_summary(out_dir / "cross-validation", args.folds)
        (out_dir / "cross-validation.md").write_text(summary)
        print(summary)
    gate_ok = clinical_ok and quality_ok and holdout_ok
    return 0 if gate_ok and stories.returncode == 0 else 1


def build_parser(settings: Settings) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="backcare", description="BackCare low-back pain assistant")
    commands = parser.add_subparsers(dest="command", required=True)

    def with_ports(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sub.add_argument("--host", default=DEFAULT_HOST)
        sub.add_argument("--port", type=int, default=settings.rasa_port, help="default: BACKCARE_RASA_PORT")
        sub.add_argument(
            "--actions-port", type=int, default=settings.actions_port, help="default: BACKCARE_ACTIONS_PORT"
        )
        sub.add_argument("--actions-host", default="", help="action server host (default: --host)")
        sub.add_argument("--web-port", type=int, default=settings.web_port, help="default: BACKCARE_WEB_PORT")
        return sub

    with_ports(commands.add_parser("run", help="seed, train if needed, start both servers")).set_defaults(
        handler=command_run
    )
    train = commands.add_parser("train", help="train the model if its inputs changed")
    train.add_argument("--force", action="store_true", help="train even if a model exists")
    train.set_defaults(handler=command_train)
    with_ports(commands.add_parser("serve", help="start the Rasa server")).set_defaults(handler=command_serve)
    with_ports(commands.add_parser("actions", help="start the action server")).set_defaults(
        handler=command_actions
    )
    db = commands.add_parser("db", help="exercise database").add_subparsers(dest="db_command", required=True)
    db.add_parser("seed", help="create tables and load data/exercises.yml").set_defaults(
        handler=lambda _args, settings: seed_database(settings)
    )
    db.add_parser("check", help="check that the database is usable").set_defaults(
        handler=lambda _args, settings: check_database(settings)
    )
    evaluate = commands.add_parser("eval", help="NLU and story evaluation reports")
    evaluate.add_argument("--out", default="eval", help="report folder (default: eval/)")
    evaluate.add_argument("--cross-validation", action="store_true", help="also run k-fold cross-validation")
    evaluate.add_argument("--folds", type=int, default=5)
    evaluate.set_defaults(handler=command_eval)
    forget = commands.add_parser("forget", help="delete everything stored about one conversation")
    forget.add_argument("conversation_id")
    forget.set_defaults(handler=command_forget)
    retention = commands.add_parser("retention", help="delete conversations older than N days")
    retention.add_argument("--days", type=float, help="default: BACKCARE_RETENTION_DAYS")
    retention.set_defaults(handler=command_retention)
    report = commands.add_parser("report", help="operator's report from the tracker store (markdown, charts)")
    report.add_argument("--since", help="first day, YYYY-MM-DD (UTC; default: 29 days before --until)")
    report.add_argument("--until", help="last day, included (default: today by BackCare's clock)")
    report.add_argument("--out", help="report folder (default: var/report/)")
    report.add_argument("--tracker-store", help="SQLAlchemy URL (default: BACKCARE_TRACKER_STORE_URL)")
    report.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar on stderr (default: only on a terminal)",
    )
    report.set_defaults(handler=command_report)
    telegram = commands.add_parser("telegram", help="Telegram channel").add_subparsers(
        dest="telegram_command", required=True
    )
    telegram.add_parser(
        "set-webhook", help="register TELEGRAM_WEBHOOK_URL with the secret token"
    ).set_defaults(handler=command_set_webhook)
    reminders = commands.add_parser("reminders", help="send due check-in reminders through Rasa")
    reminders.add_argument("--once", action="store_true", help="one pass over the due reminders, then exit")
    reminders.set_defaults(handler=command_reminders)
    clock_commands = commands.add_parser(
        "clock", help="move the clock of a local run (needs BACKCARE_CLOCK_FILE)"
    ).add_subparsers(dest="clock_command", required=True)
    advance = clock_commands.add_parser("advance", help="move the clock forward, e.g. 1d, 12h, 30m")
    advance.add_argument("span")
    advance.set_defaults(handler=command_clock_advance)
    clock_commands.add_parser("show", help="say what time BackCare thinks it is").set_defaults(
        handler=command_clock_show
    )
    clock_commands.add_parser("reset", help="back to the real clock").set_defaults(
        handler=command_clock_reset
    )
    return parser


def main(argv: Optional[List[str]] = None, environ: Optional[Mapping[str, str]] = None) -> int:
    """Runs one command with the settings of `environ` (default: this process's environment)."""
    try:
        settings = Settings.from_environment(environ)
    except SettingsError as error:
        print(f"Configuration problem: {error}", file=sys.stderr)
        return 2
    args = build_parser(settings).parse_args(argv)
    handler: Command = args.handler
    try:
        return handler(args, settings)
    except SettingsError as error:
        print(f"Configuration problem: {error}", file=sys.stderr)
        return 2
    except DatabaseUnavailable as error:
        print(f"Exercise database problem: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
