"""BackCare's settings: every environment variable it reads, its default and what it means.

`Settings.from_environment()` reads them once; the command line builds one
`Settings` and passes it down, and hands the servers it starts an explicit
environment (`bot.servers`). Code that Rasa or rasa-sdk loads by name (the
channels, the actions) has no caller to pass it, so it asks `current_settings()`, read
once per process. The README's configuration table is checked against
`VARIABLES` by a unit test.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from typing import Any, Dict, Mapping, Optional, Tuple
from urllib.parse import urlsplit

from bot.paths import RUNTIME_DIR

DEFAULT_HOST = "127.0.0.1"
DEFAULT_RASA_PORT = 5005
DEFAULT_ACTIONS_PORT = 5055
DEFAULT_WEB_PORT = 8080
DEFAULT_DATABASE_URL = f"sqlite:///{RUNTIME_DIR / 'backcare.db'}"
DEFAULT_TRACKER_STORE_URL = f"sqlite:///{RUNTIME_DIR / 'conversations.db'}"
LOG_FORMATS = ("text", "json")


class SettingsError(ValueError):
    """A variable holds something BackCare cannot use; the message names it."""


def _variable(name: str, default: Any, shown: str, meaning: str) -> Any:
    """A settings field read from `name`; `shown` is the default as the README gives it."""
    return field(default=default, metadata={"variable": name, "shown": shown, "meaning": meaning})


@dataclass(frozen=True)
class Settings:
    api_token: str = _variable("BACKCARE_API_TOKEN", "", "random per run", "token for Rasa's HTTP API")
    action_token: str = _variable(
        "BACKCARE_ACTION_TOKEN",
        "",
        "derived from the API token",
        "header `X-BackCare-Action-Token` between Rasa and the action server",
    )
    metrics_token: str = _variable(
        "BACKCARE_METRICS_TOKEN",
        "",
        "the API token",
        "token for `/webhooks/metrics/` and the action server's `/metrics` (`Authorization: Bearer`)",
    )
    session_secret: str = _variable(
        "BACKCARE_SESSION_SECRET",
        "",
        "kept in `var/session.secret`",
        "signs web session ids; the same on every replica",
    )
    max_message_chars: int = _variable(
        "BACKCARE_MAX_MESSAGE_CHARS", 2000, "`2000`", "longest message read; longer ones get a kind reply"
    )
    max_metadata_bytes: int = _variable(
        "BACKCARE_MAX_METADATA_BYTES",
        2048,
        "`2048`",
        "largest `metadata` object (REST: 413 above it; socket.io: dropped)",
    )
    # A 2,000-character message is at most 12 kB of JSON; up to this size a
    # longer one still gets the kind "please send a shorter message" reply.
    max_body_bytes: int = _variable(
        "BACKCARE_MAX_BODY_BYTES",
        256 * 1024,
        "`262144`",
        "largest request body the Rasa server reads (413 above it)",
    )
    actions_interface: str = _variable(
        "BACKCARE_ACTIONS_INTERFACE",
        DEFAULT_HOST,
        "`127.0.0.1`",
        "interface of `python -m bot.action_server` when run alone",
    )
    database_url: str = _variable(
        "BACKCARE_DATABASE_URL",
        DEFAULT_DATABASE_URL,
        "`sqlite:///<checkout>/var/backcare.db`",
        "exercise database (any SQLAlchemy URL, e.g. `postgresql://user@host/db`)",
    )
    rasa_port: int = _variable("BACKCARE_RASA_PORT", DEFAULT_RASA_PORT, "`5005`", "Rasa server port")
    actions_port: int = _variable(
        "BACKCARE_ACTIONS_PORT", DEFAULT_ACTIONS_PORT, "`5055`", "action server port"
    )
    web_port: int = _variable("BACKCARE_WEB_PORT", DEFAULT_WEB_PORT, "`8080`", "web chat page port")
    public_url: str = _variable(
        "BACKCARE_PUBLIC_URL",
        "",
        "`http://127.0.0.1:<web port>`",
        "public address of the page (exercise images are served from it)",
    )
    web_origins: Tuple[str, ...] = _variable(
        "BACKCARE_WEB_ORIGINS",
        (),
        "the page's origins",
        "browser origins allowed on socket.io (comma-separated)",
    )
    tracker_store_url: str = _variable(
        "BACKCARE_TRACKER_STORE_URL",
        DEFAULT_TRACKER_STORE_URL,
        "`sqlite:///<checkout>/var/conversations.db`",
        "Rasa's SQL tracker store (conversations survive restarts)",
    )
    lock_store_url: str = _variable(
        "BACKCARE_LOCK_STORE_URL",
        "",
        "unset (in-memory, one process)",
        "Redis shared by replicas (locks, handled Telegram updates): "
        "`redis://[[user]:password@]host:6379/0`, `rediss://` for TLS, "
        "redis-py options as query (`?ssl_ca_certs=/etc/ssl/ca.pem`)",
    )
    retention_days: Optional[float] = _variable(
        "BACKCARE_RETENTION_DAYS", None, "unset", "default for `backcare retention`"
    )
    crisis_countries: Tuple[str, ...] = _variable(
        "BACKCARE_CRISIS_COUNTRIES",
        (),
        "all in `data/red_flags.yml` (GB, US, DE)",
        "whose crisis lines and emergency numbers the crisis reply gives (comma-separated codes)",
    )
    rasa_url: str = _variable(
        "BACKCARE_RASA_URL",
        "",
        "`http://127.0.0.1:<BACKCARE_RASA_PORT>`",
        "where `backcare reminders` reaches Rasa's HTTP API",
    )
    reminder_poll_seconds: int = _variable(
        "BACKCARE_REMINDER_POLL_SECONDS", 30, "`30`", "how often `backcare reminders` looks for due reminders"
    )
    log_format: str = _variable(
        "BACKCARE_LOG_FORMAT",
        LOG_FORMATS[0],
        "`text`",
        "`json`: the Rasa and action servers log one JSON object per line",
    )
    clock_file: str = _variable(
        "BACKCARE_CLOCK_FILE",
        "",
        "unset (the real clock)",
        'a file holding a clock offset set by `backcare clock`, to try "the next day" locally',
    )
    telegram_token: str = _variable(
        "TELEGRAM_TOKEN", "", "unset (channel off)", "the bot's token from @BotFather"
    )
    telegram_secret_token: str = _variable(
        "TELEGRAM_SECRET_TOKEN",
        "",
        "unset",
        "secret Telegram sends with every update (required with the token)",
    )
    telegram_api_url: str = _variable(
        "TELEGRAM_API_URL",
        "",
        "`https://api.telegram.org`",
        "Bot API address (a local Bot API server or a stand-in)",
    )
    telegram_bot_username: str = _variable(
        "TELEGRAM_BOT_USERNAME", "", "unset", "the bot's @name, for commands addressed to it in groups"
    )
    telegram_webhook_url: str = _variable(
        "TELEGRAM_WEBHOOK_URL", "", "unset", "public HTTPS address `backcare telegram set-webhook` registers"
    )

    @classmethod
    def from_environment(cls, environ: Optional[Mapping[str, str]] = None) -> Settings:
        """Reads every variable of `environ` (default the process's); unset or blank means the default."""
        environ = os.environ if environ is None else environ
        values: Dict[str, Any] = {}
        for spec in dataclasses.fields(cls):
            raw = environ.get(spec.metadata["variable"], "").strip()
            if raw:
                values[spec.name] = _parse(spec, raw)
        return cls(**values)

    def __post_init__(self) -> None:
        """Refuses values BackCare cannot use, naming the variable."""
        for name in ("rasa_port", "actions_port", "web_port"):
            port = getattr(self, name)
            if not 0 < port < 65536:
                raise SettingsError(f"{variable_of(name)} must be a port number (1-65535), not {port}")
        for name in ("max_message_chars", "max_metadata_bytes", "max_body_bytes", "reminder_poll_seconds"):
            if getattr(self, name) < 1:
                raise SettingsError(f"{variable_of(name)} must be a positive number")
        if self.log_format not in LOG_FORMATS:
            raise SettingsError(f"BACKCARE_LOG_FORMAT must be text or json, not {self.log_format!r}")
        if self.retention_days is not None and self.retention_days < 0:
            raise SettingsError("BACKCARE_RETENTION_DAYS must not be negative")
        if self.lock_store_url:
            parts = urlsplit(self.lock_store_url)
            database = parts.path.lstrip("/")
            usable = parts.scheme in ("redis", "rediss") and parts.hostname and (database or "0").isdigit()
            if not usable:
                # The URL itself is not repeated: it may hold a password.
                raise SettingsError(
                    "BACKCARE_LOCK_STORE_URL must look like redis://[[user]:password@]host:6379/0 "
                    f"or rediss://... (scheme {parts.scheme!r}, db {database!r})"
                )

    def page_url(self) -> str:
        """Where people's browsers (and Telegram) fetch the page and its images."""
        return (self.public_url or f"http://{DEFAULT_HOST}:{self.web_port}").rstrip("/")

    def rasa_api_url(self) -> str:
        """Rasa's HTTP API as other BackCare processes reach it."""
        return (self.rasa_url or f"http://{DEFAULT_HOST}:{self.rasa_port}").rstrip("/")

    def allowed_web_origins(self) -> Tuple[str, ...]:
        """`BACKCARE_WEB_ORIGINS`, or the page `backcare run` serves on this machine."""
        return self.web_origins or (f"http://127.0.0.1:{self.web_port}", f"http://localhost:{self.web_port}")

    def to_environment(self) -> Dict[str, str]:
        """The variables that give these settings to another process (unset ones left out)."""
        variables: Dict[str, str] = {}
        for spec in dataclasses.fields(self):
            value = getattr(self, spec.name)
            if value in (None, "", ()):
                continue
            variables[spec.metadata["variable"]] = ",".join(value) if isinstance(value, tuple) else str(value)
        return variables


def _parse(spec: dataclasses.Field[Any], raw: str) -> Any:
    name = spec.metadata["variable"]
    kind = spec.type
    if kind == "int":
        try:
            return int(raw)
        except ValueError:
            raise SettingsError(f"{name} must be a whole number, not {raw!r}") from None
    if kind == "Optional[float]":
        try:
            return float(raw)
        except ValueError:
            raise SettingsError(f"{name} must be a number, not {raw!r}") from None
    if kind == "Tuple[str, ...]":
        return tuple(part.strip() for part in raw.split(",") if part.strip())
    return raw


def variable_of(field_name: str) -> str:
    return next(spec.metadata["variable"] for spec in dataclasses.fields(Settings) if spec.name == field_name)


VARIABLES: Tuple[Tuple[str, str, str], ...] = tuple(
    (spec.metadata["variable"], spec.metadata["shown"], spec.metadata["meaning"])
    for spec in dataclasses.fields(Settings)
)


_in_use: Optional[Settings] = None


def current_settings() -> Settings:
    """This process's settings, read from its environment on first use."""
    global _in_use
    if _in_use is None:
        _in_use = Settings.from_environment()
    return _in_use


def use_settings(settings: Optional[Settings]) -> None:
    """Makes `settings` this process's (tests, embedding); None reads the environment again on next use."""
    global _in_use
    _in_use = settings
