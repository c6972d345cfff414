"""Every exercise in English and German: in the data file, in the seeded database, from the repository."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Dict, List

import pytest
import yaml
from alembic import command
from alembic.config import Config
from sqlalchemy import func, inspect, select, text
from sqlalchemy.orm import Session, selectinload

from bot.knowledge import (
    ExerciseRepository,
    SeedFileError,
    create_engine_for,
    create_schema,
    load_exercise_file,
    seed_exercises,
)
from bot.knowledge.migrate import MIGRATIONS_DIR, current_revision
from bot.knowledge.models import ExerciseRow, ExerciseTranslationRow
from bot.knowledge.seed import DEFAULT_SEED_FILE
from support.services import postgres_database
from tests.knowledge.conftest import SEED_ARTICLE_EXERCISES

ONE_LINE = ("name", "purpose", "dose")
LISTS = ("steps", "cautions")
LANGUAGES = ("en", "de")


def raw_exercises() -> List[Dict[str, Any]]:
    """The file as plain YAML: the check does not trust the loader it checks."""
    return yaml.safe_load(DEFAULT_SEED_FILE.read_text(encoding="utf-8"))["exercises"]


def texts_in_file(raw: Dict[str, Any], language: str) -> Dict[str, Any]:
    if language == "en":
        return {**raw, "position_name": raw["position"]}
    return ((raw.get("translations") or {}).get(language)) or {}


def missing_texts(texts: Dict[str, Any], english: Dict[str, Any]) -> List[str]:
    """The fields a person would read in English although they speak this language."""
    missing = [field for field in (*ONE_LINE, "position_name") if not str(texts.get(field) or "").strip()]
    for field in LISTS:
        items = texts.get(field) or []
        if len(items) != len(english[field]) or not all(str(item).strip() for item in items):
            missing.append(field)
    wanted = set(english.get("condition_cautions") or {})
    given = {name for name, text in (texts.get("condition_cautions") or {}).items() if str(text).strip()}
    missing += [f"condition_cautions.{name}" for name in sorted(wanted - given)]
    return missing


def test_every_exercise_in_the_file_has_every_text_in_english_and_german() -> None:
    gaps = {
        f"{raw['slug']} ({language})": missing_texts(texts_in_file(raw, language), raw)
        for raw in raw_exercises()
        for language in LANGUAGES
    }
    assert {where: fields for where, fields in gaps.items() if fields} == {}


def test_the_check_would_catch_a_missing_german_text() -> None:
    raw = raw_exercises()[0]
    german = dict(texts_in_file(raw, "de"))
    german["steps"] = german["steps"][:-1]
    del german["dose"]
    assert missing_texts(german, raw) == ["dose", "steps"]
    assert "name" in missing_texts({}, raw)


GERMAN_WORD = re.compile(
    r"\b(?:Sie|und|der|die|das|den|dem|im|am|zu|ein|eine|nicht|mit|bis|pro|halten|Schmerzen)\b|[äöüß]"
)
INFORMAL = re.compile(r"\b(?:du|dich|dir|dein\w*)\b", re.IGNORECASE)
# Umlauts and ß written out: the German texts use the real letters.
WRITTEN_OUT = re.compile(
    r"\b(?:Ruecken\w*|fuer|ueber\w*|Uebung\w*|Fuesse?|Fuss|Huefte?\w*|Gesaess|moeglich\w*|gross\w*|fliess\w*)\b"
)


def german_texts(exercise) -> List[str]:
    texts = exercise.in_language("de")
    return [
        texts.name,
        texts.purpose,
        texts.position_name,
        texts.dose,
        *texts.steps,
        *texts.cautions,
        *(text for _, text in texts.condition_cautions),
    ]


def test_the_german_texts_are_german_formal_and_not_copies_of_the_english() -> None:
    for exercise in load_exercise_file():
        german = exercise.in_language("de")
        assert german.language == "de", exercise.slug
        for english, translated in zip(
            [exercise.name, exercise.purpose, *exercise.steps, *exercise.cautions],
            [german.name, german.purpose, *german.steps, *german.cautions],
            strict=True,
        ):
            assert translated != english, (exercise.slug, translated)
        for sentence in german_texts(exercise):
            assert not INFORMAL.search(sentence), (exercise.slug, sentence)
            assert not WRITTEN_OUT.search(sentence), (exercise.slug, sentence)
        # Steps speak to the person as "Sie", and every text reads as German.
        assert all(re.search(r"\bSie\b", step) for step in german.steps), exercise.slug
        assert all(GERMAN_WORD.search(text) for text in german_texts(exercise)[1:] if len(text) > 20)


def test_the_seed_articles_exercises_stay_marked_as_from_it_in_both_languages() -> None:
    for exercise in load_exercise_file():
        assert exercise.in_language("de").source == exercise.source
    assert {e.slug for e in load_exercise_file() if e.source == "seed_article"} >= SEED_ARTICLE_EXERCISES


# --- the database -------------------------------------------------------------------------


def stored_texts(engine) -> Dict[str, Dict[str, Dict[str, Any]]]:
    """Slug -> language -> texts, read from the tables themselves."""
    stored: Dict[str, Dict[str, Dict[str, Any]]] = {}
    with Session(engine) as session:
        rows = session.execute(
            select(ExerciseRow).options(
                selectinload(ExerciseRow.steps), selectinload(ExerciseRow.translations)
            )
        ).scalars()
        for row in rows:
            english = {
                "name": row.name,
                "purpose": row.purpose,
                "position_name": row.position,
                "dose": row.dose,
                "steps": [step.text for step in row.steps],
                "cautions": row.cautions.splitlines(),
                "condition_cautions": dict(
                    line.split(": ", 1) for line in row.condition_cautions.splitlines() if line
                ),
            }
            stored[row.slug] = {"en": english}
            for item in row.translations:
                stored[row.slug][item.language] = {
                    "name": item.name,
                    "purpose": item.purpose,
                    "position_name": item.position_name,
                    "dose": item.dose,
                    "steps": item.steps.splitlines(),
                    "cautions": item.cautions.splitlines(),
                    "condition_cautions": dict(
                        line.split(": ", 1) for line in item.condition_cautions.splitlines() if line
                    ),
                }
    return stored


def assert_every_text_stored_in_both_languages(engine) -> None:
    stored = stored_texts(engine)
    assert set(stored) == {raw["slug"] for raw in raw_exercises()}
    gaps = {
        f"{slug} ({language})": missing_texts(by_language.get(language, {}), by_language["en"])
        for slug, by_language in stored.items()
        for language in LANGUAGES
    }
    assert {where: fields for where, fields in gaps.items() if fields} == {}
    for raw in raw_exercises():
        assert stored[raw["slug"]]["de"]["steps"] == raw["translations"]["de"]["steps"]


def test_every_seeded_exercise_has_every_text_in_english_and_german(engine) -> None:
    seed_exercises(engine)
    assert_every_text_stored_in_both_languages(engine)


def translation_rows(engine) -> int:
    with Session(engine) as session:
        return session.execute(select(func.count()).select_from(ExerciseTranslationRow)).scalar_one()


def test_seeding_twice_does_not_duplicate_translations(engine) -> None:
    first, second = seed_exercises(engine), seed_exercises(engine)
    count = len(load_exercise_file())
    assert first.translations_created == count and (
        first.translations_updated,
        first.translations_removed,
    ) == (
        0,
        0,
    )
    assert (second.translations_created, second.translations_updated, second.translations_removed) == (
        0,
        0,
        0,
    )
    assert second.unchanged == count
    assert translation_rows(engine) == count


def write_variant(tmp_path: Path, change) -> Path:
    document = yaml.safe_load(DEFAULT_SEED_FILE.read_text(encoding="utf-8"))
    by_slug = {item["slug"]: item for item in document["exercises"]}
    change(by_slug)
    path = tmp_path / "exercises.yml"
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def translation_ids(engine) -> Dict[str, int]:
    with Session(engine) as session:
        rows = session.execute(
            select(ExerciseRow.slug, ExerciseTranslationRow.id).join(ExerciseRow.translations)
        )
        return dict(rows.all())


def test_a_changed_german_text_is_updated_in_place(engine, tmp_path: Path) -> None:
    seed_exercises(engine)
    ids = translation_ids(engine)

    def reword(exercises):
        exercises["cat_camel"]["translations"]["de"]["steps"][1] = "Runden Sie beim Ausatmen den Rücken."

    report = seed_exercises(engine, write_variant(tmp_path, reword))
    assert (report.created, report.updated, report.translations_created, report.translations_updated) == (
        0,
        0,
        0,
        1,
    )
    assert translation_ids(engine) == ids
    cat = ExerciseRepository(engine).get("cat_camel", "de")
    assert cat.steps[1] == "Runden Sie beim Ausatmen den Rücken."
    assert ExerciseRepository(engine).get("cat_camel").steps[1].startswith("Breathe out")


def test_a_translation_taken_out_of_the_file_falls_back_to_english(engine, tmp_path: Path) -> None:
    seed_exercises(engine)

    def untranslate(exercises):
        del exercises["glute_bridge"]["translations"]

    report = seed_exercises(engine, write_variant(tmp_path, untranslate))
    assert report.translations_removed == 1 and translation_rows(engine) == len(load_exercise_file()) - 1
    bridge = ExerciseRepository(engine).get("glute_bridge", "de")
    assert (bridge.language, bridge.name) == ("en", "Glute bridge")
    assert seed_exercises(engine).translations_created == 1
    assert ExerciseRepository(engine).get("glute_bridge", "de").name == "Beckenheben (Brücke)"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda ex: ex["bird_dog"]["translations"]["de"].pop("dose"), "missing dose"),
        (lambda ex: ex["bird_dog"]["translations"]["de"].update(name=""), "missing name"),
        (lambda ex: ex["bird_dog"]["translations"]["de"].pop("position_name"), "missing position_name"),
        (lambda ex: ex["bird_dog"]["translations"]["de"]["steps"].pop(), "steps"),
        (lambda ex: ex["bird_dog"]["translations"]["de"]["cautions"].append("Noch etwas."), "cautions"),
        (lambda ex: ex["bird_dog"]["translations"]["de"].pop("condition_cautions"), "same conditions"),
        (
            lambda ex: ex["knee_to_chest"]["translations"]["de"]["condition_cautions"].update(
                sciatica="Vorsicht."
            ),
            "same conditions",
        ),
        (lambda ex: ex["bird_dog"]["translations"].update(fr={"name": "Chien d'oiseau"}), "language"),
        (
            lambda ex: ex["bird_dog"]["translations"].update(en=ex["bird_dog"]["translations"]["de"]),
            "language",
        ),
        (lambda ex: ex["bird_dog"]["translations"]["de"].update(stages=["acute"]), "unknown fields"),
        (lambda ex: ex["bird_dog"].update(translations=["de"]), "translations must map"),
        (
            lambda ex: ex["bird_dog"]["translations"]["de"]["steps"].__setitem__(
                0, "Erste Zeile\nzweite Zeile"
            ),
            "one-line",
        ),
    ],
)
def test_an_incomplete_translation_is_rejected_with_a_clear_message(tmp_path: Path, change, message) -> None:
    with pytest.raises(SeedFileError, match=message):
        load_exercise_file(write_variant(tmp_path, change))


# --- the repository -------------------------------------------------------------------------


@pytest.fixture
def library(engine) -> ExerciseRepository:
    seed_exercises(engine)
    return ExerciseRepository(engine)


def test_the_repository_gives_german_for_de_and_english_otherwise(library: ExerciseRepository) -> None:
    file = {exercise.slug: exercise for exercise in load_exercise_file()}
    for language in ("en", None, "fr", "", "EN"):
        assert (
            library.all(language) == library.all() == sorted(file.values(), key=lambda e: (e.order, e.name))
        )
    german = library.get("pelvic_tilt_lying", "de")
    raw = next(item for item in raw_exercises() if item["slug"] == "pelvic_tilt_lying")["translations"]["de"]
    assert german.language == "de"
    assert (german.name, german.purpose, german.dose, german.position_name) == (
        raw["name"],
        raw["purpose"],
        raw["dose"],
        raw["position_name"],
    )
    assert list(german.steps) == raw["steps"] and list(german.cautions) == raw["cautions"]
    assert german.cautions_for({"pregnancy"})[-1] == raw["condition_cautions"]["pregnancy"]
    # What decides whether it is offered is the same in both languages.
    english = library.get("pelvic_tilt_lying")
    assert (german.slug, german.stages, german.suits_pain, german.position, german.easier, german.harder) == (
        english.slug,
        english.stages,
        english.suits_pain,
        english.position,
        english.easier,
        english.harder,
    )
    assert library.get("pelvic_tilt_lying", "de-AT") == german
    assert german.in_language("en") == english


def test_lists_and_variants_come_in_german_in_the_same_order(library: ExerciseRepository) -> None:
    for stage in ("acute", "subacute", "recovery", "chronic"):
        german = library.for_stage(stage, 5, language="de")
        assert [item.slug for item in german] == [item.slug for item in library.for_stage(stage, 5)]
        assert all(item.language == "de" for item in german)
    assert library.easier_variant("back_extensor_strengthening", "de").name == "Diagonales Arm-Bein-Heben"
    upcoming = library.next_for_stage("acute", 5, exclude=["shoulder_circles"], language="de")
    assert upcoming is not None and upcoming.name == "Beckenkippen (im Sitzen)"


@pytest.mark.parametrize(
    ("typed", "slug"),
    [
        ("Schulterkreisen", "shoulder_circles"),
        ("schulterkreisen", "shoulder_circles"),
        ("Päckchensitz (ruhend)", "package_seat_static"),
        ("Paeckchensitz ruhend", "package_seat_static"),
        ("Dehnung der Hüftbeuger", "hip_flexor_stretch"),
        ("hip flexor stretch", "hip_flexor_stretch"),
        ("hamstring_stretch", "hamstring_stretch"),
        ("Pelvic tilt (seated)", "pelvic_tilt_seated"),
    ],
)
def test_an_exercise_is_found_by_its_name_in_either_language(library, typed: str, slug: str) -> None:
    for language in ("de", "en"):
        found = library.find(typed, language)
        assert found is not None and found.slug == slug and found.language == language


def test_nothing_is_found_for_an_unknown_name(library: ExerciseRepository) -> None:
    assert library.find("Kopfstand", "de") is None
    assert library.find("", "de") is None and library.find(None) is None


# --- migrations and PostgreSQL --------------------------------------------------------------


def alembic(engine, action, revision: str) -> None:
    with engine.begin() as connection:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        config.attributes["connection"] = connection
        action(config, revision)


def test_0005_downgrades_to_0004_and_back_and_reseeding_restores_german(engine) -> None:
    seed_exercises(engine)
    alembic(engine, command.downgrade, "0004")
    assert current_revision(engine) == "0004"
    assert "exercise_translations" not in inspect(engine).get_table_names()
    with engine.connect() as connection:  # the English rows stay
        assert connection.execute(text("select count(*) from exercises")).scalar_one() == len(
            load_exercise_file()
        )
    create_schema(engine)
    report = seed_exercises(engine)
    assert (report.created, report.updated, report.translations_created) == (0, 0, len(load_exercise_file()))
    assert ExerciseRepository(engine).get("shoulder_circles", "de").name == "Schulterkreisen"


@pytest.mark.services
def test_postgres_keeps_german_texts_and_seeds_them_once() -> None:
    with postgres_database() as url:
        engine = create_engine_for(url)
        try:
            create_schema(engine)
            first, second = seed_exercises(engine), seed_exercises(engine)
            count = len(load_exercise_file())
            assert (first.translations_created, second.translations_created, second.translations_updated) == (
                count,
                0,
                0,
            )
            assert translation_rows(engine) == count
            assert_every_text_stored_in_both_languages(engine)
            # Umlauts and ß survive the round trip.
            assert ExerciseRepository(engine).get("package_seat_static", "de").name == "Päckchensitz (ruhend)"
            assert "ß" in ExerciseRepository(engine).get("shoulder_circles", "de").steps[2]
        finally:
            engine.dispose()
