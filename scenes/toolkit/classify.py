"""Classification on screen: labelled samples in the plane, a linear model's boundary, and its loss map.

* :class:`PlanePanel` — samples ``xᵢ ∈ ℝ²`` with labels ``±1`` (circles and squares) on a
  map with equal scales (so the normal ``w`` looks perpendicular to its boundary), rings
  on the misclassified ones, and for any ``θ = (w₁, w₂, b)`` the boundary
  ``w·x + b = 0``, the side predicted +1 and ``w`` as the boundary's normal arrow;
  :meth:`PlanePanel.show` moves all three to another ``θ`` without rebuilding them.
* :func:`convex_bands` — a convex loss over a :class:`~scenes.toolkit.landscape.LandscapeView`'s
  map as nested filled polygons (kinks and flat parts exact).
* :func:`round_scale` — a round drawing scale (1, 2 or 5 × 10ᵏ) for arrows.

Every conversion between data or parameters and the screen goes through the views here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from manim import Arrow, Circle, Dot, Square, VGroup, VMobject, config

from gradcore.perceptron_training import boundary_in_box, positive_side, sublevel_polygon
from scenes.toolkit.fields import arrow
from scenes.toolkit.landscape import LandscapeView, ticks
from scenes.toolkit.layout import SAFE_MARGIN

__all__ = [
    "PlanePanel",
    "agreeing_decimals",
    "chunks",
    "convex_bands",
    "descent_field",
    "exact_decimals",
    "lowest_point",
    "plane_box",
    "plane_centre",
    "round_scale",
    "shown_decimals",
]

Box = tuple[tuple[float, float], tuple[float, float]]


def plane_box(points: np.ndarray, pad: float = 0.18) -> Box:
    """A square box around ``points`` (shape ``(k, 2)``), padded, with the origin in it when it is near.

    Examples
    --------
    >>> plane_box(np.array([[1.0, 1.0], [3.0, 2.0]]))
    ((-0.54, 3.54), (-1.04, 3.04))
    """
    lo, hi = points.min(axis=0), points.max(axis=0)
    span = max(float((hi - lo).max()), 1e-6)
    lo, hi = np.where((lo > 0) & (lo <= span), 0.0, lo), np.where((hi < 0) & (-hi <= span), 0.0, hi)
    span = float((hi - lo).max())
    if span < 1e-9:  # one point: a unit square around it
        span = 1.0
    mid = (lo + hi) / 2
    half = 0.5 * span * (1 + 2 * pad)
    return tuple((round(float(c - half), 6), round(float(c + half), 6)) for c in mid)  # type: ignore[return-value]


def round_scale(largest: float) -> float:
    """The largest of 1, 2, 5 × 10ᵏ that is at most ``largest`` (a drawing scale a viewer reads at a glance).

    Examples
    --------
    >>> round_scale(3.7), round_scale(0.08), round_scale(50.0)
    (2.0, 0.05, 50.0)
    """
    exponent = np.floor(np.log10(largest))
    return float(max(s * 10**exponent for s in (1, 2, 5) if s * 10**exponent <= largest * (1 + 1e-9)))


def exact_decimals(values: Sequence[float], most: int = 3) -> int:
    """The fewest decimals (0 to ``most``) that show every value exactly; ``most`` if none does.

    Examples
    --------
    >>> exact_decimals([0.0, -4.0]), exact_decimals([0.1, 0.4]), exact_decimals([1 / 3])
    (0, 1, 3)
    """
    for d in range(most + 1):
        if all(abs(v - round(float(v), d)) < 1e-9 for v in values):
            return d
    return most


def shown_decimals(values: Sequence[float], most: int = 3, cap: int = 6) -> int:
    """:func:`exact_decimals` with room for small numbers: up to ``most`` decimals, more (at most ``cap``)
    when the smallest non-zero value needs them for 2 significant digits, so no small value shows as 0,
    and one more when that shows every value exactly.

    Examples
    --------
    >>> shown_decimals([0.1, 0.4]), shown_decimals([1 / 3]), shown_decimals([0.0005, 0.0]), shown_decimals([0.00123])
    (1, 3, 4, 5)
    >>> shown_decimals([-1.5625])  # exact at 4 decimals: no rounding of a tie
    4
    """
    small = [abs(float(v)) for v in values if abs(float(v)) > 1e-12]
    need = int(np.clip(1 - np.floor(np.log10(min(small))), most, cap)) if small else most
    d = exact_decimals(values, most=need + 1)  # one decimal more when that shows them exactly (−1.5625, no tie)
    return d if all(abs(v - round(float(v), d)) < 1e-9 for v in values) else need


def agreeing_decimals(terms: Sequence[float], total: float, least: int) -> int:
    """The fewest decimals from ``least`` at which the rounded terms add up to the rounded total.

    Examples
    --------
    >>> agreeing_decimals([0.333, 0.333, 0.334], 1.0, 2)  # 0.33 + 0.33 + 0.33 ≠ 1.00
    3
    """
    for d in range(least, 7):
        if abs(sum(round(float(t), d) for t in terms) - round(total, d)) < 0.5 * 10**-d:
            return d
    return 6


def chunks(steps: int, plays: int) -> list[tuple[int, int]]:
    """``(from, to)`` step ranges covering ``0 … steps`` in at most ``plays`` pieces of near-equal length.

    Examples
    --------
    >>> chunks(3, 12), chunks(10, 4)
    ([(0, 1), (1, 2), (2, 3)], [(0, 2), (2, 5), (5, 8), (8, 10)])
    """
    ends = np.unique(np.round(np.linspace(0, steps, min(steps, plays) + 1)).astype(int))
    return list(zip(ends[:-1].tolist(), ends[1:].tolist(), strict=True))


def plane_centre(box: Box, make: Callable, fmt: Callable, centre: tuple[float, float], size: float, buff: float = 0.12):
    """``centre`` moved right just enough that the numbers left of a map on ``box`` stay in the safe area.

    ``make(text)`` builds a tick number as the map will (``buff`` from the map's left edge), ``fmt`` writes one.
    """
    (x0, x1), (y0, y1) = box
    widest = max(make(fmt(v)).width for v in ticks((y0, y1)))
    left = centre[0] - 0.5 * size * (x1 - x0) / max(x1 - x0, y1 - y0)  # the map's left edge
    over = (-config.frame_width / 2 + SAFE_MARGIN + 0.02) - (left - buff - widest)
    return (centre[0] + max(0.0, over), centre[1])


def lowest_point(view: LandscapeView, f: Callable) -> np.ndarray:
    """A point inside every level set of a convex ``f`` on the map: the middle of its lowest grid points."""
    (lo, hi), _ = view.box
    grid = np.stack(np.meshgrid(np.linspace(lo, hi, 81), np.linspace(lo, hi, 81)), axis=-1).reshape(-1, 2)
    values = f(grid[:, 0], grid[:, 1])
    return grid[values <= values.min() + 1e-12 * max(1.0, float(values.max()))].mean(axis=0)


class PlanePanel:
    """Labelled samples in the plane, and the boundary, side and normal of any ``θ = (w₁, w₂, b)``.

    Parameters
    ----------
    X, y
        Samples, shape ``(m, 2)``, and labels ``±1``, shape ``(m,)``.
    box
        ``((x0, x1), (y0, y1))`` of the plane shown (see :func:`plane_box`).
    centre, size
        Screen centre and length of the longer side.
    colours
        ``(plus, minus, wrong)``: the colours of the +1 samples, the −1 samples and the rings.
    palette
        The lecture's palette (outline, background).
    """

    def __init__(self, X: Any, y: Any, box: Box, *, centre, size: float, colours, palette) -> None:
        self.X, self.y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
        self.view = LandscapeView(lambda a, b: 0.0 * a, box, centre=centre, size=size, samples=2)
        self.plus, self.minus, self.wrong_colour = colours
        self.pal = palette

    @property
    def box(self) -> Box:
        return self.view.box

    def mark(self, x: Any, label: float, radius: float = 0.11) -> VMobject:
        """One sample: a circle for +1, a square for −1, outlined."""
        centre = self.view.point(x)
        if label > 0:
            shape = Circle(radius=radius, fill_color=self.plus, fill_opacity=1.0)
        else:
            shape = Square(side_length=1.7 * radius, fill_color=self.minus, fill_opacity=1.0)
        return shape.set_stroke(self.pal.outline, width=1.5).move_to(centre)

    def samples(self, X: Any = None, y: Any = None) -> VGroup:
        """Marks of the panel's samples (or of other samples ``X``, ``y`` drawn on the same plane)."""
        X, y = (self.X, self.y) if X is None else (np.asarray(X, dtype=float), np.asarray(y, dtype=float))
        return VGroup(*(self.mark(x, label) for x, label in zip(X, y, strict=True)))

    def rings(self, X: Any = None, radius: float = 0.22) -> VGroup:
        """A ring round every sample, hidden until :meth:`show_wrong` shows the misclassified ones."""
        X = self.X if X is None else np.asarray(X, dtype=float)
        rings = VGroup(*(Circle(radius=radius).move_to(self.view.point(x)) for x in X))
        rings.set_stroke(self.wrong_colour, width=4, opacity=0.0).set_fill(opacity=0.0)
        return rings

    @staticmethod
    def show_wrong(rings: VGroup, wrong: Sequence[bool]) -> None:
        """Show the rings of the samples flagged in ``wrong``, hide the others."""
        for ring, flag in zip(rings, wrong, strict=True):
            ring.set_stroke(opacity=1.0 if flag else 0.0)

    def model(self, theta: Any, *, line: str, side: str, normal: str, scale: float) -> VGroup:
        """``VGroup(side, boundary, normal)`` for ``θ``: the +1 side shaded, the line, ``w`` drawn at ``scale`` × w."""
        shade = VMobject(stroke_width=0, fill_color=side, fill_opacity=0.24)
        boundary = VMobject(stroke_color=line, stroke_width=5)
        group = VGroup(shade, boundary, arrow(np.zeros(3), np.array([1.0, 0, 0]), normal, 6))
        group.scale_factor, group.normal_colour = scale, normal
        self.show(group, theta)
        return group

    def show(self, group: VGroup, theta: Any) -> None:
        """Move a :meth:`model` group to ``θ`` (hidden where ``w = 0`` or the line misses the plane)."""
        shade, boundary, normal = group
        theta = np.asarray(theta, dtype=float)
        ends, corners = boundary_in_box(theta, self.box), positive_side(theta, self.box)
        if len(corners) >= 3 and ends is not None:
            shade.set_points_as_corners(self.view.point(np.vstack([corners, corners[:1]]))).set_fill(opacity=0.24)
        else:
            shade.set_points_as_corners(self.view.point(np.zeros((2, 2)))).set_fill(opacity=0.0)
        if ends is None:
            boundary.set_points_as_corners(self.view.point(np.zeros((2, 2)))).set_stroke(opacity=0.0)
            normal.set_opacity(0.0)
            return
        boundary.set_points_as_corners(self.view.point(ends)).set_stroke(opacity=1.0)
        tail = self.foot(theta)
        tip = tail + group.scale_factor * theta[:2]
        normal.become(arrow(self.view.point(tail), self.view.point(tip), group.normal_colour, 6))

    def foot(self, theta: Any) -> np.ndarray:
        """The boundary's point nearest the middle of the plane: where the normal arrow starts."""
        w, b = np.asarray(theta[:2], dtype=float), float(theta[2])
        mid = self.view.mid
        return mid - (w @ mid + b) / (w @ w) * w  # project the middle onto w·x + b = 0

    def arrow(self, start: Any, end: Any, colour: str, width: float = 6) -> Arrow:
        """A straight arrow between plane points."""
        return arrow(self.view.point(start), self.view.point(end), colour, width)


def convex_bands(
    view: LandscapeView, f: Callable, levels: Sequence[float], colours: Sequence[str], outline: str, inner: Any
) -> VGroup:
    """A convex landscape's map as filled bands: below ``levels[0]`` the first colour, and so on.

    ``colours`` has ``len(levels) + 1`` entries (low → high). The map is filled with the
    last colour; each region ``f ≤ level`` (one convex polygon, see
    :func:`gradcore.perceptron_training.sublevel_polygon`, grown from ``inner``) is laid
    over it from the highest level down, its edge drawn thin in ``outline``. Kinks and
    flat parts stay exact (no smoothing). Returns ``VGroup(fills, edges)``.
    """
    (x0, x1), (y0, y1) = view.box
    corners = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])
    fills, edges = VGroup(_polygon(view, corners, colours[-1])), VGroup()
    for level, colour in sorted(zip(levels, colours[:-1], strict=True), reverse=True):
        region = sublevel_polygon(f, view.box, level, inner)
        if np.ptp(region, axis=0).min() < 1e-9 * view.span:
            continue  # empty or a sliver
        fills.add(_polygon(view, region, colour))
        edges.add(VMobject(stroke_color=outline, stroke_width=1.2).set_points_as_corners(
            view.point(np.vstack([region, region[:1]]))))  # fmt: skip
    return VGroup(fills, edges)


def _polygon(view: LandscapeView, points: np.ndarray, colour: str) -> VMobject:
    corners = view.point(np.vstack([points, points[:1]]))
    return VMobject(fill_color=colour, fill_opacity=1.0, stroke_color=colour, stroke_width=0.5).set_points_as_corners(
        corners
    )


def descent_field(
    view: LandscapeView, f: Callable, count: int, colour: str, flat_colours: tuple[str, str], outline: str
) -> tuple[VGroup, float]:
    """−∇f at a ``count`` × ``count`` grid of the map, as arrows at one round scale; a dot where ∇f = 0.

    ``f`` has a ``.gradient``. A dot takes ``flat_colours[0]`` where ``f = 0`` there (a perceptron
    loss: nothing misclassified) and ``flat_colours[1]`` where the map is flat above 0. Returns the
    field and its scale (arrows are ``scale × (−∇f)`` long, the longest at most 85 % of the grid's spacing).
    """
    (x0, x1), (y0, y1) = view.box
    xs, ys = (lo + (np.arange(count) + 0.5) * (hi - lo) / count for lo, hi in ((x0, x1), (y0, y1)))
    grid = np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)
    down = -np.asarray(f.gradient(grid), dtype=float)
    values = np.asarray(f(grid[:, 0], grid[:, 1]), dtype=float)
    longest = float(np.linalg.norm(down, axis=1).max())
    spacing = min(x1 - x0, y1 - y0) / count
    scale = round_scale(0.85 * spacing / longest) if longest > 0 else 1.0
    field = VGroup()
    for point, d, value in zip(grid, down, values, strict=True):
        if np.linalg.norm(d) < 1e-12:
            dot = Dot(view.point(point), radius=0.035, color=flat_colours[0] if value <= 0 else flat_colours[1])
            field.add(dot.set_stroke(outline, width=1))
        else:
            field.add(arrow(view.point(point), view.point(point + scale * d), colour, 3.5))
    return field, scale
