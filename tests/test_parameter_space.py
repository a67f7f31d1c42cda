"""ParameterSpace: the line drawn is the line of the point shown, the gradient is that of the J on screen.

One dry run of the default lecture (English, dark theme) at tiny resolution with
animations skipped (each ``play`` jumps to its end, so a probe after it sees what
the frame shows when it ends); every test reads from it. The narration for other
configs is checked in ``test_corpus_parameter_space.py``.
"""

from __future__ import annotations

import numpy as np
import pytest
from manim import DecimalNumber, MathTex, Text, Typst, VMobject, config, tempconfig

import gradcore
from gradcore.regression import (
    clip_convex,
    level_ellipse,
    line_in_box,
    parameter_box,
    residuals,
    sequential_descend,
    sequential_step,
)
from scenes.parameter_space import ParameterSpace
from scenes.toolkit.base import CAPTION_TOP
from scenes.toolkit.plotting import fmt
from scenes.toolkit.testing import check_storyboard, run_scene

SECTIONS = ["the flip", "data space", "one point, one line", "two components", "descent", "update both at once",
            "summary"]  # fmt: skip
DATA = ([1.0, 2.0, 3.0, 4.0], [3.0, 5.0, 7.0, 9.0])
MIN_HEIGHT = 0.25  # frame units: no label is flatter (a line of SIZE.SMALL text without descenders is 0.27)


def on_stage(scene, mobject) -> bool:
    return mobject in scene.get_mobject_family_members()


def probe(scene):
    """What the frame shows after a play: the marker's (w, b), the line, the residuals, the J readout, the texts."""
    scene.update_mobjects(0)  # what the next frame shows: a skipped play leaves its updaters for then
    shot = {"texts": layout(scene)}
    if hasattr(scene, "view") and on_stage(scene, scene.line):
        shot["theta"] = scene.theta()
        shot["line"] = scene.data.line_ends(scene.line)
        shot["gaps"] = scene.data.segment_ends(scene.gaps)
    row = getattr(scene, "j_row", None)
    if row is not None and on_stage(scene, row[0]):
        shot["J shown"] = row[0].number.get_value()
    return shot


def layout(scene):
    """Bounding boxes (left, right, bottom, top) of the outermost texts, numbers and formulas on stage."""
    caption = scene._caption.get_family() if scene._caption is not None else []
    boxes, seen = [], set()
    for mob in scene.get_mobject_family_members():
        if id(mob) in seen or mob in caption or not isinstance(mob, Text | Typst | MathTex | DecimalNumber):
            continue
        seen.update(id(m) for m in mob.get_family())
        parts = [m for m in mob.family_members_with_points() if isinstance(m, VMobject)]
        if not parts or max(m.get_fill_opacity() for m in parts) < 0.05:  # not (yet) visible
            continue
        boxes.append((mob.get_left()[0], mob.get_right()[0], mob.get_bottom()[1], mob.get_top()[1], mob))
    return boxes


@pytest.fixture(scope="module")
def scene():
    with tempconfig({"skip_animations": True}):
        return run_scene(ParameterSpace, language="en", theme="dark", probe=probe)


def test_the_steps_are_the_storyboard_sections_with_a_readable_line_in_each_language(scene):
    check_storyboard(scene, SECTIONS)


def test_the_walk_ends_on_the_last_point_of_gradcore_path_at_the_least_squares_answer(scene):
    J = gradcore.linear_regression(*DATA)
    run = gradcore.descend(J, [0.0, 0.0], lr=scene.params.lr, steps=scene.params.steps, tol=0)
    assert np.allclose(scene.roll.path.points, scene.run.points)
    assert np.allclose(scene.run.points, run.points[: len(scene.run.points)])  # the same walk, stopped on arrival
    end = scene.view.coords(scene.roll.ball.get_center())
    assert np.allclose(end, scene.run.x, atol=1e-9)
    assert scene.run.status == "converged"
    assert np.linalg.norm(scene.run.x - gradcore.least_squares(*DATA)) < 0.005 * np.hypot(2.0, 1.0) + 1e-12


def test_the_line_drawn_is_y_equals_w_x_plus_b_of_the_point_shown_after_every_play(scene):
    shots = [s for s in scene.snapshots if "line" in s]
    assert len(shots) > 20
    for shot in shots:
        w, b = shot["theta"]
        if shot["line"] is not None:
            (x0, y0), (x1, y1) = shot["line"]
            assert y0 == pytest.approx(w * x0 + b, abs=1e-6) and y1 == pytest.approx(w * x1 + b, abs=1e-6)
            assert x1 - x0 > 0.5 * (scene.data.box[0][1] - scene.data.box[0][0]) or abs(w) > 0  # across the chart


def test_each_residual_runs_from_its_data_point_to_the_line_or_the_charts_edge(scene):
    lo, hi = scene.data.box[1]
    for shot in (s for s in scene.snapshots if "gaps" in s):
        w, b = shot["theta"]
        for (start, end), x, y in zip(shot["gaps"], *DATA, strict=True):
            assert np.allclose(start, [x, y], atol=1e-6)
            assert end[0] == pytest.approx(x, abs=1e-6)
            assert end[1] == pytest.approx(np.clip(w * x + b, lo, hi), abs=1e-6)


def test_the_J_readout_shows_J_at_the_point_shown(scene):
    J = gradcore.linear_regression(*DATA)
    shots = [s for s in scene.snapshots if "J shown" in s and "theta" in s]
    assert len(shots) > 10
    for shot in shots:
        assert shot["J shown"] == pytest.approx(round(float(J(*shot["theta"])), scene.j_decimals), abs=1e-9)


def test_the_loss_curve_ends_on_J_at_the_final_point(scene):
    J = gradcore.linear_regression(*DATA)
    assert scene.chart.end_value() == pytest.approx(float(J(*scene.run.x)), abs=1e-9)
    assert scene.chart.values[-1] == pytest.approx(scene.run.fun)


def test_the_gradient_on_screen_is_the_gradient_of_the_displayed_J_by_central_differences():
    x, y = map(np.array, DATA)

    def displayed(w: float, b: float) -> float:  # J(w, b) = 1/(2m) Σ eᵢ², exactly as on screen
        return float(np.sum((w * x + b - y) ** 2) / (2 * len(x)))

    J, h = gradcore.linear_regression(x, y), 1e-5
    for theta in ([0.0, 0.0], [1.75, 0.6], [-3.0, 4.0]):
        w, b = theta
        numeric = [
            (displayed(w + h, b) - displayed(w - h, b)) / (2 * h),
            (displayed(w, b + h) - displayed(w, b - h)) / (2 * h),
        ]
        e = residuals(J, theta)
        assert np.allclose(J.gradient(theta), numeric, atol=1e-7), (J.gradient(theta), numeric)
        assert np.allclose(J.gradient(theta), [np.mean(e * x), np.mean(e)], atol=1e-12)  # the formulas shown
    assert J.gradient([0.0, 0.0]).tolist() == [-17.5, -6.0]


def test_the_wrong_first_step_differs_from_the_right_one_by_eta_squared_dJdw_mean_x(scene):
    right, wrong = scene.lesson.right, scene.lesson.wrong
    J, lr, start = scene.J, scene.params.lr, scene.start
    g = J.gradient(start)
    assert np.allclose(right.points[1], start - lr * g)
    assert right.points[1][0] == pytest.approx(wrong.points[1][0])  # w moves the same way
    assert wrong.points[1][1] - right.points[1][1] == pytest.approx(lr**2 * g[0] * np.mean(J.X), abs=1e-12)
    assert np.allclose(sequential_step(J, start, lr), wrong.points[1])


def test_the_sequential_update_reaches_the_same_answer_by_another_path():
    J = gradcore.linear_regression(*DATA)
    wrong = sequential_descend(J, [0.0, 0.0], lr=0.1, steps=1500, tol=1e-7)
    right = gradcore.descend(J, [0.0, 0.0], lr=0.1, steps=1500, tol=1e-7)
    assert wrong.status == right.status == "converged"
    assert np.allclose(wrong.x, gradcore.least_squares(*DATA), atol=1e-6)
    assert np.abs(wrong.points[:40] - right.points[:40]).max() > 0.3


def test_a_sequential_run_that_blows_up_stops_as_diverged_with_finite_points():
    J = gradcore.linear_regression(*DATA)
    path = sequential_descend(J, [0.0, 0.0], lr=50.0, steps=200)
    assert path.status == "diverged" and np.all(np.isfinite(path.points)) and path.steps < 200


def test_the_level_ellipse_lies_on_its_level_and_clipping_keeps_it_inside_the_box():
    J = gradcore.linear_regression(*DATA)
    ring = level_ellipse(J, 3.0, samples=50)
    assert np.allclose(J(ring[:, 0], ring[:, 1]), 3.0)
    box = ((1.0, 3.0), (0.0, 2.0))
    inside = clip_convex(ring, box)
    assert len(inside) >= 3
    assert np.all((inside[:, 0] >= 1 - 1e-12) & (inside[:, 0] <= 3 + 1e-12) & (inside[:, 1] >= -1e-12))
    assert len(level_ellipse(J, -1.0)) == 0


def test_line_in_box_and_parameter_box_hold_what_they_promise():
    ends = line_in_box([2.0, 1.0], ((0.0, 4.0), (0.0, 6.0)))
    assert np.allclose(ends, [[0.0, 1.0], [2.5, 6.0]])
    (w0, w1), (b0, b1) = parameter_box([[0.0, 0.0], [10.0, 0.1]], max_aspect=1.3)
    assert w0 < 0 < 10 < w1 and (w1 - w0) / (b1 - b0) <= 1.3 + 1e-9


def test_every_text_is_inside_the_frame_above_the_captions_readable_and_clear_of_the_others(scene):
    half_w, half_h = config.frame_width / 2, config.frame_height / 2
    for shot in scene.snapshots:
        boxes = shot["texts"]
        for left, right, bottom, top, mob in boxes:
            assert -half_w + 0.05 <= left and right <= half_w - 0.05 and top <= half_h - 0.05, (shot["section"], mob)
            assert bottom >= CAPTION_TOP - 1e-6, (shot["section"], mob)
            assert top - bottom >= MIN_HEIGHT or _operator(mob), (shot["section"], mob, top - bottom)
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                overlap = min(a[1], b[1]) - max(a[0], b[0]), min(a[3], b[3]) - max(a[2], b[2])
                assert min(overlap) < 0.02, (shot["section"], a[4], b[4])


def _operator(mob) -> bool:
    """A piece of a formula built piece by piece (=, +, w, x_i): one glyph, short by nature (its line is not)."""
    return len(getattr(mob, "typst_code", "").strip(" $")) <= 3


def test_the_gradient_row_on_screen_shows_the_values_of_J_gradient_at_the_start(scene):
    shown = {getattr(box[4], "typst_code", "") for shot in scene.snapshots for box in shot["texts"]}
    g = gradcore.linear_regression(*DATA).gradient([0.0, 0.0])
    assert any(f"nabla J(0, 0) = ({fmt(g[0], 2)}, {fmt(g[1], 2)})" in code for code in shown), shown
