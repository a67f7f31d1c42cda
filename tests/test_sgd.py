"""gradcore.sgd on descend's loop: seeded shuffles once per epoch, the full batch is batch GD, a decaying η.

And gradcore.stochastic, the lesson StochasticDescent shows: samples processed, when each path came close,
how much it still jitters. Every expectation is computed independently (a loop written out here, closed forms).
"""

from __future__ import annotations

import numpy as np
import pytest

from gradcore.descent import STOP_REASONS, descend
from gradcore.models import linear_regression
from gradcore.sgd import MAX_UPDATES, batch_gradients, epoch_batches, inverse_decay, noisy_line, sgd
from gradcore.stochastic import CLOSE, divisors_near, lesson, problem, settle_case

X, Y = noisy_line(100, w=2.0, b=1.0, noise=0.5, seed=7)
START = np.array([-1.0, -1.5])


def hand_sgd(start, lr, epochs, size, seed, decay=0.0):
    """SGD written out sample by sample: one permutation per epoch, η_t = η₀/(1 + d t), t in epochs."""
    rng, theta, points, k = np.random.default_rng(seed), np.array(start, dtype=float), [np.array(start)], 0
    per_epoch = len(Y) // size
    for _ in range(epochs):
        order = rng.permutation(len(Y))
        for i in range(per_epoch):
            idx = order[i * size : (i + 1) * size]
            residual = theta[0] * X[idx] + theta[1] - Y[idx]
            grad = np.array([np.mean(residual * X[idx]), np.mean(residual)])
            theta = theta - lr / (1 + decay * k / per_epoch) * grad
            points.append(theta)
            k += 1
    return np.array(points)


def test_a_batch_the_size_of_the_data_set_is_exactly_batch_gradient_descent():
    path = sgd(linear_regression, X, Y, START, lr=0.2, epochs=12, batch_size=100, seed=3)
    reference = descend(linear_regression(X, Y), START, lr=0.2, steps=12, tol=0)
    np.testing.assert_array_equal(path.points, reference.points)
    np.testing.assert_array_equal(path.values, reference.values)
    assert path.status == reference.status == "max_steps" and path.message == reference.message


@pytest.mark.parametrize(("size", "decay"), [(1, 0.0), (10, 0.0), (1, 1.0), (20, 0.5)])
def test_sgd_takes_the_steps_of_the_hand_written_loop(size, decay):
    path = sgd(linear_regression, X, Y, START, lr=0.1, epochs=3, batch_size=size, seed=11, decay=decay)
    np.testing.assert_allclose(path.points, hand_sgd(START, 0.1, 3, size, 11, decay), rtol=1e-12, atol=1e-12)


def test_each_epoch_visits_every_sample_once_in_a_new_order_and_the_seed_repeats_them():
    batches = epoch_batches(np.random.default_rng(5), 100, 10, 3)
    epochs = [np.concatenate(batches[i * 10 : (i + 1) * 10]) for i in range(3)]
    for order in epochs:
        assert sorted(order.tolist()) == list(range(100))
    assert not np.array_equal(epochs[0], epochs[1])
    again = epoch_batches(np.random.default_rng(5), 100, 10, 3)
    assert all(np.array_equal(a, b) for a, b in zip(batches, again, strict=True))


def test_the_mean_of_one_epochs_batch_gradients_is_the_full_gradient():
    J, theta = linear_regression(X, Y), np.array([0.3, -0.7])
    for size in (1, 4, 10, 50):
        grads, sizes = batch_gradients(linear_regression, X, Y, theta, size, seed=2)
        assert len(grads) == 100 // size and set(sizes.tolist()) == {size}
        np.testing.assert_allclose(grads.mean(axis=0), J.gradient(theta), rtol=1e-12, atol=1e-12)
        assert np.abs(grads - J.gradient(theta)).max() > 1e-3  # and each one is only an estimate
    grads, sizes = batch_gradients(linear_regression, X, Y, theta, 30, seed=2)  # 30, 30, 30, 10
    np.testing.assert_allclose(sizes @ grads / 100, J.gradient(theta), rtol=1e-12, atol=1e-12)


def test_the_first_mini_batch_step_follows_the_first_batch_gradient_drawn():
    grads, _ = batch_gradients(linear_regression, X, Y, START, 10, seed=7)
    path = sgd(linear_regression, X, Y, START, lr=0.2, epochs=1, batch_size=10, seed=7)
    np.testing.assert_allclose(path.points[1], START - 0.2 * grads[0], rtol=1e-14)


def test_the_decay_schedule_halves_eta_after_one_over_d_epochs():
    eta = inverse_decay(0.2, 0.5, per_epoch=100)
    assert eta(0) == 0.2 and eta(200) == pytest.approx(0.1) and eta(1800) == pytest.approx(0.02)
    with pytest.raises(ValueError, match="decay"):
        inverse_decay(0.2, -1.0)


def test_sgd_shares_descends_stop_reasons_and_refuses_runs_too_long_to_make():
    path = sgd(linear_regression, X, Y * 1e3, START, lr=50.0, epochs=5, batch_size=1)
    assert path.status == "diverged" and path.message.startswith(STOP_REASONS["diverged"][:15])
    assert np.all(np.isfinite(path.points))
    converged = sgd(linear_regression, X, Y, START, lr=0.2, epochs=200, batch_size=100, tol=1e-3)
    assert converged.status == "converged" and np.linalg.norm(converged.jac) < 1e-3
    with pytest.raises(ValueError, match="exceed"):
        sgd(linear_regression, X, Y, START, lr=0.1, epochs=MAX_UPDATES // 50, batch_size=1)


def test_noisy_line_repeats_from_its_seed_and_without_noise_lies_on_the_line():
    a, b = noisy_line(50, w=-1.0, b=3.0, noise=0.2, seed=9), noisy_line(50, w=-1.0, b=3.0, noise=0.2, seed=9)
    assert all(np.array_equal(u, v) for u, v in zip(a, b, strict=True))
    x, y = noisy_line(50, w=-1.0, b=3.0, noise=0.0, seed=9)
    np.testing.assert_allclose(y, -x + 3.0, atol=1e-12)
    assert x.min() >= 0 and x.max() <= 2
    residual = a[1] - (-a[0] + 3.0)
    assert 0.1 < residual.std() < 0.3  # noise 0.2, 50 samples
    with pytest.raises(ValueError, match="noise"):
        noisy_line(5, w=1, b=0, noise=-0.1, seed=0)


def test_the_lesson_counts_samples_and_finds_when_each_path_came_close():
    story = lesson(100, 0.5, 7, (2.0, 1.0), START, 0.2, (100, 10, 1), 10, 1.0)
    J, J0 = story.loss, float(story.loss(*START))
    for race in story.races:
        assert race.samples[-1] == 1000 and len(race.path.points) == 1000 // race.batch_size + 1
        gap = (race.path.values - J.minimum_value) / (J0 - J.minimum_value)
        first = int(np.argmax(gap <= CLOSE))
        assert race.reached == first * race.batch_size and gap[first - 1] > CLOSE
    assert [r.name for r in story.races] == ["batch", "mini", "single"]
    assert story.races[2].reached < story.races[1].reached < story.races[0].reached
    np.testing.assert_allclose(story.decayed.path.points, hand_sgd(START, 0.2, 10, 1, 7, decay=1.0), atol=1e-12)


def test_settling_is_decided_by_the_last_epochs_spread():
    assert settle_case(0.2, 0.05, 3.0) == "settles" and settle_case(0.2, 0.15, 3.0) == "slow"
    assert settle_case(1e-4, 1e-5, 3.0) == "small" and settle_case(1e-4, 1e-5, 3.0, exact=True) == "exact"


def test_problems_name_the_key_and_offer_a_value_that_works():
    base = (100, 0.5, 7, (2.0, 1.0), [-1.0, -1.5], 0.2, (100, 10, 1), 10, 1.0)
    assert problem(*base) is None

    def with_(**change):
        names = ["n", "noise", "seed", "line", "start", "lr", "batch_sizes", "epochs", "decay"]
        values = dict(zip(names, base, strict=True)) | change
        return problem(*values.values())

    assert with_(batch_sizes=(100, 30))[0] == "batch_sizes" and "25 or 50" in with_(batch_sizes=(100, 30))[1]
    assert "more than" in with_(batch_sizes=(200,))[1] and "two or three" in with_(batch_sizes=(100,))[1]
    assert "once" in with_(batch_sizes=(10, 10))[1]
    key, message = with_(lr=5.0)
    assert key == "lr" and "diverges" in message
    safe = float(message.split("try lr = ")[1])
    assert with_(lr=safe) is None
    story = lesson(*base)
    assert with_(start=list(story.answer))[0] == "start"
    assert divisors_near(12, 5) == [4, 6]
