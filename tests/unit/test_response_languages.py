"""Every reply in domain.yml is there in English and in German, with the same meaning-bearing parts.

A response's English variations have no `language` condition; each has a
German twin with the same other conditions and channel plus `language: de`
(bot/rasa_overrides/response_variations.py makes the twin win for a German
speaker). Twins share their template variables, button payloads, images and
custom payloads, and the emergency numbers the English names; only the words
differ.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, Dict, FrozenSet, List, Optional, Tuple

import pytest
import yaml

from bot import paths
from bot.languages import GERMAN, LANGUAGE_SLOT

RESPONSES: Dict[str, List[Dict[str, Any]]] = yaml.safe_load(paths.DOMAIN_FILE.read_text(encoding="utf-8"))[
    "responses"
]

# Responses whose single text is already written for both languages.
BILINGUAL_IN_ONE_TEXT = {
    # For someone who writes French or Spanish: it says in both languages what BackCare speaks.
    "utter_other_language",
}
# Responses whose German twin sends other payloads on purpose.
OWN_PAYLOADS = {
    # Each language's confirmation offers a switch to the other language.
    "utter_language_switched",
    # Buttons that send words, not an intent: a German button sends German words,
    # or the language detector would read the tap as a switch to English.
    "utter_exercise_finished",
    "utter_offer_reminder",
}
# Texts that read the same in both languages (proper names, numbers). Texts made
# only of template variables and punctuation ("{name}: {dose}.") need no entry.
SAME_IN_BOTH = {"Telegram", "PDF", "OK"}

# Rasa fills `{slot}` in a response, `{{` and `}}` are literal braces.
_VARIABLE = re.compile(r"(?<!\{)\{([^\n{}]+?)\}(?!\})")
_LETTER = re.compile(r"[^\W\d_]")
# Numbers a person may need to call; the German twin names every one its English names.
EMERGENCY_NUMBERS = (
    "112",
    "116 117",
    "999",
    "911",
    "111",
    "116 123",
    "988",
    "0800 111 0 111",
    "0800 111 0 222",
)
# The informal "du" has no place in a reply: BackCare says "Sie".
_INFORMAL = re.compile(r"\b(?:du|dich|dir|dein|deine|deinen|deinem|deiner|deines)\b", re.IGNORECASE)

Key = Tuple[FrozenSet[Tuple[str, str]], Optional[str]]


def _language(variation: Dict[str, Any]) -> Optional[str]:
    for condition in variation.get("condition") or []:
        if condition.get("name") == LANGUAGE_SLOT:
            return str(condition.get("value"))
    return None


def _key(variation: Dict[str, Any]) -> Key:
    """What a variation is chosen by, apart from the language: its other conditions and its channel."""
    conditions = frozenset(
        (str(condition.get("name")), str(condition.get("value")))
        for condition in variation.get("condition") or []
        if condition.get("name") != LANGUAGE_SLOT
    )
    return conditions, variation.get("channel")


def _describe(key: Key) -> str:
    conditions, channel = key
    parts = [f"{name}={value}" for name, value in sorted(conditions)]
    if channel:
        parts.append(f"channel={channel}")
    return ", ".join(parts) or "no condition"


def twins(name: str) -> Tuple[List[Tuple[Dict[str, Any], Dict[str, Any]]], List[str]]:
    """A response's (English, German) pairs, and what is unpaired, in words."""
    english: Dict[Key, List[Dict[str, Any]]] = {}
    german: Dict[Key, List[Dict[str, Any]]] = {}
    problems: List[str] = []
    for variation in RESPONSES[name]:
        language = _language(variation)
        if language is None:
            english.setdefault(_key(variation), []).append(variation)
        elif language == GERMAN:
            german.setdefault(_key(variation), []).append(variation)
        else:
            problems.append(f"a variation for the unknown language {language!r}")
    pairs: List[Tuple[Dict[str, Any], Dict[str, Any]]] = []
    for key in english.keys() | german.keys():
        ours, theirs = english.get(key, []), german.get(key, [])
        pairs += list(zip(ours, theirs, strict=False))  # the surplus is reported below
        if len(ours) > len(theirs):
            problems.append(
                f"{len(ours) - len(theirs)} English variation(s) without a German twin ({_describe(key)})"
            )
        if len(theirs) > len(ours):
            problems.append(
                f"{len(theirs) - len(ours)} German variation(s) without an English one ({_describe(key)})"
            )
    return pairs, problems


def _same(english: str, german: str) -> bool:
    return " ".join(english.split()) == " ".join(german.split())


def _only_variables(text: str) -> bool:
    return not _LETTER.search(_VARIABLE.sub("", text))


def _numbers_in(text: str) -> List[str]:
    flat = " ".join(text.split())
    return [number for number in EMERGENCY_NUMBERS if re.search(rf"(?<!\d){re.escape(number)}(?!\d)", flat)]


def differences(name: str) -> List[str]:
    """Everything that keeps the response from being the same reply in both languages."""
    if name in BILINGUAL_IN_ONE_TEXT:
        return []
    pairs, problems = twins(name)
    for english, german in pairs:
        en_text, de_text = str(english.get("text") or ""), str(german.get("text") or "")
        where = f"({_describe(_key(english))})"
        if Counter(_VARIABLE.findall(en_text)) != Counter(_VARIABLE.findall(de_text)):
            problems.append(
                f"template variables differ {where}: English {sorted(_VARIABLE.findall(en_text))}, "
                f"German {sorted(_VARIABLE.findall(de_text))}"
            )
        if _same(en_text, de_text) and not _only_variables(en_text) and en_text.strip() not in SAME_IN_BOTH:
            problems.append(f"the German text is the English one {where}: {en_text!r}")
        en_buttons, de_buttons = english.get("buttons") or [], german.get("buttons") or []
        en_payloads = [str(button.get("payload")) for button in en_buttons]
        de_payloads = [str(button.get("payload")) for button in de_buttons]
        if name not in OWN_PAYLOADS and en_payloads != de_payloads:
            problems.append(f"button payloads differ {where}: English {en_payloads}, German {de_payloads}")
        for en_button, de_button in zip(en_buttons, de_buttons, strict=False):  # counts: payloads
            title = str(en_button.get("title"))
            if (
                _same(title, str(de_button.get("title")))
                and _LETTER.search(title)
                and title not in SAME_IN_BOTH
            ):
                problems.append(f"the button {title!r} is not translated {where}")
        for part in ("image", "custom", "attachment"):
            if english.get(part) != german.get(part):
                problems.append(f"the {part} differs {where}")
        missing_numbers = [number for number in _numbers_in(en_text) if number not in _numbers_in(de_text)]
        if missing_numbers:
            problems.append(f"the German text leaves out {missing_numbers} {where}")
        if "not a doctor" in en_text and "kein Arzt" not in de_text:
            problems.append(f"the German text does not say 'Ich bin kein Arzt' {where}")
        informal = _INFORMAL.search(de_text)
        if informal:
            problems.append(f"the German text says {informal.group(0)!r} instead of 'Sie' {where}")
    return problems


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_the_response_says_the_same_in_english_and_german(name: str) -> None:
    """Fails, for each response, with what its German twin lacks; FAQ answers (`utter_faq/...`) included."""
    problems = differences(name)
    assert not problems, f"{name}:\n  " + "\n  ".join(problems)


def test_every_response_is_checked() -> None:
    """Guards the check itself: the domain has responses, FAQ answers among them, and English ones."""
    assert len(RESPONSES) > 100
    assert any(name.startswith("utter_faq/") for name in RESPONSES)
    assert all(
        any(_language(variation) is None for variation in variations) for variations in RESPONSES.values()
    )


def _response(*variations: Dict[str, Any]) -> str:
    RESPONSES["utter_test_only"] = list(variations)
    return "utter_test_only"


GERMAN_ONLY = [{"type": "slot", "name": LANGUAGE_SLOT, "value": GERMAN}]
SINGLE = [{"type": "slot", "name": "screening_kind", "value": "single"}]


@pytest.fixture()
def scratch_response() -> Any:
    yield _response
    RESPONSES.pop("utter_test_only", None)


def test_a_missing_twin_is_found(scratch_response: Any) -> None:
    name = scratch_response(
        {"text": "Hello"},
        {"text": "One question", "condition": SINGLE},
        {"text": "Hallo", "condition": GERMAN_ONLY},
    )
    assert differences(name) == ["1 English variation(s) without a German twin (screening_kind=single)"]


def test_a_twin_with_the_wrong_condition_is_found(scratch_response: Any) -> None:
    name = scratch_response(
        {"text": "One question", "condition": SINGLE},
        {"text": "Eine Frage", "condition": GERMAN_ONLY},
    )
    assert sorted(differences(name)) == [
        "1 English variation(s) without a German twin (screening_kind=single)",
        "1 German variation(s) without an English one (no condition)",
    ]


def test_a_channel_variation_needs_a_twin_on_the_same_channel(scratch_response: Any) -> None:
    name = scratch_response(
        {"text": "Tap a button", "channel": "telegram"},
        {"text": "Tippen Sie auf einen Knopf", "condition": GERMAN_ONLY},
    )
    assert "1 English variation(s) without a German twin (channel=telegram)" in differences(name)


def test_variables_payloads_and_untranslated_text_are_found(scratch_response: Any) -> None:
    name = scratch_response(
        {"text": "Step {number}: {step}", "buttons": [{"title": "Next", "payload": "/next_step"}]},
        {
            "text": "Schritt {number}",
            "condition": GERMAN_ONLY,
            "buttons": [{"title": "Next", "payload": "/weiter"}],
        },
    )
    found = differences(name)
    assert any(problem.startswith("template variables differ") for problem in found)
    assert any(problem.startswith("button payloads differ") for problem in found)
    assert any(problem.startswith("the button 'Next' is not translated") for problem in found)


def test_an_untranslated_text_is_found_unless_it_is_only_variables(scratch_response: Any) -> None:
    same = scratch_response({"text": "Welcome back."}, {"text": "Welcome back.", "condition": GERMAN_ONLY})
    assert differences(same) == ["the German text is the English one (no condition): 'Welcome back.'"]
    only_variables = scratch_response(
        {"text": "{name}: {dose}."}, {"text": "{name}: {dose}.", "condition": GERMAN_ONLY}
    )
    assert differences(only_variables) == []


def test_a_dropped_emergency_number_and_informal_german_are_found(scratch_response: Any) -> None:
    name = scratch_response(
        {"text": "I'm not a doctor. Call 112 or 999 now."},
        {"text": "Ruf jetzt die 112 an.", "condition": GERMAN_ONLY},
    )
    found = differences(name)
    assert "the German text leaves out ['999'] (no condition)" in found
    assert "the German text does not say 'Ich bin kein Arzt' (no condition)" in found
    informal = scratch_response(
        {"text": "How is your back?"}, {"text": "Wie geht es dir?", "condition": GERMAN_ONLY}
    )
    assert any(problem.startswith("the German text says 'dir'") for problem in differences(informal))
