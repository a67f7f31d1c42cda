"""Paths timed by samples processed, and loss against samples on a log scale (the StochasticDescent clip).

* :class:`Trace` — one :class:`gradcore.Path` on a :class:`~scenes.toolkit.landscape.LandscapeView`
  as a ball and a trail, placed by the number of samples processed ``c`` (the
  clock every path shares): after ``c`` samples a path of batch size ``B`` has made
  ``c / B`` updates (between two updates the ball moves straight);
* :class:`LogChart` — ``J`` against samples processed, ``log₁₀ J`` up the chart,
  with tick numbers at powers of ten;
* :func:`dots` and :func:`spokes` — many dots (or segments from one tail) as *one*
  mobject, and :func:`morph` to move them (a hundred Dots cost a hundred deep copies
  in every animation; one mobject costs one array);
* :func:`appear` and :func:`vanish` — fades that scale each part's own opacities, with
  no copy of the family (Manim's FadeIn/FadeOut deep-copy it twice: most of a dry
  run's time for groups of formulas).

Every conversion from parameters, samples and losses to the screen is here.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from typing import Any

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Circle, DashedLine, Dot, Line, UpdateFromAlphaFunc, VGroup, VMobject

from gradcore.regression import parameter_box
from scenes.toolkit.graph import Graph
from scenes.toolkit.landscape import LandscapeView
from scenes.toolkit.plotting import tick_step
from scenes.toolkit.regression import tick_text

__all__ = [
    "LogChart",
    "Trace",
    "along",
    "appear",
    "dots",
    "morph",
    "sparse_ticks",
    "spokes",
    "vanish",
    "zoom_box",
    "zoom_mark",
]

LEVEL_UNDER = 11.0  # stroke width of the background band under the dashed 99 % level
TICK_GAP = 0.2  # the least room between two tick numbers along the loss chart's bottom
_UNIT_CIRCLE = Circle(radius=1.0).points.copy()  # the Bézier points of a unit circle about the origin


def dots(centres: Any, radius: float, colour: str) -> VMobject:
    """One filled mobject holding a disc of ``radius`` at each of the screen points ``centres``."""
    centres = np.asarray(centres, dtype=float).reshape(-1, 3)
    points = (centres[:, None, :] + radius * _UNIT_CIRCLE[None]).reshape(-1, 3)
    return VMobject(fill_color=colour, fill_opacity=1.0, stroke_width=0).set_points(points)


def spokes(tail: Any, tips: Any, colour: str, width: float = 1.5, opacity: float = 0.8) -> VMobject:
    """One stroked mobject holding a straight segment from ``tail`` to each of the screen points ``tips``."""
    tips = np.asarray(tips, dtype=float).reshape(-1, 3)
    tail = np.broadcast_to(np.asarray(tail, dtype=float), tips.shape)
    thirds = np.array([0.0, 1 / 3, 2 / 3, 1.0])[None, :, None]
    points = (tail[:, None, :] + thirds * (tips - tail)[:, None, :]).reshape(-1, 3)  # one cubic per segment
    return VMobject(stroke_color=colour, stroke_width=width, stroke_opacity=opacity).set_points(points)


def _fader(mobject: Any, rising: bool, **kwargs: Any) -> UpdateFromAlphaFunc:
    parts = [m for m in mobject.get_family() if m.has_points() or isinstance(m, VMobject)]
    saved = [(m, *(getattr(m, name).copy() for name in _RGBAS)) for m in parts if isinstance(m, VMobject)]

    def fade(_: Any, alpha: float) -> None:
        share = alpha if rising else 1.0 - alpha
        for part, *arrays in saved:
            for name, array in zip(_RGBAS, arrays, strict=True):
                rgbas = getattr(part, name)
                if rgbas.shape == array.shape:
                    rgbas[:, 3] = array[:, 3] * share

    return UpdateFromAlphaFunc(mobject, fade, **kwargs)


_RGBAS = ("fill_rgbas", "stroke_rgbas", "background_stroke_rgbas")


def appear(*mobjects: Any, **kwargs: Any) -> list[UpdateFromAlphaFunc]:
    """Fade ``mobjects`` in from nothing to their own opacities (added to the scene by the play)."""
    return [_fader(m, True, introducer=True, **kwargs) for m in mobjects]


def vanish(*mobjects: Any, **kwargs: Any) -> list[UpdateFromAlphaFunc]:
    """Fade ``mobjects`` out and remove them from the scene."""
    return [_fader(m, False, remover=True, **kwargs) for m in mobjects]


def morph(mobject: VMobject, target: VMobject, **kwargs: Any) -> UpdateFromAlphaFunc:
    """Move ``mobject``'s points straight to ``target``'s (same count): cheap, no copies of the family."""
    start, end = mobject.points.copy(), target.points.copy()
    return UpdateFromAlphaFunc(mobject, lambda m, a: m.set_points(start + a * (end - start)), **kwargs)


class Trace:
    """A path's ball and trail on a map, placed by the samples processed ``c``.

    Parameters
    ----------
    view
        The map.
    points
        The path's points, shape ``(k + 1, 2)``.
    samples
        Samples processed at each point, shape ``(k + 1,)``, increasing.
    """

    def __init__(
        self, view: LandscapeView, points: Any, samples: Any, colour: str, outline: str, *, radius=0.08, width=2.5
    ):
        self.view, self.points = view, np.asarray(points, dtype=float)
        self.samples = np.asarray(samples, dtype=float)
        self.screen = view.point(self.points)
        self.ball = Dot(self.screen[0], radius=radius, color=colour).set_stroke(outline, width=2)
        self.line = VMobject(stroke_color=colour, stroke_width=width, stroke_opacity=0.95)
        self.show(0.0)

    def at(self, c: float) -> np.ndarray:
        """The map point after ``c`` samples: straight between the updates, held after the last."""
        return np.array([np.interp(c, self.samples, self.points[:, i]) for i in range(2)])

    def steps(self, c: float) -> int:
        """Updates made after ``c`` samples."""
        return int(np.searchsorted(self.samples, c + 1e-9, side="right") - 1)

    def show(self, c: float) -> None:
        """Ball and trail as they are after ``c`` samples."""
        k, here = self.steps(c), self.view.point(self.at(c))
        self.line.set_points_as_corners([*self.screen[: k + 1], here])
        self.ball.move_to(here)

    def followers(self) -> list:
        """``(mobject, follow(mobject, c))`` pairs for :func:`~scenes.toolkit.rollout.roll`."""
        return [(self.line, lambda _, c: self.show(c)), (self.ball, lambda _, c: self.show(c))]


class LogChart:
    """``J`` against samples processed, ``log₁₀ J`` up; a frame with tick numbers at the powers of ten.

    Parameters
    ----------
    most
        Samples at the right end of the chart.
    low, high
        Lowest and highest ``J`` shown (both > 0).
    """

    def __init__(self, most: float, low: float, high: float, *, centre, size, palette) -> None:
        self.low_exp, self.high_exp = int(np.floor(np.log10(low))), int(np.ceil(np.log10(high)))
        if self.high_exp == self.low_exp:
            self.high_exp += 1
        self.most = float(most)
        y_range = (self.low_exp - 0.05, self.high_exp + 0.05)
        hidden = {"stroke_opacity": 0, "include_ticks": False, "include_numbers": False}
        self.graph = Graph((0.0, self.most), y_range, x_length=size[0], y_length=size[1], centre=centre,
                           axis_config=hidden)  # fmt: skip
        g = self.graph
        self.pal = palette
        self.frame = VMobject(stroke_color=palette.axes, stroke_width=2).set_points_as_corners(
            [g.point(0, y_range[1]), g.point(0, y_range[0]), g.point(self.most, y_range[0])]
        )

    def point(self, samples: Any, loss: Any) -> np.ndarray:
        """Screen point(s) of ``(samples, J)``."""
        floor = 10.0 ** (self.low_exp - 0.05)  # losses below the chart sit on its floor
        return self.graph.point(samples, np.log10(np.maximum(np.asarray(loss, dtype=float), floor)))

    def curve(self, samples: Any, losses: Any, colour: str, width: float = 3.0) -> VMobject:
        """The polyline of ``J`` against samples."""
        return VMobject(stroke_color=colour, stroke_width=width).set_points_as_corners(self.point(samples, losses))

    def level(self, loss: float, colour: str) -> VGroup:
        """A dashed line across the chart at ``J = loss``, on a band of the background (it reads over noisy curves)."""
        ends = self.point(0, loss), self.point(self.most, loss)
        under = Line(*ends, color=self.pal.background, stroke_width=LEVEL_UNDER, stroke_opacity=0.85)
        return VGroup(under, DashedLine(*ends, color=colour, stroke_width=3.5))

    def labels(self, make: Callable[[str], Any], names: tuple[Any, Any], right: float = np.inf) -> VGroup:
        """Tick numbers (samples along the bottom, none past screen x ``right``; powers of ten up the side), names."""
        g, low_y = self.graph, self.graph.y_range[0]
        exps = range(self.low_exp, self.high_exp + 1)
        marks = VGroup(*(Line(g.point(0, e), g.point(0, e) + 0.08 * RIGHT, color=self.pal.axes) for e in exps))
        numbers = VGroup(self.sample_ticks(make, right), *(g.y_label(make(_power(e)), float(e)) for e in exps))
        names[0].next_to(g.point(self.most / 2, low_y), DOWN, buff=0.12).shift(0.45 * DOWN)
        names[1].next_to(g.point(0, g.y_range[1]), UP, buff=0.1).align_to(self.frame, LEFT).shift(0.1 * RIGHT)
        return VGroup(self.frame, marks, numbers, VGroup(*names))

    def sample_ticks(self, make: Callable[[str], Any], right: float = np.inf) -> VGroup:
        """Round sample counts along the bottom: about 4, fewer when wide numbers (5000 10000) would touch.

        A number reaching within ``TICK_GAP`` of screen x ``right`` (where the neighbour's numbers begin) is left out.
        """
        for count in (4, 3, 2, 1):
            step = tick_step((0.0, self.most), count)
            xs = np.arange(0.0, self.most + 1e-9 * step, step)
            ticks = self.graph.x_labels([float(x) for x in xs], lambda v: make(tick_text(v, 0)))
            gaps = [b.get_left()[0] - a.get_right()[0] for a, b in pairwise(ticks)]
            if min(gaps, default=1.0) >= TICK_GAP:
                break
        return VGroup(ticks[0], *(t for t in ticks[1:] if t.get_right()[0] + TICK_GAP <= right))

    def edge(self) -> tuple[float, float]:
        """Screen x of the chart's left and right edges."""
        return float(self.graph.point(0, 0)[0]), float(self.graph.point(self.most, 0)[0])


def sparse_ticks(view: LandscapeView, make: Callable[[str], Any], names: tuple[Any, Any], count: int = 3) -> VGroup:
    """Tick numbers of a small map: about ``count`` round values a side (bottom and left), and the axis names.

    Names go above the left edge (``b``) and below the right end of the bottom edge (``w``).
    """
    (x0, x1), (y0, y1) = view.box
    labels = VGroup()
    steps = [tick_step(bounds, count) for bounds in view.box]
    decimals = max(max(0, -int(np.floor(np.log10(step)))) for step in steps)
    for axis, ((lo, hi), step) in enumerate(zip(view.box, steps, strict=True)):
        for value in np.arange(np.ceil(lo / step - 1e-9) * step, hi + 1e-9 * step, step):
            at, side = ([value, y0], DOWN) if axis == 0 else ([x0, value], LEFT)
            labels.add(make(tick_text(float(value), decimals)).next_to(view.point(at), side, 0.12))
    labels.add(names[0].next_to(view.point([x1, y0]), DOWN, 0.12).shift(0.5 * DOWN + 0.1 * LEFT))
    labels.add(names[1].next_to(view.point([x0, y1]), UP, 0.12))
    return labels


def _power(exponent: int) -> str:
    """A power of ten as a tick number: 0.01, 0.1, 1, 10, 100 (Typst maths 10^k beyond)."""
    if -2 <= exponent <= 3:
        return tick_text(10.0**exponent, max(0, -exponent))
    return f"10^({exponent})".replace("-", "−")


def zoom_box(last: list[np.ndarray], answer: np.ndarray, box, least: float):
    """The zoom's box: the last epochs and θ* (a side at least ``least``), never past the map's ``box``.

    Examples
    --------
    >>> zoom_box([np.array([[0.0, 0.0], [3.0, 3.0]])], np.array([1.0, 1.0]), ((-0.5, 2.0), (-0.5, 2.0)), 0.1)
    ((-0.4, 2.0), (-0.4, 2.0))
    """
    wide = parameter_box(np.vstack([*last, answer[None]]), max_aspect=1.0, least=least)
    return tuple((max(lo, low), min(hi, high)) for (lo, hi), (low, high) in zip(wide, box, strict=True))


def zoom_mark(view: LandscapeView, box, colour: str) -> VMobject:
    """The outline of ``box`` on ``view``'s map (where the zoom looks)."""
    (w0, w1), (b0, b1) = box
    corners = view.point([[w0, b0], [w1, b0], [w1, b1], [w0, b1], [w0, b0]])
    return VMobject(stroke_color=colour, stroke_width=2).set_points_as_corners(corners)


def along(points: np.ndarray, step: float) -> np.ndarray:
    """Screen points along a polyline, at most ``step`` apart (a label placer sees whole segments, not ends).

    Examples
    --------
    >>> along(np.array([[0.0, 0.0, 0.0], [1.0, 0.0, 0.0]]), 0.25)[:, 0].tolist()
    [0.0, 0.25, 0.5, 0.75, 1.0]
    """
    points = np.asarray(points, dtype=float).reshape(-1, 3)
    parts = [points[:1]]
    for a, b in pairwise(points):
        count = min(200, max(1, int(np.ceil(np.linalg.norm(b - a) / step))))
        parts.append(a + np.outer(np.arange(1, count + 1) / count, b - a))
    return np.vstack(parts)
