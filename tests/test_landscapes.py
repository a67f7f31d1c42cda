"""The named landscapes: their shapes on screen match what the lectures say about them."""

from __future__ import annotations

import dataclasses
import importlib.util

import numpy as np
import pytest

from gradcore.descent import descend
from gradcore.landscapes import (
    BOWL,
    LANDSCAPES,
    NARROW_VALLEY,
    SADDLE,
    VALLEYS,
    NamedLandscape,
    get_landscape,
)
from gradcore.minima import classify, critical_points, find_minima

needs_parser = pytest.mark.skipif(
    importlib.util.find_spec("gradcore.expression") is None, reason="gradcore.expression not available yet"
)


def test_get_landscape_finds_every_landscape_by_name_in_any_spelling():
    assert set(LANDSCAPES) == {"bowl", "valleys", "narrow_valley", "saddle"}
    for name, landscape in LANDSCAPES.items():
        assert get_landscape(name) is landscape and landscape.name == name
    assert get_landscape("Narrow-Valley") is NARROW_VALLEY


def test_an_unknown_landscape_name_lists_the_known_ones():
    with pytest.raises(ValueError, match="'crater'.*bowl, valleys, narrow_valley, saddle"):
        get_landscape("crater")


def test_named_landscapes_are_frozen_and_carry_titles_in_both_languages():
    for landscape in LANDSCAPES.values():
        assert isinstance(landscape, NamedLandscape)
        assert landscape.title_en and landscape.title_zh
        assert landscape.x_range[0] < landscape.x_range[1] and landscape.y_range[0] < landscape.y_range[1]
        assert landscape.bounds == (landscape.x_range, landscape.y_range)
    with pytest.raises(dataclasses.FrozenInstanceError):
        BOWL.formula = "x^4"  # type: ignore[misc]


@needs_parser
@pytest.mark.parametrize("name", sorted(LANDSCAPES))
def test_every_formula_parses_once_into_a_function_of_x_and_y(name):
    landscape = LANDSCAPES[name]
    f = landscape.function
    assert f is landscape.function  # cached
    assert tuple(f.variables) == ("x", "y")
    p = np.array([[0.3, -0.7], [1.1, 0.4]])
    np.testing.assert_allclose(landscape(p[:, 0], p[:, 1]), f(p[:, 0], p[:, 1]))
    np.testing.assert_array_equal(landscape.gradient(p), f.gradient(p))
    h = 1e-6
    for k in range(2):
        e = np.zeros(2)
        e[k] = h
        central = (f(*(p + e).T) - f(*(p - e).T)) / (2 * h)
        np.testing.assert_allclose(f.gradient(p)[:, k], central, rtol=1e-7, atol=1e-8)


@needs_parser
def test_valleys_has_one_global_minimum_and_at_least_two_local_ones_inside_its_range():
    minima = find_minima(VALLEYS.function, VALLEYS.bounds)
    assert len(minima) >= 3
    values = [m.value for m in minima]
    assert values[1] - values[0] > 0.5  # the global minimum is unique by a clear margin
    for m in minima:
        assert VALLEYS.x_range[0] < m.point[0] < VALLEYS.x_range[1]
        assert VALLEYS.y_range[0] < m.point[1] < VALLEYS.y_range[1]
    points = np.array([m.point for m in minima])
    gaps = np.linalg.norm(points[:, None] - points[None], axis=-1) + np.eye(len(points)) * 99
    assert gaps.min() > 1.5  # well separated on screen


@needs_parser
def test_valleys_critical_points_match_the_table_in_the_module_docstring():
    found = critical_points(VALLEYS, VALLEYS.bounds)
    expected = [
        ("minimum", (1.218, -0.938), 0.102),
        ("minimum", (-1.386, -0.929), 0.757),
        ("minimum", (-0.272, 1.544), 1.324),
        ("saddle", (-0.248, -0.823), 1.474),
        ("saddle", (0.096, 0.503), 1.781),
    ]
    assert [c.kind for c in found] == [kind for kind, _, _ in expected]
    np.testing.assert_allclose([c.point for c in found], [p for _, p, _ in expected], atol=1e-3)
    np.testing.assert_allclose([c.value for c in found], [v for _, _, v in expected], atol=1e-3)


@needs_parser
def test_valleys_spans_a_z_range_that_plots_well():
    x, y = np.meshgrid(np.linspace(-3, 3, 121), np.linspace(-3, 3, 121))
    z = VALLEYS(x, y)
    assert 0.0 < z.min() < 0.2 and 3.5 < z.max() < 4.5


@needs_parser
def test_gradient_descent_zig_zags_across_the_narrow_valley():
    path = descend(NARROW_VALLEY, [2.5, 1.0], lr=0.08, steps=500, tol=1e-8)
    y = path.points[:30, 1]
    assert np.all(np.sign(y[1:]) == -np.sign(y[:-1]))  # y factor 1 − 20η = −0.6: sign flips each step
    x = path.points[:30, 0]
    assert np.all(np.diff(x) < 0) and np.all(x > 0)  # x creeps down the valley without crossing
    assert path.status == "converged"


@needs_parser
def test_the_saddle_is_classified_as_a_saddle_and_has_no_minimum():
    assert classify(SADDLE.function, [0.0, 0.0]) == "saddle"
    assert find_minima(SADDLE.function, SADDLE.bounds) == []


@needs_parser
def test_the_bowl_has_its_only_minimum_at_the_origin():
    (m,) = find_minima(BOWL, BOWL.bounds)
    np.testing.assert_allclose(m.point, [0.0, 0.0], atol=1e-12)


# --- a start where momentum rolls on past a shallow valley (issue 16) ------------------------------


def test_from_the_default_start_plain_descent_stops_in_a_shallow_valley_and_momentum_rolls_into_the_lowest():
    from gradcore.descent import descend
    from gradcore.landscapes import roll_through

    f, box = VALLEYS, VALLEYS.bounds
    minima = find_minima(f, box)
    [lesson] = roll_through(f, [[2.0, 2.0]], box, minima, lr=0.2, beta=0.6, steps=200, tol=1e-3)
    assert lesson.rolls_on and lesson.drop > 1.0
    # checked again by hand: the runs of descend end at the table's minima
    plain = descend(f, [2.0, 2.0], lr=0.2, steps=200, tol=1e-3)
    heavy = descend(f, [2.0, 2.0], optimizer="momentum", lr=0.2, beta=0.6, steps=200, tol=1e-3)
    assert plain.status == heavy.status == "converged"
    assert np.allclose(plain.x, [-0.272, 1.544], atol=2e-3) and np.isclose(plain.fun, 1.324, atol=1e-3)
    assert np.allclose(heavy.x, [1.218, -0.938], atol=2e-3) and np.isclose(heavy.fun, 0.102, atol=1e-3)


def test_rolling_starts_lists_only_starts_where_momentum_ends_lower_most_telling_first():
    from gradcore.landscapes import rolling_starts

    minima = find_minima(VALLEYS, VALLEYS.bounds)
    found = rolling_starts(VALLEYS, VALLEYS.bounds, minima, lr=0.2, beta=0.6, steps=200, tol=1e-3, samples=9)
    assert found and all(r.rolls_on for r in found)
    drops = [r.drop for r in found]
    assert drops == sorted(drops, reverse=True)
    assert rolling_starts(BOWL, BOWL.bounds, find_minima(BOWL, BOWL.bounds), lr=0.2, beta=0.6, steps=50, tol=1e-3) == []
