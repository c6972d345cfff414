"""The warning-sign table (data/red_flags.yml): checked on load, and the one place to add a sign."""

from __future__ import annotations

import copy
from typing import Any, Dict

import pytest
import yaml

from bot import paths
from bot.safety import SafetyTableError, analyse, load_table, safety_table
from bot.safety.flags import describe, most_urgent, names, unsure_code
from bot.safety.table import TABLE_FILE, parse_table

DOCUMENT: Dict[str, Any] = yaml.safe_load(TABLE_FILE.read_text())
DOMAIN = yaml.safe_load(paths.DOMAIN_FILE.read_text())


def document() -> Dict[str, Any]:
    return copy.deepcopy(DOCUMENT)


def test_the_table_has_every_sign_the_clinical_rules_name() -> None:
    emergency = {
        "saddle_numbness",
        "bladder_bowel",
        "sexual_dysfunction",
        "bilateral_sciatica",
        "leg_weakness",
    }
    emergency.add("chest_pain")
    same_day = {"trauma", "fragility_injury", "fever", "cancer_history", "weight_loss", "immune_risk"}
    same_day |= {"night_pain", "upper_back_pain"}
    assert {sign.code for sign in safety_table().signs} == emergency | same_day
    assert {sign.code for sign in safety_table().signs if sign.urgency == "emergency"} == emergency


def test_every_advice_and_reply_the_safety_layer_sends_is_in_the_domain() -> None:
    advice = {sign.advice for sign in safety_table().signs}
    advice |= {describe(code).advice for code in ("nerve_signs", "history_signs", unsure_code("nerve_signs"))}
    assert advice <= set(DOMAIN["responses"])
    for name in advice:
        assert "{signs}" in DOMAIN["responses"][name][0]["text"]


def test_each_sign_is_in_exactly_one_screening_group() -> None:
    members = [code for group in safety_table().screening for code in group.signs]
    assert sorted(members) == sorted(sign.code for sign in safety_table().signs)


def test_emergency_groups_are_asked_first() -> None:
    urgencies = [group.urgency for group in safety_table().screening]
    assert urgencies == sorted(urgencies, key=("emergency", "same_day").index)


def test_adding_a_sign_to_the_table_is_all_it_takes() -> None:
    changed = document()
    changed["signs"].append(
        {
            "code": "test_sign",
            "urgency": "emergency",
            "name": "a test sign",
            "question": "Do you have the test sign?",
            "look_for": "The test sign.",
            "advice": "utter_urgent_emergency",
            "patterns": {"en": [r"\bzebra stripes\b"]},
        }
    )
    changed["screening"][0]["signs"].append("test_sign")
    table = parse_table(changed)
    assert analyse("I have zebra stripes on my back", table).signs == ("test_sign",)
    assert analyse("no zebra stripes", table).signs == ()
    assert table.question("nerve_signs").signs[-1] == "test_sign"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["signs"][0].pop("patterns"), "needs patterns"),
        (lambda d: d["signs"][0].update(urgency="soon"), "urgency must be one of"),
        (lambda d: d["signs"][0].update(colour="red"), "unknown fields"),
        (lambda d: d["signs"][0]["patterns"]["en"].append("@nothing"), "unknown vocabulary"),
        (lambda d: d["signs"][0]["patterns"]["en"].append("(unclosed"), "invalid pattern"),
        (lambda d: d["screening"][0]["signs"].append("fever"), "has urgency same_day"),
        (lambda d: d["screening"][3]["signs"].remove("night_pain"), "missing from the screening"),
        (lambda d: d["crisis"].update(countries={}), "crisis lines"),
    ],
)
def test_a_broken_table_is_refused_with_a_clear_message(change, message: str) -> None:
    broken = document()
    change(broken)
    with pytest.raises(SafetyTableError, match=message):
        parse_table(broken)


def test_an_unreadable_file_is_refused(tmp_path) -> None:
    path = tmp_path / "red_flags.yml"
    path.write_text("signs: [unclosed")
    with pytest.raises(SafetyTableError, match="cannot read"):
        load_table(path)


def test_crisis_countries_follow_the_setting() -> None:
    table = safety_table()
    assert [c.code for c in table.crisis_countries("")] == ["GB", "US", "DE"]
    assert [c.code for c in table.crisis_countries("de, us")] == ["DE", "US"]
    # An unknown code: never no lines at all.
    assert [c.code for c in table.crisis_countries("XX")] == ["GB", "US", "DE"]


def test_flags_in_words_and_by_urgency() -> None:
    assert (
        names(["fever", "trauma"])
        == "a fever or feeling very unwell and a fall, accident or blow before the pain started"
    )
    assert most_urgent(["fever", "unsure_nerve_signs", "bladder_bowel"]).code == "bladder_bowel"
    assert most_urgent(["unsure_nerve_signs", "fever"]).code == "fever"
    assert (
        describe("screen_positive").urgency == "same_day"
    )  # codes of older conversations still block exercise
