"""The gradient vector field: from the 3D bowl to a map of arrows, then downhill into the valleys.

Render: manim render -ql scenes/gradient_field.py GradientField

One picture is shared by every step: a square map on the left (the plane of
the inputs ``(x, y)``, one scale for both axes so right angles stay right) and
a text panel on the right. Step 1 turns the camera to the floor of the map, and
the surface ``z = f(x, y)`` fades in above it; step 2 fades the surface into its level curves, then
turns the camera to look straight down while the curves drop onto the map.
From then on the 3D camera shows the plane exactly as a 2D scene would. The
map and the 3D world coincide: a map point ``(x, y)`` is the world point under
the surface, so one :class:`~scenes.toolkit.landscape.LandscapeView` serves both.

Cost notes (Cairo): the surface fades in and out under a still camera as a picture drawn once
(:mod:`scenes.toolkit.stills`; its 324 faces redrawn cost a third of the clip); camera moves carry lines only.
The arrow field is a :class:`~scenes.toolkit.fields.ArrowField` (one shaft path
and one tip path per colour of the magnitude scale), built once and animated as
a whole (growing in, dimming, turning around); flow lines grow by
``pointwise_become_partial`` of paths computed once by ``gradcore.flow_lines``.
The camera's frame centre never moves (see CAMERA_START).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import (
    DEGREES,
    DOWN,
    LEFT,
    UP,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    GrowArrow,
    Mobject,
    Transform,
    VGroup,
    linear,
)

import gradcore
from scenes.toolkit import SIZE, LectureThreeDScene, Param
from scenes.toolkit.fields import (
    POINT_NAMES,
    ArrowField,
    Chart,
    FlowLines,
    arrow,
    backed,
    critical_keys,
    critical_marks,
    divide_lines,
    field_legend,
    gradient_rows,
    landscape_title,
    legible,
    linger,
    map_labels,
    minimum_colours,
    normal_arrows,
    point_colours,
)
from scenes.toolkit.landscape import LandscapeView, magnitude_colours
from scenes.toolkit.plotting import fit_width, fmt, place_label
from scenes.toolkit.stills import fade_in_still, picture_for_fade_out

BOWL, VALLEYS = gradcore.landscapes.BOWL, gradcore.landscapes.VALLEYS
# A stretched bowl: its level curves are ellipses, so ∇f (at right angles to them) visibly does not
# point away from the centre, as it would on the circles of x² + y².
STRETCHED = "x^2 + 3*y^2"

# --- layout (frame units; the frame spans x ∈ [−7.1, 7.1], y ∈ [−4, 4], captions below y = −3.05) ---
MAP_CENTRE = np.array([-3.35, 0.45, 0.0])  # middle of the map of (x, y)
MAP_SIZE = 5.8  # on-screen length of the map's longer side; both axes share one scale
PANEL_TOP_LEFT = np.array([0.55, 3.55, 0.0])
PANEL_WIDTH = 6.3

# --- the 3D step -----------------------------------------------------------------------------
SURFACE_RES = 18  # faces per side
SURFACE_OPACITY = 0.72  # the map and its arrows stay visible through the surface
GAP = 0.5  # world height between the map (z = 0) and the surface's lowest point
HEIGHT = 2.6  # world height from the lowest to the highest value of f on the map
# The camera turns about the world origin (Manim's Cairo camera keeps the first frame centre it draws
# with); seen from the front (theta near −90°) the map, centred at MAP_CENTRE, lands left of the panel.
CAMERA_START = {"phi": 77 * DEGREES, "theta": -100 * DEGREES, "zoom": 0.72}
CAMERA_SHOW = {"phi": 60 * DEGREES, "theta": -86 * DEGREES, "zoom": 0.7}
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
RADIAL_ANGLE = 10.0  # degrees: ∇f this far from "away from the minimum" somewhere on the curve is said not to be radial

# --- flow lines --------------------------------------------------------------------------------
FLOW_STEP = 0.004  # the steepest step moves 0.4 % of the map's width: η = FLOW_STEP · span / max|∇f|
FLOW_STEPS = 4000  # at most this many steps per flow line
FLOW_TOL = 5e-3  # a flow line has arrived when |∇f| < FLOW_TOL · max|∇f|
FLOW_SAMPLES = 240  # points kept per drawn flow line
FLOW_INSET = 0.92  # flow lines start on a square ring at 92 % of the map's half-widths

MAX_DENSITY, MAX_FLOWS, MAX_POINTS = 21, 24, 4
# The map and the 3D world coincide (the world's centre defaults to the map's): (x, y) lies under its surface point.
VIEW = dict(centre=MAP_CENTRE, size=MAP_SIZE, samples=CONTOUR_GRID + 1, base=GAP, height=HEIGHT)

# --- what is said ---------------------------------------------------------------------------
# fmt: off
NARRATION = {  # each step's line (zh, en), picked by the numbers: see the method that uses each entry
    "the bowl": ("曲面 z = f(x, y) 是一个碗。碗面上每个点的正下方，(x, y) 平面里的箭头就是那里的梯度 ∇f，指向最陡的上坡方向。",
                 "The surface z = f(x, y) is a bowl. Below each point, in the (x, y) plane, the gradient ∇f points the steepest way uphill."),
    "the valleys": ("曲面 z = f(x, y) 有 {n} 个山谷。曲面上每个点的正下方，(x, y) 平面里的箭头就是那里的梯度 ∇f，指向最陡的上坡方向。",
                    "The surface z = f(x, y) has {n} valleys. Below each point, in the (x, y) plane, the gradient ∇f points the steepest way uphill."),
    "one valley": ("曲面 z = f(x, y) 有一个山谷。曲面上每个点的正下方，(x, y) 平面里的箭头就是那里的梯度 ∇f，指向最陡的上坡方向。",
                   "The surface z = f(x, y) has one valley. Below each point, in the (x, y) plane, the gradient ∇f points the steepest way uphill."),
    "flatten": ("从正上方看，曲面只剩下等高线。在每一点画出 ∇f：碗底为零，越靠近边缘越长。",
                "From straight above, only the level curves remain. Draw ∇f at every point: zero at the bottom, longer toward the rim."),
    "flatten, steeper": ("从正上方看，曲面只剩下等高线。在每一点画出 ∇f：谷底为零，坡越陡越长。",
                         "From straight above, only the level curves remain. Draw ∇f at every point: zero at a valley floor, longer where steeper."),
    "right angles": ("沿着等高线走，f 不变，所以 ∇f 沿等高线没有分量：箭头总是垂直穿过等高线。",
                     "Along a level curve f does not change, so ∇f has no component along it: every arrow crosses the curve at a right angle."),
    "right angles, not radial": ("沿着等高线走，f 不变，所以 ∇f 沿等高线没有分量：箭头垂直穿过等高线，并不指向正中心。",
                                 "Along a level curve f stays the same, so ∇f has no part along it: each arrow crosses it at a right angle, not away from the centre."),
    "downhill": ("把每个箭头掉转方向，就得到 −∇f，最陡的下坡方向。沿着它的流线全都流进最低点。",
                 "Turn every arrow around: −∇f is the steepest way downhill, and the flow lines along it all run into the minimum."),
    "downhill, valleys": ("把每个箭头掉转方向，就得到 −∇f，最陡的下坡方向。沿着它的流线全都流进了山谷。",
                          "Turn every arrow around: −∇f is the steepest way downhill, and the flow lines along it all run into a valley."),
    "downhill, some": ("把每个箭头掉转方向，就得到 −∇f，最陡的下坡方向。沿着它的流线往下走，其中 {k} 条在地图上没有到达谷底。",
                       "Turn every arrow around: −∇f is the steepest way downhill. The flow lines follow it; {k} of them reach no valley on this map."),
    "many valleys": ("流线从哪里出发，决定它流进哪个山谷。虚线是山谷之间的分水线；分水线上的鞍点 ✕：∇f = 0，向两侧山谷下坡，沿分水线上坡。",
                     "The start decides the valley. Dashed: the divides between valleys. A saddle ✕ on one: ∇f = 0, downhill to two valleys, uphill along it."),
    "many valleys, no saddle": ("地形有好几个山谷时，流线从哪里出发，决定它流进哪个山谷。",
                                "With several valleys, where a flow line starts decides which valley it ends in."),
    "many valleys, one reached": ("这片地形有 {n} 个山谷，但这里画出的流线都流进了同一个。",
                                  "This landscape has {n} valleys, yet every flow line drawn here ends in the same one."),
    "many valleys, none reached": ("这片地形有 {n} 个山谷，但这里画出的流线没有一条到达谷底。",
                                   "This landscape has {n} valleys, yet no flow line drawn here reaches one."),
    "single valley": ("这片地形只有一个山谷：流线从哪里出发都流进它。", "This landscape has a single valley: every flow line ends in it."),
    "single valley, some": ("这片地形只有一个山谷；其中 {k} 条流线在地图上没有到达它。",
                            "This landscape has a single valley; {k} of the flow lines do not reach it on this map."),
    "summary": ("梯度场：每一点一个箭头，指向上坡，越陡越长，并与等高线垂直；顺着 −∇f 走就会进入山谷。",
                "The gradient field: an arrow at every point, uphill, longer where steeper, at right angles to level curves; −∇f leads into a valley."),
    "summary, downhill": ("梯度场：每一点一个箭头，指向上坡，越陡越长，并与等高线垂直；顺着 −∇f 一路下坡。",
                          "The gradient field: an arrow at every point, uphill, longer where steeper, at right angles to level curves; −∇f leads downhill."),
}
SUMMARY = [  # (zh, en, colour of the palette) of each line of the closing card; the second and last are picked
    ("梯度场：每个点 $(x, y)$ 一个箭头 $nabla f(x, y)$", "The gradient field: an arrow $nabla f(x, y)$ at every point $(x, y)$", "text"),
    None,  # how the arrows show steepness: STEEPNESS, by normalization
    ("$nabla f$ 与等高线垂直", "$nabla f$ crosses level curves at right angles", "text"),
]
STEEPNESS = {  # the closing card's second line, one story with the legend (LENGTHS) for each normalization
    "lengths": ("方向：最陡的上坡；越陡，箭头越长、颜色越红；极小值处为零", "direction: steepest uphill; steeper, longer and redder; zero at a minimum",
                "gradient"),
    "unit": ("方向：最陡的上坡；越陡，颜色越红；极小值处为零", "direction: steepest uphill; steeper, redder; zero at a minimum", "gradient"),
}
LAST_LINE = {  # the closing card's last line: did step 5 show flow lines ending in different valleys?
    True: ("顺着 $-nabla f$ 流进山谷：从哪里出发，决定流进哪个山谷", "Following $-nabla f$ leads into a valley: the start decides which one", "descent"),
    False: ("顺着 $-nabla f$ 一路下坡", "Following $-nabla f$ leads downhill", "descent"),
}
LENGTHS = {  # how the legend reads the arrows' lengths, for each normalization (the summary says it again)
    "log": ("越陡，箭头越长（长度已压缩）", "steeper, longer (squeezed to fit)"),
    "cap": ("越陡，箭头越长（最长的截短）", "steeper, longer (the longest cut short)"),
    "none": ("箭头长度与 |∇f| 成正比", "arrow length in proportion to |∇f|"),
    "unit": ("箭头等长：看方向和颜色", "equal lengths: read direction and colour"),
}
# fmt: on


@dataclass(frozen=True, eq=False)
class Opening:
    """What step 1 leaves on screen for step 2: the surface, the marked points, the panel's last line."""

    surface: Mobject
    points: VGroup  # dots, drops, arrows and their panel rows: faded out first
    formula: Mobject  # ∇f = (…): the legend goes under it


class GradientField(LectureThreeDScene):
    """The gradient field ∇f: an arrow at every point, uphill, crossing level curves at right angles."""

    config_table = "gradient_field"
    # fmt: off
    parameters = {
        "formula": Param(STRETCHED, "the landscape f(x, y) of steps 1–4", "formula", variables=("x", "y"),
                         finite_on=("x_range", "y_range")),
        "x_range": Param(list(BOWL.x_range), "the x interval of the map (steps 1–4)", "range"),
        "y_range": Param(list(BOWL.y_range), "the y interval of the map (steps 1–4)", "range"),
        "points": Param([[1.0, 0.0], [-1.0, 0.5], [0.5, -0.6]],
                        "points on the surface whose gradient arrows are drawn in step 1 (1 to 4)", "points",
                        size=2, inside=("x_range", "y_range"), max_items=MAX_POINTS),
        "density": Param(13, "arrows per side of the map (5 to 21)", "integer", minimum=5, maximum=MAX_DENSITY),
        "normalization": Param("log", "arrow length: log = ln(1 + |∇f|) (longer where steeper, squeezed to fit), "
                               "cap = |∇f| capped at its 90th percentile, none = |∇f|, unit = all equal", "choice",
                               choices=("log", "cap", "none", "unit")),
        "level_point": Param([1.0, 0.8], "the highlighted level curve of step 3 passes through this point",
                             "point", size=2, inside=("x_range", "y_range")),
        "flow_lines": Param(12, "flow lines along −∇f in steps 4 and 5 (1 to 24)", "integer", maximum=MAX_FLOWS),
        "second_formula": Param(VALLEYS.formula, "the landscape with several valleys of step 5 (else [descent]'s)",
                                "formula", variables=("x", "y"), finite_on=("second_x_range", "second_y_range"),
                                default_from=("descent", "formula")),
        "second_x_range": Param(list(VALLEYS.x_range), "the x interval of the second map (else [descent]'s)", "range",
                                default_from=("descent", "x_range")),
        "second_y_range": Param(list(VALLEYS.y_range), "the y interval of the second map (else [descent]'s)", "range",
                                default_from=("descent", "y_range")),
    }
    # fmt: on

    @classmethod
    def check_params(cls, params) -> str | None:
        """Each map needs a slope to draw and a minimum for its flow lines; a level curve must pass through ``level_point``."""
        p = params
        for key, *box in (("formula", p.x_range, p.y_range), ("second_formula", p.second_x_range, p.second_y_range)):
            view = LandscapeView(p[key], box, samples=61)
            if view.high - view.low < 1e-9:
                return f"key '{key}': f is constant on its map, so there are no arrows to draw"
            if not gradcore.find_minima(p[key], box):
                default = BOWL.formula if key == "formula" else VALLEYS.formula
                return (f"key '{key}': f has no minimum inside its map (gradcore.find_minima finds none), so there is "
                        f"no valley for −∇f to flow into; try {key} = {default!r}, or a range around a minimum")  # fmt: skip
        if np.linalg.norm(p.formula.gradient(p.level_point)) < 1e-6:
            return (
                "key 'level_point': ∇f = 0 there, so no level curve passes through it as a line; choose another point"
            )
        return None

    def construct(self) -> None:
        p = self.params
        bowl = self.chart(p.formula, (p.x_range, p.y_range), LEVELS, negate=False)
        valleys = self.chart(p.second_formula, (p.second_x_range, p.second_y_range), LEVELS + 2, negate=True)
        opening = self.show_bowl(bowl)
        field, legend = self.flatten(bowl, opening)
        self.right_angles(bowl, field, legend)
        self.downhill(bowl, field, legend)
        self.many_valleys(valleys)
        self.summary(bowl, valleys)

    def chart(self, f: gradcore.Function, box, levels: int, *, negate: bool) -> Chart:
        """The numbers one landscape needs on the map: field, level values, flow lines, critical points."""
        view, p = LandscapeView(f, box, **VIEW), self.params
        # Arrows sit at the centres of density × density cells, so each stays inside its own cell.
        cells = [(lo + (hi - lo) / (2 * p.density), hi - (hi - lo) / (2 * p.density)) for lo, hi in view.box]
        grid = gradcore.gradient_field(f, *cells, density=p.density, normalization=p.normalization, negate=negate)
        starts = gradcore.ring_points(view.box, p.flow_lines, FLOW_INSET)
        flows = gradcore.flow_lines(
            f, starts, view.box, step=FLOW_STEP, max_steps=FLOW_STEPS, tol=FLOW_TOL, samples=FLOW_SAMPLES
        )
        critical = gradcore.critical_points(f, view.box)
        minima, saddles = ([c for c in critical if c.kind == kind] for kind in ("minimum", "saddle"))
        divides = gradcore.paths.divides(f, saddles, minima, view.box, step=FLOW_STEP) if negate else []
        for divide in divides:  # two flow lines beside each divide run past its saddle, then part ways
            starts = gradcore.paths.near_saddle_starts(divide, view.box, share=0.2, offset=5e-4)
            flows += gradcore.flow_lines(f, starts, view.box, step=FLOW_STEP, max_steps=2 * FLOW_STEPS, tol=1e-4,
                                         samples=FLOW_SAMPLES)  # fmt: skip
        ends = [gradcore.nearest_minimum(path[-1], minima, view.box) for path in flows]
        return Chart(view, grid, view.level_values(levels), flows, minima, saddles, ends, divides)

    # Section: the bowl
    def show_bowl(self, bowl: Chart) -> Opening:
        count = len(bowl.minima)
        key = "the bowl" if bowl.bowl else "one valley" if count == 1 else "the valleys"
        self.narrate("the bowl", NARRATION[key], n=count)
        view, pal = bowl.view, self.palette
        floor = view.frame(pal.axes, 2, axis_colour=pal.grid)
        surface = view.surface(SURFACE_RES, pal.surface, opacity=SURFACE_OPACITY, seams=False)
        title = self.panel(landscape_title(self, self.params.raw["formula"], view.f, "z", PANEL_WIDTH))
        gx, gy = view.f.gradient_typst
        formula = self.panel(self.math(f"nabla f = ({gx}, {gy})", color=pal.gradient), below=title)
        self.hold(title, formula)

        self.set_camera_orientation(**CAMERA_START)
        self.move_camera(**CAMERA_SHOW, added_anims=[Create(floor), FadeIn(title)], run_time=2.0)  # lines only
        fade_in_still(self, surface, run_time=1.5)  # under the still camera, as one picture
        self.wait(0.5)

        marks, arrows, names = self.point_gradients(view)
        rows = self.panel(*gradient_rows(self, arrows.at, arrows.gradients, arrows.colours, SIZE.LABEL),
                          below=formula, buff=0.45)  # fmt: skip
        self.hold(rows, names)
        self.play(FadeIn(marks), FadeIn(names), FadeIn(formula), run_time=1.2)
        self.play(*(GrowArrow(a) for a in arrows), FadeIn(rows), run_time=1.5)
        self.wait(2.5)
        linger(self)  # a key step: each row is read against its point and arrow
        return Opening(surface, VGroup(marks, arrows, rows, names), formula)

    def point_gradients(self, view: LandscapeView) -> tuple[VGroup, VGroup, VGroup]:
        """For each of ``points``: a dot on the surface dropped onto the map, the arrow ∇f there, its name.

        Dot, drop, arrow, name (A, B, …, on a backing beside the dot) and panel
        row share one colour per point; the arrows keep ``points``, ``gradients``, ``colours``.
        """
        pal, points = self.palette, np.asarray(self.params.points, dtype=float)
        gradients, colours = view.f.gradient(points), point_colours(pal, len(points))
        sizes = np.maximum(np.linalg.norm(gradients, axis=1), 1e-12)
        rooms = [
            gradcore.distance_to_edge(xy, g / n, view.box) for xy, g, n in zip(points, gradients, sizes, strict=True)
        ]
        scale = min(
            POINT_ARROW / view.unit / sizes.max(), *(np.array(rooms) / sizes)
        )  # one scale; every arrow on the map
        marks, arrows, names = VGroup(), VGroup(), VGroup()
        for xy, g, colour, name in zip(points, gradients, colours, POINT_NAMES, strict=False):
            top, foot = view.world(xy), view.point(xy)
            dot = Dot(top, radius=0.08, color=colour).set_stroke(pal.outline, width=2)
            self.renderer.camera.add_fixed_orientation_mobjects(dot)
            drop = DashedLine(top, foot, color=colour, stroke_width=2)
            marks.add(VGroup(dot, drop, Dot(foot, radius=0.05, color=colour)))
            shaft = arrow(foot, view.point(xy + scale * g), colour, width=5)
            shaft.point = xy
            arrows.add(shaft)
            label = backed(self.math(f"upright({name})", color=colour, size=SIZE.BODY), pal.background)
            names.add(label.next_to(view.screen(self, top), UP + LEFT, buff=0.08))
        arrows.at, arrows.gradients, arrows.colours = points, gradients, colours
        return marks, arrows, names

    # Section: flatten
    def flatten(self, bowl: Chart, opening: Opening) -> tuple[ArrowField, Mobject]:
        self.narrate("flatten", NARRATION["flatten" if bowl.bowl else "flatten, steeper"])
        lifted, flat = self.level_lines(bowl, lift=True), self.level_lines(bowl)
        self.play(*(FadeOut(m) for m in opening.points), run_time=0.8)
        self.play(FadeOut(picture_for_fade_out(self, opening.surface)), Create(lifted), run_time=2.0)
        self.move_camera(phi=0, theta=-90 * DEGREES, zoom=1.0, added_anims=[Transform(lifted, flat)], run_time=3.0)
        self.remove(lifted)
        self.add(flat)
        self.play(FadeIn(map_labels(self, bowl.view)), run_time=0.6)

        field = self.arrow_field(bowl)
        legend = self.panel(
            *field_legend(self, bowl, self.field_colours(), LENGTHS[self.params.normalization]),
            below=opening.formula,
            buff=0.45,
        )
        self.hold(legend)
        self.add(field)
        self.play(field.grow(), FadeIn(legend), run_time=2.5)
        self.wait(2.5)
        return field, legend

    def level_lines(self, chart: Chart, lift: bool = False) -> VGroup:
        """The level curves on the map, or (``lift``) raised to their height on the 3D surface."""
        return chart.view.level_curves(
            chart.levels, colour=self.palette.muted, width=2, opacity=0.85, lift=lift, samples=CONTOUR_GRID
        )

    def arrow_field(self, chart: Chart) -> ArrowField:
        """The whole field as one mobject: arrows centred on their cells, coloured by |∇f|."""
        return ArrowField.from_grid(
            chart.view, chart.grid, self.field_colours(), width=ARROW_WIDTH, tip_length=TIP_LENGTH
        )

    def field_colours(self) -> list[str]:
        return magnitude_colours(self.palette.magnitude, MAGNITUDE_BINS)

    # Section: right angles
    def right_angles(self, bowl: Chart, field: ArrowField, legend: Mobject) -> None:
        view, pal = bowl.view, self.palette
        value = float(view.f(*self.params.level_point))
        curves = gradcore.level_curves(view.f, view.box, value, samples=240)
        line = gradcore.paths.nearest_curve(curves, self.params.level_point)  # the one through level_point
        spots = np.array([xy for xy, _ in gradcore.spread_along(line, NORMAL_ARROWS)])  # where the arrows go
        radial = bool(bowl.minima) and gradcore.paths.off_radial(view.f, spots, bowl.minima[0].point) > RADIAL_ANGLE
        self.narrate("right angles", NARRATION["right angles, not radial" if radial else "right angles"])
        curve = view.polyline(line, stroke_color=pal.highlight, stroke_width=6)
        curve.level = value
        normals, elbows = normal_arrows(view, line, NORMAL_ARROWS, pal.gradient, pal.text, NORMAL_LENGTH, ELBOW)
        curve_points = view.point(line)
        corner = curve_points[np.argmax(curve_points[:, 1] - curve_points[:, 0])]  # top-left of the curve
        label = backed(self.math(f"f = {fmt(value)}", color=legible(pal.highlight, pal.background)), pal.background)
        place_label(label, corner, curve_points, inside=view.screen_box)
        along = self.say(
            "沿等高线方向 $bold(t)$：$nabla f dot bold(t) = 0$", "along the curve, $bold(t)$: $nabla f dot bold(t) = 0$"
        )
        so = self.say("所以 $nabla f perp$ 等高线", "so $nabla f perp$ the level curve")
        note = self.panel(self.mixed(along), self.mixed(so, color=pal.gradient), below=legend, buff=0.45)
        self.hold(note)
        self.play(field.fade_to(0.3), Create(curve), FadeIn(label), run_time=1.5)
        self.play(*(GrowArrow(a) for a in normals), run_time=1.2)
        self.play(Create(elbows), FadeIn(note), run_time=1.2)
        self.wait(4.0)
        linger(self)  # a key step: the arrows, their right angles and the reason beside them
        self.play(*(FadeOut(m) for m in (normals, elbows, curve, note, label)), field.fade_to(1.0), run_time=1.0)

    # Section: downhill
    def downhill(self, bowl: Chart, field: ArrowField, legend: Mobject) -> None:
        one = len(bowl.minima) == 1
        key = "downhill, some" if bowl.missed else "downhill" if one else "downhill, valleys"
        self.narrate("downhill", NARRATION[key], k=bowl.missed)
        pal = self.palette
        ink = legible(pal.descent, pal.background)
        minus = self.panel(self.math("-nabla f", color=ink), self.small("下坡最陡的方向", "the steepest way downhill", color=ink),
                           below=legend, buff=0.45)  # fmt: skip
        self.hold(minus)
        self.play(field.turn(), FadeIn(minus), run_time=2.0)
        self.wait(1.0)
        flows = self.flow_lines(bowl, [pal.descent] * len(bowl.flows))
        marks, _ = critical_marks(bowl, self.palette)
        self.play(field.fade_to(0.45), run_time=0.6)
        self.play(flows.grow(), run_time=4.0, rate_func=linear)
        self.play(FadeIn(marks, scale=1.5), run_time=0.8)
        self.wait(2.0)

    def flow_lines(self, chart: Chart, colours: list[str]) -> FlowLines:
        return FlowLines([chart.view.point(path) for path in chart.flows], colours, self.palette.outline)

    # Section: many valleys
    def many_valleys(self, valleys: Chart) -> None:
        self.narrate("many valleys", NARRATION[_valleys_key(valleys)], n=len(valleys.minima), k=valleys.missed)
        view, pal = valleys.view, self.palette
        self.clear_stage(run_time=1.0)  # the whole bowl: map, field, flow lines and panel

        palette = minimum_colours(self.palette)
        flows = self.flow_lines(
            valleys, [palette[i % len(palette)] if i is not None else pal.muted for i in valleys.ends]
        )
        divides = divide_lines(valleys, pal.text)
        field = self.arrow_field(valleys)
        minima, saddles = critical_marks(valleys, self.palette)

        title = self.panel(landscape_title(self, self.params.raw["second_formula"], view.f, "f", PANEL_WIDTH))
        arrows = self.mixed(
            self.say("箭头：$-nabla f$", "arrows: $-nabla f$"), color=legible(pal.descent, pal.background)
        )
        legend = self.panel(field_legend(self, valleys, self.field_colours(), None)[0], arrows, below=title, buff=0.4)
        keys = self.panel(*self.critical_legend(valleys), below=legend, buff=0.4)
        self.hold(title, legend, keys)
        frame = view.frame(pal.axes, 2, axis_colour=pal.grid)
        labels, levels = map_labels(self, view), self.level_lines(valleys)
        self.play(FadeIn(title), Create(frame), FadeIn(labels), Create(levels), run_time=2.0)
        self.add(field)
        self.play(field.grow(), FadeIn(legend), run_time=2.0)
        self.wait(1.0)
        self.play(field.fade_to(0.45), run_time=0.6)
        self.play(flows.grow(), run_time=5.0, rate_func=linear)
        self.play(Create(divides), FadeIn(minima, scale=1.5), FadeIn(saddles, scale=1.5), FadeIn(keys), run_time=1.5)
        self.wait(3.0)
        linger(self)  # a key step: the divides, the saddles on them and the flow lines parting there

    def critical_legend(self, chart: Chart) -> list[Mobject]:
        """Keys for the marks of step 5: minima (lowest, tied or not, and others), saddles, flow colours."""
        palette = minimum_colours(self.palette)
        colours = [palette[i % len(palette)] for i in range(len(chart.minima))]
        return critical_keys(chart.minima, chart.saddles, colours, self.palette, self.small, chart.divides)

    # Section: summary
    def summary(self, bowl: Chart, valleys: Chart) -> None:
        everywhere = not (bowl.missed or valleys.missed)
        self.narrate("summary", NARRATION["summary" if everywhere else "summary, downhill"])
        self.clear_stage()
        steepness = STEEPNESS["unit" if self.params.normalization == "unit" else "lengths"]
        picked = [SUMMARY[0], steepness, SUMMARY[2], LAST_LINE[valleys.reached > 1]]
        pal = self.palette
        lines = [
            self.mixed(self.say(zh, en), color=legible(getattr(pal, colour), pal.background))
            for zh, en, colour in picked
        ]
        self.show_summary(*lines)

    # --- the narration and the panel ---------------------------------------------------
    def narrate(self, section: str, line: tuple[str, str], **numbers: int) -> None:
        """Start the step ``section`` with ``line`` (zh, en), its ``{n}``/``{k}`` filled in from the numbers."""
        zh, en = line
        self.step(section, zh=zh.format(**numbers), en=en.format(**numbers))

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
            return group.move_to(PANEL_TOP_LEFT, aligned_edge=UP + LEFT)
        group.next_to(below, DOWN, buff=buff, aligned_edge=LEFT)
        return group.set_x(PANEL_TOP_LEFT[0], direction=LEFT)

    def small(self, zh: str, en: str, color: str | None = None) -> Mobject:
        """A small line of plain text in the viewer's language."""
        return self.text(self.say(zh, en), color=color, size=SIZE.SMALL)


def _valleys_key(chart: Chart) -> str:
    """Which line of NARRATION step 5 says, from how many minima there are and how many the flow lines reach."""
    if len(chart.minima) == 1:
        return "single valley, some" if chart.missed else "single valley"
    if chart.reached > 1:
        return "many valleys" if chart.divides else "many valleys, no saddle"
    return "many valleys, one reached" if chart.reached else "many valleys, none reached"


__all__ = ["Chart", "GradientField", "Opening"]
