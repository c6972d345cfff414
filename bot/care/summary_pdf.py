"""Lays out the doctor's summary on one A4 page (fpdf2).

The text is set in DejaVu Sans, the TrueType font matplotlib ships, so any
character a person's records or a translation holds can be printed (the PDF
core fonts know Latin-1 only): German ä, ö, ü, ß and the arrow of the trend
line among them. fpdf2 embeds only the glyphs used, each with its Unicode
value, so the text can be searched and copied. The document names its
language, for screen readers and hyphenation in PDF viewers.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Optional, Sequence, Tuple

import matplotlib
from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FONT = "DejaVu"
REGULAR_FONT_FILE, BOLD_FONT_FILE = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"

# Sizes in millimetres and points, chosen so a month of daily check-ins fits one page.
MARGIN_MM = 18
LINE_MM = 5
CHART_WIDTH_MM = 150  # the chart's 640 x 360 pixels keep their shape: 84 mm high
# Longer texts (German runs about a fifth longer than English, warning-sign names
# wrap) shrink the chart before the summary takes a second page.
SMALLER_CHART_WIDTHS_MM = (130, 110, 90)
TITLE_PT, HEADING_PT, BODY_PT, SMALL_PT = 15, 11.5, 10, 9
DISCLAIMER_FILL = (232, 240, 246)  # the chat page's light blue
CREATOR = "BackCare"


@dataclass(frozen=True)
class Section:
    """A heading, its lines, and an optional PNG drawn under them."""

    heading: str
    lines: Tuple[str, ...]
    image: Optional[bytes] = None


def _new_document(title: str, created_at: datetime, compress: bool, language: str) -> FPDF:
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_compression(compress)
    pdf.set_lang(language)
    pdf.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
    pdf.set_auto_page_break(True, margin=MARGIN_MM)
    pdf.add_font(FONT, "", str(REGULAR_FONT_FILE))
    pdf.add_font(FONT, "B", str(BOLD_FONT_FILE))
    pdf.set_title(title)
    pdf.set_creator(CREATOR)
    pdf.set_creation_date(created_at)
    pdf.add_page()
    return pdf


def _paragraph(pdf: FPDF, text: str, size: float, style: str = "", fill: bool = False) -> None:
    pdf.set_font(FONT, style, size)
    pdf.multi_cell(
        0,
        LINE_MM,
        text,
        align=Align.L,  # ragged right: justified lines open wide gaps in short texts
        fill=fill,
        padding=2 if fill else 0,
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )


def _layout(
    title: str,
    made_on: str,
    disclaimer: str,
    sections: Sequence[Section],
    created_at: datetime,
    compress: bool,
    language: str,
    chart_width: float,
) -> FPDF:
    pdf = _new_document(title, created_at, compress, language)
    _paragraph(pdf, title, TITLE_PT, "B")
    _paragraph(pdf, made_on, SMALL_PT)
    pdf.ln(2)
    pdf.set_fill_color(*DISCLAIMER_FILL)
    _paragraph(pdf, disclaimer, SMALL_PT, fill=True)
    for section in sections:
        pdf.ln(3)
        _paragraph(pdf, section.heading, HEADING_PT, "B")
        for line in section.lines:
            _paragraph(pdf, line, BODY_PT)
        if section.image is not None:
            pdf.ln(1)
            pdf.image(io.BytesIO(section.image), x=MARGIN_MM, w=chart_width)
    return pdf


def summary_pdf(
    title: str,
    made_on: str,
    disclaimer: str,
    sections: Sequence[Section],
    created_at: datetime,
    compress: bool = True,
    language: str = "en",
) -> bytes:
    """The PDF in `language` (a code): title, date, the disclaimer in a shaded box, then every section.

    One page when a smaller chart makes it fit; a text too long even then goes
    on to a second page rather than lose a line.
    """
    has_chart = any(section.image is not None for section in sections)
    widths = (CHART_WIDTH_MM, *SMALLER_CHART_WIDTHS_MM) if has_chart else (CHART_WIDTH_MM,)
    for width in widths:
        pdf = _layout(title, made_on, disclaimer, sections, created_at, compress, language, width)
        if pdf.pages_count == 1:
            break
    return bytes(pdf.output())
