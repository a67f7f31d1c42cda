"""Shapes and aliases shared by every gradcore signature.

Points are arrays whose last axis holds coordinates, shape ``(..., n)``.
A landscape is any callable ``f(x1, ..., xn)`` that broadcasts like a ufunc.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
Points = npt.ArrayLike
Landscape = Callable[..., Any]

__all__ = ["FloatArray", "Landscape", "Points"]
