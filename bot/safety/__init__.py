"""The safety layer: warning signs (red flags), screening questions and crisis support.

One table (data/red_flags.yml) drives all of it; see docs/clinical-rules.md.
"""

from bot.safety.detector import Findings, analyse, detect_signs, normalise
from bot.safety.table import (
    EMERGENCY,
    SAME_DAY,
    CountryWording,
    CrisisCountry,
    Question,
    SafetyTable,
    SafetyTableError,
    WarningSign,
    Wording,
    load_table,
    safety_table,
)

__all__ = [
    "EMERGENCY",
    "SAME_DAY",
    "CountryWording",
    "CrisisCountry",
    "Findings",
    "Question",
    "SafetyTable",
    "SafetyTableError",
    "WarningSign",
    "Wording",
    "analyse",
    "detect_signs",
    "load_table",
    "normalise",
    "safety_table",
]
