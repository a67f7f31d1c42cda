"""A ball rolling down a landscape with several valleys: gradient descent in one picture.

Render: manim render -ql scenes/descent.py BallDescent

Storyboard: the landscape (one camera move) → its valleys → one ball, step by
step, with a loss chart → several balls from several starts → the same start
with several step sizes, in flat top views → summary. Every run comes from
``gradcore.descend`` and every word about how it went from gradcore's status,
:func:`gradcore.verdict` and :func:`gradcore.nearest_minimum`.

Cost notes (Cairo): the camera never moves, and the fine surface is a picture drawn
once (:func:`~scenes.toolkit.stills.still_image`): its 1,600 shaded faces would be drawn
again into the static background at every ``play``; only balls, trails, arrows, the HUD
and the inset are redrawn per frame. Balls and trails are drawn after the picture
(it is first in the scene's list), so they stay in front of it from the camera's
view; the camera looks down steeply enough that no valley floor of the default
landscape hides behind a ridge. Step 5 covers the 3D picture and removes it, then draws flat top views.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import (
    DEGREES,
    DOWN,
    LEFT,
    RIGHT,
    UP,
    BackgroundRectangle,
    FadeIn,
    FadeOut,
    GrowArrow,
    Mobject,
    ValueTracker,
    VGroup,
    linear,
)

import gradcore
from scenes.toolkit import SIZE, LectureThreeDScene, Param, rollout
from scenes.toolkit.colours import distinct_from
from scenes.toolkit.fields import backed, fixed, legible, linger
from scenes.toolkit.landscape import LandscapeView
from scenes.toolkit.plotting import keep_in_frame
from scenes.toolkit.rollout import LossChart, Rollout, TopView, count_steps, group_ends, shared_decimals, significant
from scenes.toolkit.stills import still_image
from scenes.toolkit.text import halo

VALLEYS = gradcore.landscapes.VALLEYS

TOL = 1e-3  # a run has arrived when |∇f| < TOL
BETA = 0.9  # momentum coefficient when optimizer = "momentum"
STEP_NAME = {"gd": "-eta nabla f", "momentum": "v"}  # what a step's arrow is, in Typst maths
SLOW_STEPS = 4  # the single ball's first steps, shown one at a time
FAST_STEP_TIME = 0.22  # seconds per step once the steps speed up
CAMERA = {"phi": 58 * DEGREES, "theta": -62 * DEGREES}  # where the camera holds still (zoom: fitted)
SURFACE_BOX = ((-6.5, 2.7), (-2.9, 2.9))  # screen box the landscape is fitted into: (x, y) ranges
SURFACE_SIZE = 6.0  # world length of the longer side of the map
SURFACE_HEIGHT = 2.6  # world height from the lowest to the highest value
WORLD = {"world_size": SURFACE_SIZE, "height": SURFACE_HEIGHT}
FINE = 40  # surface faces per side
BALL_RADIUS = 0.1  # world units; the ball's centre sits this far above the surface
MAX_STARTS = 6  # one colour of the palette's series per ball
MAX_COMPARE = 4  # side-by-side top views in step 5
MAX_STEPS = 200  # a trail dot per step: more would crowd the picture and slow the render
LEVELS = 14  # level curves in the top views
TITLE_WIDTH = 6.0  # widest formula shown as the title
PANEL_SIZE = 3.5  # side of a top view in step 5 (smaller when more than three)
LR_BOUNDS = (1e-6, 1e3)  # η allowed: below, nothing moves on screen; above, every run leaves at step 1
LABEL_MERGE = 0.08  # end labels of one kind within this share of the map's longer side are merged

# fmt: off
LINES = {  # each step's narration (zh, en), picked by the numbers: see the methods that use each table
    "the landscape": ("这是一片损失地形：高度就是损失 f(x, y)。", "This is a loss landscape: the height is the loss f(x, y)."),
    "step size": ("同一起点：", "One start: "),
}
VALLEY_LINES = {  # step 2, by how many minima there are and how many tie for the lowest (gradcore.lowest_minima)
    "one": ("谷底是极小值：那里 ∇f = 0，各方向斜率为 0，但往哪边走曲面都向上弯。没有更低的谷：它是全局极小值。",
            "The valley floor is a minimum: ∇f = 0, so every slope there is 0, yet every way out curves up. None is lower: it is the global minimum."),
    "unique": ("每个谷底都是局部极小值：∇f = 0，各方向斜率为 0，但往哪边走曲面都向上弯。最低的是全局极小值。",
               "Each valley floor is a local minimum: ∇f = 0, every slope is 0, yet every way out curves up. The lowest is the global minimum."),
    "tied": ("每个谷底都是局部极小值：∇f = 0，但往哪边走曲面都向上弯。其中 {k} 个一样低，每一个都是全局极小值。",
             "Each valley floor is a local minimum: ∇f = 0, yet every way out curves up. {k} are equally low: each is a global minimum."),
    "all tied": ("每个谷底都是局部极小值：∇f = 0，但往哪边走曲面都向上弯。这 {k} 个一样低，每一个都是全局极小值。",
                 "Each valley floor is a local minimum: ∇f = 0, yet every way out curves up. All {k} are equally low: each is a global minimum."),
}
RULE_LINES = {  # step 3's opening, by optimizer; θ = (x, y) is the point, as in the course notes
    "gd": ("每一步，球沿 −η∇f 走一小段：θ ← θ − η∇f(θ)，θ = (x, y)；坡越缓步子越小。",
           "Each step moves the ball by −η∇f: θ ← θ − η∇f(θ), θ = (x, y); the flatter, the shorter the step. "),
    "momentum": ("每一步，−η∇f 加进速度 v，球沿 v 走：v ← βv − η∇f(θ)，θ ← θ + v。",
                 "Each step adds −η∇f to the velocity v, and the ball moves by v: v ← βv − η∇f(θ), θ ← θ + v. "),
}
MINIMUM_WORDS = {"global": ("全局极小值", "global minimum"), "local": ("局部极小值", "local minimum")}
SUMMARY_LINES = {  # the summary's narration, by optimizer, what step 4 showed and what step 5 showed
    "gd": ("梯度下降就是沿 −∇f 一步步往下走。", "Gradient descent takes small steps along −∇f. "),
    "momentum": ("动量法把一步步的 −η∇f 攒成速度 v，沿 v 往下走。", "Momentum adds up the steps −η∇f into a velocity v and moves by it. "),
    "apart": ("起点决定落进哪个山谷；", "The start picks the valley; "),
    "eta story": ("步长 η 决定是爬、是到达，还是冲过头。", "η decides whether you crawl, arrive or overshoot."),
    "eta": ("步长 η 决定每一步走多远。", "η sets how far each step goes."),
    "eta story, bound": ("步长 η 决定是爬、是到达，还是冲过头：接近 2/λmax 就来回跳。",
                         "η decides: crawl, arrive or overshoot (near 2/λmax, a zig-zag)."),
}
SUMMARY = {  # the closing card's lines: (palette colour, zh, en), picked as the narration is
    "gd": ("descent", "更新规则：$theta_(k+1) = theta_k - eta nabla f(theta_k)$，沿下坡方向走一小步",
           "the update $theta_(k+1) = theta_k - eta nabla f(theta_k)$: a small step downhill"),
    "momentum": ("descent", "更新规则：$v arrow.l beta v - eta nabla f(theta)$，$theta arrow.l theta + v$",
                 "the update $v arrow.l beta v - eta nabla f(theta)$, $theta arrow.l theta + v$"),
    "apart": ("warn", "起点决定落进哪个山谷：局部极小值不一定是全局极小值",
              "the start decides the valley: a local minimum need not be global"),
    "together": ("warn", "这里的球都落进了同一个山谷：换个起点，结局可能不同",
                 "here the balls ended alike: other starts may end elsewhere"),
    "eta story": ("text", "步长 $eta$：太小爬不动，合适就到达，太大会冲过头、飞出去",
                  "the step size $eta$: too small crawls, well chosen arrives, too large overshoots"),
    "eta story, bound": ("text", "步长 $eta$：太小爬不动，合适就到达；接近 $2 slash lambda_max$ 来回跳，更大就飞出去",
                         "$eta$: too small crawls, good arrives, near $2 slash lambda_max$ zig-zags, larger flies off"),
    "eta": ("text", "步长 $eta$ 决定每一步走多远：比较几个 $eta$ 再选", "the step size $eta$ sets how far each step goes: compare a few"),
}
# fmt: on


@dataclass(frozen=True, eq=False)
class World:
    """What every section needs: the landscape, its minima (lowest first) and the 3D view fitted to the camera."""

    f: gradcore.Function
    box: tuple[tuple[float, float], tuple[float, float]]
    minima: list[gradcore.Minimum]
    view: LandscapeView
    zoom: float
    lowest: list[int]  # the minima tied for the lowest value: each is a global minimum
    decimals: int  # of every value of f shown: minima that differ read differently, tied ones alike


class BallDescent(LectureThreeDScene):
    """Gradient descent on a landscape with several valleys: start and step size decide the end."""

    config_table = "descent"
    # fmt: off
    parameters = {
        "formula": Param(VALLEYS.formula, "the loss landscape f(x, y)", "formula", variables=("x", "y"),
                         finite_on=("x_range", "y_range")),
        "x_range": Param(list(VALLEYS.x_range), "the x interval of the map", "range"),
        "y_range": Param(list(VALLEYS.y_range), "the y interval of the map", "range"),
        "start": Param([-2.25, -2.75], "where the single ball of step 3 starts", "point", size=2,
                       inside=("x_range", "y_range")),
        "starts": Param([[-2.5, 2.5], [1.0, 2.8], [-2.75, 0.3], [-1.2, -2.8], [2.75, 1.5]],
                        "the balls of step 4 (at most 6)", "points", size=2, inside=("x_range", "y_range"),
                        max_items=MAX_STARTS),
        "lr": Param(0.4, "learning rate η of steps 3 and 4", "positive", lower=LR_BOUNDS[0], maximum=LR_BOUNDS[1]),
        "compare_start": Param([2.5, -2.5], "the common start of the step-size comparison (step 5)", "point",
                               size=2, inside=("x_range", "y_range")),
        "compare_lrs": Param([0.02, 0.2, 0.6, 12.0], "the η values compared side by side in step 5 (1 to 4)",
                             "positives", max_items=MAX_COMPARE, lower=LR_BOUNDS[0], maximum=LR_BOUNDS[1]),
        "steps": Param(40, "the most updates any run makes (at most 200)", "integer", maximum=MAX_STEPS),
        "optimizer": Param("gd", "gd (plain gradient descent) or momentum (β = 0.9)", "choice",
                           choices=("gd", "momentum")),
    }
    # fmt: on

    @classmethod
    def check_params(cls, params) -> str | None:
        """What the storyboard needs: a valley in the map, no pole below it, and some ball of steps 3–4 staying on it.

        A config whose every ball of steps 3 and 4 leaves the map at this η is
        refused with an η that works (run and checked: ``gradcore.paths.suggest_lr``);
        one where only some leave is taught as it happens.
        """
        p, box = params, (tuple(params.x_range), tuple(params.y_range))
        minima = gradcore.find_minima(p.formula, box)
        starts = np.vstack([p.start, p.starts])
        runs = descend(p, starts, p.lr) + [descend(p, p.compare_start, lr) for lr in p.compare_lrs]
        problem = rollout.valley_problem(p.formula, box, minima) or rollout.pole_problem(p.formula, runs, box, minima)
        if problem:
            return f"key 'formula': {problem}; try the default formula = {VALLEYS.formula!r}, or other ranges"
        if all(gradcore.verdict(run, box) == "diverged" for run in runs[: len(starts)]):
            hyper = {"beta": BETA} if p.optimizer == "momentum" else {}
            return "key 'lr': " + rollout.lr_problem(p.formula, p.lr, starts, box, minima, steps=p.steps,
                                                     most_steps=MAX_STEPS, tol=TOL, optimizer=p.optimizer, **hyper)  # fmt: skip
        return None

    def construct(self) -> None:
        world = self.world = self.build_world()
        title, surface = self.show_landscape(world)
        self.marks, self.valley_labels = self.show_valleys(world)
        self.single, self.step3_overlay = self.one_ball(world, title, self.valley_labels)
        self.many, self.end_labels, counter = self.many_starts(world, title, self.single, self.step3_overlay)
        picture = [surface, self.marks, self.end_labels, counter, title, *(m for r in self.many for m in r.mobjects)]
        self.panels, top_views = self.step_size(world, picture)
        self.summary(top_views)

    # --- numbers from gradcore, the world they are drawn in, the narration ---------
    def narrate(self, section: str, *lines: tuple[str, str]) -> None:
        """Start the step ``section`` with ``lines`` (zh, en pairs, each picked by the numbers) joined."""
        self.step(section, zh="".join(zh for zh, _ in lines), en="".join(en for _, en in lines))

    def ink(self, role: str) -> str:
        """The palette's colour ``role`` as text and thin lines draw it: 4.5 : 1 against the background."""
        return legible(getattr(self.palette, role), self.palette.background)

    def descend(self, start: np.ndarray, lr: float) -> gradcore.Path | list[gradcore.Path]:
        """Run the chosen optimizer from ``start`` (one point or several)."""
        return descend(self.params, start, lr)

    def build_world(self) -> World:
        """The landscape's 3D view, fitted into SURFACE_BOX by the still camera; the camera then waits at its start.

        Value 0 sits at world height 0 (``level_at_origin``), as on the Manim axes
        the clip was first drawn on, so the camera fit lands where it always did.
        """
        p = self.params
        view = LandscapeView(p.formula, (p.x_range, p.y_range), samples=41, level_at_origin=0.0, **WORLD)
        zoom = view.fit_camera(self, CAMERA, SURFACE_BOX, samples=41)
        self.set_camera_orientation(**CAMERA, zoom=zoom)
        minima = gradcore.find_minima(p.formula, view.box)
        decimals = shared_decimals([m.value for m in minima])
        return World(p.formula, view.box, minima, view, zoom, gradcore.paths.lowest_minima(minima), decimals)

    # Section: the landscape
    def show_landscape(self, world: World) -> tuple[Mobject, Mobject]:
        count = len(world.minima)  # at least one: check_params refuses a map without a valley
        valleys = (f"地形上有 {count} 个山谷。", " It has one valley." if count == 1 else f" It has {count} valleys.")
        self.narrate("the landscape", LINES["the landscape"], valleys)
        title = rollout.corner_title(self, TITLE_WIDTH)
        self.pin(title)
        landscape = still_image(self, world.view.surface(FINE, self.palette.surface, colour_at="midpoint"))
        self.play(FadeIn(landscape), FadeIn(title), run_time=3.0)
        self.bring_to_back(landscape)  # first in the list: drawn under the balls and in the static background
        self.wait(2.5)
        return title, landscape

    # Section: the valleys
    def show_valleys(self, world: World) -> tuple[VGroup, VGroup]:
        """A mark at each minimum of find_minima and its label (global for each tied-lowest); returns both groups."""
        count, tied = len(world.minima), len(world.lowest)
        key = "one" if count == 1 else "unique" if tied == 1 else "all tied" if tied == count else "tied"
        self.narrate("the valleys", tuple(line.format(k=tied) for line in VALLEY_LINES[key]))
        pal, view = self.palette, world.view
        marks, labels = VGroup(), VGroup()
        for index, minimum in enumerate(world.minima):
            kind = "global" if index in world.lowest else "local"
            mark = rollout.disc(
                view.world(minimum.point), 0.075, pal.good if kind == "global" else pal.warn, pal.outline
            )
            self.renderer.camera.add_fixed_orientation_mobjects(mark)
            colour = self.ink("good" if kind == "global" else "warn")
            value = self.math(f"f = {fixed(minimum.value, world.decimals)}", color=colour, size=SIZE.SMALL)
            label = VGroup(self.text(self.say(*MINIMUM_WORDS[kind]), color=colour, size=SIZE.SMALL), value)
            label = backed(label.arrange(DOWN, buff=0.08), pal.background)  # a backing: it reads over the surface
            keep_in_frame(label.next_to(view.screen(self, view.world(minimum.point)), UP, buff=0.45))
            label.kind, label.value, label.point = kind, minimum.value, minimum.point
            marks.add(mark)
            labels.add(label)
        self.pin(labels)
        self.add(marks)
        self.play(FadeIn(marks, scale=1.5), FadeIn(labels), run_time=1.2)
        self.wait(6.0)
        linger(self)  # a key step: slope 0 at a minimum, yet every way out curves up
        return marks, labels

    # Section: one ball
    def one_ball(self, world: World, title: Mobject, valley_labels: VGroup) -> tuple[Rollout, VGroup]:
        """One ball, its first steps one arrow at a time, then faster; returns it and the overlay beside it."""
        run = self.descend(self.params.start, self.params.lr)
        end = _end_kind(run, world)
        tied = end == "global" and len(world.lowest) > 1
        self.narrate("one ball", RULE_LINES[self.params.optimizer], rollout.ENDINGS["tied global" if tied else end])
        pal = self.palette
        ball = self.surface_ball(world, run, pal.highlight)
        arrows = ball.make_arrows(lambda point: world.view.screen(self, point), pal.descent)
        hud, hud_live = self.hud(ball, title)
        best = world.minima[0].value if world.minima else None
        chart = LossChart(self, ball, best, decimals=world.decimals).shift(0.1 * DOWN)
        legend = rollout.arrow_legend(self, STEP_NAME, BETA).next_to(chart, DOWN, buff=0.35, aligned_edge=LEFT)
        self.pin(hud, chart, legend)
        self.play(
            FadeOut(valley_labels), FadeIn(ball.ball, scale=1.6), *map(FadeIn, (hud, chart, legend)), run_time=1.0
        )
        self.wait(0.5)
        tracker = ValueTracker(0.0)
        live = [*ball.followers(), *hud_live, *chart.followers()]
        for k, arrow in enumerate(arrows[:SLOW_STEPS]):
            shown = VGroup(arrow.set_opacity(1.0))
            if k == 0:  # name the arrow once, beside its tip
                name = self.math(STEP_NAME[self.params.optimizer], size=SIZE.SMALL, color=self.ink("descent"))
                shown.add(halo(name, pal.outline, 3).next_to(arrow.get_end(), rollout.ahead_of(arrow), buff=0.1))
            self.pin(shown)
            self.play(GrowArrow(arrow), FadeIn(shown[1:]), run_time=0.6)
            self.wait(0.3)
            rollout.roll(self, tracker, k + 1, 0.9, live, FadeOut(shown))
            self.remove(shown)
        if ball.last > SLOW_STEPS:
            rest = VGroup(*arrows[SLOW_STEPS:])
            self.pin(rest)
            live.append((rest, ball.show_current_arrow(SLOW_STEPS)))
            fast = rollout.roll_time(ball.last - SLOW_STEPS, FAST_STEP_TIME)
            rollout.roll(self, tracker, ball.last, fast, live, rate_func=linear)
            self.remove(rest)
        end = rollout.end_note(self, ball).next_to(legend, DOWN, buff=0.3, aligned_edge=LEFT)
        self.pin(end)
        self.play(FadeIn(end), run_time=0.6)
        self.wait(2.0)
        return ball, VGroup(hud, chart, legend, end)

    def hud(self, ball: Rollout, title: Mobject) -> tuple[VGroup, list[rollout.Follower]]:
        """Step counter and current loss under the title, with their followers."""
        step_row, step_live = self.step_counter()
        ink, decimals = self.ink("highlight"), self.world.decimals
        loss_number = self.number(ball.path.values[0], decimals=decimals, size=SIZE.BODY, color=ink)
        loss_row = VGroup(self.math("f =", size=SIZE.BODY, color=ink), loss_number)
        rows = VGroup(step_row, loss_row.arrange(RIGHT, buff=0.15)).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        rows.next_to(title, DOWN, buff=0.25, aligned_edge=LEFT)
        return rows, [*step_live, rollout.live_number(self, loss_number, ball.step_value)]  # each step's value

    def step_counter(self, title: Mobject | None = None) -> tuple[VGroup, list[rollout.Follower]]:
        """'step k' (under the title if given), with its follower."""
        number = self.number(0, decimals=0, size=SIZE.BODY)
        row = VGroup(self.text(self.say("步数", "step"), size=SIZE.LABEL), number).arrange(RIGHT, buff=0.2)
        if title is not None:
            row.next_to(title, DOWN, buff=0.25, aligned_edge=LEFT)
        return row, [rollout.live_number(self, number, lambda s: np.floor(s + 1e-9))]

    # Section: many starts
    def many_starts(
        self, world: World, title: Mobject, single: Rollout, overlay: VGroup
    ) -> tuple[list[Rollout], VGroup, VGroup]:
        """Several balls at once, each to its valley; returns them, their end labels and the step counter."""
        runs = self.descend(self.params.starts, self.params.lr)
        kinds, reached = [_end_kind(run, world) for run in runs], [_reached(run, world) for run in runs]
        self.narrate("many starts", rollout.many_line(kinds, reached, self.params.lr))
        self.play(FadeOut(VGroup(*single.mobjects)), FadeOut(overlay), run_time=0.8)
        self.remove(*single.mobjects, *overlay)  # each was pinned on its own
        colours = distinct_from(self.palette.series, self.palette.surface, len(runs))
        balls = [self.surface_ball(world, run, colour) for run, colour in zip(runs, colours, strict=True)]
        tracker = ValueTracker(0.0)
        counter, counter_live = self.step_counter(title)
        self.pin(counter)
        self.play(FadeIn(VGroup(*(b.ball for b in balls)), scale=1.6), FadeIn(counter), run_time=0.8)
        live = [pair for b in balls for pair in b.followers()] + counter_live
        last = max(b.last for b in balls)
        rollout.roll(self, tracker, last, rollout.roll_time(last, FAST_STEP_TIME, shortest=2.5), live, rate_func=linear)
        labels = self.label_ends(world, balls)
        self.pin(labels)
        self.play(FadeIn(labels), run_time=1.0)
        self.wait(3.0)
        return balls, labels, counter

    def label_ends(self, world: World, balls: list[Rollout]) -> VGroup:
        """One label per place where balls ended: a coloured dot per ball, then what the place is."""
        pal = self.palette
        kinds = [_end_kind(ball.path, world) for ball in balls]
        ends = [(kind, _reached(ball.path, world) if kind in ("global", "local") else None, ball.visible[-1])
                for kind, ball in zip(kinds, balls, strict=True)]  # fmt: skip
        span = max(hi - lo for lo, hi in world.box)
        labels = VGroup()
        for members in group_ends(ends, near=LABEL_MERGE * span):  # one label per place: they never pile up
            first, kind = balls[members[0]], kinds[members[0]]
            colour = self.ink({"global": "good", "local": "warn"}.get(kind, "text"))
            dots = VGroup(*(rollout.disc(np.zeros(3), 0.07, balls[i].colour, pal.outline) for i in members))
            words = f"{self.say(*rollout.END_LABELS[kind])} $f = {fixed(first.visible_values[-1], world.decimals)}$"
            text = halo(self.mixed(words, color=colour, size=SIZE.SMALL), pal.outline, 3)
            label = VGroup(dots.arrange(RIGHT, buff=0.06), text).arrange(RIGHT, buff=0.12)
            label.add_to_back(BackgroundRectangle(label, color=pal.background, fill_opacity=0.8, buff=0.08))
            label.next_to(world.view.screen(self, first.ball_at(first.last)), UP, buff=0.22)  # trails pass beneath
            keep_in_frame(label)
            label.kind, label.members = kind, members
            labels.add(label)
        rollout.spread(labels)
        return labels

    def surface_ball(self, world: World, path: gradcore.Path, colour: str) -> Rollout:
        """A ball resting on the surface, with its trail, for one gradcore path (clipped to the map)."""
        ball = Rollout.on_surface(world.view, path, colour, self.palette.outline, ball_radius=BALL_RADIUS)
        for mob in (ball.ball, *ball.dots):  # round from any angle, at their 3D centres
            self.renderer.camera.add_fixed_orientation_mobjects(mob)
        self.add(ball.line, ball.dots)
        return ball

    # Section: step size
    def step_size(self, world: World, picture: list[Mobject]) -> tuple[list[TopView], VGroup]:
        """One top view per η from the same start, side by side; ``picture`` (the 3D stage) goes behind a cover."""
        p = self.params
        panels = [self.panel(world, index, self.descend(p.compare_start, lr)) for index, lr in enumerate(p.compare_lrs)]
        parts = [rollout.verdict_line(panel.verdict, panel.path, p.optimizer, panel.bound) for panel in panels]
        verdicts = ("；".join(zh for zh, _ in parts) + "。", "; ".join(en for _, en in parts) + ".")
        self.narrate("step size", LINES["step size"], verdicts)
        cover = self.cover()
        self.play(FadeIn(cover), run_time=0.8)
        self.remove(*picture, cover)  # hidden behind the cover: drop the 3D picture, so no later frame draws it
        maps = VGroup(*(panel.static for panel in panels))
        trails = VGroup(*(VGroup(panel.roll.line, panel.roll.dots) for panel in panels))
        tracker = ValueTracker(0.0)
        counter, counter_live = self.step_counter()
        counter.to_corner(UP + LEFT, buff=0.3)
        self.pin(maps, trails, counter)  # maps first: what moves must come after what stays
        self.play(FadeOut(self.cover()), run_time=1.0)  # the maps appear as the cover lifts: drawn only once
        balls = VGroup(*(panel.roll.ball for panel in panels))
        self.pin(balls)
        self.play(FadeIn(balls, scale=1.5), run_time=0.5)
        live = [pair for panel in panels for pair in panel.roll.followers()] + counter_live
        last = max(panel.roll.last for panel in panels)
        rollout.roll(self, tracker, last, rollout.roll_time(last, per_step=0.15, shortest=3.0), live, rate_func=linear)
        exits = VGroup(*(panel.exit_mark for panel in panels if panel.exit_mark is not None))
        results = VGroup(*(panel.result for panel in panels))
        self.pin(exits, results)
        self.play(FadeIn(exits), FadeIn(results), run_time=1.0)
        self.wait(3.5)
        linger(self)  # a key step: four runs to compare
        return panels, VGroup(maps, trails, balls, exits, results, counter)

    def cover(self) -> Mobject:
        """A pinned rectangle in the background colour over everything above the caption band."""
        return rollout.cover(self, self.palette.background)

    def panel(self, world: World, index: int, path: gradcore.Path) -> TopView:
        """One top view: level curves, minima, the path clipped to the map, its η, verdict, result and exit mark."""
        pal, count = self.palette, len(self.params.compare_lrs)
        width = min(PANEL_SIZE, (13.6 - 0.45 * (count - 1)) / count)
        centre = ((index - (count - 1) / 2) * (width + 0.45), 1.0)
        view = LandscapeView(world.f, world.box, centre=centre, size=width, samples=41)
        levels = world.view.level_values(LEVELS)  # one ball colour in every view: the verdict's colour tells apart
        panel = TopView(view, path, pal, minima=world.minima, levels=levels, colour=pal.highlight)
        panel.add_title(self.math(f"eta = {significant(path.hyper['lr'])[0]}", size=SIZE.BODY))
        verdict_colour = self.ink("good" if panel.verdict == "arrived" else "warn")
        words = rollout.VERDICT_WORDS[rollout.panel_verdict(panel.verdict, self.params.optimizer)]
        status, steps = self.say(*rollout.STATUS_WORDS[path.status]), self.say(*count_steps(path.steps))
        joined = self.text(f"{status} · {steps}", size=SIZE.SMALL)  # one line where it fits, else two
        counts = [joined] if joined.width <= width + 0.3 else [self.text(t, size=SIZE.SMALL) for t in (status, steps)]
        lines = [self.text(self.say(*words), size=SIZE.SMALL, color=verdict_colour), *counts,
                 self.math(f"f = {rollout.loss_typst(path.fun, world.decimals)}", size=SIZE.SMALL)]  # fmt: skip
        panel.bound = rollout.overshoot_bound(world.f, path, world.minima) if panel.verdict == "oscillating" else None
        if panel.bound is not None and self.params.optimizer == "gd":  # η near 2/λmax: the reason it zig-zags
            lines.append(self.math(f"2 slash lambda_max = {significant(panel.bound, 2)[0]}", size=SIZE.SMALL))
        else:
            panel.bound = None
        panel.add_result(*lines)
        if (step := panel.roll.exit_step) is not None:
            words = self.say(f"第 {step} 步离开地图", f"left the map at step {step}")
            label = self.text(words, size=SIZE.SMALL, color=self.ink("warn"))
            if label.width > width - 0.2:  # a narrow panel: two lines rather than smaller letters
                label = self.text(
                    words.replace(" 步", " 步\n").replace(" at", "\nat"), size=SIZE.SMALL, color=self.ink("warn")
                )
            panel.mark_exit(halo(label, pal.outline, 3), pal.warn)
        return panel

    # Section: summary
    def summary(self, top_views: VGroup) -> None:
        """The update rule, then only what steps 4 and 5 showed: the start deciding the valley, η's three cases."""
        p = self.params
        apart = len({label.members[0] for label in self.end_labels if label.kind in ("global", "local")}) > 1
        shown = [(panel.path.hyper["lr"], rollout.panel_verdict(panel.verdict, p.optimizer)) for panel in self.panels]
        eta = "eta story" if rollout.eta_story(shown) else "eta"
        if eta == "eta story" and any(panel.bound for panel in self.panels) and sorted(shown)[-1][1] == "diverged":
            eta = "eta story, bound"  # crawls, arrives, zig-zags near 2/λmax, flies off: in the order of η
        self.narrate("summary", SUMMARY_LINES[p.optimizer], SUMMARY_LINES["apart"] if apart else ("", ""),
                     SUMMARY_LINES[eta])  # fmt: skip
        cover = self.cover()
        self.play(FadeIn(cover), run_time=0.8)  # covering costs less than fading every level curve out
        self.remove(*top_views, cover)  # each part was pinned on its own
        picked = [SUMMARY[p.optimizer], SUMMARY["apart" if apart else "together"], SUMMARY[eta]]
        lines = [self.mixed(self.say(zh, en), color=self.ink(colour)) for colour, zh, en in picked]
        self.show_summary(*lines, line_pause=0.8, hold=3.0)
        linger(self)


def descend(p, start: np.ndarray, lr: float) -> gradcore.Path | list[gradcore.Path]:
    """Run the chosen optimizer of the parameters ``p`` from ``start`` (one point or several)."""
    hyper = {"beta": BETA} if p.optimizer == "momentum" else {}
    return gradcore.descend(p.formula, start, optimizer=p.optimizer, lr=lr, steps=p.steps, tol=TOL, **hyper)


def _end_kind(run: gradcore.Path, world: World) -> str:
    """``global``/``local`` (converged at a minimum: global when tied for the lowest), ``flat``, ``moving`` or ``left``."""
    return rollout.end_kind(run, world.box, world.minima, world.lowest)


def _reached(run: gradcore.Path, world: World) -> int | None:
    return gradcore.nearest_minimum(run.x, world.minima, world.box)


__all__ = ["BallDescent"]
