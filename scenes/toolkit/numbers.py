"""Live numbers on screen: readouts that change every frame without typesetting every frame.

* :class:`FastNumber` — a ``DecimalNumber`` whose digits are cheap copies of glyphs typeset once;
  :func:`fast_number` builds one in the lecture's maths font.
* :func:`show` — set a number to a value *as displayed*, doing nothing while its digits stay the same.
* :class:`Readout` — ``name = 1.23`` (and an optional unit such as °), kept laid out as its digits change;
  :func:`degrees_readout` builds ``θ = 50°``.
* :func:`live_arrow` — an arrow redrawn every frame from a function of its ends, and
  :func:`tip_label` — a label that rides just beyond the tip of such an arrow;
* :func:`live_arc` — the arc of an angle redrawn every frame from a function of the angle, and
  :func:`arc_label` — a label that rides half way round such an arc.
* :class:`Compass` — a unit direction u turning at a point p of a map, ∇f there, the angle θ
  from ∇f to u and the slope D_u f, all read afresh from two trackers (for live mobjects);
  :meth:`Compass.cast` draws them as a :class:`Cast` (the dot at p, u, ∇f, their names, the readout),
  :meth:`Compass.slice` the slice t ↦ f(p + t u) on a chart, and :class:`SlopeTrace` traces D_u f against θ.

Examples
--------
>>> from scenes.toolkit.text import math
>>> value = [1.234]
>>> readout = Readout(math("D_u f =", color="#FFFFFF"), fast_number(0.0, color="#FFFFFF", sign=True), lambda: value[0])
>>> readout.number.get_value()
1.23
>>> value[0] = -0.001
>>> readout.refresh(), readout.number.get_value()  # a rounded zero is shown as +0.00, never as −0.00
(True, 0.0)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar, NamedTuple

import numpy as np
from manim import (
    RIGHT,
    UP,
    Arrow,
    DashedLine,
    DecimalNumber,
    Dot,
    Mobject,
    ValueTracker,
    VGroup,
    VMobject,
    always_redraw,
)

import gradcore
from scenes.toolkit import text
from scenes.toolkit.graph import Graph, angle_arc
from scenes.toolkit.text import SIZE, halo, math

__all__ = [
    "Angle",
    "Cast",
    "Compass",
    "FastNumber",
    "Readout",
    "SlopeTrace",
    "Trace",
    "arc_label",
    "degrees_readout",
    "fast_number",
    "live_arc",
    "live_arrow",
    "outline",
    "rigid",
    "show",
    "tip_label",
    "unit_vectors",
]

AngleNow = Callable[[], tuple[Any, float, float]]  # () → (screen vertex, start, sweep), both angles in degrees from +x


class FastNumber(DecimalNumber):
    """A DecimalNumber whose digits are cheap copies of glyphs typeset once, laid out without Manim's mobjects.

    DecimalNumber deep-copies a typeset glyph per character on every ``set_value``
    (about 15 ms a call, every frame a readout is live); this copies only the
    outline points into a plain VMobject. Glyphs are cached per string and font size.
    A value with as many characters as the one shown moves the glyphs it has to where
    Manim would lay the new string out (the same rules, worked on the glyphs' points: 0.2 ms
    instead of 2.3 ms a call); any other goes Manim's way. The glyphs keep their style
    (Manim sets the number's own style on every glyph again).

    Examples
    --------
    >>> number = fast_number(1.25, color="#FFFFFF")
    >>> glyphs = list(number.submobjects)
    >>> number.set_value(7.5).set_value(3.75).submobjects == glyphs  # four characters each: the same glyphs
    True
    """

    _glyphs: ClassVar[dict[tuple[str, float], tuple[np.ndarray, np.ndarray]]] = {}  # points, anchors' box
    drawn: tuple[float, ...] | None = None  # the outline last laid out (see :func:`show`)

    def _glyph(self, char: str, mob_class=None, **kwargs) -> tuple[np.ndarray, np.ndarray]:
        """The points of ``char`` typeset at this number's base size, and the box of its anchors."""
        key = (char, round(self._font_size, 6))
        if key not in self._glyphs:
            glyph = (mob_class or self.mob_class)(char, font_size=self._font_size, **kwargs)
            points = np.vstack([part.points for part in glyph.family_members_with_points()])
            anchors = np.vstack([points[::4], points[3::4]])
            self._glyphs[key] = points, np.array([anchors.min(axis=0), anchors.max(axis=0)])
        return self._glyphs[key]

    def _string_to_mob(self, string: str, mob_class=None, **kwargs) -> VMobject:
        points = self._glyph(string, mob_class, **kwargs)[0].copy()
        return VMobject(stroke_width=0, fill_opacity=1.0).set_points(points)

    def set_value(self, number: float) -> FastNumber:
        """Show ``number``: its string laid out as Manim lays it out, at the size and place the number has."""
        string = self._get_num_string(number)
        plain = not (self.show_ellipsis or self.unit or self.include_background_rectangle)
        if not plain or len(string) != len(self.submobjects) or not self.initial_height:
            return super().set_value(number)
        buff = self.digit_buff_per_font_unit * self._font_size
        parts, height = _lay_out([self._glyph(c) for c in string], string, buff)
        if height <= 0:  # nothing to scale by: Manim's way
            return super().set_value(number)
        fix, scale = self.get_edge_center(self.edge_to_fix), self.height / self.initial_height
        for glyph, points in zip(self.submobjects, parts, strict=True):
            glyph.set_points(points * scale)
        self.number, self.initial_height = number, height
        self.move_to(fix, self.edge_to_fix)
        return self


def _lay_out(glyphs: list[tuple[np.ndarray, np.ndarray]], string: str, buff: float) -> tuple[list[np.ndarray], float]:
    """Manim's layout of a DecimalNumber's characters and its height, at the base size.

    ``glyphs`` holds each character's points and the box of its anchors. Manim places by
    that box (``next_to``, ``align_to``, ``move_to``) and measures heights over all points,
    handles too. Each glyph follows the last, ``buff`` to its right, bottoms aligned; the row
    is centred on the origin; a minus sign's top meets the next digit's and drops by half that
    digit's height; a comma drops by half its own. Returns the points of each character.
    """
    boxes = np.array([box for _, box in glyphs])  # (character, low/high, xyz)
    tall = np.array([[p[:, 1].min(), p[:, 1].max()] for p, _ in glyphs])  # y over all points
    shifts = np.zeros((len(glyphs), 3))
    for i in range(1, len(glyphs)):
        (low, high), (last_low, last_high) = boxes[i], boxes[i - 1] + shifts[i - 1]
        middle = (last_low[2] + last_high[2] - low[2] - high[2]) / 2  # z: centres aligned
        shifts[i] = [last_high[0] + buff - low[0], last_low[1] - low[1], middle]
    boxes += shifts[:, None, :]
    centre = (boxes[:, 0].min(axis=0) + boxes[:, 1].max(axis=0)) / 2
    shifts -= centre
    boxes -= centre
    for i, char in enumerate(string):
        drop = 0.0
        if char == "-" and i + 1 < len(string):
            drop = boxes[i, 1, 1] - boxes[i + 1, 1, 1] + (tall[i + 1, 1] - tall[i + 1, 0]) / 2
        elif char == ",":
            drop = (tall[i, 1] - tall[i, 0]) / 2
        shifts[i, 1] -= drop
        boxes[i, :, 1] -= drop
    ys = tall + shifts[:, 1:2]
    return [points + shift for (points, _), shift in zip(glyphs, shifts, strict=True)], float(ys.max() - ys.min())


def fast_number(
    value: float, *, color: str, decimals: int = 2, size: float = SIZE.BODY, sign: bool = False
) -> FastNumber:
    """A live number in the maths font (Typst), ``decimals`` places; ``sign=True`` always shows + or −.

    Examples
    --------
    >>> fast_number(3.14159, color="#FFFFFF").get_value()
    3.14159
    """
    return text.number(value, color=color, decimals=decimals, size=size, sign=sign, kind=FastNumber)


def outline(number: DecimalNumber) -> tuple[float, ...]:
    """A cheap fingerprint of what a number's glyphs draw: their points, summed per axis."""
    return tuple(np.sum(number.get_all_points(), axis=0).round(9))


def show(number: DecimalNumber, value: float) -> bool:
    """Set ``number`` to ``value`` rounded as displayed, unless it already shows that; True if it changed.

    Skipping unchanged digits spares the per-frame rebuild while the scene holds
    still. The glyphs are rebuilt anyway when their outline moved since the last
    call (an animation of the readout may have drawn other digits into them). A
    rounded zero is stored as +0.0, so a readout never shows "−0.00".
    """
    shown = round(float(value), number.num_decimal_places) + 0.0
    if number.get_value() == shown and getattr(number, "drawn", None) == outline(number):
        return False
    number.set_value(shown)
    number.drawn = outline(number)
    return True


class Readout(VGroup):
    """``head number [unit]``, live: the number follows ``value()`` every frame, laid out again when it changes.

    Parameters
    ----------
    head
        What the number stands for, e.g. ``math("D_u f =")``.
    number
        The live number (best a :class:`FastNumber`).
    value
        Called every frame for the value to show.
    unit
        Optional mobject after the number, top-aligned with it (e.g. a degree sign).
    """

    def __init__(
        self,
        head: Mobject,
        number: DecimalNumber,
        value: Callable[[], float],
        unit: Mobject | None = None,
        buff: float = 0.15,
    ):
        super().__init__(head, number, *([] if unit is None else [unit]))
        self.head, self.number, self.unit, self.buff = head, number, unit, buff
        self._value = lambda: value()  # a plain function: copies of the readout share it (a bound method would
        # be deep-copied with its object)
        self.refresh(force=True)
        self.add_updater(lambda m: m.refresh())

    def refresh(self, force: bool = False) -> bool:
        """Show the current value; lay the number (and unit) out again if its digits changed. True if they did."""
        changed = show(self.number, self._value())
        if changed or force:
            self.number.next_to(self.head, RIGHT, buff=self.buff)
            if self.unit is not None:
                self.unit.next_to(self.number, RIGHT, buff=0.05, aligned_edge=UP)
            self.number.drawn = outline(self.number)  # moved: remember the outline where it now is
        return changed


def degrees_readout(name: str, value: Callable[[], float], colour: str) -> Readout:
    """``name = 123°`` in whole degrees, live (``name`` is Typst maths, e.g. ``"theta"``)."""
    return Readout(
        math(f"{name} =", color=colour),
        fast_number(value(), decimals=0, color=colour),
        value,
        unit=math("degree", color=colour),
    )


def tip_label(
    label: Mobject,
    ends: Callable[[], tuple[np.ndarray, np.ndarray]],
    gap: float = 0.12,
    inside: tuple[float, float, float, float] | None = None,
    clear_of: Callable[[], Iterable[Mobject]] = tuple,
) -> Mobject:
    """Keep ``label`` just beyond the tip of the arrow whose screen ends ``ends()`` returns, every frame.

    The label sits ``gap`` past the tip along the arrow, plus half its own extent
    in that direction, so it never covers the tip. With ``inside`` (a screen box
    ``(left, right, bottom, top)``, a map's say), a label that would cross its edge
    or come near one of the mobjects ``clear_of()`` returns (asked every frame)
    moves beside the arrowhead instead, on the first side where it fits, or beside
    the middle of the arrow; where none fits, to the spot that costs least (see ``cost``). Returns ``label``.

    Examples
    --------
    >>> from manim import Square
    >>> box = tip_label(Square(0.4), lambda: (np.zeros(3), np.array([1.0, 0, 0])), inside=(-2, 1.2, -2, 2))
    >>> box.get_center().round(2).tolist()  # no room past the tip: beside the arrowhead, on its clockwise side
    [0.85, -0.32, 0.0]
    """

    half = np.array([label.width, label.height]) / 2  # measured once: the label keeps its shape

    def spots() -> list[np.ndarray]:
        start, end = ends()
        d = end - start
        length = np.linalg.norm(d)
        d = d / length if length > 1e-6 else RIGHT
        reach = lambda v: gap + half[0] * abs(v[0]) + half[1] * abs(v[1])  # noqa: E731
        sides = [np.array([d[1], -d[0], 0.0]), np.array([-d[1], d[0], 0.0])]  # clockwise, then anticlockwise
        backs = [min(0.15, 0.3 * length), 0.5 * length]  # beside the arrowhead, then beside the shaft's middle
        return [end + d * reach(d), *(end - d * back + n * reach(n) for back in backs for n in sides)]

    def cost(centre: np.ndarray, others: list[tuple[np.ndarray, np.ndarray]]) -> float:
        """5 per unit the label at ``centre`` reaches out of ``inside``, 1 for each box of ``others`` it
        comes near and 10 for each it covers (0: it fits)."""
        low, high = centre[:2] - half, centre[:2] + half
        left, right, bottom, top = inside
        out = max(0.0, left - low[0], high[0] - right, bottom - low[1], high[1] - top)
        return 5 * out + sum(_near((low, high), o, 0.15) + 9 * _near((low, high), o, 0.0) for o in others)

    def follow(m: Mobject) -> None:
        candidates = spots()
        if inside is not None:  # the first that fits, else the one that costs least
            others = [_screen_box(o) for o in clear_of()]
            candidates.sort(key=lambda c: cost(c, others))  # a stable sort keeps the order among equals
        m.move_to(candidates[0])

    label.add_updater(follow)
    follow(label)
    return label


def _screen_box(mobject: Mobject) -> tuple[np.ndarray, np.ndarray]:
    """The lower-left and upper-right (x, y) of a mobject's points: one pass over them."""
    points = mobject.get_all_points()
    return points[:, :2].min(axis=0), points[:, :2].max(axis=0)


def _near(box: tuple[np.ndarray, np.ndarray], other: tuple[np.ndarray, np.ndarray], pad: float) -> bool:
    """Whether two screen boxes ``(low, high)`` come within ``pad`` of each other."""
    return bool(np.all(box[0] - pad < other[1]) and np.all(other[0] < box[1] + pad))


def live_arrow(
    ends: Callable[[], tuple[np.ndarray, np.ndarray]], colour: str, width: float = 6.0, tip_ratio: float = 0.25
) -> VMobject:
    """An arrow from ``ends()[0]`` to ``ends()[1]`` (screen points), kept on them every frame (see :func:`rigid`).

    An arrow shorter than 0.001 is drawn invisible (a vanishing gradient, say), so it
    never collapses into a stray tip.

    Examples
    --------
    >>> turn = ValueTracker(0.0)
    >>> arrow = live_arrow(lambda: (np.zeros(3), np.array([np.cos(turn.get_value()), np.sin(turn.get_value()), 0])), "#FFFFFF")
    >>> _ = turn.set_value(np.pi / 2)
    >>> arrow.update().get_end().round(6).tolist()
    [0.0, 1.0, 0.0]
    """

    def draw(start: np.ndarray, end: np.ndarray) -> Arrow:
        if np.linalg.norm(end - start) < 1e-3:
            return Arrow(start, start + 0.01 * RIGHT, buff=0).set_opacity(0)
        return Arrow(start, end, buff=0, color=colour, stroke_width=width, max_tip_length_to_length_ratio=tip_ratio)

    return rigid(draw, ends)


def rigid(
    build: Callable[[np.ndarray, np.ndarray], VMobject], ends: Callable[[], tuple[np.ndarray, np.ndarray]]
) -> VMobject:
    """``build(start, end)`` (a line or an arrow), kept on ``ends()`` every frame: turned and moved while its length
    holds, built again when it changes.

    A unit arrow turning round a point, or a dashed line of fixed length through it, then costs a
    rotation per frame instead of a new mobject (an ``Arrow`` takes milliseconds to build).
    """
    mobject = build(*ends())

    def follow(m: VMobject) -> None:  # from where it is drawn now (an animation may have moved it)
        start, end = ends()
        s0, e0 = m.get_start(), m.get_end()
        d, d0 = end - start, e0 - s0
        if abs(np.linalg.norm(d) - np.linalg.norm(d0)) > 1e-6 or np.linalg.norm(d0) < 1e-3:
            m.become(build(start, end))
        elif np.abs(end - e0).max() > 1e-9 or np.abs(start - s0).max() > 1e-9:
            m.rotate(np.arctan2(d[1], d[0]) - np.arctan2(d0[1], d0[0]), about_point=s0).shift(start - s0)

    return mobject.add_updater(follow)


def live_arc(angle: AngleNow, radius: float, **style: Any) -> VMobject:
    """The arc of the angle ``angle()`` (vertex, start, sweep) at ``radius``, redrawn every frame.

    See :func:`~scenes.toolkit.graph.angle_arc`; ``style`` goes to :class:`~manim.Arc` (``color``, ``stroke_width``…).
    """
    return always_redraw(lambda: angle_arc(*angle(), radius, **style))


def arc_label(label: Mobject, angle: AngleNow, distance: float) -> Mobject:
    """Keep ``label`` half way round the angle ``angle()``, centred ``distance`` from its vertex, every frame.

    Returns ``label``, already in place.
    """

    def follow(m: Mobject) -> None:
        vertex, start, sweep = angle()
        middle = np.radians(start + sweep / 2)
        m.move_to(np.asarray(vertex) + distance * np.array([np.cos(middle), np.sin(middle), 0.0]))

    label.add_updater(follow)
    follow(label)
    return label


def unit_vectors(degrees: Any) -> np.ndarray:
    """Unit vectors at these angles (degrees from +x), shape ``(...)`` → ``(..., 2)``.

    Examples
    --------
    >>> unit_vectors([0.0, 90.0]).round(12).tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    a = np.radians(np.asarray(degrees, dtype=float))
    return np.stack([np.cos(a), np.sin(a)], axis=-1)


class Cast(NamedTuple):
    """What :meth:`Compass.cast` draws at the point p of a map: shown, hidden and moved by a scene's steps."""

    dot: Dot  # p (a scene moves it; it is not live)
    u: VMobject  # the arrow u from p, live
    u_name: Mobject
    nabla: VMobject  # the arrow ∇f from p, live
    nabla_name: Mobject
    readout: Readout  # D_u f = +1.23, live


class Angle(NamedTuple):
    """What :meth:`Compass.theta_marks` draws: θ's arc at p, its name beside it, and ``θ = 50°``, all live."""

    arc: VMobject
    name: Mobject
    readout: Readout


class Compass:
    """A unit direction u turning at a point p of a map, ∇f there, θ from ∇f to u, and D_u f = ∇f · u.

    Two trackers drive it: ``alpha``, the direction of u in degrees from +x, and ``slide``,
    which moves p from ``start`` (0) to ``end`` (1) along a straight line. Every method reads
    them afresh, so arrows, readouts and arcs drawn from these methods in updaters are live.
    The numbers come from gradcore.

    Parameters
    ----------
    f
        The landscape ``f(x, y)``.
    point
        Screen point of a map point, e.g. :meth:`~scenes.toolkit.landscape.LandscapeView.point`.
    start, end
        The map points p moves between.
    u_length, grad_scale
        Map length of u, and map length of ∇f per unit of |∇f| (for :meth:`u_ends`, :meth:`grad_ends`).

    Examples
    --------
    >>> compass = Compass(lambda x, y: x**2 + 3 * y**2, lambda xy: np.array([*xy, 0.0]), (1.0, 0.5), (0.0, 0.0))
    >>> _ = compass.alpha.set_value(90.0)
    >>> round(compass.slope(), 6), round(compass.theta(), 2)  # ∇f(1, 0.5) = (2, 3)
    (3.0, 33.69)
    """

    def __init__(
        self,
        f: Callable,
        point: Callable[[Any], np.ndarray],
        start: Any,
        end: Any,
        *,
        u_length: float = 1.0,
        grad_scale: float = 1.0,
    ):
        self.f, self.point = f, point
        self.start, self.end = np.asarray(start, dtype=float), np.asarray(end, dtype=float)
        self.u_length, self.grad_scale = u_length, grad_scale
        self.alpha, self.slide = ValueTracker(0.0), ValueTracker(0.0)
        self.measured = "alpha"  # which angle the screen shows beside D_u f (see shown_slope)
        g = self.gradient(self.start)
        self.start_angle = float(np.degrees(np.arctan2(g[1], g[0])))  # of ∇f at the start

    def gradient(self, p: Any) -> np.ndarray:
        return gradcore.gradient(self.f, p)

    def slopes(self, p: Any, degrees: Any) -> np.ndarray:
        """D_u f at ``p`` for the unit vectors u at these angles (degrees from +x): one gradcore call."""
        return gradcore.directional_derivative(self.f, p, unit_vectors(degrees))

    def p(self) -> np.ndarray:
        """Where the point is now: ``start`` until ``slide`` moves it towards ``end``."""
        s = self.slide.get_value()
        return (1 - s) * self.start + s * self.end

    def u(self) -> np.ndarray:
        """The unit vector u now."""
        return unit_vectors(self.alpha.get_value())

    def slope(self) -> float:
        """D_u f at p now."""
        return float(self.slopes(self.p(), self.alpha.get_value()))

    def shown_slope(self) -> float:
        """D_u f for the angle on screen, in whole degrees: α from +x, or θ from ∇f once ``measured`` is "theta".

        A viewer who checks the readout against the angle beside it (2 cos 93° + 3 sin 93° = 2.89)
        finds it agrees; u itself turns smoothly.
        """
        if self.measured == "theta":
            p = self.p()
            return float(self.slopes(p, self.grad_angle(p) + round(self.theta())))
        return float(self.slopes(self.p(), round(self.alpha.get_value())))

    def grad_angle(self, p: Any) -> float:
        """Angle of ∇f(p) in degrees from +x; the angle at the start once ∇f has vanished."""
        g = self.gradient(p)
        return self.start_angle if np.hypot(*g) < 1e-9 else float(np.degrees(np.arctan2(g[1], g[0])))

    def theta(self) -> float:
        """θ in degrees: from ∇f anticlockwise to u, in [0, 360] (360 only at the end of a full turn)."""
        turned = self.alpha.get_value() - self.grad_angle(self.p())
        theta = turned % 360
        if min(theta, 360 - theta) < 1e-6:  # u on ∇f: 0° before a full turn, 360° after it
            return 360.0 if turned > 180 else 0.0
        return float(theta)

    def theta_angle(self) -> tuple[np.ndarray, float, float]:
        """θ as drawn (see :func:`live_arc`): its vertex p on the screen, its start (along ∇f) and its sweep."""
        p = self.p()
        return self.point(p), self.grad_angle(p), self.theta()

    def u_ends(self) -> tuple[np.ndarray, np.ndarray]:
        """Screen ends of the arrow u drawn from p (see :func:`live_arrow`)."""
        p = self.p()
        return self.point(p), self.point(p + self.u_length * self.u())

    def grad_ends(self) -> tuple[np.ndarray, np.ndarray]:
        """Screen ends of the arrow ∇f drawn from p."""
        p = self.p()
        return self.point(p), self.point(p + self.grad_scale * self.gradient(p))

    def cast(
        self,
        palette: Any,
        inside: tuple[float, float, float, float] | None = None,
        clear_of: Callable[[], Iterable[Mobject]] = tuple,
    ) -> Cast:
        """The dot at p, u and ∇f drawn from it with their outlined names, and the D_u f readout, all live.

        Colours come from ``palette`` (``highlight``, ``direction``, ``gradient``, ``tangent``, ``outline``);
        the names keep inside the screen box ``inside`` and off what ``clear_of()`` returns where they can, and
        u's name off ∇f's (see :func:`tip_label`).
        """
        u_name = halo(math("u", color=palette.direction, size=SIZE.LABEL), palette.outline, 3)
        nabla_name = halo(math("nabla f", color=palette.gradient, size=SIZE.LABEL), palette.outline, 3)
        number = fast_number(self.slope(), sign=True, color=palette.tangent)
        return Cast(
            Dot(radius=0.08, color=palette.highlight),
            live_arrow(self.u_ends, palette.direction, 6),
            tip_label(u_name, self.u_ends, inside=inside, clear_of=lambda: [*clear_of(), nabla_name]),
            live_arrow(self.grad_ends, palette.gradient, 7),
            tip_label(nabla_name, self.grad_ends, inside=inside, clear_of=clear_of),
            Readout(math("D_u f =", color=palette.tangent), number, self.shown_slope),
        )

    def slice(self, chart: Graph, reach: float, *, curve: str, tangent: str, at: Any = None) -> VGroup:
        """The slice t ↦ f(p + t u) for |t| ≤ ``reach`` at the point ``at`` (default: the start), live as u turns.

        Returns ``VGroup(cut, graph, tangent line)``: the line p + t u on the map (dashed), the slice
        on ``chart`` (in ``curve``), and its tangent at t = 0, of slope D_u f there (in ``tangent``).
        """
        p0 = self.start if at is None else np.asarray(at, dtype=float)
        f0 = float(self.f(*p0))

        ts = np.linspace(-reach, reach, 81)

        def graph() -> VMobject:  # 81 values at once, joined smoothly (Manim's plot samples one by one)
            values = np.broadcast_to(np.asarray(self.f(*(p0[:, None] + np.outer(self.u(), ts))), dtype=float), ts.shape)
            return VMobject(color=curve, stroke_width=4).set_points_smoothly(chart.points(ts, values))

        def cut() -> tuple[np.ndarray, np.ndarray]:
            return tuple(self.point([p0 - reach * self.u(), p0 + reach * self.u()]))

        def dashes(start: np.ndarray, end: np.ndarray) -> DashedLine:
            return DashedLine(start, end, color=curve, stroke_width=3, dash_length=0.12)

        def line() -> VMobject:
            slope = float(self.slopes(p0, self.alpha.get_value()))
            return chart.slope_line(0, slope, 2.6, y=f0, color=tangent, stroke_width=4)

        return VGroup(rigid(dashes, cut), always_redraw(graph), always_redraw(line))

    def theta_marks(self, palette: Any) -> Angle:
        """θ from ∇f anticlockwise to u: its arc at p, its outlined name and its readout, in ``palette.highlight``."""
        arc = live_arc(self.theta_angle, 0.55, color=palette.highlight, stroke_width=4)
        theta = halo(math("theta", color=palette.highlight, size=SIZE.LABEL), palette.outline, 3)
        return Angle(
            arc, arc_label(theta, self.theta_angle, 0.82), degrees_readout("theta", self.theta, palette.highlight)
        )


class SlopeTrace:
    """D_u f against θ (from ∇f anticlockwise to u, in degrees) drawn on a chart from a :class:`Compass`.

    Parameters
    ----------
    compass
        Where u turns; θ is measured from ∇f at its start until the point slides.
    chart
        A :class:`~scenes.toolkit.graph.Graph` with θ along x and D_u f along y.
    thetas
        The θ samples of the curve (degrees, increasing); D_u f is computed there once, at the start.
    curve, marker
        The mobject the curve is drawn into, and a dot kept at its end by :meth:`so_far`.
    """

    def __init__(self, compass: Compass, chart: Graph, thetas: np.ndarray, curve: VMobject, marker: Mobject):
        self.compass, self.chart, self.thetas, self.curve, self.marker = compass, chart, thetas, curve, marker
        self.values = compass.slopes(compass.start, compass.start_angle + thetas)  # D_u f at the start, every θ

    def so_far(self) -> None:
        """The curve traced up to the current θ: the samples below it, then the live value at θ itself."""
        theta = self.compass.alpha.get_value() - self.compass.start_angle
        k = int(np.searchsorted(self.thetas, theta, side="right"))
        ys = np.append(self.values[:k], self.compass.slope())
        self.marker.move_to(self.chart.trace(self.curve, np.append(self.thetas[:k], theta), ys)[-1])

    def whole(self) -> None:
        """The whole curve θ ↦ D_u f at the current point, θ from the current ∇f: one gradcore call."""
        p = self.compass.p()
        self.chart.trace(self.curve, self.thetas, self.compass.slopes(p, self.compass.grad_angle(p) + self.thetas))


@dataclass
class Trace:
    """DirectionalDerivative's cosine θ ↦ D_u f on its chart, and what its last step flattens or takes away."""

    line: SlopeTrace  # the chart, the curve θ ↦ D_u f and the dot at its end
    levels: VGroup  # the dashed lines at ±|∇f|, and their names
    names: VGroup
    norm: Mobject  # the number in "|∇f| = 3.61", live in step 6
    marks: VGroup = field(default_factory=VGroup)  # on the chart at each quarter turn
    map_marks: VGroup = field(default_factory=VGroup)
    note: VGroup = field(default_factory=VGroup)  # the note at the foot of the column, once there is one
