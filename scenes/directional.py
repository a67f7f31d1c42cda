"""The 360° argument: the slope along u is D_u f = ∇f · u = |∇f| cos θ.

Render: manim render -ql scenes/directional.py DirectionalDerivative

The default formula is ``x^2 + 3*y^2``, not the round bowl ``x^2 + y^2``: on a
round bowl the level curves are circles, so "∇f is perpendicular to the level
curve" and "∇f points straight away from the centre" look the same, and a
student can leave with the wrong rule. On the stretched bowl the two differ by
about 30° at p₀ = (1, 0.5), and the picture shows which one is true.

Cost notes (Cairo): only the first section is 3D. The camera holds still while
the surface fades in and out (24×24 faces, no stroke), then moves once to the
top view after the surface is gone, so no moving camera ever redraws the
surface. From there on the scene is flat: everything lies in the plane z = 0
and the camera looks straight down, which draws exactly like a 2D scene.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

import numpy as np
from manim import (
    DEGREES,
    DOWN,
    LEFT,
    ORIGIN,
    OUT,
    RIGHT,
    UP,
    Arc,
    Arrow,
    Axes,
    Create,
    DashedLine,
    DecimalNumber,
    Dot,
    FadeIn,
    FadeOut,
    Line,
    ManimColor,
    MathTypst,
    Mobject,
    RightAngle,
    Square,
    Surface,
    ValueTracker,
    VGroup,
    VMobject,
    always_redraw,
    linear,
    smooth,
)

import gradcore
from scenes.toolkit import SIZE, LectureThreeDScene, Param
from scenes.toolkit.plotting import fit_width, fmt, place_label
from scenes.toolkit.text import TYPST_SCALE, halo

MAP_CENTRE = np.array([-3.7, 0.2, 0.0])  # the top-view map fills a square this wide on the left
MAP_SIDE = 5.6
COLUMN_LEFT = 0.15  # the right-hand column (readouts, slice, formulas, cosine) starts here
COLUMN_WIDTH = 6.75
SURFACE_FACES = 24  # faces per side of the 3D surface
SURFACE_HEIGHT = 2.4  # world height from the lowest to the highest value on the square
CAMERA_3D = {"phi": 58 * DEGREES, "theta": -62 * DEGREES}  # the 3D view (zoom: fitted to SURFACE_BOX)
SURFACE_BOX = ((-4.6, 4.6), (-2.6, 3.2))  # screen box the 3D surface is fitted into: (x, y) ranges
CAMERA_TOP = {"phi": 0.0, "theta": -90 * DEGREES, "zoom": 1.0}
U_SCREEN = (0.9, 2.0)  # u is drawn at its true length 1 when that spans this much of the screen
LEVELS = 7  # level curves on the map, besides the one through p₀
THETA_SHOW = 50.0  # the angle θ at which the formula is worked out with numbers
STOPS = (0.0, 90.0, 215.0)  # directions of u (degrees from +x) visited in the slice step
SAMPLES = 721  # θ samples of the traced cosine: every half degree


class DirectionalDerivative(LectureThreeDScene):
    """Every direction at p₀, its slope D_u f, and why ∇f is the steepest one."""

    config_table = "directional"
    parameters = {
        "formula": Param("x^2 + 3*y^2", "the surface z = f(x, y)", "formula", variables=("x", "y"),
                         finite_on=("square", "square")),
        "square": Param([-2.0, 2.0], "the plotted square: x and y both span this interval", "range"),
        "point": Param([1.0, 0.5], "the point p₀ where u turns", "point", size=2, inside=("square", "square")),
        "turn_speed": Param(45.0, "how fast u turns, in degrees per second (at most 180)", "positive",
                            maximum=180.0),
    }

    @classmethod
    def check_params(cls, params) -> str | None:
        """The surface must slope at p₀ and have a flat point in the square for step 6."""
        box = (params.square, params.square)
        (lo, hi), _ = box
        grid = np.meshgrid(np.linspace(lo, hi, 61), np.linspace(lo, hi, 61))
        if np.ptp(np.broadcast_to(params.formula(*grid), grid[0].shape)) < 1e-9:
            return "key 'formula': f is constant on the square, so there is no slope to show"
        if np.hypot(*params.formula.gradient(params.point)) < 1e-6:
            return "key 'point': ∇f(p₀) = 0 there; pick a point where the surface slopes"
        if _flat_point(params.formula, box) is None:
            return "keys 'formula' and 'square': no point with ∇f = 0 inside the square for step 6; widen the square"
        return None

    def setup(self) -> None:
        super().setup()
        p = self.params
        self.f = p.formula
        self.box = (p.square, p.square)
        self.p0 = np.asarray(p.point, dtype=float)
        self.target = _flat_point(self.f, self.box)

    def play(self, *args, **kwargs) -> None:
        """Play, with the mobjects that change (animated, updated, trackers) moved on top first.

        Cairo redraws every frame all mobjects from the first changing one in the list onwards;
        keeping those last lets everything static be drawn once per animation.
        """
        animated = [getattr(animation, "mobject", None) for animation in args]
        self.bring_to_front(*(m for m in self.mobjects if m.get_family_updaters() or isinstance(m, ValueTracker)
                              or any(m is a for a in animated)))
        super().play(*args, **kwargs)

    # --- numbers from gradcore ------------------------------------------------
    def slopes(self, p: np.ndarray, degrees) -> np.ndarray:
        """D_u f at ``p`` for the unit vectors u at these angles (degrees from +x): one gradcore call."""
        return gradcore.directional_derivative(self.f, p, _unit(degrees))

    def grad(self, p: np.ndarray) -> np.ndarray:
        return gradcore.gradient(self.f, p)

    def p_now(self) -> np.ndarray:
        """Where the point is now: p₀ until step 6 slides it to the flat point."""
        s = self.slide.get_value()
        return (1 - s) * self.p0 + s * self.target.point

    def u_now(self) -> np.ndarray:
        """The unit vector u handed to gradcore."""
        return _unit(self.alpha.get_value())

    def du_now(self) -> float:
        return float(self.slopes(self.p_now(), self.alpha.get_value()))

    def grad_angle(self, p: np.ndarray) -> float:
        """Angle of ∇f(p) in degrees from +x; the angle at p₀ once ∇f has vanished."""
        g = self.grad(p)
        if np.hypot(*g) < 1e-9:
            return self.phi_g
        return float(np.degrees(np.arctan2(g[1], g[0])))

    # --- construct ----------------------------------------------------------
    def construct(self) -> None:
        self.alpha = ValueTracker(0.0)  # direction of u, degrees from +x
        self.slide = ValueTracker(0.0)  # 0 at p₀, 1 at the flat point
        g0 = self.grad(self.p0)
        self.grad_norm = float(np.hypot(*g0))
        self.phi_g = float(np.degrees(np.arctan2(g0[1], g0[0])))
        self.build_map()

        self.surface_and_map()
        self.every_direction()
        self.slope_along_u()
        self.dot_product()
        self.cosine()
        self.at_the_bottom()
        self.summary()

    def build_map(self) -> None:
        """The top-view axes (equal scales, so angles on screen are true), and the 3D world above them."""
        (lo, hi), _ = self.box
        self.map_axes = Axes(
            x_range=[lo, hi, hi - lo], y_range=[lo, hi, hi - lo], x_length=MAP_SIDE, y_length=MAP_SIDE,
            tips=False, axis_config={"color": self.palette.grid, "stroke_width": 2, "include_ticks": False},
        ).move_to(MAP_CENTRE)
        self.world_axes = self.map_axes.copy().move_to(ORIGIN)
        self.unit = MAP_SIDE / (hi - lo)  # screen length of one map unit
        self.u_scale = 1.0 if U_SCREEN[0] <= self.unit <= U_SCREEN[1] else 1.4 / self.unit  # map length of u
        grid = np.meshgrid(np.linspace(lo, hi, 61), np.linspace(lo, hi, 61))
        values = self.f(*grid)
        self.z_range = (float(values.min()), float(values.max()))
        self.z_scale = SURFACE_HEIGHT / max(self.z_range[1] - self.z_range[0], 1e-9)
        # ∇f is drawn longer than u (so both show when they line up) but stays inside the square
        room = _room(self.p0, self.phi_g, self.box)
        self.grad_scale = min(1.45 * self.u_scale, 0.9 * room) / self.grad_norm
        self.reach = float(np.clip(np.minimum(self.p0 - lo, hi - self.p0).min(), 0.2 * (hi - lo), 0.3 * (hi - lo)))

    def at(self, p) -> np.ndarray:
        """Screen point of the map point ``p``."""
        return self.map_axes.c2p(float(p[0]), float(p[1]))

    def world(self, x: float, y: float, z: float) -> np.ndarray:
        """3D point of the surface over (x, y) at height z.

        The 3D world is a copy of the map axes moved to where the still 3D camera frames
        it (:meth:`fit_camera`): re-centring the Cairo 3D camera instead would shift the
        pinned title and captions too. Its floor is slid onto the map after the top view.
        """
        return self.world_axes.c2p(x, y) + OUT * ((z - self.z_range[0]) * self.z_scale - SURFACE_HEIGHT / 2)

    def floor(self, p) -> np.ndarray:
        """The map point ``p`` on the 3D world's floor (the plane through the surface's middle height)."""
        return self.world_axes.c2p(float(p[0]), float(p[1]))

    def fit_camera(self) -> None:
        """Set the 3D camera and move the world so that the surface fills SURFACE_BOX on screen."""
        (x0, x1), (y0, y1) = self.box
        grid = np.meshgrid(np.linspace(x0, x1, 25), np.linspace(y0, y1, 25))
        heights = self.f(*grid)
        camera = self.renderer.camera
        (left, right), (bottom, top) = SURFACE_BOX
        zoom = 1.0
        for _ in range(3):  # the projection is nearly linear: a few rounds of fit-and-shift settle it
            self.set_camera_orientation(**CAMERA_3D, zoom=zoom)
            camera.reset_rotation_matrix()  # the camera refreshes its matrix only when it draws
            corners = [self.world(x, y, z) for x, y, z in zip(grid[0].ravel(), grid[1].ravel(), heights.ravel(),
                                                               strict=True)]
            seen = camera.project_points(np.array(corners))
            low, high = seen[:, :2].min(axis=0), seen[:, :2].max(axis=0)
            zoom *= min((right - left) / (high[0] - low[0]), (top - bottom) / (high[1] - low[1]))
            offset = np.array([(left + right) / 2, (bottom + top) / 2]) - (low + high) / 2
            # the camera shows a world point p at zoom · (R p)[:2]: move the world by Rᵀ(offset / zoom)
            self.world_axes.shift(camera.get_rotation_matrix().T @ np.array([*offset, 0.0]) / zoom)
        self.set_camera_orientation(**CAMERA_3D, zoom=zoom)

    # Section: surface and map
    def surface_and_map(self) -> None:
        self.step("surface and map",
                  zh="这是曲面 z = f(x, y)，我们站在点 p₀ 上。从正上方看，它变成一张等高线地图。",
                  en="This is the surface z = f(x, y), and we stand at p₀. "
                     "Seen from straight above, it becomes a map of level curves.")
        pal = self.palette
        x0, y0 = self.p0
        f0 = float(self.f(x0, y0))
        self.title = self.math(f"z = f(x, y) = {self.f.typst}", color=pal.curve, size=SIZE.LABEL)
        fit_width(self.title, MAP_SIDE + 0.6)
        self.title.move_to([MAP_CENTRE[0], 3.62, 0])
        self.pin(self.title)

        self.fit_camera()
        surface = self.surface()
        top = Dot(self.world(x0, y0, f0), radius=0.09, color=pal.highlight)
        halo(top, pal.outline, 3)
        self.renderer.camera.add_fixed_orientation_mobjects(top)
        name = halo(self.math("p_0", color=pal.highlight, size=SIZE.LABEL), pal.outline)
        name.next_to(self.screen(top.get_center()), UP + RIGHT, buff=0.12)
        self.renderer.camera.add_fixed_in_frame_mobjects(name)  # fixed in the frame, but shown only by FadeIn
        self.p0_ring = self.level_ring(f0, pal.curve, 3.5)
        ring = self.p0_ring.copy().shift(self.world(x0, y0, f0) - self.at(self.p0))  # lifted to p₀'s height

        self.play(FadeIn(surface), FadeIn(self.title), run_time=1.2)
        self.play(FadeIn(top, scale=1.5), FadeIn(name), run_time=0.7)
        self.play(Create(ring), run_time=1.2)
        self.wait(0.8)
        self.play(FadeOut(surface), FadeOut(name), ring.animate.shift(self.floor(self.p0) - top.get_center()),
                  top.animate.move_to(self.floor(self.p0)), run_time=1.4)
        self.move_camera(**CAMERA_TOP, run_time=1.6)
        self.remove(top)
        self.renderer.camera.fixed_orientation_mobjects.pop(top, None)
        self.dot = Dot(self.floor(self.p0), radius=0.08, color=pal.highlight)
        self.add(self.dot)
        self.levels = self.level_curves(f0)
        frame = Square(MAP_SIDE, color=pal.axes, stroke_width=2).move_to(MAP_CENTRE)
        labels = VGroup(
            self.math("x", color=pal.muted, size=SIZE.SMALL).next_to(self.map_axes.x_axis.get_end(), UP + LEFT, 0.1),
            self.math("y", color=pal.muted, size=SIZE.SMALL).next_to(self.map_axes.y_axis.get_end(), DOWN + RIGHT, 0.1),
        )
        self.play(ring.animate.move_to(self.p0_ring), self.dot.animate.move_to(self.at(self.p0)), run_time=1.0)
        self.remove(ring)
        self.add(self.p0_ring)
        self.play(FadeIn(self.levels), FadeIn(self.map_axes), FadeIn(frame), FadeIn(labels), run_time=1.0)
        self.bring_to_front(self.p0_ring, self.dot)
        self.p0_name = self.map_label(self.math(f"p_0 = ({fmt(x0)}, {fmt(y0)})", color=pal.highlight,
                                                size=SIZE.SMALL), self.at(self.p0), DOWN + LEFT)
        self.play(FadeIn(self.p0_name), run_time=0.6)
        self.wait(1.0)

    def surface(self) -> Surface:
        """The surface over the square, coloured by height."""
        pal = self.palette
        (x0, x1), (y0, y1) = self.box
        surface = Surface(lambda u, v: self.world(u, v, float(self.f(u, v))), u_range=(x0, x1), v_range=(y0, y1),
                          resolution=(SURFACE_FACES, SURFACE_FACES), fill_opacity=1.0, stroke_width=0,
                          checkerboard_colors=False)
        low, high = (ManimColor(c) for c in pal.surface)
        for face in surface:
            t = np.clip((face.get_center()[2] - self.world_axes.get_center()[2]) / SURFACE_HEIGHT + 0.5, 0, 1)
            face.set_fill(low.interpolate(high, float(t)), opacity=1.0)
        return surface

    def screen(self, point: np.ndarray) -> np.ndarray:
        """Where a world point appears in the frame while the 3D camera holds still."""
        camera = self.renderer.camera
        camera.reset_rotation_matrix()  # refreshed only when the camera draws: make sure it is current
        projected = camera.project_point(np.asarray(point, dtype=float))
        return np.array([projected[0], projected[1], 0.0])

    def level_ring(self, level: float, colour: str, width: float) -> VGroup:
        """The level curve f = ``level`` on the map, as screen polylines."""
        group = VGroup()
        for line in gradcore.level_curves(self.f, self.box, level):
            group.add(VMobject(stroke_color=colour, stroke_width=width).set_points_as_corners(
                [self.at(q) for q in line]))
        return group

    def level_curves(self, skip: float) -> VGroup:
        """LEVELS evenly spaced level curves, leaving out the one too close to f(p₀) (drawn on its own)."""
        pal = self.palette
        lo, hi = self.z_range
        levels = np.linspace(lo, hi, LEVELS + 2)[1:-1]
        spacing = (hi - lo) / (LEVELS + 1)
        colour = _mix(pal.grid, pal.curve, 0.45)
        return VGroup(*(self.level_ring(v, colour, 2) for v in levels if abs(v - skip) > 0.3 * spacing))

    def map_label(self, label: Mobject, anchor: np.ndarray, side: np.ndarray, buff: float = 0.15) -> Mobject:
        halo(label, self.palette.outline, 3)
        return label.next_to(anchor, side, buff=buff)

    # --- the arrows at p ------------------------------------------------------
    def u_arrow(self) -> Arrow:
        start, end = self.u_ends()
        return Arrow(start, end, buff=0, color=self.palette.direction, stroke_width=6,
                     max_tip_length_to_length_ratio=0.25)

    def grad_arrow(self) -> VMobject:
        """∇f at the current point, drawn grad_scale times its length; invisible once it has vanished."""
        start, end = self.grad_ends()
        if np.linalg.norm(end - start) < 1e-3:
            return Arrow(start, start + 0.01 * RIGHT, buff=0).set_opacity(0)
        return Arrow(start, end, buff=0, color=self.palette.gradient, stroke_width=7,
                     max_tip_length_to_length_ratio=0.25)

    def u_ends(self) -> tuple[np.ndarray, np.ndarray]:
        p = self.p_now()
        return self.at(p), self.at(p + self.u_scale * self.u_now())

    def grad_ends(self) -> tuple[np.ndarray, np.ndarray]:
        p = self.p_now()
        return self.at(p), self.at(p + self.grad_scale * self.grad(p))

    def tip_label(self, label: Mobject, ends: Callable[[], tuple[np.ndarray, np.ndarray]]) -> Mobject:
        """Keep ``label`` just beyond the tip of the arrow whose screen ends ``ends()`` returns."""
        halo(label, self.palette.outline, 3)

        def follow(m: Mobject) -> None:
            start, end = ends()
            d = end - start
            length = np.linalg.norm(d)
            d = d / length if length > 1e-6 else RIGHT
            m.move_to(end + d * (0.12 + 0.5 * (m.width * abs(d[0]) + m.height * abs(d[1]))))  # clear of the tip

        label.add_updater(follow)
        follow(label)
        return label

    def number(self, value: float, *, color: str | None = None, decimals: int = 2, size: float = SIZE.BODY,
               sign: bool = False) -> DecimalNumber:
        """The toolkit's live number, but with glyphs reused without deep copies (see :class:`_FastNumber`)."""
        return _FastNumber(value, num_decimal_places=decimals, mob_class=MathTypst, include_sign=sign,
                           color=color or self.palette.text, font_size=size * TYPST_SCALE)

    def degrees_readout(self, name: str, value: Callable[[], float], colour: str) -> VGroup:
        """``name = 123°``, live; the digits come from a DecimalNumber (typeset once)."""
        head = self.math(f"{name} =", color=colour)
        number = self.number(value(), decimals=0, color=colour)
        sign = self.math("degree", color=colour)
        group = VGroup(head, number, sign)

        def update(g: VGroup, force: bool = False) -> None:
            if _show(number, value()) or force:
                number.next_to(head, RIGHT, buff=0.15)
                sign.next_to(number, RIGHT, buff=0.05, aligned_edge=UP)
                number._outline = _outline(number)

        update(group, force=True)
        group.add_updater(update)
        return group

    def du_readout(self) -> VGroup:
        """``D_u f = +1.23``, live from gradcore at the current point and direction."""
        pal = self.palette
        self.du_head = self.math("D_u f =", color=pal.tangent)
        self.du_number = self.number(self.du_now(), sign=True, color=pal.tangent)
        group = VGroup(self.du_head, self.du_number)
        self.refresh_readout(force=True)
        group.add_updater(lambda g: self.refresh_readout())
        return group

    def refresh_readout(self, force: bool = False) -> None:
        """Set the D_u f readout from gradcore for the current point and direction (runs every frame)."""
        if _show(self.du_number, self.du_now()) or force:
            self.du_number.next_to(self.du_head, RIGHT, buff=0.15)
            self.du_number._outline = _outline(self.du_number)

    # Section: every direction
    def every_direction(self) -> None:
        self.step("every direction",
                  zh="在 p₀ 可以朝 360° 中任何一个方向走。让单位向量 u 转一圈：一半方向上坡，一半下坡。",
                  en="From p₀ we can step in any of 360° of directions. "
                     "As the unit arrow u turns, half of them go uphill and half downhill.")
        pal = self.palette
        speed = self.params.turn_speed
        centre = self.at(self.p0)
        self.u = always_redraw(self.u_arrow)
        self.u_name = self.tip_label(self.math("u", color=pal.direction, size=SIZE.LABEL), self.u_ends)
        reference = DashedLine(centre, centre + RIGHT * 0.75, color=pal.muted, stroke_width=2)
        arc = always_redraw(lambda: Arc(radius=0.42, start_angle=0, angle=max(self.alpha.get_value(), 0.01) * DEGREES,
                                        arc_center=centre, color=pal.muted, stroke_width=3))
        self.alpha_readout = self.degrees_readout("alpha", lambda: self.alpha.get_value(), pal.direction)
        self.alpha_readout.move_to([COLUMN_LEFT, 3.45, 0], aligned_edge=LEFT)
        unit_note = self.math("abs(u) = 1", color=pal.direction, size=SIZE.SMALL)
        unit_note.move_to([COLUMN_LEFT + 3.3, 3.45, 0], aligned_edge=LEFT)
        angles = np.linspace(0, 360, SAMPLES)
        uphill = self.slopes(self.p0, angles) > 0
        radius = self.u_scale * self.unit + 0.2
        trail = always_redraw(lambda: _sign_arcs(centre, radius, angles, uphill, self.alpha.get_value(),
                                                 pal.gradient, pal.descent))
        legend = VGroup(
            self.legend_row(pal.gradient, self.say("上坡：f 增大", "uphill: f increases")),
            self.legend_row(pal.descent, self.say("下坡：f 减小", "downhill: f decreases")),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.22).move_to([COLUMN_LEFT, 2.35, 0], aligned_edge=UP + LEFT)

        self.add(trail)
        self.play(FadeIn(self.u), FadeIn(self.u_name), Create(reference), FadeIn(self.alpha_readout),
                  FadeIn(unit_note), FadeIn(legend), FadeOut(self.p0_name), run_time=1.0)
        self.add(arc)
        self.play(self.alpha.animate.set_value(360), run_time=max(1.0, 360 / speed), rate_func=linear)
        half = self.text(self.say("一半方向上坡，一半下坡。\n哪个方向最陡？", "Half go uphill, half downhill.\n"
                                  "Which way is the steepest?"), size=SIZE.LABEL)
        fit_width(half, COLUMN_WIDTH).next_to(legend, DOWN, buff=0.45, aligned_edge=LEFT)
        self.play(FadeIn(half), run_time=0.6)
        self.wait(1.5)
        self.alpha.set_value(0.0)
        trail.clear_updaters()
        self.play(FadeOut(trail), FadeOut(legend), FadeOut(half), FadeOut(unit_note), run_time=0.6)
        self.alpha_arc, self.reference = arc, reference

    def legend_row(self, colour: str, words: str) -> VGroup:
        swatch = Arc(radius=0.35, start_angle=60 * DEGREES, angle=-120 * DEGREES, color=colour, stroke_width=6)
        return VGroup(swatch, self.text(words, color=colour, size=SIZE.SMALL)).arrange(RIGHT, buff=0.2)

    # Section: slope along u
    def slope_along_u(self) -> None:
        self.step("slope along u",
                  zh="沿 u 把曲面切开，切线在 t = 0 处的斜率就是方向导数 D_u f。沿 x 轴是 ∂f/∂x，沿 y 轴是 ∂f/∂y。",
                  en="Slice the surface along u: the slope of the slice at t = 0 is the directional derivative "
                     "D_u f. Along x it is ∂f/∂x, along y it is ∂f/∂y.")
        pal = self.palette
        speed = self.params.turn_speed
        reach = self.reach
        self.slice_axes = self.build_slice_axes()
        ax = self.slice_axes
        f0 = float(self.f(*self.p0))

        def slice_curve() -> VMobject:
            u = self.u_now()
            return ax.plot(lambda t: float(self.f(*(self.p0 + t * u))), x_range=[-reach, reach, reach / 40],
                           color=pal.curve, stroke_width=4)

        def tangent() -> Line:
            d = ax.c2p(1, self.du_now()) - ax.c2p(0, 0)
            d /= np.linalg.norm(d)
            centre = ax.c2p(0, f0)
            return Line(centre - 1.3 * d, centre + 1.3 * d, color=pal.tangent, stroke_width=4)

        def cut() -> DashedLine:  # the line p₀ + t u on the map, t in ±reach
            u = self.u_now()
            return DashedLine(self.at(self.p0 - reach * u), self.at(self.p0 + reach * u), color=pal.curve,
                              stroke_width=3, dash_length=0.12)

        self.cut, self.slice_graph, self.tangent = always_redraw(cut), always_redraw(slice_curve), always_redraw(tangent)
        self.slice_dot = Dot(ax.c2p(0, f0), radius=0.07, color=pal.highlight)
        labels = VGroup(
            self.math("t", color=pal.muted, size=SIZE.SMALL).next_to(ax.x_axis.get_end(), UP + LEFT, 0.08),
            self.math("f(p_0 + t u)", color=pal.curve, size=SIZE.SMALL).next_to(ax.y_axis.get_end(), UP, 0.12),
        )
        self.readout = self.du_readout().move_to([COLUMN_LEFT + 3.3, 3.45, 0], aligned_edge=LEFT)
        slope_note = self.mixed(self.say("切线斜率 $= D_u f$", "slope of the tangent $= D_u f$"),
                                color=pal.tangent, size=SIZE.SMALL)
        slope_note.next_to(ax, DOWN, buff=0.3).set_x(ax.get_center()[0])
        self.add(self.cut)
        self.bring_to_front(self.dot, self.u, self.u_name)
        self.play(FadeIn(ax), FadeIn(labels), Create(self.slice_graph), FadeIn(self.slice_dot),
                  FadeIn(self.readout), FadeIn(self.cut), run_time=1.2)
        self.play(Create(self.tangent), FadeIn(slope_note), run_time=0.8)
        g = self.grad(self.p0)
        for stop in STOPS:
            turn = abs(stop - self.alpha.get_value())
            if turn > 0:
                self.play(self.alpha.animate.set_value(stop), run_time=max(0.8, turn / speed * 1.5), rate_func=smooth)
            partial = {0.0: ("x", g[0]), 90.0: ("y", g[1])}.get(stop)
            if partial is None:
                self.wait(1.2)
                continue
            name, value = partial
            note = self.math(f"= (partial f)/(partial {name}) = {fmt(value)}", color=pal.tangent, size=SIZE.LABEL)
            note.move_to([COLUMN_LEFT, 2.55, 0], aligned_edge=LEFT)
            self.play(FadeIn(note), run_time=0.5)
            self.wait(1.2)
            self.play(FadeOut(note), run_time=0.4)
        self.slice_parts = VGroup(ax, labels, self.slice_dot, slope_note)

    def build_slice_axes(self) -> Axes:
        """Axes for the slice t ↦ f(p₀ + t u), t in ±reach, tall enough for every direction."""
        pal = self.palette
        t = np.linspace(-self.reach, self.reach, 41)
        u = _unit(np.arange(0, 360, 5))
        values = self.f(*np.moveaxis(self.p0 + t[:, None, None] * u[None], -1, 0))
        lo, hi = min(0.0, float(values.min())), max(0.0, float(values.max()))
        pad = 0.08 * (hi - lo)
        return Axes(x_range=[-self.reach, self.reach, self.reach], y_range=[lo - pad, hi + pad, hi - lo + 2 * pad],
                    x_length=5.6, y_length=3.1, tips=False,
                    axis_config={"color": pal.axes, "stroke_width": 2, "include_ticks": False},
                    ).move_to([COLUMN_LEFT + 3.4, 0.3, 0])

    # Section: the dot product
    def dot_product(self) -> None:
        self.step("the dot product",
                  zh="D_u f 是梯度和 u 的点积：∇f · u = |∇f| |u| cos θ。u 是单位向量，所以 D_u f = |∇f| cos θ。",
                  en="D_u f is the dot product of the gradient with u: ∇f · u = |∇f| |u| cos θ. "
                     "Since u has length 1, D_u f = |∇f| cos θ.")
        pal = self.palette
        for mobject in (self.cut, self.slice_graph, self.tangent):
            mobject.clear_updaters()
        self.play(FadeOut(self.slice_parts), FadeOut(self.cut), FadeOut(self.slice_graph), FadeOut(self.tangent),
                  run_time=0.6)
        self.nabla = always_redraw(self.grad_arrow)
        self.nabla_name = self.tip_label(self.math("nabla f", color=pal.gradient, size=SIZE.LABEL), self.grad_ends)
        g = self.grad(self.p0)
        x0, y0 = self.p0
        components = self.math(f"nabla f({fmt(x0)}, {fmt(y0)}) = ({fmt(g[0])}, {fmt(g[1])})", color=pal.gradient)
        length = self.math(f"abs(nabla f) = {fmt(self.grad_norm)}", color=pal.gradient)
        facts = VGroup(components, length).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        fit_width(facts, COLUMN_WIDTH).move_to([COLUMN_LEFT, 2.75, 0], aligned_edge=UP + LEFT)
        self.add(self.nabla)
        self.bring_to_front(self.u, self.dot, self.u_name)
        self.play(FadeIn(self.nabla), FadeIn(self.nabla_name), FadeIn(facts), run_time=1.0)
        target = self.phi_g + THETA_SHOW
        target -= 360 * np.floor((target - self.alpha.get_value() + 180) / 360)  # the shorter way round
        self.play(self.alpha.animate.set_value(target), run_time=1.2)

        self.theta_arc = always_redraw(self.theta_arc_now)
        self.theta_name = self.math("theta", color=pal.highlight, size=SIZE.LABEL)
        halo(self.theta_name, pal.outline, 3)
        self.theta_name.add_updater(lambda m: m.move_to(self.at(self.p_now()) + 0.82 * np.array(
            [*_unit(self.grad_angle(self.p_now()) + self.theta() / 2), 0.0])))
        self.theta_readout = self.degrees_readout("theta", self.theta, pal.highlight)
        self.theta_readout.move_to(self.alpha_readout, aligned_edge=LEFT)
        self.alpha_arc.clear_updaters()
        self.play(FadeOut(self.alpha_arc), FadeOut(self.reference), FadeOut(self.alpha_readout),
                  Create(self.theta_arc), FadeIn(self.theta_name), FadeIn(self.theta_readout), run_time=0.8)

        theta = self.theta()
        value = float(self.slopes(self.p0, self.alpha.get_value()))
        head = self.math("D_u f")
        steps = VGroup(
            self.math("= nabla f dot u"),
            self.math("= abs(nabla f) thin abs(u) cos theta"),
            self.math("= abs(nabla f) cos theta"),
            self.math(f"= {fmt(self.grad_norm)} dot cos {theta:.0f} degree = {fmt(value)}", color=pal.tangent),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        head.next_to(steps[0], LEFT, buff=0.15)
        lines = VGroup(VGroup(head, steps[0]), *steps[1:])  # every "=" under the first one
        fit_width(lines, COLUMN_WIDTH).next_to(facts, DOWN, buff=0.45, aligned_edge=LEFT)
        unit_note = self.math("(abs(u) = 1)", color=pal.direction, size=SIZE.SMALL)
        unit_note.next_to(lines[2], RIGHT, buff=0.4)
        self.play(FadeIn(lines[0], shift=0.2 * RIGHT), run_time=0.7)
        self.wait(0.8)
        self.play(FadeIn(lines[1], shift=0.2 * RIGHT), run_time=0.7)
        self.wait(0.8)
        self.play(FadeIn(lines[2], shift=0.2 * RIGHT), FadeIn(unit_note), run_time=0.7)
        self.wait(0.8)
        self.play(FadeIn(lines[3], shift=0.2 * RIGHT), self.readout.animate.scale(1.15), run_time=0.8)
        self.play(self.readout.animate.scale(1 / 1.15), run_time=0.4)
        self.wait(1.5)
        self.formula_lines, self.facts, self.unit_note = lines, facts, unit_note

    def theta(self) -> float:
        """θ in degrees: from ∇f anticlockwise to u, in [0, 360] (360 only at the end of a full turn)."""
        turned = self.alpha.get_value() - self.grad_angle(self.p_now())
        theta = turned % 360
        if min(theta, 360 - theta) < 1e-6:  # u on ∇f: 0° before a full turn, 360° after it
            return 360.0 if turned > 180 else 0.0
        return float(theta)

    def theta_arc_now(self) -> VMobject:
        """The arc from ∇f anticlockwise to u, the side θ is measured on."""
        return Arc(radius=0.55, start_angle=self.grad_angle(self.p_now()) * DEGREES,
                   angle=max(self.theta(), 0.01) * DEGREES, arc_center=self.at(self.p_now()),
                   color=self.palette.highlight, stroke_width=4)

    # Section: the cosine
    def cosine(self) -> None:
        self.step("the cosine",
                  zh="u 再转一圈，D_u f 画出一条振幅为 |∇f| 的余弦：θ = 0 最陡上坡，90° 和 270° 沿等高线为零，180° 最陡下坡。",
                  en="As u turns again, D_u f traces |∇f| cos θ: steepest up at θ = 0°, "
                     "zero along the level curve at 90° and 270°, steepest down at 180°.")
        pal = self.palette
        speed = self.params.turn_speed
        law = self.math("D_u f = abs(nabla f) cos theta", color=pal.text)
        law.move_to([COLUMN_LEFT, 2.7, 0], aligned_edge=LEFT)
        self.norm_number = self.number(self.grad_norm, color=pal.gradient)  # live in step 6
        amplitude = VGroup(self.math("abs(nabla f) =", color=pal.gradient), self.norm_number)
        amplitude.arrange(RIGHT, buff=0.15).next_to(law, RIGHT, buff=0.6)
        self.play(FadeOut(self.formula_lines), FadeOut(self.unit_note), FadeOut(self.facts),
                  FadeIn(law), FadeIn(amplitude), run_time=0.8)
        self.law, self.amplitude = law, amplitude

        ax = self.build_cosine_axes()
        self.cos_axes = ax
        self.thetas = np.linspace(0, 360, SAMPLES)
        self.cos_values = self.slopes(self.p0, self.phi_g + self.thetas)  # the whole cosine: one gradcore call
        self.traced = VMobject(stroke_color=pal.tangent, stroke_width=5)
        self.cos_marker = Dot(radius=0.07, color=pal.tangent)

        self.play(FadeIn(self.cos_parts), run_time=0.8)
        back = self.phi_g - self.alpha.get_value()
        self.play(self.alpha.animate.set_value(self.phi_g), run_time=max(0.6, abs(back) / speed * 1.5))
        self.alpha.set_value(self.phi_g)
        self.trace_cosine(self.traced)
        self.traced.add_updater(self.trace_cosine)
        self.add(self.traced, self.cos_marker)

        notes = {
            0: (pal.gradient, self.say(f"θ = 0°：u 沿 ∇f，斜率最大 = |∇f| = {fmt(self.grad_norm)}",
                                       f"θ = 0°: u along ∇f, the largest slope = |∇f| = {fmt(self.grad_norm)}")),
            90: (pal.curve, self.say("θ = 90°：u 沿等高线，斜率 = 0", "θ = 90°: u along the level curve, slope 0")),
            180: (pal.descent, self.say(f"θ = 180°：u 沿 −∇f，斜率最小 = −{fmt(self.grad_norm)}",
                                        f"θ = 180°: u along −∇f, the lowest slope = −{fmt(self.grad_norm)}")),
            270: (pal.curve, self.say("θ = 270°：又沿等高线，斜率 = 0", "θ = 270°: along the level curve again, 0")),
            360: (pal.gradient, self.say("所以 ∇f 垂直于等高线，指向最陡的上坡",
                                         "So ∇f is perpendicular to the level curve and points steepest uphill")),
        }
        self.marks = VGroup()
        self.map_marks = VGroup()
        self.note_avoid = self.note_points()
        note = None
        for stop in (0, 90, 180, 270, 360):
            if stop:
                self.play(self.alpha.animate.set_value(self.phi_g + stop), run_time=max(0.5, 90 / speed),
                          rate_func=linear)
            colour, words = notes[stop]
            value = float(self.slopes(self.p0, self.phi_g + stop))
            mark = Dot(ax.c2p(stop, value), radius=0.09, color=colour)
            new_note = self.text(words, color=colour, size=SIZE.SMALL)
            fit_width(new_note, COLUMN_WIDTH)
            new_note.move_to([COLUMN_LEFT, -2.62, 0], aligned_edge=LEFT)
            extra = self.map_mark(stop)
            anims = [FadeIn(mark, scale=1.6), FadeIn(new_note)] + [FadeIn(m) for m in extra]
            if note is not None:
                anims.append(FadeOut(note))
            self.play(*anims, run_time=0.6)
            self.marks.add(mark)
            self.map_marks.add(*extra)
            note = new_note
            self.wait(1.4 if stop in (0, 90, 180, 360) else 0.8)
        self.traced.clear_updaters()
        self.cos_note = note

    def trace_cosine(self, curve: VMobject) -> None:
        """The cosine traced so far: the precomputed samples up to θ, then the live value at θ itself."""
        ax, thetas = self.cos_axes, self.thetas
        theta = self.alpha.get_value() - self.phi_g
        k = int(np.searchsorted(thetas, theta, side="right"))
        xs, ys = np.append(thetas[:k], theta), np.append(self.cos_values[:k], self.du_now())
        points = np.asarray(ax.c2p(xs, ys)).T
        curve.set_points_as_corners(points if len(points) > 1 else np.vstack([points, points]))
        self.cos_marker.move_to(points[-1])

    def whole_cosine(self, curve: VMobject) -> None:
        """The whole curve θ ↦ D_u f at the current point, θ from the current ∇f: one gradcore call."""
        p = self.p_now()
        values = self.slopes(p, self.grad_angle(p) + self.thetas)
        curve.set_points_as_corners(np.asarray(self.cos_axes.c2p(self.thetas, values)).T)

    def build_cosine_axes(self) -> Axes:
        """θ from 0° to 360° against D_u f, with the levels ±|∇f| dashed and labelled."""
        pal = self.palette
        top = 1.25 * self.grad_norm
        ax = Axes(x_range=[0, 360, 90], y_range=[-top, top, top], x_length=5.6, y_length=3.0, tips=False,
                  axis_config={"color": pal.axes, "stroke_width": 2},
                  y_axis_config={"include_ticks": False}).move_to([COLUMN_LEFT + 3.55, 0.05, 0])
        ticks = VGroup(*(self.math(f"{angle} degree", color=pal.muted, size=SIZE.SMALL)
                         .next_to(ax.c2p(angle, -top), DOWN, buff=0.12) for angle in (90, 180, 270, 360)))
        ticks.add(self.math("theta", color=pal.highlight, size=SIZE.SMALL).next_to(ax.c2p(0, -top), DOWN, buff=0.12))
        self.amplitude_lines = VGroup(
            DashedLine(ax.c2p(0, self.grad_norm), ax.c2p(360, self.grad_norm), color=pal.gradient, stroke_width=2),
            DashedLine(ax.c2p(0, -self.grad_norm), ax.c2p(360, -self.grad_norm), color=pal.descent, stroke_width=2),
        )
        self.amplitude_names = VGroup(
            self.math("abs(nabla f)", color=pal.gradient, size=SIZE.SMALL)
            .next_to(ax.c2p(0, self.grad_norm), LEFT, buff=0.12),
            self.math("-abs(nabla f)", color=pal.descent, size=SIZE.SMALL)
            .next_to(ax.c2p(0, -self.grad_norm), LEFT, buff=0.12),
        )
        name = self.math("D_u f", color=pal.tangent, size=SIZE.SMALL).next_to(ax.c2p(0, top), UP + RIGHT, buff=0.05)
        self.cos_parts = VGroup(ax, ticks, self.amplitude_lines, self.amplitude_names, name)
        return ax

    def map_mark(self, stop: int) -> list[Mobject]:
        """What the map shows at θ = ``stop``: the steepest ways up and down, the level curve's tangent."""
        pal = self.palette
        centre = self.at(self.p0)
        u_length = self.u_scale * self.unit  # screen lengths of the two arrows at p₀
        grad_length = self.grad_scale * self.grad_norm * self.unit
        up, across = (np.array([*_unit(angle), 0.0]) for angle in (self.phi_g, self.phi_g + 90))
        if stop == 0:
            words = self.say("最陡上坡", "steepest\nascent")
            return [self.map_note(words, pal.gradient, centre + 0.7 * grad_length * up)]
        if stop == 180:
            words = self.say("最陡下坡", "steepest\ndescent")
            return [self.map_note(words, pal.descent, centre - 0.7 * u_length * up)]
        if stop == 90:
            half = 0.75 * u_length + 0.6
            line = DashedLine(centre - half * across, centre + half * across, color=pal.curve, stroke_width=3)
            right = RightAngle(Line(centre, centre + across), Line(centre, centre + up), length=0.22,
                               color=pal.text, stroke_width=2)
            self.note_avoid.append(np.linspace(centre - half * across, centre + half * across, 40))
            ends = [centre + half * across, centre - half * across]
            roomy = min(ends, key=lambda q: np.abs(q - MAP_CENTRE)[:2].max())  # the end further from the map's edge
            words = self.say("沿等高线", "along the\nlevel curve")
            return [line, right, self.map_note(words, pal.curve, roomy)]
        return []

    def map_note(self, words: str, colour: str, anchor: np.ndarray) -> Mobject:
        """A short label on the map beside ``anchor``, clear of the arrows' stops, the lines and earlier notes."""
        label = halo(self.text(words, color=colour, size=SIZE.SMALL), self.palette.outline, 3)
        box = (MAP_CENTRE[0] - MAP_SIDE / 2 + 0.05, MAP_CENTRE[0] + MAP_SIDE / 2 - 0.05,
               MAP_CENTRE[1] - MAP_SIDE / 2 + 0.05, MAP_CENTRE[1] + MAP_SIDE / 2 - 0.05)
        place_label(label, anchor, np.vstack(self.note_avoid), buff=0.12, inside=box)
        corners = np.array([label.get_corner(c) for c in (UP + LEFT, UP + RIGHT, DOWN + LEFT, DOWN + RIGHT)])
        grid = np.linspace(corners[2], corners[3], 8)[:, None, :] + np.linspace(0, 1, 4)[None, :, None] * (
            corners[0] - corners[2])
        self.note_avoid.append(grid.reshape(-1, 3))  # the next note keeps off this one
        return label

    def note_points(self) -> list[np.ndarray]:
        """Screen points the map notes keep off: ∇f and its label, u at θ = 180°, the θ arc, the ring through p₀."""
        centre = self.at(self.p0)
        up = np.array([*_unit(self.phi_g), 0.0])
        grad_length = self.grad_scale * self.grad_norm * self.unit
        u_length = self.u_scale * self.unit
        ring = np.vstack([part.get_anchors() for part in self.p0_ring])
        name = self.nabla_name
        name_box = np.linspace(name.get_corner(DOWN + LEFT), name.get_corner(UP + RIGHT), 5)
        around = np.array([[*(0.75 * _unit(a)), 0.0] for a in range(0, 360, 15)]) + centre  # where θ is drawn
        return [name_box, around, np.linspace(centre, centre + grad_length * up, 30), np.linspace(centre, centre - u_length * up, 20),
                ring[:: max(1, len(ring) // 120)]]

    # Section: at the bottom
    def at_the_bottom(self) -> None:
        kind = self.target.kind
        if kind == "minimum":
            self.step("at the bottom",
                      zh="把 p₀ 移到谷底：∇f 缩成零，余弦被压平到 θ 轴上。在极小值处每个方向的斜率都是 0，没有路再往下。",
                      en="Slide p₀ to the bottom: ∇f shrinks to zero and the cosine flattens. "
                         "At the minimum every direction has slope 0; none leads further down.")
        else:
            name_zh, name_en = {"maximum": ("极大值点", "maximum"), "saddle": ("鞍点", "saddle")}.get(
                kind, ("平坦点", "flat point"))
            self.step("at the bottom",
                      zh=f"把 p₀ 移到 ∇f = 0 的点（这里是{name_zh}）：余弦被压平，每个方向的斜率都是 0。",
                      en=f"Slide p₀ to where ∇f = 0 (here a {name_en}): the cosine flattens, "
                         f"every direction has slope 0.")
        pal = self.palette
        ax = self.cos_axes
        self.theta_name.clear_updaters()
        self.theta_arc.clear_updaters()
        self.play(FadeOut(self.marks), FadeOut(self.map_marks), FadeOut(self.cos_note), FadeOut(self.theta_arc),
                  FadeOut(self.theta_name), FadeOut(self.theta_readout),
                  FadeOut(self.p0_ring), FadeOut(self.amplitude_names), FadeOut(self.cos_marker),
                  FadeOut(self.u), FadeOut(self.u_name), FadeOut(self.readout),  # u would hide the shrinking ∇f
                  run_time=0.7)

        self.traced.add_updater(self.whole_cosine)
        self.dot.add_updater(lambda d: d.move_to(self.at(self.p_now())))
        self.norm_number.add_updater(lambda m: _show(m, float(np.hypot(*self.grad(self.p_now())))))
        for line, sign in zip(self.amplitude_lines, (1, -1), strict=True):  # ±|∇f| follow the shrinking gradient
            line.add_updater(lambda m, sign=sign: m.set_y(ax.c2p(0, sign * np.hypot(*self.grad(self.p_now())))[1]))
        self.nabla_name.clear_updaters()
        self.play(self.slide.animate.set_value(1.0), FadeOut(self.nabla_name, rate_func=lambda t: min(1.0, 1.6 * t)),
                  run_time=3.0)
        self.slide.set_value(1.0)
        words = {"minimum": self.say("极小值", "minimum"), "maximum": self.say("极大值", "maximum"),
                 "saddle": self.say("鞍点", "saddle")}.get(self.target.kind, self.say("平坦点", "flat point"))
        where = self.map_label(self.text(words, color=pal.good, size=SIZE.SMALL), self.dot.get_center(), DOWN + LEFT,
                               buff=0.1)
        verdict = self.mixed(self.say("$nabla f = 0$：每个方向的斜率都是 0", "$nabla f = 0$: every direction has slope 0"),
                             color=pal.good, size=SIZE.SMALL)
        fit_width(verdict, COLUMN_WIDTH)
        verdict.move_to([COLUMN_LEFT, -2.62, 0], aligned_edge=LEFT)
        self.refresh_readout()  # before it fades in: digits set during a fade would be overwritten
        self.play(FadeIn(where), FadeIn(verdict), FadeIn(self.u), FadeIn(self.u_name), FadeIn(self.readout),
                  run_time=0.6)
        start = self.alpha.get_value()
        self.play(self.alpha.animate.set_value(start + 360), run_time=max(1.0, 360 / self.params.turn_speed / 1.5),
                  rate_func=linear)
        self.wait(1.2)

    # Section: summary
    def summary(self) -> None:
        self.step("summary",
                  zh="∇f 的方向是最陡的上坡，长度 |∇f| 就是这个最大的斜率，−∇f 是最陡的下坡：后面每个场景都沿它走。",
                  en="∇f points the steepest way up, |∇f| is that steepest slope, and −∇f is the steepest way down: "
                     "the move every later scene makes.")
        pal = self.palette
        self.clear_stage()
        self.show_summary(
            self.mixed("$D_u f = nabla f dot u = abs(nabla f) cos theta$"),
            self.mixed(self.say("$nabla f$ 的方向：最陡的上坡（$theta = 0$）", "direction of $nabla f$: steepest ascent "
                                "($theta = 0$)"), color=pal.gradient),
            self.mixed(self.say("$abs(nabla f)$：有多陡，即最大的斜率", "$abs(nabla f)$: how steep, the largest slope"),
                       color=pal.gradient),
            self.mixed(self.say("$-nabla f$：最陡的下坡，后面每个场景都走这一步",
                                "$-nabla f$: steepest descent, the move every later scene uses"), color=pal.descent),
            self.mixed(self.say("沿等高线斜率为 0；在极小值处 $nabla f = 0$",
                                "slope 0 along the level curve; $nabla f = 0$ at a minimum"), color=pal.curve),
        )


class _FastNumber(DecimalNumber):
    """A DecimalNumber whose digits are cheap copies of glyphs typeset once.

    DecimalNumber deep-copies a typeset glyph per character on every ``set_value``
    (about 15 ms a call here, every frame a readout is live); this copies only the
    outline points into a plain VMobject.
    """

    _glyphs: ClassVar[dict[tuple[str, float], np.ndarray]] = {}

    def _string_to_mob(self, string: str, mob_class=None, **kwargs) -> VMobject:
        key = (string, round(self._font_size, 6))
        if key not in self._glyphs:
            glyph = (mob_class or self.mob_class)(string, font_size=self._font_size, **kwargs)
            self._glyphs[key] = np.vstack([part.points for part in glyph.family_members_with_points()])
        return VMobject(stroke_width=0, fill_opacity=1.0).set_points(self._glyphs[key].copy())


def _show(number: DecimalNumber, value: float) -> bool:
    """Set ``number`` to ``value`` rounded as displayed, unless it already shows that; True if it changed.

    Skipping unchanged digits spares the per-frame rebuild while the scene holds still. The
    glyphs are rebuilt anyway when their outline moved since the last call (an animation of the
    readout may have drawn other digits into them). A rounded zero is stored as +0.0, so a
    readout never shows "−0.00".
    """
    shown = round(float(value), number.num_decimal_places) + 0.0
    if number.get_value() == shown and getattr(number, "_outline", None) == _outline(number):
        return False
    number.set_value(shown)
    number._outline = _outline(number)
    return True


def _outline(number: DecimalNumber) -> tuple[float, ...]:
    """A cheap fingerprint of what a number's glyphs draw (their points, summed per axis)."""
    return tuple(np.sum(number.get_all_points(), axis=0).round(9))


def _unit(degrees) -> np.ndarray:
    """Unit vectors at these angles (degrees from +x), shape ``(..., 2)``."""
    a = np.radians(np.asarray(degrees, dtype=float))
    return np.stack([np.cos(a), np.sin(a)], axis=-1)


def _room(p: np.ndarray, degrees: float, box) -> float:
    """How far one can go from ``p`` in the direction ``degrees`` before leaving the box."""
    d = _unit(degrees)
    limits = []
    for k, (lo, hi) in enumerate(box):
        if d[k] > 1e-12:
            limits.append((hi - p[k]) / d[k])
        elif d[k] < -1e-12:
            limits.append((lo - p[k]) / d[k])
    return float(min(limits))


def _flat_point(f, box) -> gradcore.CriticalPoint | None:
    """Where step 6 slides p₀: the lowest minimum in the box, else the first critical point there."""
    minima = gradcore.find_minima(f, box)
    if minima:
        return minima[0]
    found = gradcore.critical_points(f, box)
    return found[0] if found else None


def _sign_arcs(centre: np.ndarray, radius: float, angles: np.ndarray, uphill: np.ndarray, upto: float,
               up: str, down: str) -> VGroup:
    """Arcs around ``centre`` from 0° to ``upto``, coloured ``up`` where ``uphill`` else ``down``."""
    group = VGroup()
    k = int(np.searchsorted(angles, upto, side="right"))
    if k < 2:
        return group
    change = np.flatnonzero(uphill[1:k] != uphill[: k - 1]) + 1
    starts = np.concatenate([[0], change])
    ends = np.concatenate([change, [k - 1]])
    for a, b in zip(starts, ends, strict=True):
        start, stop = angles[a], (min(angles[b], upto) if b == k - 1 else angles[b])
        if stop - start > 0.05:
            group.add(Arc(radius=radius, start_angle=start * DEGREES, angle=(stop - start) * DEGREES,
                          arc_center=centre, color=up if uphill[a] else down, stroke_width=6))
    return group


def _mix(a: str, b: str, t: float) -> str:
    """The colour ``t`` of the way from ``a`` to ``b``."""
    return ManimColor(a).interpolate(ManimColor(b), t).to_hex()


__all__ = ["DirectionalDerivative"]
