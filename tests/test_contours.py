"""Level curves by marching squares: circles close, saddles resolve, gaps stay gaps."""

import numpy as np

from gradcore.contours import level_curves, level_curves_of_grid


def test_level_curve_of_a_bowl_is_one_closed_circle():
    [ring] = level_curves(lambda x, y: x**2 + y**2, ((-2, 2), (-2, 2)), 1.0, samples=40)
    assert np.allclose(np.hypot(ring[:, 0], ring[:, 1]), 1.0, atol=0.01)
    assert np.allclose(ring[0], ring[-1])


def test_a_saddle_gives_two_open_hyperbola_branches_ending_at_the_border():
    xs = ys = np.linspace(-1, 1, 81)
    X, Y = np.meshgrid(xs, ys)
    branches = level_curves_of_grid(X * Y, xs, ys, 0.1)
    assert len(branches) == 2
    for branch in branches:
        assert np.allclose(branch[:, 0] * branch[:, 1], 0.1, atol=2e-3)
        assert not np.allclose(branch[0], branch[-1])
        assert np.isclose(np.abs(branch[[0, -1]]).max(axis=1), 1.0).all()


def test_a_level_outside_the_values_has_no_curve():
    assert level_curves(lambda x, y: x**2 + y**2, ((-1, 1), (-1, 1)), -1.0) == []


def test_separate_wells_give_separate_rings():
    def two_wells(x, y):
        return np.minimum((x - 1) ** 2 + y**2, (x + 1) ** 2 + y**2)

    rings = level_curves(two_wells, ((-3, 3), (-2, 2)), 0.25, samples=120)
    assert len(rings) == 2
    centres = sorted(ring.mean(axis=0)[0] for ring in rings)
    assert np.allclose(centres, [-1, 1], atol=0.02)


def test_non_finite_samples_leave_gaps_instead_of_lines():
    lines = level_curves(lambda x, y: np.where(x > 0, np.nan, x**2 + y**2), ((-2, 2), (-2, 2)), 1.0, samples=80)
    for line in lines:
        assert np.all(line[:, 0] <= 0.05)
