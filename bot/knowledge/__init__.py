"""The exercise database: models, seeding from data/exercises.yml, and reads."""

from bot.knowledge.database import DatabaseUnavailable, create_engine_for, database_url
from bot.knowledge.models import create_schema
from bot.knowledge.repository import ExerciseRepository, ExerciseView
from bot.knowledge.seed import SeedFileError, SeedReport, load_exercise_file, seed_exercises

__all__ = [
    "DatabaseUnavailable",
    "ExerciseRepository",
    "ExerciseView",
    "SeedFileError",
    "SeedReport",
    "create_engine_for",
    "create_schema",
    "database_url",
    "load_exercise_file",
    "seed_exercises",
]
