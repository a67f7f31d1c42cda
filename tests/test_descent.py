"""descend: closed-form iterates, stop reasons, the optimizer × objective table, batches."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gradcore.descent import DIVERGENCE_BOUND, STOP_REASONS, Path, descend
from gradcore.optimizers import momentum


class Exact:
    """A landscape with an exact gradient, as gradcore's calculus expects it."""

    def __init__(self, f, grad, variables):
        self.f, self.grad, self.variables = f, grad, variables

    def __call__(self, *xs):
        return self.f(*xs)

    def gradient(self, p):
        p = np.asarray(p, dtype=float)
        return np.stack(np.broadcast_arrays(*self.grad(*np.moveaxis(p, -1, 0))), axis=-1)


SQUARE = Exact(lambda x: x**2, lambda x: (2 * x,), ("x",))
BOWL = Exact(lambda x, y: x**2 + y**2, lambda x, y: (2 * x, 2 * y), ("x", "y"))
NARROW = Exact(lambda x, y: x**2 + 10 * y**2, lambda x, y: (2 * x, 20 * y), ("x", "y"))
ROSENBROCK = Exact(
    lambda x, y: (1 - x) ** 2 + 100 * (y - x**2) ** 2,
    lambda x, y: (-2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)),
    ("x", "y"),
)


def himmelblau(x, y):
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2


@pytest.mark.parametrize("lr", [0.05, 0.2, 0.45, 0.7, 0.95])
def test_gd_on_x_squared_matches_the_closed_form_iterates(lr):
    x0, steps = 1.5, 40
    path = descend(SQUARE, [x0], lr=lr, steps=steps, tol=0)
    k = np.arange(steps + 1)
    np.testing.assert_allclose(path.points[:, 0], (1 - 2 * lr) ** k * x0, rtol=0, atol=1e-12)
    assert path.points.shape == (steps + 1, 1)
    assert path.status == "max_steps"


def test_gd_on_a_plain_lambda_x_squared_matches_the_closed_form_too():
    path = descend(lambda x: x**2, 2.0, lr=0.3, steps=25, tol=0)
    np.testing.assert_allclose(path.points[:, 0], 0.4 ** np.arange(26) * 2.0, rtol=0, atol=1e-11)


def test_a_learning_rate_above_one_diverges_on_x_squared_and_keeps_only_finite_points():
    path = descend(SQUARE, [1.0], lr=1.5, steps=1000)  # x_k = (−2)^k
    assert path.status == "diverged"
    assert path.steps < 1000
    assert np.all(np.isfinite(path.points)) and np.all(np.isfinite(path.values))
    assert np.all(np.abs(path.points) <= DIVERGENCE_BOUND)
    assert path.steps == int(np.log2(DIVERGENCE_BOUND))  # the last kept point is (−2)^19
    assert "smaller learning rate" in path.message


def test_a_step_out_of_the_domain_stops_as_diverged_at_the_last_good_point():
    def f(x):
        return np.where(x > 0, x**2 + np.log(np.abs(x) + 1e-300), np.nan)  # NaN left of 0

    path = descend(f, [1.0], lr=2.0, steps=10)
    assert path.status == "diverged"
    np.testing.assert_array_equal(path.points, [[1.0]])
    assert np.all(np.isfinite(path.gradients))


def test_a_run_converges_when_the_gradient_norm_falls_below_tol():
    path = descend(BOWL, [1.0, -2.0], lr=0.1, steps=1000, tol=1e-6)
    assert path.status == "converged" and path.success
    norms = np.linalg.norm(path.gradients, axis=1)
    assert norms[-1] < 1e-6 <= norms[-2]
    assert path.steps == path.nit < 1000
    assert path.message.startswith("converged")


def test_tol_zero_never_stops_early_even_at_the_minimum():
    path = descend(BOWL, [0.0, 0.0], lr=0.1, steps=7, tol=0)
    assert path.status == "max_steps" and len(path.points) == 8


def test_a_start_at_the_minimum_is_converged_without_a_step():
    path = descend(BOWL, [0.0, 0.0], lr=0.1)
    assert path.status == "converged" and path.steps == 0 and path.points.shape == (1, 2)


def test_path_shapes_and_scipy_style_conveniences():
    path = descend(himmelblau, [0.0, 0.0], lr=0.01, steps=30, tol=0)
    assert isinstance(path, Path)
    assert path.points.shape == (31, 2)
    assert path.values.shape == (31,)
    assert path.gradients.shape == (31, 2)
    assert path.steps == 30 and path.optimizer == "gd" and path.hyper == {"lr": 0.01}
    np.testing.assert_array_equal(path.x, path.points[-1])
    assert path.fun == path.values[-1]
    np.testing.assert_array_equal(path.jac, path.gradients[-1])
    np.testing.assert_allclose(path.values, himmelblau(*path.points.T), rtol=1e-15)
    assert set(STOP_REASONS) == {"converged", "max_steps", "diverged"}


# Each entry must converge (‖∇f‖ < tol within `steps`), or say why it is checked otherwise.
TABLE = [
    ("bowl", "gd", 0.1, {}, 200, None),
    ("bowl", "momentum", 0.05, {"beta": 0.9}, 1000, None),
    ("bowl", "nesterov", 0.05, {"beta": 0.9}, 1000, None),
    ("bowl", "adam", 0.05, {}, 1000, None),
    ("narrow", "gd", 0.04, {}, 1000, None),
    ("narrow", "momentum", 0.02, {"beta": 0.9}, 1000, None),
    ("narrow", "nesterov", 0.02, {"beta": 0.9}, 1000, None),
    ("narrow", "adam", 0.05, {}, 1000, None),
    ("rosenbrock", "adam", 0.1, {}, 3000, None),
    ("rosenbrock", "momentum", 0.001, {"beta": 0.9}, 5000, None),
    ("rosenbrock", "nesterov", 0.001, {"beta": 0.9}, 5000, None),
    (
        "bowl",
        "rmsprop",
        0.01,
        {},
        600,
        "RMSProp divides by the running gradient size, so its steps stay about η long and it "
        "hovers within about η of the minimum: checked to end within 2η",
    ),
    (
        "narrow",
        "rmsprop",
        0.01,
        {},
        600,
        "as on the bowl: RMSProp with constant η hovers within about η: checked to end within 2η",
    ),
    (
        "rosenbrock",
        "gd",
        0.002,
        {},
        3000,
        "gd crawls along Rosenbrock's curved valley (condition number ~2500) and needs ~20,000 "
        "steps to converge: checked to have come down the valley from f = 24.2 to f < 1e-2",
    ),
]
OBJECTIVES = {
    "bowl": (BOWL, [1.5, -1.0], [0.0, 0.0]),
    "narrow": (NARROW, [2.5, 1.0], [0.0, 0.0]),
    "rosenbrock": (ROSENBROCK, [-1.2, 1.0], [1.0, 1.0]),
}


@pytest.mark.parametrize(
    ("objective", "optimizer", "lr", "hyper", "steps", "reason"),
    TABLE,
    ids=[f"{o}-{opt}" for o, opt, *_ in TABLE],
)
def test_each_optimizer_converges_on_each_objective(objective, optimizer, lr, hyper, steps, reason):
    f, start, minimum = OBJECTIVES[objective]
    path = descend(f, start, optimizer=optimizer, lr=lr, steps=steps, tol=1e-6, **hyper)
    assert path.status != "diverged"
    if reason is None:
        assert path.status == "converged", path.message
        np.testing.assert_allclose(path.x, minimum, atol=1e-5)
    elif optimizer == "rmsprop":
        assert np.linalg.norm(path.x - minimum) < 2 * lr, (reason, path.x)
    else:
        assert path.fun < 1e-2 < path.values[0], (reason, path.fun)


@pytest.mark.parametrize("f", [BOWL, himmelblau], ids=["exact-bowl", "lambda-himmelblau"])
def test_momentum_with_beta_zero_descends_exactly_like_gd(f):
    a = descend(f, [1.0, 2.5], optimizer="gd", lr=0.01, steps=50)
    b = descend(f, [1.0, 2.5], optimizer="momentum", lr=0.01, beta=0.0, steps=50)
    np.testing.assert_array_equal(a.points, b.points)
    np.testing.assert_array_equal(a.values, b.values)


@pytest.mark.parametrize("f", [BOWL, himmelblau], ids=["exact-bowl", "lambda-himmelblau"])
def test_nesterov_with_beta_zero_descends_exactly_like_gd(f):
    a = descend(f, [1.0, 2.5], optimizer="gd", lr=0.01, steps=50)
    b = descend(f, [1.0, 2.5], optimizer="nesterov", lr=0.01, beta=0.0, steps=50)
    np.testing.assert_array_equal(a.points, b.points)
    np.testing.assert_array_equal(a.gradients, b.gradients)


def test_nesterov_records_the_gradient_at_the_points_not_at_the_look_ahead():
    path = descend(NARROW, [2.0, 1.0], optimizer="nesterov", lr=0.02, steps=20, tol=0)
    np.testing.assert_allclose(path.gradients, NARROW.gradient(path.points), rtol=1e-15)


@pytest.mark.parametrize("optimizer", ["gd", "momentum", "nesterov", "rmsprop", "adam"])
def test_batch_descend_equals_the_per_start_descends(optimizer):
    starts = np.array([[0.0, 0.0], [4.0, 4.0], [-3.0, 3.0], [3.0, 2.0], [-5.0, -5.0], [60.0, 60.0]])
    lr = 0.02 if optimizer in ("gd", "momentum", "nesterov") else 0.2
    batch = descend(himmelblau, starts, optimizer=optimizer, lr=lr, steps=300, tol=1e-6)
    assert isinstance(batch, list) and len(batch) == len(starts)
    for start, b in zip(starts, batch, strict=True):
        one = descend(himmelblau, start, optimizer=optimizer, lr=lr, steps=300, tol=1e-6)
        assert (b.status, b.steps, b.message) == (one.status, one.steps, one.message)
        np.testing.assert_array_equal(b.points, one.points)
        np.testing.assert_array_equal(b.values, one.values)
        np.testing.assert_array_equal(b.gradients, one.gradients)


def test_a_batch_freezes_stopped_starts_and_trims_each_path():
    starts = np.array([[0.0, 0.0], [1e-3, 0.0], [5e5, 0.0]])
    paths = descend(BOWL, starts, lr=0.4, steps=100, tol=1e-8)
    assert paths[0].steps == 0 and paths[0].status == "converged"
    assert 0 < paths[1].steps < 100 and paths[1].status == "converged"
    assert paths[2].status == "converged"
    long = descend(BOWL, starts, lr=1.2, steps=100, tol=1e-8)  # factor −1.4: diverges
    assert [p.status for p in long] == ["converged", "diverged", "diverged"]
    assert long[2].steps < long[1].steps


def test_descend_accepts_an_optimizer_object_but_not_with_extra_settings():
    path = descend(BOWL, [1.0, 1.0], optimizer=momentum(0.1, 0.5), steps=5, tol=0)
    assert path.optimizer == "momentum" and path.hyper == {"lr": 0.1, "beta": 0.5}
    with pytest.raises(ValueError, match="belong to the Optimizer"):
        descend(BOWL, [1.0, 1.0], optimizer=momentum(0.1), lr=0.1)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"optimizer": "gd"}, "needs a learning rate"),
        ({"lr": 0.1, "steps": -1}, "steps"),
        ({"lr": 0.1, "tol": -1.0}, "tol"),
        ({"lr": 0.1, "optimizer": "adagrad"}, "unknown optimizer"),
        ({"lr": 0.1, "gamma": 0.3}, "unknown hyper-parameter"),
    ],
)
def test_descend_rejects_bad_settings_with_a_hint(kwargs, match):
    with pytest.raises(ValueError, match=match):
        descend(BOWL, [1.0, 1.0], **kwargs)


def test_descend_rejects_a_start_where_f_is_not_defined():
    with pytest.raises(ValueError, match="inside the domain"):
        descend(lambda x: np.log(x), [-1.0], lr=0.1)
    with pytest.raises(ValueError, match="shape"):
        descend(BOWL, np.zeros((2, 2, 2)), lr=0.1)


@settings(max_examples=25, deadline=None)
@given(
    st.floats(0.2, 5.0),
    st.floats(0.2, 5.0),
    st.floats(-1.0, 1.0),
    st.tuples(st.floats(-3, 3), st.floats(-3, 3)),
)
def test_gd_with_lr_one_over_the_largest_curvature_solves_random_quadratics(a, c, rho, b):
    off = rho * np.sqrt(a * c) * 0.9  # keeps A = [[a, off], [off, c]] positive definite
    A = np.array([[a, off], [off, c]])
    bvec = np.array(b)
    quad = Exact(
        lambda x, y: 0.5 * (a * x * x + 2 * off * x * y + c * y * y) - bvec[0] * x - bvec[1] * y,
        lambda x, y: (a * x + off * y - bvec[0], off * x + c * y - bvec[1]),
        ("x", "y"),
    )
    lam = np.linalg.eigvalsh(A)
    path = descend(quad, [0.0, 0.0], lr=1 / lam[-1], steps=20000, tol=1e-10)
    assert path.status == "converged"
    np.testing.assert_allclose(path.x, np.linalg.solve(A, bvec), atol=1e-9 / lam[0])


def test_a_thousand_starts_run_as_one_batch_with_full_length_paths():
    # The speed of this batch is measured by `make bench`, not asserted here.
    starts = np.random.default_rng(0).uniform(-3, 3, size=(1000, 2))
    paths = descend(lambda x, y: x**2 + 3 * y**2, starts, lr=0.001, steps=1000, tol=0)
    assert len(paths) == 1000 and all(p.steps == 1000 for p in paths)
    np.testing.assert_allclose(paths[7].points[-1], starts[7] * [(1 - 0.002) ** 1000, (1 - 0.006) ** 1000])
