"""Optimizers: factories, the one sign convention, update rules against hand-written references."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from gradcore.optimizers import OPTIMIZERS, Optimizer, adam, gd, get_optimizer, momentum, nesterov, rmsprop

NAMES = ["gd", "momentum", "nesterov", "rmsprop", "adam"]
finite = st.floats(-1e3, 1e3, allow_nan=False)
gradients = arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 3)), elements=finite)


def run(opt: Optimizer, grads: list[np.ndarray], x0: np.ndarray) -> list[np.ndarray]:
    """Apply a sequence of given gradients, returning the points visited."""
    x, state, points = x0, opt.init(x0), [x0]
    for g in grads:
        step, state = opt.update(g, state, x)
        x = x + step
        points.append(x)
    return points


@pytest.mark.parametrize("name", NAMES)
def test_get_optimizer_builds_each_named_optimizer_with_its_display_fields(name):
    opt = get_optimizer(name, 0.1)
    assert isinstance(opt, Optimizer)
    assert opt.name == name
    assert opt.hyper["lr"] == 0.1
    assert set(OPTIMIZERS) == set(NAMES)


def test_get_optimizer_ignores_case_and_passes_hyper_parameters():
    assert get_optimizer("Momentum", 0.2, beta=0.5).hyper == {"lr": 0.2, "beta": 0.5}


def test_an_unknown_optimizer_name_is_rejected_with_the_valid_names():
    with pytest.raises(ValueError, match="'sgdd'.*gd, momentum, nesterov, rmsprop, adam"):
        get_optimizer("sgdd", 0.1)


def test_an_unknown_hyper_parameter_is_rejected_with_the_valid_ones():
    with pytest.raises(ValueError, match="'momentum'.*valid ones: beta"):
        get_optimizer("momentum", 0.1, momentum=0.9)
    with pytest.raises(ValueError, match="'beta1'.*b1, b2, eps"):
        get_optimizer("adam", 0.1, beta1=0.9)
    with pytest.raises(ValueError, match="none besides lr"):
        get_optimizer("gd", 0.1, beta=0.9)


@pytest.mark.parametrize("lr", [0.0, -0.1, float("nan"), float("inf")])
@pytest.mark.parametrize("name", NAMES)
def test_a_learning_rate_that_is_not_positive_is_rejected(name, lr):
    with pytest.raises(ValueError, match="learning rate"):
        get_optimizer(name, lr)


@pytest.mark.parametrize(
    ("factory", "kwargs", "word"),
    [
        (momentum, {"beta": 1.0}, "beta"),
        (nesterov, {"beta": -0.1}, "beta"),
        (rmsprop, {"decay": 1.5}, "decay"),
        (rmsprop, {"eps": 0.0}, "eps"),
        (adam, {"b2": 1.0}, "b2"),
    ],
)
def test_hyper_parameters_out_of_range_are_rejected(factory, kwargs, word):
    with pytest.raises(ValueError, match=word):
        factory(0.1, **kwargs)


def test_the_step_is_added_and_equals_minus_lr_times_the_gradient_for_gd():
    x = np.array([1.0, -2.0])
    points = run(gd(0.25), [2 * x], x)  # ∇(|x|²) = 2x
    np.testing.assert_array_equal(points[1], [0.5, -1.0])


def test_momentum_accumulates_velocity_like_the_heavy_ball_formula():
    lr, beta, g = 0.1, 0.5, np.array([1.0])
    points = run(momentum(lr, beta), [g, g, g], np.array([0.0]))
    # v₁ = −η g, v₂ = β v₁ − η g, v₃ = β v₂ − η g; x₃ = v₁ + v₂ + v₃
    v1 = -lr * g
    v2 = beta * v1 - lr * g
    v3 = beta * v2 - lr * g
    np.testing.assert_allclose(points[-1], v1 + v2 + v3, rtol=1e-15)


@settings(max_examples=30, deadline=None)
@given(gradients, st.floats(1e-3, 1.0))
def test_momentum_with_beta_zero_equals_gd(g, lr):
    x0 = np.zeros_like(g)
    expected = run(gd(lr), [g, 0.5 * g, -g], x0)
    got = run(momentum(lr, beta=0.0), [g, 0.5 * g, -g], x0)
    for a, b in zip(got, expected, strict=True):
        np.testing.assert_array_equal(a, b)


@settings(max_examples=30, deadline=None)
@given(gradients, st.floats(1e-3, 1.0))
def test_nesterov_with_beta_zero_equals_gd_and_looks_at_x_itself(g, lr):
    opt = nesterov(lr, beta=0.0)
    x = np.ones_like(g)
    state = opt.init(x)
    step, state = opt.update(g, state, x)
    np.testing.assert_array_equal(step, gd(lr).update(g, (), x)[0])
    np.testing.assert_array_equal(opt.gradient_point(x + step, state), x + step)


def test_nesterov_takes_its_gradient_a_velocity_step_ahead():
    opt = nesterov(0.1, beta=0.9)
    x = np.array([1.0, 2.0])
    step, state = opt.update(np.array([1.0, -1.0]), opt.init(x), x)
    np.testing.assert_allclose(opt.gradient_point(x + step, state), x + step + 0.9 * step, rtol=1e-15)
    assert gd(0.1).gradient_point(x, ()) is x


def test_rmsprop_first_step_matches_its_formula():
    lr, rho, eps = 0.01, 0.9, 1e-8
    g = np.array([3.0, -0.2, 0.0])
    step, state = rmsprop(lr, rho, eps).update(g, rmsprop(lr).init(g), g)
    s = (1 - rho) * g**2
    np.testing.assert_allclose(state.mean_square, s, rtol=1e-15)
    np.testing.assert_allclose(step, -lr * g / (np.sqrt(s) + eps), rtol=1e-15)


def adam_reference(grads, lr, b1, b2, eps):
    """Adam as written in Kingma & Ba (2015), Algorithm 1, one scalar at a time."""
    m = v = 0.0
    x, xs = 0.0, [0.0]
    for t, g in enumerate(grads, start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        m_hat = m / (1 - b1**t)
        v_hat = v / (1 - b2**t)
        x = x - lr * m_hat / (v_hat**0.5 + eps)
        xs.append(x)
    return xs


def test_adam_matches_the_paper_algorithm_over_several_steps():
    grads = [0.5, -1.0, 2.0, 0.1, -0.3, 4.0]
    got = run(adam(0.05, 0.8, 0.99, 1e-6), [np.array([g]) for g in grads], np.array([0.0]))
    expected = adam_reference(grads, 0.05, 0.8, 0.99, 1e-6)
    np.testing.assert_allclose([p[0] for p in got], expected, rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("name", NAMES)
def test_optimizers_treat_each_row_of_a_batch_independently(name):
    rng = np.random.default_rng(1)
    grads = [rng.normal(size=(4, 3, 2)) for _ in range(3)]
    x0 = rng.normal(size=(4, 3, 2))
    batch = run(get_optimizer(name, 0.1), grads, x0)
    single = run(get_optimizer(name, 0.1), [g[2, 1] for g in grads], x0[2, 1])
    assert batch[-1].shape == (4, 3, 2)
    np.testing.assert_allclose(batch[-1][2, 1], single[-1], rtol=1e-14)


@pytest.mark.parametrize("name", NAMES)
def test_update_is_pure_and_leaves_the_old_state_untouched(name):
    opt = get_optimizer(name, 0.1)
    x = np.array([1.0, 2.0])
    state0 = opt.init(x)
    _, state1 = opt.update(np.array([1.0, 1.0]), state0, x)
    step_a, _ = opt.update(np.array([0.5, -2.0]), state1, x)
    step_b, _ = opt.update(np.array([0.5, -2.0]), state1, x)
    np.testing.assert_array_equal(step_a, step_b)
    for leaf in state0:
        assert np.all(np.asarray(leaf) == 0)


def test_optimizer_repr_shows_name_and_hyper_parameters():
    assert repr(momentum(0.1, 0.5)) == "Optimizer(momentum: lr=0.1, beta=0.5)"
