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


# --- replay: the optimizer's state at every step of a path (issue 16) ---------------------------

from gradcore.descent import descend  # noqa: E402
from gradcore.optimizers import adam_corrected, replay, velocity_parts, zigzag_share  # noqa: E402

VALLEY = lambda x, y: x**2 + 10 * y**2  # noqa: E731
VALLEY_GRAD = lambda p: np.stack([2 * p[..., 0], 20 * p[..., 1]], axis=-1)  # noqa: E731


@pytest.mark.parametrize(
    "factory", [gd(0.09), momentum(0.04, beta=0.6), nesterov(0.06, beta=0.6), rmsprop(0.1), adam(0.5)],
    ids=NAMES,
)  # fmt: skip
def test_replay_reproduces_descends_path_and_each_step_lands_on_the_next_point(factory):
    path = descend(VALLEY, [-2.7, 1.0], optimizer=factory, steps=30, tol=0)
    run = replay(VALLEY, factory, path.points)
    assert len(run.states) == len(path.points) and run.steps.shape == (30, 2)
    assert np.allclose(run.points[:-1] + run.steps, path.points[1:], rtol=0, atol=1e-12)
    assert np.allclose(run.gradients, VALLEY_GRAD(run.probes), atol=1e-9)  # the gradient where it was taken


def test_replay_refuses_a_path_the_optimizer_did_not_make():
    path = descend(VALLEY, [-2.7, 1.0], optimizer=gd(0.09), steps=5, tol=0)
    with pytest.raises(ValueError, match="does not land"):
        replay(VALLEY, momentum(0.09, beta=0.6), path.points)


def test_momentum_state_is_the_velocity_and_its_step_is_beta_v_plus_minus_eta_grad():
    opt = momentum(0.04, beta=0.6)
    path = descend(VALLEY, [-2.7, 1.0], optimizer=opt, steps=6, tol=0)
    run = replay(VALLEY, opt, path.points)
    for k in range(6):
        kept, pushed = velocity_parts(opt, run.states[k].velocity, run.gradients[k])
        assert np.allclose(kept, 0.6 * run.states[k].velocity)
        assert np.allclose(pushed, -0.04 * VALLEY_GRAD(path.points[k]))  # by hand: ∇f = (2x, 20y)
        assert np.allclose(kept + pushed, path.points[k + 1] - path.points[k], atol=1e-12)
        assert np.allclose(run.states[k + 1].velocity, kept + pushed)


def test_nesterov_takes_each_gradient_at_the_look_ahead_point_x_plus_beta_v():
    opt = nesterov(0.06, beta=0.6)
    path = descend(VALLEY, [-2.7, 1.0], optimizer=opt, steps=5, tol=0)
    run = replay(VALLEY, opt, path.points)
    for k in range(5):
        assert np.allclose(run.probes[k], path.points[k] + 0.6 * run.states[k].velocity)
    with pytest.raises(ValueError, match="keeps no velocity"):
        velocity_parts(gd(0.1), np.zeros(2), np.zeros(2))


def test_rmsprop_state_is_the_running_mean_of_squared_gradients():
    opt = rmsprop(0.1, decay=0.9)
    path = descend(VALLEY, [-2.7, 1.0], optimizer=opt, steps=4, tol=0)
    run, s = replay(VALLEY, opt, path.points), np.zeros(2)
    for k in range(4):
        s = 0.9 * s + 0.1 * VALLEY_GRAD(path.points[k]) ** 2
        assert np.allclose(run.states[k + 1].mean_square, s)


def test_adam_bias_correction_makes_the_first_moments_the_gradient_itself():
    opt = adam(0.5, b1=0.9, b2=0.999)
    path = descend(VALLEY, [-2.7, 1.0], optimizer=opt, steps=3, tol=0)
    run = replay(VALLEY, opt, path.points)
    m_hat, v_hat = adam_corrected(opt, run.states[1])
    g = VALLEY_GRAD(path.points[0])
    assert np.allclose(m_hat, g) and np.allclose(v_hat, g**2)
    assert np.allclose(run.states[1].mu, 0.1 * g)  # uncorrected: ten times too small
    with pytest.raises(ValueError, match="no step"):
        adam_corrected(opt, run.states[0])


@pytest.mark.parametrize(("lr", "zigzags"), [(0.02, False), (0.04, False), (0.06, True), (0.09, True)])
def test_plain_descent_zig_zags_across_the_narrow_valley_exactly_when_one_minus_20_eta_is_negative(lr, zigzags):
    path = descend(VALLEY, [-2.7, 1.0], lr=lr, steps=60, tol=1e-3)
    share = zigzag_share(VALLEY, path.points)
    assert (share >= 1 / 3) == zigzags and (share == 1.0 if zigzags else share == 0.0)
