"""gradcore.backprop: the reverse-mode graph against central differences, the chains, the counts."""

from __future__ import annotations

import numpy as np
import pytest

import gradcore
from gradcore import backprop as bp
from gradcore.backprop import (
    PARAMETERS,
    affine,
    backward,
    central_difference,
    cost,
    layer_counts,
    leaf,
    normal_equations,
    parameter_count,
    round_shown,
    row_precision,
    squared_error,
    step,
    tiny_network,
)

EPS = 1e-6  # central differences: error ~ ε² C''' ≈ 1e-12, rounding ~ 1e-16 / ε ≈ 1e-10


@pytest.mark.parametrize("kind", ["sigmoid", "relu"])
def test_the_backward_pass_equals_central_differences_on_random_parameters(kind):
    rng = np.random.default_rng(18)
    checked = 0
    for _ in range(200):
        theta, (x, y) = rng.uniform(-2, 2, 4), rng.uniform(-2, 2, 2)
        z = theta[0] * x + theta[1]
        if kind == "relu" and abs(z) < 10 * EPS * max(1, abs(x)):  # a nudge across ReLU's kink measures no slope
            continue
        net = tiny_network(theta, x, y, kind)
        numeric = [central_difference(theta, name, EPS, x, y, kind) for name in PARAMETERS]
        assert np.allclose(net.gradient(), numeric, rtol=1e-6, atol=1e-8), (theta, x, y, net.gradient(), numeric)
        assert net.cost == pytest.approx(cost(theta, x, y, kind)["C"], abs=1e-15)
        checked += 1
    assert checked > 190


@pytest.mark.parametrize("kind", ["sigmoid", "relu"])
def test_each_component_is_the_product_of_the_local_derivatives_on_its_path(kind):
    theta, x, y = [0.8, -0.2, 1.5, 0.3], 1.5, 1.0
    net = tiny_network(theta, x, y, kind)
    forward = cost(theta, x, y, kind)
    slope = forward["a"] * (1 - forward["a"]) if kind == "sigmoid" else 1.0
    gap = 2 * (forward["yhat"] - y)
    expected = {"w1": [gap, 1.5, slope, x], "b1": [gap, 1.5, slope, 1.0], "w2": [gap, forward["a"]], "b2": [gap, 1.0]}
    for name, factors in expected.items():
        chain = net.chain(name)
        assert [local for *_, local in chain] == pytest.approx(factors)
        assert chain[0][:2] == ("C", "yhat") and chain[-1][1] == name
        assert np.prod(factors) == pytest.approx(net.gradient()[PARAMETERS.index(name)])


def test_relu_below_zero_gives_the_first_layer_no_gradient():
    net = tiny_network([1.0, -2.0, 1.5, 0.3], x=1.0, y=1.0, kind="relu")  # z = −1
    assert net.value("a") == 0.0 and net.gradient()[:2].tolist() == [0.0, 0.0]
    assert net.gradient()[2] == 0.0 and net.gradient()[3] == pytest.approx(2 * (0.3 - 1.0))


def test_backward_sums_over_every_path_when_a_node_is_used_twice():
    x = leaf("x", 3.0)
    C = squared_error("C", x, leaf("zero", 0.0))  # x² through one edge …
    assert backward(C)["x"] == 6.0
    twice = affine("xx", x, x, leaf("b", 0.0))  # … and x·x through two edges: 2x as well
    assert backward(twice)["x"] == 6.0


def test_an_unknown_activation_is_refused_by_name():
    with pytest.raises(ValueError, match="unknown activation 'tanh'"):
        tiny_network([1, 0, 1, 0], 1.0, 0.0, "tanh")
    with pytest.raises(ValueError, match="unknown activation"):
        cost([1, 0, 1, 0], 1.0, 0.0, "tanh")


def test_one_step_moves_every_parameter_against_its_component_and_lowers_a_small_step_cost():
    theta, x, y = np.array([0.8, -0.2, 1.5, 0.3]), 1.5, 1.0
    g = tiny_network(theta, x, y).gradient()
    after = step(theta, g, 0.1)
    assert np.allclose(after, theta - 0.1 * g)
    assert cost(after, x, y)["C"] < cost(theta, x, y)["C"]


def test_the_digit_network_of_the_notes_has_13002_parameters():
    assert layer_counts([784, 16, 16, 10]) == [(12544, 16), (256, 16), (160, 10)]
    assert parameter_count([784, 16, 16, 10]) == 13_002
    assert parameter_count([1, 1, 1]) == 4  # the tiny network: w₁, b₁, w₂, b₂
    with pytest.raises(ValueError):
        parameter_count([784])


def test_the_normal_equations_solve_to_the_least_squares_answer():
    rng = np.random.default_rng(3)
    for _ in range(20):
        x, y = rng.uniform(-5, 5, 6), rng.uniform(-5, 5, 6)
        A, r = normal_equations(x, y)
        assert np.allclose(np.linalg.solve(A, r), gradcore.least_squares(x, y))
        assert np.allclose(gradcore.linear_regression(x, y).gradient(np.linalg.solve(A, r)), 0, atol=1e-10)


def test_a_row_rounded_at_its_precision_checks_with_the_shown_numbers_and_one_decimal_fewer_may_not():
    rng = np.random.default_rng(5)
    raised = 0
    for _ in range(300):
        factors = np.round(rng.uniform(-3, 3, 4), 3)
        precision = row_precision([(factors, np.prod, float(np.prod(factors)))])
        assert precision is not None
        d, r = precision
        redone = np.prod([round_shown(f, d) for f in factors])
        assert round(redone, bp.shown_decimals(np.prod(factors), r)) == round_shown(np.prod(factors), r)
        raised += d > 2
    assert raised > 10  # rounding at 2 decimals does not always agree: the search matters


def test_the_lesson_refuses_nothing_it_cannot_round_on_random_configs():
    rng = np.random.default_rng(7)
    for _ in range(100):
        theta, (x, y) = np.round(rng.uniform(-2, 2, 4), 2), np.round(rng.uniform(-2, 2, 2), 2)
        story = bp.lesson(theta, x, y, "sigmoid", float(np.round(rng.uniform(0.01, 2), 2)), 1e-4)
        assert story.unrounded() == [] and story.disagreeing() == []


def test_the_label_two_times_yhat_minus_y_agrees_with_yhat_and_y_at_its_precision():
    rng = np.random.default_rng(11)
    for _ in range(200):
        theta, (x, y) = np.round(rng.uniform(-2, 2, 4), 2), np.round(rng.uniform(-2, 2, 2), 2)
        story = bp.lesson(theta, x, y, "sigmoid", 0.1, 1e-3)
        d, r = story.gap_precision()
        yhat = story.net.value("yhat")
        redone = 2 * (round_shown(yhat, d) - round_shown(y, d))
        assert round(redone, bp.shown_decimals(2 * (yhat - y), r)) == round_shown(2 * (yhat - y), r)
