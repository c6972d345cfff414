"""The web page's texts exist in both languages, and every text the page names has one."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from bot.languages import SUPPORTED
from bot.web import server

STATIC = Path(server.STATIC_DIR)


def test_every_language_has_exactly_the_english_keys_and_real_texts() -> None:
    strings = server.page_strings()
    assert set(strings) == set(SUPPORTED)
    for language in SUPPORTED:
        assert set(strings[language]) == set(strings["en"])
        assert all(isinstance(text, str) and text.strip() for text in strings[language].values())
    same = [key for key in strings["en"] if strings["en"][key] == strings["de"][key]]
    assert same == [], same


def test_a_file_with_a_missing_key_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "page_strings.yml"
    strings = server.page_strings()
    broken.write_text(yaml.safe_dump({"en": strings["en"], "de": {"send": "Senden"}}), encoding="utf-8")
    monkeypatch.setattr(server, "PAGE_STRINGS", broken)
    server.page_strings.cache_clear()
    try:
        with pytest.raises(ValueError, match="'de'"):
            server.page_strings()
    finally:
        server.page_strings.cache_clear()


def test_every_text_the_page_and_the_widget_name_exists() -> None:
    keys = set(server.page_strings()["en"])
    page = (STATIC / "index.html").read_text(encoding="utf-8")
    named = set(re.findall(r'data-(?:text|label|placeholder)="(\w+)"', page))
    widget = (STATIC / "widget.js").read_text(encoding="utf-8")
    named |= set(re.findall(r"(?:strings\(\)|texts)\.(\w+)", widget))
    assert named and named <= keys, named - keys


def test_config_js_carries_the_texts_of_both_languages() -> None:
    config = server.page_config("http://127.0.0.1:5005")
    body = json.loads(config.split("=", 1)[1].rstrip().rstrip(";"))
    assert body["strings"]["de"]["placeholder"] == "Wie geht es Ihrem Rücken heute?"
    assert body["strings"]["en"]["send"] == "Send"
