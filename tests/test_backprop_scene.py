"""Backpropagation: every number on screen is gradcore's, and the numbers of a row agree as shown.

One dry run of the default lecture (English, dark theme) at tiny resolution with animations
skipped; a probe after every ``play`` records the formulas on stage, and the tests redo each
row with the numbers it shows. Other configs are in ``test_corpus_backprop.py``.
"""

from __future__ import annotations

import itertools
import math
import re

import numpy as np
import pytest
from manim import tempconfig

import gradcore
from gradcore import backprop as bp
from scenes.backprop import LAYERS, Backpropagation
from scenes.toolkit.testing import check_storyboard, run_scene

SECTIONS = ["solve a tiny model", "13,002 parameters", "the chain rule", "a tiny network", "backward", "a nudge",
            "one step for all parameters", "summary"]  # fmt: skip
THETA, SAMPLE = [0.6, 0.1, 0.8, 0.3], (1.5, 0.5)
NUMBER = r"[−-]?\d+(?:\.\d+)?"


def probe(scene):
    """The Typst source of every formula and text on stage after a play."""
    codes = []
    for mob in scene.get_mobject_family_members():
        code = getattr(mob, "typst_code", None) or getattr(mob, "original_text", None)
        parts = mob.family_members_with_points()
        if code and parts and max(p.get_fill_opacity() for p in parts) > 0.05:  # visible
            codes.append(code.strip(" $"))
    boxes = {
        name: label.typst_code.replace("$", "").replace("=", "").strip()
        for name, label in getattr(scene, "values", {}).items()
    }
    return {"codes": codes, "boxes": boxes}


@pytest.fixture(scope="module")
def scene():
    with tempconfig({"skip_animations": True}):
        return run_scene(Backpropagation, language="en", theme="dark", probe=probe)


def shown(scene, section: str | None = None) -> list[str]:
    return sorted({c for s in scene.snapshots if section in (None, s["section"]) for c in s["codes"]})


def value(text: str) -> float:
    return float(text.strip("() ").replace("−", "-"))


def decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def agrees(redone: float, result: str) -> bool:
    """A viewer's check: the sum redone with the shown numbers, rounded as the result is shown, is the result."""
    return round(redone, decimals(result)) + 0.0 == value(result) + 0.0


def test_the_steps_are_the_storyboard_sections_with_a_readable_line_in_each_language(scene):
    check_storyboard(scene, SECTIONS)


def test_the_numbers_come_from_gradcores_lesson_for_the_defaults(scene):
    story = bp.lesson(THETA, *SAMPLE, "sigmoid", 0.1, 1e-3)
    assert np.allclose(scene.story.gradient, story.gradient) and scene.story.net.cost == story.net.cost
    numeric = [bp.central_difference(THETA, n, 1e-6, *SAMPLE) for n in bp.PARAMETERS]
    assert np.allclose(story.gradient, numeric, atol=1e-8)


def test_every_component_on_screen_is_the_backward_pass_and_its_nudge_shows_the_same(scene):
    rows = [c for c in shown(scene, "backward") if c.startswith("partial C \\/ partial")]
    checks = [c for c in shown(scene, "backward") if c.startswith("nudge")]
    assert len(rows) == 4 and len(checks) == 4
    story = scene.story
    for k, name in enumerate(bp.PARAMETERS):
        row = next(r for r in rows if r.startswith(f"partial C \\/ partial {bp_name(name)} "))
        result = row.rsplit("= ", 1)[1]
        assert abs(value(result) - story.gradient[k]) <= 0.5 * 10 ** -decimals(result) + 1e-12, row
        assert abs(value(result) - story.nudges[k]) <= 0.5 * 10 ** -decimals(result) + 1e-12, row
        assert any(f"${result}$ ✓" in c for c in checks), (result, checks)


def bp_name(name: str) -> str:
    return {"w1": "w_1", "b1": "b_1", "w2": "w_2", "b2": "b_2"}[name]


def test_each_chain_product_shown_equals_the_product_of_its_shown_local_derivatives(scene):
    for row in (c for c in shown(scene, "backward") if c.startswith("partial C \\/ partial")):
        *_, factors, result = row.split(" = ")
        redone = math.prod(value(f) for f in factors.split(" dot "))
        assert agrees(redone, result), row
        assert len(factors.split(" dot ")) in (2, 4)


def test_the_forward_rows_check_with_the_numbers_they_show(scene):
    rows = {c.split(" ")[0]: c.split(" = ") for c in shown(scene, "a tiny network") if c.count(" = ") == 3}
    numbers = {name: [value(v) for v in re.findall(NUMBER, row[2])] for name, row in rows.items()}
    results = {name: row[3] for name, row in rows.items()}  # name = formula = numbers = result
    (w1, x, b1), (z,), (w2, a, b2), (yhat, y, two) = (numbers[k] for k in ("z", "a", "hat(y)", "C"))
    assert agrees(w1 * x + b1, results["z"]) and agrees(1 / (1 + math.exp(-z)), results["a"])
    assert agrees(w2 * a + b2, results["hat(y)"]) and agrees((yhat - y) ** 2, results["C"]) and two == 2
    assert value(results["C"]) == pytest.approx(scene.story.net.cost, abs=0.5 * 10 ** -decimals(results["C"]))


def test_the_chain_rule_product_agrees_and_matches_the_measured_slope(scene):
    row = next(c for c in shown(scene, "the chain rule") if c.startswith("(d a)/(d x)"))
    outer, inner, product = re.split(r" = | dot ", row)[1:]  # (d a)/(d x) = f'(g(x)) dot g'(x) = product
    assert agrees(value(outer) * value(inner), product)
    slope = next(c for c in shown(scene, "the chain rule") if "(2 epsilon) = " in c).rsplit("= ", 1)[1]
    assert value(slope) == value(product)
    net = scene.story.net
    assert value(product) == pytest.approx(net.local("a", "z") * THETA[0], abs=0.5 * 10 ** -decimals(product))


def test_the_nudge_of_w1_shows_the_changes_of_a_forward_pass_at_w1_plus_eps(scene):
    plus = bp.cost(np.add(THETA, [1e-3, 0, 0, 0]), *SAMPLE)
    here = bp.cost(THETA, *SAMPLE)
    codes = shown(scene, "a nudge")
    for name, symbol in (("z", "z"), ("a", "a"), ("yhat", "hat(y)"), ("C", "C")):
        assert scene.nudge_delta[name] == pytest.approx(plus[name] - here[name], abs=1e-15)
        last = [s["codes"] for s in scene.snapshots if s["section"] == "a nudge"][-1]  # in the order drawn
        below = last[last.index(f"Delta {symbol}") + 1]  # the change on the line under its name
        assert below.startswith("= "), below
        text = below.split("= ")[1]
        assert value(text) == pytest.approx(plus[name] - here[name], rel=5e-3), (name, text)
    ratio = next(c for c in codes if c.startswith("Delta C \\/ epsilon")).split(" = ")[1].split(" ")[0]
    assert value(ratio) == pytest.approx(scene.story.gradient[0], rel=0.01)  # ΔC/ε ≈ ∂C/∂w₁ (one-sided)


def test_one_step_lowers_the_cost_and_each_update_checks_with_its_shown_numbers(scene):
    story = scene.story
    assert story.outcome() == "lower" and story.after["C"] < story.net.cost
    assert np.allclose(story.after_theta, np.subtract(THETA, 0.1 * story.gradient))
    rows = [c for c in shown(scene, "one step for all parameters") if "arrow.l" in c]
    assert len(rows) == 4
    for row in rows:
        old, lr, g, new = re.findall(NUMBER, row.split("arrow.l", 1)[1])
        assert agrees(value(old) - value(lr) * value(g), new), row
    line = next(n for n in scene.narration if n.section == "one step for all parameters")
    assert "falls from 0.148 to 0.0681" in line.en and "降到 0.0681" in line.zh


def test_the_digit_network_is_counted_to_13002_from_its_layer_sizes(scene):
    assert bp.parameter_count(LAYERS) == 13_002
    codes = shown(scene, "13,002 parameters")
    for n_in, n_out in itertools.pairwise(LAYERS):
        assert f"{n_in} times {n_out} + {n_out} = {n_in * n_out + n_out}" in codes
    assert "12560 + 272 + 170 = 13002" in codes


def test_the_normal_equations_shown_solve_to_the_least_squares_answer(scene):
    codes = shown(scene, "solve a tiny model")
    assert "partial J \\/ partial w = 0, quad partial J \\/ partial b = 0 :" in codes
    assert "7.5 w + 2.5 b = 17.5" in codes and "2.5 w + b = 6" in codes
    assert "=> quad w = 2, quad b = 1" in codes
    assert np.allclose(gradcore.least_squares([1, 2, 3, 4], [3, 5, 7, 9]), [2, 1])
    assert any("least-squares answer (w*, b*)" in c for c in codes)  # the data are the parameter-space clip's
    ends = scene.fit_data.line_ends(scene.fit_chart[2])  # the line drawn over the data is y = 2x + 1
    assert ends is not None and np.allclose(ends[:, 1], 2 * ends[:, 0] + 1, atol=1e-6)
    assert np.allclose(scene.fit_data.graph.coords(np.array([d.get_center() for d in scene.fit_chart[1]])), np.c_[[1, 2, 3, 4], [3, 5, 7, 9]], atol=1e-6)  # fmt: skip


def test_the_edge_label_two_times_yhat_minus_y_checks_with_the_boxes_it_joins(scene):
    shot = next(s for s in scene.snapshots if s["section"] == "backward" and any(c.startswith("2(hat(y)") for c in s["codes"]))  # fmt: skip
    label = next(c for c in shot["codes"] if c.startswith("2(hat(y) - y) = ")).split(" = ")[1]
    assert agrees(2 * (value(shot["boxes"]["yhat"]) - value(shot["boxes"]["y"])), label)
    assert value(label) == pytest.approx(2 * (scene.story.net.value("yhat") - 0.5), abs=0.5 * 10 ** -decimals(label))


def test_the_tangent_drawn_at_the_sample_touches_the_curve_of_a_with_the_chain_rules_slope(scene):
    chart, (tangent, dot) = scene.chain_rows[1], scene.chain_rows[2]
    points, centre = chart[3].points[:, :2], dot.get_center()[:2]  # the curve a(x) on screen, the point (x, a(x))
    distance = np.linalg.norm(points - centre, axis=1)
    assert distance.min() < 0.02
    near = points[distance < 0.3]
    curve_slope = np.polyfit(near[:, 0], near[:, 1], 1)[0]  # screen slope of the drawn curve at the dot
    (x0, y0), (x1, y1) = tangent.get_start()[:2], tangent.get_end()[:2]
    assert (y1 - y0) / (x1 - x0) == pytest.approx(curve_slope, rel=0.05)
    assert np.linalg.norm(centre - (tangent.get_start()[:2] + tangent.get_end()[:2]) / 2) < 0.5 * tangent.get_length()
