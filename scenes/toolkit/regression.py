"""Linear regression on screen: the data panel of (x, y) beside the filled loss map of (w, b).

* :class:`DataPanel` — the data ``(xᵢ, yᵢ)`` on a :class:`~scenes.toolkit.graph.Graph` with
  ticks, and the line ``y = w x + b`` with its residuals ``eᵢ`` for any ``θ = (w, b)``:
  :meth:`~DataPanel.line`, :meth:`~DataPanel.residuals`, and :meth:`~DataPanel.show` to
  move both to another ``θ`` (cheap: points are reset, nothing is rebuilt);
* :func:`filled_map` — ``J`` over the map of a :class:`~scenes.toolkit.landscape.LandscapeView`
  as one image of coloured bands (a filled contour map), drawn once;
* :func:`band_levels` — level values of a quadratic bowl that come out evenly spaced;
* :class:`LossCurve` — ``J`` against the step number, drawn up to any step.

Every conversion between data, parameters and the screen lives here and in the
views it uses; scenes hand over ``θ`` and read back what is drawn.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Dot, Line, ManimColor, VGroup, VMobject

import gradcore.regression
from gradcore.regression import line_in_box, predictions
from scenes.toolkit.graph import Graph
from scenes.toolkit.landscape import LandscapeView, ticks
from scenes.toolkit.plotting import fmt, tick_step

__all__ = [
    "DataPanel",
    "LossCurve",
    "band_levels",
    "contrast",
    "data_ranges",
    "decimals_apart",
    "filled_map",
    "paren",
    "readable",
    "tick_decimals",
    "tick_format",
    "tick_text",
]

Range = tuple[float, float]


def tick_text(value: float, decimals: int) -> str:
    """A tick number with exactly ``decimals`` decimals (whole numbers keep their zeros), Unicode minus, no −0.

    Examples
    --------
    >>> tick_text(10.0, 0), tick_text(-0.0, 0), tick_text(-0.5, 1), tick_text(20.0, 1)
    ('10', '0', '−0.5', '20')
    """
    if decimals == 0 or abs(value - round(value)) < 1e-9:
        return f"{round(value) + 0:d}".replace("-", "−")
    return fmt(value, decimals)


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two colours (1 to 21).

    Examples
    --------
    >>> round(contrast("#FFFFFF", "#000000"), 1), round(contrast("#777777", "#777777"), 1)
    (21.0, 1.0)
    """

    def luminance(colour: str) -> float:
        rgb = np.asarray(ManimColor(colour).to_rgb(), dtype=float)
        rgb = np.where(rgb <= 0.03928, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
        return float(rgb @ [0.2126, 0.7152, 0.0722])

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


READABLE = ("muted", "curve", "tangent", "gradient", "descent", "direction", "highlight", "good", "warn")


def readable(palette, ratio: float = 4.5):
    """The palette with each colour of :data:`READABLE` mixed towards ``text`` until it reaches ``ratio``.

    Text and thin lines then read against the background in either theme (the dark
    palette already does; the light one's orange and greens need it).

    Examples
    --------
    >>> from scenes.toolkit.theme import LIGHT
    >>> contrast(readable(LIGHT).highlight, LIGHT.background) >= 4.5
    True
    """
    changes = {}
    for role in READABLE:
        colour = getattr(palette, role)
        for share in np.linspace(0.0, 1.0, 21):
            mixed = ManimColor(colour).interpolate(ManimColor(palette.text), float(share)).to_hex()
            if contrast(mixed, palette.background) >= ratio:
                changes[role] = mixed
                break
    return dataclasses.replace(palette, **changes)


def tick_format(box) -> Callable[[float], str]:
    """The tick formatter of a map on ``box``: the decimals its round ticks need, the same on both axes."""
    decimals = max(tick_decimals(ticks(bounds)) for bounds in box)
    return lambda v: tick_text(v, decimals)


def paren(text: str) -> str:
    """A negative number in brackets, for writing it after an operator: ``0.15 · (−17.5)``.

    Examples
    --------
    >>> paren("−17.5"), paren("6")
    ('(−17.5)', '6')
    """
    return f"({text})" if text.startswith(("-", "−")) else text


def decimals_apart(a: float, b: float, least: int = 2, most: int = 6) -> int:
    """The fewest decimals from ``least`` at which ``a`` and ``b`` read differently (``least`` if none does).

    Examples
    --------
    >>> decimals_apart(0.1625, 0.16), decimals_apart(1.0, 1.0)
    (3, 2)
    """
    for decimals in range(least, most + 1):
        if fmt(a, decimals) != fmt(b, decimals):
            return decimals
    return least


def tick_decimals(values: Sequence[float]) -> int:
    """Decimals that show round tick values exactly (0 for whole numbers, at most 4).

    Examples
    --------
    >>> tick_decimals([0.0, 2.0, 4.0]), tick_decimals([-0.5, 0.0, 0.5]), tick_decimals([0.25, 0.5])
    (0, 1, 2)
    """
    for decimals in range(5):
        if all(abs(v - round(v, decimals)) < 1e-9 for v in values):
            return decimals
    return 4


def data_ranges(x: Any, y: Any, shown: Any = (), *, pad: float = 0.12, reach: float = 1.0) -> tuple[Range, Range]:
    """The chart ranges of the data panel: the data, padded; 0 on the x range when it is near.

    ``shown`` holds more y values the chart should show (e.g. the start line at the
    data's x); each end reaches at most ``reach`` data spans beyond the data, so far
    lines do not squash the points.

    Examples
    --------
    >>> data_ranges([1, 2, 3, 4], [3, 5, 7, 9], [0, 0, 0, 0])
    ((0.0, 4.48), (-1.08, 10.08))
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    xlo, xhi = float(x.min()), float(x.max())
    if xlo > 0 and xlo <= xhi - xlo:  # 0 is near: show the intercept
        xlo = 0.0
    elif xhi < 0 and -xhi <= xhi - xlo:
        xhi = 0.0
    ylo, yhi = float(y.min()), float(y.max())
    y_span = max(yhi - ylo, 1e-9 + 1e-6 * max(abs(ylo), abs(yhi)))
    more = np.asarray(shown, dtype=float).ravel()
    if more.size:
        ylo = max(min(ylo, float(more.min())), ylo - reach * y_span)
        yhi = min(max(yhi, float(more.max())), yhi + reach * y_span)
    if yhi - ylo < 1e-9:
        ylo, yhi = ylo - 1.0, yhi + 1.0
    x_pad, y_pad = pad * max(xhi - xlo, 1e-9), pad * (yhi - ylo)
    return (xlo - (x_pad if xlo != 0 else 0.0), xhi + x_pad), (ylo - y_pad, yhi + y_pad)


class DataPanel:
    """The data ``(xᵢ, yᵢ)`` on a chart, and the line and residuals of any ``θ = (w, b)``.

    Parameters
    ----------
    x, y
        The data, shape ``(m,)``.
    ranges
        ``(x_range, y_range)`` of the chart (see :func:`data_ranges`).
    centre, size
        Screen centre and ``(width, height)`` of the axes.
    palette
        The lecture's :class:`~scenes.toolkit.theme.Palette`.

    Attributes
    ----------
    graph
        The :class:`~scenes.toolkit.graph.Graph` the data are drawn on.
    """

    def __init__(self, x: Any, y: Any, ranges: tuple[Range, Range], *, centre, size, palette) -> None:
        self.x, self.y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        self.pal = palette
        style = {"color": palette.axes, "stroke_width": 2, "include_numbers": False, "tick_size": 0.06}
        x_range, y_range = ranges
        self.graph = Graph(
            x_range,
            y_range,
            x_length=size[0],
            y_length=size[1],
            centre=centre,
            x_step=_tick_step(x_range),
            y_step=_tick_step(y_range),
            axis_config=style,
        )
        self.box = (self.graph.x_range, self.graph.y_range)

    def axes(self, make: Callable[[str], Any], names: tuple[Any, Any]) -> VGroup:
        """The axes with tick numbers (``make(text)`` builds one) and the axis names ``x``, ``y``."""
        graph, (x_range, y_range) = self.graph, self.box
        xs, ys = _inner(_ticks(x_range), x_range), _inner(_ticks(y_range), y_range)
        dx, dy = tick_decimals(xs), tick_decimals(ys)
        numbers = VGroup(
            graph.x_labels(xs, lambda v: make(tick_text(v, dx))),
            *(graph.y_label(make(tick_text(v, dy)), v) for v in ys),
        )
        names[0].next_to(graph.point(x_range[1], y_range[0]), UP + LEFT, buff=0.1)
        names[1].next_to(graph.point(x_range[0], y_range[1]), UP, buff=0.1)
        return VGroup(graph.axes, numbers, VGroup(*names))

    def dots(self, radius: float = 0.085) -> VGroup:
        """One dot per data point, in the palette's text colour with an outline."""
        points = self.graph.points(self.x, self.y)
        return VGroup(
            *(Dot(p, radius=radius, color=self.pal.text).set_stroke(self.pal.outline, width=1.5) for p in points)
        )

    def line(self, theta: Sequence[float], colour: str, width: float = 5) -> VMobject:
        """The line ``y = w x + b`` across the chart (cut at its edges); hidden when it misses the chart."""
        line = VMobject(stroke_color=colour, stroke_width=width)
        self._place_line(line, theta)
        return line

    def residuals(self, theta: Sequence[float], colour: str, width: float = 3.5) -> VGroup:
        """The residuals ``eᵢ = w xᵢ + b − yᵢ``: vertical segments from each point to the line (cut at the chart)."""
        group = VGroup(*(VMobject(stroke_color=colour, stroke_width=width) for _ in self.x))
        self._place_residuals(group, theta)
        return group

    def show(self, line: VMobject, residuals: VGroup | None, theta: Sequence[float]) -> None:
        """Move an existing line (and its residuals, if given) to ``θ``."""
        self._place_line(line, theta)
        if residuals is not None:
            self._place_residuals(residuals, theta)

    def line_ends(self, line: VMobject) -> np.ndarray | None:
        """Chart points ``(x, y)`` of a drawn line's two ends, shape ``(2, 2)``; None if hidden."""
        if line.get_stroke_opacity() == 0:
            return None
        return self.graph.coords(np.array([line.get_start(), line.get_end()]))

    def segment_ends(self, residuals: VGroup) -> np.ndarray:
        """Chart points of each residual's two ends, shape ``(m, 2, 2)``: on the point, then towards the line."""
        return np.array([self.graph.coords(np.array([seg.get_start(), seg.get_end()])) for seg in residuals])

    def _place_line(self, line: VMobject, theta: Sequence[float]) -> None:
        ends = line_in_box(theta, self.box)
        if ends is None:
            centre = self.graph.point(*np.mean(self.box, axis=1))
            line.set_points_as_corners([centre, centre]).set_stroke(opacity=0)
            return
        line.set_points_as_corners(self.graph.points(ends[:, 0], ends[:, 1])).set_stroke(opacity=1)

    def _place_residuals(self, group: VGroup, theta: Sequence[float]) -> None:
        lo, hi = self.box[1]
        tips = np.clip(predictions(np.asarray(theta, dtype=float), self.x), lo, hi)  # cut at the chart's edge
        starts, ends = self.graph.points(self.x, self.y), self.graph.points(self.x, tips)
        for segment, a, b in zip(group, starts, ends, strict=True):
            segment.set_points_as_corners([a, b])


DATA_TICKS = 7  # about this many ticks per axis of the data panel


def _tick_step(bounds: Range, count: int = DATA_TICKS) -> float:
    return tick_step(bounds, count)


def _ticks(bounds: Range, count: int = DATA_TICKS) -> np.ndarray:
    """Round tick values inside ``bounds``, about ``count`` of them."""
    step = tick_step(bounds, count)
    first = np.ceil(bounds[0] / step - 1e-9) * step
    return np.arange(first, bounds[1] + 1e-9 * step, step)


def _inner(values: np.ndarray, bounds: Range) -> list[float]:
    """Tick values not too close to the ends of ``bounds`` (their numbers would touch the other axis' numbers)."""
    margin = 0.04 * (bounds[1] - bounds[0])
    return [float(v) for v in values if bounds[0] + margin <= v <= bounds[1] - margin] or [float(values[0])]


def band_levels(low: float, high: float, count: int) -> np.ndarray:
    """``count`` levels between the lowest and highest value of a quadratic bowl, evenly spaced on the map.

    A quadratic grows as the square of the distance from its minimum, so the
    levels ``low + (high − low) (k / (count + 1))²`` are rings at equal steps.

    Examples
    --------
    >>> band_levels(0.0, 16.0, 3).tolist()
    [1.0, 4.0, 9.0]
    """
    shares = (np.arange(1, count + 1) / (count + 1)) ** 2
    return low + (high - low) * shares


def filled_map(view: LandscapeView, loss, levels: Sequence[float], colours: Sequence[str], outline: str) -> VGroup:
    """The map of a linear-regression ``loss`` as filled bands: below ``levels[0]`` the first colour, and so on.

    ``colours`` has ``len(levels) + 1`` entries (low → high). The map is filled with
    the last colour; each region ``J ≤ level`` (an ellipse, cut to the map) is laid
    over it from the highest level down, with its edge drawn thin in ``outline``.
    Returns ``VGroup(fills, edges)``.
    """
    (x0, x1), (y0, y1) = view.box
    corners = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])
    fills, edges = VGroup(_polygon(view, corners, colours[-1])), VGroup()
    for level, colour in sorted(zip(levels, colours[:-1], strict=True), reverse=True):
        ring = gradcore.regression.level_ellipse(loss, level)
        inside = gradcore.regression.clip_convex(ring, view.box) if len(ring) else ring
        if len(inside) >= 3:
            fills.add(_polygon(view, inside, colour))
        seen, _ = _visible(ring, view.box)
        for piece in seen:
            edges.add(VMobject(stroke_color=outline, stroke_width=1.2).set_points_as_corners(view.point(piece)))
    return VGroup(fills, edges)


def _polygon(view: LandscapeView, points: np.ndarray, colour: str) -> VMobject:
    corners = view.point(np.vstack([points, points[:1]]))
    return VMobject(fill_color=colour, fill_opacity=1.0, stroke_color=colour, stroke_width=0.5).set_points_as_corners(
        corners
    )


def _visible(ring: np.ndarray, box) -> tuple[list[np.ndarray], bool]:
    """The runs of a closed ring's points inside ``box`` (each a polyline), and whether the whole ring is inside."""
    if not len(ring):
        return [], False
    (x0, x1), (y0, y1) = box
    inside = (ring[:, 0] >= x0) & (ring[:, 0] <= x1) & (ring[:, 1] >= y0) & (ring[:, 1] <= y1)
    if inside.all():
        return [np.vstack([ring, ring[:1]])], True
    start = int(np.argmin(inside))  # an outside point: runs do not wrap round it
    order = np.roll(np.arange(len(ring)), -start)
    pieces, current = [], []
    for i in order:
        if inside[i]:
            current.append(ring[i])
        elif current:
            pieces.append(np.array(current))
            current = []
    if current:
        pieces.append(np.array(current))
    return [p for p in pieces if len(p) > 1], False


class LossCurve:
    """``J`` against the step number on a small chart with ticks, drawn up to any (fractional) step.

    Parameters
    ----------
    values
        ``J`` at steps ``0 … k`` (finite).
    value_at
        ``J`` at a fractional step ``s`` (between two steps), e.g. a rollout's ``value_at``.
    centre, size
        Screen centre and ``(width, height)`` of the axes.
    """

    def __init__(self, values: Any, value_at: Callable[[float], float], *, centre, size, palette) -> None:
        self.values = np.asarray(values, dtype=float)
        self.value_at = value_at
        last = max(len(self.values) - 1, 1)
        top = float(self.values.max()) if self.values.max() > 0 else 1.0
        # Room below J = 0 and left of step 0, so a curve that drops at once and then runs along J ≈ 0 stays
        # clear of the frame; the axes themselves are invisible, the frame is drawn at the ranges' low ends.
        x_range, y_range = (-0.03 * last, last), (-0.1 * top, 1.08 * top)
        hidden = {"stroke_opacity": 0, "include_ticks": False, "include_numbers": False}
        self.graph = Graph(x_range, y_range, x_length=size[0], y_length=size[1], centre=centre, axis_config=hidden)
        corner = self.graph.point(x_range[0], y_range[0])
        self.frame = VMobject(stroke_color=palette.axes, stroke_width=2).set_points_as_corners(
            [self.graph.point(x_range[0], y_range[1]), corner, self.graph.point(x_range[1], y_range[0])]
        )
        self.curve = VMobject(stroke_color=palette.highlight, stroke_width=4)
        self.head = Dot(self.graph.point(0, self.values[0]), radius=0.06, color=palette.highlight)
        self.draw(0.0)

    def labels(self, make: Callable[[str], Any], names: tuple[Any, Any]) -> VGroup:
        """Tick numbers at the ends of both axes and a middle one, and the axis names (step, J)."""
        graph = self.graph
        (first, last), (low, top) = graph.x_range, graph.y_range
        y_top = float(ticks((0.0, top))[-1])
        decimals = tick_decimals([y_top])
        marks = VGroup(*(Line(graph.point(first, v), graph.point(first, v) + 0.08 * RIGHT, color=self.frame.get_color())
                         for v in (0.0, y_top)))  # fmt: skip
        numbers = VGroup(
            graph.x_labels([0, round(last)], lambda v: make(tick_text(v, 0))),
            graph.y_label(make(tick_text(0, 0)), 0.0),
            graph.y_label(make(tick_text(y_top, decimals)), y_top),
        )
        names[0].next_to(graph.point(last / 2, low), DOWN, buff=0.12)
        names[1].next_to(graph.point(first, top), UP, buff=0.1).align_to(self.frame, LEFT).shift(0.1 * RIGHT)
        return VGroup(self.frame, marks, numbers, VGroup(*names))

    def draw(self, s: float) -> None:
        """The curve through ``J`` at steps ``0 … ⌊s⌋`` and then at ``s``, its head at the end."""
        k = int(np.floor(s + 1e-9))
        xs, ys = list(range(k + 1)), list(self.values[: k + 1])
        if s > k + 1e-9:
            xs.append(s)
            ys.append(self.value_at(s))
        points = self.graph.trace(self.curve, xs, ys)
        self.head.move_to(points[-1])

    def followers(self) -> list:
        """:data:`~scenes.toolkit.rollout.Follower` pairs for the curve and its head, each on the stage itself.

        (An updater on a group that is not on the stage never runs; and the Cairo renderer
        redraws per frame only what has an updater, so the head needs its own.)
        """
        return [(self.curve, lambda _, s: self.draw(s)), (self.head, lambda _, s: self.draw(s))]

    def end_value(self) -> float:
        """``J`` read back at the drawn curve's last point."""
        return float(self.graph.coords(self.curve.get_end())[1])
