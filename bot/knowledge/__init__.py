"""The BackCare database: exercises (seeded from data/exercises.yml) and what people recorded."""

from bot.knowledge.database import DatabaseUnavailable, create_engine_for, database_url
from bot.knowledge.exercise import Exercise, ExerciseTexts
from bot.knowledge.models import create_schema
from bot.knowledge.repository import ExerciseRepository
from bot.knowledge.seed import SeedFileError, SeedReport, load_exercise_file, seed_exercises
from bot.knowledge.warning_signs import ReportedSign, WarningSignRecords

__all__ = [
    "DatabaseUnavailable",
    "Exercise",
    "ExerciseTexts",
    "ExerciseRepository",
    "ReportedSign",
    "SeedFileError",
    "SeedReport",
    "WarningSignRecords",
    "create_engine_for",
    "create_schema",
    "database_url",
    "load_exercise_file",
    "seed_exercises",
]
