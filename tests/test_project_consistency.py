"""Names that must agree between the code, the domain and the training data."""

from __future__ import annotations

import re

import yaml

from bot import paths

DOMAIN = yaml.safe_load(paths.DOMAIN_FILE.read_text())
ACTIONS_DIR = paths.PROJECT_ROOT / "actions"


def _action_sources() -> str:
    return "\n".join(path.read_text() for path in ACTIONS_DIR.glob("*.py"))


def test_every_response_used_by_an_action_is_in_the_domain() -> None:
    used = set(re.findall(r'response=f?"(utter_[a-z_{}]+)"', _action_sources()))
    # The form validation composes `utter_invalid_<slot>` for each form slot.
    expanded = {name for name in used if "{" not in name}
    expanded |= {f"utter_invalid_{slot}" for slot in DOMAIN["forms"]["assessment_form"]["required_slots"]}
    missing = expanded - set(DOMAIN["responses"])
    assert not missing, f"responses used in actions but missing from domain.yml: {missing}"


def test_the_action_server_registers_exactly_the_domain_actions() -> None:
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions")
    assert set(executor.actions) == set(DOMAIN["actions"])


def test_every_button_payload_names_a_domain_intent() -> None:
    payloads = re.findall(r'"payload": "/([a-z_]+)"', _action_sources())
    for response in DOMAIN["responses"].values():
        for variant in response:
            payloads += [
                b["payload"].lstrip("/").split("{")[0]
                for b in variant.get("buttons", [])
                if b["payload"].startswith("/")
            ]
    assert payloads
    assert set(payloads) <= set(DOMAIN["intents"])


def test_contract_slots_exist_with_their_types() -> None:
    slots = DOMAIN["slots"]
    assert slots["pain_level"]["type"] == "float"
    assert slots["pain_duration_weeks"]["type"] == "float"
    assert slots["red_flags"]["type"] == "list"
    assert slots["triage"]["values"] == ["urgent", "acute", "subacute", "recovery", "chronic"]
    assert slots["red_flag_urgency"]["values"] == ["emergency", "same_day"]
    assert slots["crisis"]["type"] == "bool" and slots["crisis"]["initial_value"] is False
    assert slots["flare_up"]["type"] == "bool" and slots["flare_up"]["initial_value"] is False


def test_the_stages_of_the_code_are_the_stages_of_the_domain_and_the_exercises() -> None:
    from actions.safety import STAGE_ADVICE
    from bot.clinical import Triage
    from bot.knowledge.seed import STAGES

    assert {stage.value for stage in Triage} == set(DOMAIN["slots"]["triage"]["values"])
    assert {stage.value for stage in STAGE_ADVICE} == STAGES
    assert set(STAGE_ADVICE.values()) <= set(DOMAIN["responses"])


def test_no_reply_text_is_written_in_an_action() -> None:
    """Every reply is a domain response (the bot is becoming bilingual)."""
    source = _action_sources()
    assert not re.search(r"utter_message\(\s*text\s*=", source)
    assert not re.search(r'"title":\s*"', source), "button titles belong in the domain too"


def test_exercise_lookup_names_every_synonym_and_nothing_unmapped() -> None:
    """The exercise extractor finds exactly the names the synonym mapper can map."""
    nlu = yaml.safe_load((paths.PROJECT_ROOT / "data" / "nlu" / "exercises.yml").read_text())["nlu"]
    lookup = next(block for block in nlu if block.get("lookup") == "exercise")
    names = [line[2:].strip() for line in lookup["examples"].splitlines() if line.strip()]
    synonyms = {
        line[2:].strip(): block["synonym"]
        for block in nlu
        if "synonym" in block
        for line in block["examples"].splitlines()
        if line.strip()
    }
    slugs = {block["synonym"].replace("_", " ") for block in nlu if "synonym" in block}
    assert set(synonyms) <= set(names), "a synonym the extractor would never find"
    assert set(names) <= set(synonyms) | slugs, "a name the synonym mapper cannot map to an exercise"
    assert names == sorted(names, key=lambda name: (-len(name), name)), (
        "longest first, or a shorter name wins"
    )


def test_button_payloads_reach_people_as_written() -> None:
    """Rasa fills `{slot}` templates in responses, buttons included: a JSON payload
    must escape its braces ("{{", "}}"), or every use logs an interpolation error."""
    from rasa.core.nlg.interpolator import interpolate_text

    for name, variants in DOMAIN["responses"].items():
        for variant in variants:
            for button in variant.get("buttons", []):
                payload = str(button["payload"])
                assert "{" not in payload.replace("{{", "").replace("}}", ""), (
                    f"{name}: unescaped {payload!r}"
                )
                sent = interpolate_text(payload, {})
                assert sent == payload.replace("{{", "{").replace("}}", "}"), (
                    f"{name}: {payload!r} -> {sent!r}"
                )
