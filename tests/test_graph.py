"""The one-variable chart of the toolkit: conversions checked against each other and against the axes' scales."""

import numpy as np
import pytest
from manim import Square

from scenes.toolkit.graph import Graph, value_range

X_RANGE, Y_RANGE = (-2.5, 2.5), (-1.5, 7.0)


def parabola() -> Graph:
    return Graph(X_RANGE, Y_RANGE, x_length=7.4, y_length=5.4, centre=(-2.85, 0.3), f=lambda x: x**2, x_step=1)


def test_points_and_coords_undo_each_other_for_any_shape():
    graph = parabola()
    xs, ys = np.meshgrid(np.linspace(*X_RANGE, 5), np.linspace(*Y_RANGE, 3))
    screen = graph.point(xs, ys)
    assert screen.shape == (3, 5, 3) and np.all(screen[..., 2] == 0)
    np.testing.assert_allclose(graph.coords(screen), np.stack([xs, ys], axis=-1), atol=1e-12)
    assert graph.point(1.0, 2.0).shape == (3,)
    assert graph.points(1.0, 2.0).shape == (1, 3)
    np.testing.assert_allclose(graph.points([0.0, 1.0], 0.0), [graph.point(0.0, 0.0), graph.point(1.0, 0.0)])


def test_many_points_at_once_are_where_the_axes_put_each_even_after_the_chart_moves():
    graph = parabola()
    graph.axes.rotate(0.4).scale(0.8).shift([1.0, -0.5, 0.0])
    xs = np.linspace(-3.0, 3.0, 401)  # past the ends too: the map is affine, not clipped
    ys = xs**2 - 1.0
    expected = np.asarray(graph.axes.c2p(xs, ys), dtype=float).reshape(3, -1).T
    np.testing.assert_allclose(graph.points(xs, ys), expected, atol=1e-12)
    np.testing.assert_allclose(graph.point(xs[:2], ys[:2]), expected[:2], atol=1e-12)  # few: the axes' own map


def test_the_axes_span_their_lengths_and_sit_at_the_centre():
    graph = parabola()
    left, bottom = graph.point(X_RANGE[0], Y_RANGE[0])[:2]
    right, top = graph.point(X_RANGE[1], Y_RANGE[1])[:2]
    assert (right - left, top - bottom) == pytest.approx((7.4, 5.4))
    np.testing.assert_allclose(graph.axes.get_center()[:2], (-2.85, 0.3), atol=1e-12)
    box = graph.screen_box
    eps = 1e-9
    assert box[0] <= left + eps and box[1] >= right - eps and box[2] <= bottom + eps and box[3] >= top - eps


def test_on_curve_is_the_point_above_x_at_height_f_of_x():
    graph = parabola()
    xs = np.array([-2.0, 0.5, 1.5])
    np.testing.assert_allclose(graph.on_curve(xs), graph.point(xs, xs**2))
    np.testing.assert_allclose(
        graph.coords(graph.curve_points(11)),
        np.stack([np.linspace(*X_RANGE, 11), np.linspace(*X_RANGE, 11) ** 2], 1),
        atol=1e-12,
    )


def test_vectors_are_differences_of_points_anywhere_on_the_chart():
    graph = parabola()
    for x, y in [(0.0, 0.0), (-1.0, 3.0), (2.0, -1.0)]:
        np.testing.assert_allclose(
            graph.vector(0.5, -2.0), graph.point(x + 0.5, y - 2.0) - graph.point(x, y), atol=1e-12
        )


def test_direction_of_a_slope_is_a_unit_vector_with_the_screen_slope_of_the_two_scales():
    graph = parabola()
    x_unit, y_unit = 7.4 / (X_RANGE[1] - X_RANGE[0]), 5.4 / (Y_RANGE[1] - Y_RANGE[0])
    slopes = np.array([-3.0, 0.0, 0.5, 2.0])
    d = graph.direction(slopes)
    np.testing.assert_allclose(np.linalg.norm(d, axis=-1), 1.0)
    assert np.all(d[:, 0] > 0)  # towards +x
    np.testing.assert_allclose(d[:, 1] / d[:, 0], slopes * y_unit / x_unit, atol=1e-12)


def test_a_slope_line_is_centred_on_the_curve_with_its_length_and_slope():
    graph = parabola()
    line = graph.slope_line(1.0, 2.0, 3.2, color="#ffffff")
    start, end = line.get_start_and_end()
    assert np.linalg.norm(end - start) == pytest.approx(3.2)
    np.testing.assert_allclose((start + end) / 2, graph.on_curve(1.0), atol=1e-12)
    (x0, y0), (x1, y1) = graph.coords(np.array([start, end]))
    assert (y1 - y0) / (x1 - x0) == pytest.approx(2.0)
    at_zero = graph.slope_line(0.0, 0.0, 1.0, y=3.0)
    np.testing.assert_allclose(graph.coords(at_zero.get_center()), (0.0, 3.0), atol=1e-12)


def test_plot_runs_from_the_first_to_the_last_x_on_the_curve():
    graph = parabola()
    curve = graph.plot(color="#ffffff")
    np.testing.assert_allclose(curve.get_start(), graph.on_curve(X_RANGE[0]), atol=1e-9)
    np.testing.assert_allclose(curve.get_end(), graph.on_curve(X_RANGE[1]), atol=1e-9)
    part = graph.plot(lambda x: 1 - x, x_range=(0.0, 1.0))
    np.testing.assert_allclose(part.get_end(), graph.point(1.0, 0.0), atol=1e-9)


def test_a_placed_label_stays_inside_the_axes_and_off_the_curve():
    graph = parabola()
    label = graph.place_label(Square(side_length=0.4), graph.on_curve(1.0))
    left, right, bottom, top = graph.screen_box
    assert left <= label.get_left()[0] and label.get_right()[0] <= right
    assert bottom <= label.get_bottom()[1] and label.get_top()[1] <= top
    lo, hi = label.get_corner([-1, -1, 0])[:2], label.get_corner([1, 1, 0])[:2]
    covered = np.all((graph.curve_points()[:, :2] >= lo) & (graph.curve_points()[:, :2] <= hi), axis=1)
    assert not covered.any()


def test_axis_names_sit_above_the_ends_of_the_axes():
    graph = parabola()
    x_name, y_name = graph.axis_names(Square(side_length=0.2), Square(side_length=0.2))
    assert x_name.get_bottom()[1] > graph.axes.x_axis.get_end()[1]
    assert x_name.get_right()[0] < graph.axes.x_axis.get_end()[0]
    assert y_name.get_bottom()[1] > graph.axes.y_axis.get_end()[1]
    assert y_name.get_center()[0] == pytest.approx(graph.axes.y_axis.get_end()[0])


def test_a_chart_without_a_function_converts_but_says_how_to_draw_a_curve():
    chart = Graph((0, 360), (-1, 1), x_length=5.6, y_length=3.0, axis_config={"include_ticks": False})
    np.testing.assert_allclose(chart.coords(chart.point(90, 0.5)), (90, 0.5), atol=1e-12)
    with pytest.raises(ValueError, match="pass f="):
        chart.on_curve(0.0)
    cosine = chart.plot(lambda t: np.cos(np.radians(t)))
    np.testing.assert_allclose(cosine.get_end(), chart.point(360, 1.0), atol=1e-9)
    label = chart.place_label(Square(side_length=0.3), chart.point(180, 0.0))  # off the x-axis alone
    assert abs(label.get_center()[1] - chart.point(180, 0.0)[1]) > 0.15


@pytest.mark.parametrize(
    ("values", "options", "expected"),
    [
        ([1.0, 4.0], {}, (-0.4, 4.4)),  # 0 included, 10 % of the span at each end
        ([-3.0, -1.0], {"pad": 0.0}, (-3.0, 0.0)),
        ([0.0, 10.0], {"below": 0.25}, (-2.5, 11.0)),  # room under the x-axis beats the padding
        ([2.0, 3.0], {"include_zero": False, "pad": 0.5}, (1.5, 3.5)),
    ],
)
def test_value_range_shows_every_value_with_the_asked_margins(values, options, expected):
    assert value_range(values, **options) == pytest.approx(expected)
