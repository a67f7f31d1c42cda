"""The tangent arrow on y = x², and why the derivative is already a one-component gradient.

Render: manim render -ql scenes/tangent.py TangentArrow
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    Axes,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    GrowArrow,
    Line,
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
from scenes.toolkit.plotting import fit_width, fmt, place_label, sample_range, tick_step

SECANT_H = (1.2, 0.01)  # the secant's h shrinks from the first value to the second
TANGENT_LENGTH = 3.2  # on-screen length of the drawn tangent and secant lines
PANEL_WIDTH = 5.5  # the right-hand panel spans x from 1.35 to 6.85
MAX_ARROW = 0.3  # the longest gradient arrow in the sweep, as a share of the x-axis span


class TangentArrow(LectureScene):
    """One-variable gradient: the slope as an arrow on the input axis."""

    config_table = "tangent"
    parameters = {
        "formula": Param("x^2", "the curve y = f(x), in x", "formula", variables=("x",)),
        "x_range": Param([-2.5, 2.5], "the plotted x interval", "range"),
        "point": Param(1.0, "where the tangent and gradient are first shown", "point", inside=("x_range",)),
        "sweep": Param([-1.5, 1.5], "the x interval the point sweeps through in step 5", "range",
                       inside=("x_range",)),
        "lr": Param(0.25, "learning rate η of the descent step x ← x − η f'(x)", "positive"),
    }

    # --- numbers from gradcore ------------------------------------------------
    def slope(self, x: float) -> float:
        return float(gradcore.derivative(self.f, x))

    def arrow_end(self, x: float) -> np.ndarray:
        """Screen point of the gradient arrow's tip for the input ``x``."""
        return self.axes.c2p(x + self.arrow_scale * self.slope(x), 0)

    def choose_arrow_scale(self) -> float:
        """Arrow length = scale × f'(x) in x units, at most 1.

        The steepest slope of the sweep fills at most MAX_ARROW of the axis, and
        no arrow of the sweep (or at the first point) reaches past the plotted range.
        """
        p = self.params
        xs = np.append(sample_range(p.sweep), p.point)
        slopes = np.abs(gradcore.derivative(self.f, xs))
        up = gradcore.derivative(self.f, xs) > 0
        room = np.where(up, p.x_range[1] - xs, xs - p.x_range[0])  # distance to the edge the arrow points at
        moving = slopes > 1e-9
        limits = [1.0, MAX_ARROW * (p.x_range[1] - p.x_range[0]) / max(slopes.max(), 1e-12)]
        if moving.any():
            limits.append(float(np.min(room[moving] / slopes[moving])))
        return max(min(limits), 1e-3)

    # --- construct ----------------------------------------------------------
    def construct(self) -> None:
        p = self.params
        self.f = p.formula
        x0 = p.point
        self.build_axes()
        self.arrow_scale = self.choose_arrow_scale()

        self.show_curve(x0)
        self.show_two_ways(x0)
        self.show_tangent(x0)
        self.show_gradient_vector(x0)
        self.sweep(x0)
        self.step_downhill(x0)
        self.summary()

    def build_axes(self) -> None:
        p = self.params
        xs = sample_range(p.x_range)
        ys = self.f(xs)
        lo, hi = min(float(ys.min()), 0.0), max(float(ys.max()), 0.0)
        pad = 0.12 * (hi - lo)
        # Room below the x-axis for the input arrows: at least 18 % of the height.
        y_range = (min(lo - pad, -(hi - lo) * 0.22), hi + pad)
        self.axes = Axes(
            x_range=[p.x_range[0], p.x_range[1], 1],
            y_range=[y_range[0], y_range[1], tick_step(y_range)],
            x_length=7.4,
            y_length=5.4,
            tips=False,
            axis_config={"color": self.palette.axes, "stroke_width": 2, "include_numbers": False},
        ).move_to([-2.85, 0.3, 0])
        self.axes_labels = VGroup(
            self.math("x", color=self.palette.muted, size=SIZE.LABEL)
            .next_to(self.axes.x_axis.get_end(), UP + LEFT, 0.12),
            self.math("y", color=self.palette.muted, size=SIZE.LABEL).next_to(self.axes.y_axis, UP, 0.1),
        )
        self.panel_top = np.array([1.35, 3.55, 0])
        self.curve_points = np.array([self.axes.c2p(x, y) for x, y in zip(xs, ys, strict=True)])
        self.axis_points = np.array([self.axes.c2p(x, 0) for x in xs[::8]])

    def label_near(self, label, anchor):
        """Place a label beside ``anchor``, off the curve and the x-axis, inside the plot."""
        box = self.axes.get_left()[0], self.axes.get_right()[0], self.axes.get_bottom()[1], self.axes.get_top()[1]
        return place_label(label, anchor, np.vstack([self.curve_points, self.axis_points]), inside=box)

    def away_from_point(self, x: float) -> np.ndarray:
        """Side of the x-axis facing away from the graph point above (or below) ``x``."""
        return DOWN if float(self.f(x)) >= 0 else UP

    def panel(self, *mobjects, below=None, buff=0.35):
        """Left-align mobjects in the right-hand panel, under ``below`` (or at its top)."""
        for mobject in mobjects:
            fit_width(mobject, PANEL_WIDTH)
        group = VGroup(*mobjects).arrange(DOWN, aligned_edge=LEFT, buff=0.22)
        if below is None:
            group.move_to(self.panel_top, aligned_edge=UP + LEFT)
        else:
            group.next_to(below, DOWN, buff=buff, aligned_edge=LEFT)
            group.set_x(self.panel_top[0], direction=LEFT)
        return group

    # Section: the curve
    def show_curve(self, x0: float) -> None:
        self.step("curve", zh="这是函数 y = f(x) 的图像。取图像上的一点。",
                  en="Here is the graph of y = f(x). We pick one point on it.")
        p = self.params
        self.graph = self.axes.plot(self.f, x_range=[*p.x_range, (p.x_range[1] - p.x_range[0]) / 200],
                                    color=self.palette.curve, stroke_width=4)
        self.formula = self.panel(self.math(f"f(x) = {self.f.typst}", color=self.palette.curve))
        self.point = Dot(self.axes.c2p(x0, float(self.f(x0))), color=self.palette.highlight, radius=0.08)
        name = self.label_near(self.math("P", size=SIZE.LABEL, color=self.palette.highlight), self.point.get_center())
        coords = self.panel(self.math(f"P = ({fmt(x0)}, {fmt(self.f(x0))})", size=SIZE.BODY), below=self.formula)
        self.play(Create(self.axes), FadeIn(self.axes_labels), run_time=1.2)
        self.play(Create(self.graph), Write(self.formula), run_time=1.6)
        self.play(FadeIn(self.point, scale=1.6), FadeIn(name), FadeIn(coords), run_time=0.8)
        self.wait(1.0)
        self.coords = VGroup(name, coords)

    # Section: two ways to move
    def show_two_ways(self, x0: float) -> None:
        self.step("two ways to move",
                  zh="在曲线上，这个点只能沿曲线朝两个方向滑动；在下面的 x 轴上，输入也只能增大或减小。",
                  en="On the curve the point can only slide two ways; below, on the x-axis, the input can only grow or shrink.")
        up_sign = 1.0 if self.slope(x0) >= 0 else -1.0  # moving +x raises f when f'(x0) > 0
        pal = self.palette
        on_curve = VGroup()
        on_axis = VGroup()
        base = self.axes.c2p(x0, 0)
        for sign in (1.0, -1.0):
            colour = pal.gradient if sign == up_sign else pal.descent
            on_curve.add(Arrow(self.point.get_center(), self.point.get_center() + 0.9 * self.tangent_direction(x0) * sign,
                               buff=0.1, color=colour, stroke_width=5, max_tip_length_to_length_ratio=0.3))
            on_axis.add(Arrow(base, base + 0.9 * RIGHT * sign, buff=0.08, color=colour, stroke_width=5,
                              max_tip_length_to_length_ratio=0.3).shift(0.32 * self.away_from_point(x0)))
        axis_labels = VGroup(
            self.math("+x", color=pal.text, size=SIZE.SMALL).next_to(on_axis[0], self.away_from_point(x0), 0.1),
            self.math("-x", color=pal.text, size=SIZE.SMALL).next_to(on_axis[1], self.away_from_point(x0), 0.1),
        )
        self.drop = DashedLine(self.point.get_center(), base, color=pal.muted, stroke_width=2)
        legend = self.panel(
            self.text(self.say("上坡：f 增大", "uphill: f grows"), color=pal.gradient, size=SIZE.LABEL),
            self.text(self.say("下坡：f 减小", "downhill: f shrinks"), color=pal.descent, size=SIZE.LABEL),
            below=self.formula,
        )
        self.play(FadeOut(self.coords), *(GrowArrow(a) for a in on_curve), FadeIn(legend), run_time=1.2)
        self.wait(0.8)
        self.play(Create(self.drop), *(GrowArrow(a) for a in on_axis), FadeIn(axis_labels), run_time=1.2)
        self.wait(1.5)
        self.play(FadeOut(on_curve), FadeOut(on_axis), FadeOut(axis_labels), FadeOut(legend), run_time=0.6)

    def tangent_direction(self, x: float) -> np.ndarray:
        """Unit screen vector along the graph's tangent at ``x``, pointing towards +x."""
        d = self.axes.c2p(1, self.slope(x)) - self.axes.c2p(0, 0)
        return d / np.linalg.norm(d)

    def line_through(self, x: float, slope: float, colour: str) -> Line:
        """A segment of the line through (x, f(x)) with the given slope, TANGENT_LENGTH long on screen."""
        d = self.axes.c2p(1, slope) - self.axes.c2p(0, 0)
        d /= np.linalg.norm(d)
        centre = self.axes.c2p(x, float(self.f(x)))
        return Line(centre - d * TANGENT_LENGTH / 2, centre + d * TANGENT_LENGTH / 2, color=colour, stroke_width=4)

    # Section: the tangent
    def show_tangent(self, x0: float) -> None:
        self.step("the tangent",
                  zh="割线连接 (x, f(x)) 和 (x+h, f(x+h))。h 越来越小，割线的斜率趋近切线的斜率 f'(x)。",
                  en="A secant joins (x, f(x)) and (x+h, f(x+h)). As h shrinks, its slope approaches the tangent's slope f'(x).")
        pal = self.palette
        h = ValueTracker(SECANT_H[0])
        fx0 = float(self.f(x0))

        def secant_slope() -> float:
            return float((self.f(x0 + h.get_value()) - fx0) / h.get_value())  # (f(x+h) − f(x)) / h

        secant = always_redraw(lambda: self.line_through(x0, secant_slope(), pal.direction))
        far = always_redraw(lambda: Dot(self.axes.c2p(x0 + h.get_value(), float(self.f(x0 + h.get_value()))),
                                        color=pal.direction, radius=0.06))
        h_value = self.number(h.get_value(), size=SIZE.BODY)
        slope_value = self.number(secant_slope(), size=SIZE.BODY, color=pal.direction)
        h_value.add_updater(lambda m: m.set_value(h.get_value()))
        slope_value.add_updater(lambda m: m.set_value(secant_slope()))
        rows = self.panel(
            VGroup(self.math("h =", size=SIZE.BODY), h_value).arrange(RIGHT, buff=0.15),
            VGroup(self.math("frac(f(x+h) - f(x), h) =", size=SIZE.BODY), slope_value).arrange(RIGHT, buff=0.15),
            below=self.formula,
        )
        self.play(Create(secant), FadeIn(far), FadeIn(rows), run_time=1.0)
        self.play(h.animate.set_value(SECANT_H[1]), run_time=4.0, rate_func=lambda t: 1 - (1 - t) ** 2)
        self.wait(0.6)

        m0 = self.slope(x0)
        self.tangent = self.line_through(x0, m0, pal.tangent)
        run = _triangle_run(self.params.x_range, x0)
        corner, right, top = (self.axes.c2p(x0, fx0), self.axes.c2p(x0 + run, fx0),
                              self.axes.c2p(x0 + run, fx0 + m0 * run))
        triangle = Polygon(corner, right, top, color=pal.tangent, stroke_width=2, fill_opacity=0.15)
        run_label = self.label_near(self.math(fmt(run), size=SIZE.SMALL, color=pal.tangent), (corner + right) / 2)
        rise_label = self.label_near(self.math(fmt(m0 * run), size=SIZE.SMALL, color=pal.tangent), (right + top) / 2)
        self.slope_label = self.math(f"f'({fmt(x0)}) = {fmt(m0)}", color=pal.tangent)
        self.slope_label.move_to(rows[1], aligned_edge=LEFT)
        rows[1].clear_updaters()
        self.play(ReplacementTransform(secant, self.tangent), FadeOut(far), FadeOut(rows[1]),
                  FadeIn(self.slope_label), FadeOut(rows[0]), run_time=1.2)
        self.play(Create(triangle), FadeIn(run_label), FadeIn(rise_label), run_time=1.0)
        self.wait(1.5)
        self.play(FadeOut(triangle), FadeOut(run_label), FadeOut(rise_label), run_time=0.5)
        h_value.clear_updaters()

    # Section: the derivative as a vector
    def show_gradient_vector(self, x0: float) -> None:
        self.step("the derivative as a vector",
                  zh="把 f'(x) 画成 x 轴上的箭头：方向是让 f 增大的输入方向，长度是陡峭程度。这就是一维的梯度 ∇f = [f'(x)]。",
                  en="As an arrow on the x-axis, f'(x) points where the input must go for f to grow, "
                     "and its length is the steepness: the gradient ∇f = [f'(x)].")
        pal = self.palette
        m0 = self.slope(x0)
        self.gradient_arrow = self.input_arrow(x0)
        grad_label = VGroup(
            self.label_near(self.math("nabla f", color=pal.gradient, size=SIZE.LABEL), self.gradient_arrow.get_center()),
            self.panel(self.math(f"nabla f({fmt(x0)}) = [{fmt(m0)}]", color=pal.gradient), below=self.slope_label),
        )
        self.play(GrowArrow(self.gradient_arrow), FadeIn(grad_label), run_time=1.4)
        self.wait(1.0)

        # The tangent's direction (1, f'(x)) lives in the plane of the graph: a different object.
        # Drawn as run × (1, f'(x)) with its two components dashed, in the direction colour.
        run = _triangle_run(self.params.x_range, x0)
        fx0 = float(self.f(x0))
        start, corner = self.point.get_center(), self.axes.c2p(x0 + run, fx0)
        tip = self.axes.c2p(x0 + run, fx0 + run * m0)
        along = VGroup(
            DashedLine(start, corner, color=pal.direction, stroke_width=2),
            DashedLine(corner, tip, color=pal.direction, stroke_width=2),
            Arrow(start, tip, buff=0, color=pal.direction, stroke_width=6, max_tip_length_to_length_ratio=0.2),
        )
        tangent_vector = f"(1, f'({fmt(x0)})) = (1, {fmt(m0)})"
        contrast = self.panel(
            VGroup(
                self.mixed(self.say(f"切线方向 ${tangent_vector}$", f"tangent direction ${tangent_vector}$"),
                           color=pal.direction, size=SIZE.SMALL),
                self.text(self.say("在图像所在的 (x, y) 平面里", "lives in the (x, y) plane of the graph"),
                          color=pal.direction, size=SIZE.SMALL),
            ).arrange(DOWN, aligned_edge=LEFT, buff=0.12),
            VGroup(
                self.mixed(self.say("梯度 $[f'(x)]$：在输入轴上", "gradient $[f'(x)]$: on the input axis"),
                           color=pal.gradient, size=SIZE.SMALL),
                self.text(self.say("我们只能选择输入 x，所以", "We can only choose the input x,"), size=SIZE.SMALL),
                self.text(self.say("梯度告诉我们 x 往哪边走。", "so the gradient says where x should go."),
                          size=SIZE.SMALL),
            ).arrange(DOWN, aligned_edge=LEFT, buff=0.12),
            below=grad_label[1],
        )
        self.play(Create(along), FadeIn(contrast[0]), run_time=1.2)
        self.wait(1.0)
        self.play(FadeIn(contrast[1]), run_time=1.0)
        self.wait(2.0)
        self.play(FadeOut(along), FadeOut(contrast), FadeOut(grad_label), run_time=0.6)

    def input_arrow(self, x: float) -> VMobject:
        """The gradient arrow on the x-axis at ``x``; hidden (fully transparent) when f'(x) is zero on screen."""
        start, end = self.axes.c2p(x, 0), self.arrow_end(x)
        length = np.linalg.norm(end - start)
        if length < 1e-3:
            return Arrow(start, start + 0.01 * RIGHT, buff=0).set_opacity(0)
        return Arrow(start, end, buff=0, color=self.palette.gradient, stroke_width=6,
                     max_tip_length_to_length_ratio=0.35 if length > 0.6 else 0.5)

    # Section: sweep
    def sweep(self, x0: float) -> None:
        self.step("sweep",
                  zh="让 x 扫过整个区间：曲线下降处箭头指向 −x，切线水平处箭头消失，曲线上升处指向 +x，越陡越长。",
                  en="As x sweeps, the arrow points −x where the curve falls, vanishes where it is flat, "
                     "points +x where it rises, and is longer where steeper.")
        pal = self.palette
        x = ValueTracker(x0)
        self.x_tracker = x
        self.remove(self.gradient_arrow, self.tangent, self.drop)
        self.tangent = always_redraw(lambda: self.line_through(x.get_value(), self.slope(x.get_value()), pal.tangent))
        self.gradient_arrow = always_redraw(lambda: self.input_arrow(x.get_value()))
        self.drop = always_redraw(lambda: DashedLine(self.axes.c2p(x.get_value(), float(self.f(x.get_value()))),
                                                     self.axes.c2p(x.get_value(), 0), color=pal.muted,
                                                     stroke_width=2))
        self.point.add_updater(lambda d: d.move_to(self.axes.c2p(x.get_value(), float(self.f(x.get_value())))))
        x_value = self.number(x0, sign=True)
        slope_value = self.number(self.slope(x0), sign=True, color=pal.gradient)
        x_value.add_updater(lambda m: m.set_value(x.get_value()))
        slope_value.add_updater(lambda m: m.set_value(self.slope(x.get_value())))
        readout = self.panel(
            VGroup(self.math("x =", size=SIZE.BODY), x_value).arrange(RIGHT, buff=0.15),
            VGroup(self.math("nabla f = f'(x) =", size=SIZE.BODY, color=pal.gradient), slope_value)
            .arrange(RIGHT, buff=0.15),
            below=self.formula,
        )
        self.add(self.tangent, self.drop, self.gradient_arrow)
        self.play(FadeOut(self.slope_label), run_time=0.4)
        self.play(FadeIn(readout), run_time=0.5)
        self.readout = readout

        lo, hi = self.params.sweep
        flat = [float(c.point[0]) for c in gradcore.critical_points(self.f, [(lo, hi)])]
        stops = sorted(flat)
        path = [lo, *stops, hi, x0]
        for target in path:
            distance = abs(target - x.get_value())
            self.play(x.animate.set_value(target), run_time=max(0.6, 1.3 * distance), rate_func=linear
                      if target not in stops else lambda t: 1 - (1 - t) ** 2)
            if target in stops:
                note = self.mixed(self.say("$f'(x) = 0$：切线水平，箭头消失", "$f'(x) = 0$: flat tangent, no arrow"),
                                  color=pal.highlight, size=SIZE.SMALL)
                note.next_to(readout, DOWN, buff=0.3, aligned_edge=LEFT)
                self.play(FadeIn(note), run_time=0.4)
                self.wait(1.0)
                self.play(FadeOut(note), run_time=0.4)
        self.wait(0.5)
        for mob in (x_value, slope_value):
            mob.clear_updaters()
        self.point.clear_updaters()

    # Section: one step downhill
    def step_downhill(self, x0: float) -> None:
        self.step("one step downhill",
                  zh="梯度指向上坡，所以往反方向走一小步：x ← x − η f'(x)。f 的值变小了。",
                  en="The gradient points uphill, so take a small step the other way: x ← x − η f'(x). f gets smaller.")
        pal = self.palette
        lr = self.params.lr
        path = gradcore.descend(self.f, [x0], lr=lr, steps=1, tol=0)
        self.descent_path = path
        x1 = float(path.points[1, 0])
        m0 = self.slope(x0)
        step_arrow = Arrow(self.axes.c2p(x0, 0), self.axes.c2p(x1, 0), buff=0, color=pal.descent, stroke_width=6,
                           max_tip_length_to_length_ratio=0.35).shift(0.3 * self.away_from_point(x0))
        self.step_arrow = step_arrow
        update = self.panel(
            self.math("x_1 = x_0 - eta thin f'(x_0)", color=pal.descent),
            self.math(f"= {fmt(x0)} - {fmt(lr)} dot {_paren(fmt(m0))} = {fmt(x1)}", color=pal.descent),
            below=self.readout,
        )
        values = self.panel(
            self.math(f"f({fmt(x0)}) = {fmt(path.values[0])} arrow.r f({fmt(x1)}) = {fmt(path.values[1])}"),
            below=update,
        )
        self.play(FadeIn(update[0]), run_time=0.8)
        self.play(FadeIn(update[1]), GrowArrow(step_arrow), run_time=1.2)
        self.play(self.x_tracker.animate.set_value(x1), run_time=1.6)
        self.point.move_to(self.axes.c2p(x1, float(self.f(x1))))
        self.play(FadeIn(values), run_time=0.8)
        self.wait(2.0)

    # Section: summary
    def summary(self) -> None:
        self.step("summary",
                  zh="f'(x) 是一个数；写成向量 [f'(x)]，它说明哪边是上坡、有多陡。有 n 个输入，梯度就有 n 个分量。",
                  en="f'(x) is a number; as a vector [f'(x)] it says which way is uphill and how steep. "
                     "With n inputs the gradient has n components.")
        pal = self.palette
        self.clear_stage()
        self.show_summary(
            self.mixed(self.say("$f'(x)$ 是一个数：切线的斜率", "$f'(x)$ is a number: the slope of the tangent")),
            self.mixed(self.say("写成向量 $nabla f = [f'(x)]$：指向上坡，长度 = 陡峭程度",
                                "as a vector $nabla f = [f'(x)]$: points uphill, length = steepness"),
                       color=pal.gradient),
            self.mixed(self.say("沿 $-nabla f$ 走一步，$f$ 变小：$x arrow.l x - eta f'(x)$",
                                "a step along $-nabla f$ lowers $f$: $x arrow.l x - eta f'(x)$"), color=pal.descent),
            self.mixed(self.say("$n$ 个输入 → $n$ 个分量：$y = w x + b$ 的梯度是 $vec((partial J)/(partial w), (partial J)/(partial b))$",
                                "$n$ inputs → $n$ components: for $y = w x + b$, $nabla J = vec((partial J)/(partial w), (partial J)/(partial b))$")),
        )



def _triangle_run(x_range: tuple[float, float], x0: float) -> float:
    """Run of the rise-over-run triangle and of the tangent vector: 1, 0.5 or 0.25, to the right, inside the plot."""
    inner = x_range[1] - 0.1 * (x_range[1] - x_range[0])
    return next((run for run in (1.0, 0.5) if x0 + run <= inner), 0.25)


def _paren(text: str) -> str:
    return f"({text})" if text.startswith("-") else text




__all__ = ["TangentArrow"]
