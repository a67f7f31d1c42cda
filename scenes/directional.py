"""The 360° argument: the slope along u is D_u f = ∇f · u = |∇f| cos θ (``manim render -ql scenes/directional.py``).

The default formula is ``x^2 + 3*y^2``, not the round bowl ``x^2 + y^2``: on a round bowl the level curves
are circles, so "∇f is perpendicular to the level curve" and "∇f points straight away from the centre" look the
same, and a student can leave with the wrong rule. On the stretched bowl the two differ by about 30° at
p₀ = (1, 0.5), and the picture shows which one is true. Only the opening is 3D (see scenes/toolkit/opening.py for its cost notes); from step 2 on the scene is flat.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DEGREES,
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    Line,
    Mobject,
    RightAngle,
    Text,
    VGroup,
    VMobject,
    always_redraw,
    linear,
    smooth,
)

import gradcore
from scenes.toolkit import SIZE, LectureThreeDScene, Param
from scenes.toolkit import numbers as live
from scenes.toolkit.base import MovingOnTop
from scenes.toolkit.derivation import ladder, reveal
from scenes.toolkit.fades import fade_in, fade_out
from scenes.toolkit.graph import Graph, sign_arcs, sign_legend, value_range
from scenes.toolkit.landscape import LandscapeView
from scenes.toolkit.layout import label_outlines
from scenes.toolkit.opening import SurfaceToMap
from scenes.toolkit.plotting import LabelPlacer, fit_width, fmt, paren, row
from scenes.toolkit.text import halo

MAP_CENTRE = np.array([-3.7, 0.2, 0.0])  # the top-view map fills a square this wide on the left
MAP_SIDE = 5.6
COLUMN_LEFT = 0.15  # the right-hand column (readouts, slice, formulas, cosine) starts here
COLUMN_WIDTH = 6.75
NOTE_AT = [COLUMN_LEFT, -2.62, 0]  # left end of the one-line note at the foot of the column
SLICE_CHART = {"x_length": 5.6, "y_length": 2.9, "centre": (COLUMN_LEFT + 3.4, 0.15)}  # t ↦ f(p₀ + t u), step 3
COSINE_CHART = {"x_length": 5.6, "y_length": 3.0, "centre": (COLUMN_LEFT + 3.55, 0.05)}  # θ ↦ D_u f, steps 5–6
SURFACE_FACES = 24  # faces per side of the 3D surface
SURFACE_HEIGHT = 2.4  # world height from the lowest to the highest value on the square
CAMERA_3D = {"phi": 58 * DEGREES, "theta": -62 * DEGREES}  # the 3D view (zoom: fitted to SURFACE_BOX)
SURFACE_BOX = ((-4.6, 4.6), (-2.6, 3.2))  # screen box the 3D surface is fitted into: (x, y) ranges
CAMERA_TOP = {"phi": 0.0, "theta": -90 * DEGREES, "zoom": 1.0}
U_SCREEN = (0.9, 2.0)  # u is drawn at its true length 1 when that spans this much of the screen
LEVELS = 7  # level curves on the map, besides the one through p₀
THETA_SHOW = 50.0  # the angle θ at which the formula is worked out with numbers
STOPS = (0.0, 90.0, 215.0)  # directions of u (degrees from +x) visited in the slice step
SLOPE = (0.05, 999.0)  # |∇f(p₀)| the readouts show at two decimals without losing digits
THETAS = np.linspace(0, 360, 721)  # θ samples of the traced cosine (and of the signs in step 2): every half degree

# fmt: off
LINES = {  # the narration of each step, {"zh": …, "en": …}; {name} is filled in by the step
    "surface and map": {"zh": "这是曲面 z = f(x, y)，我们站在点 p₀ 上。从正上方看，它变成一张等高线地图。",
                        "en": "This is the surface z = f(x, y), and we stand at p₀. Seen from straight above, it becomes a map of level curves."},
    "every direction": {"zh": "在 p₀ 可以朝 360° 中任何一个方向走。让单位向量 u 转一圈：一半方向上坡，一半下坡。",
                        "en": "From p₀ we can step in any of 360° of directions. As the unit arrow u turns, half of them go uphill and half downhill."},
    "slope along u": {"zh": "沿 u 把曲面切开，切线在 t = 0 处的斜率就是沿 u 的方向导数。沿 x 轴是 ∂f/∂x（把 y 当作常数），沿 y 轴是 ∂f/∂y。",
                      "en": "Slice along u: the slope of the slice at t = 0 is the directional derivative along u. Along x it is ∂f/∂x (y held fixed), along y ∂f/∂y."},
    "the dot product": {"zh": "沿 u 走，x 按 u 的第一个分量变，y 按第二个分量变，所以斜率是点积 ∇f · u = |∇f| |u| cos θ = |∇f| cos θ。",
                        "en": "Along u, x changes by u's first component and y by its second, so the slope is ∇f · u = |∇f| |u| cos θ = |∇f| cos θ."},
    "the cosine": {"zh": "u 再转一圈，斜率画出一条振幅为 |∇f| 的余弦：θ = 0 最陡上坡，90° 和 270° 沿等高线为零，180° 最陡下坡。",
                   "en": "As u turns again, the slope traces |∇f| cos θ: steepest up at θ = 0°, zero along the level curve at 90° and 270°, steepest down at 180°."},
    "at the bottom": {"zh": "把 p₀ 移到谷底：∇f 缩成 0，否则沿 −∇f 走一小步还会更低。那里每个方向的斜率都是 0，但往哪走 f 都升高。",
                      "en": "Slide p₀ to the bottom: ∇f shrinks to 0, or a small step along −∇f would go lower. Every slope is 0 there, yet f rises every way."},
    "over a rise": {"zh": "把 p₀ 移到谷底：途中 |∇f| 有增有减，到极小值处 ∇f = 0，否则沿 −∇f 还能更低。那里斜率都是 0，但往哪走 f 都升高。",
                    "en": "Slide p₀ down: |∇f| rises and falls on the way; at the minimum ∇f = 0, or −∇f would lead lower. All slopes are 0; f rises every way."},
    "at a flat point": {"zh": "把 p₀ 移到 ∇f = 0 的点（这里是{name}）：余弦被压平，每个方向的斜率都是 0。", "en": "Slide p₀ to where ∇f = 0 (here a {name}): the cosine flattens, every direction has slope 0."},
    "summary": {"zh": "∇f 的方向是最陡的上坡，长度 |∇f| 就是这个最大的斜率，−∇f 是最陡的下坡：后面每个场景都沿它走。", "en": "∇f points the steepest way up, |∇f| is that steepest slope, and −∇f is the steepest way down: the move every later scene makes."},
}
WORDS = {  # what the steps write on screen besides the formulas (zh, en)
    "uphill": ("上坡：f 增大", "uphill: f increases"), "downhill": ("下坡：f 减小", "downhill: f decreases"),
    "half": ("一半方向上坡，一半下坡。\n哪个方向最陡？", "Half go uphill, half downhill.\nWhich way is the steepest?"),
    "tangent": ("切线斜率 $= D_u f$", "slope of the tangent $= D_u f$"), "level": ("沿等高线", "along the\nlevel curve"),
    "ascent": ("最陡上坡", "steepest\nascent"), "descent": ("最陡下坡", "steepest\ndescent"),
    "scale": ("（箭头按 ×{s} 画）", "(arrow drawn ×{s})"),  # {s}: its map length per unit of |∇f|
    "verdict": ("$nabla f = 0$：每个方向的斜率都是 0", "$nabla f = 0$: every direction has slope 0"),
}
KINDS = {  # the flat point of step 6: its name in the narration (zh, en) and on the map (zh, en)
    "minimum": ("极小值", "minimum", "极小值", "minimum"), "maximum": ("极大值点", "maximum", "极大值", "maximum"),
    "saddle": ("鞍点", "saddle", "鞍点", "saddle"), "flat": ("平坦点", "flat point", "平坦点", "flat point"),
}
QUARTERS = {  # the stops of step 5 (θ in degrees): palette colour and note (zh, en); {g} is |∇f|
    0: ("gradient", "θ = 0°：u 沿 ∇f，斜率最大 = |∇f| = {g}", "θ = 0°: u along ∇f, largest slope |∇f| = {g}"),
    90: ("curve", "θ = 90°：u 沿等高线，斜率 = 0", "θ = 90°: u along the level curve, slope 0"),
    180: ("descent", "θ = 180°：u 沿 −∇f，斜率最小 = −{g}", "θ = 180°: u along −∇f, lowest slope −{g}"),
    270: ("curve", "θ = 270°：又沿等高线，斜率 = 0", "θ = 270°: along the level curve again, 0"),
    360: ("gradient", "所以 ∇f 垂直于等高线，指向最陡上坡", "So ∇f ⊥ level curve, pointing steepest up"),
}
SUMMARY = [  # the closing card: palette colour and line (zh, en)
    ("text", "$D_u f = nabla f dot u = abs(nabla f) cos theta$", "$D_u f = nabla f dot u = abs(nabla f) cos theta$"),
    ("gradient", "$nabla f$ 的方向：最陡的上坡（$theta = 0$）", "direction of $nabla f$: steepest ascent ($theta = 0$)"),
    ("gradient", "$abs(nabla f)$：有多陡，即最大的斜率", "$abs(nabla f)$: how steep, the largest slope"),
    ("descent", "$-nabla f$：最陡的下坡，后面每个场景都走这一步", "$-nabla f$: steepest descent, the move every later scene uses"),
    ("curve", "沿等高线斜率为 0；在极小值处 $nabla f = 0$", "slope 0 along the level curve; $nabla f = 0$ at a minimum"),
]
# fmt: on


def u_length(square: list[float]) -> float:
    """Map length of the arrow u: 1 when that is 0.9 to 2 screen units on the map, else 1.4 screen units."""
    unit = MAP_SIDE / (square[1] - square[0])
    return 1.0 if U_SCREEN[0] <= unit <= U_SCREEN[1] else 1.4 / unit


class DirectionalDerivative(MovingOnTop, LectureThreeDScene):
    """Every direction at p₀, its slope D_u f, and why ∇f is the steepest one."""

    config_table = "directional"
    # fmt: off
    parameters = {
        "formula": Param("x^2 + 3*y^2", "the surface z = f(x, y)", "formula", variables=("x", "y"), finite_on=("square", "square")),
        "square": Param([-2.0, 2.0], "the plotted square: x and y both span this interval", "range"),
        "point": Param([1.0, 0.5], "the point p₀ where u turns (at least u's length inside the square)", "point", size=2, inside=("square", "square")),
        "turn_speed": Param(45.0, "how fast u turns, in degrees per second (15 to 180)", "positive", lower=15.0, maximum=180.0),
    }
    # fmt: on

    @classmethod
    def check_params(cls, params) -> str | None:
        """The surface slopes readably at p₀ and has a smooth flat point in the square for step 6."""
        box, size = (params.square, params.square), params.square[1] - params.square[0]
        if (view := LandscapeView(params.formula, box)).high - view.low < 1e-9:
            return "key 'formula': f is constant on the square, so there is no slope to show"
        lo, hi, p, reach = *params.square, np.asarray(params.point, dtype=float), u_length(params.square)
        inner = ((lo + reach, hi - reach),) * 2  # where u, turning, stays on the map
        room, norm = float(np.min([p - lo, hi - p])), float(np.hypot(*params.formula.gradient(p)))
        if room < reach - 1e-9 or not SLOPE[0] <= norm <= SLOPE[1]:
            better = gradcore.point_with_slope(params.formula, inner, p, 10 * SLOPE[0], SLOPE[1] / 10)
            way = "change the formula" if better is None else f"try point = {better.tolist()}"
            if room < reach - 1e-9:
                return f"key 'point': p₀ is {room:.3g} from the edge of the square, but u (length {reach:.3g}) turns round it and must stay on the map; {way}"
            return f"key 'point': |∇f(p₀)| = {norm:.3g}, outside [{SLOPE[0]}, {SLOPE[1]}] (readable in the readouts); {way}"
        if (flat := gradcore.flat_point(params.formula, box)) is None:
            wide = gradcore.square_with_flat_point(params.formula, params.square, 1e4)
            way = f"try square = {list(wide)}" if wide else "use an f with a minimum, e.g. x^2 + 3*y^2"
            return f"keys 'formula' and 'square': no point with ∇f = 0 inside the square for step 6; {way}"
        if not gradcore.gradient_vanishes_smoothly(params.formula, flat.point, size):
            where = np.round(flat.point, 2).tolist()
            return f"key 'formula': the flat point {where} is a kink (∇f jumps there), so not every slope is 0; use a smooth f"
        return None

    def setup(self) -> None:
        """The numbers of the clip: p₀ and ∇f there, the flat point of step 6, the arrows' drawn lengths."""
        super().setup()
        p = self.params
        self.f, self.box, self.p0 = p.formula, (p.square, p.square), np.asarray(p.point, dtype=float)
        self.target = gradcore.flat_point(self.f, self.box)
        self.view = LandscapeView(
            self.f, self.box, centre=MAP_CENTRE, size=MAP_SIDE, height=SURFACE_HEIGHT, samples=61, world_centre=(0, 0)
        )  # equal scales: angles on the map are true
        g0 = gradcore.gradient(self.f, self.p0)
        self.grad_norm, self.phi_g = float(np.hypot(*g0)), float(np.degrees(np.arctan2(g0[1], g0[0])))
        self.u_scale = u_length(p.square)  # map length of u
        # ∇f is drawn longer than u (so both show when they line up) but stays inside the square
        room = gradcore.distance_to_edge(self.p0, live.unit_vectors(self.phi_g), self.box)
        self.grad_scale = min(1.45 * self.u_scale, 0.9 * room) / self.grad_norm
        (lo, hi), _ = self.box
        self.reach = float(np.clip(np.minimum(self.p0 - lo, hi - self.p0).min(), 0.2 * (hi - lo), 0.3 * (hi - lo)))
        self.compass = live.Compass(
            self.f, self.view.point, self.p0, self.target.point, u_length=self.u_scale, grad_scale=self.grad_scale
        )
        self.alpha, self.slide = self.compass.alpha, self.compass.slide  # u's direction (°); 0 → 1: p₀ → flat point

    def narrate(self, section: str, line: str | None = None, name: tuple[str, str] = ("", "")) -> None:
        """Start the step ``section`` with its line from LINES (or the entry ``line``), ``{name}`` filled in."""
        text = LINES[line or section]
        self.step(section, zh=text["zh"].format(name=name[0]), en=text["en"].format(name=name[1]))

    def label(self, key: str, colour: str, outline: bool = False, maths: bool = False) -> Mobject:
        """The entry ``key`` of WORDS, small: plain text (outlined for the map), or Typst (``$…$`` is maths)."""
        words = self.say(*WORDS[key]).format(s=f"{self.grad_scale:.2g}")
        label = (self.mixed if maths else self.text)(words, color=colour, size=SIZE.SMALL)
        return halo(label, self.palette.outline, 3) if outline else label

    def construct(self) -> None:
        """The storyboard. ``self.cast``, ``self.angle`` and ``self.trace`` are the live pieces the updaters read."""
        self.map_names: list[Mobject] = []  # x, y, then θ, as they appear: u's and ∇f's names keep off them
        self.cast = self.compass.cast(self.palette, self.view.screen_box, lambda: self.map_names)  # p, u, ∇f; D_u f
        ring, p0_name = self.surface_and_map()
        compass = self.every_direction(p0_name)
        slice_parts = self.slope_along_u()
        formulas = self.dot_product(compass, *slice_parts)  # sets self.angle
        self.cosine(ring, formulas)  # sets self.trace
        self.at_the_bottom(ring)
        self.summary()

    # Section: surface and map
    def surface_and_map(self) -> tuple[VGroup, Mobject]:
        """The surface in 3D with p₀ and its level curve, then the top view: returns that curve and p₀'s name."""
        self.narrate("surface and map")
        pal, view = self.palette, self.view
        title = self.math(f"z = f(x, y) = {self.f.typst}", color=pal.curve, size=SIZE.LABEL)
        self.pin(fit_width(title, MAP_SIDE + 0.6).move_to([MAP_CENTRE[0], 3.62, 0]))
        opening = SurfaceToMap(self, view, self.p0)
        opening.show_surface(CAMERA_3D, SURFACE_BOX, SURFACE_FACES, title, name="p_0")
        opening.look_down(CAMERA_TOP)
        ring = opening.unfold(self.cast.dot, LEVELS)
        self.map_names.extend(opening.axis_names)
        name = self.math("p_0 = ({}, {})".format(*map(fmt, self.p0)), color=pal.highlight, size=SIZE.SMALL)
        self.play(FadeIn(self.map_label(name, view.point(self.p0))), run_time=0.6)
        self.wait(1.0)
        return ring, name

    def map_label(self, label: Mobject, anchor: np.ndarray, buff: float = 0.15) -> Mobject:
        """``label``, outlined, below left of the map point ``anchor``."""
        return halo(label, self.palette.outline, 3).next_to(anchor, DOWN + LEFT, buff=buff)

    # Section: every direction
    def every_direction(self, p0_name: Mobject) -> VGroup:
        """u turns once round p₀, leaving arcs coloured uphill and downhill: returns α's arc, reference and readout."""
        self.narrate("every direction")
        pal, cast, alpha = self.palette, self.cast, self.alpha
        centre = self.view.point(self.p0)
        reference = DashedLine(centre, centre + RIGHT * 0.75, color=pal.muted, stroke_width=2)
        arc = live.live_arc(lambda: (centre, 0, alpha.get_value()), 0.42, color=pal.muted, stroke_width=3)
        readout = live.degrees_readout("alpha", alpha.get_value, pal.direction).move_to([COLUMN_LEFT, 3.45, 0], LEFT)
        unit_note = self.math("abs(u) = 1", color=pal.direction, size=SIZE.SMALL)
        unit_note.move_to([COLUMN_LEFT + 3.3, 3.45, 0], aligned_edge=LEFT)
        uphill, radius = self.compass.slopes(self.p0, THETAS) > 0, self.u_scale * self.view.unit + 0.2
        colours = (pal.gradient, pal.descent)
        trail = always_redraw(lambda: sign_arcs(centre, radius, THETAS, uphill, alpha.get_value(), colours))
        legend = sign_legend([(c, self.label(k, c)) for c, k in ((pal.gradient, "uphill"), (pal.descent, "downhill"))])
        legend.move_to([COLUMN_LEFT, 2.35, 0], aligned_edge=UP + LEFT)
        self.add(trail)
        self.play(
            *fade_in(cast.u, cast.u_name), Create(reference), *fade_in(readout, unit_note, legend), FadeOut(p0_name)
        )
        self.add(arc)
        self.play(alpha.animate.set_value(360), run_time=max(1.0, 360 / self.params.turn_speed), rate_func=linear)
        half = fit_width(self.text(self.say(*WORDS["half"]), size=SIZE.LABEL), COLUMN_WIDTH)
        self.play(FadeIn(half.next_to(legend, DOWN, buff=0.45, aligned_edge=LEFT)), run_time=0.6)
        self.wait(1.5)
        alpha.set_value(0.0)
        trail.clear_updaters()
        self.play(*fade_out(trail, legend, half, unit_note), run_time=0.6)
        return VGroup(arc, reference, readout)

    # Section: slope along u
    def slope_along_u(self) -> tuple[VGroup, VGroup]:
        """The slice t ↦ f(p₀ + t u) and its tangent at t = 0: returns the chart's still parts and its live ones."""
        self.narrate("slope along u")
        pal, cast, chart = self.palette, self.cast, self.slice_chart(self.p0)
        moving = self.compass.slice(chart, self.reach, curve=pal.curve, tangent=pal.tangent)  # cut, slice, tangent
        dot = Dot(chart.point(0, float(self.f(*self.p0))), radius=0.07, color=pal.highlight)
        t, slice_name = self.math("t", color=pal.muted, size=SIZE.SMALL), "f(p_0 + t u)"
        labels = chart.axis_names(t, self.math(slice_name, color=pal.curve, size=SIZE.SMALL), buff=(0.08, 0.12))
        cast.readout.move_to([COLUMN_LEFT + 3.3, 3.45, 0], aligned_edge=LEFT)
        note = self.label("tangent", pal.tangent, maths=True).next_to(chart.axes, DOWN, buff=0.3)
        note.set_x(chart.axes.get_x())
        self.add(moving[0])
        self.bring_to_front(cast.dot, cast.u, cast.u_name)
        self.play(*fade_in(chart.axes, labels), Create(moving[1]), *fade_in(dot, cast.readout, moving[0]), run_time=1.2)
        self.play(Create(moving[2]), FadeIn(note), run_time=0.8)
        self.visit_stops()
        return VGroup(chart.axes, labels, dot, note), moving

    def slice_chart(self, at: np.ndarray) -> Graph:
        """The chart of the slice t ↦ f(at + t u), t in ±reach, tall enough for every direction."""
        t, r = np.linspace(-self.reach, self.reach, 41), self.reach
        xy = at + t[:, None, None] * live.unit_vectors(np.arange(0, 360, 5))  # every 5°, t in ±reach
        lo, hi = value_range(self.f(*np.moveaxis(xy, -1, 0)), pad=0.08)
        return Graph((-r, r), (lo, hi), x_step=r, y_step=hi - lo, **Graph.column_style(SLICE_CHART, self.palette.axes))

    def visit_stops(self) -> None:
        """u stops at each of STOPS; along x and along y the slope is named as a partial derivative."""
        g = self.compass.gradient(self.p0)
        for stop in STOPS:
            if turn := abs(stop - self.alpha.get_value()):
                run_time = max(0.8, turn / self.params.turn_speed * 1.5)
                self.play(self.alpha.animate.set_value(stop), run_time=run_time, rate_func=smooth)
            if stop not in (0.0, 90.0):
                self.wait(1.2)
                continue
            name, value = ("x", g[0]) if stop == 0.0 else ("y", g[1])
            rule = self.f.diff(name).typst  # the partial as a formula, when it is short enough to read at a glance
            partial = f"= (partial f)/(partial {name}) = " + (f"{rule} = " if len(rule) <= 24 else "") + fmt(value)
            note = fit_width(self.math(partial, color=self.palette.tangent, size=SIZE.LABEL), COLUMN_WIDTH)
            self.play(FadeIn(note.move_to([COLUMN_LEFT, 3.15, 0], aligned_edge=UP + LEFT)), run_time=0.5)
            self.wait(1.2)
            self.play(FadeOut(note), run_time=0.4)

    # Section: the dot product
    def dot_product(self, compass: VGroup, slice_still: VGroup, slice_live: VGroup) -> VGroup:
        """∇f appears and u turns THETA_SHOW past it; θ replaces α; the formula is worked out: returns it."""
        self.narrate("the dot product")
        pal, cast = self.palette, self.cast
        slice_live.clear_updaters()  # and those of its parts
        self.play(FadeOut(slice_still), *fade_out(*slice_live), run_time=0.6)
        (x0, y0), g = self.p0, self.compass.gradient(self.p0)
        facts = VGroup(
            self.math(f"nabla f({fmt(x0)}, {fmt(y0)}) = ({fmt(g[0])}, {fmt(g[1])})", color=pal.gradient),
            row(self.math(f"abs(nabla f) = {fmt(self.grad_norm)}", color=pal.gradient), self.label("scale", pal.muted)),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        fit_width(facts, COLUMN_WIDTH).move_to([COLUMN_LEFT, 2.75, 0], aligned_edge=UP + LEFT)
        self.add(cast.nabla)
        self.bring_to_front(cast.u, cast.dot, cast.u_name)
        self.play(*fade_in(cast.nabla, cast.nabla_name, facts), run_time=1.0)
        target = self.phi_g + THETA_SHOW
        target -= 360 * np.floor((target - self.alpha.get_value() + 180) / 360)  # the shorter way round
        self.play(self.alpha.animate.set_value(target), run_time=1.2)
        self.compass.measured = "theta"  # the readout is D_u f at the θ shown from now on
        self.angle = self.measure_theta(compass)
        return self.work_out(facts)

    def measure_theta(self, compass: VGroup) -> live.Angle:
        """α's arc, reference line and readout give way to θ, measured from ∇f anticlockwise to u."""
        (alpha_arc, reference, alpha_readout), angle = compass, self.compass.theta_marks(self.palette)
        self.map_names.append(angle.name)  # u's and ∇f's names keep off it
        angle.readout.move_to(alpha_readout, aligned_edge=LEFT)
        alpha_arc.clear_updaters()
        self.play(*fade_out(alpha_arc, reference, alpha_readout), Create(angle.arc), *fade_in(*angle[1:]), run_time=0.8)
        self.bring_to_front(self.cast.u_name, self.cast.nabla_name)  # placed after θ's name each frame, on top
        return angle

    def work_out(self, facts: VGroup) -> VGroup:
        """D_u f from the partials (the slice's chain rule), then ∇f · u = |∇f| cos θ, in numbers: returns what to clear."""
        value, tangent = float(self.compass.slopes(self.p0, self.alpha.get_value())), self.palette.tangent
        g = self.compass.gradient(self.p0)
        numbers = f"= {fmt(self.grad_norm)} dot cos {self.compass.theta():.0f} degree = {fmt(value)}"
        forms = (
            "= (partial f)/(partial x) u_x + (partial f)/(partial y) u_y",
            f"= {fmt(g[0])} u_x + {paren(fmt(g[1]))} u_y",
        )
        forms += ("= nabla f dot u", "= abs(nabla f) thin abs(u) cos theta", "= abs(nabla f) cos theta")
        lines = ladder(self.math("D_u f"), [*map(self.math, forms), self.math(numbers, color=tangent)], buff=0.12)
        fit_width(lines, COLUMN_WIDTH).next_to(facts, DOWN, buff=0.25, aligned_edge=LEFT)
        unit_note = self.math("(abs(u) = 1)", color=self.palette.direction, size=SIZE.SMALL)
        reveal(self, lines[:5], at_4=fade_in(unit_note.next_to(lines[4], RIGHT, buff=0.4)))
        readout = self.cast.readout
        self.play(FadeIn(lines[5], shift=0.2 * RIGHT), readout.animate.scale(1.15), run_time=0.8)
        self.play(readout.animate.scale(1 / 1.15), run_time=0.4)
        self.wait(1.5)
        return VGroup(lines, unit_note, facts)

    # Section: the cosine
    def cosine(self, ring: VGroup, formulas: VGroup) -> None:
        """u turns once more from ∇f and D_u f traces |∇f| cos θ, with a note at every quarter turn."""
        self.narrate("the cosine")
        pal = self.palette
        law = self.math("D_u f = abs(nabla f) cos theta", color=pal.text).move_to([COLUMN_LEFT, 2.7, 0], LEFT)
        norm = live.fast_number(self.grad_norm, color=pal.gradient)  # live in step 6
        amplitude = VGroup(self.math("abs(nabla f) =", color=pal.gradient), norm).arrange(RIGHT, buff=0.15)
        self.play(*fade_out(*formulas), *fade_in(law, amplitude.next_to(law, RIGHT, buff=0.6)), run_time=0.8)
        trace, parts = self.cosine_chart(norm)
        self.trace, self.cosine_parts = trace, parts
        self.play(FadeIn(parts), run_time=0.8)
        back = abs(self.phi_g - self.alpha.get_value())
        self.play(self.alpha.animate.set_value(self.phi_g), run_time=max(0.6, back / self.params.turn_speed * 1.5))
        self.alpha.set_value(self.phi_g)
        trace.line.so_far()
        trace.line.curve.add_updater(lambda m: trace.line.so_far())
        self.add(trace.line.curve, trace.line.marker)
        self.visit_quarters(trace, self.map_placer(ring))
        trace.line.curve.clear_updaters()

    def cosine_chart(self, norm: Mobject) -> tuple[live.Trace, VGroup]:
        """θ from 0° to 360° against D_u f, the levels ±|∇f| dashed and named: the trace, and what to fade in."""
        pal, g, top = self.palette, self.grad_norm, 1.25 * self.grad_norm
        chart = Graph((0, 360), (-top, top), x_step=90, y_step=top, **Graph.column_style(COSINE_CHART, pal.axes, True))

        def tick(a: float) -> Mobject:
            return self.math(f"{a} degree" if a else "theta", color=pal.muted if a else pal.highlight, size=SIZE.SMALL)

        ticks = chart.x_labels((90, 180, 270, 360, 0), tick)
        levels = VGroup(
            *(chart.hline(s * g, color=c, stroke_width=2) for s, c in ((1, pal.gradient), (-1, pal.descent)))
        )
        names = VGroup(
            chart.y_label(self.math("abs(nabla f)", color=pal.gradient, size=SIZE.SMALL), g),
            chart.y_label(self.math("-abs(nabla f)", color=pal.descent, size=SIZE.SMALL), -g),
        )
        name = self.math("D_u f", color=pal.tangent, size=SIZE.SMALL).next_to(chart.point(0, top), UP + RIGHT, 0.05)
        curve, marker = VMobject(stroke_color=pal.tangent, stroke_width=5), Dot(radius=0.07, color=pal.tangent)
        trace = live.Trace(live.SlopeTrace(self.compass, chart, THETAS, curve, marker), levels, names, norm)
        return trace, VGroup(chart.axes, ticks, levels, names, name)

    def visit_quarters(self, trace: live.Trace, placer: LabelPlacer) -> None:
        """u stops every 90° from ∇f: a dot on the cosine, a note under it and marks on the map."""
        for stop, (colour, zh, en) in QUARTERS.items():
            if gone := [m for m in trace.map_marks if isinstance(m, Text)]:  # a stop's words go before u moves on
                self.play(*fade_out(*gone), run_time=0.3)
                trace.map_marks.remove(*gone)
            if stop:
                run_time = max(0.5, 90 / self.params.turn_speed)
                self.play(self.alpha.animate.set_value(self.phi_g + stop), run_time=run_time, rate_func=linear)
            colour = getattr(self.palette, colour)
            at = trace.line.chart.point(stop, self.compass.slopes(self.p0, self.phi_g + stop))
            mark = Dot(at, radius=0.09, color=colour)
            note = self.text(self.say(zh, en).format(g=fmt(self.grad_norm)), color=colour, size=SIZE.SMALL)
            fit_width(note, COLUMN_WIDTH).move_to(NOTE_AT, aligned_edge=LEFT)
            extra = self.map_marks(stop, placer)
            self.play(FadeIn(mark, scale=1.6), FadeIn(note), *fade_in(*extra), *fade_out(*trace.note), run_time=0.6)
            trace.marks.add(mark)
            trace.map_marks.add(*extra)
            trace.note = VGroup(note)
            self.wait(1.4 if stop in (0, 90, 180, 360) else 0.8)

    def map_marks(self, stop: int, placer: LabelPlacer) -> list[Mobject]:
        """What the map shows at θ = ``stop``: the steepest ways up and down, the level curve's tangent."""
        pal, centre, unit = self.palette, self.view.point(self.p0), self.view.unit
        up, across = (np.array([*live.unit_vectors(angle), 0.0]) for angle in (self.phi_g, self.phi_g + 90))
        placer.keep_off(*label_outlines(self), hard=True)  # every label now, u's and θ's names where they are
        if stop in (0, 180):
            key, colour = ("ascent", pal.gradient) if stop == 0 else ("descent", pal.descent)
            reach = 0.7 * (self.grad_scale * self.grad_norm * unit) if stop == 0 else -0.7 * (self.u_scale * unit)
            return [placer.place(self.label(key, colour, outline=True), centre + reach * up)]
        if stop != 90:
            return []
        half = 0.75 * (self.u_scale * unit) + 0.6
        ends = [centre + half * across, centre - half * across]
        line = DashedLine(ends[1], ends[0], color=pal.curve, stroke_width=3)
        legs = Line(centre, centre + across), Line(centre, centre + up)
        right = RightAngle(*legs, length=0.22, color=pal.text, stroke_width=2)
        placer.keep_off(np.linspace(ends[1], ends[0], 40))
        roomy = min(ends, key=lambda q: np.abs(q - MAP_CENTRE)[:2].max())  # the end further from the map's edge
        return [line, right, placer.place(self.label("level", pal.curve, outline=True), roomy)]

    def map_placer(self, ring: VGroup) -> LabelPlacer:
        """Places the map notes inside the map, clear of ∇f and its label, u at θ = 180°, the θ arc and the ring."""
        centre, up, unit = self.view.point(self.p0), np.array([*live.unit_vectors(self.phi_g), 0.0]), self.view.unit
        anchors = np.vstack([part.get_anchors() for part in ring])
        name, turning = self.cast.nabla_name, (self.angle.name, self.cast.u_name)  # names that go round with u
        radii = [0.75, *(np.linalg.norm(m.get_center() - centre) + d for m in turning for d in (-0.15, 0, 0.15))]
        around = [[*(r * live.unit_vectors(a)), 0.0] for a in range(0, 360, 10) for r in radii] + centre
        lengths = ((self.grad_scale * self.grad_norm, 30), (-self.u_scale, 20))  # ∇f, and u at θ = 180°
        arrows = [np.linspace(centre, centre + k * unit * up, n) for k, n in lengths]
        name_box = [np.linspace(name.get_corner(DOWN + LEFT), name.get_corner(UP + RIGHT), 5)]
        avoid = [*name_box, around, *arrows, anchors[:: max(1, len(anchors) // 120)]]
        left, right, bottom, top = self.view.screen_box
        return LabelPlacer((left + 0.05, right - 0.05, bottom + 0.05, top - 0.05), avoid, buff=0.12)

    # Section: at the bottom
    def at_the_bottom(self, ring: VGroup) -> None:
        """The marks of step 5 go; p slides to the flat point, ∇f and ±|∇f| shrink, the cosine flattens."""
        kind = self.target.kind if self.target.kind in KINDS else "flat"
        norms = np.hypot(*gradcore.gradient(self.f, np.linspace(self.p0, self.target.point, 65)).T)  # on the slide
        shrinks = ("at the bottom",) if np.diff(norms).max() <= 1e-9 else ("over a rise",)
        line = shrinks if kind == "minimum" else ("at a flat point", KINDS[kind][:2])
        self.narrate("at the bottom", *line)
        cast, angle, trace = self.cast, self.angle, self.trace
        angle.name.clear_updaters()
        angle.arc.clear_updaters()
        gone = (trace.marks, trace.map_marks, *trace.note, *angle, ring, trace.names, trace.line.marker)
        self.play(*fade_out(*gone, cast.u, cast.u_name, cast.readout), run_time=0.7)  # u would hide ∇f

        def norm_now() -> float:
            return float(np.hypot(*self.compass.gradient(self.compass.p())))

        trace.line.curve.add_updater(lambda m: trace.line.whole())
        cast.dot.add_updater(lambda d: d.move_to(self.view.point(self.compass.p())))
        trace.norm.add_updater(lambda m: live.show(m, norm_now()))
        for line, sign in zip(trace.levels, (1, -1), strict=True):  # ±|∇f| follow the shrinking gradient
            line.add_updater(lambda m, sign=sign: m.set_y(trace.line.chart.height_of(sign * norm_now())))
        cast.nabla_name.clear_updaters()
        fade = FadeOut(cast.nabla_name, rate_func=lambda t: min(1.0, 1.6 * t))
        self.play(self.slide.animate.set_value(1.0), fade, run_time=3.0)
        self.slide.set_value(1.0)
        self.every_slope_is_zero(self.say(*KINDS[kind][2:]))

    def every_slope_is_zero(self, name: str) -> None:
        """At the flat point: its name, the verdict, and u turning once more with the readout at 0."""
        pal, cast = self.palette, self.cast
        where = self.map_label(self.text(name, color=pal.good, size=SIZE.SMALL), cast.dot.get_center(), buff=0.1)
        verdict = fit_width(self.label("verdict", pal.good, maths=True), COLUMN_WIDTH).move_to(
            NOTE_AT, aligned_edge=LEFT
        )
        cast.readout.refresh()  # before it fades in: digits set during a fade would be overwritten
        self.play(*fade_in(where, verdict, cast.u, cast.u_name, cast.readout), run_time=0.6)
        self.wait(1.0)
        chart, at = self.slice_chart(self.target.point), self.target.point  # the slice through it, as in step 3
        self.bottom_slice = cut = self.compass.slice(chart, self.reach, curve=pal.curve, tangent=pal.tangent, at=at)
        names = chart.axis_names(*(self.math(s, color=pal.curve, size=SIZE.SMALL) for s in ("t", "f(p + t u)")))
        self.play(*fade_out(self.cosine_parts, self.trace.line.curve), *fade_in(chart.axes, names, *cut), run_time=0.8)
        run_time = max(1.0, 360 / self.params.turn_speed / 1.5)
        self.play(self.alpha.animate.set_value(self.alpha.get_value() + 360), run_time=run_time, rate_func=linear)
        self.wait(1.2)

    # Section: summary
    def summary(self) -> None:
        self.narrate("summary")
        self.clear_stage()
        self.show_summary(*(self.mixed(self.say(zh, en), color=getattr(self.palette, c)) for c, zh, en in SUMMARY))


__all__ = ["DirectionalDerivative"]
