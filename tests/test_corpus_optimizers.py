"""A corpus of lecturers' edits to [optimizers]: refused before rendering with the key named, or taught as it
happens, every claim checked against gradcore.

Refusals go through the loader only (fast). One edit is rendered (dry run, Chinese, light theme): plain descent
with an η that diverges, and Adam with too few steps, which the race must report as gradcore does.
"""

from __future__ import annotations

import pytest
from manim import tempconfig

import gradcore
from scenes.optimizers import Optimizers
from scenes.toolkit.config import ConfigError
from scenes.toolkit.loader import load_scene_config
from scenes.toolkit.race import LABELS, NAMES
from scenes.toolkit.testing import check_storyboard, run_scene, toml_text

SECTIONS = ["the narrow valley", "momentum", "nesterov", "rmsprop and adam", "the race", "rolling on", "summary"]


def load(table: dict, tmp_path):
    path = tmp_path / "lecture.toml"
    path.write_text(toml_text({"optimizers": table}), encoding="utf-8")
    return load_scene_config(Optimizers, path=path)[1]


REFUSED = [  # (lecturer's edit, the key the message must name, words it must hold)
    pytest.param({"beta": 1.0}, "beta", "[0, 1)", id="beta-one"),
    pytest.param({"beta": -0.1}, "beta", "≥ 0", id="beta-negative"),
    pytest.param({"decay": 1.0}, "decay", "[0, 1)", id="rho-one"),
    pytest.param({"b1": 1.0}, "b1", "[0, 1)", id="beta1-one"),
    pytest.param({"b2": 1.0}, "b2", "try b2 = 0.999", id="beta2-one"),
    pytest.param({"lr_gd": 0.0}, "lr_gd", "greater than 0", id="eta-zero"),
    pytest.param({"lr_adam": -0.5}, "lr_adam", "greater than 0", id="eta-negative"),
    pytest.param({"lr_momentum": 1e3}, "lr_momentum", "at most 10", id="eta-absurd"),
    pytest.param({"eps": 0.0}, "eps", "", id="eps-zero"),
    pytest.param({"steps": 1000}, "steps", "≤ 300", id="too-many-steps"),
    pytest.param({"formula": "x^2 + y^2"}, "formula", "not narrow", id="round-bowl"),
    pytest.param({"formula": "x^2 - y^2"}, "formula", "no minimum", id="saddle"),
    pytest.param({"start": [0.0, 0.0]}, "start", "valley floor", id="start-at-the-minimum"),
    pytest.param({"start": [5.0, 0.0]}, "start", "outside x_range", id="start-off-the-map"),
    pytest.param({"valley_start": [-1.4, -0.9]}, "valley_start", "try valley_start = [", id="no-rolling-on"),
    pytest.param({"valley_formula": "(x-1)^2 + (y+1)^2"}, "valley_formula", "needs two", id="one-valley"),
    pytest.param({"steps": 5}, "steps", "try steps = ", id="too-few-steps-to-come-to-rest"),
    pytest.param({"beta": 0.0}, "beta", "beta = 0.6", id="no-momentum-rolls-nowhere"),
    pytest.param({"valley_lr": 3.0}, "valley_lr", "valley_lr = 0.2", id="valley-eta-off-the-map"),
    pytest.param({"tol": 1.0}, "tol", "try tol = 0.001", id="tol-so-loose-no-run-reaches-a-minimum"),
    pytest.param(
        {"valley_x_range": [0.0, 3.0]}, "valley_x_range", "try valley_x_range = [-3, 3]", id="map-cuts-a-valley"
    ),
    pytest.param({"formula": "x^4 + 10*y^2"}, "formula", "curves up every way", id="flat-bottomed-valley"),
]

FIXED = {  # edits whose refusal suggests values (found by a search or a fallback) that must then be accepted
    "tol": {"tol": 1.0},
    "map": {"valley_x_range": [0.0, 3.0]},
    "landscape-and-tol": {"valley_formula": "x^2 + y^2", "tol": 0.5},
    "steps": {"beta": 0.95},
}


def suggestion(message: str) -> dict:
    """The ``key = value, ...`` pairs after "try" in a refusal."""
    import ast
    import re

    pairs = re.split(r", (?=[a-z_0-9]+ = )", message.split("try ", 1)[1].rstrip("."))
    return {k.strip(): ast.literal_eval(v.strip()) for k, v in (pair.split(" = ", 1) for pair in pairs)}


@pytest.mark.parametrize("name", FIXED)
def test_the_values_a_refusal_suggests_are_accepted(name, tmp_path):
    with pytest.raises(ConfigError) as refused:
        load(FIXED[name], tmp_path)
    fix = suggestion(str(refused.value))
    assert load({**FIXED[name], **fix}, tmp_path).steps > 0, fix


@pytest.mark.parametrize(("table", "key", "words"), REFUSED)
def test_an_edit_that_cannot_teach_is_refused_with_its_key(table, key, words, tmp_path):
    with pytest.raises(ConfigError) as refused:
        load(table, tmp_path)
    message = str(refused.value)
    assert f"key '{key}'" in message and words in message, message


def test_the_valley_start_suggested_is_accepted_and_there_momentum_rolls_on_lower(tmp_path):
    with pytest.raises(ConfigError) as refused:
        load({"valley_start": [-1.4, -0.9]}, tmp_path)
    suggested = [float(v) for v in str(refused.value).split("try valley_start = ")[1].strip("[]").split(",")]
    p = load({"valley_start": suggested}, tmp_path)
    box = (p.valley_x_range, p.valley_y_range)
    minima = gradcore.find_minima(p.valley_formula, box)
    plain = gradcore.descend(p.valley_formula, suggested, lr=0.2, steps=200, tol=1e-3)
    heavy = gradcore.descend(p.valley_formula, suggested, optimizer="momentum", lr=0.2, beta=0.6, steps=200, tol=1e-3)
    ends = [gradcore.nearest_minimum(run.x, minima, box) for run in (plain, heavy)]
    assert None not in ends and minima[ends[1]].value < minima[ends[0]].value


# GD diverges (1 − 20η < −1); Adam (109 steps by default) runs out of steps; RMSProp's η = 10 flies off the map at
# step 1 (and arrives, off the map, after 4 steps); ρ and β₂ close to 1 must be written as they are, not rounded
TAUGHT = {"lr_gd": 0.12, "steps": 60, "lr_rmsprop": 10.0, "decay": 0.999, "b2": 0.9999}


def words_on_screen(scene) -> dict:
    """Every Typst / Pango text on screen after a play (to read the constants the column states)."""
    texts = {
        getattr(m, "typst_code", None) or getattr(m, "original_text", None) for m in scene.get_mobject_family_members()
    }
    return {"texts": texts - {None}}


@pytest.fixture(scope="module")
def taught():
    with tempconfig({"skip_animations": True}):
        return run_scene(Optimizers, {"optimizers": TAUGHT}, language="zh", theme="light", probe=words_on_screen)


def test_a_diverging_eta_and_too_few_steps_are_taught_with_the_storyboard_intact(taught):
    check_storyboard(taught, SECTIONS)


def test_the_first_step_says_gd_overshoots_when_gradcore_says_it_diverges(taught):
    gd = taught.paths["gd"]
    assert gradcore.verdict(gd, taught.box) == "diverged"
    assert "越跳越远" in taught.narration[0].zh and "η = 0.12" in taught.narration[0].zh
    assert "overshoots, farther every step" in taught.narration[0].en


def test_the_race_reports_each_run_as_gradcore_ended_it(taught):
    words = [row[1].original_text for row in taught.results.shown]
    for name, shown in zip(NAMES, words, strict=True):
        path, ball = taught.paths[name], taught.race_balls[name]
        if path.status == "converged" and ball.exit_step is None:
            assert shown == str(path.steps)
        elif ball.exit_step is not None:
            assert shown == f"第 {ball.exit_step} 步出界"
        else:
            assert shown == "步数用完" and path.status == "max_steps" and path.steps == 60
    assert taught.paths["adam"].status == "max_steps"
    assert taught.paths["rmsprop"].status == "converged" and taught.race_balls["rmsprop"].exit_step == 1
    line = taught.narration[4]
    assert "GD、RMSProp 离开了地图；Adam 没有到达" in line.zh  # as the table says: off the map, out of steps
    assert "GD, RMSProp leave the map; Adam does not arrive" in line.en and "RMSProp arrives" not in line.en
    arrived = {n: taught.paths[n].steps for n in NAMES if taught.paths[n].status == "converged"}
    arrived = {n: k for n, k in arrived.items() if taught.race_balls[n].exit_step is None}
    first = min(arrived, key=arrived.get)
    assert f"{LABELS[first]} 最先到达，用了 {arrived[first]} 步" in taught.narration[4].zh


def test_constants_close_to_1_are_written_as_configured_not_rounded_to_1(taught):
    shown = set().union(*(snap["texts"] for snap in taught.snapshots if snap["section"] == "rmsprop and adam"))
    assert any("rho = 0.999," in t for t in shown), sorted(t for t in shown if "rho" in t)
    assert any("1 - beta_2 = 0.0001" in t for t in shown), sorted(t for t in shown if "beta_2 =" in t)


@pytest.mark.parametrize(("start", "kind"), [([-2.7, 1.0], "cancel"), ([-2.7, 0.001], "sum")])
def test_momentums_line_says_the_arrows_cancel_across_only_when_they_do_move_across(start, kind):
    import numpy as np

    from gradcore import optimizers as opt
    from gradcore.expression import parse
    from scenes.toolkit.landscape import LandscapeView
    from scenes.toolkit.race import ArrowSum, cancel_kind

    f = parse("x^2 + 10*y^2", ("x", "y"))
    o = opt.get_optimizer("momentum", 0.04, beta=0.6)
    run = opt.replay(f, o, gradcore.descend(f, start, optimizer=o, steps=200, tol=1e-3).points)
    view = LandscapeView(f, ((-3, 3), (-3, 3)), size=5.0)
    sums = [ArrowSum(view, run.points[k], opt.velocity_parts(o, run.states[k].velocity, run.gradients[k]), ["#fff"] * 3)
            for k in (1, 2, 3)]  # fmt: skip
    assert cancel_kind(sums, np.linalg.eigh(np.diag([2.0, 20.0]))[1]) == kind  # on the axis y = 0.001: no across


@pytest.mark.parametrize(("lr", "kind"), [(0.09, "zigzag"), (0.099, "zigzag"), (0.1, "bouncing"), (0.04, "smooth")])
def test_step_1_says_gd_never_settles_only_when_its_zig_zag_does_not_shrink(lr, kind):
    from gradcore.expression import parse
    from scenes.optimizers import GD_LINES
    from scenes.toolkit.race import gd_kind

    f = parse("x^2 + 10*y^2", ("x", "y"))
    path = gradcore.descend(f, [-2.7, 1.0], lr=lr, steps=200, tol=1e-3)  # 1 − 20η = −1 at η = 0.1: it bounces for ever
    assert gd_kind(f, path, ((-3, 3), (-3, 3))) == kind and kind in GD_LINES
