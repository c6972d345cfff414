"""Alembic migrations of our own tables (the exercise database)."""
