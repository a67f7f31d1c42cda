"""Live numbers: FastNumber's quick path draws what Manim's DecimalNumber.set_value draws."""

import numpy as np
import pytest
from manim import DOWN, RIGHT, DecimalNumber

from scenes.toolkit.numbers import FastNumber, fast_number


def manims_way(number: FastNumber, value: float) -> FastNumber:
    """A copy of ``number`` set to ``value`` by Manim's own ``set_value`` (which lays the string out afresh)."""
    twin = number.copy()
    DecimalNumber.set_value(twin, value)
    return twin


@pytest.mark.parametrize(
    ("sign", "decimals", "values"),
    [
        (False, 2, [1.25, -1.25, 7.5, -0.5, 1.5, 9.99, 3.07]),
        (True, 2, [1.25, -1.25, 0.0, -8.04, 6.5]),
        (False, 0, [1234.0, 9012.0, -5678.0, -1234.0, 45.0, 70.0, -12.0]),  # thousands get a comma
    ],
)
def test_each_value_is_drawn_where_manim_draws_it(sign, decimals, values):
    number = fast_number(values[0], color="#DDEEFF", sign=sign, decimals=decimals)
    number.scale(1.7).shift(2 * RIGHT + DOWN).set_fill(opacity=0.6)
    quick = 0
    for value in values[1:]:
        glyphs, expected = list(number.submobjects), manims_way(number, value)
        number.set_value(value)
        if len(expected.submobjects) == len(glyphs):  # the quick path: the same glyphs, moved
            assert number.submobjects == glyphs
            quick += 1
        assert number.get_value() == expected.get_value() == value
        assert len(number.submobjects) == len(expected.submobjects)
        for mine, theirs in zip(number.submobjects, expected.submobjects, strict=True):
            np.testing.assert_allclose(mine.points, theirs.points, atol=1e-9)
            np.testing.assert_allclose(mine.fill_rgbas, theirs.fill_rgbas, atol=1e-12)
        assert number.font_size == pytest.approx(expected.font_size)
        assert number.initial_height == pytest.approx(expected.initial_height)
    assert quick >= 2


class Lens(FastNumber):
    """Made-up glyphs whose handles reach past their anchors, as no Typst digit's do."""

    def _glyph(self, char, mob_class=None, **kwargs):
        w, h = 0.2 + 0.03 * (ord(char) % 7), 0.05 if char == "-" else 0.3 + 0.02 * (ord(char) % 5)
        points = np.array([[0, 0, 0], [0, -h, 0], [w, -h, 0], [w, 0, 0], [w, 0, 0], [w, h, 0], [0, h, 0], [0, 0, 0]])
        anchors = np.vstack([points[::4], points[3::4]]).astype(float)
        return points.astype(float), np.array([anchors.min(axis=0), anchors.max(axis=0)])


def test_heights_count_the_handles_as_manims_do_so_a_number_keeps_its_size():
    number = Lens(1.25, num_decimal_places=2, include_sign=True).scale(1.3)
    height = number.height
    for value in [-3.5, 7.25, -1.5, 2.0, -9.75, 1.25]:
        expected = manims_way(number, value)
        number.set_value(value)
        for mine, theirs in zip(number.submobjects, expected.submobjects, strict=True):
            np.testing.assert_allclose(mine.points, theirs.points, atol=1e-9)
        assert number.initial_height == pytest.approx(expected.initial_height)
    assert number.height == pytest.approx(height)


def test_only_a_change_of_length_builds_new_glyphs():
    number = fast_number(3.0, color="#FFFFFF")
    glyphs = list(number.submobjects)
    number.set_value(4.25)
    assert number.submobjects == glyphs
    number.set_value(-4.25)  # one character more
    assert len(number.submobjects) == len(glyphs) + 1
    assert not set(map(id, number.submobjects)) & set(map(id, glyphs))
