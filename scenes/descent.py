"""A ball rolling down a landscape with several valleys: gradient descent in one picture.

Render: manim render -ql scenes/descent.py BallDescent

Storyboard: the landscape (one camera move) → its valleys → one ball, step by
step, with a loss chart → several balls from several starts → the same start
with several step sizes, in flat top views → summary. Every run comes from
``gradcore.descend`` and every word about how it went from gradcore's status,
:func:`gradcore.verdict` and :func:`gradcore.nearest_minimum`.

Cost notes (Cairo): the establishing camera move draws a light surface; once the
camera holds still the fine surface is drawn once per ``play`` into the static
background, and only balls, trails, arrows, the HUD and the inset are redrawn per
frame. Balls and trails are flat (not 3D-shaded) mobjects, which the 3D camera
always paints after the surface, so they stay in front of it from the camera's
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
    Arrow,
    BackgroundRectangle,
    FadeIn,
    FadeOut,
    GrowArrow,
    Mobject,
    Rectangle,
    ValueTracker,
    VGroup,
    config,
    linear,
)

import gradcore
from scenes.toolkit import SIZE, LectureThreeDScene, Param, rollout
from scenes.toolkit.base import CAPTION_TOP
from scenes.toolkit.colours import distinct_from
from scenes.toolkit.landscape import LandscapeView
from scenes.toolkit.plotting import fit_width, fmt, keep_in_frame
from scenes.toolkit.rollout import LossChart, Rollout, TopView
from scenes.toolkit.text import halo

VALLEYS = gradcore.landscapes.VALLEYS

TOL = 1e-3  # a run has arrived when |∇f| < TOL
BETA = 0.9  # momentum coefficient when optimizer = "momentum"
STEP_NAME = {"gd": "-eta nabla f", "momentum": "v"}  # what a step's arrow is, in Typst maths
SLOW_STEPS = 4  # the single ball's first steps, shown one at a time
FAST_STEP_TIME = 0.22  # seconds per step once the steps speed up
CAMERA = {"phi": 58 * DEGREES, "theta": -62 * DEGREES}  # where the camera holds still (zoom: fitted)
CAMERA_START = {"phi": 76 * DEGREES, "theta": -100 * DEGREES}  # start of the establishing move
CAMERA_START_ZOOM = 0.7  # relative to the fitted zoom
SURFACE_BOX = ((-6.5, 2.7), (-2.9, 2.9))  # screen box the landscape is fitted into: (x, y) ranges
SURFACE_SIZE = 6.0  # world length of the longer side of the map
SURFACE_HEIGHT = 2.6  # world height from the lowest to the highest value
WORLD = {"world_size": SURFACE_SIZE, "height": SURFACE_HEIGHT}
FINE, LIGHT = 40, 18  # surface faces per side: still camera / moving camera
BALL_RADIUS = 0.1  # world units; the ball's centre sits this far above the surface
MAX_STARTS = 6  # one colour of the palette's series per ball
MAX_COMPARE = 4  # side-by-side top views in step 5
MAX_STEPS = 200  # a trail dot per step: more would crowd the picture and slow the render
LEVELS = 14  # level curves in the top views
TITLE_WIDTH = 6.0  # widest formula shown as the title
PANEL_SIZE = 3.5  # side of a top view in step 5 (smaller when more than three)

# fmt: off
LINES = {  # each step's narration (zh, en); steps 1, 3 and 5 add what the numbers say
    "the landscape": ("这是一片损失地形：高度就是损失 f(x, y)。", "This is a loss landscape: the height is the loss f(x, y)."),
    "the valleys": ("每个谷底都是局部极小值：往哪个方向走都会升高。最低的那个才是全局极小值。",
                    "Each valley floor is a local minimum: every way out of it goes up. "
                    "The lowest one is the global minimum."),
    "one ball": ("每一步，球沿 −η∇f 走一小段：x ← x − η∇f(x)，坡越缓步子越小。",
                 "Each step moves the ball by −η∇f: x ← x − η∇f(x); the flatter the slope, the shorter the step. "),
    "many starts": ("几个球从不同地方同时出发，各自滚进脚下坡面通往的山谷。起点决定终点：局部极小值不一定是全局的。",
                    "Several balls start at once; each rolls into the valley its slope leads to. "
                    "The start decides the end: a local minimum need not be global."),
    "step size": ("俯视图，同一起点：", "Top view, one start: "),
    "summary": ("梯度下降就是沿 −∇f 一步步往下走。起点决定落进哪个山谷；步长 η 决定是爬、是到达，还是冲过头。",
                "Gradient descent takes small steps along −∇f. The start picks the valley; η decides "
                "whether you crawl, arrive or overshoot."),
}
SUMMARY = [  # the closing card: (palette colour, zh, en) per line
    ("descent", "更新规则：$x_(k+1) = x_k - eta nabla f(x_k)$，沿下坡方向走一小步",
     "the update $x_(k+1) = x_k - eta nabla f(x_k)$: a small step downhill"),
    ("warn", "起点决定落进哪个山谷：局部极小值不一定是全局极小值",
     "the start decides the valley: a local minimum need not be the global one"),
    ("text", "步长 $eta$：太小爬不动，合适就到达，太大会冲过头、飞出去",
     "the step size $eta$: too small crawls, well chosen arrives, too large overshoots"),
]
ENDINGS = {  # how step 3's narration ends, by where the ball stopped (see _end_kind)
    "global": ("它停在了最低的谷底。", "It stops in the lowest valley."),
    "local": ("它停在一个谷底，但不是最低的那个。", "It stops in a valley, but not the lowest."),
    "flat": ("梯度几乎为零，它停了下来。", "The gradient is almost zero: it stops."),
    "moving": ("步数用完时，它还在移动。", "When the steps run out it still moves."),
    "left": ("它冲出了地图。", "It flies off the map."),
}
END_LABELS = {"global": ("全局极小", "global"), "local": ("局部极小", "local"), "flat": ("平坦处", "flat point"),
              "moving": ("还没停", "still moving"), "left": ("离开地图", "left the map")}
STATUS_WORDS = {"converged": ("收敛", "converged"), "max_steps": ("步数用完", "out of steps"),
                "diverged": ("发散", "diverged")}
VERDICT_WORDS = {  # under a top view of step 5, by gradcore.verdict (a path leaving the map is "diverged")
    "diverged": ("太大：冲出地图", "too large: flies off"),
    "arrived": ("合适：到达谷底", "well chosen: arrives"),
    "oscillating": ("太大：来回跳", "too large: zig-zags"),
    "crawling": ("太小：几乎不动", "too small: crawls"),
}
VERDICT_LINES = {  # each top view's part of step 5's narration; "blows up": gradcore's status is diverged too
    "blows up": ("η = {eta} 冲过头，发散", "η = {eta} overshoots and diverges"),
    "diverged": ("η = {eta} 冲出地图", "η = {eta} overshoots off the map"),
    "arrived": ("η = {eta} 走 {steps} 步到达", "η = {eta} arrives in {steps} steps"),
    "oscillating": ("η = {eta} 来回跳", "η = {eta} zig-zags"),
    "crawling": ("η = {eta} 几乎不动", "η = {eta} barely moves"),
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
        "lr": Param(0.4, "learning rate η of steps 3 and 4", "positive"),
        "compare_start": Param([0.25, 0.5], "the common start of the step-size comparison (step 5)", "point",
                               size=2, inside=("x_range", "y_range")),
        "compare_lrs": Param([0.02, 0.4, 12.0], "the η values compared side by side in step 5 (1 to 4)",
                             "positives", max_items=MAX_COMPARE),
        "steps": Param(40, "the most updates any run makes (at most 200)", "integer", maximum=MAX_STEPS),
        "optimizer": Param("gd", "gd (plain gradient descent) or momentum (β = 0.9)", "choice",
                           choices=("gd", "momentum")),
    }
    # fmt: on

    def construct(self) -> None:
        world = self.world = self.build_world()
        title, surface = self.show_landscape(world)
        self.marks, self.valley_labels = self.show_valleys(world, title)
        self.single, self.step3_overlay = self.one_ball(world, title, self.valley_labels)
        self.many, self.end_labels, counter = self.many_starts(world, title, self.single, self.step3_overlay)
        picture = [surface, self.marks, self.end_labels, counter, title, *(m for r in self.many for m in r.mobjects)]
        self.panels, top_views = self.step_size(world, picture)
        self.summary(top_views)

    # --- numbers from gradcore, the world they are drawn in, the narration ---------
    def narrate(self, section: str, zh: str = "", en: str = "") -> None:
        """Start the step ``section`` with its line from LINES, followed by ``zh`` / ``en`` (what the numbers say)."""
        line_zh, line_en = LINES[section]
        self.step(section, zh=line_zh + zh, en=line_en + en)

    def descend(self, start: np.ndarray, lr: float) -> gradcore.Path | list[gradcore.Path]:
        """Run the chosen optimizer from ``start`` (one point or several)."""
        p = self.params
        hyper = {"beta": BETA} if p.optimizer == "momentum" else {}
        return gradcore.descend(p.formula, start, optimizer=p.optimizer, lr=lr, steps=p.steps, tol=TOL, **hyper)

    def build_world(self) -> World:
        """The landscape's 3D view, fitted into SURFACE_BOX by the still camera; the camera then waits at its start.

        Value 0 sits at world height 0 (``level_at_origin``), as on the Manim axes
        the clip was first drawn on, so the camera fit lands where it always did.
        """
        p = self.params
        view = LandscapeView(p.formula, (p.x_range, p.y_range), samples=41, level_at_origin=0.0, **WORLD)
        zoom = view.fit_camera(self, CAMERA, SURFACE_BOX, samples=41)
        self.set_camera_orientation(**CAMERA_START, zoom=CAMERA_START_ZOOM * zoom)
        return World(p.formula, view.box, gradcore.find_minima(p.formula, view.box), view, zoom)

    # Section: the landscape
    def show_landscape(self, world: World) -> tuple[Mobject, Mobject]:
        count = len(world.minima)
        self.narrate("the landscape", f"地形上有 {count} 个山谷。" if count else "",
                     {0: "", 1: " It has one valley."}.get(count, f" It has {count} valleys."))  # fmt: skip
        light = world.view.surface(LIGHT, self.palette.surface, colour_at="midpoint")
        title = self.landscape_title()
        self.pin(title)
        self.add(light)
        self.move_camera(**CAMERA, zoom=world.zoom, added_anims=[FadeIn(light), FadeIn(title)], run_time=3.0)
        landscape = world.view.surface(FINE, self.palette.surface, colour_at="midpoint")
        self.remove(light)
        self.bring_to_back(landscape)  # first in the list, so it stays in the static background
        self.wait(2.5)
        return title, landscape

    def landscape_title(self) -> Mobject:
        """The named landscape's title, else the formula if it fits in the corner, else a generic name."""
        text = " ".join(self.params.raw["formula"].split())
        named = [ls for ls in gradcore.landscapes.LANDSCAPES.values() if " ".join(ls.formula.split()) == text]
        if named:
            title = self.text(self.say(named[0].title_zh, named[0].title_en), color=self.palette.muted)
        else:
            title = self.math(f"f(x, y) = {self.params.formula.typst}", size=SIZE.LABEL, color=self.palette.muted)
            if title.width > TITLE_WIDTH:  # too long to read in the corner
                title = self.mixed(self.say("损失地形 $f(x, y)$", "the loss $f(x, y)$"), color=self.palette.muted)
        return title.to_corner(UP + LEFT, buff=0.3)

    # Section: the valleys
    def show_valleys(self, world: World, title: Mobject) -> tuple[VGroup, VGroup]:
        """A mark at each minimum of find_minima and its label (global for the lowest); returns both groups."""
        self.narrate("the valleys")
        pal, view = self.palette, world.view
        marks, labels = VGroup(), VGroup()
        for index, minimum in enumerate(world.minima):  # find_minima sorts by value: the first is the global one
            kind = "global" if index == 0 else "local"
            colour = pal.good if index == 0 else pal.warn
            mark = rollout.disc(view.world(minimum.point), 0.075, colour, pal.outline)
            self.renderer.camera.add_fixed_orientation_mobjects(mark)
            words = self.say("全局极小值", "global minimum") if index == 0 else self.say("局部极小值", "local minimum")
            value = self.math(f"f = {fmt(minimum.value)}", color=colour, size=SIZE.SMALL)
            label = VGroup(self.text(words, color=colour, size=SIZE.SMALL), value)
            for part in label.arrange(DOWN, buff=0.08):
                halo(part, pal.outline, 3)
            keep_in_frame(label.next_to(view.screen(self, view.world(minimum.point)), UP, buff=0.45))
            label.kind, label.value, label.point = kind, minimum.value, minimum.point
            marks.add(mark)
            labels.add(label)
        if not world.minima:
            note = self.text(self.say("地图内没有极小值", "no minimum inside the map"), color=pal.warn, size=SIZE.SMALL)
            labels.add(note.next_to(title, DOWN, buff=0.2, aligned_edge=LEFT))
        self.pin(labels)
        self.add(marks)
        self.play(FadeIn(marks, scale=1.5), FadeIn(labels), run_time=1.2)
        self.wait(6.0)
        return marks, labels

    # Section: one ball
    def one_ball(self, world: World, title: Mobject, valley_labels: VGroup) -> tuple[Rollout, VGroup]:
        """One ball, its first steps one arrow at a time, then faster; returns it and the overlay beside it."""
        run = self.descend(self.params.start, self.params.lr)
        self.narrate("one ball", *ENDINGS[_end_kind(run, world)])
        pal = self.palette
        ball = self.surface_ball(world, run, pal.highlight)
        arrows = ball.make_arrows(lambda point: world.view.screen(self, point), pal.descent)
        hud, hud_live = self.hud(ball, title)
        chart = LossChart(self, ball, world.minima[0].value if world.minima else None).shift(0.1 * DOWN)
        legend = self.arrow_legend().next_to(chart, DOWN, buff=0.35, aligned_edge=LEFT)
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
                name = self.math(STEP_NAME[self.params.optimizer], size=SIZE.SMALL, color=pal.descent)
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
        end = self.end_note(run).next_to(legend, DOWN, buff=0.3, aligned_edge=LEFT)
        self.pin(end)
        self.play(FadeIn(end), run_time=0.6)
        self.wait(2.0)
        return ball, VGroup(hud, chart, legend, end)

    def hud(self, ball: Rollout, title: Mobject) -> tuple[VGroup, list[rollout.Follower]]:
        """Step counter and current loss under the title, with their followers."""
        step_row, step_live = self.step_counter()
        loss_number = self.number(ball.path.values[0], decimals=2, size=SIZE.BODY, color=self.palette.highlight)
        loss_row = VGroup(self.math("f =", size=SIZE.BODY, color=self.palette.highlight), loss_number)
        rows = VGroup(step_row, loss_row.arrange(RIGHT, buff=0.15)).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        rows.next_to(title, DOWN, buff=0.25, aligned_edge=LEFT)
        return rows, [*step_live, rollout.live_number(self, loss_number, ball.value_at)]

    def step_counter(self, title: Mobject | None = None) -> tuple[VGroup, list[rollout.Follower]]:
        """'step k' (under the title if given), with its follower."""
        number = self.number(0, decimals=0, size=SIZE.BODY)
        row = VGroup(self.text(self.say("步数", "step"), size=SIZE.LABEL), number).arrange(RIGHT, buff=0.2)
        if title is not None:
            row.next_to(title, DOWN, buff=0.25, aligned_edge=LEFT)
        return row, [rollout.live_number(self, number, lambda s: np.floor(s + 1e-9))]

    def arrow_legend(self) -> Mobject:
        """What the green arrow is, and the update rule it follows."""
        pal = self.palette
        gd = self.params.optimizer == "gd"
        rule = "x arrow.l x - eta nabla f(x)" if gd else "v arrow.l beta v - eta nabla f(x), quad x arrow.l x + v"
        arrow = Arrow(np.zeros(3), 0.6 * RIGHT, buff=0, color=pal.descent, stroke_width=5, tip_length=0.16,
                      max_stroke_width_to_length_ratio=20)  # fmt: skip
        step = self.math(STEP_NAME[self.params.optimizer], color=pal.descent, size=SIZE.SMALL)
        eta = self.math(f"eta = {fmt(self.params.lr, 3)}" + ("" if gd else f", beta = {fmt(BETA)}"), size=SIZE.SMALL)
        first = VGroup(arrow, step, eta).arrange(RIGHT, buff=0.2)
        legend = VGroup(first, self.math(rule, size=SIZE.SMALL, color=pal.muted))
        return fit_width(legend.arrange(DOWN, aligned_edge=LEFT, buff=0.15), 3.9)

    def end_note(self, path: gradcore.Path) -> Mobject:
        """The run's status from gradcore, in words, with its step count."""
        status = self.say(*STATUS_WORDS[path.status])
        words = f"{status}：{path.steps} 步" if self.language == "zh" else f"{status} after {path.steps} steps"
        return fit_width(self.text(words, size=SIZE.SMALL, color=self.palette.highlight), 3.9)

    # Section: many starts
    def many_starts(
        self, world: World, title: Mobject, single: Rollout, overlay: VGroup
    ) -> tuple[list[Rollout], VGroup, VGroup]:
        """Several balls at once, each to its valley; returns them, their end labels and the step counter."""
        self.narrate("many starts")
        self.play(FadeOut(VGroup(*single.mobjects)), FadeOut(overlay), run_time=0.8)
        self.remove(*single.mobjects, *overlay)  # each was pinned on its own
        runs = self.descend(self.params.starts, self.params.lr)
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
        groups: dict[object, list[int]] = {}
        for index, ball in enumerate(balls):  # balls in one valley share a label; any other end has its own
            at_minimum = _end_kind(ball.path, world) in ("global", "local")
            key = gradcore.nearest_minimum(ball.path.x, world.minima, world.box) if at_minimum else f"ball {index}"
            groups.setdefault(key, []).append(index)
        labels = VGroup()
        for members in groups.values():
            first = balls[members[0]]
            kind = _end_kind(first.path, world)
            colour = {"global": pal.good, "local": pal.warn}.get(kind, pal.text)
            dots = VGroup(*(rollout.disc(np.zeros(3), 0.07, balls[i].colour, pal.outline) for i in members))
            words = f"{self.say(*END_LABELS[kind])} $f = {fmt(first.visible_values[-1])}$"
            text = halo(self.mixed(words, color=colour, size=SIZE.SMALL), pal.outline, 3)
            label = VGroup(dots.arrange(RIGHT, buff=0.06), text).arrange(RIGHT, buff=0.12)
            label.add_to_back(BackgroundRectangle(label, color=pal.background, fill_opacity=0.6, buff=0.08))
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
        self.narrate("step size", "；".join(_verdict_line(t, "zh") for t in panels) + "。",
                     "; ".join(_verdict_line(t, "en") for t in panels) + ".")  # fmt: skip
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
        return panels, VGroup(maps, trails, balls, exits, results, counter)

    def cover(self) -> Rectangle:
        """A pinned rectangle in the background colour over everything above the caption band."""
        cover = Rectangle(width=config.frame_width + 0.2, height=config.frame_height / 2 - CAPTION_TOP,
                          stroke_width=0, fill_color=self.palette.background, fill_opacity=1.0)  # fmt: skip
        cover.move_to([0, (config.frame_height / 2 + CAPTION_TOP) / 2, 0])
        self.pin(cover)
        return cover

    def panel(self, world: World, index: int, path: gradcore.Path) -> TopView:
        """One top view: level curves, minima, the path clipped to the map, its η, verdict, result and exit mark."""
        pal, count = self.palette, len(self.params.compare_lrs)
        width = min(PANEL_SIZE, (13.6 - 0.45 * (count - 1)) / count)
        centre = ((index - (count - 1) / 2) * (width + 0.45), 0.8)
        view = LandscapeView(world.f, world.box, centre=centre, size=width, samples=41)
        levels = world.view.level_values(LEVELS)  # one ball colour in every view: the verdict's colour tells apart
        panel = TopView(view, path, pal, minima=world.minima, levels=levels, colour=pal.highlight)
        panel.add_title(self.math(f"eta = {fmt(path.hyper['lr'], 3)}", size=SIZE.BODY))
        verdict_colour = pal.good if panel.verdict == "arrived" else pal.warn
        steps = f"{self.say(*STATUS_WORDS[path.status])} · {path.steps} {self.say('步', 'steps')}"
        panel.add_result(self.text(self.say(*VERDICT_WORDS[panel.verdict]), size=SIZE.SMALL, color=verdict_colour),
                         self.text(steps, size=SIZE.SMALL), self.math(f"f = {_loss(path.fun)}", size=SIZE.SMALL))  # fmt: skip
        if (step := panel.roll.exit_step) is not None:
            words = self.say(f"第 {step} 步离开地图", f"left the map at step {step}")
            label = self.text(words, size=SIZE.SMALL, color=pal.warn)
            if label.width > width - 0.2:  # a narrow panel: two lines rather than smaller letters
                label = self.text(words.replace(" 步", " 步\n").replace(" at", "\nat"), size=SIZE.SMALL, color=pal.warn)
            panel.mark_exit(halo(label, pal.outline, 3), pal.warn)
        return panel

    # Section: summary
    def summary(self, top_views: VGroup) -> None:
        self.narrate("summary")
        cover = self.cover()
        self.play(FadeIn(cover), run_time=0.8)  # covering costs less than fading every level curve out
        self.remove(*top_views, cover)  # each part was pinned on its own
        lines = [self.mixed(self.say(zh, en), color=getattr(self.palette, colour)) for colour, zh, en in SUMMARY]
        self.show_summary(*lines, line_pause=0.8, hold=3.0)


def _end_kind(run: gradcore.Path, world: World) -> str:
    """``global``/``local`` (converged at a minimum of find_minima), ``flat``, ``moving`` or ``left`` (the map)."""
    if gradcore.verdict(run, world.box) == "diverged":
        return "left"
    if run.status != "converged":
        return "moving"
    index = gradcore.nearest_minimum(run.x, world.minima, world.box)
    return "flat" if index is None else ("global" if index == 0 else "local")


def _verdict_line(panel: TopView, language: str) -> str:
    """A top view's part of step 5's narration."""
    key = "blows up" if panel.verdict == "diverged" and panel.path.status == "diverged" else panel.verdict
    zh, en = VERDICT_LINES[key]
    return (zh if language == "zh" else en).format(eta=fmt(panel.path.hyper["lr"], 3), steps=panel.path.steps)


def _loss(value: float) -> str:
    """A final loss as Typst maths: plain below 10⁴, else a × 10ⁿ (gradcore keeps it finite)."""
    if abs(value) < 1e4:
        return fmt(value, 3)
    exponent = int(np.floor(np.log10(abs(value))))
    return f"{fmt(value / 10**exponent, 1)} times 10^({exponent})"


__all__ = ["BallDescent"]
