"""The warning-sign detector: every sign is heard, negations are respected."""

from __future__ import annotations

import pytest

from bot.red_flags import EMERGENCY_FLAGS, PROMPT_FLAGS, describe, detect_red_flags, is_emergency

POSITIVE = [
    ("I can't feel my groin", "saddle_numbness"),
    ("i cant feel my groin", "saddle_numbness"),
    ("I can’t feel my private parts", "saddle_numbness"),
    ("my bum is numb", "saddle_numbness"),
    ("numbness between my legs", "saddle_numbness"),
    ("tingling in my inner thighs", "saddle_numbness"),
    ("pins and needles in my buttocks", "saddle_numbness"),
    ("its numb down there", "saddle_numbness"),
    ("my genitals feel numb", "saddle_numbness"),
    ("numb when I wipe", "saddle_numbness"),
    ("I wet myself", "bladder_bowel"),
    ("my foot is dragging", "leg_weakness"),
    ("I can hardly walk", "leg_weakness"),
    ("my knees buckle", "leg_weakness"),
    ("hurts at night even lying still", "night_pain"),
    ("I peed myself last night", "bladder_bowel"),
    ("can't pee", "bladder_bowel"),
    ("I have trouble passing urine", "bladder_bowel"),
    ("I can't control my bowels", "bladder_bowel"),
    ("lost control of my bladder", "bladder_bowel"),
    ("I think I'm incontinent", "bladder_bowel"),
    ("haven't peed since yesterday", "bladder_bowel"),
    ("i havent been able to pee since yesterday", "bladder_bowel"),
    ("I have not been able to urinate today", "bladder_bowel"),
    ("wasn't able to hold my bladder", "bladder_bowel"),
    ("I haven't been able to feel my groin since this morning", "saddle_numbness"),
    ("my legs keep giving way", "leg_weakness"),
    ("my legs feel really weak", "leg_weakness"),
    ("I can't lift my foot", "leg_weakness"),
    ("foot drop on the left", "leg_weakness"),
    ("I'm dragging my foot", "leg_weakness"),
    ("I can't walk", "leg_weakness"),
    ("trouble walking since yesterday", "leg_weakness"),
    ("weakness in both legs", "leg_weakness"),
    ("I keep falling over", "leg_weakness"),
    ("I fell off a ladder", "trauma"),
    ("car accident yesterday and now my back hurts", "trauma"),
    ("had a bad fall on the ice", "trauma"),
    ("I was hit by a car", "trauma"),
    ("I have a fever", "fever"),
    ("high temperature and chills", "fever"),
    ("feeling very unwell with it", "fever"),
    ("I had cancer 5 years ago", "cancer_history"),
    ("I had chemotherapy last year", "cancer_history"),
    ("history of breast cancer", "cancer_history"),
    ("lost weight without trying", "weight_loss"),
    ("unexplained weight loss", "weight_loss"),
    ("i've lost a lot of weight and don't know why", "weight_loss"),
    ("pain is worse at night and doesn't ease with rest", "night_pain"),
    ("the pain wakes me up every night", "night_pain"),
    ("it hurts even when lying still", "night_pain"),
    ("can't sleep because of the pain", "night_pain"),
]

NEGATIVE = [
    "no numbness",
    "I don't have a fever",
    "no fever and no weakness",
    "never had cancer",
    "none of those",
    "without any numbness",
    "my legs are not weak",
    "my back is stiff",
    "I feel fine otherwise",
    "I walked to work",
    "it hurts when I bend",
    "my mum had cancer",
    "no",
    "back pain 6/10 for a week",
    "lumbago again",
    "hurt my back lifting a box, about five out of ten",
    "i have had lower back pain for months",
    "nothing like that",
    "I lost weight on a diet",
    "could it be cancer?",
    "",
]


@pytest.mark.parametrize(("text", "code"), POSITIVE)
def test_warning_sign_is_detected(text: str, code: str) -> None:
    assert code in detect_red_flags(text)


@pytest.mark.parametrize("text", NEGATIVE)
def test_no_warning_sign(text: str) -> None:
    assert detect_red_flags(text) == []


def test_several_signs_come_emergency_first_without_repeats() -> None:
    found = detect_red_flags("I had a fever, I wet myself, and I wet myself again")
    assert found == ["bladder_bowel", "fever"]


def test_every_code_is_covered_and_described() -> None:
    covered = {code for _, code in POSITIVE}
    assert covered == set(EMERGENCY_FLAGS) | set(PROMPT_FLAGS)
    assert all(describe(code) != "a warning sign" for code in covered)


def test_emergency_classification() -> None:
    assert is_emergency(["fever", "leg_weakness"])
    assert not is_emergency(["fever", "trauma"])
    assert not is_emergency([])
