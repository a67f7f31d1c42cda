"""Batch, mini-batch and stochastic gradient descent: a gradient estimated from a few samples.

Render: manim render -ql scenes/stochastic.py StochasticDescent

Storyboard: many samples (a noisy line drawn by gradcore from a seed, and its loss J(w, b)
as a filled map) → one gradient, many estimates (an epoch's mini-batch gradients around
the full one; their mean is the full one) → three paths from one start with one η, timed
by samples processed → loss against samples processed → constant η jitters, a decaying η
settles → summary. Every number comes from gradcore (``gradcore.sgd``,
``gradcore.stochastic``); every sentence is picked by those numbers.

Cost notes (Cairo): the filled map is one image drawn once per ``play``
(``MovingOnTop`` keeps what changes last); balls, trails and counters follow one
clock (samples processed) by resetting points, never by typesetting.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    Create,
    FadeIn,
    Mobject,
    ValueTracker,
    VGroup,
    linear,
)

import gradcore.stochastic as gs
from gradcore.models import linear_regression
from gradcore.sgd import batch_gradients
from scenes.toolkit import SIZE, LectureScene, Param, rollout
from scenes.toolkit import regression as rg
from scenes.toolkit import sgd_views as sv
from scenes.toolkit.base import MovingOnTop
from scenes.toolkit.colours import mix
from scenes.toolkit.fields import arrow, fixed
from scenes.toolkit.landscape import LandscapeView
from scenes.toolkit.numbers import Readout, fast_number
from scenes.toolkit.plotting import LabelPlacer, fit_width, fmt
from scenes.toolkit.rollout import disc, roll, significant
from scenes.toolkit.sgd_views import LogChart, Trace, appear, dots, morph, sparse_ticks, spokes, vanish
from scenes.toolkit.text import halo

# --- layout (frame x ∈ [−7.1, 7.1], y ∈ [−4, 4]; captions below y = −3.05) ----------------------
LEFT_CENTRE, LEFT_SIZE = (-4.55, 0.1), (3.3, 4.3)  # the data panel, later the loss chart and the zoom
MAP_CENTRE, MAP_SIZE = (-0.3, 0.15), 3.9  # the (w, b) map; its longer side is MAP_SIZE
MAP_ASPECT = 1.3
CHART_CENTRE, CHART_SIZE = (-4.5, 0.45), (2.8, 3.5)  # J against samples seen (step 4)
ZOOM_CENTRE, ZOOM_SIZE = (-4.6, 0.45), 2.4  # the zoom near θ* (step 5)
ZOOM_LEAST = 0.1  # the zoom's side is at least this share of the map's longer side
DECADES = 5  # the loss chart spans at most this many powers of ten (lower losses sit on its floor)
PANEL_LEFT, PANEL_TOP, PANEL_WIDTH = 2.45, 3.75, 4.55  # the column of formulas and readouts
TITLE_Y = 3.35
BANDS = 9
LIMIT = 100.0  # |w|, |b| of the line and the start at most
ARROW_SHARE = 0.35  # the full −∇J arrow of step 2 is at most this share of the map's longer side
RACE_TIME = 9.0  # seconds of the race of step 3
MOST_LINES = 25  # an epoch's estimates are drawn as lines up to this many, as dots beyond
NAMES = {"batch": ("全批量", "full batch"), "mini": ("小批量", "mini-batch"), "single": ("单样本", "single sample")}

# fmt: off
LINES = {  # each step's narration (zh, en); a {name} is filled in from the numbers
    "many samples": ("{n} 个样本来自直线 y = {line}，再加上噪声（σ = {noise}）。损失 J(w, b) 是所有样本损失的平均；右图是它的等高线。",
                     "{n} samples from y = {line} plus noise (σ = {noise}). The loss J(w, b) averages every "
                     "sample's loss; its contours are on the right."),
    "no noise": ("{n} 个样本都正好在直线 y = {line} 上（没有噪声）。损失 J(w, b) 是所有样本损失的平均；右图是它的等高线。",
                 "{n} samples lying exactly on y = {line} (no noise). The loss J(w, b) averages every sample's "
                 "loss; its contours are on the right."),
    "one gradient, many estimates": ("完整梯度要用全部 {n} 个样本。一个小批量只给出一个估计，散在它周围；把一个轮次的 {count} 个估计平均，正好得到完整梯度。",
                                     "The full gradient reads all {n} samples; a mini-batch gives an estimate. The {count} "
                                     "estimates of one epoch average to exactly the full one."),
    "three paths": ("同一起点、同一 η = {eta}，按处理的样本数同步播放；B = {sizes} 每轮走 {counts} 步。大批量平滑，小批量摇摆。",
                    "One start, one η = {eta}, timed by samples seen; B = {sizes} take {counts} steps an epoch. "
                    "Large batches go smoothly, small ones wander."),
}
WORK_LINES = {  # step 4, by the order in which the paths came close (see work_case)
    "sooner": ("按处理的样本数算，小批量更快接近：B = {first} 走完 99% 的下降只用了 {first_n} 个样本，B = {last} 要 {last_n} 个。",
               "Per sample seen, small batches get close sooner: B = {first} is 99 % of the way down after "
               "{first_n} samples, B = {last} after {last_n}."),
    "never": ("按处理的样本数算，小批量更快接近：B = {first} 走完 99% 的下降只用了 {first_n} 个样本，B = {last} 用完 {most} 个还没做到。",
              "Per sample seen, small batches get close sooner: B = {first} is 99 % of the way down after "
              "{first_n} samples, B = {last} not even after {most}."),
    "none": ("在 {most} 个样本内，没有一条路径走完 99% 的下降：η = {eta} 太小，或轮次太少。",
             "None of the paths gets 99 % of the way down within {most} samples: η = {eta} is too small or the "
             "epochs too few."),
    "other": ("按处理的样本数，走完 99% 的下降：{order_zh}。这里最小的批量并不最快。",
              "Samples seen to get 99 % of the way down: {order_en}. Here the smallest batch is not the fastest."),
}
SETTLE_LINES = {  # step 5, by gradcore.stochastic.settle_case
    "settles": ("η 不变时 B = {b} 的路径一直抖；η = η₀/(1 + d·t) 递减后安定了：最后一轮差 {decayed}，不是 {constant}。",
                "Constant η: the B = {b} path keeps jittering near the minimum. With η = η₀/(1 + d·t) it settles: "
                "{decayed} away in the last epoch, not {constant}."),
    "slow": ("η 不变，B = {b} 的路径在最小点旁抖动；d = {d} 时 η 减小得慢，{epochs} 轮内差别不大（{decayed} 对 {constant}）。",
             "Constant η: the B = {b} path jitters near the minimum; with d = {d} the decay changes little in "
             "{epochs_en} ({decayed} against {constant})."),
    "far": ("{epochs} 轮后两条路径都还在半路上（最后一轮差 {constant} 和 {decayed}）：η = {eta} 太小或轮次太少，还谈不上抖动。",
            "After {epochs_en} both paths are still on their way ({constant} and {decayed} away in the last epoch): "
            "η = {eta} is too small or the epochs too few."),
    "stalled": ("d = {d} 时 η 减小得太快：递减的路径停在半路，离最小点 {decayed}，而 η 不变的路径只差 {constant}。",
                "With d = {d} η shrinks too fast: the decaying path stalls {decayed} from the minimum, while the "
                "constant-η path is {constant} from it."),
    "small": ("B = {b} 时，η 不变的抖动比起走过的路已经很小（最后一轮差 {constant}）；η 递减后是 {decayed}。",
              "With B = {b} the constant-η jitter is already small next to the way travelled ({constant} in the last "
              "epoch); decaying η gives {decayed}."),
    "exact": ("这里所有样本都在一条直线上：每个样本的梯度在最小点处都为零，所以 η 不变也能停下来（{constant}）。",
              "Here every sample lies on the line, so each sample's gradient vanishes at the minimum: even a constant "
              "η settles ({constant})."),
}
SUMMARY_LINES = {  # the summary's narration: the settling clause only where step 5 showed it (settle_case)
    "settles": ("小批量梯度是完整梯度的有噪声估计，每一步便宜；学习率逐渐减小时，路径会安定在最小点。",
                "A mini-batch gradient is a noisy, cheap estimate of the full one; with a decaying learning rate the "
                "path settles at the minimum."),
    "other": ("小批量梯度是完整梯度的有噪声估计，每一步便宜；批量大小和学习率的递减决定路径抖动多少。",
              "A mini-batch gradient is a noisy, cheap estimate of the full one; the batch size and the decay of η "
              "set how much the path jitters."),
}
SETTLE_SUMMARY = {  # the card's last line, by gradcore.stochastic.settle_case
    "settles": ("$eta_t = eta_0 \\/ (1 + d t)$ 让路径安定；$eta$ 不变时它一直抖动",
                "$eta_t = eta_0 \\/ (1 + d t)$ lets the path settle; a constant $eta$ keeps it jittering"),
    "slow": ("$eta$ 不变时路径一直抖动；要安定，$eta$ 得更快减小（更大的 $d$）",
             "a constant $eta$ keeps the path jittering; to settle, $eta$ must decay faster (a larger $d$)"),
    "small": ("$eta$ 不变时抖动多大取决于批量：批量越大越小", "how much a constant $eta$ jitters depends on the batch: less for larger ones"),
    "far": ("$eta$ 太小或轮次太少：路径还没走到最小点", "with too small an $eta$ or too few epochs the paths have not arrived yet"),
    "stalled": ("$eta$ 递减太快，路径会停在半路：$d$ 要适中", "an $eta$ that decays too fast stalls the path half way: $d$ must be moderate"),
    "exact": ("数据都在直线上时，$eta$ 不变也能安定；有噪声时它会一直抖动", "on noise-free data even a constant $eta$ settles; with noise it keeps jittering"),
}
# fmt: on


class StochasticDescent(MovingOnTop, LectureScene):
    """Linear regression on a noisy line: batch, mini-batch and single-sample descent compared by samples seen."""

    config_table = "stochastic"
    # fmt: off
    parameters = {
        "samples": Param(100, "number of data points drawn from the line (10 to 400)", "integer", minimum=10, maximum=400),
        "noise": Param(0.5, "standard deviation σ of the noise added to each yᵢ (0 to 5)", "number", lower=0.0, maximum=5.0),
        "seed": Param(7, "seed of the data and of the shuffles: the same seed, the same pictures", "integer",
                      minimum=0, maximum=2**31 - 1),
        "line": Param([2.0, 1.0], "(w, b) of the true line y = w x + b the data come from", "point", size=2),
        "start": Param([-1.0, -1.5], "(w, b) where every path starts", "point", size=2),
        "lr": Param(0.2, "learning rate η₀, the same for every path", "positive", maximum=10.0),
        "batch_sizes": Param([100, 10, 1], "the batch sizes compared (1 to 3, each dividing samples; samples = "
                             "full batch)", "positives", max_items=3),
        "epochs": Param(10, "passes over the data of every path (at most 30)", "integer", maximum=30),
        "decay": Param(1.0, "d of the decaying η_t = η₀ / (1 + d·t), t in epochs (step 5)", "positive", maximum=100.0),
    }
    # fmt: on

    @classmethod
    def check_params(cls, params) -> str | None:
        """Sizes that divide the data, a start that is not the answer, no path that diverges."""
        p = params
        for key in ("line", "start"):
            if np.abs(p[key]).max() > LIMIT:
                return f"key '{key}': values within ±{LIMIT:g} keep the map readable; try {key} = {cls.parameters[key].default}"  # fmt: skip
        sizes = tuple(p.batch_sizes)
        found = gs.problem(p.samples, p.noise, p.seed, tuple(p.line), p.start, p.lr, sizes, p.epochs, p.decay)
        return None if found is None else f"key '{found[0]}': {found[1]}"

    def construct(self) -> None:
        self.setup_numbers()
        self.many_samples()
        self.one_gradient_many_estimates()
        self.three_paths()
        self.loss_against_work()
        self.settling_down()
        self.summary()

    # --- numbers from gradcore, and the panels they are drawn on ------------------------------
    def setup_numbers(self) -> None:
        self.palette = pal = rg.readable(self.palette)
        p = self.params
        self.story = story = gs.lesson(p.samples, p.noise, p.seed, tuple(p.line), p.start, p.lr,
                                       tuple(int(b) for b in p.batch_sizes), p.epochs, p.decay)  # fmt: skip
        self.J, self.start, self.answer = story.loss, np.asarray(p.start, dtype=float), story.answer
        self.view = LandscapeView(self.J, story.box, centre=MAP_CENTRE, size=MAP_SIZE, samples=41)
        order = sorted(r.batch_size for r in story.races)[::-1]  # largest first: text colour, highlight, direction
        self.colours = dict(zip(order, [pal.text, pal.highlight, pal.direction], strict=False))
        self.most = float(p.samples * p.epochs)

    def narrate(self, section: str, lines: tuple[str, str], **words: str) -> None:
        zh, en = lines
        self.step(section, zh=zh.format(**words), en=en.format(**words))

    def tick(self, text: str) -> Mobject:
        """A tick number; each distinct one is typeset once and copied (a copy costs far less than Typst)."""
        known = self.__dict__.setdefault("_ticks", {})
        if text not in known:
            known[text] = self.math(text, size=SIZE.BODY, color=self.palette.muted)
        return known[text].copy()

    def pair(self, theta, decimals: int = 2) -> str:
        return f"({fixed(theta[0], decimals)}, {fixed(theta[1], decimals)})"

    def column(self, *rows: Mobject, below: Mobject | None = None, buff: float = 0.3) -> VGroup:
        """Rows left-aligned in the right-hand column, under ``below`` (or at its top)."""
        for row in rows:
            fit_width(row, PANEL_WIDTH)
        group = VGroup(*rows).arrange(DOWN, aligned_edge=LEFT, buff=0.22)
        if below is None:
            return group.move_to([PANEL_LEFT, PANEL_TOP, 0], aligned_edge=np.array([-1, 1, 0]))
        return group.next_to(below, DOWN, buff=buff).set_x(PANEL_LEFT, direction=LEFT)

    def race_name(self, race: gs.Race) -> tuple[str, str]:
        """``全批量 (B = 100)`` / ``full batch (B = 100)``."""
        zh, en = NAMES[race.name]
        return f"{zh} (B = {race.batch_size})", f"{en} (B = {race.batch_size})"

    def dot(self, theta, colour: str, radius: float = 0.09) -> Mobject:
        return disc(self.view.point(theta), radius, colour, self.palette.outline, width=2)

    # Section: many samples
    def many_samples(self) -> None:
        """The data with the least-squares line, the filled map of J, θ* and the start on it."""
        pal, p, view = self.palette, self.params, self.view
        words = {"n": str(p.samples), "line": line_text(*p.line), "noise": fmt(p.noise)}
        self.narrate("many samples", LINES["many samples" if p.noise > 0 else "no noise"], **words)
        X, Y = self.story.X, self.story.Y
        data = rg.DataPanel(X, Y, rg.data_ranges(X, Y), centre=LEFT_CENTRE, size=LEFT_SIZE, palette=pal)
        names = (self.math("x", size=SIZE.BODY, color=pal.muted), self.math("y", size=SIZE.BODY, color=pal.muted))
        points = dots(data.graph.points(X, Y), 0.05, pal.text)
        self.left = VGroup(data.axes(self.tick, names), points, data.line(self.answer, pal.good, 4))
        levels = rg.band_levels(view.low, view.high, BANDS)
        colours = [mix(pal.background, pal.curve, 0.06 + 0.6 * k / BANDS) for k in range(BANDS + 1)]
        picture = rg.filled_map(view, self.J, levels, colours, mix(pal.background, pal.muted, 0.5))
        axes = (self.math("w", size=SIZE.BODY, color=pal.muted), self.math("b", size=SIZE.BODY, color=pal.muted))
        numbers = view.tick_labels(self.tick, rg.tick_format(view.box), names=axes)
        self.map_left = numbers.get_left()[0]  # step 4's chart keeps its tick numbers left of these
        title = self.math("J(w, b) = 1/m sum_i J_i", size=SIZE.LABEL).move_to([MAP_CENTRE[0], TITLE_Y, 0])
        many = self.text(self.say(f"m = {p.samples} 个样本", f"m = {p.samples} samples"), color=pal.muted)
        best = self.mixed(self.say(f"最小二乘 $theta^* = {self.pair(self.answer)}$",
                                   f"best fit $theta^* = {self.pair(self.answer)}$"), color=pal.good)  # fmt: skip
        self.rows = self.column(self.math("J_i = 1/2 (w x_i + b - y_i)^2"), many, best)
        self.best, self.start_dot = self.dot(self.answer, pal.good), self.dot(self.start, pal.text)
        left, right, bottom, top = view.screen_box
        g = self.J.gradient(self.start)  # step 2's arrow points along −∇J from θ₀: the labels keep off it too
        reach = self.start - np.outer(np.linspace(0, ARROW_SHARE * view.span / np.linalg.norm(g), 12), g)
        paths = [sv.along(view.point(pts), 0.1) for pts in (*(r.path.points for r in self.story.races), reach)]
        placer = LabelPlacer((left + 0.1, right, bottom, top - 0.15), paths)  # every segment, not its ends only
        labels = [placer.place(halo(self.math(text, size=SIZE.LABEL, color=colour), pal.outline), at.get_center())
                  for text, colour, at in (("theta^*", pal.good, self.best),
                                           ("theta_0", pal.text, self.start_dot))]  # fmt: skip
        self.map_labels = labels
        self.play(*appear(self.left[0]), *appear(points), run_time=1.2)
        self.play(*appear(picture), *appear(view.frame(pal.axes)), *appear(numbers), *appear(title), run_time=1.2)
        self.play(*appear(self.rows), Create(self.left[2]), *appear(VGroup(self.best, self.start_dot, *labels)))
        self.wait(1.5)

    # Section: one gradient, many estimates
    def one_gradient_many_estimates(self) -> None:
        """−s∇J at the start, an epoch's −s∇J_B of each smaller batch around it, their mean landing on it."""
        pal, view, p = self.palette, self.view, self.params
        sizes = sorted((r.batch_size for r in self.story.races if r.batch_size < p.samples), reverse=True)
        clouds = {b: batch_gradients(linear_regression, self.story.X, self.story.Y, self.start, b, seed=p.seed)[0]
                  for b in sizes}  # fmt: skip
        g = self.J.gradient(self.start)
        scale = self.arrow_scale(g, np.vstack(list(clouds.values())))
        self.narrate("one gradient, many estimates", LINES["one gradient, many estimates"], n=str(p.samples),
                     count=str(p.samples // sizes[0]))  # fmt: skip
        tail = view.point(self.start)
        full = arrow(tail, view.point(self.start - scale * g), pal.descent, 7)
        parts, gathered = [], []
        for grads in clouds.values():
            tips = view.point(self.start - scale * grads)
            colour, centre = self.colours[len(self.story.Y) // len(grads)], tips.mean(axis=0)
            pieces = [dots(tips, 0.035, colour)] + ([spokes(tail, tips, colour)] if len(tips) <= MOST_LINES else [])
            parts.append(VGroup(*pieces))
            gathered.append([dots([centre] * len(tips), 0.035, colour), spokes(tail, [centre] * len(tips), colour)])
        legend = self.text(self.say(f"箭头 = {significant(scale)[1]} × (−∇J)", f"arrows at {significant(scale)[1]} × (−∇J)"),
                           size=SIZE.SMALL, color=pal.muted)  # fmt: skip
        mean = np.mean(clouds[sizes[-1]], axis=0)
        counts = [self.text(self.say(f"B = {b}：{p.samples // b} 个估计", f"B = {b}: {p.samples // b} estimates"),
                            size=SIZE.SMALL, color=self.colours[b]) for b in sizes]  # fmt: skip
        average = self.mixed(self.say(f"平均 $= {self.pair(mean)}$", f"mean $= {self.pair(mean)}$"),
                             color=pal.descent)  # fmt: skip
        rows = self.column(self.math(f"nabla J(theta_0) = {self.pair(g)}", color=pal.descent), *counts, average, legend,
                           below=self.rows)  # fmt: skip
        self.play(*appear(full), *appear(rows[0]), *appear(legend), run_time=1.0)
        for cloud, row in zip(parts, counts, strict=True):
            self.play(*appear(cloud), *appear(row), run_time=1.2)
            self.wait(0.8)
        self.bring_to_front(*parts[:-1])  # the larger batches' few estimates over the single samples' cloud
        moves = [morph(piece, target) for cloud, targets in zip(parts, gathered, strict=True)
                 for piece, target in zip(cloud, targets, strict=False)]  # fmt: skip
        self.play(*moves, *appear(average), run_time=1.5)
        self.wait(2.0)
        self.estimates = VGroup(full, *parts, rows)  # faded out when the paths start
        self.shown_mean = [cloud[0].get_center() for cloud in parts]  # read back from the gathered dots
        self.full_tip = full.get_end()

    def arrow_scale(self, g: np.ndarray, estimates: np.ndarray) -> float:
        """A round scale s (1, 2 or 5 × 10ᵏ): every tip θ₀ − s∇J_B inside the map, −s∇J at most ARROW_SHARE long."""
        (w0, w1), (b0, b1) = self.view.box
        lo, hi = np.array([w0, b0]), np.array([w1, b1])
        margin = 0.03 * self.view.span
        largest = ARROW_SHARE * self.view.span / float(np.linalg.norm(g))
        for v in (*estimates, g):
            for axis in range(2):
                if v[axis] > 0:
                    largest = min(largest, (self.start[axis] - lo[axis] - margin) / v[axis])
                elif v[axis] < 0:
                    largest = min(largest, (self.start[axis] - hi[axis] + margin) / v[axis])
        exponent = np.floor(np.log10(largest))
        return float(max(s * 10**exponent for s in (1, 2, 5) if s * 10**exponent <= largest * (1 + 1e-9)))

    # Section: three paths
    def three_paths(self) -> None:
        """Every batch size's path from the start, one clock of samples processed, a step counter each."""
        pal, p = self.palette, self.params
        races = self.story.races
        per = [(p.samples // min(r.batch_size, p.samples)) for r in races]
        self.narrate(
            "three paths",
            LINES["three paths"],
            eta=significant(p.lr)[1],
            sizes=", ".join(str(r.batch_size) for r in races),
            counts=", ".join(str(k) for k in per),
        )
        self.traces = [Trace(self.view, r.path.points, r.samples, self.colours[r.batch_size], pal.outline)
                       for r in races]  # fmt: skip
        clock = ValueTracker(0.0)
        seen = lambda: float(np.floor(clock.get_value() + 1e-9))  # noqa: E731
        rows = [
            self.readout(
                self.mixed(self.say("已处理样本 $=$", "samples seen $=$"), size=SIZE.SMALL), seen, pal.text, 0
            ),
            self.readout(
                self.mixed(self.say("轮次 $=$", "epochs $=$"), size=SIZE.SMALL), lambda: seen() / p.samples, pal.text, 2
            ),  # fmt: skip
        ]
        for race, trace in zip(races, self.traces, strict=True):
            head = self.mixed(f"$B = {race.batch_size}$, {self.say('步数', 'steps')} $k =$", size=SIZE.SMALL,
                              color=trace.ball.color)  # fmt: skip
            rows.append(self.readout(head, lambda t=trace: float(t.steps(seen())), trace.ball.color, 0))
        column = self.column(*rows, below=self.rows)
        self.add(*(t.line for t in self.traces))
        self.play(*vanish(self.estimates), run_time=0.6)
        self.play(*appear(VGroup(*(t.ball for t in self.traces))), *appear(column), run_time=0.8)
        live = [pair for t in self.traces for pair in t.followers()]
        self.race_column = column
        roll(self, clock, self.most, RACE_TIME, live, rate_func=linear)
        self.wait(1.5)

    def readout(self, head: Mobject, value, colour: str, decimals: int) -> Readout:
        return Readout(head, fast_number(value(), decimals=decimals, color=colour, size=SIZE.SMALL), value)

    # Section: loss against work
    def loss_against_work(self) -> None:
        """J against samples processed for every path (log scale), the 99 % level and where each crossed it."""
        pal, story = self.palette, self.story
        case, words = work_case(story.races, self.params.lr, self.most)
        self.narrate("loss against samples", WORK_LINES[case], **words)
        top = max(float(r.path.values.max()) for r in story.races)
        low = min(float(r.path.values.min()) for r in story.races)
        low = max(low, top * 10.0**-DECADES)
        chart = LogChart(self.most, low, top, centre=CHART_CENTRE, size=CHART_SIZE, palette=pal)
        names = (self.text(self.say("已处理样本", "samples seen"), size=SIZE.SMALL, color=pal.muted),
                 self.math("J", size=SIZE.BODY, color=pal.muted))  # fmt: skip
        labels = chart.labels(self.tick, names, right=self.map_left)
        curves = [chart.curve(r.samples, r.path.values, self.colours[r.batch_size]) for r in story.races]
        level = chart.level(story.close_level, pal.good)
        marks = VGroup(*(disc(chart.point(r.reached, r.path.values[int(r.reached // r.batch_size)]), 0.07,
                              self.colours[r.batch_size], pal.outline) for r in story.races if r.reached is not None))  # fmt: skip
        rows = [self.mixed(self.say("走完 99% 下降时的样本数：", "samples at 99 % of the way:"), size=SIZE.SMALL,
                           color=pal.good)]  # fmt: skip
        for r in story.races:
            n = str(r.reached) if r.reached is not None else self.say("未达到", "not reached")
            rows.append(self.mixed(f"$B = {r.batch_size}$: {n}", size=SIZE.SMALL, color=self.colours[r.batch_size]))
        column = self.column(*rows, below=self.rows)
        self.play(*vanish(self.left), *vanish(self.race_column), run_time=0.6)
        self.play(*appear(labels), run_time=0.8)
        self.play(*(Create(c) for c in curves), run_time=2.5)
        self.play(Create(level), *appear(marks), *appear(column), run_time=1.0)
        self.wait(2.5)
        self.left = VGroup(labels, *curves, level, marks)
        self.work_column = column

    # Section: settling down
    def settling_down(self) -> None:
        """The last epoch of the noisiest path with constant and with decaying η, in a zoom around θ*."""
        pal, p, story = self.palette, self.params, self.story
        noisy, calm = story.noisiest, story.decayed
        per = p.samples // noisy.batch_size
        case, *spreads = gs.settling(story, self.start)
        d = rg.decimals_apart(*spreads, least=2, most=4)
        shown = [fixed(v, d) for v in spreads]
        self.narrate("settling down", SETTLE_LINES[case], b=str(noisy.batch_size), constant=shown[0], decayed=shown[1],
                     d=fmt(p.decay), epochs=str(p.epochs), eta=significant(p.lr)[1],
                     epochs_en=f"{p.epochs} epoch" + "s" * (p.epochs != 1))  # fmt: skip
        last = [r.path.points[-per - 1 :] for r in (noisy, calm)]
        box = sv.zoom_box(last, self.answer, story.box, ZOOM_LEAST * self.view.span)
        zoom = LandscapeView(self.J, box, centre=ZOOM_CENTRE, size=ZOOM_SIZE, samples=21)
        names = (self.math("w", size=SIZE.BODY, color=pal.muted), self.math("b", size=SIZE.BODY, color=pal.muted))
        title = self.text(self.say("放大：θ* 附近", "zoom: near θ*"), color=pal.muted)
        title.move_to([ZOOM_CENTRE[0], TITLE_Y, 0])
        frame = VGroup(zoom.frame(pal.axes), sparse_ticks(zoom, self.tick, names), title)
        seen = sv.zoom_mark(self.view, box, pal.text)
        colours = (self.colours[noisy.batch_size], pal.curve)
        trails = [
            Trace(zoom, pts, np.arange(len(pts), dtype=float), c, pal.outline, radius=0.06, width=w)
            for pts, c, w in zip(last, colours, (2.0, 4.5), strict=True)
        ]  # the settled one drawn bolder, on top
        best = disc(zoom.point(self.answer), 0.08, pal.good, pal.outline, width=2)
        eta_end = p.lr / (1 + p.decay * p.epochs)
        rows = self.column(
            self.math("eta_t = eta_0 / (1 + d t)", color=pal.curve),
            self.mixed(f"$eta_0 = {significant(p.lr)[0]}$, $d = {fmt(p.decay)}$", color=pal.curve),
            self.math(f"t = {p.epochs}: quad eta = {significant(eta_end)[0]}", color=pal.curve),  # fmt: skip
            self.text(self.say("最后一轮平均 |θ − θ*|：", "last epoch, mean |θ − θ*|:"), size=SIZE.SMALL),
            self.text(self.say(f"η 不变：{shown[0]}", f"constant η: {shown[0]}"), color=colours[0]),
            self.text(self.say(f"η 递减：{shown[1]}", f"decaying η: {shown[1]}"), color=colours[1]),
            below=self.rows,
        )
        self.play(*vanish(self.left), *vanish(self.work_column), run_time=0.6)
        self.play(*appear(frame), Create(seen), *appear(best), *appear(rows), run_time=1.0)
        self.add(*(t.line for t in trails))
        clock = ValueTracker(0.0)
        roll(self, clock, float(per), 6.0, [pair for t in trails for pair in t.followers()], rate_func=linear)
        self.wait(2.5)
        self.spreads, self.settle, self.trails = spreads, case, trails

    # Section: summary
    def summary(self) -> None:
        self.narrate("summary", SUMMARY_LINES["settles" if self.settle == "settles" else "other"])
        cover = rollout.cover(self, self.palette.background)
        self.play(FadeIn(cover), run_time=0.8)
        self.remove(*(m for m in self.mobjects if m is not self._caption))
        pal = self.palette
        first = min((r for r in self.story.races if r.reached is not None), key=lambda r: r.reached, default=None)
        lines = [
            self.mixed(
                self.say(
                    "$nabla J = 1/m sum_i nabla J_i$：完整梯度要看全部样本",
                    "$nabla J = 1/m sum_i nabla J_i$: the full gradient reads every sample",
                )
            ),
            self.mixed(
                self.say(
                    "小批量梯度 $nabla J_B$ 是它的有噪声估计；一轮的平均正好是 $nabla J$",
                    "$nabla J_B$ of a mini-batch is a noisy estimate; an epoch of them averages to $nabla J$",
                ),
                color=pal.highlight,
            ),  # fmt: skip
        ]
        if first is not None:
            zh, en = self.race_name(first)
            lines.append(self.mixed(self.say(f"按样本数算，{zh}最先接近：{first.reached} 个样本",
                                             f"per sample seen, {en} got close first: {first.reached} samples"),
                                    color=pal.descent))  # fmt: skip
        lines.append(self.mixed(self.say(*SETTLE_SUMMARY[self.settle]), color=pal.good))
        self.show_summary(*lines, line_pause=0.8, hold=2.5)


def line_text(w: float, b: float) -> str:
    """``w x + b`` as a reader writes it: ``2x + 1``, ``x − 0.5``, ``−3x``.

    Examples
    --------
    >>> line_text(2.0, 1.0), line_text(1.0, -0.5), line_text(-3.0, 0.0), line_text(0.0, 2.0)
    ('2x + 1', 'x − 0.5', '−3x', '2')
    """
    slope = {1.0: "x", -1.0: "−x", 0.0: ""}.get(float(w), f"{fmt(w)}x")
    if b == 0:
        return slope or "0"
    if not slope:
        return fmt(b)
    return f"{slope} {'+' if b > 0 else '−'} {fmt(abs(b))}"


def work_case(races: list[gs.Race], lr: float, most: float) -> tuple[str, dict[str, str]]:
    """Which line of WORK_LINES is true, and its words: who came close first, who last (or never)."""
    eta, most_text = significant(lr)[1], str(int(most))
    done = sorted((r for r in races if r.reached is not None), key=lambda r: (r.reached, r.batch_size))
    if not done:
        return "none", {"most": most_text, "eta": eta}
    first, largest = done[0], max(races, key=lambda r: r.batch_size)
    words = {"first": str(first.batch_size), "first_n": str(first.reached), "last": str(largest.batch_size),
             "most": most_text}  # fmt: skip
    if first.batch_size == min(r.batch_size for r in races) and first is not largest:
        if largest.reached is None:
            return "never", words
        return "sooner", {**words, "last_n": str(largest.reached)}
    order_zh = "，".join(f"B = {r.batch_size} 用 {r.reached} 个" for r in done)
    order_en = ", ".join(f"B = {r.batch_size} {r.reached}" for r in done)
    return "other", {"order_zh": order_zh, "order_en": order_en}


__all__ = ["StochasticDescent", "work_case"]
