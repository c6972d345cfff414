"""The clinical documents stay true to the code: they fail as soon as either drifts.

docs/clinical-rules.md must list every warning sign, screening group, cut-off
and crisis country the code uses, with the same values. docs/clinical-safety.md
names its evidence as `tests/<path>.py::test_name`; every such test must exist,
and every hazard and every control must name at least one (or an open gap).
"""

from __future__ import annotations

import ast
import re
from dataclasses import fields
from functools import cache
from pathlib import Path
from typing import Dict, List, Set, Tuple

import pytest

from bot.clinical import CUTOFFS, ClinicalCutoffs
from bot.paths import PROJECT_ROOT
from bot.safety import safety_table
from bot.safety.evaluation import FLOORS

DOCS = PROJECT_ROOT / "docs"
RULES = DOCS / "clinical-rules.md"
SAFETY = DOCS / "clinical-safety.md"
TEST_REFERENCE = re.compile(r"\b(tests/[\w/]+\.py)::(\w+)")
HAZARD_HEADING = re.compile(r"^### (H\d+)\. ", re.MULTILINE)
CONTROL_ROW = re.compile(r"^\| (C\d+\.\d+) \|.*$", re.MULTILINE)
MINIMUM_HAZARDS = 11


def rows(text: str) -> List[List[str]]:
    """The cells of every markdown table row in `text`."""
    return [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in text.splitlines()
        if line.lstrip().startswith("|")
    ]


def rows_starting_with(text: str, first: str) -> List[List[str]]:
    return [cells for cells in rows(text) if cells and cells[0] == first]


@cache
def functions_in(path: str) -> Set[str]:
    """Names of every function defined in a test file (module level or in a class)."""
    tree = ast.parse((PROJECT_ROOT / path).read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}


def hazard_sections(text: str) -> Dict[str, str]:
    """Each hazard's ID and its text, up to the next heading of level 2 or 3."""
    sections = {}
    for match in HAZARD_HEADING.finditer(text):
        rest = text[match.end() :]
        end = re.search(r"^#{2,3} ", rest, re.MULTILINE)
        sections[match.group(1)] = rest[: end.start()] if end else rest
    return sections


def references(text: str) -> List[Tuple[str, str]]:
    return TEST_REFERENCE.findall(text)


@pytest.fixture(scope="module")
def rules_text() -> str:
    return RULES.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def safety_text() -> str:
    return SAFETY.read_text(encoding="utf-8")


# --- docs/clinical-rules.md ---------------------------------------------------------


def test_every_sign_of_the_table_is_in_the_clinical_rules(rules_text: str) -> None:
    table = safety_table()
    group = {
        code: (number, question.code)
        for number, question in enumerate(table.screening, 1)
        for code in question.signs
    }
    for sign in table.signs:
        found = rows_starting_with(rules_text, f"`{sign.code}`")
        assert found, f"{sign.code} is missing from the warning-sign table of {RULES.name}"
        number, group_code = group[sign.code]
        expected = [f"`{sign.code}`", sign.urgency, sign.name, f"{number} `{group_code}`", f"`{sign.advice}`"]
        assert found[0][: len(expected)] == expected, (
            f"{sign.code}: regenerate its row (section 6 of {RULES.name})"
        )


def test_the_clinical_rules_name_no_sign_the_table_lacks(rules_text: str) -> None:
    codes = {sign.code for sign in safety_table().signs}
    listed = {
        cells[0].strip("`")
        for cells in rows(rules_text)
        if len(cells) >= 5 and cells[1] in ("emergency", "same_day")
    }
    assert listed == codes


def test_every_screening_group_is_in_the_clinical_rules(rules_text: str) -> None:
    for number, question in enumerate(safety_table().screening, 1):
        found = rows_starting_with(rules_text, str(number))
        matching = [cells for cells in found if len(cells) > 3 and cells[1] == f"`{question.code}`"]
        assert matching, f"screening group {number} {question.code} is missing from {RULES.name}"
        cells = matching[0]
        assert cells[2] == question.urgency
        assert [code.strip() for code in cells[3].split(",")] == list(question.signs)


def test_the_cutoffs_in_the_clinical_rules_are_the_codes(rules_text: str) -> None:
    for field in fields(ClinicalCutoffs):
        found = rows_starting_with(rules_text, f"`{field.name}`")
        assert found, f"cut-off {field.name} is missing from {RULES.name}"
        assert float(found[0][1]) == float(getattr(CUTOFFS, field.name)), field.name


def test_the_crisis_countries_in_the_clinical_rules_are_the_tables(rules_text: str) -> None:
    for country in safety_table().countries:
        found = rows_starting_with(rules_text, country.code)
        assert found, f"crisis country {country.code} is missing from {RULES.name}"
        assert found[0][1:3] == [country.name, country.emergency]


# --- docs/clinical-safety.md ---------------------------------------------------------


@pytest.mark.parametrize("document", [RULES, SAFETY], ids=lambda path: path.name)
def test_every_cited_test_exists(document: Path) -> None:
    cited = references(document.read_text(encoding="utf-8"))
    missing = [
        f"{path}::{name}"
        for path, name in cited
        if not (PROJECT_ROOT / path).is_file() or name not in functions_in(path)
    ]
    assert not missing, f"{document.name} cites tests that do not exist: {missing}"


def test_the_safety_case_cites_tests(safety_text: str) -> None:
    assert len(set(references(safety_text))) >= 40


def test_every_hazard_is_there_in_order(safety_text: str) -> None:
    ids = list(hazard_sections(safety_text))
    assert len(ids) >= MINIMUM_HAZARDS
    assert ids == [f"H{number}" for number in range(1, len(ids) + 1)]


def test_every_hazard_has_at_least_one_test(safety_text: str) -> None:
    for hazard, section in hazard_sections(safety_text).items():
        assert references(section), f"{hazard} names no test"


def test_every_control_names_a_test_or_an_open_gap(safety_text: str) -> None:
    gaps = set(re.findall(r"^\| (G\d+) \|", safety_text, re.MULTILINE))
    controls = CONTROL_ROW.findall(safety_text)
    assert controls
    for match in CONTROL_ROW.finditer(safety_text):
        row = match.group(0)
        named_gaps = set(re.findall(r"\bG\d+\b", row))
        assert references(row) or named_gaps & gaps, f"{match.group(1)} names neither a test nor an open gap"


def test_every_hazard_is_in_the_summary(safety_text: str) -> None:
    summary = {cells[0] for cells in rows(safety_text) if cells and re.fullmatch(r"H\d+", cells[0])}
    assert summary == set(hazard_sections(safety_text))


def test_the_floors_in_the_safety_case_are_the_gates(safety_text: str) -> None:
    stated = {cells[0]: cells[1] for cells in rows(safety_text) if len(cells) == 2}
    assert float(stated["sensitivity, each emergency sign"]) == FLOORS["emergency"]
    assert float(stated["sensitivity, each same-day sign"]) == FLOORS["same_day"]
    assert float(stated["sensitivity, crisis"]) == FLOORS["crisis"]
    assert float(stated["specificity, each sign and crisis"]) == FLOORS["specificity"]
    assert stated["false-alarm rate on hard negatives"] == f"at most {1 - FLOORS['specificity']:.2f}"
