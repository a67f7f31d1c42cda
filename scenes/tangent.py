"""The tangent arrow on y = x², and why the derivative is already a one-component gradient.

Render: manim render -ql scenes/tangent.py TangentArrow
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    GrowArrow,
    Mobject,
    Polygon,
    ReplacementTransform,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    always_redraw,
    linear,
)

import gradcore
from scenes.toolkit import SIZE, LectureScene, Param
from scenes.toolkit.graph import CORNERS, Graph, value_range
from scenes.toolkit.plotting import fit_width, fmt, paren, row, sample_range, tick_step

SECANT_H = (0.24, 1 / 120)  # h starts at this share of the x-axis (less near an end), ends 120 times smaller
TANGENT_LENGTH = 3.2  # on-screen length of the drawn tangent and secant lines (cut at the plot's edges)
PLOT_CENTRE, PLOT_SIZE = (-2.85, 0.3), (7.4, 5.4)  # the plot fills the left of the frame
BELOW_AXIS = 0.22  # room kept below the x-axis for the input arrows, as a share of the y span
PANEL_TOP, PANEL_WIDTH = np.array([1.35, 3.55, 0]), 5.5  # the right-hand panel spans x from 1.35 to 6.85
MAX_ARROW = 0.3  # the longest gradient arrow in the sweep, as a share of the x-axis span
SEEN = 0.03  # the ∇f arrow at P and the descent step are at least this share of the x-axis, or nobody sees them
SWEEP_SEEN = 0.1  # the sweep's longest arrow is at least this share of the x-axis
MAX_STOPS = 6  # the sweep stops at every f'(x) = 0 in it: at most this many keep the clip a few minutes long

# --- what the narration may say: one line per outcome, chosen from the numbers ---------------
# fmt: off
SECANT_LINES = {  # which side of P the secant's second point lies on (h > 0 unless P is near the right end)
    "right": {"zh": "割线连接 (x, f(x)) 和 (x+h, f(x+h))。h 越来越小，割线的斜率趋近切线的斜率 f'(x)。",
              "en": "A secant joins (x, f(x)) and (x+h, f(x+h)). As h shrinks, its slope approaches the tangent's slope f'(x)."},
    "left": {"zh": "割线连接 (x, f(x)) 和 (x+h, f(x+h))，这里 h < 0。h 趋近 0，割线的斜率趋近切线的斜率 f'(x)。",
             "en": "A secant joins (x, f(x)) and (x+h, f(x+h)), here with h < 0. As h nears 0, its slope approaches f'(x)."},
}
SWEEP_CLAUSES = {  # fact of the sweep (gradcore.paths.SlopeTour.facts) → (zh, en) clause; sweep_line joins those that hold
    "falls": ("曲线下降处箭头指向 −x", "points −x where the curve falls"),
    "flat": ("切线水平处箭头消失", "vanishes where {it} is flat"),
    "rises": ("曲线上升处{arrow}指向 +x", "points +x where {it} rises"),
    "steeper": ("越陡越长", "is longer where steeper"),
    "even": ("斜率几乎不变，长度也几乎不变", "keeps about one length: the slope barely changes"),
}
STEP_LINES = {  # f(x₁) against f(x₀): gradcore.paths.value_change on the span of f
    "lower": {"zh": "梯度指向上坡，所以往反方向走一小步：x ← x − η f'(x)。f 的值变小了。",
              "en": "The gradient points uphill, so take a small step the other way: x ← x − η f'(x). f gets smaller."},
    "same": {"zh": "梯度指向上坡，所以往反方向走一步：x ← x − η f'(x)。这一步落在差不多同样的高度，f 几乎没变。",
             "en": "The gradient points uphill, so step the other way: x ← x − η f'(x). This step lands at about the same height."},
    "higher": {"zh": "梯度指向上坡，所以往反方向走一步：x ← x − η f'(x)。这一步太大，越过了最低处，f 反而变大了。",
               "en": "The gradient points uphill, so step the other way: x ← x − η f'(x). This step is too long: it overshoots and f gets larger."},
}
STEP_SUMMARY = {  # the summary's line about the step: true after what the clip showed
    "lower": ("沿 $-nabla f$ 走一步，$f$ 变小：$x arrow.l x - eta f'(x)$", "a step along $-nabla f$ lowers $f$: $x arrow.l x - eta f'(x)$"),
    "other": ("沿 $-nabla f$ 走足够小的一步，$f$ 才变小：$x arrow.l x - eta f'(x)$",
              "a small enough step along $-nabla f$ lowers $f$: $x arrow.l x - eta f'(x)$"),
}
# fmt: on


def sweep_line(facts: frozenset[str]) -> dict[str, str]:
    """The sweep's narration from the facts that hold (see :class:`gradcore.paths.SlopeTour`)."""
    kept = [k for k in SWEEP_CLAUSES if k in facts]
    zh = "，".join(SWEEP_CLAUSES[k][0] for k in kept).replace("{arrow}", "" if "falls" in facts else "箭头")
    en = [SWEEP_CLAUSES[k][1].replace("{it}", "it" if kept.index(k) else "the curve") for k in kept]
    return {
        "zh": f"让 x 扫过整个区间：{zh}。",
        "en": "As x sweeps, the arrow " + ", ".join(en[:-1]) + f", and {en[-1]}.",
    }


def _decimals(unit: float) -> int:
    """Decimals that resolve a hundredth of ``unit`` (a span), at least two."""
    return int(max(2, 2 - np.floor(np.log10(max(abs(unit), 1e-300)))))


@dataclass
class Marks:
    """What stays on screen at P = (x, f(x)) from one section to the next (the tests' probe reads it too)."""

    point: Dot  # P on the curve
    formula: Mobject  # "f(x) = …", the head of the right-hand panel: the panel's rows hang below it
    drop: Mobject | None = None  # dashed line from P down to the x-axis
    tangent: Mobject | None = None  # the tangent line at P
    arrow: Mobject | None = None  # the gradient arrow on the x-axis
    x: ValueTracker | None = None  # P's input, once the sweep drives it
    step: Mobject | None = None  # the descent step's arrow
    live: tuple[Mobject, ...] = ()  # what follows x (P and the readout) until the step downhill ends


class TangentArrow(LectureScene):
    """One-variable gradient: the slope as an arrow on the input axis."""

    config_table = "tangent"
    parameters = {
        "formula": Param("x^2", "the curve y = f(x), in x", "formula", variables=("x",), finite_on=("x_range",)),
        "x_range": Param([-2.5, 2.5], "the plotted x interval", "range"),
        "point": Param(1.0, "where the tangent and gradient are first shown", "point", inside=("x_range",)),
        "sweep": Param([-1.5, 1.5], "the x interval the point sweeps through in step 5", "range", inside=("x_range",)),
        "lr": Param(0.25, "learning rate η of the descent step x ← x − η f'(x)",
                    "positive", maximum=1e4),  # least: config's floor; a step too short to see is refused
    }  # fmt: skip

    @classmethod
    def check_params(cls, params) -> str | None:
        """f must slope at the point, the sweep's arrows and stops must fit, and the step must land on the plot."""
        p = params
        found = gradcore.paths.tour_problem(
            p.formula, p.x_range, p.point, p.sweep, p.lr, longest=MAX_ARROW, seen=SEEN, stops=MAX_STOPS
        )
        if found is None:
            return None
        key, why, fix = found  # fix: a value of key that works, computed
        fix = fix if isinstance(fix, str) else "[{:.4g}, {:.4g}]".format(*fix) if key == "sweep" else f"{fix:.4g}"
        return f"key '{key}': {why}; try {key} = {fix}"

    # --- construct: the table of contents ----------------------------------------
    def construct(self) -> None:
        p = self.params
        x0, self.f = p.point, p.formula
        self.tour = gradcore.paths.slope_tour(self.f, p.x_range, x0, p.sweep, p.lr, longest=MAX_ARROW)
        self.graph = self.build_graph()
        self.arrow_scale = self.tour.scale  # no arrow of the sweep or at P leaves the axis
        (lo, hi), (ylo, yhi) = p.x_range, self.graph.y_range
        self.units = (hi - lo, yhi - ylo, (yhi - ylo) / (hi - lo))  # labels resolve a hundredth of these: x, f, f'

        marks, coords = self.show_curve(x0)
        self.marks = marks  # read by the tests' probe after every play
        self.show_two_ways(x0, marks, coords)
        slope_label = self.show_tangent(x0, marks)
        self.show_gradient_vector(x0, marks, below=slope_label)
        readout = self.sweep(x0, marks, slope_label)
        self.step_downhill(x0, marks, below=readout)
        self.summary()

    # --- numbers from gradcore, and the plot they are drawn on ----------------------
    def slope(self, x: float) -> float:
        return float(gradcore.derivative(self.f, x))

    def build_graph(self) -> Graph:
        """The plot of y = f(x) over x_range, with room below the x-axis for the input arrows."""
        x_range = self.params.x_range
        y_range = value_range(self.f(sample_range(x_range)), pad=0.12, below=BELOW_AXIS)
        style = {"color": self.palette.axes, "stroke_width": 2, "include_numbers": False}
        width, height = PLOT_SIZE
        return Graph(x_range, y_range, x_length=width, y_length=height, centre=PLOT_CENTRE, f=self.f, axis_config=style)

    def fx(self, value: float, unit: int = 0) -> str:
        """A label's number: an x (``unit`` 0), a value of f (1) or a slope (2), to a hundredth of the plot's span."""
        return fmt(value, decimals=self.digits(unit))

    def digits(self, unit: int) -> int:
        return _decimals(self.units[unit])

    def triangle_run(self, x0: float, f0: float, m0: float) -> float:
        """Run of the rise-over-run triangle and of the tangent vector run · (1, f'): round, to the right, on the plot."""
        (lo, hi), (ylo, yhi) = self.graph.x_range, self.graph.y_range
        up = yhi - f0 if m0 > 0 else f0 - ylo  # the triangle's top f0 + m0 · run stays in the y range
        room = max(min(tick_step((lo, hi)), 0.8 * (hi - x0), 0.9 * up / max(abs(m0), 1e-300)), 1e-6 * (hi - lo))
        return gradcore.paths.roundest_in(room / 2, room, near=room)

    def away_from_point(self, x: float) -> np.ndarray:
        """Side of the x-axis facing away from the graph point above (or below) ``x``."""
        return DOWN if float(self.f(x)) >= 0 else UP

    def panel(self, *mobjects: Mobject, below: Mobject | None = None, buff: float = 0.35) -> VGroup:
        """Left-align mobjects in the right-hand panel, under ``below`` (or at its top)."""
        for mobject in mobjects:
            fit_width(mobject, PANEL_WIDTH)
        group = VGroup(*mobjects).arrange(DOWN, aligned_edge=LEFT, buff=0.22)
        if below is None:
            return group.move_to(PANEL_TOP, aligned_edge=UP + LEFT)
        group.next_to(below, DOWN, buff=buff, aligned_edge=LEFT)
        return group.set_x(PANEL_TOP[0], direction=LEFT)

    def tangent_line(self, x: float, slope: float, colour: str) -> Mobject:
        """A segment of the line through (x, f(x)) with the given slope, TANGENT_LENGTH long on screen, cut at the plot."""
        return self.graph.slope_segment(x, slope, TANGENT_LENGTH, color=colour, stroke_width=4)

    def drop_line(self, x: float) -> Mobject:
        """The dashed line from (x, f(x)) down (or up) to the x-axis."""
        return DashedLine(self.graph.on_curve(x), self.graph.point(x, 0.0), color=self.palette.muted, stroke_width=2)

    def input_arrow(self, x: float) -> VMobject:
        """The gradient arrow on the x-axis at ``x``; hidden (fully transparent) when f'(x) is zero on screen."""
        start, end = self.graph.point([x, x + self.arrow_scale * self.slope(x)], 0.0)
        length = np.linalg.norm(end - start)
        if length < 1e-3:
            return Arrow(start, start + 0.01 * RIGHT, buff=0).set_opacity(0)
        tip = 0.35 if length > 0.6 else 0.5
        return Arrow(
            start, end, buff=0, color=self.palette.gradient, stroke_width=6, max_tip_length_to_length_ratio=tip
        )

    # Section: the curve
    def show_curve(self, x0: float) -> tuple[Marks, VGroup]:
        """Axes, curve, P and the formula; returns the marks and P's coordinates (the next step fades them)."""
        self.step(
            "curve",
            zh="这是函数 y = f(x) 的图像。取图像上的一点。",
            en="Here is the graph of y = f(x). We pick one point on it.",
        )
        pal, graph = self.palette, self.graph
        names = graph.axis_names(
            self.math("x", color=pal.muted, size=SIZE.LABEL), self.math("y", color=pal.muted, size=SIZE.LABEL)
        )
        names[0].next_to(graph.point(graph.x_range[1], 0.0), RIGHT, buff=0.12)  # arrows may reach the axis' end
        names.add(graph.tick_numbers(lambda v: self.math(f"{v:g}".replace("-", "−"), color=pal.muted, size=SIZE.SMALL)))
        curve = graph.plot(color=pal.curve, stroke_width=4)
        formula = self.panel(self.math(f"f(x) = {self.f.typst}", color=pal.curve))
        point = Dot(graph.on_curve(x0), color=pal.highlight, radius=0.08)
        name = graph.place_label(self.math("P", size=SIZE.LABEL, color=pal.highlight), point.get_center())
        coords = self.panel(self.math(f"P = ({self.fx(x0)}, {self.fx(self.f(x0), 1)})", size=SIZE.BODY), below=formula)
        self.play(Create(graph.axes), FadeIn(names), run_time=1.2)
        self.play(Create(curve), Write(formula), run_time=1.6)
        self.play(FadeIn(point, scale=1.6), FadeIn(name), FadeIn(coords), run_time=0.8)
        self.wait(1.0)
        return Marks(point=point, formula=formula), VGroup(name, coords)

    # Section: two ways to move
    def show_two_ways(self, x0: float, marks: Marks, coords: VGroup) -> None:
        self.step(
            "two ways to move",
            zh="在曲线上，这个点只能沿曲线朝两个方向滑动；在下面的 x 轴上，输入也只能增大或减小。",
            en="On the curve the point can only slide two ways; below, on the x-axis, "
            "the input can only grow or shrink.",
        )
        pal, graph = self.palette, self.graph
        up_sign = 1.0 if self.slope(x0) >= 0 else -1.0  # moving +x raises f when f'(x0) > 0
        at, base, away = marks.point.get_center(), graph.point(x0, 0.0), self.away_from_point(x0)
        along = graph.direction(self.slope(x0))
        on_curve, on_axis = VGroup(), VGroup()
        for sign, end in ((1.0, graph.x_range[1]), (-1.0, graph.x_range[0])):
            room = float(np.linalg.norm(graph.point(end, 0.0) - base))  # on screen, to the axis' end
            length = float(np.clip(room - 0.1, 0.35, 0.9))
            style = {
                "color": pal.gradient if sign == up_sign else pal.descent,
                "stroke_width": 5,
                "max_tip_length_to_length_ratio": 0.3,
            }
            on_curve.add(Arrow(at, at + length * along * sign, buff=0.1, **style))
            on_axis.add(Arrow(base, base + length * RIGHT * sign, buff=0.08, **style).shift(0.32 * away))
        axis_labels = VGroup(
            self.math("+x", color=pal.text, size=SIZE.SMALL).next_to(on_axis[0], away, 0.1),
            self.math("-x", color=pal.text, size=SIZE.SMALL).next_to(on_axis[1], away, 0.1),
        )
        marks.drop = self.drop_line(x0)
        legend = self.panel(
            self.text(self.say("上坡：f 增大", "uphill: f grows"), color=pal.gradient, size=SIZE.LABEL),
            self.text(self.say("下坡：f 减小", "downhill: f shrinks"), color=pal.descent, size=SIZE.LABEL),
            below=marks.formula,
        )
        self.play(FadeOut(coords), *(GrowArrow(a) for a in on_curve), FadeIn(legend), run_time=1.2)
        self.wait(0.8)
        self.play(Create(marks.drop), *(GrowArrow(a) for a in on_axis), FadeIn(axis_labels), run_time=1.2)
        self.wait(1.5)
        self.play(FadeOut(on_curve), FadeOut(on_axis), FadeOut(axis_labels), FadeOut(legend), run_time=0.6)

    # Section: the tangent
    def show_tangent(self, x0: float, marks: Marks) -> Mobject:
        """Secant to tangent, then the rise-over-run triangle; returns the slope label left in the panel."""
        (lo, hi), span = self.params.x_range, self.tour.span
        side = "right" if hi - x0 >= min(x0 - lo, SECANT_H[0] * span / 1.6) else "left"  # x + h stays on the plot
        h0 = min(SECANT_H[0] * span, 0.8 * (hi - x0 if side == "right" else x0 - lo)) * (1 if side == "right" else -1)
        self.step("the tangent", **SECANT_LINES[side])
        pal, graph = self.palette, self.graph
        h = ValueTracker(h0)
        fx0 = float(self.f(x0))

        def secant_slope() -> float:
            return float((self.f(x0 + h.get_value()) - fx0) / h.get_value())  # (f(x+h) − f(x)) / h

        secant = always_redraw(lambda: self.tangent_line(x0, secant_slope(), pal.direction))
        far = always_redraw(lambda: Dot(graph.on_curve(x0 + h.get_value()), color=pal.direction, radius=0.06))
        h_value = self.number(h.get_value(), size=SIZE.BODY, decimals=_decimals(100 * abs(h0 * SECANT_H[1])))
        slope_value = self.number(secant_slope(), size=SIZE.BODY, color=pal.direction, decimals=self.digits(2))
        h_value.add_updater(lambda m: m.set_value(h.get_value()))
        slope_value.add_updater(lambda m: m.set_value(secant_slope()))
        rows = self.panel(
            row(self.math("h =", size=SIZE.BODY), h_value),
            row(self.math("frac(f(x+h) - f(x), h) =", size=SIZE.BODY), slope_value),
            below=marks.formula,
        )
        self.play(Create(secant), FadeIn(far), FadeIn(rows), run_time=1.0)
        self.play(h.animate.set_value(h0 * SECANT_H[1]), run_time=4.0, rate_func=lambda t: 1 - (1 - t) ** 2)
        self.wait(0.6)

        m0 = self.slope(x0)
        marks.tangent = self.tangent_line(x0, m0, pal.tangent)
        run = self.triangle_run(x0, fx0, m0)
        corner, right, top = graph.point([x0, x0 + run, x0 + run], [fx0, fx0, fx0 + m0 * run])
        triangle = Polygon(corner, right, top, color=pal.tangent, stroke_width=2, fill_opacity=0.15)
        run_label = graph.place_label(self.math(self.fx(run), size=SIZE.SMALL, color=pal.tangent), (corner + right) / 2)
        rise = self.math(self.fx(m0 * run, 1), size=SIZE.SMALL, color=pal.tangent)
        rise_label = graph.place_label(rise, (right + top) / 2, hard=np.array([*map(run_label.get_corner, CORNERS)]))
        slope_label = self.math(f"f'({self.fx(x0)}) = {self.fx(m0, 2)}", color=pal.tangent).move_to(
            rows[1], aligned_edge=LEFT
        )
        rows[1].clear_updaters()
        self.play(
            ReplacementTransform(secant, marks.tangent),
            FadeOut(far),
            FadeOut(rows[1]),
            FadeIn(slope_label),
            FadeOut(rows[0]),
            run_time=1.2,
        )
        self.play(Create(triangle), FadeIn(run_label), FadeIn(rise_label), run_time=1.0)
        self.wait(1.5)
        self.play(FadeOut(triangle), FadeOut(run_label), FadeOut(rise_label), run_time=0.5)
        h_value.clear_updaters()
        return slope_label

    # Section: the derivative as a vector
    def show_gradient_vector(self, x0: float, marks: Marks, below: Mobject) -> None:
        self.step(
            "the derivative as a vector",
            zh="把 f'(x) 画成 x 轴上的箭头：方向是让 f 增大的输入方向，长度是陡峭程度。这就是一维的梯度 ∇f = [f'(x)]。",
            en="As an arrow on the x-axis, f'(x) points where the input must go for f to grow, "
            "and its length is the steepness: the gradient ∇f = [f'(x)].",
        )
        pal, graph = self.palette, self.graph
        m0, fx0, scale = self.slope(x0), float(self.f(x0)), self.arrow_scale
        marks.arrow = self.input_arrow(x0)
        value = self.math(f"nabla f({self.fx(x0)}) = [{self.fx(m0, 2)}]", color=pal.gradient)
        (lo, hi), (ylo, yhi) = graph.x_range, graph.y_range
        run = scale if lo <= x0 + scale <= hi and ylo <= fx0 + scale * m0 <= yhi else self.triangle_run(x0, fx0, m0)
        zh, en = (f"箭头按 ×{scale:.2g} 画", f"arrows drawn ×{scale:.2g}") if run == scale else (
            f"∇f 按 ×{scale:.2g}、切线按 ×{run:.2g} 画", f"∇f drawn ×{scale:.2g}, tangent ×{run:.2g}")  # fmt: skip
        note = self.text(self.say(zh, en), color=pal.muted, size=SIZE.SMALL)
        grad_label = VGroup(
            graph.place_label(self.math("nabla f", color=pal.gradient, size=SIZE.LABEL), marks.arrow.get_center()),
            self.panel(value, note, below=below) if scale != 1 else self.panel(value, below=below),
        )
        self.play(GrowArrow(marks.arrow), FadeIn(grad_label), run_time=1.4)
        self.wait(1.0)

        # The tangent's direction (1, f'(x)) lives in the plane of the graph: a different object.
        # Drawn as run × (1, f'(x)) with its two components dashed, in the direction colour.
        start = marks.point.get_center()
        corner, tip = graph.point([x0 + run, x0 + run], [fx0, fx0 + run * m0])
        along = VGroup(
            DashedLine(start, corner, color=pal.direction, stroke_width=2),
            DashedLine(corner, tip, color=pal.direction, stroke_width=2),
            Arrow(start, tip, buff=0, color=pal.direction, stroke_width=6, max_tip_length_to_length_ratio=0.2),
        )
        contrast = self.panel(*self.tangent_versus_gradient(x0, m0), below=grad_label[1])
        self.play(Create(along), FadeIn(contrast[0]), run_time=1.2)
        self.wait(1.0)
        self.play(FadeIn(contrast[1]), run_time=1.0)
        self.wait(2.0)
        self.play(FadeOut(along), FadeOut(contrast), FadeOut(grad_label), run_time=0.6)

    def tangent_versus_gradient(self, x0: float, m0: float) -> VGroup:
        """Two panel blocks: the tangent direction lives in the (x, y) plane, the gradient on the input axis."""
        pal = self.palette
        tangent_vector = f"(1, f'({self.fx(x0)})) = (1, {self.fx(m0, 2)})"
        rows = (
            (self.mixed, pal.direction, f"切线 ${tangent_vector}$", f"tangent ${tangent_vector}$"),
            (self.text, pal.direction, "在 (x, y) 平面里", "lies in the (x, y) plane"),
            (self.mixed, pal.gradient, "梯度 $[f'(x)]$：在 x 轴上", "gradient $[f'(x)]$: on the x-axis"),
            (self.text, pal.text, "我们能选的只有输入 x：", "x is the one thing we choose:"),
            (self.text, pal.text, "梯度说 x 往哪边 f 增大", "the gradient says which way f grows"),
        )
        made = [make(self.say(zh, en), color=colour, size=SIZE.SMALL) for make, colour, zh, en in rows]
        blocks = (VGroup(*made[:2]), VGroup(*made[2:]))  # the tangent's block, the gradient's block
        return VGroup(*(block.arrange(DOWN, aligned_edge=LEFT, buff=0.12) for block in blocks))

    # Section: sweep
    def sweep(self, x0: float, marks: Marks, slope_label: Mobject) -> VGroup:
        """x sweeps the interval, stopping where f'(x) = 0; returns the live readout (x, f'(x)) in the panel."""
        self.step("sweep", **sweep_line(self.tour.facts))
        pal, graph = self.palette, self.graph
        x = marks.x = ValueTracker(x0)
        self.remove(marks.arrow, marks.tangent, marks.drop)
        marks.tangent = always_redraw(lambda: self.tangent_line(x.get_value(), self.slope(x.get_value()), pal.tangent))
        marks.arrow = always_redraw(lambda: self.input_arrow(x.get_value()))
        marks.drop = always_redraw(lambda: self.drop_line(x.get_value()))
        marks.point.add_updater(lambda d: d.move_to(graph.on_curve(x.get_value())))
        x_value = self.number(x0, sign=True, decimals=self.digits(0))
        slope_value = self.number(self.slope(x0), sign=True, color=pal.gradient, decimals=self.digits(2))
        x_value.add_updater(lambda m: m.set_value(x.get_value()))
        slope_value.add_updater(lambda m: m.set_value(self.slope(round(x.get_value(), self.digits(0)))))  # of x shown
        readout = self.panel(
            row(self.math("x =", size=SIZE.BODY), x_value),
            row(self.math("nabla f = f'(x) =", size=SIZE.BODY, color=pal.gradient), slope_value),
            below=marks.formula,
        )
        marks.live = (x_value, slope_value, marks.point)  # they follow x until the step downhill ends
        self.add(marks.tangent, marks.drop, marks.arrow)
        self.play(FadeOut(slope_label), run_time=0.4)
        self.play(FadeIn(readout), run_time=0.5)

        lo, hi = self.params.sweep
        stops = list(self.tour.stops)  # at most MAX_STOPS (checked before rendering)
        for target in [lo, *stops, hi, x0]:
            distance = abs(target - x.get_value())
            self.play(
                x.animate.set_value(target),
                run_time=max(0.6, 6.5 * distance / self.tour.span),  # 1.3 s a fifth of the axis
                rate_func=linear if target not in stops else lambda t: 1 - (1 - t) ** 2,
            )
            if target in stops:
                note = self.mixed(
                    self.say("$f'(x) = 0$：切线水平，箭头消失", "$f'(x) = 0$: flat tangent, no arrow"),
                    color=pal.highlight,
                    size=SIZE.SMALL,
                )
                note.next_to(readout, DOWN, buff=0.3, aligned_edge=LEFT)
                self.play(FadeIn(note), run_time=0.4)
                self.wait(1.0)
                self.play(FadeOut(note), run_time=0.4)
        self.wait(0.5)
        return readout

    # Section: one step downhill
    def step_downhill(self, x0: float, marks: Marks, below: Mobject) -> None:
        self.step("one step downhill", **STEP_LINES[self.tour.change])
        pal, graph = self.palette, self.graph
        lr = self.params.lr
        path = gradcore.descend(self.f, [x0], lr=lr, steps=1, tol=0)
        x1 = float(path.points[1, 0])  # = self.tour.x1, on the plot (checked before rendering)
        m0 = self.slope(x0)
        marks.step = Arrow(
            *graph.point([x0, x1], 0.0), buff=0, color=pal.descent, stroke_width=6, max_tip_length_to_length_ratio=0.35
        ).shift(0.3 * self.away_from_point(x0))
        update = self.panel(
            self.math("x_1 = x_0 - eta thin f'(x_0)", color=pal.descent),
            self.math(
                f"= {self.fx(x0)} - {fmt(lr, decimals=_decimals(lr))} dot {paren(self.fx(m0, 2))} = {self.fx(x1)}",
                color=pal.descent,
            ),
            below=below,
        )
        f0, f1 = (self.fx(v, 1) for v in path.values)
        values = self.panel(
            self.math(f"f({self.fx(x0)}) = {f0}"), self.math(f"arrow.r f({self.fx(x1)}) = {f1}"), below=update
        )
        self.play(FadeIn(update[0]), run_time=0.8)
        self.play(FadeIn(update[1]), GrowArrow(marks.step), run_time=1.2)
        self.play(marks.x.animate.set_value(x1), run_time=1.6)
        for mob in marks.live:
            mob.clear_updaters()
        self.play(FadeIn(values), run_time=0.8)
        self.wait(2.0)

    # Section: summary
    def summary(self) -> None:
        self.step(
            "summary",
            zh="f'(x) 是一个数；写成向量 [f'(x)]，它说明哪边是上坡、有多陡。有 n 个输入，梯度就有 n 个分量。",
            en="f'(x) is a number; as a vector [f'(x)] it says which way is uphill and how steep. "
            "With n inputs the gradient has n components.",
        )
        pal, step = self.palette, STEP_SUMMARY["lower" if self.tour.change == "lower" else "other"]
        rows = (
            (pal.text, "$f'(x)$ 是一个数：切线的斜率", "$f'(x)$ is a number: the slope of the tangent"),
            (pal.gradient, "写成向量 $nabla f = [f'(x)]$：指向上坡，长度 = 陡峭程度",
             "as a vector $nabla f = [f'(x)]$: points uphill, length = steepness"),
            (pal.descent, *step),
            (pal.text, "$n$ 个输入 → $n$ 个分量：$f(x, y)$ 的梯度有两个分量", "$n$ inputs → $n$ components: $f(x, y)$ has a gradient of two"),
        )  # fmt: skip
        self.clear_stage()
        self.show_summary(*(self.mixed(self.say(zh, en), color=colour) for colour, zh, en in rows))


__all__ = ["TangentArrow"]
