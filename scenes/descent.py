"""A ball rolling down a landscape with several valleys: gradient descent in one picture.

Render: manim render -ql scenes/descent.py BallDescent

Cost notes (Cairo): the establishing camera move draws a light surface; once the
camera holds still the fine surface is drawn once per ``play`` into the static
background, and only balls, trails, arrows, the HUD and the inset are redrawn per
frame. Balls and trails are flat (not 3D-shaded) mobjects, which the 3D camera
always paints after the surface, so they stay in front of it from the camera's
view; the camera looks down steeply enough that no valley floor of the default
landscape hides behind a ridge. Step 5 covers the 3D picture and removes it, then draws flat top views.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from manim import (
    DEGREES,
    DOWN,
    LEFT,
    OUT,
    RIGHT,
    UP,
    Arrow,
    Axes,
    BackgroundRectangle,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    GrowArrow,
    ManimColor,
    Mobject,
    Rectangle,
    Surface,
    ThreeDAxes,
    ValueTracker,
    VGroup,
    VMobject,
    config,
    linear,
)

import gradcore
from scenes.toolkit import SIZE, LectureThreeDScene, Param
from scenes.toolkit.base import CAPTION_TOP
from scenes.toolkit.plotting import fit_width, fmt, keep_in_frame, tick_step
from scenes.toolkit.text import halo

VALLEYS = gradcore.landscapes.VALLEYS

TOL = 1e-3  # a run has arrived when |∇f| < TOL
BETA = 0.9  # momentum coefficient when optimizer = "momentum"
SLOW_STEPS = 4  # the single ball's first steps, shown one at a time
FAST_STEP_TIME = 0.22  # seconds per step once the steps speed up
CAMERA = {"phi": 58 * DEGREES, "theta": -62 * DEGREES}  # where the camera holds still (zoom: fitted)
CAMERA_START = {"phi": 76 * DEGREES, "theta": -100 * DEGREES}  # start of the establishing move
CAMERA_START_ZOOM = 0.7  # relative to the fitted zoom
SURFACE_BOX = ((-6.5, 2.7), (-2.9, 2.9))  # screen box the landscape is fitted into: (x, y) ranges
SURFACE_SIZE = 6.0  # world length of the longer side of the map
SURFACE_HEIGHT = 2.6  # world height from the lowest to the highest value
FINE, LIGHT = 40, 18  # surface faces per side: still camera / moving camera
BALL_RADIUS = 0.1  # world units; the ball's centre sits this far above the surface
MAX_STARTS = 6  # one colour of the palette's series per ball
MAX_COMPARE = 4  # side-by-side top views in step 5
MAX_STEPS = 200  # a trail dot per step: more would crowd the picture and slow the render
LEVELS = 14  # level curves in the top views
TITLE_WIDTH = 6.0  # widest formula shown as the title
PANEL_SIZE = 3.5  # side of a top view in step 5 (smaller when more than three)


class BallDescent(LectureThreeDScene):
    """Gradient descent on a landscape with several valleys: start and step size decide the end."""

    config_table = "descent"
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

    # --- numbers from gradcore ------------------------------------------------
    def descend(self, start: np.ndarray, lr: float) -> gradcore.Path | list[gradcore.Path]:
        """Run the chosen optimizer from ``start`` (one point or several)."""
        hyper = {"beta": BETA} if self.params.optimizer == "momentum" else {}
        return gradcore.descend(self.f, start, optimizer=self.params.optimizer, lr=lr, steps=self.params.steps,
                                tol=TOL, **hyper)

    def height(self, xy: np.ndarray) -> float:
        return float(self.f(float(xy[0]), float(xy[1])))

    def ground(self, xy: np.ndarray) -> np.ndarray:
        """World point of the surface above ``xy``."""
        return self.axes.c2p(float(xy[0]), float(xy[1]), self.height(xy))

    def ball_point(self, xy: np.ndarray) -> np.ndarray:
        """World point of a ball's centre resting on the surface above ``xy``: raised by its radius."""
        return self.ground(xy) + BALL_RADIUS * OUT

    def screen(self, point: np.ndarray) -> np.ndarray:
        """Where a world point appears in the frame (for pinned labels and arrows; the camera is still)."""
        camera = self.renderer.camera
        camera.reset_rotation_matrix()  # refreshed only when the camera draws: make sure it is current
        projected = camera.project_point(np.asarray(point, dtype=float))
        return np.array([projected[0], projected[1], 0.0])

    # --- construct ----------------------------------------------------------
    def construct(self) -> None:
        p = self.params
        self.f = p.formula
        self.box = (p.x_range, p.y_range)
        self.minima = gradcore.find_minima(self.f, self.box)
        self.run = self.descend(p.start, p.lr)
        self.runs = self.descend(p.starts, p.lr)
        self.comparison = [self.descend(p.compare_start, lr) for lr in p.compare_lrs]
        self.build_world()

        self.show_landscape()
        self.show_valleys()
        self.one_ball()
        self.many_starts()
        self.step_size()
        self.summary()

    def build_world(self) -> None:
        """3D axes (never drawn) and a camera zoom that fit the landscape into SURFACE_BOX on screen."""
        (x0, x1), (y0, y1) = self.box
        grid = np.meshgrid(np.linspace(x0, x1, 41), np.linspace(y0, y1, 41))
        values = self.f(*grid)
        self.z_range = (float(values.min()), float(values.max()))
        if self.z_range[1] - self.z_range[0] < 1e-9:  # a flat landscape still needs a height axis
            self.z_range = (self.z_range[0] - 0.5, self.z_range[0] + 0.5)
        scale = SURFACE_SIZE / max(x1 - x0, y1 - y0)
        self.axes = ThreeDAxes(
            x_range=[x0, x1, tick_step((x0, x1))], y_range=[y0, y1, tick_step((y0, y1))],
            z_range=[*self.z_range, tick_step(self.z_range)],
            x_length=(x1 - x0) * scale, y_length=(y1 - y0) * scale, z_length=SURFACE_HEIGHT,
        )
        camera = self.renderer.camera
        (left, right), (bottom, top) = SURFACE_BOX
        self.zoom = 1.0
        for _ in range(3):  # the projection is nearly linear: a few rounds of fit-and-shift settle it
            self.set_camera_orientation(**CAMERA, zoom=self.zoom)
            camera.reset_rotation_matrix()  # the camera refreshes its matrix only when it draws
            corners = np.asarray(self.axes.c2p(grid[0].ravel(), grid[1].ravel(), values.ravel()), dtype=float).T
            seen = camera.project_points(corners)
            low, high = seen[:, :2].min(axis=0), seen[:, :2].max(axis=0)
            self.zoom *= min((right - left) / (high[0] - low[0]), (top - bottom) / (high[1] - low[1]))
            offset = np.array([(left + right) / 2, (bottom + top) / 2]) - (low + high) / 2
            # the camera shows a world point p at zoom · (R p)[:2]: move the world by Rᵀ(offset / zoom)
            self.axes.shift(camera.get_rotation_matrix().T @ np.array([*offset, 0.0]) / self.zoom)
        self.set_camera_orientation(**CAMERA, zoom=self.zoom)
        self.set_camera_orientation(**CAMERA_START, zoom=CAMERA_START_ZOOM * self.zoom)

    def surface(self, resolution: int) -> Surface:
        """The landscape as a shaded surface coloured by height; faces stroked in their own colour (no seams)."""
        (x0, x1), (y0, y1) = self.box
        surface = Surface(lambda u, v: np.array([u, v, 0.0]), u_range=(x0, x1), v_range=(y0, y1),
                          resolution=resolution, fill_opacity=1.0, checkerboard_colors=False, stroke_width=0)
        for face in surface:  # lift the flat grid onto the landscape, all corners of a face at once
            x, y = face.points[:, 0], face.points[:, 1]
            face.points = np.asarray(self.axes.c2p(x, y, self.f(x, y)), dtype=float).T
        surface.set_fill_by_value(axes=self.axes, colorscale=list(self.palette.surface), axis=2)
        for face in surface:
            face.set_stroke(face.get_fill_color(), width=0.6, opacity=1.0)
        return surface

    # Section: the landscape
    def show_landscape(self) -> None:
        count = len(self.minima)
        self.step("the landscape",
                  zh="这是一片损失地形：高度就是损失 f(x, y)。" + (f"地形上有 {count} 个山谷。" if count else ""),
                  en="This is a loss landscape: the height is the loss f(x, y). "
                     + {0: "", 1: "It has one valley."}.get(count, f"It has {count} valleys."))
        light = self.surface(LIGHT)
        self.title = self.landscape_title()
        self.pin(self.title)
        self.add(light)
        self.move_camera(**CAMERA, zoom=self.zoom, added_anims=[FadeIn(light), FadeIn(self.title)], run_time=3.0)
        self.landscape = self.surface(FINE)
        self.remove(light)
        self.bring_to_back(self.landscape)  # first in the list, so it stays in the static background
        self.wait(2.5)

    def landscape_title(self) -> Mobject:
        """The named landscape's title, else the formula if it fits in the corner, else a generic name."""
        text = " ".join(self.params.raw["formula"].split())
        named = [ls for ls in gradcore.landscapes.LANDSCAPES.values() if " ".join(ls.formula.split()) == text]
        if named:
            title = self.text(self.say(named[0].title_zh, named[0].title_en), color=self.palette.muted)
        else:
            title = self.math(f"f(x, y) = {self.f.typst}", size=SIZE.LABEL, color=self.palette.muted)
            if title.width > TITLE_WIDTH:  # too long to read in the corner
                title = self.mixed(self.say("损失地形 $f(x, y)$", "the loss $f(x, y)$"), color=self.palette.muted)
        return title.to_corner(UP + LEFT, buff=0.3)

    # Section: the valleys
    def show_valleys(self) -> None:
        self.step("the valleys",
                  zh="每个谷底都是局部极小值：往哪个方向走都会升高。最低的那个才是全局极小值。",
                  en="Each valley floor is a local minimum: every way out of it goes up. "
                     "The lowest one is the global minimum.")
        pal = self.palette
        self.marks, self.valley_labels = VGroup(), VGroup()
        for index, minimum in enumerate(self.minima):  # find_minima sorts by value: the first is the global one
            is_global = index == 0
            colour = pal.good if is_global else pal.warn
            mark = _disc(self.ground(minimum.point), 0.075, colour, pal.outline)
            self.renderer.camera.add_fixed_orientation_mobjects(mark)
            words = self.say("全局极小值", "global minimum") if is_global else self.say("局部极小值", "local minimum")
            label = VGroup(self.text(words, color=colour, size=SIZE.SMALL),
                           self.math(f"f = {fmt(minimum.value)}", color=colour, size=SIZE.SMALL))
            label.arrange(DOWN, buff=0.08)
            for part in label:
                halo(part, pal.outline, 3)
            spot = self.screen(self.ground(minimum.point))
            label.next_to(spot, UP, buff=0.45)
            keep_in_frame(label)
            label.kind, label.value, label.point = ("global" if is_global else "local"), minimum.value, minimum.point
            self.marks.add(mark)
            self.valley_labels.add(label)
        if not self.minima:
            note = self.text(self.say("地图内没有极小值", "no minimum inside the map"), color=pal.warn,
                             size=SIZE.SMALL)
            self.valley_labels.add(note.next_to(self.title, DOWN, buff=0.2, aligned_edge=LEFT))
        self.pin(self.valley_labels)
        self.add(self.marks)
        self.play(FadeIn(self.marks, scale=1.5), FadeIn(self.valley_labels), run_time=1.2)
        self.wait(6.0)

    # Section: one ball
    def one_ball(self) -> None:
        run = self.run
        ending = self.ending_words(run)
        self.step("one ball",
                  zh="每一步，球沿 −η∇f 走一小段：x ← x − η∇f(x)，坡越缓步子越小。" + ending[0],
                  en="Each step moves the ball by −η∇f: x ← x − η∇f(x); the flatter the slope, the shorter "
                     "the step. " + ending[1])
        roll = self.rollout(run, self.palette.highlight)
        self.single = roll
        hud, hud_live = self.hud(roll)
        inset, inset_live = self.inset(roll)
        legend = self.arrow_legend().next_to(inset, DOWN, buff=0.35, aligned_edge=LEFT)
        self.pin(hud, inset, legend)
        self.play(FadeOut(self.valley_labels), FadeIn(roll.ball, scale=1.6), FadeIn(hud), FadeIn(inset),
                  FadeIn(legend), run_time=1.0)
        self.wait(0.5)
        tracker = ValueTracker(0.0)
        live = [*roll.followers(), *hud_live, *inset_live]
        for k in range(min(SLOW_STEPS, roll.last)):
            arrow = roll.arrows[k].set_opacity(1.0)
            shown = VGroup(arrow)
            if k == 0:  # name the arrow once, beside its tip
                name = self.math("-eta nabla f" if self.params.optimizer == "gd" else "v", size=SIZE.SMALL,
                                 color=self.palette.descent)
                shown.add(halo(name, self.palette.outline, 3).next_to(arrow.get_end(), _away(arrow), buff=0.1))
            self.pin(shown)
            self.play(GrowArrow(arrow), FadeIn(shown[1:]), run_time=0.6)
            self.wait(0.3)
            self.roll(tracker, k + 1, 0.9, live, FadeOut(shown))
            self.remove(shown)
        if roll.last > SLOW_STEPS:
            arrows = VGroup(*roll.arrows[SLOW_STEPS:])
            self.pin(arrows)
            self.roll(tracker, roll.last, _roll_time(roll.last - SLOW_STEPS),
                      [*live, (arrows, roll.show_current_arrow(SLOW_STEPS))], rate_func=linear)
            self.remove(arrows)
        end = self.end_note(roll.path).next_to(legend, DOWN, buff=0.3, aligned_edge=LEFT)
        self.pin(end)
        self.play(FadeIn(end), run_time=0.6)
        self.wait(2.0)
        self.step3_overlay = VGroup(hud, inset, legend, end)

    def ending_words(self, run: gradcore.Path) -> tuple[str, str]:
        """How the narration of step 3 ends, from the run's status and where it stopped."""
        kind = self.end_kind(run)
        return {
            "global": ("它停在了最低的谷底。", "It stops in the lowest valley."),
            "local": ("它停在一个谷底，但不是最低的那个。", "It stops in a valley, but not the lowest."),
            "flat": ("梯度几乎为零，它停了下来。", "The gradient is almost zero: it stops."),
            "moving": ("步数用完时，它还在移动。", "When the steps run out it still moves."),
            "left": ("它冲出了地图。", "It flies off the map."),
        }[kind]

    def end_kind(self, run: gradcore.Path) -> str:
        """``global``/``local`` (converged at a minimum of find_minima), ``flat``, ``moving`` or ``left``."""
        if _clip_to_box(run.points, self.box)[1] is not None or run.status == "diverged":
            return "left"
        if run.status != "converged":
            return "moving"
        index = self.minimum_index(run.x)
        if index is None:
            return "flat"
        return "global" if index == 0 else "local"

    def minimum_index(self, point: np.ndarray) -> int | None:
        """Index in ``self.minima`` of the minimum at ``point`` (within 1 % of the map), or None."""
        span = max(hi - lo for lo, hi in self.box)
        for index, minimum in enumerate(self.minima):
            if np.linalg.norm(np.asarray(point) - minimum.point) < 0.01 * span:
                return index
        return None

    def arrow_legend(self) -> Mobject:
        """What the green arrow is, and the update rule it follows."""
        pal = self.palette
        gd = self.params.optimizer == "gd"
        rule = "x arrow.l x - eta nabla f(x)" if gd else "v arrow.l beta v - eta nabla f(x), quad x arrow.l x + v"
        arrow = Arrow(np.zeros(3), 0.6 * RIGHT, buff=0, color=pal.descent, stroke_width=5, tip_length=0.16,
                      max_stroke_width_to_length_ratio=20)
        step = self.math("-eta nabla f" if gd else "v", color=pal.descent, size=SIZE.SMALL)
        eta = self.math(f"eta = {fmt(self.params.lr, 3)}" + ("" if gd else f", beta = {fmt(BETA)}"), size=SIZE.SMALL)
        first = VGroup(arrow, step, eta).arrange(RIGHT, buff=0.2)
        legend = VGroup(first, self.math(rule, size=SIZE.SMALL, color=pal.muted))
        return fit_width(legend.arrange(DOWN, aligned_edge=LEFT, buff=0.15), 3.9)

    def end_note(self, path: gradcore.Path) -> Mobject:
        """The run's status from gradcore, in words, with its step count."""
        status = _status_words(path.status, self.language)
        words = f"{status}：{path.steps} 步" if self.language == "zh" else f"{status} after {path.steps} steps"
        return fit_width(self.text(words, size=SIZE.SMALL, color=self.palette.highlight), 3.9)

    # Section: many starts
    def many_starts(self) -> None:
        self.step("many starts",
                  zh="几个球从不同地方同时出发，各自滚进脚下坡面通往的山谷。起点决定终点：局部极小值不一定是全局的。",
                  en="Several balls start at once; each rolls into the valley its slope leads to. "
                     "The start decides the end: a local minimum need not be global.")
        single = self.single
        self.play(FadeOut(VGroup(single.ball, single.dots, single.line)), FadeOut(self.step3_overlay),
                  run_time=0.8)
        self.remove(single.ball, single.dots, single.line, *self.step3_overlay)  # each was pinned on its own
        colours = _distinct_from(self.palette.series, self.palette.surface, len(self.runs))
        self.many = [self.rollout(run, colour) for run, colour in zip(self.runs, colours, strict=True)]
        tracker = ValueTracker(0.0)
        counter, counter_live = self.step_counter(tracker)
        self.pin(counter)
        self.play(FadeIn(VGroup(*(roll.ball for roll in self.many)), scale=1.6), FadeIn(counter), run_time=0.8)
        live = [pair for roll in self.many for pair in roll.followers()] + counter_live
        last = max(roll.last for roll in self.many)
        self.roll(tracker, last, _roll_time(last, shortest=2.5), live, rate_func=linear)
        self.end_labels = self.label_ends(self.many)
        self.pin(self.end_labels)
        self.play(FadeIn(self.end_labels), run_time=1.0)
        self.wait(3.0)
        self.counter = counter

    def label_ends(self, rolls: list[_Rollout]) -> VGroup:
        """One label per place where balls ended: a coloured dot per ball, then what the place is."""
        pal = self.palette
        groups: dict[object, list[int]] = {}
        for index, roll in enumerate(rolls):
            kind = self.end_kind(roll.path)
            key = self.minimum_index(roll.path.x) if kind in ("global", "local") else f"ball {index}"
            groups.setdefault(key, []).append(index)
        labels = VGroup()
        for members in groups.values():
            first = rolls[members[0]]
            kind = self.end_kind(first.path)
            colour = {"global": pal.good, "local": pal.warn}.get(kind, pal.text)
            words = {
                "global": self.say("全局极小", "global"), "local": self.say("局部极小", "local"),
                "flat": self.say("平坦处", "flat point"), "moving": self.say("还没停", "still moving"),
                "left": self.say("离开地图", "left the map"),
            }[kind]
            dots = VGroup(*(_disc(np.zeros(3), 0.07, rolls[i].colour, pal.outline) for i in members))
            text = halo(self.mixed(f"{words} $f = {fmt(first.visible_values[-1])}$", color=colour,
                                   size=SIZE.SMALL), pal.outline, 3)
            label = VGroup(dots.arrange(RIGHT, buff=0.06), text).arrange(RIGHT, buff=0.12)
            label.add_to_back(BackgroundRectangle(label, color=pal.background, fill_opacity=0.6, buff=0.08))
            label.next_to(self.screen(first.ball_at(first.last)), UP, buff=0.22)  # a box: trails pass beneath
            keep_in_frame(label)
            label.kind, label.members = kind, members
            labels.add(label)
        _spread(labels)
        return labels

    # Section: step size
    def step_size(self) -> None:
        self.panels = [self.panel(index, path) for index, path in enumerate(self.comparison)]
        zh = "俯视图，同一起点：" + "；".join(panel.verdict_line("zh") for panel in self.panels) + "。"
        en = "Top view, one start: " + "; ".join(panel.verdict_line("en") for panel in self.panels) + "."
        self.step("step size", zh=zh, en=en)
        cover = self.cover()
        self.play(FadeIn(cover), run_time=0.8)
        gone = [self.landscape, self.marks, self.end_labels, self.counter, cover, self.title,
                *(mob for roll in self.many for mob in (roll.ball, roll.dots, roll.line))]
        self.remove(*gone)  # hidden behind the cover: drop the 3D picture, so no later frame draws it
        maps = VGroup(*(panel.static for panel in self.panels))
        trails = VGroup(*(VGroup(panel.roll.line, panel.roll.dots) for panel in self.panels))
        tracker = ValueTracker(0.0)
        counter, counter_live = self.step_counter(tracker)
        counter.to_corner(UP + LEFT, buff=0.3)
        self.pin(maps, trails, counter)  # maps first: what moves must come after what stays
        self.play(FadeOut(self.cover()), run_time=1.0)  # the maps appear as the cover lifts: drawn only once
        balls = VGroup(*(panel.roll.ball for panel in self.panels))
        self.pin(balls)
        self.play(FadeIn(balls, scale=1.5), run_time=0.5)
        live = [pair for panel in self.panels for pair in panel.roll.followers()] + counter_live
        last = max(panel.roll.last for panel in self.panels)
        self.roll(tracker, last, _roll_time(last, per_step=0.15, shortest=3.0), live, rate_func=linear)
        exits = VGroup(*(panel.exit_mark for panel in self.panels if panel.exit_mark is not None))
        results = VGroup(*(panel.result for panel in self.panels))
        self.pin(exits, results)
        self.play(FadeIn(exits), FadeIn(results), run_time=1.0)
        self.wait(3.5)
        self.top_views = VGroup(maps, trails, balls, exits, results, counter)

    def level_lines(self) -> list[tuple[int, np.ndarray]]:
        """(level index, polyline) for LEVELS evenly spaced values: dense curves mean steep slopes. Computed once."""
        if not hasattr(self, "_level_lines"):
            levels = np.linspace(*self.z_range, LEVELS + 2)[1:-1]
            self._level_lines = [(i, line) for i, level in enumerate(levels)
                                 for line in gradcore.level_curves(self.f, self.box, level)]
        return self._level_lines

    def cover(self) -> Rectangle:
        """A pinned rectangle in the background colour over everything above the caption band."""
        cover = Rectangle(width=config.frame_width + 0.2, height=config.frame_height / 2 - CAPTION_TOP,
                          stroke_width=0, fill_color=self.palette.background, fill_opacity=1.0)
        cover.move_to([0, (config.frame_height / 2 + CAPTION_TOP) / 2, 0])
        self.pin(cover)
        return cover

    def panel(self, index: int, path: gradcore.Path) -> _Panel:
        """One top view: level curves, minima, the path clipped to the map, its η, verdict and result."""
        pal = self.palette
        count = len(self.comparison)
        (x0, x1), (y0, y1) = self.box
        width = min(PANEL_SIZE, (13.6 - 0.45 * (count - 1)) / count)
        scale = width / max(x1 - x0, y1 - y0)
        axes = Axes(x_range=[x0, x1, tick_step((x0, x1))], y_range=[y0, y1, tick_step((y0, y1))],
                    x_length=(x1 - x0) * scale, y_length=(y1 - y0) * scale, tips=False,
                    axis_config={"stroke_width": 0, "include_ticks": False})
        axes.move_to([(index - (count - 1) / 2) * (width + 0.45), 0.8, 0])
        middle = axes.c2p((x0 + x1) / 2, (y0 + y1) / 2)
        frame = Rectangle(width=axes.x_length, height=axes.y_length, color=pal.axes, stroke_width=2).move_to(middle)
        curves = VGroup()
        for level_index, line in self.level_lines():
            colour = _mix(pal.curve, pal.muted, level_index / max(1, LEVELS - 1))
            curve = VMobject(stroke_color=colour, stroke_width=1.6, stroke_opacity=0.85)
            curves.add(curve.set_points_as_corners(np.asarray(axes.c2p(line[:, 0], line[:, 1]), dtype=float).T))
        marks = VGroup(*(_disc(axes.c2p(*m.point), 0.06, pal.good if i == 0 else pal.warn, pal.outline)
                         for i, m in enumerate(self.minima)))
        start = _disc(axes.c2p(*path.points[0]), 0.06, pal.text, pal.outline)
        eta = self.math(f"eta = {fmt(path.hyper['lr'], 3)}", size=SIZE.BODY).next_to(frame, UP, buff=0.15)
        colour = pal.highlight  # the same ball in every view; the verdict's colour says how it went

        def flat(xy: np.ndarray) -> np.ndarray:
            return axes.c2p(float(xy[0]), float(xy[1]))

        roll = _Rollout(path, colour, self.box, flat, flat, self.f, pal.outline, ball_radius=0.09,
                        dot_radius=0.035)
        panel = _Panel(index, path, axes, roll, _verdict(path, roll))
        panel.static = VGroup(frame, curves, marks, start, eta)
        verdict = self.text(panel.verdict_text(self.language), size=SIZE.SMALL,
                            color=pal.good if panel.verdict == "arrived" else pal.warn)
        status = self.text(f"{_status_words(path.status, self.language)} · {path.steps} {self.say('步', 'steps')}",
                           size=SIZE.SMALL)
        loss = self.math(f"f = {_loss(path.fun)}", size=SIZE.SMALL)
        panel.result = VGroup(verdict, status, loss).arrange(DOWN, buff=0.1).next_to(frame, DOWN, buff=0.15)
        fit_width(panel.result, width + 0.3)
        if roll.exit_step is not None:
            edge = roll.ground(roll.visible[-1])
            outward = (edge - middle) / max(np.linalg.norm(edge - middle), 1e-9)
            pointer = Arrow(edge, edge + 0.35 * outward, buff=0, color=pal.warn, stroke_width=5, tip_length=0.16,
                            max_stroke_width_to_length_ratio=20)
            words = self.say(f"第 {roll.exit_step} 步离开地图", f"left the map at step {roll.exit_step}")
            label = self.text(words, size=SIZE.SMALL, color=pal.warn)
            if label.width > width - 0.2:  # a narrow panel: two lines rather than smaller letters
                label = self.text(words.replace(" 步", " 步\n").replace(" at", "\nat"), size=SIZE.SMALL,
                                  color=pal.warn)
            label = halo(label, pal.outline, 3).next_to(frame.get_top(), DOWN, buff=0.12)
            panel.exit_mark = VGroup(pointer, label)
        return panel

    # Section: summary
    def summary(self) -> None:
        self.step("summary",
                  zh="梯度下降就是沿 −∇f 一步步往下走。起点决定落进哪个山谷；步长 η 决定是爬、是到达，还是冲过头。",
                  en="Gradient descent takes small steps along −∇f. The start picks the valley; η decides "
                     "whether you crawl, arrive or overshoot.")
        pal = self.palette
        cover = self.cover()
        self.play(FadeIn(cover), run_time=0.8)  # covering costs less than fading every level curve out
        self.remove(*self.top_views, cover)  # each part was pinned on its own
        self.show_summary(
            self.mixed(self.say("更新规则：$x_(k+1) = x_k - eta nabla f(x_k)$，沿下坡方向走一小步",
                                "the update $x_(k+1) = x_k - eta nabla f(x_k)$: a small step downhill"),
                       color=pal.descent),
            self.mixed(self.say("起点决定落进哪个山谷：局部极小值不一定是全局极小值",
                                "the start decides the valley: a local minimum need not be the global one"),
                       color=pal.warn),
            self.mixed(self.say("步长 $eta$：太小爬不动，合适就到达，太大会冲过头、飞出去",
                                "the step size $eta$: too small crawls, well chosen arrives, too large overshoots"),
                       color=pal.text),
            line_pause=0.8, hold=3.0,
        )

    # --- moving pieces ----------------------------------------------------------
    def rollout(self, path: gradcore.Path, colour: str) -> _Rollout:
        """A ball resting on the surface, with its trail, for one gradcore path (clipped to the map)."""
        roll = _Rollout(path, colour, self.box, self.ground, self.ball_point, self.f, self.palette.outline,
                        ball_radius=BALL_RADIUS, dot_radius=0.04, samples=8)
        roll.arrows = [self.step_arrow(roll, k) for k in range(roll.last)]
        camera = self.renderer.camera
        for mob in (roll.ball, *roll.dots):  # round from any angle, at their 3D centres
            camera.add_fixed_orientation_mobjects(mob)
        self.add(roll.line, roll.dots)
        return roll

    def step_arrow(self, roll: _Rollout, k: int) -> Arrow:
        """Step k as the viewer sees it: from the ball at point k to the ball at point k + 1 (pinned, hidden)."""
        start, end = self.screen(roll.ball_at(k)), self.screen(roll.ball_at(k + 1))
        arrow = Arrow(start, end, buff=0, color=self.palette.descent, stroke_width=5, tip_length=0.15,
                      max_tip_length_to_length_ratio=0.45, max_stroke_width_to_length_ratio=25)
        arrow.visible_on_screen = bool(np.linalg.norm(end - start) > 0.06)
        return arrow.set_opacity(0)

    def roll(self, tracker: ValueTracker, to: float, run_time: float, live: list[tuple[Mobject, Callable]],
             *extra, rate_func=None) -> None:
        """Advance the step number to ``to``; each ``(mobject, follow(mobject, s))`` follows it meanwhile.

        The updaters live only during this play, so later waits are frozen frames.
        """
        for mob, follow in live:
            mob.add_updater(lambda m, follow=follow: follow(m, tracker.get_value()))
        kwargs = {"rate_func": rate_func} if rate_func is not None else {}
        self.play(tracker.animate(**kwargs).set_value(to), *extra, run_time=run_time)
        for mob, follow in live:
            mob.clear_updaters()
            follow(mob, to)  # land exactly on the final value

    def live_number(self, number: Mobject, value: Callable[[float], float]) -> tuple[Mobject, Callable]:
        """A pinned DecimalNumber showing ``value(s)``.

        ``set_value`` rebuilds the digits as new submobjects, which the 3D camera
        does not know are pinned; each update pins them again.
        """
        fixed = self.renderer.camera.fixed_in_frame_mobjects

        def follow(mob: Mobject, s: float) -> None:
            mob.set_value(value(s))
            fixed.update(mob.get_family())

        return number, follow

    def step_counter(self, tracker: ValueTracker) -> tuple[VGroup, list]:
        """'step k', pinned under the title, with its follower."""
        number = self.number(0, decimals=0, size=SIZE.BODY)
        row = VGroup(self.text(self.say("步数", "step"), size=SIZE.LABEL), number).arrange(RIGHT, buff=0.2)
        row.next_to(self.title, DOWN, buff=0.25, aligned_edge=LEFT)
        return row, [self.live_number(number, lambda s: np.floor(s + 1e-9))]

    def hud(self, roll: _Rollout) -> tuple[VGroup, list]:
        """Step counter and current loss under the title, with their followers."""
        pal = self.palette
        step_number = self.number(0, decimals=0, size=SIZE.BODY)
        loss_number = self.number(roll.path.values[0], decimals=2, size=SIZE.BODY, color=pal.highlight)
        rows = VGroup(
            VGroup(self.text(self.say("步数", "step"), size=SIZE.LABEL), step_number).arrange(RIGHT, buff=0.2),
            VGroup(self.math("f =", size=SIZE.BODY, color=pal.highlight), loss_number).arrange(RIGHT, buff=0.15),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        rows.next_to(self.title, DOWN, buff=0.25, aligned_edge=LEFT)
        return rows, [self.live_number(step_number, lambda s: np.floor(s + 1e-9)),
                      self.live_number(loss_number, roll.value_at)]

    def inset(self, roll: _Rollout) -> tuple[VGroup, list]:
        """Loss against step number, growing with the ball; a dashed line at the global minimum's value."""
        pal = self.palette
        values = roll.visible_values
        lo = min([float(values.min())] + [m.value for m in self.minima[:1]])
        hi = float(values.max())
        pad = 0.08 * max(hi - lo, 1e-6)
        y_range = (lo - pad, hi + pad)
        last = max(roll.last, 1)
        axes = Axes(x_range=[0, last, tick_step((0, last))], y_range=[*y_range, tick_step(y_range)],
                    x_length=3.5, y_length=1.9, tips=False,
                    axis_config={"color": pal.axes, "stroke_width": 2, "include_numbers": False, "tick_size": 0.05})
        axes.to_corner(UP + RIGHT, buff=0.45).shift(0.1 * DOWN)
        f_label = self.math("f", size=SIZE.SMALL, color=pal.muted).next_to(axes.y_axis, UP, buff=0.08)
        end_tick = self.math(str(last), size=SIZE.SMALL, color=pal.muted)
        end_tick.next_to(axes.c2p(last, y_range[0]), DOWN, buff=0.1)
        step_label = self.text(self.say("步数", "step"), size=SIZE.SMALL, color=pal.muted)
        step_label.next_to(end_tick, LEFT, buff=0.25)
        parts = VGroup(axes, f_label, step_label, end_tick)
        if self.minima:
            best = self.minima[0].value
            guide = DashedLine(axes.c2p(0, best), axes.c2p(last, best), color=pal.good, stroke_width=2)
            parts.add(guide, self.math(fmt(best), size=SIZE.SMALL, color=pal.good).next_to(guide, LEFT, buff=0.08))
        curve = VMobject(stroke_color=pal.highlight, stroke_width=3)
        head = Dot(axes.c2p(0, values[0]), radius=0.05, color=pal.highlight)

        def corners(s: float) -> list[np.ndarray]:
            k = int(np.floor(s + 1e-9))
            points = [axes.c2p(j, values[j]) for j in range(k + 1)]
            if s > k + 1e-9:
                points.append(axes.c2p(s, roll.value_at(s)))
            return points if len(points) > 1 else points * 2

        curve.set_points_as_corners(corners(0.0))
        self.inset_axes, self.inset_curve = axes, curve
        return VGroup(parts, curve, head), [
            (curve, lambda mob, s: mob.set_points_as_corners(corners(s))),
            (head, lambda mob, s: mob.move_to(corners(s)[-1])),
        ]


# --- small private helpers ---------------------------------------------------------


class _Rollout:
    """One gradcore path drawn as a ball with a trail, driven by a continuous step number ``s``.

    ``visible`` holds the path's points up to where it first leaves the map; the
    last of them is then the crossing of the map's edge and ``exit_step`` the
    first step outside (else None). Between steps the ball moves straight in
    (x, y), resting on the surface; after leaving the map it is hidden.

    Parameters
    ----------
    ground, ball_point
        Map an input point (x, y) to the scene point of the surface and of a
        ball's centre there (the same in a flat top view).
    samples
        Points per step of the trail line (more where it must hug a surface).
    """

    def __init__(self, path: gradcore.Path, colour: str, box, ground: Callable, ball_point: Callable,
                 f: Callable, outline: str, *, ball_radius: float, dot_radius: float, samples: int = 1):
        self.path, self.colour, self.ground, self.ball_point, self.f = path, colour, ground, ball_point, f
        self.samples = samples
        self.visible, self.exit_step = _clip_to_box(path.points, box)
        self.visible_values = np.array([float(f(*p)) for p in self.visible])
        self.ball = _disc(self.ball_at(0), ball_radius, colour, outline, width=2.5)
        self.dots = VGroup(*(_disc(ground(p), dot_radius, colour, outline, width=1) for p in self.visible[:-1]))
        self.dots.set_opacity(0)
        self.dense = np.array([ground(self.xy(k / samples)) for k in range(self.last * samples + 1)])
        self.line = VMobject(stroke_color=colour, stroke_width=3, stroke_opacity=0.9)
        self.line.set_points_as_corners([self.dense[0], self.dense[0]])
        self.arrows: list[Arrow] = []

    @property
    def last(self) -> int:
        """Index of the last visible point: the number of steps drawn."""
        return len(self.visible) - 1

    def xy(self, s: float) -> np.ndarray:
        """Input point at step number ``s``: straight between steps, held at the end."""
        if self.last == 0:
            return self.visible[0]
        s = min(max(s, 0.0), float(self.last))
        k = min(int(np.floor(s)), self.last - 1)
        return self.visible[k] + (s - k) * (self.visible[k + 1] - self.visible[k])

    def ball_at(self, s: float) -> np.ndarray:
        return self.ball_point(self.xy(s))

    def value_at(self, s: float) -> float:
        return float(self.f(*self.xy(s)))

    def followers(self) -> list[tuple[Mobject, Callable]]:
        """How the ball, trail dots and trail line follow the step number."""

        def place_ball(mob: Mobject, s: float) -> None:
            mob.move_to(self.ball_at(s))
            if self.exit_step is not None:
                mob.set_opacity(0.0 if s >= self.last - 1e-9 else 1.0)

        def show_dots(mob: VGroup, s: float) -> None:
            for index, dot in enumerate(mob):
                dot.set_opacity(1.0 if index < s - 1e-9 else 0.0)  # a dot stays where the ball has been

        def draw_line(mob: VMobject, s: float) -> None:
            s = min(s, float(self.last))
            n = int(np.floor(s * self.samples + 1e-9))
            mob.set_points_as_corners([*self.dense[: n + 1], self.ground(self.xy(s))])

        return [(self.ball, place_ball), (self.dots, show_dots), (self.line, draw_line)]

    def show_current_arrow(self, first: int) -> Callable:
        """Follower for the group of arrows ``first, first + 1, ...``: only the current step's shows."""

        def show(group: VGroup, s: float) -> None:
            k = int(np.floor(s + 1e-9))
            for index, arrow in enumerate(group, start=first):
                arrow.set_opacity(1.0 if index == k and arrow.visible_on_screen else 0.0)

        return show


class _Panel:
    """One top view of step 5: its path, drawing, verdict and result lines."""

    def __init__(self, index: int, path: gradcore.Path, axes: Axes, roll: _Rollout, verdict: str):
        self.index, self.path, self.axes, self.roll, self.verdict = index, path, axes, roll, verdict
        self.static = VGroup()
        self.result = VGroup()
        self.exit_mark: VGroup | None = None

    def verdict_text(self, language: str) -> str:
        zh, en = {
            "left": ("太大：冲出地图", "too large: flies off"),
            "arrived": ("合适：到达谷底", "well chosen: arrives"),
            "zigzag": ("太大：来回跳", "too large: zig-zags"),
            "crawling": ("太小：几乎不动", "too small: crawls"),
        }[self.verdict]
        return zh if language == "zh" else en

    def verdict_line(self, language: str) -> str:
        """This panel's part of the narration."""
        eta, steps = fmt(self.path.hyper["lr"], 3), self.path.steps
        if self.verdict == "left" and self.path.status == "diverged":
            zh, en = f"η = {eta} 冲过头，发散", f"η = {eta} overshoots and diverges"
        else:
            zh, en = {
                "left": (f"η = {eta} 冲出地图", f"η = {eta} overshoots off the map"),
                "arrived": (f"η = {eta} 走 {steps} 步到达", f"η = {eta} arrives in {steps} steps"),
                "zigzag": (f"η = {eta} 来回跳", f"η = {eta} zig-zags"),
                "crawling": (f"η = {eta} 几乎不动", f"η = {eta} barely moves"),
            }[self.verdict]
        return zh if language == "zh" else en


def _verdict(path: gradcore.Path, roll: _Rollout) -> str:
    """What a run did, read from gradcore's path: ``left``, ``arrived``, ``zigzag`` or ``crawling``."""
    if roll.exit_step is not None or path.status == "diverged":
        return "left"
    if path.status == "converged":
        return "arrived"
    if np.any(np.diff(path.values) > 0):
        return "zigzag"  # the loss went up somewhere: a step overshot
    return "crawling"


def _roll_time(steps: int, per_step: float = FAST_STEP_TIME, shortest: float = 1.5, longest: float = 9.0) -> float:
    """Seconds for ``steps`` steps at ``per_step`` each, kept between ``shortest`` and ``longest``."""
    return float(np.clip(per_step * steps, shortest, longest))


def _away(arrow: Arrow) -> np.ndarray:
    """The side of an arrow's tip to put its name on: straight ahead of it, rounded to a compass direction."""
    direction = arrow.get_end() - arrow.get_start()
    return RIGHT * np.sign(direction[0]) if abs(direction[0]) >= abs(direction[1]) else UP * np.sign(direction[1])


def _disc(centre: np.ndarray, radius: float, colour: str, outline: str, width: float = 1.5) -> Dot:
    """A flat round marker with an outline (a ball, a trail dot, a minimum)."""
    return Dot(centre, radius=radius, color=colour).set_stroke(outline, width=width)


def _clip_to_box(points: np.ndarray, box) -> tuple[np.ndarray, int | None]:
    """The points up to the first one outside ``box``, that one replaced by the crossing of the box's edge.

    Returns the kept points, shape ``(k, 2)``, and the index of the first point
    outside (None if every point is inside). Everything returned is finite.

    Examples
    --------
    >>> kept, leaves = _clip_to_box(np.array([[0.0, 0.0], [0.5, 0.0], [2.0, 0.0]]), ((-1, 1), (-1, 1)))
    >>> kept.tolist(), leaves
    ([[0.0, 0.0], [0.5, 0.0], [1.0, 0.0]], 2)
    """
    lo = np.array([box[0][0], box[1][0]])
    hi = np.array([box[0][1], box[1][1]])
    points = np.asarray(points, dtype=float)
    inside = np.all(np.isfinite(points) & (points >= lo) & (points <= hi), axis=1)
    if inside.all():
        return points.copy(), None
    first = int(np.argmin(inside))
    if first == 0:
        return np.clip(np.nan_to_num(points[:1]), lo, hi), 0
    a, b = points[first - 1], points[first]
    d = b - a
    with np.errstate(divide="ignore", invalid="ignore"):
        ts = np.concatenate([np.where(d > 0, (hi - a) / d, np.inf), np.where(d < 0, (lo - a) / d, np.inf)])
    t = float(np.clip(np.min(ts[np.isfinite(ts)], initial=1.0), 0.0, 1.0))
    crossing = np.clip(a + t * np.nan_to_num(d), lo, hi)
    return np.vstack([points[:first], crossing]), first




def _mix(a: str, b: str, t: float) -> str:
    """The colour ``t`` of the way from ``a`` to ``b`` (both palette colours)."""
    return ManimColor(a).interpolate(ManimColor(b), t).to_hex()


def _distinct_from(colours: tuple[str, ...], backdrop: tuple[str, ...], count: int) -> list[str]:
    """``count`` of ``colours`` (in palette order) that stand out most against the ``backdrop`` colours."""
    backdrop_rgb = [ManimColor(c).to_rgb() for c in backdrop]
    if len(backdrop_rgb) == 2:  # a colour ramp: also check its middle
        backdrop_rgb.append((backdrop_rgb[0] + backdrop_rgb[1]) / 2)

    def contrast(colour: str) -> float:
        rgb = ManimColor(colour).to_rgb()
        return min(float(np.linalg.norm(rgb - other)) for other in backdrop_rgb)

    best = sorted(range(len(colours)), key=lambda i: -contrast(colours[i]))[:count]
    return [colours[i] for i in sorted(best)]


def _loss(value: float) -> str:
    """A final loss as Typst maths: plain below 10⁴, else a × 10ⁿ (gradcore keeps it finite)."""
    if abs(value) < 1e4:
        return fmt(value, 3)
    exponent = int(np.floor(np.log10(abs(value))))
    return f"{fmt(value / 10**exponent, 1)} times 10^({exponent})"


def _status_words(status: str, language: str) -> str:
    """gradcore's stop reason in words."""
    zh, en = {"converged": ("收敛", "converged"), "max_steps": ("步数用完", "out of steps"),
              "diverged": ("发散", "diverged")}[status]
    return zh if language == "zh" else en


def _spread(labels: VGroup, gap: float = 0.08) -> None:
    """Nudge overlapping labels apart upwards (a few labels: one pass from the bottom)."""
    items = sorted(labels, key=lambda m: m.get_y())
    for i, upper in enumerate(items):
        for lower in items[:i]:
            side_by_side = lower.get_right()[0] < upper.get_left()[0] or upper.get_right()[0] < lower.get_left()[0]
            if not side_by_side and upper.get_bottom()[1] < lower.get_top()[1] + gap:
                upper.shift((lower.get_top()[1] + gap - upper.get_bottom()[1]) * UP)




__all__ = ["BallDescent"]
