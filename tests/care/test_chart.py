"""The pain chart: a real PNG of the right size that shows the scores it is given."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import List, Sequence, Tuple

import pytest
from PIL import Image

from bot.care.chart import LINE_COLOUR, MAX_DATE_LABELS, _label_days, draw_chart, render_chart
from bot.care.wording import wording

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
FIRST_DAY = date(2026, 3, 2)


def series(*scores: int) -> List[Tuple[date, int]]:
    return [(FIRST_DAY + timedelta(days=index), score) for index, score in enumerate(scores)]


def decoded(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png)).convert("RGB")


def line_rows(image: Image.Image) -> List[int]:
    """The row (from the top) of every pixel drawn in the chart line's colour: points and line."""
    red, green, blue = (int(LINE_COLOUR[i : i + 2], 16) for i in (1, 3, 5))
    return [
        index // image.width
        for index, (r, g, b) in enumerate(image.getdata())
        if abs(r - red) < 12 and abs(g - green) < 12 and abs(b - blue) < 12
    ]


def test_the_chart_is_a_png_of_about_640_by_360_pixels() -> None:
    png = render_chart(series(7, 6, 6, 5, 4))
    assert png.startswith(PNG_SIGNATURE)
    image = decoded(png)
    assert image.size == (640, 360)
    assert len(line_rows(image)) > 500


def test_other_scores_draw_another_picture() -> None:
    falling, rising = decoded(render_chart(series(8, 6, 4, 2))), decoded(render_chart(series(2, 4, 6, 8)))
    different = sum(1 for a, b in zip(falling.getdata(), rising.getdata(), strict=True) if a != b)
    assert different > 1000


def test_higher_scores_are_drawn_higher() -> None:
    """The y axis runs from 0 at the bottom to 10 at the top."""

    def mean_line_height(image: Image.Image) -> float:
        rows = line_rows(image)
        return sum(rows) / len(rows)

    high, low = decoded(render_chart(series(9, 9, 9))), decoded(render_chart(series(1, 1, 1)))
    assert mean_line_height(high) < mean_line_height(low)  # image rows count from the top


def test_one_score_is_drawn_as_a_point() -> None:
    image = decoded(render_chart(series(7)))
    assert image.size == (640, 360)
    assert len(line_rows(image)) > 20
    assert not line_rows(decoded(render_chart([])))


def test_date_labels_never_crowd_the_axis() -> None:
    def check(days: Sequence[date]) -> None:
        labels = _label_days(days)
        assert labels[0] == days[0] and labels[-1] == days[-1]
        assert len(labels) <= MAX_DATE_LABELS
        assert labels == sorted(set(labels))

    check([FIRST_DAY])
    check([FIRST_DAY + timedelta(days=n) for n in range(60)])
    check([FIRST_DAY + timedelta(days=n) for n in (0, 1, 3, 4, 8, 9, 10, 11, 13)])
    assert render_chart(series(*[n % 11 for n in range(60)])).startswith(PNG_SIGNATURE)


def test_the_german_chart_has_german_texts_and_dates() -> None:
    figure = draw_chart(series(7, 6, 5), wording("de"))
    axes = figure.axes[0]
    assert axes.get_title() == "Schmerzen, Tag für Tag"
    assert axes.get_xlabel() == "Datum"
    assert axes.get_ylabel() == "Schmerz (0 = keiner, 10 = stärkster)"
    assert [label.get_text() for label in axes.get_xticklabels()] == ["2. März", "3. März", "4. März"]
    english = draw_chart(series(7, 6, 5)).axes[0]
    assert english.get_title() == "Pain, day by day"
    assert [label.get_text() for label in english.get_xticklabels()] == ["2 Mar", "3 Mar", "4 Mar"]


def test_the_german_chart_draws_every_letter(recwarn: pytest.WarningsRecorder) -> None:
    """matplotlib warns of a glyph its font lacks (and draws a box): ä, ü and the rest must all be there."""
    png = render_chart(series(7, 6, 5), wording("de"))
    assert png.startswith(PNG_SIGNATURE)
    assert not [warning for warning in recwarn if "missing from" in str(warning.message)]
