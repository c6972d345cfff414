"""The doctor's summary in German: its text against a golden file, the same text in the PDF, German dates.

The history is the English test's (tests/care/test_summary.py); exercise and
warning-sign names are given in German, as the actions take them from the
database and the warning-sign table in the person's language.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Dict, Set

import pytest
from fontTools.ttLib import TTFont

from bot.care.records import CareHistory, PainEntry
from bot.care.summary import Summary, build_summary
from bot.care.summary_pdf import BOLD_FONT_FILE, REGULAR_FONT_FILE
from bot.care.wording import load_texts, wording
from support.pdf_text import pdf_text
from tests.care.histories import HISTORY, NOW, at

GOLDEN_TEXT = Path(__file__).parent / "golden" / "summary_de.txt"
EXERCISE_NAMES = {
    "pelvic_tilt_lying": "Beckenkippen (im Liegen)",
    "cat_camel": "Katzenbuckel und Pferderücken",
    "knee_to_chest": "Knie zur Brust",
}
# The plan changed to harder variants: its note is a code the summary words.
HISTORY_DE = dataclasses.replace(HISTORY, plan_note="up")
SIGN_NAMES = {
    "night_pain": "nächtliche Schmerzen, die in Ruhe nicht aufhören",
    "fever": "Fieber oder großes Krankheitsgefühl",
}


def summary_de(history: CareHistory = HISTORY_DE) -> Summary:
    return build_summary(history, NOW, EXERCISE_NAMES, SIGN_NAMES.__getitem__, wording("de"))


def test_the_german_text_is_the_golden_file() -> None:
    assert summary_de().text() == GOLDEN_TEXT.read_text(encoding="utf-8")


def test_the_german_pdf_holds_the_same_text_with_umlauts_and_sharp_s() -> None:
    pdf = summary_de().pdf(compress=False)
    shown = " ".join(pdf_text(pdf))
    assert shown == " ".join(GOLDEN_TEXT.read_text(encoding="utf-8").split())
    # Words with ä, ö, ü, Ü and ß, read back out of the file as a PDF reader does.
    for word in ("März", "stärker", "aufhören", "Übungen", "für", "Pferderücken", "großes", "ärztliche"):
        assert re.search(rf"(?<!\w){word}(?!\w)", shown), word
    assert "\ufffd" not in shown  # every glyph drawn maps back to its letter
    assert b"/Lang (de)" in pdf
    assert len(re.findall(rb"/Type /Page\b", pdf)) == 1


def test_the_font_has_every_letter_of_the_german_texts() -> None:
    """A letter missing from DejaVu Sans would print as an empty box (or nothing) in the PDF."""
    letters: Set[str] = set("äöüÄÖÜß„“")  # all German letters, also those the texts do not use yet

    def collect(value: object) -> None:
        if isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)
        else:
            letters.update(str(value))

    collect(load_texts()["de"])
    assert {"ä", "ü", "Ü", "→"} <= letters
    for font_file in (REGULAR_FONT_FILE, BOLD_FONT_FILE):
        cmap = TTFont(font_file).getBestCmap()
        missing = sorted(char for char in letters if char.strip() and ord(char) not in cmap)
        assert missing == [], font_file.name


def test_german_dates() -> None:
    words = wording("de")
    assert words.long_date(date(2026, 3, 3)) == "3. März 2026"
    assert words.short_date(date(2026, 3, 3)) == "3. März"
    assert words.short_date(date(2026, 10, 12)) == "12. Okt."
    assert words.day_month(date(2026, 10, 5)) == "5. Oktober"
    assert words.day_list([date(2026, 12, 24), date(2026, 12, 31)]) == "24. Dez., 31. Dez."
    english = wording("en")
    assert english.long_date(date(2026, 3, 3)) == "3 March 2026"
    assert english.day_month(date(2026, 10, 5)) == "5 October"


@pytest.mark.parametrize(
    ("asked", "given"),
    [("de", "de"), ("de-AT", "de"), ("DE", "de"), ("en", "en"), ("fr", "en"), (None, "en")],
)
def test_a_language_code_picks_its_block(asked: str, given: str) -> None:
    assert wording(asked).language == given


def test_a_first_visit_and_an_empty_record_in_german() -> None:
    first = dataclasses.replace(
        HISTORY,
        episode_started_at=None,
        stage=None,
        leg_pain=None,
        check_ins=(dataclasses.replace(HISTORY.check_ins[0], at=at(3)),),
        exercises=(),
        warning_signs=(),
    )
    text = summary_de(first).text()
    assert "3. März: 7\n" in text and "→" not in text
    assert "Beginn dieser Episode: nicht erfasst." in text
    assert "Keine Übungen erfasst." in text
    assert "Empfehlungen von BackCare" not in text
    empty = dataclasses.replace(HISTORY, check_ins=(), exercises=(), warning_signs=(), stage=None)
    text = summary_de(empty).text()
    assert "Keine Schmerzwerte erfasst." in text
    assert "Keine Antworten zu Warnzeichen erfasst." in text


def test_urgent_in_german_sends_to_care_and_offers_no_plan() -> None:
    text = summary_de(dataclasses.replace(HISTORY, stage="urgent")).text()
    assert "Ärztliche Hilfe suchen" in text and "Übungsplan" not in text
    assert "Warnzeichen: an ärztliche Versorgung verwiesen" in text


@pytest.mark.parametrize(
    ("note", "german", "english"),
    [
        ("up", "Übungsplan: Woche 2 (schwierigere Varianten nach guten Übungstagen).", "(harder variants"),
        ("back", "Übungsplan: Woche 2 (ein Schritt zurück, weil eine Übung wehtat).", "(a step back"),
        ("start", "Übungsplan: Woche 2 (gerade begonnen).", "(just started)"),
        ("notiz", "Übungsplan: Woche 2 (notiz).", "(notiz)"),  # a note without a text stays as it is
    ],
)
def test_the_plan_note_is_said_in_words(note: str, german: str, english: str) -> None:
    history = dataclasses.replace(HISTORY, plan_note=note)
    assert german in summary_de(history).text()
    english_text = build_summary(history, NOW, EXERCISE_NAMES, SIGN_NAMES.__getitem__).text()
    assert f"Exercise plan: week 2 {english}" in english_text


def test_a_month_of_daily_check_ins_in_german_fits_one_page() -> None:
    """German runs longer than English: the chart gives way, no line is lost."""
    start = at(1) - timedelta(days=30)
    month = tuple(PainEntry(start + timedelta(days=n), (n * 7) % 11, "none", "check_in") for n in range(30))
    summary = summary_de(dataclasses.replace(HISTORY_DE, check_ins=month))
    pdf = summary.pdf(compress=False)
    assert len(re.findall(rb"/Type /Page\b", pdf)) == 1
    assert b"/Subtype /Image" in pdf
    assert " ".join(pdf_text(pdf)) == " ".join(summary.text().split())


def leaves(block: object, prefix: str = "") -> Dict[str, object]:
    """Dotted key -> text (or list of texts) of a language block."""
    if not isinstance(block, dict):
        return {prefix: block}
    found: Dict[str, object] = {}
    for key, value in block.items():
        found.update(leaves(value, f"{prefix}.{key}" if prefix else str(key)))
    return found


# Texts that read the same in both languages: formats, separators and a file name's stem.
SAME_IN_BOTH = {
    "dates.list_separator",
    "summary.pain_day",
    "summary.pain_separator",
    "summary.names_separator",
}


def test_the_german_block_has_exactly_the_english_keys_and_placeholders() -> None:
    texts = load_texts()
    english, german = leaves(texts["en"]), leaves(texts["de"])
    assert sorted(german) == sorted(english)
    for key, text in english.items():
        if isinstance(text, list):
            assert isinstance(german[key], list) and len(german[key]) == len(text), key  # type: ignore[arg-type]
            continue
        assert set(re.findall(r"{(\w+)}", str(german[key]))) == set(re.findall(r"{(\w+)}", str(text))), key
        if key not in SAME_IN_BOTH:
            assert german[key] != text, f"{key} is not translated"
    assert "Arzt" in str(german["summary.disclaimer"]) and "kein" in str(german["summary.disclaimer"])
    assert re.fullmatch(r"[a-z0-9-]+\.pdf", str(german["pages.summary_filename"]))
