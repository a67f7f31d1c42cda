"""gradcore: the numbers behind the gradient lecture, in pure NumPy.

Points are arrays whose last axis holds coordinates, shape ``(..., n)``; a
landscape is any callable ``f(x1, ..., xn)`` that broadcasts like a ufunc, or a
:class:`Function` parsed from a formula a person typed. gradcore never
imports manim.

Examples
--------
>>> import gradcore
>>> f = gradcore.parse("x^2 + y^2")
>>> gradcore.gradient(f, [1.0, 2.0]).tolist()
[2.0, 4.0]
>>> path = gradcore.descend(f, [1.0, 2.0], lr=0.25, steps=10)
>>> path.status, path.points[1].tolist()
('max_steps', [0.5, 1.0])
>>> gradcore.parameter_count([784, 16, 16, 10])  # the digit network of the backpropagation clip
13002
"""

from gradcore import backprop, landscapes, models, paths, perceptron_training, stochastic
from gradcore.backprop import parameter_count
from gradcore.calculus import (
    derivative,
    directional_derivative,
    evaluate,
    gradient,
    gradient_vanishes_smoothly,
    hessian,
    point_with_slope,
)
from gradcore.contours import level_curves, level_curves_of_grid
from gradcore.descent import Path, descend
from gradcore.expression import ExpressionError, Function, parse
from gradcore.field import GradientField, gradient_field
from gradcore.minima import (
    CriticalPoint,
    Minimum,
    classify,
    critical_points,
    find_minima,
    flat_point,
    square_with_flat_point,
)
from gradcore.models import least_squares, linear_regression, perceptron
from gradcore.optimizers import Optimizer, adam, gd, get_optimizer, momentum, nesterov, replay, rmsprop
from gradcore.paths import (
    MINIMUM_TOLERANCE,
    clip_to_box,
    distance_to_edge,
    flow_lines,
    nearest_curve,
    nearest_minimum,
    ring_points,
    spread_along,
    verdict,
)
from gradcore.sgd import batch_gradients, inverse_decay, noisy_line, sgd

__all__ = [
    "MINIMUM_TOLERANCE",
    "CriticalPoint",
    "ExpressionError",
    "Function",
    "GradientField",
    "Minimum",
    "Optimizer",
    "Path",
    "adam",
    "backprop",
    "batch_gradients",
    "classify",
    "clip_to_box",
    "critical_points",
    "derivative",
    "descend",
    "directional_derivative",
    "distance_to_edge",
    "evaluate",
    "find_minima",
    "flat_point",
    "flow_lines",
    "gd",
    "get_optimizer",
    "gradient",
    "gradient_field",
    "gradient_vanishes_smoothly",
    "hessian",
    "inverse_decay",
    "landscapes",
    "least_squares",
    "level_curves",
    "level_curves_of_grid",
    "linear_regression",
    "models",
    "momentum",
    "nearest_curve",
    "nearest_minimum",
    "nesterov",
    "noisy_line",
    "parameter_count",
    "parse",
    "paths",
    "perceptron",
    "perceptron_training",
    "point_with_slope",
    "replay",
    "ring_points",
    "rmsprop",
    "sgd",
    "spread_along",
    "square_with_flat_point",
    "stochastic",
    "verdict",
]
