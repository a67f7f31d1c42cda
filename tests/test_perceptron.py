"""Perceptron: the gradient on screen is gradcore's, each update is θ − η∇L with the set at that moment,
the counter counts the samples on the wrong side of the boundary drawn, and the map is the loss it names.

One dry run of the default lecture (English, dark theme) at tiny resolution with animations skipped;
every scene test reads from it. gradcore's training loop is checked on its own further down. Other
configs are in ``test_corpus_perceptron.py``.
"""

from __future__ import annotations

import numpy as np
import pytest
from manim import Text, tempconfig

from gradcore import perceptron_training as pt
from gradcore.models import perceptron
from scenes.perceptron import DEFAULT_LABELS, DEFAULT_SAMPLES, Perceptron
from scenes.toolkit.classify import lowest_point, plane_box
from scenes.toolkit.testing import check_storyboard, run_scene

SECTIONS = ["the model", "the loss", "the gradient", "one update", "training", "the landscape", "summary"]
X, Y = np.array(DEFAULT_SAMPLES, dtype=float), np.array(DEFAULT_LABELS, dtype=float)
EX, EY = np.array([[2.0, 3.0], [1.0, -1.0]]), np.array([1.0, -1.0])


def drawn_theta(scene):
    """(w₁, w₂, b) read back from the screen: w from the normal arrow (up to its drawing scale), b from the line."""
    shade, boundary, normal = scene.model
    if boundary.get_stroke_opacity() == 0:
        return None
    view = scene.plane.view
    tail, tip = view.coords(normal.get_start()), view.coords(normal.get_end())
    w = (tip - tail) / scene.model.scale_factor
    on_line = view.coords(boundary.get_start())
    return np.array([*w, -w @ on_line])


def words_on_stage(scene) -> list[str]:
    """The full source of every visible text and formula on stage (Typst without its dollar signs)."""
    found = []
    for label in scene.get_mobject_family_members():
        if isinstance(label, Text) or hasattr(label, "typst_code"):
            parts = label.family_members_with_points()
            if parts and max(part.get_fill_opacity() for part in parts) > 0.05:
                found.append(getattr(label, "typst_code", getattr(label, "original_text", "")).strip(" $"))
    return found


def probe(scene):
    scene.update_mobjects(0)
    shot = {"labels": words_on_stage(scene), "plain": [m.original_text for m in scene.get_mobject_family_members()
                                                       if isinstance(m, Text)]}  # fmt: skip
    if hasattr(scene, "model") and scene.model in scene.get_mobject_family_members():
        shot["theta"] = drawn_theta(scene)
        shot["rings"] = [ring.get_stroke_opacity() > 0.5 for ring in scene.rings]
        shot["rings on stage"] = scene.rings in scene.mobjects
    if getattr(scene, "counters", None) is not None and scene.counters[0] in scene.get_mobject_family_members():
        shot["counters"] = [c.number.get_value() for c in scene.counters]
    return shot


@pytest.fixture(scope="module")
def scene():
    with tempconfig({"skip_animations": True}):
        return run_scene(Perceptron, language="en", theme="dark", probe=probe)


def shown(scene, section: str | None = None) -> set[str]:
    return {name for shot in scene.snapshots if section in (None, shot["section"]) for name in shot["labels"]}


def test_the_steps_are_the_storyboard_sections_with_a_readable_line_in_each_language(scene):
    check_storyboard(scene, SECTIONS)


def test_the_default_data_are_6_to_10_separable_samples_that_take_several_updates():
    run = pt.train(X, Y, [0.0, 0.0, 0.0], lr=0.1, steps=40)
    assert 6 <= len(Y) <= 10 and set(Y.tolist()) == {-1.0, 1.0}
    assert run.status == "separated" and run.steps == 9
    assert np.all(perceptron(X, Y).margins(run.final) > 0)  # the final boundary classifies every sample
    assert len({tuple(w) for w in run.wrong[1:-1]}) >= 3  # the misclassified set changes along the way
    assert np.abs(perceptron(X, Y).margins(run.params[1:])).min() > 0.05  # no margin rests on a rounding error


def test_the_worked_example_gradient_is_minus_the_sum_of_y_x_over_both_samples():
    L = perceptron(EX, EY)
    assert pt.misclassified(L, [0.0, 0.0, 0.0]).tolist() == [True, True]  # margins 0 ≤ 0: both count
    terms = pt.gradient_terms(L, [0.0, 0.0, 0.0])
    assert terms.tolist() == [[-2.0, -3.0, -1.0], [1.0, -1.0, 1.0]]  # −y₁(x₁, 1), −y₂(x₂, 1)
    assert L.gradient([0.0, 0.0, 0.0]).tolist() == terms.sum(axis=0).tolist() == [-1.0, -4.0, 0.0]
    new = np.array([0.0, 0.0, 0.0]) - 0.1 * L.gradient([0.0, 0.0, 0.0])
    assert np.allclose(new, [0.1, 0.4, 0.0]) and not pt.misclassified(L, new).any()


@pytest.mark.parametrize("theta", [[-0.33, 0.21, 0.17], [0.5, -0.7, 0.3], [0.05, 0.45, -0.2]])
def test_the_gradient_matches_central_differences_away_from_the_kinks(theta):
    for L in (perceptron(EX, EY), perceptron(X, Y)):
        assert np.abs(L.margins(theta)).min() > 1e-3  # no sample within reach of the step: L is linear here
        h, numeric = 1e-6, []
        for axis in range(3):
            e = np.eye(3)[axis] * h
            numeric.append((float(L.value(np.add(theta, e))) - float(L.value(np.subtract(theta, e)))) / (2 * h))
        assert np.allclose(L.gradient(theta), numeric, atol=1e-6), (L.gradient(theta), numeric)


def test_the_gradient_rows_on_screen_show_gradcores_numbers(scene):
    words = shown(scene)
    assert "(partial L)/(partial w) = (−1, −4), (partial L)/(partial b) = 0" in words, sorted(words)
    assert "-y_1 x_1 = (−2, −3), -y_1 = −1" in words and "-y_2 x_2 = (1, −1), -y_2 = 1" in words
    assert "x_1 = (2, 3), y_1 = +1: y_1 (w dot x_1 + b) = 0 <= 0" in words  # the convention, stated on screen
    assert "w = (0, 0) - 0.1 dot (−1, −4) = (0.1, 0.4)" in words


def test_each_update_is_theta_minus_eta_times_the_gradient_over_the_set_misclassified_at_that_moment(scene):
    run, Z = scene.run, np.hstack([X, np.ones((len(X), 1))])
    for k in range(run.steps):
        wrong = Y * (Z @ run.params[k]) <= 0  # recounted here, not read from the run
        assert wrong.tolist() == run.wrong[k].tolist()
        gradient = -(Y[wrong, None] * Z[wrong]).sum(axis=0)  # ∇L = −Σ_{wrong} yᵢ zᵢ
        assert np.allclose(run.params[k + 1], run.params[k] - 0.1 * gradient)


def test_the_counter_and_rings_match_a_recount_against_the_boundary_drawn(scene):
    shots = [s for s in scene.snapshots if s["section"] == "training" and "counters" in s and s["theta"] is not None]
    assert len(shots) >= 9  # one look after every update at least
    for shot in shots:
        k, count, loss = shot["counters"]
        theta = scene.run.params[int(k)]
        assert np.allclose(shot["theta"], theta, atol=1e-6)  # the boundary drawn is θ_k's
        recount = Y * (np.hstack([X, np.ones((len(X), 1))]) @ shot["theta"]) <= 1e-9
        assert int(count) == int(recount.sum()) and shot["rings"] == recount.tolist()
        assert loss == pytest.approx(round(float(perceptron(X, Y).value(theta)), scene.l_decimals))
    assert shots[-1]["counters"][1] == 0 and scene.run.status == "separated"


def test_the_loss_step_writes_positive_terms_that_add_up_to_L(scene):
    k = pt.loss_example_step(scene.run, scene.L)
    margins = scene.L.margins(scene.run.params[k])
    terms = -margins[margins <= 0]
    assert np.all(terms > 0)
    total = scene.run.losses[k]
    rows = [w for w in shown(scene, "the loss") if w.startswith("L = ")]
    assert rows, shown(scene)
    parts = [float(v.replace("−", "-")) for v in rows[0][4:].split("=")[0].split("+")]
    assert len(parts) == len(terms) and np.allclose(sorted(parts), sorted(terms), atol=0.005)
    assert sum(parts) == pytest.approx(float(rows[0].split("=")[-1]), abs=1e-9)  # the rounded terms add up
    assert float(rows[0].split("=")[-1]) == pytest.approx(total, abs=0.005) and total > 0


def test_the_map_is_the_loss_at_the_final_b_flat_where_nothing_is_misclassified(scene):
    view, run = scene.landscape_view, scene.run
    f = pt.weight_slice(scene.L, run.final[2])
    assert float(f(*run.final[:2])) == 0.0 and np.allclose(f.gradient(run.final[:2]), 0.0)
    inner = lowest_point(view, f)
    flat = pt.sublevel_polygon(f, view.box, 1e-9, inner)
    assert np.all(f(flat[:, 0], flat[:, 1]) <= 1e-6)
    for level in (0.5, 1.5):
        ring = pt.sublevel_polygon(f, view.box, level, inner)
        (x0, x1), (y0, y1) = view.box
        edge = (
            np.isclose(ring[:, 0], x0)
            | np.isclose(ring[:, 0], x1)
            | np.isclose(ring[:, 1], y0)
            | np.isclose(ring[:, 1], y1)
        )
        assert np.allclose(f(ring[~edge, 0], ring[~edge, 1]), level, atol=1e-6)


def test_the_flat_share_measures_where_nothing_is_misclassified_and_a_lone_point_has_none():
    L = perceptron([[1.0, 0.0], [-1.0, 0.0], [0.0, 0.0]], [1, 1, -1])
    assert pt.flat_share(pt.weight_slice(L, 0.0), ((-1, 1), (-1, 1))) == 0.0  # L = 0 only at w = 0
    share = pt.flat_share(pt.weight_slice(perceptron(X, Y), 0.9), ((-1.0, 2.0), (-1.0, 2.0)))
    assert 0.01 < share < 0.2


def test_the_plane_box_holds_every_sample_and_the_example_on_equal_scales():
    (x0, x1), (y0, y1) = plane_box(np.vstack([X, EX]))
    assert x1 - x0 == pytest.approx(y1 - y0)
    assert np.all((np.vstack([X, EX]) > [x0, y0]) & (np.vstack([X, EX]) < [x1, y1]))


# --- gradcore's training loop and geometry on their own -------------------------------------------


def test_training_that_cannot_separate_stops_at_max_steps_with_the_count_still_wrong():
    run = pt.train([[0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [1.0, 0.0]], [1, 1, -1, -1], [0.0, 0.0, 0.0], lr=0.5, steps=25)
    assert run.status == "max_steps" and run.steps == 25 and run.still_wrong > 0
    assert "still misclassified" in run.message and np.all(np.isfinite(run.params))


def test_training_from_a_separating_start_makes_no_update_and_bad_arguments_are_refused():
    run = pt.train(EX, EY, [0.1, 0.4, 0.0], lr=0.1, steps=5)
    assert run.status == "separated" and run.steps == 0 and run.still_wrong == 0
    for kwargs, words in (({"lr": 0.0, "steps": 3}, "lr"), ({"lr": 0.1, "steps": -1}, "steps")):
        with pytest.raises(ValueError, match=words):
            pt.train(EX, EY, [0.0, 0.0, 0.0], **kwargs)
    with pytest.raises(ValueError, match="start"):
        pt.train(EX, EY, [0.0, 0.0], lr=0.1, steps=3)


def test_the_boundary_in_a_box_lies_on_the_line_and_the_positive_side_has_w_dot_x_plus_b_positive():
    theta, box = np.array([0.4, 0.4, 0.9]), ((-4.0, 4.0), (-4.0, 4.0))
    ends = pt.boundary_in_box(theta, box)
    assert np.allclose(ends @ theta[:2] + theta[2], 0.0) and np.all(np.abs(ends) <= 4 + 1e-12)
    side = pt.positive_side(theta, box)
    assert len(side) >= 3 and np.all(side @ theta[:2] + theta[2] >= -1e-12)
    assert pt.boundary_in_box([1.0, 0.0, -10.0], box) is None  # x₁ = 10 misses the box


def test_the_model_step_draws_the_boundary_where_training_ends_and_says_after_how_many_updates(scene):
    first = next(s for s in scene.snapshots if s["section"] == "the model" and s.get("theta") is not None)
    assert np.allclose(first["theta"], scene.run.final, atol=1e-6)  # w read back from the normal arrow, b from the line
    assert "after 9 updates: $w = (0.4, 0.4)$, $b = 0.9" in shown(scene, "the model")
    plain = {text for shot in scene.snapshots for text in shot["plain"]}
    assert not [text for text in plain if any(mark in text for mark in ("_", "$", "\\"))], plain


def test_the_perceptron_criterion_is_convex_so_each_level_set_is_one_polygon():
    L, rng = perceptron(X, Y), np.random.default_rng(7)
    a, b = rng.normal(size=(200, 3)), rng.normal(size=(200, 3))
    t = rng.random((200, 1))
    between = L.value(t * a + (1 - t) * b)
    assert np.all(
        between <= t[:, 0] * L.value(a) + (1 - t[:, 0]) * L.value(b) + 1e-12
    )  # L(ta + (1−t)b) ≤ tL(a) + (1−t)L(b)
