"""Settings: one place reads the environment, and the README's table says what it reads."""

from __future__ import annotations

import ast
import re

import pytest

from bot import paths
from bot.settings import VARIABLES, Settings, SettingsError, current_settings, use_settings

README = paths.PROJECT_ROOT / "README.md"


def readme_rows() -> list[str]:
    section = README.read_text().split("## Configuration", 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if line.startswith("| `")]


def test_the_readme_table_is_the_settings() -> None:
    expected = [f"| `{name}` | {shown} | {meaning} |" for name, shown, meaning in VARIABLES]
    assert readme_rows() == expected, "README's configuration table should read:\n" + "\n".join(expected)


def test_only_the_settings_module_reads_the_environment() -> None:
    """Every other module of the installed package gets its settings from `bot.settings`."""
    readers = []
    for path in sorted((paths.PROJECT_ROOT / "bot").rglob("*.py")) + sorted(
        (paths.PROJECT_ROOT / "actions").rglob("*.py")
    ):
        for node in ast.walk(ast.parse(path.read_text())):
            name = ast.unparse(node) if isinstance(node, (ast.Attribute, ast.Call)) else ""
            if re.fullmatch(r"os\.(environ|getenv)", name) or name.startswith("os.getenv("):
                readers.append(f"{path.relative_to(paths.PROJECT_ROOT)}:{node.lineno}")
    allowed = {"bot/settings.py", "bot/servers.py"}  # servers: the child processes inherit the environment
    assert {reader.split(":")[0] for reader in readers} <= allowed, readers


def test_defaults_without_any_variable() -> None:
    settings = Settings.from_environment({})
    assert settings == Settings()
    assert (settings.rasa_port, settings.actions_port, settings.web_port) == (5005, 5055, 8080)
    assert settings.page_url() == "http://127.0.0.1:8080"
    assert settings.allowed_web_origins() == ("http://127.0.0.1:8080", "http://localhost:8080")
    assert settings.database_url.endswith("var/backcare.db") and settings.retention_days is None


def test_values_are_read_and_typed() -> None:
    settings = Settings.from_environment(
        {
            "BACKCARE_WEB_PORT": " 9000 ",
            "BACKCARE_RETENTION_DAYS": "30",
            "BACKCARE_CRISIS_COUNTRIES": "de, us,",
            "BACKCARE_PUBLIC_URL": "https://bot.example.org/",
            "BACKCARE_API_TOKEN": "",  # blank means unset
        }
    )
    assert settings.web_port == 9000 and settings.retention_days == 30.0
    assert settings.crisis_countries == ("de", "us")
    assert settings.page_url() == "https://bot.example.org" and settings.api_token == ""
    assert settings.allowed_web_origins() == ("http://127.0.0.1:9000", "http://localhost:9000")


def test_settings_travel_to_another_process_unchanged() -> None:
    settings = Settings(
        web_port=9001, crisis_countries=("DE",), retention_days=7.0, lock_store_url="rediss://h:1/2"
    )
    assert Settings.from_environment(settings.to_environment()) == settings


@pytest.mark.parametrize(
    ("variable", "value", "said"),
    [
        ("BACKCARE_RASA_PORT", "5005x", "BACKCARE_RASA_PORT must be a whole number"),
        ("BACKCARE_ACTIONS_PORT", "0", "BACKCARE_ACTIONS_PORT must be a port number"),
        ("BACKCARE_MAX_BODY_BYTES", "-1", "BACKCARE_MAX_BODY_BYTES must be a positive number"),
        ("BACKCARE_RETENTION_DAYS", "a month", "BACKCARE_RETENTION_DAYS must be a number"),
        ("BACKCARE_RETENTION_DAYS", "-3", "must not be negative"),
        ("BACKCARE_LOCK_STORE_URL", "http://redis:6379", "redis://[[user]:password@]host:6379/0"),
        ("BACKCARE_LOCK_STORE_URL", "redis://redis:6379/cache", "db 'cache'"),
    ],
)
def test_a_value_that_cannot_be_used_names_its_variable(variable: str, value: str, said: str) -> None:
    with pytest.raises(SettingsError, match=re.escape(said)):
        Settings.from_environment({variable: value})


def test_a_refused_redis_url_is_not_repeated_with_its_password() -> None:
    with pytest.raises(SettingsError) as refused:
        Settings.from_environment({"BACKCARE_LOCK_STORE_URL": "redis://:hunter2@redis:6379/x"})
    assert "hunter2" not in str(refused.value)
    assert Settings.from_environment({"BACKCARE_LOCK_STORE_URL": "rediss://u:p@h:6380/2?ssl_cert_reqs=none"})


def test_the_process_settings_are_read_once_and_can_be_given(monkeypatch: pytest.MonkeyPatch) -> None:
    use_settings(None)
    monkeypatch.setenv("BACKCARE_WEB_PORT", "9100")
    first = current_settings()
    monkeypatch.setenv("BACKCARE_WEB_PORT", "9200")
    assert current_settings() is first and first.web_port == 9100  # read once
    given = Settings(web_port=9300)
    use_settings(given)
    assert current_settings() is given
