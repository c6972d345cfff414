"""Draws the simple position illustrations in bot/web/static/img/ (run once, output committed)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "bot" / "web" / "static" / "img"

# Stick figures as polylines (x, y) plus a head position, one per position.
FIGURES = {
    "lying": ([[(1, 1), (4, 1), (5.2, 2.2), (6.4, 1)], [(2, 1), (2.8, 1.6)]], (0.6, 1.15)),
    "sitting": ([[(3, 4.2), (3, 2.2), (4.6, 2.2), (4.6, 0.4)], [(3, 3.8), (3.9, 2.8)]], (3, 4.7)),
    "kneeling": ([[(2.2, 2.4), (4.2, 1.4), (4.6, 0.4), (6.2, 0.4)], [(2.6, 2.2), (1.4, 0.4)]], (1.8, 2.6)),
    "standing": ([[(3, 4.2), (3, 2.2), (2.5, 0.3)], [(3, 2.2), (3.5, 0.3)], [(3, 3.8), (2.3, 2.6)], [(3, 3.8), (3.7, 2.6)]], (3, 4.7)),
}


def draw(position: str) -> Path:
    lines, head = FIGURES[position]
    figure, axis = plt.subplots(figsize=(3.2, 2.4), dpi=100)
    axis.add_patch(plt.Rectangle((0, 0), 7, 0.3, color="#d9e7f2"))
    for line in lines:
        xs, ys = zip(*line)
        axis.plot(xs, ys, color="#1f5f8b", linewidth=6, solid_capstyle="round")
    axis.add_patch(plt.Circle(head, 0.4, color="#1f5f8b"))
    axis.set_xlim(0, 7)
    axis.set_ylim(0, 5.4)
    axis.set_aspect("equal")
    axis.axis("off")
    axis.set_title(position, color="#1f5f8b")
    path = OUT / f"position-{position}.png"
    figure.savefig(path, bbox_inches="tight")
    plt.close(figure)
    return path


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    for name in FIGURES:
        print(draw(name))
