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
        return float(self.f(*self.xy(s)))

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
    curve runs through the loss at each whole step and ends at the ball's loss at ``s``.
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
    ):
        super().__init__()
        pal: Palette = scene.palette
        values = self.values = rollout.visible_values
        self.value_at = lambda s: rollout.value_at(s)  # a function, not the rollout: copies of the chart stay small
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
            parts.add(guide, scene.math(fmt(best), size=SIZE.SMALL, color=pal.good).next_to(guide, LEFT, buff=0.08))
        self.curve = VMobject(stroke_color=pal.highlight, stroke_width=3)
        self.head = Dot(axes.c2p(0, values[0]), radius=0.05, color=pal.highlight)
        self.curve.set_points_as_corners(self.corners(0.0))
        self.add(parts, self.curve, self.head)

    def corners(self, s: float) -> list[np.ndarray]:
        """Screen points of the curve up to step number ``s`` (at least two)."""
        k = int(np.floor(s + 1e-9))
        points = [self.axes.c2p(j, self.values[j]) for j in range(k + 1)]
        if s > k + 1e-9:
            points.append(self.axes.c2p(s, self.value_at(s)))
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
        marks = VGroup(
            *(
                disc(view.point(m.point), 0.06, pal.good if i == 0 else pal.warn, pal.outline)
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
