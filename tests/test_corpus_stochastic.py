"""A corpus of lecturers' edits to [stochastic]: refused before rendering with the key named, or taught as
it happens, every claim checked against gradcore.

Refusals go through the loader only; what the narration of other configs says is decided by gradcore and
the scene's case functions; one edit (other data, seed and start, where the decay stalls the path) is
dry-run in Chinese with the light theme, and passes the layout gate.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest
from manim import tempconfig

import gradcore.stochastic as gs
from scenes.stochastic import SETTLE_LINES, SUMMARY_LINES, WORK_LINES, StochasticDescent, work_case
from scenes.toolkit.config import ConfigError
from scenes.toolkit.loader import load_scene_config
from scenes.toolkit.testing import check_storyboard, run_scene, toml_text
from scenes.toolkit.text import SIZE, math, wrap
from scenes.toolkit.theme import DARK, LIGHT

DEFAULTS = {name: spec.default for name, spec in StochasticDescent.parameters.items()}
OTHER = {"samples": 60, "noise": 1.0, "seed": 3, "line": [-1.0, 2.0], "start": [1.0, -1.0], "batch_sizes": [60, 6, 1],
         "lr": 0.1}  # fmt: skip


def load(table: dict, tmp_path):
    path = tmp_path / "lecture.toml"
    path.write_text(toml_text({"stochastic": table}), encoding="utf-8")
    return load_scene_config(StochasticDescent, path=path)[1]


def story(**change):
    p = {**DEFAULTS, **change}
    return gs.lesson(p["samples"], p["noise"], p["seed"], tuple(p["line"]), np.array(p["start"]), p["lr"],
                     tuple(p["batch_sizes"]), p["epochs"], p["decay"])  # fmt: skip


REFUSED = [  # (lecturer's edit, the key the message must name, words it must hold)
    pytest.param({"batch_sizes": [100, 30]}, "batch_sizes", "try 25 or 50", id="size-not-dividing"),
    pytest.param({"batch_sizes": [200, 10]}, "batch_sizes", "more than the 100 samples", id="size-above-n"),
    pytest.param({"batch_sizes": [0, 10]}, "batch_sizes", "greater than 0", id="size-zero"),
    pytest.param({"batch_sizes": [-5]}, "batch_sizes", "greater than 0", id="size-negative"),
    pytest.param({"batch_sizes": [2.5, 10]}, "batch_sizes", "whole number", id="size-fraction"),
    pytest.param({"batch_sizes": [10, 10]}, "batch_sizes", "once", id="size-twice"),
    pytest.param({"batch_sizes": [100, 100]}, "batch_sizes", "once", id="only-the-full-batch-twice"),
    pytest.param({"batch_sizes": [1]}, "batch_sizes", "two or three", id="one-size-nothing-to-compare"),
    pytest.param({"batch_sizes": [200, 100]}, "batch_sizes", "more than", id="none-below-samples"),
    pytest.param({"batch_sizes": [100, 50, 10, 1]}, "batch_sizes", "at most 3", id="four-sizes"),
    pytest.param({"samples": 5}, "samples", "≥ 10", id="too-few-samples"),
    pytest.param({"samples": 5000}, "samples", "≤ 400", id="too-many-samples"),
    pytest.param({"noise": -0.1}, "noise", "≥ 0", id="negative-noise"),
    pytest.param({"epochs": 1000}, "epochs", "≤ 30", id="epochs-capped"),
    pytest.param({"lr": 5.0}, "lr", "diverges", id="eta-that-diverges"),
    pytest.param({"decay": 0}, "decay", "greater than 0", id="no-decay"),
    pytest.param({"line": [1000.0, 0.0]}, "line", "±100", id="huge-line"),
    pytest.param({"start": [2.0]}, "start", "a point", id="start-one-number"),
    pytest.param({"seed": -1}, "seed", "≥ 0", id="negative-seed"),
]


@pytest.mark.parametrize(("table", "key", "words"), REFUSED)
def test_an_edit_that_cannot_teach_is_refused_with_its_key(table, key, words, tmp_path):
    with pytest.raises(ConfigError) as refused:
        load(table, tmp_path)
    message = str(refused.value)
    assert f"key '{key}'" in message and words in message, message


def test_the_values_suggested_by_refusals_are_accepted(tmp_path):
    with pytest.raises(ConfigError) as refused:
        load({"lr": 5.0}, tmp_path)
    lr = float(str(refused.value).split("try lr = ")[1])
    assert load({"lr": lr}, tmp_path).lr == lr
    answer = story().answer
    with pytest.raises(ConfigError, match="key 'start'") as refused:
        load({"start": [float(v) for v in answer]}, tmp_path)
    suggested = str(refused.value).split("try start = ")[1]
    assert load({"start": [float(v) for v in suggested.strip("[]").split(",")]}, tmp_path) is not None
    edge = {"line": [-100.0, -100.0], "noise": 0.0}  # the answer at the edge: w − 3 = −103 was once suggested
    with pytest.raises(ConfigError, match="key 'start'") as refused:
        load({**edge, "start": [-100.0, -100.0]}, tmp_path)
    suggested = str(refused.value).split("try start = ")[1]
    assert load({**edge, "start": [float(v) for v in suggested.strip("[]").split(",")]}, tmp_path) is not None


def words_fill(lines: tuple[str, str], words: dict[str, str]) -> tuple[str, str]:
    zh, en = lines
    return zh.format(**words), en.format(**words)


@pytest.mark.parametrize(
    ("change", "case"),
    [
        pytest.param({}, "sooner", id="defaults"),
        pytest.param({"batch_sizes": [20, 5]}, "sooner", id="no-full-batch"),
        pytest.param({"lr": 0.001, "epochs": 2}, "none", id="tiny-eta-nobody-close"),
        pytest.param({"lr": 0.02, "epochs": 3}, "never", id="small-eta-batch-never-close"),
    ],
)
def test_the_work_line_is_the_one_gradcore_numbers_make_true(change, case, tmp_path):
    load(change, tmp_path)  # accepted
    s = story(**change)
    p = {**DEFAULTS, **change}
    found, words = work_case(s.races, p["lr"], p["samples"] * p["epochs"])
    assert found == case
    zh, en = words_fill(WORK_LINES[found], words)
    for line, language in ((zh, "zh"), (en, "en")):
        assert len(wrap(line, language).split("\n")) <= 2, line
    reached = {r.batch_size: r.reached for r in s.races}
    if case in ("sooner", "never"):
        smallest = min(reached)
        assert f"B = {smallest}" in en and str(reached[smallest]) in en
        assert all(v is None or v >= reached[smallest] for v in reached.values())
    if case == "none":
        assert all(v is None for v in reached.values())


@pytest.mark.parametrize(
    ("change", "case"),
    [
        pytest.param({}, "settles", id="defaults"),
        pytest.param({"noise": 0.0}, "exact", id="no-noise"),
        pytest.param({"batch_sizes": [20, 5]}, "small", id="batches-average-the-noise"),
        pytest.param({"batch_sizes": [100, 50]}, "small", id="half-batches-jitter-little"),
        pytest.param(
            {"noise": 5.0, "line": [100.0, 100.0], "start": [-100.0, -100.0]},
            "small",
            id="single-samples-jitter-little-next-to-a-long-way",
        ),  # fmt: skip
        pytest.param({"lr": 0.001, "epochs": 2}, "far", id="tiny-eta-not-arrived"),
        pytest.param({"noise": 0.0, "lr": 1e-4, "epochs": 2}, "far", id="noise-free-but-not-arrived"),
        pytest.param({"noise": 5.0, "lr": 0.5}, "settles", id="arrived-then-wide-jitter-is-not-far"),
        pytest.param({"samples": 10, "epochs": 1, "batch_sizes": [10, 1]}, "far", id="one-epoch-is-all-approach"),
        pytest.param(OTHER, "stalled", id="decay-too-fast-for-other-data"),
        pytest.param({"decay": 100.0}, "stalled", id="decay-far-too-fast-ends-farther"),
        pytest.param({"decay": 0.001}, "slow", id="decay-too-slow"),
    ],
)
def test_the_settling_line_follows_the_last_epochs_spread(change, case, tmp_path):
    load(change, tmp_path)
    s = story(**change)
    start = np.array({**DEFAULTS, **change}["start"], dtype=float)
    found, constant, decayed = gs.settling(s, start)
    assert found == case and case in SETTLE_LINES
    assert constant == gs.spread(s.noisiest, s.answer, s.loss.m) and decayed == gs.spread(s.decayed, s.answer, s.loss.m)
    before_last = ({**DEFAULTS, **change}["epochs"] - 1) * s.loss.m  # the last epoch's spread is jitter only after
    arrived = any(r.reached is not None and r.reached <= before_last for r in (s.noisiest, s.decayed))
    if case == "far":  # "still on their way": neither came 99 % of the way down before the last epoch
        assert not arrived
    if case in ("exact", "settles", "slow"):  # these lines say the path reached the minimum (or jitters near it)
        assert arrived
    if case == "stalled":
        assert decayed > constant
    if case == "slow":  # "the decay changes little": neither halves nor grows the spread much
        assert 0.5 * constant < decayed <= gs.STALLED * constant
    if case == "settles":
        assert decayed <= 0.5 * constant
    if case == "small":  # a small jitter next to the way travelled, whatever the batch (B = 1 too): no batch claim
        assert constant <= gs.STILL * float(np.linalg.norm(start - s.answer))
        assert "batches" not in SETTLE_LINES["small"][1] and "批量" not in SETTLE_LINES["small"][0]
    zh, en = SUMMARY_LINES["settles" if case == "settles" else "other"]
    assert ("settles at the minimum" in en) == (case == "settles")
    for line, language in ((zh, "zh"), (en, "en")):
        assert len(wrap(line, language).split("\n")) <= 2, line  # the caption band holds two lines


def test_other_data_and_seed_are_accepted_and_drawn_from_the_seed(tmp_path):
    assert load(OTHER, tmp_path).samples == 60
    a, b = story(**OTHER), story(**OTHER)
    for r, q in zip(a.races, b.races, strict=True):
        np.testing.assert_array_equal(r.path.points, q.path.points)
    assert len(a.races[2].path.points) == 10 * 60 + 1


def test_other_data_are_taught_in_chinese_on_the_light_theme_and_pass_the_layout_gate():
    with tempconfig({"skip_animations": True}):
        scene = run_scene(StochasticDescent, {"stochastic": OTHER}, language="zh", theme="light")
    check_storyboard(scene, [line.section for line in scene.narration])
    assert len(scene.narration) == 6 and scene.settle == "stalled"
    s = story(**OTHER)
    for trace, race in zip(scene.traces, s.races, strict=True):
        np.testing.assert_array_equal(trace.points, race.path.points)
    settle = next(line.zh for line in scene.narration if line.section == "settling down")
    assert settle.startswith("d = 1 时 η 减小得太快") and "B = 60" in scene.narration[3].zh
    assert "直线 y = −x + 2，再加上噪声（σ = 1）" in scene.narration[0].zh


@pytest.mark.parametrize("most", [1000, 3000, 12000, 8000, 400])
def test_the_loss_charts_sample_ticks_never_touch(most):
    """400 samples × 30 epochs once set 5000 and 10000 side by side on 2.8 units ("500010000")."""
    from scenes.stochastic import CHART_CENTRE, CHART_SIZE
    from scenes.toolkit.sgd_views import TICK_GAP, LogChart

    chart = LogChart(most, 0.1, 100.0, centre=CHART_CENTRE, size=CHART_SIZE, palette=DARK)
    ticks = chart.sample_ticks(lambda text: math(text, color=DARK.muted, size=SIZE.BODY))
    assert len(ticks) >= 2  # 0 and at least one round count
    for a, b in pairwise(ticks):
        assert b.get_left()[0] - a.get_right()[0] >= TICK_GAP


def test_the_zoom_of_a_path_that_has_not_arrived_stays_on_the_map():
    """η = 10⁻⁴ on noise-free data: the last epoch still sits near θ₀, and its padded box once ran past the map."""
    from scenes.stochastic import ZOOM_LEAST
    from scenes.toolkit.sgd_views import zoom_box

    change = {"noise": 0.0, "lr": 1e-4, "epochs": 2}
    s = story(**change)
    per = 100 // s.noisiest.batch_size
    last = [r.path.points[-per - 1 :] for r in (s.noisiest, s.decayed)]
    span = max(hi - lo for lo, hi in s.box)
    box = zoom_box(last, s.answer, s.box, ZOOM_LEAST * span)
    for (lo, hi), (low, high), axis in zip(box, s.box, range(2), strict=True):
        assert low <= lo < hi <= high
        shown = np.concatenate([*(p[:, axis] for p in last), [s.answer[axis]]])
        assert lo <= shown.min() and shown.max() <= hi  # every point of the last epochs and θ* still in the zoom


def test_the_99_percent_level_reads_over_the_single_samples_noisy_band():
    """The dashed level once hid under the B = 1 curve's band: it now lies on a wider band of the background."""
    from scenes.stochastic import CHART_CENTRE, CHART_SIZE
    from scenes.toolkit.sgd_views import LogChart

    for palette in (DARK, LIGHT):
        chart = LogChart(1000, 0.1, 100.0, centre=CHART_CENTRE, size=CHART_SIZE, palette=palette)
        under, dashes = chart.level(0.2, palette.good)
        assert under.get_stroke_color().to_hex().lower() == palette.background.lower()
        assert under.get_stroke_width() > 2 * dashes[0].get_stroke_width()
        np.testing.assert_allclose(under.get_start()[1], chart.point(0, 0.2)[1])


def test_the_loss_charts_last_sample_tick_keeps_off_the_maps_tick_numbers():
    """Noise 5, η 0.5: the map's b ticks (−20) begin where the chart's 1000 ended ("1000−20" run together)."""
    from scenes.stochastic import CHART_CENTRE, CHART_SIZE
    from scenes.toolkit.sgd_views import TICK_GAP, LogChart

    chart = LogChart(1000, 0.1, 100.0, centre=CHART_CENTRE, size=CHART_SIZE, palette=DARK)
    make = lambda text: math(text, color=DARK.muted, size=SIZE.BODY)  # noqa: E731
    right = chart.edge()[1] + TICK_GAP  # the 1000 under the chart's right end reaches past it
    assert len(chart.sample_ticks(make)) == 3
    ticks = chart.sample_ticks(make, right)
    assert len(ticks) == 2 and all(t.get_right()[0] + TICK_GAP <= right for t in ticks)


def test_every_settling_line_fits_the_caption_band_with_the_widest_words():
    """Spreads get up to 4 decimals (decimals_apart): the Chinese 'settles' line once wrapped to three lines."""
    words = {"b": "100", "constant": "0.0123", "decayed": "0.0012", "d": "0.001", "epochs": "30",
             "epochs_en": "30 epochs", "eta": "1×10⁻⁶"}  # fmt: skip
    for case, (zh, en) in SETTLE_LINES.items():
        for line, language in ((zh.format(**words), "zh"), (en.format(**words), "en")):
            assert len(wrap(line, language).split("\n")) <= 2, (case, line)
