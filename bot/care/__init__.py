"""Care over weeks: a person's records, their pain trend, plan, reminders and summary.

Everything here is read from BackCare's own database (`bot.knowledge.models`),
never from the Rasa tracker, so it holds across Rasa sessions and replicas.
"""
