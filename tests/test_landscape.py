"""The toolkit's landscape view: map, world and camera conversions agree with each other and with f."""

import numpy as np
import pytest
from manim import DEGREES, Surface, ThreeDScene, tempconfig

import gradcore
from scenes.toolkit.landscape import LandscapeView, ticks

F = gradcore.parse("x^2 + 3*y^2", variables=("x", "y"))
BOX = ((-2.0, 2.0), (-1.0, 1.0))


def view(**kw) -> LandscapeView:
    return LandscapeView(F, BOX, centre=(-3.0, 0.5), size=6.0, **kw)


def test_map_has_one_scale_for_both_axes_and_inverts():
    v = view()
    assert v.unit == pytest.approx(1.5)  # 6 screen units for the longer side, 4 units long
    corners = v.point([[-2, -1], [2, 1]])
    np.testing.assert_allclose(corners, [[-6.0, -1.0, 0.0], [0.0, 2.0, 0.0]])
    np.testing.assert_allclose(v.vector([1.0, 1.0]), [1.5, 1.5, 0.0])
    xy = np.array([[0.3, -0.7], [1.9, 0.2]])
    np.testing.assert_allclose(v.coords(v.point(xy)), xy)
    assert v.screen_box == pytest.approx((-6.0, 0.0, -1.0, 2.0))


def test_world_heights_span_base_to_base_plus_height():
    v = view(height=2.0, base=0.5)
    assert v.low == pytest.approx(0.0) and v.high == pytest.approx(7.0)  # f(±2, ±1) = 4 + 3
    assert v.world([0.0, 0.0])[2] == pytest.approx(0.5)
    assert v.world([2.0, 1.0])[2] == pytest.approx(2.5)
    assert v.world([1.0, 0.0], z=3.5)[2] == pytest.approx(1.5)
    grid = np.zeros((3, 4, 2))
    assert v.world(grid).shape == (3, 4, 3)


def test_level_curves_lie_on_their_level():
    v = view()
    curves = v.level_curves([1.0, 2.0], colour="#FFFFFF")
    assert len(curves) == 2  # each level is one closed ellipse inside the box
    for curve, level in zip(curves, (1.0, 2.0), strict=True):
        xy = v.coords(curve.get_anchors())
        np.testing.assert_allclose(F(xy[:, 0], xy[:, 1]), level, atol=2e-2)


def test_surface_faces_follow_the_colour_ramp_from_low_to_high():
    v = view()
    surface = v.surface(8, ("#000000", "#FFFFFF"))
    brightness = np.array([face.get_fill_color().to_rgb().mean() for face in surface])
    heights = np.array([face.get_center()[2] for face in surface])
    assert np.corrcoef(brightness, heights)[0, 1] > 0.99


def test_surface_is_manims_surface_mapped_in_one_call():
    v = view()
    fast = v.surface(12, ["#000000", "#ffffff"])
    (x0, x1), (y0, y1) = BOX
    manims = Surface(lambda u, w: v.world([u, w]), u_range=(x0, x1), v_range=(y0, y1), resolution=12)
    pairs = zip(fast.family_members_with_points(), manims.family_members_with_points(), strict=True)
    assert all(np.array_equal(a.points, b.points) for a, b in pairs)  # handles scaled around the map, as Manim does
    fast.shift([1.0, 0.0, 0.0])  # after construction it is an ordinary Surface
    np.testing.assert_allclose(fast[0].points, manims[0].points + np.array([1.0, 0.0, 0.0]))


def test_faces_are_coloured_at_manims_own_centre_or_midpoint():
    v = view()
    for where, manims in (("centre", "get_center"), ("midpoint", "get_midpoint")):
        faces = v.surface(9, ["#000000", "#ffffff"], colour_at=where)
        for face in faces:
            z = getattr(face, manims)()[2]
            share = np.clip((z - v.origin[2] - v.base) / v.height, 0, 1)
            assert face.get_fill_color().to_rgb()[0] == pytest.approx(share, abs=1e-9), where


def test_fit_camera_puts_the_whole_surface_inside_the_screen_box():
    with tempconfig({"pixel_width": 160, "pixel_height": 90, "dry_run": True}):
        scene = ThreeDScene()
        v = LandscapeView(F, BOX, size=6.0)
        box = ((-6.0, 2.0), (-2.5, 3.0))
        zoom = v.fit_camera(scene, {"phi": 60 * DEGREES, "theta": -60 * DEGREES}, box, samples=21)
        grid = np.stack(np.meshgrid(np.linspace(-2, 2, 21), np.linspace(-1, 1, 21)), axis=-1)
        seen = v.screen(scene, v.world(grid)).reshape(-1, 3)
    assert zoom > 0
    low, high = seen[:, :2].min(axis=0), seen[:, :2].max(axis=0)
    assert low[0] >= box[0][0] - 0.05 and high[0] <= box[0][1] + 0.05
    assert low[1] >= box[1][0] - 0.05 and high[1] <= box[1][1] + 0.05
    # it fills the box in one direction at least
    assert np.isclose(high[0] - low[0], 8.0, atol=0.05) or np.isclose(high[1] - low[1], 5.5, atol=0.05)


def test_ticks_are_round_and_inside():
    assert ticks((-2.5, 2.5)).tolist() == [-2.0, -1.0, 0.0, 1.0, 2.0]
    assert ticks((0.0, 6.5)).tolist() == [0.0, 2.0, 4.0, 6.0]
