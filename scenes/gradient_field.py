"""The gradient vector field: from the 3D bowl to a map of arrows, then downhill into the valleys.

Render: manim render -ql scenes/gradient_field.py GradientField

One picture is shared by every step: a square map on the left (the plane of
the inputs ``(x, y)``, one scale for both axes so right angles stay right) and
a text panel on the right. Step 1 shows the surface ``z = f(x, y)`` above the
map with one camera move; step 2 fades the surface into its level curves, then
turns the camera to look straight down while the curves drop onto the map.
From then on the 3D camera shows the plane exactly as a 2D scene would.

Cost notes (Cairo): the only camera move over the surface runs over a light
one (18 × 18 faces, no strokes); the move to the top view carries lines only.
The arrow field is drawn as a handful of VMobjects (one shaft path and one tip
path per colour of the magnitude scale), built once and animated as a whole
(growing in, dimming, turning around); flow lines grow by
``pointwise_become_partial`` of paths computed once by ``gradcore.descend``.
The camera's frame centre never moves: Manim's Cairo camera keeps the frame
centre of the first frame it draws, so a moved centre shifts everything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from manim import (
    DEGREES,
    DOWN,
    LEFT,
    ORIGIN,
    OUT,
    RIGHT,
    UP,
    AnimationGroup,
    Arrow,
    Axes,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    GrowArrow,
    Line,
    ManimColor,
    Mobject,
    Rectangle,
    Surface,
    Transform,
    UpdateFromAlphaFunc,
    VGroup,
    VMobject,
    color_gradient,
    linear,
)

import gradcore
from scenes.toolkit import SIZE, LectureThreeDScene, Param
from scenes.toolkit.plotting import fit_width, fmt, place_label, tick_step
from scenes.toolkit.text import halo

BOWL, VALLEYS = gradcore.landscapes.BOWL, gradcore.landscapes.VALLEYS

# --- layout (frame units; the frame spans x ∈ [−7.1, 7.1], y ∈ [−4, 4], captions below y = −3.05) ---
MAP_CENTRE = np.array([-3.35, 0.45, 0.0])  # middle of the map of (x, y)
MAP_SIZE = 5.8  # on-screen length of the map's longer side; both axes share one scale
PANEL_TOP_LEFT = np.array([0.55, 3.55, 0.0])
PANEL_WIDTH = 6.3

# --- the 3D step -----------------------------------------------------------------------------
SURFACE_RES = 18  # faces per side: the surface is redrawn every frame while the camera moves
SURFACE_OPACITY = 0.72  # the map and its arrows stay visible through the surface
GAP = 0.5  # world height between the map (z = 0) and the surface's lowest point
HEIGHT = 3.0  # world height from the lowest to the highest value of f on the map
# The camera turns about the world origin (its frame centre stays there: Manim's Cairo camera keeps
# the first frame centre it draws with); seen from the front (theta near −90°) the map, centred at
# MAP_CENTRE, lands left of the panel.
CAMERA_START = {"phi": 77 * DEGREES, "theta": -100 * DEGREES, "zoom": 0.72}
CAMERA_SHOW = {"phi": 60 * DEGREES, "theta": -86 * DEGREES, "zoom": 0.74}
POINT_ARROW = 1.6  # world length of the longest gradient arrow under the points of step 1

# --- the field ---------------------------------------------------------------------------------
MAGNITUDE_BINS = 8  # colours of the magnitude scale (one shaft path and one tip path each)
ARROW_WIDTH = 3.0  # stroke width of the field's shafts
TIP_LENGTH = 0.13  # longest arrow tip (frame units); shorter arrows get a tip of 40 % of their length
LEVELS = 9  # level curves of the bowl; the second landscape gets LEVELS + 2
CONTOUR_GRID = 120  # marching-squares cells per side
NORMAL_ARROWS = 5  # arrows drawn on the highlighted level curve in step 3
NORMAL_LENGTH = 0.75  # their on-screen length (shorter where the map's edge is near)
ELBOW = 0.2  # side of the right-angle marks

# --- flow lines --------------------------------------------------------------------------------
FLOW_STEP = 0.004  # the steepest step moves 0.4 % of the map's width: η = FLOW_STEP · span / max|∇f|
FLOW_STEPS = 4000  # at most this many steps per flow line
FLOW_TOL = 5e-3  # a flow line has arrived when |∇f| < FLOW_TOL · max|∇f|
FLOW_SAMPLES = 240  # points kept per drawn flow line
FLOW_INSET = 0.92  # flow lines start on a square ring at 92 % of the map's half-widths

MAX_DENSITY, MAX_FLOWS, MAX_POINTS = 21, 24, 4


class GradientField(LectureThreeDScene):
    """The gradient field ∇f: an arrow at every point, uphill, crossing level curves at right angles."""

    config_table = "gradient_field"
    parameters = {
        "formula": Param(BOWL.formula, "the landscape f(x, y) of steps 1–4", "formula", variables=("x", "y"),
                         finite_on=("x_range", "y_range")),
        "x_range": Param(list(BOWL.x_range), "the x interval of the map (steps 1–4)", "range"),
        "y_range": Param(list(BOWL.y_range), "the y interval of the map (steps 1–4)", "range"),
        "points": Param([[1.0, 0.0], [-1.0, 1.0], [0.5, -1.5]],
                        "points on the surface whose gradient arrows are drawn in step 1 (1 to 4)", "points",
                        size=2, inside=("x_range", "y_range"), max_items=MAX_POINTS),
        "density": Param(13, "arrows per side of the map (5 to 21)", "integer", minimum=5, maximum=MAX_DENSITY),
        "normalization": Param("log", "arrow length: log = ln(1 + |∇f|), cap = |∇f| capped at its 90th "
                               "percentile, none = |∇f|, unit = all equal", "choice",
                               choices=("log", "cap", "none", "unit")),
        "level_point": Param([1.2, 0.9], "the highlighted level curve of step 3 passes through this point",
                             "point", size=2, inside=("x_range", "y_range")),
        "flow_lines": Param(12, "flow lines along −∇f in steps 4 and 5 (1 to 24)", "integer", maximum=MAX_FLOWS),
        "second_formula": Param(VALLEYS.formula, "the landscape with several valleys of step 5", "formula",
                                variables=("x", "y"), finite_on=("second_x_range", "second_y_range")),
        "second_x_range": Param(list(VALLEYS.x_range), "the x interval of the second map", "range"),
        "second_y_range": Param(list(VALLEYS.y_range), "the y interval of the second map", "range"),
    }

    @classmethod
    def check_params(cls, params) -> str | None:
        """A level curve must pass through ``level_point`` as a line, and each map needs a slope to draw."""
        for key, box in (("formula", (params.x_range, params.y_range)),
                         ("second_formula", (params.second_x_range, params.second_y_range))):
            (x0, x1), (y0, y1) = box
            grid = np.meshgrid(np.linspace(x0, x1, 61), np.linspace(y0, y1, 61))
            if np.ptp(np.broadcast_to(params[key](*grid), grid[0].shape)) < 1e-9:
                return f"key '{key}': f is constant on its map, so there are no arrows to draw"
        if np.linalg.norm(params.formula.gradient(params.level_point)) < 1e-6:
            return "key 'level_point': ∇f = 0 there, so no level curve passes through it as a line; choose another point"
        return None

    # --- construct ----------------------------------------------------------
    def construct(self) -> None:
        p = self.params
        self.bowl = self.build_view(p.formula, (p.x_range, p.y_range), LEVELS, negate=False)
        self.valleys = self.build_view(p.second_formula, (p.second_x_range, p.second_y_range), LEVELS + 2,
                                       negate=True)
        self.critical = gradcore.critical_points(self.valleys.f, self.valleys.box)
        self.bowl.minima = gradcore.find_minima(self.bowl.f, self.bowl.box)

        self.show_bowl()
        self.flatten()
        self.right_angles()
        self.downhill()
        self.many_valleys()
        self.summary()

    def build_view(self, f: gradcore.Function, box, levels: int, *, negate: bool) -> _View:
        """Everything one landscape needs on the map: axes, field, level curves, flow lines (numbers only)."""
        (x0, x1), (y0, y1) = box
        unit = MAP_SIZE / max(x1 - x0, y1 - y0)  # one scale for both axes: right angles stay right
        axes = Axes(x_range=[x0, x1, tick_step((x0, x1))], y_range=[y0, y1, tick_step((y0, y1))],
                    x_length=unit * (x1 - x0), y_length=unit * (y1 - y0), tips=False).move_to(MAP_CENTRE)
        density = self.params.density
        # Arrows sit at the centres of density × density cells, so each stays inside its own cell.
        half = ((x1 - x0) / (2 * density), (y1 - y0) / (2 * density))
        grid = gradcore.gradient_field(f, (x0 + half[0], x1 - half[0]), (y0 + half[1], y1 - half[1]),
                                       density=density, normalization=self.params.normalization, negate=negate)
        xs, ys = np.linspace(x0, x1, CONTOUR_GRID + 1), np.linspace(y0, y1, CONTOUR_GRID + 1)
        values = f(*np.meshgrid(xs, ys))
        low, high = float(values.min()), float(values.max())
        view = _View(f=f, box=box, axes=axes, grid=grid, low=low, high=max(high, low + 1e-9))
        view.levels = list(low + (view.high - low) * np.arange(1, levels + 1) / (levels + 1))
        view.contours = [(c, line) for c in view.levels for line in gradcore.level_curves_of_grid(values, xs, ys, c)]
        view.flows = _flow_paths(f, _ring(box, self.params.flow_lines), box)
        return view

    # --- the map -----------------------------------------------------------------
    def field_mobject(self, view: _View) -> _ArrowField:
        """The whole field as one mobject: arrows centred on their cells, coloured by |∇f|."""
        grid, axes = view.grid, view.axes
        centres = axes.c2p(grid.positions.reshape(-1, 2))
        vectors = axes.c2p(grid.display.reshape(-1, 2)) - axes.c2p(np.zeros((1, 2)))
        magnitudes = grid.magnitudes.reshape(-1)
        bins = np.minimum((magnitudes / max(magnitudes.max(), 1e-300) * MAGNITUDE_BINS).astype(int),
                          MAGNITUDE_BINS - 1)
        return _ArrowField(centres, vectors, bins, self.magnitude_colours(), grid.positions.reshape(-1, 2))

    def magnitude_colours(self) -> list[str]:
        return [c.to_hex() for c in color_gradient([ManimColor(c) for c in self.palette.magnitude], MAGNITUDE_BINS)]

    def map_frame(self, view: _View) -> VGroup:
        """Border of the map, and the axes x = 0 and y = 0 where they cross it."""
        axes, pal = view.axes, self.palette
        (x0, x1), (y0, y1) = view.box
        corners = axes.c2p(np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]))
        frame = VGroup(VMobject(stroke_color=pal.axes, stroke_width=2).set_points_as_corners(corners))
        if x0 < 0 < x1:
            frame.add(Line(axes.c2p(0, y0), axes.c2p(0, y1), color=pal.grid, stroke_width=2))
        if y0 < 0 < y1:
            frame.add(Line(axes.c2p(x0, 0), axes.c2p(x1, 0), color=pal.grid, stroke_width=2))
        return frame

    def map_labels(self, view: _View) -> VGroup:
        """Tick numbers along the bottom and left edges, and the names x and y."""
        axes, muted = view.axes, self.palette.muted
        (x0, x1), (y0, y1) = view.box
        labels = VGroup()
        for value in _ticks((x0, x1)):
            labels.add(self.math(fmt(value), color=muted, size=SIZE.SMALL).next_to(axes.c2p(value, y0), DOWN, 0.12))
        for value in _ticks((y0, y1)):
            labels.add(self.math(fmt(value), color=muted, size=SIZE.SMALL).next_to(axes.c2p(x0, value), LEFT, 0.12))
        labels.add(self.math("x", color=muted, size=SIZE.LABEL).next_to(axes.c2p(x1, y0), RIGHT, 0.15))
        labels.add(self.math("y", color=muted, size=SIZE.LABEL).next_to(axes.c2p(x0, y1), UP, 0.12))
        return labels

    def level_mobjects(self, view: _View, lift: bool = False) -> VGroup:
        """The level curves on the map, or (``lift``) raised to their height on the 3D surface."""
        group = VGroup()
        for level, line in view.contours:
            points = view.axes.c2p(line)
            if lift:
                points = points + self.height(view, level) * OUT
            group.add(VMobject(stroke_color=self.palette.muted, stroke_width=2, stroke_opacity=0.85)
                      .set_points_as_corners(points))
        return group

    def height(self, view: _View, value) -> np.ndarray:
        """World height above the map of the surface point with value ``value``."""
        return GAP + HEIGHT * (np.asarray(value) - view.low) / (view.high - view.low)

    def world(self, view: _View, xy) -> np.ndarray:
        """World point of the surface above ``xy``."""
        x, y = float(xy[0]), float(xy[1])
        return view.axes.c2p(x, y) + float(self.height(view, view.f(x, y))) * OUT

    def hold(self, *mobjects: Mobject) -> None:
        """Make panel mobjects fixed in the frame without showing them yet (a later FadeIn shows them)."""
        self.pin(*mobjects)
        self.remove(*mobjects)

    def panel(self, *mobjects: Mobject, below: Mobject | None = None, buff: float = 0.3) -> VGroup:
        """Left-align mobjects in the right-hand panel, under ``below`` (or at its top)."""
        for mobject in mobjects:
            fit_width(mobject, PANEL_WIDTH)
        group = VGroup(*mobjects).arrange(DOWN, aligned_edge=LEFT, buff=0.22)
        if below is None:
            group.move_to(PANEL_TOP_LEFT, aligned_edge=UP + LEFT)
        else:
            group.next_to(below, DOWN, buff=buff, aligned_edge=LEFT)
            group.set_x(PANEL_TOP_LEFT[0], direction=LEFT)
        return group

    # Section: the bowl
    def show_bowl(self) -> None:
        self.step("the bowl",
                  zh="曲面 z = f(x, y) 是一个碗。碗面上每个点的正下方，(x, y) 平面里的箭头就是那里的梯度 ∇f，指向最陡的上坡方向。",
                  en="The surface z = f(x, y) is a bowl. Below each point, in the (x, y) plane, the gradient ∇f points the steepest way uphill.")
        view, pal = self.bowl, self.palette
        self.floor = self.map_frame(view)
        self.surface = self.surface_mobject(view)
        self.title = self.panel(self.landscape_title(self.params.raw["formula"], view.f, "z"))
        gx, gy = view.f.gradient_typst
        self.gradient_formula = self.panel(self.math(f"nabla f = ({gx}, {gy})", color=pal.gradient),
                                           below=self.title)
        self.hold(self.title, self.gradient_formula)

        self.set_camera_orientation(**CAMERA_START)
        self.add(self.floor, self.surface)
        self.move_camera(**CAMERA_SHOW, added_anims=[FadeIn(self.surface), Create(self.floor), FadeIn(self.title)], run_time=3.5)
        self.wait(0.5)

        gradients = view.f.gradient(self.params.points)
        scale = POINT_ARROW / max(float(np.linalg.norm(gradients, axis=1).max()), 1e-12) / _unit(view.axes)
        self.point_marks, self.point_arrows, rows = VGroup(), VGroup(), []
        for xy, g in zip(self.params.points, gradients, strict=True):
            top, foot = self.world(view, xy), view.axes.c2p(*xy)
            dot = Dot(top, radius=0.07, color=pal.highlight).set_stroke(pal.outline, width=1.5)
            self.renderer.camera.add_fixed_orientation_mobjects(dot)
            base = Dot(foot, radius=0.05, color=pal.highlight)
            drop = DashedLine(top, foot, color=pal.muted, stroke_width=2)
            self.point_marks.add(VGroup(dot, drop, base))
            tip = view.axes.c2p(*(np.asarray(xy) + scale * g))
            arrow = _arrow(foot, tip, pal.gradient, width=5)
            arrow.point = np.asarray(xy)
            self.point_arrows.add(arrow)
            rows.append(self.math(f"nabla f({fmt(xy[0])}, {fmt(xy[1])}) = ({fmt(g[0])}, {fmt(g[1])})",
                                  color=pal.gradient, size=SIZE.LABEL))
        self.point_rows = self.panel(*rows, below=self.gradient_formula, buff=0.45)
        self.hold(self.point_rows)
        self.play(FadeIn(self.point_marks), FadeIn(self.gradient_formula), run_time=1.2)
        self.play(*(GrowArrow(a) for a in self.point_arrows), FadeIn(self.point_rows), run_time=1.5)
        self.wait(2.5)

    def surface_mobject(self, view: _View) -> Surface:
        """The landscape above the map, coloured by height; light enough to turn the camera around it."""
        (x0, x1), (y0, y1) = view.box
        surface = Surface(lambda u, v: self.world(view, (u, v)), u_range=(x0, x1), v_range=(y0, y1),
                          resolution=SURFACE_RES, fill_opacity=SURFACE_OPACITY, stroke_width=0,
                          checkerboard_colors=False)
        low, high = (ManimColor(c) for c in self.palette.surface)
        for face in surface:
            share = (face.get_center()[2] - GAP) / HEIGHT
            face.set_fill(low.interpolate(high, float(np.clip(share, 0, 1))), opacity=SURFACE_OPACITY)
        return surface

    def landscape_title(self, raw: str, f: gradcore.Function, name: str = "f") -> Mobject:
        """``z = formula`` with the landscape's title when the formula is one of gradcore's named landscapes."""
        formula = self.math(f"{name} = {f.typst}", color=self.palette.text, size=SIZE.BODY)
        text = " ".join(raw.split())
        for named in gradcore.landscapes.LANDSCAPES.values():
            if " ".join(named.formula.split()) == text:
                title = self.text(self.say(named.title_zh, named.title_en), color=self.palette.highlight,
                                  size=SIZE.BODY)
                if formula.width > PANEL_WIDTH:
                    return title
                return VGroup(title, formula).arrange(DOWN, aligned_edge=LEFT, buff=0.18)
        return formula

    # Section: flatten
    def flatten(self) -> None:
        self.step("flatten",
                  zh="从正上方看，曲面只剩下等高线。在每一点画出 ∇f：碗底为零，越靠近边缘越长。",
                  en="From straight above, only the level curves remain. Draw ∇f at every point: zero at the bottom, longer toward the rim.")
        view = self.bowl
        lifted, flat = self.level_mobjects(view, lift=True), self.level_mobjects(view)
        self.play(FadeOut(self.point_marks), FadeOut(self.point_arrows), FadeOut(self.point_rows), run_time=0.8)
        self.play(FadeOut(self.surface), Create(lifted), run_time=2.0)
        self.move_camera(phi=0, theta=-90 * DEGREES, zoom=1.0, added_anims=[Transform(lifted, flat)], run_time=3.0)
        self.remove(lifted)
        self.levels_drawn = flat
        self.add(flat)
        self.labels = self.map_labels(view)
        self.play(FadeIn(self.labels), run_time=0.6)

        self.field = self.field_mobject(view)
        view.field = self.field
        self.legend = self.panel(*self.field_legend(view), below=self.gradient_formula, buff=0.45)
        self.hold(self.legend)
        self.add(self.field)
        self.play(self.field.grow(), FadeIn(self.legend), run_time=2.5)
        self.wait(2.5)

    def field_legend(self, view: _View) -> list[Mobject]:
        """Lines of the panel explaining the arrows: what they are, the colour bar, the length scale, level curves."""
        pal = self.palette
        colours = self.magnitude_colours()
        bar = VGroup(*(Rectangle(width=0.42, height=0.24, stroke_width=0, fill_color=c, fill_opacity=1)
                       for c in colours)).arrange(RIGHT, buff=0)
        magnitudes = view.grid.magnitudes
        ends = VGroup(self.math(fmt(0), color=pal.muted, size=SIZE.SMALL).next_to(bar, LEFT, 0.15),
                      self.math(fmt(magnitudes.max()), color=pal.muted, size=SIZE.SMALL).next_to(bar, RIGHT, 0.15))
        name = self.math("|nabla f|", color=pal.text, size=SIZE.LABEL)
        scale = VGroup(name, VGroup(bar, ends)).arrange(RIGHT, buff=0.3)
        lengths = {
            "log": self.say("箭头长度 ∝ ln(1 + |∇f|)", "arrow length ∝ ln(1 + |∇f|)"),
            "cap": self.say("箭头长度 ∝ |∇f|（过长的截断）", "arrow length ∝ |∇f| (longest ones capped)"),
            "none": self.say("箭头长度 ∝ |∇f|", "arrow length ∝ |∇f|"),
            "unit": self.say("箭头等长：看方向和颜色", "equal lengths: read direction and colour"),
        }[self.params.normalization]
        sample = Line(ORIGIN, 0.6 * RIGHT, color=pal.muted, stroke_width=2)
        levels = VGroup(sample, self.mixed(self.say("等高线 $f = c$", "level curves $f = c$"), color=pal.muted,
                                           size=SIZE.SMALL)).arrange(RIGHT, buff=0.2)
        return [scale, self.text(lengths, color=pal.muted, size=SIZE.SMALL), levels]

    # Section: right angles
    def right_angles(self) -> None:
        self.step("right angles",
                  zh="沿着等高线走，f 不变，所以 ∇f 沿等高线没有分量：箭头总是垂直穿过等高线。",
                  en="Along a level curve f does not change, so ∇f has no component along it: every arrow crosses the curve at a right angle.")
        view, pal = self.bowl, self.palette
        point = self.params.level_point
        value = float(view.f(*point))
        line = _nearest_curve(gradcore.level_curves(view.f, view.box, value, samples=240), point)
        self.level_value = value
        self.level_curve = VMobject(stroke_color=pal.highlight, stroke_width=6).set_points_as_corners(
            view.axes.c2p(line))
        self.normals, self.elbows = VGroup(), VGroup()
        for xy, tangent in _spread_along(line, NORMAL_ARROWS):
            g = view.f.gradient(xy)
            start = view.axes.c2p(*xy)
            direction = view.axes.c2p(*g) - view.axes.c2p(0, 0)
            direction /= np.linalg.norm(direction)
            length = max(min(NORMAL_LENGTH, _room(start, direction, _screen_box(view)) + 0.25), 0.35)
            arrow = _arrow(start, start + length * direction, pal.gradient, width=5)
            arrow.point = xy
            self.normals.add(arrow)
            along = view.axes.c2p(*tangent) - view.axes.c2p(0, 0)
            self.elbows.add(_elbow(start, direction, along / np.linalg.norm(along), pal.text))
        curve_points = view.axes.c2p(line)
        corner = curve_points[np.argmax(curve_points[:, 1] - curve_points[:, 0])]  # top-left of the curve
        label = halo(self.math(f"f = {fmt(value)}", color=pal.highlight, size=SIZE.LABEL), pal.outline, 6)
        place_label(label, corner, curve_points, inside=_screen_box(view))
        note = self.panel(
            self.mixed(self.say("沿等高线方向 $bold(t)$：$nabla f dot bold(t) = 0$",
                                "along the curve, $bold(t)$: $nabla f dot bold(t) = 0$")),
            self.mixed(self.say("所以 $nabla f perp$ 等高线", "so $nabla f perp$ the level curve"), color=pal.gradient),
            below=self.legend, buff=0.45,
        )
        self.hold(note)
        self.level_label = label
        self.play(self.field.fade_to(0.3), Create(self.level_curve), FadeIn(label), run_time=1.5)
        self.play(*(GrowArrow(a) for a in self.normals), run_time=1.2)
        self.play(Create(self.elbows), FadeIn(note), run_time=1.2)
        self.wait(4.0)
        self.play(FadeOut(self.normals), FadeOut(self.elbows), FadeOut(self.level_curve), FadeOut(note), FadeOut(label),
                  self.field.fade_to(1.0), run_time=1.0)

    # Section: downhill
    def downhill(self) -> None:
        self.step("downhill",
                  zh="把每个箭头掉转方向，就得到 −∇f，最陡的下坡方向。沿着它的流线全都流进最低点。",
                  en="Turn every arrow around: −∇f is the steepest way downhill, and the flow lines along it all run into the minimum.")
        view, pal = self.bowl, self.palette
        minus = self.panel(self.math("-nabla f", color=pal.descent),
                           self.text(self.say("下坡最陡的方向", "the steepest way downhill"), color=pal.descent,
                                     size=SIZE.SMALL),
                           below=self.legend, buff=0.45)
        self.hold(minus)
        self.play(self.field.turn(), FadeIn(minus), run_time=2.0)
        self.wait(1.0)
        self.bowl_flows = self.flow_mobjects(view, [pal.descent] * len(view.flows))
        marks = self.minimum_marks(view, view.minima)
        self.play(self.field.fade_to(0.45), run_time=0.6)
        self.play(self.bowl_flows.grow(), run_time=4.0, rate_func=linear)
        self.play(FadeIn(marks, scale=1.5), run_time=0.8)
        self.bowl_marks = marks
        self.wait(2.0)
        self.downhill_note = minus

    def flow_mobjects(self, view: _View, colours: Sequence[str]) -> _FlowLines:
        return _FlowLines([view.axes.c2p(path) for path in view.flows], colours, self.palette.outline)

    def minimum_colours(self) -> list[str]:
        """Colours of the minima (and of the flow lines ending in them): the lowest in ``good``."""
        pal = self.palette
        return [pal.good, pal.warn, pal.direction, pal.curve, pal.tangent, pal.gradient]

    def minimum_marks(self, view: _View, minima) -> VGroup:
        """A disc at each minimum, coloured as the flow lines that end there (the lowest in ``good``)."""
        marks = VGroup()
        colours = self.minimum_colours()
        for index, minimum in enumerate(minima):  # sorted by value: the first is the lowest
            colour = colours[index % len(colours)]
            mark = Dot(view.axes.c2p(*minimum.point), radius=0.1, color=colour).set_stroke(self.palette.outline, 2)
            mark.point, mark.kind = minimum.point, minimum.kind
            marks.add(mark)
        return marks

    def saddle_marks(self, view: _View, saddles) -> VGroup:
        """A cross at each saddle point."""
        marks = VGroup()
        for saddle in saddles:
            cross = _cross(view.axes.c2p(*saddle.point), self.palette.text, self.palette.outline)
            cross.point, cross.kind = saddle.point, saddle.kind
            marks.add(cross)
        return marks

    # Section: many valleys
    def many_valleys(self) -> None:
        self.step("many valleys",
                  zh="地形有好几个山谷时，流线从哪里出发，决定它流进哪个山谷；山谷之间的鞍点就是分水岭。",
                  en="With several valleys, where a flow line starts decides which valley it ends in; the saddles between valleys are the watersheds.")
        view, pal = self.valleys, self.palette
        old = [self.field, self.levels_drawn, self.labels, self.bowl_flows, self.bowl_marks, self.floor]
        panel_old = [self.title, self.gradient_formula, self.legend, self.downhill_note]
        self.play(*(FadeOut(m) for m in old + panel_old), run_time=1.0)

        minima = [c for c in self.critical if c.kind == "minimum"]
        saddles = [c for c in self.critical if c.kind == "saddle"]
        ends = [_nearest_minimum(path[-1], minima, view.box) for path in view.flows]
        palette = self.minimum_colours()
        colours = [palette[i % len(palette)] if i is not None else pal.muted for i in ends]
        view.field = self.field_mobject(view)
        self.valley_field = view.field
        self.valley_levels = self.level_mobjects(view)
        self.valley_frame, self.valley_labels = self.map_frame(view), self.map_labels(view)
        self.valley_flows = self.flow_mobjects(view, colours)
        self.valley_flows.ends = ends
        self.valley_minima = self.minimum_marks(view, minima)
        self.valley_saddles = self.saddle_marks(view, saddles)

        title = self.panel(self.landscape_title(self.params.raw["second_formula"], view.f))
        legend = self.panel(*self.field_legend(view)[:1],
                            self.mixed(self.say("箭头：$-nabla f$", "arrows: $-nabla f$"), color=pal.descent),
                            below=title, buff=0.4)
        keys = self.panel(*self.critical_legend(minima, len(saddles)), below=legend, buff=0.4)
        self.hold(title, legend, keys)
        self.play(FadeIn(title), Create(self.valley_frame), FadeIn(self.valley_labels),
                  Create(self.valley_levels), run_time=2.0)
        self.add(self.valley_field)
        self.play(self.valley_field.grow(), FadeIn(legend), run_time=2.0)
        self.wait(1.0)
        self.play(self.valley_field.fade_to(0.45), run_time=0.6)
        self.play(self.valley_flows.grow(), run_time=5.0, rate_func=linear)
        self.play(FadeIn(self.valley_minima, scale=1.5), FadeIn(self.valley_saddles, scale=1.5), FadeIn(keys),
                  run_time=1.0)
        self.wait(3.0)

    def critical_legend(self, minima: list, saddles: int) -> list[Mobject]:
        """Keys for the marks of step 5: minima (lowest and others), saddles, flow colours."""
        pal = self.palette
        rows = []
        palette = self.minimum_colours()
        colours = [palette[i % len(palette)] for i in range(len(minima))]
        values = [m.value for m in minima]
        if not minima:
            kinds = []
        elif len(minima) > 1 and values[1] - values[0] <= 1e-6 * max(1.0, abs(values[0])):
            kinds = [(colours, "极小值", "minima")]  # a tie for the lowest: no single one to point out
        else:
            kinds = [(colours[:1], "最低的极小值", "lowest minimum")]
            if len(minima) > 1:
                kinds.append((colours[1:], "其他极小值", "other minima"))
        for dots, zh, en in kinds:
            keys = VGroup(*(Dot(radius=0.1, color=c).set_stroke(pal.outline, 2) for c in dots)).arrange(RIGHT, 0.1)
            rows.append(VGroup(keys, self.text(self.say(zh, en), size=SIZE.SMALL)).arrange(RIGHT, buff=0.2))
        if saddles:
            cross = _cross(ORIGIN, pal.text, pal.outline)
            rows.append(VGroup(cross, self.text(self.say("鞍点：分水岭", "saddle: a watershed"), size=SIZE.SMALL))
                        .arrange(RIGHT, buff=0.2))
        rows.append(self.text(self.say("流线颜色 = 它流进的山谷", "flow colour = the valley it ends in"),
                              color=pal.muted, size=SIZE.SMALL))
        return rows

    # Section: summary
    def summary(self) -> None:
        self.step("summary",
                  zh="梯度场：每一点一个箭头，指向上坡，越陡越长，并与等高线垂直；顺着 −∇f 走就会进入山谷。",
                  en="The gradient field: an arrow at every point, uphill, longer where steeper, at right angles to level curves; −∇f leads into a valley.")
        pal = self.palette
        self.clear_stage()
        self.show_summary(
            self.mixed(self.say("梯度场：每个点 $(x, y)$ 一个箭头 $nabla f(x, y)$",
                                "The gradient field: an arrow $nabla f(x, y)$ at every point $(x, y)$")),
            self.mixed(self.say("方向：上坡最陡；长度与颜色：$|nabla f|$，在极小值处为零",
                                "Direction: steepest uphill; length and colour: $|nabla f|$, zero at a minimum"),
                       color=pal.gradient),
            self.mixed(self.say("$nabla f$ 与等高线垂直", "$nabla f$ crosses level curves at right angles")),
            self.mixed(self.say("顺着 $-nabla f$ 流进山谷：从哪里出发，决定流进哪个山谷",
                                "Following $-nabla f$ leads into a valley: the start decides which one"),
                       color=pal.descent),
        )


# --- the numbers behind one map ---------------------------------------------------------------


@dataclass(eq=False)
class _View:
    """One landscape on the map: its function, box, axes, sampled field, level curves and flow lines."""

    f: gradcore.Function
    box: tuple[tuple[float, float], tuple[float, float]]
    axes: Axes
    grid: gradcore.GradientField
    low: float  # lowest and highest value of f on the map
    high: float
    levels: list[float] = field(default_factory=list)
    contours: list[tuple[float, np.ndarray]] = field(default_factory=list)  # (value, polyline (k, 2))
    flows: list[np.ndarray] = field(default_factory=list)  # paths along −∇f, each (k, 2)
    minima: list = field(default_factory=list)
    field: _ArrowField | None = None


# --- mobjects ------------------------------------------------------------------------------------


class _ArrowField(VGroup):
    """Many arrows drawn as two VMobjects per colour: all shafts as one path, all tips as another.

    A field of a few hundred separate ``Arrow`` objects costs Cairo a Python
    round-trip per arrow per frame; grouped by colour it costs one per colour.
    Each arrow is centred on its point; :meth:`ends` reads the drawn tails and
    tips back from the paths, in the order of ``positions``.

    Parameters
    ----------
    centres, vectors
        Screen centre and screen vector (tail → tip) of each arrow, shape ``(k, 3)``.
    bins
        Colour index of each arrow, shape ``(k,)``.
    colours
        One colour per index.
    positions
        The ``(x, y)`` each arrow belongs to, shape ``(k, 2)``.
    """

    def __init__(self, centres, vectors, bins, colours, positions):
        super().__init__()
        lengths = np.linalg.norm(vectors, axis=1)
        drawn = lengths > 1e-6  # a zero gradient draws no arrow
        self.positions = np.asarray(positions)[drawn]
        centres, vectors, bins, lengths = centres[drawn], vectors[drawn], bins[drawn], lengths[drawn]
        self.shafts, self.tips = VGroup(), VGroup()
        self.order: list[np.ndarray] = []  # arrow indices held by each colour
        for index, colour in enumerate(colours):
            members = np.flatnonzero(bins == index)
            if members.size == 0:
                continue
            shaft, tip = _arrow_paths(centres[members], vectors[members], lengths[members])
            self.shafts.add(VMobject(stroke_color=colour, stroke_width=ARROW_WIDTH, fill_opacity=0).set_points(shaft))
            self.tips.add(VMobject(fill_color=colour, fill_opacity=1, stroke_width=0).set_points(tip))
            self.order.append(members)
        self.add(self.shafts, self.tips)
        self._centres = [np.repeat(centres[m], 4, axis=0) for m in self.order]
        self._tip_centres = [np.repeat(centres[m], 12, axis=0) for m in self.order]
        self._shaft_points = [m.points.copy() for m in self.shafts]
        self._tip_points = [m.points.copy() for m in self.tips]
        self.heading = 0.0  # how far the arrows are turned from the vectors they were built with

    def pose(self, scale: float = 1.0, angle: float = 0.0) -> None:
        """Scale and turn every arrow about its own centre, from the shape it was built with."""
        c, s = np.cos(angle), np.sin(angle)
        turn = np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]]) * np.array([scale, scale, 1])[:, None]
        for mobs, refs, centres in ((self.shafts, self._shaft_points, self._centres),
                                    (self.tips, self._tip_points, self._tip_centres)):
            for mob, ref, centre in zip(mobs, refs, centres, strict=True):
                mob.points = centre + (ref - centre) @ turn.T

    def grow(self) -> UpdateFromAlphaFunc:
        """Every arrow grows from its centre, all at once."""
        heading = self.heading
        self.pose(scale=0.0, angle=heading)
        return UpdateFromAlphaFunc(self, lambda m, a: m.pose(scale=a, angle=heading))

    def turn(self) -> UpdateFromAlphaFunc:
        """Every arrow turns half a circle about its centre: ∇f becomes −∇f."""
        start = self.heading
        self.heading = start + np.pi
        return UpdateFromAlphaFunc(self, lambda m, a: m.pose(angle=start + a * np.pi))

    def fade_to(self, opacity: float) -> AnimationGroup:
        """Animation of the field's opacity (shafts and tips alike)."""
        return AnimationGroup(self.shafts.animate.set_stroke(opacity=opacity),
                              self.tips.animate.set_fill(opacity=opacity))

    def ends(self) -> tuple[np.ndarray, np.ndarray]:
        """Drawn tails and tips, shape ``(k, 3)`` each, in the order of ``positions``."""
        tails = np.zeros((len(self.positions), 3))
        tips = np.zeros_like(tails)
        for members, shaft, tip in zip(self.order, self.shafts, self.tips, strict=True):
            tails[members] = shaft.points[0::4]
            tips[members] = tip.points[0::12]
        return tails, tips


def _arrow_paths(centres: np.ndarray, vectors: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Bezier points of arrows as straight segments: shafts (4 points each) and closed tips (12 each)."""
    unit = vectors / lengths[:, None]
    normal = np.stack([-unit[:, 1], unit[:, 0], np.zeros(len(unit))], axis=1)
    tip_length = np.minimum(TIP_LENGTH, 0.4 * lengths)[:, None]
    tail, tip = centres - vectors / 2, centres + vectors / 2
    base = tip - unit * tip_length
    left, right = base + 0.55 * tip_length * normal, base - 0.55 * tip_length * normal
    shaft = _segments([(tail, base + 0.3 * unit * tip_length)])  # the shaft ends under the tip, not at its point
    head = _segments([(tip, left), (left, right), (right, tip)])
    return shaft, head


def _segments(pairs: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Cubic Bezier points of straight segments, arrow by arrow: for pairs (a, b) of shape (k, 3)."""
    thirds = np.array([0, 1 / 3, 2 / 3, 1])[None, :, None]
    per_arrow = [a[:, None, :] + thirds * (b - a)[:, None, :] for a, b in pairs]  # each (k, 4, 3)
    return np.concatenate(per_arrow, axis=1).reshape(-1, 3)


class _FlowLines(VGroup):
    """Paths along −∇f that grow from their starts, each with a dot at its head."""

    def __init__(self, paths: list[np.ndarray], colours: Sequence[str], outline: str):
        super().__init__()
        self.paths = paths
        self.lines = VGroup(*(VMobject(stroke_color=c, stroke_width=3.5).set_points_as_corners(p)
                              for p, c in zip(paths, colours, strict=True)))
        self.heads = VGroup(*(Dot(p[0], radius=0.06, color=c).set_stroke(outline, 1.5)
                              for p, c in zip(paths, colours, strict=True)))
        self.add(self.lines, self.heads)
        self._full = [line.copy() for line in self.lines]
        self.longest = max(len(p) for p in paths)

    def show(self, alpha: float) -> None:
        """Draw each path up to the same step count: a share ``alpha`` of the longest path's steps."""
        for line, full, head, path in zip(self.lines, self._full, self.heads, self.paths, strict=True):
            k = min(len(path) - 1, round(alpha * (self.longest - 1)))
            line.pointwise_become_partial(full, 0, k / max(len(path) - 1, 1))
            head.move_to(path[k])

    def grow(self) -> UpdateFromAlphaFunc:
        self.show(0.0)
        return UpdateFromAlphaFunc(self, lambda m, a: m.show(a))


def _arrow(start: np.ndarray, end: np.ndarray, colour: str, width: float = 5) -> Arrow:
    return Arrow(start, end, buff=0, color=colour, stroke_width=width, max_tip_length_to_length_ratio=0.3,
                 max_stroke_width_to_length_ratio=20)


def _cross(centre: np.ndarray, colour: str, outline: str, size: float = 0.13) -> VGroup:
    """A saddle mark: an × with an outline."""
    cross = VGroup(Line(centre + size * (LEFT + DOWN), centre + size * (RIGHT + UP)),
                   Line(centre + size * (LEFT + UP), centre + size * (RIGHT + DOWN)))
    return cross.set_stroke(colour, width=5).set_stroke(outline, width=9, background=True)


def _elbow(corner: np.ndarray, a: np.ndarray, b: np.ndarray, colour: str) -> VMobject:
    """A right-angle mark at ``corner`` with legs along the unit vectors ``a`` and ``b``."""
    points = [corner + ELBOW * b, corner + ELBOW * (a + b), corner + ELBOW * a]
    return VMobject(stroke_color=colour, stroke_width=3.5).set_points_as_corners(points)


# --- numbers ------------------------------------------------------------------------------------


def _screen_box(view: _View) -> tuple[float, float, float, float]:
    """(left, right, bottom, top) of the map on screen."""
    (x0, x1), (y0, y1) = view.box
    (left, bottom, _), (right, top, _) = view.axes.c2p(np.array([[x0, y0], [x1, y1]]))
    return left, right, bottom, top


def _room(start: np.ndarray, direction: np.ndarray, box: tuple[float, float, float, float]) -> float:
    """How far from ``start`` along the unit vector ``direction`` the screen box ``box`` ends."""
    left, right, bottom, top = box
    limits = []
    for d, here, lo, hi in ((direction[0], start[0], left, right), (direction[1], start[1], bottom, top)):
        if d > 1e-12:
            limits.append((hi - here) / d)
        elif d < -1e-12:
            limits.append((lo - here) / d)
    return max(min(limits, default=np.inf), 0.0)


def _unit(axes: Axes) -> float:
    """Screen length of one coordinate unit (both axes share it)."""
    return float(np.linalg.norm(axes.c2p(1, 0) - axes.c2p(0, 0)))


def _ticks(bounds: tuple[float, float]) -> np.ndarray:
    step = tick_step(bounds)
    first = np.ceil(bounds[0] / step - 1e-9) * step
    return np.arange(first, bounds[1] + 1e-9 * step, step)


def _ring(box, count: int) -> np.ndarray:
    """``count`` starts evenly spaced along a square ring inside ``box``, shape ``(count, 2)``."""
    (x0, x1), (y0, y1) = box
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    hx, hy = FLOW_INSET * (x1 - x0) / 2, FLOW_INSET * (y1 - y0) / 2
    corners = np.array([[cx + hx, cy], [cx + hx, cy + hy], [cx - hx, cy + hy], [cx - hx, cy - hy],
                        [cx + hx, cy - hy], [cx + hx, cy]])
    sides = np.linalg.norm(np.diff(corners, axis=0), axis=1)
    stops = np.concatenate([[0], np.cumsum(sides)])
    # half a spacing past the start of the ring, so the ring's symmetry does not line the starts up with the axes
    s = (np.arange(count) + 0.5) / count * stops[-1]
    out = np.stack([np.interp(s, stops, corners[:, 0]), np.interp(s, stops, corners[:, 1])], axis=1)
    return out


def _flow_paths(f, starts: np.ndarray, box) -> list[np.ndarray]:
    """Paths of −∇f (gradient descent with a small step) from ``starts``, clipped to ``box``, thinned for drawing."""
    (x0, x1), (y0, y1) = box
    grid = np.stack(np.meshgrid(np.linspace(x0, x1, 41), np.linspace(y0, y1, 41)), axis=-1)
    steepest = float(np.linalg.norm(f.gradient(grid), axis=-1).max())
    span = max(x1 - x0, y1 - y0)
    lr = FLOW_STEP * span / max(steepest, 1e-12)  # the steepest step moves FLOW_STEP of the map
    runs = gradcore.descend(f, starts, lr=lr, steps=FLOW_STEPS, tol=FLOW_TOL * steepest)
    paths = []
    for run in runs:
        points = run.points
        lo, hi = np.array([x0, y0]), np.array([x1, y1])
        outside = np.flatnonzero(np.any((points < lo) | (points > hi), axis=1))
        if outside.size:
            points = points[: max(outside[0], 1)]  # the path leaves the map: keep what is on it
        if len(points) == 1:
            points = np.vstack([points, points])  # a start at a critical point: a line of length zero
        keep = np.unique(np.linspace(0, len(points) - 1, min(len(points), FLOW_SAMPLES)).round().astype(int))
        paths.append(points[keep])
    return paths


def _nearest_minimum(point: np.ndarray, minima, box) -> int | None:
    """Index of the minimum a flow line ended at (within 3 % of the map), or None."""
    if not minima:
        return None
    span = max(box[0][1] - box[0][0], box[1][1] - box[1][0])
    distances = [np.linalg.norm(point - m.point) for m in minima]
    best = int(np.argmin(distances))
    return best if distances[best] < 0.03 * span else None








def _nearest_curve(lines: list[np.ndarray], point: np.ndarray) -> np.ndarray:
    """The polyline passing closest to ``point``."""
    return min(lines, key=lambda line: float(np.min(np.linalg.norm(line - point, axis=1))))


def _spread_along(line: np.ndarray, count: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """``count`` points evenly spaced by arc length along ``line`` (away from open ends), with unit tangents."""
    closed = np.allclose(line[0], line[-1])
    steps = np.linalg.norm(np.diff(line, axis=0), axis=1)
    s = np.concatenate([[0], np.cumsum(steps)])
    offset = 0.125 if closed else 0.5  # open curves: keep away from the ends at the map's border
    targets = (np.arange(count) + offset) / count * s[-1]
    out = []
    for target in targets:
        k = int(np.clip(np.searchsorted(s, target) - 1, 0, len(line) - 2))
        share = (target - s[k]) / max(steps[k], 1e-300)
        point = line[k] + share * (line[k + 1] - line[k])
        lo, hi = max(k - 2, 0), min(k + 3, len(line) - 1)
        tangent = line[hi] - line[lo]
        out.append((point, tangent / np.linalg.norm(tangent)))
    return out




__all__ = ["GradientField"]
