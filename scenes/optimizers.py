"""Why plain descent zig-zags in a narrow valley, and how momentum, Nesterov, RMSProp and Adam change the step.

Render: manim render -ql scenes/optimizers.py Optimizers

Storyboard: the narrow valley (−∇f across the level curves, plain descent zig-zags) → momentum, one
step taken apart into βv and −η∇f → Nesterov's look-ahead point → RMSProp's and Adam's running
averages of ∇f², one bar per coordinate, and Adam's bias correction → the race of all five from one
start, loss on a log scale → rolling on past a shallow valley → the update rules side by side. Every
path is ``gradcore.descend``'s, every arrow and bar ``gradcore.optimizers.replay``'s; every sentence is
picked by those numbers (``zigzag_share``, ``verdict``, step counts, ``landscapes.roll_through``).

Cost notes (Cairo): the level curves are drawn once per ``play`` (``MovingOnTop`` keeps what moves
last); balls, trails, bars and chart curves follow one step number by resetting points.
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, FadeIn, FadeOut, GrowArrow, Mobject, ValueTracker, VGroup, linear

import gradcore
from gradcore import optimizers as opt
from gradcore.landscapes import NARROW_VALLEY, VALLEYS
from scenes.toolkit import SIZE, LectureScene, Param
from scenes.toolkit.base import MovingOnTop
from scenes.toolkit.colours import mix
from scenes.toolkit.fields import arrow, elbow, fixed, legible
from scenes.toolkit.landscape import LandscapeView
from scenes.toolkit.plotting import fit_width, fmt
from scenes.toolkit.race import (
    LABELS,
    NAMES,
    ArrowSum,
    Bars,
    LogRace,
    Magnifier,
    cancel_kind,
    curvatures,
    exact,
    gd_kind,
    race_table,
    race_words,
    round_down,
    rows_of,
    status_words,
    title_of,
    valley_lesson,
    valley_problem,
)
from scenes.toolkit.rollout import Rollout, cover, disc, roll, roll_time, significant

# --- layout (frame x ∈ [−7.1, 7.1], y ∈ [−4, 4]; captions below y = −3.05) ----------------------
MAP_CENTRE, MAP_SIZE = (-3.45, 0.3), 5.4  # the map; its longer side is MAP_SIZE
COLUMN = (0.0, 3.7, 6.9)  # left, top and width of the column of formulas beside the map
ZOOM_CENTRE, ZOOM_SIZE = (3.6, -1.25), 3.2  # where steps 2 and 3 magnify a step of the map
BARS_CORNER, BARS_HEIGHT = (0.3, -2.35), 1.7  # baseline of step 4's bars
CHART_CENTRE, CHART_SIZE = (4.0, -1.05), (5.2, 2.3)  # step 5's log-scale loss chart
LEVELS = 10  # level curves of each map
SLOW = (1, 2, 3)  # momentum's steps taken apart in step 2 (step 0 has no velocity yet)
BAR_HOLD = 4  # step 4 pauses on the bars after this many steps, while the gradients are still large
LOOK_STEP = 2  # Nesterov's step whose look-ahead point step 3 draws
NARROW = 3.0  # a valley is narrow when its curvatures differ at least this many times
MAX_STEPS, LR_MAX = 300, 10.0  # updates of any run; the largest η
ZIGZAG = 1 / 3  # plain descent zig-zags when this share of its steps cross the valley again
STEP_TIME = 0.1  # seconds per step of a run (3 s to 8 s a run)

# fmt: off
VALLEY_LINE = ("−∇f 垂直于等高线：横跨山谷很陡，沿着山谷很缓。", "−∇f meets the level curves at right angles: steep across the valley, shallow along. ")
GD_LINES = {  # step 1, by how plain descent went (gradcore.verdict, zigzag_share)
    "zigzag": ("所以 η = {eta} 的梯度下降来回横跳，沿谷底慢慢爬。", "GD with η = {eta} zig-zags across and crawls along."),
    "smooth": ("η = {eta} 的梯度下降不来回跳，但沿谷底爬得很慢。", "With η = {eta} GD does not zig-zag, but crawls along."),
    "diverged": ("η = {eta} 的梯度下降每步都冲过山谷，越跳越远。", "With η = {eta} GD overshoots, farther every step."),
    "bouncing": ("η = {eta} 的梯度下降来回横跳，幅度不减，停不下来。", "With η = {eta} GD bounces across and never settles."),
}
MOMENTUM_LINES = {  # step 2, by whether the two arrows cancel across and add along in the steps shown
    "cancel": ("动量法：v ← βv − η∇f。每一步是 βv 与 −η∇f 两支箭头之和：横跨山谷时相互抵消，沿着山谷时不断累加。",
               "Momentum: v ← βv − η∇f. Each step is the sum of two arrows, βv and −η∇f: across the valley they cancel, along it they add up."),
    "sum": ("动量法：v ← βv − η∇f。每一步是两支箭头之和：旧速度乘以 β，加上新的梯度步 −η∇f。",
            "Momentum: v ← βv − η∇f. Each step is the sum of two arrows: the old velocity shrunk by β, and the new step −η∇f."),
}
NESTEROV_LINE = ("Nesterov 先往前看：在速度将要带到的点 θ + βv 求梯度，迈步之前就修正方向。",
                 "Nesterov looks ahead: it takes the gradient at θ + βv, where the velocity is about to carry it, and corrects the step early.")
ADAPTIVE_LINE = ("RMSProp 把每个坐标的步子除以 √s（柱子：∇f² 的滑动平均）；Adam 再加上动量，并修正开始时的偏差。",
                 "RMSProp divides each coordinate's step by √s, its running average of ∇f² (the bars); Adam adds momentum and corrects the early bias.")
ROLL_LINE = ("多个山谷，同一起点、同一 η：梯度下降停在一个浅谷（f = {low}），动量法冲了过去，滚进{where}（f = {deep}）。",
             "Several valleys, one start, one η: plain descent stops in a shallow valley (f = {low}); momentum rolls on into {where_en} (f = {deep}).")
SUMMARY_LINE = ("五条更新规则并列：都沿 −∇f 走；动量法累积过去的步子，RMSProp 和 Adam 按坐标调整步长。",
                "Five update rules side by side: all step along −∇f; momentum adds up past steps, RMSProp and Adam rescale each coordinate.")
RULES = {  # the summary card, one update rule per optimizer (Typst maths)
    "gd": "theta arrow.l theta - eta nabla f(theta)",
    "momentum": "v arrow.l beta v - eta nabla f(theta), quad theta arrow.l theta + v",
    "nesterov": "v arrow.l beta v - eta nabla f(theta + beta v), quad theta arrow.l theta + v",
    "rmsprop": "s arrow.l rho s + (1 - rho) nabla f^2, quad theta arrow.l theta - eta nabla f \\/ (sqrt(s) + epsilon)",
    "adam": "theta arrow.l theta - eta hat(m) \\/ (sqrt(hat(v)) + epsilon), quad hat(m) = m \\/ (1 - beta_1^t)",
}
# fmt: on


class Optimizers(MovingOnTop, LectureScene):
    """Plain descent, momentum, Nesterov, RMSProp and Adam: each update drawn, then a race."""

    config_table = "optimizers"
    # fmt: off
    parameters = {
        "formula": Param(NARROW_VALLEY.formula, "the landscape f(x, y) of steps 1–5 (a narrow valley)", "formula",
                         variables=("x", "y"), finite_on=("x_range", "y_range")),
        "x_range": Param(list(NARROW_VALLEY.x_range), "the x interval of the map of steps 1–5", "range"),
        "y_range": Param(list(NARROW_VALLEY.y_range), "the y interval of the map of steps 1–5", "range"),
        "start": Param([-2.7, 1.0], "where every optimizer of steps 1–5 starts", "point", size=2,
                       inside=("x_range", "y_range")),
        "lr_gd": Param(0.09, "learning rate η of plain gradient descent", "positive", maximum=LR_MAX),
        "lr_momentum": Param(0.04, "learning rate η of momentum", "positive", maximum=LR_MAX),
        "lr_nesterov": Param(0.06, "learning rate η of Nesterov momentum", "positive", maximum=LR_MAX),
        "lr_rmsprop": Param(0.1, "learning rate η of RMSProp", "positive", maximum=LR_MAX),
        "lr_adam": Param(0.5, "learning rate η of Adam", "positive", maximum=LR_MAX),
        "beta": Param(0.6, "β of momentum and Nesterov (v ← βv − η∇f), in [0, 1)", "number", lower=0.0, maximum=1.0),
        "decay": Param(0.9, "ρ of RMSProp (s ← ρs + (1 − ρ)∇f²), in [0, 1)", "number", lower=0.0, maximum=1.0),
        "b1": Param(0.9, "β₁ of Adam (its momentum), in [0, 1)", "number", lower=0.0, maximum=1.0),
        "b2": Param(0.999, "β₂ of Adam (its average of ∇f²), in [0, 1)", "number", lower=0.0, maximum=1.0),
        "eps": Param(1e-8, "ε of RMSProp and Adam (keeps the division finite)", "positive", lower=1e-12, maximum=1.0),
        "steps": Param(200, "the most updates of any run (at most 300)", "integer", maximum=MAX_STEPS),
        "tol": Param(1e-3, "a run has arrived when |∇f| < tol", "positive", lower=1e-9, maximum=1.0),
        "valley_formula": Param(VALLEYS.formula, "the landscape with several valleys of step 6", "formula",
                                variables=("x", "y"), finite_on=("valley_x_range", "valley_y_range")),
        "valley_x_range": Param(list(VALLEYS.x_range), "the x interval of the map of step 6", "range"),
        "valley_y_range": Param(list(VALLEYS.y_range), "the y interval of the map of step 6", "range"),
        "valley_start": Param([2.0, 2.0], "where plain descent and momentum start in step 6", "point", size=2,
                              inside=("valley_x_range", "valley_y_range")),
        "valley_lr": Param(0.2, "the η both runs of step 6 share (β as above)", "positive", maximum=LR_MAX),
    }
    # fmt: on

    @classmethod
    def check_params(cls, params) -> str | None:
        """Constants in range, a narrow valley with the start off its floor, and a start where momentum rolls on."""
        p = params
        for key, default in (("beta", 0.6), ("decay", 0.9), ("b1", 0.9), ("b2", 0.999)):
            if not 0 <= p[key] < 1:
                return f"key '{key}': it must lie in [0, 1) (1 would never forget a step), got {p[key]:g}; try {key} = {default}"  # fmt: skip
        box = (p.x_range, p.y_range)
        minima = gradcore.find_minima(p.formula, box)
        if not minima:
            return f"key 'formula': gradcore finds no minimum on the map where f curves up every way, so no valley; try formula = {NARROW_VALLEY.formula!r}"  # fmt: skip
        low, high = curvatures(p.formula, minima[0].point)
        if low <= 0 or high < NARROW * low:
            return (f"key 'formula': its valley is not narrow (curvatures {low:.3g} and {high:.3g} at the minimum, "
                    f"fewer than {NARROW:g}× apart), so nothing zig-zags; try formula = {NARROW_VALLEY.formula!r}")  # fmt: skip
        if np.linalg.norm(p.formula.gradient(p.start)) < p.tol:
            return (
                "key 'start': it lies on the valley floor (|∇f| < tol), so no optimizer moves; try start = [-2.7, 1.0]"
            )
        return valley_problem(p, MAX_STEPS)

    def construct(self) -> None:
        self.setup_numbers()
        self.narrow_valley()
        self.momentum()
        self.nesterov()
        self.rmsprop_and_adam()
        self.race()
        self.rolling_on()
        self.summary()

    # --- numbers from gradcore, the map, the column ------------------------------------------
    def setup_numbers(self) -> None:
        p = self.params
        self.box = (p.x_range, p.y_range)
        self.minima = gradcore.find_minima(p.formula, self.box)
        self.best = float(self.minima[0].value)
        self.opts = {name: optimizer(p, name) for name in NAMES}
        self.paths = {name: run(p, self.opts[name]) for name in NAMES}
        self.replays = {name: opt.replay(p.formula, self.opts[name], self.paths[name].points) for name in NAMES}
        self.colours = dict(zip(NAMES, (self.ink(c) for c in self.palette.series), strict=False))
        self.view = LandscapeView(p.formula, self.box, centre=MAP_CENTRE, size=MAP_SIZE, samples=61)
        self.across = np.linalg.eigh(np.asarray(p.formula.hessian(self.minima[0].point)).reshape(2, 2))[1]

    def ink(self, colour: str) -> str:
        return legible(colour, self.palette.background)

    def say_words(self, *lines: tuple[str, str], **words: str) -> dict[str, str]:
        """The step's line: the (zh, en) pairs joined, each ``{name}`` filled in from the numbers."""
        return {"zh": "".join(z for z, _ in lines).format(**words), "en": "".join(e for _, e in lines).format(**words)}

    def map_picture(self, view: LandscapeView, title: str) -> VGroup:
        """Level curves (spaced for a valley: closer near the floor), the frame, tick numbers and a title."""
        pal = self.palette
        shares = np.linspace(0, 1, LEVELS + 2)[1:-1] ** 2
        levels = self.levels = view.low + shares * (view.high - view.low)
        curves = view.level_curves(levels, colour=lambda i: mix(pal.curve, pal.muted, i / LEVELS), width=1.8,
                                   opacity=0.8, samples=80)  # fmt: skip
        ticks = view.tick_labels(lambda t: self.math(t, size=SIZE.SMALL, color=pal.muted), fmt)
        name = self.mixed(title, size=SIZE.LABEL, color=pal.muted).next_to(view.point([view.mid[0], view.box[1][1]]),
                                                                            UP, buff=0.15)  # fmt: skip
        return VGroup(curves, view.frame(pal.axes), ticks, fit_width(name, view.map_width))

    def change_stage(self, *new: Mobject) -> None:
        """Cover the stage, put ``new`` in place of what was there, lift the cover (only the cover is animated)."""
        screen = cover(self, self.palette.background)
        if any(m not in (self._caption, screen) for m in self.mobjects):
            self.play(FadeIn(screen), run_time=0.6)
        self.remove(*(m for m in self.mobjects if m not in (self._caption, screen)))
        self.add(*new)
        self.bring_to_front(screen)
        self.play(FadeOut(screen), run_time=0.8)
        self.remove(screen)

    def column(self, *rows: Mobject, below: Mobject | None = None) -> VGroup:
        left, top, width = COLUMN
        group = VGroup(*(fit_width(r, width) for r in rows)).arrange(DOWN, aligned_edge=LEFT, buff=0.22)
        if below is None:
            return group.move_to([left, top, 0], aligned_edge=UP + LEFT)
        return group.next_to(below, DOWN, buff=0.3).set_x(left, direction=LEFT)

    def rows(self, *maths: str, colour: str | None = None) -> list[Mobject]:
        return [self.math(m, size=SIZE.LABEL, color=colour or self.palette.text) for m in maths]

    def rollout(self, view: LandscapeView, name: str, path: gradcore.Path | None = None) -> Rollout:
        path = path or self.paths[name]
        return Rollout.on_map(view, path, self.colours[name], self.palette.outline, ball_radius=0.09, dot_radius=0.03)

    def run_balls(self, balls: list[Rollout], extra: list | None = None, *, since: float = 0.0,
                  upto: float | None = None) -> None:  # fmt: skip
        """Roll the balls together from step ``since`` to ``upto`` (default: the longest run's end)."""
        last = max(b.last for b in balls) if upto is None else upto
        self.add(*(b.line for b in balls))
        tracker = ValueTracker(since)
        live = [pair for b in balls for pair in (b.followers()[0], b.followers()[2])] + (extra or [])
        shortest = 3.0 if upto is None else 0.8
        roll(self, tracker, last, roll_time(last - since, STEP_TIME, shortest, 8.0), live, rate_func=linear)

    # Section: the narrow valley
    def narrow_valley(self) -> None:
        """The map, −∇f at the start at right angles to its level curve, plain descent from the start."""
        p, pal, view = self.params, self.palette, self.view
        gd = self.paths["gd"]
        kind = gd_kind(p.formula, gd, self.box, ZIGZAG)
        self.step("the narrow valley", **self.say_words(VALLEY_LINE, GD_LINES[kind], eta=significant(p.lr_gd)[1]))
        self.picture = self.map_picture(view, self.say(*title_of(p.raw["formula"])))
        start = np.asarray(p.start, dtype=float)
        g = p.formula.gradient(start)
        scale = round_down(0.22 * view.span / np.linalg.norm(g))
        down = arrow(view.point(start), view.point(start - scale * g), pal.descent, 6)
        along = view.vector(np.array([-g[1], g[0]]) / np.linalg.norm(g))
        mark = elbow(view.point(start), -view.vector(g) / np.linalg.norm(view.vector(g)),
                     along / np.linalg.norm(along), self.ink(pal.text), 0.18)  # fmt: skip
        low, high = curvatures(p.formula, self.minima[0].point)
        self.col = self.first_col = self.column(
            *self.rows("theta arrow.l theta - eta nabla f(theta)", f"eta = {significant(p.lr_gd)[0]}"),
            self.math(f"nabla f(theta_0) = ({significant(g[0], 2)[0]}, {significant(g[1], 2)[0]})", size=SIZE.SMALL),
            self.mixed(self.say(f"曲率：横跨 {significant(high)[0]}，沿着 {significant(low)[0]}",
                                f"curvature: across {significant(high)[0]}, along {significant(low)[0]}"), size=SIZE.SMALL),
            self.mixed(self.say(f"箭头 $-nabla f$ 画成 {significant(scale)[1]} 倍", f"arrow $-nabla f$ drawn ×{significant(scale)[1]}"),
                       size=SIZE.SMALL, color=self.ink(pal.descent)),
        )  # fmt: skip
        self.change_stage(self.picture, disc(view.point(start), 0.07, pal.text, pal.outline))
        self.play(GrowArrow(down), FadeIn(mark), FadeIn(self.col), run_time=1.2)
        self.wait(1.5)
        self.gd_ball = self.rollout(view, "gd")
        self.play(FadeIn(self.gd_ball.ball), FadeOut(down), FadeOut(mark), run_time=0.6)
        self.run_balls([self.gd_ball])
        self.note = self.end_row("gd", self.gd_ball, below=self.col)
        self.play(FadeIn(self.note), run_time=0.6)
        self.wait(2.0)

    def end_row(self, name: str, ball: Rollout, below: Mobject) -> Mobject:
        words = f"{LABELS[name]}: {status_words(self.say, ball)}"
        return self.column(self.text(words, size=SIZE.SMALL, color=self.colours[name]), below=below)

    def fade_runs(self, *balls: Rollout) -> None:
        """The runs shown so far fade to faint trails (their balls leave)."""
        self.play(*(FadeOut(b.ball) for b in balls), *(b.line.animate.set_stroke(opacity=0.3) for b in balls),
                  FadeOut(self.col), FadeOut(self.note), run_time=0.6)  # fmt: skip

    # Section: momentum
    def momentum(self) -> None:
        """The steps SLOW taken apart, magnified: βv, then −η∇f from its tip, then their sum v; then the run."""
        p, pal, view = self.params, self.palette, self.view
        run, ks = self.replays["momentum"], [k for k in SLOW if k < len(self.replays["momentum"].steps)]
        zooms = [self.magnifier([run.points[k], run.points[k + 1], run.points[k] + p.beta * run.states[k].velocity])
                 for k in ks]  # fmt: skip
        self.sums = [self.arrow_sum("momentum", k, zoom) for k, zoom in zip(ks, zooms, strict=True)]
        self.step("momentum", **self.say_words(MOMENTUM_LINES[cancel_kind(self.sums, self.across)]))
        self.fade_runs(self.gd_ball)
        legend = VGroup(*(self.math(m, size=SIZE.LABEL, color=self.ink(c)) for m, c in (("beta v", pal.direction),
                          ("-eta nabla f(theta)", pal.gradient), ("v = beta v - eta nabla f", pal.highlight))))  # fmt: skip
        self.col = self.column(*self.rows("v arrow.l beta v - eta nabla f(theta)", "theta arrow.l theta + v"),
                               self.math(f"beta = {exact(p.beta)}, quad eta = {significant(p.lr_momentum)[0]}", size=SIZE.SMALL),
                               legend.arrange(RIGHT, buff=0.45))  # fmt: skip
        ball = self.mo_ball = self.rollout(view, "momentum")
        self.play(FadeIn(ball.ball), FadeIn(self.col), run_time=0.8)
        done = 0
        for k, parts, zoom in zip(ks, self.sums, zooms, strict=True):
            self.run_balls([ball], since=done, upto=k)
            done = k
            shown = [zoom.picture, zoom.outline] if zoom else []  # no magnifier for a step that leaves the map
            self.play(*map(FadeIn, shown), run_time=0.5) if shown else None
            self.grow(parts)
            self.play(*map(FadeOut, shown), run_time=0.4) if shown else None
        self.run_balls([ball], since=done)
        self.note = self.end_row("momentum", ball, below=self.col)
        self.play(FadeIn(self.note), run_time=0.6)
        self.wait(1.5)

    def grow(self, parts: ArrowSum, *extra: Mobject) -> None:
        """The arrows of a step one after another (``extra`` fades in with the first), held, then gone."""
        arrows = [a for a in parts.arrows if a is not None]
        for index, a in enumerate(arrows):
            self.play(GrowArrow(a), *(FadeIn(m) for m in (extra if index == 0 else ())), run_time=0.7)
        self.wait(1.2)
        self.play(FadeOut(parts), *(FadeOut(m) for m in extra), run_time=0.4)

    def magnifier(self, points) -> Magnifier:
        """The map magnified around ``points`` beside the column, with the factor written above it."""
        zoom = Magnifier(
            self.view, points, centre=ZOOM_CENTRE, size=ZOOM_SIZE, levels=self.levels, palette=self.palette
        )
        times = significant(zoom.factor, 2)[1]
        label = self.text(
            self.say(f"放大 {times} 倍", f"magnified ×{times}"), size=SIZE.SMALL, color=self.palette.muted
        )
        zoom.picture.add(label.next_to(zoom.view.point([zoom.view.mid[0], zoom.view.box[1][1]]), UP, buff=0.1))
        return zoom

    def arrow_sum(self, name: str, k: int, zoom: Magnifier | None) -> ArrowSum:
        """Step ``k`` of a momentum run as βv_k, −η∇f and their sum from θ_k, in the magnifier (gradcore's replay)."""
        run, pal = self.replays[name], self.palette
        parts = opt.velocity_parts(self.opts[name], run.states[k].velocity, run.gradients[k])
        colours = [self.ink(c) for c in (pal.direction, pal.gradient, pal.highlight)]
        return ArrowSum(zoom.view if zoom else self.view, run.points[k], parts, colours)

    # Section: Nesterov
    def nesterov(self) -> None:
        """One Nesterov step magnified: the look-ahead point θ + βv marked, −η∇f taken there, the sum; the run."""
        pal, view, p = self.palette, self.view, self.params
        self.step("nesterov", **self.say_words(NESTEROV_LINE))
        self.fade_runs(self.mo_ball)
        run = self.replays["nesterov"]
        k = min(LOOK_STEP, max(len(run.steps) - 1, 0))
        if len(run.steps):
            self.zoom = self.magnifier(np.vstack([run.points[k : k + 2], run.probes[k]]))
        self.look = self.arrow_sum("nesterov", k, self.zoom) if len(run.steps) else None
        self.col = self.column(*self.rows("v arrow.l beta v - eta nabla f(theta + beta v)", "theta arrow.l theta + v"),
                               self.math(f"beta = {exact(p.beta)}, quad eta = {significant(p.lr_nesterov)[0]}", size=SIZE.SMALL),
                               self.mixed(self.say("○ 前瞻点 $theta + beta v$", "○ look-ahead point $theta + beta v$"),
                                          color=self.ink(pal.direction)))  # fmt: skip
        ball = self.ne_ball = self.rollout(view, "nesterov")
        self.play(FadeIn(ball.ball), FadeIn(self.col), run_time=0.8)
        if self.look is not None:
            self.run_balls([ball], upto=k)
            shown = [self.zoom.picture, self.zoom.outline] if self.zoom else []
            ring = disc(self.look.view.point(run.probes[k]), 0.12, pal.background, self.ink(pal.direction), width=4)
            self.play(*map(FadeIn, shown), run_time=0.6) if shown else None
            self.grow(self.look, ring)
            self.play(*map(FadeOut, shown), run_time=0.5) if shown else None
        self.run_balls([ball], since=k if self.look is not None else 0)
        self.note = self.end_row("nesterov", ball, below=self.col)
        self.play(FadeIn(self.note), run_time=0.6)
        self.wait(1.0)

    # Section: RMSProp and Adam
    def rmsprop_and_adam(self) -> None:
        """RMSProp with its bars √s (per coordinate), then Adam with √v̂ and the bias correction."""
        pal, p = self.palette, self.params
        self.step("rmsprop and adam", **self.say_words(ADAPTIVE_LINE))
        self.fade_runs(self.ne_ball)
        self.col = self.column(*self.rows("s arrow.l rho s + (1 - rho) nabla f^2",
                                          "theta arrow.l theta - eta nabla f \\/ (sqrt(s) + epsilon)"),
                               self.math(f"rho = {exact(p.decay)}, quad eta = {significant(p.lr_rmsprop)[0]}", size=SIZE.SMALL))  # fmt: skip
        self.bars = self.coordinate_bars("rmsprop", "sqrt(s)")
        ball = self.rms_ball = self.rollout(self.view, "rmsprop")
        self.play(FadeIn(ball.ball), FadeIn(self.col), FadeIn(self.bars), run_time=0.8)
        self.hold_bars(ball, "rmsprop", "sqrt(s)")
        self.fade_runs(ball)
        b1, b2 = p.b1, p.b2
        self.col = self.column(*self.rows("m arrow.l beta_1 m + (1 - beta_1) nabla f", "v arrow.l beta_2 v + (1 - beta_2) nabla f^2",
                                          "hat(m) = m \\/ (1 - beta_1^t), quad hat(v) = v \\/ (1 - beta_2^t)",
                                          "theta arrow.l theta - eta hat(m) \\/ (sqrt(hat(v)) + epsilon)"),
                               self.mixed(self.say(f"$t = 1$：$1 - beta_1 = {exact(b1, True)}$，$1 - beta_2 = {exact(b2, True)}$",
                                                   f"$t = 1$: $1 - beta_1 = {exact(b1, True)}$, $1 - beta_2 = {exact(b2, True)}$"),
                                          size=SIZE.SMALL, color=self.ink(pal.warn)))  # fmt: skip
        self.play(FadeOut(self.bars), run_time=0.4)
        self.bars = self.coordinate_bars("adam", "sqrt(hat(v))")
        ball = self.adam_ball = self.rollout(self.view, "adam")
        self.play(FadeIn(ball.ball), FadeIn(self.col), FadeIn(self.bars), run_time=0.8)
        self.hold_bars(ball, "adam", "sqrt(hat(v))")

    def hold_bars(self, ball: Rollout, name: str, symbol: str) -> None:
        """The first BAR_HOLD steps, a pause on the bars (tall yet) and on each coordinate's η / (root + ε), the rest."""
        held = min(BAR_HOLD, ball.last)
        self.run_balls([ball], self.bar_set.followers(), upto=held)
        lr, eps = self.params[f"lr_{name}"], self.params.eps
        self.factors = lr / (self.bar_set.value(held) + eps)  # η over what the last step divided ∇f (or m̂) by
        x, y = (significant(v, 2)[0] for v in self.factors)
        self.note = self.column(self.math(f"eta \\/ ({symbol} + epsilon): quad x arrow {x}, quad y arrow {y}",
                                          size=SIZE.SMALL, color=self.ink(self.palette.curve)), below=self.col)  # fmt: skip
        self.play(FadeIn(self.note), run_time=0.6)
        self.wait(1.5)
        self.run_balls([ball], self.bar_set.followers(), since=held)
        self.wait(1.0)

    def coordinate_bars(self, name: str, symbol: str) -> VGroup:
        """Bars of √s (RMSProp) or √v̂ (Adam), one per coordinate, following the run's step number."""
        run, o, pal = self.replays[name], self.opts[name], self.palette

        def value(k: int) -> np.ndarray:
            state = run.states[k]
            return np.sqrt(
                state.mean_square if name == "rmsprop" else opt.adam_corrected(o, state)[1] if k else state.nu
            )

        values = [value(k) for k in range(len(run.states))]
        shown = lambda s: values[min(int(np.floor(s + 1e-9)), len(values) - 1)]  # noqa: E731
        colours = [self.ink(pal.gradient), self.ink(pal.curve)]
        bars = Bars(shown, 2, max(float(np.max(values)), 1e-12), colours, corner=BARS_CORNER, height=BARS_HEIGHT,
                    axis=pal.axes, width=0.6, gap=0.5)  # fmt: skip
        names = VGroup(*(self.math(n, size=SIZE.SMALL, color=c).next_to(bars.centre(i), DOWN, buff=0.1)
                         for i, (n, c) in enumerate(zip(("x", "y"), colours, strict=True))))  # fmt: skip
        head = self.mixed(self.say(f"每个坐标的 ${symbol}$", f"${symbol}$ per coordinate"), size=SIZE.SMALL,
                          color=pal.muted).next_to(bars.baseline, RIGHT, buff=0.4).shift(0.6 * UP)  # fmt: skip
        self.bar_set = bars
        return VGroup(bars, names, head)

    # Section: the race
    def race(self) -> None:
        """All five from the start on one map, their f − f* on a log chart, each one's steps or status."""
        p, pal = self.params, self.palette
        balls = {name: self.rollout(self.view, name) for name in NAMES}
        self.race_balls = balls
        self.step("the race", **race_words(self.paths, p, {n: b.exit_step for n, b in balls.items()}))
        self.chart = LogRace([np.maximum(balls[n].visible_values - self.best, 0.0) for n in NAMES],
                             [self.colours[n] for n in NAMES], centre=CHART_CENTRE, size=CHART_SIZE, axis=pal.axes)  # fmt: skip
        tick = lambda t: self.math(t, size=SIZE.SMALL, color=pal.muted)  # noqa: E731
        names = (self.text(self.say("步数", "step"), size=SIZE.SMALL, color=pal.muted),
                 self.math("f - f^*", size=SIZE.SMALL, color=pal.muted))  # fmt: skip
        start = disc(self.view.point(p.start), 0.07, pal.text, pal.outline)
        self.change_stage(self.picture, start, self.chart.labels(tick, names))
        self.play(*(FadeIn(b.ball) for b in balls.values()), run_time=0.6)
        self.add(*self.chart.curves)
        self.run_balls(list(balls.values()), self.chart.followers())
        self.results = race_table(self, balls, self.colours).move_to([COLUMN[0], COLUMN[1], 0], aligned_edge=UP + LEFT)
        self.play(FadeIn(self.results), run_time=0.8)
        self.wait(3.0)

    # Section: rolling on
    def rolling_on(self) -> None:
        """The landscape with several valleys: plain descent and momentum from one start, the same η."""
        p, pal = self.params, self.palette
        lesson = self.lesson = valley_lesson(p)
        minima = lesson.minima
        low, deep = (fixed(minima[i].value, 2) for i in (lesson.plain_end, lesson.heavy_end))
        deepest = lesson.heavy_end in gradcore.paths.lowest_minima(list(minima))
        where = ("最低的山谷", "the lowest valley") if deepest else ("更深的山谷", "a deeper one")
        self.step("rolling on", **self.say_words(ROLL_LINE, low=low, deep=deep, where=where[0], where_en=where[1]))
        view = self.valley_view = LandscapeView(p.valley_formula, (p.valley_x_range, p.valley_y_range),
                                                centre=MAP_CENTRE, size=MAP_SIZE, samples=61)  # fmt: skip
        picture = self.map_picture(view, self.say(*title_of(p.raw["valley_formula"])))
        lowest = gradcore.paths.lowest_minima(list(minima))
        marks = VGroup(*(disc(view.point(m.point), 0.08, pal.good if i in lowest else pal.warn, pal.outline)
                         for i, m in enumerate(minima)))  # fmt: skip
        self.valley_balls = [
            self.rollout(view, n, path) for n, path in (("gd", lesson.plain), ("momentum", lesson.heavy))
        ]
        rows = [self.math(f"eta = {significant(p.valley_lr)[0]}, quad beta = {exact(p.beta)}", size=SIZE.LABEL)]
        self.col = self.column(*rows)
        self.change_stage(picture, marks, self.col)
        self.play(*(FadeIn(b.ball) for b in self.valley_balls), run_time=0.6)
        self.run_balls(self.valley_balls)
        words = [(self.say("GD：停在", "GD: stops in a"), lesson.plain_end, "gd"),
                 (self.say("动量法：滚到", "Momentum: rolls to a"), lesson.heavy_end, "momentum")]  # fmt: skip
        kinds = {True: self.say("全局极小值", "global minimum"), False: self.say("局部极小值", "local minimum")}
        ends = [row for w, i, n in words for row in (self.text(f"{w} {kinds[i in lowest]}", size=SIZE.SMALL, color=self.colours[n]),
                self.math(f"f = {fixed(minima[i].value, 2)}", size=SIZE.SMALL, color=self.colours[n]))]  # fmt: skip
        self.ends = self.column(*ends, below=self.col)
        self.play(FadeIn(self.ends), run_time=0.8)
        self.wait(3.0)

    # Section: summary
    def summary(self) -> None:
        self.step("summary", **self.say_words(SUMMARY_LINE))
        self.change_stage()
        rows = [[self.text(LABELS[n], size=SIZE.LABEL, color=self.colours[n]), self.math(RULES[n], size=SIZE.LABEL)]
                for n in NAMES]  # fmt: skip
        card = fit_width(rows_of(rows, buff=0.4, gap=0.3), 13.0)
        self.show_summary(*card, line_pause=0.6, hold=2.5)


# --- gradcore's runs and what they show ---------------------------------------------------------
def optimizer(p, name: str) -> opt.Optimizer:
    """The optimizer ``name`` with the constants of the parameters ``p``."""
    hyper = {"gd": {}, "momentum": {"beta": p.beta}, "nesterov": {"beta": p.beta},
             "rmsprop": {"decay": p.decay, "eps": p.eps}, "adam": {"b1": p.b1, "b2": p.b2, "eps": p.eps}}[name]  # fmt: skip
    return opt.get_optimizer(name, p[f"lr_{name}"], **hyper)


def run(p, optimizer_: opt.Optimizer) -> gradcore.Path:
    return gradcore.descend(p.formula, p.start, optimizer=optimizer_, steps=p.steps, tol=p.tol)


__all__ = ["Optimizers"]
