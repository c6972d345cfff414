"""Draws one illustration per exercise, bot/web/static/img/exercise-<slug>.png.

Each picture is a stick figure in the exercise's starting position, seen from the
side, titled with the exercise's name from data/exercises.yml. Run it after
adding an exercise; the output is committed.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable, Dict, List, Sequence, Tuple

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.patches import Arc, Circle, Ellipse, FancyArrowPatch, Rectangle  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bot.knowledge.seed import load_exercise_file  # noqa: E402

OUT = ROOT / "bot" / "web" / "static" / "img"

Point = Tuple[float, float]
BODY, FAR, FLOOR, PROP, TOWEL, MOVE = "#1f5f8b", "#8fb3cf", "#d9e7f2", "#a8895f", "#e07b39", "#c0392b"
WIDTH, HEIGHT = 8.0, 5.2  # drawing units; the figure is 320 x 240 pixels
HEAD_RADIUS = 0.34


# --- drawing helpers --------------------------------------------------------


def limb(axis: Axes, *points: Point, far: bool = False) -> None:
    """A body part as a thick line; the far side is lighter and drawn behind."""
    xs, ys = zip(*points)
    axis.plot(xs, ys, color=FAR if far else BODY, linewidth=5, solid_capstyle="round",
              solid_joinstyle="round", zorder=2 if far else 3)


def curve(start: Point, end: Point, bulge: float, steps: int = 12) -> List[Point]:
    """A gently bent line (a rounded or hollow back); bulge is the sideways offset."""
    (x0, y0), (x1, y1) = start, end
    length = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
    nx, ny = -(y1 - y0) / length, (x1 - x0) / length  # left-hand normal
    cx, cy = (x0 + x1) / 2 + 2 * bulge * nx, (y0 + y1) / 2 + 2 * bulge * ny
    points = []
    for i in range(steps + 1):
        t = i / steps
        points.append(((1 - t) ** 2 * x0 + 2 * (1 - t) * t * cx + t * t * x1,
                       (1 - t) ** 2 * y0 + 2 * (1 - t) * t * cy + t * t * y1))
    return points


def head(axis: Axes, centre: Point, facing: Point) -> None:
    """The head, with a small nose so the direction of the face is visible."""
    axis.add_patch(Circle(centre, HEAD_RADIUS, color=BODY, zorder=4))
    fx, fy = facing
    norm = (fx * fx + fy * fy) ** 0.5
    tip = (centre[0] + fx / norm * (HEAD_RADIUS + 0.13), centre[1] + fy / norm * (HEAD_RADIUS + 0.13))
    axis.plot([centre[0], tip[0]], [centre[1], tip[1]], color=BODY, linewidth=3, zorder=4)


def floor(axis: Axes) -> None:
    axis.add_patch(Rectangle((0, 0), WIDTH, 0.3, color=FLOOR, zorder=0))


def mat(axis: Axes, start: float, end: float) -> None:
    axis.add_patch(Rectangle((start, 0.3), end - start, 0.08, color="#9cc3a4", zorder=1))


def chair(axis: Axes, seat_left: float, seat_right: float, seat_height: float) -> None:
    """A side view of a chair with its back on the left."""
    for line in (
        [(seat_left, 0.3), (seat_left, seat_height + 1.6)],
        [(seat_left, seat_height), (seat_right, seat_height)],
        [(seat_right, 0.3), (seat_right, seat_height)],
    ):
        xs, ys = zip(*line)
        axis.plot(xs, ys, color=PROP, linewidth=4, solid_capstyle="butt", zorder=1)


def arrow(axis: Axes, start: Point, end: Point, both: bool = False, bend: float = 0.0) -> None:
    """Shows the movement to make."""
    style = "<|-|>" if both else "-|>"
    axis.add_patch(FancyArrowPatch(start, end, arrowstyle=style, mutation_scale=11, color=MOVE,
                                   linewidth=1.6, connectionstyle=f"arc3,rad={bend}", zorder=5))


def circling(axis: Axes, centre: Point, radius: float) -> None:
    """A circle with an arrowhead: something rolls round."""
    axis.add_patch(Arc(centre, 2 * radius, 2 * radius, theta1=40, theta2=340, color=MOVE, linewidth=1.6,
                       zorder=5))
    end = (centre[0] + radius * 0.766, centre[1] - radius * 0.643)
    arrow(axis, (end[0] - 0.12, end[1] - 0.1), (end[0] + 0.02, end[1] + 0.04))


# --- starting positions, one per exercise ------------------------------------


def seated(axis: Axes, hand: Point, elbow: Point) -> None:
    """Sitting upright near the front of a chair, facing right."""
    chair(axis, 2.4, 4.1, 1.75)
    hip, shoulder = (2.9, 2.05), (2.95, 3.95)
    limb(axis, hip, shoulder)
    limb(axis, hip, (4.45, 2.05), (4.5, 0.45), (4.95, 0.42))
    limb(axis, shoulder, elbow, hand)
    head(axis, (3.0, 4.55), (1, 0))


def shoulder_circles(axis: Axes) -> None:
    floor(axis)
    seated(axis, hand=(3.3, 2.2), elbow=(3.15, 3.05))  # arms hang loosely
    circling(axis, (2.3, 4.0), 0.35)


def pelvic_tilt_seated(axis: Axes) -> None:
    floor(axis)
    seated(axis, hand=(3.35, 2.2), elbow=(3.45, 3.05))
    arrow(axis, (2.2, 2.5), (2.2, 1.75), both=True, bend=0.5)


def supine(axis: Axes, hip: Point = (3.6, 0.72)) -> Tuple[Point, Point]:
    """Lying on the back, head on the left; returns the shoulder and hip."""
    shoulder = (1.55, 0.72)
    limb(axis, shoulder, hip)
    head(axis, (0.95, 0.82), (0, 1))
    return shoulder, hip


def bent_leg(axis: Axes, hip: Point, far: bool = False, lift: float = 0.0) -> None:
    """A knee bent with the foot flat (or lifted a little)."""
    limb(axis, hip, (4.75, 1.85 + lift), (5.75, 0.5 + lift), (6.15, 0.45 + lift), far=far)


def arm_along_side(axis: Axes, shoulder: Point) -> None:
    limb(axis, shoulder, (2.45, 0.55), (3.3, 0.5))


def pelvic_tilt_lying(axis: Axes) -> None:
    floor(axis)
    mat(axis, 0.4, 6.6)
    shoulder, hip = supine(axis)
    bent_leg(axis, hip)
    arm_along_side(axis, shoulder)
    arrow(axis, (3.4, 1.35), (4.1, 1.35), both=True, bend=-0.5)


def abdominal_strengthening(axis: Axes) -> None:
    floor(axis)
    mat(axis, 0.4, 6.6)
    shoulder, hip = supine(axis)
    bent_leg(axis, hip, far=True)
    bent_leg(axis, hip, lift=0.45)
    arm_along_side(axis, shoulder)
    arrow(axis, (6.6, 0.55), (6.6, 1.1))


def glute_bridge(axis: Axes) -> None:
    floor(axis)
    mat(axis, 0.4, 6.6)
    shoulder, hip = (1.55, 0.72), (3.3, 1.45)
    limb(axis, shoulder, hip)
    limb(axis, hip, (4.7, 2.0), (5.0, 0.5), (5.4, 0.45))
    head(axis, (0.95, 0.82), (0, 1))
    arm_along_side(axis, shoulder)
    arrow(axis, (3.3, 2.0), (3.3, 2.7))


def hamstring_stretch(axis: Axes) -> None:
    floor(axis)
    mat(axis, 0.4, 6.6)
    shoulder, hip = supine(axis, hip=(3.5, 0.72))
    bent_leg(axis, hip, far=True)
    ankle = (3.2, 3.62)
    limb(axis, hip, (3.35, 2.15), ankle, (2.85, 3.72))  # toes point back towards the head
    hand = (2.55, 2.2)
    limb(axis, shoulder, (1.95, 1.55), hand)
    # The towel runs from both hands over the sole of the raised foot.
    axis.plot([hand[0], 2.82, 3.27, hand[0]], [hand[1], 3.86, 3.76, hand[1]], color=TOWEL, linewidth=2.2,
              zorder=4)


def knee_to_chest(axis: Axes) -> None:
    floor(axis)
    mat(axis, 0.4, 6.6)
    shoulder, hip = supine(axis, hip=(3.5, 0.72))
    bent_leg(axis, hip, far=True)
    knee = (2.8, 2.02)
    limb(axis, hip, knee, (4.1, 2.3), (4.2, 2.65))  # thigh towards the chest, shin hanging over
    limb(axis, shoulder, (1.75, 1.65), (3.0, 2.3))  # hands holding the top of the shin
    arrow(axis, (3.95, 1.45), (3.25, 2.75), bend=0.35)


def back_extensor_strengthening(axis: Axes) -> None:
    floor(axis)
    mat(axis, 0.3, 7.0)
    axis.add_patch(Ellipse((3.0, 0.52), 1.0, 0.3, color="#c9b79c", zorder=1))  # pillow under the tummy
    shoulder, hip = (1.7, 1.0), (3.7, 0.68)
    limb(axis, shoulder, hip)
    limb(axis, hip, (5.2, 0.55), (6.6, 0.5), (6.95, 0.4))
    limb(axis, shoulder, (2.6, 0.78), (3.45, 0.62))
    head(axis, (1.1, 1.22), (-0.35, -1))
    arrow(axis, (1.45, 1.65), (1.45, 2.25))


def quadruped(axis: Axes, hip: Point, shoulder: Point) -> None:
    """Supporting knee and hand of the hands-and-knees position, facing right."""
    limb(axis, hip, (hip[0], 0.45), (hip[0] - 1.35, 0.45))
    limb(axis, shoulder, (shoulder[0], 0.42))


def cat_camel(axis: Axes) -> None:
    floor(axis)
    mat(axis, 1.0, 6.5)
    hip, shoulder = (2.6, 2.0), (4.8, 2.0)
    axis.plot(*zip(*curve(hip, shoulder, -0.3)), color=FAR, linewidth=2.5, linestyle="--", zorder=2)
    limb(axis, *curve(hip, shoulder, 0.45))
    quadruped(axis, hip, shoulder)
    head(axis, (5.3, 1.55), (0.4, -1))
    arrow(axis, (3.7, 1.55), (3.7, 3.05), both=True)


def bird_dog(axis: Axes) -> None:
    floor(axis)
    mat(axis, 1.2, 6.6)
    hip, shoulder = (3.3, 2.0), (5.4, 2.05)
    limb(axis, shoulder, (6.4, 1.98), (7.4, 1.98), far=True)  # the opposite arm, reaching forwards
    limb(axis, hip, shoulder)
    limb(axis, hip, (1.8, 2.1), (0.4, 2.2), (0.25, 2.0))  # the leg, stretched back at hip height
    quadruped(axis, hip, shoulder)
    head(axis, (5.95, 2.48), (1, -0.3))


def hip_flexor_stretch(axis: Axes) -> None:
    floor(axis)
    mat(axis, 1.0, 5.6)
    hip, shoulder = (3.15, 1.95), (3.15, 3.95)
    limb(axis, hip, (2.55, 0.5), (1.2, 0.45), (0.95, 0.45))  # back knee down
    limb(axis, hip, (4.6, 1.8), (4.7, 0.45), (5.15, 0.42))  # front foot flat
    limb(axis, hip, shoulder)
    limb(axis, shoulder, (3.35, 2.95), (3.5, 2.1))
    head(axis, (3.2, 4.55), (1, 0))
    arrow(axis, (2.4, 2.4), (3.0, 2.4))


def package_seat_static(axis: Axes) -> None:
    floor(axis)
    mat(axis, 0.8, 6.8)
    hip, knee = (1.75, 1.0), (3.05, 0.5)
    limb(axis, hip, knee, (1.55, 0.45), (1.15, 0.42))  # sitting on the heels
    shoulder = (3.55, 0.95)
    limb(axis, *curve(hip, shoulder, 0.45))
    limb(axis, shoulder, (4.55, 0.55), (5.9, 0.45))  # arms forward on the floor
    head(axis, (4.1, 0.75), (0.4, -1))


def package_seat_dynamic(axis: Axes) -> None:
    floor(axis)
    mat(axis, 0.8, 6.8)
    ankle, knee, hip = (1.55, 0.45), (3.0, 0.45), (4.05, 1.45)
    limb(axis, hip, knee, ankle, (1.15, 0.42))  # lower legs stay on the floor
    shoulder = (5.95, 2.2)
    limb(axis, *curve(hip, shoulder, -0.12))  # back long, pelvis forwards towards the hands
    limb(axis, shoulder, (5.95, 1.3), (5.95, 0.42))  # weight on straight arms
    head(axis, (6.45, 2.6), (1, -0.6))
    arrow(axis, (2.0, 1.6), (3.75, 2.05), both=True, bend=-0.25)  # rocking from the heels and back


POSES: Dict[str, Callable[[Axes], None]] = {
    "shoulder_circles": shoulder_circles,
    "pelvic_tilt_lying": pelvic_tilt_lying,
    "pelvic_tilt_seated": pelvic_tilt_seated,
    "package_seat_static": package_seat_static,
    "package_seat_dynamic": package_seat_dynamic,
    "back_extensor_strengthening": back_extensor_strengthening,
    "abdominal_strengthening": abdominal_strengthening,
    "hamstring_stretch": hamstring_stretch,
    "hip_flexor_stretch": hip_flexor_stretch,
    "knee_to_chest": knee_to_chest,
    "cat_camel": cat_camel,
    "glute_bridge": glute_bridge,
    "bird_dog": bird_dog,
}


def image_path(slug: str) -> Path:
    return OUT / f"exercise-{slug}.png"


def draw(slug: str, title: str) -> Path:
    figure, axis = plt.subplots(figsize=(3.2, 2.4), dpi=100)
    figure.subplots_adjust(left=0.02, right=0.98, bottom=0.02, top=0.88)
    POSES[slug](axis)
    axis.set_xlim(0, WIDTH)
    axis.set_ylim(0, HEIGHT)
    axis.set_aspect("equal")
    axis.axis("off")
    axis.set_title(title, color=BODY, fontsize=11)
    path = image_path(slug)
    figure.savefig(path, dpi=100)
    plt.close(figure)
    return path


def main(slugs: Sequence[str] = ()) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    exercises = {exercise.slug: exercise.name for exercise in load_exercise_file()}
    missing = sorted(set(exercises) - set(POSES))
    if missing:
        raise SystemExit(f"no drawing for: {', '.join(missing)}")
    for slug in slugs or exercises:
        print(draw(slug, exercises[slug]))


if __name__ == "__main__":
    main(sys.argv[1:])
