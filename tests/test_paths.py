"""gradcore.paths: what a path did, checked against hand-worked cases."""

from types import SimpleNamespace

import numpy as np
import pytest

import gradcore
from gradcore.paths import MINIMUM_TOLERANCE

BOX = ((-2.0, 2.0), (-1.0, 1.0))


def test_clip_to_box_keeps_a_path_that_stays_inside():
    points = np.array([[0.0, 0.0], [1.0, 0.5], [1.5, -0.5]])
    kept, leaves = gradcore.clip_to_box(points, BOX)
    assert leaves is None
    np.testing.assert_array_equal(kept, points)


def test_clip_to_box_ends_a_path_on_the_edge_it_crosses():
    points = np.array([[0.0, 0.0], [1.0, 0.5], [3.0, 1.5], [9.0, 9.0]])
    kept, leaves = gradcore.clip_to_box(points, BOX)
    assert leaves == 2
    # from (1, 0.5) towards (3, 1.5): y reaches 1 at t = 0.5 (x = 2), x reaches 2 at t = 0.5 too
    np.testing.assert_allclose(kept[-1], [2.0, 1.0])
    assert len(kept) == 3


def test_clip_to_box_turns_a_non_finite_point_into_a_finite_crossing():
    kept, leaves = gradcore.clip_to_box(np.array([[0.0, 0.0], [np.inf, np.nan]]), BOX)
    assert leaves == 1 and np.all(np.isfinite(kept))


def test_nearest_minimum_uses_three_percent_of_the_longer_side():
    minima = [SimpleNamespace(point=np.array([0.0, 0.0])), SimpleNamespace(point=np.array([1.0, 0.0]))]
    reach = MINIMUM_TOLERANCE * 4.0  # the longer side is 4
    assert gradcore.nearest_minimum([1.0 + 0.9 * reach, 0.0], minima, BOX) == 1
    assert gradcore.nearest_minimum([1.0 + 1.1 * reach, 0.0], minima, BOX) is None
    assert gradcore.nearest_minimum([0.0, 0.0], [], BOX) is None


@pytest.mark.parametrize(
    ("lr", "expected"),
    [(0.001, "crawling"), (0.04, "arrived"), (0.099, "oscillating"), (0.2, "diverged")],
)
def test_verdict_of_plain_descent_on_a_stretched_bowl(lr, expected):
    # f = x² + 10 y²: λmax = 20, so η < 2/20 = 0.1 converges; near 0.1 the y steps flip sign every step
    f = gradcore.parse("x^2 + 10*y^2", variables=("x", "y"))
    path = gradcore.descend(f, [1.0, 1.0], lr=lr, steps=200, tol=1e-3)
    assert gradcore.verdict(path) == expected


def test_verdict_calls_a_path_that_leaves_the_map_diverged():
    f = gradcore.parse("x^2 + y^2", variables=("x", "y"))
    path = gradcore.descend(f, [1.5, 0.5], lr=1.2, steps=5)  # x ← −1.4 x: it grows but stays finite
    assert path.status != "diverged"
    assert gradcore.verdict(path, BOX) == "diverged"
    assert gradcore.verdict(path) == "oscillating"


def test_flow_lines_run_downhill_into_the_minimum():
    f = gradcore.parse("x^2 + 2*y^2", variables=("x", "y"))
    starts = gradcore.ring_points(BOX, 6)
    paths = gradcore.flow_lines(f, starts, BOX)
    assert len(paths) == 6
    for start, path in zip(starts, paths, strict=True):
        np.testing.assert_allclose(path[0], start)
        values = f(path[:, 0], path[:, 1])
        assert np.all(np.diff(values) <= 1e-12)  # always downhill
        assert np.linalg.norm(path[-1]) < 0.05
        assert len(path) <= 240


def test_flow_lines_stop_at_the_edge_of_the_map():
    f = gradcore.parse("-x", variables=("x", "y"))  # −∇f = (1, 0): straight to the right edge
    (path,) = gradcore.flow_lines(f, [[0.0, 0.0]], BOX)
    assert path[:, 0].max() <= 2.0 and path[-1, 0] > 1.9
    np.testing.assert_allclose(path[:, 1], 0.0)


def test_ring_points_lie_on_the_inset_ring():
    points = gradcore.ring_points(BOX, 12, inset=0.5)
    on_x = np.isclose(np.abs(points[:, 0]), 1.0)
    on_y = np.isclose(np.abs(points[:, 1]), 0.5)
    assert np.all(on_x | on_y) and points.shape == (12, 2)


def test_spread_along_a_closed_circle_gives_even_points_and_tangents():
    t = np.linspace(0, 2 * np.pi, 401)
    circle = np.stack([np.cos(t), np.sin(t)], axis=1)
    spread = gradcore.spread_along(circle, 4)
    angles = np.array([np.arctan2(p[1], p[0]) for p, _ in spread])
    np.testing.assert_allclose(np.diff(np.unwrap(angles)), np.pi / 2, atol=1e-3)
    for point, tangent in spread:
        assert abs(point @ tangent) < 1e-2  # a circle's tangent is perpendicular to its radius
        assert np.isclose(np.linalg.norm(tangent), 1.0)


def test_distance_to_edge_along_a_diagonal():
    d = np.array([1.0, 1.0]) / np.sqrt(2)
    assert gradcore.distance_to_edge([0.0, 0.0], d, BOX) == pytest.approx(np.sqrt(2))
    assert gradcore.distance_to_edge([5.0, 0.0], [1.0, 0.0], BOX) == 0.0


def test_nearest_curve_picks_the_line_passing_closest_to_the_point():
    t = np.linspace(0, 2 * np.pi, 201)
    rings = [r * np.stack([np.cos(t), np.sin(t)], axis=1) for r in (0.5, 1.0, 1.5)]
    chosen = gradcore.paths.nearest_curve(rings, [0.0, 1.2])  # 0.2 from the unit ring, 0.3 from the outer one
    np.testing.assert_allclose(np.hypot(*chosen.T), 1.0)
    with pytest.raises(ValueError, match="at least one"):
        gradcore.paths.nearest_curve([], [0.0, 0.0])


def test_arrow_scale_keeps_every_arrow_inside_the_bounds_and_under_the_longest():
    xs = np.linspace(-1.5, 1.5, 61)
    slopes = 2 * xs  # f = x², plotted on (−2.5, 2.5)
    scale = gradcore.paths.arrow_scale(xs, slopes, (-2.5, 2.5), longest=0.9)
    assert np.max(np.abs(scale * slopes)) == pytest.approx(0.9)  # the length limit binds: 0.9 / 3 < 1 / 3
    scale = gradcore.paths.arrow_scale(xs, slopes, (-2.5, 2.5), longest=1.5)
    tips = xs + scale * slopes
    assert np.all((tips >= -2.5 - 1e-12) & (tips <= 2.5 + 1e-12))
    assert np.max(tips) == pytest.approx(2.5)  # the edge binds: the arrow at x = 1.5 just reaches it
    near_edge = gradcore.paths.arrow_scale([2.4], [1.0], (-2.5, 2.5), longest=1.5)
    assert near_edge == pytest.approx(0.1)
    assert gradcore.paths.arrow_scale([0.0], [0.0], (-1.0, 1.0), longest=1.0) == 1.0  # flat: only the cap
    assert gradcore.paths.arrow_scale([1.0], [1.0], (-1.0, 1.0), longest=1.0) == 1e-3  # on the edge: the floor


# --- ties, curvature and a learning rate that works -------------------------------------------

HIMMELBLAU = "(x^2+y-11)^2+(x+y^2-7)^2"


def test_himmelblaus_four_minima_all_tie_for_the_lowest():
    f = gradcore.parse(HIMMELBLAU, variables=("x", "y"))
    minima = gradcore.find_minima(f, ((-5, 5), (-5, 5)))
    assert len(minima) == 4
    assert gradcore.paths.lowest_minima(minima) == [0, 1, 2, 3]


def test_a_value_just_above_the_tolerance_is_not_a_tie():
    from types import SimpleNamespace as M

    tol = gradcore.paths.TIE_TOLERANCE
    assert gradcore.paths.lowest_minima([M(value=5.0), M(value=5.0 + 4 * tol)]) == [0, 1]  # within 5 · tol · 1
    assert gradcore.paths.lowest_minima([M(value=5.0), M(value=5.0 + 6 * tol)]) == [0]
    assert gradcore.paths.lowest_minima([]) == []


def test_stable_lr_is_two_over_the_largest_curvature_of_a_quadratic():
    from types import SimpleNamespace as M

    f = lambda x, y: 1.5 * x**2 + 4 * y**2 + x * y  # noqa: E731 — Hessian [[3, 1], [1, 8]]
    lam = np.linalg.eigvalsh(np.array([[3.0, 1.0], [1.0, 8.0]])).max()
    assert gradcore.paths.stable_lr(f, [M(point=np.zeros(2))]) == pytest.approx(2 / lam, rel=1e-6)
    above = gradcore.descend(f, [1.0, 1.0], lr=1.05 * 2 / lam, steps=300, tol=1e-6)
    below = gradcore.descend(f, [1.0, 1.0], lr=0.95 * 2 / lam, steps=300, tol=1e-6)
    assert above.status == "diverged" and below.status in ("converged", "max_steps") and below.fun < 1e-3


def test_the_suggested_lr_on_himmelblau_lets_runs_arrive_where_the_default_flies_off():
    f = gradcore.parse(HIMMELBLAU, variables=("x", "y"))
    box = ((-5, 5), (-5, 5))
    minima = gradcore.find_minima(f, box)
    starts = [[-2.5, 2.5], [1.0, 2.8], [-2.75, 0.3], [-1.2, -2.8], [2.75, 1.5]]
    assert not any(gradcore.paths.arrivals(f, starts, box, minima, lr=0.4, steps=40, tol=1e-3))
    lr = gradcore.paths.suggest_lr(f, starts, box, minima, steps=40, tol=1e-3)
    assert lr < gradcore.paths.stable_lr(f, minima)
    assert sum(gradcore.paths.arrivals(f, starts, box, minima, lr=lr, steps=40, tol=1e-3)) >= 3
    assert gradcore.paths.suggest_lr(f, starts, box, [], steps=40, tol=1e-3) is None  # no minimum, no η


def test_below_minima_finds_a_pole_and_a_slope_that_leaves_the_map():
    box = ((-3, 3), (-3, 3))
    pole = gradcore.parse("log((x-0.05)^2+(y-0.05)^2)", variables=("x", "y"))
    assert np.allclose(gradcore.paths.below_minima(pole, box, []), [0.06, 0.06])  # the grid point nearest the pole
    plane = gradcore.parse("x + 2*y", variables=("x", "y"))
    assert np.allclose(gradcore.paths.below_minima(plane, box, []), [-3, -3])
    bowl = gradcore.parse("x^2 + y^2", variables=("x", "y"))
    assert gradcore.paths.below_minima(bowl, box, gradcore.find_minima(bowl, box)) is None


def test_gradient_grows_outward_in_a_bowl_but_not_in_a_gaussian_well():
    box = ((-2, 2), (-2, 2))
    assert gradcore.paths.grows_outward(lambda x, y: x**2 + 3 * y**2, [0.0, 0.0], box)
    assert not gradcore.paths.grows_outward(lambda x, y: -np.exp(-(x**2 + y**2)), [0.0, 0.0], box)


def test_value_change_counts_what_the_scale_cannot_show_as_the_same():
    assert gradcore.paths.value_change(1.0, 0.25, scale=8.0) == "lower"
    assert gradcore.paths.value_change(1.0, 1.0 + 1e-4, scale=8.0) == "same"
    assert gradcore.paths.value_change(1.0, 1.1, scale=8.0) == "higher"


@pytest.mark.parametrize(("lo", "hi"), [(0.31, 0.9), (1.231, 1.239), (-7.3, -7.1), (120, 480), (2e-5, 3e-5)])
def test_roundest_in_lies_in_its_interval_with_few_digits(lo, hi):
    value = gradcore.paths.roundest_in(lo, hi)
    assert lo <= value <= hi
    assert len(f"{value:.12g}".replace("-", "").replace(".", "").strip("0")) <= 4


def test_window_with_keeps_at_most_count_stops_around_the_point():
    stops = np.linspace(-1.4, 1.4, 19)
    lo, hi = gradcore.paths.window_with(stops, 6, (-1.5, 1.5), near=1.0)
    inside = stops[(stops > lo) & (stops < hi)]
    assert 1 <= len(inside) <= 6 and lo <= 1.0 <= hi


def test_slope_tour_of_the_default_clip_matches_the_closed_form():
    tour = gradcore.paths.slope_tour(lambda x: x**2, (-2.5, 2.5), 1.0, (-1.5, 1.5), 0.25)
    assert tour.slope == pytest.approx(2.0) and tour.x1 == pytest.approx(0.5)  # x₁ = 1 − 0.25 · 2
    assert tour.scale == pytest.approx(1 / 3)  # the arrow at 1.5 (slope 3) just reaches 2.5
    assert tour.change == "lower" and tour.facts == {"falls", "flat", "rises", "steeper"}


@pytest.mark.parametrize(
    ("formula", "point", "lr", "key"),
    [("x^3 - 3*x", 1.0, 0.25, "point"), ("3", 1.0, 0.25, "formula"), ("x^2", 1.0, 100.0, "lr"),
     ("sin(20*x)", 1.0, 0.01, "sweep"), ("x^2", 2.5, 0.25, "point"), ("x^2", 1.0, 0.001, "lr")],
)  # fmt: skip
def test_tour_problem_names_the_key_and_its_fix_passes(formula, point, lr, key):
    f = gradcore.parse(formula, variables=("x",))
    args = {"f": f, "x_range": (-2.5, 2.5), "point": point, "sweep": (-1.5, 1.5), "lr": lr}
    found = gradcore.paths.tour_problem(**args)
    assert found is not None and found[0] == key
    if key != "formula":  # with the fix, that key is no longer the problem (another key may be)
        assert (gradcore.paths.tour_problem(**{**args, key: found[2]}) or ("",))[0] != key


def test_tour_problem_accepts_an_overshooting_step_that_stays_on_the_plot():
    f = gradcore.parse("x^3 - 3*x")
    assert gradcore.paths.tour_problem(f, (-2.5, 2.5), 1.5, (-1.5, 1.5), 0.5) is None
    assert gradcore.paths.slope_tour(f, (-2.5, 2.5), 1.5, (-1.5, 1.5), 0.5).change == "higher"
