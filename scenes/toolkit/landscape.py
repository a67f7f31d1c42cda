"""One landscape ``f(x, y)`` on a box, seen as a flat map and as a 3D surface.

A :class:`LandscapeView` owns every conversion a scene needs:

* **map points** — ``(x, y)`` on a flat map centred at ``centre`` whose longer
  side is ``size`` frame units, one scale for both axes (right angles stay right):
  :meth:`~LandscapeView.point`, :meth:`~LandscapeView.vector`, :meth:`~LandscapeView.coords`;
* **world points** — the surface ``z = f(x, y)`` in 3D, its lowest value at
  world height ``base`` and its highest ``height`` above that:
  :meth:`~LandscapeView.world`, :meth:`~LandscapeView.floor`;
* **screen points** of world points under a still 3D camera:
  :meth:`~LandscapeView.screen`, after :meth:`~LandscapeView.fit_camera` has set
  the camera and moved the world so that the whole surface fills a screen box.

and builds what is drawn from them: the height-coloured surface, level curves,
polylines, the map's frame and tick labels. Scenes never convert coordinates
themselves.

Examples
--------
>>> import numpy as np
>>> view = LandscapeView(lambda x, y: x**2 + y**2, ((-2, 2), (-1, 1)), centre=(1.0, 0.0), size=4.0)
>>> view.unit, view.point([2.0, 1.0]).tolist()
(1.0, [3.0, 1.0, 0.0])
>>> view.coords(view.point([0.5, -0.25])).tolist()
[0.5, -0.25]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from manim import (
    DOWN,
    LEFT,
    OUT,
    RIGHT,
    UP,
    Axes,
    Line,
    ManimColor,
    Surface,
    VGroup,
    VMobject,
    color_gradient,
)

import gradcore
from scenes.toolkit.plotting import tick_step

__all__ = ["LandscapeView", "ticks"]

Box = tuple[tuple[float, float], tuple[float, float]]


def ticks(bounds: tuple[float, float]) -> np.ndarray:
    """Round tick values inside ``bounds`` (see :func:`~scenes.toolkit.plotting.tick_step`).

    Examples
    --------
    >>> ticks((-2.5, 2.5)).tolist()
    [-2.0, -1.0, 0.0, 1.0, 2.0]
    """
    step = tick_step(bounds)
    first = np.ceil(bounds[0] / step - 1e-9) * step
    return np.arange(first, bounds[1] + 1e-9 * step, step)


class LandscapeView:
    """A landscape on its box: map, 3D world and camera fit, and the mobjects drawn from them.

    Parameters
    ----------
    f
        The landscape (a parsed :class:`gradcore.Function` or any broadcasting callable).
    box
        ``((x0, x1), (y0, y1))``.
    centre, size
        Screen centre of the map and screen length of its longer side.
    samples
        Grid points per side on which the lowest and highest values are found.
    world_size
        World length of the surface's longer side (default: ``size``).
    height, base
        World height from the lowest to the highest value, and the world height
        of the lowest value (default ``-height / 2``: the surface is centred on z = 0).
    world_centre
        Where the box's centre sits in the world before any camera fit (default: ``centre``).
    level_at_origin
        If given, overrides ``base``: this value of ``f`` (clipped to the lowest … highest)
        sits at world height 0, the way Manim's ``ThreeDAxes`` places its z range
        (``level_at_origin=0`` reproduces a surface drawn on such axes).
    """

    def __init__(
        self,
        f: Callable,
        box: Box,
        *,
        centre: Sequence[float] = (0.0, 0.0),
        size: float = 6.0,
        samples: int = 61,
        world_size: float | None = None,
        height: float = 2.4,
        base: float | None = None,
        world_centre: Sequence[float] | None = None,
        level_at_origin: float | None = None,
    ):
        (x0, x1), (y0, y1) = box
        self.f = f
        self.box: Box = ((float(x0), float(x1)), (float(y0), float(y1)))
        self.mid = np.array([(x0 + x1) / 2, (y0 + y1) / 2])
        self.span = float(max(x1 - x0, y1 - y0))
        self.centre = np.array([*np.asarray(centre, dtype=float)[:2], 0.0])
        self.unit = size / self.span  # screen length of one unit on the map
        grid = np.meshgrid(np.linspace(x0, x1, samples), np.linspace(y0, y1, samples))
        values = np.broadcast_to(np.asarray(f(*grid), dtype=float), grid[0].shape)
        self.low, self.high = float(values.min()), float(values.max())
        self.world_unit = (world_size or size) / self.span
        self.height = height
        self.base = -height / 2 if base is None else base
        if level_at_origin is not None:  # that value (clipped to the range) at world height 0, as ThreeDAxes does
            self.base = -float(self.lift(np.clip(level_at_origin, self.low, self.high)) - self.base)
        origin = self.centre if world_centre is None else np.asarray(world_centre, dtype=float)
        self.origin = np.array([*origin[:2], 0.0])  # world point of the box's centre at world height 0

    # --- the map ---------------------------------------------------------------
    def point(self, xy: Any) -> np.ndarray:
        """Screen point(s) of map point(s) ``xy``, shape ``(..., 2)`` → ``(..., 3)``."""
        xy = np.asarray(xy, dtype=float)[..., :2]
        flat = self.centre[:2] + self.unit * (xy - self.mid)
        return np.concatenate([flat, np.zeros((*flat.shape[:-1], 1))], axis=-1)

    def vector(self, v: Any) -> np.ndarray:
        """Screen vector(s) of map vector(s) ``v``, shape ``(..., 2)`` → ``(..., 3)``."""
        v = self.unit * np.asarray(v, dtype=float)[..., :2]
        return np.concatenate([v, np.zeros((*v.shape[:-1], 1))], axis=-1)

    def coords(self, screen: Any) -> np.ndarray:
        """Map point(s) of screen point(s): the inverse of :meth:`point`."""
        screen = np.asarray(screen, dtype=float)
        return self.mid + (screen[..., :2] - self.centre[:2]) / self.unit

    @property
    def screen_box(self) -> tuple[float, float, float, float]:
        """``(left, right, bottom, top)`` of the map on screen."""
        (x0, x1), (y0, y1) = self.box
        (left, bottom, _), (right, top, _) = self.point([[x0, y0], [x1, y1]])
        return float(left), float(right), float(bottom), float(top)

    @property
    def map_centre(self) -> np.ndarray:
        return self.point(self.mid)

    @property
    def map_width(self) -> float:
        return self.unit * (self.box[0][1] - self.box[0][0])

    @property
    def map_height(self) -> float:
        return self.unit * (self.box[1][1] - self.box[1][0])

    def map_axes(self, **axis_config: Any) -> Axes:
        """Manim axes spanning the map (drawn lines at x = 0 and y = 0 when the box contains them)."""
        (x0, x1), (y0, y1) = self.box
        axes = Axes(
            x_range=[x0, x1, x1 - x0],
            y_range=[y0, y1, y1 - y0],
            x_length=self.map_width,
            y_length=self.map_height,
            tips=False,
            axis_config={"include_ticks": False, **axis_config},
        )
        return axes.move_to(self.map_centre)

    # --- the world -------------------------------------------------------------
    def lift(self, value: Any) -> np.ndarray:
        """World height of the surface where ``f`` equals ``value``."""
        spread = max(self.high - self.low, 1e-9)
        return self.base + self.height * (np.asarray(value, dtype=float) - self.low) / spread

    def floor(self, xy: Any) -> np.ndarray:
        """World point(s) of ``xy`` at world height 0."""
        xy = np.asarray(xy, dtype=float)[..., :2]
        flat = self.origin[:2] + self.world_unit * (xy - self.mid)
        # world height 0 is the origin's z: fit_camera may move the world off z = 0
        return np.concatenate([flat, np.full((*flat.shape[:-1], 1), self.origin[2])], axis=-1)

    def world(self, xy: Any, z: Any = None) -> np.ndarray:
        """World point(s) of the surface above ``xy`` (at the value ``z`` if given, else ``f(xy)``)."""
        xy = np.asarray(xy, dtype=float)[..., :2]
        if z is None:
            z = self.f(xy[..., 0], xy[..., 1])
        heights = np.broadcast_to(self.lift(z), xy.shape[:-1])
        return self.floor(xy) + heights[..., None] * OUT

    def fit_camera(
        self,
        scene: Any,
        orientation: dict[str, float],
        screen_box: tuple[tuple[float, float], tuple[float, float]],
        samples: int = 25,
    ) -> float:
        """Set the 3D camera to ``orientation`` and move the world so the surface fills ``screen_box``.

        ``screen_box`` is ``((left, right), (bottom, top))`` in frame units. The
        camera's zoom is fitted and the world shifted (not the camera's centre:
        moving that would shift pinned captions too). Returns the zoom.
        """
        (x0, x1), (y0, y1) = self.box
        grid = np.stack(np.meshgrid(np.linspace(x0, x1, samples), np.linspace(y0, y1, samples)), axis=-1)
        heights = self.f(grid[..., 0], grid[..., 1])
        camera = scene.renderer.camera
        (left, right), (bottom, top) = screen_box
        zoom = 1.0
        for _ in range(3):  # the projection is nearly linear: a few rounds of fit-and-shift settle it
            scene.set_camera_orientation(**orientation, zoom=zoom)
            camera.reset_rotation_matrix()  # the camera refreshes its matrix only when it draws
            seen = camera.project_points(self.world(grid, heights).reshape(-1, 3))
            low, high = seen[:, :2].min(axis=0), seen[:, :2].max(axis=0)
            zoom *= min((right - left) / (high[0] - low[0]), (top - bottom) / (high[1] - low[1]))
            offset = np.array([(left + right) / 2, (bottom + top) / 2]) - (low + high) / 2
            # the camera shows a world point p at zoom · (R p)[:2]: move the world by Rᵀ(offset / zoom)
            self.origin = self.origin + camera.get_rotation_matrix().T @ np.array([*offset, 0.0]) / zoom
        scene.set_camera_orientation(**orientation, zoom=zoom)
        return zoom

    @staticmethod
    def screen(scene: Any, world_point: Any) -> np.ndarray:
        """Where world point(s) appear in the frame while the 3D camera holds still."""
        camera = scene.renderer.camera
        camera.reset_rotation_matrix()  # refreshed only when the camera draws: make sure it is current
        points = np.asarray(world_point, dtype=float)
        projected = camera.project_points(points.reshape(-1, 3))
        projected[:, 2] = 0.0
        return projected.reshape(points.shape)

    # --- what is drawn ---------------------------------------------------------------
    def surface(
        self,
        resolution: int,
        colours: Sequence[str],
        *,
        opacity: float = 1.0,
        seams: bool = True,
        colour_at: str = "centre",
    ) -> Surface:
        """The surface coloured by height along ``colours`` (low → high).

        With ``seams=True`` each face is also stroked in its own colour, which hides
        the hairlines anti-aliasing leaves between faces. A face takes the colour of
        the height at its centre, or with ``colour_at="midpoint"`` at the point halfway
        along its outline (as Manim's ``Surface.set_fill_by_value`` does).
        """
        (x0, x1), (y0, y1) = self.box
        surface = _MappedSurface(
            self.world,
            u_range=(x0, x1),
            v_range=(y0, y1),
            resolution=resolution,
            fill_opacity=opacity,
            stroke_width=0,
            checkerboard_colors=False,
        )
        ramp = [ManimColor(c) for c in colours]
        faces = np.array([face.points for face in surface])  # every face: 4 cubic curves, 16 points
        anchors = faces.reshape(len(faces), -1, 4, 3)[:, :, [0, 3]].reshape(len(faces), -1, 3)
        centres = (anchors.min(axis=1) + anchors.max(axis=1)) / 2  # Manim's get_center: its anchors' box
        heights = (_halfway(faces) if colour_at == "midpoint" else centres)[:, 2]
        shares = np.clip((heights - self.origin[2] - self.base) / self.height, 0.0, 1.0)
        for face, share in zip(surface, shares, strict=True):
            face.set_fill(_along(ramp, float(share)), opacity=opacity)
            if seams:
                face.set_stroke(face.get_fill_color(), width=0.6, opacity=opacity)
        return surface

    def polyline(self, xy: Any, *, lift: float | None = None, **style: Any) -> VMobject:
        """A polyline through map points (or, with ``lift``, through the world at that value of f)."""
        points = self.point(xy) if lift is None else self.world(xy, lift)
        return VMobject(**style).set_points_as_corners(points)

    def level_values(self, count: int) -> np.ndarray:
        """``count`` evenly spaced values strictly between the lowest and highest."""
        return np.linspace(self.low, self.high, count + 2)[1:-1]

    def level_curves(
        self,
        levels: Sequence[float],
        *,
        colour: str | Callable[[int], str],
        width: float = 2.0,
        opacity: float = 1.0,
        lift: bool = False,
        samples: int = 200,
    ) -> VGroup:
        """The level curves f = c for each c in ``levels`` (on the map, or lifted onto the surface).

        ``colour`` is one colour or a function of the level's index.
        """
        group = VGroup()
        for index, level in enumerate(levels):
            stroke = colour(index) if callable(colour) else colour
            for line in gradcore.level_curves(self.f, self.box, level, samples=samples):
                group.add(
                    self.polyline(
                        line,
                        lift=level if lift else None,
                        stroke_color=stroke,
                        stroke_width=width,
                        stroke_opacity=opacity,
                    )
                )
        return group

    def frame(self, colour: str, width: float = 2.0, axis_colour: str | None = None) -> VGroup:
        """The map's border, and the lines x = 0 and y = 0 (in ``axis_colour``) where they cross it."""
        (x0, x1), (y0, y1) = self.box
        corners = self.point([[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]])
        frame = VGroup(VMobject(stroke_color=colour, stroke_width=width).set_points_as_corners(corners))
        if axis_colour is not None:
            if x0 < 0 < x1:
                frame.add(Line(self.point([0, y0]), self.point([0, y1]), color=axis_colour, stroke_width=width))
            if y0 < 0 < y1:
                frame.add(Line(self.point([x0, 0]), self.point([x1, 0]), color=axis_colour, stroke_width=width))
        return frame

    def tick_labels(
        self, make: Callable[[str], Any], fmt: Callable[[float], str], names: tuple[Any, Any] | None = None
    ) -> VGroup:
        """Tick numbers along the bottom and left edges (``make(text)`` builds one), and the axis names."""
        (x0, x1), (y0, y1) = self.box
        labels = VGroup()
        for value in ticks((x0, x1)):
            labels.add(make(fmt(value)).next_to(self.point([value, y0]), DOWN, 0.12))
        for value in ticks((y0, y1)):
            labels.add(make(fmt(value)).next_to(self.point([x0, value]), LEFT, 0.12))
        if names is not None:
            labels.add(names[0].next_to(self.point([x1, y0]), RIGHT, 0.15))
            labels.add(names[1].next_to(self.point([x0, y1]), UP, 0.12))
        return labels

    def world_coords(self, world_point: Any) -> np.ndarray:
        """``(x, y, value)`` of world point(s): the inverse of :meth:`world` (``(..., 3)`` → ``(..., 3)``)."""
        p = np.asarray(world_point, dtype=float)
        xy = self.mid + (p[..., :2] - self.origin[:2]) / self.world_unit
        value = self.low + (p[..., 2] - self.origin[2] - self.base) / self.height * max(self.high - self.low, 1e-9)
        return np.concatenate([xy, value[..., None]], axis=-1)


class _MappedSurface(Surface):
    """Manim's ``Surface`` whose corners ``world`` maps in one vectorised call, not one call per point.

    ``Surface.__init__`` maps its flat grid through ``np.apply_along_axis``: 25,600
    calls of ``world`` for 40 × 40 faces, about 2 s. Here the same mapping (with
    Manim's handle scaling around it) takes one call; afterwards the surface is
    an ordinary ``Surface``.
    """

    def __init__(self, world: Callable[[np.ndarray], np.ndarray], **kwargs: Any) -> None:
        self._mapping: Callable[[np.ndarray], np.ndarray] | None = world
        super().__init__(lambda u, v: world(np.array([u, v])), **kwargs)
        self._mapping = None

    def apply_points_function_about_point(self, func: Callable, about_point: Any = None, about_edge: Any = None):
        if self._mapping is None:  # anything after construction: Manim's own
            return super().apply_points_function_about_point(func, about_point, about_edge)
        parts = self.family_members_with_points()  # the one call, from apply_function, about the origin
        mapped = self._mapping(np.concatenate([part.points for part in parts]))
        for part, points in zip(parts, np.split(mapped, np.cumsum([len(p.points) for p in parts])[:-1]), strict=True):
            part.points = points
        return self


def _halfway(faces: np.ndarray) -> np.ndarray:
    """The point halfway along each outline of cubic curves (``faces``: shape ``(m, 4k, 3)``), as Manim finds it.

    Manim's ``point_from_proportion(0.5)`` measures each curve by 9 chords between
    10 samples, finds the curve where half the length falls and goes that share
    of the way along it, one face at a time: 0.6 s for 1,600 faces. The same
    rule, for all faces at once.
    """
    curves = faces.reshape(len(faces), -1, 4, 3)  # (m, curves, control points, xyz)
    samples = _cubic(curves[:, :, None], np.linspace(0.0, 1.0, 10)[:, None])  # (m, curves, 10, 3)
    lengths = np.linalg.norm(np.diff(samples, axis=2), axis=-1).sum(axis=2)  # (m, curves)
    target = 0.5 * lengths.sum(axis=1, keepdims=True)
    before = np.cumsum(lengths, axis=1) - lengths
    index = np.argmax(before + lengths >= target, axis=1)  # the first curve that reaches halfway
    rows = np.arange(len(faces))
    length, start = lengths[rows, index], before[rows, index]
    residue = np.where(length > 0, (target[:, 0] - start) / np.where(length > 0, length, 1.0), 0.0)
    return _cubic(curves[rows, index], residue[:, None])


def _cubic(control: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Cubic Bézier curves (control points on the axis before last) at ``t``, broadcast."""
    s = 1.0 - t
    p0, p1, p2, p3 = (control[..., i, :] for i in range(4))
    return s**3 * p0 + 3 * s**2 * t * p1 + 3 * s * t**2 * p2 + t**3 * p3


def _along(ramp: list[ManimColor], share: float) -> ManimColor:
    """The colour ``share`` of the way along a ramp of colours."""
    if len(ramp) == 1:
        return ramp[0]
    position = share * (len(ramp) - 1)
    k = min(int(position), len(ramp) - 2)
    return ramp[k].interpolate(ramp[k + 1], position - k)


def magnitude_colours(colours: Sequence[str], bins: int) -> list[str]:
    """``bins`` colours spread evenly along ``colours`` (e.g. a palette's magnitude scale)."""
    return [c.to_hex() for c in color_gradient([ManimColor(c) for c in colours], bins)]


__all__ += ["magnitude_colours"]
