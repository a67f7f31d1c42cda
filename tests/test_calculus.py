"""Derivatives of plain callables against closed forms."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gradcore.calculus import derivative, directional_derivative, evaluate, gradient, hessian

GRID = np.stack(np.meshgrid(np.linspace(-2, 2, 7), np.linspace(-1.5, 3, 5)), axis=-1)


@pytest.mark.parametrize(
    ("f", "df"),
    [
        (lambda x: x**3 - 3 * x, lambda x: 3 * x**2 - 3),
        (np.exp, np.exp),
        (np.sin, np.cos),
        (lambda x: np.log1p(x**2), lambda x: 2 * x / (1 + x**2)),
    ],
)
def test_derivative_matches_closed_form_on_a_grid(f, df):
    x = np.linspace(-3, 3, 61)
    np.testing.assert_allclose(derivative(f, x), df(x), rtol=1e-9, atol=1e-9)


def test_derivative_keeps_the_input_shape():
    assert derivative(np.sin, np.zeros((4, 3))).shape == (4, 3)
    assert derivative(np.sin, 0.0).shape == ()


def test_gradient_of_smooth_function_is_accurate_to_1e_8():
    def f(x, y):
        return np.exp(-((x - 1) ** 2)) * np.cos(y) + x * y**2

    def grad(x, y):
        return np.stack(
            [
                -2 * (x - 1) * np.exp(-((x - 1) ** 2)) * np.cos(y) + y**2,
                -np.exp(-((x - 1) ** 2)) * np.sin(y) + 2 * x * y,
            ],
            axis=-1,
        )

    np.testing.assert_allclose(gradient(f, GRID), grad(GRID[..., 0], GRID[..., 1]), atol=1e-8)


def test_gradient_and_hessian_shapes_on_grids():
    def f(x, y, z):
        return x * y * z

    p = np.random.default_rng(0).normal(size=(4, 5, 3))
    assert gradient(f, p).shape == (4, 5, 3)
    assert hessian(f, p).shape == (4, 5, 3, 3)
    assert evaluate(f, p).shape == (4, 5)


def test_gradient_of_a_constant_function_broadcasts_to_zeros():
    assert np.array_equal(gradient(lambda x, y: 3.0, GRID), np.zeros_like(GRID))


def test_hessian_matches_closed_form():
    def f(x, y):
        return x**3 * y + np.sin(y)

    x, y = GRID[..., 0], GRID[..., 1]
    expected = np.stack([np.stack([6 * x * y, 3 * x**2], -1), np.stack([3 * x**2, -np.sin(y)], -1)], -2)
    np.testing.assert_allclose(hessian(f, GRID), expected, atol=1e-6)


def test_directional_derivative_is_gradient_norm_times_cos_theta_around_a_full_turn():
    def f(x, y):
        return x**2 + 3 * y**2

    p = np.array([1.0, 0.5])
    g = gradient(f, p)
    theta = np.linspace(0, 2 * np.pi, 361)
    phi = np.arctan2(g[1], g[0])
    u = np.stack([np.cos(phi + theta), np.sin(phi + theta)], -1)
    slopes = directional_derivative(f, p, 5 * u)  # length of u does not matter
    np.testing.assert_allclose(slopes, np.linalg.norm(g) * np.cos(theta), atol=1e-9)


def test_directional_derivative_refuses_the_zero_direction():
    with pytest.raises(ValueError, match="zero vector"):
        directional_derivative(lambda x, y: x, [0.0, 0.0], [0.0, 0.0])


@settings(max_examples=50)
@given(st.lists(st.floats(-3, 3), min_size=3, max_size=3), st.floats(-2, 2), st.floats(-2, 2))
def test_gradient_of_random_quadratics_is_exact_to_1e_9(coefficients, x0, y0):
    a, b, c = coefficients

    def f(x, y):
        return a * x**2 + b * x * y + c * y**2

    expected = [2 * a * x0 + b * y0, b * x0 + 2 * c * y0]
    np.testing.assert_allclose(gradient(f, [x0, y0]), expected, atol=1e-9)
