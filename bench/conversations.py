"""Realistic multi-turn conversations replayed by the benchmark."""

from typing import List

CONVERSATIONS: List[List[str]] = [
    ["hi", "my lower back hurts a lot, 8/10", "since yesterday", "no", "next", "next", "that hurts"],
    ["back pain 5/10 since 3 days", "no", "next", "repeat please", "another one", "thanks", "bye"],
    ["my back is a lot better now", "2", "three weeks", "no", "next", "too hard", "next"],
    ["how do i do shoulder circles", "4", "a few days", "no", "next", "next", "thank you"],
    ["lower back pain for months now", "6", "no", "next", "another exercise", "bye"],
    ["my back hurts and i cant feel my groin", "show me an exercise", "thanks"],
]
