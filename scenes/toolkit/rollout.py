"""Balls rolling along gradcore paths, driven by one continuous step number ``s``.

A :class:`Rollout` draws one :class:`gradcore.Path` as a ball with a trail
(a dot where the ball has been, a line behind it), on a 3D surface or on a flat
map of a :class:`~scenes.toolkit.landscape.LandscapeView`. Its
:meth:`~Rollout.followers` say how each piece follows ``s``; :func:`roll`
advances a ``ValueTracker`` holding ``s`` while any number of such followers
(balls, a :class:`LossChart`, :func:`live_number` readouts) keep up with it.
:class:`TopView` is a small flat map with one rollout on it.

In a 3D scene, what follows ``s`` must be flat (not 3D-shaded), so the camera
paints it after the surface; readouts are pinned (fixed in frame).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from manim import (
    DOWN,
    LEFT,
    OUT,
    RIGHT,
    UP,
    Arrow,
    Axes,
    DashedLine,
    Dot,
    Mobject,
    Rectangle,
    ValueTracker,
    VGroup,
    VMobject,
)

import gradcore
from scenes.toolkit.colours import mix
from scenes.toolkit.fields import fixed as _fixed
from scenes.toolkit.fields import legible as _legible
from scenes.toolkit.landscape import LandscapeView
from scenes.toolkit.plotting import fit_width, fmt, tick_step
from scenes.toolkit.text import SIZE
from scenes.toolkit.theme import Palette

__all__ = [
    "Ball",
    "Follower",
    "LossChart",
    "Rollout",
    "TopView",
    "ahead_of",
    "disc",
    "live_number",
    "roll",
    "roll_time",
    "spread",
]

Follower = tuple[Mobject, Callable[[Any, float], None]]
"""A mobject and how it follows the step number: ``follow(mobject, s)``."""


class Ball(Dot):
    """The ball of a :class:`Rollout` (a flat disc with an outline)."""


def disc(centre: Any, radius: float, colour: str, outline: str, width: float = 1.5) -> Dot:
    """A flat round marker with an outline (a trail dot, a minimum, a start)."""
    return Dot(centre, radius=radius, color=colour).set_stroke(outline, width=width)


def roll_time(steps: int, per_step: float = 0.22, shortest: float = 1.5, longest: float = 9.0) -> float:
    """Seconds for ``steps`` steps at ``per_step`` each, kept between ``shortest`` and ``longest``.

    Examples
    --------
    >>> roll_time(3), roll_time(20), roll_time(100)
    (1.5, 4.4, 9.0)
    """
    return float(np.clip(per_step * steps, shortest, longest))


class Rollout:
    """One gradcore path drawn as a ball with a trail, driven by a continuous step number ``s``.

    ``visible`` holds the path's points up to where it first leaves the map
    (:func:`gradcore.clip_to_box`); the last of them is then the crossing of the
    map's edge and ``exit_step`` the first step outside (else None). Between
    steps the ball moves straight in (x, y), resting on the ground; after
    leaving the map it is hidden. Build one with :meth:`on_surface` or :meth:`on_map`.

    Parameters
    ----------
    ground
        Scene point(s) of the ground under map point(s) ``(..., 2)`` → ``(..., 3)``.
    lift
        How far above the ground the ball's centre sits (along OUT).
    samples
        Points per step of the trail line (more where it must hug a surface).
    """

    def __init__(
        self,
        path: gradcore.Path,
        colour: str,
        view: LandscapeView,
        ground: Callable,
        outline: str,
        *,
        ball_radius: float,
        dot_radius: float,
        lift: float = 0.0,
        samples: int = 1,
    ):
        self.path, self.colour, self.ground, self.lift, self.samples = path, colour, ground, lift, samples
        self.f = view.f
        self.visible, self.exit_step = gradcore.clip_to_box(path.points, view.box)
        x, y = self.visible[:, 0], self.visible[:, 1]
        self.visible_values = np.broadcast_to(np.asarray(self.f(x, y), dtype=float), x.shape).copy()
        self.ball = Ball(self.ball_at(0), radius=ball_radius, color=colour).set_stroke(outline, width=2.5)
        self.dots = VGroup(*(disc(point, dot_radius, colour, outline, width=1) for point in ground(self.visible[:-1])))
        self.dots.set_opacity(0)
        self.dense = ground(np.array([self.xy(k / samples) for k in range(self.last * samples + 1)]))
        self.line = VMobject(stroke_color=colour, stroke_width=3, stroke_opacity=0.9)
        self.line.set_points_as_corners([self.dense[0], self.dense[0]])
        self.arrows: list[Arrow] = []

    @classmethod
    def on_surface(
        cls,
        view: LandscapeView,
        path: gradcore.Path,
        colour: str,
        outline: str,
        *,
        ball_radius: float,
        dot_radius: float = 0.04,
        samples: int = 8,
    ) -> Rollout:
        """A ball resting on the 3D surface (its centre ``ball_radius`` above it); the trail hugs the surface."""
        return cls(
            path,
            colour,
            view,
            view.world,
            outline,
            ball_radius=ball_radius,
            dot_radius=dot_radius,
            lift=ball_radius,
            samples=samples,
        )

    @classmethod
    def on_map(
        cls,
        view: LandscapeView,
        path: gradcore.Path,
        colour: str,
        outline: str,
        *,
        ball_radius: float,
        dot_radius: float,
    ) -> Rollout:
        """A ball on the flat map."""
        return cls(path, colour, view, view.point, outline, ball_radius=ball_radius, dot_radius=dot_radius)

    @property
    def last(self) -> int:
        """Index of the last visible point: the number of steps drawn."""
        return len(self.visible) - 1

    @property
    def mobjects(self) -> tuple[Mobject, Mobject, Mobject]:
        """Ball, trail dots and trail line."""
        return self.ball, self.dots, self.line

    def xy(self, s: float) -> np.ndarray:
        """Input point at step number ``s``: straight between steps, held at the end."""
        if self.last == 0:
            return self.visible[0]
        s = min(max(s, 0.0), float(self.last))
        k = min(int(np.floor(s)), self.last - 1)
        return self.visible[k] + (s - k) * (self.visible[k + 1] - self.visible[k])

    def ball_at(self, s: float) -> np.ndarray:
        """Scene point of the ball's centre at step number ``s``."""
        return self.ground(self.xy(s)) + self.lift * OUT

    def value_at(self, s: float) -> float:
        """f under the ball at step number ``s`` (between steps: on the straight line between them)."""
        return float(self.f(*self.xy(s)))

    def step_value(self, s: float) -> float:
        """f at the last step the ball has reached by step number ``s``: what a readout of the run shows.

        Between steps the ball glides on a straight line, which gradient descent
        never visits; the loss of the run changes only when a step lands.
        """
        return float(self.visible_values[min(int(np.floor(s + 1e-9)), self.last)])

    def followers(self) -> list[Follower]:
        """How the ball, trail dots and trail line follow the step number."""

        def place_ball(mob: Mobject, s: float) -> None:
            mob.move_to(self.ball_at(s))
            if self.exit_step is not None:
                mob.set_opacity(0.0 if s >= self.last - 1e-9 else 1.0)

        def show_dots(mob: VGroup, s: float) -> None:
            for index, dot in enumerate(mob):
                dot.set_opacity(1.0 if index < s - 1e-9 else 0.0)  # a dot stays where the ball has been

        def draw_line(mob: VMobject, s: float) -> None:
            s = min(s, float(self.last))
            n = int(np.floor(s * self.samples + 1e-9))
            mob.set_points_as_corners([*self.dense[: n + 1], self.ground(self.xy(s))])

        return [(self.ball, place_ball), (self.dots, show_dots), (self.line, draw_line)]

    def make_arrows(self, screen: Callable[[np.ndarray], np.ndarray], colour: str) -> list[Arrow]:
        """One hidden arrow per step, from the ball at point k to the ball at point k + 1 as seen on screen.

        ``screen`` maps a scene point to where it appears (for a 3D scene, the
        still camera's projection); an arrow shorter than 0.06 is never shown.
        """
        self.arrows = []
        for k in range(self.last):
            start, end = screen(self.ball_at(k)), screen(self.ball_at(k + 1))
            arrow = Arrow(
                start,
                end,
                buff=0,
                color=colour,
                stroke_width=5,
                tip_length=0.15,
                max_tip_length_to_length_ratio=0.45,
                max_stroke_width_to_length_ratio=25,
            )
            arrow.visible_on_screen = bool(np.linalg.norm(end - start) > 0.06)
            self.arrows.append(arrow.set_opacity(0))
        return self.arrows

    def show_current_arrow(self, first: int) -> Callable[[VGroup, float], None]:
        """Follower for the group of arrows ``first, first + 1, ...``: only the current step's shows."""

        def show(group: VGroup, s: float) -> None:
            k = int(np.floor(s + 1e-9))
            for index, arrow in enumerate(group, start=first):
                arrow.set_opacity(1.0 if index == k and arrow.visible_on_screen else 0.0)

        return show


def roll(
    scene: Any,
    tracker: ValueTracker,
    to: float,
    run_time: float,
    live: Sequence[Follower],
    *extra: Any,
    rate_func: Callable | None = None,
) -> None:
    """Play the step number in ``tracker`` to ``to``; each ``(mobject, follow)`` in ``live`` follows it meanwhile.

    ``extra`` animations play alongside. The updaters live only during this
    play, so later waits are frozen frames; every follower lands exactly on ``to``.
    """
    for mob, follow in live:
        mob.add_updater(lambda m, follow=follow: follow(m, tracker.get_value()))
    kwargs = {"rate_func": rate_func} if rate_func is not None else {}
    scene.play(tracker.animate(**kwargs).set_value(to), *extra, run_time=run_time)
    for mob, follow in live:
        mob.clear_updaters()
        follow(mob, to)


def live_number(scene: Any, number: Mobject, value: Callable[[float], float]) -> Follower:
    """A DecimalNumber showing ``value(s)``, kept pinned in a 3D scene.

    ``set_value`` rebuilds the digits as new submobjects, which the 3D camera
    does not know are pinned (fixed in frame); each update pins them again. In
    a 2D scene there is nothing to pin.
    """
    fixed = getattr(scene.renderer.camera, "fixed_in_frame_mobjects", None)

    def follow(mob: Mobject, s: float) -> None:
        mob.set_value(value(s))
        if fixed is not None:
            fixed.update(mob.get_family())

    return number, follow


class LossChart(VGroup):
    """Loss against step number for one rollout, growing with its ball; a dashed line at ``best`` if given.

    Parts: ``VGroup(static parts, curve, head)``. The axes (small ticks, no
    numbers but the last step) sit at ``corner`` of the frame with ``buff``; the
    curve joins the loss at each whole step by straight lines (a line chart of
    the steps' values) and grows along the segment to the next step. ``decimals``
    is how the value at ``best`` reads (as every other value of f in the scene).
    """

    def __init__(
        self,
        scene: Any,
        rollout: Rollout,
        best: float | None,
        *,
        corner: np.ndarray = UP + RIGHT,
        buff: float = 0.45,
        width: float = 3.5,
        height: float = 1.9,
        decimals: int = 2,
    ):
        super().__init__()
        pal: Palette = scene.palette
        values = self.values = rollout.visible_values
        lo, hi = min([float(values.min())] + ([best] if best is not None else [])), float(values.max())
        pad = 0.08 * max(hi - lo, 1e-6)
        y_range = (lo - pad, hi + pad)
        last = max(rollout.last, 1)
        self.axes = axes = Axes(
            x_range=[0, last, tick_step((0, last))],
            y_range=[*y_range, tick_step(y_range)],
            x_length=width,
            y_length=height,
            tips=False,
            axis_config={"color": pal.axes, "stroke_width": 2, "include_numbers": False, "tick_size": 0.05},
        )
        axes.to_corner(corner, buff=buff)
        f_label = scene.math("f", size=SIZE.SMALL, color=pal.muted).next_to(axes.y_axis, UP, buff=0.08)
        end_tick = scene.math(str(last), size=SIZE.SMALL, color=pal.muted)
        end_tick.next_to(axes.c2p(last, y_range[0]), DOWN, buff=0.1)
        step_label = scene.text(scene.say("步数", "step"), size=SIZE.SMALL, color=pal.muted)
        parts = VGroup(axes, f_label, step_label.next_to(end_tick, LEFT, buff=0.25), end_tick)
        if best is not None:
            guide = DashedLine(axes.c2p(0, best), axes.c2p(last, best), color=pal.good, stroke_width=2)
            best_label = scene.math(_fixed(best, decimals), size=SIZE.SMALL, color=_legible(pal.good, pal.background))
            parts.add(guide, best_label.next_to(guide, LEFT, buff=0.08))
        self.curve = VMobject(stroke_color=pal.highlight, stroke_width=3)
        self.head = Dot(axes.c2p(0, values[0]), radius=0.05, color=pal.highlight)
        self.curve.set_points_as_corners(self.corners(0.0))
        self.add(parts, self.curve, self.head)

    def corners(self, s: float) -> list[np.ndarray]:
        """Screen points of the curve up to step number ``s`` (at least two)."""
        k = int(np.floor(s + 1e-9))
        points = [self.axes.c2p(j, self.values[j]) for j in range(k + 1)]
        if s > k + 1e-9 and k + 1 < len(self.values):  # along the chart's line to the next step's value
            points.append(self.axes.c2p(s, self.values[k] + (s - k) * (self.values[k + 1] - self.values[k])))
        return points if len(points) > 1 else points * 2

    def coords(self, point: np.ndarray) -> tuple[float, float]:
        """(step, loss) of a screen point of the chart."""
        step, loss = self.axes.p2c(point)
        return float(step), float(loss)

    def followers(self) -> list[Follower]:
        return [
            (self.curve, lambda mob, s: mob.set_points_as_corners(self.corners(s))),
            (self.head, lambda mob, s: mob.move_to(self.corners(s)[-1])),
        ]


class TopView:
    """A small flat map of the landscape with one rollout on it: frame, level curves, minima, start, ball.

    ``static`` holds what stays still, ``result`` the lines under the map
    (:meth:`add_result`), ``exit_mark`` an arrow and label where the path leaves
    the map (:meth:`mark_exit`, else None); ``verdict`` is :func:`gradcore.verdict`
    of the path on the map.
    """

    def __init__(
        self,
        view: LandscapeView,
        path: gradcore.Path,
        palette: Palette,
        *,
        minima: Sequence,
        levels: Sequence[float],
        colour: str,
        ball_radius: float = 0.09,
        dot_radius: float = 0.035,
    ):
        pal = palette
        self.view, self.path = view, path
        self.frame = Rectangle(width=view.map_width, height=view.map_height, color=pal.axes, stroke_width=2)
        self.frame.move_to(view.map_centre)
        shades = max(1, len(levels) - 1)
        curves = view.level_curves(
            levels, colour=lambda i: mix(pal.curve, pal.muted, i / shades), width=1.6, opacity=0.85, samples=90
        )
        lowest = gradcore.paths.lowest_minima(minima)  # every tied-lowest minimum is a global one
        marks = VGroup(
            *(
                disc(view.point(m.point), 0.06, pal.good if i in lowest else pal.warn, pal.outline)
                for i, m in enumerate(minima)
            )
        )
        start = disc(view.point(path.points[0]), 0.06, pal.text, pal.outline)
        self.static = VGroup(self.frame, curves, marks, start)
        self.roll = Rollout.on_map(view, path, colour, pal.outline, ball_radius=ball_radius, dot_radius=dot_radius)
        self.verdict: gradcore.paths.Verdict = gradcore.verdict(path, view.box)
        self.result = VGroup()
        self.exit_mark: VGroup | None = None

    def add_title(self, title: Mobject) -> None:
        """A still title above the map."""
        self.static.add(title.next_to(self.frame, UP, buff=0.15))

    def add_result(self, *lines: Mobject) -> None:
        """Lines stacked under the map, narrowed if need be to a little more than the map."""
        self.result = VGroup(*lines).arrange(DOWN, buff=0.1).next_to(self.frame, DOWN, buff=0.15)
        fit_width(self.result, self.view.unit * self.view.span + 0.3)

    def mark_exit(self, label: Mobject, colour: str) -> None:
        """An arrow out of the map where the path leaves it, and ``label`` inside the map's top edge."""
        pointer = self.exit_pointer(colour)
        if pointer is not None:
            self.exit_mark = VGroup(pointer, label.next_to(self.frame.get_top(), DOWN, buff=0.12))

    def exit_pointer(self, colour: str, length: float = 0.35) -> Arrow | None:
        """An arrow pointing out of the map where the path leaves it (None if it never does)."""
        if self.roll.exit_step is None:
            return None
        edge, middle = self.view.point(self.roll.visible[-1]), self.view.map_centre
        outward = (edge - middle) / max(np.linalg.norm(edge - middle), 1e-9)
        return Arrow(
            edge,
            edge + length * outward,
            buff=0,
            color=colour,
            stroke_width=5,
            tip_length=0.16,
            max_stroke_width_to_length_ratio=20,
        )


def ahead_of(arrow: Arrow) -> np.ndarray:
    """The side of an arrow's tip to put its name on: straight ahead of it, rounded to a compass direction."""
    direction = arrow.get_end() - arrow.get_start()
    return RIGHT * np.sign(direction[0]) if abs(direction[0]) >= abs(direction[1]) else UP * np.sign(direction[1])


def spread(labels: VGroup, gap: float = 0.08) -> None:
    """Nudge overlapping labels apart upwards (a few labels: one pass from the bottom)."""
    items = sorted(labels, key=lambda m: m.get_y())
    for i, upper in enumerate(items):
        for lower in items[:i]:
            side_by_side = lower.get_right()[0] < upper.get_left()[0] or upper.get_right()[0] < lower.get_left()[0]
            if not side_by_side and upper.get_bottom()[1] < lower.get_top()[1] + gap:
                upper.shift((lower.get_top()[1] + gap - upper.get_bottom()[1]) * UP)


# --- numbers and counts in words (issue 11) --------------------------------------------------

_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def significant(value: float, digits: int = 3) -> tuple[str, str]:
    """``value`` with ``digits`` significant digits as (Typst maths, plain text); a × 10ⁿ outside [10⁻³, 10⁴).

    Examples
    --------
    >>> significant(0.4), significant(0.0074), significant(12.0), significant(300.0)
    (('0.4', '0.4'), ('0.0074', '0.0074'), ('12', '12'), ('300', '300'))
    >>> significant(1e300), significant(-2.5e-7)
    (('1 times 10^(300)', '1×10³⁰⁰'), ('−2.5 times 10^(−7)', '−2.5×10⁻⁷'))
    """
    value = float(value)
    if value == 0 or 1e-3 <= abs(value) < 1e4:
        decimals = 0 if value == 0 else max(0, digits - 1 - int(np.floor(np.log10(abs(value)))))
        text = fmt(value, decimals) if decimals else f"{value:.0f}".replace("-", "−")  # fmt(300, 0) strips zeros
        return text, text
    exponent = int(np.floor(np.log10(abs(value))))
    mantissa, power = fmt(value / 10**exponent, digits - 1), str(exponent).replace("-", "−")
    return f"{mantissa} times 10^({power})", f"{mantissa}×10{str(exponent).translate(_SUPERSCRIPT)}"


def count_steps(count: int) -> tuple[str, str]:
    """``count`` steps in words: (zh, en), with English's singular for one.

    Examples
    --------
    >>> count_steps(1), count_steps(12)
    (('1 步', '1 step'), ('12 步', '12 steps'))
    """
    return f"{count} 步", f"{count} step" + ("" if count == 1 else "s")


def shared_decimals(values: Sequence[float], most: int = 6, least: int = 2) -> int:
    """The fewest decimals (from ``least``) at which values that differ also read differently.

    Values within gradcore's tie tolerance of each other count as equal and may read the same.

    Examples
    --------
    >>> shared_decimals([0.0, 8e-31, 1.5]), shared_decimals([0.101, 0.104]), shared_decimals([1.0, 1.0 + 1e-9])
    (2, 3, 2)
    """
    tol = gradcore.paths.TIE_TOLERANCE
    pairs = [
        (a, b) for i, a in enumerate(values) for b in values[i + 1 :] if abs(a - b) > tol * max(1.0, abs(a), abs(b))
    ]
    for decimals in range(least, most + 1):
        if all(fmt(a, decimals) != fmt(b, decimals) for a, b in pairs):
            return decimals
    return most


def group_ends(ends: Sequence[tuple[str, object, np.ndarray]], near: float) -> list[list[int]]:
    """Indices grouped by where runs ended: one group per reached minimum, and per kind of other end nearby.

    ``ends`` holds ``(kind, minimum index or None, end point)`` per run; runs at
    the same minimum share a group, and any other runs of the same kind whose
    ends lie within ``near`` of a group's first end join it (their labels would pile up).

    Examples
    --------
    >>> group_ends([("local", 1, np.zeros(2)), ("left", None, np.ones(2)), ("local", 1, np.zeros(2)),
    ...             ("left", None, np.array([1.0, 1.05]))], near=0.1)
    [[0, 2], [1, 3]]
    """
    groups: list[list[int]] = []
    for index, (kind, minimum, point) in enumerate(ends):
        for group in groups:
            first_kind, first_minimum, first_point = ends[group[0]]
            same_minimum = minimum is not None and minimum == first_minimum
            same_place = minimum is None and first_minimum is None and kind == first_kind
            if same_minimum or (same_place and np.linalg.norm(np.asarray(point) - first_point) < near):
                group.append(index)
                break
        else:
            groups.append([index])
    return groups


def loss_typst(value: float, decimals: int = 2) -> str:
    """A loss as Typst maths: ``decimals`` decimals (zeros kept) below 10⁴, else a × 10ⁿ (gradcore keeps it finite).

    Examples
    --------
    >>> loss_typst(0.10189), loss_typst(0.5, 3), loss_typst(2.5e13)
    ('0.10', '0.500', '2.5 times 10^(13)')
    """
    return _fixed(value, decimals) if abs(value) < 1e4 else significant(value, 2)[0]


def overshoot_bound(
    f: Any, path: gradcore.Path, minima: Sequence, near: tuple[float, float] = (0.7, 1.3)
) -> float | None:
    """2/λmax of the valley floor nearest a run's end, when η lies within ``near`` of it (else None).

    Near a minimum a step multiplies the offset along the Hessian's steepest
    eigenvector by ``1 − ηλmax``: for η near ``2/λmax`` that factor is near −1,
    so the ball jumps across the valley floor and back (a zig-zag that fades
    slowly below the bound and does not fade above it).

    Examples
    --------
    >>> import gradcore
    >>> f = lambda x, y: x**2 + 10 * y**2
    >>> run = gradcore.descend(f, [1.0, 1.0], lr=0.095, steps=40, tol=1e-3)
    >>> round(overshoot_bound(f, run, gradcore.find_minima(f, ((-2, 2), (-2, 2)))), 6)
    0.1
    """
    if not len(minima):
        return None
    nearest = min(minima, key=lambda m: float(np.linalg.norm(np.asarray(m.point) - path.x)))
    bound = gradcore.paths.stable_lr(f, [nearest])
    return bound if near[0] <= path.hyper["lr"] / bound <= near[1] else None


def cover(scene: Any, colour: str) -> Rectangle:
    """A pinned rectangle in ``colour`` over everything above the caption band of a lecture scene."""
    from manim import config

    from scenes.toolkit.base import CAPTION_TOP

    height = config.frame_height / 2 - CAPTION_TOP
    box = Rectangle(width=config.frame_width + 0.2, height=height, stroke_width=0, fill_color=colour, fill_opacity=1.0)
    box.move_to([0, (config.frame_height / 2 + CAPTION_TOP) / 2, 0])
    scene.pin(box)
    return box


__all__ += ["count_steps", "cover", "group_ends", "loss_typst", "shared_decimals", "significant"]


# --- how runs went, in words (zh, en): tables picked by gradcore's numbers (issue 11) ---------
# fmt: off
ENDINGS = {  # how step 3's narration ends, by where the ball stopped (see end_kind)
    "global": ("它停在了最低的谷底。", "It stops in the lowest valley."),
    "tied global": ("它停在了一个最低的谷底。", "It stops in one of the lowest valleys."),
    "local": ("它停在一个谷底，但不是最低的那个。", "It stops in a valley, but not the lowest."),
    "flat": ("梯度几乎为零，它停了下来。", "The gradient is almost zero: it stops."),
    "moving": ("步数用完时，它还在移动。", "When the steps run out it still moves."),
    "left": ("它冲出了地图。", "It flies off the map."),
}
MANY_LINES = {  # step 4, by how the balls ended (see many_line)
    "apart": ("几个球从不同地方同时出发，各自滚进脚下坡面通往的山谷。起点决定终点：局部极小值不一定是全局的。",
              "Several balls start at once; each rolls into the valley its slope leads to. "
              "The start decides the end: a local minimum need not be global."),
    "apart, all lowest": ("几个球从不同地方同时出发，各自滚进脚下坡面通往的山谷。起点决定落进哪个山谷，这里每个都是最低的。",
                          "Several balls start at once; each rolls into the valley its slope leads to. "
                          "The start decides which valley; here each is a lowest one."),
    "together": ("几个球从不同地方同时出发，全都滚进了同一个山谷。", "Several balls start at once, and all of them roll into the same valley."),
    "all left": ("几个球同时出发，η = {eta} 太大：每个球都冲出了地图。",
                 "Several balls start at once; with η = {eta} every one overshoots and flies off the map."),
    "mixed": ("几个球同时出发：{parts}。", "Several balls start at once: {parts}."),
}
MANY_PARTS = {  # the parts of MANY_LINES["mixed"]: zh, en for one ball, en for several
    "arrived": ("{n} 个滚进山谷", "{n} rolls into a valley", "{n} roll into a valley"),
    "left": ("{n} 个冲出地图", "{n} flies off the map", "{n} fly off the map"),
    "moving": ("{n} 个在步数用完时还在动", "{n} is still moving when the steps run out",
               "{n} are still moving when the steps run out"),
    "flat": ("{n} 个停在平坦处", "{n} stops on flat ground", "{n} stop on flat ground"),
}
END_LABELS = {"global": ("全局极小值", "global minimum"), "local": ("局部极小值", "local minimum"), "flat": ("平坦处", "flat point"),
              "moving": ("还没停", "still moving"), "left": ("离开地图", "left the map")}
STATUS_WORDS = {"converged": ("收敛", "converged"), "max_steps": ("步数用完", "out of steps"),
                "diverged": ("发散", "diverged")}
VERDICT_WORDS = {  # under a top view of step 5, by gradcore.verdict (a path leaving the map is "diverged")
    "diverged": ("太大：冲出地图", "too large: flies off"),
    "arrived": ("合适：到达谷底", "well chosen: arrives"),
    "oscillating": ("太大：来回跳", "too large: zig-zags"),
    "crawling": ("太小：还在慢慢爬", "too small: crawls"),
    "swinging": ("来回摆：动量冲过谷底", "swings: momentum overshoots"),  # momentum's own overshoot, not η's
}
VERDICT_LINES = {  # each top view's part of step 5's narration; "blows up": gradcore's status is diverged too
    "blows up": ("η = {eta} 冲过头，发散", "η = {eta} overshoots and diverges"),
    "diverged": ("η = {eta} 冲出地图", "η = {eta} overshoots off the map"),
    "arrived": ("η = {eta} 走 {steps_zh}到达", "η = {eta} arrives in {steps_en}"),
    "oscillating": ("η = {eta} 来回跳", "η = {eta} zig-zags"),
    "oscillating, near the bound": ("η = {eta} 接近 2/λmax = {bound}，来回跳", "η = {eta} (2/λmax = {bound}) zig-zags"),
    "swinging": ("η = {eta} 来回摆", "η = {eta} swings back and forth"),
    "crawling": ("η = {eta} 走了 {steps_zh}还在爬", "η = {eta} still crawls at step {steps}"),
}
# fmt: on


def end_kind(run: gradcore.Path, box, minima: Sequence, lowest: Sequence[int]) -> str:
    """Where a run ended: ``global``/``local`` (converged at one of ``minima``; global when its index is in
    ``lowest``, the minima tied for the lowest), ``flat`` (converged elsewhere), ``moving`` or ``left`` (the map)."""
    if gradcore.verdict(run, box) == "diverged":
        return "left"
    if run.status != "converged":
        return "moving"
    index = gradcore.nearest_minimum(run.x, minima, box)
    return "flat" if index is None else ("global" if index in lowest else "local")


def many_line(kinds: Sequence[str], reached: Sequence[int | None], lr: float) -> tuple[str, str]:
    """Step 4's narration of :data:`MANY_LINES` from how balls ended (their :func:`end_kind`, the minimum reached).

    Examples
    --------
    >>> many_line(["global", "local"], [0, 1], 0.4)[1][-35:], many_line(["local", "local"], [1, 1], 0.4)[1][-26:]
    ('a local minimum need not be global.', 'roll into the same valley.')
    >>> many_line(["global", "left", "moving", "moving"], [0, None, None, None], 0.4)[1]
    'Several balls start at once: 1 rolls into a valley, 1 flies off the map, 2 are still moving when the steps run out.'
    """
    arrived = [index for index, kind in zip(reached, kinds, strict=True) if kind in ("global", "local")]
    if len(arrived) == len(kinds):
        if len(set(arrived)) == 1:
            return MANY_LINES["together"]
        return MANY_LINES["apart" if "local" in kinds else "apart, all lowest"]
    if kinds.count("left") == len(kinds):
        zh, en = MANY_LINES["all left"]
        return zh.format(eta=significant(lr)[1]), en.format(eta=significant(lr)[1])
    counts = {"arrived": len(arrived), **{kind: list(kinds).count(kind) for kind in ("left", "moving", "flat")}}
    parts = [(zh.format(n=n), (one if n == 1 else many).format(n=n))
             for key, (zh, one, many) in MANY_PARTS.items() if (n := counts[key])]  # fmt: skip
    zh, en = MANY_LINES["mixed"]
    return zh.format(parts="，".join(z for z, _ in parts)), en.format(parts=", ".join(e for _, e in parts))


def panel_verdict(verdict: str, optimizer: str) -> str:
    """gradcore's verdict of a top view's run; with momentum, going back and forth is momentum's swing, not η's."""
    return "swinging" if verdict == "oscillating" and optimizer == "momentum" else verdict


def eta_story(runs: Sequence[tuple[float, str]]) -> bool:
    """Whether a comparison of ``(η, verdict)`` showed it: smaller η crawled, middle ones arrived, larger overshot.

    Examples
    --------
    >>> eta_story([(0.4, "arrived"), (0.02, "crawling"), (12, "diverged")]), eta_story([(0.4, "arrived"), (12, "diverged")])
    (True, False)
    """
    order = [verdict for _, verdict in sorted(runs)]
    over = [i for i, v in enumerate(order) if v in ("oscillating", "diverged")]
    crawl, arrive = (
        [i for i, v in enumerate(order) if v == "crawling"],
        [i for i, v in enumerate(order) if v == "arrived"],
    )
    return bool(crawl and arrive and over) and max(crawl) < min(arrive) and max(arrive) < min(over)


def verdict_line(verdict: str, path: gradcore.Path, optimizer: str, bound: float | None = None) -> tuple[str, str]:
    """A top view's part of step 5's narration (zh, en), from :data:`VERDICT_LINES`.

    ``bound`` is 2/λmax of the valley a zig-zagging run overshoots (:func:`overshoot_bound`), if it is near η.
    """
    verdict = panel_verdict(verdict, optimizer)
    key = "blows up" if verdict == "diverged" and path.status == "diverged" else verdict
    if key == "oscillating" and bound is not None:
        key = "oscillating, near the bound"
    steps_zh, steps_en = count_steps(path.steps)
    words = {"eta": significant(path.hyper["lr"])[1], "steps_zh": steps_zh, "steps_en": steps_en, "steps": path.steps,
             "bound": significant(bound or 0.0, 2)[1]}  # fmt: skip
    zh, en = VERDICT_LINES[key]
    return zh.format(**words), en.format(**words)


# --- what a descent storyboard needs of its landscape and η (checks before rendering) -------------


def valley_problem(f: Any, box, minima: Sequence) -> str | None:
    """Why the map holds no valley to roll into (no minimum, or f lower than every minimum somewhere), else None."""
    below = gradcore.paths.below_minima(f, box, minima)
    if below is None:
        return None
    at = f"({fmt(below[0])}, {fmt(below[1])})"
    on_edge = any(np.isclose(c, lo) or np.isclose(c, hi) for c, (lo, hi) in zip(below, box, strict=True))
    if not minima:
        values = LandscapeView(f, box, samples=41)
        if values.high - values.low < 1e-9:
            return "f is flat on the map: it has no valley (gradcore.find_minima finds no minimum)"
        where = (
            f"it keeps falling towards the edge at {at}" if on_edge else f"it falls without bound near {at} (a pole)"
        )
        return f"f has no minimum inside the map (gradcore.find_minima finds none): {where}"
    lowest = f"lower than its lowest minimum f = {minima[0].value:.3g}"
    return f"f reaches {float(f(*below)):.3g} at {at}, {lowest}: " + (
        "it keeps falling out of the map" if on_edge else "a pole or a well too narrow to show"
    )


def pole_problem(f: Any, runs: Sequence[gradcore.Path], box, minima: Sequence) -> str | None:
    """Why a run on the map reaches a value below the lowest minimum (a pole, or a well find_minima missed), else None."""
    low = min(float(m.value) for m in minima)
    for run in runs:
        visible, _ = gradcore.clip_to_box(run.points, box)
        values = np.asarray(f(visible[:, 0], visible[:, 1]), dtype=float)
        if np.min(values) < low - gradcore.paths.TIE_TOLERANCE * max(1.0, abs(low)):
            at = visible[int(np.argmin(values))]
            return (f"a ball reaches f = {np.min(values):.3g} at ({fmt(at[0])}, {fmt(at[1])}), below the lowest "
                    f"minimum (f = {low:.3g}): a pole or a well too narrow to show")  # fmt: skip
    return None


def lr_problem(f: Any, lr: float, starts, box, minima: Sequence, *, steps: int, most_steps: int, **run: Any) -> str:
    """Why η = ``lr`` cannot teach (every ball leaves the map) and an η that works, run and checked by
    :func:`gradcore.paths.suggest_lr` (with ``most_steps`` steps if the configured ``steps`` are too few)."""
    bound = gradcore.paths.stable_lr(f, minima)
    why = (f"at lr = {significant(lr)[1]} every ball of steps 3 and 4 leaves the map, so none can show a valley; "
           f"gradient descent settles in these minima only for η < 2/λmax = {significant(bound)[1]}")  # fmt: skip
    for budget in dict.fromkeys((steps, most_steps)):
        found = gradcore.paths.suggest_lr(f, starts, box, minima, steps=budget, **run)
        if found is not None:
            return f"{why}; try lr = {significant(found)[1]}" + ("" if budget == steps else f" with steps = {budget}")
    return f"{why}; try lr = {significant(bound / 4)[1]} and other starts"


__all__ += ["ENDINGS", "END_LABELS", "MANY_LINES", "MANY_PARTS", "STATUS_WORDS", "VERDICT_LINES", "VERDICT_WORDS"]
__all__ += ["overshoot_bound"]
__all__ += ["end_kind", "eta_story", "lr_problem", "many_line", "panel_verdict", "pole_problem", "valley_problem"]
__all__ += ["verdict_line"]


# --- the panels of a descent scene: title, the arrow's legend, how the run ended ----------------


def corner_title(scene: Any, widest: float) -> Mobject:
    """The named landscape's title, else the formula if it is at most ``widest``, else a generic name; top left."""
    text, pal = " ".join(scene.params.raw["formula"].split()), scene.palette
    named = [ls for ls in gradcore.landscapes.LANDSCAPES.values() if " ".join(ls.formula.split()) == text]
    if named:
        title = scene.text(scene.say(named[0].title_zh, named[0].title_en), color=pal.muted)
    else:
        title = scene.math(f"f(x, y) = {scene.params.formula.typst}", size=SIZE.LABEL, color=pal.muted)
        if title.width > widest:  # too long to read in the corner
            title = scene.mixed(scene.say("损失地形 $f(x, y)$", "the loss $f(x, y)$"), color=pal.muted)
    return title.to_corner(UP + LEFT, buff=0.3)


def arrow_legend(scene: Any, names: dict[str, str], beta: float, width: float = 3.9) -> Mobject:
    """What the step's arrow is (``names[optimizer]``, Typst), η, and the update rule on the point θ = (x, y)."""
    pal, optimizer = scene.palette, scene.params.optimizer
    gd = optimizer == "gd"
    rule = (
        "theta arrow.l theta - eta nabla f(theta)"
        if gd
        else "v arrow.l beta v - eta nabla f(theta), quad theta arrow.l theta + v"
    )
    arrow = Arrow(np.zeros(3), 0.6 * RIGHT, buff=0, color=pal.descent, stroke_width=5, tip_length=0.16,
                  max_stroke_width_to_length_ratio=20)  # fmt: skip
    step = scene.math(names[optimizer], color=_legible(pal.descent, pal.background), size=SIZE.SMALL)
    eta = scene.math(
        f"eta = {significant(scene.params.lr)[0]}" + ("" if gd else f", beta = {fmt(beta)}"), size=SIZE.SMALL
    )
    legend = VGroup(
        VGroup(arrow, step, eta).arrange(RIGHT, buff=0.2), scene.math(rule, size=SIZE.SMALL, color=pal.muted)
    )
    return fit_width(legend.arrange(DOWN, aligned_edge=LEFT, buff=0.15), width)


def end_note(scene: Any, ball: Rollout, width: float = 3.9) -> Mobject:
    """The run's status from gradcore, in words, with its step count (or the step it left the map)."""
    path, steps = ball.path, count_steps(ball.path.steps)
    if ball.exit_step is not None:
        words = scene.say(f"第 {ball.exit_step} 步离开地图", f"left the map at step {ball.exit_step}")
    elif scene.language == "zh":
        words = f"{scene.say(*STATUS_WORDS[path.status])}：{steps[0]}"
    else:
        words = f"{scene.say(*STATUS_WORDS[path.status])} after {steps[1]}"
    colour = _legible(scene.palette.highlight, scene.palette.background)
    return fit_width(scene.text(words, size=SIZE.SMALL, color=colour), width)


__all__ += ["arrow_legend", "corner_title", "end_note"]
