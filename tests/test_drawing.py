"""The lecture cameras hand Cairo exactly the paths Manim's camera hands it, and draw the same pixels."""

import numpy as np
import pytest
from manim import (
    DEGREES,
    Arc,
    Camera,
    Circle,
    DashedLine,
    Dot,
    MathTypst,
    Text,
    ThreeDCamera,
    VMobject,
)

from scenes.toolkit.drawing import LectureCamera, subpaths
from scenes.toolkit.stills import StillsCamera


def shapes() -> list[VMobject]:
    odd = VMobject().set_points(np.array([[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0], [0, 0, 0], [2, 2, 0]], float))
    jumps = VMobject()
    jumps.set_points_as_corners([[0, 0, 0], [1, 0, 0], [1, 1, 0]])
    jumps.append_points((jumps.points + 3 + 1e-7)[::-1])  # a second run, joined back to front
    return [
        MathTypst("nabla f dot u = sum_i x_i^2"),  # glyphs: many closed subpaths
        Text("梯度 gradient"),
        DashedLine([-3, 0, 0], [3, 1, 0]),
        Arc(radius=1.5, start_angle=0.3, angle=4.0),  # open
        Circle().shift([0.5, -1, 0]),
        Dot(),
        odd,  # six points: one curve and a stub Manim skips
        jumps,
        VMobject(),  # no points
    ]


def cairo_path(camera, vmobject: VMobject) -> list:
    ctx = camera.get_cairo_context(camera.pixel_array)
    camera.set_cairo_context_path(ctx, vmobject)
    return list(ctx.copy_path())


@pytest.mark.parametrize(("ours", "manims"), [(LectureCamera, Camera), (StillsCamera, ThreeDCamera)])
def test_every_shape_reaches_cairo_as_the_same_path(ours, manims):
    mine, theirs = ours(), manims()
    for shape in shapes():
        for family in [shape, *shape.family_members_with_points()]:
            assert cairo_path(mine, family) == cairo_path(theirs, family), type(family).__name__


def test_a_tilted_3d_view_draws_the_same_pixels_as_manims_camera():
    mine, theirs = StillsCamera(), ThreeDCamera()
    for camera in (mine, theirs):
        camera.set_phi(60 * DEGREES)
        camera.set_theta(-40 * DEGREES)
        camera.capture_mobjects([s.copy().shift([0, 0, 0.5]) for s in shapes()])
    assert mine.top_view is False
    np.testing.assert_array_equal(mine.pixel_array, theirs.pixel_array)


def test_the_top_view_skips_the_projection_and_draws_the_same_pixels():
    mine, theirs = StillsCamera(), ThreeDCamera()
    for camera in (mine, theirs):
        camera.set_phi(0)
        camera.set_theta(-90 * DEGREES)
        camera.capture_mobjects(shapes())
    assert mine.top_view is True
    points = shapes()[0].family_members_with_points()[0].points
    assert mine.transform_points_pre_display(VMobject(), points) is points  # drawn as it is
    assert np.abs(mine.pixel_array.astype(int) - theirs.pixel_array).max() <= 1


def test_subpaths_break_where_one_curve_does_not_end_where_the_next_starts():
    square = np.array([[0, 0, 0], [0, 0, 0], [1, 0, 0], [1, 0, 0]] * 3, float)
    square[4:8] += [1, 0, 0]
    square[8:] += [3, 0, 0]  # a jump before the third curve
    assert subpaths(square, 1e-6) == [(0, 8), (8, 12)]
    assert subpaths(square[:3], 1e-6) == []
