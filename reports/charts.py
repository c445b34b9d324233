"""Charts for the PDF reports, as inline SVG strings: no JavaScript, no files, no other host.

WeasyPrint draws inline SVG as vectors, so a chart stays sharp when a committee zooms in and
its numbers stay selectable. Sizes are in millimetres (the viewBox unit is 1 mm), text uses the
report's embedded Sarabun font. Every piece of text put into the markup goes through `escape`;
numbers are formatted here, so nothing a researcher or an expert typed can add markup.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from .data import NOTHING, ParticipationStep

BAR = "#9fb7d6"
BAR_MIDDLE = "#2f5d8a"
INK = "#222"
MUTED = "#666"
FRAME = "#888"


def _num(value: float) -> str:
    """A coordinate with at most two decimals and no trailing zeros (SVG stays small)."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def data_uri(svg: str) -> str:
    """The SVG as a `data:` URL for an <img>.

    A report has a chart per statement: as images they skip the HTML style cascade that
    inline SVG elements go through (three times faster to render for 100 charts), and
    WeasyPrint draws an image used twice (two statements with the same answers) once. They
    are still vectors, and the URL fetcher reads `data:` URLs without any network access.
    """
    return "data:image/svg+xml," + quote(svg, safe=" =:/,.-#")


def distribution_svg(
    counts: Sequence[int], *, q1: float | None = None, q3: float | None = None
) -> SafeString:
    """Bars of the answers per scale point, from 1 on the left, each with its count above.

    Bars of the classes that the middle half of the answers falls in (from Q1 to Q3) are
    dark, the others light, so the spread that decides consensus is visible at a glance.
    """
    points = len(counts)
    if not points:
        return mark_safe("")
    bar, gap, top, base = 7.0, 2.5, 5.5, 17.0
    width = points * (bar + gap) + gap
    height = base + 0.5
    tallest = max(counts) or 1
    light, dark, labels = [], [], []
    for index, count in enumerate(counts):
        point = index + 1
        x = gap + index * (bar + gap)
        middle = q1 is not None and q3 is not None and q1 <= point + 0.5 and point - 0.5 <= q3
        bar_height = (base - top) * count / tallest
        if count:
            # One path per colour: WeasyPrint draws a path of five bars as fast as one bar.
            (dark if middle else light).append(
                f"M{_num(x)} {_num(base - bar_height)}h{_num(bar)}v{_num(bar_height)}h-{_num(bar)}z"
            )
        labels.append(
            f'<text x="{_num(x + bar / 2)}" y="{_num(base - bar_height - 1)}">{count}</text>'
        )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_num(width * 0.5)}mm" '
        f'height="{_num(height * 0.5)}mm" viewBox="0 0 {_num(width)} {_num(height)}" '
        f'font-family="Sarabun" font-size="4.2" text-anchor="middle" fill="{INK}">',
        f'<path d="M0 {_num(base)}H{_num(width)}" stroke="{FRAME}" stroke-width="0.3"/>',
    ]
    if light:
        parts.append(f'<path d="{"".join(light)}" fill="{BAR}"/>')
    if dark:
        parts.append(f'<path d="{"".join(dark)}" fill="{BAR_MIDDLE}"/>')
    parts.extend(labels)
    parts.append("</svg>")
    # Built from numbers and fixed markup only. The points are not labelled: the caption says
    # the order, and every label costs drawing time.
    return mark_safe("".join(parts))  # noqa: S308


@dataclass(frozen=True)
class _Box:
    step: ParticipationStep
    column: int
    row: int


def participation_svg(steps: Sequence[ParticipationStep]) -> SafeString:
    """The flow of experts through the rounds: one column per panel, one row per round.

    Each round's box shows the invited and the returned as bars on one scale (the largest
    number invited), with the response rate; an arrow joins the rounds of the same panel and
    says how many experts who answered the earlier round did not answer the later one.
    """
    if not steps:
        return mark_safe("")
    panels: list = []
    for step in steps:
        if step.facts.panel not in panels:
            panels.append(step.facts.panel)
    boxes = [
        _Box(step=step, column=panels.index(step.facts.panel), row=row)
        for row, step in enumerate(steps)
    ]
    width, header, box_height, row_gap = 170.0, 9.0, 21.0, 9.0
    column_width = width / len(panels)
    height = header + len(boxes) * (box_height + row_gap) - row_gap + 1
    most = max((box.step.facts.invited for box in boxes), default=0) or 1
    parts = [
        f'<svg class="flow" xmlns="http://www.w3.org/2000/svg" width="{_num(width)}mm" '
        f'height="{_num(height)}mm" viewBox="0 0 {_num(width)} {_num(height)}" '
        f'font-family="Sarabun" font-size="3.6" fill="{INK}">',
        '<defs><marker id="arrow" viewBox="0 0 6 6" refX="5" refY="3" markerWidth="5" '
        f'markerHeight="5" orient="auto"><path d="M0,0 L6,3 L0,6 z" fill="{FRAME}"/></marker>'
        "</defs>",
    ]
    for column, panel in enumerate(panels):
        name = Truncator(panel.name).chars(max(12, int(column_width / 2.2)))
        parts.append(
            f'<text x="{_num(column * column_width + 2)}" y="5.5" font-size="4.2" '
            f'font-weight="bold">{escape(name)}</text>'
        )
    bottoms: dict[int, float] = {}
    for box in boxes:
        facts = box.step.facts
        x = box.column * column_width + 2
        y = header + box.row * (box_height + row_gap)
        inner = column_width - 4
        label_width = min(34.0, inner * 0.42)
        bar_space = inner - label_width - 4
        parts.append(
            f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(inner)}" height="{_num(box_height)}" '
            f'rx="1.5" fill="#fff" stroke="{FRAME}" stroke-width="0.35"/>'
        )
        title = _("Round %(number)s · %(kind)s") % {
            "number": facts.number,
            "kind": facts.kind_label,
        }
        parts.append(
            f'<text x="{_num(x + 2)}" y="{_num(y + 5.5)}" font-weight="bold">{escape(title)}</text>'
        )
        rate = facts.response_rate
        lines = (
            (_("Invited: %(count)s") % {"count": facts.invited}, facts.invited, BAR),
            (
                _("Returned: %(count)s (%(rate)s %%)")
                % {"count": facts.returned, "rate": rate if rate is not None else NOTHING},
                facts.returned,
                BAR_MIDDLE,
            ),
        )
        for offset, (text, count, colour) in zip((11.0, 17.5), lines, strict=True):
            parts.append(f'<text x="{_num(x + 2)}" y="{_num(y + offset)}">{escape(text)}</text>')
            length = bar_space * count / most
            if length:
                parts.append(
                    f'<rect x="{_num(x + label_width + 2)}" y="{_num(y + offset - 3.4)}" '
                    f'width="{_num(length)}" height="4" fill="{colour}"/>'
                )
        previous_bottom = bottoms.get(box.column)
        if previous_bottom is not None and box.step.left is not None:
            arrow_x = x + inner / 2
            parts.append(
                f'<line x1="{_num(arrow_x)}" y1="{_num(previous_bottom)}" x2="{_num(arrow_x)}" '
                f'y2="{_num(y - 0.5)}" stroke="{FRAME}" stroke-width="0.4" '
                'marker-end="url(#arrow)"/>'
            )
            if box.step.left:
                note = _("%(count)s did not answer again") % {"count": box.step.left}
            else:
                note = _("nobody left")
            parts.append(
                f'<text x="{_num(arrow_x + 2)}" y="{_num(y - row_gap / 2 + 1.2)}" '
                f'fill="{MUTED}">{escape(note)}</text>'
            )
        bottoms[box.column] = y + box_height
    parts.append("</svg>")
    # Every text above went through escape(); the rest is fixed markup and numbers.
    return mark_safe("".join(parts))  # noqa: S308
