"""StochasticDescent: every path on screen is gradcore's path for its seed and batch size, every number agrees.

One dry run of the default lecture (English, dark theme) at tiny resolution with animations skipped; a
probe after every play records the balls and the counters. The paths drawn must be those gradcore computes
again from the same config: same seed, same pictures. Other configs are checked in
``test_corpus_stochastic.py`` (one of them dry-run in Chinese, light theme).
"""

from __future__ import annotations

import numpy as np
import pytest
from manim import tempconfig

import gradcore.stochastic as gs
from gradcore.descent import descend
from gradcore.models import linear_regression
from gradcore.sgd import batch_gradients, noisy_line, sgd
from scenes.stochastic import StochasticDescent
from scenes.toolkit.plotting import fmt
from scenes.toolkit.testing import check_storyboard, run_scene

SECTIONS = ["many samples", "one gradient, many estimates", "three paths", "loss against samples", "settling down",
            "summary"]  # fmt: skip
DEFAULTS = {name: spec.default for name, spec in StochasticDescent.parameters.items()}
START = np.array(DEFAULTS["start"])


def probe(scene):
    """After a play: where each ball is on the map, and what the race's counters show."""
    scene.update_mobjects(0)
    shot = {}
    if hasattr(scene, "traces") and scene.traces[0].ball in scene.get_mobject_family_members():
        shot["balls"] = [scene.view.coords(t.ball.get_center()) for t in scene.traces]
    column = getattr(scene, "race_column", None)
    if column is not None and column[0] in scene.get_mobject_family_members():
        shot["counters"] = [row.number.get_value() for row in column]
    return shot


@pytest.fixture(scope="module")
def scene():
    with tempconfig({"skip_animations": True}):
        return run_scene(StochasticDescent, language="en", theme="dark", probe=probe)


def test_the_steps_are_the_storyboard_sections_and_the_layout_gate_passes(scene):
    check_storyboard(scene, SECTIONS)


def test_the_data_are_gradcores_noisy_line_for_the_seed(scene):
    X, Y = noisy_line(100, w=2.0, b=1.0, noise=0.5, seed=7, x_range=gs.X_RANGE)
    np.testing.assert_array_equal(scene.story.X, X)
    np.testing.assert_array_equal(scene.story.Y, Y)


def test_each_path_on_screen_is_gradcores_path_for_its_seed_and_batch_size(scene):
    X, Y = scene.story.X, scene.story.Y
    for trace, size in zip(scene.traces, (100, 10, 1), strict=True):
        path = sgd(linear_regression, X, Y, START, lr=0.2, epochs=10, batch_size=size, seed=7)
        np.testing.assert_array_equal(trace.points, path.points)
        np.testing.assert_allclose(scene.view.coords(trace.line.get_end()), path.x, atol=1e-9)
    ends = [s["balls"] for s in scene.snapshots if s["section"] == "three paths" and "balls" in s][-1]
    for end, trace in zip(ends, scene.traces, strict=True):
        np.testing.assert_allclose(end, trace.points[-1], atol=1e-9)


def test_the_batch_path_is_descend_on_the_full_loss(scene):
    reference = descend(scene.J, START, lr=0.2, steps=10, tol=0)
    np.testing.assert_array_equal(scene.traces[0].points, reference.points)


def test_the_counters_after_the_race_agree_with_each_other(scene):
    counters = [s["counters"] for s in scene.snapshots if "counters" in s][-1]
    assert counters == [1000, 10.0, 10, 100, 1000]  # samples, epochs = samples / 100, k = samples / B


def test_the_drawn_estimates_average_to_the_full_gradient_arrow(scene):
    g = scene.J.gradient(START)
    for b in (10, 1):
        grads, sizes = batch_gradients(linear_regression, scene.story.X, scene.story.Y, START, b, seed=7)
        assert len(grads) == 100 // b
        np.testing.assert_allclose(grads.mean(axis=0), g, atol=1e-12)
    for mean in scene.shown_mean:  # the clouds' centres on screen: the tip of −s∇J
        np.testing.assert_allclose(mean, scene.full_tip, atol=1e-9)


def test_the_narration_states_gradcores_counts_and_spreads(scene):
    lines = {line.section: line.en for line in scene.narration}
    reached = [r.reached for r in scene.story.races]
    assert reached[2] < reached[1] < reached[0]
    assert f"B = 1 is 99 % of the way down after {reached[2]} samples, B = 100 after {reached[0]}" in lines[SECTIONS[3]]
    constant, decayed = (gs.spread(r, scene.answer, 100) for r in (scene.story.noisiest, scene.story.decayed))
    assert scene.settle == "settles" and decayed < 0.5 * constant
    assert f"{fmt(decayed, 2)} away in the last epoch, not {fmt(constant, 2)}" in lines[SECTIONS[4]]
    assert "B = 100, 10, 1 take 1, 10, 100 steps an epoch" in lines[SECTIONS[2]]


def test_the_same_config_draws_the_same_paths_again(scene):
    again = gs.lesson(100, 0.5, 7, (2.0, 1.0), START, 0.2, (100, 10, 1), 10, 1.0)
    for trace, race in zip(scene.traces, again.races, strict=True):
        np.testing.assert_array_equal(trace.points, race.path.points)
    np.testing.assert_array_equal(scene.trails[1].points, again.decayed.path.points[-101:])
    assert [r.reached for r in again.races] == [r.reached for r in scene.story.races]


def test_the_labels_on_the_map_keep_off_every_path_and_the_gradient_arrow(scene):
    """θ₀ once sat on −∇J's arrow and on the batch path's first long segment (only path vertices were avoided)."""
    from scenes.toolkit.sgd_views import along

    arrow = scene.estimates[0]
    lines = [scene.view.point(t.points) for t in scene.traces] + [np.array([arrow.get_start(), arrow.get_end()])]
    for label in scene.map_labels:
        (x0, y0, _), (x1, y1, _) = label.get_corner([-1, -1, 0]), label.get_corner([1, 1, 0])
        for line in lines:
            dense = along(line, 0.02)
            inside = (
                (dense[:, 0] > x0 + 0.03)
                & (dense[:, 0] < x1 - 0.03)
                & (dense[:, 1] > y0 + 0.03)
                & (dense[:, 1] < y1 - 0.03)
            )
            assert not inside.any(), label
