"""The layout gate: it finds labels off the safe area, in the caption band, too small or on top of each other,
projects 3D labels through the camera, and the scene harness fails a scene that breaks it."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from manim import DEGREES, LEFT, RIGHT, UP, Dot, FadeIn, ThreeDCamera, VGroup

from scenes.tangent import TangentArrow
from scenes.toolkit import SIZE
from scenes.toolkit.layout import READABLE_SIZE, labels_on_stage, layout_problems
from scenes.toolkit.testing import check_storyboard, run_scene
from scenes.toolkit.text import math, mixed, text


def stage(*mobjects, camera=None, captions=True):
    return SimpleNamespace(
        mobjects=list(mobjects),
        renderer=SimpleNamespace(camera=camera),
        _caption=None,
        settings=SimpleNamespace(captions=captions),
    )


def label(words="label", size=SIZE.LABEL):
    return text(words, color="#FFFFFF", size=size)


def test_a_well_placed_stage_passes():
    row = VGroup(label("left"), math("x = 2", color="#FFFFFF"), mixed("slope $f'$", color="#FFFFFF"))
    assert layout_problems(stage(row.arrange(RIGHT, buff=0.3))) == []


def test_a_label_off_the_safe_area_is_found():
    assert layout_problems(stage(label().to_edge(RIGHT, buff=0.0))) == ["'label' reaches outside the frame's safe area"]


def test_a_label_in_the_caption_band_is_found_only_while_captions_show():
    low = label().move_to([0, -3.4, 0])
    assert "caption band" in layout_problems(stage(low))[0]
    assert layout_problems(stage(label().move_to([0, -3.4, 0]), captions=False)) == []


def test_small_labels_are_found_in_text_and_typst_sizes_alike():
    small = VGroup(label(size=SIZE.SMALL), math("x", color="#FFFFFF", size=SIZE.SMALL)).arrange(RIGHT)
    assert layout_problems(stage(small)) == []
    shrunk = label("shrunk").scale(0.7)  # fit_width does this to a line that is too long
    assert layout_problems(stage(shrunk)) == [f"'shrunk' is too small to read: size 21.0 < {READABLE_SIZE}"]
    tiny = math("y", color="#FFFFFF", size=14)
    assert "too small" in layout_problems(stage(tiny))[0]


def test_overlapping_labels_are_found_and_touching_ones_are_not():
    a, b = label("first"), label("second")
    b.move_to(a.get_right() + 0.1 * LEFT, aligned_edge=LEFT)
    assert layout_problems(stage(a, b)) == ["'first' overlaps 'second'"]
    b.next_to(a, RIGHT, buff=0.05)
    assert layout_problems(stage(a, b)) == []


def test_invisible_labels_are_not_on_screen():
    assert labels_on_stage(stage(label().set_opacity(0).to_edge(RIGHT, buff=0))) == []


def test_a_label_in_3d_is_measured_as_the_camera_projects_it():
    camera = ThreeDCamera()
    camera.set_phi(70 * DEGREES)
    camera.set_theta(-90 * DEGREES)
    flat = label("on the floor")  # lies in the z = 0 plane, seen at a grazing angle
    (seen,) = labels_on_stage(stage(flat, camera=camera))
    assert seen.box[3] - seen.box[2] < 0.5 * flat.height  # foreshortened
    assert "too small" in layout_problems(stage(flat, camera=camera))[0]
    camera.add_fixed_in_frame_mobjects(flat)  # fixed in the frame: its own layer, measured as it is
    assert layout_problems(stage(flat, camera=camera)) == []


class Misplaced(TangentArrow):
    """TangentArrow's first step, then a label on top of the formula."""

    def construct(self):
        self.step("curve", zh="一行中文。", en="One line.")
        formula = math("f(x) = x^2", color="#FFFFFF").to_corner(UP + RIGHT)
        clash = text("on top", color="#FFFFFF").move_to(formula)
        self.play(FadeIn(formula), FadeIn(clash), FadeIn(Dot()), run_time=0.5)
        self.wait(2.0)


def test_the_harness_fails_a_scene_with_a_misplaced_label():
    scene = run_scene(Misplaced)
    assert scene.layout_log == [("curve", "'$ f(x) = x^2 $' overlaps 'on top'")]
    with pytest.raises(AssertionError, match="layout gate"):
        check_storyboard(scene, ["curve"])
