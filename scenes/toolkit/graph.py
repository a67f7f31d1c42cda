"""One-variable charts: y against x on Manim axes, with every conversion a 2-D chart needs.

A :class:`Graph` owns the :class:`~manim.Axes` of a chart on ``x_range`` × ``y_range``
(a function y = f(x), a slice t ↦ f(p₀ + t u), a loss against the step number,
a cosine against θ) and converts for the scene:

* **points** — :meth:`~Graph.point` (broadcasting) and :meth:`~Graph.points`,
  :meth:`~Graph.on_curve` for (x, f(x)), and back with :meth:`~Graph.coords`;
* **vectors and directions** — :meth:`~Graph.vector` for a step (dx, dy) and
  :meth:`~Graph.direction` for the unit screen direction of a line of a given slope
  (the axes' two scales differ, so neither is the same as in chart units);
* **what is drawn** — :meth:`~Graph.plot`, :meth:`~Graph.trace` (a polyline through sampled values),
  :meth:`~Graph.slope_line`, :meth:`~Graph.hline`, :meth:`~Graph.axis_names`, :meth:`~Graph.x_labels`,
  :meth:`~Graph.y_label`;
* **label placement** — :meth:`~Graph.curve_points`, :meth:`~Graph.axis_points`,
  :attr:`~Graph.screen_box` and :meth:`~Graph.place_label` (beside an anchor, off the
  curve and the x-axis, inside the chart).

Scenes never call ``c2p``/``p2c`` themselves. The helper :func:`value_range` picks a
padded y range for a chart from the values it must show. Marks of angles round a screen
point (a polar chart of a sign, an angle's arc) are :func:`sign_arcs`, :func:`sign_legend`
and :func:`angle_arc`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
from manim import (
    DEGREES,
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arc,
    Axes,
    DashedLine,
    Line,
    Mobject,
    ParametricFunction,
    VGroup,
    VMobject,
)
from manim.mobject.graphing.scale import LinearBase

import gradcore
from scenes.toolkit.plotting import place_label, tick_step

__all__ = ["CORNERS", "Graph", "angle_arc", "sign_arcs", "sign_legend", "value_range"]

CORNERS = [UP + LEFT, UP, UP + RIGHT, RIGHT, DOWN + RIGHT, DOWN, DOWN + LEFT, LEFT, np.zeros(3)]
"""Directions of a mobject's corners, edge midpoints and centre: ``map(m.get_corner, CORNERS)`` outlines ``m``."""

Range = tuple[float, float]


def value_range(values: Any, *, pad: float = 0.1, include_zero: bool = True, below: float = 0.0) -> Range:
    """A padded ``(low, high)`` that shows every value (and 0, by default).

    Parameters
    ----------
    values
        The values the chart must show, any shape.
    pad
        Margin added at each end, as a share of ``high − low``.
    include_zero
        Stretch the range to contain 0 (so the x-axis is on the chart).
    below
        Room kept below 0 at least, as a share of ``high − low`` (e.g. for marks under the x-axis).

    Examples
    --------
    >>> value_range([1.0, 4.0])
    (-0.4, 4.4)
    >>> value_range([0.0, 10.0], pad=0.1, below=0.25)
    (-2.5, 11.0)
    """
    values = np.asarray(values, dtype=float)
    lo, hi = float(values.min()), float(values.max())
    if include_zero:
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    margin = pad * (hi - lo)
    low = min(lo - margin, -(hi - lo) * below) if below > 0 else lo - margin
    return low, hi + margin


class Graph:
    """The axes of a one-variable chart, and every conversion between chart and screen.

    Parameters
    ----------
    x_range, y_range
        ``(low, high)`` of each axis, in chart units.
    x_length, y_length
        Screen lengths of the two axes.
    centre
        Screen point the axes are moved to (their bounding box, ticks included, as
        :meth:`~manim.Mobject.move_to` does).
    f
        Optional function y = f(x) that broadcasts over arrays; :meth:`on_curve`,
        :meth:`curve_points`, :meth:`place_label` and :meth:`plot` without a function use it.
    x_step, y_step
        Tick spacing of each axis (default: a round step, see :func:`~scenes.toolkit.plotting.tick_step`).
    axis_config, x_axis_config, y_axis_config
        The axes' style, handed to :class:`~manim.Axes` (e.g. ``{"color": …, "stroke_width": 2,
        "include_ticks": False}``). The axes have no tips.

    Attributes
    ----------
    axes
        The :class:`~manim.Axes` mobject: add, create or fade it like any other.

    Examples
    --------
    >>> graph = Graph((-2, 2), (-1, 4), x_length=4, y_length=2.5, f=lambda x: x**2,
    ...               axis_config={"include_ticks": False})
    >>> graph.on_curve(1.0).round(6).tolist()
    [1.0, -0.25, 0.0]
    >>> graph.point([1, 2], [0, 4]).round(6).tolist()
    [[1.0, -0.75, 0.0], [2.0, 1.25, 0.0]]
    >>> graph.coords(graph.point(0.5, 3.0)).round(6).tolist()
    [0.5, 3.0]
    >>> graph.vector(1, 1).round(6).tolist(), graph.direction(0.0).round(6).tolist()
    ([1.0, 0.5, 0.0], [1.0, 0.0, 0.0])
    """

    def __init__(
        self,
        x_range: Sequence[float],
        y_range: Sequence[float],
        *,
        x_length: float,
        y_length: float,
        centre: Sequence[float] = (0.0, 0.0),
        f: Callable | None = None,
        x_step: float | None = None,
        y_step: float | None = None,
        axis_config: Mapping[str, Any] | None = None,
        x_axis_config: Mapping[str, Any] | None = None,
        y_axis_config: Mapping[str, Any] | None = None,
    ):
        self.x_range: Range = (float(x_range[0]), float(x_range[1]))
        self.y_range: Range = (float(y_range[0]), float(y_range[1]))
        self.f = f
        self.axes = Axes(
            x_range=[*self.x_range, x_step or tick_step(self.x_range)],
            y_range=[*self.y_range, y_step or tick_step(self.y_range)],
            x_length=x_length,
            y_length=y_length,
            tips=False,
            axis_config=dict(axis_config or {}),
            x_axis_config=dict(x_axis_config or {}),
            y_axis_config=dict(y_axis_config or {}),
        ).move_to([*np.asarray(centre, dtype=float)[:2], 0.0])

    # --- conversions -----------------------------------------------------------
    def point(self, x: Any, y: Any) -> np.ndarray:
        """Screen point(s) of chart point(s) ``(x, y)``; ``x`` and ``y`` broadcast, shape ``(...)`` → ``(..., 3)``.

        Both axes are linear, so Manim's ``c2p`` is affine: it is asked for three points (the
        origin and one step along each axis) and the rest follows, a hundred times faster for a
        traced curve of hundreds of points than mapping each through the axes' number lines.
        """
        x, y = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
        if x.size <= 3 or not all(isinstance(a.scaling, LinearBase) for a in (self.axes.x_axis, self.axes.y_axis)):
            flat = np.asarray(self.axes.c2p(x.ravel(), y.ravel()), dtype=float).reshape(3, -1).T
            return flat.reshape(*x.shape, 3)
        origin, one_x, one_y = np.asarray(self.axes.c2p([0.0, 1.0, 0.0], [0.0, 0.0, 1.0]), dtype=float).T
        return origin + x[..., None] * (one_x - origin) + y[..., None] * (one_y - origin)

    def points(self, xs: Any, ys: Any) -> np.ndarray:
        """Screen points of the chart points ``(xs[i], ys[i])``, shape ``(n, 3)`` (a polyline's corners)."""
        return self.point(np.atleast_1d(xs), np.atleast_1d(ys))

    def on_curve(self, x: Any) -> np.ndarray:
        """Screen point(s) of ``(x, f(x))``, shape ``(...)`` → ``(..., 3)``."""
        x = np.asarray(x, dtype=float)
        return self.point(x, self._f()(x))

    def coords(self, screen: Any) -> np.ndarray:
        """Chart point(s) ``(x, y)`` of screen point(s): the inverse of :meth:`point`, ``(..., 3)`` → ``(..., 2)``."""
        screen = np.asarray(screen, dtype=float)
        flat = np.asarray(self.axes.p2c(screen.reshape(-1, 3)), dtype=float)  # (n, 3) → (n, 2)
        return flat.reshape(*screen.shape[:-1], 2)

    def vector(self, dx: Any, dy: Any) -> np.ndarray:
        """Screen vector(s) of the chart step(s) ``(dx, dy)``, shape ``(...)`` → ``(..., 3)``."""
        return self.point(dx, dy) - self.point(0.0, 0.0)

    def direction(self, slope: Any) -> np.ndarray:
        """Unit screen direction(s) of a line of ``slope`` (dy/dx in chart units), pointing towards +x."""
        d = self.vector(1.0, slope)
        return d / np.linalg.norm(d, axis=-1, keepdims=True)

    # --- what is drawn -----------------------------------------------------------
    def plot(
        self, f: Callable | None = None, *, x_range: Sequence[float] | None = None, samples: int = 200, **style: Any
    ) -> ParametricFunction:
        """The curve y = f(x) (default: the graph's ``f``) over ``x_range`` (default: the whole x range).

        ``samples`` is the number of intervals Manim samples the curve at; ``style`` goes to
        :meth:`~manim.Axes.plot` (``color``, ``stroke_width``…).
        """
        lo, hi = self.x_range if x_range is None else x_range
        return self.axes.plot(f or self._f(), x_range=[lo, hi, (hi - lo) / samples], **style)

    def slope_line(self, x: float, slope: float, length: float, *, y: float | None = None, **style: Any) -> Line:
        """A segment ``length`` long on screen, of the given slope, centred on ``(x, y)`` (default ``y = f(x)``).

        ``style`` goes to :class:`~manim.Line` (``color``, ``stroke_width``…).
        """
        centre = self.on_curve(x) if y is None else self.point(x, y)
        half = self.direction(slope) * length / 2
        return Line(centre - half, centre + half, **style)

    def slope_segment(self, x: float, slope: float, length: float, **style: Any) -> Line:
        """:meth:`slope_line` through ``(x, f(x))``, cut where it leaves the chart (the point stays on it)."""
        line = self.slope_line(x, slope, length, **style)
        centre, ends = self.coords(self.on_curve(x)), self.coords(np.array(line.get_start_and_end()))
        box = (self.x_range, self.y_range)
        start, end = (gradcore.clip_to_box(np.array([centre, e]), box)[0][-1] for e in ends)
        return line.put_start_and_end_on(*self.points([start[0], end[0]], [start[1], end[1]]))

    def tick_numbers(self, make: Callable[[float], Mobject], buff: float = 0.1) -> VGroup:
        """``make(v)`` for every tick of both axes but 0: under the chart's bottom edge, left of the y-axis.

        Ticks within a third of a step of an end are left out (an axis name may sit there).
        """
        numbers = VGroup()
        for axis, (lo, hi), side in ((self.axes.x_axis, self.x_range, DOWN), (self.axes.y_axis, self.y_range, LEFT)):
            step = axis.x_range[2]
            for v in np.arange(np.ceil(lo / step), np.floor(hi / step) + 1) * step:
                if abs(v) > step / 3 and min(v - lo, hi - v) > step / 3:
                    at = self.point(v, self.y_range[0]) if side is DOWN else self.axes.y_axis.number_to_point(v)
                    gap = buff if side is DOWN else buff + 0.1  # clear of the y-axis' tick marks
                    numbers.add(make(round(float(v), 10)).next_to(at, side, buff=gap))
        return numbers

    @staticmethod
    def column_style(layout: Mapping[str, Any], colour: str, x_ticks: bool = False) -> dict[str, Any]:
        """Keyword arguments for a small chart: ``layout`` (size, centre), axes in ``colour``, no y ticks."""
        axis, ticks = {"color": colour, "stroke_width": 2.0}, {"include_ticks": x_ticks}
        return {**layout, "axis_config": axis, "x_axis_config": ticks, "y_axis_config": {"include_ticks": False}}

    def hline(self, y: float, **style: Any) -> DashedLine:
        """A dashed line across the whole chart at height ``y``; ``style`` goes to :class:`~manim.DashedLine`."""
        return DashedLine(self.point(self.x_range[0], y), self.point(self.x_range[1], y), **style)

    def trace(self, curve: VMobject, xs: Any, ys: Any) -> np.ndarray:
        """Make ``curve`` the polyline through the chart points ``(xs[i], ys[i])``; returns their screen points.

        A single point is doubled, so the curve always has points.
        """
        points = self.points(xs, ys)
        curve.set_points_as_corners(points if len(points) > 1 else np.vstack([points, points]))
        return points

    def axis_names(self, x_name: Mobject, y_name: Mobject, *, buff: tuple[float, float] = (0.12, 0.1)) -> VGroup:
        """The axes' names: ``x_name`` above the end of the x-axis, ``y_name`` above the top of the y-axis."""
        x_name.next_to(self.axes.x_axis.get_end(), UP + LEFT, buff[0])
        y_name.next_to(self.axes.y_axis.get_end(), UP, buff[1])
        return VGroup(x_name, y_name)

    def x_labels(self, values: Sequence[float], make: Callable[[float], Mobject], buff: float = 0.12) -> VGroup:
        """``make(x)`` for each of ``values``, placed under the chart's bottom edge at ``x``."""
        return VGroup(*(make(x).next_to(self.point(x, self.y_range[0]), DOWN, buff=buff) for x in values))

    def y_label(self, label: Mobject, y: float, buff: float = 0.12) -> Mobject:
        """Place ``label`` left of the chart's left edge at height ``y``; returns it."""
        return label.next_to(self.point(self.x_range[0], y), LEFT, buff=buff)

    def height_of(self, y: float) -> float:
        """Screen height (the frame's y) of the chart value ``y``."""
        return float(self.point(self.x_range[0], y)[1])

    # --- label placement ---------------------------------------------------------
    def curve_points(self, samples: int = 401) -> np.ndarray:
        """Screen points of ``(x, f(x))`` at ``samples`` evenly spaced x over the x range, shape ``(samples, 3)``."""
        return self.on_curve(np.linspace(*self.x_range, samples))

    def axis_points(self, samples: int = 51) -> np.ndarray:
        """Screen points of the x-axis (y = 0) at ``samples`` evenly spaced x, shape ``(samples, 3)``."""
        return self.points(np.linspace(*self.x_range, samples), 0.0)

    @property
    def screen_box(self) -> tuple[float, float, float, float]:
        """``(left, right, bottom, top)`` of the axes on screen (ticks included)."""
        return (
            float(self.axes.get_left()[0]),
            float(self.axes.get_right()[0]),
            float(self.axes.get_bottom()[1]),
            float(self.axes.get_top()[1]),
        )

    def place_label(
        self, label: Mobject, anchor: Any, *, avoid: Any = None, buff: float = 0.15, hard: Any = None
    ) -> Mobject:
        """Put ``label`` beside the screen point ``anchor``, off the curve and the x-axis, inside the axes.

        ``avoid`` replaces the default screen points to keep clear of (the curve's and the
        x-axis' samples; the x-axis alone when the graph has no ``f``); ``hard`` points (other labels)
        are kept clear of first. Returns ``label``, moved.
        """
        if avoid is None:
            avoid = self.axis_points() if self.f is None else np.vstack([self.curve_points(), self.axis_points()])
        return place_label(label, anchor, avoid, buff=buff, inside=self.screen_box, hard=hard)

    def _f(self) -> Callable:
        if self.f is None:
            raise ValueError("this Graph has no function: pass f= to Graph(...) or a function to this method")
        return self.f


# --- angles round a screen point ------------------------------------------------
def angle_arc(centre: Any, start: float, sweep: float, radius: float, **style: Any) -> Arc:
    """The arc at screen point ``centre`` from ``start`` degrees (from +x) anticlockwise through ``sweep`` degrees.

    A sweep under 0.01° is drawn as 0.01° (an arc needs some length); ``style`` goes to :class:`~manim.Arc`.
    """
    return Arc(radius=radius, start_angle=start * DEGREES, angle=max(sweep, 0.01) * DEGREES, arc_center=centre, **style)


def sign_arcs(
    centre: Any,
    radius: float,
    angles: np.ndarray,
    positive: np.ndarray,
    upto: float,
    colours: tuple[str, str],
    width: float = 6.0,
) -> VGroup:
    """A polar chart of a sign: arcs round ``centre`` from ``angles[0]`` to ``upto`` degrees, one per run of equal sign.

    ``positive[i]`` is the sign at ``angles[i]`` (increasing, in degrees); an arc is
    drawn in ``colours[0]`` where it holds, else in ``colours[1]``.

    Examples
    --------
    >>> angles = np.linspace(0, 360, 9)
    >>> len(sign_arcs([0, 0, 0], 1.0, angles, np.cos(np.radians(angles)) > 0, 360, ("#FF0000", "#0000FF")))
    3
    """
    group = VGroup()
    k = int(np.searchsorted(angles, upto, side="right"))
    if k < 2:
        return group
    change = np.flatnonzero(positive[1:k] != positive[: k - 1]) + 1
    starts = np.concatenate([[0], change])
    ends = np.concatenate([change, [k - 1]])
    for a, b in zip(starts, ends, strict=True):
        start, stop = angles[a], (min(angles[b], upto) if b == k - 1 else angles[b])
        if stop - start > 0.05:
            colour = colours[0] if positive[a] else colours[1]
            group.add(angle_arc(centre, start, stop - start, radius, color=colour, stroke_width=width))
    return group


def sign_legend(rows: Sequence[tuple[str, Mobject]], width: float = 6.0, buff: float = 0.22) -> VGroup:
    """The key of :func:`sign_arcs`: one row per ``(colour, words)``, a short arc of that colour before the words.

    Rows are stacked downwards, left-aligned; ``width`` is the swatches' stroke width.
    """

    def swatch(colour: str) -> Arc:
        return Arc(radius=0.35, start_angle=60 * DEGREES, angle=-120 * DEGREES, color=colour, stroke_width=width)

    legend = VGroup(*(VGroup(swatch(colour), words).arrange(RIGHT, buff=0.2) for colour, words in rows))
    return legend.arrange(DOWN, aligned_edge=LEFT, buff=buff)
