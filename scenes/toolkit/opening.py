"""The opening of a clip about one point of a landscape: the 3D surface, then its map seen from straight above.

:class:`SurfaceToMap` plays it in three steps a scene calls one after another:

1. :meth:`~SurfaceToMap.show_surface` — the surface fades in under a still camera, the point p on it
   with its name, and the level curve through p is drawn on the surface;
2. :meth:`~SurfaceToMap.look_down` — the surface fades out while the curve and p drop to the floor, and
   the camera turns to look straight down;
3. :meth:`~SurfaceToMap.unfold` — the floor slides onto the flat map, and the other level curves, the
   axes and the frame fade in around p.

Cost notes (Cairo): the camera holds still while the surface fades in and out, and what fades
is a picture of the surface drawn once (:func:`still_image`), not its faces redrawn every frame
(at 1080p60 that was about a third of the clip's opening); the camera moves once, after the
surface is gone, so no moving camera ever redraws the surface. From then on everything lies in the plane z = 0 under a camera looking
straight down, which draws exactly like a 2D scene.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Create, Dot, FadeIn, FadeOut, Mobject, Rectangle, VGroup

from scenes.toolkit.colours import mix
from scenes.toolkit.landscape import LandscapeView
from scenes.toolkit.stills import fade_in_still, picture_for_fade_out
from scenes.toolkit.text import SIZE, halo, math

__all__ = ["SurfaceToMap"]

CURVE_SAMPLES = 90  # grid samples per side for the level curves
CURVE_WIDTH = 3.5  # stroke of the level curve through p (the other levels: 2)
CLEARANCE = 0.3  # another level curve is left out when closer than this share of the level spacing to p's


class SurfaceToMap:
    """The surface of ``view`` in 3D with ``point`` on it, turned into the flat map (see the module docstring).

    Parameters
    ----------
    scene
        A lecture 3D scene (its ``palette``, ``play``, camera).
    view
        The landscape's view; the map is where :meth:`~LandscapeView.point` puts it.
    point
        The map point p the clip is about.
    """

    def __init__(self, scene: Any, view: LandscapeView, point: Any):
        self.scene, self.view, self.point = scene, view, np.asarray(point, dtype=float)
        self.value = float(view.f(*self.point))  # f(p): the level of p's curve
        self.axis_names = VGroup()  # the map's x and y, once unfold has drawn them

    def show_surface(self, orientation: dict, screen_box: Any, faces: int, title: Mobject, name: str) -> None:
        """Fit the camera, fade in the surface with ``title``, p on it named ``name`` (maths), draw p's level curve."""
        scene, view, pal, camera = self.scene, self.view, self.scene.palette, self.scene.renderer.camera
        view.fit_camera(scene, orientation, screen_box, samples=25)
        surface = view.surface(faces, pal.surface, seams=False)
        marker = halo(Dot(view.world(self.point), radius=0.09, color=pal.highlight), pal.outline, 3)
        camera.add_fixed_orientation_mobjects(marker)
        label = halo(math(name, color=pal.highlight, size=SIZE.LABEL), pal.outline)
        label.next_to(view.screen(scene, marker.get_center()), UP + RIGHT, buff=0.12)
        camera.add_fixed_in_frame_mobjects(label)  # fixed in the frame, but shown only by FadeIn
        lifted = view.level_curves([self.value], colour=pal.curve, width=CURVE_WIDTH, lift=True, samples=CURVE_SAMPLES)
        fade_in_still(scene, surface, FadeIn(title), run_time=1.2)
        scene.play(FadeIn(marker, scale=1.5), FadeIn(label), run_time=0.7)
        scene.play(Create(lifted), run_time=1.2)
        scene.wait(0.8)
        self.surface, self.marker, self.label, self.lifted = surface, marker, label, lifted

    def look_down(self, orientation: dict) -> None:
        """The surface and p's name fade while the curve and p drop to the floor; the camera turns to ``orientation``."""
        scene, marker, camera = self.scene, self.marker, self.scene.renderer.camera
        floor = self.view.floor(self.point)
        slide = self.lifted.animate.shift(floor - marker.get_center())
        picture = picture_for_fade_out(scene, self.surface)
        scene.bring_to_front(self.lifted, marker)
        scene.play(FadeOut(picture), FadeOut(self.label), slide, marker.animate.move_to(floor), run_time=1.4)
        scene.move_camera(**orientation, run_time=1.6)
        scene.remove(marker)
        camera.fixed_orientation_mobjects.pop(marker, None)

    def unfold(self, dot: Mobject, levels: int) -> VGroup:
        """The floor slides onto the map with ``dot`` at p; ``levels`` level curves, axes, frame fade in: p's curve."""
        scene, view, pal = self.scene, self.view, self.scene.palette
        scene.add(dot.move_to(view.floor(self.point)))
        ring = view.level_curves([self.value], colour=pal.curve, width=CURVE_WIDTH, samples=CURVE_SAMPLES)
        spacing = (view.high - view.low) / (levels + 1)
        others = [v for v in view.level_values(levels) if abs(v - self.value) > CLEARANCE * spacing]
        curves = view.level_curves(others, colour=mix(pal.grid, pal.curve, 0.45), width=2, samples=CURVE_SAMPLES)
        axes = view.map_axes(color=pal.grid, stroke_width=2)
        frame = Rectangle(color=pal.axes, height=view.map_height, width=view.map_width, stroke_width=2).move_to(
            view.map_centre
        )
        x, y = (math(n, color=pal.muted, size=SIZE.SMALL) for n in "xy")
        x.next_to(axes.x_axis.get_end(), UP + LEFT, 0.1)
        names = VGroup(x, y.next_to(axes.y_axis.get_end(), DOWN + RIGHT, 0.1))
        self.axis_names = names  # for labels that keep off them
        scene.play(self.lifted.animate.move_to(ring), dot.animate.move_to(view.point(self.point)), run_time=1.0)
        scene.remove(self.lifted)
        scene.add(ring)
        scene.play(FadeIn(curves), FadeIn(axes), FadeIn(frame), FadeIn(names), run_time=1.0)
        scene.bring_to_front(ring, dot)
        return ring
