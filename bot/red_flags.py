"""Detects warning signs (red flags) in what a person writes.

Deterministic on purpose: a missed warning sign is the one error the bot must
not make, so this detector runs beside the trained NLU (see
`bot.nlu.red_flag_guard`) and inside the actions. It errs on the side of
caution: an ambiguous phrase counts as a warning sign.
"""

from __future__ import annotations

import re
from typing import Dict, Iterable, List, Pattern, Tuple

# Possible cauda equina syndrome: emergency department now.
EMERGENCY_FLAGS = ("saddle_numbness", "bladder_bowel", "leg_weakness")
# See a doctor promptly (same day or as soon as possible).
PROMPT_FLAGS = ("trauma", "fever", "cancer_history", "weight_loss", "night_pain")

DESCRIPTIONS = {
    "saddle_numbness": "numbness or tingling in the saddle area",
    "bladder_bowel": "trouble passing urine or controlling the bladder or bowels",
    "leg_weakness": "weakness in the legs or trouble walking",
    "trauma": "a fall, accident or other injury",
    "fever": "fever or feeling very unwell",
    "cancer_history": "a history of cancer",
    "weight_loss": "weight loss without a reason",
    "night_pain": "constant pain that is worse at night and not eased by rest",
}

CANT = (
    r"(?:can'?t|cant|cannot|can not|unable to|not able to|couldn'?t|could not|"
    r"(?:haven'?t|havent|hasn'?t|hasnt|have not|has not|hadn'?t|had not) been able to|"
    r"(?:wasn'?t|wasnt|was not|weren'?t|were not) able to)"
)
AREA = (
    r"(?:groin|genitals?|genital area|private (?:parts?|area)|privates|crotch|buttocks?|bum|butt|"
    r"bottom|backside|inner thighs?|saddle(?: area)?|between (?:my|the) legs|down there|perineum|"
    r"anus|vagina|penis|testicles|scrotum|when i wipe)"
)
FEELING = (
    r"(?:numb(?:ness)?|tingl(?:e|es|ing|y)|pins_and_needles|no feeling|lost (?:the )?feeling|"
    rf"loss of (?:feeling|sensation)|{CANT} feel|dead|reduced feeling|no sensation|altered sensation)"
)
ADVERB = r"(?:(?:very|really|so|quite|a bit|a little|suddenly|getting|now|all|completely|totally|kind of|kinda) )?"

PATTERNS: Dict[str, Tuple[str, ...]] = {
    "saddle_numbness": (
        rf"{FEELING}\b.{{0,40}}?\b{AREA}",
        rf"\b{AREA}\b.{{0,25}}?\b(?:is|are|feels?|feeling|went|gone|going|has gone)? ?{ADVERB}(?:numb|tingl\w*|dead)",
        r"saddle (?:an(?:a)?esthesia|numbness)",
    ),
    "bladder_bowel": (
        rf"{CANT} (?:pee|wee|urinate|pass urine|pass water|empty my bladder|go to the toilet|poo|poop|hold (?:my )?(?:pee|wee|urine|bladder|bowels?))",
        r"(?:trouble|difficulty|problems?|struggl\w*|hard|issues?) (?:with |to )?(?:passing urine|pee(?:ing)?|wee(?:ing)?|urinat\w*|emptying my bladder|pass urine)",
        r"(?:lost|losing|loss of|no|don'?t have|cant|can'?t) (?:any )?control (?:of|over)? ?(?:my )?(?:bladder|bowels?|pee|wee|poo)",
        r"(?:wet|peed|pissed|soiled|pooed|pooped|messed) (?:myself|my pants|my trousers|the bed)",
        r"incontinen\w*",
        r"(?:bladder|bowels?) (?:problems?|issues?|accidents?|leak\w*|(?:is |are )?not working|trouble)",
        r"(?:leak\w*|dribbl\w*) (?:urine|pee|wee)",
        r"haven'?t (?:peed|urinated|weed)",
        r"no urge to (?:pee|wee|urinate)",
    ),
    "leg_weakness": (
        rf"\blegs? (?:is |are |keep |keeps |kept |feel |feels |feeling |went |go |goes |going |have gone |has gone )?{ADVERB}(?:weak|giving way|give way|gave way|buckl\w*|collaps\w*|giving out|gave out|gives out|like jelly)",
        r"(?:weak(?:ness)?|no strength|lost strength|losing strength) (?:in|of) (?:my |both |one )?(?:legs?|feet|foot|knees?)",
        r"foot ?drop|drop(?:ped)? foot",
        r"(?:dragg?\w*|trip\w* over) (?:my )?(?:foot|feet|leg|toes)",
        rf"{CANT} (?:lift|raise|move|feel) (?:my )?(?:foot|feet|legs?|toes)",
        rf"{CANT} (?:walk|stand up straight and walk)",
        r"can (?:hardly|barely|only just) (?:walk|stand)",
        r"(?:foot|feet|leg) (?:is |are |keeps? )?dragg\w*",
        r"knees? (?:keep |keeps |kept )?(?:buckl\w*|giving way|give way|gave way|giving out|gave out)",
        r"(?:trouble|difficulty|problems?|struggl\w*) (?:with )?(?:walking|to walk)",
        r"(?:keep|kept|keeps) (?:falling|stumbling)",
        r"legs? (?:won'?t|wont|will not|don'?t|do not) (?:hold|carry|support|work)",
    ),
    "trauma": (
        r"\b(?:i|she|he) fell\b",
        r"\bfell (?:down|off|from|over|on|onto|out|of)\b",
        r"\b(?:had|took) a (?:bad |nasty |big |hard )?fall\b",
        r"\b(?:car|road|traffic|motorbike|motorcycle|bike|bicycle|cycling|ski(?:ing)?|riding|work|sports?|rugby|football) (?:accident|crash|collision|injury)",
        r"\b(?:an|the|in a|had an?) accident\b",
        r"\bcrash(?:ed)?\b",
        r"\bhit by (?:a )?(?:car|bus|truck|lorry|bike|van|ball)",
        r"\bwhiplash\b",
        r"\b(?:tackled|thrown off|kicked in the back|landed on my back)\b",
        r"\bslipped (?:and|on|down|off)\b",
    ),
    "fever": (
        r"\bfever(?:ish|s)?\b",
        r"\bhigh temp(?:erature)?\b",
        r"\b(?:chills|rigors|night sweats|shivering|shivers)\b",
        r"\bfeel(?:ing|s)? (?:very |really |so |extremely )?(?:unwell|ill)\b",
        r"\btemperature of \d",
    ),
    "cancer_history": (
        # Only the person's own history: "could it be cancer?" is a question.
        r"\b(?:had|have|has|having|got|history of|treated for|treatment for|survivor|survived|"
        r"diagnosed with|recovering from|remission)\b.{0,25}?\b(?:cancer|tumou?rs?|malignan\w*|"
        r"leuka?emia|lymphoma|melanoma|metasta\w*)",
        r"\b(?:chemo(?:therapy)?|radiotherapy|radiation therapy|oncologist|metastases)\b",
    ),
    "weight_loss": (
        r"(?:unexplained|unintentional|unintended|sudden|rapid) weight ?loss",
        r"(?:lost|losing|dropped|dropping) .{0,25}?weight.{0,30}?(?:without (?:trying|dieting)|for no (?:apparent )?reason|no idea why|don'?t know why|not (?:trying|dieting)|unexplained)",
        r"weight (?:is )?(?:falling|dropping) off",
    ),
    "night_pain": (
        r"(?:worse|worst|bad|unbearable|terrible) (?:at|during the|in the) night",
        r"\bnight pain\b",
        r"(?:wakes?|waking|woke|keeps?) me (?:up )?(?:at night|every night|awake)",
        r"pain (?:wakes|woke) me",
        r"\bpain (?:at|during the) night\b",
        rf"{CANT} sleep (?:because of|for|from|with) (?:the )?pain",
        r"(?:doesn'?t|does not|never|won'?t|will not|not) (?:ease|go away|get better|settle|improve|eased)\w* (?:with|when|by|even|if) (?:i )?(?:rest|lie|lying|resting|changing|change)",
        r"even (?:when |while |if )?(?:i'?m |i am )?(?:resting|lying (?:down|still)|at rest)",
    ),
}
COMPILED: Dict[str, Tuple[Pattern[str], ...]] = {
    code: tuple(re.compile(pattern) for pattern in patterns) for code, patterns in PATTERNS.items()
}

# A negation before a sign, within the same clause, cancels it ("no fever").
NEGATION = re.compile(
    r"\b(?:no|not|don'?t|do not|doesn'?t|does not|haven'?t|have not|hasn'?t|has not|never|without|"
    r"none|neither|nor|denies|deny|didn'?t|did not|isn'?t|aren'?t|wasn'?t|weren'?t|nothing like)\b"
)
CLAUSE_BREAK = re.compile(r"[.;!?,\n]|\b(?:but|and|although|though|however|also|plus)\b")
# Someone else's illness is not the person's own history.
OTHER_PERSON = re.compile(
    r"\b(?:mum|mom|mother|dad|father|parents?|sister|brother|grandma|grandmother|grandpa|grandfather|"
    r"aunt|uncle|friend|wife|husband|partner|cousin|son|daughter|family|neighbou?r|colleague|dog|cat)\b"
)


def _normalise(text: str) -> str:
    text = text.lower().replace("’", "'").replace("‘", "'")
    # Keep this phrase whole: its "and" would otherwise split the clause.
    text = re.sub(r"pins (?:and|&|n) needles", "pins_and_needles", text)
    # "...lost weight and don't know why": the reason belongs to the same clause.
    text = re.sub(r"\s+and\s+(?=(?:i\s+)?(?:don'?t|do not|have no|no) (?:know|idea) why)", " ", text)
    return re.sub(r"\s+", " ", text)


def _clauses(text: str) -> List[str]:
    return [part.strip() for part in CLAUSE_BREAK.split(text) if part and part.strip()]


def _present(code: str, clause: str) -> bool:
    for pattern in COMPILED[code]:
        for match in pattern.finditer(clause):
            before = clause[: match.start()]
            if NEGATION.search(before):
                continue
            if code == "cancer_history" and OTHER_PERSON.search(before):
                continue
            return True
    return False


def detect_red_flags(text: str) -> List[str]:
    """Codes of the warning signs in `text`, emergency signs first, no repeats."""
    normalised = _normalise(text or "")
    if not normalised.strip():
        return []
    clauses = _clauses(normalised)
    found = []
    for code in (*EMERGENCY_FLAGS, *PROMPT_FLAGS):
        if any(_present(code, clause) for clause in clauses):
            found.append(code)
    return found


def is_emergency(codes: Iterable[str]) -> bool:
    return any(code in EMERGENCY_FLAGS for code in codes)


def describe(code: str) -> str:
    return DESCRIPTIONS.get(code, "a warning sign")
