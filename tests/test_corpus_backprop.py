"""A corpus of lecturers' edits to [backprop]: refused before rendering with the key named, or taught as it is.

Refusals go through the loader only (fast). One edit is rendered (dry run, Chinese, light theme): ReLU with
z < 0, where the unit is flat (∂C/∂w₁ = ∂C/∂b₁ = 0, and the clip says why), and an η so large that the step
raises the cost (the clip says so). A second (Chinese, dark): negative numbers and C near 0, whose long small
numbers must stay readable and inside the frame.
"""

from __future__ import annotations

import json
import re
from types import SimpleNamespace

import numpy as np
import pytest
from manim import tempconfig

from gradcore import backprop as bp
from scenes.backprop import ACTIVATION_ROWS, Backpropagation, teach
from scenes.toolkit.config import ConfigError
from scenes.toolkit.loader import load_scene_config
from scenes.toolkit.testing import check_storyboard, run_scene, toml_text

SECTIONS = ["solve a tiny model", "13,002 parameters", "the chain rule", "a tiny network", "backward", "a nudge",
            "one step for all parameters", "summary"]  # fmt: skip
FLAT = {"activation": "relu", "b1": -1.5, "lr": 3.0}  # z = 0.6 · 1.5 − 1.5 = −0.6


def load(table: dict, tmp_path, others: dict | None = None):
    path = tmp_path / "lecture.toml"
    path.write_text(toml_text({"backprop": table, **(others or {})}), encoding="utf-8")
    return load_scene_config(Backpropagation, path=path)[1]


REFUSED = [  # (lecturer's edit, the key the message must name, words it must hold)
    pytest.param({"activation": "tanh"}, "activation", "'sigmoid', 'relu'", id="unknown-activation"),
    pytest.param({"eps": 0}, "eps", "≥ 1e-6", id="eps-zero"),
    pytest.param({"eps": -0.001}, "eps", "≥ 1e-6", id="eps-negative"),
    pytest.param({"eps": 0.5}, "eps", "at most 0.01", id="eps-too-large"),
    pytest.param({"lr": 0}, "lr", "greater than 0", id="eta-zero"),
    pytest.param({"lr": -0.1}, "lr", "greater than 0", id="eta-negative"),
    pytest.param({"lr": 100}, "lr", "at most 10", id="eta-absurd"),
    pytest.param({"w1": float("nan")}, "w1", "expected a number", id="nan-weight"),
    pytest.param({"b2": float("inf")}, "b2", "expected a number", id="infinite-bias"),
    pytest.param({"w2": 50}, "w2", "at most 10", id="huge-weight"),
    pytest.param({"sample": [1.5]}, "sample", "", id="sample-without-y"),
    pytest.param({"activation": "relu", "b1": -0.9}, "b1", "ReLU's kink", id="relu-on-its-kink"),
    pytest.param({"activation": "relu", "b1": -0.9005}, "eps", "crosses ReLU's kink", id="nudge-across-the-kink"),
    pytest.param({"w1": 6.0, "b1": 0.5}, "b1", "saturates σ", id="saturated-sigmoid"),
    pytest.param({"sample": [1.5, 0.8848468629040038]}, "sample", "C = 0", id="nothing-to-learn"),
    pytest.param({"w1": 9.0, "b1": 0.0, "sample": [4.0, 0.5]}, "b1", "try w1 = 0.225 and b1 = 0.1", id="saturated-far"),
    pytest.param({"data_x": [2, 2, 2], "data_y": [1, 2, 3]}, "data_x", "not determined", id="all-x-equal"),
    pytest.param({"data_x": [1], "data_y": [2]}, "data_x", "at least 2", id="one-data-point"),
    pytest.param({"data_x": [1, 2], "data_y": [1, 2, 3]}, "data_y", "one y per x", id="unequal-data"),
]


@pytest.mark.parametrize(("table", "key", "words"), REFUSED)
def test_an_edit_that_cannot_teach_is_refused_with_its_key(table, key, words, tmp_path):
    with pytest.raises(ConfigError) as refused:
        load(table, tmp_path)
    message = str(refused.value)
    assert "table [backprop]" in message and f"key '{key}'" in message and words in message, message


SUGGESTING = [  # refusals whose suggestion once was refused in turn (found by trying random edits)
    {"activation": "relu", "b1": -0.9},
    {"activation": "relu", "b1": -0.9005},
    {"w1": 6.0, "b1": 0.5},
    {"w1": 8.09, "b1": 6.77, "w2": 8.4, "b2": -6.6, "sample": [3.5, 9.3], "lr": 1e-4, "eps": 1e-4},  # w1 = 0.257
    {"w1": 7.451, "b1": 0.4, "w2": 5.7, "b2": -6.2, "sample": [5.6, -1.1], "lr": 1, "eps": 0.01},
    {"w1": 0.88, "b1": -5.3, "w2": 6.4, "b2": -1.7, "sample": [7.7, 8.9], "lr": 3, "eps": 1e-4},  # 'rounder values'
    {"w1": 9.48, "w2": 6.6, "b2": 9.7, "lr": 0.01, "eps": 0.01},  # only the defaults of the tiny network teach
]


@pytest.mark.parametrize("table", SUGGESTING)
def test_the_values_a_refusal_suggests_are_accepted(table, tmp_path):
    with pytest.raises(ConfigError) as refused:
        load(table, tmp_path)
    suggestion = str(refused.value).split("; try ")[1]
    changes = {k: json.loads(v) for k, v in re.findall(r"(\w+) = (\[[^\]]*\]|[-0-9.e]+)", suggestion)}
    assert changes, suggestion
    accepted = load({**table, **changes}, tmp_path)
    assert all(np.allclose(accepted[k], v) for k, v in changes.items())


def test_the_data_follow_the_parameter_space_table_unless_set(tmp_path):
    p = load({}, tmp_path, {"parameter_space": {"x": [0, 1, 2], "y": [1, 2, 4]}})
    assert np.ravel(p.data_x).tolist() == [0, 1, 2] and np.ravel(p.data_y).tolist() == [1, 2, 4]
    p = load({"data_x": [1, 3], "data_y": [2, 2]}, tmp_path, {"parameter_space": {"x": [0, 1, 2], "y": [1, 2, 4]}})
    assert np.ravel(p.data_x).tolist() == [1, 3]


def test_step_one_claims_no_descent_the_parameter_space_clip_does_not_show(tmp_path):
    from scenes.parameter_space import ParameterSpace, walk

    others = {"parameter_space": {"lr": 0.3}}  # above 2/λmax = 0.24 for its default data: that descent diverges
    path = tmp_path / "lecture.toml"
    path.write_text(toml_text({"backprop": {}, **others}), encoding="utf-8")
    assert walk(load_scene_config(ParameterSpace, path=path)[1]).outcome == "diverged"
    fake = SimpleNamespace(
        settings=SimpleNamespace(path=path), params=load({}, tmp_path, others), say=lambda zh, en: en
    )
    words = Backpropagation.same_data_words(fake)
    assert "least-squares answer" in words and "descent" not in words, words


TAUGHT = [  # (edit, what the step does to the cost, whether the first layer is flat)
    pytest.param({"lr": 5.0}, "higher", False, id="eta-too-large-raises-C"),
    pytest.param({"lr": 1e-5}, "same", False, id="eta-too-small-leaves-C"),
    pytest.param({"activation": "relu"}, "lower", False, id="relu-live"),
    pytest.param({"activation": "relu", "b1": -1.5}, "lower", True, id="relu-flat"),
    pytest.param({"w1": -1.3, "b1": 0.7, "w2": 2.0, "b2": -0.4, "sample": [-0.5, 1.2]}, "lower", False, id="other"),
]


@pytest.mark.parametrize(("table", "outcome", "flat"), TAUGHT)
def test_an_edit_that_can_teach_is_taught_as_gradcore_decides(table, outcome, flat, tmp_path):
    story = teach(load(table, tmp_path))
    assert story.outcome() == outcome
    assert (story.gradient[:2].tolist() == [0.0, 0.0]) == flat
    assert story.disagreeing() == [] and story.unrounded() == []
    numeric = [bp.central_difference(story.theta, n, 1e-6, story.x, story.y, story.kind) for n in bp.PARAMETERS]
    assert np.allclose(story.gradient, numeric, atol=1e-7)


# --- rendered: ReLU flat at z < 0 with an η that raises C -------------------------------------------------


@pytest.fixture(scope="module")
def flat():
    with tempconfig({"skip_animations": True}):
        return run_scene(Backpropagation, {"backprop": FLAT}, language="zh", theme="light", captions=False)


def test_the_flat_edit_keeps_the_storyboard_and_passes_the_layout_gate(flat):
    check_storyboard(flat, SECTIONS)


def test_the_flat_unit_is_explained_and_its_first_layer_components_are_zero(flat):
    assert flat.flat and flat.story.gradient[:2].tolist() == [0.0, 0.0]
    back = next(n for n in flat.narration if n.section == "backward")
    assert "z = −0.6 < 0" in back.zh and "ReLU 是平的" in back.zh and "ReLU is flat" in back.en
    nudge = next(n for n in flat.narration if n.section == "a nudge")
    assert "教不了 w₁ 和 b₁" in nudge.zh and flat.nudge_delta["a"] == 0.0 and flat.nudge_delta["C"] == 0.0
    assert flat.nudge_delta["z"] == pytest.approx(1.5e-3)  # z moves, a does not
    assert (
        "f'(z) = 1 thick (z > 0), quad 0 thick (z < 0)" in ACTIVATION_ROWS["relu"]
    )  # Typst set '1 (z > 0)' as 1(z > 0)


def test_the_step_that_raises_the_cost_says_eta_is_too_large(flat):
    story = flat.story
    assert story.outcome() == "higher" and story.after["C"] > story.net.cost
    line = next(n for n in flat.narration if n.section == "one step for all parameters")
    assert "η 太大" in line.zh and "rises from 0.04 to 1" in line.en
    card = " ".join(getattr(m, "typst_code", "") for m in flat.summary_card.get_family())
    assert "eta = 3" in card and "太大" in card


# --- rendered: negative sample and weights, C near 0, wide data (long numbers in step 1, boxes, checks, nudges) --

OTHER = {"w1": -1.3, "b1": 0.7, "w2": 2.0, "b2": -0.4, "sample": [-0.5, 1.2], "lr": 0.5,  # C = 0.000138
         "data_x": [-11.02, 10.74, 26.72, 19.58, -23.37, 30.18, 9.12, -39.78],  # 557.09 w + 2.77 b = −418.01
         "data_y": [-36.51, -95.54, 29.91, -98.16, 76.25, 37.3, 93.81, 45.17]}  # fmt: skip


def test_long_small_numbers_stay_readable_inside_the_frame():
    """Once the checks ran off the right edge, C = 0.000138 shrank in its box, Δŷ met ΔC under the nodes and
    step 1's equation row of wide data shrank below the readable size."""
    with tempconfig({"skip_animations": True}):
        scene = run_scene(Backpropagation, {"backprop": OTHER}, language="zh", theme="dark", captions=True)
    check_storyboard(scene, SECTIONS)
    assert bp.round_shown(scene.story.net.cost, 2) == 0.000138 and scene.story.outcome() == "lower"
