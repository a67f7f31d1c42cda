"""A corpus of lecturers' edits to [perceptron]: refused before rendering with the key named, or taught
as it happens, every claim checked against gradcore.

Refusals go through the loader only (fast). One edit is rendered (dry run, Chinese, light theme): data
that no line separates (the XOR corners), which training must end honestly at ``steps`` with the count
of samples still misclassified, and a start at which only one worked-example sample counts.
"""

from __future__ import annotations

import json
import re
from types import SimpleNamespace

import numpy as np
import pytest
from manim import Text, tempconfig

from gradcore import perceptron_training as pt
from gradcore.models import perceptron
from scenes.perceptron import Perceptron
from scenes.toolkit.config import ConfigError
from scenes.toolkit.loader import load_scene_config
from scenes.toolkit.testing import check_storyboard, run_scene, toml_text

SECTIONS = ["the model", "the loss", "the gradient", "one update", "training", "the landscape", "summary"]
XOR = {"samples": [[0, 0], [2, 2], [0, 2], [2, 0], [1, 3]], "labels": [1, 1, -1, -1, 1], "steps": 30,
       "start": [0.5, 0.0, -0.5]}  # fmt: skip


def load(table: dict, tmp_path):
    path = tmp_path / "lecture.toml"
    path.write_text(toml_text({"perceptron": table}), encoding="utf-8")
    return load_scene_config(Perceptron, path=path)[1]


REFUSED = [  # (lecturer's edit, the key the message must name, words it must hold)
    pytest.param({"labels": [0, 1, 1, 0, 0, 1, 0, 1]}, "labels", "+1 or -1", id="labels-0-1"),
    pytest.param({"labels": [1, -1, 1]}, "labels", "3 labels for 8 samples", id="too-few-labels"),
    pytest.param({"samples": [[1, 2]], "labels": [1]}, "samples", "at least 2", id="one-sample"),
    pytest.param({"samples": [[1, 2], [3, float("nan")]], "labels": [1, -1]}, "samples", "", id="nan-sample"),
    pytest.param({"samples": [[1, 2], [float("inf"), 0]], "labels": [1, -1]}, "samples", "", id="infinite-sample"),
    pytest.param({"lr": float("inf")}, "lr", "", id="infinite-eta"),
    pytest.param({"start": [0, float("nan"), 0]}, "start", "", id="nan-start"),
    pytest.param({"labels": [1, 1, 1, 1, 1, 1, 1, 1]}, "labels", "both +1 and -1", id="one-class"),
    pytest.param({"example": [[2, 3], [1, -1], [0, 1]]}, "example", "at most 2", id="three-example-samples"),
    pytest.param({"example_labels": [1, 2]}, "example_labels", "+1 or -1", id="example-label-2"),
    pytest.param({"start": [0.4, 0.4, 0.9]}, "start", "already classifies every sample", id="start-separates"),
    pytest.param({"start": [0.1, 0.4, 0.0]}, "start", "neither example sample", id="example-all-right"),
    pytest.param({"samples": [[0, 0], [500, 1]], "labels": [1, -1]}, "samples", "±100", id="huge-sample"),
    pytest.param({"steps": 500}, "steps", "100", id="too-many-steps"),
    pytest.param({"samples": [[i, i] for i in range(21)], "labels": [1] * 21}, "samples", "at most 20", id="too-many"),
    pytest.param({"lr": 1e-6}, "lr", "try lr = 0.1", id="eta-so-small-every-theta-shows-0"),
    pytest.param(
        {"samples": [[0.001, 0.002], [-0.001, -0.003]], "labels": [1, -1]}, "samples", "±0.1", id="tiny-samples"
    ),
    pytest.param({"example": [[0.002, 0.003], [0.001, -0.001]]}, "example", "scale them up", id="tiny-example"),
]


@pytest.mark.parametrize(("table", "key", "words"), REFUSED)
def test_an_edit_that_cannot_teach_is_refused_with_its_key(table, key, words, tmp_path):
    with pytest.raises(ConfigError) as refused:
        load(table, tmp_path)
    message = str(refused.value)
    assert f"key '{key}'" in message and words in message, message


def test_the_start_suggested_when_the_start_separates_is_accepted(tmp_path):
    with pytest.raises(ConfigError) as refused:
        load({"start": [0.4, 0.4, 0.9]}, tmp_path)
    suggested = str(refused.value).split("try start = ")[1]
    start = [float(v) for v in suggested.strip("[]").split(",")]
    assert load({"start": start}, tmp_path).start.tolist() == start


@pytest.mark.parametrize(
    ("table", "key"),
    [({"example": [[0.002, 0.003], [0.001, -0.001]]}, "example"), ({"lr": 0.0005}, "lr"),
     ({"samples": [[0.001, 0.002], [-0.001, -0.03]], "labels": [1, -1]}, "samples")],
)  # fmt: skip
def test_the_value_suggested_for_tiny_numbers_is_accepted(table, key, tmp_path):
    with pytest.raises(ConfigError) as refused:
        load(table, tmp_path)
    suggested = json.loads(str(refused.value).split(f"try {key} = ")[1])
    assert np.allclose(getattr(load({**table, key: suggested}, tmp_path), key), suggested)


def test_the_map_scales_with_the_run_so_its_flat_part_shows_for_a_small_eta():
    X, y = np.array(Perceptron.parameters["samples"].default, dtype=float), Perceptron.parameters["labels"].default
    boxes, shares = [], []
    for lr in (0.001, 0.1):  # from 0 the run only scales with η, and so does L's slice at the final b
        run = pt.train(X, np.ravel(y), [0.0, 0.0, 0.0], lr=lr, steps=40)
        f = pt.weight_slice(perceptron(X, np.ravel(y)), run.final[2])
        boxes.append(np.ptp(np.array(Perceptron.map_box(SimpleNamespace(run=run, X=X), f)), axis=1))
        shares.append(pt.flat_share(f, Perceptron.map_box(SimpleNamespace(run=run, X=X), f)))
    assert np.allclose(boxes[1], 100 * boxes[0], rtol=0.02) and min(shares) > 0.03, (boxes, shares)


TAUGHT = [  # (edit, gradcore's status, samples still misclassified at the end)
    pytest.param({}, "separated", 0, id="defaults"),
    pytest.param({"lr": 3.0}, "separated", 0, id="from-zero-eta-only-scales-the-walk"),
    pytest.param(XOR, "max_steps", None, id="xor-cannot-be-separated"),
    pytest.param(
        {"samples": [[1, 1], [1, 1], [2, 0]], "labels": [1, -1, 1]}, "max_steps", None, id="same-x-both-labels"
    ),
    pytest.param({"samples": [[1, 0], [-1, 0], [0, 0]], "labels": [1, 1, -1]}, "max_steps", 3, id="w-stays-0"),
]


@pytest.mark.parametrize(("table", "status", "left"), TAUGHT)
def test_an_edit_that_can_teach_is_taught_as_gradcore_decides(table, status, left, tmp_path):
    p = load(table, tmp_path)
    run = pt.train(p.samples, np.ravel(p.labels), p.start, lr=p.lr, steps=p.steps)
    assert run.status == status
    recount = int((perceptron(p.samples, np.ravel(p.labels)).margins(run.final) <= 0).sum())
    assert run.still_wrong == recount and (recount == left if left is not None else recount > 0)
    if table.get("labels") == [1, 1, -1]:  # each update cancels in w: b swings 0 → 0.1 → 0, all on the boundary
        assert np.allclose(run.params[:, :2], 0.0) and run.losses[-1] == 0.0


# --- rendered: the XOR corners, which no line separates ------------------------------------------


def words_on_stage(scene) -> list[str]:
    """The full source of every visible text and formula on stage (Typst without its dollar signs)."""
    return [getattr(m, "typst_code", getattr(m, "original_text", "")).strip(" $")
            for m in scene.get_mobject_family_members() if (isinstance(m, Text) or hasattr(m, "typst_code"))
            and max((part.get_fill_opacity() for part in m.family_members_with_points()), default=0) > 0.05]  # fmt: skip


def probe(scene):
    scene.update_mobjects(0)
    shot = {"labels": words_on_stage(scene), "plain": [m.original_text for m in scene.get_mobject_family_members()
                                                       if isinstance(m, Text)]}  # fmt: skip
    if getattr(scene, "counters", None) is not None and scene.counters[0] in scene.get_mobject_family_members():
        shot["counters"] = [c.number.get_value() for c in scene.counters]
    return shot


@pytest.fixture(scope="module")
def xor_scene():
    with tempconfig({"skip_animations": True}):
        return run_scene(Perceptron, {"perceptron": XOR}, language="zh", theme="light", probe=probe)


def test_data_no_line_separates_are_taught_honestly_out_of_steps_with_the_count_left(xor_scene):
    check_storyboard(xor_scene, SECTIONS)
    run = xor_scene.run
    assert run.status == "max_steps" and run.steps == 30 and run.still_wrong > 0
    last = [s for s in xor_scene.snapshots if "counters" in s][-1]["counters"]
    assert last[0] == 30 and last[1] == run.still_wrong
    lines = {line.section: line for line in xor_scene.narration}
    assert f"仍有 {run.still_wrong} 个分错" in lines["training"].zh
    assert f"{run.still_wrong} still misclassified" in lines["training"].en
    assert "every w here misclassifies a sample" in lines["the landscape"].en  # no part of the map is flat at 0
    f = pt.weight_slice(xor_scene.L, run.final[2])
    assert pt.flat_share(f, xor_scene.landscape_view.box) == 0.0 and float(f(*run.final[:2])) > 0


def test_a_start_at_which_one_example_sample_counts_sums_only_that_one(xor_scene):
    EL = perceptron([[2.0, 3.0], [1.0, -1.0]], [1, -1])
    start = [0.5, 0.0, -0.5]  # x₁: 0.5 > 0 is right; x₂: −1·0 = 0 ≤ 0 counts
    assert pt.misclassified(EL, start).tolist() == [False, True]
    assert EL.gradient(start).tolist() == [1.0, -1.0, 1.0]  # −y₂(x₂, 1) alone
    assert "只有 x₂ 算分错" in {line.section: line for line in xor_scene.narration}["the gradient"].zh
    words = {name for shot in xor_scene.snapshots for name in shot["labels"]}
    assert "(partial L)/(partial w) = (1, −1), (partial L)/(partial b) = 1" in words


def test_no_plain_text_shows_raw_markup_and_the_right_sample_is_written_so(xor_scene):
    plain = {text for shot in xor_scene.snapshots for text in shot["plain"]}
    assert not [text for text in plain if any(mark in text for mark in ("_", "$", "\\"))], plain
    words = {name for shot in xor_scene.snapshots for name in shot["labels"]}
    assert any("分对了：不计入" in w and "$x_1$" in f"${w}" for w in words), words
    assert any(w.startswith("第 ") and "次更新后" in w for w in words)  # step 1 names the update it shows


# --- rendered: numbers with decimals, η with 4 significant digits, one sample far out ---------------

WIDE = {"samples": [[1.25, -2.75], [0.5, 1.75], [-1.5, 0.25], [2.125, 1.5], [60, -100]], "labels": [1, -1, -1, 1, 1],
        "start": [-0.25, 0.5, 0.125], "example": [[1.25, -2.75], [0.5, 1.75]], "lr": 0.1234, "steps": 12}  # fmt: skip


@pytest.fixture(scope="module")
def wide_scene():
    with tempconfig({"skip_animations": True}):
        return run_scene(Perceptron, {"perceptron": WIDE}, language="en", theme="dark", probe=probe)


def test_wide_numbers_keep_the_tick_numbers_in_the_frame_and_the_rows_readable(wide_scene):
    check_storyboard(wide_scene, SECTIONS)  # the layout gate: '−100' in the safe area, rows broken not shrunk
    (x0, _), (y0, _) = wide_scene.plane.box
    assert wide_scene.plane.view.point([x0, y0])[0] > -3.85 - 4.9 / 2 + 0.05  # the plane moved right to make room
    words = {w for s in wide_scene.snapshots for w in s["labels"]}
    assert any(w.startswith("= (") for w in words) and any(
        w.startswith("y_1 (w dot x_1 + b) = −1.5625 <= 0") for w in words
    )


def test_eta_is_shown_exactly_and_the_update_row_checks_with_its_rounded_numbers(wide_scene):
    line = {line.section: line for line in wide_scene.narration}["one update"]
    assert "η = 0.1234" in line.en and "times" not in line.en and "η = 0.1234" in line.zh
    words = [w for s in wide_scene.snapshots if s["section"] == "one update" for w in s["labels"]]
    row = " ".join(dict.fromkeys(w for w in words if w.startswith(("w = (", "= ("))))
    numbers = [float(v.replace("−", "-")) for v in re.findall(r"−?\d+(?:\.\d+)?", row)]
    w0, eta, g, w1 = np.array(numbers[0:2]), numbers[2], np.array(numbers[3:5]), np.array(numbers[5:7])
    assert eta == 0.1234 and np.allclose(w0, WIDE["start"][:2])
    decimals = max(len(v.split(".")[1]) if "." in v else 0 for v in re.findall(r"\d+(?:\.\d+)?", row)[5:7])
    assert np.all(np.abs(w0 - eta * g - w1) <= 0.5 * 10.0**-decimals + 1e-12), row


def test_a_loss_of_one_term_is_written_once(wide_scene):
    k = pt.loss_example_step(wide_scene.run, wide_scene.L)
    assert wide_scene.run.wrong[k].sum() == 1  # one sample on the wrong side: L is its term
    words = {w for s in wide_scene.snapshots if s["section"] == "the loss" for w in s["labels"]}
    value = [w for w in words if w.startswith("L = ")]
    assert len(value) == 1 and value[0].count("=") == 1, value
