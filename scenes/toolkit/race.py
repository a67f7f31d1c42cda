"""Drawing for optimizer clips: a step as a sum of arrows, per-coordinate bars, a log-scale loss race.

* :class:`ArrowSum` — one optimizer step drawn as arrows on a map: the parts
  laid head to tail from the point, and their sum from the point to the next one;
  every end is kept in map coordinates (``tails``, ``heads``) for tests.
* :class:`Bars` — one bar per coordinate (e.g. √s of RMSProp's running average
  of squared gradients), their heights following a step number ``s``.
* :class:`LogRace` — several runs' ``f − f*`` against the step number on a
  log-scale chart, every curve growing with one step number ``s``.

Every follower is a :data:`~scenes.toolkit.rollout.Follower` pair, driven by
:func:`~scenes.toolkit.rollout.roll`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Line, Mobject, VGroup, VMobject

import gradcore
from gradcore.landscapes import VALLEYS, roll_through, rolling_starts
from scenes.toolkit.fields import arrow
from scenes.toolkit.graph import Graph
from scenes.toolkit.landscape import LandscapeView
from scenes.toolkit.rollout import STATUS_WORDS, count_steps, significant

NAMES = ("gd", "momentum", "nesterov", "rmsprop", "adam")
LABELS = {"gd": "GD", "momentum": "Momentum", "nesterov": "Nesterov", "rmsprop": "RMSProp", "adam": "Adam"}
# fmt: off
RACE_LINES = {  # step 5, by how many arrived (|∇f| < tol) without leaving the map
    "some": ("同一起点比赛，损失用对数刻度：{first} 最先到达，用了 {n} 步{rest}。",
             "The race, loss on a log scale: {first} arrives first ({n} steps){rest}."),
    "none": ("同一起点比赛，损失用对数刻度：{steps} 步内没有一个在地图上到达 |∇f| < {tol}{rest}。",
             "The race, loss on a log scale: none arrives at |∇f| < {tol} on the map within {steps} steps{rest}."),
}
# fmt: on

__all__ = ["MIN_ARROW", "ArrowSum", "Bars", "LogRace", "Magnifier", "decade_ticks", "log_floor"]

MIN_ARROW = 0.06  # screen units: a shorter arrow is not drawn (its tip would be all there is)


class ArrowSum(VGroup):
    """A step ``Σ parts`` from ``origin`` on a map: the parts head to tail, then their sum.

    Parameters
    ----------
    view
        The map the arrows are drawn on.
    origin
        Map point the step starts at, shape ``(2,)``.
    parts
        Map vectors, e.g. ``(βv, −η∇f)``; each starts where the one before ends.
    colours
        One per part, then one for the sum.

    Attributes
    ----------
    tails, heads
        Map points of each arrow's ends, parts first then the sum, shape ``(len(parts) + 1, 2)``.
    arrows
        The arrows drawn, in the same order; None where an arrow is shorter than :data:`MIN_ARROW`.

    Examples
    --------
    >>> view = LandscapeView(lambda x, y: x**2 + y**2, ((-1, 1), (-1, 1)), size=2.0)
    >>> step = ArrowSum(view, [0.0, 0.0], [np.array([0.5, 0.0]), np.array([0.0, 0.5])], ["#FF0000"] * 3)
    >>> step.heads.tolist(), step.tails[-1].tolist()
    ([[0.5, 0.0], [0.5, 0.5], [0.5, 0.5]], [0.0, 0.0])
    """

    def __init__(
        self, view: LandscapeView, origin: Any, parts: Sequence[Any], colours: Sequence[str], width: float = 5
    ):
        super().__init__()
        origin = np.asarray(origin, dtype=float)
        ends = origin + np.cumsum([np.zeros(2), *(np.asarray(p, dtype=float) for p in parts)], axis=0)
        self.view = view
        self.tails = np.vstack([ends[:-1], origin])
        self.heads = np.vstack([ends[1:], ends[-1]])
        self.arrows: list[Mobject | None] = []
        for tail, head, colour in zip(self.tails, self.heads, colours, strict=True):
            a, b = view.point(tail), view.point(head)
            drawn = arrow(a, b, colour, width) if np.linalg.norm(b - a) >= MIN_ARROW else None
            self.arrows.append(drawn)
            if drawn is not None:
                self.add(drawn)

    def drawn(self, index: int) -> Mobject | None:
        """Arrow ``index`` (a part, or ``-1`` for the sum), or None if too short to draw."""
        return self.arrows[index]


class Magnifier:
    """A square of a map around some points, magnified elsewhere on screen, with its outline on the map.

    Parameters
    ----------
    view
        The map.
    points
        Map points the square must show, shape ``(..., 2)``; it is ``1 + 2 pad`` times their spread.
    centre, size
        Screen centre and side of the magnified square.
    levels
        Level values drawn in it (the map's, so the curves continue the map's).

    Attributes
    ----------
    view
        The magnified square's :class:`~scenes.toolkit.landscape.LandscapeView` (draw in it like on the map).
    factor
        How many times larger it shows the map.
    picture, outline
        Its level curves and frame; the square's outline on the map.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> pal = SimpleNamespace(curve="#58C4DD", axes="#C8CDD2", highlight="#FFD166")
    >>> view = LandscapeView(lambda x, y: x**2 + y**2, ((-2, 2), (-2, 2)), size=4.0)
    >>> zoom = Magnifier(view, [[0.0, 0.0], [0.5, 0.25]], centre=(3, 0), size=2.0, levels=[0.5], palette=pal, pad=0.5)
    >>> zoom.view.box, zoom.factor
    (((-0.25, 0.75), (-0.375, 0.625)), 2.0)
    """

    def __init__(self, view: LandscapeView, points: Any, *, centre: Any, size: float, levels: Sequence[float],
                 palette: Any, pad: float = 0.25):  # fmt: skip
        points = np.asarray(points, dtype=float).reshape(-1, 2)
        low, high = points.min(axis=0), points.max(axis=0)
        half = max(0.5 * float(np.max(high - low)) * (1 + 2 * pad), 0.02 * view.span)
        mid = (low + high) / 2
        box = ((mid[0] - half, mid[0] + half), (mid[1] - half, mid[1] + half))
        self.view = LandscapeView(view.f, box, centre=centre, size=size, samples=41)
        self.factor = self.view.unit / view.unit
        (x0, x1), (y0, y1) = box
        corners = view.point([[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]])
        self.outline = VMobject(stroke_color=palette.highlight, stroke_width=2.5).set_points_as_corners(corners)
        curves = self.view.level_curves(levels, colour=palette.curve, width=1.6, opacity=0.7, samples=60)
        self.picture = VGroup(curves, self.view.frame(palette.axes))


class Bars(VGroup):
    """One bar per coordinate on a common baseline, heights ``value(s)`` on a linear scale up to ``top``.

    Parameters
    ----------
    value
        ``value(s)`` → the bars' values at step number ``s``, shape ``(n,)``, each ≥ 0.
    top
        The value drawn ``height`` high (the largest the bars reach).
    corner
        Screen point of the baseline's left end.

    Attributes
    ----------
    bars
        The filled bars, left to right (one per coordinate).
    baseline
        The line they stand on.
    """

    def __init__(
        self,
        value: Callable[[float], np.ndarray],
        count: int,
        top: float,
        colours: Sequence[str],
        *,
        corner: Any,
        height: float,
        width: float = 0.55,
        gap: float = 0.5,
        axis: str,
    ):
        super().__init__()
        self.value, self.top, self.tallest = value, max(float(top), 1e-300), height
        self.bar_width, self.gap = width, gap
        self.corner = np.array([*np.asarray(corner, dtype=float)[:2], 0.0])
        span = count * width + (count + 1) * gap
        self.baseline = Line(self.corner, self.corner + span * RIGHT, color=axis, stroke_width=2)
        self.bars = VGroup(
            *(VMobject(fill_color=c, fill_opacity=0.9, stroke_color=c, stroke_width=1) for c in colours[:count])
        )
        self.add(self.baseline, self.bars)
        self.draw(0.0)

    def left(self, index: int) -> float:
        """Screen x of bar ``index``'s left side."""
        return float(self.corner[0] + self.gap + index * (self.bar_width + self.gap))

    def centre(self, index: int) -> np.ndarray:
        """Screen point under the middle of bar ``index`` on the baseline (for its name)."""
        return np.array([self.left(index) + self.bar_width / 2, self.corner[1], 0.0])

    def draw(self, s: float) -> None:
        """Every bar at its value at step number ``s`` (a zero bar is a flat sliver)."""
        for index, (bar, v) in enumerate(zip(self.bars, np.asarray(self.value(s), dtype=float), strict=True)):
            h = max(self.tallest * min(float(v) / self.top, 1.0), 1e-3)
            x0, y0, x1 = self.left(index), self.corner[1], self.left(index) + self.bar_width
            bar.set_points_as_corners([[x0, y0, 0], [x1, y0, 0], [x1, y0 + h, 0],
                                       [x0, y0 + h, 0], [x0, y0, 0]])  # fmt: skip

    def shown(self) -> np.ndarray:
        """The values the bars show now, read back from their heights."""
        return np.array([(bar.get_top()[1] - self.corner[1]) / self.tallest * self.top for bar in self.bars])

    def followers(self) -> list:
        return [(self.bars, lambda _, s: self.draw(s))]


def log_floor(values: Sequence[np.ndarray], share: float = 1e-9) -> float:
    """The least value a log chart of ``values`` (each ≥ 0) shows: ``share`` of the largest, or their least above it.

    Examples
    --------
    >>> log_floor([np.array([1.0, 1e-3, 0.0])]), log_floor([np.array([10.0, 1e-12])])
    (0.001, 1e-08)
    """
    top = max(float(np.max(v)) for v in values)
    positive = [float(np.min(v[v > 0])) for v in values if np.any(v > 0)]
    least = min(positive, default=top)
    return max(least, share * top) if top > 0 else 1.0


def decade_ticks(low: float, high: float, most: int = 4) -> list[int]:
    """Powers of ten (their exponents) to mark on a log axis from ``low`` to ``high``: at most ``most``, ends kept.

    Examples
    --------
    >>> decade_ticks(1e-8, 30.0), decade_ticks(0.5, 3.0)
    ([-8, -5, -2, 1], [0])
    """
    first, last = int(np.ceil(np.log10(low) - 1e-9)), int(np.floor(np.log10(high) + 1e-9))
    if last < first:
        return [int(round(np.log10(np.sqrt(low * high))))]
    stride = max(1, int(np.ceil((last - first) / max(most - 1, 1))))
    return list(range(last, first - 1, -stride))[::-1]


class LogRace:
    """Runs' ``f − f*`` against the step number on one log-scale chart, all growing with one step number.

    Parameters
    ----------
    series
        One array per run: ``f(θ_k) − f*`` at its steps (≥ 0; values below the
        chart's floor are drawn on it).
    colours
        One per run.
    centre, size
        Screen centre and ``(width, height)`` of the chart.
    last
        The largest step number on the x-axis (default: the longest run).

    Attributes
    ----------
    graph
        The :class:`~scenes.toolkit.graph.Graph` in (step, log₁₀ value).
    curves
        One polyline per run.
    """

    def __init__(self, series: Sequence[Any], colours: Sequence[str], *, centre: Any, size: tuple[float, float],
                 axis: str, last: int | None = None):  # fmt: skip
        self.series = [np.asarray(v, dtype=float) for v in series]
        self.floor = log_floor(self.series)
        top = max(float(v.max()) for v in self.series)
        self.low, self.high = np.log10(self.floor), np.log10(max(top, self.floor * 10))
        pad = 0.06 * (self.high - self.low)
        self.last = max(last or max(len(v) - 1 for v in self.series), 1)
        hidden = {"stroke_opacity": 0, "include_ticks": False, "include_numbers": False}
        self.graph = Graph((0, self.last), (self.low - pad, self.high + pad), x_length=size[0], y_length=size[1],
                           centre=centre, axis_config=hidden)  # fmt: skip
        g = self.graph
        self.frame = VMobject(stroke_color=axis, stroke_width=2).set_points_as_corners(
            [g.point(0, g.y_range[1]), g.point(0, g.y_range[0]), g.point(self.last, g.y_range[0])]
        )
        self.curves = [VMobject(stroke_color=c, stroke_width=4) for c in colours]
        self.draw(0.0)

    def height(self, value: Any) -> np.ndarray:
        """Chart y (log₁₀) of values, clipped to the floor."""
        return np.log10(np.maximum(np.asarray(value, dtype=float), self.floor))

    def draw(self, s: float) -> None:
        """Each curve through its steps ``0 … ⌊s⌋`` and on to ``s`` (held at its end once its run is over)."""
        for curve, values in zip(self.curves, self.series, strict=True):
            end = min(s, len(values) - 1)
            k = int(np.floor(end + 1e-9))
            xs, ys = list(range(k + 1)), list(self.height(values[: k + 1]))
            if end > k + 1e-9:
                xs.append(end)
                ys.append(ys[-1] + (end - k) * (float(self.height(values[k + 1])) - ys[-1]))
            self.graph.trace(curve, xs, ys)

    def labels(self, make: Callable[[str], Mobject], names: tuple[Mobject, Mobject]) -> VGroup:
        """Decades ``10^k`` on the y-axis (``make`` builds one from Typst maths), the last step, axis names."""
        g, marks = self.graph, VGroup()
        for k in decade_ticks(self.floor, 10**self.high):
            marks.add(Line(g.point(0, k), g.point(0, k) + 0.08 * RIGHT, color=self.frame.get_color()))
            marks.add(g.y_label(make(f"10^({k})".replace("-", "−")), float(k)))
        marks.add(g.x_labels([0, self.last], lambda v: make(f"{int(v)}")))
        names[0].next_to(g.point(self.last / 2, g.y_range[0]), DOWN, buff=0.12)
        names[1].next_to(g.point(0, g.y_range[1]), UP, buff=0.1).align_to(self.frame, LEFT)
        return VGroup(self.frame, marks, VGroup(*names))

    def end_point(self, index: int) -> np.ndarray:
        """Screen point of curve ``index``'s end, as drawn."""
        return self.curves[index].get_end()

    def coords(self, point: Any) -> tuple[float, float]:
        """(step, value) of a screen point of the chart."""
        step, height = self.graph.coords(point)[:2]
        return float(step), float(10**height)

    def followers(self) -> list:
        return [(curve, lambda _, s: self.draw(s)) for curve in self.curves[:1]] + [
            (curve, lambda _, s: None) for curve in self.curves[1:]
        ]


def rows_of(parts: Sequence[Sequence[Mobject]], buff: float = 0.25, gap: float = 0.18) -> VGroup:
    """Rows of mobjects, each row left-aligned, the rows' columns aligned on their left edges."""
    widths = [max(row[c].width for row in parts if len(row) > c) for c in range(max(map(len, parts)))]
    group = VGroup()
    for row in parts:
        line = VGroup(*row)
        x = 0.0
        for c, item in enumerate(row):
            item.move_to([x, 0, 0], aligned_edge=LEFT)
            x += widths[c] + buff
        group.add(line)
    group.arrange(DOWN, aligned_edge=LEFT, buff=gap)
    for line in group:  # arrange moved each row as a whole: the columns stay aligned
        line.align_to(group, LEFT)
    return group


__all__ += ["rows_of"]


# --- what the runs showed, in words (picked by gradcore's numbers) ------------------------------
def cancel_kind(sums: list[ArrowSum], across: np.ndarray, share: float = 0.02) -> str:
    """``cancel`` when, in most steps shown, βv and −η∇f point opposite ways across the valley and alike along it.

    Across, both arrows must move at least ``share`` of the longer arrow's length: parts that barely
    move across (a start on the valley's axis) do not "cancel", they are not there.
    """
    if not sums:
        return "sum"
    votes = []
    for s in sums:
        kept, push = s.heads[0] - s.tails[0], s.heads[1] - s.tails[1]
        a, b = kept @ across, push @ across  # columns: along (smaller curvature), across (larger)
        seen = min(abs(a[1]), abs(b[1])) >= share * max(np.linalg.norm(kept), np.linalg.norm(push))
        votes.append(bool(seen and a[1] * b[1] < 0 and a[0] * b[0] > 0))
    return "cancel" if np.mean(votes) > 0.5 else "sum"


def race_words(paths: dict[str, gradcore.Path], p, exits: dict[str, int | None] | None = None) -> dict[str, str]:
    """Step 5's line: who arrived first and in how many steps, who last, who left the map, who did not arrive.

    ``exits`` gives each run's first step off the map (None: it stays on); a run that leaves the map is
    not counted as arriving, as the race table shows it (``off the map at k``).
    """
    exits = exits or {}
    gone = [n for n in NAMES if exits.get(n) is not None]
    arrived = sorted(
        (paths[n].steps, NAMES.index(n), n) for n in NAMES if paths[n].status == "converged" and n not in gone
    )
    missing = [LABELS[m] for m in NAMES if paths[m].status != "converged" and m not in gone]
    left = [LABELS[m] for m in gone]
    rest_zh = rest_en = ""
    if left:
        rest_zh += f"；{'、'.join(left)} 离开了地图"
        rest_en += f"; {', '.join(left)} {'leave' if len(left) > 1 else 'leaves'} the map"
    if missing and arrived:
        rest_zh += f"；{'、'.join(missing)} 没有到达"
        rest_en += f"; {', '.join(missing)} {'do' if len(missing) > 1 else 'does'} not arrive"
    if not arrived:
        zh, en = RACE_LINES["none"]
        tol = significant(p.tol)[1]
        return {
            "zh": zh.format(steps=p.steps, tol=tol, rest=rest_zh),
            "en": en.format(steps=p.steps, tol=tol, rest=rest_en),
        }
    first, n = LABELS[arrived[0][2]], arrived[0][0]
    if len(arrived) > 1:
        last = arrived[-1]
        rest_zh, rest_en = (
            f"，{LABELS[last[2]]} 最慢（{last[0]} 步）" + rest_zh,
            f", {LABELS[last[2]]} last ({last[0]})" + rest_en,
        )
    zh, en = RACE_LINES["some"]
    return {"zh": zh.format(first=first, n=n, rest=rest_zh), "en": en.format(first=first, n=n, rest=rest_en)}


def title_of(formula: str) -> tuple[str, str]:
    """The named landscape's title (with its formula), else the formula alone."""
    text = " ".join(formula.split())
    named = [ls for ls in gradcore.landscapes.LANDSCAPES.values() if " ".join(ls.formula.split()) == text]
    if named and len(text) < 30:
        f = named[0].formula.replace("*", " ")
        return f"{named[0].title_zh} $f = {f}$", f"{named[0].title_en} $f = {f}$"
    return (named[0].title_zh, named[0].title_en) if named else ("损失地形 $f(x, y)$", "the loss $f(x, y)$")


def race_table(scene: Any, balls: dict, colours: dict[str, str]) -> VGroup:
    """One row per optimizer of a race: its name in its colour, gradcore's step count (or status), its final f.

    ``scene`` is a lecture scene (its ``paths`` by name, ``params.tol`` and text helpers); ``balls`` the
    rollouts by name. The rows' mobjects are kept in ``table.shown``.
    """
    from scenes.toolkit.text import SIZE

    tol, say = significant(scene.params.tol)[0], scene.say
    head = scene.mixed(say(f"到达 $|nabla f| < {tol}$ 的步数，最后的 $f$", f"steps to $|nabla f| < {tol}$, final $f$"),
                       size=SIZE.SMALL, color=scene.palette.muted)  # fmt: skip
    rows = []
    for name in NAMES:
        path, ball = scene.paths[name], balls[name]
        done = path.status == "converged" and ball.exit_step is None
        rows.append([scene.text(LABELS[name], size=SIZE.SMALL, color=colours[name]),
                     scene.text(str(path.steps) if done else status_words(say, ball, short=True), size=SIZE.SMALL),
                     scene.math(significant(path.fun, 2)[0], size=SIZE.SMALL)])  # fmt: skip
    table = VGroup(head, rows_of(rows, gap=0.12)).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
    table.shown = rows
    return table


def status_words(say: Callable[[str, str], str], ball: Any, short: bool = False) -> str:
    """How a rollout's run ended, from gradcore: arrived after n steps, out of steps, diverged or left the map."""
    path = ball.path
    if ball.exit_step is not None:
        return (
            say(f"第 {ball.exit_step} 步出界", f"off the map at {ball.exit_step}")
            if short
            else say(f"第 {ball.exit_step} 步离开地图", f"left the map at step {ball.exit_step}")
        )
    if path.status == "converged" and not short:
        return say(f"{count_steps(path.steps)[0]}到达", f"arrives after {count_steps(path.steps)[1]}")
    return say(*STATUS_WORDS[path.status])


def curvatures(f, point) -> tuple[float, float]:
    """The Hessian's smaller and larger eigenvalue at ``point``: curvature along and across the valley."""
    low, high = np.linalg.eigvalsh(np.asarray(f.hessian(point), dtype=float).reshape(2, 2))
    return float(low), float(high)


def gd_kind(f, path: gradcore.Path, box, share: float = 1 / 3) -> str:
    """``diverged`` (gradcore.verdict), ``zigzag`` (``share`` of the steps cross the valley again) or ``smooth``;
    ``bouncing`` for a zig-zag that has not arrived and whose last steps still cross as far as its first."""
    if gradcore.verdict(path, box) == "diverged":
        return "diverged"
    if gradcore.optimizers.zigzag_share(f, path.points) < share:
        return "smooth"
    points = np.asarray(path.points, dtype=float)
    across = np.linalg.eigh(np.asarray(f.hessian(points[-1]), dtype=float).reshape(2, 2))[1][:, -1]
    moves = np.abs(np.diff(points, axis=0) @ across)
    return "bouncing" if path.status != "converged" and moves[-1] >= 0.5 * moves[0] else "zigzag"


def exact(value: float, one_minus: bool = False) -> str:
    """A constant of the config written as typed (its shortest decimal), or ``1 −`` it, without rounding.

    β = 0.9999 must not read "1", nor 1 − β₂ read "0".

    Examples
    --------
    >>> exact(0.9999), exact(0.9999, one_minus=True), exact(0.6), exact(0.0, one_minus=True), exact(1e-5)
    ('0.9999', '0.0001', '0.6', '1', '0.00001')
    """
    number = Decimal(repr(float(value)))
    return format((Decimal(1) - number if one_minus else number).normalize(), "f")


def round_down(value: float) -> float:
    """The largest 1, 2 or 5 × 10ᵏ not above ``value`` (a scale a viewer reads at a glance)."""
    exponent = np.floor(np.log10(value))
    return float(max(m * 10**exponent for m in (1, 2, 5) if m * 10**exponent <= value * (1 + 1e-9)))


def valley_lesson(p) -> gradcore.landscapes.Rolling:
    """Step 6: plain descent and momentum from ``valley_start`` with ``valley_lr`` and β (gradcore.roll_through)."""
    box = (p.valley_x_range, p.valley_y_range)
    minima = gradcore.find_minima(p.valley_formula, box)
    return roll_through(p.valley_formula, [p.valley_start], box, minima, lr=p.valley_lr, beta=p.beta,
                        steps=p.steps, tol=p.tol)[0]  # fmt: skip


def valley_problem(p, most_steps: int) -> str | None:
    """Why step 6 cannot show momentum rolling on from ``valley_start``, with a value that works (checked); else None.

    The fix tried, in order: another start of the map (at the configured steps, then with up to
    ``most_steps`` steps), then ``valley_lr = 0.2`` (the default), then the default landscape.
    """
    lesson = valley_lesson(p)
    if lesson.rolls_on:
        return None
    box, minima = (p.valley_x_range, p.valley_y_range), lesson.minima
    if len(minima) < 2:
        return _step6_fallback(p, f"it has {len(minima)} valley on the map, and step 6 needs two")
    where = lambda i: "no minimum (out of steps or off the map)" if i is None else f"f = {minima[i].value:.3g}"  # noqa: E731
    at = f"[{p.valley_start[0]:g}, {p.valley_start[1]:g}]"
    why = (f"from valley_start = {at} plain descent ends at {where(lesson.plain_end)} and momentum at "
           f"{where(lesson.heavy_end)}, so momentum does not roll on into a deeper valley")  # fmt: skip
    f, start = p.valley_formula, [p.valley_start]
    if p.steps < most_steps and roll_through(f, start, box, minima, lr=p.valley_lr, beta=p.beta, steps=most_steps,
                                             tol=p.tol)[0].rolls_on:  # fmt: skip
        run = roll_through(f, start, box, minima, lr=p.valley_lr, beta=p.beta, steps=most_steps, tol=p.tol)[0]
        return f"key 'steps': {why} within {p.steps} steps; try steps = {max(run.plain.steps, run.heavy.steps)}"
    tries = [
        ("valley_start", p.valley_lr, p.beta),
        ("valley_lr", 0.2, p.beta),
        ("beta", p.valley_lr, 0.6),
        ("beta", 0.2, 0.6),
    ]
    for key, lr, beta in tries:
        found = rolling_starts(f, box, minima, lr=lr, beta=beta, steps=most_steps, tol=p.tol)
        if found:
            r = found[0]
            more = [f"valley_start = [{r.start[0]:.2f}, {r.start[1]:.2f}]"]
            more += [f"valley_lr = {lr:g}"] * (lr != p.valley_lr) + [f"beta = {beta:g}"] * (beta != p.beta)
            more += [f"steps = {max(r.plain.steps, r.heavy.steps)}"] * (max(r.plain.steps, r.heavy.steps) > p.steps)
            return f"key '{key}': {why}; try " + ", ".join(more)
    return _step6_fallback(p, f"{why}, and no start of the map does")


def _step6_fallback(p, why: str) -> str:
    """The first change that makes step 6 work from ``valley_start`` (checked): the default map ranges, the
    default tol, then the default landscape with its start, η, β and tol."""
    ranges = {"valley_x_range": list(VALLEYS.x_range), "valley_y_range": list(VALLEYS.y_range)}
    ranges = {k: v for k, v in ranges.items() if [float(a) for a in p[k]] != v}
    tol = {"tol": 1e-3} if p.tol > 1e-3 else {}
    landscape = {"valley_formula": VALLEYS, **ranges, "valley_start": [2.0, 2.0], "valley_lr": 0.2, "beta": 0.6, **tol}
    tries = [ranges, tol, {**ranges, **tol}, {"valley_formula": VALLEYS, **ranges, **tol}, landscape]
    for change in (t for t in [*tries, {**landscape, "steps": max(p.steps, 200)}] if t):
        q = SimpleNamespace(**{**dict(p), **change})
        if valley_lesson(q).rolls_on:
            shown = {k: (VALLEYS.formula if v is VALLEYS else v) for k, v in change.items()}
            values = ", ".join(f"{k} = {_toml(v)}" for k, v in shown.items())
            return f"key '{next(iter(change))}': {why}; try {values}"
    return f"key 'valley_formula': {why}; try the defaults of step 6"  # not reached with the default landscape


def _toml(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(f"{float(v):g}" for v in value) + "]"
    return f"{value:g}"


__all__ += ["race_table", "round_down", "valley_lesson", "valley_problem"]
__all__ += ["LABELS", "NAMES", "RACE_LINES", "cancel_kind", "curvatures", "gd_kind", "race_words", "status_words"]
__all__ += ["exact", "title_of"]
