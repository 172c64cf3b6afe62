"""Tables on the packet's pages: a header row repeated on every page, light zebra rows, 9 pt
cells that wrap, and columns given as shares of the page width so they fit Letter and A4 alike.

Long lists are drawn as several tables (one per month or year, under a subheading): ReportLab
splits one long table in time that grows with the square of its rows, and a reader finds a
month faster under its own heading anyway.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any, TypeVar

from reportlab.pdfbase.pdfmetrics import stringWidth  # type: ignore[import-untyped]
from reportlab.platypus import Paragraph, Table, TableStyle  # type: ignore[import-untyped]

from backlog_app.services.packet.styles import (
    BOLD,
    FONT,
    HEADER_FILL,
    INK,
    LIGHT_RULE,
    STYLES,
    TABLE_LEADING,
    TABLE_SIZE,
    WHITE,
    ZEBRA,
    markup,
    minor_heading,
    printable,
)

T = TypeVar("T")

_PAD_X = 4.0
_PAD_TOP = 2.5
_PAD_BOTTOM = 3.0

# The height of a row of one line: the line and the paddings.
ONE_LINE_ROW = TABLE_LEADING + _PAD_TOP + _PAD_BOTTOM

# More rows than this in one list: the list is cut into one table per year.
LONG_LIST = 40


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a table.

    Args:
        title: the header's text.
        share: its part of the page's width (a table's shares add up to 1).
        wrap: the cells are paragraphs that wrap; False for short text (dates, numbers) drawn as
            plain strings, which is much faster for long tables.
        align: "LEFT", "RIGHT" (amounts, counts) or "CENTER" (small scores).
    """

    title: str
    share: float
    wrap: bool = True
    align: str = "LEFT"


def cell_text_width(column: Column, width: float) -> float:
    """The width text may take in ``column`` of a table ``width`` wide (paddings taken off)."""
    return column.share * width - 2 * _PAD_X


def data_table(
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    width: float,
    *,
    bold_first: bool = False,
    groups: Sequence[tuple[str, int]] = (),
    one_line_rows: bool = False,
) -> Any:
    """A table of ``rows`` under a header that repeats on every page. A cell is plain text, or
    a flowable drawn as it is (a paragraph with bold parts).

    Args:
        width: the width the table takes (the content width).
        bold_first: the first column's cells are bold (a label column).
        groups: an optional row above the header naming runs of columns: (title, how many
            columns); "" leaves a run unnamed.
        one_line_rows: every body cell is one line of plain text: the rows get a fixed height
            and ReportLab skips measuring them (the daily log's thousands of rows).
    """
    header = [_header_cell(column) for column in columns]
    heads = 1
    top: list[Any] = []
    spans: list[tuple[Any, ...]] = []
    if groups:
        heads = 2
        start = 0
        for title, count in groups:
            top += [Paragraph(markup(title), STYLES.header_cell_center) if title else ""]
            top += [""] * (count - 1)
            if count > 1:
                spans.append(("SPAN", (start, 0), (start + count - 1, 0)))
            if title:
                spans.append(("LINEBELOW", (start, 0), (start + count - 1, 0), 0.4, INK))
            start += count
    body = []
    for row in rows:
        cells: list[Any] = []
        for index, (column, text) in enumerate(zip(columns, row, strict=True)):
            if not isinstance(text, str):
                cells.append(text)
            elif column.wrap:
                style = STYLES.cell_right if column.align == "RIGHT" else STYLES.cell
                if bold_first and index == 0:
                    style = STYLES.cell_bold
                cells.append(Paragraph(markup(text), style) if text else "")
            else:
                cells.append(printable(text))
        body.append(cells)
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), FONT, TABLE_SIZE, TABLE_LEADING),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), _PAD_X),
        ("RIGHTPADDING", (0, 0), (-1, -1), _PAD_X),
        ("TOPPADDING", (0, 0), (-1, -1), _PAD_TOP),
        ("BOTTOMPADDING", (0, 0), (-1, -1), _PAD_BOTTOM),
        ("BACKGROUND", (0, 0), (-1, heads - 1), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, heads - 1), "BOTTOM"),
        ("LINEABOVE", (0, 0), (-1, 0), 0.8, INK),
        ("LINEBELOW", (0, heads - 1), (-1, heads - 1), 0.8, INK),
        ("LINEBELOW", (0, -1), (-1, -1), 0.8, INK),
        ("ROWBACKGROUNDS", (0, heads), (-1, -1), [WHITE, ZEBRA]),
        *spans,
    ]
    for index, column in enumerate(columns):
        if column.align != "LEFT":
            commands.append(("ALIGN", (index, heads), (index, -1), column.align))
        if bold_first and index == 0 and not column.wrap:
            commands.append(("FONT", (0, heads), (0, -1), BOLD, TABLE_SIZE, TABLE_LEADING))
    if len(body) > 1:
        commands.append(("LINEBELOW", (0, heads), (-1, -2), 0.25, LIGHT_RULE))
    row_heights = None
    if one_line_rows:
        row_heights = [None] * heads + [ONE_LINE_ROW] * len(body)
    table = Table(
        [*([top] if groups else []), header, *body],
        colWidths=[column.share * width for column in columns],
        rowHeights=row_heights,
        repeatRows=heads,
        hAlign="LEFT",
    )
    table.setStyle(TableStyle(commands))
    return table


def _header_cell(column: Column) -> Any:
    style = {
        "RIGHT": STYLES.header_cell_right,
        "CENTER": STYLES.header_cell_center,
    }.get(column.align, STYLES.header_cell)
    return Paragraph(markup(column.title), style)


def field_table(
    rows: Sequence[tuple[str, str]],
    width: float,
    *,
    label_share: float = 0.3,
    large: bool = False,
) -> Any:
    """Label–value rows without a header (the reference block, a letter's fields); ``large``
    draws them at 10 pt rather than 9."""
    label_width = label_share * width
    label_style = STYLES.field_bold if large else STYLES.cell_bold
    value_style = STYLES.field if large else STYLES.cell
    body = [
        [
            Paragraph(markup(label), label_style) if label else "",
            Paragraph(markup(value), value_style) if value else "",
        ]
        for label, value in rows
    ]
    table = Table(body, colWidths=[label_width, width - label_width], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), _PAD_X),
                ("RIGHTPADDING", (0, 0), (-1, -1), _PAD_X),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
                ("ROWBACKGROUNDS", (0, 0), (-1, -1), [WHITE, ZEBRA]),
                ("LINEABOVE", (0, 0), (-1, 0), 0.8, INK),
                ("LINEBELOW", (0, -1), (-1, -1), 0.8, INK),
                ("LINEBELOW", (0, 0), (-1, -2), 0.25, LIGHT_RULE),
            ]
        )
    )
    return table


def by_year_tables(
    columns: Sequence[Column],
    items: Sequence[T],
    year_of: Callable[[T], int | str],
    row_of: Callable[[T], Sequence[Any]],
    width: float,
) -> list[Any]:
    """One table for a short list; a table per year, each under its year, for a long one.

    ``items`` must be in date order already; ``year_of`` names each item's group (a year, or
    "Undated").
    """
    if len(items) <= LONG_LIST:
        return [data_table(columns, [row_of(item) for item in items], width)]
    story: list[Any] = []
    for year, group in groupby(items, key=year_of):
        rows = [row_of(item) for item in group]
        story += [*minor_heading(str(year)), data_table(columns, rows, width)]
    return story


def shortened(text: str, width: float, *, font: str = FONT, size: float = TABLE_SIZE) -> str:
    """``text`` (made printable, on one line) cut with "…" to fit ``width`` points."""
    text = " ".join(printable(text).split())
    if stringWidth(text, font, size) <= width:
        return text
    ellipsis = "…"
    room = width - stringWidth(ellipsis, font, size)
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits
        middle = (low + high + 1) // 2
        if stringWidth(text[:middle], font, size) <= room:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip(" ,;") + ellipsis
