"""A new session keeps the person's language; a new person starts in their app's or browser's language."""

from __future__ import annotations

from typing import Any, Dict, Optional

import pytest

from actions.session import ActionSessionStart
from tests.actions.conftest import make_tracker, run_action


def session_start(
    language: Optional[str] = None, metadata: Optional[Dict[str, Any]] = None
) -> Dict[str, Any]:
    slots = {"language": language, "session_started_metadata": metadata}
    return run_action(ActionSessionStart(), make_tracker(sender_id="language-test", slots=slots)).slots


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_language_of_the_session_before_is_kept(language: str) -> None:
    assert session_start(language)["language"] == language


def test_the_session_before_wins_over_the_apps_language() -> None:
    assert session_start("en", {"language": "de"})["language"] == "en"


@pytest.mark.parametrize(
    ("hint", "expected"), [("de", "de"), ("de-AT", "de"), ("de_CH", "de"), ("en-GB", "en")]
)
def test_a_new_person_starts_in_the_language_of_their_app(hint: str, expected: str) -> None:
    assert session_start(metadata={"language": hint})["language"] == expected


@pytest.mark.parametrize("metadata", [None, {}, {"language": "fr"}, {"language": 7}, {"other": "de"}, ["de"]])
def test_without_a_usable_hint_nothing_is_set(metadata: Any) -> None:
    assert "language" not in session_start(metadata=metadata)
