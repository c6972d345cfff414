"""The bot never names or doses a medicine: not in a reply, not in an exercise."""

from __future__ import annotations

import re

import yaml

from bot import paths

# Common pain relief and back-pain medicines, and anything that looks like a dose.
MEDICINE = re.compile(
    r"\b(?:ibuprofen|paracetamol|acetaminophen|aspirin|naproxen|diclofenac|codeine|tramadol|morphine|"
    r"diazepam|gabapentin|pregabalin|amitriptyline|co-codamol|nurofen|tylenol|advil|voltaren|opioids?)\b"
    r"|\b\d+\s*(?:mg|milligrams?|ml|tablets? a day)\b",
    re.IGNORECASE,
)


def reply_texts() -> list:
    domain = yaml.safe_load(paths.DOMAIN_FILE.read_text())
    texts = [variant.get("text", "") for variants in domain["responses"].values() for variant in variants]
    exercises = yaml.safe_load((paths.PROJECT_ROOT / "data" / "exercises.yml").read_text())["exercises"]
    texts += [yaml.safe_dump(exercise) for exercise in exercises]
    return texts


def test_no_reply_or_exercise_names_or_doses_a_medicine() -> None:
    found = [text for text in reply_texts() if MEDICINE.search(text)]
    assert found == []


def test_the_check_would_catch_one() -> None:
    assert MEDICINE.search("Take 400 mg ibuprofen")
