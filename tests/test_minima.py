"""find_minima, critical_points and classify on functions whose critical points are known."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gradcore.calculus import gradient
from gradcore.minima import CriticalPoint, Minimum, classify, critical_points, find_minima, flat_point


def himmelblau(x, y):
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2


def six_hump_camel(x, y):
    return (4 - 2.1 * x**2 + x**4 / 3) * x**2 + x * y + (-4 + 4 * y**2) * y**2


def rosenbrock(x, y):
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


# Known minima of Himmelblau's function, all with value 0 (Himmelblau 1972).
HIMMELBLAU_MINIMA = [(3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126)]


def sorted_points(minima):
    return sorted(tuple(np.round(m.point, 5)) for m in minima)


def test_himmelblau_has_four_minima_of_value_zero_at_the_known_places():
    minima = find_minima(himmelblau, [(-5, 5), (-5, 5)])
    assert len(minima) == 4
    assert all(isinstance(m, Minimum) and m.kind == "minimum" for m in minima)
    np.testing.assert_allclose([m.value for m in minima], 0.0, atol=1e-12)
    np.testing.assert_allclose(sorted_points(minima), sorted(HIMMELBLAU_MINIMA), atol=1e-5)


def test_six_hump_camel_has_six_minima_and_the_known_global_pair_comes_first():
    minima = find_minima(six_hump_camel, [(-2, 2), (-1, 1)])
    assert len(minima) == 6
    values = [m.value for m in minima]
    assert values == sorted(values)
    np.testing.assert_allclose(values[:2], -1.0316284535, atol=1e-9)  # the two global minima
    global_pair = [(-0.08984, 0.71266), (0.08984, -0.71266)]
    np.testing.assert_allclose(sorted_points(minima[:2]), global_pair, atol=1e-5)
    np.testing.assert_allclose(values[2:], [-0.2154638, -0.2154638, 2.1042503, 2.1042503], atol=1e-6)


def test_the_bowl_has_one_minimum_at_the_origin():
    (m,) = find_minima(lambda x, y: x**2 + y**2, [(-2, 2), (-2, 2)])
    np.testing.assert_allclose(m.point, [0.0, 0.0], atol=1e-9)
    assert m.value == pytest.approx(0.0, abs=1e-15)
    assert m.x is m.point and m.fun == m.value


def test_the_saddle_has_no_minimum_and_one_critical_point_a_saddle_at_the_origin():
    assert find_minima(lambda x, y: x**2 - y**2, [(-2, 2), (-2, 2)]) == []
    (c,) = critical_points(lambda x, y: x**2 - y**2, [(-2, 2), (-2, 2)])
    assert c.kind == "saddle" and not isinstance(c, Minimum)
    np.testing.assert_allclose(c.point, [0.0, 0.0], atol=1e-8)


def test_rosenbrock_has_its_single_minimum_at_one_one():
    (m,) = find_minima(rosenbrock, [(-2, 2), (-1, 3)])
    np.testing.assert_allclose(m.point, [1.0, 1.0], atol=1e-6)
    assert m.value == pytest.approx(0.0, abs=1e-12)


def test_himmelblau_critical_points_are_four_minima_four_saddles_and_one_maximum():
    found = critical_points(himmelblau, [(-5, 5), (-5, 5)])
    kinds = [c.kind for c in found]
    assert sorted(kinds) == ["maximum"] + ["minimum"] * 4 + ["saddle"] * 4
    (top,) = [c for c in found if c.kind == "maximum"]
    np.testing.assert_allclose(top.point, [-0.270845, -0.923039], atol=1e-5)  # f = 181.617
    assert top.value == pytest.approx(181.6165, abs=1e-3)
    grads = gradient(himmelblau, np.array([c.point for c in found]))
    assert np.all(np.linalg.norm(grads, axis=1) < 1e-6)  # every reported point is critical
    assert [c.value for c in found] == sorted(c.value for c in found)


def test_critical_points_lists_the_same_minima_as_find_minima():
    box = [(-2, 2), (-1, 1)]
    from_all = [c for c in critical_points(six_hump_camel, box) if c.kind == "minimum"]
    only_minima = find_minima(six_hump_camel, box)
    np.testing.assert_allclose(sorted_points(from_all), sorted_points(only_minima), atol=1e-5)


def test_minima_outside_or_on_the_edge_of_the_box_are_not_reported():
    assert find_minima(lambda x, y: x**2 + y**2, [(0.5, 2), (-1, 1)]) == []
    assert len(find_minima(himmelblau, [(0, 5), (0, 5)])) == 1  # only (3, 2) lies in this quadrant


@pytest.mark.parametrize(
    ("f", "kind"),
    [
        (lambda x, y: x**2 + 2 * y**2, "minimum"),
        (lambda x, y: -(x**2) - y**2, "maximum"),
        (lambda x, y: x**2 - y**2, "saddle"),
        (lambda x, y: x * y, "saddle"),
        (lambda x, y: x**2 + y**4, "degenerate"),
        (lambda x, y: x**3 + y**2, "degenerate"),
    ],
)
def test_classify_reads_the_signs_of_the_hessian_eigenvalues(f, kind):
    assert classify(f, [0.0, 0.0]) == kind


def test_classify_rejects_more_than_one_point():
    with pytest.raises(ValueError, match="one point"):
        classify(lambda x, y: x * y, [[0.0, 0.0], [1.0, 1.0]])


@pytest.mark.parametrize("bounds", [[(1, 0)], [(0, np.inf)], [(0, 1, 2)], []])
def test_bad_bounds_are_rejected_with_the_expected_form(bounds):
    with pytest.raises(ValueError, match="bounds"):
        find_minima(lambda x: x**2, bounds)


def test_a_minimum_is_a_critical_point_of_kind_minimum():
    m = Minimum(point=np.array([1.0, 2.0]), value=3.0)
    assert isinstance(m, CriticalPoint) and m.kind == "minimum"
    assert repr(m) == "Minimum(point=(1, 2), value=3, kind='minimum')"


def test_find_minima_works_in_one_and_three_dimensions():
    one = find_minima(lambda x: (x**2 - 1) ** 2, [(-2, 2)])
    np.testing.assert_allclose(sorted(m.point[0] for m in one), [-1.0, 1.0], atol=1e-7)
    (three,) = find_minima(lambda x, y, z: (x - 1) ** 2 + (y + 2) ** 2 + z**2 + x * z, [(-3, 3)] * 3)
    np.testing.assert_allclose(three.point, np.linalg.solve([[2, 0, 1], [0, 2, 0], [1, 0, 2]], [2, -4, 0]))


@settings(max_examples=20, deadline=None)
@given(
    st.floats(0.1, 10.0),
    st.floats(0.1, 10.0),
    st.floats(-0.95, 0.95),
    st.tuples(st.floats(-1.5, 1.5), st.floats(-1.5, 1.5)),
)
def test_a_random_positive_definite_quadratic_has_exactly_its_centre_as_minimum(a, c, rho, centre):
    off = rho * np.sqrt(a * c)
    cx, cy = centre

    def f(x, y):
        return 0.5 * (a * (x - cx) ** 2 + 2 * off * (x - cx) * (y - cy) + c * (y - cy) ** 2) + 1.0

    minima = find_minima(f, [(-2, 2), (-2, 2)], samples_per_axis=6)
    assert len(minima) == 1
    np.testing.assert_allclose(minima[0].point, centre, atol=1e-6)
    assert minima[0].value == pytest.approx(1.0, abs=1e-10)


def test_flat_point_is_the_lowest_minimum_else_the_first_critical_point_else_none():
    box = [(-2, 2), (-2, 2)]
    lowest = flat_point(lambda x, y: (x**2 - 1) ** 2 + y**2 + 0.1 * x, box)  # two wells, the left one lower
    assert lowest.kind == "minimum" and lowest.point[0] < 0
    assert lowest.point == pytest.approx(find_minima(lambda x, y: (x**2 - 1) ** 2 + y**2 + 0.1 * x, box)[0].point)
    saddle = flat_point(lambda x, y: x * y + x**2 / 2, box)  # no minimum: the saddle at the origin
    assert saddle.kind == "saddle" and saddle.point == pytest.approx([0, 0], abs=1e-9)
    assert flat_point(lambda x, y: x + y, box) is None
