"""A picture of mobjects drawn once, to fade in or out cheaply: :func:`still_image` and :class:`FrameImage`.

Fading a 3D surface redraws and shades every face every frame; under a still camera a
picture of it, drawn once, looks the same and costs one composite per frame. The picture
covers the whole frame, fixed in it, and :class:`StillsCamera` lays it straight over the frame
(Manim's general image path, a perspective transform through Pillow, is skipped, and with it a
Pillow incompatibility of Manim 0.22 that fails on any ``ImageMobject``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from manim import ORIGIN, FadeIn, ImageMobject, Mobject, ThreeDCamera
from manim import config as manim_config

from scenes.toolkit.drawing import FastPaths

__all__ = ["FrameImage", "StillsCamera", "fade_in_still", "picture_for_fade_out", "still_image"]


class FrameImage(ImageMobject):
    """A picture exactly the size of the frame, drawn by :class:`StillsCamera` pixel for pixel.

    ``premultiplied`` keeps the camera's pixels as drawn (colours premultiplied by alpha, as Cairo
    stores them); the image's own array follows Manim's rules for fades.
    """

    def __init__(self, picture: np.ndarray, **kwargs: Any) -> None:
        super().__init__(picture, **kwargs)
        self.premultiplied = picture.copy()


class StillsCamera(FastPaths, ThreeDCamera):
    """The 3D camera of lecture scenes: a :class:`FrameImage` is composited straight onto the frame.

    Looking straight down at zoom 1 (the flat steps after a 3D opening), the projection of
    points within 1e-9 of the plane z = 0 is the identity, so they are drawn as they are, and so
    are mobjects fixed in the frame; Manim projected every point of every mobject in every
    frame, about a tenth of a flat frame's drawing. Paths reach Cairo as :class:`FastPaths` hands them.
    """

    top_view = False  # set with each frame's rotation: looking straight down, zoom 1, centred

    def reset_rotation_matrix(self) -> None:
        super().reset_rotation_matrix()
        self.top_view = bool(
            np.allclose(self.rotation_matrix, np.eye(3), rtol=0.0, atol=1e-12)
            and self.get_zoom() == 1.0
            and not np.any(self.frame_center)
        )

    def transform_points_pre_display(self, mobject: Mobject, points: np.ndarray) -> np.ndarray:
        """Manim's projection, skipped for points fixed in the frame or in the plane z = 0 under the top view."""
        flat = self.top_view and mobject not in self.fixed_orientation_mobjects and _in_plane(points)
        if flat or mobject in self.fixed_in_frame_mobjects:
            return points if np.isfinite(points).all() else np.zeros((1, 3))  # as Manim's Camera does
        return super().transform_points_pre_display(mobject, points)

    def display_image_mobject(self, image_mobject: Any, pixel_array: np.ndarray) -> None:
        """Composite a frame-sized picture over ``pixel_array``; any other image goes Manim's way.

        The picture holds Cairo's premultiplied colours; its opacity is the image's ``stroke_opacity``
        (what ``set_opacity`` and the fades change).
        """
        if not isinstance(image_mobject, FrameImage) or image_mobject.pixel_array.shape != pixel_array.shape:
            return super().display_image_mobject(image_mobject, pixel_array)
        k = float(image_mobject.stroke_opacity)
        if k <= 0:
            return None
        over = image_mobject.premultiplied.astype(np.float32)
        alpha = over[..., 3:] / 255.0 * k
        pixel_array[:] = np.round(over * k + pixel_array.astype(np.float32) * (1.0 - alpha)).astype(np.uint8)
        return None


def _in_plane(points: np.ndarray) -> bool:
    """Whether every point lies within 1e-9 of z = 0 (typeset glyphs lie within about 1e-16 of it).

    Seen from straight above, such a point moves by less than 1e-9 of a unit in perspective.
    """
    return len(points) == 0 or float(np.abs(points[:, 2]).max()) < 1e-9


def still_image(scene: Any, mobject: Mobject) -> FrameImage:
    """``mobject`` as the scene's camera draws it now, on a transparent ground, as a :class:`FrameImage`.

    The picture is fixed in the frame; swap it for ``mobject`` (or back) when its opacity is full.
    """
    camera = scene.renderer.camera
    frame = camera.pixel_array.copy()
    camera.pixel_array[:] = 0
    camera.capture_mobjects([mobject])
    picture = camera.pixel_array.copy()
    camera.pixel_array[:] = frame
    image = FrameImage(picture).stretch_to_fit_width(manim_config.frame_width)
    image.stretch_to_fit_height(manim_config.frame_height).move_to(ORIGIN)
    camera.add_fixed_in_frame_mobjects(image)
    return image


def picture_for_fade_out(scene: Any, mobject: Mobject) -> FrameImage:
    """Swap ``mobject`` for its picture, to be faded out in its place: ``self.play(FadeOut(picture))``."""
    picture = still_image(scene, mobject)
    scene.remove(mobject)
    scene.add(picture)
    return picture


def fade_in_still(scene: Any, mobject: Mobject, *also: Any, run_time: float = 1.0) -> None:
    """Fade ``mobject`` in as its picture (with the animations ``also``), then put the mobject in its place.

    The swap shows nothing: the picture at full opacity is the mobject's own pixels, which from then
    on are drawn once per animation into the still background.
    """
    picture = still_image(scene, mobject)
    scene.play(FadeIn(picture), *also, run_time=run_time)
    scene.remove(picture)
    scene.add(mobject)
