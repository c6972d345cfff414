"""The warning-sign table (data/red_flags.yml): checked on load, and the one place to add a sign."""

from __future__ import annotations

import copy
import re
from typing import Any, Dict

import pytest
import yaml

from bot import paths
from bot.languages import ENGLISH, GERMAN, SUPPORTED
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
        (lambda d: d["signs"][0].update(name={"de": "nur auf Deutsch"}), "needs an English text"),
        (lambda d: d["signs"][0].update(question={"en": "Numb?", "fr": "Engourdi ?"}), "unknown languages"),
        (lambda d: d["signs"][0]["patterns"]["de"].append("[äa]rger"), "write umlauts outside"),
        (lambda d: d["crisis"]["countries"]["DE"].update(languages=["xx"]), "unknown languages"),
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


def test_a_german_speaker_sees_the_german_crisis_lines_first() -> None:
    table = safety_table()
    assert [c.code for c in table.crisis_countries("", language=GERMAN)] == ["DE", "GB", "US"]
    assert [c.code for c in table.crisis_countries("GB,US", language=GERMAN)] == ["GB", "US"]
    germany = table.crisis_countries("DE")[0].worded(GERMAN)
    assert germany.name == "Deutschland"
    assert germany.lines == (
        "TelefonSeelsorge: 0800 111 0 111 oder 0800 111 0 222 (kostenlos, rund um die Uhr)",
    )


def test_every_text_a_person_reads_is_in_every_language() -> None:
    table = safety_table()
    questions = [sign.question for sign in table.signs] + list(table.screening) + [table.check_in]
    for question in questions:
        assert question is not None
        english = question.worded(ENGLISH)
        assert (english.name, english.text, english.look_for) == (
            question.name,
            question.text,
            question.look_for,
        )
        for language in SUPPORTED:
            worded = question.worded(language)
            assert all((worded.name, worded.text, worded.look_for)), (question.code, language)
        german = question.worded(GERMAN)
        assert german.name != english.name and german.text != english.text, question.code
        assert german.text.rstrip().endswith("?") and re.search(
            r"\b(?:Sie|Ihnen|Ihre?[mnrs]?)\b", german.text
        ), question.code
    for country in table.countries:
        german_lines = country.worded(GERMAN).lines
        assert len(german_lines) == len(country.lines) and german_lines != country.lines, country.code


def test_a_plain_text_is_english_and_stands_in_for_a_missing_translation() -> None:
    changed = document()
    changed["signs"][0]["name"] = "numbness down there"
    changed["crisis"]["countries"]["GB"]["lines"] = ["Samaritans: 116 123"]
    table = parse_table(changed)
    assert table.signs[0].name == "numbness down there"
    assert table.signs[0].name_in(GERMAN) == "numbness down there"
    assert table.signs[0].question.worded(GERMAN).text.startswith("Haben Sie")  # the rest is still German
    assert table.crisis_countries("GB")[0].worded(GERMAN).lines == ("Samaritans: 116 123",)


def test_umlauts_in_a_pattern_match_both_spellings() -> None:
    changed = document()
    changed["signs"][0]["patterns"]["de"].append(r"\bzebrastreifen am gesäß\b")
    table = parse_table(changed)
    for text in ("Zebrastreifen am Gesäß", "zebrastreifen am gesaess", "ZEBRASTREIFEN AM GESÄSS"):
        assert analyse(text, table).signs == ("saddle_numbness",), text


def test_flags_in_words_and_by_urgency() -> None:
    assert (
        names(["fever", "trauma"])
        == "a fever or feeling very unwell and a fall, accident or blow before the pain started"
    )
    assert names(["fever", "trauma"], GERMAN) == (
        "Fieber oder ein starkes Krankheitsgefühl; "
        "ein Sturz, ein Unfall oder ein Schlag, bevor die Schmerzen anfingen"
    )
    assert names(["fever", "bladder_bowel"], GERMAN) == (
        "Fieber oder ein starkes Krankheitsgefühl und "
        "neue Probleme beim Wasserlassen oder mit der Kontrolle über Blase oder Darm"
    )
    assert describe("unsure_nerve_signs", language=GERMAN).name.startswith("Taubheit am Po")
    assert describe("screen_positive", language=GERMAN).name == "ein Warnzeichen"
    assert most_urgent(["fever", "unsure_nerve_signs", "bladder_bowel"]).code == "bladder_bowel"
    assert most_urgent(["unsure_nerve_signs", "fever"]).code == "fever"
    assert (
        describe("screen_positive").urgency == "same_day"
    )  # codes of older conversations still block exercise
