"""Optimizers: every path drawn is gradcore's, every arrow of a step adds up to it, every word follows the numbers.

One dry run of the default lecture (English, dark theme) at tiny resolution with animations skipped;
every test reads from it. Other configs are checked in ``test_corpus_optimizers.py``.
"""

from __future__ import annotations

import numpy as np
import pytest
from manim import tempconfig

import gradcore
from gradcore import optimizers as opt
from gradcore.landscapes import VALLEYS
from scenes.optimizers import Optimizers
from scenes.toolkit.race import NAMES
from scenes.toolkit.rollout import significant
from scenes.toolkit.testing import check_storyboard, run_scene

SECTIONS = ["the narrow valley", "momentum", "nesterov", "rmsprop and adam", "the race", "rolling on", "summary"]
START = [-2.7, 1.0]
HYPER = {  # the defaults of lecture.toml, written out again: the scene must run exactly these
    "gd": {"lr": 0.09},
    "momentum": {"lr": 0.04, "beta": 0.6},
    "nesterov": {"lr": 0.06, "beta": 0.6},
    "rmsprop": {"lr": 0.1, "decay": 0.9, "eps": 1e-8},
    "adam": {"lr": 0.5, "b1": 0.9, "b2": 0.999, "eps": 1e-8},
}
DRAWN = 1e-9  # screen units: what "to drawing precision" allows


def f(x, y):
    return x**2 + 10 * y**2


@pytest.fixture(scope="module")
def scene():
    with tempconfig({"skip_animations": True}):
        return run_scene(Optimizers, language="en", theme="dark")


def test_the_steps_are_the_storyboard_sections_with_a_readable_line_in_each_language(scene):
    check_storyboard(scene, SECTIONS)


@pytest.mark.parametrize("name", NAMES)
def test_each_path_on_screen_is_gradcores_path_for_that_optimizer_and_those_constants(scene, name):
    path = gradcore.descend(f, START, optimizer=name, steps=200, tol=1e-3, **HYPER[name])
    assert np.allclose(scene.paths[name].points, path.points, atol=1e-12)
    ball = scene.race_balls[name]
    assert ball.path is scene.paths[name]
    assert np.allclose(ball.line.get_end(), scene.view.point(path.points[-1]), atol=DRAWN)  # the trail ends there
    assert np.allclose(scene.view.coords(ball.ball.get_center()), path.points[-1], atol=1e-9)


def test_in_step_2_the_drawn_step_is_the_drawn_sum_of_beta_v_and_minus_eta_grad_and_the_next_point_minus_this(scene):
    path = scene.paths["momentum"]
    assert len(scene.sums) == 3
    for k, parts in zip((1, 2, 3), scene.sums, strict=True):
        view = parts.view  # drawn magnified beside the map
        assert view.unit > 1.5 * scene.view.unit
        kept, push, step = parts.arrows
        assert None not in (kept, push, step)
        assert np.allclose(kept.get_start(), view.point(path.points[k]), atol=DRAWN)
        assert np.allclose(push.get_start(), kept.get_end(), atol=DRAWN)  # head to tail
        assert np.allclose(step.get_start(), kept.get_start(), atol=DRAWN)
        assert np.allclose(step.get_end(), push.get_end(), atol=DRAWN)  # the step is the sum of the two arrows
        drawn = view.coords(step.get_end()) - view.coords(step.get_start())
        assert np.allclose(drawn, path.points[k + 1] - path.points[k], atol=1e-9)  # = next point − current one
        v = scene.replays["momentum"].states[k].velocity
        assert np.allclose(view.coords(kept.get_end()) - path.points[k], 0.6 * v, atol=1e-9)  # βv, by hand
        g = np.array([2 * path.points[k][0], 20 * path.points[k][1]])
        assert np.allclose(view.coords(push.get_end()) - view.coords(push.get_start()), -0.04 * g, atol=1e-9)


def test_the_arrows_cancel_across_the_valley_and_add_along_it_as_the_narration_says(scene):
    assert "across the valley they cancel" in scene.narration[1].en
    for parts in scene.sums:
        kept, push = (parts.heads[i] - parts.tails[i] for i in (0, 1))
        assert kept[1] * push[1] < 0 or parts is scene.sums[0]  # y is across x² + 10y²
        assert kept[0] * push[0] > 0  # x is along


def test_the_magnified_square_shows_the_steps_it_magnifies_and_states_its_factor(scene):
    for parts in scene.sums:
        (x0, x1), (y0, y1) = parts.view.box
        assert np.all((parts.tails >= [x0, y0]) & (parts.tails <= [x1, y1]))
        assert np.all((parts.heads >= [x0, y0]) & (parts.heads <= [x1, y1]))
    label = scene.zoom.picture[-1].original_text  # the last magnifier shown: Nesterov's
    assert label == f"magnified ×{significant(scene.zoom.factor, 2)[1]}"


def test_step_3_marks_nesterovs_look_ahead_point_theta_plus_beta_v(scene):
    run = scene.replays["nesterov"]
    k = 2
    ahead = scene.paths["nesterov"].points[k] + 0.6 * run.states[k].velocity
    assert np.allclose(scene.look.heads[0], ahead) and np.allclose(run.probes[k], ahead)
    assert np.allclose(scene.look.heads[-1], scene.paths["nesterov"].points[k + 1])


def test_step_4s_bars_end_on_adams_bias_corrected_root_mean_square_per_coordinate(scene):
    run, o = scene.replays["adam"], scene.opts["adam"]
    _, v_hat = opt.adam_corrected(o, run.states[-1])
    assert np.allclose(scene.bar_set.shown(), np.sqrt(v_hat), rtol=1e-6, atol=1e-9 * scene.bar_set.top)


def test_step_5_shows_gradcores_step_counts_and_final_losses_and_the_chart_ends_on_them(scene):
    words = [
        [m.original_text if hasattr(m, "original_text") else m.typst_code for m in row] for row in scene.results.shown
    ]
    for row, name, index in zip(words, NAMES, range(5), strict=True):
        path = scene.paths[name]
        assert path.status == "converged"
        assert row[1] == str(path.steps)
        mantissa, exponent = f"{path.fun:.1e}".split("e")
        assert mantissa.rstrip("0").rstrip(".") in row[2] and str(int(exponent)).replace("-", "−") in row[2]
        _, value = scene.chart.coords(scene.chart.end_point(index))
        assert value == pytest.approx(max(path.fun - scene.best, scene.chart.floor), rel=1e-6)
    steps = {n: scene.paths[n].steps for n in NAMES}
    first = min(steps, key=steps.get)
    assert (
        f"{scene.paths[first].optimizer}" == "nesterov" and "Nesterov arrives first (22 steps)" in scene.narration[4].en
    )


def test_step_6_plain_descent_ends_in_a_local_minimum_and_momentum_in_a_lower_one(scene):
    lesson, minima = scene.lesson, scene.lesson.minima
    assert lesson.plain.status == lesson.heavy.status == "converged"
    plain, heavy = minima[lesson.plain_end], minima[lesson.heavy_end]
    assert heavy.value < plain.value - 1.0
    assert gradcore.paths.lowest_minima(list(minima)) == [lesson.heavy_end]  # the lowest
    check = gradcore.descend(VALLEYS, [2.0, 2.0], optimizer="momentum", lr=0.2, beta=0.6, steps=200, tol=1e-3)
    assert np.allclose(check.points, lesson.heavy.points)
    assert "f = 1.32" in scene.narration[5].en and "f = 0.10" in scene.narration[5].en


def test_the_first_step_says_gd_zig_zags_because_gradcore_finds_it_crossing_the_valley_again(scene):
    assert opt.zigzag_share(f, scene.paths["gd"].points) >= 1 / 3
    assert "zig-zags across" in scene.narration[0].en and "η = 0.09" in scene.narration[0].en


def test_step_4_states_adams_per_coordinate_step_factor_at_the_pause_from_gradcores_state(scene):
    run, o = scene.replays["adam"], scene.opts["adam"]
    _, v_hat = opt.adam_corrected(o, run.states[4])  # the pause comes after 4 steps
    assert np.allclose(scene.factors, 0.5 / (np.sqrt(v_hat) + 1e-8))
    assert scene.factors[0] > scene.factors[1]  # x: the slope has been small, so the bigger factor
    x, y = (significant(v, 2)[0] for v in scene.factors)
    assert f"x arrow {x}" in scene.note[0].typst_code and f"y arrow {y}" in scene.note[0].typst_code


def test_the_shipped_lecture_toml_holds_the_defaults_the_tests_check():
    import tomllib

    from scenes.toolkit.loader import DEFAULT_CONFIG

    shipped = tomllib.loads(DEFAULT_CONFIG.read_text(encoding="utf-8"))["optimizers"]
    assert shipped == {key: param.default for key, param in Optimizers.parameters.items()}


def test_step_1_shows_the_gradient_at_the_start_steep_across_shallow_along(scene):
    shown = [m.typst_code for m in scene.first_col if hasattr(m, "typst_code") and "theta_0" in m.typst_code]
    assert shown == ["$ nabla f(theta_0) = (−5.4, 20) $"]  # ∇f = (2x, 20y) at (−2.7, 1)
