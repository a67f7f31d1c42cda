"""Model losses (linear regression, perceptron) and stochastic gradient descent on them."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gradcore.calculus import gradient
from gradcore.descent import descend
from gradcore.models import least_squares, linear_regression, perceptron
from gradcore.sgd import sgd

RNG = np.random.default_rng(42)
X1 = RNG.uniform(-2, 2, size=40)
Y1 = 1.5 * X1 - 0.5 + RNG.normal(scale=0.3, size=40)
X3 = RNG.normal(size=(60, 3))
Y3 = X3 @ [1.0, -2.0, 0.5] + 0.7 + RNG.normal(scale=0.1, size=60)


def direct_mse(X, Y, p):
    """J(θ) summed sample by sample, the textbook way."""
    X2 = X[:, None] if X.ndim == 1 else X
    w, b = p[:-1], p[-1]
    return sum((w @ x + b - y) ** 2 for x, y in zip(X2, Y, strict=True)) / (2 * len(Y))


def central_differences(f, p, h=1e-5):
    """Independent O(h²) gradient, one coordinate at a time."""
    p = np.asarray(p, dtype=float)
    out = np.empty_like(p)
    for k in range(p.size):
        e = np.zeros_like(p)
        e[k] = h
        out[k] = (f(*(p + e)) - f(*(p - e))) / (2 * h)
    return out


def separable_data():
    X = np.array([[1.0, 2.0], [2.0, 3.0], [3.0, 3.5], [-1.0, -1.0], [-2.0, 0.0], [0.0, -2.0]])
    y = np.array([1, 1, 1, -1, -1, -1])
    return X, y


@pytest.mark.parametrize(("X", "Y"), [(X1, Y1), (X3, Y3)], ids=["d=1", "d=3"])
def test_linear_regression_value_equals_the_sum_over_samples(X, Y):
    J = linear_regression(X, Y)
    for p in RNG.normal(scale=2.0, size=(5, J.n)):
        assert float(J(*p)) == pytest.approx(direct_mse(X, Y, p), rel=1e-12)


def test_linear_regression_names_its_parameters_w_then_b():
    assert linear_regression(X1, Y1).variables == ("w", "b")
    assert linear_regression(X3, Y3).variables == ("w1", "w2", "w3", "b")
    J = linear_regression(X1, Y1)
    np.testing.assert_array_equal(J.X, X1)
    np.testing.assert_array_equal(J.Y, Y1)


@pytest.mark.parametrize(("X", "Y"), [(X1, Y1), (X3, Y3)], ids=["d=1", "d=3"])
def test_linear_regression_gradient_matches_central_differences(X, Y):
    J = linear_regression(X, Y)
    for p in RNG.normal(size=(4, J.n)):
        exact, approx = J.gradient(p), central_differences(J, p)
        np.testing.assert_allclose(exact, approx, rtol=1e-7, atol=1e-8, err_msg=f"{exact} vs {approx}")


def test_linear_regression_hessian_is_the_gram_matrix_over_m():
    J = linear_regression(X3, Y3)
    Z = np.hstack([X3, np.ones((60, 1))])
    H = J.hessian(np.zeros((2, 5, 4)))
    assert H.shape == (2, 5, 4, 4)
    np.testing.assert_allclose(H[1, 3], Z.T @ Z / 60, rtol=1e-14)
    np.testing.assert_allclose(J.gradient(np.zeros((7, 4))).shape, (7, 4))


def test_least_squares_solves_the_normal_equations_and_agrees_with_polyfit():
    Z = np.hstack([X3, np.ones((60, 1))])
    np.testing.assert_allclose(least_squares(X3, Y3), np.linalg.solve(Z.T @ Z, Z.T @ Y3), rtol=1e-10)
    np.testing.assert_allclose(least_squares(X1, Y1), np.polyfit(X1, Y1, 1), rtol=1e-10)
    np.testing.assert_allclose(linear_regression(X1, Y1).gradient(least_squares(X1, Y1)), 0.0, atol=1e-13)


@pytest.mark.parametrize(("X", "Y"), [(X1, Y1), (X3, Y3)], ids=["d=1", "d=3"])
def test_gradient_descent_on_the_regression_landscape_reaches_least_squares(X, Y):
    J = linear_regression(X, Y)
    lam = np.linalg.eigvalsh(J.hessian(np.zeros(J.n)))
    path = descend(J, np.zeros(J.n), lr=1 / lam[-1], steps=20000, tol=1e-10)
    assert path.status == "converged"
    np.testing.assert_allclose(path.x, least_squares(X, Y), atol=1e-8)
    assert path.fun == pytest.approx(direct_mse(X, Y, least_squares(X, Y)), rel=1e-10)


def test_a_200_by_200_parameter_grid_over_1000_samples_is_evaluated_without_a_python_loop_per_point():
    X = RNG.uniform(-1, 1, size=1000)
    Y = 2 * X + 1 + RNG.normal(scale=0.2, size=1000)
    w, b = np.meshgrid(np.linspace(-1, 4, 200), np.linspace(-2, 3, 200))
    J = linear_regression(X, Y)(w, b)
    labels = np.where(Y > 2 * X + 1, 1, -1)
    L = perceptron(X, labels)(w, b)
    assert J.shape == L.shape == (200, 200)
    for i, j in [(0, 0), (57, 123), (199, 199)]:
        p = np.array([w[i, j], b[i, j]])
        assert J[i, j] == pytest.approx(np.mean((p[0] * X + p[1] - Y) ** 2) / 2, rel=1e-10)
        margins = labels * (p[0] * X + p[1])
        assert L[i, j] == pytest.approx(-np.sum(margins[margins <= 0]), rel=1e-12)


def test_perceptron_loss_is_zero_at_a_separating_line_and_positive_otherwise():
    X, y = separable_data()
    L = perceptron(X, y)
    assert L(1.0, 1.0, 0.0) == 0.0  # x1 + x2 > 0 separates the classes
    assert L(-1.0, -1.0, 0.0) > 0
    assert L(1.0, 0.0, -2.5) > 0  # x1 > 2.5 misclassifies the first two positives
    assert L(1.0, 0.0, -2.5) == pytest.approx(1.5 + 0.5)  # margins −1.5 and −0.5


def test_perceptron_counts_samples_on_the_boundary_as_misclassified_in_the_gradient():
    X, y = separable_data()
    L = perceptron(X, y)
    assert L(0.0, 0.0, 0.0) == 0.0
    Z = np.hstack([X, np.ones((6, 1))])
    np.testing.assert_array_equal(L.gradient([0.0, 0.0, 0.0]), -(y[:, None] * Z).sum(axis=0))
    np.testing.assert_array_equal(L.hessian([[1.0, 2.0, 3.0]]), np.zeros((1, 3, 3)))


def test_perceptron_gradient_matches_central_differences_away_from_kinks():
    X, y = separable_data()
    L = perceptron(X, y)
    for p in ([-1.0, 0.3, 0.2], [0.5, -1.0, 1.3], [2.0, 2.0, -20.0]):  # no margin is 0
        np.testing.assert_allclose(L.gradient(p), central_differences(L, p), rtol=1e-8, atol=1e-8)
        np.testing.assert_array_equal(gradient(L, p), L.gradient(p))  # calculus uses the exact one


def test_model_inputs_are_validated_with_a_hint():
    with pytest.raises(ValueError, match=r"\+1 or -1"):
        perceptron([1.0, 2.0], [0, 1])
    with pytest.raises(ValueError, match="matching"):
        linear_regression([1.0, 2.0], [1.0])
    with pytest.raises(TypeError, match="takes 2 parameters"):
        linear_regression(X1, Y1)(1.0)
    with pytest.raises(ValueError, match=r"\(\.\.\., 2\)"):
        linear_regression(X1, Y1).gradient([1.0, 2.0, 3.0])


def test_sgd_with_the_full_batch_is_exactly_gradient_descent():
    path = sgd(linear_regression, X1, Y1, [0.0, 0.0], lr=0.1, epochs=50)
    reference = descend(linear_regression(X1, Y1), [0.0, 0.0], lr=0.1, steps=50, tol=0)
    assert path.steps == 50 and path.optimizer == "sgd"
    np.testing.assert_array_equal(path.points, reference.points)
    np.testing.assert_array_equal(path.values, reference.values)


def test_sgd_with_the_same_seed_repeats_and_with_another_seed_differs():
    kwargs = {"lr": 0.05, "epochs": 3, "batch_size": 4}
    a = sgd(linear_regression, X1, Y1, [0.0, 0.0], seed=7, **kwargs)
    b = sgd(linear_regression, X1, Y1, [0.0, 0.0], seed=7, **kwargs)
    c = sgd(linear_regression, X1, Y1, [0.0, 0.0], seed=8, **kwargs)
    np.testing.assert_array_equal(a.points, b.points)
    assert not np.array_equal(a.points, c.points)


def test_sgd_without_shuffle_ignores_the_seed():
    a = sgd(linear_regression, X1, Y1, [0.0, 0.0], lr=0.05, epochs=2, batch_size=8, shuffle=False, seed=1)
    b = sgd(linear_regression, X1, Y1, [0.0, 0.0], lr=0.05, epochs=2, batch_size=8, shuffle=False, seed=2)
    np.testing.assert_array_equal(a.points, b.points)


@pytest.mark.parametrize(("batch_size", "updates_per_epoch"), [(1, 40), (8, 5), (12, 4), (40, 1), (None, 1)])
def test_sgd_records_one_point_per_update_and_the_full_loss_at_each(batch_size, updates_per_epoch):
    path = sgd(linear_regression, X1, Y1, [1.0, 1.0], lr=0.01, epochs=3, batch_size=batch_size)
    assert path.points.shape == (3 * updates_per_epoch + 1, 2)
    J = linear_regression(X1, Y1)
    np.testing.assert_allclose(path.values, J(*path.points.T), rtol=1e-14)
    np.testing.assert_allclose(path.gradients, J.gradient(path.points), rtol=1e-14)


def test_single_sample_steps_follow_one_sample_gradients():
    path = sgd(linear_regression, X1, Y1, [0.0, 0.0], lr=0.1, epochs=1, batch_size=1, seed=3)
    order = np.random.default_rng(3).permutation(40)
    for k in (0, 17, 39):
        i = order[k]
        w, b = path.points[k]
        residual = w * X1[i] + b - Y1[i]
        np.testing.assert_allclose(path.points[k + 1], [w, b] - 0.1 * residual * np.array([X1[i], 1.0]))


def test_mini_batch_sgd_ends_near_the_least_squares_fit():
    path = sgd(linear_regression, X1, Y1, [0.0, 0.0], lr=0.05, epochs=60, batch_size=5)
    np.testing.assert_allclose(path.x, least_squares(X1, Y1), atol=0.05)


def test_the_perceptron_rule_separates_separable_data():
    X, y = separable_data()
    path = sgd(perceptron, X, y, [0.0, 0.0, 0.0], lr=1.0, epochs=20, batch_size=1)
    assert path.values[-1] == 0.0
    assert np.all(y * (X @ path.x[:2] + path.x[2]) > 0)


def test_sgd_reports_divergence_and_keeps_finite_points():
    path = sgd(linear_regression, X1, Y1 * 1e3, [0.0, 0.0], lr=5.0, epochs=100)
    assert path.status == "diverged" and np.all(np.isfinite(path.points))
    with pytest.raises(ValueError, match="batch_size"):
        sgd(linear_regression, X1, Y1, [0.0, 0.0], lr=0.1, epochs=1, batch_size=0)
    with pytest.raises(ValueError, match="learning rate"):
        sgd(linear_regression, X1, Y1, [0.0, 0.0], lr=0.0, epochs=1)


@settings(max_examples=25, deadline=None)
@given(st.floats(-3, 3), st.floats(-3, 3), st.integers(2, 30))
def test_noise_free_lines_are_recovered_exactly_by_least_squares(w, b, m):
    X = np.linspace(-1, 1, m)
    np.testing.assert_allclose(least_squares(X, w * X + b), [w, b], atol=1e-12)
    assert float(linear_regression(X, w * X + b)(w, b)) == pytest.approx(0.0, abs=1e-24)
