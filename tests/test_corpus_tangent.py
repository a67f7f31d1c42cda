"""Lecturers' edits of [tangent]: each is refused before rendering (naming the key and a value that works) or
rendered as a dry run whose narration is checked against numbers computed here from the formula.

Refusals are fast (no Manim); the three rendered cases (~20 s each) are shared by their assertions.
"""

import re

import numpy as np
import pytest

import gradcore
from scenes.tangent import SECANT_LINES, STEP_LINES, TangentArrow
from scenes.toolkit.config import ConfigError
from scenes.toolkit.loader import load_scene_config
from scenes.toolkit.testing import check_storyboard, run_scene, toml_text

SECTIONS = ["curve", "two ways to move", "the tangent", "the derivative as a vector", "sweep", "one step downhill",
            "summary"]  # fmt: skip
DEFAULT_SECONDS = 58.6  # the default clip's length (scene.time of a dry run)

REFUSED = {  # edit → the key the refusal must name
    "stationary point of x^3 - 3x": ({"formula": "x^3 - 3x"}, "point"),
    "constant formula": ({"formula": "3"}, "formula"),
    "log(x) on [-2.5, 2.5]": ({"formula": "log(x)"}, "formula"),
    "sqrt(x) on [-2.5, 2.5]": ({"formula": "sqrt(x)"}, "formula"),
    "1/x through its pole": ({"formula": "1/x"}, "formula"),
    "exp(x^10) overflowing": ({"formula": "exp(x^10)"}, "formula"),
    "huge x_range": ({"x_range": [-1e6, 1e6]}, "x_range"),
    "x_range one float wide": ({"x_range": [1, 1.0000000000000002]}, "x_range"),
    "lr = 100 leaves the plot": ({"lr": 100}, "lr"),
    "lr = 1e300": ({"lr": 1e300}, "lr"),
    "lr = 1e-5 (a step nobody sees)": ({"lr": 1e-5}, "lr"),
    "lr too small to see": ({"lr": 0.001}, "lr"),
    "sin(20x): 20 stops in the sweep": ({"formula": "sin(20x)", "point": 1.0}, "sweep"),
    "point on the axis' end": ({"point": 2.5}, "point"),
    "sweep up to the axis' ends": ({"sweep": [-2.5, 2.5]}, "sweep"),
    "steep point beside a gentle sweep": ({"formula": "x^3 - 3x", "point": -2.45}, "point"),
}


def load(tmp_path, table):
    path = tmp_path / "lecture.toml"
    path.write_text(toml_text({"tangent": table}), encoding="utf-8")
    return load_scene_config(TangentArrow, path)


@pytest.mark.parametrize(("edit", "key"), REFUSED.values(), ids=REFUSED.keys())
def test_edit_is_refused_naming_the_key_and_a_value_that_works(tmp_path, edit, key):
    with pytest.raises(ConfigError) as refused:
        load(tmp_path, edit)
    message = str(refused.value)
    assert f"key '{key}'" in message, message
    if key in ("formula", "x_range"):  # config's generic refusals: a way out is named (config's tests check it)
        assert re.search(r"(try|e\.g\.) x_range = |try formula = ", message), message
        return
    suggestion = re.search(rf"try {key} = (.+)$", message)
    assert suggestion, message
    value = suggestion.group(1)
    fixed = [float(v) for v in value.strip("[]").split(",")] if value.startswith("[") else float(value)
    _, params = load(tmp_path, {**edit, key: fixed})  # the suggested value is accepted
    assert params[key] == pytest.approx(fixed)


def slope(f, x):
    h = 1e-6 * max(1.0, abs(x))  # central difference: an independent check of gradcore's exact derivative
    return (float(f(x + h)) - float(f(x - h))) / (2 * h)


RENDERED = {
    "x^3 - 3x overshoots with lr = 0.5": {"formula": "x^3 - 3x", "point": 1.5, "lr": 0.5},
    "x^2 with lr = 1 lands at the same height": {"lr": 1.0},
    "-x on ±1e4, near the right end": {
        "formula": "-x", "x_range": [-10000, 10000], "point": 8500, "sweep": [-5000, 5000], "lr": 1000,
    },
}  # fmt: skip


def probe(scene):
    marks = getattr(scene, "marks", None)
    state = {"x": marks.x.get_value() if marks is not None and marks.x is not None else None}
    if marks is not None and marks.arrow in scene.mobjects:
        state["arrow"] = scene.graph.coords(np.array(marks.arrow.get_start_and_end()))[:, 0]
    if marks is not None:
        state["point"] = scene.graph.coords(marks.point.get_center())
    return state


@pytest.fixture(scope="module", params=list(RENDERED.values()), ids=list(RENDERED))
def rendered(request):
    return run_scene(TangentArrow, {"tangent": request.param}, probe=probe)


def lines_of(scene):
    return {line.section: {"zh": line.zh, "en": line.en} for line in scene.narration}


def test_rendered_edit_keeps_the_storyboard_readable_and_the_clip_short(rendered):
    check_storyboard(rendered, SECTIONS)
    assert rendered.time <= 3 * DEFAULT_SECONDS


def test_the_step_line_says_what_the_step_did_to_f(rendered):
    p = rendered.params
    x1 = p.point - p.lr * slope(p.formula, p.point)
    f0, f1 = float(p.formula(p.point)), float(p.formula(x1))
    height = float(np.ptp(np.append(p.formula(np.linspace(*p.x_range, 401)), 0.0)))
    expected = "same" if abs(f1 - f0) <= 1e-3 * height else ("lower" if f1 < f0 else "higher")
    assert lines_of(rendered)["one step downhill"] == STEP_LINES[expected]
    if expected != "lower":
        assert "gets smaller" not in lines_of(rendered)["one step downhill"]["en"]
    last = [s for s in rendered.snapshots if s["section"] == "one step downhill"][-1]
    assert last["point"][0] == pytest.approx(x1, rel=1e-6, abs=1e-6 * (p.x_range[1] - p.x_range[0]))
    assert p.x_range[0] <= x1 <= p.x_range[1]


def test_the_sweep_line_claims_only_what_the_slopes_show(rendered):
    p = rendered.params
    slopes = np.array([slope(p.formula, x) for x in np.linspace(*p.sweep, 201)])
    line = lines_of(rendered)["sweep"]["en"]
    assert ("points −x" in line) == bool((slopes < -1e-6).any())
    assert ("points +x" in line) == bool((slopes > 1e-6).any())
    flat = bool((np.sign(slopes[1:]) != np.sign(slopes[:-1])).any() or np.abs(slopes).min() < 1e-9)
    assert ("vanishes" in line) == flat
    assert ("longer where steeper" in line) == (flat or np.abs(slopes).max() > 1.25 * np.abs(slopes).min())
    zh = lines_of(rendered)["sweep"]["zh"]  # the Chinese line claims the same, clause by clause
    assert ("下降处箭头指向 −x" in zh) == ("points −x" in line)
    assert ("指向 +x" in zh) == ("points +x" in line)
    assert ("切线水平处箭头消失" in zh) == ("vanishes" in line)
    assert ("越陡越长" in zh) == ("longer where steeper" in line)
    assert ("长度也几乎不变" in zh) == ("keeps about one length" in line)


def test_the_secant_stays_on_the_plot_and_its_line_says_which_side(rendered):
    p = rendered.params
    lo, hi = p.x_range
    side = "right" if hi - p.point >= min(p.point - lo, 0.15 * (hi - lo)) else "left"
    assert lines_of(rendered)["the tangent"] == SECANT_LINES[side]


def test_every_arrow_of_the_sweep_stays_on_the_axis(rendered):
    lo, hi = rendered.params.x_range
    shots = [s for s in rendered.snapshots if s["section"] == "sweep" and "arrow" in s]
    assert shots
    for shot in shots:
        assert lo - 1e-9 * (hi - lo) <= min(shot["arrow"]) and max(shot["arrow"]) <= hi + 1e-9 * (hi - lo)


def test_the_stops_of_the_sweep_are_the_critical_points_gradcore_finds(rendered):
    p = rendered.params
    stops = [float(c.point[0]) for c in gradcore.critical_points(p.formula, [p.sweep])]
    assert len(stops) <= 6
    xs = [s["x"] for s in rendered.snapshots if s["section"] == "sweep"]
    for stop in stops:
        assert min(abs(x - stop) for x in xs) < 1e-9 * (p.x_range[1] - p.x_range[0]) + 1e-12
