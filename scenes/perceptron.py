"""The perceptron: its loss, its gradient worked by hand, one update, training, and its loss landscape.

Render: manim render -ql scenes/perceptron.py Perceptron

Storyboard: the model ŷ = sign(w·x + b) with its boundary and normal w → the loss, which
counts only misclassified samples → the gradient by hand on the two-sample worked example →
one update w ← w − η∂L/∂w drawn as vector addition → training, the misclassified set recomputed
after every update → L over (w₁, w₂) at the final b, piecewise linear and flat where nothing is
misclassified → summary. Convention (gradcore's): a sample with yᵢ(w·xᵢ + b) ≤ 0 counts as
misclassified, one on the boundary included, so at w = 0, b = 0 every sample counts. Every number
comes from ``gradcore.models.perceptron`` and ``gradcore.perceptron_training``.

Cost notes (Cairo): the loss map is one image drawn once; the boundary, its shading and the normal
follow a tracker by resetting points; readouts are fast numbers, never typeset per frame.
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, UP, FadeIn, FadeOut, GrowArrow, Mobject, UpdateFromAlphaFunc, ValueTracker, VGroup, linear

from gradcore import perceptron_training as pt
from gradcore.models import perceptron
from scenes.toolkit import SIZE, LectureScene, Param, rollout
from scenes.toolkit.base import MovingOnTop
from scenes.toolkit.classify import (
    PlanePanel,
    agreeing_decimals,
    chunks,
    convex_bands,
    descent_field,
    exact_decimals,
    lowest_point,
    plane_box,
    plane_centre,
    round_scale,
    shown_decimals,
)
from scenes.toolkit.colours import mix
from scenes.toolkit.fields import backed
from scenes.toolkit.landscape import LandscapeView
from scenes.toolkit.layout import READABLE_SIZE
from scenes.toolkit.numbers import Readout, fast_number
from scenes.toolkit.plotting import LabelPlacer, fit_width, fmt, row
from scenes.toolkit.regression import paren, readable, tick_format
from scenes.toolkit.rollout import count_steps, disc, significant
from scenes.toolkit.text import halo

# --- layout (frame x ∈ [−7.1, 7.1], y ∈ [−4, 4]; captions below y = −3.05) ----------------------
PLANE_CENTRE, PLANE_SIZE = (-3.85, 0.2), 4.9  # the plane of samples (square)
COLUMN_LEFT, COLUMN_TOP, COLUMN_WIDTH = -0.55, 3.75, 7.45  # the column of formulas and readouts
MAP_CENTRE, MAP_SIZE = (3.8, -0.4), 4.2  # step 6's map of L(w₁, w₂)
MAX_SAMPLES, MAX_STEPS, LIMIT = 20, 100, 100.0  # samples; updates; |xᵢ|, |w|, |b| at most
ARROW_SHARE = 0.3  # the longest w arrow is at most this share of the plane's side
TERM_ROWS = 3  # misclassified samples written out in step 2 (then "and k more")
TRAIN_PLAYS, TRAIN_TIME = 12, 11.0  # plays (each a few updates) and seconds of step 5, at most
BANDS, FIELD = 7, 7  # level bands of the map; arrows per side of its −∇L field

# fmt: off
LINES = {  # each step's narration (zh, en), by case; a {name} is filled in from gradcore's numbers
    "the model": ("{m} 个样本，标签 +1（圆）或 −1（方块）。模型 ŷ = sign(w·x + b)，边界 w·x + b = 0，w 垂直于边界。",
                  "{m} samples labelled +1 (circles) or −1 (squares). The model: ŷ = sign(w·x + b); w is the "
                  "normal of its boundary w·x + b = 0."),
    "loss positive": ("只计分错的样本：yᵢ(w·xᵢ + b) ≤ 0，每项 −yᵢ(w·xᵢ + b) ≥ 0。这里 {count} 个分错，L = {L}。",
                      "Only misclassified samples count: yᵢ(w·xᵢ + b) ≤ 0, so each term −yᵢ(w·xᵢ + b) is ≥ 0. "
                      "Here {count_en} misclassified and L = {L}."),
    "loss zero": ("只计分错的样本：yᵢ(w·xᵢ + b) ≤ 0。这里 {count} 个样本都在边界上：它们算分错，但每项为 0，L = 0。",
                  "Only misclassified samples count: yᵢ(w·xᵢ + b) ≤ 0. Here all {count} lie on the boundary: they "
                  "count, but each term is 0, so L = 0."),
    "the gradient": ("每个分错的样本给 ∂L/∂w 加 −yᵢxᵢ，给 ∂L/∂b 加 −yᵢ。例子中{which}：∂L/∂w = {gw}，∂L/∂b = {gb}。",
                     "Each misclassified sample adds −yᵢxᵢ to ∂L/∂w and −yᵢ to ∂L/∂b. In the example {which_en}: "
                     "∂L/∂w = {gw}, ∂L/∂b = {gb}."),
    "one update": ("η = {eta}：w ← w − η∂L/∂w = {w1}，b ← b − η∂L/∂b = {b1}。边界移到这里：{after}。",
                   "With η = {eta}: w ← w − η∂L/∂w = {w1} and b ← b − η∂L/∂b = {b1}. The boundary moves here: "
                   "{after_en}."),
    "training separated": ("每次更新后重新找分错的样本，边界随之转动。{steps_zh}后没有分错的样本：L = 0，∇L = 0，训练停止。",
                           "After every update the misclassified set is found again. After {steps_en} none is "
                           "left: L = 0, ∇L = 0, training stops."),
    "training max_steps": ("每次更新后重新找分错的样本，边界随之转动。{steps_zh}用完时仍有 {count} 个分错，L = {L} > 0。",
                           "After every update the misclassified set is found again. Out of steps after {steps_en}, "
                           "with {count_en} still misclassified: L = {L} > 0."),
    "training boundary": ("每次更新后重新找分错的样本。{steps_zh}用完时仍有 {count} 个分错：都在边界上，L = 0，但仍算分错。",
                          "After every update the misclassified set is found again. Out of steps after {steps_en}, "
                          "with {count_en} on the boundary: L = 0, yet they count."),
    "landscape flat": ("b = {b} 时的 L(w₁, w₂) 由平面拼成，在样本换边处折弯。没有分错处 L = 0、∇L = 0：训练停在平地上，不像回归的碗底。",
                       "At b = {b}, L(w₁, w₂) is planes bent where a sample changes side. With none wrong, L = 0, "
                       "∇L = 0: it stops on a flat, not in a bowl."),
    "landscape missed": ("b = {b} 时的 L(w₁, w₂) 由平面拼成，在样本换边处折弯。图上有 L = 0 的平地，但步数内没走到。",
                         "At b = {b}, L(w₁, w₂) is planes that bend where a sample changes side. Part of this map is "
                         "flat at L = 0, but the steps ran out first."),
    "landscape none": ("b = {b} 时的 L(w₁, w₂) 由平面拼成，在样本换边处折弯。图上没有 L = 0 的平地：这里每个 w 都有分错的样本。",
                       "At b = {b}, L(w₁, w₂) is planes bent where a sample changes side. Nowhere on this map is L = 0: "
                       "every w here misclassifies a sample."),
    "summary": ("感知机的损失只计分错的样本；梯度对它们求和 −yᵢ(xᵢ, 1)，每次更新后都要重新找分错的样本。",
                "The perceptron's loss counts only misclassified samples; its gradient sums −yᵢ(xᵢ, 1) over "
                "them, a set found again after each update."),
}
WHICH = {2: ("两个样本都算分错", "both samples count"), 1: ("只有 {name} 算分错", "only {name} counts")}
AFTER = {0: ("两个样本都分对了", "both samples are on their side"), 1: ("仍有 1 个分错", "one is still misclassified"),
         2: ("两个仍然分错", "both are still misclassified")}
END_WORDS = {"separated": ("分开了：{steps_zh}", "separated after {steps_en}"),
             "max_steps": ("步数用完：{count} 个仍分错", "out of steps: {count} still misclassified")}
SUMMARY = (  # the card: (palette colour, zh, en)
    ("text", "$L = -sum_(i in M) y_i (w dot x_i + b)$：只计分错的样本 $M$，每项 $>= 0$",
     "$L = -sum_(i in M) y_i (w dot x_i + b)$: only the misclassified set $M$, each term $>= 0$"),
    ("gradient", "$partial L \\/ partial w = -sum_(i in M) y_i x_i$，$partial L \\/ partial b = -sum_(i in M) y_i$",
     "$partial L \\/ partial w = -sum_(i in M) y_i x_i$, $partial L \\/ partial b = -sum_(i in M) y_i$"),
    ("descent", "每次更新 $theta arrow.l theta - eta nabla L(theta)$ 后，重新找 $M$",
     "after every update $theta arrow.l theta - eta nabla L(theta)$, find $M$ again"),
)
OUTCOME = {"separated": ("good", "这里 {steps_zh}后分开：$L = 0$ 的平地上 $nabla L = 0$", "here separated after {steps_en}: on the flat $L = 0$, $nabla L = 0$"),
           "max_steps": ("warn", "这里 {steps_zh}用完，仍有 {count} 个分错", "here the {steps_en} ran out with {count} still misclassified")}
# fmt: on
DEFAULT_SAMPLES = [[-1, -2], [-1, -3], [-3, 2], [1, -2], [0, -3], [3, -2], [-3, 0], [1, 2]]  # separable, 9 updates
DEFAULT_LABELS = [-1, -1, 1, 1, -1, 1, -1, 1]


class Perceptron(MovingOnTop, LectureScene):
    """The perceptron criterion: worked by hand on two samples, then trained on the lecture's data."""

    config_table = "perceptron"
    # fmt: off
    parameters = {
        "samples": Param(DEFAULT_SAMPLES, "the samples xᵢ, points [x₁, x₂] in the plane (2 to 20)", "points", size=2,
                         max_items=MAX_SAMPLES),
        "labels": Param(DEFAULT_LABELS, "each sample's label yᵢ, +1 or −1", "points", max_items=MAX_SAMPLES),
        "start": Param([0.0, 0.0, 0.0], "(w₁, w₂, b) where the worked example and the training start", "point", size=3),
        "lr": Param(0.1, "learning rate η of θ ← θ − η∇L(θ)", "positive", maximum=LIMIT),
        "steps": Param(40, "the most updates of the training (at most 100)", "integer", maximum=MAX_STEPS),
        "example": Param([[2, 3], [1, -1]], "the worked example's two samples x₁, x₂", "points", size=2, max_items=2),
        "example_labels": Param([1, -1], "the worked example's labels y₁, y₂ (+1 or −1)", "points", max_items=2),
    }
    # fmt: on

    @classmethod
    def check_params(cls, params) -> str | None:
        """Labels ±1 for every sample, both classes, a worked example that counts, a start training moves from."""
        p = params
        found = pt.data_problem(p.samples, p.labels, p.example, p.example_labels, p.start, limit=LIMIT, lr=p.lr)
        return None if found is None else f"key '{found[0]}': {found[1]}"

    def construct(self) -> None:
        self.setup_numbers()
        self.the_model()
        self.the_loss()
        self.the_gradient()
        self.one_update()
        self.training()
        self.the_landscape()
        self.summary()

    # --- numbers from gradcore, and the plane they are drawn on ----------------------------------
    def setup_numbers(self) -> None:
        self.palette = pal = readable(self.palette)
        p = self.params
        self.X, self.y = np.asarray(p.samples, dtype=float), np.ravel(p.labels)
        self.EX, self.ey = np.asarray(p.example, dtype=float), np.ravel(p.example_labels)
        self.start, self.eta = np.asarray(p.start, dtype=float), fmt(p.lr, exact_decimals([p.lr], most=6))
        self.L, self.EL = perceptron(self.X, self.y), perceptron(self.EX, self.ey)
        self.run = pt.train(self.X, self.y, self.start, lr=p.lr, steps=p.steps)
        self.example_theta = self.start - p.lr * self.EL.gradient(self.start)  # θ₁ = θ₀ − η∇L(θ₀)
        box = plane_box(np.vstack([self.X, self.EX]))
        tick = lambda s: self.math(s, size=SIZE.SMALL)  # noqa: E731  as the_model draws them
        centre = plane_centre(box, tick, tick_format(box), PLANE_CENTRE, PLANE_SIZE)  # room for wide tick numbers
        self.plane = PlanePanel(self.X, self.y, box, centre=centre, size=PLANE_SIZE,
                                colours=(pal.curve, pal.direction, pal.gradient), palette=pal)  # fmt: skip
        positive = self.run.losses[self.run.losses > 0]
        exact = exact_decimals(self.run.losses, most=3)  # η = 0.1 from 0: every L is a multiple of 0.1
        self.l_decimals = (
            exact if exact < 3 or not len(positive) else int(np.clip(1 - np.floor(np.log10(positive.min())), 2, 6))
        )
        longest = float(np.linalg.norm(self.run.params[:, :2], axis=1).max())
        self.scale = round_scale(ARROW_SHARE * self.plane.view.span / longest) if longest > 1e-9 else 1.0
        self.rings = self.plane.rings()

    def pair(self, v) -> str:
        """A vector as the column writes it, every number exact where it can be (at most 3 decimals)."""
        d = shown_decimals(v)
        return "(" + ", ".join(fmt(x, d) for x in v) + ")"

    def num(self, v: float) -> str:
        return fmt(v, shown_decimals([v]))

    def column(self, *rows: Mobject, below: Mobject | None = None, buff: float = 0.22) -> VGroup:
        """Rows left-aligned in the right-hand column, under ``below`` (or at its top)."""
        for item in rows:
            fit_width(item, COLUMN_WIDTH)
        group = VGroup(*rows).arrange(DOWN, aligned_edge=LEFT, buff=buff)
        if below is None:
            return group.move_to([COLUMN_LEFT, COLUMN_TOP, 0], aligned_edge=UP + LEFT)
        return group.next_to(below, DOWN, buff=0.3).set_x(COLUMN_LEFT, direction=LEFT)

    def fit(self, source: str, make=None, **style) -> Mobject:
        """A formula row (or ``make``'s); one that would shrink below readable size in the column is broken at ' | '."""
        make, size = make or self.math, style.get("size", SIZE.LABEL if make == self.mixed else SIZE.BODY)
        whole = make(source.replace(" | ", " "), **style)
        if whole.width <= 0.99 * COLUMN_WIDTH * size / READABLE_SIZE:  # fit_width may shrink it to here
            return whole
        return VGroup(*(make(s, **style) for s in source.split(" | "))).arrange(DOWN, aligned_edge=LEFT, buff=0.1)

    def narrate(self, key: str, **words: str) -> None:
        zh, en = LINES[key]
        self.step(section_of(key), zh=zh.format(**words), en=en.format(**words))

    def legend(self, scale: float, what: str = "w") -> Mobject:
        words = self.say(
            f"箭头 = {significant(scale)[1]} × {what}", f"arrows drawn at {significant(scale)[1]} × {what}"
        )
        return self.text(words, size=SIZE.SMALL, color=self.palette.muted)

    # Section: the model
    def the_model(self) -> None:
        """Samples, their two marks, ŷ = sign(w·x + b), the final boundary with its +1 side and normal w."""
        pal, plane, k = self.palette, self.plane, self.shown_step()
        final = self.run.params[k]
        when = ("起点处", "at the start") if k == 0 else (f"第 {k} 次更新后", f"after {k} update" + "s" * (k > 1))
        self.narrate("the model", m=str(len(self.y)))
        tick = lambda s: self.math(s, size=SIZE.SMALL, color=pal.muted)  # noqa: E731
        axes = VGroup(
            plane.view.frame(pal.axes, axis_colour=pal.grid), plane.view.tick_labels(tick, tick_format(plane.box))
        )
        self.marks = plane.samples()
        kinds = row(plane.mark([0, 0], 1).copy(), self.math("y = +1", size=SIZE.LABEL), plane.mark([0, 0], -1).copy(),
                    self.math("y = -1", size=SIZE.LABEL), buff=0.2)  # fmt: skip
        rows = self.column(kinds, self.math('hat(y) = "sign"(w dot x + b)', color=pal.highlight),
                           self.mixed(self.say("边界 $w dot x + b = 0$，$w$ 是它的法向量", "boundary $w dot x + b = 0$, normal $w$")),
                           self.fit(self.say(f"{when[0]} | $w = {self.pair(final[:2])}$, $b = {self.num(final[2])}$",
                                             f"{when[1]}: | $w = {self.pair(final[:2])}$, $b = {self.num(final[2])}$"),
                                    self.mixed, size=SIZE.SMALL, color=pal.muted),
                           self.legend(self.scale))  # fmt: skip
        self.play(FadeIn(axes), FadeIn(rows[0]), run_time=1.0)
        self.play(FadeIn(self.marks, scale=1.4), run_time=0.8)
        self.model = plane.model(final, line=pal.highlight, side=pal.curve, normal=pal.highlight, scale=self.scale)
        self.shown = final
        self.play(FadeIn(self.model), FadeIn(rows[1:]), run_time=1.2)
        self.wait(2.0)
        self.column_rows = rows

    def shown_step(self) -> int:
        """The visited θ_k whose boundary step 1 shows: it crosses the plane, fewest misclassified, latest on a tie."""
        crossing = [
            k for k, theta in enumerate(self.run.params) if pt.boundary_in_box(theta, self.plane.box) is not None
        ]
        return min(crossing or [self.run.steps], key=lambda k: (self.run.counts[k], -k))

    # Section: the loss
    def the_loss(self) -> None:
        """At a visited θ with samples on the wrong side: the rings, each term −yᵢ(w·xᵢ + b), their sum L."""
        pal, k = self.palette, pt.loss_example_step(self.run, self.L)
        theta, wrong = self.run.params[k], self.run.wrong[k]
        margins, value = self.L.margins(theta), float(self.run.losses[k])
        terms = [(i, -margins[i]) for i in np.flatnonzero(wrong)]
        d = agreeing_decimals([t for _, t in terms], value, self.l_decimals)
        count = int(wrong.sum())
        self.narrate("loss positive" if value > 0 else "loss zero", count=str(count), L=fmt(value, d),
                     count_en=f"{count} " + ("is" if count == 1 else "are"))  # fmt: skip
        self.play(FadeOut(self.column_rows[1:]), run_time=0.5)
        head = [self.mixed("$L(w, b) = -sum_(i in M) y_i (w dot x_i + b)$", color=pal.highlight),
                self.mixed(self.say("$M$：分错的样本，$y_i (w dot x_i + b) <= 0$",
                                    "$M$: the misclassified, $y_i (w dot x_i + b) <= 0$"), size=SIZE.SMALL),
                self.mixed(f"$w = {self.pair(theta[:2])}$, $b = {self.num(theta[2])}$", size=SIZE.SMALL)]  # fmt: skip
        lines = [self.math(f"-y_{i + 1} (w dot x_{i + 1} + b) = {fmt(t, d)}", size=SIZE.SMALL, color=pal.gradient)
                 for i, t in terms[:TERM_ROWS]]  # fmt: skip
        if len(terms) > TERM_ROWS:
            lines.append(self.text(self.say(f"……还有 {len(terms) - TERM_ROWS} 项", f"… and {len(terms) - TERM_ROWS} more"),
                                   size=SIZE.SMALL, color=pal.gradient))  # fmt: skip
        total = " + ".join(fmt(t, d) for _, t in terms) if len(terms) <= TERM_ROWS else "..."
        equals = f"L = {total} = " if len(terms) > 1 else "L = "  # one term: no 'L = 1.1 = 1.1'
        lines.append(self.math(f"{equals}{fmt(value, d)}", size=SIZE.LABEL, color=pal.highlight))
        rows = self.column(*head, *lines, below=self.column_rows[0])
        names = self.names(self.X, [i for i, _ in terms[:TERM_ROWS]], pal.gradient)
        self.plane.show_wrong(self.rings, wrong)
        self.play(self.model_to(theta), run_time=1.2)
        self.play(FadeIn(rows[:3]), FadeIn(self.rings), FadeIn(names), run_time=1.0)
        for item in rows[3:]:
            self.play(FadeIn(item), run_time=0.7)
        self.wait(2.0)
        self.loss_shown = VGroup(rows, names)  # faded when the next step begins

    def model_to(self, theta) -> UpdateFromAlphaFunc:
        """An animation moving the boundary, its side and normal from the θ shown to ``theta``."""
        here, there = self.shown, np.asarray(theta, dtype=float)
        self.shown = there
        return UpdateFromAlphaFunc(self.model, lambda m, a: self.plane.show(m, (1 - a) * here + a * there))

    def names(self, X, indices, colour: str) -> VGroup:
        """Names x_i beside the samples ``X[i]``, kept off every sample drawn and off each other."""
        view = self.plane.view
        placer = LabelPlacer(view.screen_box, [view.point(np.vstack([self.X, self.EX]))], buff=0.16)
        return VGroup(*(placer.place(halo(self.math(f"x_{i + 1}", size=SIZE.SMALL, color=colour), self.palette.outline, 4),
                                     view.point(X[i])) for i in indices))  # fmt: skip

    # Section: the gradient
    def the_gradient(self) -> None:
        """The worked example at the start: each sample's margin, its term −yᵢ(xᵢ, 1) or 0, the sum from gradcore."""
        pal, theta = self.palette, self.start
        terms, wrong = pt.gradient_terms(self.EL, theta), pt.misclassified(self.EL, theta)
        g, margins = self.EL.gradient(theta), self.EL.margins(theta)
        which = WHICH[int(wrong.sum())]
        name = f"x{'₁₂'[int(np.argmax(wrong))]}"
        self.narrate("the gradient", which=which[0].format(name=name), which_en=which[1].format(name=name),
                     gw=self.pair(g[:2]), gb=self.num(g[2]))  # fmt: skip
        self.play(FadeOut(self.rings), FadeOut(self.loss_shown), self.marks.animate.set_opacity(0.2),
                  self.model_to(theta), run_time=1.0)  # fmt: skip
        self.example_marks = self.plane.samples(self.EX, self.ey)
        names = self.names(self.EX, [0, 1], pal.text)
        rows = [self.mixed("$partial L \\/ partial w = -sum_(i in M) y_i x_i$,  $partial L \\/ partial b = -sum_(i in M) y_i$",
                           color=pal.gradient),
                self.mixed(self.say(f"例子，在 $w = {self.pair(theta[:2])}$, $b = {self.num(theta[2])}$：",
                                    f"worked example at $w = {self.pair(theta[:2])}$, $b = {self.num(theta[2])}$:"),
                           size=SIZE.SMALL)]  # fmt: skip
        for i in range(2):
            n, x, label = i + 1, self.pair(self.EX[i]), "+1" if self.ey[i] > 0 else "-1"
            sign = "<= 0" if wrong[i] else "> 0"
            rows.append(self.fit(f"x_{n} = {x}, y_{n} = {label}: | y_{n} (w dot x_{n} + b) = {self.num(margins[i])} {sign}",
                                  size=SIZE.SMALL))  # fmt: skip
            said = (f"-y_{n} x_{n} = {self.pair(terms[i][:2])}, -y_{n} = {self.num(terms[i][2])}" if wrong[i]
                    else self.say(f"$x_{n}$ 分对了：不计入", f"$x_{n}$ is right: adds nothing"))  # fmt: skip
            rows.append(
                self.math(said, size=SIZE.SMALL, color=pal.gradient) if wrong[i] else self.mixed(said, size=SIZE.SMALL)
            )
        rows.append(self.fit(f"(partial L)/(partial w) = {self.pair(g[:2])}, | (partial L)/(partial b) = {self.num(g[2])}",
                              color=pal.gradient))  # fmt: skip
        self.example_rows = self.column(*rows, below=self.column_rows[0], buff=0.18)
        self.play(FadeIn(self.example_marks, scale=1.4), FadeIn(names), FadeIn(self.example_rows[:2]), run_time=1.0)
        for item in self.example_rows[2:]:
            self.play(FadeIn(item), run_time=0.8)
            self.wait(0.6)  # the key step: time to check each vector
        self.wait(2.0)
        self.example_names_shown = names

    # Section: one update
    def one_update(self) -> None:
        """w ← w − η∂L/∂w as vector addition on the plane, b ← b − η∂L/∂b, then the new boundary."""
        pal, plane, p = self.palette, self.plane, self.params
        w0, b0, g = self.start[:2], self.start[2], self.EL.gradient(self.start)
        t1 = self.example_theta
        after = int(pt.misclassified(self.EL, t1).sum())
        self.narrate("one update", eta=self.eta, w1=self.pair(t1[:2]), b1=self.num(t1[2]), after=AFTER[after][0],
                     after_en=AFTER[after][1])  # fmt: skip
        shown = self.example_rows
        self.play(FadeOut(shown[2:6]), shown[6].animate.next_to(shown[1], DOWN, buff=0.18, aligned_edge=LEFT),
                  run_time=0.6)  # fmt: skip
        rows = self.column(
            self.fit(f"w = {self.pair(w0)} - {self.eta} dot {self.pair(g[:2])} | = {self.pair(t1[:2])}", color=pal.descent),
            self.fit(f"b = {self.num(b0)} - {self.eta} dot {paren(self.num(g[2]))} | = {self.num(t1[2])}", color=pal.descent),
            below=shown[6])  # fmt: skip
        longest = max(np.linalg.norm(w0), np.linalg.norm(t1[:2]), p.lr * np.linalg.norm(g[:2]), 1e-12)
        s = round_scale(ARROW_SHARE * plane.view.span / longest)
        (x0, x1), (y0, y1) = plane.box
        anchor = np.zeros(2) if x0 < 0 < x1 and y0 < 0 < y1 else plane.view.mid
        parts = [plane.arrow(anchor + s * w0, anchor + s * t1[:2], pal.descent)]
        if np.linalg.norm(w0) > 1e-12:
            parts.insert(0, plane.arrow(anchor, anchor + s * w0, pal.muted))
        result = plane.arrow(anchor, anchor + s * t1[:2], pal.highlight)
        legend = self.legend(s).next_to(rows, DOWN, buff=0.25).set_x(COLUMN_LEFT, direction=LEFT)
        placer = LabelPlacer(
            plane.view.screen_box, [*(a.get_all_points() for a in parts), self.example_marks.get_all_points()]
        )
        name = self.math("-eta thin partial L \\/ partial w", size=SIZE.SMALL, color=pal.descent)
        name = placer.place(halo(name, pal.outline, 4), parts[-1].get_end())
        self.play(FadeIn(rows[0]), FadeIn(legend), FadeIn(name), *(GrowArrow(a) for a in parts), run_time=1.2)
        self.play(GrowArrow(result), FadeIn(rows[1]), run_time=1.0)
        self.wait(1.0)
        self.model.scale_factor = s
        self.play(self.model_to(t1), FadeOut(VGroup(*parts, result, name)), run_time=1.2)
        self.wait(2.0)
        self.update_shown = VGroup(shown[:2], shown[6], rows, legend, self.example_marks, self.example_names_shown)

    # Section: training
    def training(self) -> None:
        """From the start: each update moves the boundary; rings, the count and L show the set at that moment."""
        pal, run = self.palette, self.run
        steps_zh, steps_en = count_steps(run.steps)
        count = run.still_wrong
        L_end = fmt(run.losses[-1], self.l_decimals)
        case = run.status if run.status == "separated" or run.losses[-1] > 0 else "boundary"
        self.narrate(f"training {case}", steps_zh=steps_zh, steps_en=steps_en, count=str(count), L=L_end,
                     count_en=f"{count}")  # fmt: skip
        self.model.scale_factor = self.scale
        self.play(FadeOut(self.update_shown), self.marks.animate.set_opacity(1.0), self.model_to(self.start),
                  run_time=1.0)  # fmt: skip
        tracker = self.tracker = ValueTracker(0.0)
        at = lambda: int(np.floor(tracker.get_value() + 1e-9))  # noqa: E731  the last θ_k reached
        step = self.mixed(self.say("更新次数 $k =$", "update $k =$"), size=SIZE.SMALL)
        wrong = self.mixed(self.say("分错的样本数 =", "misclassified ="), size=SIZE.SMALL, color=pal.gradient)
        rows = self.column(
            self.math("theta arrow.l theta - eta nabla L(theta)", color=pal.descent),
            self.math(f"eta = {self.eta}", color=pal.descent),
            Readout(step, fast_number(0, decimals=0, color=pal.text), lambda: at()),
            Readout(wrong, fast_number(0, decimals=0, color=pal.gradient), lambda: float(run.counts[at()])),
            Readout(self.math("L =", color=pal.highlight), fast_number(0, decimals=self.l_decimals, color=pal.highlight),
                    lambda: float(run.losses[at()])),
            below=self.column_rows[0])  # fmt: skip
        self.counters = rows[2:]  # k, the misclassified count, L
        self.model.add_updater(lambda m: self.plane.show(m, self.theta_at(tracker.get_value())))
        self.rings.add_updater(lambda m: self.plane.show_wrong(m, run.wrong[at()]))
        self.play(FadeIn(rows), FadeIn(self.rings), run_time=1.0)
        self.wait(1.0)
        for a, b in chunks(run.steps, TRAIN_PLAYS):
            self.play(tracker.animate.set_value(b), run_time=min(1.2, TRAIN_TIME / max(run.steps, 1)) * (b - a),
                      rate_func=linear)  # fmt: skip
            self.wait(0.3)
        end = END_WORDS[run.status]
        words = self.say(end[0], end[1]).format(steps_zh=steps_zh, steps_en=steps_en, count=count)
        note = self.text(words, size=SIZE.SMALL, color=pal.good if run.status == "separated" else pal.warn)
        note.next_to(rows, DOWN, buff=0.3).set_x(COLUMN_LEFT, direction=LEFT)
        self.play(FadeIn(note), run_time=0.6)
        self.wait(2.0)
        self.train_rows = VGroup(rows, note)

    def theta_at(self, s: float) -> np.ndarray:
        """θ between θ_k and θ_{k+1} at tracker value s (the boundary glides; the numbers show θ_k)."""
        k = min(int(np.floor(s)), self.run.steps - 1)
        share = float(np.clip(s - k, 0.0, 1.0))
        return (1 - share) * self.run.params[k] + share * self.run.params[k + 1]

    # Section: the landscape
    def the_landscape(self) -> None:
        """L(w₁, w₂) at the final b: bands, the flat L = 0 part, −∇L arrows, where training ended."""
        pal, run = self.palette, self.run
        b = float(run.final[2])
        f = pt.weight_slice(self.L, b)
        view = LandscapeView(f, self.map_box(f), centre=MAP_CENTRE, size=MAP_SIZE, samples=121)
        self.landscape_view = view
        flat = pt.flat_share(f, view.box) > 1e-4  # a part where nothing is misclassified (a point is not one)
        case = "flat" if run.status == "separated" else ("missed" if flat else "none")
        self.narrate(f"landscape {case}", b=self.num(b))
        self.play(FadeOut(VGroup(self.train_rows, self.column_rows[0])), run_time=0.6)
        levels = [1e-12 * max(view.high, 1.0), *np.linspace(0, view.high, BANDS + 1)[1:-1]]
        colours = [mix(pal.background, pal.good, 0.45)] + [mix(pal.background, pal.curve, 0.12 + 0.6 * k / BANDS)
                                                           for k in range(BANDS)]  # fmt: skip
        picture = convex_bands(view, f, levels, colours, mix(pal.background, pal.muted, 0.6), lowest_point(view, f))
        tick = lambda s: self.math(s, size=SIZE.SMALL, color=pal.muted)  # noqa: E731
        names = (self.math("w_1", size=SIZE.SMALL, color=pal.muted), self.math("w_2", size=SIZE.SMALL, color=pal.muted))
        axes = VGroup(view.frame(pal.axes), view.tick_labels(tick, tick_format(view.box), names=names))
        title = self.mixed(self.say(f"$L(w_1, w_2)$，$b = {self.num(b)}$", f"$L(w_1, w_2)$ at $b = {self.num(b)}$"),
                           color=pal.highlight)  # fmt: skip
        field, scale = descent_field(view, f, FIELD, pal.descent, (pal.good, pal.muted), pal.outline)
        end = disc(view.point(run.final[:2]), 0.1, pal.highlight, pal.outline, width=2)
        where = self.say(
            f"训练终点 $w = {self.pair(run.final[:2])}$", f"end of training $w = {self.pair(run.final[:2])}$"
        )
        key = row(end.copy(), self.mixed(where, size=SIZE.SMALL, color=pal.highlight))
        heads = VGroup(title, self.legend(scale, "(−∇L)"), key).arrange(DOWN, buff=0.12)
        heads.move_to([MAP_CENTRE[0], 3.75, 0], aligned_edge=UP)
        self.play(FadeIn(picture), FadeIn(axes), FadeIn(title), run_time=1.2)
        self.play(FadeIn(field), FadeIn(heads[1]), run_time=1.0)
        self.play(FadeIn(end, scale=1.5), FadeIn(heads[2]), FadeIn(self.map_labels(view, f, field, end)), run_time=0.8)
        self.wait(2.5)

    def map_box(self, f) -> tuple:
        """A square around the end of training, w = 0 and the flat part L = 0 near the end (if any), padded."""
        w, b = self.run.final[:2], float(self.run.final[2])
        size = max(float(np.abs(w).max()), abs(b) / max(float(np.abs(self.X).max()), 1e-9))  # L scales with θ
        reach = 3 * size if size > 1e-9 else 0.5
        near = ((w[0] - reach, w[0] + reach), (w[1] - reach, w[1] + reach))
        points = [w[None], np.zeros((1, 2)), w + 0.25 * reach * np.array([[-1.0, -1.0], [1.0, 1.0]])]
        if float(f(*w)) <= 0:  # the flat part holds the end: show it (as far as 3 |w| from it)
            points.append(pt.sublevel_polygon(f, near, 0.0, w))
        return plane_box(np.vstack(points), pad=0.3)

    def map_labels(self, view: LandscapeView, f, field: VGroup, end: Mobject) -> VGroup:
        """'flat: L = 0' on the flat part, when the map has one, kept off the arrows and the end's dot."""
        pal = self.palette
        placer = LabelPlacer(view.screen_box, [m.get_all_points() for m in field], buff=0.12)
        placer.keep_off(end.get_center()[None], hard=True)
        labels = VGroup()
        (lo, hi), _ = view.box
        ticks = np.linspace(lo, hi, 41)
        grid = np.stack(np.meshgrid(ticks, ticks), axis=-1).reshape(-1, 2)
        zero = grid[f(grid[:, 0], grid[:, 1]) <= 0]
        if len(zero):
            spot = zero[np.argmin(np.linalg.norm(zero - zero.mean(axis=0), axis=1))]
            flat = self.mixed(self.say("平地：$L = 0$", "flat: $L = 0$"), size=SIZE.SMALL, color=pal.good)
            labels.add(backed(placer.place(flat, view.point(spot)), pal.background))
        return labels

    # Section: summary
    def summary(self) -> None:
        run = self.run
        self.narrate("summary")
        cover = rollout.cover(self, self.palette.background)
        self.play(FadeIn(cover), run_time=0.8)
        self.remove(*(m for m in self.mobjects if m is not self._caption))
        steps_zh, steps_en = count_steps(run.steps)
        words = {"steps_zh": steps_zh, "steps_en": steps_en, "count": run.still_wrong}
        lines = [self.mixed(self.say(zh, en).format(**words), color=getattr(self.palette, colour))
                 for colour, zh, en in (*SUMMARY, OUTCOME[run.status])]  # fmt: skip
        self.show_summary(*lines, line_pause=0.8, hold=2.5)


def section_of(key: str) -> str:
    """The storyboard section a line of :data:`LINES` belongs to (several lines share one, by case)."""
    first = key.split(" ")[0]
    return {"loss": "the loss", "training": "training", "landscape": "the landscape"}.get(first, key)


__all__ = ["Perceptron"]
