"""Parameter space: a model learns by walking down its loss, the data on the left, (w, b) on the right.

Render: manim render -ql scenes/parameter_space.py ParameterSpace

Storyboard: the flip (in training the data are constants and w, b the variables) →
the data with the line of the start and its residuals → the loss map J(w, b) beside
them, one point per line → the gradient's two components → gradient descent to the
least-squares answer → the same step done wrongly (b after w) → summary. Every number
comes from gradcore (``linear_regression``, ``least_squares``, ``descend`` and
``gradcore.regression``); every sentence is picked by those numbers.

Cost notes (Cairo): the filled map is one image, drawn once per ``play`` with the
other static parts (``MovingOnTop`` keeps what changes last); the line, residuals and
readouts follow the marker by resetting points, never by rebuilding or typesetting.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    FadeIn,
    FadeOut,
    GrowArrow,
    Mobject,
    Transform,
    ValueTracker,
    VGroup,
    linear,
)

import gradcore
from gradcore.regression import parameter_box
from scenes.toolkit import SIZE, LectureScene, Param, rollout
from scenes.toolkit import regression as rg
from scenes.toolkit.base import MovingOnTop
from scenes.toolkit.colours import mix
from scenes.toolkit.fields import arrow
from scenes.toolkit.landscape import LandscapeView
from scenes.toolkit.numbers import Readout, fast_number
from scenes.toolkit.plotting import LabelPlacer, fit_width, fmt
from scenes.toolkit.rollout import STATUS_WORDS, Rollout, count_steps, disc, roll, roll_time, significant
from scenes.toolkit.text import halo

# --- layout (frame x ∈ [−7.1, 7.1], y ∈ [−4, 4]; captions below y = −3.05) ----------------------
DATA_CENTRE, DATA_SIZE = (-4.7, 0.1), (3.5, 4.3)  # the data panel's axes
MAP_CENTRE, MAP_SIZE = (-0.3, 0.15), 3.9  # the (w, b) map; its longer side is MAP_SIZE
MAP_ASPECT = 1.3  # the map's longer side is at most this many times its shorter one
PANEL_LEFT, PANEL_TOP, PANEL_WIDTH = 2.45, 3.75, 4.55  # the column of formulas and readouts
TITLE_Y = 3.1  # the two panels' titles (their middles)
CHART_CENTRE, CHART_SIZE = (5.0, -1.95), (3.3, 1.15)  # the loss curve of step 5, bottom of the column
BANDS = 9  # level values of the filled map
MAX_POINTS, MAX_STEPS, LIMIT = 40, 400, 1e3  # data points; updates; |x|, |y|, |w|, |b| at most
J_LIMIT = 1e7  # the largest J the map may show (its live readout stays a few digits wide)
ARRIVE_SHARE = 0.005  # a run has arrived when it is this share of |start − answer| from the answer, or nearer
ARROW_SHARE = 0.3  # the arrows ∇J and −∇J of step 4 are at most this share of the map's longer side
STEP_TIME = 0.05  # seconds per step of the walk (at least 3 s, at most 9 s)
COMPARE_STEPS = 40  # steps of the wrong and the right path compared in step 6

# fmt: off
LINES = {  # each step's narration (zh, en); a {name} is filled in from the numbers
    "the flip": ("数学课上，x 是变量，w 和 b 是固定的。训练时反过来：{m} 个数据点 (xᵢ, yᵢ) 是固定的数，w 和 b 才是我们要改的变量。",
                 "In a maths class x varies and w, b are fixed. In training it flips: the {m} data points (xᵢ, yᵢ) are "
                 "fixed, and w, b are what we change."),
    "data space": ("数据点固定不动。(w, b) = {start} 给出一条直线；每个点到直线的竖直距离是残差 eᵢ = w xᵢ + b − yᵢ。",
                   "The data stay put. (w, b) = {start} gives one line; the vertical gap from each point to it is "
                   "the residual eᵢ = w xᵢ + b − yᵢ."),
    "one point, one line": ("右边是损失 J(w, b) = 1/(2m) Σ eᵢ²：图上每个点就是左边的一条直线。移动这个点，直线和 J 都跟着变。",
                            "On the right, the loss J(w, b) = 1/(2m) Σ eᵢ²: each point of this map is one line on the left. "
                            "Move the point, and the line and J change with it."),
    "two components": ("J 有两个变量 w 和 b，所以梯度有两个分量：∂J/∂w = 平均(eᵢxᵢ)，∂J/∂b = 平均(eᵢ)。−∇J 指向下坡。",
                       "J has two variables, w and b, so its gradient has two components: ∂J/∂w = mean(eᵢxᵢ) and "
                       "∂J/∂b = mean(eᵢ). −∇J points downhill."),
}
DESCENT_LINES = {  # step 5, by how the walk ends (see ParameterSpace.outcome)
    "arrived": ("每一步 θ ← θ − η∇J(θ)。点沿地图走下坡，直线转向数据，走 {steps_zh}后停在最小二乘解 {answer}。",
                "θ ← θ − η∇J(θ): the point walks downhill, the line swings onto the data; after {steps_en} "
                "it stops at the answer {answer}."),
    "close": ("每一步 θ ← θ − η∇J(θ)。点沿地图走下坡，直线转向数据；{steps_zh}用完时，它已接近最小二乘解 {answer}。",
              "θ ← θ − η∇J(θ): the point walks downhill, the line swings onto the data; after {steps_en} "
              "it is close to the answer {answer}."),
    "crawling": ("每一步 θ ← θ − η∇J(θ)。η = {eta} 太小：{steps_zh}之后，点离最小二乘解 {answer} 还很远。",
                 "θ ← θ − η∇J(θ) with η = {eta}: the steps are too small; after {steps_en} the point is still "
                 "far from the answer {answer}."),
    "oscillating": ("每一步 θ ← θ − η∇J(θ)。η = {eta} 太大：点来回跳，{steps_zh}后还没到达最小二乘解 {answer}。",
                    "θ ← θ − η∇J(θ) with η = {eta}: the steps overshoot, and after {steps_en} the zig-zagging point "
                    "has not reached the answer {answer}."),
    "diverged": ("每一步 θ ← θ − η∇J(θ)。η = {eta} 太大：每一步都冲过头，J 越来越大，点冲出了地图。",
                 "θ ← θ − η∇J(θ) with η = {eta}: every step overshoots, J grows, and the point flies off the map."),
}
ORDER_LINES = {  # step 6, by how the wrong (sequential) update compares (see ParameterSpace.order_case)
    "differ, same end": ("两个参数要同时更新。先改 w 再用新的 w 算 b，第一步就落在别处，路径也偏了；这里它碰巧也到了同一个解，但这已不是梯度下降。",
                         "Update both at once. Computing b after w has changed lands elsewhere and the path drifts; "
                         "here it still arrives, but it is not gradient descent."),
    "differ": ("两个参数要同时更新。先改 w 再用新的 w 算 b，第一步就落在别处，路径也越偏越远。",
               "Update both at once. Computing b after w has changed lands the first step elsewhere, and the path "
               "drifts away from the true one."),
    "same": ("两个参数要同时更新。这里 {why}，所以先改 w 再算 b 恰好得到同一步；一般情况下两者不同。",
             "Update both at once. Here {why_en}: b after w gives the same step, but in general they differ."),
}
SAME_WHY = {"mean": ("x 的平均值是 0，∂J/∂b 不依赖 w", "mean(x) = 0, so ∂J/∂b does not depend on w"),
            "still": ("起点处 ∂J/∂w = 0，w 不动", "∂J/∂w = 0 at the start, so w stays")}
SUMMARY_LINES = ("训练时，变量是参数 (w, b)，数据是常数；梯度对每个参数各有一个分量，沿 −∇J 同时更新它们。",
                 "In training the parameters (w, b) are the variables, the data constants; ∇J has one component "
                 "per parameter, and descent moves them together.")
SUMMARY = (  # the card: (palette colour, zh, en)
    ("text", "训练时变量是参数 $(w, b)$，数据 $(x_i, y_i)$ 是常数", "in training the variables are $(w, b)$; the data $(x_i, y_i)$ are constants"),
    ("gradient", "$nabla J = (partial J \\/ partial w, thin partial J \\/ partial b)$：每个参数一个分量",
     "$nabla J = (partial J \\/ partial w, thin partial J \\/ partial b)$: one component per parameter"),
    ("descent", "$theta arrow.l theta - eta nabla J(theta)$：$w$ 和 $b$ 用同一点的梯度同时更新",
     "$theta arrow.l theta - eta nabla J(theta)$: $w$ and $b$ move together, from one gradient"),
)
OUTCOME_SUMMARY = {  # the card's last line, by how the walk ended: (palette colour, zh, en)
    "arrived": ("good", "这里它走到了最小二乘解 $(w^*, b^*) = {answer}$", "here it walked to the least-squares answer $(w^*, b^*) = {answer}$"),
    "close": ("good", "这里它走到了最小二乘解 $(w^*, b^*) = {answer}$ 附近", "here it walked close to the least-squares answer $(w^*, b^*) = {answer}$"),
    "crawling": ("warn", "$eta = {eta}$ 太小：走得太慢", "$eta = {eta}$ is too small: the walk crawls"),
    "oscillating": ("warn", "$eta = {eta}$ 太大：来回跳；要收敛需 $eta < 2 \\/ lambda_max = {bound}$",
                    "$eta = {eta}$ zig-zags: descent settles only for $eta < 2 \\/ lambda_max = {bound}$"),
    "diverged": ("warn", "$eta = {eta}$ 太大：发散；要收敛需 $eta < 2 \\/ lambda_max = {bound}$",
                 "$eta = {eta}$ diverges: descent settles only for $eta < 2 \\/ lambda_max = {bound}$"),
}
END_WORDS = {"arrived": ("到达最小二乘解", "at the least-squares answer"), "close": ("接近最小二乘解", "near the least-squares answer"),
             "crawling": ("太小：还很远", "too small: still far"), "oscillating": ("太大：来回跳", "too large: zig-zags"),
             "diverged": ("太大：冲出地图", "too large: flies off")}
# fmt: on


class ParameterSpace(MovingOnTop, LectureScene):
    """Linear regression: the data panel beside the (w, b) loss map, and descent on it."""

    config_table = "parameter_space"
    # fmt: off
    parameters = {
        "x": Param([1, 2, 3, 4], "the inputs xᵢ of the data (2 to 40 numbers)", "points", max_items=MAX_POINTS),
        "y": Param([3, 5, 7, 9], "the targets yᵢ, one per x", "points", max_items=MAX_POINTS),
        "start": Param([0.0, 0.0], "(w, b) where the descent starts", "point", size=2),
        "lr": Param(0.15, "learning rate η of θ ← θ − η∇J(θ)", "positive", maximum=LIMIT),
        "steps": Param(300, "the most updates of the descent (at most 400)", "integer", maximum=MAX_STEPS),
        "w_range": Param("auto", "the w interval of the map: [min, max], or auto (around the start, the answer "
                         "and the walk)", "auto_range"),
        "b_range": Param("auto", "the b interval of the map: [min, max], or auto", "auto_range"),
    }
    # fmt: on

    @classmethod
    def check_params(cls, params) -> str | None:
        """Data that determine one line, a start that is not the answer, a map that holds both, J not too large."""
        p = params
        if (problem := gradcore.regression.data_problem(p.x, p.y, p.start, LIMIT)) is not None:
            return f"key '{problem[0]}': {problem[1]}"
        lesson = walk(p)
        for key, axis in (("w_range", 0), ("b_range", 1)):
            (lo, hi), auto = lesson.box[axis], parameter_box(np.vstack([p.start, lesson.answer]))[axis]
            for name, point in (("the start", p.start), ("the least-squares answer", lesson.answer)):
                if not lo <= point[axis] <= hi:
                    return f"key '{key}': {name} ({fmt(point[axis])}) lies outside it; try {key} = [{fmt(auto[0])}, {fmt(auto[1])}] or \"auto\""  # fmt: skip
        if (top := float(LandscapeView(lesson.loss, lesson.box, samples=21).high)) > J_LIMIT:
            return f"key 'start': J reaches {top:.3g} on the map, more than {J_LIMIT:g}; try a start nearer the data's line"
        return None

    def construct(self) -> None:
        self.setup_numbers()
        formula = self.the_flip()
        self.data_space(formula)
        self.one_point_one_line()
        self.two_components()
        self.descent()
        self.update_both_at_once()
        self.summary()

    # --- numbers from gradcore, and the two panels they are drawn on ------------------------
    def setup_numbers(self) -> None:
        self.palette = rg.readable(self.palette)  # text and thin lines at 4.5 : 1 against the background, both themes
        p, pal = self.params, self.palette
        self.xs, self.ys = np.ravel(p.x), np.ravel(p.y)
        self.lesson = lesson = walk(p)
        self.J, self.run, self.start = lesson.loss, lesson.run, np.asarray(p.start, dtype=float)
        self.answer = gradcore.least_squares(self.xs, self.ys)  # = lesson.answer, from the normal equations
        self.view = LandscapeView(self.J, lesson.box, centre=MAP_CENTRE, size=MAP_SIZE, samples=41)
        shown = gradcore.regression.predictions(self.start, self.xs)
        self.data = rg.DataPanel(self.xs, self.ys, rg.data_ranges(self.xs, self.ys, shown), centre=DATA_CENTRE,
                              size=DATA_SIZE, palette=pal)  # fmt: skip
        top = self.view.high
        self.j_decimals = 2 if top < 1e3 else 1 if top < 1e4 else 0
        self.marker = self.dot(self.start, pal.highlight)
        self.line = self.data.line(self.start, pal.highlight)
        self.gaps = self.data.residuals(self.start, pal.direction)
        self.fit = VGroup(self.line, self.gaps)  # one group with the updater: Cairo redraws both while they move
        self.fit.add_updater(lambda _: self.data.show(self.line, self.gaps, self.theta()))

    def theta(self) -> np.ndarray:
        """The (w, b) shown now: where the marker is on the map."""
        return self.view.coords(self.marker.get_center())

    def dot(self, theta, colour: str, radius: float = 0.1) -> Mobject:
        return disc(self.view.point(theta), radius, colour, self.palette.outline, width=2)

    def tick(self, text: str) -> Mobject:
        return self.math(text, size=SIZE.BODY, color=self.palette.muted)

    def pair(self, theta, decimals: int = 2) -> str:
        return f"({fmt(theta[0], decimals)}, {fmt(theta[1], decimals)})"

    def column(self, *rows: Mobject, below: Mobject | None = None, buff: float = 0.3) -> VGroup:
        """Rows left-aligned in the right-hand column, under ``below`` (or at its top)."""
        for row in rows:
            fit_width(row, PANEL_WIDTH)
        group = VGroup(*rows).arrange(DOWN, aligned_edge=LEFT, buff=0.22)
        if below is None:
            return group.move_to([PANEL_LEFT, PANEL_TOP, 0], aligned_edge=UP + LEFT)
        return group.next_to(below, DOWN, buff=buff).set_x(PANEL_LEFT, direction=LEFT)

    def readout(self, name: str | Mobject, value, colour: str | None = None, decimals: int = 2) -> Readout:
        """``name = 1.23``, live: the number follows ``value()`` (``name`` is Typst maths or a mobject)."""
        colour = colour or self.palette.text
        number = fast_number(value(), decimals=decimals, color=colour)
        head = self.math(f"{name} =", color=colour) if isinstance(name, str) else name
        return Readout(head, number, value)

    def j_readout(self) -> Readout:
        return self.readout("J", lambda: float(self.J(*self.theta())), self.palette.highlight, self.j_decimals)

    def narrate(self, section: str, lines: tuple[str, str], **words: str) -> None:
        zh, en = lines
        self.step(section, zh=zh.format(**words), en=en.format(**words))

    # Section: the flip
    def the_flip(self) -> VGroup:
        """y = w x + b: first x is the variable; then x becomes the data and w, b light up. Returns the formula."""
        pal = self.palette
        self.narrate("the flip", LINES["the flip"], m=str(len(self.xs)))
        formula = self.formula(("y", "=", "w", "x", "+", "b")).move_to([0, 1.7, 0])
        maths = self.text(self.say("数学课：x 是变量，w 和 b 固定", "maths class: x varies, w and b are fixed"),
                          size=SIZE.BODY).next_to(formula, DOWN, buff=0.6)  # fmt: skip
        self.play(FadeIn(formula), run_time=1.0)
        self.play(formula[3].animate.set_color(pal.highlight), FadeIn(maths), run_time=1.0)
        self.wait(1.5)
        data = self.data_row().next_to(maths, DOWN, buff=0.6)
        training = self.text(self.say("训练：数据固定，w 和 b 是变量", "training: the data are fixed, w and b vary"),
                             size=SIZE.BODY, color=pal.highlight).next_to(data, DOWN, buff=0.5)  # fmt: skip
        flipped = self.formula(("y_i", "=", "w", "x_i", "+", "b")).move_to(formula)
        for index, colour in ((0, pal.muted), (3, pal.muted), (2, pal.highlight), (5, pal.highlight)):
            flipped[index].set_color(colour)
        self.play(maths.animate.set_opacity(0.5), FadeIn(data), run_time=1.0)
        self.play(*(Transform(a, b) for a, b in zip(formula, flipped, strict=True)), FadeIn(training), run_time=1.2)
        self.wait(2.5)
        self.play(FadeOut(VGroup(maths, data, training)), run_time=0.6)
        return formula

    def formula(self, parts: tuple[str, ...], size: float = SIZE.TITLE * 1.3) -> VGroup:
        """A formula built piece by piece (each piece its own mobject, so one can turn into another), in a row."""
        return VGroup(*(self.math(part, size=size) for part in parts)).arrange(RIGHT, buff=0.2 * size / SIZE.TITLE)

    def data_row(self) -> Mobject:
        """The data as the lecturer gave them: x = 1, 2, 3, 4 over y = 3, 5, 7, 9 (the first eight, then …)."""
        more = ", ..." if len(self.xs) > 8 else ""
        rows = [self.math(f"{n} = " + ", ".join(fmt(v) for v in vs[:8]) + more, color=self.palette.muted)
                for n, vs in (("x_i", self.xs), ("y_i", self.ys))]  # fmt: skip
        return fit_width(VGroup(*rows).arrange(DOWN, aligned_edge=LEFT, buff=0.2), 12.0)

    # Section: data space
    def data_space(self, formula: VGroup) -> None:
        """The data panel: axes with ticks, the points, the start's line and its residuals."""
        pal = self.palette
        self.narrate("data space", LINES["data space"], start=self.pair(self.start))
        names = (self.math("x", size=SIZE.BODY, color=pal.muted), self.math("y", size=SIZE.BODY, color=pal.muted))
        axes = self.data.axes(self.tick, names)
        title = formula.copy().scale(0.55).move_to([DATA_CENTRE[0], TITLE_Y, 0])
        rule = self.column(self.math("e_i = w x_i + b - y_i", color=pal.direction))
        self.play(formula.animate.become(title), FadeIn(axes), run_time=1.2)
        self.play(FadeIn(self.data.dots(), scale=1.5), run_time=0.8)
        self.add(self.line)
        self.play(Create(self.line), run_time=0.8)
        self.play(Create(self.gaps), FadeIn(rule), run_time=1.0)
        self.remove(self.line, self.gaps)
        self.add(self.fit)  # from now on the line and its residuals follow the marker
        self.wait(1.5)
        self.rule = rule

    # Section: one point, one line
    def one_point_one_line(self) -> None:
        """The filled map of J beside the data; the marker visits two or three points, the line follows."""
        pal, view = self.palette, self.view
        self.narrate("one point, one line", LINES["one point, one line"])
        levels = rg.band_levels(view.low, view.high, BANDS)
        colours = [mix(pal.background, pal.curve, 0.06 + 0.8 * k / BANDS) for k in range(BANDS + 1)]
        picture = rg.filled_map(view, self.J, levels, colours, mix(pal.background, pal.muted, 0.5))
        names = (self.math("w", size=SIZE.BODY, color=pal.muted), self.math("b", size=SIZE.BODY, color=pal.muted))
        numbers = view.tick_labels(self.tick, rg.tick_format(view.box), names=names)
        title = self.math("J(w, b) = 1/(2m) sum_i e_i^2", size=SIZE.LABEL).move_to([MAP_CENTRE[0], TITLE_Y, 0])
        self.j_row = self.column(self.j_readout(), below=self.rule)
        self.play(FadeIn(picture), FadeIn(view.frame(pal.axes)), FadeIn(numbers), FadeIn(title), run_time=1.2)
        self.play(FadeIn(self.marker, scale=1.5), FadeIn(self.j_row), run_time=0.8)
        self.wait(1.0)
        for target in self.moves():
            self.play(self.marker.animate.move_to(view.point(target)), run_time=1.6)
            self.wait(1.2)

    def moves(self) -> list[np.ndarray]:
        """Two or three points to visit: the answer's w at the start's b, the start's w at the answer's b, back."""
        (w0, b0), (w1, b1) = self.start, self.answer
        visits, here = [], self.start
        for target in (np.array([w1, b0]), np.array([w0, b1]), self.start):
            if np.linalg.norm(target - here) > 1e-9:
                visits.append(target)
                here = target
        return visits

    # Section: two components
    def two_components(self) -> None:
        """∂J/∂w and ∂J/∂b derived from J, their values at the start, ∇J and −∇J drawn on the map."""
        pal, view, g = self.palette, self.view, self.J.gradient(self.start)
        self.narrate("two components", LINES["two components"])
        chain = self.math("(partial e_i)/(partial w) = x_i, quad (partial e_i)/(partial b) = 1", size=SIZE.LABEL)
        parts = [self.math(f"(partial J)/(partial {n}) = 1/m sum_i e_i {x}", size=SIZE.LABEL, color=pal.gradient)
                 for n, x in (("w", "x_i"), ("b", ""))]  # fmt: skip
        at = self.math(f"nabla J{self.pair(self.start)} = ({fmt(g[0], 2)}, {fmt(g[1], 2)})", size=SIZE.LABEL,
                       color=pal.gradient)  # fmt: skip
        rows = self.column(chain, *parts, at, below=self.j_row)
        scale = self.arrow_scale(g)
        tail = view.point(self.start)
        up = arrow(tail, view.point(self.start + scale * g), pal.gradient, 6)
        down = arrow(tail, view.point(self.start - scale * g), pal.descent, 6)
        placer = LabelPlacer(view.screen_box, [a.get_all_points() for a in (up, down)], buff=0.1)
        names = [placer.place(halo(self.math(n, size=SIZE.BODY, color=c), pal.outline, 4), a.get_end())
                 for n, c, a in (("nabla J", pal.gradient, up), ("-nabla J", pal.descent, down))]  # fmt: skip
        words = (f"箭头 = {significant(scale)[1]} × ∇J", f"arrows drawn at {significant(scale)[1]} × ∇J")
        legend = self.text(self.say(*words), size=SIZE.SMALL, color=pal.muted)
        legend.next_to(rows, DOWN, buff=0.3).set_x(PANEL_LEFT, direction=LEFT)
        for row in rows:
            self.play(FadeIn(row), run_time=0.8)
            self.wait(0.6)
        self.play(GrowArrow(up), FadeIn(names[0]), FadeIn(legend), run_time=1.0)
        self.play(GrowArrow(down), FadeIn(names[1]), run_time=1.0)
        self.wait(2.0)
        self.play(FadeOut(VGroup(rows, up, down, *names, legend)), run_time=0.6)

    def arrow_scale(self, g: np.ndarray) -> float:
        """A round scale s (1, 2 or 5 × 10ᵏ) for the arrows ±s ∇J at the start: inside the map, not too long."""
        span, length = self.view.span, float(np.linalg.norm(g))
        room = min(gradcore.distance_to_edge(self.start, d, self.view.box) for d in (g / length, -g / length))
        largest = min(ARROW_SHARE * span, 0.92 * room) / length
        exponent = np.floor(np.log10(largest))
        return float(max(s * 10**exponent for s in (1, 2, 5) if s * 10**exponent <= largest * (1 + 1e-9)))

    # Section: descent
    def descent(self) -> None:
        """θ ← θ − η∇J from the start, the answer marked first; the line, residuals, J and the loss curve follow."""
        pal, run = self.palette, self.run
        outcome = self.lesson.outcome
        steps_zh, steps_en = count_steps(run.steps)
        self.narrate("descent", DESCENT_LINES[outcome], steps_zh=steps_zh, steps_en=steps_en,
                     answer=self.pair(self.answer), eta=significant(self.params.lr)[1])  # fmt: skip
        self.best = self.mark_answer()
        self.roll = Rollout.on_map(self.view, run, pal.highlight, pal.outline, ball_radius=0.1, dot_radius=0.03)
        self.remove(self.marker)
        self.marker, self.tracker = self.roll.ball, ValueTracker(0.0)
        step = self.mixed(self.say("步数 $k =$", "step $k =$"), size=SIZE.SMALL)
        rows = self.column(
            self.math("theta arrow.l theta - eta nabla J(theta)", color=pal.descent),
            self.math(f"eta = {significant(self.params.lr)[0]}", color=pal.descent),
            self.readout(step, lambda: float(np.floor(self.tracker.get_value() + 1e-9)), decimals=0),
            below=self.j_row,
        )
        chart, chart_parts = self.loss_chart()
        self.add(self.roll.line)  # no dot per step: each would be redrawn every frame of the walk
        self.play(FadeIn(self.roll.ball), FadeIn(VGroup(rows, chart_parts, chart.curve, chart.head)), run_time=1.0)
        live = [self.roll.followers()[0], self.roll.followers()[2], *chart.followers()]
        roll(
            self,
            self.tracker,
            self.roll.last,
            roll_time(self.roll.last, STEP_TIME, shortest=3.0),
            live,
            rate_func=linear,
        )
        end = self.text(
            self.end_words(outcome), size=SIZE.SMALL, color=pal.good if outcome in ("arrived", "close") else pal.warn
        )
        fit_width(end, PANEL_WIDTH).next_to(rows, DOWN, buff=0.25, aligned_edge=LEFT)
        self.play(FadeIn(end), run_time=0.6)
        self.wait(2.5)
        self.chart, self.descent_column = chart, VGroup(rows, chart_parts, chart.curve, chart.head, end)

    def mark_answer(self) -> VGroup:
        """The least-squares answer on the map, named, shown before the walk starts."""
        pal = self.palette
        best = self.dot(self.answer, pal.good, 0.09)
        name = halo(self.text(self.say("最小二乘解", "least squares"), size=SIZE.SMALL, color=pal.good), pal.outline, 4)
        walks = [self.view.point(path.points) for path in (self.run, self.lesson.wrong)]  # keep off both walks
        placer = LabelPlacer(self.view.screen_box, [*walks, best.get_center()[None]], buff=0.12)
        placer.place(name, best.get_center())
        self.play(FadeIn(best, scale=1.5), FadeIn(name), run_time=0.8)
        return VGroup(best, name)

    def loss_chart(self) -> tuple[rg.LossCurve, VGroup]:
        """J against the step number for the walk, at the bottom of the column, with its ticks and names."""
        pal = self.palette
        chart = rg.LossCurve(
            self.roll.visible_values, self.roll.value_at, centre=CHART_CENTRE, size=CHART_SIZE, palette=pal
        )
        names = (
            self.text(self.say("步数", "step"), size=SIZE.SMALL, color=pal.muted),
            self.math("J", size=SIZE.BODY, color=pal.muted),
        )
        return chart, chart.labels(self.tick, names)  # fmt: skip

    def end_words(self, outcome: str) -> str:
        """Where the walk ended, in words: the place, gradcore's status, the step count and (w, b) or J."""
        run, exit_step = self.run, self.roll.exit_step
        status = self.say(*STATUS_WORDS[run.status])
        if exit_step is not None:
            where = self.say(f"第 {exit_step} 步离开地图", f"left the map at step {exit_step}")
            return f"{where}\n{status} · J = {significant(run.fun, 3)[1]}"
        return f"{self.say(*END_WORDS[outcome])}\n(w, b) = {self.pair(run.x)} · {self.say(*count_steps(run.steps))}"

    # Section: update both at once
    def update_both_at_once(self) -> None:
        """The first step done right (both from ∇J at θ₀) and wrong (b after w), then both paths side by side."""
        pal, view = self.palette, self.view
        right, wrong = self.lesson.right, self.lesson.wrong
        why_zh, why_en = SAME_WHY.get(self.lesson.same_why, ("", ""))
        self.narrate("update both at once", ORDER_LINES[self.lesson.order], why=why_zh, why_en=why_en)
        self.play(FadeOut(self.descent_column), FadeOut(self.roll.ball), FadeOut(self.roll.line), run_time=0.6)
        t0, t1, t1w = self.start, right.points[1], wrong.points[1]
        rows = self.column(*self.update_rows(t0, t1, t1w), below=self.j_row)
        self.marker = self.dot(t0, pal.highlight)
        self.play(FadeIn(self.marker), FadeIn(rows[:5]), run_time=0.8)
        good, bad = (arrow(view.point(t0), view.point(t), c, 6) for t, c in ((t1, pal.descent), (t1w, pal.warn)))
        self.play(GrowArrow(good), run_time=0.8)
        self.play(FadeIn(rows[5:]), GrowArrow(bad), run_time=1.0)
        self.wait(2.0)
        paths = [Rollout.on_map(view, path, colour, pal.outline, ball_radius=0.08, dot_radius=0.03)
                 for path, colour in ((right, pal.descent), (wrong, pal.warn))]  # fmt: skip
        self.remove(self.marker)
        self.marker = paths[0].ball  # the line, its residuals and J follow the right walk
        other = self.data.line(t0, pal.warn, width=3.5)
        other.add_updater(lambda m: self.data.show(m, None, view.coords(paths[1].ball.get_center())))
        self.add(*(p.line for p in paths), other)
        tracker, last = ValueTracker(0.0), max(p.last for p in paths)
        live = [pair for p in paths for pair in (p.followers()[0], p.followers()[2])]
        self.play(FadeIn(VGroup(*(p.ball for p in paths))), FadeOut(good), FadeOut(bad), run_time=0.6)
        roll(self, tracker, last, roll_time(last, 0.12, shortest=3.0), live, rate_func=linear)
        self.wait(2.5)

    def update_rows(self, t0: np.ndarray, t1: np.ndarray, t1w: np.ndarray) -> list[Mobject]:
        """The first update written out: w₁ and b₁ from ∇J(θ₀) (right), then b₁ from ∂J/∂b(w₁, b₀) (wrong)."""
        g, g_mid = self.J.gradient(t0), self.J.gradient(np.array([t1w[0], t0[1]]))
        pal, eta = self.palette, significant(self.params.lr)[0]
        d = max(rg.decimals_apart(t1[1], t1w[1]), min(rg.tick_decimals([*t0, *t1, t1w[1], *g, g_mid[1]]), 3))

        def rows(name: str, before: float, slope: float, after: float, colour: str) -> list[Mobject]:
            first = f"{name} = {fmt(before, d)} - {eta} dot {rg.paren(fmt(slope, d))}"
            return [self.math(text, size=SIZE.LABEL, color=colour) for text in (first, f"= {fmt(after, d)}")]

        head = (
            ("对：都用 $nabla J(w_0, b_0)$", "right: both from $nabla J(w_0, b_0)$", pal.descent),
            ("错：$b$ 用新的 $w_1$ 算", "wrong: $b$ from the new $w_1$", pal.warn),
        )
        heads = [self.mixed(self.say(zh, en), size=SIZE.SMALL, color=colour) for zh, en, colour in head]
        return [heads[0], *rows("w_1", t0[0], g[0], t1[0], pal.descent), *rows("b_1", t0[1], g[1], t1[1], pal.descent),
                heads[1], *rows("b_1", t0[1], g_mid[1], t1w[1], pal.warn)]  # fmt: skip

    # Section: summary
    def summary(self) -> None:
        self.narrate("summary", SUMMARY_LINES)
        cover = rollout.cover(self, self.palette.background)  # cheaper than fading every part out on its own
        self.play(FadeIn(cover), run_time=0.8)
        self.remove(*(m for m in self.mobjects if m is not self._caption))
        lesson, eta, pal = self.lesson, significant(self.params.lr)[0], self.palette
        words = {"answer": self.pair(self.answer), "eta": eta, "bound": significant(lesson.lr_bound)[0]}
        lines = [self.mixed(self.say(zh, en).format(**words), color=getattr(pal, colour))
                 for colour, zh, en in (*SUMMARY, OUTCOME_SUMMARY[lesson.outcome])]  # fmt: skip
        self.show_summary(*lines, line_pause=0.8, hold=2.5)


def walk(p) -> gradcore.regression.Walk:
    """The lecture's descent for the parameters ``p``, and what it showed (see :func:`gradcore.regression.walk`)."""
    return gradcore.regression.walk(p.x, p.y, p.start, lr=p.lr, steps=p.steps, w_range=p.w_range, b_range=p.b_range,
                                    arrive_share=ARRIVE_SHARE, arrow_share=ARROW_SHARE, compare_steps=COMPARE_STEPS,
                                    max_aspect=MAP_ASPECT)  # fmt: skip


__all__ = ["ParameterSpace"]
