"""The texts of the summary, the chart and their pages, read from data/summary.yml.

The file holds one block per language (`en:`, `de:`), with the same keys;
every text is looked up by a dotted key ("summary.title") and filled in with
`str.format` values. Dates are written with the file's month names and
pattern ("3 March 2026", "3. März 2026"), so they never depend on the
machine's locale.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Dict, Mapping, Optional, Sequence

import yaml

from bot.languages import DEFAULT, normalise
from bot.paths import PROJECT_ROOT

TEXTS_FILE = PROJECT_ROOT / "data" / "summary.yml"
DEFAULT_LANGUAGE = DEFAULT


class Wording:
    """One language's texts."""

    def __init__(self, language: str, texts: Mapping[str, Any]) -> None:
        self.language = language
        self._texts = texts

    def _lookup(self, key: str) -> Any:
        value: Any = self._texts
        for part in key.split("."):
            if not isinstance(value, Mapping) or part not in value:
                raise KeyError(f"{TEXTS_FILE.name} has no text {self.language}.{key}")
            value = value[part]
        return value

    def say(self, key: str, **values: Any) -> str:
        """The text at `key`, with `values` filled in."""
        return str(self._lookup(key)).format(**values)

    def has(self, key: str) -> bool:
        try:
            self._lookup(key)
        except KeyError:
            return False
        return True

    def long_date(self, day: date) -> str:
        months = self._lookup("dates.months")
        return self.say("dates.long", day=day.day, month=months[day.month - 1], year=day.year)

    def day_month(self, day: date) -> str:
        """The day and month in a sentence: "5 March", "5. März"."""
        months = self._lookup("dates.months")
        return self.say("dates.day_month", day=day.day, month=months[day.month - 1], year=day.year)

    def short_date(self, day: date) -> str:
        months = self._lookup("dates.months_short")
        return self.say("dates.short", day=day.day, month_short=months[day.month - 1], year=day.year)

    def day_list(self, days: Sequence[date]) -> str:
        return self.say("dates.list_separator").join(self.short_date(day) for day in days)


def load_texts(path: Path = TEXTS_FILE) -> Dict[str, Any]:
    texts = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(texts, dict) or DEFAULT_LANGUAGE not in texts:
        raise ValueError(f"{path} must map language codes to texts, starting with {DEFAULT_LANGUAGE!r}")
    return texts


def wording(language: Optional[str] = DEFAULT_LANGUAGE) -> Wording:
    """The texts of `language` (`de`, `de-AT`, ...); English for None or a language the file does not have."""
    return _wording(normalise(language) or DEFAULT_LANGUAGE)


@cache
def _wording(language: str) -> Wording:
    texts = load_texts()
    chosen = language if language in texts else DEFAULT_LANGUAGE
    return Wording(chosen, texts[chosen])
