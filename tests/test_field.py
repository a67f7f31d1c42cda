"""Sampled gradient fields: directions, lengths, normalisations."""

import numpy as np
import pytest

from gradcore.field import gradient_field


def bowl(x, y):
    return x**2 + y**2


@pytest.mark.parametrize("normalization", ["none", "cap", "log", "unit"])
def test_drawn_arrows_keep_the_gradient_direction_and_fit_the_spacing(normalization):
    field = gradient_field(bowl, (-2, 2), (-2, 2), density=9, normalization=normalization)
    assert field.positions.shape == field.vectors.shape == field.display.shape == (9, 9, 2)
    lengths = np.linalg.norm(field.display, axis=-1)
    assert lengths.max() == pytest.approx(0.9 * 0.5)
    moving = field.magnitudes > 1e-12
    cosine = np.sum(field.display * field.vectors, -1)[moving] / (lengths * field.magnitudes)[moving]
    np.testing.assert_allclose(cosine, 1.0)


def test_zero_gradient_gives_a_zero_arrow_and_the_rim_the_longest():
    field = gradient_field(bowl, (-2, 2), (-2, 2), density=9, normalization="log")
    lengths = np.linalg.norm(field.display, axis=-1)
    assert lengths[4, 4] == 0.0
    assert lengths[0, 0] == lengths.max()


def test_negate_flips_every_arrow():
    up = gradient_field(bowl, (-1, 1), (-1, 1), density=5)
    down = gradient_field(bowl, (-1, 1), (-1, 1), density=5, negate=True)
    np.testing.assert_allclose(down.vectors, -up.vectors)
    np.testing.assert_allclose(down.display, -up.display)


def test_cap_limits_long_arrows_to_the_same_length():
    field = gradient_field(bowl, (-2, 2), (-2, 2), density=9, normalization="cap", cap=1.0)
    lengths = np.linalg.norm(field.display, axis=-1)
    capped = field.magnitudes >= 1.0
    np.testing.assert_allclose(lengths[capped], lengths.max())


def test_bad_normalization_and_density_are_refused():
    with pytest.raises(ValueError, match="normalization must be one of"):
        gradient_field(bowl, (-1, 1), (-1, 1), normalization="sqrt")
    with pytest.raises(ValueError, match="at least 2"):
        gradient_field(bowl, (-1, 1), (-1, 1), density=1)
