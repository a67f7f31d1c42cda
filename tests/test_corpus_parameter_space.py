"""A corpus of lecturers' edits to [parameter_space]: refused before rendering with the key named, or taught
as it happens, every claim checked against gradcore.

Refusals go through the loader only (fast). Outcomes of the walk (crawling, zig-zagging, close, diverging)
are checked on gradcore's decision alone; one edit is rendered (dry run, Chinese, light theme): centred data
(mean x = 0, so the sequential update happens to agree) with an η that diverges.
"""

from __future__ import annotations

import numpy as np
import pytest
from manim import DecimalNumber, ValueTracker

import gradcore
from scenes.parameter_space import ARRIVE_SHARE, COMPARE_STEPS, ParameterSpace, walk
from scenes.toolkit.config import ConfigError
from scenes.toolkit.loader import load_scene_config
from scenes.toolkit.testing import check_storyboard, run_scene, toml_text

SECTIONS = ["the flip", "data space", "one point, one line", "two components", "descent", "update both at once",
            "summary"]  # fmt: skip
CENTRED = {"x": [-1.5, -0.5, 0.5, 1.5], "y": [0.5, 1.8, 2.2, 3.9], "start": [-1.0, 3.0], "lr": 1.7}


def load(table: dict, tmp_path):
    path = tmp_path / "lecture.toml"
    path.write_text(toml_text({"parameter_space": table}), encoding="utf-8")
    return load_scene_config(ParameterSpace, path=path)[1]


REFUSED = [  # (lecturer's edit, the key the message must name, words it must hold)
    pytest.param({"x": [1.0], "y": [3.0]}, "x", "at least 2", id="one-point"),
    pytest.param({"x": [1, 2, 3], "y": [1, 2]}, "y", "2 values of y for 3", id="unequal-lengths"),
    pytest.param({"x": [2, 2, 2], "y": [1, 2, 3]}, "x", "not determined", id="all-x-equal"),
    pytest.param({"x": [1, 2, float("inf")], "y": [1, 2, 3]}, "x", "", id="infinite-x"),
    pytest.param({"y": [1, 2, float("nan"), 4]}, "y", "", id="nan-y"),
    pytest.param({"x": list(range(41)), "y": list(range(41))}, "x", "at most 40", id="too-many-points"),
    pytest.param({"start": [2.0, 1.0]}, "start", "already the least-squares answer", id="start-at-the-answer"),
    pytest.param({"w_range": [5, 6]}, "w_range", "try w_range = ", id="map-without-the-answer"),
    pytest.param({"b_range": [-10, -5]}, "b_range", "outside", id="map-without-the-start"),
    pytest.param({"x": [1e5, 2e5], "y": [1, 2]}, "x", "±1000", id="huge-x"),
    pytest.param({"x": [0, 1000], "y": [0, 1], "start": [1000, 0]}, "start", "J reaches", id="start-so-far-J-is-huge"),
    pytest.param({"lr": 1e4}, "lr", "at most 1000", id="absurd-eta"),
    pytest.param({"steps": 1000}, "steps", "≤ 400", id="too-many-steps"),
    pytest.param({"w_range": "wide"}, "w_range", '"auto" or a range', id="range-word"),
]


@pytest.mark.parametrize(("table", "key", "words"), REFUSED)
def test_an_edit_that_cannot_teach_is_refused_with_its_key(table, key, words, tmp_path):
    with pytest.raises(ConfigError) as refused:
        load(table, tmp_path)
    message = str(refused.value)
    assert f"key '{key}'" in message and words in message, message


def test_the_start_suggested_for_a_start_at_the_answer_is_accepted(tmp_path):
    with pytest.raises(ConfigError) as refused:
        load({"start": [2.0, 1.0]}, tmp_path)
    suggested = str(refused.value).split("try start = ")[1]
    start = [float(v) for v in suggested.strip("[]").split(",")]
    assert load({"start": start}, tmp_path).start.tolist() == start


TAUGHT = [  # (edit, the outcome gradcore decides, what must hold of the walk)
    pytest.param({"lr": 0.001, "steps": 50}, "crawling", id="tiny-eta-crawls"),
    pytest.param({"lr": 0.235, "steps": 60}, "oscillating", id="eta-just-below-the-bound-zig-zags"),
    pytest.param({"lr": 0.1, "steps": 120}, "close", id="out-of-steps-near-the-answer"),
    pytest.param({"lr": 0.3}, "diverged", id="eta-above-the-bound-diverges"),
    pytest.param(
        {"x": [0, 1, 2, 3, 4, 5], "y": [1.2, 1.9, 3.2, 3.8, 5.1, 6.0], "start": [-3, 8]},
        "arrived",
        id="other-data-far-start",
    ),  # fmt: skip
]


@pytest.mark.parametrize(("table", "outcome"), TAUGHT)
def test_an_edit_that_can_teach_is_taught_as_gradcore_decides(table, outcome, tmp_path):
    p = load(table, tmp_path)
    lesson = walk(p)
    assert lesson.outcome == outcome
    answer = gradcore.least_squares(np.ravel(p.x), np.ravel(p.y))
    distance = np.linalg.norm(lesson.run.x - answer)
    if outcome == "arrived":
        assert distance <= ARRIVE_SHARE * np.linalg.norm(p.start - answer) + 1e-12
    if outcome == "diverged":
        assert p.lr > lesson.lr_bound  # 2/λmax, the bound the summary card states
    else:
        assert p.lr < lesson.lr_bound
    assert np.all(np.isfinite(lesson.run.points)) and np.all(np.isfinite(lesson.run.values))


# --- rendered: centred data (mean x = 0) with a diverging η ------------------------------------------


def probe(scene):
    scene.update_mobjects(0)
    family = scene.get_mobject_family_members()
    points = [m.points for m in family if len(m.points) and not isinstance(m, ValueTracker)]
    numbers = [m.get_value() for m in family if isinstance(m, DecimalNumber)]
    stacked = np.concatenate(points) if points else np.zeros((0, 3))
    return {"finite": bool(np.all(np.isfinite(stacked))) and bool(np.all(np.isfinite(numbers)))}


@pytest.fixture(scope="module")
def centred():
    return run_scene(ParameterSpace, {"parameter_space": CENTRED}, language="zh", theme="light", captions=False,
                     probe=probe)  # fmt: skip


def test_the_centred_diverging_edit_keeps_the_storyboard_and_every_number_on_screen_finite(centred):
    check_storyboard(centred, SECTIONS)
    assert all(shot["finite"] for shot in centred.snapshots)


def test_the_descent_line_says_it_diverges_and_the_end_note_gives_gradcores_status(centred):
    lesson = centred.lesson
    assert lesson.outcome == "diverged" and lesson.run.status == "diverged"
    line = next(n for n in centred.narration if n.section == "descent")
    assert "η = 1.7" in line.zh and "冲出了地图" in line.zh and "flies off the map" in line.en
    assert centred.roll.exit_step is not None
    texts = [m.original_text for m in centred.descent_column.get_family() if hasattr(m, "original_text")]
    assert any(f"第 {centred.roll.exit_step} 步离开地图" in t and "发散" in t for t in texts), texts


def test_with_mean_x_zero_the_narration_says_both_orders_agree_and_the_paths_are_equal(centred):
    lesson = centred.lesson
    assert lesson.same_why == "mean" and lesson.order == "same"
    line = next(n for n in centred.narration if n.section == "update both at once")
    assert "x 的平均值是 0" in line.zh and "mean(x) = 0" in line.en
    steps = min(len(lesson.right.points), len(lesson.wrong.points), COMPARE_STEPS)
    assert np.allclose(lesson.right.points[:steps], lesson.wrong.points[:steps])


def test_the_summary_states_the_bound_two_over_lambda_max_that_the_diverging_eta_broke(centred):
    x = np.array(CENTRED["x"])
    bound = 2 / max(np.mean(x**2), 1.0)  # Hessian [[mean x², mean x], [mean x, 1]] with mean x = 0
    assert centred.lesson.lr_bound == pytest.approx(bound)
    card = " ".join(getattr(m, "typst_code", "") for m in centred.summary_card.get_family())
    assert "eta = 1.7" in card and f"{bound:.3g}" in card
